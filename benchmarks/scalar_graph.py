"""The micrograd-style scalar graph of the engine benchmark, and its worker process.

Run by `engine_bench.py` as `python benchmarks/scalar_graph.py LIBRARY`, once per library. A
worker imports only its own library, so each process's heap (which every full run of Python's
cycle collector walks) is that library's and no other's: PyTorch alone adds ~136,000 objects.
"""

from __future__ import annotations

import gc
import random
import sys
import time
from collections.abc import Callable

LIBRARIES = ("gradviz engine", "micrograd", "PyTorch CPU")


def scalar_graph(make: Callable[[float], object], relu: Callable[[object], object]) -> object:
    """Neurons of sums of products, then relu: six layers of 16, ~3,000 ops."""
    rng = random.Random(0)
    acts = [make(rng.uniform(-1, 1)) for _ in range(16)]
    for _layer in range(6):
        new = []
        for _unit in range(16):
            total = make(0.0)
            for a in acts:
                total = total + a * make(rng.uniform(-1, 1))
            new.append(relu(total))
        acts = new
    out = acts[0]
    for a in acts[1:]:
        out = out + a
    return out


def count_ops() -> int:
    return 6 * 16 * (16 * 2 + 1) + 15


def builder(name: str) -> Callable[[], object] | None:
    """A function that builds the graph with one library, imported now (None if absent)."""
    try:
        if name == "gradviz engine":
            import engine

            return lambda: scalar_graph(lambda v: engine.tensor(v, requires_grad=True),
                                        engine.relu)
        if name == "micrograd":
            from micrograd.engine import Value

            return lambda: scalar_graph(Value, lambda v: v.relu())
        if name == "PyTorch CPU":
            import torch

            torch.set_num_threads(1)
            return lambda: scalar_graph(lambda v: torch.tensor(v, requires_grad=True),
                                        torch.relu)
    except ImportError:
        return None
    raise ValueError(f"unknown library {name!r}")


def worker(name: str) -> None:
    """For each number k read from stdin: build k graphs one after another, run each one's
    backward and drop it. Prints the k graphs' total seconds, the seconds Python's cycle
    collector ran within them, then forward, backward and whole seconds of each graph. Each
    library frees its graphs its own way (reference counting, or the cycle collector when it
    next runs), and that time falls in its own total."""
    make = builder(name)
    print("ready" if make else "absent", flush=True)
    clock = time.perf_counter
    collecting = [0.0, 0.0]  # start of the running collection, seconds collected

    def on_collect(phase: str, _info: dict) -> None:
        if phase == "start":
            collecting[0] = clock()
        else:
            collecting[1] += clock() - collecting[0]

    gc.callbacks.append(on_collect)
    for line in sys.stdin:
        spent: list[float] = []
        collecting[1] = 0.0
        first = clock()
        for _ in range(int(line)):
            start = clock()
            out = make()
            built = clock()
            out.backward()
            done = clock()
            del out
            spent += (built - start, done - built, clock() - start)
        total = clock() - first
        print(total, collecting[1], *spent, flush=True)


if __name__ == "__main__":
    worker(sys.argv[1])

"""Engine speed, measured side by side in one run: gradviz's engine vs micrograd vs PyTorch CPU.

Run: python benchmarks/engine_bench.py   (optional: pip install micrograd torch==2.13.0)
Prints medians of repeated runs and the ratios the README reports; for the scalar graph also
forward and backward apart, beside the floor of any backward that records its steps (over a
prebuilt list of edges, and walking the real graph).
"""

from __future__ import annotations

import os

# Both engines on one thread, as the comparison is stated (numpy's BLAS would otherwise spin
# up threads that fight for the two cores).
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import gc  # noqa: E402
import random  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import tracemalloc  # noqa: E402
from collections.abc import Callable  # noqa: E402

import numpy as np  # noqa: E402

import engine  # noqa: E402

try:
    import torch

    torch.set_num_threads(1)
except ImportError:  # pragma: no cover - optional comparison
    torch = None
try:
    from micrograd.engine import Value
except ImportError:  # pragma: no cover - optional comparison
    Value = None


def median_times(contenders: dict[str, Callable[[], object]], rounds: int) -> dict[str, float]:
    """Median seconds per call, the contenders taking turns within each round, so that the
    machine's drift (these machines are shared) falls on all of them alike."""
    for fn in contenders.values():
        fn()
    times: dict[str, list[float]] = {name: [] for name in contenders}
    for _ in range(rounds):
        for name, fn in contenders.items():
            start = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(spent) for name, spent in times.items()}


# --- 1. a micrograd-style scalar graph: neurons of sums of products, relu, ~3,000 ops ----------
def scalar_graph(make: Callable[[float], object], relu: Callable[[object], object]) -> object:
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


def count_scalar_ops() -> int:
    return 6 * 16 * (16 * 2 + 1) + 15


SCALAR_LIBRARIES = ("gradviz engine", "micrograd", "PyTorch CPU")


def _scalar_maker(name: str) -> Callable[[], object] | None:
    """A function that builds the scalar graph with one library (None if it is absent)."""
    if name == "gradviz engine":
        return lambda: scalar_graph(lambda v: engine.tensor(v, requires_grad=True), engine.relu)
    if name == "micrograd" and Value is not None:
        return lambda: scalar_graph(Value, lambda v: v.relu())
    if name == "PyTorch CPU" and torch is not None:
        return lambda: scalar_graph(lambda v: torch.tensor(v, requires_grad=True), torch.relu)
    return None


def scalar_worker(name: str) -> None:
    """The scalar graph in a process of its own: for each line on stdin, build the graph, run
    its backward and drop it, then print forward, backward and whole seconds. Each library
    frees its own graphs (by reference counting or by the cycle collector) in its own time,
    not in another library's."""
    make = _scalar_maker(name)
    for _ in sys.stdin:
        start = time.perf_counter()
        out = make()
        built = time.perf_counter()
        out.backward()
        done = time.perf_counter()
        del out
        print(built - start, done - built, time.perf_counter() - start, flush=True)


def bench_scalar(rounds: int = 15) -> dict[str, tuple[float, float, float]]:
    """Median (forward, backward, whole) per library, each in its own worker process, taking
    turns within each round; the first round warms up."""
    import subprocess

    workers = {name: subprocess.Popen([sys.executable, __file__, "--scalar-worker", name],
                                      stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
               for name in SCALAR_LIBRARIES if _scalar_maker(name) is not None}
    times: dict[str, list[list[float]]] = {name: [] for name in workers}
    try:
        for round_ in range(rounds + 1):
            for name, worker in workers.items():
                worker.stdin.write("run\n")
                worker.stdin.flush()
                spent = [float(part) for part in worker.stdout.readline().split()]
                if round_:
                    times[name].append(spent)
    finally:
        for worker in workers.values():
            worker.stdin.close()
            worker.wait()
    return {name: tuple(statistics.median(column) for column in zip(*spent, strict=True))
            for name, spent in times.items()}


def recording_floor(repeat: int = 15) -> float:
    """The floor of a backward that records each edge as gradviz must: a generator yielding one
    tuple per edge, after one float32 multiply (upstream × local) and one add into the
    receiving total, over a prebuilt list of the same number of edges. No PyTorch semantics at
    all: what any engine that records its steps, float32-exact, pays before doing anything
    else. Returns (edges, median seconds)."""
    out = _scalar_maker("gradviz engine")()
    edges = sum(1 for _ in engine.backward_steps(out))
    rng = random.Random(1)
    f32 = np.float32
    prebuilt = [(f32(rng.random()), f32(rng.random()), i % 500) for i in range(edges)]

    def floor() -> None:
        def steps() -> object:
            totals: dict[int, object] = {}
            for index, (upstream, local, target) in enumerate(prebuilt):
                contribution = upstream * local
                previous = totals.get(target)
                total = contribution if previous is None else previous + contribution
                totals[target] = total
                yield (index, target, upstream, local, contribution, previous, total)
        for _ in steps():
            pass

    spent = []
    for _ in range(repeat):
        start = time.perf_counter()
        floor()
        spent.append(time.perf_counter() - start)
    return edges, statistics.median(spent)


def walking_floor(repeat: int = 15) -> float:
    """A backward stripped to what any engine with gradviz's steps does on the real graph: walk
    the nodes in PyTorch's order, make each edge's float32 contribution (±upstream, or
    upstream × the other factor), add it into the receiving node's or leaf's total, give a leaf
    its `.grad`, yield one tuple per edge. None of PyTorch's rules (hooks, retained grads,
    version checks, shapes and dtypes) is checked. Median seconds."""
    from engine.backward import _reachable
    from engine.node import Node
    from engine.tensor import Tensor

    def steps(root: object) -> object:
        buffers = {root._grad_fn: np.float32(1)}
        totals: dict = {}
        for index, node in enumerate(_reachable([root._grad_fn])):
            upstream = buffers.pop(node)
            _, _, rule, constants, others = node.spec.rules  # rule: the op's own gradient
            for i, target in enumerate(node.next):
                if target is None:
                    continue
                if constants is not None:
                    contribution = upstream if constants[i] == 1 else -upstream
                elif others is not None:
                    contribution = upstream * node.args[others[i]]
                else:
                    contribution = rule(i, upstream, node.args, node.out, node.params)
                store = buffers if type(target) is Node else totals
                previous = store.get(target)
                total = contribution if previous is None else previous + contribution
                store[target] = total
                if store is totals:
                    grad = object.__new__(Tensor)
                    grad._data = total
                    target._grad = grad
                yield (index, node, i, upstream, contribution, total)

    spent = []
    for _ in range(repeat):
        out = _scalar_maker("gradviz engine")()
        start = time.perf_counter()
        for _ in steps(out):
            pass
        spent.append(time.perf_counter() - start)
    return statistics.median(spent)


# --- 2. a tensor MLP step: 64×784 → 128 → 10, cross-entropy, forward + backward ----------------
def bench_mlp() -> dict[str, float]:
    rng = np.random.default_rng(0)
    x = rng.standard_normal((64, 784)).astype(np.float32)
    w1 = (rng.standard_normal((784, 128)) * 0.05).astype(np.float32)
    b1 = np.zeros(128, dtype=np.float32)
    w2 = (rng.standard_normal((128, 10)) * 0.05).astype(np.float32)
    b2 = np.zeros(10, dtype=np.float32)
    labels = rng.integers(0, 10, size=64)
    contenders: dict[str, Callable[[], object]] = {}
    for name, lib in (("gradviz engine", engine), ("PyTorch CPU", torch)):
        if lib is None:
            continue
        params = [lib.tensor(p, requires_grad=True) for p in (w1, b1, w2, b2)]
        data, target = lib.tensor(x), lib.tensor(labels)

        def step(lib=lib, params=params, data=data, target=target) -> None:
            w1_, b1_, w2_, b2_ = params
            hidden = (data @ w1_ + b1_).relu()
            loss = lib.nn.functional.cross_entropy(hidden @ w2_ + b2_, target)
            loss.backward()
            for p in params:
                p.grad = None

        contenders[name] = step
    return median_times(contenders, rounds=400)


def bench_mlp_products() -> dict[str, float]:
    """The step's five matrix products (forward, then the gradients the backward computes),
    added in MKL's order as the engine adds them, against numpy's BLAS in its own order."""
    from engine import op_table

    rng = np.random.default_rng(1)
    shapes = [(64, 784, 128), (64, 128, 10), (64, 10, 128), (128, 64, 10), (784, 64, 128)]
    pairs = [(rng.standard_normal((m, k)).astype(np.float32),
              rng.standard_normal((k, n)).astype(np.float32)) for m, k, n in shapes]
    pairs[2] = (pairs[2][0], np.ascontiguousarray(pairs[2][1].T).T)  # w2.T, hidden.T, x.T
    pairs[3] = (np.ascontiguousarray(pairs[3][0].T).T, pairs[3][1])
    pairs[4] = (np.ascontiguousarray(pairs[4][0].T).T, pairs[4][1])
    return median_times({"MKL's order": lambda: [op_table._mm(a, b) for a, b in pairs],
                         "numpy's BLAS": lambda: [a @ b for a, b in pairs]}, rounds=200)


# --- 3. a 100,000-op chain: the backward completes, memory grows linearly ----------------------
def chain(length: int) -> None:
    x = engine.tensor(1.0, requires_grad=True)
    y = x
    for _ in range(length):
        y = y * 1.0001
    y.backward()
    assert x.grad is not None


def chain_memory(length: int) -> tuple[float, int]:
    """Seconds (untraced) and peak traced bytes for one chain of `length` multiplications."""
    gc.collect()
    start = time.perf_counter()
    chain(length)
    elapsed = time.perf_counter() - start
    gc.collect()
    tracemalloc.start()
    chain(length)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return elapsed, peak


def main() -> int:
    print(f"python {sys.version.split()[0]}, numpy {np.__version__}"
          + (f", torch {torch.__version__} (1 thread)" if torch else ", torch absent")
          + (", micrograd present" if Value else ", micrograd absent"))
    scalar = bench_scalar()
    ops = count_scalar_ops()
    print(f"\n1. scalar graph, {ops} ops, forward + backward (median; each library in a process "
          "of its own, taking turns)")
    for name, (_, _, whole) in scalar.items():
        print(f"   {name:16s} {whole * 1e3:8.2f} ms   {whole / ops * 1e6:6.2f} µs/op")
    ours = scalar["gradviz engine"][2]
    for name in ("micrograd", "PyTorch CPU"):
        if name in scalar:
            print(f"   {name} / gradviz = {scalar[name][2] / ours:.2f}×  (> 1: gradviz is faster)")
    print("   forward / backward apart (median; the whole also frees the graph):")
    for name, (forward, backward, _) in scalar.items():
        print(f"   {name:22s} forward {forward * 1e3:6.2f} ms   backward {backward * 1e3:6.2f} ms")
    edges, floor = recording_floor()
    print(f"   {f'floor ({edges} edges)':22s} forward {0:6.2f} ms   backward {floor * 1e3:6.2f} ms")
    print(f"   {'the same, walking':22s} forward {0:6.2f} ms   backward "
          f"{walking_floor() * 1e3:6.2f} ms  (the graph, no PyTorch rules)")
    mlp = bench_mlp()
    print("\n2. MLP step 64×784 → 128 → 10 with cross-entropy, forward + backward "
          "(median, taking turns)")
    for name, seconds in mlp.items():
        print(f"   {name:16s} {seconds * 1e3:8.3f} ms")
    if "PyTorch CPU" in mlp:
        print(f"   gradviz / PyTorch = {mlp['gradviz engine'] / mlp['PyTorch CPU']:.2f}×  "
              "(target ≤ 1.2)")
    products = bench_mlp_products()
    print("   of which its five matrix products (median):")
    for name, seconds in products.items():
        print(f"   {name:16s} {seconds * 1e3:8.3f} ms")
    print("\n3. chain of multiplications, forward + backward")
    for length in (25_000, 50_000, 100_000):
        seconds, peak = chain_memory(length)
        print(f"   {length:7d} ops  {seconds:6.2f} s   peak {peak / 2**20:7.1f} MiB  "
              f"{peak / length:6.0f} B/op  (linear: B/op stays flat)")
    return 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["--scalar-worker"]:
        scalar_worker(sys.argv[2])
        sys.exit(0)
    sys.exit(main())

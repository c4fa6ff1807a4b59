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
import importlib.util  # noqa: E402
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

import scalar_graph  # noqa: E402  (beside this file)


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


# --- 1. a micrograd-style scalar graph (scalar_graph.py), each library in a worker process ---
BATCH = 10


def bench_scalar(rounds: int = 15) -> dict[str, dict[str, float]]:
    """Per library: `per_graph`, the median over rounds of a run of BATCH graphs' total time
    divided by BATCH (every cost a loop of graphs pays, the freeing of graphs included), the
    `collector`'s share of it (the time Python's cycle collector ran, per graph), and the
    medians of single graphs' `forward`, `backward` and `whole`. Each library runs in its
    own worker process, taking turns within each round; the first round warms up."""
    import subprocess

    worker_script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "scalar_graph.py")
    workers = {}
    for name in scalar_graph.LIBRARIES:
        worker = subprocess.Popen([sys.executable, worker_script, name], stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE, text=True)
        if worker.stdout.readline().strip() == "ready":
            workers[name] = worker
        else:
            worker.stdin.close()
            worker.wait()
    runs: dict[str, list[float]] = {name: [] for name in workers}
    collected: dict[str, float] = {name: 0.0 for name in workers}
    graphs: dict[str, list[list[float]]] = {name: [] for name in workers}
    try:
        for round_ in range(rounds + 1):
            for name, worker in workers.items():
                worker.stdin.write(f"{BATCH}\n")
                worker.stdin.flush()
                total, collecting, *spent = (float(part)
                                             for part in worker.stdout.readline().split())
                if round_:
                    runs[name].append(total / BATCH)
                    collected[name] += collecting / BATCH / rounds
                    graphs[name] += [spent[i:i + 3] for i in range(0, len(spent), 3)]
    finally:
        for worker in workers.values():
            worker.stdin.close()
            worker.wait()
    medians = {}
    for name in workers:
        forward, backward, whole = (statistics.median(column)
                                    for column in zip(*graphs[name], strict=True))
        medians[name] = {"per_graph": statistics.median(runs[name]),
                         "collector": collected[name], "forward": forward,
                         "backward": backward, "whole": whole}
    return medians


def recording_floor(repeat: int = 15) -> float:
    """The floor of a backward that records each edge as gradviz must: a generator yielding one
    tuple per edge, after one float32 multiply (upstream × local) and one add into the
    receiving total, over a prebuilt list of the same number of edges. No PyTorch semantics at
    all: what any engine that records its steps, float32-exact, pays before doing anything
    else. Returns (edges, median seconds)."""
    out = scalar_graph.builder("gradviz engine")()
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
        out = scalar_graph.builder("gradviz engine")()
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
          + (", micrograd present" if importlib.util.find_spec("micrograd") else
             ", micrograd absent"))
    scalar = bench_scalar()
    ops = scalar_graph.count_ops()
    print(f"\n1. scalar graph, {ops} ops, forward + backward (each library in a process of its "
          "own that imports only it, taking turns)")
    print(f"   per graph, over runs of {BATCH} graphs (median of the runs; every cost included, "
          "the freeing of graphs too):")
    for name, times in scalar.items():
        print(f"   {name:16s} {times['per_graph'] * 1e3:8.2f} ms   "
              f"{times['per_graph'] / ops * 1e6:6.2f} µs/op   of which the cycle collector "
              f"{times['collector'] * 1e3:5.2f} ms (mean)")
    ours = scalar["gradviz engine"]
    for name in ("micrograd", "PyTorch CPU"):
        if name in scalar:
            print(f"   {name} / gradviz = {scalar[name]['per_graph'] / ours['per_graph']:.2f}×  "
                  "(> 1: gradviz is faster)")
    print("   one graph alone (median graph: a cycle collection that frees earlier graphs "
          "falls outside it):")
    for name, times in scalar.items():
        print(f"   {name:16s} {times['whole'] * 1e3:8.2f} ms   forward "
              f"{times['forward'] * 1e3:6.2f} ms   backward {times['backward'] * 1e3:6.2f} ms")
    for name in ("micrograd", "PyTorch CPU"):
        if name in scalar:
            print(f"   {name} / gradviz = {scalar[name]['whole'] / ours['whole']:.2f}×  "
                  "(median graph)")
    edges, floor = recording_floor()
    print(f"   {f'floor ({edges} edges)':16s} backward {floor * 1e3:6.2f} ms")
    print(f"   {'the same, walking':16s} backward {walking_floor() * 1e3:6.2f} ms  "
          "(the graph, no PyTorch rules)")
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
    sys.exit(main())

"""Benchmark gradviz's layered layout against Graphviz dot on computation-graph shapes.

    python benchmarks/layout_bench.py            # about a minute; dot stopped after 60 s
    python benchmarks/layout_bench.py --full     # let dot finish the 10k-node graphs (minutes)
    python benchmarks/layout_bench.py --no-dot   # our layout only

Graphs mirror what the engine records (tensor node -> op node -> tensor node) but are built
here with plain networkx, so the benchmark does not depend on the engine. dot is optional: when
it is on PATH it lays out the same nodes, edges, node sizes and gaps, and both drawings are
judged by the same crossing counter (`gradviz.layout.count_crossings`).
"""

from __future__ import annotations

import argparse
import random
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Hashable
from concurrent.futures import ThreadPoolExecutor
from itertools import pairwise
from pathlib import Path

import networkx as nx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from gradviz.layout import count_crossings, layered_layout  # noqa: E402

Sizes = dict[Hashable, tuple[float, float]]
Point = tuple[float, float]
Drawing = tuple[dict[Hashable, Point], list[tuple[Hashable, Hashable, list[Point]]]]

NODE_GAP = 24.0
LAYER_GAP = 56.0
DOT_CAP = 60.0  # seconds dot may take on a 10k-node graph unless --full (it needs ~2 minutes)
DOT_TIMEOUT = 900.0


class Recorder:
    """Builds a computation graph the way an autograd tape records it."""

    def __init__(self, seed: int) -> None:
        self.graph = nx.MultiDiGraph()
        self.sizes: Sizes = {}
        self.rng = random.Random(seed)

    def _node(self, prefix: str, size: tuple[float, float]) -> str:
        name = f"{prefix}{len(self.sizes)}"
        self.graph.add_node(name)
        self.sizes[name] = size
        return name

    def tensor(self) -> str:
        """A value box; widths vary like labels of different lengths do."""
        return self._node("t", (float(self.rng.randrange(96, 176, 8)), 36.0))

    def op(self, *inputs: str) -> str:
        """An op node fed by ``inputs`` (repeats give parallel edges); returns its output."""
        node = self._node("op", (36.0, 36.0))
        for i in inputs:
            self.graph.add_edge(i, node)
        out = self.tensor()
        self.graph.add_edge(node, out)
        return out


def micrograd_mlp(batch: int, layers: tuple[int, ...] = (2, 4, 4, 1), seed: int = 0) -> Recorder:
    """micrograd's demo: an MLP of scalar Values with tanh, squared-error loss over a batch.

    Neuron: ``sum((wi * xi for wi, xi in zip(w, x)), b).tanh()``; loss:
    ``sum((yout - ygt) ** 2)``, written ``d * d`` for every other sample (parallel edges).
    """
    r = Recorder(seed)
    params = [
        [([r.tensor() for _ in range(nin)], r.tensor()) for _ in range(nout)]
        for nin, nout in pairwise(layers)
    ]
    preds = []
    for _ in range(batch):
        act = [r.tensor() for _ in range(layers[0])]
        for layer in params:
            out = []
            for w, bias in layer:
                s = bias
                for wi, xi in zip(w, act, strict=True):
                    s = r.op(s, r.op(wi, xi))
                out.append(r.op(s))
            act = out
        preds.append(act[0])
    total = r.tensor()
    for k, yout in enumerate(preds):
        diff = r.op(yout, r.tensor())
        total = r.op(total, r.op(diff, diff) if k % 2 else r.op(diff))
    return r


def tensor_mlp(seed: int = 0) -> Recorder:
    """A two-layer tensor MLP with cross-entropy spelled out as log-softmax and NLL."""
    r = Recorder(seed)
    x, w1, b1, w2, b2, y = (r.tensor() for _ in range(6))
    hidden = r.op(r.op(r.op(x, w1), b1))
    logits = r.op(r.op(hidden, w2), b2)
    shifted = r.op(logits, r.op(logits))
    logp = r.op(shifted, r.op(r.op(r.op(shifted))))
    r.op(r.op(r.op(logp, y)))
    return r


def chain_fanout(steps: int, seed: int = 0) -> Recorder:
    """A deep residual chain: each step's activation fans out to the next layer, a penalty
    term accumulated across steps, and every third step to a skip connection."""
    r = Recorder(seed)
    h = r.tensor()
    history: list[str] = []
    acc = None
    for i in range(steps):
        w, bias = r.tensor(), r.tensor()
        a = r.op(r.op(r.op(h, w), bias))
        if i >= 3 and i % 3 == 0:
            a = r.op(a, history[i - 3])
        penalty = r.op(r.op(a, a))
        acc = penalty if acc is None else r.op(acc, penalty)
        history.append(a)
        h = a
    assert acc is not None
    r.op(r.op(r.op(h)), acc)
    return r


CASES: list[tuple[str, Callable[[], Recorder], bool]] = [
    ("tensor MLP + cross-entropy", tensor_mlp, False),
    ("micrograd 2-4-4-1, batch 4", lambda: micrograd_mlp(4), False),
    ("chain with fan-out, 20 steps", lambda: chain_fanout(20), False),
    ("micrograd 2-4-4-1, batch 15", lambda: micrograd_mlp(15), False),
    ("chain with fan-out, 140 steps", lambda: chain_fanout(140), False),
    ("micrograd 2-4-4-1, batch 72", lambda: micrograd_mlp(72), True),
    ("chain with fan-out, 700 steps", lambda: chain_fanout(700), True),
]


def run_ours(graph: nx.MultiDiGraph, sizes: Sizes, repeats: int) -> tuple[float, Drawing]:
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        layout = layered_layout(graph, sizes, "TB", NODE_GAP, LAYER_GAP)
        best = min(best, time.perf_counter() - start)
    centres = {n: (b.x, b.y) for n, b in layout.nodes.items()}
    return best, (centres, [(e.source, e.target, e.points) for e in layout.edges])


def dot_source(graph: nx.MultiDiGraph, sizes: Sizes) -> tuple[str, dict[str, Hashable]]:
    names = {f"n{i}": node for i, node in enumerate(graph.nodes)}
    ids = {node: name for name, node in names.items()}
    lines = [
        "digraph G {",
        f"graph [rankdir=TB, nodesep={NODE_GAP / 72:.4f}, ranksep={LAYER_GAP / 72:.4f}];",
        'node [shape=box, fixedsize=true, label=""];',
    ]
    for node in graph.nodes:
        w, h = sizes[node]
        lines.append(f"{ids[node]} [width={w / 72:.4f}, height={h / 72:.4f}];")
    lines.extend(f"{ids[u]} -> {ids[v]};" for u, v in graph.edges())
    lines.append("}")
    return "\n".join(lines), names


def _bezier_points(ctrl: list[Point], per_piece: int = 12) -> list[Point]:
    """Sample dot's piecewise cubic B\u00e9zier (3k+1 control points)."""
    out = [ctrl[0]]
    for i in range(0, len(ctrl) - 3, 3):
        (x0, y0), (x1, y1), (x2, y2), (x3, y3) = ctrl[i : i + 4]
        for k in range(1, per_piece + 1):
            t = k / per_piece
            a, b, c, d = (1 - t) ** 3, 3 * (1 - t) ** 2 * t, 3 * (1 - t) * t * t, t**3
            out.append((a * x0 + b * x1 + c * x2 + d * x3, a * y0 + b * y1 + c * y2 + d * y3))
    return out


def run_dot(
    graph: nx.MultiDiGraph, sizes: Sizes, repeats: int = 1, timeout: float = DOT_TIMEOUT
) -> tuple[float, Drawing] | str:
    """dot -Tplain on the same graph (best time of ``repeats``); positions flipped to y-down,
    in points. Returns a note instead when dot does not finish within ``timeout``."""
    source, names = dot_source(graph, sizes)
    elapsed = float("inf")
    out = ""
    for _ in range(repeats):
        start = time.perf_counter()
        try:
            out = subprocess.run(
                ["dot", "-Tplain"], input=source, capture_output=True, text=True,
                timeout=timeout, check=True,
            ).stdout
        except subprocess.TimeoutExpired:
            return f"> {timeout:.0f} s"
        elapsed = min(elapsed, time.perf_counter() - start)
    centres: dict[Hashable, Point] = {}
    edges: list[tuple[Hashable, Hashable, list[Point]]] = []
    height = 0.0
    for line in out.splitlines():
        parts = line.split()
        if parts[0] == "graph":
            height = float(parts[3]) * 72
        elif parts[0] == "node":
            centres[names[parts[1]]] = (float(parts[2]) * 72, height - float(parts[3]) * 72)
        elif parts[0] == "edge":
            k = int(parts[3])
            ctrl = [
                (float(parts[4 + 2 * i]) * 72, height - float(parts[5 + 2 * i]) * 72)
                for i in range(k)
            ]
            edges.append((names[parts[1]], names[parts[2]], _bezier_points(ctrl)))
    return elapsed, (centres, edges)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--full", action="store_true", help="wait for dot on the 10k-node graphs (minutes)"
    )
    parser.add_argument("--no-dot", action="store_true", help="do not run dot at all")
    args = parser.parse_args(argv)
    have_dot = shutil.which("dot") is not None and not args.no_dot

    graphs = [(name, make(), big) for name, make, big in CASES]
    ours = []
    for name, rec, _ in graphs:
        repeats = 3 if rec.graph.number_of_nodes() < 5000 else 2
        elapsed, drawing = run_ours(rec.graph, rec.sizes, repeats)
        ours.append((elapsed, count_crossings(*drawing)))
        print(f"  ours: {name}: {elapsed:.3f} s", file=sys.stderr, flush=True)

    dots: list[tuple[float, Drawing] | str | None] = [None] * len(graphs)
    if have_dot:
        # Small graphs one at a time, best of three; the two slow 10k-node ones side by side on
        # the two cores (marked * in the table). All after our timings so nothing disturbs them.
        for i, (name, rec, big) in enumerate(graphs):
            if not big:
                dots[i] = run_dot(rec.graph, rec.sizes, repeats=3)
                print(f"  dot: {name} done", file=sys.stderr, flush=True)
        cap = DOT_TIMEOUT if args.full else DOT_CAP
        big_ones = [i for i, (_, _, big) in enumerate(graphs) if big]
        with ThreadPoolExecutor(max_workers=2) as pool:
            futures = {
                i: pool.submit(run_dot, graphs[i][1].graph, graphs[i][1].sizes, 1, cap)
                for i in big_ones
            }
            for i, fut in futures.items():
                dots[i] = fut.result()
                print(f"  dot: {graphs[i][0]} done", file=sys.stderr, flush=True)

    header = (
        f"{'graph':31s} {'nodes':>6s} {'edges':>6s} | {'ours s':>7s} {'dot s':>8s} "
        f"{'dot/ours':>8s} | {'ours X':>8s} {'dot X':>8s} {'ours/dot':>8s}"
    )
    print(header)
    print("-" * len(header))
    for (name, rec, big), (t_ours, x_ours), dot in zip(graphs, ours, dots, strict=True):
        g = rec.graph
        cells = [f"{name:31s} {g.number_of_nodes():6d} {g.number_of_edges():6d} |",
                 f"{t_ours:7.3f}"]
        if isinstance(dot, tuple):
            t_dot, drawing = dot
            x_dot = count_crossings(*drawing)
            if x_dot:
                ratio = f"{x_ours / x_dot:8.3f}"
            else:
                ratio = "   equal" if x_ours == 0 else "     inf"
            mark = "*" if big else " "
            cells += [f"{t_dot:7.3f}{mark}", f"{t_dot / t_ours:7.1f}x |", f"{x_ours:8d}",
                      f"{x_dot:8d}", ratio]
        elif isinstance(dot, str):  # dot ran out of time: it is at least that much slower
            cap = float(dot.split()[1])
            cells += [f"{dot:>8s}", f"{'> ' + format(cap / t_ours, '.0f') + 'x':>7s} |",
                      f"{x_ours:8d}", f"{'n/a':>8s}", f"{'':>8s}"]
        else:
            cells += [f"{'skipped':>8s}", f"{'':>8s} |", f"{x_ours:8d}", f"{'':>8s}", f"{'':>8s}"]
        print(" ".join(cells))
    if have_dot:
        print("* dot ran two graphs at once on the two cores; alone it is somewhat faster.")
        if not args.full:
            print(f"  dot is stopped after {DOT_CAP:.0f} s there; --full waits for its crossings.")
    print("X = edge crossings between consecutive layers, counted the same way for both.")
    return 0


if __name__ == "__main__":
    sys.exit(main())

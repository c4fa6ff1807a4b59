"""Properties of the layered layout that the canvas relies on (no Qt needed)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Hashable
from itertools import pairwise
from pathlib import Path

import networkx as nx
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gradviz.layout import (
    EdgeRoute,
    Layout,
    NodeBox,
    bezier_segments,
    count_crossings,
    layered_layout,
)

NODE_GAP = 24.0
LAYER_GAP = 56.0
EPS = 1e-6
ROOT = Path(__file__).resolve().parents[2]


# -- graphs --------------------------------------------------------------------------------------


class Tape:
    """Records a computation graph the way the engine does: tensor -> op -> tensor."""

    def __init__(self) -> None:
        self.graph = nx.MultiDiGraph()
        self.sizes: dict[Hashable, tuple[float, float]] = {}

    def _node(self, prefix: str, size: tuple[float, float]) -> str:
        name = f"{prefix}{len(self.sizes)}"
        self.graph.add_node(name)
        self.sizes[name] = size
        return name

    def tensor(self, width: float = 120.0) -> str:
        return self._node("t", (width, 36.0))

    def op(self, *inputs: str) -> str:
        node = self._node("op", (36.0, 36.0))
        for i in inputs:
            self.graph.add_edge(i, node)
        out = self.tensor(80.0 + 8 * (len(self.sizes) % 7))
        self.graph.add_edge(node, out)
        return out


def scalar_mlp(batch: int = 2) -> Tape:
    """A micrograd-style 2-3-1 MLP with a squared-error loss (``d * d``: parallel edges)."""
    t = Tape()
    layers = [
        [([t.tensor() for _ in range(2)], t.tensor()) for _ in range(3)],
        [([t.tensor() for _ in range(3)], t.tensor())],
    ]
    total = t.tensor()
    for _ in range(batch):
        act = [t.tensor(), t.tensor()]
        for layer in layers:
            out = []
            for w, b in layer:
                s = b
                for wi, xi in zip(w, act, strict=True):
                    s = t.op(s, t.op(wi, xi))
                out.append(t.op(s))
            act = out
        d = t.op(act[0], t.tensor())
        total = t.op(total, t.op(d, d))
    return t


def tensor_mlp() -> Tape:
    """Two-layer tensor MLP with cross-entropy spelled out as log-softmax and NLL."""
    t = Tape()
    x, w1, b1, w2, b2, y = (t.tensor() for _ in range(6))
    logits = t.op(t.op(t.op(t.op(t.op(x, w1), b1)), w2), b2)
    shifted = t.op(logits, t.op(logits))
    logp = t.op(shifted, t.op(t.op(t.op(shifted))))
    t.op(t.op(t.op(logp, y)))
    return t


def unit_sizes(graph: nx.Graph, w: float = 40.0, h: float = 30.0) -> dict:
    return {v: (w, h) for v in graph.nodes}


def lay(graph: nx.Graph, sizes: dict | None = None, direction: str = "TB") -> Layout:
    return layered_layout(graph, sizes or unit_sizes(graph), direction, NODE_GAP, LAYER_GAP)


def crossings(layout: Layout, direction: str = "TB") -> int:
    centres = {n: (b.x, b.y) for n, b in layout.nodes.items()}
    edges = [(e.source, e.target, e.points) for e in layout.edges]
    return count_crossings(centres, edges, direction)


@st.composite
def dags(draw: st.DrawFn, max_nodes: int = 18) -> tuple[nx.MultiDiGraph, dict]:
    """Random multigraph DAGs (edges go from lower to higher index) with random box sizes."""
    n = draw(st.integers(1, max_nodes))
    g = nx.MultiDiGraph()
    g.add_nodes_from(range(n))
    if n > 1:
        index = st.integers(0, n - 1)
        pairs = draw(st.lists(st.tuples(index, index), max_size=3 * n))
        for a, b in pairs:
            if a != b:
                g.add_edge(min(a, b), max(a, b))
    widths = st.sampled_from([20.0, 36.0, 90.0, 150.0])
    heights = st.sampled_from([20.0, 36.0, 60.0])
    sizes = {v: (draw(widths), draw(heights)) for v in range(n)}
    return g, sizes


# -- checks --------------------------------------------------------------------------------------


def assert_no_overlap(layout: Layout, direction: str = "TB") -> None:
    """Boxes keep ``node_gap`` apart within a layer and ``layer_gap`` across layers."""
    boxes = list(layout.nodes.values())
    if len(boxes) < 2:
        return
    left = np.array([b.left for b in boxes])
    right = np.array([b.right for b in boxes])
    top = np.array([b.top for b in boxes])
    bottom = np.array([b.bottom for b in boxes])
    gap_x = np.maximum(left[None, :] - right[:, None], left[:, None] - right[None, :])
    gap_y = np.maximum(top[None, :] - bottom[:, None], top[:, None] - bottom[None, :])
    along, across = (gap_x, gap_y) if direction == "TB" else (gap_y, gap_x)
    ok = (along >= NODE_GAP - EPS) | (across >= LAYER_GAP - EPS)
    np.fill_diagonal(ok, True)
    assert ok.all()


def on_border(p: tuple[float, float], b: NodeBox) -> bool:
    x, y = p
    inside = b.left - EPS <= x <= b.right + EPS and b.top - EPS <= y <= b.bottom + EPS
    edge = min(abs(x - b.left), abs(x - b.right), abs(y - b.top), abs(y - b.bottom)) <= EPS
    return inside and edge


def assert_endpoints_on_borders(layout: Layout) -> None:
    for e in layout.edges:
        assert len(e.points) >= 2
        assert on_border(e.points[0], layout.nodes[e.source]), e
        assert on_border(e.points[-1], layout.nodes[e.target]), e


def curve_samples(points: list[tuple[float, float]], direction: str) -> np.ndarray:
    """Points along the drawn curve: the cubic pieces of :func:`bezier_segments`."""
    t = np.linspace(0.0, 1.0, 17)[:, None]
    out = []
    for p0, c1, c2, p3 in bezier_segments(points, direction):
        a, b, c, d = (np.array(q) for q in (p0, c1, c2, p3))
        out.append((1 - t) ** 3 * a + 3 * (1 - t) ** 2 * t * b + 3 * (1 - t) * t * t * c
                   + t**3 * d)
    return np.concatenate(out) if out else np.zeros((0, 2))


def polyline_samples(points: list[tuple[float, float]]) -> np.ndarray:
    t = np.linspace(0.0, 1.0, 17)[:, None]
    segs = [(1 - t) * np.array(a) + t * np.array(b) for a, b in pairwise(points)]
    return np.concatenate(segs) if segs else np.zeros((0, 2))


def assert_routes_avoid_nodes(layout: Layout, direction: str = "TB") -> None:
    """Neither the polyline nor the drawn curve enters any node box; a route only touches
    the borders of its own ends."""
    boxes = np.array([(b.left, b.top, b.right, b.bottom) for b in layout.nodes.values()])
    if len(boxes) == 0:
        return
    for e in layout.edges:
        for pts in (polyline_samples(e.points), curve_samples(e.points, direction)):
            if len(pts) == 0:
                continue
            x, y = pts[:, :1], pts[:, 1:]
            inside = ((x > boxes[:, 0] + 1e-3) & (x < boxes[:, 2] - 1e-3)
                      & (y > boxes[:, 1] + 1e-3) & (y < boxes[:, 3] - 1e-3))
            assert not inside.any(), e


def assert_monotone(layout: Layout, direction: str = "TB") -> None:
    """Along every edge the layer coordinate grows: targets sit in later layers."""
    k = 1 if direction == "TB" else 0
    for e in layout.edges:
        s, t = layout.nodes[e.source], layout.nodes[e.target]
        assert (s.x, s.y)[k] < (t.x, t.y)[k], e
        coords = [p[k] for p in e.points]
        assert all(b >= a - EPS for a, b in pairwise(coords)), e


def assert_in_canvas(layout: Layout) -> None:
    """The bounding box starts at (0, 0) and ``width``/``height`` are its extent."""
    xs = [v for b in layout.nodes.values() for v in (b.left, b.right)]
    ys = [v for b in layout.nodes.values() for v in (b.top, b.bottom)]
    xs += [p[0] for e in layout.edges for p in e.points]
    ys += [p[1] for e in layout.edges for p in e.points]
    assert min(xs) == pytest.approx(0.0, abs=EPS) and min(ys) == pytest.approx(0.0, abs=EPS)
    assert max(xs) == pytest.approx(layout.width) and max(ys) == pytest.approx(layout.height)


def assert_sound(layout: Layout, direction: str = "TB", dag: bool = True) -> None:
    assert_no_overlap(layout, direction)
    assert_endpoints_on_borders(layout)
    assert_routes_avoid_nodes(layout, direction)
    assert_in_canvas(layout)
    if dag:
        assert_monotone(layout, direction)


# -- tests ---------------------------------------------------------------------------------------


def test_empty_graph() -> None:
    assert lay(nx.MultiDiGraph()) == Layout({}, [], 0.0, 0.0)


@pytest.mark.parametrize("direction", ["TB", "LR"])
def test_single_node(direction: str) -> None:
    g = nx.DiGraph()
    g.add_node("x")
    layout = layered_layout(g, {"x": (100.0, 40.0)}, direction)
    assert layout.nodes == {"x": NodeBox(50.0, 20.0, 100.0, 40.0)}
    assert layout.edges == []
    assert (layout.width, layout.height) == (100.0, 40.0)


@pytest.mark.parametrize("direction", ["TB", "LR"])
@pytest.mark.parametrize("make", [scalar_mlp, tensor_mlp])
def test_computation_graphs_are_sound(make, direction: str) -> None:
    tape = make()
    layout = lay(tape.graph, tape.sizes, direction)
    assert list(layout.nodes) == list(tape.graph.nodes)
    assert [(e.source, e.target, e.key) for e in layout.edges] == list(
        tape.graph.edges(keys=True)
    )
    assert all(isinstance(e, EdgeRoute) for e in layout.edges)
    assert_sound(layout, direction)


def test_inputs_first_and_loss_last() -> None:
    tape = scalar_mlp()
    layout = lay(tape.graph, tape.sizes)
    (loss,) = [v for v in tape.graph if tape.graph.out_degree(v) == 0]
    assert layout.nodes[loss].y == max(b.y for b in layout.nodes.values())


def test_side_results_end_with_the_loss() -> None:
    """A metric computed from the logits is an output too: it sits in the loss's layer."""
    tape = tensor_mlp()
    loss = next(v for v in tape.graph if tape.graph.out_degree(v) == 0)
    logits = next(iter(tape.graph.predecessors(next(iter(tape.graph.predecessors(loss))))))
    metric = tape.op(tape.op(logits))
    layout = lay(tape.graph, tape.sizes)
    assert layout.nodes[metric].y == layout.nodes[loss].y
    assert_sound(layout)


@pytest.mark.parametrize("direction", ["TB", "LR"])
def test_tensor_mlp_has_no_crossings(direction: str) -> None:
    tape = tensor_mlp()
    assert crossings(lay(tape.graph, tape.sizes, direction), direction) == 0


@pytest.mark.parametrize("direction", ["TB", "LR"])
def test_parallel_edges_get_distinct_routes(direction: str) -> None:
    g = nx.MultiDiGraph()
    g.add_edge("x", "mul")
    g.add_edge("x", "mul")
    g.add_edge("mul", "y")
    layout = lay(g, {"x": (80, 36), "mul": (36, 36), "y": (80, 36)}, direction)
    a, b = (e for e in layout.edges if e.target == "mul")
    assert (a.key, b.key) == (0, 1)
    pa = curve_samples(a.points, direction)
    pb = curve_samples(b.points, direction)
    gap = np.linalg.norm(pa[:, None, :] - pb[None, :, :], axis=2).min()
    assert gap >= 4.0, "parallel edges must be visibly apart"
    assert_sound(layout, direction)


def test_long_parallel_edges_stay_apart() -> None:
    g = nx.MultiDiGraph()
    nx.add_path(g, ["a", "b", "c", "d"])
    g.add_edge("a", "d")
    g.add_edge("a", "d")
    layout = lay(g)
    first, second = (e for e in layout.edges if (e.source, e.target) == ("a", "d"))
    pa = curve_samples(first.points, "TB")
    pb = curve_samples(second.points, "TB")
    assert np.linalg.norm(pa[:, None, :] - pb[None, :, :], axis=2).min() >= 4.0
    assert_sound(layout)


def test_digraph_accepted() -> None:
    g = nx.DiGraph([("a", "b"), ("a", "c"), ("b", "d"), ("c", "d")])
    layout = lay(g)
    assert all(e.key == 0 for e in layout.edges)
    assert crossings(layout) == 0
    assert_sound(layout)


def test_deterministic() -> None:
    tape = scalar_mlp(3)
    assert lay(tape.graph, tape.sizes) == lay(tape.graph, tape.sizes)


def test_deterministic_across_processes() -> None:
    """String hashing is salted per process; the layout must not depend on it."""
    code = (
        "import hashlib, sys; sys.path.insert(0, 'tests/gradviz');"
        "from test_layout import scalar_mlp, lay;"
        "t = scalar_mlp(2);"
        "print(hashlib.sha256(repr(lay(t.graph, t.sizes)).encode()).hexdigest())"
    )
    digests = set()
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        out = subprocess.run(
            [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
            check=True,
        )
        digests.add(out.stdout.strip())
    assert len(digests) == 1


@pytest.mark.parametrize("seed", range(6))
def test_trees_have_no_crossings(seed: int) -> None:
    tree = nx.random_labeled_tree(25, seed=seed)
    out_tree = nx.bfs_tree(tree, 0)
    for g in (out_tree, out_tree.reverse()):
        layout = lay(nx.MultiDiGraph(g))
        assert crossings(layout) == 0
        assert_sound(layout)


def test_known_planar_graphs_have_no_crossings() -> None:
    diamond = nx.MultiDiGraph([("a", "b"), ("a", "c"), ("b", "d"), ("c", "d")])
    ladder = nx.MultiDiGraph(
        [(f"l{i}", f"l{i + 1}") for i in range(5)]
        + [(f"r{i}", f"r{i + 1}") for i in range(5)]
        + [(f"l{i}", f"r{i + 1}") for i in range(5)]
    )
    for g in (diamond, ladder):
        assert crossings(lay(g)) == 0


@pytest.mark.parametrize("direction", ["TB", "LR"])
def test_cycles_do_not_crash(direction: str) -> None:
    g = nx.MultiDiGraph([("a", "b"), ("b", "c"), ("c", "a"), ("c", "d"), ("d", "b")])
    layout = lay(g, direction=direction)
    assert len(layout.edges) == 5
    assert_sound(layout, direction, dag=False)


def test_self_loops_do_not_crash() -> None:
    g = nx.MultiDiGraph([("a", "a"), ("a", "b"), ("a", "a")])
    layout = lay(g)
    loops = [e for e in layout.edges if e.source == e.target]
    assert len(loops) == 2 and loops[0].points != loops[1].points
    assert_sound(layout, dag=False)


def test_disconnected_components() -> None:
    g = nx.MultiDiGraph([("a", "b"), ("c", "d"), ("d", "e")])
    g.add_node("lonely")
    layout = lay(g)
    assert crossings(layout) == 0
    assert_sound(layout)


def test_missing_size_is_an_error() -> None:
    with pytest.raises(KeyError):
        layered_layout(nx.DiGraph([("a", "b")]), {"a": (10, 10)})


def test_bad_direction_is_an_error() -> None:
    with pytest.raises(ValueError):
        layered_layout(nx.DiGraph(), {}, direction="BT")


def test_bezier_segments_follow_the_layer_axis() -> None:
    (seg,) = bezier_segments([(0.0, 0.0), (10.0, 20.0)], "TB")
    assert seg == ((0.0, 0.0), (0.0, 10.0), (10.0, 10.0), (10.0, 20.0))
    (seg,) = bezier_segments([(0.0, 0.0), (20.0, 10.0)], "LR")
    assert seg == ((0.0, 0.0), (10.0, 0.0), (10.0, 10.0), (20.0, 10.0))


def test_count_crossings_counts_an_x() -> None:
    centres = {"a": (0.0, 0.0), "b": (10.0, 0.0), "c": (0.0, 10.0), "d": (10.0, 10.0)}
    assert count_crossings(centres, [("a", "d", []), ("b", "c", [])]) == 1
    assert count_crossings(centres, [("a", "c", []), ("b", "d", [])]) == 0
    assert count_crossings(centres, [("a", "c", []), ("a", "d", [])]) == 0


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(dags(), st.sampled_from(["TB", "LR"]))
def test_random_dags_are_sound(case: tuple[nx.MultiDiGraph, dict], direction: str) -> None:
    g, sizes = case
    layout = layered_layout(g, sizes, direction, NODE_GAP, LAYER_GAP)
    assert len(layout.edges) == g.number_of_edges()
    assert_sound(layout, direction)
    assert layout == layered_layout(g, sizes, direction, NODE_GAP, LAYER_GAP)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(dags(max_nodes=12))
def test_random_graphs_with_back_edges(case: tuple[nx.MultiDiGraph, dict]) -> None:
    g, sizes = case
    nodes = list(g.nodes)
    if len(nodes) > 1:
        g.add_edge(nodes[-1], nodes[0])
    layout = layered_layout(g, sizes)
    assert len(layout.edges) == g.number_of_edges()
    assert_sound(layout, dag=False)


@pytest.mark.parametrize("direction", ["TB", "LR"])
def test_a_layout_reads_in_the_order_the_nodes_were_made(direction: str, qapp: object) -> None:
    """Of a drawing and its mirror image (the same crossings), the one where what was made
    first comes first: the training loop's three passes, first pass first."""
    from gradviz.canvas.build import compute_layout
    from gradviz.canvas.style import Style
    from gradviz.graph.model import GraphModel
    from gradviz.resources import resources_dir
    from gradviz.script import run_script

    path = resources_dir() / "examples" / "sgd_training_loop.py"
    model = GraphModel(run_script(path.read_text(encoding="utf-8"), str(path)))
    layout = compute_layout(model, Style(), direction)
    losses = [k for k, n in model.nodes.items() if n.label == "loss"]  # in the order made
    along = [layout.nodes[k].x if direction == "TB" else layout.nodes[k].y for k in losses]
    assert len(losses) == 3 and along == sorted(along)

"""engine.trace: the graph the viewer draws."""

from __future__ import annotations

import networkx as nx

import engine


def test_x_times_x_has_two_edges_into_the_op() -> None:
    x = engine.tensor(2.0, requires_grad=True)
    x.name = "x"
    y = x * x
    graph = engine.trace(y)
    assert isinstance(graph, nx.DiGraph)
    kinds = nx.get_node_attributes(graph, "kind")
    assert sorted(kinds.values()) == ["op", "tensor", "tensor"]
    (op,) = [n for n, k in kinds.items() if k == "op"]
    (x_key,) = [n for n, d in graph.nodes(data=True) if d.get("label") == "x"]
    assert graph.number_of_edges(x_key, op) == 2
    assert graph.nodes[op]["grad_fn"] == "MulBackward0"


def test_node_attributes_describe_tensors() -> None:
    w = engine.ones(2, 3, requires_grad=True)
    c = engine.tensor([1.0, 2.0, 3.0])
    y = (w * c).sum()
    graph = engine.trace(y)
    tensors = [d for _, d in graph.nodes(data=True) if d["kind"] == "tensor"]
    by_obj = {id(d["obj"]): d for d in tensors}
    assert by_obj[id(w)]["shape"] == (2, 3)
    assert by_obj[id(w)]["is_leaf"] and by_obj[id(w)]["requires_grad"]
    assert not by_obj[id(c)]["requires_grad"]
    assert by_obj[id(y)]["dtype"] == "float32" and not by_obj[id(y)]["is_leaf"]
    assert nx.is_directed_acyclic_graph(graph)


def test_trace_is_deterministic_and_in_creation_order() -> None:
    def build() -> engine.Tensor:
        a = engine.tensor(1.0, requires_grad=True)
        b = engine.tensor(2.0, requires_grad=True)
        return ((a * b) + a.exp()).tanh()

    first, second = engine.trace(build()), engine.trace(build())
    assert list(first.nodes) == list(second.nodes)
    assert list(first.edges(keys=True)) == list(second.edges(keys=True))
    ops = [d["grad_fn"] for _, d in first.nodes(data=True) if d["kind"] == "op"]
    assert ops == ["MulBackward0", "ExpBackward0", "AddBackward0", "TanhBackward0"]


def test_several_roots_share_one_graph() -> None:
    x = engine.tensor(1.0, requires_grad=True)
    graph = engine.trace([x * 2, x * 3])
    tensors = [n for n, d in graph.nodes(data=True) if d["kind"] == "tensor"]
    assert len(tensors) == 3


def test_a_tensor_written_in_place_has_a_card_per_version() -> None:
    """`b.mul_(3)` and `b[0] = v` write into b: each write reads the card of the version
    before it (showing that version's values) and makes a card for the version after, so the
    graph has no cycle; the result an in-place op computed before writing it into b leaves
    no card of its own."""
    x = engine.tensor([1.0, 2.0], requires_grad=True)
    made: list[engine.Tensor] = []
    b = x * 2
    b.name = "b"
    made.append(b)
    with engine.hooks.on_tensor_created(made.append):  # as the script runner collects them
        b.mul_(3)
        b[0] = x[1] * 5
    graph = engine.trace(made)
    assert nx.is_directed_acyclic_graph(graph)
    versions = [d for _, d in graph.nodes(data=True) if d.get("label") == "b"]
    assert [d["obj"].tolist() for d in versions] == [[2.0, 4.0], [6.0, 12.0], [10.0, 12.0]]
    assert [d["obj"].grad_fn.name() for d in versions] == [
        "MulBackward0", "MulBackward0", "torch::autograd::CopySlices"]
    ops = sorted(d["grad_fn"] for _, d in graph.nodes(data=True) if d["kind"] == "op")
    assert ops == ["MulBackward0", "MulBackward0", "MulBackward0", "SelectBackward0",
                   "torch::autograd::CopySlices"]
    drawn = [k for k, d in graph.nodes(data=True) if d["kind"] == "tensor" and graph.degree(k)]
    assert len(drawn) == 6  # x, x[1], x[1] * 5 and b's three versions


def test_a_leaf_written_into_starts_as_a_constant_card() -> None:
    x = engine.tensor([1.0, 2.0], requires_grad=True)
    out = engine.zeros(2)
    out.name = "out"
    out[1] = x[0] * 2
    graph = engine.trace(out)
    first, last = [d for _, d in graph.nodes(data=True) if d.get("label") == "out"]
    assert first["is_leaf"] and not first["requires_grad"] and first["obj"].tolist() == [0, 0]
    assert not last["is_leaf"] and last["obj"].tolist() == [0.0, 2.0]

"""The graph a viewer draws: tensor nodes and op nodes, one edge per use of a tensor."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import numpy as np

from engine.node import Node
from engine.tensor import Tensor

if TYPE_CHECKING:
    import networkx as nx


def _tensor_attrs(t: Tensor, index: int) -> dict:
    return {
        "kind": "tensor",
        "label": t.name or f"t{index}",
        "shape": tuple(t._data.shape),
        "dtype": t.dtype.name,
        "is_leaf": t._grad_fn is None,
        "requires_grad": t._requires_grad,
        "obj": t,
        "source": getattr(t, "source", None),  # where this version was made, if known
    }


def _show_version(graph: nx.MultiDiGraph, key: str, before: Tensor) -> None:
    """Let the card `key` show `before` (a tensor's values at that version), keeping where
    that version was made."""
    data = graph.nodes[key]
    attrs = _tensor_attrs(before, int(key.partition(":")[2]))
    attrs["source"] = data.get("source", attrs["source"])
    data.update(attrs)


def _version(values: Any, of: Tensor, producer: Node | None) -> Tensor:
    """A stand-in for an earlier version of `of`: those values, its name and source, and the
    grad_fn that made that version (None for a leaf)."""
    from engine.apply import new_tensor

    before = new_tensor(values)
    before.name = of.name
    before.source = getattr(of, "source", None)
    if producer is not None:
        before._grad_fn = producer
        before._requires_grad = True
    return before


def _snapshot(t: Tensor, node: Node, position: int, producer: Node | None) -> Tensor:
    """`t` as it was before `node` wrote into it: the values the node kept."""
    return _version(node.args[position], t, producer)


def _view_before(view: Tensor, relink: Node, producer: Node | None) -> Tensor | None:
    """A view as it was before a write into the tensor it views (`relink` re-linked it after
    that write): its places in that tensor's values before the write, as the write kept them."""
    writer = (relink.params or {}).get("after")
    if writer is None or not writer.args:
        return None
    old = np.asarray(writer.args[0]).reshape(-1)[relink.params["places"]]
    return _version(old.reshape(relink.params["shape"]), view, producer)


def trace(roots: Tensor | Iterable[Tensor]) -> nx.MultiDiGraph:
    """Everything `roots` were computed from, in creation order (so layouts are stable).

    Keys are `"tensor:N"` and `"op:N"`; edges run input tensor → op (key = the input's position)
    and op → output tensor. A MultiDiGraph is a DiGraph that allows the two edges of `x * x`.
    """
    import networkx as nx  # imported here: the app starts faster without it

    roots = [roots] if isinstance(roots, Tensor) else list(roots)
    # The result an in-place op computed before writing it into its target is not a tensor
    # of the graph: the target took its place (`b.mul_(3)` makes b the op's output).
    roots = [r for r in roots if r._grad_fn is None or (
        r._grad_fn.output is r and r._grad_fn.spec.name != "as_strided")]
    nodes: set[Node] = set()
    stack = [r._grad_fn for r in roots if r._grad_fn is not None]
    while stack:
        node = stack.pop()
        if node in nodes:
            continue
        nodes.add(node)
        stack.extend(nxt for nxt in node.next if type(nxt) is Node)
        stack.extend(t._grad_fn for t in node.inputs
                     if t is not None and t._grad_fn is not None and t._grad_fn not in nodes)
    graph = nx.MultiDiGraph()
    keys: dict[int, str] = {}  # the card of each tensor's latest version met so far
    producers: dict[str, Node] = {}  # the op that made each card's version

    count = [0]

    def card(t: Tensor) -> str:
        key = f"tensor:{count[0]}"
        graph.add_node(key, **_tensor_attrs(t, count[0]))
        count[0] += 1
        return key

    def tensor_key(t: Tensor) -> str:
        key = keys.get(id(t))
        if key is None:
            key = keys[id(t)] = card(t)
        return key

    # Nodes in creation order. An op that writes into a tensor it reads (`b.mul_(3)`,
    # `b[0] = v`) reads the card of the version before the write, which now shows that
    # version's values, and makes a new card for the version after: the ops after it read
    # that one. So the graph has no cycle, and each card shows its own version.
    for number, node in enumerate(sorted(nodes, key=lambda n: n.seq)):
        op_key = f"op:{number}"
        graph.add_node(op_key, kind="op", label=node.spec.symbol, op=node.spec.name,
                       grad_fn=node.spec.grad_fn, obj=node)
        output = node.output
        for position, t in enumerate(node.inputs):
            if t is None:
                continue
            key = tensor_key(t)
            if t is output:
                before = _snapshot(t, node, position, producers.get(key))
                _show_version(graph, key, before)
            graph.add_edge(key, op_key, key=position)
        previous = keys.get(id(output))
        if previous is not None:  # a new version of a tensor already drawn
            if not any(t is output for t in node.inputs):  # a view re-linked after a write
                before = _view_before(output, node, producers.get(previous))
                if before is not None:
                    _show_version(graph, previous, before)
            keys[id(output)] = card(output)
            made = getattr(node, "made", None)  # the write, not the tensor's creation
            if getattr(made, "source", None) is not None:
                graph.nodes[keys[id(output)]]["source"] = made.source
        key = tensor_key(output)
        producers[key] = node
        graph.add_edge(op_key, key, key=0)
    for root in roots:
        tensor_key(root)
    return graph

"""Layer assignment: which row (TB) or column (LR) each node sits in."""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence


def topological_order(n: int, succ: Sequence[Sequence[int]], indeg: Sequence[int]) -> list[int]:
    """Kahn's order, ties by node index, so equal inputs give equal layouts."""
    remaining = list(indeg)
    queue = deque(v for v in range(n) if remaining[v] == 0)
    order: list[int] = []
    while queue:
        v = queue.popleft()
        order.append(v)
        for w in succ[v]:
            remaining[w] -= 1
            if remaining[w] == 0:
                queue.append(w)
    return order


def assign_layers(n: int, edges: Sequence[tuple[int, int]], max_rounds: int = 8) -> list[int]:
    """Layers for an acyclic multigraph with every edge pointing to a higher layer.

    Longest path from the sources puts inputs first; every sink that has an input then moves to
    the last layer, so the graph's outputs (the loss) end the drawing. Nodes are then pulled
    toward whichever side has more of their edges (sources down to just above their first use,
    say), which shortens edges and so saves dummy nodes and crossings; moves that keep a node
    inside the gap left by its neighbours never break the layering.
    """
    succ: list[list[int]] = [[] for _ in range(n)]
    pred: list[list[int]] = [[] for _ in range(n)]
    for u, v in edges:
        succ[u].append(v)
        pred[v].append(u)
    order = topological_order(n, succ, [len(p) for p in pred])
    if len(order) != n:
        raise ValueError("assign_layers needs an acyclic graph")
    layer = [0] * n
    for v in order:
        lv = layer[v] + 1
        for w in succ[v]:
            if layer[w] < lv:
                layer[w] = lv
    last = max(layer, default=0)
    for v in range(n):
        if pred[v] and not succ[v]:
            layer[v] = last

    down = [v for v in reversed(order) if len(succ[v]) > len(pred[v])]
    up = [v for v in order if succ[v] and pred[v] and len(pred[v]) > len(succ[v])]
    for _ in range(max_rounds):
        changed = False
        for v in down:
            target = min(layer[w] for w in succ[v]) - 1
            if target > layer[v]:
                layer[v] = target
                changed = True
        for v in up:
            target = max(layer[u] for u in pred[v]) + 1
            if target < layer[v]:
                layer[v] = target
                changed = True
        if not changed:
            break

    used = sorted(set(layer))
    if used and used[-1] != len(used) - 1:
        renumber = {old: new for new, old in enumerate(used)}
        layer = [renumber[lv] for lv in layer]
    return layer

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


def _compact(
    layer: list[int],
    order: list[int],
    succ: list[list[int]],
    pred: list[list[int]],
    free_sources: bool,
    max_rounds: int,
) -> None:
    """Pull nodes toward the side with more edges, in place, keeping every edge pointing down.

    With ``free_sources`` a node counts only in-edges from non-sources when deciding to move
    down (sources follow their successors afterwards), and nodes with as many edges on each
    side move down too: this lets a whole ``w * x`` product sink to where it is summed,
    which single-node moves cannot see.
    """
    source = [not p for p in pred]
    if free_sources:
        down = [
            v for v in reversed(order)
            if succ[v] and len(succ[v]) >= sum(1 for u in pred[v] if not source[u])
        ]
    else:
        down = [v for v in reversed(order) if len(succ[v]) > len(pred[v])]
    up = [v for v in order if succ[v] and pred[v] and len(pred[v]) > len(succ[v])]
    sources = [v for v in reversed(order) if source[v] and succ[v]] if free_sources else []
    for _ in range(max_rounds):
        changed = False
        for group, lower in ((down, True), (up, False), (sources, True)):
            for v in group:
                if lower:
                    target = min([layer[w] for w in succ[v]]) - 1
                    if target > layer[v]:
                        layer[v] = target
                        changed = True
                else:
                    target = max([layer[u] for u in pred[v]]) + 1
                    if target < layer[v]:
                        layer[v] = target
                        changed = True
        if not changed:
            break


def assign_layers(n: int, edges: Sequence[tuple[int, int]], max_rounds: int = 8) -> list[int]:
    """Layers for an acyclic multigraph with every edge pointing to a higher layer.

    Longest path from the sources puts inputs first; every sink that has an input then moves to
    the last layer, so the graph's outputs (the loss, metrics) end the drawing. Nodes are then
    pulled toward whichever side has more of their edges (sources down to just above their
    first use, say), which shortens edges and so saves dummy nodes, width and crossings. Two
    variants of that pull run and the one with the shorter total edge length wins; on
    computation graphs it matches the optimum that dot's network simplex finds.

    Only when sending the sinks to the end would more than double the total edge length (a
    graph with many dangling results) do they stay just below their inputs instead.
    """
    succ: list[list[int]] = [[] for _ in range(n)]
    pred: list[list[int]] = [[] for _ in range(n)]
    for u, v in edges:
        succ[u].append(v)
        pred[v].append(u)
    order = topological_order(n, succ, [len(p) for p in pred])
    if len(order) != n:
        raise ValueError("assign_layers needs an acyclic graph")
    longest = [0] * n
    for v in order:
        lv = longest[v] + 1
        for w in succ[v]:
            if longest[w] < lv:
                longest[w] = lv
    last = max(longest, default=0)
    pinned = [last if pred[v] and not succ[v] else lv for v, lv in enumerate(longest)]

    def shortest(start: list[int]) -> tuple[list[int], int]:
        best: list[int] = []
        best_len = -1
        for free_sources in (False, True):
            layer = list(start)
            _compact(layer, order, succ, pred, free_sources, max_rounds)
            length = sum(layer[v] - layer[u] for u, v in edges)
            if best_len < 0 or length < best_len:
                best, best_len = layer, length
        return best, best_len

    best, length = shortest(pinned)
    if pinned != longest:
        loose, loose_length = shortest(longest)
        if length > 2 * loose_length:
            best = loose

    used = sorted(set(best))
    if used and used[-1] != len(used) - 1:
        renumber = {old: new for new, old in enumerate(used)}
        best = [renumber[lv] for lv in best]
    return best

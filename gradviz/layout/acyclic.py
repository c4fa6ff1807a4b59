"""Cycle breaking: a layered drawing needs a DAG, and a computation graph should already be one,
so this only has to be cheap, deterministic and never fail."""

from __future__ import annotations

from collections.abc import Sequence


def back_edges(n: int, edges: Sequence[tuple[int, int]]) -> list[bool]:
    """Mark the edges to reverse: the back edges of a DFS in node order.

    Reversing every back edge of a depth-first search leaves a DAG; for a DAG nothing is marked.
    Self-loops are never marked (the caller draws them apart).
    """
    out: list[list[tuple[int, int]]] = [[] for _ in range(n)]
    for i, (u, v) in enumerate(edges):
        if u != v:
            out[u].append((v, i))
    state = [0] * n  # 0 unseen, 1 on the DFS stack, 2 finished
    marked = [False] * len(edges)
    for root in range(n):
        if state[root]:
            continue
        state[root] = 1
        stack = [(root, 0)]
        while stack:
            v, k = stack[-1]
            if k < len(out[v]):
                stack[-1] = (v, k + 1)
                w, i = out[v][k]
                if state[w] == 0:
                    state[w] = 1
                    stack.append((w, 0))
                elif state[w] == 1:
                    marked[i] = True
            else:
                state[v] = 2
                stack.pop()
    return marked

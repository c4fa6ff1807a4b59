"""Which cards of the graph each backward step joins, read off the graph's edges.

A tensor written in place (`b.mul_(3)`, `out[i] = v`) has one card per version in the trace,
so the tensor object a step names is not enough to find its card: the op's edges are.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import networkx as nx

StepKeys = tuple[str | None, str | None, str | None]


def step_keys(graph: nx.MultiDiGraph, steps: Sequence[Any]) -> list[StepKeys]:
    """Per step: (the card it delivers to, its op, the op's output card); None where the
    graph does not hold them."""
    ops = {id(data["obj"]): key for key, data in graph.nodes(data=True) if data["kind"] == "op"}
    found: list[StepKeys] = []
    for step in steps:
        op = ops.get(id(step.node))
        if op is None:
            found.append((None, None, None))
            continue
        into = {position: source for source, _, position in graph.in_edges(op, keys=True)}
        outputs = [target for _, target in graph.out_edges(op)]
        found.append((into.get(step.input_index), op, outputs[0] if outputs else None))
    return found

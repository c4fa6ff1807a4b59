"""The proper layered graph: every long edge split by dummy nodes so that all edges join
adjacent layers, which is what crossing minimisation and placement work on."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass
class ProperGraph:
    """Nodes ``0 .. n_real-1`` are the graph's own; the rest are dummies on long edges.

    ``chains[i]`` lists the nodes edge ``i`` passes through, from its upper to its lower end;
    ``up``/``down`` keep one entry per edge, so parallel edges weigh as much as they count.
    """

    n_real: int
    layer: list[int]
    up: list[list[int]]
    down: list[list[int]]
    chains: list[list[int]]

    @property
    def n(self) -> int:
        return len(self.layer)

    @property
    def n_layers(self) -> int:
        return max(self.layer, default=-1) + 1


def make_proper(n_real: int, layer: Sequence[int], edges: Sequence[tuple[int, int]]) -> ProperGraph:
    """Split each edge ``u -> v`` (with ``layer[u] < layer[v]``) into unit-length pieces."""
    layers = list(layer)
    up: list[list[int]] = [[] for _ in range(n_real)]
    down: list[list[int]] = [[] for _ in range(n_real)]
    chains: list[list[int]] = []
    for u, v in edges:
        chain = [u]
        prev = u
        for lv in range(layers[u] + 1, layers[v]):
            d = len(layers)
            layers.append(lv)
            up.append([prev])
            down.append([])
            down[prev].append(d)
            chain.append(d)
            prev = d
        down[prev].append(v)
        up[v].append(prev)
        chain.append(v)
        chains.append(chain)
    return ProperGraph(n_real, layers, up, down, chains)

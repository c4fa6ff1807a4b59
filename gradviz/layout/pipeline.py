"""`layered_layout`: the Sugiyama pipeline from a networkx graph to boxes and routes."""

from __future__ import annotations

from collections.abc import Hashable, Mapping

import networkx as nx
import numpy as np

from gradviz.layout.acyclic import back_edges
from gradviz.layout.layering import assign_layers
from gradviz.layout.model import EdgeRoute, Layout, NodeBox
from gradviz.layout.ordering import order_layers
from gradviz.layout.placement import place_along_layers, place_layers
from gradviz.layout.proper import make_proper
from gradviz.layout.routing import route_edges, route_self_loops

DIRECTIONS = ("TB", "LR")


def layered_layout(
    graph: nx.DiGraph | nx.MultiDiGraph,
    sizes: Mapping[Hashable, tuple[float, float]],
    direction: str = "TB",
    node_gap: float = 24.0,
    layer_gap: float = 56.0,
) -> Layout:
    """Lay out a computation graph in layers: inputs first, outputs last.

    ``sizes`` gives each node's (width, height). ``direction`` "TB" runs edges downwards, "LR"
    to the right. ``node_gap`` is the least room between neighbours in a layer, ``layer_gap``
    the room between layers (where edges bend). Parallel edges of a multigraph get separate
    routes; cycles are broken by drawing some edges against the flow. The same graph (same
    insertion order) always gives the same layout.
    """
    if direction not in DIRECTIONS:
        raise ValueError(f"direction must be one of {DIRECTIONS}, not {direction!r}")
    nodes = list(graph.nodes)
    n = len(nodes)
    if n == 0:
        return Layout({}, [], 0.0, 0.0)
    missing = [v for v in nodes if v not in sizes]
    if missing:
        raise KeyError(f"no size for {len(missing)} node(s), e.g. {missing[0]!r}")
    index = {v: i for i, v in enumerate(nodes)}
    wh = [(float(sizes[v][0]), float(sizes[v][1])) for v in nodes]
    # Work in a frame where layers stack downwards: "breadth" runs along a layer.
    if direction == "TB":
        breadth = [w for w, _ in wh]
        depth = [h for _, h in wh]
    else:
        breadth = [h for _, h in wh]
        depth = [w for w, _ in wh]

    if graph.is_multigraph():
        all_edges = [(u, v, k) for u, v, k in graph.edges(keys=True)]
    else:
        all_edges = [(u, v, 0) for u, v in graph.edges()]
    loops: dict[int, list[int]] = {}
    flow: list[int] = []  # indices into all_edges of the edges between distinct nodes
    pairs: list[tuple[int, int]] = []
    for i, (u, v, _) in enumerate(all_edges):
        iu, iv = index[u], index[v]
        if iu == iv:
            loops.setdefault(iu, []).append(i)
        else:
            flow.append(i)
            pairs.append((iu, iv))
    flipped = back_edges(n, pairs)
    oriented = [(b, a) if f else (a, b) for (a, b), f in zip(pairs, flipped, strict=True)]

    layer = assign_layers(n, oriented)
    proper = make_proper(n, layer, oriented)
    extra = proper.n - n
    reach = node_gap * 0.75
    room = [b + 2 * reach * (v in loops) for v, b in enumerate(breadth)]
    dummy = [False] * n + [True] * extra
    layers = order_layers(proper)
    xs = place_along_layers(
        layers, proper.up, proper.down, room + [0.0] * extra, dummy, node_gap, node_gap / 2
    )
    order, along = np.arange(n) - (n - 1) / 2, np.asarray(xs[:n], dtype=float)
    if float(np.dot(order, along - along.mean())) < 0:
        # The mirror image has the same crossings, and reads in the graph's own order (the
        # order its nodes were made): first things first, left to right or top to bottom.
        xs = [-x for x in xs]
    full_depth = depth + [0.0] * extra
    band_start, band_size = place_layers(layers, full_depth, layer_gap)
    routes = route_edges(
        proper.chains, proper.layer, xs, band_start, band_size,
        breadth + [0.0] * extra, full_depth, node_gap / 2,
    )

    centre_across = [band_start[lv] + band_size[lv] / 2 for lv in layer]
    paths: list[list[tuple[float, float]]] = [[] for _ in all_edges]
    for i, route, f in zip(flow, routes, flipped, strict=True):
        paths[i] = route[::-1] if f else route
    for v, idx in loops.items():
        drawn = route_self_loops(len(idx), xs[v], centre_across[v], breadth[v], depth[v], reach)
        for i, route in zip(idx, drawn, strict=True):
            paths[i] = route

    lo = min(min(xs[v] - breadth[v] / 2 for v in range(n)),
             min((p[0] for path in paths for p in path), default=float("inf")))
    hi = max(max(xs[v] + breadth[v] / 2 for v in range(n)),
             max((p[0] for path in paths for p in path), default=float("-inf")))
    extent_across = band_start[-1] + band_size[-1]

    def screen(a: float, c: float) -> tuple[float, float]:
        return (a - lo, c) if direction == "TB" else (c, a - lo)

    boxes = {}
    for v, node in enumerate(nodes):
        cx, cy = screen(xs[v], centre_across[v])
        boxes[node] = NodeBox(cx, cy, wh[v][0], wh[v][1])
    edges = [
        EdgeRoute(u, v, k, [screen(a, c) for a, c in path])
        for (u, v, k), path in zip(all_edges, paths, strict=True)
    ]
    width, height = (hi - lo, extent_across) if direction == "TB" else (extent_across, hi - lo)
    return Layout(boxes, edges, width, height)

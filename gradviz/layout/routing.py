"""Edge routes: control points from the source's border to the target's border.

Every route alternates between straight runs along the layer axis inside a layer band (below
its source, through each dummy's slot, above its target) and hops across the free gap between
two bands. Joined by :func:`bezier_segments`, each hop is an S-curve inside the box spanned by
its two points, so no curve can enter a node.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise

Point = tuple[float, float]
Bezier = tuple[Point, Point, Point, Point]


def bezier_segments(points: Sequence[Point], direction: str = "TB") -> list[Bezier]:
    """Cubic Bézier pieces (start, control, control, end) through ``points``.

    Tangents at every point follow the layer axis (vertical for "TB", horizontal for "LR"),
    which makes the curve smooth at the joints and keeps each piece inside the bounding box
    of its two end points.
    """
    out: list[Bezier] = []
    for (x0, y0), (x1, y1) in pairwise(points):
        if direction == "TB":
            h = (y1 - y0) / 2
            out.append(((x0, y0), (x0, y0 + h), (x1, y1 - h), (x1, y1)))
        else:
            h = (x1 - x0) / 2
            out.append(((x0, y0), (x0 + h, y0), (x1 - h, y1), (x1, y1)))
    return out


def _spread(count: int, breadth: float, gap: float) -> list[float]:
    """Offsets from the centre for ``count`` ports along a border of length ``breadth``."""
    if count == 1:
        return [0.0]
    usable = max(breadth - 2 * min(4.0, breadth / 4), 0.0)
    step = min(gap, usable / (count - 1))
    return [(i - (count - 1) / 2) * step for i in range(count)]


def route_edges(
    chains: Sequence[Sequence[int]],
    layer: Sequence[int],
    x: Sequence[float],
    band_start: Sequence[float],
    band_size: Sequence[float],
    breadth: Sequence[float],
    depth: Sequence[float],
    port_gap: float,
) -> list[list[Point]]:
    """Points (along-layer, across-layer) for each chain, from its upper to its lower end.

    The edges leaving a node through its lower border get ports spread along that border in
    the order of where they go next (so they do not cross at the node, and parallel edges
    keep apart); likewise for the edges entering through the upper border.
    """
    lower: dict[int, list[tuple[float, int]]] = {}
    upper: dict[int, list[tuple[float, int]]] = {}
    for i, chain in enumerate(chains):
        lower.setdefault(chain[0], []).append((x[chain[1]], i))
        upper.setdefault(chain[-1], []).append((x[chain[-2]], i))
    out_port = [0.0] * len(chains)
    in_port = [0.0] * len(chains)
    for ports, side in ((lower, out_port), (upper, in_port)):
        for v, items in ports.items():
            items.sort()
            for (_, i), off in zip(items, _spread(len(items), breadth[v], port_gap), strict=True):
                side[i] = x[v] + off
    routes: list[list[Point]] = []
    for i, chain in enumerate(chains):
        u, w = chain[0], chain[-1]
        lu, lw = layer[u], layer[w]
        pts: list[Point] = []
        pu = out_port[i]
        centre_u = band_start[lu] + band_size[lu] / 2
        pts.append((pu, centre_u + depth[u] / 2))
        pts.append((pu, band_start[lu] + band_size[lu]))
        for d in chain[1:-1]:
            ld = layer[d]
            pts.append((x[d], band_start[ld]))
            pts.append((x[d], band_start[ld] + band_size[ld]))
        pw = in_port[i]
        centre_w = band_start[lw] + band_size[lw] / 2
        pts.append((pw, band_start[lw]))
        pts.append((pw, centre_w - depth[w] / 2))
        routes.append([p for k, p in enumerate(pts) if k == 0 or p != pts[k - 1]])
    return routes


def route_self_loops(
    count: int, cx: float, cy: float, breadth: float, depth: float, reach: float
) -> list[list[Point]]:
    """Loops out of the node's far side and back, nested when there are several; the caller
    reserves ``reach`` of room on each side of the node."""
    loops = []
    right = cx + breadth / 2
    for k in range(count):
        r = reach * (k + 1) / count
        dy = depth / 4 * (k + 1) / count
        loops.append(
            [(right, cy - dy), (right + r, cy - dy), (right + r, cy + dy), (right, cy + dy)]
        )
    return loops

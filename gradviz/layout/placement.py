"""Coordinate assignment: where each node sits along its layer, and where each layer sits.

Along the layer this is Brandes–Köpf (as in dagre): four alignments of nodes with their median
neighbours into vertical blocks, each compacted left or right under the separation that the
real node widths demand, then the per-node average of the two middle candidates. Long edges
(chains of dummies) get priority, so they come out straight.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from itertools import pairwise


def _type1_conflicts(
    layers: list[list[int]], up: Sequence[Sequence[int]], dummy: Sequence[bool], pos: list[int]
) -> set[tuple[int, int]]:
    """Edges (upper, lower) that cross an inner segment (dummy to dummy); these must not be
    aligned, so a long edge stays straight instead of a short one."""
    conflicts: set[tuple[int, int]] = set()
    for i in range(1, len(layers)):
        layer = layers[i]
        k0 = 0
        scan = 0
        prev_len = len(layers[i - 1])
        last = len(layer) - 1
        for li, v in enumerate(layer):
            inner = None
            if dummy[v]:
                for u in up[v]:
                    if dummy[u]:
                        inner = u
            k1 = pos[inner] if inner is not None else prev_len
            if inner is not None or li == last:
                for w in layer[scan : li + 1]:
                    for u in up[w]:
                        pu = pos[u]
                        if (pu < k0 or k1 < pu) and not (dummy[u] and dummy[w]):
                            conflicts.add((u, w))
                scan = li + 1
                k0 = k1
    return conflicts


def _align(
    layers: list[list[int]],
    nbrs: Sequence[Sequence[int]],
    order_pos: list[int],
    conflicts: set[tuple[int, int]],
    downward: bool,
) -> list[int]:
    """Vertical alignment: each node joins the block of a median neighbour in the previous
    layer unless that would cross an alignment already made. Returns each node's block root.
    ``downward`` says the previous layer is the upper one (conflicts are (upper, lower))."""
    root = list(range(len(order_pos)))
    key = order_pos.__getitem__
    for layer in layers:
        prev = -1
        for v in layer:
            ws = nbrs[v]
            if not ws:
                continue
            if len(ws) > 1:
                ws = sorted(ws, key=key)
            d = len(ws)
            for m in range((d - 1) // 2, d // 2 + 1):
                w = ws[m]
                pw = order_pos[w]
                if prev < pw and ((w, v) if downward else (v, w)) not in conflicts:
                    root[v] = root[w]
                    prev = pw
                    break
    return root


def _compact(
    layers: list[list[int]],
    root: list[int],
    breadth: Sequence[float],
    dummy: Sequence[bool],
    node_gap: float,
    edge_gap: float,
) -> list[float]:
    """Place blocks as far left as their left neighbours allow, then pull each block right
    up to its right neighbours (so unconstrained blocks hug the drawing, not its left edge)."""
    n = len(root)
    succ: dict[int, dict[int, float]] = {}
    indeg = [0] * n
    for layer in layers:
        for a, b in pairwise(layer):
            ra, rb = root[a], root[b]
            s = (breadth[a] + breadth[b]) / 2 + (edge_gap if dummy[a] and dummy[b] else node_gap)
            out = succ.get(ra)
            if out is None:
                out = succ[ra] = {}
            old = out.get(rb)
            if old is None:
                out[rb] = s
                indeg[rb] += 1
            elif s > old:
                out[rb] = s
    queue = deque(v for v in range(n) if root[v] == v and indeg[v] == 0)
    topo: list[int] = []
    while queue:
        v = queue.popleft()
        topo.append(v)
        for w in succ.get(v, ()):
            indeg[w] -= 1
            if indeg[w] == 0:
                queue.append(w)
    x = [0.0] * n
    for v in topo:
        out = succ.get(v)
        if out:
            xv = x[v]
            for w, s in out.items():
                if x[w] < xv + s:
                    x[w] = xv + s
    for v in reversed(topo):
        out = succ.get(v)
        if out:
            limit = min([x[w] - s for w, s in out.items()])
            if limit > x[v]:
                x[v] = limit
    return [x[r] for r in root]


def place_along_layers(
    layers: list[list[int]],
    up: Sequence[Sequence[int]],
    down: Sequence[Sequence[int]],
    breadth: Sequence[float],
    dummy: Sequence[bool],
    node_gap: float,
    edge_gap: float,
) -> list[float]:
    """Centre coordinate of every node along its layer; neighbours in a layer are at least
    half their breadths plus ``node_gap`` apart (``edge_gap`` between two dummies)."""
    n = len(breadth)
    if n == 0:
        return []
    pos = [0] * n
    for layer in layers:
        for i, v in enumerate(layer):
            pos[v] = i
    conflicts = _type1_conflicts(layers, up, dummy, pos)
    results: list[list[float]] = []
    for downward in (True, False):
        base = layers if downward else layers[::-1]
        nbrs = up if downward else down
        for leftmost in (True, False):
            if leftmost:
                lay, order_pos = base, pos
            else:
                lay = [layer[::-1] for layer in base]
                order_pos = [0] * n
                for layer in lay:
                    for i, v in enumerate(layer):
                        order_pos[v] = i
            root = _align(lay, nbrs, order_pos, conflicts, downward)
            xs = _compact(lay, root, breadth, dummy, node_gap, edge_gap)
            results.append(xs if leftmost else [-x for x in xs])
    # Align the four to the narrowest (left ones by their left edge, right ones by their right
    # edge), then take the average of the two middle candidates for each node.
    spans = []
    for xs in results:
        lo = min([x - b / 2 for x, b in zip(xs, breadth, strict=True)])
        hi = max([x + b / 2 for x, b in zip(xs, breadth, strict=True)])
        spans.append((hi - lo, lo, hi))
    narrow = min(range(4), key=lambda i: spans[i][0])
    deltas = [
        spans[narrow][1] - spans[i][1] if i % 2 == 0 else spans[narrow][2] - spans[i][2]
        for i in range(4)
    ]
    out = []
    for a, b, c, d in zip(*results, strict=True):
        s = sorted((a + deltas[0], b + deltas[1], c + deltas[2], d + deltas[3]))
        out.append((s[1] + s[2]) / 2)
    return _shift_blocks(layers, up, down, breadth, dummy, out, node_gap, edge_gap)


def _weight(dummy_a: bool, dummy_b: bool) -> float:
    """dot's straightening weights: long edges (dummy to dummy) pull hardest."""
    return 8.0 if dummy_a and dummy_b else 2.0 if dummy_a or dummy_b else 1.0


def _straight_runs(n: int, up: Sequence[Sequence[int]], xs: Sequence[float]) -> list[int]:
    """Label each node with its run: nodes joined by vertical edges (union-find)."""
    parent = list(range(n))

    def find(a: int) -> int:
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    for v in range(n):
        for u in up[v]:
            if xs[u] == xs[v]:
                ra, rb = find(u), find(v)
                if ra != rb:
                    parent[max(ra, rb)] = min(ra, rb)
    return [find(v) for v in range(n)]


def _shift_blocks(
    layers: list[list[int]],
    up: Sequence[Sequence[int]],
    down: Sequence[Sequence[int]],
    breadth: Sequence[float],
    dummy: Sequence[bool],
    xs: list[float],
    node_gap: float,
    edge_gap: float,
    passes: int = 4,
) -> list[float]:
    """Slide each straight run of nodes, as a whole, toward the weighted median of its other
    neighbours as far as its layer neighbours allow.

    Averaging the four Brandes–Köpf candidates leaves slack; this spends it. Runs move rigidly,
    so straight edges stay straight, and a move is kept only if it shortens the weighted
    horizontal edge length (weights 1, 2, 8 for real-real, real-dummy, dummy-dummy, as dot).
    """
    n = len(xs)
    pos = [0] * n
    lay = [0] * n
    for j, layer in enumerate(layers):
        for i, v in enumerate(layer):
            pos[v] = i
            lay[v] = j

    def sep(a: int, b: int) -> float:
        return (breadth[a] + breadth[b]) / 2 + (edge_gap if dummy[a] and dummy[b] else node_gap)

    for _ in range(passes):
        block = _straight_runs(n, up, xs)
        blocks: dict[int, list[int]] = {}
        for v in range(n):
            blocks.setdefault(block[v], []).append(v)
        moved = False
        for root, members in blocks.items():
            lo, hi = float("-inf"), float("inf")
            offsets: list[tuple[float, float]] = []
            for m in members:
                layer = layers[lay[m]]
                i = pos[m]
                if i > 0:
                    lo = max(lo, xs[layer[i - 1]] + sep(layer[i - 1], m) - xs[m])
                if i + 1 < len(layer):
                    hi = min(hi, xs[layer[i + 1]] - sep(m, layer[i + 1]) - xs[m])
                for nbrs in (up[m], down[m]):
                    for u in nbrs:
                        if block[u] != root:
                            offsets.append((xs[u] - xs[m], _weight(dummy[u], dummy[m])))
            if not offsets or lo >= hi:
                continue
            offsets.sort()
            half = sum(w for _, w in offsets) / 2
            acc = 0.0
            median = offsets[-1][0]
            for d, w in offsets:
                acc += w
                if acc >= half:
                    median = d
                    break
            delta = min(max(median, lo), hi)
            if delta == 0.0:
                continue
            before = sum(w * abs(d) for d, w in offsets)
            after = sum(w * abs(d - delta) for d, w in offsets)
            if after < before - 1e-9:
                for m in members:
                    xs[m] += delta
                moved = True
        if not moved:
            break
    return xs


def place_layers(layers: list[list[int]], depth: Sequence[float], layer_gap: float
                 ) -> tuple[list[float], list[float]]:
    """Start and thickness of every layer band: as thick as its thickest node, ``layer_gap``
    between bands, so edges can run between bands without meeting a node."""
    starts: list[float] = []
    sizes: list[float] = []
    at = 0.0
    for layer in layers:
        size = max((depth[v] for v in layer), default=0.0)
        starts.append(at)
        sizes.append(size)
        at += size + layer_gap
    return starts, sizes

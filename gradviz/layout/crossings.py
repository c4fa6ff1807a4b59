"""Counting edge crossings between consecutive layers, vectorised so a whole graph is counted in
a handful of numpy calls (the ordering phase counts after every sweep)."""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence

import numpy as np


def count_inversions(values: np.ndarray) -> int:
    """Pairs ``i < j`` with ``values[i] > values[j]`` (non-negative ints), in O(n log n log V).

    Each inverted pair first differs at one bit with equal higher bits, the earlier value having
    the 1; so per bit we count, within groups of equal higher bits, the ones that precede each 0.
    """
    v = np.asarray(values, dtype=np.int64)
    if v.size < 2:
        return 0
    total = 0
    for b in range(int(v.max()).bit_length()):
        prefix = v >> (b + 1)
        bit = (v >> b) & 1
        order = np.argsort(prefix, kind="stable")
        p = prefix[order]
        bt = bit[order]
        ones = np.cumsum(bt)
        starts = np.flatnonzero(np.r_[True, p[1:] != p[:-1]])
        sizes = np.diff(np.r_[starts, p.size])
        before = ones - bt - np.repeat(ones[starts] - bt[starts], sizes)
        total += int(before[bt == 0].sum())
    return total


def count_segment_crossings(gap: np.ndarray, top: np.ndarray, bottom: np.ndarray) -> int:
    """Crossings among straight segments between consecutive levels.

    Segment ``i`` joins position ``top[i]`` on level ``gap[i]`` to ``bottom[i]`` on the next
    level. Two segments cross when their order flips strictly; a shared end is no crossing.
    """
    if len(gap) < 2:
        return 0
    gap = np.asarray(gap)
    _, top_rank = np.unique(np.asarray(top), return_inverse=True)
    _, bottom_rank = np.unique(np.asarray(bottom), return_inverse=True)
    order = np.lexsort((bottom_rank, top_rank, gap))
    span = int(bottom_rank.max()) + 1
    return count_inversions(gap[order].astype(np.int64) * span + bottom_rank[order])


def count_crossings(
    centres: Mapping[Hashable, tuple[float, float]],
    edges: Sequence[tuple[Hashable, Hashable, Sequence[tuple[float, float]]]],
    direction: str = "TB",
) -> int:
    """Crossings of a drawing, judged the same way for any layout engine.

    Levels are the distinct layer-axis coordinates of node centres. Each edge becomes the
    polyline centre(source), its points, centre(target); its cross-axis position is read where
    it meets every level it spans, and the straight pieces between consecutive levels are
    counted with :func:`count_segment_crossings`.
    """
    along = 1 if direction == "TB" else 0
    across = 1 - along
    level_of = {n: round(c[along], 3) for n, c in centres.items()}
    levels = np.array(sorted(set(level_of.values())), dtype=float)
    index = {lv: i for i, lv in enumerate(levels.tolist())}
    gaps: list[int] = []
    tops: list[float] = []
    bottoms: list[float] = []
    for source, target, points in edges:
        a, b = index[level_of[source]], index[level_of[target]]
        if a == b:
            continue
        line = [centres[source], *points, centres[target]]
        if a > b:
            a, b = b, a
            line.reverse()
        pos = np.array([p[along] for p in line], dtype=float)
        cross = np.array([p[across] for p in line], dtype=float)
        pos = np.maximum.accumulate(pos)
        xs = np.interp(levels[a : b + 1], pos, cross)
        xs[0], xs[-1] = line[0][across], line[-1][across]
        rounded = np.round(xs, 3).tolist()
        gaps.extend(range(a, b))
        tops.extend(rounded[:-1])
        bottoms.extend(rounded[1:])
    return count_segment_crossings(np.array(gaps), np.array(tops), np.array(bottoms))

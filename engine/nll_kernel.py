"""The sums of PyTorch's CPU nll_loss (nll_loss_out_frame in aten/src/ATen/native/LossNLL.cpp)
for its 'sum' and 'mean' reductions, in the kernel's order.

The kernel walks the batch once, keeping eight partial sums. Each kept row b subtracts its
loss (−logp, or −(logp·w) with the product rounded first) from level 0, and then, for each
level j whose bits of b (four per level) are all zero, moves level j into level j + 1. So row
0 climbs straight to the top level, and every later 16 rows form a block, every 16 blocks a
block of the next level, and so on; a row skipped for ignore_index skips its move too, which
lengthens its block. The eight levels are added in order at the end. Weights are summed the
same way; without weights the total weight is the count of kept rows.
"""

from __future__ import annotations

from typing import Any

import numpy as np

_LEVELS = 8
_STEP = 16  # 2**level_power: level_power is 4 below 2**32 rows


def nll_sums(losses: np.ndarray, kept: np.ndarray | None = None) -> Any:
    """The kernel's Σ of `losses` (each row's −logp, or −(logp·w) already rounded), over the
    rows where `kept` is set (all rows when it is None): a scalar of their dtype."""
    zero = losses.dtype.type(0)
    if kept is None:
        return _cascade_all(losses, zero)
    rows = np.flatnonzero(kept)
    if not rows.size:
        return zero
    return _cascade(losses[rows], _flush_depths(rows), zero)


def _cascade_all(values: np.ndarray, zero: Any) -> Any:
    """The cascade when no row is skipped: blocks of 16 at every level. Each level's partial
    sum joins the total as it is found, lowest level first, as the final accumulate adds
    them (a level left at 0 adds nothing: every sum here starts from +0, so none is -0)."""
    if not values.size:
        return zero
    total = zero
    rest = values[1:]
    for _ in range(_LEVELS - 1):
        if rest.size < _STEP:  # one partial block: this level's partial sum, and no more
            total = total + _fold(rest, zero)
            rest = rest[:0]
            break
        full, tail = divmod(rest.size, _STEP)
        if tail:
            padded = np.zeros((full + 1) * _STEP, values.dtype)  # zeros at the end add nothing
            padded[:rest.size] = rest
            sums = np.add.accumulate(padded.reshape(full + 1, _STEP), axis=1)[:, -1]
            total = total + sums[full]
            rest = sums[:full]
        else:
            rest = np.add.accumulate(rest.reshape(full, _STEP), axis=1)[:, -1]
    top = zero + values[0]  # row 0 climbed to the top level first
    for value in rest:  # blocks moved out of the last level but one
        top = top + value
    return total + top


def _cascade(values: np.ndarray, depths: np.ndarray, zero: Any) -> Any:
    """The cascade of kept rows: `depths` says how many levels each row's step moves."""
    partials = []
    for level in range(_LEVELS - 1):
        ends = np.flatnonzero(depths > level)
        if not ends.size:
            partials.append(_fold(values, zero))
            values = values[:0]
            break
        partials.append(_fold(values[ends[-1] + 1:], zero))
        starts = np.concatenate([[0], ends[:-1] + 1])
        values = _fold_segments(values, starts, ends - starts + 1, zero)
        depths = depths[ends]
    return _add_levels(partials, _fold(values, zero), zero)


def _flush_depths(rows: np.ndarray) -> np.ndarray:
    """How many levels row b moves: its trailing zero groups of four bits (row 0: all seven)."""
    depths = np.zeros(rows.shape, np.int64)
    rest = rows.copy()
    for level in range(_LEVELS - 1):
        moves = ((rest & (_STEP - 1)) == 0) & (depths == level)
        depths[moves] += 1
        rest >>= 4
    return depths


def _add_levels(partials: list, top: Any, zero: Any) -> Any:
    """std::accumulate of the eight levels from 0 (the unused ones hold 0 and add nothing)."""
    total = zero
    for value in partials:
        total = total + value
    return total + top


def _fold(values: np.ndarray, zero: Any) -> Any:
    """0 + v0 + v1 + … in order."""
    if values.size > 4:
        return np.add.accumulate(values)[-1] + zero
    total = zero
    for index in range(values.size):  # a few scalar adds cost less than numpy's accumulate
        total = total + values[index]
    return total


def _fold_rows(rows: np.ndarray, zero: Any) -> np.ndarray:
    """`_fold` of each row."""
    if not rows.size:
        return rows[:, 0]
    return np.add.accumulate(rows, axis=1)[:, -1] + zero


def _fold_segments(values: np.ndarray, starts: np.ndarray, lengths: np.ndarray, zero: Any
                   ) -> np.ndarray:
    """`_fold` of each segment values[start:start + length]: zeros pad the shorter ones at
    the end (sums from 0 are never -0, so adding 0 changes nothing)."""
    columns = np.arange(lengths.max())
    index = starts[:, None] + columns
    padded = np.where(columns < lengths[:, None], values[np.minimum(index, values.size - 1)],
                      zero)
    return _fold_rows(padded, zero)

"""PyTorch's sum down the rows of a 2-D slice (`cascade_sum`'s multi-row loops), compiled
(`engine.jit`): a batch's bias gradient runs these every step, where numpy pays a dozen calls.

`cpu_loops` holds the same loops in numpy, for every other layout; both add in this order:

* the cascade (`_cascade_into`): rows summed in order in blocks of `step`, the block sums
  summed `step` at a time into the next level (three levels at most, the last summed in
  order); each level's leftover rows summed in order, and the leftovers then added lowest
  level first.
* the row sum (`_row_sum_into`): four interleaved cascades (rows 4i, 4i+1, 4i+2, 4i+3), the
  rows past the last whole four added to the first, then the other three added in order.
"""

from __future__ import annotations

import numpy as np

from engine.jit import loop, scalar


@scalar
def _fold(rows: np.ndarray, start: int, stop: int, out: np.ndarray) -> None:
    """out = rows[start] + rows[start + 1] + ... (in order); zeros for no rows."""
    if stop <= start:
        out[:] = 0
        return
    out[:] = rows[start]
    for r in range(start + 1, stop):
        for j in range(out.shape[0]):
            out[j] += rows[r, j]


@scalar
def _cascade_into(x: np.ndarray, out: np.ndarray) -> None:
    """Each column of `x` (2-D, C-contiguous) summed down into `out` as `cpu_loops._cascade`."""
    n, cols = x.shape
    if n <= 16:
        _fold(x, 0, n, out)
        return
    power, bits = 4, 0
    while (n - 1) >> bits:
        bits += 1
    power = max(power, bits // 4)
    step = 1 << power
    parts = np.zeros((4, cols), x.dtype)
    count = 0
    level = x
    size = n
    finished = False
    for _ in range(3):
        full = size // step * step
        if full < size:
            _fold(level, full, size, parts[count])
            count += 1
        if full == 0:
            finished = True
            break
        groups = full // step
        summed = np.empty((groups, cols), x.dtype)
        for g in range(groups):
            _fold(level, g * step, (g + 1) * step, summed[g])
        level, size = summed, groups
    if not finished:
        _fold(level, 0, size, parts[count])
        count += 1
    out[:] = parts[0]
    for p in range(1, count):
        for j in range(cols):
            out[j] += parts[p, j]


@scalar
def _row_sum_into(x: np.ndarray, out: np.ndarray) -> None:
    """Each column of `x` (2-D, C-contiguous) summed down into `out` as `cpu_loops._row_sum`."""
    n, cols = x.shape
    quads = n // 4
    parts = np.empty(4 * cols, x.dtype)
    _cascade_into(x[:quads * 4].reshape(quads, 4 * cols), parts)
    first = parts[:cols].copy()
    for r in range(quads * 4, n):
        for j in range(cols):
            first[j] += x[r, j]
    for j in range(cols):
        out[j] = first[j] + parts[cols + j] + parts[2 * cols + j] + parts[3 * cols + j]


@loop
def column_sums(x: np.ndarray, grouped: int, plus_zero: bool, out: np.ndarray) -> None:
    """Sum the rows of `x` (2-D) into `out`: columns before `grouped` by `cascade`, the rest by
    `row_sum`; then +0. if asked (PyTorch's accumulators start there: -0. sums become +0.)."""
    cols = x.shape[1]
    if grouped:
        _cascade_into(np.ascontiguousarray(x[:, :grouped]), out[:grouped])
    if grouped < cols:
        _row_sum_into(np.ascontiguousarray(x[:, grouped:]), out[grouped:])
    if plus_zero:
        for j in range(cols):
            out[j] += 0

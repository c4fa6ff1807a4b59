"""PyTorch's float32 log_softmax along rows shorter than one vector (`_vec_log_softmax_lastdim`
and its backward), compiled (`engine.jit`): a classifier's logits, ten classes to a row, take
this path every step, where numpy pays a call per step of the formula.

`softmax_kernels` holds the same formulas for every other layout; per row, in element order:

* forward: the max by `vec::maximum` (NaN if any is NaN; on a tie the later element, so of
  ±0 the last met), then (x - max) - log Σ exp(x - max), the sum from the first element;
* backward: g - exp(y)·Σ g, one fused multiply-add per element, the sum from the first g.

exp and log are Sleef's (`engine.sleef`), as in the vector code. numba's on-disk cache of these
loops is checked against this file only: after an edit to `engine/sleef.py`, delete
`engine/__pycache__/log_softmax_kernel.*.nb[ic]` (a fresh install compiles everything anew).
"""

from __future__ import annotations

import numpy as np

from engine.jit import fma, loop
from engine.sleef import _expf, _logf

_NAN = np.float32(np.nan)


@loop
def forward(rows: np.ndarray, out: np.ndarray) -> None:
    """out[r] = log_softmax(rows[r]) for 2-D float32 rows (C-contiguous)."""
    count, n = rows.shape
    for r in range(count):
        top = rows[r, 0]
        for j in range(1, n):
            x = rows[r, j]
            if top != top or x != x:
                top = _NAN
            elif not top > x:
                top = x
        total = _expf(rows[r, 0] - top)
        for j in range(1, n):
            total += _expf(rows[r, j] - top)
        log_total = _logf(total)
        for j in range(n):
            out[r, j] = (rows[r, j] - top) - log_total


@loop
def backward(grad: np.ndarray, out: np.ndarray, result: np.ndarray) -> None:
    """result[r] = grad[r] - exp(out[r])·Σ grad[r], fused, for 2-D float32 rows."""
    count, n = grad.shape
    for r in range(count):
        total = grad[r, 0]
        for j in range(1, n):
            total += grad[r, j]
        for j in range(n):
            result[r, j] = fma(_expf(out[r, j]), -total, grad[r, j])

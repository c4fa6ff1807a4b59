"""Two of MKL's sgemm kernels, compiled (`engine.jit`); `engine.matmul_order` says when MKL
runs which, and how it shares the rows among threads.

* The Zen kernel (`sgemm_kernel_0_zen`): every output is one fused-multiply-add chain from +0
  per block of k, each block's chain then added onto the result, which holds the bias or +0.
* The small-matrix kernel's axpy form (`sgemm_pst`, SSE, no FMA): products rounded, then
  added one k at a time onto the result, except for a row's first elements before a 16-byte
  boundary of C, which per 8 k add (C + p0 + p1 + p2 + p3) + ((p4 + p5) + p6 + p7).
"""

from __future__ import annotations

import numpy as np
from numba import njit

from engine.jit import fma


def zen(result: np.ndarray, a: np.ndarray, b: np.ndarray, blocks: np.ndarray) -> np.ndarray:
    """Add a @ b onto `result` (float32, rows × cols) in the kernel's order; `blocks` are the
    (start, stop) of each block of k."""
    _chains(result, a, np.ascontiguousarray(b), blocks)
    return result


@njit(cache=True, fastmath=False, nogil=True, boundscheck=False)
def _chains(result: np.ndarray, a: np.ndarray, b: np.ndarray, blocks: np.ndarray) -> None:
    """Two rows at a time, so each element of b loaded serves two chains; every output's
    chain is still its own, in k order."""
    rows, cols = a.shape[0], b.shape[1]
    acc = np.empty((2, cols), np.float32)
    for i in range(0, rows, 2):
        pair = min(2, rows - i)
        for block in range(blocks.shape[0]):
            acc[:, :] = 0
            for k in range(blocks[block, 0], blocks[block, 1]):
                first, second = a[i, k], a[i + pair - 1, k]  # a lone last row: twice
                for j in range(cols):  # independent chains: vectorised, each fused
                    factor = b[k, j]
                    acc[0, j] = fma(first, factor, acc[0, j])
                    acc[1, j] = fma(second, factor, acc[1, j])
            for r in range(pair):
                for j in range(cols):
                    result[i + r, j] += acc[r, j]


def pst_axpy(result: np.ndarray, a: np.ndarray, b: np.ndarray, c_offset: int) -> np.ndarray:
    """Add a @ b onto `result` (float32, rows × cols) as the small kernel's axpy form does; C's
    data starts `c_offset` floats after a 16-byte boundary."""
    _axpy(result, a, np.ascontiguousarray(b), c_offset)
    return result


@njit(cache=True, fastmath=False, nogil=True, boundscheck=False)
def _axpy(result: np.ndarray, a: np.ndarray, b: np.ndarray, c_offset: int) -> None:
    rows, inner = a.shape
    cols = b.shape[1]
    groups = inner // 8
    for i in range(rows):
        peel = (-(c_offset + i * cols)) % 4
        first = result[i, :peel].copy()
        for k in range(inner):
            factor = a[i, k]
            for j in range(cols):  # vectorised along the row, each output in k order
                result[i, j] += factor * b[k, j]
        if groups == 0 or cols < 4 or peel == 0 or cols < peel + 4:
            continue
        for j in range(peel):
            total = first[j]
            for group in range(groups):
                k = 8 * group
                total += a[i, k] * b[k, j]
                total += a[i, k + 1] * b[k + 1, j]
                total += a[i, k + 2] * b[k + 2, j]
                total += a[i, k + 3] * b[k + 3, j]
                second = a[i, k + 4] * b[k + 4, j] + a[i, k + 5] * b[k + 5, j]
                second += a[i, k + 6] * b[k + 6, j]
                total += second + a[i, k + 7] * b[k + 7, j]
            for k in range(8 * groups, inner):
                total += a[i, k] * b[k, j]
            result[i, j] = total

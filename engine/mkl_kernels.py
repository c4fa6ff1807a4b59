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

from engine.jit import fma, loop


def zen(result: np.ndarray, a: np.ndarray, b: np.ndarray, blocks: np.ndarray) -> np.ndarray:
    """Add a @ b onto `result` (float32, rows × cols) in the kernel's order; `blocks` are the
    (start, stop) of each block of k."""
    _chains(result, a, np.ascontiguousarray(b), blocks)
    return result


@loop
def _chains(result: np.ndarray, a: np.ndarray, b: np.ndarray, blocks: np.ndarray) -> None:
    """Four rows and two k at a time, so each element of b loaded serves eight steps and each
    partial sum is stored half as often; every output's chain is still its own, in k order
    (a short last group of rows repeats its last row)."""
    rows, cols = a.shape[0], b.shape[1]
    acc = np.empty((4, cols), np.float32)
    for i in range(0, rows, 4):
        count = min(4, rows - i)
        r0, r1, r2, r3 = i, i + min(1, count - 1), i + min(2, count - 1), i + min(3, count - 1)
        for block in range(blocks.shape[0]):
            acc[:, :] = 0
            start, stop = blocks[block, 0], blocks[block, 1]
            for k in range(start, stop - 1, 2):
                a0, a1, a2, a3 = a[r0, k], a[r1, k], a[r2, k], a[r3, k]
                c0, c1, c2, c3 = a[r0, k + 1], a[r1, k + 1], a[r2, k + 1], a[r3, k + 1]
                for j in range(cols):  # independent chains: vectorised, each fused
                    first, second = b[k, j], b[k + 1, j]
                    acc[0, j] = fma(c0, second, fma(a0, first, acc[0, j]))
                    acc[1, j] = fma(c1, second, fma(a1, first, acc[1, j]))
                    acc[2, j] = fma(c2, second, fma(a2, first, acc[2, j]))
                    acc[3, j] = fma(c3, second, fma(a3, first, acc[3, j]))
            if (stop - start) % 2:
                k = stop - 1
                a0, a1, a2, a3 = a[r0, k], a[r1, k], a[r2, k], a[r3, k]
                for j in range(cols):
                    first = b[k, j]
                    acc[0, j] = fma(a0, first, acc[0, j])
                    acc[1, j] = fma(a1, first, acc[1, j])
                    acc[2, j] = fma(a2, first, acc[2, j])
                    acc[3, j] = fma(a3, first, acc[3, j])
            for r in range(count):
                for j in range(cols):
                    result[i + r, j] += acc[r, j]


def pst_axpy(result: np.ndarray, a: np.ndarray, b: np.ndarray, c_offset: int) -> np.ndarray:
    """Add a @ b onto `result` (float32, rows × cols) as the small kernel's axpy form does; C's
    data starts `c_offset` floats after a 16-byte boundary."""
    _axpy(result, np.asfortranarray(a), b, c_offset)
    return result


@loop
def _axpy(result: np.ndarray, a: np.ndarray, b: np.ndarray, c_offset: int) -> None:
    """A column of the result at a time, down a's contiguous columns (each output still adds
    its rounded products in k order), then the peeled elements again in their own order."""
    rows, inner = a.shape
    cols = b.shape[1]
    start = result[:, :3].copy()  # a peel is at most 3 elements
    column = np.empty(rows, np.float32)
    for j in range(cols):
        column[:] = result[:, j]
        for k in range(inner):
            factor = b[k, j]
            for i in range(rows):
                column[i] += a[i, k] * factor
        result[:, j] = column
    groups = inner // 8
    if groups == 0 or cols < 4:
        return
    for i in range(rows):
        peel = (-(c_offset + i * cols)) % 4
        if peel == 0 or cols < peel + 4:
            continue
        for j in range(peel):
            total = start[i, j]
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

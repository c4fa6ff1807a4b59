"""The backward of PyTorch's CPU layer norm (`LayerNormBackwardKernelImplInternal`), compiled,
in the AVX2 build's order (vectors of 8 float32 or 4 float64; see `layer_norm_kernel`).

Per row: ds = Σ dy·x·w and db = Σ dy·w (w = 1 without a weight) in lane accumulators, the
first vector starting them, each later full vector's products rounded and then added, the
tail's last multiply fused into its add; the lanes folded by AVX2's shuffle tree (float32) or
one after another (float64); a row shorter than a vector adds its products in order. Then
b = (db·mean − ds)·a·a·a/N and c = −b·mean − db·a/N with a = rstd, and
dx = b·x + a·dy·w + c. The weight's and bias's gradients are summed per thread, each thread
taking a contiguous share of the rows (`at::parallel_for`), into a zeroed buffer of its own;
the buffers are then added in thread order starting from 0. Which multiply-adds are fused
was found against torch 2.13 on thousands of random and edge cases.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from engine.jit import fma, loop, scalar
from engine.vec_reduce import fold_lanes


@scalar
def _row_sums(dy: Any, x: Any, w: Any, weighted: bool, lanes: int) -> Any:
    """(ds, db) of one row, as map3_reduce_all / map2_reduce_all / reduce_all add them."""
    size = dy.shape[0]
    if size < lanes:  # one partial vector, its products added into lane 0 in order
        ds = (dy[0] * x[0]) * w[0] if weighted else dy[0] * x[0]
        db = dy[0] * w[0] if weighted else dy[0]
        for j in range(1, size):
            ds = ds + ((dy[j] * x[j]) * w[j] if weighted else dy[j] * x[j])
            db = db + (dy[j] * w[j] if weighted else dy[j])
        return ds, db
    acc_s = np.empty(lanes, dy.dtype)
    acc_b = np.empty(lanes, dy.dtype)
    for lane in range(lanes):
        acc_s[lane] = (dy[lane] * x[lane]) * w[lane] if weighted else dy[lane] * x[lane]
        acc_b[lane] = dy[lane] * w[lane] if weighted else dy[lane]
    full = size - size % lanes
    for j in range(lanes, full):
        lane = j % lanes
        acc_s[lane] = acc_s[lane] + ((dy[j] * x[j]) * w[j] if weighted else dy[j] * x[j])
        acc_b[lane] = acc_b[lane] + (dy[j] * w[j] if weighted else dy[j])
    for j in range(full, size):  # the tail: Vec::set of a partial vector, its multiply fused
        lane = j % lanes
        if weighted:
            acc_s[lane] = fma(dy[j] * x[j], w[j], acc_s[lane])
            acc_b[lane] = fma(dy[j], w[j], acc_b[lane])
        else:
            acc_s[lane] = fma(dy[j], x[j], acc_s[lane])
            acc_b[lane] = acc_b[lane] + dy[j]
    return fold_lanes(acc_s), fold_lanes(acc_b)


@loop
def _backward(dy: Any, x: Any, mean: Any, rstd: Any, w: Any, weighted: bool, threads: int,
              lanes: int, scale: Any, dx: Any, dw: Any, db_out: Any) -> None:
    rows, size = dy.shape
    zero = scale - scale
    buffer_w = np.zeros((threads, size), dy.dtype)
    buffer_b = np.zeros((threads, size), dy.dtype)
    tasks = min(threads, rows) if rows > 1 else 1
    chunk = -(-rows // tasks)
    for task in range(tasks):
        for i in range(task * chunk, min(rows, (task + 1) * chunk)):
            m = mean[i]
            a = rstd[i]
            shift = -a * m
            for j in range(size):
                buffer_w[task, j] = fma(dy[i, j], fma(a, x[i, j], shift), buffer_w[task, j])
                buffer_b[task, j] = buffer_b[task, j] + dy[i, j]
            ds, db = _row_sums(dy[i], x[i], w, weighted, lanes)
            b = (((fma(db, m, -ds) * a) * a) * a) * scale
            c = fma(-b, m, -((db * a) * scale))
            for j in range(size):
                term = (a * dy[i, j]) * w[j] if weighted else a * dy[i, j]
                dx[i, j] = fma(b, x[i, j], term) + c
    for j in range(size):
        total_w = zero
        total_b = zero
        for thread in range(threads):
            total_w = total_w + buffer_w[thread, j]
            total_b = total_b + buffer_b[thread, j]
        dw[j] = total_w
        db_out[j] = total_b


def layer_norm_backward(dy: np.ndarray, x: np.ndarray, mean: np.ndarray, rstd: np.ndarray,
                        weight: np.ndarray | None, threads: int
                        ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(dx, dweight, dbias) of 2-d rows (the weight's gradient is the one it would have, had
    there been a weight of ones)."""
    dtype = x.dtype
    dy = np.ascontiguousarray(dy, dtype)
    x = np.ascontiguousarray(x)
    rows, size = x.shape
    weighted = weight is not None
    w = np.ascontiguousarray(weight, dtype) if weighted else np.zeros(1, dtype)
    dx = np.empty((rows, size), dtype)
    dw = np.zeros(size, dtype)
    db = np.zeros(size, dtype)
    if rows and size:
        _backward(dy, x, np.ascontiguousarray(mean, dtype), np.ascontiguousarray(rstd, dtype),
                  w, weighted, max(1, threads), 32 // dtype.itemsize,
                  dtype.type(1) / dtype.type(size), dx, dw, db)
    return dx, dw, db

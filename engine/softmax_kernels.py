"""PyTorch's CPU softmax and log_softmax kernels (aten/src/ATen/native/cpu/SoftMaxKernel.cpp),
forward and backward, in their order of operations, so results agree bit for bit.

PyTorch runs these kernels on `Vectorized` lanes (AVX-512: 16 floats or 8 doubles; AVX2: 8 or
4), with exp and log from Sleef (`engine.sleef`), and reduces a row as `vec::reduce_all` does:
a row shorter than a vector is added (or maxed) element by element; a longer one lane-wise,
whole vectors in order, the partial last vector into its first lanes, then the lanes combined
by the capability's shuffle tree (floats) or in order (doubles).

* Along the last dim (`_vec_softmax_lastdim`, `_vec_log_softmax_lastdim`): per row, the max;
  softmax stores exp(x - max), sums it and multiplies by 1/sum; log_softmax sums exp(x - max)
  and returns (x - max) - log(sum).
* Along another dim (`_vec_softmax`, `_vec_logsoftmax`): per position of the inner dims, the
  max and the sum run down the dim one element at a time. softmax shares the positions among
  the threads in equal ranges; a run of a vector's width inside a range (and inside one row of
  inner positions) takes the vector code, the rest the scalar code, whose exp is the C
  library's `exp`/`expf`; softmax divides by the sum. log_softmax takes blocks of inner
  positions, vector code for each block's whole vectors, scalar code for the rest.
* Backward: softmax's gradient is (g - Σ g·y)·y, log_softmax's g - exp(y)·Σ g; along another
  dim the sums run down the dim and every multiply-add is fused (one rounding). Along the last
  dim log_softmax fuses too; softmax's Σ g·y rounds its products, except (float32 only) the
  partial last vector's, which the compiler fused where the kernel runs without OpenMP (one
  row, or one thread).

All measured against torch 2.13 on an AVX-512 CPU, float32 and float64, with 1 and 2 threads
(tests/engine/test_softmax_bits.py runs where a probe finds this CPU's torch computing so);
the AVX2 lanes and shuffle tree follow the same code unmeasured.
"""

from __future__ import annotations

import math
import os
from functools import lru_cache
from typing import Any

import numpy as np

from engine import compiled
from engine.compiled import fma32, fma64
from engine.cpu_loops import SUM_THREADS

THREADS = SUM_THREADS
_BLOCK_BYTES = 128 * 1024  # the blocks of inner positions of the non-last-dim kernels


def _capability() -> str:
    """The CPU capability PyTorch dispatches to: "avx512", "avx2" or "default"."""
    forced = os.environ.get("ATEN_CPU_CAPABILITY", "").lower()
    if forced in ("avx512", "avx2", "default"):
        return forced
    try:
        with open("/proc/cpuinfo", encoding="ascii", errors="replace") as info:
            flags = next((line.split(":", 1)[1].split() for line in info
                          if line.startswith("flags")), [])
    except OSError:
        flags = []
    if {"avx512vl", "avx512bw", "avx512dq", "fma"} <= set(flags):  # what PyTorch requires
        return "avx512"
    return "avx2" if {"avx2", "fma"} <= set(flags) else "default"


CAPABILITY = _capability()
_VECTOR_BYTES = 64 if CAPABILITY == "avx512" else 32


def lanes(dtype: np.dtype) -> int:
    """Elements in one `Vectorized` of this dtype."""
    return _VECTOR_BYTES // np.dtype(dtype).itemsize


# --- row reductions (vec::reduce_all) --------------------------------------------------------
def _by_columns(rows: np.ndarray) -> bool:
    """Whether to reduce these rows down the columns of their transpose: rows shorter than a
    vector are reduced element by element, which numpy does in order (and fast) along the
    first axis of a C-ordered array of two or more columns; a single row it would sum
    pairwise."""
    return rows.shape[0] > 1 and rows.shape[1] < lanes(rows.dtype)


def _row_sums(x: np.ndarray) -> np.ndarray:
    """vec::reduce_all(+) of each row of a 2-D array: (rows,)."""
    n = x.shape[1]
    width = lanes(x.dtype)
    if n < width:
        return np.add.accumulate(x, axis=1)[:, -1]
    full = n // width * width
    acc = _add_down(x[:, :full].reshape(len(x), -1, width), axis=1)  # in order per lane
    if full < n:
        acc[:, :n - full] += x[:, full:]
    return _combine_lanes(acc)


def _add_down(x: np.ndarray, axis: int) -> np.ndarray:
    """Sums along `axis` in order from the first element, as reduce_all adds: numpy starts
    from +0, which would turn a sum of -0s into +0; starting from -0 changes nothing else."""
    return np.add.reduce(x, axis=axis, initial=-0.0)


def _combine_lanes(acc: np.ndarray) -> np.ndarray:
    """vec_reduce_all of lane sums: the shuffle tree for floats, lane by lane for doubles."""
    if acc.dtype == np.float32:
        while acc.shape[1] > 1:
            half = acc.shape[1] // 2
            acc = acc[:, :half] + acc[:, half:]
        return acc[:, 0]
    return np.add.accumulate(acc, axis=1)[:, -1]


def _row_sums_fused_tail(g: np.ndarray, y: np.ndarray) -> np.ndarray:
    """map2_reduce_all(g·y, +) where the compiler fused the partial last vector's multiply-add:
    (rows,)."""
    n = g.shape[1]
    width = lanes(g.dtype)
    full = n // width * width
    if n < width or full == n:
        return _row_sums(g * y)
    acc = _add_down((g[:, :full] * y[:, :full]).reshape(len(g), -1, width), axis=1)
    tail = n - full
    acc[:, :tail] = fma32(g[:, full:], y[:, full:], acc[:, :tail])
    return _combine_lanes(acc)


# --- forward ---------------------------------------------------------------------------------
def softmax(x: np.ndarray, dim: int) -> np.ndarray:
    """torch.softmax of a float32 or float64 array along `dim`."""
    return _run(x, dim, _softmax_rows, _softmax_along)


def log_softmax(x: np.ndarray, dim: int) -> np.ndarray:
    """torch.log_softmax of a float32 or float64 array along `dim`."""
    return _run(x, dim, _log_softmax_rows, _log_softmax_along)


def _run(x: np.ndarray, dim: int, along_last: Any, along_other: Any) -> np.ndarray:
    """A forward kernel on x as PyTorch lays it out: a 0-d tensor as a 1-element vector, the
    last dim as rows, another as a contiguous (outer, dim, inner) array."""
    shape = np.shape(x)
    x = np.asarray(x)
    if x.ndim == 0:
        x, dim = x.reshape(1), 0
    if x.size == 0:
        return x.copy().reshape(shape)
    if dim == x.ndim - 1:
        return along_last(x.reshape(-1, x.shape[-1])).reshape(shape)
    return along_other(_three_d(x, dim)).reshape(shape)


def _softmax_rows(rows: np.ndarray) -> np.ndarray:
    """_vec_softmax_lastdim: exp(x - max) times 1/Σ, per row."""
    one = rows.dtype.type(1)
    if _by_columns(rows):
        columns = rows.T.copy()
        columns -= columns.max(axis=0)
        e = _vector_exp(columns)
        e *= one / _add_down(e, axis=0)
        return e.T.copy()
    e = _vector_exp(rows - rows.max(axis=1, keepdims=True))
    e *= (one / _row_sums(e))[:, None]
    return e


def _log_softmax_rows(rows: np.ndarray) -> np.ndarray:
    """_vec_log_softmax_lastdim: (x - max) - log Σ exp(x - max), per row."""
    if _by_columns(rows) and rows.dtype == np.float32:  # compiled (`log_softmax_kernel`)
        out = np.empty(rows.shape, np.float32)
        compiled.log_softmax_short(np.ascontiguousarray(rows), out)
        return out
    if _by_columns(rows):
        columns = rows.T.copy()
        maxima = columns.max(axis=0)
        columns -= maxima
        logs = _vector_log(_add_down(_vector_exp(columns), axis=0))
        columns -= logs
        out = columns.T.copy()
    else:
        maxima = rows.max(axis=1)
        out = rows - maxima[:, None]
        logs = _vector_log(_row_sums(_vector_exp(out)))
        out -= logs[:, None]
    if np.count_nonzero(maxima) < len(maxima):  # a zero max: its sign shows where log 0
        out = _signed_zero_rows(rows, maxima, logs, out)
    return out


def _signed_zero_rows(rows: np.ndarray, maxima: np.ndarray, logs: np.ndarray,
                      out: np.ndarray) -> np.ndarray:
    """Redo rows whose max is ±0 with the max's sign as the kernel's order leaves it: each
    `maximum(acc, next)` keeps `next` on a tie, so of equal zeros the one met last wins."""
    for row in np.flatnonzero(maxima == 0):
        order = _visiting_order(rows.shape[1], rows.dtype)
        zeros = rows[row, order] == 0
        signed = rows.dtype.type(-0.0 if np.signbit(rows[row, order][zeros][-1]) else 0.0)
        out[row] = (rows[row] - signed) - logs[row]
    return out


@lru_cache(maxsize=64)
def _visiting_order(n: int, dtype: np.dtype) -> np.ndarray:
    """The order in which reduce_all's max of one row meets its elements, as it bears on lane
    0's result: lane by lane in the shuffle tree's order, each lane's elements in order."""
    width = lanes(dtype)
    if n < width:
        return np.arange(n)
    lanes_of = [list(range(lane, n, width)) for lane in range(width)]
    order_of_lanes = _tree_order(width) if np.dtype(dtype) == np.float32 else range(width)
    return np.array([i for lane in order_of_lanes for i in lanes_of[lane]])


def _tree_order(width: int) -> list[int]:
    """Lanes as the shuffle tree combines them into lane 0, earliest operand first (lane i
    meets lane i + width/2 first, so the order is the bit reversal of the lane numbers)."""
    if width == 1:
        return [0]
    half = _tree_order(width // 2)
    return [2 * lane for lane in half] + [2 * lane + 1 for lane in half]


def _softmax_along(x: np.ndarray) -> np.ndarray:
    """_vec_softmax of a contiguous (outer, dim, inner) array."""
    outer, size, inner = x.shape
    vector = _vector_positions(outer, inner, lanes(x.dtype)).reshape(outer, 1, inner)
    vector_max = np.maximum.accumulate(x, axis=1)[:, -1:]
    scalar_max = _scalar_max(x)
    shifted = x - np.where(vector, vector_max, scalar_max)
    e = np.where(vector, _vector_exp(shifted), _scalar_exp(shifted, ~vector))
    total = np.add.accumulate(e, axis=1)[:, -1:] + x.dtype.type(0)  # from 0
    return e / total


def _scalar_max(x: np.ndarray) -> np.ndarray:
    """std::max down axis 1 from the first element: a NaN first stays, a later NaN is skipped."""
    best = x[:, :1]
    for d in range(1, x.shape[1]):
        best = np.where(best < x[:, d:d + 1], x[:, d:d + 1], best)
    return best


@lru_cache(maxsize=256)
def _vector_positions(outer: int, inner: int, width: int) -> np.ndarray:
    """Which of the outer·inner positions _vec_softmax computes with vector code (bool)."""
    count = outer * inner
    vector = np.zeros(count, bool)
    threads = THREADS if count > 1 else 1
    chunk = -(-count // threads) if count else 0
    for begin in range(0, count, max(chunk, 1)):
        end = min(count, begin + chunk)
        index = begin
        while index < end:
            within = index % inner
            if within + width <= inner and index + width <= end:
                vector[index:index + width] = True
                index += width
            elif index + width > end:
                index = end
            else:
                index += inner - within
    vector.flags.writeable = False
    return vector


def _log_softmax_along(x: np.ndarray) -> np.ndarray:
    """_vec_logsoftmax of a contiguous (outer, dim, inner) array."""
    outer, size, inner = x.shape
    vector = _block_vector_positions(size, inner, x.dtype)
    maxima = np.full((outer, 1, inner), -np.inf, x.dtype)
    for d in range(size):  # data > max ? data : max, from -inf
        maxima = np.where(x[:, d:d + 1] > maxima, x[:, d:d + 1], maxima)
    shifted = x - maxima
    e = _vector_exp(shifted) if vector.all() else np.where(
        vector, _vector_exp(shifted), _scalar_exp(shifted, ~vector[None, None]))
    total = np.add.accumulate(e, axis=1)[:, -1:] + x.dtype.type(0)
    return shifted - _vector_log(total)


@lru_cache(maxsize=256)
def _block_vector_positions(size: int, inner: int, dtype: np.dtype) -> np.ndarray:
    """Which inner positions the blocked kernels (log_softmax forward, both backwards) compute
    with vector code: each block's whole vectors."""
    width = lanes(dtype)
    largest = max(_BLOCK_BYTES // max(size, 1) // np.dtype(dtype).itemsize, width)
    block = max(min(largest // width * width, inner), 1)
    position = np.arange(inner)
    start = position // block * block
    length = np.minimum(block, inner - start)
    vector = (position - start) < length - length % width
    vector.flags.writeable = False
    return vector


# --- backward --------------------------------------------------------------------------------
def softmax_backward(grad: np.ndarray, out: np.ndarray, dim: int) -> np.ndarray:
    """_softmax_backward_data: the gradient of softmax's input from its output `out`."""
    return _run_backward(grad, out, dim, _softmax_backward_rows, _softmax_backward_along)


def log_softmax_backward(grad: np.ndarray, out: np.ndarray, dim: int) -> np.ndarray:
    """_log_softmax_backward_data: the gradient of log_softmax's input from its output."""
    return _run_backward(grad, out, dim, _log_softmax_backward_rows,
                         _log_softmax_backward_along)


def _run_backward(grad: np.ndarray, out: np.ndarray, dim: int, along_last: Any,
                  along_other: Any) -> np.ndarray:
    """A backward kernel on (grad, out) laid out as `_run` lays out the forward's input."""
    shape = np.shape(out)
    out = np.asarray(out)
    if out.ndim == 0:
        out, dim = out.reshape(1), 0
    if out.size == 0:
        return np.zeros(shape, out.dtype)
    if grad.shape != out.shape:
        grad = np.broadcast_to(grad, out.shape)
    if dim == out.ndim - 1:
        y = out.reshape(-1, out.shape[-1])
        return along_last(grad.reshape(y.shape), y).reshape(shape)
    return along_other(_three_d(grad, dim), _three_d(out, dim)).reshape(shape)


def _softmax_backward_rows(g: np.ndarray, y: np.ndarray) -> np.ndarray:
    """(g - Σ g·y)·y per row, the products rounded (but see `_row_sums_fused_tail`)."""
    if _by_columns(y):
        y, g = y.T.copy(), g.T.copy()
        g -= _add_down(g * y, axis=0)
        g *= y
        return g.T.copy()
    if y.dtype == np.float32 and (len(y) <= 1 or THREADS == 1):  # run without OpenMP
        total = _row_sums_fused_tail(g, y)
    else:
        total = _row_sums(g * y)
    return (g - total[:, None]) * y


def _softmax_backward_along(g: np.ndarray, y: np.ndarray) -> np.ndarray:
    """y·(g - Σ g·y) of (outer, dim, inner) arrays, the sum down the dim from 0, fused."""
    total = np.zeros((y.shape[0], 1, y.shape[2]), y.dtype)
    fused = _fma_of(y.dtype)
    for d in range(y.shape[1]):
        total = fused(g[:, d:d + 1], y[:, d:d + 1], total)
    return y * (g - total)


def _log_softmax_backward_rows(g: np.ndarray, y: np.ndarray) -> np.ndarray:
    """g - exp(y)·Σ g per row, fused."""
    fused = _fma_of(y.dtype)
    if _by_columns(y) and y.dtype == np.float32:  # compiled (`log_softmax_kernel`)
        result = np.empty(y.shape, np.float32)
        compiled.log_softmax_short_backward(np.ascontiguousarray(g, np.float32),
                                            np.ascontiguousarray(y), result)
        return result
    if _by_columns(y):
        g = g.T.copy()
        return fused(_vector_exp(y.T.copy()), -_add_down(g, axis=0), g).T.copy()
    return fused(_vector_exp(y), -_row_sums(g)[:, None], g)


def _log_softmax_backward_along(g: np.ndarray, y: np.ndarray) -> np.ndarray:
    """g - exp(y)·Σ g of (outer, dim, inner) arrays, the sum down the dim from 0, fused; the
    blocks' leftover positions take the C library's exp."""
    total = np.add.accumulate(g, axis=1)[:, -1:] + y.dtype.type(0)
    vector = _block_vector_positions(y.shape[1], y.shape[2], y.dtype)
    e = _vector_exp(y) if vector.all() else np.where(
        vector, _vector_exp(y), _scalar_exp(y, ~vector[None, None]))
    return _fma_of(y.dtype)(-e, total, g)


def _fma_of(dtype: np.dtype) -> Any:
    return fma32 if dtype == np.float32 else fma64


# --- elementwise pieces ----------------------------------------------------------------------
def _vector_exp(x: np.ndarray) -> np.ndarray:
    """Vectorized::exp of the kernels' arguments, all x - max or log_softmax values (≤ 0)."""
    return compiled.sleef_expf(x) if x.dtype == np.float32 else compiled.sleef_exp(x)


def _vector_log(x: np.ndarray) -> np.ndarray:
    """Vectorized::log of the kernels' sums of exp(x - max): each at least 1, or NaN."""
    return compiled.sleef_logf(x) if x.dtype == np.float32 else compiled.sleef_log(x)


def _scalar_exp(x: np.ndarray, where: np.ndarray) -> np.ndarray:
    """std::exp (the C library's, `engine.libm`) of x where `where` is set (broadcast), 0
    elsewhere."""
    where = np.broadcast_to(where, x.shape)
    result = np.zeros_like(x)
    result[where] = compiled.libm_exp(x[where])
    return result


# --- shapes ----------------------------------------------------------------------------------
def _three_d(x: np.ndarray, dim: int) -> np.ndarray:
    """x as a contiguous (outer, dim, inner) array."""
    shape = x.shape
    return np.ascontiguousarray(x).reshape(math.prod(shape[:dim]), shape[dim],
                                           math.prod(shape[dim + 1:]))

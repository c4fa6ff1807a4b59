"""PyTorch's CPU layer norm (`layer_norm_kernel.cpp`), adding as its AVX2 build adds.

The kernel is not registered for AVX-512, so AVX-512 CPUs run the AVX2 build too: vectors of
8 float32 (4 float64). Each row's mean and variance come from `RowwiseMoments`: Welford's
update over vectors in chunks of 16, the chunks merged in a cascade (a binary counter of
partial results), a scalar Welford over the row's tail, then the vector's lanes merged into
the tail's result one by one. Which multiply-adds are fused was found against torch 2.13 on
thousands of rows (every mean and rstd bit for bit). Every row runs at once here: one numpy
operation per step of the row loop, over all rows.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from engine import compiled, cpu_loops
from engine.compiled import fma32, fma64

_CHUNK = 16  # kChunkSize: vectors per Welford chunk


def _lanes(dtype: np.dtype) -> int:
    return 32 // dtype.itemsize  # one 256-bit vector


def _fma(dtype: np.dtype) -> Any:
    return fma32 if dtype == np.float32 else fma64


def _ceil_log2(x: int) -> int:
    """utils::CeilLog2: 1 for anything up to 2."""
    return 1 if x <= 2 else (x - 1).bit_length()


def row_moments(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each row's mean and (biased) variance of a 2-d float array, as `RowwiseMoments` adds."""
    dtype = x.dtype
    kind = dtype.type
    fma = _fma(dtype)
    rows, size = x.shape
    lanes = _lanes(dtype)
    n = size // lanes
    chunks = -(-n // _CHUNK)
    depth = _ceil_log2(chunks)
    vectors = x[:, :n * lanes].reshape(rows, n, lanes)
    zero = np.zeros((rows, lanes), dtype)
    counts = [0] * depth
    means = [zero] * depth
    squares = [zero] * depth
    steps = [kind(1) / kind(j + 1) for j in range(_CHUNK)]

    def merge(count: int, mean: np.ndarray, square: np.ndarray, level: int) -> None:
        """AddMomentsVec: fold one partial result into the stack's level."""
        total = counts[level] + count
        c = kind(0) if total == 0 else kind(count) / kind(total)
        delta = mean - means[level]
        means[level] = means[level] + c * delta
        squares[level] = fma(delta * c, delta * kind(counts[level]), squares[level] + square)
        counts[level] = total

    with np.errstate(all="ignore"):
        for i in range(chunks):
            count = min(_CHUNK, n - i * _CHUNK)
            mean = square = zero
            for j in range(count):
                value = vectors[:, i * _CHUNK + j]
                delta = value - mean
                mean = fma(delta, steps[j], mean)
                square = fma(delta, value - mean, square)
            merge(count, mean, square, 0)
            mask, level = i + 1, 1
            while level < depth and not mask & 1:
                merge(counts[level - 1], means[level - 1], squares[level - 1], level)
                counts[level - 1], means[level - 1], squares[level - 1] = 0, zero, zero
                mask >>= 1
                level += 1
        for level in range(1, depth):
            merge(counts[level], means[level], squares[level], 0)
        vector_mean, vector_square = means[0], squares[0]
        count = 0
        mean = square = np.zeros(rows, dtype)
        for i in range(n * lanes, size):  # the tail, one element at a time
            value = x[:, i]
            delta = value - mean
            count += 1
            mean = mean + delta / kind(count)
            square = square + delta * (value - mean)
        for lane in range(lanes):  # AddMoments: each lane into the tail's result
            total = count + n
            c = kind(0) if total == 0 else kind(n) / kind(total)
            delta = vector_mean[:, lane] - mean
            mean = fma(c, delta, mean)
            square = square + fma(delta * delta * c, kind(count), vector_square[:, lane])
            count = total
        return mean, square / kind(size)


def layer_norm(x: np.ndarray, weight: np.ndarray | None, bias: np.ndarray | None, eps: float
               ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(output, mean, rstd) of 2-d rows `x`: `(x - mean) * rstd * weight + bias`, rstd being
    1 / sqrt(var + eps). With both weight and bias the kernel runs vector code, whose last
    multiply-add is fused. Otherwise scalar code, compiled once for each case: without a
    weight its `* 1` goes, and `(x - mean) * rstd + bias` is one multiply-add."""
    kind = x.dtype.type
    fma = _fma(x.dtype)
    mean, var = row_moments(x)
    with np.errstate(all="ignore"):
        rstd = kind(1) / np.sqrt(var + kind(eps))
        centred = x - mean[:, None]
        if weight is None and bias is not None:
            return fma(centred, rstd[:, None], bias), mean, rstd
        scaled = centred * rstd[:, None]
        if bias is not None:
            return fma(scaled, weight, bias), mean, rstd
        # `* gamma_v + beta_v` with beta_v = 0: adding 0 turns a -0 into 0
        return (scaled if weight is None else scaled * weight) + kind(0), mean, rstd


def backward(dy: np.ndarray, x: np.ndarray, mean: np.ndarray, rstd: np.ndarray,
             weight: np.ndarray | None, which: int) -> np.ndarray:
    """The gradient of 2-d rows `x` (which=0), of the weight (1) or of the bias (2), as
    PyTorch's kernel computes it with its default number of threads."""
    return compiled.layer_norm_backward(dy, x, mean, rstd, weight, cpu_loops.SUM_THREADS)[which]

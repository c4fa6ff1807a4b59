"""PyTorch's CPU batch norm (`batch_norm_kernel.cpp`, `Normalization.cpp`), compiled, adding as
its AVX2 build adds (vectors of 8 float32 or 4 float64; the AVX-512 slot is empty).

Statistics of a contiguous input (N, C, *rest), per channel:
- no `rest` (one value per sample): each of the threads sums its contiguous share of the rows
  into a zeroed float buffer; the buffers are added in double, thread 0 first, and divided by
  N; the squared deviations go the same way, each a fused multiply-add. With no more rows than
  threads and 17 to 2048 channels, each channel is summed in double instead, row by row;
- with `rest`: each channel summed in double, sample by sample, then its squared deviations
  (rounded first in float32; in float64 the last of an odd row is fused).
The saved 1/std is 1/sqrt(var + eps) in double, the running stats move by `momentum`, and
out = fma(x, invstd·w, fma(−mean, invstd·w, b)).

The backward sums dy and (x − mean)·dy per channel (in per-thread float buffers for rows of
one value, in 8- or 4-lane accumulators per row otherwise), then dx = fma(−(x − mean), k, dy −
mean dy)·invstd·w with k = Σ(x − mean)·dy · invstd² / n. A channels-last input is the same
with its memory read as rows; any other layout takes PyTorch's generic path, whose sum is
`torch.sum`'s. Which multiply-adds are fused, and the rule for few rows, were found against
torch 2.13 on millions of values, 1 and 2 threads.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from engine.jit import fma, loop, scalar
from engine.vec_reduce import fold_lanes


@loop
def _row_stats(x: Any, threads: int, mean: Any, var_sum: Any) -> None:
    """Rows (N, C) split among `threads` float buffers, as `collect_stats_channels_last`."""
    rows, channels = x.shape
    buffer = np.zeros((threads, channels), x.dtype)
    tasks = min(threads, rows) if threads > 1 else 1
    chunk = (rows + tasks - 1) // tasks
    for task in range(tasks):
        for i in range(task * chunk, min(rows, (task + 1) * chunk)):
            for c in range(channels):
                buffer[task, c] = x[i, c] + buffer[task, c]
    for c in range(channels):
        total = 0.0
        for thread in range(threads):
            total = total + np.float64(buffer[thread, c])
        mean[c] = total / np.float64(rows)
    buffer[:] = 0
    for task in range(tasks):
        for i in range(task * chunk, min(rows, (task + 1) * chunk)):
            for c in range(channels):
                d = x[i, c] - mean[c]
                buffer[task, c] = fma(d, d, buffer[task, c])
    for c in range(channels):
        total = 0.0
        for thread in range(threads):
            total = total + np.float64(buffer[thread, c])
        var_sum[c] = total


@loop
def _channel_stats(x: Any, wide: bool, mean: Any, var_sum: Any) -> None:
    """(N, C, L): each channel summed in double, sample by sample (a float64 row of odd
    length fuses its last squared deviation)."""
    samples, channels, length = x.shape
    for c in range(channels):
        total = 0.0
        for n in range(samples):
            for i in range(length):
                total = total + np.float64(x[n, c, i])
        mean[c] = total / np.float64(samples * length)
        m = mean[c]
        squares = 0.0
        for n in range(samples):
            for i in range(length):
                d = x[n, c, i] - m
                if wide and length % 2 == 1 and i == length - 1:
                    squares = fma(np.float64(d), np.float64(d), squares)
                else:
                    squares = squares + np.float64(d * d)
        var_sum[c] = squares


@loop
def _update(mean: Any, var_sum: Any, count: int, running_mean: Any, running_var: Any,
            tracked: bool, momentum: float, eps: float, invstd: Any) -> None:
    """batch_norm_cpu_update_stats_template: the saved 1/std, the running stats moved."""
    m = mean.dtype.type(momentum)
    keep = mean.dtype.type(1) - m
    size = mean.dtype.type(count)
    for c in range(mean.shape[0]):
        var = np.float64(var_sum[c] / size)
        invstd[c] = 1.0 / np.sqrt(var + eps) if var != 0.0 or eps != 0.0 else 0.0
        if tracked:
            running_mean[c] = m * mean[c] + keep * running_mean[c]
            unbiased = np.float64(var_sum[c] / mean.dtype.type(count - 1))
            running_var[c] = np.float64(m) * unbiased + np.float64(keep * running_var[c])


@loop
def _normalize(x: Any, mean: Any, invstd: Any, w: Any, b: Any, out: Any) -> None:
    """out = fma(x, α, β) with α = invstd·w, β = fma(−mean, α, b)."""
    samples, channels, length = x.shape
    for c in range(channels):
        alpha = invstd[c] * w[c]
        beta = fma(-mean[c], alpha, b[c])
        for n in range(samples):
            for i in range(length):
                out[n, c, i] = fma(x[n, c, i], alpha, beta)


@loop
def _row_backward(dy: Any, x: Any, w: Any, mean: Any, invstd: Any, threads: int, train: bool,
                  lanes: int, dx: Any, dw: Any, db: Any) -> None:
    """Rows (N, C): `batch_norm_cpu_backward_channels_last_impl`. The last C % lanes columns
    (the kernel's scalar tail) leave their dx multiply-add unfused."""
    rows, channels = x.shape
    sums = np.zeros((threads, channels), x.dtype)
    dots = np.zeros((threads, channels), x.dtype)
    tasks = min(threads, rows) if threads > 1 and rows > 1 else 1
    chunk = (rows + tasks - 1) // tasks
    for task in range(tasks):
        for i in range(task * chunk, min(rows, (task + 1) * chunk)):
            for c in range(channels):
                sums[task, c] = sums[task, c] + dy[i, c]
                dots[task, c] = fma(x[i, c] - mean[c], dy[i, c], dots[task, c])
    total = np.empty(channels, x.dtype)
    dot = np.empty(channels, x.dtype)
    for c in range(channels):
        s = 0.0
        p = 0.0
        for thread in range(threads):
            s = s + np.float64(sums[thread, c])
            p = p + np.float64(dots[thread, c])
        total[c] = s
        dot[c] = p
    full = channels - channels % lanes
    size = x.dtype.type(rows)
    for i in range(rows):
        for c in range(channels):
            if train:
                k = dot[c] * invstd[c] * invstd[c] / size
                centred = total[c] / size
                d = x[i, c] - mean[c]
                r = fma(-d, k, dy[i, c] - centred) if c < full else (dy[i, c] - centred) - d * k
                dx[i, c] = r * invstd[c] * w[c]
            else:
                dx[i, c] = dy[i, c] * invstd[c] * w[c]
    for c in range(channels):
        dw[c] = dot[c] * invstd[c]
        db[c] = total[c]


@scalar
def _row_sums(dy: Any, x: Any, mean: Any, lanes: int) -> Any:
    """(Σ dy, Σ (x − mean)·dy) of one row, in lane accumulators, the tail fused."""
    length = dy.shape[0]
    if length < lanes:
        s = dy[0]
        p = (x[0] - mean) * dy[0]
        for j in range(1, length):
            s = s + dy[j]
            p = p + (x[j] - mean) * dy[j]
        return s, p
    acc_s = np.empty(lanes, dy.dtype)
    acc_p = np.empty(lanes, dy.dtype)
    for j in range(lanes):
        acc_s[j] = dy[j]
        acc_p[j] = (x[j] - mean) * dy[j]
    full = length - length % lanes
    for j in range(lanes, length):
        q = j % lanes
        acc_s[q] = acc_s[q] + dy[j]
        if j < full:
            acc_p[q] = acc_p[q] + (x[j] - mean) * dy[j]
        else:
            acc_p[q] = fma(x[j] - mean, dy[j], acc_p[q])
    return fold_lanes(acc_s), fold_lanes(acc_p)


@loop
def _channel_backward(dy: Any, x: Any, w: Any, mean: Any, invstd: Any, train: bool, lanes: int,
                      dx: Any, dw: Any, db: Any) -> None:
    """(N, C, L): `batch_norm_cpu_backward_contiguous_impl`."""
    samples, channels, length = x.shape
    size = x.dtype.type(samples * length)
    for c in range(channels):
        m = mean[c]
        a = invstd[c]
        s = 0.0
        p = 0.0
        for n in range(samples):
            row_s, row_p = _row_sums(dy[n, c], x[n, c], m, lanes)
            s = s + np.float64(row_s)
            p = p + np.float64(row_p)
        if train:
            k = x.dtype.type(p) * a * a / size
            centred = x.dtype.type(s / np.float64(samples * length))
            for n in range(samples):
                for i in range(length):
                    d = x[n, c, i] - m
                    dx[n, c, i] = fma(-d, k, dy[n, c, i] - centred) * a * w[c]
        else:
            for n in range(samples):
                for i in range(length):
                    dx[n, c, i] = dy[n, c, i] * a * w[c]
        dw[c] = p * np.float64(a)
        db[c] = s


def is_contiguous(a: np.ndarray) -> bool:
    """PyTorch's is_contiguous(): the strides of dims of size 1 do not count."""
    if a.size == 0:
        return True
    expected = a.itemsize
    for size, stride in zip(reversed(a.shape), reversed(a.strides), strict=True):
        if size != 1:
            if stride != expected:
                return False
            expected *= size
    return True


def _channels_last(a: np.ndarray) -> bool:
    """is_contiguous(memory_format=channels_last) of a 4-d or 5-d array."""
    if a.ndim not in (4, 5) or a.size == 0:
        return False
    expected = a.itemsize
    for d in [1, *range(a.ndim - 1, 1, -1), 0]:
        if a.shape[d] != 1:
            if a.strides[d] != expected:
                return False
            expected *= a.shape[d]
    return True


def _as_rows(a: np.ndarray) -> np.ndarray:
    """A channels-last array's memory as (N·spatial, C) rows."""
    return np.transpose(a, (0, *range(2, a.ndim), 1)).reshape(-1, a.shape[1])


def _from_rows(rows: np.ndarray, like: np.ndarray) -> np.ndarray:
    return np.moveaxis(rows.reshape(like.shape[0], *like.shape[2:], like.shape[1]), -1, 1)


def forward(x: np.ndarray, weight: np.ndarray | None, bias: np.ndarray | None,
            running_mean: np.ndarray | None, running_var: np.ndarray | None, training: bool,
            momentum: float, eps: float, threads: int,
            generic: tuple[Callable, Callable] | None = None
            ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(out, save_mean, save_invstd) as native_batch_norm gives them; the running stats are
    updated in place. `generic` is (sum over dims, sqrt) as torch computes them, for layouts
    that take PyTorch's generic path."""
    if is_contiguous(x) and x.size:
        return _contiguous_forward(np.ascontiguousarray(x), weight, bias, running_mean,
                                   running_var, training, momentum, eps, threads)
    if _channels_last(x):
        out, mean, invstd = _contiguous_forward(_as_rows(x), weight, bias, running_mean,
                                                running_var, training, momentum, eps, threads)
        return _from_rows(out, x), mean, invstd
    return _generic_forward(x, weight, bias, running_mean, running_var, training, momentum,
                            eps, *generic)


def _contiguous_forward(x: np.ndarray, weight: Any, bias: Any, running_mean: Any,
                        running_var: Any, training: bool, momentum: float, eps: float,
                        threads: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    dtype = x.dtype
    samples, channels = x.shape[0], x.shape[1]
    x3 = x.reshape(samples, channels, -1)
    w = np.ones(channels, dtype) if weight is None else np.ascontiguousarray(weight, dtype)
    b = np.zeros(channels, dtype) if bias is None else np.ascontiguousarray(bias, dtype)
    if training:
        mean = np.empty(channels, dtype)
        var_sum = np.empty(channels, dtype)
        if x3.shape[2] == 1:
            if samples <= threads and 16 < channels <= 2048:  # each channel's rows in order
                by_channel = np.ascontiguousarray(x3.reshape(samples, channels).T)
                _channel_stats(by_channel.reshape(1, channels, samples), dtype == np.float64,
                               mean, var_sum)
            else:
                _row_stats(x3.reshape(samples, channels), threads if samples > threads else 1,
                           mean, var_sum)
        else:
            _channel_stats(x3, dtype == np.float64, mean, var_sum)
        invstd = np.empty(channels, dtype)
        tracked = running_mean is not None
        _update(mean, var_sum, x3.shape[0] * x3.shape[2],
                running_mean if tracked else mean.copy(),
                running_var if tracked else mean.copy(), tracked, float(momentum), float(eps),
                invstd)
        use_mean, use_invstd = mean, invstd
    else:
        use_mean = running_mean
        with np.errstate(all="ignore"):
            use_invstd = dtype.type(1) / np.sqrt(running_var + dtype.type(eps))
        mean = invstd = np.empty(0, dtype)
    out = np.empty_like(x3)
    _normalize(x3, np.ascontiguousarray(use_mean, dtype), np.ascontiguousarray(use_invstd, dtype),
               w, b, out)
    return out.reshape(x.shape), mean, invstd


def _in_memory_order(a: np.ndarray) -> np.ndarray:
    """`a`'s elements in increasing address order, as TensorIterator walks a permuted layout."""
    order = np.argsort(-np.array(a.strides), kind="stable")
    return np.transpose(a, order).ravel() if a.ndim else a.ravel()


@loop
def _squares_in_double(values: Any, mean: float) -> float:
    total = 0.0
    for i in range(values.shape[0]):
        d = np.float64(values[i]) - mean
        total = total + d * d
    return total


@loop
def _dot_in_double(values: Any, grads: Any, mean: Any) -> float:
    total = 0.0
    for i in range(values.shape[0]):
        total = total + np.float64((values[i] - mean) * grads[i])
    return total


def _generic_forward(x: np.ndarray, weight: Any, bias: Any, running_mean: Any, running_var: Any,
                     training: bool, momentum: float, eps: float, sum_over: Callable,
                     sqrt: Callable) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Normalization.cpp's batch_norm_cpu_transform_input_template and its stats, for layouts
    the kernels do not take."""
    dtype = x.dtype
    channels = x.shape[1]
    dims = (0, *range(2, x.ndim))
    count = x.size // channels
    if training:
        mean = (np.asarray(sum_over(x, dims), dtype) / dtype.type(count)).astype(dtype)
        invstd = np.empty(channels, dtype)
        for c in range(channels):
            squares = _squares_in_double(_in_memory_order(np.take(x, c, axis=1)),
                                         np.float64(mean[c]))
            var = squares / count
            invstd[c] = 0.0 if var == 0.0 and eps == 0.0 else 1.0 / np.sqrt(var + eps)
            if running_mean is not None:
                running_mean[c] = momentum * np.float64(mean[c]) + (1 - momentum) * np.float64(
                    running_mean[c])
                running_var[c] = momentum * (squares / (count - 1)) + (1 - momentum) * \
                    np.float64(running_var[c])
        use_mean, use_invstd = mean, invstd
    else:
        use_mean = running_mean
        use_invstd = (dtype.type(1) / np.asarray(sqrt(running_var + dtype.type(eps)), dtype)
                      ).astype(dtype)
        mean = invstd = np.empty(0, dtype)
    shape = [1] * x.ndim
    shape[1] = channels
    w = dtype.type(1) if weight is None else np.asarray(weight, dtype).reshape(shape)
    b = dtype.type(0) if bias is None else np.asarray(bias, dtype).reshape(shape)
    out = ((x - use_mean.reshape(shape)) * use_invstd.reshape(shape)) * w + b
    return np.ascontiguousarray(out, dtype), mean, invstd


def backward(dy: np.ndarray, x: np.ndarray, weight: np.ndarray | None, save_mean: np.ndarray,
             save_invstd: np.ndarray, running_mean: Any, running_var: Any, training: bool,
             eps: float, threads: int, sum_over: Callable | None = None
             ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(dx, dweight, dbias) as native_batch_norm_backward gives them (dweight as if the
    weight were ones when there is none)."""
    dtype = x.dtype
    dy = np.asarray(dy, dtype)
    channels = x.shape[1]
    w = np.ones(channels, dtype) if weight is None else np.ascontiguousarray(weight, dtype)
    if training:
        mean, invstd = save_mean, save_invstd
    else:
        mean = running_mean
        invstd = (1.0 / np.sqrt(np.asarray(running_var, np.float64) + float(eps))).astype(dtype)
    mean, invstd = np.ascontiguousarray(mean, dtype), np.ascontiguousarray(invstd, dtype)
    lanes = 32 // dtype.itemsize
    if is_contiguous(x) and is_contiguous(dy):
        x3 = np.ascontiguousarray(x).reshape(x.shape[0], channels, -1)
        dy3 = np.ascontiguousarray(dy).reshape(x3.shape)
        dx = np.empty_like(x3)
        dw, db = np.empty(channels, dtype), np.empty(channels, dtype)
        if x3.shape[2] == 1:
            _row_backward(dy3.reshape(x3.shape[:2]), x3.reshape(x3.shape[:2]), w, mean, invstd,
                          max(1, threads), training, lanes, dx.reshape(x3.shape[:2]), dw, db)
        else:
            _channel_backward(dy3, x3, w, mean, invstd, training, lanes, dx, dw, db)
        return dx.reshape(x.shape), dw, db
    if _channels_last(x) and _channels_last(dy):
        rows = np.empty(_as_rows(x).shape, dtype)
        dw, db = np.empty(channels, dtype), np.empty(channels, dtype)
        _row_backward(_as_rows(dy), _as_rows(x), w, mean, invstd, max(1, threads), training,
                      lanes, rows, dw, db)
        return _from_rows(rows, x), dw, db
    return _generic_backward(dy, x, w, mean, invstd, training, sum_over)


def _generic_backward(dy: np.ndarray, x: np.ndarray, w: np.ndarray, mean: np.ndarray,
                      invstd: np.ndarray, training: bool, sum_over: Callable
                      ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    dtype = x.dtype
    channels = x.shape[1]
    count = x.size // channels
    sums = np.asarray(sum_over(dy, (0, *range(2, x.ndim))), dtype)
    dx = np.empty(x.shape, dtype)
    dw, db = np.empty(channels, dtype), np.empty(channels, dtype)
    first = np.take(x, 0, axis=1)
    order = np.lexsort((-np.array(np.take(dy, 0, axis=1).strides), -np.array(first.strides)))
    for c in range(channels):
        xc, gc = np.take(x, c, axis=1), np.take(dy, c, axis=1)
        dot = _dot_in_double(np.transpose(xc, order).ravel(), np.transpose(gc, order).ravel(),
                             mean[c])
        if training:
            k = dtype.type(dot) * invstd[c] * invstd[c] / dtype.type(count)
            centred = sums[c] / dtype.type(count)
            dx[:, c] = ((gc - centred) - (xc - mean[c]) * k) * invstd[c] * w[c]
        else:
            dx[:, c] = gc * invstd[c] * w[c]
        dw[c] = dot * np.float64(invstd[c])
        db[c] = sums[c]
    return dx, dw, db

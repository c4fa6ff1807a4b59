"""`torch.nn.functional.logsigmoid` of float32 and float64 tensors as PyTorch's CPU kernel
computes it (and so the log σ(x) inside `binary_cross_entropy_with_logits`).

The kernel (Activation.cpp's `_vec_log_sigmoid`, AVX-512 build) makes the input contiguous and
computes min(x, 0) − log1p(e^−|x|) for every element in vector code: whole vectors of 16
floats (8 doubles), then one masked partial vector for the rest of each thread's share, never a
scalar loop. So, unlike sigmoid, every element of any size, layout or thread split takes Sleef's
`expf16_u10` and `log1pf16_u10` (`expd8_u10` and `log1pd8_u10`). The min is `vec::minimum`:
_mm512_min's +0. for −0., and all bits set for NaN, which the subtraction passes on. The kernel
also stores e^−|x| (its `buffer`) for the backward.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from engine import compiled

_ALL_BITS_NAN = {np.dtype(np.float32): np.array(0xFFFFFFFF, np.uint32).view(np.float32),
                 np.dtype(np.float64): np.array(0xFFFFFFFFFFFFFFFF, np.uint64).view(np.float64)}


def log_sigmoid(a: np.ndarray) -> Any:
    """PyTorch's log_sigmoid of `a`, a new contiguous array (0-d in, numpy scalar out)."""
    a = np.asarray(a, order="C")
    zero = a.dtype.type(0)
    if a.dtype not in _ALL_BITS_NAN:
        with np.errstate(over="ignore"):
            return (np.minimum(a, zero) - np.log1p(np.exp(-np.abs(a))))[()]
    if a.dtype == np.float32:
        exp, log1p = compiled.sleef_expf, compiled.sleef_log1pf
    else:
        exp, log1p = compiled.sleef_exp, compiled.sleef_log1p
    result = np.where(a < zero, a, zero) - log1p(exp(-np.abs(a)))
    nan = np.isnan(a)
    if nan.any():
        result = np.where(nan, _ALL_BITS_NAN[a.dtype], result)
    return result[()]


def log_sigmoid_backward(g: np.ndarray, a: np.ndarray) -> Any:
    """PyTorch's log_sigmoid_backward from the forward's buffer b = e^−|x|:
    (m − s·b/(1 + b))·g with m, s = 1, 1 where x < 0, else 0, −1 (−0. counts as x ≥ 0)."""
    a = np.asarray(a)
    if a.dtype not in _ALL_BITS_NAN:
        b = np.exp(-np.abs(a))
    else:
        b = (compiled.sleef_expf if a.dtype == np.float32 else compiled.sleef_exp)(-np.abs(a))
    negative = a < 0
    one, zero = a.dtype.type(1), a.dtype.type(0)
    max_deriv = np.where(negative, one, zero)
    sign = np.where(negative, one, -one)
    return ((max_deriv - sign * (b / (one + b))) * g)[()]

"""`torch.sin`, `cos`, `tan`, `asin`, `acos`, `atan`, `tanh` and `erf` of float32 and float64
tensors as PyTorch on this CPU computes them: with MKL's VML, bit for bit.

PyTorch hands these ops to MKL (`at::vml`, `vmsSin(n, x, y, VML_HA)` …) for every size and
layout (a strided view is copied into a buffer first), so each result depends on its argument
alone. On AMD CPUs MKL runs its generic SSE kernels (`mkl_vml_kernel_sSin_EXHAynn` …; found
with perf, read from libtorch_cpu's disassembly). Each function below repeats one kernel's
main path operation for operation, with the constants and tables it holds (`vml_tables`);
float32 kernels mostly work in float64 and round once at the end, so what they return is
within a fraction of an ulp of the true value, not correctly rounded.

Where a kernel is not modelled (an op and dtype for which `modelled` says False, a kernel's rare
path such as sin and cos beyond |x| = 10000, or a CPU other than AMD's, where MKL picks other
kernels) the result is today's: float32 computed in double and rounded once, float64 numpy's.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from engine import vml_tables
from engine.cpu_loops import MKL_SSE_ROOTS

MKL_SSE_KERNELS = MKL_SSE_ROOTS  # MKL runs its SSE kernels on this CPU (an AMD one)

_F32, _F64 = np.float32, np.float64


def _float32(*bits: int) -> list:
    return [np.array(b, np.uint32).view(_F32)[()] for b in bits]


def _float64(*bits: int) -> list:
    return [np.array(b, np.uint64).view(_F64)[()] for b in bits]


def _rounded(function: np.ufunc, x: np.ndarray) -> np.ndarray:
    """`function` of float32 values in double, rounded once."""
    with np.errstate(all="ignore"):
        return function(x, dtype=np.float64).astype(_F32)


def _unary(a: Any, function: np.ufunc, model32: Callable | None,
           model64: Callable | None = None) -> Any:
    a = np.asarray(a)
    if a.ndim == 0:
        return _unary(a.reshape(1), function, model32, model64)[0]
    if a.dtype == _F32:
        if MKL_SSE_KERNELS and model32 is not None:
            return model32(a)
        return _rounded(function, a)
    if a.dtype == _F64 and MKL_SSE_KERNELS and model64 is not None:
        return model64(a)
    with np.errstate(all="ignore"):
        return function(a)


def sin(a: Any) -> Any:
    """PyTorch's sin (MKL's vsSin/vdSin)."""
    return _unary(a, *_KERNELS["sin"])


def cos(a: Any) -> Any:
    """PyTorch's cos (MKL's vsCos/vdCos)."""
    return _unary(a, *_KERNELS["cos"])


def tan(a: Any) -> Any:
    """PyTorch's tan (MKL's vsTan/vdTan)."""
    return _unary(a, *_KERNELS["tan"])


def asin(a: Any) -> Any:
    """PyTorch's asin (MKL's vsAsin/vdAsin)."""
    return _unary(a, *_KERNELS["asin"])


def acos(a: Any) -> Any:
    """PyTorch's acos (MKL's vsAcos/vdAcos)."""
    return _unary(a, *_KERNELS["acos"])


def atan(a: Any) -> Any:
    """PyTorch's atan (MKL's vsAtan/vdAtan)."""
    return _unary(a, *_KERNELS["atan"])


def tanh(a: Any) -> Any:
    """PyTorch's tanh (MKL's vsTanh/vdTanh)."""
    return _unary(a, *_KERNELS["tanh"])


def erf(a: Any) -> Any:
    """PyTorch's erf (MKL's vsErf/vdErf)."""
    return _unary(a, *_KERNELS["erf"])


def modelled(name: str, dtype: Any) -> bool:
    """Whether op `name` of `dtype` follows MKL's kernel here (else it is today's rounding)."""
    if not MKL_SSE_KERNELS:
        return False
    _, model32, model64 = _KERNELS[name]
    return (model32 if np.dtype(dtype) == _F32 else model64 if np.dtype(dtype) == _F64
            else None) is not None


@np.vectorize
def _erf_scalar(x: float) -> float:
    import math

    return math.erf(x)


def _erf_wide(x: np.ndarray, dtype: Any = None) -> np.ndarray:
    """The error function in double, correctly rounded (numpy has none of its own)."""
    return np.asarray(_erf_scalar(np.asarray(x, _F64)), _F64)


# --- sin and cos, float32 (sSin_EXHAynn, sCos_EXHAynn) ---------------------------------------
# n = nearest integer to |x|/π (cos: to |x|/π + 1/2, less 1/2) in float32 steps, r = |x| − n·π
# in float64 with π in two parts, sin r ≈ r + r³·P(r²), rounded to float32 and negated for odd n.
_INV_PI, _ROUND, _UNROUND, _HALF_PI = _float32(0x3EA2F983, 0x4B400000, 0xCB400000, 0x3FC90FDB)
_PI_HI, _PI_LO = _float64(0x400921FB54440000, 0x3D968C234C4C6629)
_SIN_POLY = _float64(0x3EC5DBDF0E4C7DEE, 0xBF29F6FFEEA73463, 0x3F8110ED3804CA96,
                     0xBFC55554BC836587)
_TRIG_LIMIT = _F32(10000)  # beyond, MKL reduces by Payne and Hanek in a path not modelled
_DEFAULT_NAN32 = np.array(0xFFC00000, np.uint32).view(_F32)[()]  # x86's NaN of invalid ops


def _sin32(x: np.ndarray) -> np.ndarray:
    magnitude = np.abs(x)
    shifted = magnitude * _INV_PI
    shifted += _ROUND
    result = _sin_reduced(magnitude, shifted + _UNROUND)
    sign = (shifted.view(np.uint32) << 31) ^ (x.view(np.uint32) & np.uint32(0x80000000))
    return _trig_special(x, (result.view(np.uint32) ^ sign).view(_F32), np.sin)


def _cos32(x: np.ndarray) -> np.ndarray:
    magnitude = np.abs(x)
    shifted = magnitude + _HALF_PI
    shifted *= _INV_PI
    shifted += _ROUND
    n = shifted + _UNROUND
    n += _F32(-0.5)
    result = _sin_reduced(magnitude, n)
    sign = shifted.view(np.uint32) << 31
    return _trig_special(x, (result.view(np.uint32) ^ sign).view(_F32), np.cos)


def _sin_reduced(magnitude: np.ndarray, n: np.ndarray) -> np.ndarray:
    """sin(|x| − n·π) as the kernels compute it, rounded to float32."""
    wide = n.astype(_F64)
    with np.errstate(invalid="ignore"):
        r = magnitude.astype(_F64)
        r -= wide * _PI_HI
        r -= wide * _PI_LO
    square = r * r
    poly = square * _SIN_POLY[0]
    for coefficient in _SIN_POLY[1:]:
        poly += coefficient
        poly *= square
    poly *= r
    poly += r
    return poly.astype(_F32)


def _trig_special(x: np.ndarray, result: np.ndarray, function: np.ufunc) -> np.ndarray:
    """The kernels' other path: NaN stays NaN, ±inf gives the default NaN, and beyond ±10000
    the correctly rounded value (MKL's own is within an ulp of it, equal in 99% of cases)."""
    special = ~(np.abs(x) <= _TRIG_LIMIT)
    if not special.any():
        return result
    other = np.where(np.isinf(x), _DEFAULT_NAN32, _rounded(function, x))
    return np.where(special, np.where(np.isnan(x), _quiet(x), other), result)


# --- tan, float32 (sTan_EXHAynn) ------------------------------------------------------------
# n = nearest integer to |x|·2/π, r = |x| − n·π/2 as for sin; tan r ≈ P/Q with P = r − c·r³,
# Q = 1 + r²·(d₀ + d₁·r²), and −Q/P for odd n, in float64, rounded once.
_TWO_OVER_PI = _float32(0x3F22F983)[0]
_HALF_PI_HI, _HALF_PI_LO = _float64(0x3FF921FB54440000, 0x3D868C234C4C6629)
_TAN_P, _TAN_Q1, _TAN_Q0 = _float64(0x3FB8867706ED6612, 0x3F83E66EA6AA37F2, 0xBFDB76F5E7F08C11)


def _tan32(x: np.ndarray) -> np.ndarray:
    magnitude = np.abs(x)
    shifted = magnitude * _TWO_OVER_PI
    shifted += _ROUND
    n = (shifted + _UNROUND).astype(_F64)
    with np.errstate(invalid="ignore", divide="ignore"):
        r = magnitude.astype(_F64)
        r -= n * _HALF_PI_HI
        r -= n * _HALF_PI_LO
        square = r * r
        p = r - (r * _TAN_P) * square
        q = (square * _TAN_Q1 + _TAN_Q0) * square + 1.0
        odd = (shifted.view(np.uint32) & np.uint32(1)).astype(bool)
        result = (np.where(odd, q, p) / np.where(odd, p, q)).astype(_F32)
    sign = (shifted.view(np.uint32) << 31) ^ (x.view(np.uint32) & np.uint32(0x80000000))
    return _trig_special(x, (result.view(np.uint32) ^ sign).view(_F32), np.tan)


# --- tanh, float32 (sTanh_EXHAynn) -----------------------------------------------------------
# 27 intervals of |x| (by its exponent and two leading mantissa bits, from 0.109375 to 10),
# each a degree-7 polynomial in float64, rounded once, with x's sign.
_TANH32 = vml_tables.table("tanh32").reshape(27, 8)


def _tanh32(x: np.ndarray) -> np.ndarray:
    bits = x.view(np.int32) & np.int32(0x7FE00000)
    index = np.clip((bits - np.int32(0x3DE00000)) >> 21, 0, 26)
    magnitude = np.abs(x).astype(_F64)
    coefficients = _TANH32[index]
    with np.errstate(invalid="ignore"):
        poly = coefficients[..., 7] * magnitude
        for j in range(6, 0, -1):
            poly += coefficients[..., j]
            poly *= magnitude
        poly += coefficients[..., 0]
    result = (poly.astype(_F32).view(np.uint32) | (x.view(np.uint32) & np.uint32(0x80000000)))
    result = result.view(_F32)
    special = bits > np.int32(0x7F000000)  # beyond 2.1e38, inf and NaN: ±1, or NaN
    if special.any():
        result = np.where(special, np.where(np.isnan(x), _quiet(x), np.copysign(_F32(1), x)),
                          result)
    return result


# --- erf, float32 (sErf_EXHAynn) -------------------------------------------------------------
# For a = min(|x|, 3.9296875): a₀ = a rounded to 1/256 (0 below 0.013671875), d = a − a₀; the
# table gives erf(a₀) (with a packed correction) and a slope t; erf a ≈ erf(a₀) + t·d·(1 − …)
# by a short polynomial in a₀·d and d², all float32 steps (minps as SSE's: NaN picks the second).
_ERF32 = vml_tables.table("erf32").reshape(-1, 2)
(_ERF_CAP, _ERF_SHIFT, _ERF_UNSHIFT, _ERF_LOW, _ERF_TINY, _ERF_D2, _ERF_C0, _ERF_A1, _ERF_A0,
 _ERF_UP, _ERF_DOWN) = _float32(0x407B8000, 0x47000000, 0xC7000000, 0x3C600000, 0x27800000,
                                0x3EC093B2, 0x3E0375D4, 0x3F4093A6, 0xBF906EBC, 0x7B800000,
                                0x3C800000)


def _quiet(x: np.ndarray) -> np.ndarray:
    """NaNs made quiet, as any SSE operation on them does (their payload kept)."""
    return (x.view(np.uint32) | np.uint32(0x00400000)).view(_F32)


def _minps(a: np.ndarray, b: Any) -> np.ndarray:
    return np.where(a < b, a, b)


def _erf32(x: np.ndarray) -> np.ndarray:
    magnitude = np.abs(x)
    a = _minps(magnitude, _ERF_CAP)
    shifted = a + _ERF_SHIFT
    entry = _ERF32[shifted.view(np.int32) - np.int32(0x47000000)]
    a0 = np.where(_ERF_LOW <= a, shifted + _ERF_UNSHIFT, _F32(0))
    d = a - a0
    small = np.where(_ERF_TINY < a, d, _F32(0))
    small *= small
    q = _ERF_C0 - small * _ERF_D2
    with np.errstate(invalid="ignore", over="ignore"):
        value = _minps((entry[..., 0] & np.uint32(0x3FFFFFF)).view(_F32), magnitude)
        value *= _ERF_UP
        product = a0 * d
        poly = (product * _ERF_A1 + _ERF_A0) * product + q
        slope = entry[..., 1].view(_F32) * d
        correction = ((entry[..., 0] >> 26) | np.uint32(0x3F800000)).view(_F32) * value - value
        result = (poly * slope + correction) + slope
        result = result * _ERF_DOWN + value
    return (result.view(np.uint32) ^ (x.view(np.uint32) & np.uint32(0x80000000))).view(_F32)


# name: (numpy's function, float32 model, float64 model); None where not modelled
_KERNELS: dict[str, tuple[Callable, Callable | None, Callable | None]] = {
    "sin": (np.sin, _sin32, None),
    "cos": (np.cos, _cos32, None),
    "tan": (np.tan, _tan32, None),
    "asin": (np.arcsin, None, None),
    "acos": (np.arccos, None, None),
    "atan": (np.arctan, None, None),
    "tanh": (np.tanh, _tanh32, None),
    "erf": (_erf_wide, _erf32, None),
}

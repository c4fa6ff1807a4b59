"""`torch.exp`, `log`, `sin`, `cos`, `tan`, `asin`, `acos`, `atan`, `tanh` and `erf` of float32
and float64 tensors as PyTorch on this CPU computes them: with MKL's VML, bit for bit.

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

import decimal
from collections.abc import Callable
from typing import Any

import numpy as np

from engine import vml_tables
from engine.cpu_loops import MKL_SSE_ROOTS, rsqrt_estimate

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
    """The error function computed in double (correctly rounded there; numpy has none of its
    own), returned as `dtype`, by default x's."""
    wide = np.asarray(_erf_scalar(np.asarray(x, _F64)), _F64)
    return wide.astype(dtype or np.result_type(x))


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
_TANH32 = tuple(np.ascontiguousarray(column) for column in
                vml_tables.table("tanh32").reshape(27, 8).T)  # one array per power


def _tanh32(x: np.ndarray) -> np.ndarray:
    bits = x.view(np.int32) & np.int32(0x7FE00000)
    index = bits - np.int32(0x3DE00000)
    index >>= 21
    np.clip(index, 0, 26, out=index)
    magnitude = np.abs(x).astype(_F64)
    with np.errstate(invalid="ignore"):
        poly = np.take(_TANH32[7], index)
        poly *= magnitude
        for coefficients in _TANH32[6:0:-1]:
            poly += np.take(coefficients, index)
            poly *= magnitude
        poly += np.take(_TANH32[0], index)
    result = poly.astype(_F32).view(np.uint32)
    result |= x.view(np.uint32) & np.uint32(0x80000000)
    result = result.view(_F32)
    special = bits > np.int32(0x7F000000)  # beyond 2.1e38, inf and NaN: ±1, or NaN
    if special.any():
        result = np.where(special, np.where(np.isnan(x), _quiet(x), np.copysign(_F32(1), x)),
                          result)
    return result


# --- tanh, float64 (dTanh_EXHAynn) -----------------------------------------------------------
# 60 intervals of |x| (exponent and three mantissa bits, from 0.1171875 to 20), each a
# polynomial in t = |x| − centre whose leading terms c₁ + c₂·t are summed in double-double.
_TANH64 = tuple(np.ascontiguousarray(column) for column in
                vml_tables.table("tanh64").reshape(60, 13).T)
_HIGH_HALF = np.uint64(0xFFFFFFFF00000000)
_SIGN64 = np.uint64(1 << 63)


def _split(v: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """v as its top 21 significant bits and the rest (both exact)."""
    head = (v.view(np.uint64) & _HIGH_HALF).view(_F64)
    return head, v - head


def _tanh64(x: np.ndarray) -> np.ndarray:
    top = (x.view(np.uint64) >> np.uint64(32)).astype(np.int64) & 0x7FFE0000
    index = (top - 0x3FBE0000) >> 17
    np.clip(index, 0, 59, out=index)
    c = [np.take(column, index) for column in _TANH64]
    with np.errstate(invalid="ignore"):
        t = c[12] + np.abs(x)
        poly = c[11] * t + c[10]
        for j in range(9, 2, -1):
            poly *= t
            poly += c[j]
        poly *= t
        poly *= t
        poly += c[0]
        slope_head, slope_tail = _split(c[2])
        t_head, t_tail = _split(t)
        low = t_head * slope_tail + (t_tail * slope_head + slope_tail * t_tail) + poly
        product = slope_head * t_head
        total = c[1] + product
        error = product - total
        result = ((product - (total + error)) + (error + c[1])) + low + total
    result = (result.view(np.uint64) | (x.view(np.uint64) & _SIGN64)).view(_F64)
    if not np.isfinite(x).all():
        result = np.where(np.isinf(x), np.copysign(1.0, x), result)
        result = np.where(np.isnan(x), _quiet64(x), result)
    return result


def _quiet64(x: np.ndarray) -> np.ndarray:
    return (x.view(np.uint64) | np.uint64(0x0008000000000000)).view(_F64)


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



# --- atan, float32 (sAtan_EXHAynn) -----------------------------------------------------------
# |x| in five ranges, split at 0.375, 0.72, 1.75 and 2.6875: atan |x| = atan c + atan t with
# t = (|x| − c)/(1 + c·|x|) for c = 0, 1/2, 1, 2 (t = −1/|x| and π/2 beyond); the quotient by
# rcpps refined twice in float64, t split in two floats, atan t ≈ t + t³·P(t²) in float32 steps
# with atan c in two parts.
_RCP_TABLE = ((4096 - np.cumsum(vml_tables.table("rcp_steps"), dtype=np.int64)) << 11
              ).astype(np.uint32) + np.uint32(0x3F000000)
_RCP_TABLE = _RCP_TABLE.view(_F32)
(_ATAN_H1, _ATAN_H2, _ATAN_H3, _ATAN_H4, _ATAN_L1, _ATAN_L2, _ATAN_L3, _ATAN_L4, _ATAN_P0,
 _ATAN_P1, _ATAN_P2, _ATAN_P3) = _float32(
    0x3EED6338, 0x3F490FD8, 0x3F8DB710, 0x3FC90FD8, 0x31AC3768, 0x34288858, 0xB4DA2880,
    0x34A88858, 0x3DAE1329, 0x3E4CAA3B, 0xBE0F4E4E, 0xBEAAAA6C)
_HALF_PI32 = _float32(0x3FC90FDB)[0]


def rcpps(x: np.ndarray) -> np.ndarray:
    """`rcpps` of float32 `x` on this CPU: the table entry for x's mantissa, scaled back by its
    power of two; as the instruction does, a result below 2**-126 is flushed to zero and a
    subnormal x counts as zero (its estimate infinite), inf gives 0 and NaN stays NaN."""
    bits = x.view(np.uint32)
    exponent = ((bits >> 23) & np.uint32(0xFF)).astype(np.int32)
    with np.errstate(all="ignore"):
        estimate = np.ldexp(_RCP_TABLE[(bits >> 11) & np.uint32(0xFFF)], 127 - exponent)
        estimate = np.copysign(estimate.astype(_F32), x)
        estimate = np.where(np.abs(estimate) < _F32(2.0**-126), np.copysign(_F32(0), x),
                            estimate)
        estimate = np.where(exponent == 0, np.copysign(_F32(np.inf), x), estimate)
        estimate = np.where(exponent == 255, np.where(np.isnan(x), _quiet(x),
                                                      np.copysign(_F32(0), x)), estimate)
    return estimate


_ATAN32_TABLES = tuple(np.array(column, _F32) for column in (
    [0, 0.5, 1, 2, 1],  # numerator: |x| − this (masked to 0 in the last range)
    [0, 0.5, 1, 2, 1],  # denominator: |x|·this + (1, but 0 in the last range)
    [1, 1, 1, 1, 0],
    [0, _ATAN_H1, _ATAN_H2, _ATAN_H3, _ATAN_H4],  # atan c, high and low parts
    [0, _ATAN_L1, _ATAN_L2, _ATAN_L3, _ATAN_L4]))
_ATAN32_LIMITS = np.array([0x3EC00000, 0x3F3851EC, 0x3FE00000, 0x402C0001], np.int32)


def _rcpps_normal(x: np.ndarray) -> np.ndarray:
    """`rcpps` of positive normal float32 values whose reciprocal is normal too."""
    bits = x.view(np.uint32)
    exponent = (bits >> 23).astype(np.int32)
    return np.ldexp(_RCP_TABLE[(bits >> 11) & np.uint32(0xFFF)], 127 - exponent)


def _atan32(x: np.ndarray) -> np.ndarray:
    magnitude = np.abs(x)
    bits = magnitude.view(np.int32)
    index = np.searchsorted(_ATAN32_LIMITS, bits, side="right")
    offset, scale, one, high, low = (np.take(column, index) for column in _ATAN32_TABLES)
    last = index == 4
    with np.errstate(all="ignore"):
        numerator = np.where(last, -offset, magnitude - offset)
        denominator = magnitude * scale + one
        estimate = _rcpps_normal(np.where(np.isfinite(denominator), denominator,
                                          _F32(1))).astype(_F64)
        error = 1.0 - denominator.astype(_F64) * estimate
        quotient = (error * error + 1.0) * (error * estimate + estimate)
        quotient *= numerator.astype(_F64)
        head = (quotient.view(np.uint64) & np.uint64(0xFFFFFFFFE0000000)).view(_F64)
        t = head.astype(_F32)
        low += (quotient - head).astype(_F32)
        square = t * t
        fourth = square * square
        poly = (fourth * _ATAN_P0 + _ATAN_P1) * square + (fourth * _ATAN_P2 + _ATAN_P3)
        result = ((poly * square * t + low) + t) + high
    result = (result.view(np.uint32) | (x.view(np.uint32) & np.uint32(0x80000000))).view(_F32)
    tiny, huge = bits < 0x01000000, bits >= 0x7D000000  # the kernel's other path
    if tiny.any() or huge.any():
        result = np.where(tiny, x, result)
        result = np.where(huge, np.copysign(_HALF_PI32, x), result)
        result = np.where(np.isnan(x), _quiet(x), result)
    return result


# --- atan, float64 (dAtan_EXHAynn) -----------------------------------------------------------
# |x| split at 0.4375, 0.6875, 1.1875 and 2.4375: atan |x| = atan c + atan((|x| − c)/(1 + c|x|))
# (c = 0, 1/2, 1, 3/2; π/2 − atan(1/|x|) beyond), numerator and denominator in double-double
# (26-bit heads), the quotient from rcpps refined by a series, atan q ≈ q + q³·P(q²).
_ATAN64_ROWS = np.array([  # per range, largest first: c, mask for |x| (and for 1), atan c hi, lo
    [0x3FF0000000000000, 0x0, 0x3FF921FB54442D18, 0x3C91A62633145C07],
    [0x3FF8000000000000, 0xFFFFFFFFFFFFFFFF, 0x3FEF730BD281F69B, 0x3C7007887AF0CBBD],
    [0x3FF0000000000000, 0xFFFFFFFFFFFFFFFF, 0x3FE921FB54442D18, 0x3C81A62633145C07],
    [0x3FE0000000000000, 0xFFFFFFFFFFFFFFFF, 0x3FDDAC670561BB4F, 0x3C7A2B7F222F65E2],
    [0x0, 0xFFFFFFFFFFFFFFFF, 0x0, 0x0]], np.uint64)
_ATAN64_A = _float64(0x3F8BE4FBE6733718, 0x3FA6AD5558FE19C9, 0x3FAE12F1EDF7C393,
                     0x3FB3B132B731E73A, 0x3FBC71C719F99F96, 0x3FC9999999998F43)
_ATAN64_B = _float64(0xBFA04CD71F92185E, 0xBFAA9E755CA13D23, 0xBFB1108D326C68ED,
                     0xBFB745D119677A4F, 0xBFC2492492441A21, 0xBFD5555555555552)
_HEAD26 = np.uint64(0xFFFFFFFFF8000000)
_HALF_PI64 = _float64(0x3FF921FB54442D18)[0]


def _masked(v: np.ndarray, mask: np.ndarray) -> np.ndarray:
    return (v.view(np.uint64) & mask).view(_F64)


def _atan64(x: np.ndarray) -> np.ndarray:
    magnitude = np.abs(x)
    top = (magnitude.view(np.uint64) >> np.uint64(32)).astype(np.int64)
    index = 4 - ((top > 0x3FDC0000).astype(np.intp) + (top > 0x3FE60000) + (top > 0x3FF30000)
                 + (top > 0x40038000))
    row = _ATAN64_ROWS[index]
    c, keep, high, low = row[..., 0].view(_F64), row[..., 1], row[..., 2].view(_F64), row[
        ..., 3].view(_F64)
    with np.errstate(all="ignore"):
        x_head = _masked(magnitude, _HEAD26)
        x_tail = magnitude - x_head
        start = _masked(x_head, keep) - c
        rest = _masked(x_tail, keep)
        numerator = start - rest
        rest -= numerator - start
        n_head = _masked(numerator, _HEAD26)
        n_tail = (numerator - n_head) + rest
        partial = _masked(np.ones_like(magnitude), keep) + c * x_head
        product = c * x_tail
        denominator = product + partial
        error = (partial - denominator) + product
        d_head = _masked(denominator, _HEAD26)
        d_tail = (denominator - d_head) + error
        estimate = rcpps(d_head.astype(_F32)).astype(_F64)
        e = d_tail * estimate + (d_head * estimate + (-1.0))
        series = e * e - e
        for step in (1.0, -1.0, 1.0, -1.0):
            series *= e
            series += step * e
        series *= estimate
        q_tail = n_tail * estimate + (series * n_head + n_tail * series)
        q_head = n_head * estimate
        q = q_head + q_tail
        square = q * q
        fourth = square * square
        a = fourth * _ATAN64_A[0] + _ATAN64_A[1]
        b = fourth * _ATAN64_B[0] + _ATAN64_B[1]
        for ca, cb in zip(_ATAN64_A[2:], _ATAN64_B[2:], strict=True):
            a = a * fourth + ca
            b = b * fourth + cb
        result = (((a * square + b) * square) * q + (q_tail + low)) + q_head + high
    result = (result.view(np.uint64) | (x.view(np.uint64) & _SIGN64)).view(_F64)
    tiny, huge = top < 0x00300000, top >= 0x7E000000  # the kernel's other path
    if tiny.any() or huge.any():
        result = np.where(tiny, x, np.where(huge, np.copysign(_HALF_PI64, x), result))
        result = np.where(np.isnan(x), _quiet64(x), result)
    return result


# --- asin and acos, float32 (sAsin_EXHAynn, sAcos_EXHAynn) -----------------------------------
# z = min(x², (1 − |x|)/2); below |x| = 1/2 asin x ≈ x + x·P(z), above π/2 − 2·asin √z with
# √(2z) from rsqrtps (12 bits) refined by splitting into 13-bit halves, all float32 steps;
# acos from the same pieces with π/2, π and their low parts.
(_ASIN_TINY, _ASIN_E1, _ASIN_E0, _ASIN_P0, _ASIN_P1, _ASIN_P2, _ASIN_P3, _ASIN_P4,
 _HALF_PI_LOW32, _PI32, _PI_LOW32) = _float32(
    0x2F800000, 0xBDC00004, 0x3E800001, 0x3D2EDC07, 0x3CC32A6B, 0x3D3A9AB4, 0x3D997C12,
    0x3E2AAAFF, 0xB33BBD2E, 0x40490FDB, 0xB3BBBD2E)
_TWELVE_BITS, _THIRTEEN_BITS = np.uint32(0xFFFFF000), np.uint32(0xFFFFE000)


def _high_bits(v: np.ndarray, mask: np.uint32) -> np.ndarray:
    return (v.view(np.uint32) & mask).view(_F32)


def _asin_pieces(w: np.ndarray, z: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """√(2w) as a float32 `root` with `correction` (to be subtracted, with root's low part
    `low` folded in as the kernels do), and P(z), for asin's and acos's large branch."""
    usable = w >= _ASIN_TINY
    estimate = rsqrt_estimate(np.where(usable, w, _F32(1)))
    estimate = np.where(usable, _high_bits(estimate, _TWELVE_BITS), _F32(0))
    double = w + w
    head = _high_bits(double, _THIRTEEN_BITS)
    root = head * estimate
    low = (double - head) * estimate
    root_head = _high_bits(root, _THIRTEEN_BITS)
    error = ((root_head * estimate + _F32(-2.0)) + estimate * low) + (root - root_head) * estimate
    correction = (error * _ASIN_E1 + _ASIN_E0) * ((root + low) * error) - low
    poly = ((z * z) * (z * _ASIN_P0 + _ASIN_P1) + (z * _ASIN_P2 + _ASIN_P3)) * z + _ASIN_P4
    return root, correction, poly * z


def _arcsine_nan(x: np.ndarray, result: np.ndarray, payload: bool) -> np.ndarray:
    """|x| > 1 gives the default NaN; a NaN stays NaN (asin drops its low payload bits)."""
    outside = ~(np.abs(x) <= 1)
    if not outside.any():
        return result
    nan = _quiet(x) if payload else _high_bits(_quiet(x), _THIRTEEN_BITS)
    return np.where(outside, np.where(np.isnan(x), nan, _DEFAULT_NAN32), result)


def _asin32(x: np.ndarray) -> np.ndarray:
    magnitude = np.abs(x)
    with np.errstate(all="ignore"):
        w = _F32(0.5) - magnitude * _F32(0.5)
        square = magnitude * magnitude
        z = np.where(square < w, square, w)
        root, correction, poly = _asin_pieces(w, z)
        rest = _HALF_PI32 - root
        tail = ((_HALF_PI32 - rest) - root) + (correction + _HALF_PI_LOW32)
        small = magnitude < _F32(0.5)
        result = ((np.where(small, magnitude, correction - root) * poly
                   + np.where(small, _F32(0), tail)) + np.where(small, magnitude, rest))
    result = (result.view(np.uint32) ^ (x.view(np.uint32) & np.uint32(0x80000000))).view(_F32)
    return _arcsine_nan(x, result, payload=False)


def _acos32(x: np.ndarray) -> np.ndarray:
    sign = x.view(np.uint32) & np.uint32(0x80000000)
    negative_magnitude = (x.view(np.uint32) | np.uint32(0x80000000)).view(_F32)
    with np.errstate(all="ignore"):
        w = negative_magnitude * _F32(0.5) + _F32(0.5)
        square = negative_magnitude * negative_magnitude
        z = np.where(square < w, square, w)
        large = ~(z < w)
        root, correction, poly = _asin_pieces(w, z)
        below_zero = large & ~(z < x)
        high = np.where(large, np.where(below_zero, _PI32, _F32(0)), _HALF_PI32)
        low = np.where(large, np.where(below_zero, _PI_LOW32, _F32(0)), _HALF_PI_LOW32)
        correction = np.where(large, correction, _F32(0))
        value = np.where(large, root, negative_magnitude)
        low = (low.view(np.uint32) ^ sign).view(_F32) - correction
        result = ((value - correction) * poly + low) + value
        result = (result.view(np.uint32) ^ sign).view(_F32) + high
    return _arcsine_nan(x, result, payload=True)


# name: (numpy's function, float32 model, float64 model); None where not modelled
_KERNELS: dict[str, tuple[Callable, Callable | None, Callable | None]] = {
    "sin": (np.sin, _sin32, None),
    "cos": (np.cos, _cos32, None),
    "tan": (np.tan, _tan32, None),
    "asin": (np.arcsin, _asin32, None),
    "acos": (np.arccos, _acos32, None),
    "atan": (np.arctan, _atan32, _atan64),
    "tanh": (np.tanh, _tanh32, _tanh64),
    "erf": (_erf_wide, _erf32, None),
}


# --- exp and log ---------------------------------------------------------------------------------

# MKL's float32 exp and log (vmsExp, vmsLn with VML_HA), which PyTorch calls for float tensors.
# On AMD CPUs MKL runs its SSE kernels (`mkl_vml_kernel_sExp_EXHAynn`, `..._sLn_EXHAynn`, as
# for sqrt in `cpu_loops`); these are their main paths, each step a float32 SSE operation,
# with the constants those kernels hold (as float32 bit patterns). Checked equal to PyTorch's
# on 8 million values each; Intel CPUs get other MKL kernels (there: correctly rounded).
_EXP_SCALE, _EXP_SHIFT, _EXP_UNSHIFT = _float32(0x4338AA3B, 0x4B400000, 0xCB400000)  # 128/ln 2
_EXP_LN2_HI, _EXP_LN2_LO = _float32(0xBBB18000, 0x35DE8083)  # −ln 2/128 in two parts
_LOG_POLY = _float32(0xBE0402C8, 0x3E0F335D, 0xBDF9889E, 0x3E0F6B8C, 0xBE2ACEE6, 0x3E4CE814,
                     0xBE7FFF78, 0x3EAAAA83, 0xBF000000)
_LOG_LN2_LO, _LOG_LN2_HI = _float32(0x35BFBE8E, 0x3F317200)
_TWO_THIRDS_BITS = 0x3F2AAAAB


def _powers_of_two(count: int, dtype: type) -> tuple[np.ndarray, np.ndarray]:
    """2**(j/count), j < count, as pairs of `dtype`: the rounded value and the rounded rest
    (the tables of MKL's exp kernels, which these reproduce entry for entry)."""
    with decimal.localcontext() as context:
        context.prec = 60
        exact = [decimal.Decimal(2) ** (decimal.Decimal(j) / count) for j in range(count)]
        high = [dtype(float(e)) for e in exact]
        low = [dtype(float(e - decimal.Decimal(float(h))))
               for e, h in zip(exact, high, strict=True)]
    return np.array(high, dtype), np.array(low, dtype)


_EXP_HIGH, _EXP_LOW = _powers_of_two(128, np.float32)


def mkl_exp32(x: np.ndarray) -> np.ndarray:
    """MKL's float32 exp on this CPU: x = (n + j/128)·ln 2 + r, e^r ≈ r + r²/2, times the
    table's 2**(j/128) in two parts and 2**n. Arguments beyond ±87.34 take MKL's rare path,
    taken here correctly rounded (MKL's results differ there in about 0.3% of the values near
    overflow and 0.03% of the subnormal ones; in a logsumexp they are tiny beside e⁰ = 1)."""
    x = np.asarray(x, np.float32)
    if not MKL_SSE_KERNELS:
        return _rounded(np.exp, x)
    if x.ndim == 0:  # arrays throughout (numpy's results keep the argument's layout)
        return mkl_exp32(x.reshape(1)).reshape(())
    with np.errstate(over="ignore", invalid="ignore"):
        shifted = np.multiply(x, _EXP_SCALE)
        shifted += _EXP_SHIFT
        n = shifted + _EXP_UNSHIFT
        bits = shifted.view(np.int32)
        r = np.multiply(n, _EXP_LN2_HI)
        r += x
        n *= _EXP_LN2_LO
        r += n  # (n·lo) + ((n·hi) + x)
        index = bits & 127
        high = np.take(_EXP_HIGH, index)
        result = np.square(r)
        result *= np.float32(0.5)
        result += r
        result *= high
        result += np.take(_EXP_LOW, index)
        result += high
        np.left_shift(bits, 16, out=index)
        index += np.int32(0x3F800000)
        index &= np.int32(0x7F800000)
        result *= index.view(np.float32)
    rare = (x.view(np.int32) & np.int32(0x7FFFFFF0)) > np.int32(0x42AEAC4F)
    if rare.any():
        result = np.where(rare, _rounded(np.exp, x), result)
    return result


def mkl_log32(x: np.ndarray) -> np.ndarray:
    """MKL's float32 log on this CPU: x = 2**k·m with m in [2/3, 4/3), log m = r + r²·P(r)
    for r = m − 1 (a degree-8 polynomial by Horner), plus k·ln 2 in two parts. Zeros,
    subnormals, negatives, infinities and NaNs (MKL's rare path) come correctly rounded."""
    x = np.asarray(x, np.float32)
    if not MKL_SSE_KERNELS:
        return _rounded(np.log, x)
    if x.ndim == 0:
        return mkl_log32(x.reshape(1)).reshape(())
    bits = x.view(np.int32)
    offset = bits - np.int32(_TWO_THIRDS_BITS)
    k = (offset >> 23).astype(np.float32)
    offset &= np.int32(0x7FFFFF)
    offset += np.int32(_TWO_THIRDS_BITS)
    r = offset.view(np.float32)
    r -= np.float32(1)
    poly = r * _LOG_POLY[0]
    poly += _LOG_POLY[1]
    for coefficient in _LOG_POLY[2:]:
        poly *= r
        poly += coefficient
    poly *= r
    poly *= r
    poly += r
    low = k * _LOG_LN2_LO
    low += poly  # (k·ln2_lo + poly), then k·ln2_hi added
    k *= _LOG_LN2_HI
    k += low
    rare = (bits + np.int32(0x800000)) <= np.int32(0xFFFFFF)
    if rare.any():  # MKL's NaN for a negative argument is the positive one
        k = np.where(rare, np.where(x < 0, np.float32(np.nan), _rounded(np.log, x)), k)
    return k


_DEXP_SCALE, _DEXP_SHIFT = _float64(0x40571547652B82FE, 0x4338000000000000)  # 64/ln 2
_DEXP_LN2_HI, _DEXP_LN2_LO = _float64(0xBF862E42FEFA0000, 0xBD1CF79ABC9E3B3A)
_DEXP_POLY = _float64(0x3F8111112D9F549B, 0x3FA555573F218B93, 0x3FC555555555653E,
                      0x3FDFFFFFFFFFDB3B)


_DEXP_HIGH, _DEXP_LOW = _powers_of_two(64, np.float64)


def mkl_exp64(x: np.ndarray) -> np.ndarray:
    """MKL's float64 exp on this CPU (`mkl_vml_kernel_dExp_EXHAynn`): x = (n + j/64)·ln 2 + r,
    e^r − 1 ≈ r + r²·P(r) (degree 3), times the table's 2**(j/64) in two parts, 2**n added to
    the exponent bits. Arguments beyond ±708.4 (its rare path) from long double, rounded."""
    x = np.asarray(x, np.float64)
    if not MKL_SSE_KERNELS:
        return _exp_wide(x)
    if x.ndim == 0:
        return mkl_exp64(x.reshape(1)).reshape(())
    with np.errstate(over="ignore", invalid="ignore"):
        shifted = x * _DEXP_SCALE + _DEXP_SHIFT
        n = shifted - _DEXP_SHIFT
        bits = shifted.view(np.int64)
        r = n * _DEXP_LN2_LO + (n * _DEXP_LN2_HI + x)
        poly = _DEXP_POLY[0] * r + _DEXP_POLY[1]
        poly = poly * r + _DEXP_POLY[2]
        square = r * r
        poly = (poly * r + _DEXP_POLY[3]) * square + r
        high = _DEXP_HIGH[bits & 63]
        poly = (poly * high + _DEXP_LOW[bits & 63]) + high
        result = (poly.view(np.int64) + ((bits << 46) & np.int64(-(1 << 52)))).view(np.float64)
    rare = ((x.view(np.int64) >> 32) & 0x7FFFFFFF) > 0x4086232A
    if rare.any():
        result = np.where(rare, _exp_wide(x), result)
    return result


def _exp_wide(x: np.ndarray) -> np.ndarray:
    """float64 exp from the C library's long double, correctly rounded but for rare cases."""
    with np.errstate(over="ignore", invalid="ignore"):
        if np.finfo(np.longdouble).nmant > 52:
            return np.exp(x.astype(np.longdouble)).astype(np.float64)
        return np.exp(x)


def exp(a: Any) -> Any:
    """PyTorch's exp (MKL's vsExp/vdExp); other dtypes numpy's."""
    a = np.asarray(a)
    if a.dtype == _F32:
        return mkl_exp32(a)[()]
    if a.dtype == _F64:
        return mkl_exp64(a)[()]
    return np.exp(a)


def log(a: Any) -> Any:
    """PyTorch's log (MKL's vsLn): float32 as above; float64 numpy's (MKL's differs in 0.02%
    of values, from its `rcpps` start, not modelled)."""
    a = np.asarray(a)
    if a.dtype == _F32:
        return mkl_log32(a)[()]
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.log(a)

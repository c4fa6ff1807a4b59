"""Sleef's vector exp and log, as PyTorch's AVX-512 CPU kernels call them, bit for bit.

`Vectorized<float>::exp()` and `::log()` are Sleef_expf16_u10 and Sleef_logf16_u10, and for
doubles Sleef_expd8_u10 and Sleef_logd8_u10: Sleef's `xexpf`, `xlogf_u1`, `xexp` and `xlog_u1`
built for AVX-512F, where every `vmla` is a fused multiply-add and the logs split their
argument with getexp/getmant. Each function below repeats its Sleef counterpart operation for
operation (`*_exact`); the float32 ones, which the softmax kernels call on every element, also
have a faster path that rounds exactly the same:

* exp: the polynomial's first four steps each stay within one binade for every reduced
  argument (|s| < 0.347), so adding a constant that puts float32's grid of that binade on
  float64's last place rounds each step's exact float64 value once, as the FMA does; the two
  sums that cross binades round through float64, exactly unless that lands on a float32
  midpoint (then those elements take the whole computation).
* log: its result is its double-float sum rounded to float32, and that sum is computed here
  to within 2**-20 of a float32 ulp (the one float32 term exactly); only a sum within 2**-16
  of an ulp from a rounding midpoint needs the whole computation.

Checked against torch 2.13 (AVX512 capability) through its softmax kernels.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from engine.fma import fma32, fma64

_F32, _F64 = np.float32, np.float64
_MIDPOINT_BITS, _MIDPOINT = 0x1FFFFFFF, 0x10000000  # float64 low bits of a float32 midpoint

# --- float32 exp (xexpf) ---------------------------------------------------------------------
_R_LN2F = _F32(1.442695040888963407359924681001892137426645954152985934135449406931)
_L2UF, _L2LF = _F32(0.693145751953125), _F32(1.428606765330187045e-06)  # ln 2 in two parts
_EXPF_POLY = tuple(_F32(c) for c in (
    0.000198527617612853646278381, 0.00139304355252534151077271, 0.00833336077630519866943359,
    0.0416664853692054748535156, 0.166666671633720397949219, 0.5))
_EXPF_LOW, _EXPF_HIGH = _F32(-104.5), _F32(100.5)  # beyond: 0 and inf, as Sleef's own limits
_LN2_PARTS = _F64(_L2UF) + _F64(_L2LF)  # exact


def _grid(binade: int) -> _F64:
    """G such that (x + G) - G is x rounded to float32's grid, for x in [2**binade,
    2**(binade+1)): the sum's last place is that grid's step."""
    return _F64(1.5 * 2.0 ** (binade + 29))


_EXPF_GRIDS = tuple(_grid(binade) for binade in (-10, -7, -5, -3))  # u1..u4 stay in these
_EXPF_SHIFTED = tuple(_F64(c) + grid for c, grid in zip(_EXPF_POLY[1:5], _EXPF_GRIDS,
                                                           strict=True))


def _on_grids(u: np.ndarray, s: np.ndarray, *shifted_and_grids: Any) -> np.ndarray:
    """Horner steps u·s + c rounded to float32 as an FMA would, each in a known binade: u
    (already one product) plus c + G, minus G (see `_grid`), then times s but for the last."""
    last = len(shifted_and_grids) - 2
    for step in range(0, last + 2, 2):
        u += shifted_and_grids[step]
        u -= shifted_and_grids[step + 1]
        if step < last:
            u *= s
    return u


_CONSTANTS: dict[tuple, tuple[np.ndarray, ...]] = {}
_ARRAY_CONSTANTS_UP_TO = 4096  # elements; beyond, a scalar's cost is lost in the work


def _constants(name: str, shape: tuple, values: tuple) -> tuple[Any, ...]:
    """`values` as read-only arrays of this shape, kept per shape, for small shapes: numpy
    combines two arrays of one shape faster than an array and a scalar, and on small arrays
    that is where the time goes. Larger shapes get the scalars."""
    if math.prod(shape) > _ARRAY_CONSTANTS_UP_TO:
        return values
    key = (name, shape)
    arrays = _CONSTANTS.get(key)
    if arrays is None:
        if len(_CONSTANTS) > 64:
            _CONSTANTS.clear()
        arrays = tuple(np.full(shape, value) for value in values)
        for array in arrays:
            array.flags.writeable = False
        _CONSTANTS[key] = arrays
    return arrays


_EXPF_VALUES = (_EXPF_LOW, _EXPF_HIGH, _R_LN2F, -_LN2_PARTS, _F64(_EXPF_POLY[0]),
                *(value for pair in zip(_EXPF_SHIFTED, _EXPF_GRIDS, strict=True)
                  for value in pair), _F64(0.5), _F32(1))


def expf(d: np.ndarray, nonpositive: bool = False) -> np.ndarray:
    """Sleef_expf16_u10 of float32 values. `nonpositive`: none is above 0 (a softmax's
    arguments), which spares one clamp."""
    d = np.asarray(d, _F32)
    (low, high, r_ln2, minus_ln2, c0, shifted1, grid1, shifted2, grid2, shifted3, grid3,
     shifted4, grid4, half, one) = _constants("expf", d.shape, _EXPF_VALUES)
    d = np.maximum(d, low) if nonpositive else np.minimum(np.maximum(d, low), high)
    q = d * r_ln2
    np.rint(q, out=q)
    s = q.astype(_F64)
    s *= minus_ln2
    s += d  # d - q·ln 2 is exact in float64 (Sleef's two steps round once, here)
    s32 = s.astype(_F32)
    np.copyto(s, s32)
    u = _on_grids(s * c0, s, shifted1, grid1, shifted2, grid2, shifted3, grid3, shifted4,
                  grid4)
    u *= s
    sums = np.empty((2, *d.shape))  # the two sums that cross binades, checked together
    np.add(u, half, out=sums[0])
    u5 = sums[0].astype(_F32)
    s32 *= s32
    np.multiply(s32, u5, out=sums[1], dtype=_F64)
    sums[1] += s
    w = sums[1].astype(_F32)
    w += one
    result = np.ldexp(w, q.astype(np.int32))
    bits = sums.view(np.int64)
    bits &= _MIDPOINT_BITS
    if np.count_nonzero(bits == _MIDPOINT):  # a float64 sum on a midpoint may have decided it
        redo = (bits[0] == _MIDPOINT) | (bits[1] == _MIDPOINT)
        result[redo] = expf_exact(d[redo])
    return result


def expf_exact(d: np.ndarray) -> np.ndarray:
    """Sleef_expf16_u10 operation for operation."""
    d = np.asarray(d, _F32)
    clipped = np.clip(d, _EXPF_LOW, _EXPF_HIGH)
    q = np.rint(clipped * _R_LN2F)
    s = fma32(q, -_L2LF, fma32(q, -_L2UF, clipped))
    u = np.full_like(s, _EXPF_POLY[0])
    for c in _EXPF_POLY[1:]:
        u = fma32(u, s, c)
    u = fma32(s * s, u, s) + _F32(1)
    return np.ldexp(u, q.astype(np.int32))


# --- float32 log (xlogf_u1) ------------------------------------------------------------------
_FOUR_THIRDS_F = _F32(1.0 / 0.75)
_LN2F_HI, _LN2F_LO = _F32(0.69314718246459960938), _F32(-1.904654323148236017e-09)
_LOGF_POLY = (_F32(0.3027294874), _F32(0.3996108174), _F32(0.6666694880))
_LOGF_GRIDS = (_grid(-2), _grid(-1))  # the two polynomial steps stay in these binades
_LOGF_SHIFTED = tuple(_F64(c) + grid for c, grid in zip(_LOGF_POLY[1:], _LOGF_GRIDS,
                                                           strict=True))
_LOGF_MARGIN = 1 << 13  # 2**-16 float32 ulp, in float64 last places (measured error: 2**-21.9)
_LN2 = _F64(0.6931471805599453)
_SMALLEST_NORMAL_F = _F32(2.0**-126)
_LOGF_VALUES = (_F32(0.75), _F32(1), _F64(_LOGF_POLY[0]), _LOGF_SHIFTED[0], _LOGF_GRIDS[0],
                _LOGF_SHIFTED[1], _LOGF_GRIDS[1], _F64(1), _LN2)


def logf(d: np.ndarray, normal: bool = False) -> np.ndarray:
    """Sleef_logf16_u10 of float32 values. `normal`: every value is known to be a positive
    normal float or NaN (a softmax's sum), which skips the checks for the rest."""
    d = np.asarray(d, _F32)
    if not normal and not (d.size and d.min() >= _SMALLEST_NORMAL_F and d.max() < np.inf):
        return logf_exact(d)
    three_quarters, one, c0, shifted0, grid0, shifted1, grid1, one64, ln2 = _constants(
        "logf", d.shape, _LOGF_VALUES)
    mantissa, exponent = np.frexp(d)
    low = mantissa < three_quarters
    m = np.ldexp(mantissa, low)  # getmant: [0.75, 1.5)
    x_num = m - one
    x = m + one
    np.divide(one, x, out=x)
    x *= x_num  # the double-float quotient's high part: Sleef's (m - 1)·(1/(m + 1))
    x2 = x * x
    t = _on_grids(x2 * c0, x2, shifted0, grid0, shifted1, grid1)
    x2 *= x
    t *= x2
    total = m + one64
    np.divide(x_num + x_num, total, out=total)
    exponent -= low
    total += exponent * ln2
    total += t.astype(_F32)  # the cubic term, rounded as Sleef rounds it
    result = total.astype(_F32)
    bits = total.view(np.int64)
    bits -= _MIDPOINT - _LOGF_MARGIN
    bits &= _MIDPOINT_BITS
    near = bits < 2 * _LOGF_MARGIN
    if np.count_nonzero(near):
        result[near] = logf_exact(d[near])
    return result


def _two_sum(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sleef's dfadd2/ddadd2: the rounded sum and its exact error."""
    total = x + y
    virtual = total - x
    return total, (x - (total - virtual)) + (y - virtual)


def logf_exact(d: np.ndarray) -> np.ndarray:
    """Sleef_logf16_u10 operation for operation (its AVX-512 branch)."""
    d = np.asarray(d, _F32)
    one = np.ones_like(d)
    e = _getexp(d * _FOUR_THIRDS_F, _F32(128))
    m = _getmant(d)
    s_hi = _LN2F_HI * e
    s_lo = fma32(_LN2F_LO, e, fma32(_LN2F_HI, e, -s_hi))
    n_hi, n_lo = _two_sum(-one, m)
    d_hi, d_lo = _two_sum(one, m)
    t = _F32(1) / d_hi
    x_hi = n_hi * t
    u = fma32(t, n_hi, -x_hi)
    x_lo = fma32(-d_lo, t, fma32(-d_hi, t, _F32(1)))
    x_lo = fma32(x_hi, x_lo, fma32(n_lo, t, u))
    x2 = x_hi * x_hi
    poly = fma32(fma32(np.full_like(d, _LOGF_POLY[0]), x2, _LOGF_POLY[1]), x2, _LOGF_POLY[2])
    r_hi = s_hi + (x_hi + x_hi)
    r_lo = (((s_hi - r_hi) + (x_hi + x_hi)) + s_lo) + (x_lo + x_lo)
    cubic = (x2 * x_hi) * poly
    total = r_hi + cubic
    return _log_fixup(total + (((r_hi - total) + cubic) + r_lo), d)


def _getexp(v: np.ndarray, infinite: float) -> np.ndarray:
    """getexp (floor of log2 |v|) with an infinite v mapped to `infinite`, as Sleef does."""
    _, exponent = np.frexp(v)
    e = (exponent - 1).astype(v.dtype)
    return np.where(np.isinf(v), v.dtype.type(infinite), e)


def _getmant(d: np.ndarray) -> np.ndarray:
    """getmant with the interval [0.75, 1.5)."""
    mantissa, _ = np.frexp(d)
    return np.where(np.abs(mantissa) < 0.75, mantissa + mantissa, mantissa)


def _log_fixup(r: np.ndarray, d: np.ndarray) -> np.ndarray:
    """The fixupimm at the end of Sleef's AVX-512 logs: log 0 = -inf, log inf = inf, log of a
    negative number or NaN = NaN."""
    dtype = d.dtype.type
    r = np.where(d == 0, dtype(-np.inf), r)
    r = np.where(np.isposinf(d), dtype(np.inf), r)
    return np.where((d < 0) | np.isnan(d), dtype(np.nan), r)


# --- float64 exp (xexp) ----------------------------------------------------------------------
_R_LN2 = 1.442695040888963407359924681001892137426645954152985934135449406931
_L2U = .69314718055966295651160180568695068359375  # ln 2 in two parts
_L2L = .28235290563031577122588448175013436025525412068e-12
_EXP_POLY = (
    +0.2081276378237164457e-8, +0.2511210703042288022e-7, +0.2755762628169491192e-6,
    +0.2755723402025388239e-5, +0.2480158687479686264e-4, +0.1984126989855865850e-3,
    +0.1388888888914497797e-2, +0.8333333333314938210e-2, +0.4166666666666602598e-1,
    +0.1666666666666669072e+0)


def exp(d: np.ndarray) -> np.ndarray:
    """Sleef_expd8_u10 of float64 values."""
    d = np.asarray(d, _F64)
    clipped = np.clip(d, -1100.0, 1100.0)
    u = np.rint(clipped * _R_LN2)
    s = fma64(u, -_L2L, fma64(u, -_L2U, clipped))
    s2 = s * s
    s4 = s2 * s2
    c = _EXP_POLY
    poly = fma64(s4 * s4, fma64(s, c[0], c[1]),
                 fma64(s4, _poly4(s, s2, *c[2:6]), _poly4(s, s2, *c[6:])))
    poly = fma64(poly, s, 0.5)
    poly = fma64(poly, s, 1.0)
    poly = fma64(poly, s, 1.0)
    q = u.astype(np.int64)
    half = q >> 1
    result = np.ldexp(np.ldexp(poly, half), q - half)
    result = np.where(d > 709.78271114955742909217217426, np.inf, result)
    return np.where(d < -1000, 0.0, result)


def _poly4(x: np.ndarray, x2: np.ndarray, c3: float, c2: float, c1: float, c0: float
           ) -> np.ndarray:
    """Sleef's POLY4 (Estrin): (c3·x + c2)·x2 + (c1·x + c0), each step one FMA."""
    return fma64(x2, fma64(x, c3, c2), fma64(x, c1, c0))


# --- float64 log (xlog_u1) -------------------------------------------------------------------
_LN2_HI, _LN2_LO = 0.693147180559945286226764, 2.319046813846299558417771e-17
_LOG_POLY = (0.1532076988502701353e+0, 0.1525629051003428716e+0, 0.1818605932937785996e+0,
             0.2222214519839380009e+0, 0.2857142932794299317e+0, 0.3999999999635251990e+0,
             0.6666666666667333541e+0)


def log(d: np.ndarray) -> np.ndarray:
    """Sleef_logd8_u10 of float64 values."""
    d = np.asarray(d, _F64)
    one = np.ones_like(d)
    e = _getexp(d * (1.0 / 0.75), 1024.0)
    m = _getmant(d)
    n_hi, n_lo = _two_sum(-one, m)
    d_hi, d_lo = _two_sum(one, m)
    t = 1.0 / d_hi
    x_hi = n_hi * t
    u = fma64(t, n_hi, -x_hi)
    x_lo = fma64(-d_lo, t, fma64(-d_hi, t, 1.0))
    x_lo = fma64(x_hi, x_lo, fma64(n_lo, t, u))
    x2 = x_hi * x_hi
    x4 = x2 * x2
    c = _LOG_POLY
    poly = fma64(x4 * x4, fma64(x4, c[0], fma64(x2, c[1], c[2])), _poly4(x2, x4, *c[3:]))
    s_hi = _LN2_HI * e
    s_lo = fma64(_LN2_LO, e, fma64(_LN2_HI, e, -s_hi))
    r_hi = s_hi + (x_hi + x_hi)
    r_lo = (((s_hi - r_hi) + (x_hi + x_hi)) + s_lo) + (x_lo + x_lo)
    cubic = (x2 * x_hi) * poly
    total = r_hi + cubic
    return _log_fixup(total + (((r_hi - total) + cubic) + r_lo), d)

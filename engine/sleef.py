"""Sleef's vector exp, log and log1p, as PyTorch's AVX-512 CPU kernels call them, bit for bit.

`Vectorized<float>::exp()`, `::log()` and `::log1p()` are Sleef_expf16_u10, Sleef_logf16_u10
and Sleef_log1pf16_u10, and for doubles Sleef_expd8_u10, Sleef_logd8_u10 and Sleef_log1pd8_u10:
Sleef's `xexpf`, `xlogf_u1`, `xlog1pf`, `xexp`, `xlog_u1` and `xlog1p` built for AVX-512F, where
every `vmla` is a fused multiply-add and the logs take their argument's exponent with getexp.
Each kernel below repeats its Sleef counterpart (3.8, the one PyTorch bundles) operation for
operation, compiled (`engine.jit`): numpy needed some thirty calls per array for each.

Checked against torch 2.13 (AVX512 capability) through its softmax kernels (exp, log) and its
log_sigmoid kernel (log1p).
"""

from __future__ import annotations

import math

import numpy as np

from engine.jit import fma, scalar, ufunc

_F32, _F64 = np.float32, np.float64

# --- float32 exp (xexpf) ---------------------------------------------------------------------
_R_LN2F = _F32(1.442695040888963407359924681001892137426645954152985934135449406931)
_L2UF, _L2LF = _F32(0.693145751953125), _F32(1.428606765330187045e-06)  # ln 2 in two parts
_EXPF_C0, _EXPF_C1, _EXPF_C2, _EXPF_C3, _EXPF_C4, _EXPF_C5 = (_F32(c) for c in (
    0.000198527617612853646278381, 0.00139304355252534151077271, 0.00833336077630519866943359,
    0.0416664853692054748535156, 0.166666671633720397949219, 0.5))
_EXPF_LOW, _EXPF_HIGH = _F32(-104.5), _F32(100.5)  # beyond: 0 and inf, as Sleef's own limits
_ONE_F = _F32(1)


@ufunc("float32(float32)")
def expf(d: float) -> float:
    """Sleef_expf16_u10 of float32 values."""
    if d != d:
        return d
    d = min(max(d, _EXPF_LOW), _EXPF_HIGH)
    q = np.rint(d * _R_LN2F)
    s = fma(q, -_L2UF, d)
    s = fma(q, -_L2LF, s)
    u = fma(_EXPF_C0, s, _EXPF_C1)
    u = fma(u, s, _EXPF_C2)
    u = fma(u, s, _EXPF_C3)
    u = fma(u, s, _EXPF_C4)
    u = fma(u, s, _EXPF_C5)
    u = fma(s * s, u, s) + _ONE_F
    return _F32(math.ldexp(_F64(u), int(q)))


# --- the logs' shared steps ------------------------------------------------------------------
@scalar
def _getexp(v: float) -> int:
    """getexp: the floor of log2 |v| (of a finite, nonzero v)."""
    return math.frexp(v)[1] - 1


@scalar
def _getmant(d: float) -> float:
    """getmant with the interval [0.75, 1.5), exact."""
    mantissa = math.frexp(d)[0]
    return mantissa + mantissa if abs(mantissa) < 0.75 else mantissa


@scalar
def _fixup(r: float, d: float) -> float:
    """The fixupimm at the end of Sleef's AVX-512 logs: log 0 = -inf, log inf = inf, log of a
    negative number or NaN = NaN."""
    if d == 0:
        return -math.inf
    if d == math.inf:
        return math.inf
    if d < 0 or d != d:
        return math.nan
    return r


# --- float32 log (xlogf_u1) ------------------------------------------------------------------
_FOUR_THIRDS_F = _F32(1.0 / 0.75)
_LN2F_HI, _LN2F_LO = _F32(0.69314718246459960938), _F32(-1.904654323148236017e-09)
_LOGF_C0, _LOGF_C1, _LOGF_C2 = _F32(0.3027294874), _F32(0.3996108174), _F32(0.6666694880)


@ufunc("float32(float32)")
def logf(d: float) -> float:
    """Sleef_logf16_u10 of float32 values."""
    return _logf(d)


@scalar
def _logf(d: float) -> float:
    scaled = d * _FOUR_THIRDS_F
    e = _F32(128) if abs(scaled) == math.inf else _F32(_getexp(scaled))
    m = _F32(_getmant(d))
    s_hi = _LN2F_HI * e
    s_lo = fma(_LN2F_LO, e, fma(_LN2F_HI, e, -s_hi))
    n_hi = -_ONE_F + m  # m - 1 and m + 1 with their rounding errors (Sleef's dfadd2)
    n_lo = (-_ONE_F - (n_hi - (n_hi - -_ONE_F))) + (m - (n_hi - -_ONE_F))
    d_hi = _ONE_F + m
    d_lo = (_ONE_F - (d_hi - (d_hi - _ONE_F))) + (m - (d_hi - _ONE_F))
    t = _ONE_F / d_hi
    x_hi = n_hi * t
    u = fma(t, n_hi, -x_hi)
    x_lo = fma(-d_lo, t, fma(-d_hi, t, _ONE_F))
    x_lo = fma(x_hi, x_lo, fma(n_lo, t, u))
    x2 = x_hi * x_hi
    poly = fma(fma(_LOGF_C0, x2, _LOGF_C1), x2, _LOGF_C2)
    r_hi = s_hi + (x_hi + x_hi)
    r_lo = (((s_hi - r_hi) + (x_hi + x_hi)) + s_lo) + (x_lo + x_lo)
    cubic = (x2 * x_hi) * poly
    total = r_hi + cubic
    return _F32(_fixup(total + (((r_hi - total) + cubic) + r_lo), d))


# --- float64 exp (xexp) ----------------------------------------------------------------------
_R_LN2 = 1.442695040888963407359924681001892137426645954152985934135449406931
_L2U = .69314718055966295651160180568695068359375  # ln 2 in two parts
_L2L = .28235290563031577122588448175013436025525412068e-12
_EXP_C = (
    +0.2081276378237164457e-8, +0.2511210703042288022e-7, +0.2755762628169491192e-6,
    +0.2755723402025388239e-5, +0.2480158687479686264e-4, +0.1984126989855865850e-3,
    +0.1388888888914497797e-2, +0.8333333333314938210e-2, +0.4166666666666602598e-1,
    +0.1666666666666669072e+0)


@scalar
def _poly4(x: float, x2: float, c3: float, c2: float, c1: float, c0: float) -> float:
    """Sleef's POLY4 (Estrin): (c3·x + c2)·x2 + (c1·x + c0), each step one FMA."""
    return fma(x2, fma(x, c3, c2), fma(x, c1, c0))


@ufunc("float64(float64)")
def exp(d: float) -> float:
    """Sleef_expd8_u10 of float64 values."""
    if d != d:
        return d
    if d > 709.78271114955742909217217426:
        return math.inf
    if d < -1000:
        return 0.0
    u = np.rint(d * _R_LN2)
    s = fma(u, -_L2L, fma(u, -_L2U, d))
    s2 = s * s
    s4 = s2 * s2
    c = _EXP_C
    poly = fma(s4 * s4, fma(s, c[0], c[1]),
               fma(s4, _poly4(s, s2, c[2], c[3], c[4], c[5]),
                   _poly4(s, s2, c[6], c[7], c[8], c[9])))
    poly = fma(poly, s, 0.5)
    poly = fma(poly, s, 1.0)
    poly = fma(poly, s, 1.0)
    q = int(u)
    half = q >> 1
    return math.ldexp(math.ldexp(poly, half), q - half)


# --- float64 log (xlog_u1) -------------------------------------------------------------------
_LN2_HI, _LN2_LO = 0.693147180559945286226764, 2.319046813846299558417771e-17
_LOG_C = (0.1532076988502701353e+0, 0.1525629051003428716e+0, 0.1818605932937785996e+0,
          0.2222214519839380009e+0, 0.2857142932794299317e+0, 0.3999999999635251990e+0,
          0.6666666666667333541e+0)


@ufunc("float64(float64)")
def log(d: float) -> float:
    """Sleef_logd8_u10 of float64 values."""
    return _log(d)


@scalar
def _log(d: float) -> float:
    scaled = d * (1.0 / 0.75)
    e = 1024.0 if abs(scaled) == math.inf else float(_getexp(scaled))
    m = _getmant(d)
    n_hi = -1.0 + m
    n_lo = (-1.0 - (n_hi - (n_hi - -1.0))) + (m - (n_hi - -1.0))
    d_hi = 1.0 + m
    d_lo = (1.0 - (d_hi - (d_hi - 1.0))) + (m - (d_hi - 1.0))
    t = 1.0 / d_hi
    x_hi = n_hi * t
    u = fma(t, n_hi, -x_hi)
    x_lo = fma(-d_lo, t, fma(-d_hi, t, 1.0))
    x_lo = fma(x_hi, x_lo, fma(n_lo, t, u))
    x2 = x_hi * x_hi
    x4 = x2 * x2
    c = _LOG_C
    poly = fma(x4 * x4, fma(x4, c[0], fma(x2, c[1], c[2])),
               _poly4(x2, x4, c[3], c[4], c[5], c[6]))
    s_hi = _LN2_HI * e
    s_lo = fma(_LN2_LO, e, fma(_LN2_HI, e, -s_hi))
    r_hi = s_hi + (x_hi + x_hi)
    r_lo = (((s_hi - r_hi) + (x_hi + x_hi)) + s_lo) + (x_lo + x_lo)
    cubic = (x2 * x_hi) * poly
    total = r_hi + cubic
    return _fixup(total + (((r_hi - total) + cubic) + r_lo), d)


# --- log1p (xlog1pf, xlog1p) -----------------------------------------------------------------
# Both write 1 + d as m·2**e with 1 + m in [0.75, 1.5), m computed from d by one FMA, then take
# log(1 + m) = 2·atanh(m / (2 + m)) as the logs above; above a bound, where 1 + d is d, the log.
_LOG1PF_BOUND, _LOG1P_BOUND = _F32(1e38), 1e307
_TWO_F = _F32(2)
_ALL_BITS_NAN_F = np.array(0xFFFFFFFF, np.uint32).view(_F32)[()]  # an OR with a true mask


@ufunc("float32(float32)")
def log1pf(d: float) -> float:
    """Sleef_log1pf16_u10 of float32 values."""
    if d != d:
        return d + d  # the NaN, quieted
    if d > _LOG1PF_BOUND:
        return _logf(d)
    if d < -1:
        return _ALL_BITS_NAN_F
    if d == -1:
        return _F32(-math.inf)
    if d == 0:
        return d  # keeps -0.
    e = _F32(_getexp((d + _ONE_F) * _FOUR_THIRDS_F))
    t = _F32(math.ldexp(1.0, -int(e)))  # Sleef adds -e to the exponent field of 1
    m = fma(d, t, t - _ONE_F)
    s_hi = _LN2F_HI * e
    s_lo = fma(_LN2F_LO, e, fma(_LN2F_HI, e, -s_hi))
    d_hi = _TWO_F + m  # 2 + m with its rounding error (dfadd), then m / (2 + m) (dfdiv)
    d_lo = (_TWO_F - d_hi) + m
    inverse = _ONE_F / d_hi
    x_hi = m * inverse
    u = fma(inverse, m, -x_hi)
    x_lo = fma(-d_lo, inverse, fma(-d_hi, inverse, _ONE_F))
    x_lo = fma(x_hi, x_lo, fma(_F32(0), inverse, u))
    x2 = x_hi * x_hi
    poly = fma(fma(_LOGF_C0, x2, _LOGF_C1), x2, _LOGF_C2)
    r_hi = s_hi + (x_hi + x_hi)
    r_lo = (((s_hi - r_hi) + (x_hi + x_hi)) + s_lo) + (x_lo + x_lo)
    cubic = (x2 * x_hi) * poly
    total = r_hi + cubic
    return total + (((r_hi - total) + cubic) + r_lo)


@ufunc("float64(float64)")
def log1p(d: float) -> float:
    """Sleef_log1pd8_u10 of float64 values."""
    if d != d or d < -1:
        return math.nan
    if d > _LOG1P_BOUND:
        return _log(d)
    if d == -1:
        return -math.inf
    if d == 0:
        return d  # keeps -0.
    e = float(_getexp((d + 1.0) * (1.0 / 0.75)))
    t = math.ldexp(1.0, -int(e))  # as in log1pf
    m = fma(d, t, t - 1.0)
    d_hi = 2.0 + m
    d_lo = (2.0 - d_hi) + m
    inverse = 1.0 / d_hi
    x_hi = m * inverse
    u = fma(inverse, m, -x_hi)
    x_lo = fma(-d_lo, inverse, fma(-d_hi, inverse, 1.0))
    x_lo = fma(x_hi, x_lo, fma(0.0, inverse, u))
    x2 = x_hi * x_hi
    x4 = x2 * x2
    c = _LOG_C
    poly = fma(x4 * x4, fma(x4, c[0], fma(x2, c[1], c[2])),
               _poly4(x2, x4, c[3], c[4], c[5], c[6]))
    s_hi = _LN2_HI * e
    s_lo = fma(_LN2_LO, e, fma(_LN2_HI, e, -s_hi))
    r_hi = s_hi + (x_hi + x_hi)
    r_lo = (((s_hi - r_hi) + (x_hi + x_hi)) + s_lo) + (x_lo + x_lo)
    cubic = (x2 * x_hi) * poly
    total = r_hi + cubic
    return total + (((r_hi - total) + cubic) + r_lo)

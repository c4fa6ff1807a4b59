"""glibc's expf and exp as PyTorch's scalar CPU code calls them (`std::exp`), bit for bit.

PyTorch's elementwise kernels compute the elements outside their vector blocks (small
tensors, the tail of a run, strided views) with the C library's functions. On x86-64 glibc
(2.28 and later) picks its FMA builds of expf and exp where the CPU has FMA: a table of
2**(j/N), a short polynomial, and every `a * b + c` of the C source one fused multiply-add.
These repeat them operation for operation (the fused steps by `engine.fma.fma64`). Checked
equal to glibc 2.36's on millions of values.
"""

from __future__ import annotations

import decimal

import numpy as np

from engine.compiled import fma64


def _double(bits: int) -> np.float64:
    return np.array(bits, np.uint64).view(np.float64)[()]


def _powers_of_two(count: int, shift: int) -> tuple[np.ndarray, np.ndarray]:
    """glibc's tables: 2**(k/count) ≈ H·(1 + T), as (bits of H less k << shift, T)."""
    with decimal.localcontext() as context:
        context.prec = 80
        exact = [decimal.Decimal(2) ** (decimal.Decimal(k) / count) for k in range(count)]
        high = np.array([float(e) for e in exact])
        relative = np.array([float((e - decimal.Decimal(float(h))) / decimal.Decimal(float(h)))
                             for e, h in zip(exact, high, strict=True)])
    bits = high.view(np.uint64) - (np.arange(count, dtype=np.uint64) << np.uint64(shift))
    return bits, relative


# --- expf (sysdeps/ieee754/flt-32/e_expf.c, __expf_fma) --------------------------------------
_EXPF_BITS, _ = _powers_of_two(32, 47)
_EXPF_INV_LN2 = _double(0x40471547652B82FE)  # 32/ln 2
_EXPF_SHIFT = _double(0x4338000000000000)  # 1.5·2**52
_EXPF_POLY = tuple(_double(b) for b in (0x3EBC6AF84B912394, 0x3F2EBFCE50FAC4F3,
                                        0x3F962E42FF0C52D6))
_EXPF_OVERFLOW = np.float32(88.72283935546875)  # above: inf
_EXPF_UNDERFLOW = np.float32(-103.97208404541016)  # below: 0


_EXPF_INV_LN2_HEAD = np.float64(np.float32(_EXPF_INV_LN2))  # 24 bits: x·head is exact
_EXPF_INV_LN2_TAIL = _EXPF_INV_LN2 - _EXPF_INV_LN2_HEAD  # 29 bits: x·tail is exact
_EXPF_MIDPOINT_MARGIN = 1 << 12  # float64 last places around a float32 rounding midpoint


def expf(x: np.ndarray) -> np.ndarray:
    """glibc's expf of float32 values: x·32/ln 2 = k + r, 2**(k/32) from the table, 2**(r/32)
    by a cubic, all in double, rounded once to float32.

    k and r come exactly from the product split in two exact halves; the cubic's three fused
    steps are plain double steps here, which move y by a few float64 last places at most, so
    only a result that close to a float32 rounding midpoint (or in float32's subnormal range)
    is computed again with emulated fused multiply-adds (`_expf_fused`)."""
    x = np.asarray(x, np.float32)
    wide = x.astype(np.float64)
    with np.errstate(all="ignore"):
        head = wide * _EXPF_INV_LN2_HEAD
        tail = wide * _EXPF_INV_LN2_TAIL
        total = head + tail
        n = np.rint(total)
        error = tail - (total - head)  # exact: head + tail = total + error
        tie = np.abs(total - n) == 0.5
        if tie.any():  # the exact product is off the tie: round towards its side
            n = np.where(tie & (error != 0), np.floor(total) + (error > 0), n)
        r = (head - n) + tail
        k = (n + _EXPF_SHIFT).view(np.uint64)
        scale = (_EXPF_BITS[k & np.uint64(31)] + (k << np.uint64(47))).view(np.float64)
        c0, c1, c2 = _EXPF_POLY
        y = (c0 * r + c1) * (r * r) + (r * c2 + 1.0)
        product = y * scale
        result = product.astype(np.float32)
        distance = (product.view(np.int64) & 0x1FFFFFFF) - 0x10000000
        doubtful = (np.abs(distance) < _EXPF_MIDPOINT_MARGIN) | (x < np.float32(-87.33))
        if doubtful.any():
            result = np.where(doubtful, _expf_fused(x), result)
    result = np.where(x > _EXPF_OVERFLOW, np.float32(np.inf), result)
    result = np.where(x < _EXPF_UNDERFLOW, np.float32(0), result)
    with np.errstate(invalid="ignore"):
        return np.where(np.isnan(x), x + x, result)  # a NaN made quiet, as glibc's x + x


def _expf_fused(x: np.ndarray) -> np.ndarray:
    """glibc's expf operation for operation, each fused multiply-add emulated."""
    wide = x.astype(np.float64)
    with np.errstate(all="ignore"):
        shifted = fma64(_EXPF_INV_LN2, wide, _EXPF_SHIFT)
        k = shifted.view(np.uint64)
        r = fma64(_EXPF_INV_LN2, wide, -(shifted - _EXPF_SHIFT))
        scale = (_EXPF_BITS[k & np.uint64(31)] + (k << np.uint64(47))).view(np.float64)
        c0, c1, c2 = _EXPF_POLY
        y = fma64(fma64(c0, r, c1), r * r, fma64(r, c2, 1.0))
        return (y * scale).astype(np.float32)


# --- exp (sysdeps/ieee754/dbl-64/e_exp.c, __exp_fma) -----------------------------------------
_EXP_BITS, _EXP_TAIL = _powers_of_two(128, 45)
_EXP_INV_LN2 = _double(0x40671547652B82FE)  # 128/ln 2
_EXP_SHIFT = _double(0x4338000000000000)
_EXP_LN2_HI, _EXP_LN2_LO = _double(0xBF762E42FEFA0000), _double(0xBD0CF79ABC9E3B3A)  # −ln 2/128
_EXP_POLY = tuple(_double(b) for b in (0x3FDFFFFFFFFFFDBD, 0x3FC555555555543C,
                                       0x3FA55555CF172B91, 0x3F81111167A4D017))
_TWO_1009, _TWO_M1022 = 2.0**1009, 2.0**-1022


def exp(x: np.ndarray) -> np.ndarray:
    """glibc's exp of float64 values: x·128/ln 2 = k + r, 2**(k/128) from the table with its
    correction, e**r − 1 by a quartic; |x| in [512, 1024) takes glibc's scaled special case."""
    x = np.asarray(x, np.float64)
    with np.errstate(all="ignore"):
        shifted = fma64(x, _EXP_INV_LN2, _EXP_SHIFT)
        k = shifted.view(np.uint64)
        n = shifted - _EXP_SHIFT
        r = fma64(n, _EXP_LN2_LO, fma64(n, _EXP_LN2_HI, x))
        index = k & np.uint64(127)
        bits = _EXP_BITS[index] + (k << np.uint64(45))
        c2, c3, c4, c5 = _EXP_POLY
        square = r * r
        tmp = fma64(fma64(r, c3, c2), square, r + _EXP_TAIL[index])
        tmp = fma64(square * square, fma64(r, c5, c4), tmp)
        scale = bits.view(np.float64)
        result = fma64(scale, tmp, scale)
        top = (x.view(np.uint64) >> np.uint64(52)) & np.uint64(0x7FF)
        large = (top >= 0x408) & (top < 0x409)
        if large.any():
            result = np.where(large, _exp_large(tmp, bits, k), result)
        huge = top >= 0x409
        if huge.any():
            result = np.where(huge, np.where(x > 0, np.inf, 0.0), result)
            result = np.where(np.isnan(x), x + 1.0, result)
        tiny = top < 0x3C9
        if tiny.any():
            result = np.where(tiny, 1.0 + x, result)
    return result


def _exp_large(tmp: np.ndarray, bits: np.ndarray, k: np.ndarray) -> np.ndarray:
    """glibc's `specialcase`: 2**k scaled into range before the last step, and below 2**-1022
    the last step rounded once to the subnormal's precision."""
    positive = (k & np.uint64(0x80000000)) == 0
    scale = (bits - np.uint64(1009 << 52)).view(np.float64)
    above = fma64(scale, tmp, scale) * _TWO_1009
    scale = (bits + np.uint64(1022 << 52)).view(np.float64)
    product = scale * tmp
    y = scale + product
    low = (scale - y) + product
    high = 1.0 + y
    rounded = (((1.0 - high) + y + low) + high) - 1.0
    y = np.where(y < 1.0, np.where(rounded == 0, 0.0, rounded), y)
    return np.where(positive, above, y * _TWO_M1022)

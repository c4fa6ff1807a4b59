"""Fused multiply-adds (`a * b + c` rounded once), as the FMA instructions of PyTorch's compiled
kernels compute them, in numpy, which has no fma of its own.

GCC fuses a multiply whose only use is an add into one FMA instruction when it compiles
PyTorch's CPU kernels, and Sleef calls FMA instructions explicitly: wherever a kernel rounds a
multiply-add once, the engine calls one of these.
"""

from __future__ import annotations

import numpy as np

_MIDPOINT_BITS, _MIDPOINT = 0x1FFFFFFF, 0x10000000  # float64 low bits of a float32 midpoint


def fma32(a: np.ndarray, b: np.ndarray, c: np.ndarray) -> np.ndarray:
    """float32 `a * b + c` rounded once, like a fused multiply-add instruction.

    The product is exact in float64. The sum is rounded to float64 "to odd" (TwoSum gives the
    rounding error; an inexact result is moved to its odd neighbour), and a round-to-odd result
    with 29 spare bits rounds to float32 exactly as the true sum would.
    """
    p = np.asarray(a, np.float64) * np.asarray(b, np.float64)
    c = np.asarray(c, np.float64)
    s = p + c
    p_part = s - c
    error = (p - p_part) + (c - (s - p_part))
    bump = (error != 0) & ((s.view(np.int64) & 1) == 0)
    if np.any(bump):
        s = np.where(bump, np.nextafter(s, np.where(error > 0, np.inf, -np.inf)), s)
    return s.astype(np.float32)


def fma32_fast(a: np.ndarray, b: np.ndarray, c: np.ndarray) -> np.ndarray:
    """`fma32` in a few numpy calls where it can: the float64 sum of the exact product rounds
    to float32 as the true sum does unless it is inexact and lands on a float32 midpoint
    (then the first rounding decided the tie); those elements go through `fma32`. (Below
    2**-126, among float32's subnormals, midpoints are not checked: a product of two floats
    and a float that round there with more than 53 significant bits need operands near
    2**-100, which the kernels never multiply.)"""
    product = np.multiply(a, b, dtype=np.float64)
    c64 = np.asarray(c, np.float64)
    total = product + c64
    result = total.astype(np.float32)
    bits = total.view(np.int64) & _MIDPOINT_BITS
    tie = bits == _MIDPOINT
    if np.count_nonzero(tie):
        # the sum is exact iff both differences give back the other term (Sterbenz's lemma
        # makes the one with the larger term exact, so an inexact sum fails it)
        tie &= (total - c64 != product) | (total - product != c64)
        if np.count_nonzero(tie):
            a, b, c = (np.broadcast_to(v, tie.shape)[tie] for v in (a, b, c))
            result[tie] = fma32(a, b, c)
    return result


def fma64(a: np.ndarray, b: np.ndarray, c: np.ndarray) -> np.ndarray:
    """float64 `a * b + c` rounded once (Boldo and Melquiond's emulation: the exact product
    by Veltkamp splitting, the exact sum with `c` by TwoSum, the two low parts added rounding
    to odd, then one rounding to nearest). Exact wherever no step overflows or underflows;
    a zero, infinite or NaN result is the plain sum's, as the instruction's is."""
    a = np.asarray(a, np.float64)
    b = np.asarray(b, np.float64)
    c = np.asarray(c, np.float64)
    product = a * b
    split_a = 134217729.0 * a  # 2**27 + 1
    a_hi = split_a - (split_a - a)
    a_lo = a - a_hi
    split_b = 134217729.0 * b
    b_hi = split_b - (split_b - b)
    b_lo = b - b_hi
    product_low = ((a_hi * b_hi - product) + a_hi * b_lo + a_lo * b_hi) + a_lo * b_lo
    high = c + product
    virtual = high - c
    low = (c - (high - virtual)) + (product - virtual)
    rest = low + product_low
    virtual = rest - low
    error = (low - (rest - virtual)) + (product_low - virtual)
    bump = (error != 0) & ((rest.view(np.int64) & 1) == 0)
    if np.any(bump):
        rest = np.where(bump, np.nextafter(rest, np.where(error > 0, np.inf, -np.inf)), rest)
    result = high + rest
    # a zero result is the plain sum's zero (its sign); an infinite term or NaN, the plain sum
    return np.where((result == 0) | ~np.isfinite(high), high, result)

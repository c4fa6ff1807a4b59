"""The fast paths of `engine.sleef` and `engine.fma` round exactly as the operation-for-
operation versions (their agreement with PyTorch is in test_softmax_bits)."""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from engine import sleef
from engine.fma import fma32, fma32_fast, fma64

F32 = np.float32


def _same(ours: np.ndarray, theirs: np.ndarray) -> bool:
    return np.array_equal(ours, theirs, equal_nan=True) and np.array_equal(
        np.signbit(ours) & ~np.isnan(ours), np.signbit(theirs) & ~np.isnan(theirs))


def test_expf_fast_path_on_every_float_of_a_binade_and_at_the_limits() -> None:
    every = np.arange(0xBF800000, 0xC0000000, dtype=np.uint32).view(F32)  # all of [-2, -1)
    assert _same(sleef.expf(every), sleef.expf_exact(every))
    rng = np.random.default_rng(0)
    edges = np.array([0.0, -0.0, np.inf, -np.inf, np.nan, -104.0, -104.5, 100.0, 88.72, 88.73,
                      -87.3, -103.97, -103.28, 1e-40, -1e-45], F32)
    values = np.concatenate([rng.uniform(-110, 105, 400_000).astype(F32), edges])
    assert _same(sleef.expf(values), sleef.expf_exact(values))
    nonpositive = -np.abs(values)
    assert _same(sleef.expf(nonpositive, nonpositive=True), sleef.expf_exact(nonpositive))
    small = np.array([[-1.5, -0.25]], F32)  # the small-array path with its constant arrays
    assert _same(sleef.expf(small), sleef.expf_exact(small))


def test_logf_fast_path_on_every_float_of_a_binade_and_at_the_limits() -> None:
    every = np.arange(0x3F800000, 0x40000000, dtype=np.uint32).view(F32)  # all of [1, 2)
    assert _same(sleef.logf(every), sleef.logf_exact(every))
    rng = np.random.default_rng(1)
    edges = np.array([0.0, -0.0, -1.0, np.inf, -np.inf, np.nan, 1e-45, 1e-40, 3.4e38, 1.0,
                      0.75, 1.5], F32)
    values = np.concatenate([(2.0 ** rng.uniform(-126, 127, 400_000)).astype(F32), edges])
    assert _same(sleef.logf(values), sleef.logf_exact(values))
    sums = rng.uniform(1, 70, (64, 1)).astype(F32)
    assert _same(sleef.logf(sums, normal=True), sleef.logf_exact(sums))


def test_fma32_fast_rounds_once_also_on_exact_and_inexact_ties() -> None:
    rng = np.random.default_rng(2)
    a = rng.standard_normal(200_000).astype(F32)
    b = rng.standard_normal(200_000).astype(F32)
    b[::3] = F32(2.0**-6)  # exact products: float32 midpoints that are exact float64 sums
    near = -(a.astype(np.float64) * b) * (1 + rng.standard_normal(a.size) * 2.0 ** -25)
    c = np.where(rng.random(a.size) < 0.5, near, rng.standard_normal(a.size)).astype(F32)
    c[::7] = 0
    # a float64 sum that lands on a midpoint the true sum is just below
    a = np.append(a, F32(2.0**-24 * (1 + 2.0**-18)))
    b = np.append(b, F32(1 - 2.0**-18))
    c = np.append(c, F32(1 + 2.0**-23))
    assert _same(fma32_fast(a, b, c), fma32(a, b, c))


def test_fma64_rounds_once() -> None:
    rng = np.random.default_rng(3)
    a = rng.standard_normal(300)
    b = rng.standard_normal(300)
    c = np.where(rng.random(300) < 0.5, -a * b * (1 + 2.0**-40), rng.standard_normal(300))
    got = fma64(a, b, c)
    for x, y, z, result in zip(a, b, c, got, strict=True):
        exact = Fraction(x) * Fraction(y) + Fraction(z)
        below = float(exact)  # the nearest double (ties to even), by Fraction's rounding
        assert result == below, (x, y, z)
    assert np.signbit(fma64(np.array([-1.0]), np.array([0.0]), np.array([-0.0])))[0]
    assert np.isnan(fma64(np.array([np.inf]), np.array([1.0]), np.array([-np.inf])))[0]

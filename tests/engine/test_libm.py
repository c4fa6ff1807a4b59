"""`engine.libm`'s compiled functions are the C library's own, bit for bit: each against the
same function called through ctypes, float32 (`expf`, …) and float64, special values included."""

from __future__ import annotations

import ctypes
import ctypes.util

import numpy as np
import pytest

from engine import libm

LIBRARY = ctypes.util.find_library("m")
pytestmark = pytest.mark.skipif(LIBRARY is None, reason="no C maths library to compare with")
SPECIAL = [0.0, -0.0, np.inf, -np.inf, np.nan, -1.0, -2.0, 1e-40, 88.72, -103.97, 710.0, -745.0]


def _c_function(name: str, ctype: type, arity: int = 1) -> object:
    function = getattr(ctypes.CDLL(LIBRARY), name)
    function.restype, function.argtypes = ctype, [ctype] * arity
    return function


def _same(ours: np.ndarray, theirs: np.ndarray) -> bool:
    return np.array_equal(ours, theirs, equal_nan=True) and np.array_equal(
        np.signbit(ours) & ~np.isnan(ours), np.signbit(theirs) & ~np.isnan(theirs))


@pytest.mark.parametrize("name", ["exp", "log", "log1p", "sinh", "cosh", "sin", "cos"])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_unary_functions_are_the_c_librarys(name: str, dtype: type) -> None:
    rng = np.random.default_rng(7)
    values = np.concatenate([rng.uniform(-100, 100, 4000), rng.uniform(-1, 1, 2000),
                             SPECIAL]).astype(dtype)
    c_name, ctype = (name + "f", ctypes.c_float) if dtype == np.float32 else (name, ctypes.c_double)
    function = _c_function(c_name, ctype)
    want = np.array([function(v) for v in values.tolist()], dtype)
    with np.errstate(all="ignore"):
        ours = getattr(libm, name)(values)
    assert ours.dtype == dtype
    assert _same(ours, want)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_pow_is_the_c_librarys(dtype: type) -> None:
    rng = np.random.default_rng(8)
    base = np.concatenate([rng.uniform(0, 5, 4000), [-2.0, -0.0, 0.0, np.inf, np.nan, -1.5]])
    exponent = np.concatenate([rng.uniform(-4, 4, 4000), [0.5, -1.0, -1.0, 2.0, 0.0, 3.0]])
    base, exponent = base.astype(dtype), exponent.astype(dtype)
    ctype = ctypes.c_float if dtype == np.float32 else ctypes.c_double
    function = _c_function("powf" if dtype == np.float32 else "pow", ctype, 2)
    want = np.array([function(x, y) for x, y in zip(base.tolist(), exponent.tolist(),
                                                    strict=True)], dtype)
    with np.errstate(all="ignore"):
        assert _same(libm.pow(base, exponent), want)

"""The C library's maths (glibc's, on Linux) as PyTorch's scalar loops call it (`std::exp`,
`std::log1p`, `std::pow`, …), compiled (`engine.jit`): a math function in numba's code is a call
into the C library of this process, the one PyTorch's own calls go to. PyTorch's kernels take
these outside their vector blocks (small tensors, tails, strided views), and some loops (the
binary cross-entropy's, a norm's powers) take nothing else."""

from __future__ import annotations

import math

from engine.jit import ufunc

_UNARY = ("float32(float32)", "float64(float64)")


@ufunc(*_UNARY)
def exp(x: float) -> float:
    return math.exp(x)


@ufunc(*_UNARY)
def log(x: float) -> float:
    return math.log(x)


@ufunc(*_UNARY)
def log1p(x: float) -> float:
    return math.log1p(x)


@ufunc(*_UNARY)
def sinh(x: float) -> float:
    return math.sinh(x)


@ufunc(*_UNARY)
def cosh(x: float) -> float:
    return math.cosh(x)


@ufunc("float32(float32, float32)", "float64(float64, float64)")
def pow(x: float, y: float) -> float:  # noqa: A001
    return math.pow(x, y)


@ufunc(*_UNARY)
def sin(x: float) -> float:
    return math.sin(x)


@ufunc(*_UNARY)
def cos(x: float) -> float:
    return math.cos(x)


@ufunc(*_UNARY)
def erf(x: float) -> float:
    return math.erf(x)


@ufunc(*_UNARY)
def tanh(x: float) -> float:
    return math.tanh(x)


@ufunc(*_UNARY)
def expm1(x: float) -> float:
    return math.expm1(x)

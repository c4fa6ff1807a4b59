"""Fused multiply-adds (`a * b + c` rounded once), as the FMA instructions of PyTorch's compiled
kernels compute them, compiled (`engine.jit`), as numpy has no fma of its own.

GCC fuses a multiply whose only use is an add into one FMA instruction when it compiles
PyTorch's CPU kernels, and Sleef calls FMA instructions explicitly: wherever a kernel rounds a
multiply-add once, the engine calls one of these.
"""

from __future__ import annotations

from engine.jit import fma, ufunc


@ufunc("float32(float32, float32, float32)")
def fma32(a: float, b: float, c: float) -> float:
    """float32 `a * b + c` rounded once, like a fused multiply-add instruction."""
    return fma(a, b, c)


@ufunc("float64(float64, float64, float64)")
def fma64(a: float, b: float, c: float) -> float:
    """float64 `a * b + c` rounded once, like a fused multiply-add instruction."""
    return fma(a, b, c)

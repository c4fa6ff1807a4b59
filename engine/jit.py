"""How the engine compiles its kernels, for the places where PyTorch's exact order of
operations costs numpy dozens of calls per element (Sleef's exp and log, fused multiply-adds,
MKL's summation order in matrix products).

Kernels are numba ufuncs and loops compiled from plain Python with IEEE arithmetic (no
fast-math, so no reassociation and no contraction the source does not ask for); `fma` is
LLVM's fused multiply-add, one rounding, as the FMA instructions in PyTorch's kernels.
Compiled code is cached on disk, so only the first use after an install pays for compiling.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from llvmlite import ir
from numba import njit, types, vectorize
from numba.core import cgutils
from numba.extending import intrinsic

_OPTIONS = {"nopython": True, "fastmath": False}  # ufuncs: numpy's error model


def _cached(build: Callable[[bool], Any]) -> Any:
    """`build(cache=True)`, or `build(False)` where numba finds no writable place for its
    cache (a read-only install and home): then each process compiles afresh."""
    try:
        return build(True)
    except RuntimeError as error:
        if "no locator available" not in str(error):
            raise
        return build(False)


def scalar(function: Callable[..., Any]) -> Any:
    """A compiled scalar helper that kernels call (inlined by LLVM)."""
    return _cached(lambda cache: njit(cache=cache, fastmath=False, error_model="numpy",
                                           inline="always")(function))


def loop(function: Callable[..., Any]) -> Any:
    """A compiled kernel over arrays, called from Python; it releases the GIL while it runs."""
    return _cached(lambda cache: njit(cache=cache, fastmath=False, nogil=True,
                                      error_model="numpy", boundscheck=False)(function))


_BUILT: list[Any] = []  # numba's wrappers own the machine code their ufuncs call


def ufunc(*signatures: str) -> Callable[[Callable[..., Any]], np.ufunc]:
    """A numpy ufunc compiled from a scalar function for `signatures` (broadcasting, `out=`
    and the rest come with it). The plain ufunc, not numba's wrapper: that one checks every
    argument in Python first, which costs more than the loop on small arrays."""

    def build(function: Callable[..., Any]) -> np.ufunc:
        wrapper = _cached(lambda cache: vectorize(list(signatures), cache=cache,
                                                  **_OPTIONS)(function))
        _BUILT.append(wrapper)
        return wrapper.ufunc

    return build


@intrinsic
def fma(typingctx: Any, a: Any, b: Any, c: Any) -> Any:
    """a·b + c rounded once, in the arguments' float type (all three the same)."""
    if not (a == b == c and isinstance(a, types.Float)):
        return None
    llvm_type = ir.FloatType() if a == types.float32 else ir.DoubleType()
    name = "llvm.fma.f32" if a == types.float32 else "llvm.fma.f64"

    def codegen(context: Any, builder: Any, signature: Any, args: Any) -> Any:
        function = cgutils.get_or_insert_function(
            builder.module, ir.FunctionType(llvm_type, [llvm_type] * 3), name)
        return builder.call(function, args)

    return a(a, a, a), codegen

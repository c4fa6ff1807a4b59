"""How the engine compiles its kernels, for the places where PyTorch's exact order of
operations costs numpy dozens of calls per element (Sleef's exp and log, fused multiply-adds,
MKL's summation order in matrix products).

Kernels are numba ufuncs and loops compiled from plain Python with IEEE arithmetic (no
fast-math, so no reassociation and no contraction the source does not ask for); `fma` is
LLVM's fused multiply-add, one rounding, as the FMA instructions in PyTorch's kernels.
Compiled code is cached on disk, so only the first use after an install pays for compiling.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from typing import Any

import numpy as np
from llvmlite import ir
from numba import njit, types, vectorize
from numba.core import cgutils, config
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


class Vectorized:
    """A kernel over arrays for one signature, compiled on first call with LLVM's SLP
    vectorizer on (numba leaves it off): it packs side-by-side scalar operations, such as a
    tile of running sums held in registers, into vector instructions. Packing changes no
    result: each lane does the scalar operation it replaces."""

    _lock = threading.Lock()

    def __init__(self, function: Callable[..., Any], signature: Any) -> None:
        self.function, self.signature = function, signature
        self.__doc__ = function.__doc__
        self._compiled: Any = None

    def build(self) -> Any:
        if self._compiled is None:
            with Vectorized._lock:
                if self._compiled is None:
                    self._compiled = _with_slp(lambda: _cached(lambda cache: njit(
                        self.signature, cache=cache, fastmath=False, nogil=True,
                        error_model="numpy", boundscheck=False)(self.function)))
        return self._compiled

    def __call__(self, *args: Any) -> Any:
        return self.build()(*args)


def _with_slp(build: Callable[[], Any]) -> Any:
    """`build()` with numba's SLP vectorizer on; numba rereads its settings from the
    environment before each compilation, so the switch is made there, and undone."""
    before = os.environ.get("NUMBA_SLP_VECTORIZE")
    os.environ["NUMBA_SLP_VECTORIZE"] = "1"
    try:
        config.reload_config()
        return build()
    finally:
        if before is None:
            del os.environ["NUMBA_SLP_VECTORIZE"]
        else:
            os.environ["NUMBA_SLP_VECTORIZE"] = before
        config.reload_config()


def vectorized(signature: Any) -> Callable[[Callable[..., Any]], Vectorized]:
    """A kernel for `signature` whose side-by-side scalar steps become vector instructions,
    compiled when first called."""
    return lambda function: Vectorized(function, signature)


def generated(source: str, name: str, namespace: dict[str, Any], filename: str) -> Any:
    """The function `name` defined by `source`, code the kernel module writes out where a
    loop cannot say it (numba keeps scalars in registers, not arrays). Compiled as if it were
    in `filename`, the kernel module, so numba caches what calls it as it caches the rest."""
    exec(compile(source, filename, "exec"), namespace)  # noqa: S102 - the engine's own source
    return namespace.pop(name)


class Ufunc:
    """A numpy ufunc compiled from a scalar function, built on first use: even with its kernel
    cached, numba makes each loop's wrapper afresh in every process (tens of ms each). Built,
    it is the plain ufunc, not numba's wrapper, which checks every argument in Python first
    (more than the loop costs on small arrays)."""

    def __init__(self, function: Callable[..., Any], signatures: tuple[str, ...]) -> None:
        self.function, self.signatures = function, signatures
        self.__doc__ = function.__doc__
        self._built: np.ufunc | None = None
        self._wrapper: Any = None  # owns the machine code the ufunc calls
        self._lock = threading.Lock()

    def build(self) -> np.ufunc:
        if self._built is None:
            with self._lock:
                if self._built is None:
                    self._wrapper = _cached(lambda cache: vectorize(
                        list(self.signatures), cache=cache, **_OPTIONS)(self.function))
                    self._built = self._wrapper.ufunc
        return self._built

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.build()(*args, **kwargs)


def ufunc(*signatures: str) -> Callable[[Callable[..., Any]], Ufunc]:
    """A ufunc of a scalar function for `signatures` (broadcasting, `out=` and the rest come
    with it), compiled when first called."""
    return lambda function: Ufunc(function, signatures)


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

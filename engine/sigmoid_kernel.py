"""`torch.sigmoid` of float32 and float64 tensors as PyTorch's CPU kernel computes it, and
`silu` and `softplus`, whose kernels split the elements the same way.

The kernel (UnaryOpsKernel.cpp, registered for AVX-512 too) computes 1/(1 + e**−x) in the
tensor's dtype, the exponential two ways: in its vector blocks (two AVX-512 vectors, 32 floats
or 16 doubles, of a run that is contiguous) Sleef's `expf16_u10`/`expd8_u10`; elsewhere (small
tensors, the tail of each run, strided views) glibc's `expf`/`exp`. The two round differently
in about one result in twenty-five, so which elements take which path is modelled here: the
run layout as `cpu_loops.inner_run` finds it, and from 32,768 elements PyTorch's split of the
elements among its threads, each share starting its own blocks (modelled for a tensor that is
one run; a split in the middle of a row of a larger strided tensor is not).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from engine import compiled, cpu_loops

VECTOR_BYTES = 128  # two AVX-512 registers per step of `vectorized_loop`


def sigmoid(a: np.ndarray) -> Any:
    """PyTorch's sigmoid of `a` (0-d in, numpy scalar out)."""
    a = np.asarray(a)
    if a.dtype not in (np.float32, np.float64):
        one = a.dtype.type(1)
        return (one / (one + np.exp(-a)))[()]
    return by_blocks(_vector_code, _scalar_code, a)


def silu(a: np.ndarray) -> Any:
    """PyTorch's silu, x / (1 + e**−x), exp as in `sigmoid` (0-d in, numpy scalar out)."""
    a = np.asarray(a)
    one = a.dtype.type(1)
    if a.dtype not in (np.float32, np.float64):
        return (a / (one + np.exp(-a)))[()]
    return by_blocks(lambda x: x / (one + _sleef_exp(-x)),
                      lambda x: x / (one + compiled.libm_exp(-x)), a)


def softplus(a: np.ndarray, beta: float, threshold: float) -> Any:
    """PyTorch's softplus: x where x·β > threshold, else log1p(e**(x·β)) / β; in vector blocks
    Sleef's exp and log1p, elsewhere the C library's (0-d in, numpy scalar out)."""
    a = np.asarray(a)
    beta_, threshold_ = a.dtype.type(beta), a.dtype.type(threshold)

    def code(exp: Any, log1p: Any) -> Any:
        return lambda x: np.where(x * beta_ > threshold_, x, log1p(exp(x * beta_)) / beta_)

    if a.dtype not in (np.float32, np.float64):
        return code(np.exp, np.log1p)(a)[()]
    vector_log1p = compiled.sleef_log1pf if a.dtype == np.float32 else compiled.sleef_log1p
    return by_blocks(code(_sleef_exp, vector_log1p),
                      code(compiled.libm_exp, compiled.libm_log1p), a)


def silu_backward(g: np.ndarray, a: np.ndarray) -> Any:
    """PyTorch's silu_backward: g·σ·(1 + x·(1 − σ)), the last factor one fused multiply-add,
    σ = 1/(1 + e**−x) with the exp of its block or scalar code."""
    one = a.dtype.type(1)
    if a.dtype not in (np.float32, np.float64):
        sigmoid_ = one / (one + np.exp(-a))
        return (g * sigmoid_ * (one + a * (one - sigmoid_)))[()]
    fma = compiled.fma32 if a.dtype == np.float32 else compiled.fma64

    def code(exp: Any) -> Any:
        def slope(upstream: np.ndarray, x: np.ndarray) -> np.ndarray:
            sigmoid_ = one / (one + exp(-x))
            return upstream * sigmoid_ * fma(x, one - sigmoid_, one)
        return slope

    return by_blocks(code(_sleef_exp), code(compiled.libm_exp), g, a)


def softplus_backward(g: np.ndarray, a: np.ndarray, beta: float, threshold: float) -> Any:
    """PyTorch's softplus_backward: g where x·β > threshold, else g·z/(z + 1), z = e**(x·β)."""
    beta_, threshold_ = a.dtype.type(beta), a.dtype.type(threshold)
    one = a.dtype.type(1)

    def code(exp: Any) -> Any:
        def slope(upstream: np.ndarray, x: np.ndarray) -> np.ndarray:
            z = exp(x * beta_)
            return np.where(x * beta_ > threshold_, upstream, upstream * z / (z + one))
        return slope

    if a.dtype not in (np.float32, np.float64):
        return code(np.exp)(g, a)[()]
    return by_blocks(code(_sleef_exp), code(compiled.libm_exp), g, a)


def _sleef_exp(x: np.ndarray) -> np.ndarray:
    return compiled.sleef_expf(x) if x.dtype == np.float32 else compiled.sleef_exp(x)


def by_blocks(vector: Any, scalar: Any, *operands: np.ndarray) -> Any:
    """`vector` on the elements PyTorch computes in vector blocks, `scalar` on the rest; both
    take the operands' elements (broadcast together) and return the results."""
    shape = np.broadcast_shapes(*(np.shape(op) for op in operands))
    with np.errstate(over="ignore", invalid="ignore"):
        if all(np.shape(op) == shape and op.flags.c_contiguous for op in operands) and all(shape):
            flat = [op.reshape(-1) for op in operands]
            return _contiguous(flat, vector, scalar).reshape(shape)[()]
        full = [np.broadcast_to(op, shape) for op in operands]
        mask = _vector_mask(*operands)
        if mask is None:
            return scalar(*full)[()]
        result = np.empty(shape, np.result_type(*operands))
        result[mask] = vector(*(op[mask] for op in full))
        rest = ~mask
        if rest.any():
            result[rest] = scalar(*(op[rest] for op in full))
    return result


def _contiguous(flat: list[np.ndarray], vector: Any, scalar: Any) -> np.ndarray:
    """Contiguous operands are one run: each thread's share in blocks, then its tail."""
    size = flat[0].size
    block = VECTOR_BYTES // flat[0].itemsize
    threads = min(cpu_loops.SUM_THREADS, -(-size // cpu_loops.GRAIN_SIZE))
    share = -(-size // threads)
    result = np.empty(size, np.result_type(*flat))
    for begin in range(0, size, share):
        end = min(begin + share, size)
        middle = begin + (end - begin) // block * block
        if middle > begin:
            result[begin:middle] = vector(*(op[begin:middle] for op in flat))
        if end > middle:
            result[middle:end] = scalar(*(op[middle:end] for op in flat))
    return result


def _scalar_code(a: np.ndarray) -> np.ndarray:
    one = a.dtype.type(1)
    exponential = compiled.libm_exp(-a)
    return one / (one + exponential)


def _vector_code(a: np.ndarray) -> np.ndarray:
    one = a.dtype.type(1)
    return one / (one + _sleef_exp(-a))


def _vector_mask(*operands: np.ndarray) -> np.ndarray | None:
    """True where PyTorch computes the element in a vector block; None where none is."""
    size = math.prod(np.broadcast_shapes(*(np.shape(op) for op in operands)))
    block = VECTOR_BYTES // np.result_type(*operands).itemsize
    if size < block:
        return None
    run = cpu_loops.inner_run(*operands)
    if run is None or run.length < block:
        return None
    threads = min(cpu_loops.SUM_THREADS, -(-size // cpu_loops.GRAIN_SIZE))
    if threads > 1 and run.length == size:
        share = -(-size // threads)
        offset = run.position % share
        share_length = np.minimum(share, size - (run.position - offset))
        return offset < share_length // block * block
    return run.position < run.length // block * block

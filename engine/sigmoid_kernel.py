"""`torch.sigmoid` of float32 and float64 tensors as PyTorch's CPU kernel computes it.

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
    with np.errstate(over="ignore"):
        if a.flags.c_contiguous and a.size:
            return _contiguous(a.reshape(-1)).reshape(a.shape)[()]
        vector = _vector_mask(a)
        if vector is None:
            return _scalar_code(a)[()]
        result = np.empty_like(a)
        result[vector] = _vector_code(a[vector])
        scalar = ~vector
        if scalar.any():
            result[scalar] = _scalar_code(a[scalar])
    return result


def _contiguous(flat: np.ndarray) -> np.ndarray:
    """A contiguous tensor is one run: each thread's share in blocks, then its tail."""
    block = VECTOR_BYTES // flat.itemsize
    threads = min(cpu_loops.SUM_THREADS, -(-flat.size // cpu_loops.GRAIN_SIZE))
    share = -(-flat.size // threads)
    result = np.empty_like(flat)
    for begin in range(0, flat.size, share):
        end = min(begin + share, flat.size)
        middle = begin + (end - begin) // block * block
        if middle > begin:
            result[begin:middle] = _vector_code(flat[begin:middle])
        if end > middle:
            result[middle:end] = _scalar_code(flat[middle:end])
    return result


def _scalar_code(a: np.ndarray) -> np.ndarray:
    one = a.dtype.type(1)
    exponential = compiled.libm_exp(-a)
    return one / (one + exponential)


def _vector_code(a: np.ndarray) -> np.ndarray:
    one = a.dtype.type(1)
    exponential = compiled.sleef_expf(-a) if a.dtype == np.float32 else compiled.sleef_exp(-a)
    return one / (one + exponential)


def _vector_mask(a: np.ndarray) -> np.ndarray | None:
    """True where PyTorch computes the element in a vector block; None where none is."""
    block = VECTOR_BYTES // a.itemsize
    if a.size < block:
        return None
    run = cpu_loops.inner_run(a)
    if run is None or run.length < block:
        return None
    threads = min(cpu_loops.SUM_THREADS, -(-a.size // cpu_loops.GRAIN_SIZE))
    if threads > 1 and run.length == a.size:
        share = -(-a.size // threads)
        offset = run.position % share
        share_length = np.minimum(share, a.size - (run.position - offset))
        return offset < share_length // block * block
    return run.position < run.length // block * block

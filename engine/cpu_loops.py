"""Which elements of an elementwise op PyTorch's CPU loop computes with vector code.

PyTorch runs an elementwise op through a TensorIterator: the dims are ordered by the inputs'
strides (fastest first) and merged where memory allows, and each run along the innermost dim
goes through `vectorized_loop`: blocks of 64 bytes (16 float32 or 8 float64) in vector code,
the rest of the run in scalar C++. The run is only vectorised when every operand is contiguous
along it, or one input is a single number broadcast along it. The block size is the same in
all of PyTorch's x86-64 builds (these kernels run from the AVX2 build on AVX-512 CPUs too).

For most ops both paths give the same numbers. Where they do not (maximum of 0. and -0., the
fused multiply-add of add's alpha, Sleef's fmod), an op asks here which path each element
took; what the two paths compute is modelled on the AVX2 build, the one PyTorch runs on any
x86-64 CPU with AVX2. One thread is modelled: from 32,768 elements on PyTorch shares the loop
among its threads, and each thread's share starts its own blocks.
"""

from __future__ import annotations

import base64
import zlib
from typing import Any, NamedTuple

import numpy as np

BLOCK_BYTES = 64
SSE_BYTES = 16


class InnerRun(NamedTuple):
    """Where each element falls in its run along the innermost (merged) dim."""

    position: np.ndarray  # index of each element within its run, in the broadcast shape
    length: int  # elements in every run
    vector_end: int  # positions below this are computed in vector blocks
    number: int | None  # which operand is a single number along the run (a stride of 0)
    itemsize: int


def inner_run(*operands: Any) -> InnerRun | None:
    """The innermost run of an elementwise op over `operands` (numpy arrays or scalars, None
    for an absent one), or None when the op has a single element or a run PyTorch does not
    vectorise (an operand strided along it)."""
    given = [i for i, op in enumerate(operands) if op is not None]
    arrays = [operands[i] for i in given]
    shape = np.broadcast_shapes(*(np.shape(op) for op in arrays))
    dims = [d for d, size in enumerate(shape) if size != 1]  # size-1 dims always merge away
    if not dims:
        return None
    itemsize = np.result_type(*arrays).itemsize
    strides = [[_stride(op, shape, d) for d in dims] for op in arrays]
    sizes = [shape[d] for d in dims]
    order = _fastest_first(sizes, strides)
    length, merged = sizes[order[0]], 1
    while merged < len(order) and all(
            length * s[order[0]] == s[order[merged]] for s in strides):
        length *= sizes[order[merged]]
        merged += 1
    inner = [s[order[0]] for s in strides]
    number = None
    if any(stride != itemsize for stride in inner):
        if inner.count(0) != 1 or any(stride not in (0, itemsize) for stride in inner):
            return None
        number = given[inner.index(0)]
    position = np.zeros(shape, dtype=np.intp)
    scale = 1
    for k in order[:merged]:
        axis = dims[k]
        index_shape = [1] * len(shape)
        index_shape[axis] = shape[axis]
        position = position + np.arange(shape[axis]).reshape(index_shape) * scale
        scale *= shape[axis]
    block = BLOCK_BYTES // itemsize
    return InnerRun(position, length, length // block * block, number, itemsize)


def vector_mask(*operands: Any) -> np.ndarray | None:
    """True where PyTorch computes the element in a vector block; None where it computes every
    element in scalar code (most small tensors)."""
    if max(np.size(op) for op in operands if op is not None) * np.result_type(
            *(op for op in operands if op is not None)).itemsize < BLOCK_BYTES:
        return None
    run = inner_run(*operands)
    if run is None or run.vector_end == 0:
        return None
    return run.position < run.vector_end


def sse_groups(*operands: Any, number: int) -> np.ndarray | None:
    """True for the elements the AVX2 build computes in 16-byte SSE groups: where operand
    `number` is a single number along the run, GCC vectorised the scalar rest after the blocks,
    its first element peeled off and any last partial group left scalar. None where there are
    none."""
    if max(np.size(op) for op in operands if op is not None) < 2:
        return None
    run = inner_run(*operands)
    if run is None or run.number != number:
        return None
    lanes = SSE_BYTES // run.itemsize
    start = run.vector_end + 1
    end = start + (run.length - start) // lanes * lanes
    if end == start:
        return None
    return (run.position >= start) & (run.position < end)


def _stride(op: Any, shape: tuple, dim: int) -> int:
    """`op`'s stride in bytes along `dim` of the broadcast shape (0 where it is broadcast)."""
    offset = len(shape) - np.ndim(op)
    if dim < offset or np.shape(op)[dim - offset] == 1:
        return 0
    return op.strides[dim - offset]


def _fastest_first(sizes: list, strides: list) -> list:
    """TensorIterator's reorder_dimensions: the dims sorted so the first has the smallest
    strides, by insertion sort; a broadcast dim (stride 0) of an input leaves the order to the
    next input, and equal strides put the smaller dim first."""

    def should_swap(dim0: int, dim1: int) -> int:
        for s in strides:
            if s[dim0] == 0 or s[dim1] == 0:
                continue
            if s[dim0] != s[dim1]:
                return -1 if s[dim0] < s[dim1] else 1
            if sizes[dim0] > sizes[dim1]:
                return 1
        return 0

    order = list(range(len(sizes)))[::-1]
    for i in range(1, len(order)):
        dim1 = i
        for dim0 in range(i - 1, -1, -1):
            comparison = should_swap(order[dim0], order[dim1])
            if comparison > 0:
                order[dim0], order[dim1] = order[dim1], order[dim0]
                dim1 = dim0
            elif comparison < 0:
                break
    return order


# MKL's vector math, which PyTorch calls for `sqrt` of float32 and float64 tensors: on the AMD
# EPYC (AVX-512) this was checked on, MKL runs its SSE kernel (`mkl_vml_kernel_sSqrt_EXHAynn`),
# which starts from the CPU's `rsqrtps` estimate and refines it without fused multiply-adds, so
# about one root in five is the other neighbour of the exact one. The estimate is that CPU's
# own table, read for each of the 8192 pairs (exponent parity, top 12 mantissa bits): steps
# down from 8191/8192 in units of 2**-13. Intel CPUs get other MKL kernels and estimates.
_RSQRT_STEPS = (
    "eNrdlguOwjAMRK809v0Pt9IubJuvGew4AUrlTOeNI6JKWOT3g78iKnMt4uPFyXs1Ov79mU7YV/zdFbyPa41Gq+Gv"
    "1gjm+35xMoVWw1+tEczXvl7q/h1qlt+tYfEX2a2rfSzOm/WxLs/nfY1gPtrv8GjKRCvJZ2uwvJSXGBqH+W4e33Xh"
    "3Vx1HrUx8lk+2zd5JtzR4szv1v+yPo6BBslH94vmUTx5vh+XzvZ38GTEpbP3s3Xpeetp/cw8OVmr4SN4kkcw3/vJ"
    "aJZjrSTPaizOj/xnUXL21INnYU4Xf4l3c6oR7Gfz+LJ5FqxvTBJe38tH5xu9eQ5Fcn7Cd+bB9X423+YDh5UPqED7"
    "4peD4VyD5Nk8kvvhsH5enu4X2PsTde1h8d5Izkfz2f2i/ZZ/rAe35Wfzp+VP38+6fwCZsRAq"
)


def _rsqrt_units() -> np.ndarray:
    steps = np.frombuffer(zlib.decompress(base64.b64decode("".join(_RSQRT_STEPS))), np.uint8)
    return 8191 - np.concatenate([[0], np.cumsum(steps - ord("0"), dtype=np.int64)])


_RSQRT_TABLE = (_rsqrt_units() * 2.0**-13).astype(np.float32)


def rsqrt_estimate(x: np.ndarray) -> np.ndarray:
    """`rsqrtps` of positive normal float32 `x`: the table entry for x scaled into [1, 4),
    scaled back by the power of two."""
    bits = x.view(np.int32)
    exponent = (bits >> 23) - 127
    index = ((exponent & 1) << 12) | ((bits >> 11) & 0xFFF)
    return np.ldexp(_RSQRT_TABLE[index], -(exponent >> 1)).astype(np.float32)


def mkl_sqrt(x: np.ndarray) -> np.ndarray:
    """`torch.sqrt` of a float32 array on CPU, as MKL's SSE kernel computes it: from the
    estimate r ≈ 1/√x, s = x·r and h = r/2 are corrected once (e = 1/2 − s·h), then the root
    once more by its residual x − s², every step rounded to float32. Zeros, subnormals,
    infinities, NaNs, negatives and the largest floats take MKL's exact path."""
    x = np.asarray(x, np.float32)
    bits = x.view(np.int32)
    regular = (bits >= 0x00800000) & (bits <= 0x7F7FF000)
    with np.errstate(invalid="ignore"):
        exact = np.sqrt(x)
    safe = np.where(regular, x, np.float32(1))
    half = np.float32(0.5)
    r = rsqrt_estimate(safe)
    s = safe * r
    h = r * half
    e = half - s * h
    s = s * e + s
    h = e * h + h
    root = (safe - s * s) * h + s
    return np.where(regular, root, exact)


def _mkl_runs_sse_kernels() -> bool:
    """Whether this CPU is one MKL gives its generic SSE kernels: AMD's (checked on an EPYC).
    On Intel's it picks kernels of its own, and elsewhere PyTorch has no MKL; there the
    engine's float32 roots stay correctly rounded."""
    try:
        with open("/proc/cpuinfo", encoding="ascii", errors="replace") as info:
            return "AuthenticAMD" in info.read(8192)
    except OSError:
        return False


MKL_SSE_ROOTS = _mkl_runs_sse_kernels()


def sqrt32(x: Any) -> Any:
    """`torch.sqrt` of float32 values as PyTorch on this CPU computes it."""
    if MKL_SSE_ROOTS:
        root = mkl_sqrt(x)
        return root if np.ndim(x) else root[()]
    return np.sqrt(x)

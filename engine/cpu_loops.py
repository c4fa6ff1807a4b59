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

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
import math
import os
import zlib
from typing import Any, NamedTuple

import numpy as np

from engine import compiled

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


def _fastest_first(sizes: list, strides: list, reduction: bool = False) -> list:
    """TensorIterator's reorder_dimensions: the dims sorted so the first has the smallest
    strides, by insertion sort; a broadcast dim (stride 0) of an input leaves the order to the
    next input, and equal strides put the smaller dim first. In a reduction the output comes
    first in `strides` and its reduced dims (stride 0) go to the front."""

    def should_swap(dim0: int, dim1: int) -> int:
        for number, s in enumerate(strides):
            if reduction and number == 0 and (s[dim0] == 0) != (s[dim1] == 0):
                return 1 if s[dim1] == 0 else -1
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


# PyTorch's CPU sum (SumKernel.cpp's cascade_sum) adds float32 and float64 in a fixed order:
# the reduced dims go first in a TensorIterator and each 2-D slice of it takes one of four
# loops, all built from `multi_row_sum` (a cascade of four accumulators, each flushed into the
# next every 2**power additions) and `row_sum` (four interleaved cascades, then the leftovers,
# then the four partials). Its vectors are 32 bytes (8 floats, 4 doubles) on every x86-64 CPU:
# the kernel is not registered for AVX-512, so AVX-512 CPUs run the AVX2 build.
SUM_VECTOR_BYTES = 32
GRAIN_SIZE = 32768
# From this many elements a slice's sums run compiled: below it numpy's calls cost less than
# loading the compiled code does in a script that needs nothing else compiled.
COMPILED_SUM = 512


def _parallel_threads() -> int:
    """PyTorch's default thread count: OMP_NUM_THREADS, else the physical cores."""
    try:
        return max(1, int(os.environ["OMP_NUM_THREADS"]))
    except (KeyError, ValueError):
        pass
    try:
        with open("/proc/cpuinfo", encoding="ascii", errors="replace") as info:
            blocks = info.read().split("\n\n")
    except OSError:
        blocks = []
    cores = {tuple(line.split(":")[-1].strip() for line in block.splitlines()
                   if line.startswith(("physical id", "core id"))) for block in blocks if block}
    return len(cores) or os.cpu_count() or 1


SUM_THREADS = _parallel_threads()


def _fold(rows: np.ndarray, axis: int = 0) -> np.ndarray:
    """(rows[0] + rows[1]) + ... along `axis`, in order. PyTorch's accumulators start from +0.,
    which changes only the sign of a zero sum: `torch_sum` adds +0. once, at the end."""
    shape = rows.shape
    count = shape[axis]
    if count < 2:
        if count:
            return rows.reshape(shape[:axis] + shape[axis + 1:] if axis != -1 else shape[:-1])
        return np.zeros(np.delete(shape, axis), rows.dtype)
    if shape[-1] > 1 and axis % len(shape) < len(shape) - 1 and _last_fastest(rows):
        # numpy pairs only along the axis its loop runs fastest (here the last axis): across
        # the others its reduction is this fold, at a tenth of accumulate's cost
        return np.add.reduce(rows, axis)
    return np.take(np.add.accumulate(rows, axis), -1, axis)


def _last_fastest(rows: np.ndarray) -> bool:
    if rows.flags.c_contiguous:
        return True
    last = rows.strides[-1]
    return 0 < last <= min(abs(s) for s, n in zip(rows.strides, rows.shape, strict=True)
                           if n > 1)


def _cascade(x: np.ndarray) -> np.ndarray:
    """multi_row_sum along axis 0: blocks of 2**power summed in order, block sums summed
    2**power at a time into the next level, the last level summed in order; then the
    leftovers of each level are added lowest level first."""
    if x.shape[0] <= 16:  # one block, never more than a level's step
        return _fold(x)
    step = 1 << max(4, (int(x.shape[0] - 1).bit_length() if x.shape[0] > 1 else 0) // 4)
    level, parts = x, []
    for _ in range(3):
        full = level.shape[0] // step * step
        if full < level.shape[0]:
            parts.append(_fold(level[full:]))
        if full == 0:
            break
        level = _fold(level[:full].reshape(full // step, step, *level.shape[1:]), axis=1)
    else:
        parts.append(_fold(level))
    total = parts[0] if parts else np.zeros(x.shape[1:], x.dtype)
    for part in parts[1:]:
        total = total + part
    return total


def _row_sum(x: np.ndarray) -> np.ndarray:
    """row_sum along axis 0: four interleaved cascades, the leftover rows added to the first,
    then the other three."""
    quads = x.shape[0] // 4
    parts = _cascade(x[:quads * 4].reshape(quads, 4, *x.shape[1:]))
    if quads * 4 == x.shape[0]:
        return _fold(parts)
    first = parts[0]
    for row in x[quads * 4:]:
        first = first + row
    return first + parts[1] + parts[2] + parts[3]


def _short_row_sum(x: np.ndarray) -> Any:
    """`_row_sum` of fewer than 16 numbers, one by one (numpy calls cost more here)."""
    zero = x.dtype.type(0)
    items = list(x)
    partials = [zero + item for item in items[:4]] + [zero] * (4 - min(4, len(items)))
    first = partials[0]
    for item in items[4:]:
        first = first + item
    return first + partials[1] + partials[2] + partials[3]


def _inner_sum(x: np.ndarray, lanes: int) -> np.ndarray:
    """vectorized_inner_sum along axis 0 (contiguous): the vectors by `_row_sum`, then the
    scalar leftovers from 0, then the lanes in order."""
    vectors = x.shape[0] // lanes
    lane_sums = _row_sum(x[:vectors * lanes].reshape(vectors, lanes, *x.shape[1:]))
    return _fold(np.concatenate([x[vectors * lanes:], lane_sums]))


def _slice_sums(view: np.ndarray, strides: tuple, itemsize: int) -> np.ndarray:
    """One result per row j of each 2-D slice (view: outer dims, size1, size0 last), by the
    loop cascade_sum picks for the slice's strides (bytes, dim 0 first)."""
    size0, size1 = view.shape[-1], view.shape[-2]
    last = view.ndim - 1  # size0's dim to the front, contiguous so numpy's folds run unpaired
    x = np.ascontiguousarray(view.transpose(last, *range(last)))
    lanes = SUM_VECTOR_BYTES // itemsize
    if strides[0] == itemsize and size0 >= lanes:
        return _inner_sum(x, lanes)
    grouped = _grouped(strides, size1, itemsize)
    if x.size >= COMPILED_SUM and x.ndim == 2:
        return _column_sums(x, grouped, plus_zero=False)
    if grouped == 0:
        return _row_sum(x)
    if grouped == size1:
        return _cascade(x)
    return np.concatenate([_cascade(x[..., :grouped]), _row_sum(x[..., grouped:])], axis=-1)


def _grouped(strides: tuple, size1: int, itemsize: int) -> int:
    """How many of a slice's size1 outputs the multi-row loop sums by `_cascade` (groups of four
    rows, or four vectors of them); the rest go by `_row_sum`."""
    lanes = SUM_VECTOR_BYTES // itemsize
    if strides[1] == itemsize and size1 >= lanes:
        return size1 // (4 * lanes) * 4 * lanes
    if strides[0] < strides[1]:
        return 0
    return size1 // 4 * 4


def _column_sums(x: np.ndarray, grouped: int, plus_zero: bool) -> np.ndarray:
    """`_slice_sums` of a 2-D x's columns (rows down axis 0), compiled (`engine.sum_kernels`)."""
    out = np.empty(x.shape[1], x.dtype)
    compiled.column_sums(x, grouped, plus_zero, out)
    return out


def leading_sum(x: np.ndarray) -> np.ndarray:
    """torch.sum over dim 0 of a C-contiguous float (rows, columns) array, rows and columns at
    least 2: the merged layout of any contiguous tensor summed over its leading dims (a batch's
    bias gradient), without the iterator's bookkeeping."""
    item = x.itemsize
    strides = (x.shape[1] * item, item)
    if x.size >= COMPILED_SUM:
        return _column_sums(x, _grouped(strides, x.shape[1], item), plus_zero=True)
    return _slice_sums(x.T, strides, item) + x.dtype.type(0)


def _coalesced(shape: list, strides: list) -> tuple[list, list]:
    """TensorIterator's coalesce_dimensions over the (input, output) byte strides."""
    merged_shape, merged = [shape[0]], [list(strides[0])]
    for size, stride in zip(shape[1:], strides[1:], strict=True):
        if all(merged_shape[-1] * s0 == s1 for s0, s1 in zip(merged[-1], stride, strict=True)):
            merged_shape[-1] *= size
        else:
            merged_shape.append(size)
            merged.append(list(stride))
    return merged_shape, merged


def torch_sum(a: np.ndarray, dims: tuple | None = None, keepdim: bool = False) -> np.ndarray:
    """`torch.sum` of a float32 or float64 array over `dims` (None: all) as PyTorch's CPU
    kernel adds it; other dtypes and empty arrays by numpy."""
    if type(a) is not np.ndarray:
        a = np.asarray(a)
    ndim = a.ndim
    reduced = set(range(ndim)) if dims is None else {d % ndim for d in dims}
    if a.dtype.char not in "fd" or a.size == 0:
        return a.sum(axis=tuple(sorted(reduced)), keepdims=keepdim, dtype=a.dtype)
    if len(reduced) == a.ndim and a.flags.c_contiguous and (
            a.size < GRAIN_SIZE or SUM_THREADS == 1):
        flat = a.reshape(-1)
        lanes = SUM_VECTOR_BYTES // a.itemsize
        total = _inner_sum(flat, lanes) if flat.size >= lanes else _short_row_sum(flat)
        return (total + a.dtype.type(0)).reshape((1,) * a.ndim if keepdim else ())
    if a.flags.c_contiguous:
        sums = _block_sum(a, reduced)
        if sums is not None:
            if keepdim or ndim - len(reduced) > 1:
                return sums.reshape([1 if d in reduced else n for d, n in enumerate(a.shape)
                                     if keepdim or d not in reduced])
            return sums
    out = np.zeros([1 if d in reduced else n for d, n in enumerate(a.shape)], a.dtype)
    kept = [d for d in range(a.ndim) if a.shape[d] != 1]
    if not kept:
        out[...] = a.reshape(out.shape) + a.dtype.type(0)
    else:
        in_strides = [a.strides[d] for d in kept]
        out_strides = [0 if d in reduced else out.strides[d] for d in kept]
        sizes = [a.shape[d] for d in kept]
        order = _fastest_first(sizes, [out_strides, in_strides], reduction=True)
        shape, strides = _coalesced([sizes[k] for k in order],
                                    [(in_strides[k], out_strides[k]) for k in order])
        _reduce_into(a, out, shape, strides)
    return out if keepdim else out.reshape([n for d, n in enumerate(a.shape)
                                            if d not in reduced])


def _block_sum(a: np.ndarray, reduced: set) -> np.ndarray | None:
    """The common layouts without the iterator's bookkeeping: a C-contiguous array reduced over
    its leading or its trailing dims (a batch's bias gradient, a row sum) is the 2-D slice
    loop over (rows, columns) once the iterator has merged the dims. None for the rest."""
    ndim, count = a.ndim, len(reduced)
    if count == ndim or sum(n > 1 for n in a.shape) < 2:
        return None
    item = a.itemsize
    if max(reduced) == count - 1:  # the leading dims
        columns = math.prod(a.shape[count:])
        rows = a.size // columns
        return leading_sum(a.reshape(rows, columns)) if rows > 1 and columns > 1 else None
    if min(reduced) == ndim - count:  # the trailing dims
        columns = math.prod(a.shape[ndim - count:])
        rows = a.size // columns
        view, strides = a.reshape(rows, columns), (item, columns * item)
    else:
        return None
    if rows < 2 or columns < 2:
        return None
    return _slice_sums(view, strides, item) + a.dtype.type(0)


def _reduce_into(a: np.ndarray, out: np.ndarray, shape: list, strides: list) -> None:
    """Run cascade_sum's loop over the iterator (dim 0 fastest) and add into `out`."""
    from numpy.lib.stride_tricks import as_strided

    source = as_strided(a, shape[::-1], [s[0] for s in strides[::-1]], writeable=False)
    target = as_strided(out, shape[::-1], [s[1] for s in strides[::-1]])
    if strides[0][1] != 0:  # nothing reduced
        target[...] = source + a.dtype.type(0)
        return
    if len(shape) == 1:
        shape, strides = shape + [1], strides + [(0, 0)]
        source, target = source[None], target[None]
    loop_strides = (strides[0][0], strides[1][0])
    if a.size >= GRAIN_SIZE and SUM_THREADS > 1 and out.size == 1:
        target[...] = _two_pass(source, loop_strides, a.itemsize)
        return
    sums = _slice_sums(source, loop_strides, a.itemsize)
    outer_reduced = sum(1 for s in strides[1:] if s[1] == 0)
    if outer_reduced:
        flat = sums.reshape(*sums.shape[:sums.ndim - outer_reduced], -1)
        sums = _fold(flat, axis=-1).reshape(sums.shape[:sums.ndim - outer_reduced]
                                            + (1,) * outer_reduced)
    target[...] = np.broadcast_to(sums[..., None] + a.dtype.type(0), target.shape)


def _two_pass(source: np.ndarray, loop_strides: tuple, itemsize: int) -> np.ndarray:
    """A whole-tensor sum shared among threads: each thread's range of the iterator summed
    by the loop into its own slot, the slots then summed."""
    numel = source.size
    threads = min(SUM_THREADS, -(-numel // GRAIN_SIZE))
    chunk = -(-numel // threads)
    slots = np.zeros(SUM_THREADS, source.dtype)
    for thread in range(threads):
        begin, end = thread * chunk, min(numel, (thread + 1) * chunk)
        slots[thread] = _range_sum(source, begin, end, loop_strides, itemsize)
    return torch_sum(slots)


def _range_sum(source: np.ndarray, begin: int, end: int, loop_strides: tuple,
               itemsize: int) -> np.ndarray:
    """serial_for_each over [begin, end) of the iterator, every 2-D step added into one slot."""
    size0 = source.shape[-1]
    flat_rows = source.reshape(-1, size0)
    total = source.dtype.type(0)
    offset = begin
    while offset < end:
        row, col = divmod(offset, size0)
        if col or end - offset < size0:
            step = min(size0 - col, end - offset)
            piece = flat_rows[row, col:col + step][None, :]
            total = _fold(np.concatenate([[total], _slice_sums(piece, loop_strides, itemsize)]))
            offset += step
            continue
        size1 = source.shape[-2] if source.ndim > 1 else 1
        within = row % size1
        count = min(size1 - within, (end - offset) // size0)
        piece = flat_rows[row:row + count]
        total = _fold(np.concatenate([[total], _slice_sums(piece, loop_strides, itemsize)]))
        offset += count * size0
    return total

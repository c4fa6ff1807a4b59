"""PyTorch's CPU reductions vector_norm, prod, var/std and logsumexp, computed in the order
and with the roundings of its kernels, so float32 and float64 results agree bit for bit.

Each reduction runs through a TensorIterator (see `cpu_loops`): the reduced dims go first,
ordered fastest first and merged where memory allows, and every output visits its elements in
that order. What the kernels do along it, measured on PyTorch's x86-64 build (these kernels run
their AVX2 code, 32-byte vectors, also on AVX-512 CPUs; compiled with fused multiply-adds):

- vector_norm of order 2 along one contiguous reduced dim (`binary_kernel_reduce_lastdim`):
  the squares of each block of 8 floats (4 doubles) added into 8 (4) lane sums, the lanes added
  in order, then the tail: float32 in a group of 4 squares (GCC vectorised the loop) and the
  rest each as a fused multiply-add, float64 each fused; then the root.
- vector_norm otherwise (`binary_kernel_reduce` with NormTwoOps, NormOps...): one accumulator
  per output, `acc + x*x` (or |x|, or powf(|x|, p)) unfused, in order; a single output of
  32,768 elements or more is split among the threads, each part summed from 0, the parts
  added in thread order.
- prod (`binary_kernel_reduce_vec`): along a contiguous reduced dim, 4 vectors of 8 floats
  (4 doubles) multiplied block by block, combined as (v0·v1)·(v2·v3), their lanes multiplied
  in order, then the leftover elements one by one; other layouts multiply in order.
- var/std: several outputs by Welford's updates in double (WelfordOps), a single one by
  `std_var_all_cpu` (the mean in the input's dtype, then Σ(x − mean)² in double in memory
  order).
- logsumexp: amax, infinite maxima set to 0, exp of the differences, PyTorch's sum, log, plus
  the maxima. exp and log are MKL's, as `vml` models them.

The functions take and return numpy arrays (a 0-d result as a numpy scalar, like the op
table's forwards); other dtypes than float32 and float64 fall back to plain numpy.
"""

from __future__ import annotations

import math
from typing import Any, NamedTuple

import numpy as np

from engine.compiled import fma32 as _fma32
from engine.compiled import fma64 as _fma64
from engine.compiled import libm_pow as _libm_pow
from engine.cpu_loops import (
    GRAIN_SIZE,
    SUM_THREADS,
    _coalesced,
    _fastest_first,
    torch_sum,
)
from engine.vml import exp as _exp
from engine.vml import log as _log

VECTOR_BYTES = 32
THREADS = SUM_THREADS


class _Iteration(NamedTuple):
    """A reduction's TensorIterator: what each output visits, and the iterator's loops."""

    rows: np.ndarray  # (outputs, length): each output's elements in visiting order, C order
    sizes: list  # coalesced iterator shape, dim 0 fastest, the reduced dims first
    strides: list  # (input, output) byte strides of each iterator dim
    out_shape: tuple  # the keepdim shape


def _iteration(a: np.ndarray, reduced: set) -> _Iteration:
    """The iterator PyTorch's make_reduction builds for a non-empty `a` reduced over `reduced`.
    A C-contiguous array reduced over its leading or trailing dims is the common case and skips
    the general bookkeeping (the iterator merges those dims into one)."""
    ndim = a.ndim
    out_shape = tuple(1 if d in reduced else n for d, n in enumerate(a.shape))
    if a.flags.c_contiguous and reduced:
        count = len(reduced)
        trailing = max(reduced) == ndim - 1 and min(reduced) == ndim - count
        if trailing or (min(reduced) == 0 and max(reduced) == count - 1):
            length = math.prod(a.shape[d] for d in reduced)
            outputs = a.size // length
            item = a.itemsize
            if trailing:
                rows = a.reshape(outputs, length)
                steps = [(length, (item, 0)), (outputs, (length * item, item))]
            else:
                rows = a.reshape(length, outputs).T
                steps = [(length, (outputs * item, 0)), (outputs, (item, item))]
            steps = [step for step in steps if step[0] != 1]
            return _Iteration(rows, [n for n, _ in steps], [list(s) for _, s in steps],
                              out_shape)
    out_strides_c = [a.itemsize * math.prod(out_shape[d + 1:]) for d in range(ndim)]
    kept = [d for d in range(ndim) if a.shape[d] != 1]
    in_strides = [a.strides[d] for d in kept]
    out_strides = [0 if d in reduced else out_strides_c[d] for d in kept]
    sizes = [a.shape[d] for d in kept]
    order = _fastest_first(sizes, [out_strides, in_strides], reduction=True) if kept else []
    reduced_fast_first = [kept[k] for k in order if kept[k] in reduced]
    others = [d for d in range(ndim) if d not in reduced_fast_first]
    outputs = math.prod(a.shape[d] for d in others)
    rows = np.transpose(a, others + reduced_fast_first[::-1]).reshape(outputs, -1)
    if order:
        shape, strides = _coalesced([sizes[k] for k in order],
                                    [(in_strides[k], out_strides[k]) for k in order])
    else:
        shape, strides = [], []
    return _Iteration(rows, shape, strides, out_shape)


def _reduced_set(ndim: int, dims: Any) -> set:
    if dims is None or (isinstance(dims, tuple) and not dims):
        return set(range(ndim))
    if isinstance(dims, (int, np.integer)):
        dims = (dims,)
    return {int(d) % ndim for d in dims} if ndim else set()


def _shaped(values: np.ndarray, out_shape: tuple, reduced: set, keepdim: bool) -> Any:
    """Per-output values (C order) in the result's shape; a 0-d result as a numpy scalar."""
    shape = out_shape if keepdim else tuple(n for d, n in enumerate(out_shape)
                                            if d not in reduced)
    return np.asarray(values).reshape(shape)[()]


def _sequential(ufunc: np.ufunc, columns: np.ndarray) -> np.ndarray:
    """ufunc folded down axis 0 of (length, outputs) in order, first element first. numpy pairs
    only along the axis its loop runs fastest: down axis 0 of a C-contiguous array with more
    than one column its reduce is this plain fold."""
    if columns.shape[0] == 0:
        return np.full(columns.shape[1:], ufunc.identity, columns.dtype)
    if columns.ndim > 1 and columns.shape[-1] > 1:
        return ufunc.reduce(np.ascontiguousarray(columns), axis=0)
    return ufunc.accumulate(columns, axis=0)[-1]


def _thread_ranges(numel: int) -> list:
    """at::parallel_for's split of [0, numel) among the threads (one range when not parallel)."""
    if numel <= GRAIN_SIZE or THREADS == 1:
        return [(0, numel)]
    threads = min(THREADS, -(-numel // GRAIN_SIZE))
    chunk = -(-numel // threads)
    return [(begin, min(numel, begin + chunk)) for begin in range(0, numel, chunk)]


def _loop_calls(sizes: list, begin: int, end: int) -> list:
    """serial_for_each over [begin, end) of an iterator of `sizes` (dim 0 fastest): the 2-D
    steps it takes, each as (start, row length, rows) in the flat order."""
    if len(sizes) <= 1:
        return [(begin, end - begin, 1)] if end > begin else []
    calls, offset = [], begin
    size0, size1 = sizes[0], sizes[1]
    while offset < end:
        col = offset % size0
        step0 = min(size0 - col, end - offset)
        step1 = 1
        if step0 == size0:
            within = (offset // size0) % size1
            step1 = min(size1 - within, (end - offset) // size0)
        calls.append((offset, step0, step1))
        offset += step0 * step1
    return calls


# --- fused multiply-add ------------------------------------------------------------------------
def _fma_square(x: np.ndarray, acc: np.ndarray) -> np.ndarray:
    """x·x + acc rounded once."""
    return (_fma32 if x.dtype == np.float32 else _fma64)(x, x, acc)


# --- vector_norm ---------------------------------------------------------------------------------

def vector_norm(a: np.ndarray, ord: float, dims: tuple | None, keepdim: bool,  # noqa: A002
                size_one: bool = False) -> Any:
    """torch.linalg.vector_norm of a float array over `dims` (None: all) as PyTorch's CPU
    kernels compute it. `size_one` is PyTorch's shortcut, taken when every reduced dim has size
    1 (or, as the op table passes it, for a 0-d tensor and no dim named): |a| (ord 0: a != 0)
    without reducing."""
    a = np.asarray(a)
    dtype = a.dtype
    reduced = _reduced_set(a.ndim, dims)
    if size_one or (a.ndim and all(a.shape[d] == 1 for d in reduced)):
        kept = np.abs(a) if ord != 0 else (a != 0).astype(dtype)
        return _shaped(kept, tuple(1 if d in reduced else n for d, n in enumerate(a.shape)),
                       reduced, keepdim)
    out_shape = tuple(1 if d in reduced else n for d, n in enumerate(a.shape))
    if a.size == 0:
        return _shaped(np.full(out_shape, np.inf if ord < 0 else 0, dtype), out_shape, reduced,
                       keepdim)
    it = _iteration(a, reduced)
    if dtype.char not in "fd":  # float16: NormOps accumulate in float32, no vector path
        values = _norm_generic(it.rows.astype(np.float32), float(ord)).astype(dtype)
        return _shaped(values, out_shape, reduced, keepdim)
    lastdim = (len(it.sizes) and tuple(it.strides[0]) == (a.itemsize, 0)
               and sum(s[1] == 0 for s in it.strides) == 1)
    if ord == 2 and lastdim:
        values = _norm_two_lastdim(np.ascontiguousarray(it.rows))
    else:
        values = _norm_generic(it.rows, float(ord))
    return _shaped(values, out_shape, reduced, keepdim)


def _norm_two_lastdim(rows: np.ndarray) -> np.ndarray:
    """The vectorised 2-norm of each contiguous row."""
    count, length = rows.shape
    lanes = VECTOR_BYTES // rows.itemsize
    blocks = length // lanes
    if blocks:
        squares = rows[:, :blocks * lanes].reshape(count, blocks, lanes).transpose(1, 0, 2)
        squares = np.square(squares.reshape(blocks, count * lanes))
        sums = _sequential(np.add, squares).reshape(count, lanes)
        total = sums[:, 0]
        for lane in range(1, lanes):
            total = total + sums[:, lane]
    else:
        total = np.zeros(count, rows.dtype)
    tail = rows[:, blocks * lanes:]
    start = 0
    if rows.dtype == np.float32 and tail.shape[1] >= 4:  # GCC's 4-float group of the tail loop
        for j in range(4):
            total = total + tail[:, j] * tail[:, j]
        start = 4
    for j in range(start, tail.shape[1]):
        total = _fma_square(tail[:, j], total)
    return np.sqrt(total)


def _norm_generic(rows: np.ndarray, ord: float) -> np.ndarray:  # noqa: A002
    """binary_kernel_reduce with the norm's ops: per output in visiting order from the
    identity; one output of 32,768 elements or more in one part per thread, then combined."""
    dtype = rows.dtype
    magnitude = np.abs(rows)
    if ord == 0:
        return np.count_nonzero(rows != 0, axis=1).astype(dtype)
    if math.isinf(ord):
        with np.errstate(invalid="ignore"):
            if ord > 0:
                return np.maximum(magnitude.max(axis=1), dtype.type(0))
            return magnitude.min(axis=1)
    if ord == 1:
        terms = magnitude
    elif ord == 2:
        terms = magnitude * magnitude
    else:
        terms = _pow(magnitude, dtype.type(ord))
    if len(rows) == 1 and rows.size >= GRAIN_SIZE and THREADS > 1:
        sequence = terms[0]
        total = dtype.type(0)
        parts = [_sequential(np.add, sequence[begin:end, None])[0]
                 for begin, end in _thread_ranges(sequence.size)]
        for part in parts + [dtype.type(0)] * (THREADS - len(parts)):
            total = total + part
        sums = np.array([total], dtype)
    else:
        sums = _sequential(np.add, terms.T)
    if ord == 1:
        return sums
    if ord == 2:
        return np.sqrt(sums)
    return _pow(sums, dtype.type(1) / dtype.type(ord))


def _pow(base: np.ndarray, exponent: Any) -> np.ndarray:
    """C's pow of the dtype, which NormOps calls: the C library's `powf` and `pow`
    (`engine.libm`; numpy's own float32 and float64 pow differ from glibc's in 0.06% and 6% of
    the values)."""
    with np.errstate(all="ignore"):
        return _libm_pow(base, base.dtype.type(exponent))


# --- prod ----------------------------------------------------------------------------------------

def prod(a: np.ndarray, dim: int | None = None, keepdim: bool = False) -> Any:
    """torch.prod of an array over `dim` (None: all) as PyTorch's CPU kernel multiplies; other
    dtypes than float32 and float64 by numpy (integer products do not depend on the order)."""
    a = np.asarray(a)
    reduced = _reduced_set(a.ndim, dim)
    out_shape = tuple(1 if d in reduced else n for d, n in enumerate(a.shape))
    if a.dtype.char not in "fd":
        values = a.prod(axis=tuple(sorted(reduced)), keepdims=True, dtype=a.dtype)
        return _shaped(values, out_shape, reduced, keepdim)
    if a.size == 0:
        return _shaped(np.ones(out_shape, a.dtype), out_shape, reduced, keepdim)
    it = _iteration(a, reduced)
    if not it.sizes or it.strides[0][1] != 0:  # only dims of size 1 reduced: 1·x
        return _shaped(it.rows[:, 0].copy(), out_shape, reduced, keepdim)
    inner = it.strides[0][0] == a.itemsize  # is_contiguous_reduction
    if len(it.rows) == 1 and a.size >= GRAIN_SIZE and THREADS > 1:
        values = _prod_two_pass(it.rows[0], it.sizes, inner)
    elif inner:
        rows = it.rows.reshape(len(it.rows), -1, it.sizes[0])
        values = _sequential(np.multiply, _prod_tokens(rows).reshape(len(rows), -1).T)
    else:
        values = _sequential(np.multiply, it.rows.T)
    return _shaped(values, out_shape, reduced, keepdim)


def _prod_tokens(runs: np.ndarray) -> np.ndarray:
    """vectorized_inner_reduction on each run of (outputs, runs, length): what it multiplies
    into the output in order, the blocks' product first, then the leftover elements."""
    length = runs.shape[-1]
    lanes = VECTOR_BYTES // runs.itemsize
    count = length // (4 * lanes)
    if count == 0:
        return runs
    blocks = runs[..., :count * 4 * lanes].reshape(-1, count, 4 * lanes)
    flat = blocks.transpose(1, 0, 2).reshape(count, -1)
    acc = _sequential(np.multiply, flat).reshape(*runs.shape[:-1], 4, lanes)
    combined = (acc[..., 0, :] * acc[..., 1, :]) * (acc[..., 2, :] * acc[..., 3, :])
    product = combined[..., 0]
    for lane in range(1, lanes):
        product = product * combined[..., lane]
    return np.concatenate([product[..., None], runs[..., count * 4 * lanes:]], axis=-1)


def _prod_two_pass(sequence: np.ndarray, sizes: list, inner: bool) -> np.ndarray:
    """A single product shared among threads (two_pass_reduction): each thread multiplies its
    range into its own slot from 1 by the loop's 2-D steps, then the slots in thread order."""
    one = sequence.dtype.type(1)
    slots = []
    for begin, end in _thread_ranges(sequence.size):
        tokens = []
        for start, length, rows in _loop_calls(sizes, begin, end):
            piece = sequence[start:start + length * rows].reshape(1, rows, length)
            tokens.append((_prod_tokens(piece) if inner else piece).reshape(-1))
        slots.append(_sequential(np.multiply, np.concatenate(tokens)[:, None])[0])
    total = one
    for slot in slots:
        total = total * slot
    return np.array([total])


# --- var / std -----------------------------------------------------------------------------------

def variance(a: np.ndarray, dims: tuple | None, correction: float, keepdim: bool,
             root: bool = False) -> Any:
    """torch.var (std with `root`) of a float array over `dims` (None: all) as PyTorch's CPU
    kernels compute it: a single float32 or float64 result by std_var_all_cpu, the others by
    Welford's updates in double, each output's elements in visiting order."""
    a = np.asarray(a)
    dtype = a.dtype
    reduced = _reduced_set(a.ndim, dims)
    out_shape = tuple(1 if d in reduced else n for d, n in enumerate(a.shape))
    if a.size == 0:
        return _shaped(np.full(out_shape, np.nan, dtype), out_shape, reduced, keepdim)
    if math.prod(out_shape) == 1 and dtype.char in "fd":
        value = _variance_all(a, correction, root)
        return _shaped(np.array([value]).astype(dtype), out_shape, reduced, keepdim)
    it = _iteration(a, reduced)
    columns = np.ascontiguousarray(it.rows.T, dtype=np.float64)
    values = _welford_fast(columns, correction, root) if dtype == np.float32 else None
    if values is None:
        values = _welford(columns, correction, root)
    return _shaped(values.astype(dtype), out_shape, reduced, keepdim)


def _variance_all(a: np.ndarray, correction: float, root: bool) -> np.float64:
    """std_var_all_cpu: the mean in the input's dtype (PyTorch's sum over the count), then
    Σ(x − mean)² in double by the iterator's 2-D steps, each step summed from 0 and added to its
    thread's sum, the threads' sums added in order. For float32 a pairwise sum stands in for
    that sequence wherever both surely round to the same float32."""
    count = a.size
    mean = np.float64(torch_sum(a) / a.dtype.type(count))
    divisor = np.float64(max(0.0, count - correction))
    if a.dtype == np.float32:
        squares = np.square(np.subtract(a, mean, dtype=np.float64))
        with np.errstate(divide="ignore", invalid="ignore"):
            value = squares.sum() / divisor
        value = np.sqrt(value) if root else value
        margin = 2.0**-52 * (count + 16)  # any two orders of the sum, the division, the root
        if _rounds_alike(np.array([value]), margin)[0]:
            return value
    sizes, sequence = _memory_order(a)
    squares = np.square(np.subtract(sequence, mean, dtype=np.float64))
    thread_sums = []
    for begin, end in _thread_ranges(count):
        thread_sum = np.float64(0)
        for start, length, rows in _loop_calls(sizes, begin, end):
            thread_sum = thread_sum + np.add.accumulate(squares[start:start + length * rows])[-1]
        thread_sums.append(thread_sum)
    total = np.float64(0)
    for thread_sum in thread_sums:
        total = total + thread_sum
    with np.errstate(divide="ignore", invalid="ignore"):
        var = total / divisor
    return np.sqrt(var) if root else var


def _memory_order(a: np.ndarray) -> tuple[list, np.ndarray]:
    """A plain TensorIterator over `a`: its coalesced shape (dim 0 fastest) and the elements
    in its order."""
    if a.flags.c_contiguous:
        return [a.size], a.reshape(-1)
    kept = [d for d in range(a.ndim) if a.shape[d] != 1]
    sizes = [a.shape[d] for d in kept]
    order = _fastest_first(sizes, [[a.strides[d] for d in kept]])
    sizes, _ = _coalesced([sizes[k] for k in order], [(a.strides[kept[k]],) for k in order])
    sequence = np.transpose(a, [d for d in range(a.ndim) if d not in kept]
                            + [kept[k] for k in order[::-1]]).reshape(-1)
    return sizes, sequence


def _rounds_alike(values: np.ndarray, margin: Any) -> np.ndarray:
    """True where every float64 within `margin` (relative) of `values` rounds to the same
    float32: the values are finite, non-zero, normal in float32, and more than the margin away
    from the midpoints between float32 neighbours (the low 29 bits of a double)."""
    bits = np.abs(values).view(np.int64)
    below = (bits & 0x1FFFFFFF) - (1 << 28)  # distance to the midpoint, in 2**-29 ulps
    exponent = bits >> 52
    normal = (exponent > 1023 - 126) & (exponent < 1023 + 127)
    with np.errstate(invalid="ignore"):
        return normal & (np.abs(below) > margin * 2.0**53)  # |value| < 2**24 float32 ulps


def _divisor(count: int, correction: float) -> np.float64:
    return np.float64(count - correction if count > correction else 0.0)


def _welford(columns: np.ndarray, correction: float, root: bool) -> np.ndarray:
    """WelfordOps in double, down axis 0 of (length, outputs): one vector step per element."""
    mean = np.zeros(columns.shape[1])
    m2 = np.zeros(columns.shape[1])
    delta = np.empty_like(mean)
    after = np.empty_like(mean)
    with np.errstate(invalid="ignore", over="ignore"):
        for k, x in enumerate(columns):
            np.subtract(x, mean, out=delta)
            mean += delta / np.float64(k + 1)
            np.subtract(x, mean, out=after)
            after *= delta
            m2 += after
        with np.errstate(divide="ignore"):
            var = m2 / _divisor(columns.shape[0], correction)
    return np.sqrt(var) if root else var


def _welford_fast(columns: np.ndarray, correction: float, root: bool) -> np.ndarray:
    """Welford's float32 results without its per-element steps: the two-pass double variance
    differs from Welford's by far less than a float32 ulp, so both round alike unless the value
    lies near a float32 rounding boundary; those outputs (and any non-finite ones) take
    `_welford`. The margin is 16·(n+1)·κ² double ulps (κ² = 1 + n·mean²/m2), well above the
    n·κ·ε bound on Welford's error."""
    count = columns.shape[0]
    divisor = _divisor(count, correction)
    if divisor == 0 or count < 2:
        return None
    with np.errstate(all="ignore"):
        mean = columns.mean(axis=0)
        deviation = columns - mean
        m2 = np.einsum("ij,ij->j", deviation, deviation)
        var = m2 / divisor
        value = np.sqrt(var) if root else var
        margin = 2.0**-52 * 16 * (count + 1) * (1 + count * mean * mean / m2)
        if root:
            margin = margin / 2 + 2.0**-52
        doubtful = ~_rounds_alike(value, margin)
    if doubtful.any():
        value[doubtful] = _welford(np.ascontiguousarray(columns[:, doubtful]), correction, root)
    return value


# --- logsumexp ---------------------------------------------------------------------------------

def _like_layout(values: np.ndarray, model: np.ndarray, *others: np.ndarray) -> np.ndarray:
    """`values` in the memory layout PyTorch gives the result of an elementwise op on `model`
    and `others`: its dims in the iterator's order (by the operands' strides), densely packed."""
    kept = [d for d in range(model.ndim) if model.shape[d] != 1]
    if len(kept) < 2 or model.flags.c_contiguous:
        return np.ascontiguousarray(values)
    operand_strides = [[0 if np.shape(op)[d] == 1 else op.strides[d] for d in kept]
                       for op in (model, *others)]
    order = _fastest_first([model.shape[d] for d in kept], operand_strides)
    perm = [d for d in range(model.ndim) if d not in kept] + [kept[k] for k in order[::-1]]
    packed = np.ascontiguousarray(np.transpose(values, perm))
    return np.transpose(packed, np.argsort(perm))


def logsumexp(a: np.ndarray, dims: tuple, keepdim: bool) -> Any:
    """torch.logsumexp of a float32 or float64 array over `dims` (empty: all) as PyTorch's
    composite computes it: maxima (an infinite one replaced by 0), exp of the differences laid
    out like `a`, PyTorch's sum, log, plus the maxima."""
    a = np.asarray(a)
    if a.dtype.char not in "fd":  # float16: in float32, rounded once at the end
        return np.asarray(logsumexp(a.astype(np.float32), dims, keepdim)).astype(a.dtype)[()]
    reduced = _reduced_set(a.ndim, tuple(dims) if dims is not None else None)
    axes = tuple(sorted(reduced))
    if a.size == 0:
        return _log(np.asarray(torch_sum(_exp(a), axes, keepdim)))[()]
    maxes = np.max(a, axis=axes, keepdims=True)
    maxes = np.where(np.isinf(maxes), np.zeros((), a.dtype), maxes)
    with np.errstate(invalid="ignore"):
        shifted = _like_layout(a - maxes, a, maxes)
    sums = np.asarray(torch_sum(_exp(shifted), axes, keepdim))
    offsets = maxes if keepdim else maxes.reshape(sums.shape)
    with np.errstate(invalid="ignore"):
        return (_log(sums) + offsets)[()]

"""PyTorch's float32 and float64 CPU matrix products, added up in the order its BLAS adds them.

PyTorch 2.13's CPU wheels hand every float32 `mm`/`addmm` to MKL's sgemm (`addmm_impl_cpu_`:
a contiguous result is computed as its transpose, Cᵀ = Bᵀ·Aᵀ, in MKL's column-major frame,
so MKL's m is our N and MKL's n our M). On an AMD CPU MKL runs its generic ("def") code, and
that picks one of three kernels by shape alone (`MKL_VERBOSE`, `perf` and `gdb` show which):

- gemv (`xsgemv`) when the product has one row or one column (MKL's n == 1);
- the Zen kernel (`sgemm_kernel_0_zen`, AVX2) when MKL's m >= 12 and n >= 4: every output is
  one fused-multiply-add chain from +0 per block of k (one block up to 192; two halves up to
  384, an odd last k a block of its own; else blocks of 192), each block added onto C, which
  holds the bias (addmm) or +0;
- the small-matrix kernel (`sgemm_pst`, SSE, no FMA) otherwise. Its order depends on the
  transposes MKL is given and on where 16-byte boundaries fall in C or in A's rows: see
  `engine.mkl_kernels` (its axpy form, MKL's A not transposed) and `_pst_dot`.

float64 products go to MKL's dgemm, which on this CPU runs a different set of kernels (see
`_product64`): the Zen kernel's chains start from C itself, the small kernel and gemv are SSE2
with 2-lane vectors peeled to 16-byte boundaries of C or of an operand (their addresses), and
the two threads split C in two blocks of rows or of columns. Every float64 product up to
`DGEMM_BUDGET` is modelled, except operands not 8-byte aligned and, with more than two
threads, the products MKL would split among them.

Each function returns None where no exact model is known or past the sizes checked against
torch, and the caller then uses numpy's product. The Zen kernel and the small kernel's axpy
form run compiled (`engine.mkl_kernels`).
The models are for this CPU's MKL path; `tests/engine/parity.py` checks that torch still
behaves so before the tests compare bit for bit.
"""

from __future__ import annotations

import functools

import numpy as np

from engine.compiled import (
    dgemm_axpy,
    dgemm_dots,
    dgemm_zen,
    dgemv_t,
    pst_axpy,
    sgemv_t,
    zen,
)
from engine.cpu_loops import SUM_THREADS

_F32 = np.float32
_F64 = np.float64


# Emulation budgets, in products (M·K·N): past them the caller falls back to numpy. The Zen
# kernel's chains and the small kernel's axpy form (both compiled) are checked against torch
# up to ZEN_BUDGET; the small kernel's dot forms are a few numpy passes over all products
# (tens of ms at their budget).
ZEN_BUDGET = 1 << 28
SSE_BUDGET = 1 << 22
GEMV_BUDGET = 1 << 20  # its numpy emulation holds every product at once
# MKL runs on PyTorch's intra-op threads, one per physical core by default
THREADS = SUM_THREADS
BMM_LOOP_LIMIT = 400  # bmm's own loop below this many products per matrix (LinearAlgebra.cpp)
# float64: every kernel is compiled, at 3-4x BLAS's time on big products (64x784x128 in about
# 0.65 ms, 1024x256x1024 in 19 ms); checked against torch up to 1024x256x1024
DGEMM_BUDGET = 1 << 28


def mm(a: np.ndarray, b: np.ndarray) -> np.ndarray | None:
    """`a @ b` as torch.mm computes float32 or float64 matrices on this CPU, or None if not
    modelled."""
    if a.dtype == _F64 and b.dtype == _F64:
        return _product64(None, a, b)
    return _product32(None, a, b)


def _product32(start: np.ndarray | None, a: np.ndarray, b: np.ndarray, c_offset: int = 0
               ) -> np.ndarray | None:
    """`_product` of the operands as addmm hands them to MKL (a strided or expanded one
    copied: its rows then start where a fresh tensor's do, which the kernels' peels follow)."""
    if a.ndim != 2 or b.ndim != 2 or a.dtype != _F32 or b.dtype != _F32:
        return None
    (rows, inner), cols = a.shape, b.shape[1]
    if not (a.flags.c_contiguous or a.flags.f_contiguous):  # (contiguous ones pass as they are)
        a = _blas_operand(a, inner, rows)
    if not (b.flags.c_contiguous or b.flags.f_contiguous):
        b = _blas_operand(b, cols, inner)
    if a is None or b is None:
        return None
    return _product(start, a, b, c_offset, a_offset=None)


def addmm(bias: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray | None:
    """`bias + a @ b` (beta = alpha = 1) as torch.addmm computes it, or None if not modelled.
    The bias is broadcast to the result, as addmm copies it into the result first."""
    bias = np.asarray(bias)
    if bias.dtype not in (_F32, _F64) or a.ndim != 2 or b.ndim != 2:
        return None
    try:
        start = np.broadcast_to(bias, (a.shape[0], b.shape[1]))
    except ValueError:
        return None
    if bias.dtype == _F64:
        return _product64(start, a, b) if a.dtype == b.dtype == _F64 else None
    return _product32(start, a, b)


def mv(a: np.ndarray, x: np.ndarray) -> np.ndarray | None:
    """`a @ x` for a matrix and a vector as torch.mv computes it (MKL's gemv, as mm's one
    column), or None if not modelled."""
    if x.ndim != 1:
        return None
    if a.dtype == _F64 and x.dtype == _F64:
        return _mv64(a, x)
    if a.ndim != 2 or a.dtype != _F32 or x.dtype != _F32 or not a.size:
        return None
    product = _gemv(None, a, x[:, None], clones=False)  # gemv, with x's stride
    return None if product is None else product[:, 0]


def bmm(a: np.ndarray, b: np.ndarray) -> np.ndarray | None:
    """`a @ b` for batches of matrices as torch.bmm computes them, or None if not modelled.
    Below 400 products per matrix bmm runs its own loop, each output summed from +0 in order
    without FMA; above, MKL's batched gemm runs the same kernels as mm on each matrix (float64:
    each matrix on one thread), whose results lie one after another in one buffer (so the
    small kernel's peel moves with them)."""
    if a.ndim != 3 or b.ndim != 3 or a.dtype != b.dtype or a.dtype not in (_F32, _F64):
        return None
    batch, rows, inner = a.shape
    cols = b.shape[2]
    if b.shape[:2] != (batch, inner) or inner == 0 or batch * rows * cols == 0:
        return None
    if rows * inner * cols < BMM_LOOP_LIMIT:
        terms = np.multiply(np.moveaxis(a, 2, 0)[..., None], np.moveaxis(b, 1, 0)[:, :, None, :],
                            dtype=a.dtype)
        return _sequential(terms)
    if not (_blas_batch(a) and _blas_batch(b)):
        # bmm splits a batch MKL cannot take into mm's, one matrix after another
        split = _product32 if a.dtype == _F32 else _product64
        items = [split(None, a[index], b[index], c_offset=index * rows * cols)
                 for index in range(batch)]
        return None if any(item is None for item in items) else np.stack(items)
    items = []
    for index in range(batch):
        if a.dtype == _F64:  # a batch of one is mm's
            item = _product64(None, a[index], b[index], c_offset=index * rows * cols,
                              batched=batch > 1)
        else:
            item = _product(None, a[index], b[index], c_offset=index * rows * cols,
                            a_offset=a[index].ctypes.data // 4 % 4, batched=batch > 1)
        if item is None:
            return None
        items.append(item)
    return np.stack(items)


def _blas_batch(x: np.ndarray) -> bool:
    """Whether bmm hands this batch to MKL's batched gemm: each matrix row-major or
    column-major (the batch's own stride may be anything)."""
    matrix = _torch_strides(x[0])
    return _blas_takes(matrix, matrix.shape[1], matrix.shape[0])


def _product(start: np.ndarray | None, a: np.ndarray, b: np.ndarray, c_offset: int = 0,
             a_offset: int | None = 0, batched: bool = False) -> np.ndarray | None:
    """MKL's product; `c_offset` and `a_offset` are how many floats the result's and a's data
    start after a 16-byte boundary (0 for a tensor of its own; None: as a's address says). A
    matrix of a `batched` gemm (a batch of two or more) runs on one thread, and one row or
    column takes the small kernel, not gemv, but for one row times a transposed b."""
    if a.ndim != 2 or b.ndim != 2 or a.dtype != _F32 or b.dtype != _F32:
        return None
    (rows, inner), cols = a.shape, b.shape[1]
    if inner == 0 or b.shape[0] != inner or rows * cols == 0:
        return None
    if inner == 1 and rows > 1 and cols > 1:  # one product each, then the bias onto it
        product = a * b
        return product if start is None else start + product
    if rows == 1 and cols == 1 and not _column_major(b, inner) and not batched:  # one dot
        return _sequential(_products(a, b), None if start is None else start.astype(_F32))
    if (rows == 1 or cols == 1) and not batched or (
            batched and rows == 1 < cols and _column_major(b, inner)):
        return _gemv(start, a, b)
    if rows * inner * cols > max(ZEN_BUDGET, SSE_BUDGET):
        return None
    parts = _thread_parts(rows, inner, cols, 1 if batched else THREADS)
    if parts is None:
        return None
    if _all_zen(parts, cols):  # each thread's chains, at once
        return _zen(start, a, b) if rows * inner * cols <= ZEN_BUDGET else None
    if cols < 12 and not _column_major(b, inner):  # every part's axpy form: its peel moves
        parts = [(0, rows)]  # with the row's offset in C, not with the part
    out = np.empty((rows, cols), _F32)
    for r0, r1 in parts:  # each thread's rows choose their kernel
        if not _kernel(out[r0:r1], None if start is None else start[r0:r1], a[r0:r1], b,
                       c_offset + r0 * cols,
                       None if a_offset is None else a_offset + r0 * (a.strides[0] // a.itemsize)):
            return None
    return out


def _all_zen(parts: list[tuple[int, int]], cols: int) -> bool:
    """Whether every thread's rows run the Zen kernel (MKL's m >= 12 and n >= 4)."""
    return cols >= 12 and all(r1 - r0 >= 4 for r0, r1 in parts)


def _thread_parts(rows: int, inner: int, cols: int, threads: int
                  ) -> list[tuple[int, int]] | None:
    """How MKL's threads share the result's rows (MKL's n): with k >= 5 and a size above 16,
    two threads take the first 4·ceil(rows / 8) rows and the rest, each choosing its kernel."""
    if inner < 5 or max(rows, inner, cols) <= 16 or threads == 1:
        return [(0, rows)]
    if threads != 2:
        return None
    first = min(rows, 4 * -(-rows // 8))
    return [(0, first), (first, rows)] if first < rows else [(0, rows)]


def _kernel(out: np.ndarray, start: np.ndarray | None, a: np.ndarray, b: np.ndarray,
            c_offset: int, a_offset: int | None) -> bool:
    """Write MKL's product of these rows into `out`; False where it is not modelled."""
    rows, inner = a.shape
    cols = b.shape[1]
    zen_kernel = cols >= 12 and rows >= 4
    transpose_a = _column_major(b, inner)  # MKL's A is our b, its B our a
    if rows * inner * cols > (ZEN_BUDGET if zen_kernel or not transpose_a else SSE_BUDGET):
        return False
    if zen_kernel:
        out[...] = _zen(start, a, b)
    elif not transpose_a:  # adds onto C, which holds the bias or +0
        if start is None:
            out[...] = 0
        else:
            out[...] = start
        pst_axpy(out, a, b, c_offset)
    elif not _column_major(a, rows):
        out[...] = _pst_dot(start, a, b, a.ctypes.data // 4 % 4 if a_offset is None else a_offset)
    else:
        out[...] = _finish(start, _sequential(_products(a, b)), bias_first=False)
    return True


def _column_major(x: np.ndarray, ld_floor: int) -> bool:
    """Whether addmm_impl_cpu_ passes `x` to BLAS transposed: it is not row-major but
    column-major (a `.t()` view). Anything else it copies to row-major first."""
    item = x.itemsize
    row_stride, col_stride = x.strides
    if col_stride == item and row_stride >= max(1, x.shape[1]) * item:
        return False
    return row_stride == item and col_stride >= max(1, ld_floor) * item


def _products(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """All products a[i, k] · b[k, j], each rounded to float32, as (K, M, N)."""
    return np.multiply(a.T[:, :, None], b[:, None, :], dtype=_F32)


def _sequential(terms: np.ndarray, first: np.ndarray | None = None) -> np.ndarray:
    """((first + t0) + t1) + ... in the terms' dtype, from +0 without `first`: numpy reduces the
    outer axis of a C-contiguous array one row after another."""
    head = np.zeros(terms.shape[1:], terms.dtype) if first is None else first
    rows = np.concatenate([head[None], terms]).reshape(terms.shape[0] + 1, -1)
    if rows.shape[1] == 1:  # numpy pairs along the axis its loop runs fastest
        return np.add.accumulate(rows, axis=0)[-1].reshape(head.shape)
    # numpy's reduce starts from its identity, +0, which would turn a -0 sum into +0
    return np.add.reduce(np.ascontiguousarray(rows), axis=0,
                         initial=terms.dtype.type(-0.0)).reshape(head.shape)


def _finish(start: np.ndarray | None, sums: np.ndarray, bias_first: bool) -> np.ndarray:
    if start is None or bias_first:
        return sums
    return start + sums


# --- gemv: one row or one column ----------------------------------------------------------------
def _gemv(start: np.ndarray | None, a: np.ndarray, b: np.ndarray, clones: bool = True
          ) -> np.ndarray | None:
    """MKL's gemv. Its axpy form (MKL's A not transposed) adds each output's products one by
    one onto the bias. Its dot form (`mkl_kernels.sgemv_t`, compiled) sums 4-lane vectors
    after a peel set by addresses, from its first product (products that all round to -0 sum
    to -0), and adds that onto C, the bias or +0. mm `clones` an operand BLAS cannot take
    (a strided or broadcast row) into a contiguous one first, as addmm does; mv passes a
    strided vector as it is, and of that only the plain sequential cases are modelled: k <= 4,
    or k <= 11 with at most 3 outputs."""
    rows, inner = a.shape
    cols = b.shape[1]
    if cols == 1 and not (rows == 1 and _column_major(b, inner)):  # MKL's A is our a, m = rows
        dot_form, outputs = not _column_major(a, rows), rows
        matrix, vector = a, b[:, 0]
    else:  # one row: computed as its transpose, MKL's A is our b, m = cols
        dot_form, outputs = _column_major(b, inner), cols
        matrix, vector = b.T, a[0]
    if dot_form:
        matrix = _blas_ready(matrix)
    if dot_form and clones:
        vector = np.ascontiguousarray(vector)
    if dot_form and vector.strides[0] == 4 and matrix.strides[1] == 4 and (
            rows * inner * cols <= ZEN_BUDGET):
        dots = np.zeros(outputs, _F32) if start is None else start.astype(_F32).reshape(-1)
        sgemv_t(dots, vector, matrix)
        return dots.reshape(rows, cols)
    if rows * inner * cols > GEMV_BUDGET:
        return None
    if dot_form and not (inner <= 4 or (outputs <= 3 and inner <= 11)):
        return None
    products = _products(a, b)
    if dot_form:
        dots = _sequential(products, np.full(products.shape[1:], -0.0, _F32))
        return (_F32(0) if start is None else start) + dots
    return _sequential(products, None if start is None else start.astype(_F32))


def _blas_ready(matrix: np.ndarray) -> np.ndarray:
    """`matrix` as gemv reads it: its rows contiguous and apart by at least their length (a
    row stride of 0, or a step inside rows, is copied first)."""
    return matrix if _row_major(_torch_strides(matrix), matrix.shape[1]) else np.ascontiguousarray(
        matrix)


# --- the Zen kernel: fused multiply-add chains per block of k --------------------------------
def _zen(start: np.ndarray | None, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """`start + a @ b` (from +0 without a start) in the Zen kernel's order: each block of k's
    chains added onto C in turn, compiled (`mkl_kernels.zen`)."""
    out = np.zeros((a.shape[0], b.shape[1]), _F32)
    if start is not None:
        out[...] = start
    zen(out, a, b, np.array(_k_blocks(b.shape[0]), np.int64))
    return out


@functools.cache
def _k_blocks(inner: int) -> tuple[tuple[int, int], ...]:
    if inner <= 192:
        return ((0, inner),)
    if inner <= 384:
        half = inner // 2
        return ((0, half), (half, 2 * half)) + (((2 * half, inner),) if inner % 2 else ())
    return tuple((k, min(inner, k + 192)) for k in range(0, inner, 192))


# --- the small-matrix kernel (SSE, no FMA) -------------------------------------------------------
def _pst_dot(start: np.ndarray | None, a: np.ndarray, b: np.ndarray,
             a_offset: int) -> np.ndarray:
    """MKL's A (our b) transposed, its B (our a) not: each output is a dot product of a row
    of a (contiguous in k) with a column of b, from +0, the bias added last. The row's floats
    before a 16-byte boundary (a's data assumed 64-byte aligned, as torch allocates it) are
    summed first; that sum starts lane 0 of 4-lane vectors over the following k, reduced as
    (l0 + l2) + (l1 + l3); the k left over are added one by one. The result's columns go in
    fours; the last N mod 4 columns use two 4-lane vectors per 8 k, added lane by lane before
    the reduction. A row with too few k for a vector (4, or 8 for the last columns, after the
    peel) is summed sequentially."""
    rows, inner = a.shape
    cols = b.shape[1]
    products = _products(a, b)
    sums = _sequential(products)
    row_stride = a.strides[0] // a.itemsize
    peel = (-(a_offset + np.arange(rows) * row_stride)) % 4
    quad_cols = cols - cols % 4
    for width, columns in ((4, slice(0, quad_cols)), (8, slice(quad_cols, cols))):
        if columns.start == columns.stop:
            continue
        for p in range(4):
            chosen = np.flatnonzero(peel == p)
            if not chosen.size or inner < width or inner < p + width:
                continue
            terms = products[:, chosen, columns]
            sums[chosen, columns] = _lanes(terms, p, width)
    return _finish(start, sums, bias_first=False)


def _lanes(terms: np.ndarray, peel: int, width: int) -> np.ndarray:
    inner = terms.shape[0]
    steps = (inner - peel) // width
    head = _sequential(terms[:peel])
    lanes = np.zeros((steps + 1, width, *terms.shape[1:]), _F32)
    lanes[0, 0] = head
    lanes[1:] = terms[peel: peel + steps * width].reshape(steps, width, *terms.shape[1:])
    lanes = np.add.reduce(lanes, axis=0, initial=_F32(-0.0))
    if width == 8:
        lanes = lanes[:4] + lanes[4:]
    reduced = (lanes[0] + lanes[2]) + (lanes[1] + lanes[3])
    return _sequential(terms[peel + steps * width:], reduced)


# --- float64: MKL's dgemm ----------------------------------------------------------------------
def _product64(start: np.ndarray | None, a: np.ndarray, b: np.ndarray, c_offset: int = 0,
               batched: bool = False) -> np.ndarray | None:
    """MKL's dgemm of `a @ b` added onto `start` (+0 without), or None where not modelled.

    MKL's driver (`mkl_blas_dgemm_omp_driver_v1`) hands MKL's n = 1 (one row here, or one
    column: `addmm_impl_cpu_` then computes C itself, not its transpose) to gemv; otherwise it
    runs on one thread when every size is at most 16, or k at most 4 with m and n at most 100,
    else splits C in two (`_dgemm_parts`), and each part is `_bdz64`'s. PyTorch itself does
    an inner size of 1 as an outer product and a 1 × 1 result as one dot product.
    `c_offset`: the result's offset in float64s from a 16-byte boundary (its place in a
    batch); `batched`: one matrix of bmm's `dgemm_batch`, which runs it on one thread and
    sends only MKL's n = 1 to gemv. The operands' 16-byte boundaries are their addresses'."""
    if a.ndim != 2 or b.ndim != 2 or a.dtype != _F64 or b.dtype != _F64:
        return None
    (rows, inner), cols = a.shape, b.shape[1]
    if inner == 0 or b.shape[0] != inner or rows * cols == 0:
        return None
    if rows * inner * cols > DGEMM_BUDGET:
        return None
    a, b = _blas_operand(a, inner, rows), _blas_operand(b, cols, inner)
    if a is None or b is None:
        return None
    out = (np.zeros((rows, cols)) if start is None
           else np.array(np.broadcast_to(start, (rows, cols)), _F64, order="C"))
    if not batched and inner == 1 and rows > 1 and cols > 1:
        product = a * b
        return product if start is None else start + product
    if not batched and rows == 1 and cols == 1:
        terms = np.concatenate([out[0], a[0] * b[:, 0]])
        return np.add.accumulate(terms)[-1:].reshape(1, 1)
    if not batched and cols == 1:  # MKL's A is a, its m our rows
        if _row_major(a, inner):
            _gemv_t64(out[:, 0], a, b[:, 0])
        else:
            _gemv_n64(out[:, 0], a, b[:, 0], c_offset)
        return out
    if rows == 1:  # MKL's A is b, its m our columns
        if _row_major(b, cols):
            _gemv_n64(out[0], b.T, a[0], c_offset)
        else:
            _gemv_t64(out[0], b.T, a[0])
        return out
    parts = [(0, rows, 0, cols)] if batched else _dgemm_parts(rows, inner, cols)
    if parts is None:
        return None
    for part in parts:
        _bdz64(out, a, b, part, c_offset)
    return out


def _mv64(a: np.ndarray, x: np.ndarray) -> np.ndarray | None:
    """torch.mv in float64: MKL's dgemv on `a` (copied if neither row- nor column-major) and
    `x` as PyTorch passes them, into a fresh vector."""
    rows, inner = a.shape
    if a.dtype != _F64 or x.shape != (inner,) or inner == 0 or rows == 0:
        return None
    if rows * inner > DGEMM_BUDGET:
        return None
    a = _blas_operand(a, inner, rows)
    if a is None or x.strides[0] <= 0 or not x.flags.aligned:
        return None
    out = np.zeros(rows)
    if _row_major(a, inner):
        _gemv_t64(out, a, x)
    else:
        _gemv_n64(out, a, x, 0)
    return out


def _row_major(x: np.ndarray, ld_floor: int) -> bool:
    """Whether addmm_impl_cpu_ passes `x` to BLAS as it is (not transposed)."""
    row_stride, col_stride = (s // x.itemsize for s in x.strides)
    return col_stride == 1 and row_stride >= max(1, ld_floor)


def _blas_operand(x: np.ndarray, row_floor: int, column_floor: int) -> np.ndarray | None:
    """`x` as PyTorch hands it to MKL: row-major or column-major as it is (leading dimensions
    at least `row_floor`, `column_floor`), else a contiguous copy; None if its data is not
    8-byte aligned (MKL's kernels then take paths not modelled)."""
    if not x.flags.aligned:
        return None
    x = _torch_strides(x)
    return x if _blas_takes(x, row_floor, column_floor) else np.ascontiguousarray(x)


def _torch_strides(x: np.ndarray) -> np.ndarray:
    """`x` with the strides PyTorch gives a dim of one where numpy's is 0 (numpy's new axis
    or a broadcast; PyTorch's unsqueeze strides it)."""
    if not (0 in x.strides and 1 in x.shape):
        return x
    strides = list(x.strides)
    if x.shape[1] == 1 and strides[1] == 0:
        strides[1] = x.itemsize
    if x.shape[0] == 1 and strides[0] == 0:
        strides[0] = x.shape[1] * strides[1]
    return np.lib.stride_tricks.as_strided(x, x.shape, strides)


def _blas_takes(x: np.ndarray, row_floor: int, column_floor: int) -> bool:
    """Whether BLAS takes `x` as it is: row-major or column-major, leading dimensions at least
    `row_floor` and `column_floor`."""
    row_stride, col_stride = (s // x.itemsize for s in x.strides)
    return _row_major(x, row_floor) or (row_stride == 1 and col_stride >= max(1, column_floor))


def _dgemm_parts(rows: int, inner: int, cols: int) -> list[tuple[int, int, int, int]] | None:
    """How MKL's threads share C, as (row start, row stop, column start, column stop). One
    thread when every size is at most 16, or k at most 4 with m and n at most 100; else
    `dgemm_2D_bsrc` on a 2 × 1 grid: MKL's n (our rows) split when it is more than twice its
    m (our columns), into 4·ceil(n / 8) and the rest, else m into 12·ceil(m / 24) and the rest
    (one part may be empty)."""
    if THREADS == 1 or max(rows, inner, cols) <= 16 or (inner <= 4 and max(rows, cols) <= 100):
        return [(0, rows, 0, cols)]
    if THREADS != 2:
        return None
    if rows > 2 * cols:
        split = min(rows, 4 * -(-rows // 8))
        parts = [(0, split, 0, cols), (split, rows, 0, cols)]
    else:
        split = min(cols, 12 * -(-cols // 24))
        parts = [(0, rows, 0, split), (0, rows, split, cols)]
    return [part for part in parts if part[0] < part[1] and part[2] < part[3]]


def _dgemm_k_blocks(inner: int) -> list[tuple[int, int]]:
    """`dgemm_blk_info_bdz`'s blocks of k: one up to 255; 256 from 512 on (and for 256
    itself); in between two of about half (k/2 rounded to suit k mod 4) and what is left."""
    if inner <= 255:
        return [(0, inner)]
    if inner > 511 or inner == 256:
        block = 256
    elif inner & 2:
        block = ((inner >> 1) & ~1) + 2
    else:
        block = inner >> 1
    return [(k, min(inner, k + block)) for k in range(0, inner, block)]


def _bdz64(out: np.ndarray, a: np.ndarray, b: np.ndarray, part: tuple[int, int, int, int],
           c_offset: int) -> None:
    """One thread's part of C, as `mkl_blas_def_xdgemm_bdz` computes it. With MKL's m (our
    columns) under 12, n (our rows) under 4 or k at most 1: `dgemm_pst` on all of it. Else
    `dgemm_kernel_zen` on the columns in twelves and rows in fours, `dgemm_pst` on the
    columns left (per block of k, each adding onto C), and `xdgemv` on each row left, over all
    of the part's columns and all of k."""
    r0, r1, c0, c1 = part
    inner = a.shape[1]
    if c1 - c0 < 12 or r1 - r0 < 4 or inner <= 1:
        _pst64(out, a, b, part, (0, inner), c_offset)
        return
    c12 = c1 - (c1 - c0) % 12
    r4 = r1 - (r1 - r0) % 4
    blocks = _dgemm_k_blocks(inner)
    dgemm_zen(out, a, b, (r0, r4), (c0, c12), np.array(blocks, np.int64))
    if c12 < c1:
        for block in blocks:
            _pst64(out, a, b, (r0, r4, c12, c1), block, c_offset)
    if r4 < r1:
        tail = out[r4:r1, c0:c1]
        if _row_major(b, c1 - c0):
            dgemm_axpy(tail, a[r4:], b[:, c0:c1], c_offset + r4 * out.shape[1] + c0,
                       out.shape[1], _row_major(a, inner))
        else:
            dgemv_t(tail, a[r4:], b[:, c0:c1].T)


def _pst64(out: np.ndarray, a: np.ndarray, b: np.ndarray, part: tuple[int, int, int, int],
           block: tuple[int, int], c_offset: int) -> None:
    """`dgemm_pst` adding out[part] += a[rows, block] @ b[block, columns]: its axpy form when
    MKL's A (our b) is not transposed, else its dot forms, whose peel follows a's rows (MKL's B
    not transposed) or b's columns."""
    r0, r1, c0, c1 = part
    k0, k1 = block
    y, x, m = out[r0:r1, c0:c1], a[r0:r1, k0:k1], b[k0:k1, c0:c1]
    if _row_major(b, b.shape[1]):
        dgemm_axpy(y, x, m, c_offset + r0 * out.shape[1] + c0, out.shape[1], True)
    else:
        dgemm_dots(y, x, m.T, _row_major(a, a.shape[1]))


def _gemv_t64(y: np.ndarray, w: np.ndarray, x: np.ndarray) -> None:
    """y[c] += w[c] · x as `xdgemv` 'T' (w's rows are MKL's columns, contiguous)."""
    dgemv_t(y[None, :], x[None, :], w)


def _gemv_n64(y: np.ndarray, m: np.ndarray, x: np.ndarray, y_offset: int) -> None:
    """y[r] += m[r] · x as `xdgemv` 'N': y_offset is y's offset from a 16-byte boundary."""
    unit = x.strides[0] == x.itemsize and y.strides[0] == y.itemsize
    dgemm_axpy(y[None, :], x[None, :], m.T, y_offset, 0, unit)

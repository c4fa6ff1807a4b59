"""MKL's sgemm and dgemm kernels, compiled (`engine.jit`); `engine.matmul_order` says when MKL
runs which, and how it shares the rows among threads.

float32 (sgemm):

* The Zen kernel (`sgemm_kernel_0_zen`): every output is one fused-multiply-add chain from +0
  per block of k, each block's chain then added onto the result, which holds the bias or +0.
* The small-matrix kernel's axpy form (`sgemm_pst`, SSE, no FMA): products rounded, then
  added one k at a time onto the result, except for a row's first elements before a 16-byte
  boundary of C, which per 8 k add (C + p0 + p1 + p2 + p3) + ((p4 + p5) + p6 + p7).

float64 (dgemm, SSE2's 2-lane vectors where not Zen):

* `dgemm_kernel_zen` (AVX2, 12 × 4 tiles): one fused-multiply-add chain per output straight
  from C (the bias or +0) through every block of k.
* `dgemm_pst`'s axpy form (MKL's A not transposed) and `xdgemv` 'N': as sgemm_pst's, with a
  peel of one element (8 bytes before a 16-byte boundary).
* `dgemm_pst`'s dot forms and `xdgemv` 'T': 2-lane partial sums, peeled to the 16-byte
  boundary of one operand, in the accumulator patterns each function's docstring gives.
"""

from __future__ import annotations

import numpy as np
from numba import types

from engine.jit import fma, generated, loop, scalar, vectorized


def zen(result: np.ndarray, a: np.ndarray, b: np.ndarray, blocks: np.ndarray) -> np.ndarray:
    """Add a @ b onto `result` (float32, rows × cols, C order) in the kernel's order; `blocks`
    are the (start, stop) of each block of k. A product off the tiles is padded to them with
    zero rows of a and zero columns of b, whose chains are dropped."""
    rows, cols = result.shape
    pad_rows, pad_cols = -rows % TILE_ROWS, -cols % TILE_COLS
    if not (pad_rows or pad_cols):
        _tiles(result, a, np.ascontiguousarray(b), blocks)
        return result
    if pad_rows:
        a = np.concatenate([a, np.zeros((pad_rows, a.shape[1]), np.float32)])
    if pad_cols:
        b = np.concatenate([b, np.zeros((b.shape[0], pad_cols), np.float32)], axis=1)
    padded = np.zeros((rows + pad_rows, cols + pad_cols), np.float32)
    padded[:rows, :cols] = result
    _tiles(padded, a, np.ascontiguousarray(b), blocks)
    result[...] = padded[:rows, :cols]
    return result


TILE_ROWS, TILE_COLS = 8, 16


def _tile_source(rows: int, cols: int) -> str:
    """`_tile`: a rows × cols tile of chains over one block of k, each running sum a scalar
    of its own (c2_5: row 2, column 5) so that all of them stay in registers, then added onto
    the result. Indices are unsigned: numba then adds no wraparound for negative ones, which
    would keep LLVM from packing neighbouring columns into one vector."""
    sums = [[f"c{r}_{c}" for c in range(cols)] for r in range(rows)]
    lines = ["def _tile(result, a, b, i, j, start, stop):",
             "    i, j = np.uint64(i), np.uint64(j)",
             "    " + " = ".join(name for row in sums for name in row) + " = np.float32(0)",
             "    for k in range(np.uint64(start), np.uint64(stop)):"]
    lines += [f"        a{r} = a[i + np.uint64({r}), k]" for r in range(rows)]
    lines += [f"        b{c} = b[k, j + np.uint64({c})]" for c in range(cols)]
    lines += [f"        {sums[r][c]} = fma(a{r}, b{c}, {sums[r][c]})"
              for r in range(rows) for c in range(cols)]
    lines += [f"    result[i + np.uint64({r}), j + np.uint64({c})] += {sums[r][c]}"
              for r in range(rows) for c in range(cols)]
    return "\n".join(lines)


_tile = scalar(generated(_tile_source(TILE_ROWS, TILE_COLS), "_tile", {"np": np, "fma": fma},
                         __file__))


_READ = types.Array(types.float32, 2, "A", readonly=True)  # writable arrays pass too


@vectorized(types.void(types.float32[:, ::1], _READ, _READ.copy(layout="C"),
                       types.int64[:, ::1]))
def _tiles(result: np.ndarray, a: np.ndarray, b: np.ndarray, blocks: np.ndarray) -> None:
    """Every whole tile of the result, each through every block of k in order: each output's
    chain is still its own, from +0 per block, added onto the result block by block."""
    rows, cols = result.shape
    for i in range(0, rows - TILE_ROWS + 1, TILE_ROWS):
        for j in range(0, cols - TILE_COLS + 1, TILE_COLS):
            for block in range(blocks.shape[0]):
                _tile(result, a, b, i, j, blocks[block, 0], blocks[block, 1])


@scalar
def _pairs(acc: np.ndarray, a: np.ndarray, b: np.ndarray, r0: int, r1: int, r2: int, r3: int,
           start: int, stop: int) -> None:
    """The Zen kernels' steps for rows r0..r3 over k in [start, stop), two k at a time (a last
    odd k is the caller's): acc[r, j] = fma(a[r, k], b[k, j], acc[r, j]), in k order. The
    chains along j are independent, so they vectorise, each still fused."""
    for k in range(start, stop - 1, 2):
        a0, a1, a2, a3 = a[r0, k], a[r1, k], a[r2, k], a[r3, k]
        c0, c1, c2, c3 = a[r0, k + 1], a[r1, k + 1], a[r2, k + 1], a[r3, k + 1]
        for j in range(b.shape[1]):
            first, second = b[k, j], b[k + 1, j]
            acc[0, j] = fma(c0, second, fma(a0, first, acc[0, j]))
            acc[1, j] = fma(c1, second, fma(a1, first, acc[1, j]))
            acc[2, j] = fma(c2, second, fma(a2, first, acc[2, j]))
            acc[3, j] = fma(c3, second, fma(a3, first, acc[3, j]))


def pst_axpy(result: np.ndarray, a: np.ndarray, b: np.ndarray, c_offset: int) -> np.ndarray:
    """Add a @ b onto `result` (float32, rows × cols) as the small kernel's axpy form does; C's
    data starts `c_offset` floats after a 16-byte boundary."""
    _axpy(result, np.asfortranarray(a), b, c_offset)
    return result


@loop
def _axpy(result: np.ndarray, a: np.ndarray, b: np.ndarray, c_offset: int) -> None:
    """Every column of the result per k, down a's contiguous columns (each output still adds
    its rounded products in k order; a column's sums come back only after the other columns'
    turn, not one add later), then the peeled elements again in their own order."""
    rows, inner = a.shape
    cols = b.shape[1]
    start = result[:, :3].copy()  # a peel is at most 3 elements
    columns = np.ascontiguousarray(result.T)
    quads = inner // 4 * 4
    for k in range(0, quads, 4):  # four k per pass over a column's sums: a quarter the loads
        for j in range(cols):
            w0, w1, w2, w3 = b[k, j], b[k + 1, j], b[k + 2, j], b[k + 3, j]
            for i in range(rows):
                columns[j, i] = (((columns[j, i] + a[i, k] * w0) + a[i, k + 1] * w1)
                                 + a[i, k + 2] * w2) + a[i, k + 3] * w3
    for k in range(quads, inner):
        for j in range(cols):
            factor = b[k, j]
            for i in range(rows):
                columns[j, i] += a[i, k] * factor
    result[...] = columns.T
    groups = inner // 8
    if groups == 0 or cols < 4:
        return
    widest = 0
    for i in range(rows):
        peel = (-(c_offset + i * cols)) % 4
        if cols >= peel + 4:
            widest = max(widest, peel)
    # each peeled column's chains for all rows at once (down a's contiguous columns), the
    # rows that do not peel it then left as they are
    chains = np.ascontiguousarray(start[:, :widest].T)
    for group in range(groups):
        k = 8 * group
        for j in range(widest):
            w0, w1, w2, w3 = b[k, j], b[k + 1, j], b[k + 2, j], b[k + 3, j]
            w4, w5, w6, w7 = b[k + 4, j], b[k + 5, j], b[k + 6, j], b[k + 7, j]
            for i in range(rows):
                total = chains[j, i]
                total += a[i, k] * w0
                total += a[i, k + 1] * w1
                total += a[i, k + 2] * w2
                total += a[i, k + 3] * w3
                second = a[i, k + 4] * w4 + a[i, k + 5] * w5
                second += a[i, k + 6] * w6
                chains[j, i] = total + (second + a[i, k + 7] * w7)
    for k in range(8 * groups, inner):
        for j in range(widest):
            for i in range(rows):
                chains[j, i] += a[i, k] * b[k, j]
    for i in range(rows):
        peel = (-(c_offset + i * cols)) % 4
        if cols >= peel + 4:
            for j in range(peel):
                result[i, j] = chains[j, i]


# --- sgemv 'T' (float32): MKL's A transposed, one row or one column of a product ------------
@loop
def sgemv_t(y: np.ndarray, x: np.ndarray, w: np.ndarray) -> None:
    """y[c] = x · w[c] + y[c], float32, as `xsgemv` 'T' computes it (w's rows are MKL's
    columns; x and each row of w contiguous): each dot starts from its first product, its
    sum is added onto y last. Columns in fours: 4-lane vectors after a peel set by
    w[c0 + 3, 1]'s address, lanes reduced (l0 + l2) + (l1 + l3). The rest in pairs, 8 products
    a step, their peel set by x[1]'s address: the first of a pair (and an odd last one) in
    two 4-lane accumulators added lane by lane, the second in one. Too few products for a
    step after the peel: summed in order."""
    cols, inner = w.shape
    quads = cols - cols % 4
    paired = (cols - quads) // 2 * 2
    x_peel = _floats_to_boundary(x.ctypes.data + 4)
    for c in range(cols):
        wc = w[c]
        total = x[0] * wc[0]
        if c < quads:
            peel = _floats_to_boundary(w.ctypes.data + (c - c % 4 + 3) * w.strides[0] + 4)
            if inner - 1 >= 4 + peel:
                total = _lanes4(x, wc, 1, inner, peel, total, 4, False)
            else:
                for k in range(1, inner):
                    total += x[k] * wc[k]
        elif inner - 1 >= 8 + x_peel:
            second = c - quads < paired and (c - quads) % 2 == 1
            total = _lanes4(x, wc, 1, inner, x_peel, total, 8, not second)
        else:
            for k in range(1, inner):
                total += x[k] * wc[k]
        y[c] = total + y[c]


@scalar
def _floats_to_boundary(address: int) -> int:
    """How many floats lie from a 4-byte aligned address to the next 16-byte boundary."""
    return ((-address) % 16) // 4


@scalar
def _lanes4(x: np.ndarray, w: np.ndarray, start: int, stop: int, peel: int,
            first: np.float32, step: int, two: bool) -> np.float32:
    """`first` plus the products from `start`: the peel one by one into lane 0 of a 4-lane
    accumulator (which holds the sum so far), then `step` (4 or 8) products a step, the first
    four into it, the next four into a second one (`two`) or into it again; the two added lane
    by lane, the lanes reduced (l0 + l2) + (l1 + l3), the leftovers added last."""
    zero = np.float32(0)
    a0, a1, a2, a3 = first, zero, zero, zero
    b0, b1, b2, b3 = zero, zero, zero, zero
    for k in range(start, start + peel):
        a0 += x[k] * w[k]
    end = stop - (stop - start - peel) % step
    for k in range(start + peel, end, step):
        a0 += x[k] * w[k]
        a1 += x[k + 1] * w[k + 1]
        a2 += x[k + 2] * w[k + 2]
        a3 += x[k + 3] * w[k + 3]
        if step == 8 and two:
            b0 += x[k + 4] * w[k + 4]
            b1 += x[k + 5] * w[k + 5]
            b2 += x[k + 6] * w[k + 6]
            b3 += x[k + 7] * w[k + 7]
        elif step == 8:
            a0 += x[k + 4] * w[k + 4]
            a1 += x[k + 5] * w[k + 5]
            a2 += x[k + 6] * w[k + 6]
            a3 += x[k + 7] * w[k + 7]
    if two:
        a0, a1, a2, a3 = a0 + b0, a1 + b1, a2 + b2, a3 + b3
    total = (a0 + a2) + (a1 + a3)
    for k in range(end, stop):
        total += x[k] * w[k]
    return total


# --- sdot (float32) -----------------------------------------------------------------------------
@loop
def sdot(x: np.ndarray, y: np.ndarray) -> np.float32:
    """x · y, float32, as MKL's sdot computes it where x and y lie alike about 16-byte
    boundaries: products rounded and added into 4-lane accumulators from +0. The products
    before x's boundary go into lane 0 of the first, then blocks of 16 into four, one block of
    8 into the first two, one of 4 into the first, the last few into its lane 0; the four added
    in order, lane by lane, the lanes reduced (l0 + l2) + (l1 + l3)."""
    n = x.shape[0]
    acc = np.zeros((4, 4), np.float32)
    pos = min(n, _floats_to_boundary(x.ctypes.data))
    for k in range(pos):
        acc[0, 0] += x[k] * y[k]
    while n - pos >= 16:
        for a in range(4):
            for lane in range(4):
                acc[a, lane] += x[pos + 4 * a + lane] * y[pos + 4 * a + lane]
        pos += 16
    for width in (8, 4):
        if n - pos >= width:
            for a in range(width // 4):
                for lane in range(4):
                    acc[a, lane] += x[pos + 4 * a + lane] * y[pos + 4 * a + lane]
            pos += width
    for k in range(pos, n):
        acc[0, 0] += x[k] * y[k]
    lanes = acc[0].copy()
    for a in range(1, 4):
        for lane in range(4):
            lanes[lane] += acc[a, lane]
    return (lanes[0] + lanes[2]) + (lanes[1] + lanes[3])


@loop
def ddot(x: np.ndarray, y: np.ndarray) -> np.float64:
    """x · y, float64, as MKL's ddot computes it: products rounded and added into four 2-lane
    accumulators from +0. The product before y's 16-byte boundary (if y starts off one) goes
    into lane 0 of the first, then blocks of 8 into the four, the remaining pairs into the
    first, a last product into its lane 0; the four added in order, lane by lane, then the two
    lanes."""
    n = x.shape[0]
    acc = np.zeros((4, 2), np.float64)
    pos = min(n, (y.ctypes.data >> 3) & 1)
    for k in range(pos):
        acc[0, 0] += x[k] * y[k]
    while n - pos >= 8:
        for a in range(4):
            for lane in range(2):
                acc[a, lane] += x[pos + 2 * a + lane] * y[pos + 2 * a + lane]
        pos += 8
    while n - pos >= 2:
        for lane in range(2):
            acc[0, lane] += x[pos + lane] * y[pos + lane]
        pos += 2
    for k in range(pos, n):
        acc[0, 0] += x[k] * y[k]
    lanes = acc[0].copy()
    for a in range(1, 4):
        for lane in range(2):
            lanes[lane] += acc[a, lane]
    return lanes[0] + lanes[1]


# --- dgemm (float64): `engine.matmul_order` says which kernel MKL runs on which outputs ------
def dgemm_zen(out: np.ndarray, a: np.ndarray, b: np.ndarray, rows: tuple[int, int],
              cols: tuple[int, int], blocks: np.ndarray) -> None:
    """Add a[rows] @ b[:, cols] onto out[rows, cols] (float64) as `dgemm_kernel_zen` does: one
    fused-multiply-add chain per output from its value in `out`, k in order. `blocks` are the
    k blocks: MKL packs an odd block with a zero pair, whose fused multiply-add turns -0 to +0."""
    _chains64(out, a, np.ascontiguousarray(b[:, cols[0]:cols[1]]), rows[0], rows[1], cols[0],
              blocks)


@loop
def _chains64(out: np.ndarray, a: np.ndarray, b: np.ndarray, r_start: int, r_stop: int,
              c_start: int, blocks: np.ndarray) -> None:
    """Four rows and two k at a time (each b element loaded serves eight steps); every output's
    chain is still its own, in k order (a short last group of rows repeats its last row)."""
    cols = b.shape[1]
    acc = np.empty((4, cols), np.float64)
    for i in range(r_start, r_stop, 4):
        count = min(4, r_stop - i)
        r0, r1, r2, r3 = i, i + min(1, count - 1), i + min(2, count - 1), i + min(3, count - 1)
        for j in range(cols):
            acc[0, j] = out[r0, c_start + j]
            acc[1, j] = out[r1, c_start + j]
            acc[2, j] = out[r2, c_start + j]
            acc[3, j] = out[r3, c_start + j]
        for block in range(blocks.shape[0]):
            start, stop = blocks[block, 0], blocks[block, 1]
            _pairs(acc, a, b, r0, r1, r2, r3, start, stop)
            if (stop - start) % 2:
                k = stop - 1
                a0, a1, a2, a3 = a[r0, k], a[r1, k], a[r2, k], a[r3, k]
                for j in range(cols):
                    first = b[k, j]
                    acc[0, j] = fma(a0, first, acc[0, j]) + 0.0
                    acc[1, j] = fma(a1, first, acc[1, j]) + 0.0
                    acc[2, j] = fma(a2, first, acc[2, j]) + 0.0
                    acc[3, j] = fma(a3, first, acc[3, j]) + 0.0
        for r in range(count):
            for j in range(cols):
                out[i + r, c_start + j] = acc[r, j]


@loop
def dgemm_axpy(y: np.ndarray, x: np.ndarray, m: np.ndarray, y_parity: int, y_step: int,
               tree: bool) -> None:
    """y[r, c] += x[r, :] · m[:, c], float64, as `dgemm_pst` adds when MKL's A is not transposed
    (and `xdgemv` 'N' with unit strides): each product rounded and added in k order onto y,
    except that y[r, 0], when it lies 8 bytes past a 16-byte boundary (`y_parity` + r·`y_step`
    odd) and the row has at least 3 outputs, adds each group of 8 k as
    (y + p0 + p1 + p2 + p3) + (((p4 + p5) + p6) + p7)."""
    rows, inner = x.shape
    cols = m.shape[1]
    for r in range(rows):
        first = y[r, 0]
        for k in range(inner):
            factor = x[r, k]
            for c in range(cols):
                y[r, c] += m[k, c] * factor
        if not tree or cols < 3 or (y_parity + r * y_step) % 2 == 0 or inner < 8:
            continue
        total = first
        for k in range(0, inner - 7, 8):
            part = total + m[k, 0] * x[r, k]
            part += m[k + 1, 0] * x[r, k + 1]
            part += m[k + 2, 0] * x[r, k + 2]
            part += m[k + 3, 0] * x[r, k + 3]
            second = m[k + 4, 0] * x[r, k + 4] + m[k + 5, 0] * x[r, k + 5]
            second += m[k + 6, 0] * x[r, k + 6]
            second += m[k + 7, 0] * x[r, k + 7]
            total = part + second
        for k in range(inner - inner % 8, inner):
            total += m[k, 0] * x[r, k]
        y[r, 0] = total


@scalar
def _lanes2(x: np.ndarray, w: np.ndarray, start: int, stop: int, peel: int,
            first: float) -> float:
    """`first` plus the products from `start`: the `peel` products before a 16-byte boundary
    one by one, then pairs into two lanes (the first lane holding the sum so far), the lanes
    added, the odd product left over added last."""
    lane0, lane1 = first, 0.0
    for k in range(start, start + peel):
        lane0 += x[k] * w[k]
    end = stop - (stop - start - peel) % 2
    for k in range(start + peel, end, 2):
        lane0 += x[k] * w[k]
        lane1 += x[k + 1] * w[k + 1]
    total = lane0 + lane1
    for k in range(end, stop):
        total += x[k] * w[k]
    return total


@scalar
def _lanes8(x: np.ndarray, w: np.ndarray, start: int, stop: int, peel: int, first: float,
            split: int) -> float:
    """As `_lanes2` with eight products a step: `split` 4 keeps four 2-lane accumulators
    ((v0 + v1) + (v2 + v3)), `split` 2 two (pairs 0 and 2 into one, 1 and 3 into the other),
    `split` 1 one; lanes added after."""
    v00, v01, v10, v11, v20, v21, v30, v31 = first, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0
    for k in range(start, start + peel):
        v00 += x[k] * w[k]
    end = stop - (stop - start - peel) % 8
    for k in range(start + peel, end, 8):
        if split == 1:
            for q in range(0, 8, 2):
                v00 += x[k + q] * w[k + q]
                v01 += x[k + q + 1] * w[k + q + 1]
            continue
        v00 += x[k] * w[k]
        v01 += x[k + 1] * w[k + 1]
        v10 += x[k + 2] * w[k + 2]
        v11 += x[k + 3] * w[k + 3]
        if split == 4:
            v20 += x[k + 4] * w[k + 4]
            v21 += x[k + 5] * w[k + 5]
            v30 += x[k + 6] * w[k + 6]
            v31 += x[k + 7] * w[k + 7]
        else:
            v00 += x[k + 4] * w[k + 4]
            v01 += x[k + 5] * w[k + 5]
            v10 += x[k + 6] * w[k + 6]
            v11 += x[k + 7] * w[k + 7]
    if split == 4:
        total = ((v00 + v10) + (v20 + v30)) + ((v01 + v11) + (v21 + v31))
    elif split == 2:
        total = (v00 + v10) + (v01 + v11)
    else:
        total = v00 + v01
    for k in range(end, stop):
        total += x[k] * w[k]
    return total


@scalar
def _odd(address: int) -> int:
    """1 if an 8-byte aligned address lies 8 bytes past a 16-byte boundary, else 0."""
    return (address >> 3) & 1


@loop
def dgemm_dots(y: np.ndarray, x: np.ndarray, w: np.ndarray, by_row: bool) -> None:
    """y[r, c] += x[r] · w[c], float64, as `dgemm_pst` when MKL's A is transposed (w's rows
    are its columns): each dot from +0, added onto y last. `by_row` (MKL's B not transposed):
    x[r]'s product before a 16-byte boundary comes first, then 2-lane pairs for the outputs in
    fours, 8 products a step in four 2-lane accumulators for the last c mod 4; else the peel
    follows w[c]'s address and every output takes 8 a step. Too few products for one step
    (after the peel): summed in order."""
    rows, inner = x.shape
    cols = w.shape[0]
    quads = cols - cols % 4 if by_row else 0
    for r in range(rows):
        for c in range(cols):
            if by_row:
                peel = _odd(x.ctypes.data + r * x.strides[0])
            else:
                peel = _odd(w.ctypes.data + c * w.strides[0])
            xr, wc = x[r], w[c]
            if c < quads and inner >= 2 + peel:
                total = _lanes2(xr, wc, 0, inner, peel, 0.0)
            elif c >= quads and inner >= 8 + peel:
                total = _lanes8(xr, wc, 0, inner, peel, 0.0, 4)
            else:
                total = 0.0
                for k in range(inner):
                    total += xr[k] * wc[k]
            y[r, c] = y[r, c] + total


@loop
def dgemv_t(y: np.ndarray, x: np.ndarray, w: np.ndarray) -> None:
    """y[r, c] += x[r] · w[c], float64, as `xdgemv` 'T' computes each row r (w's rows are MKL's
    columns): each dot starts from its first product, the sum added onto y last. Columns in
    fours: 2-lane pairs after a peel set by w[c0 + 3, 1]'s address. The rest, with unit
    strides of x and y: pairs of columns (the first in two alternating 2-lane accumulators,
    the second in one), an odd last one in four, their peel following x[r, 1]'s address; with
    other strides each in four, its peel following w[c, 1]'s."""
    rows, inner = x.shape
    cols = w.shape[0]
    quads = cols - cols % 4
    unit = x.strides[1] == 8 and y.strides[1] == 8
    for r in range(rows):
        x_peel = _odd(x.ctypes.data + r * x.strides[0] + x.strides[1])
        xr = x[r]
        for c in range(cols):
            wc = w[c]
            total = xr[0] * wc[0]
            if c < quads:
                peel = _odd(w.ctypes.data + (c - c % 4 + 3) * w.strides[0] + w.strides[1])
                if inner - 1 >= 2 + peel:
                    total = _lanes2(xr, wc, 1, inner, peel, total)
                else:
                    for k in range(1, inner):
                        total += xr[k] * wc[k]
            else:
                if unit:
                    peel = x_peel
                    paired = c - quads < (cols - quads) // 2 * 2
                    split = (2 if (c - quads) % 2 == 0 else 1) if paired else 4
                else:
                    peel = _odd(w.ctypes.data + c * w.strides[0] + w.strides[1])
                    split = 4
                if inner - 1 >= 8 + peel:
                    total = _lanes8(xr, wc, 1, inner, peel, total, split)
                else:
                    for k in range(1, inner):
                        total += xr[k] * wc[k]
            y[r, c] = total + y[r, c]

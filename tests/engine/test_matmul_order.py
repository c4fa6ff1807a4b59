"""engine.matmul_order against PyTorch: every product it models is PyTorch's, bit for bit
(zero signs included), and it declines (None) the products it does not model."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from engine import matmul_order
from tests.engine.parity import dgemm_order_modelled, matmul_order_modelled

torch = pytest.importorskip("torch")
pytestmark = pytest.mark.skipif(
    not matmul_order_modelled(torch),
    reason="this CPU's PyTorch adds matrix products in another order than the one modelled "
           "(MKL's generic code on AMD: Zen FMA kernel, SSE small kernel, gemv)")

LAYOUTS = ("NN", "TN", "NT", "TT")  # is b, is a a `.t()` view (MKL's transa, transb)


@pytest.fixture(autouse=True)
def _no_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(matmul_order, "ZEN_BUDGET", 1 << 40)
    monkeypatch.setattr(matmul_order, "SSE_BUDGET", 1 << 40)
    monkeypatch.setattr(matmul_order, "DGEMM_BUDGET", 1 << 40)


def _operand(values: np.ndarray, transposed: bool) -> tuple[np.ndarray, object]:
    """The same matrix for numpy and for torch, row-major or as the `.t()` of a copy."""
    if transposed:
        base = np.ascontiguousarray(values.T)
        return base.T, torch.from_numpy(base).t()
    values = np.ascontiguousarray(values)
    return values, torch.from_numpy(values)


def _same(ours: np.ndarray | None, theirs: np.ndarray) -> bool:
    return (ours is not None and np.array_equal(ours, theirs)
            and np.array_equal(np.signbit(ours), np.signbit(theirs)))


def _check(rows: int, inner: int, cols: int, layout: str, seed: int) -> list[str]:
    rng = np.random.default_rng(seed)
    a_values = rng.standard_normal((rows, inner)).astype(np.float32)
    b_values = rng.standard_normal((inner, cols)).astype(np.float32)
    bias = rng.standard_normal(cols).astype(np.float32)
    a, a_torch = _operand(a_values, layout[1] == "T")
    b, b_torch = _operand(b_values, layout[0] == "T")
    failures = []
    ours = matmul_order.mm(a, b)
    if ours is not None and not _same(ours, (a_torch @ b_torch).numpy()):
        failures.append(f"mm {rows}x{inner}x{cols} {layout}")
    ours = matmul_order.addmm(bias, a, b)
    theirs = torch.addmm(torch.from_numpy(bias), a_torch, b_torch).numpy()
    if ours is not None and not _same(ours, theirs):
        failures.append(f"addmm {rows}x{inner}x{cols} {layout}")
    return failures


def test_random_shapes_are_pytorchs_where_modelled() -> None:
    rng = np.random.default_rng(2024)
    shapes = [tuple(int(n) for n in rng.integers(1, 71, 3)) for _ in range(120)]
    failures = [failure for index, shape in enumerate(shapes) for layout in LAYOUTS
                for failure in _check(*shape, layout, seed=index)]
    assert failures == []


@pytest.mark.parametrize("layout", LAYOUTS)
def test_every_small_shape_is_pytorchs(layout: str) -> None:
    """Sizes around the kernels' switches: the Zen kernel from 12 columns and 4 rows, the SSE
    kernel's 8-k groups, 4-wide lanes and 16-byte peels, gemv's rows and columns of one."""
    sizes = (1, 2, 3, 4, 5, 7, 9, 12, 13)
    inners = (1, 2, 3, 4, 5, 8, 9, 11, 12, 17)
    failures = [failure for rows, inner, cols in itertools.product(sizes, inners, sizes)
                for failure in _check(rows, inner, cols, layout, seed=rows * inner + cols)]
    assert failures == []


@pytest.mark.parametrize("inner", [191, 193, 250, 383, 385, 401, 784])
def test_long_sums_keep_the_zen_kernels_k_blocks(inner: int) -> None:
    assert _check(5, inner, 12, "NN", seed=inner) == []
    assert _check(4, inner, 16, "TN", seed=inner) == []


@pytest.mark.parametrize("shape", [(64, 784, 128), (2000, 3, 1), (1, 2000, 3), (64, 1000, 100),
                                   (64, 100, 20), (100, 64, 20), (20, 64, 10)])
def test_tutorial_and_benchmark_shapes(shape: tuple[int, int, int]) -> None:
    for layout in ("NN", "TN"):
        assert _check(*shape, layout, seed=7) == []


def test_the_linear_layers_of_the_tutorials_are_modelled() -> None:
    """nn.Linear(3, 1) on 2000 samples (gemv) and nn.Linear(3, 4) on 4 (the SSE kernel)."""
    rng = np.random.default_rng(5)
    for rows, inner, cols in ((2000, 3, 1), (4, 3, 4), (4, 4, 4), (4, 4, 1)):
        x = rng.standard_normal((rows, inner)).astype(np.float32)
        weight = rng.standard_normal((cols, inner)).astype(np.float32)
        bias = rng.standard_normal(cols).astype(np.float32)
        theirs = torch.nn.functional.linear(torch.from_numpy(x), torch.from_numpy(weight),
                                            torch.from_numpy(bias)).numpy()
        assert _same(matmul_order.addmm(bias, x, weight.T), theirs)


def test_bmm_and_mv() -> None:
    rng = np.random.default_rng(8)
    for batch, rows, inner, cols in ((3, 2, 3, 4), (2, 33, 17, 5), (4, 9, 9, 7), (3, 6, 5, 1)):
        a = rng.standard_normal((batch, rows, inner)).astype(np.float32)
        b = rng.standard_normal((batch, inner, cols)).astype(np.float32)
        assert _same(matmul_order.bmm(a, b),
                     torch.bmm(torch.from_numpy(a), torch.from_numpy(b)).numpy())
    for rows, inner in ((5, 3), (2000, 3), (3, 9)):
        a = rng.standard_normal((rows, inner)).astype(np.float32)
        x = rng.standard_normal(inner).astype(np.float32)
        theirs = torch.mv(torch.from_numpy(a), torch.from_numpy(x)).numpy()
        assert _same(matmul_order.mv(a, x), theirs)


@pytest.mark.parametrize("inner", [5, 12, 13, 17, 40, 64, 100, 784])
def test_one_row_or_column_takes_gemvs_dot_form(inner: int) -> None:
    """A batch of one through a linear layer (x @ W.t()), a matrix times a vector and one
    output of each: MKL's gemv 'T' with its vector lanes and address-set peels, whatever the
    operands' offsets from a 16-byte boundary."""
    rng = np.random.default_rng(inner)
    for outputs, x_at, w_at in itertools.product(range(1, 14), range(4), range(4)):
        x = rng.standard_normal(inner + 4).astype(np.float32)[x_at:x_at + inner]
        w = rng.standard_normal(outputs * inner + 4).astype(np.float32)[
            w_at:w_at + outputs * inner].reshape(outputs, inner)
        bias = rng.standard_normal(outputs).astype(np.float32)
        tx, tw = torch.from_numpy(x), torch.from_numpy(w)
        assert _same(matmul_order.mm(x[None], w.T), (tx[None] @ tw.t()).numpy())
        assert _same(matmul_order.addmm(bias, x[None], w.T),
                     torch.addmm(torch.from_numpy(bias), tx[None], tw.t()).numpy())
        assert _same(matmul_order.mv(w, x), torch.mv(tw, tx).numpy())


def test_zero_signs_follow_the_kernels() -> None:
    """-0 products: kernels that add onto the bias keep a -0 bias; the ones that sum from +0
    first, or that start from +0 without a bias, give +0."""
    zeros = np.zeros((5, 4), np.float32)
    negative = -np.ones((4, 6), np.float32)
    bias = -np.zeros(6, np.float32)
    for layout in LAYOUTS:
        a, a_torch = _operand(zeros, layout[1] == "T")
        b, b_torch = _operand(negative, layout[0] == "T")
        assert _same(matmul_order.mm(a, b), (a_torch @ b_torch).numpy())
        assert _same(matmul_order.addmm(bias, a, b),
                     torch.addmm(torch.from_numpy(bias), a_torch, b_torch).numpy())


def test_unmodelled_products_are_declined() -> None:
    rng = np.random.default_rng(3)
    x = rng.standard_normal((1, 40)).astype(np.float32)
    weight = rng.standard_normal((10, 40)).astype(np.float32)
    every_other = rng.standard_normal(80).astype(np.float32)[::2]
    assert matmul_order.mv(weight, every_other) is None  # gemv's dot form, strided: not modelled
    theirs = torch.from_numpy(every_other[None].copy()) @ torch.from_numpy(weight).t()
    assert _same(matmul_order.mm(every_other[None], weight.T), theirs.numpy())  # mm copies it
    assert matmul_order.mm(x.astype(np.float64), weight.T) is None  # mixed dtypes


def test_budgets_leave_big_products_to_numpy(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(matmul_order, "ZEN_BUDGET", 1 << 16)
    monkeypatch.setattr(matmul_order, "SSE_BUDGET", 1 << 16)
    a = np.ones((64, 784), np.float32)
    assert matmul_order.mm(a, np.ones((784, 128), np.float32)) is None
    assert matmul_order.mm(np.ones((64, 128), np.float32), np.ones((128, 10), np.float32)) is None


def test_big_axpy_products_are_modelled_under_the_compiled_budget(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The small kernel's axpy form (fewer than 12 columns) is compiled like the Zen kernel's
    chains, so it shares their budget: 5000x1000x10 (5e7 multiply-adds) is PyTorch's."""
    monkeypatch.setattr(matmul_order, "ZEN_BUDGET", 1 << 28)
    monkeypatch.setattr(matmul_order, "SSE_BUDGET", 1 << 16)
    for layout in ("NN", "NT"):  # a row-major or a `.t()` view; b row-major
        a, _ = _operand(np.ones((5000, 1000), np.float32), layout[1] == "T")
        assert matmul_order.mm(a, np.ones((1000, 10), np.float32)) is not None
        assert _check(5000, 1000, 10, layout, seed=11) == []


# --- float64: MKL's dgemm ----------------------------------------------------------------------
float64_modelled = pytest.mark.skipif(
    not dgemm_order_modelled(torch),
    reason="this CPU's PyTorch adds float64 products in another order than the one modelled "
           "(MKL's dgemm on AMD: Zen FMA kernel, SSE2 small kernel and gemv, 2 threads)")


def _operand64(values: np.ndarray, transposed: bool) -> tuple[np.ndarray, object]:
    """The same float64 matrix for numpy and torch (one buffer), row-major or a `.t()` view."""
    if transposed:
        values = np.ascontiguousarray(values.T).T
    else:
        values = np.ascontiguousarray(values)
    return values, torch.from_numpy(values)


def _check64(rows: int, inner: int, cols: int, layout: str, seed: int) -> list[str]:
    rng = np.random.default_rng(seed)
    a, a_torch = _operand64(rng.standard_normal((rows, inner)), layout[1] == "T")
    b, b_torch = _operand64(rng.standard_normal((inner, cols)), layout[0] == "T")
    bias = rng.standard_normal(cols)
    failures = []
    if not _same(matmul_order.mm(a, b), (a_torch @ b_torch).numpy()):
        failures.append(f"mm {rows}x{inner}x{cols} {layout}")
    theirs = torch.addmm(torch.from_numpy(bias), a_torch, b_torch).numpy()
    if not _same(matmul_order.addmm(bias, a, b), theirs):
        failures.append(f"addmm {rows}x{inner}x{cols} {layout}")
    return failures


@float64_modelled
def test_float64_random_shapes_are_pytorchs() -> None:
    """Every float64 product is modelled (none declined): sizes 1 to 70 on every side, and a
    few to 300, which cross the thread splits and MKL's blocks of k."""
    rng = np.random.default_rng(64)
    shapes = [tuple(int(n) for n in rng.integers(1, 71, 3)) for _ in range(100)]
    shapes += [tuple(int(n) for n in rng.integers(1, 301, 3)) for _ in range(16)]
    failures = [failure for index, shape in enumerate(shapes) for layout in LAYOUTS
                for failure in _check64(*shape, layout, seed=index)]
    assert failures == []


@float64_modelled
@pytest.mark.parametrize("layout", LAYOUTS)
def test_float64_kernel_switches_are_pytorchs(layout: str) -> None:
    """Sizes around dgemm's switches: the Zen kernel from 12 columns and 4 rows with the small
    kernel and gemv on the columns and rows left, one thread up to 16 on every side (or k up
    to 4 with the others up to 100), the row split past twice as many rows as columns, the
    small kernel's 2-lane steps, 8-k groups and 16-byte peels."""
    sizes = (1, 2, 3, 4, 5, 7, 12, 13, 16, 17, 25)
    inners = (1, 2, 3, 4, 5, 8, 9, 11, 17)
    failures = [failure for rows, inner, cols in itertools.product(sizes, inners, sizes)
                for failure in _check64(rows, inner, cols, layout, seed=rows * inner + cols)]
    failures += [failure for shape in ((100, 4, 100), (101, 4, 100), (100, 4, 101), (16, 17, 16),
                                       (17, 16, 16), (27, 20, 13), (26, 20, 13), (49, 9, 24))
                 for failure in _check64(*shape, layout, seed=3)]
    assert failures == []


@float64_modelled
@pytest.mark.parametrize("inner", [255, 256, 257, 300, 302, 303, 511, 512, 513, 784])
def test_float64_blocks_of_k(inner: int) -> None:
    """dgemm_blk_info_bdz's blocks of k, which the small kernel on the Zen kernel's last
    columns adds one at a time."""
    assert _check64(9, inner, 29, "NN", seed=inner) == []
    assert _check64(6, inner, 17, "TN", seed=inner) == []
    assert _check64(5, inner, 13, "TT", seed=inner) == []


@float64_modelled
@pytest.mark.parametrize("shape", [(64, 784, 128), (64, 1000, 100), (64, 100, 20), (100, 64, 20),
                                   (128, 64, 784), (2000, 3, 1), (1, 784, 128), (256, 256, 256),
                                   (1024, 256, 1024)])
def test_float64_tutorial_and_budget_shapes(shape: tuple[int, int, int]) -> None:
    """A layer's forward (TN: linear's weight.T) and its gradients' products (NN, NT), up to
    the budget's 2**28 multiply-adds."""
    for layout in ("NN", "TN", "NT"):
        assert _check64(*shape, layout, seed=11) == []


@float64_modelled
def test_float64_linear_layers() -> None:
    rng = np.random.default_rng(12)
    for rows, inner, cols in ((2000, 3, 1), (4, 3, 4), (64, 784, 128), (64, 128, 10), (1, 5, 3)):
        x = rng.standard_normal((rows, inner))
        weight, bias = rng.standard_normal((cols, inner)), rng.standard_normal(cols)
        theirs = torch.nn.functional.linear(torch.from_numpy(x), torch.from_numpy(weight),
                                            torch.from_numpy(bias)).numpy()
        assert _same(matmul_order.addmm(bias, x, weight.T), theirs)


@float64_modelled
def test_float64_operands_off_a_16_byte_boundary() -> None:
    """Slices of larger matrices: the small kernel's and gemv's peels follow the operands'
    addresses."""
    rng = np.random.default_rng(13)
    failures = []
    for trial in range(80):
        rows, inner, cols = (int(n) for n in rng.integers(1, 50, 3))
        i, j, k, m = (int(n) for n in rng.integers(0, 3, 4))
        a_base, b_base = (rng.standard_normal((rows + 3, inner + 3)),
                          rng.standard_normal((inner + 3, cols + 3)))
        if trial % 2:
            a_base = np.ascontiguousarray(a_base.T).T
        if trial // 2 % 2:
            b_base = np.ascontiguousarray(b_base.T).T
        a, b = a_base[i:i + rows, j:j + inner], b_base[k:k + inner, m:m + cols]
        theirs = (torch.from_numpy(a_base)[i:i + rows, j:j + inner]
                  @ torch.from_numpy(b_base)[k:k + inner, m:m + cols]).numpy()
        if not _same(matmul_order.mm(a, b), theirs):
            failures.append((rows, inner, cols, i, j, k, m, trial % 4))
    assert failures == []


@float64_modelled
def test_float64_mv_and_vector_products() -> None:
    """torch.mv and products with one row or column (MKL's dgemv), vectors strided and off a
    16-byte boundary."""
    rng = np.random.default_rng(14)
    failures = []
    for trial in range(120):
        rows, inner = (int(n) for n in rng.integers(1, 70, 2))
        step, start = int(rng.integers(1, 3)), int(rng.integers(0, 2))
        matrix, matrix_torch = _operand64(rng.standard_normal((rows, inner)), trial % 2 == 1)
        vectors = rng.standard_normal((inner * step + 2, 2))
        picked = slice(start, start + inner * step, step)
        x, x_torch = vectors[picked, 1], torch.from_numpy(vectors)[picked, 1]
        if not _same(matmul_order.mv(matrix, x), torch.mv(matrix_torch, x_torch).numpy()):
            failures.append(("mv", rows, inner, step, start, trial % 2))
        column = (matrix_torch @ x_torch[:, None]).numpy()  # numpy's new axis: stride 0
        if not _same(matmul_order.mm(matrix, x[:, None]), column):
            failures.append(("column", rows, inner, step, start, trial % 2))
        if not _same(matmul_order.mm(x[None, :], matrix.T),
                     (x_torch[None, :] @ matrix_torch.t()).numpy()):
            failures.append(("row", rows, inner, step, start, trial % 2))
    assert failures == []


@float64_modelled
def test_float64_bmm() -> None:
    """bmm's own loop below 400 products, MKL's batched dgemm (each matrix on one thread) above,
    a batch of one as mm; rows, columns or k of one; transposed batches."""
    rng = np.random.default_rng(15)
    failures = []
    for trial in range(80):
        batch = int(rng.integers(1, 4))
        rows, inner, cols = (int(n) for n in rng.integers(1, 60, 3))
        if trial % 5 == 0:
            rows = 1
        if trial % 7 == 0:
            cols = 1
        if trial % 11 == 0:
            inner = 1
        a, b = rng.standard_normal((batch, rows, inner)), rng.standard_normal((batch, inner, cols))
        if trial % 2:
            a = np.ascontiguousarray(a.transpose(0, 2, 1)).transpose(0, 2, 1)
        if trial // 2 % 2:
            b = np.ascontiguousarray(b.transpose(0, 2, 1)).transpose(0, 2, 1)
        theirs = torch.bmm(torch.from_numpy(a), torch.from_numpy(b)).numpy()
        if not _same(matmul_order.bmm(a, b), theirs):
            failures.append((batch, rows, inner, cols, trial % 4))
    assert failures == []


@float64_modelled
def test_float64_zero_signs() -> None:
    """Signed zeros: products onto a -0 bias keep it, except where the Zen kernel pads an odd
    block of k with a zero pair (+0), or a dot product is added onto it last."""
    rng = np.random.default_rng(16)
    values = np.array([0.0, -0.0, 1.0, -1.0, 2.0])
    failures = []
    for rows, inner, cols in itertools.product((1, 3, 4, 13), (1, 2, 3, 9), (1, 5, 12, 13)):
        for layout in LAYOUTS:
            a, a_torch = _operand64(rng.choice(values, (rows, inner)) * (rng.random() < 0.5),
                                    layout[1] == "T")
            b, b_torch = _operand64(rng.choice(values, (inner, cols)), layout[0] == "T")
            bias = rng.choice(values, cols)
            theirs = torch.addmm(torch.from_numpy(bias), a_torch, b_torch).numpy()
            if not (_same(matmul_order.addmm(bias, a, b), theirs)
                    and _same(matmul_order.mm(a, b), (a_torch @ b_torch).numpy())):
                failures.append((rows, inner, cols, layout))
    assert failures == []


def test_float64_budget_leaves_big_products_to_numpy(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(matmul_order, "DGEMM_BUDGET", 1 << 16)
    assert matmul_order.mm(np.ones((64, 784)), np.ones((784, 128))) is None
    assert matmul_order.mv(np.ones((300, 300)), np.ones(300)) is None
    assert matmul_order.mm(np.ones((8, 8)), np.ones((8, 8))) is not None


def test_dot_products_are_mkls_sdot() -> None:
    """`torch.dot` and 1-d @ 1-d: MKL's sdot, 4-lane accumulators after a peel to x's 16-byte
    boundary, every length, both vectors slices at one offset, -0 products included."""
    import engine

    rng = np.random.default_rng(12)
    for n in [*range(0, 70), 100, 127, 128, 129, 300, 784, 1000, 4096]:
        at = int(rng.integers(0, 4))
        x = rng.standard_normal(n + 4).astype(np.float32)
        y = rng.standard_normal(n + 4).astype(np.float32)
        if n % 3 == 0:
            x[rng.random(n + 4) < 0.5] = -0.0
        results = []
        for lib in (torch, engine):
            a, b = lib.tensor(x)[at:at + n], lib.tensor(y)[at:at + n]
            results.append([lib.dot(a, b).numpy(), (a @ b).numpy()])
        for theirs, ours in zip(*results, strict=True):
            assert _same(ours, theirs), n


@pytest.mark.parametrize(("left", "right"), [((40,), (40, 7)), ((3, 5, 40), (40, 7)),
                                             ((30,), (30, 1)), ((2, 6, 17), (17, 13)),
                                             ((9, 40), (40,))])
def test_gradients_of_vector_and_batched_products_are_pytorchs(left: tuple, right: tuple
                                                               ) -> None:
    """`x @ W` with a vector or a batch of rows, then `.sum().backward()`: the upstream gradient
    is one number expanded, which addmm copies before MKL sees it (so its rows start where a
    fresh tensor's do); x's and W's gradients carry every bit of PyTorch's."""
    import engine

    rng = np.random.default_rng(len(left) * 100 + left[-1])
    x = rng.standard_normal(left).astype(np.float32)
    w = rng.standard_normal(right).astype(np.float32)
    results = []
    for lib in (torch, engine):
        a, b = lib.tensor(x, requires_grad=True), lib.tensor(w, requires_grad=True)
        out = a @ b
        out.sum().backward()
        results.append([out.detach().numpy(), a.grad.numpy(), b.grad.numpy()])
    for theirs, ours in zip(*results, strict=True):
        assert _same(ours, theirs)


@pytest.mark.parametrize("layout", LAYOUTS)
def test_gradients_of_transposed_operands_are_computed_as_pytorch_does(layout: str) -> None:
    """mm's and addmm's backward compute the gradient of an operand that is a `.t()` view (a
    linear layer's weight) transposed, so that it comes out in the operand's layout: another
    product, added in another order, whose every bit the weight's `.grad` shows."""
    import engine

    rng = np.random.default_rng(LAYOUTS.index(layout))
    for m, k, n in [(64, 784, 10), (5, 30, 7), (1, 13, 9), (33, 17, 1), *[
            tuple(int(s) for s in rng.integers(1, 40, 3)) for _ in range(30)]]:
        x = rng.standard_normal((m, k)).astype(np.float32)
        w = rng.standard_normal((k, n)).astype(np.float32)
        bias = rng.standard_normal(n).astype(np.float32)
        upstream = rng.standard_normal((m, n)).astype(np.float32)
        results = []
        for lib in (torch, engine):
            a = lib.tensor(x.T.copy() if layout[1] == "T" else x, requires_grad=True)
            b = lib.tensor(w.T.copy() if layout[0] == "T" else w, requires_grad=True)
            left = a.t() if layout[1] == "T" else a
            right = b.t() if layout[0] == "T" else b
            for out in (left @ right, lib.addmm(lib.tensor(bias), left, right)):
                out.backward(lib.tensor(upstream))
            results.append([a.grad.numpy(), b.grad.numpy()])
        for theirs, ours in zip(*results, strict=True):
            assert _same(ours, theirs), (m, k, n)


@pytest.mark.parametrize("layout", LAYOUTS)
def test_batched_products_of_every_shape_and_layout(layout: str) -> None:
    """bmm past its own loop: MKL's batched gemm gives each matrix one thread, and one row or
    column takes the small kernel (gemv only for a row times a transposed matrix); a batch it
    cannot take (an expanded gradient) is split into mm's."""
    rng = np.random.default_rng(7 + LAYOUTS.index(layout))
    for _ in range(60):
        batch, rows, inner, cols = (int(s) for s in rng.integers(1, 24, 4))
        rows, cols = (1, cols) if rng.random() < 0.2 else (rows, 1) if rng.random() < 0.2 else (
            rows, cols)
        a, a_torch = _batch(rng, (batch, rows, inner), layout[1] == "T")
        b, b_torch = _batch(rng, (batch, inner, cols), layout[0] == "T")
        assert _same(matmul_order.bmm(a, b), torch.bmm(a_torch, b_torch).numpy())
    expanded = np.broadcast_to(np.float32(1), (3, 9, 40))
    w = rng.standard_normal((3, 40, 11)).astype(np.float32)
    theirs = torch.bmm(torch.ones(1).expand(3, 9, 40), torch.from_numpy(w)).numpy()
    assert _same(matmul_order.bmm(expanded, w), theirs)


def _batch(rng: np.random.Generator, shape: tuple, transposed: bool) -> tuple:
    values = rng.standard_normal(shape).astype(np.float32)
    if not transposed:
        return values, torch.from_numpy(values)
    base = np.ascontiguousarray(values.transpose(0, 2, 1))
    return base.transpose(0, 2, 1), torch.from_numpy(base).transpose(1, 2)


def test_float64_dot_products_are_mkls_ddot() -> None:
    """float64 `dot`: MKL's ddot, four 2-lane accumulators after a peel to y's 16-byte
    boundary, whatever either vector's offset, -0 products included."""
    import engine

    rng = np.random.default_rng(13)
    for n in [*range(0, 40), 64, 99, 100, 255, 1000]:
        x_at, y_at = (int(v) for v in rng.integers(0, 2, 2))
        x, y = rng.standard_normal(n + 2), rng.standard_normal(n + 2)
        if n % 3 == 0:
            x[rng.random(n + 2) < 0.5] = -0.0
        results = []
        for lib in (torch, engine):
            a, b = lib.tensor(x)[x_at:x_at + n], lib.tensor(y)[y_at:y_at + n]
            results.append([lib.dot(a, b).numpy(), (a @ b).numpy()])
        for theirs, ours in zip(*results, strict=True):
            assert _same(ours, theirs), n


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_batched_gradients_split_as_bmm_splits_them(dtype: type) -> None:
    """`(a @ b).sum().backward()` for batches: the expanded upstream is a batch MKL cannot
    take, so bmm computes each matrix's gradient as its own mm."""
    import engine

    rng = np.random.default_rng(21)
    for _ in range(12):
        batch, rows, inner, cols = (int(s) for s in rng.integers(2, 20, 4))
        x = rng.standard_normal((batch, rows, inner)).astype(dtype)
        w = rng.standard_normal((batch, inner, cols)).astype(dtype)
        results = []
        for lib in (torch, engine):
            a, b = lib.tensor(x, requires_grad=True), lib.tensor(w, requires_grad=True)
            (a @ b).sum().backward()
            results.append([a.grad.numpy(), b.grad.numpy()])
        for theirs, ours in zip(*results, strict=True):
            assert ours.tobytes() == theirs.tobytes(), (batch, rows, inner, cols)

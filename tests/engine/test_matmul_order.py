"""engine.matmul_order against PyTorch: every product it models is PyTorch's, bit for bit
(zero signs included), and it declines (None) the products it does not model."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from engine import matmul_order
from tests.engine.parity import matmul_order_modelled

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
    assert matmul_order.mm(x, weight.T) is None  # gemv's dot form over 40 k: not modelled
    assert matmul_order.mm(x.astype(np.float64), weight.T.astype(np.float64)) is None


def test_budgets_leave_big_products_to_numpy(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(matmul_order, "ZEN_BUDGET", 1 << 16)
    monkeypatch.setattr(matmul_order, "SSE_BUDGET", 1 << 16)
    a = np.ones((64, 784), np.float32)
    assert matmul_order.mm(a, np.ones((784, 128), np.float32)) is None
    assert matmul_order.mm(np.ones((64, 128), np.float32), np.ones((128, 10), np.float32)) is None

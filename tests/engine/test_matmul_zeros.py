"""Matrix products keep PyTorch's signed zeros: `-0.` prints as `-0.0000`, so a gradient of a
batch of one (an outer product in PyTorch's mm) must keep the sign its products have."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

import engine
from engine import matmul_order

torch = pytest.importorskip("torch")

VALUES = np.array([0.0, -0.0, 1.0, -1.0, 2.0], np.float32)
SIZES = list(itertools.product([1, 2, 3], repeat=3))


def _run(lib: object, kind: str, a: np.ndarray, b: np.ndarray, bias: np.ndarray,
         upstream: np.ndarray) -> list[np.ndarray]:
    """The output and every gradient of one product, as numpy arrays."""
    x = lib.tensor(a, requires_grad=True)
    c = lib.tensor(bias, requires_grad=True)
    if kind == "linear":  # a contiguous (out, in) weight, transposed inside as PyTorch does
        w = lib.tensor(np.ascontiguousarray(b.T), requires_grad=True)
        out = lib.nn.functional.linear(x, w, c)
    else:
        w = lib.tensor(b, requires_grad=True)
        out = lib.mm(x, w) if kind == "mm" else lib.addmm(c, x, w)
    out.backward(lib.tensor(upstream))
    tensors = [out.detach(), x.grad, w.grad] + ([c.grad] if c.grad is not None else [])
    return [np.array(t.tolist(), np.float32) for t in tensors]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("kind", ["mm", "addmm", "linear"])
@pytest.mark.parametrize(("m", "k", "n"), [*SIZES, (3, 4, 5), (14, 5, 6), (15, 3, 12), (11, 3, 13)])
def test_products_and_their_gradients_keep_pytorchs_signed_zeros(kind: str, m: int, k: int,
                                                                  n: int, dtype: type) -> None:
    rng = np.random.default_rng(m * 100 + k * 10 + n)
    values = VALUES.astype(dtype)
    for _ in range(12):
        a, b = rng.choice(values, (m, k)), rng.choice(values, (k, n))
        bias, upstream = rng.choice(values, (n,)), rng.choice(values, (m, n))
        expected = _run(torch, kind, a, b, bias, upstream)
        got = _run(engine, kind, a, b, bias, upstream)
        for want, have in zip(expected, got, strict=True):
            assert np.array_equal(want, have)
            assert np.array_equal(np.signbit(want), np.signbit(have)), (a, b, bias, upstream)


def test_a_batch_of_one_prints_the_weights_negative_zero_gradient() -> None:
    code = """
x = T.tensor([[0.5, -1.0]])
w = T.tensor([[0.3, -0.2], [0.1, 0.4]], requires_grad=True)
b = T.tensor([-0.5, 0.2], requires_grad=True)
T.relu(F.linear(x, w, b)).sum().backward()
out = [w.grad]
"""
    from tests.engine.parity import observe

    assert observe(torch, code) == observe(engine, code)
    assert "-0." in observe(engine, code)["out"][0]


def _layout(lib: object, values: np.ndarray, transposed: bool) -> object:
    """`values` as a tensor, row-major or as the `.t()` of a row-major tensor."""
    if transposed:
        return lib.tensor(np.ascontiguousarray(values.T)).t()
    return lib.tensor(values)


@pytest.mark.parametrize("seed", range(4))
def test_zeros_from_underflow_and_negative_zeros_keep_pytorchs_signs(seed: int) -> None:
    """Products whose terms round to ±0 (inputs near 1e-22), inputs of ±0 and biases of -0,
    in every modelled kernel's shapes and all four layouts: every output's bits, signed zeros
    included.
    A product split between two kernels (9×200×30: eight rows of chains, one of the small
    kernel) keeps each kernel's own zeros; a chain that ends at -0 onto a bias of -0 stays
    -0 (172×132×108, where numpy's BLAS would store it as +0), as does a vector form's dot
    onto one (1×2×21)."""
    rng = np.random.default_rng(seed)
    shapes = [(9, 200, 30), (1, 2, 21), (2, 3, 40), (172, 132, 108)] + [
        tuple(int(s) for s in rng.integers(1, 70, 3)) for _ in range(60)]
    for number, (m, k, n) in enumerate(shapes):
        a = rng.standard_normal((m, k)).astype(np.float32)
        b = rng.standard_normal((k, n)).astype(np.float32)
        kind = 0 if number < 4 else (number + seed) % 3
        if kind == 0:  # products among float32's subnormals, many rounded to ±0
            a, b = a * np.float32(1e-22), b * np.float32(1e-22)
        elif kind == 1:
            a[rng.random(a.shape) < 0.6] = 0.0
            b[rng.random(b.shape) < 0.4] = -0.0
        bias = np.where(rng.random(n) < 0.5, np.float32(-0.0),
                        rng.standard_normal(n).astype(np.float32))
        layouts = int(rng.integers(0, 4))
        views = [_layout(engine, v, bool(layouts & bit))._data for v, bit in ((a, 1), (b, 2))]
        if matmul_order.mm(*views) is None:  # a gemv's vector form: its order is not modelled
            continue
        results = []
        for lib in (torch, engine):
            x, w = _layout(lib, a, bool(layouts & 1)), _layout(lib, b, bool(layouts & 2))
            results.append([(x @ w).numpy(), lib.addmm(lib.tensor(bias), x, w).numpy()])
        for want, have in zip(*results, strict=True):
            assert want.tobytes() == have.tobytes(), ((m, k, n), layouts, kind)

"""Matrix products keep PyTorch's signed zeros: `-0.` prints as `-0.0000`, so a gradient of a
batch of one (an outer product in PyTorch's mm) must keep the sign its products have."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

import engine

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

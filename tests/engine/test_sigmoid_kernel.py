"""`engine.sigmoid_kernel` gives PyTorch's sigmoid bit for bit on this CPU: Sleef's exp in the
vector blocks, the C library's (`engine.libm`) in small tensors, tails and strided views, which
round differently in about one sigmoid in twenty-five. Logistic regression's probabilities
and losses go through it. silu and softplus, forward and backward, split their elements the
same way."""

from __future__ import annotations

import numpy as np
import pytest

import engine
from engine import sigmoid_kernel
from tests.engine.parity import sigmoid_modelled

torch = pytest.importorskip("torch")

needs_sigmoid = pytest.mark.skipif(not sigmoid_modelled(torch), reason="PyTorch's sigmoid on "
                                   "this CPU is not computed as gradviz models it")


def _bits(values: np.ndarray) -> bytes:
    return np.ascontiguousarray(values).tobytes()


def _theirs(values: np.ndarray, view: object = None) -> np.ndarray:
    tensor = torch.from_numpy(values)
    if view is not None:
        tensor = view(tensor)
    return tensor.sigmoid().numpy()


@needs_sigmoid
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_sigmoid_is_pytorchs_in_vector_blocks_tails_and_strided_views(dtype: type) -> None:
    """Sleef's exp in blocks of 32 floats (16 doubles), glibc's in the rest: the two differ in
    about one sigmoid in twenty-five."""
    rng = np.random.default_rng(29)
    for size in [*range(1, 71), 1000, 32_768, 32_769, 40_001]:
        values = rng.uniform(-20.0, 20.0, size).astype(dtype)
        assert _bits(sigmoid_kernel.sigmoid(values)) == _bits(_theirs(values))
    block = rng.uniform(-20.0, 20.0, (64, 45)).astype(dtype)
    for view in (lambda t: t.T, lambda t: t[:, ::2], lambda t: t[:, 3:], lambda t: t[::2]):
        assert _bits(sigmoid_kernel.sigmoid(view(block))) == _bits(
            _theirs(block, view))
    special = np.array([0.0, -0.0, np.inf, -np.inf, np.nan, 90.0, -90.0, 104.0, -104.0,
                        710.0, -710.0, 746.0, -746.0] * 3, dtype)
    assert _bits(sigmoid_kernel.sigmoid(special)) == _bits(_theirs(special))
    scalar = sigmoid_kernel.sigmoid(np.array(0.3, dtype))
    assert isinstance(scalar, np.generic)
    assert scalar.item() == torch.from_numpy(np.array(0.3, dtype)).sigmoid().item()


ACTIVATIONS = [("silu", {}), ("softplus", {}), ("softplus", {"beta": 2.0, "threshold": 5.0})]


def _activation(lib: object, name: str, kwargs: dict, values: np.ndarray, view: object,
                upstream: str) -> tuple[np.ndarray, np.ndarray]:
    """The activation of a view of `values` and the gradient reaching `values` through it."""
    x = lib.tensor(values, requires_grad=True)
    y = getattr(lib.nn.functional, name)(view(x), **kwargs)
    if upstream == "random":
        weights = np.random.default_rng(3).uniform(-2, 2, tuple(y.shape)).astype(values.dtype)
        (y * lib.tensor(weights)).sum().backward()
    else:
        getattr(y, upstream)().backward()
    return y.detach().numpy(), x.grad.numpy()


@needs_sigmoid
@pytest.mark.parametrize(("name", "kwargs"), ACTIVATIONS)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_silu_and_softplus_and_their_gradients_are_pytorchs(name: str, kwargs: dict,
                                                            dtype: type) -> None:
    """Sleef's exp (and log1p) in vector blocks, the C library's elsewhere; silu's slope
    1 + x·(1 − σ) one fused multiply-add. Numpy's own exp left 5-25 % of gradients apart."""
    rng = np.random.default_rng(30)
    whole, transposed = (lambda t: t), (lambda t: t.T[::2])
    cases = [((size,), whole) for size in (1, 7, 31, 33, 40, 100, 5000, 40_001)]
    cases += [((), whole), ((33, 17), whole), ((40, 30), transposed)]
    for shape, view in cases:
        values = (rng.standard_normal(shape) * 5).astype(dtype)
        values.reshape(-1)[:3] = [0.0, -0.0, 30.0][: values.size]
        for upstream in ("sum", "mean", "random"):
            ours = _activation(engine, name, kwargs, values, view, upstream)
            theirs = _activation(torch, name, kwargs, values, view, upstream)
            assert _bits(ours[0]) == _bits(theirs[0]), (shape, upstream)
            assert _bits(ours[1]) == _bits(theirs[1]), (shape, upstream)

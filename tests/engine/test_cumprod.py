"""torch.cumprod against PyTorch: values and gradients bit for bit (the products run in double,
as PyTorch's CPU kernel runs them; the backward's formula without zeros, and its first-zero
path with them), dtypes, grad_fn, errors, and finite differences in float64."""

from __future__ import annotations

import numpy as np
import pytest

import engine
from tests.engine.parity import observe

torch = pytest.importorskip("torch")

SNIPPETS = {
    "cumprod": (
        "x=T.tensor([[1.5,0.,2.,0.,3.],[2.,-1.,0.5,4.,0.25],[0.,2.,3.,0.,1.]],requires_grad=True);"
        " y=x.cumprod(1); z=T.cumprod(x,0); (y*T.arange(15.).view(3,5)).sum().backward(); "
        "(z*z).sum().backward(); out=[y, z, x.grad, y.grad_fn.name(), "
        "y.grad_fn.next_functions[0][0].variable is x]"),
    "cumprod of ints, bools, 0-d and empty tensors": (
        "out=[T.arange(1,6).cumprod(0), T.tensor([1,2,3],dtype=T.int32).cumprod(0), "
        "T.tensor([True,True,False]).cumprod(0), T.tensor(2.5).cumprod(0), "
        "T.zeros(0,3).cumprod(1), T.tensor([1.,2.,3.]).cumprod(-1,dtype=T.float64), "
        "T.tensor([1,2]).cumprod(0,dtype=T.float32)]"),
    "cumprod of a 0-d tensor, backward": (
        "x=T.tensor(3.,requires_grad=True); y=x.cumprod(0); (y*2).backward(); out=[y, x.grad]"),
    "cumprod twice through saved tensors": (
        "x=T.tensor([1.,2.],requires_grad=True); y=x.cumprod(0).sum(); y.backward(); "
        "y.backward()"),
    "cumprod bad dim": "T.ones(2,3).cumprod(2)",
    "cumprod without dim": "T.ones(2,3).cumprod()",
    "cumprod in place of its input": (
        "x=T.tensor([1.,2.],requires_grad=True); y=x*1; z=y.cumprod(0); y.mul_(2); "
        "z.sum().backward()"),
}


@pytest.mark.parametrize("name", list(SNIPPETS))
def test_shows_what_pytorch_shows(name: str) -> None:
    code = SNIPPETS[name]
    assert observe(engine, code) == observe(torch, code)


def _bits(t: object) -> bytes:
    return t.detach().numpy().tobytes()


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_values_and_gradients_are_bit_for_bit(dtype: type) -> None:
    """Random shapes and dims, values spanning magnitudes, some slices with one zero, some
    with two or more, and random upstream gradients."""
    rng = np.random.default_rng(3)
    for trial in range(60):
        shape = tuple(int(s) for s in rng.integers(1, 9, rng.integers(1, 4)))
        dim = int(rng.integers(-len(shape), len(shape)))
        values = rng.standard_normal(shape) * np.exp(rng.uniform(-2, 2, shape))
        values[rng.random(shape) < (0.0 if trial % 3 == 0 else 0.15)] = 0.0
        upstream = rng.standard_normal(shape).astype(dtype)
        seen = []
        for lib in (torch, engine):
            x = lib.tensor(values.astype(dtype), requires_grad=True)
            y = x.cumprod(dim)
            y.backward(lib.tensor(upstream))
            seen.append((_bits(y), _bits(x.grad)))
        assert seen[0] == seen[1], (trial, shape, dim)


def test_gradient_matches_finite_differences() -> None:
    rng = np.random.default_rng(4)
    for values in (rng.standard_normal((3, 5)), np.array([[1.5, 0.0, 2.0, -1.0, 3.0]])):
        x = engine.tensor(values, dtype=engine.float64, requires_grad=True)
        assert engine.gradcheck(lambda t: t.cumprod(1), [x])

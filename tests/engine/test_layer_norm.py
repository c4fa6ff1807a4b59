"""F.layer_norm, torch.layer_norm and nn.LayerNorm against PyTorch: values and gradients bit for
bit (PyTorch's CPU kernel's Welford moments, lane sums and per-thread buffers), with their
grad_fn, reprs and errors."""

from __future__ import annotations

import numpy as np
import pytest

import engine
from tests.engine.parity import observe

torch = pytest.importorskip("torch")

SNIPPETS = {
    "module": (
        "T.manual_seed(0); m=T.nn.LayerNorm(4); x=T.randn(2,3,4,requires_grad=True); y=m(x); "
        "(y*y.detach().flip(-1)).sum().backward(); "
        "out=[m, list(m.state_dict()), m.weight, m.bias, y, x.grad, m.weight.grad, m.bias.grad,"
        " y.grad_fn.name(), [type(f).__name__ for f, _ in y.grad_fn.next_functions]]"),
    "module options": (
        "out=[T.nn.LayerNorm((2,3), elementwise_affine=False), T.nn.LayerNorm([5], eps=1e-6), "
        "T.nn.LayerNorm(4, bias=False), T.nn.LayerNorm(4, bias=False).bias, "
        "list(T.nn.LayerNorm((2,3), elementwise_affine=False).parameters()), "
        "T.nn.LayerNorm(T.Size([3]), dtype=T.float64).weight]"),
    "functional without weight or bias": (
        "x=T.linspace(-2.,3.,24).reshape(2,3,4).requires_grad_(); w=T.linspace(0.5,2.,12)"
        ".reshape(3,4).requires_grad_(); b=T.linspace(-1.,1.,12).reshape(3,4)"
        ".requires_grad_(); ys=[F.layer_norm(x,[4]), F.layer_norm(x,(3,4),w), "
        "F.layer_norm(x,(3,4),None,b), F.layer_norm(x,[3,4],w,b,0.1), T.layer_norm(x,[4])]; "
        "sum((y*y).sum() for y in ys).backward(); "
        "out=ys+[x.grad, w.grad, b.grad]+[y.grad_fn.next_functions[1][0] is None for y in ys]"),
    "float64": ("x=T.arange(10.,dtype=T.float64).reshape(2,5)**2; out=[F.layer_norm(x,[5])]"),
    "a constant row": "out=[F.layer_norm(T.ones(2,9),[9]), F.layer_norm(T.ones(3),[3],eps=0.)]",
    "input of the wrong shape": "F.layer_norm(T.ones(2,3),[4])",
    "normalized_shape too long": "F.layer_norm(T.ones(2,3),(2,3,1))",
    "empty normalized_shape": "F.layer_norm(T.ones(2,3),[])",
    "normalized_shape an int": "F.layer_norm(T.ones(2,3),3)",
    "weight of the wrong shape": "F.layer_norm(T.ones(2,3),[3],T.ones(4))",
    "bias of the wrong shape": "F.layer_norm(T.ones(2,3),[3],None,T.ones(4))",
    "integer input": "F.layer_norm(T.ones(2,3,dtype=T.long),[3])",
    "float64 weight": "F.layer_norm(T.ones(2,3),[3],T.ones(3,dtype=T.float64))",
    "float32 weight of float64 input": "F.layer_norm(T.ones(2,3,dtype=T.float64),[3],T.ones(3))",
    "a 0-d input": "F.layer_norm(T.tensor(1.),[1])",
    "eps a string": "F.layer_norm(T.ones(2,3),[3],eps='a')",
    "torch.layer_norm with too many arguments": "T.layer_norm(T.ones(2),[2],None,None,1e-5,True,1)",
    "input changed in place before backward": (
        "x=T.ones(2,3,requires_grad=True)*1; y=F.layer_norm(x,[3]); x.mul_(2); y.sum().backward()"),
    "a second backward": (
        "x=T.ones(2,3,requires_grad=True); y=F.layer_norm(x,[3]).sum(); y.backward(); "
        "y.backward()"),
}


@pytest.mark.parametrize("name", list(SNIPPETS))
def test_shows_what_pytorch_shows(name: str) -> None:
    code = SNIPPETS[name]
    assert observe(engine, code) == observe(torch, code)


CASES = [(rows, size) for rows in (1, 2, 5, 64) for size in (1, 3, 7, 8, 9, 16, 31, 129, 300, 1031)]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("affine", ["weight and bias", "weight", "bias", "none"])
def test_values_and_gradients_are_bit_for_bit(dtype: type, affine: str) -> None:
    """Rows shorter than a vector, whole vectors, tails, a cascade of chunks; one row and
    several (the weight's and bias's gradients are summed per thread)."""
    rng = np.random.default_rng(3)
    for rows, size in CASES:
        values = (rng.standard_normal((rows, size)) * rng.uniform(0.01, 10)
                  + rng.uniform(-50, 50)).astype(dtype)
        upstream = (rng.standard_normal((rows, size)) * rng.uniform(0.1, 10)).astype(dtype)
        weight = rng.standard_normal(size).astype(dtype)
        bias = rng.standard_normal(size).astype(dtype)
        seen = []
        for lib in (torch, engine):
            x = lib.tensor(values, requires_grad=True)
            w = lib.tensor(weight, requires_grad=True) if "weight" in affine else None
            b = lib.tensor(bias, requires_grad=True) if "bias" in affine else None
            y = lib.nn.functional.layer_norm(x, [size], w, b, 1e-5)
            y.backward(lib.tensor(upstream))
            seen.append([y.detach().numpy().tobytes(), x.grad.numpy().tobytes()]
                        + [p.grad.numpy().tobytes() for p in (w, b) if p is not None])
        assert seen[0] == seen[1], (rows, size, affine)


def test_rows_of_many_shapes_and_scales_are_bit_for_bit() -> None:
    """Moments over 3-d inputs normalized over their last two dims, with data of very
    different spreads and offsets (the Welford merges round differently)."""
    rng = np.random.default_rng(8)
    for _ in range(40):
        shape = tuple(int(s) for s in rng.integers(1, 12, 3))
        kind = rng.integers(3)
        values = rng.standard_normal(shape) * np.exp(rng.uniform(-5, 5)) + rng.uniform(-1e3, 1e3)
        if kind == 1:
            values = np.exp(rng.standard_normal(shape) * 2)
        elif kind == 2:
            values = rng.integers(-3, 4, shape).astype(float)
        values = values.astype(np.float32)
        seen = []
        for lib in (torch, engine):
            x = lib.tensor(values, requires_grad=True)
            m = lib.nn.LayerNorm(shape[1:], eps=0.0 if kind == 0 else 1e-5)
            y = m(x)
            (y * y).sum().backward()
            seen.append([y.detach().numpy().tobytes(), x.grad.numpy().tobytes(),
                         m.weight.grad.numpy().tobytes(), m.bias.grad.numpy().tobytes()])
        assert seen[0] == seen[1], shape


def test_gradients_agree_with_finite_differences() -> None:
    rng = np.random.default_rng(2)
    x = engine.tensor(rng.standard_normal((3, 5)), requires_grad=True)
    w = engine.tensor(rng.standard_normal(5), requires_grad=True)
    b = engine.tensor(rng.standard_normal(5), requires_grad=True)
    assert engine.gradcheck(lambda x, w, b: engine.nn.functional.layer_norm(x, [5], w, b),
                            (x, w, b))

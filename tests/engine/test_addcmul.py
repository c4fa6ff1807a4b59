"""torch.addcmul and torch.addcdiv (and their Tensor and in-place forms) against PyTorch:
values bit for bit (the kernels Adam's steps use), AddcmulBackward0 and AddcdivBackward0
with their three gradients, dtypes and errors."""

from __future__ import annotations

import numpy as np
import pytest

import engine
from tests.engine.parity import observe

torch = pytest.importorskip("torch")

SNIPPETS = {
    "addcmul addcdiv": (
        "a=T.tensor([1.,2.],requires_grad=True); b=T.tensor([3.,4.],requires_grad=True); "
        "c=T.tensor([5.,6.],requires_grad=True); y=T.addcmul(a,b,c,value=0.5); "
        "z=a.addcdiv(b,c,value=-2); v=T.addcdiv(a, b.view(2,1), c); "
        "(y.sum()+z.sum()*2+v.sum()).backward(); out=[y, z, v, a.grad, b.grad, c.grad, "
        "y.grad_fn.name(), z.grad_fn.name(), len(y.grad_fn.next_functions)]"),
    "in place, as a hand-written Adam writes it": (
        "g=T.tensor([0.3,-1.2,2.]); m=T.zeros(3); v=T.zeros(3); p=T.tensor([1.,2.,3.])\n"
        "for _ in range(3):\n"
        "    m.mul_(0.9).add_(g, alpha=0.1); v.mul_(0.999).addcmul_(g, g, value=0.001)\n"
        "    p.addcdiv_(m, v.sqrt().add_(1e-8), value=-0.01)\n"
        "out=[m, v, p]"),
    "ints and dtypes": (
        "out=[T.addcmul(T.arange(3), T.arange(3), T.arange(3), value=0.5), "
        "T.addcmul(T.ones(2), T.ones(2,dtype=T.float64), T.ones(2)), "
        "T.addcdiv(T.arange(3), T.ones(3), T.full((3,), 2.))]"),
    "addcdiv of ints": "T.addcdiv(T.arange(3), T.arange(3), T.arange(3))",
    "addcmul_ to a larger shape": "T.ones(2).addcmul_(T.ones(2,2), T.ones(2))",
    "addcmul value as a position": "T.addcmul(T.ones(2), T.ones(2), T.ones(2), 0.5)",
    "the deprecated order, value first": (
        "a=T.ones(2); out=[T.addcdiv(a, 0.5, T.ones(2), T.full((2,), 4.)), "
        "a.addcmul(2, T.ones(2), T.ones(2))]"),
}


@pytest.mark.parametrize("name", list(SNIPPETS))
def test_shows_what_pytorch_shows(name: str) -> None:
    code = SNIPPETS[name]
    assert observe(engine, code) == observe(torch, code)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name", ["addcmul", "addcdiv"])
def test_values_and_gradients_are_bit_for_bit(name: str, dtype: type) -> None:
    rng = np.random.default_rng(19)
    for n in (7, 100, 3000):
        values = [rng.standard_normal(n) * np.exp(rng.uniform(-5, 5, n)) for _ in range(3)]
        upstream = rng.standard_normal(n)
        seen = []
        for lib in (torch, engine):
            a, b, c = (lib.tensor(v.astype(dtype), requires_grad=True) for v in values)
            y = getattr(lib, name)(a, b, c, value=-0.37)
            y.backward(lib.tensor(upstream.astype(dtype)))
            seen.append([t.detach().numpy().tobytes() for t in (y, a.grad, b.grad, c.grad)])
        assert seen[0] == seen[1], n

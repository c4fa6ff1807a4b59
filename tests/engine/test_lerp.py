"""torch.lerp against PyTorch: values bit for bit (one fused multiply-add, from the start or
the end as PyTorch's kernels choose by the weight), gradients of a number weight
(LerpBackward0) and of a tensor one (LerpBackward1), in place, dtypes and errors."""

from __future__ import annotations

import numpy as np
import pytest

import engine
from tests.engine.parity import observe

torch = pytest.importorskip("torch")

SNIPPETS = {
    "lerp": (
        "a=T.tensor([1.,2.,3.],requires_grad=True); b=T.tensor([4.,5.,6.],requires_grad=True);"
        " w=T.tensor([0.1,0.6,0.9],requires_grad=True); y=T.lerp(a,b,0.3); z=a.lerp(b,w); "
        "v=T.lerp(a,b,T.tensor(0.7)); (y.sum()+z.sum()*2+v.sum()*3).backward(); "
        "out=[y, z, v, a.grad, b.grad, w.grad, y.grad_fn.name(), z.grad_fn.name(), "
        "v.grad_fn.name(), T.lerp(T.tensor([1.,2.]), T.tensor(3.), 0.5), "
        "T.lerp(T.ones(2,1), T.ones(3), 0.5).shape, T.lerp(T.ones(2), T.ones(2), 2), "
        "T.lerp(T.zeros(3,dtype=T.float64), T.ones(3,dtype=T.float64), -0.25)]"),
    "lerp in place": (
        "a=T.tensor([1.,2.],requires_grad=True); b=T.tensor([3.,5.]); c=a*1; c.lerp_(b, 0.9); "
        "c.sum().backward(); d=T.zeros(2); d.lerp_(b, T.tensor([0.2, 0.8])); "
        "out=[c, a.grad, c.grad_fn.name(), d]"),
    "lerp of ints": "T.lerp(T.arange(3), T.arange(3), 0.5)",
    "lerp end of another dtype": "T.lerp(T.ones(2), T.ones(2,dtype=T.float64), 0.5)",
    "lerp weight of another dtype": "T.lerp(T.ones(2), T.ones(2), T.ones(2,dtype=T.float64))",
    "lerp sizes": "T.lerp(T.ones(2), T.ones(3), 0.5)",
    "lerp of a number end": "T.lerp(T.ones(2), 3., 0.5)",
    "lerp_ to a larger shape": "T.ones(2).lerp_(T.ones(2,2), 0.5)",
}


@pytest.mark.parametrize("name", list(SNIPPETS))
def test_shows_what_pytorch_shows(name: str) -> None:
    code = SNIPPETS[name]
    assert observe(engine, code) == observe(torch, code)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_tensor_weights_are_bit_for_bit(dtype: type) -> None:
    rng = np.random.default_rng(17)
    for n in (7, 100, 5000):
        start, end = (rng.standard_normal(n) * np.exp(rng.uniform(-6, 6, n)) for _ in range(2))
        weight = rng.uniform(-1, 2, n)
        upstream = rng.standard_normal(n)
        seen = []
        for lib in (torch, engine):
            a, b, w = (lib.tensor(v.astype(dtype), requires_grad=True)
                       for v in (start, end, weight))
            y = lib.lerp(a, b, w)
            y.backward(lib.tensor(upstream.astype(dtype)))
            seen.append([t.detach().numpy().tobytes() for t in (y, a.grad, b.grad, w.grad)])
        assert seen[0] == seen[1], n

"""F.elu, F.selu, F.celu and their modules against PyTorch: values and gradients bit for bit
(Sleef's expm1 and exp in PyTorch's vector blocks, the C library's in its scalar code), in place
or not, with their grad_fn names, reprs and errors."""

from __future__ import annotations

import numpy as np
import pytest

import engine
from tests.engine.parity import observe

torch = pytest.importorskip("torch")

SNIPPETS = {
    "elu selu celu": (
        "x=T.tensor([-3.,-1.,-0.5,-0.,0.,0.5,2.,float('nan'),-20.,-0.01]*5,requires_grad=True); "
        "w=T.linspace(-1,1,50); ys=[F.elu(x), F.elu(x,0.3), F.selu(x), F.celu(x), F.celu(x,0.3),"
        " T.selu(x), T.celu(x, 2.)]; sum((y*w).sum() for y in ys).backward(); "
        "a=x*1; F.elu(a, inplace=True); b=x*1; F.selu(b, inplace=True); c=x*1; "
        "F.celu(c, 0.3, inplace=True); d=x*1; T.celu_(d); e=x*1; T.selu_(e); "
        "(a*w+b*w+c*w+d*w+e*w).sum().backward(); "
        "out=ys+[x.grad, a, b, c, d, e]+[y.grad_fn.name() for y in ys+[a,b,c,d,e]]"),
    "modules": (
        "ms=[T.nn.ELU(), T.nn.ELU(0.5, True), T.nn.SELU(), T.nn.SELU(True), T.nn.CELU(), "
        "T.nn.CELU(2.0)]; x=T.linspace(-3.,3.,9); out=ms+[m(x*1) for m in ms]"),
    "elu of ints": "F.elu(T.arange(3))",
    "celu with alpha 0": "F.celu(T.ones(2), 0.)",
    "elu in place with a negative alpha, backward": (
        "x=T.ones(2,requires_grad=True); F.elu(x*1, -1., inplace=True).sum().backward()"),
}


@pytest.mark.parametrize("name", list(SNIPPETS))
def test_shows_what_pytorch_shows(name: str) -> None:
    code = SNIPPETS[name]
    assert observe(engine, code) == observe(torch, code)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("call", ["F.elu(x, 0.7)", "F.selu(x)", "F.celu(x, 0.3)",
                                  "F.elu(x * 1, 1.5, inplace=True)"])
def test_values_and_gradients_are_bit_for_bit(call: str, dtype: type) -> None:
    """Magnitudes from 1e-8 to 30 in rows of 7 (scalar code only), 100 and 40,000 (vector
    blocks, their tails, and PyTorch's two threads' shares)."""
    rng = np.random.default_rng(13)
    for n in (7, 100, 40_000):
        values = (rng.standard_normal(n) * np.exp(rng.uniform(-18, 3.4, n))).astype(dtype)
        upstream = rng.standard_normal(n).astype(dtype)
        seen = []
        for lib in (torch, engine):
            x = lib.tensor(values, requires_grad=True)
            y = eval(call, {"F": lib.nn.functional, "x": x})  # noqa: S307 - our own calls
            y.backward(lib.tensor(upstream))
            seen.append((y.detach().numpy().tobytes(), x.grad.numpy().tobytes()))
        assert seen[0] == seen[1], (call, n)

"""nan_to_num, trunc, frac and masked_select (functions, methods and in-place forms) against
PyTorch: values, NaN and infinities, signed zeros of their gradients, grad_fn names, errors."""

from __future__ import annotations

import pytest

import engine
from tests.engine.parity import observe

torch = pytest.importorskip("torch")

SNIPPETS = {
    "values and gradients": (
        "n=float('nan'); i=float('inf'); x=T.tensor([n, i, -i, 1.5, -2.7, -0.5, 0.],"
        "requires_grad=True); w=T.tensor([-1.,2.,-3.,4.,-5.,6.,-7.]); "
        "ys=[T.nan_to_num(x), x.nan_to_num(nan=1., posinf=2., neginf=-3.), T.trunc(x), "
        "x.frac(), T.masked_select(x, x > 0), x.masked_select(T.tensor(True))]; "
        "(ys[0]*w).sum().backward(); g0=x.grad.clone(); x.grad=None; "
        "(T.trunc(x).sum()+(x.frac()*w).sum()).backward(); g1=x.grad.clone(); x.grad=None; "
        "T.masked_select(x, T.tensor([True,False,True,True,False,True,True])).sum().backward();"
        " out=ys+[g0, g1, x.grad, T.signbit(g0)]+[y.grad_fn.name() for y in ys]"),
    "in place, ints and float64": (
        "n=float('nan'); i=float('inf'); b=T.tensor([n,i,-1.]); b.nan_to_num_(); "
        "c=T.tensor([2.5,-2.5]); c.trunc_(); d=T.tensor([2.5,-2.5]); d.frac_(); "
        "out=[b, c, d, T.nan_to_num(T.tensor([n,i],dtype=T.float64)), T.nan_to_num(T.arange(3)),"
        " T.trunc(T.arange(3)), T.ones(2,1).masked_select(T.ones(3).bool())]"),
    "masked_select of a broadcast mask, backward": (
        "x=T.arange(6.).view(2,3).requires_grad_(); m=T.tensor([True,False,True]); "
        "y=x.masked_select(m); (y*T.arange(4.)).sum().backward(); out=[y, x.grad]"),
    "frac of ints": "T.frac(T.arange(3))",
    "masked_select with a float mask": "T.masked_select(T.ones(2), T.ones(2))",
    "masked_select sizes": "T.masked_select(T.ones(2), T.ones(3).bool())",
}


@pytest.mark.parametrize("name", list(SNIPPETS))
def test_shows_what_pytorch_shows(name: str) -> None:
    code = SNIPPETS[name]
    assert observe(engine, code) == observe(torch, code)

"""The piecewise activations (hardtanh, relu6, threshold, hardshrink, softshrink), the composed
ones (softsign, softmin, tanhshrink), their modules, F.pad and torch.diff, compared with
PyTorch: values (signed zeros and NaN included), gradients, grad_fn names, in-place forms,
reprs and errors (`observe`), and finite differences in float64."""

from __future__ import annotations

import numpy as np
import pytest

import engine
from tests.engine.parity import observe

torch = pytest.importorskip("torch")

X = ("x=T.tensor([-3.,-1.,-0.75,-0.5,-0.25,-0.,0.,0.25,0.5,0.75,1.,2.,6.,7.,float('nan'),"
     "float('inf'),-float('inf'),-6.,0.5,-0.5,0.1,-0.1,5.9,6.1,1.,-1.,0.3],requires_grad=True); ")
W = "w=T.linspace(-1.,1.,27); "


def _activation(call: str) -> str:
    return (X + W + f"y={call}; (y*w).sum().backward(); "
            "out=[y, T.signbit(y), x.grad, y.grad_fn.name(), "
            "[n.name() for n, _ in y.grad_fn.next_functions]]")


SNIPPETS = {
    "hardtanh": _activation("F.hardtanh(x)"),
    "hardtanh bounds": _activation("F.hardtanh(x, -0.5, 2.)"),
    "hardtanh at -0": _activation("F.hardtanh(x, min_val=-0., max_val=1)"),
    "relu6": _activation("F.relu6(x)"),
    "threshold": _activation("F.threshold(x, 0.25, -2.)"),
    "threshold to nan": _activation("F.threshold(x, 0., float('nan'))"),
    "hardshrink": _activation("F.hardshrink(x)"),
    "hardshrink lambda": _activation("T.hardshrink(x, 1.)"),
    "softshrink": _activation("F.softshrink(x)"),
    "softshrink lambda 0": _activation("F.softshrink(x, 0.)"),
    "softsign": _activation("F.softsign(x)"),
    "tanhshrink": _activation("F.tanhshrink(x)"),
    "softmin": ("x=T.tensor([-3.,-0.5,0.,0.25,2.,7.],requires_grad=True); y=F.softmin(x, 0); "
                "(y*T.arange(6.)).sum().backward(); out=[y, x.grad, y.grad_fn.name(), "
                "[n.name() for n, _ in y.grad_fn.next_functions]]"),
    "softshrink of a short row (scalar code)": (
        "x=T.tensor([-0.25,0.25,-0.,0.,float('nan'),-0.75]); y=F.softshrink(x); "
        "out=[y, T.signbit(y)]"),
    "in place": (
        "x=T.tensor([-2.,0.5,3.,-0.3,7.],requires_grad=True); a=x*1; F.hardtanh(a, inplace=True);"
        " b=x*1; F.relu6(b, inplace=True); c=x*1; F.threshold(c, 0.4, 9., inplace=True); "
        "d=x*1; T.threshold_(d, 0., -1.); (a*2+b*3+c*4+d*5).sum().backward(); "
        "out=[a, b, c, d, x.grad, a.grad_fn.name(), b.grad_fn.name(), c.grad_fn.name(), "
        "d.grad_fn.name()]"),
    "integer and other dtypes": (
        "i=T.arange(-3,9); out=[F.hardtanh(i), F.hardtanh(i, 1.5, 3.5), F.relu6(i), "
        "F.threshold(i, 1, 5), F.threshold(i, 1.5, 2.7), F.softsign(i), F.tanhshrink(i), "
        "F.softmin(i.double(), 0), F.hardtanh(T.tensor([0.5], dtype=T.float64), 0, 0.25), "
        "i.double().hardshrink(2), T.tensor([-1.5, 2.]).signbit(), T.isfinite(T.tensor("
        "[1., float('inf'), float('nan')])), T.isfinite(i), T.signbit(T.tensor([-0., 0., -2]))]"),
    "hardtanh of bools": "F.hardtanh(T.tensor([True]))",
    "hardtanh with min above max": "F.hardtanh(T.ones(2), 2., 1.)",
    "hardshrink of ints": "F.hardshrink(T.arange(3))",
    "softshrink of ints": "F.softshrink(T.arange(3))",
    "softshrink with a negative lambda": "F.softshrink(T.ones(2), -1.)",
    "threshold of a string": "F.threshold(T.ones(2), 'a', 1)",
    "hardtanh of a leaf in place": "F.hardtanh(T.ones(2, requires_grad=True), inplace=True)",
    "modules": (
        "nn=T.nn; ms=[nn.Hardtanh(), nn.Hardtanh(-2., 2., inplace=True), nn.ReLU6(), "
        "nn.ReLU6(True), nn.Threshold(0.1, 20), nn.Threshold(0.1, 20, True), nn.Hardshrink(), "
        "nn.Softshrink(0.3), nn.Softsign(), nn.Tanhshrink(), nn.Softmin(1), nn.Softmin(), "
        "nn.Unflatten(1, (2, 2)), nn.Unflatten(-1, [4, 1]), nn.Softplus(), nn.Softplus(2, 5)]; "
        "x=T.linspace(-3., 3., 8).view(2, 4); "
        "out=ms+[m(x*1) for m in ms]+[nn.Sequential(nn.Linear(2, 4), nn.ReLU6(), "
        "nn.Unflatten(1, (2, 2)))]"),
    "Softmin without dim warns where the module is called": (
        "m=T.nn.Softmin(); out=[m(T.tensor([1.,2.]))]"),
    "Hardtanh with min above max": "T.nn.Hardtanh(1., -1.)",
    "Unflatten of a string size": "T.nn.Unflatten(1, 'ab')",
    "pad": (
        "x=T.arange(6.).view(2,3).requires_grad_(); ys=[F.pad(x,(1,2)), F.pad(x,(1,0,0,1),"
        "value=9.), F.pad(x,[-1,1]), F.pad(x,(0,-3)), F.pad(x,(0,-3,1,1)), F.pad(x,(0,0)), "
        "F.pad(x,(1,1),'constant',float('nan')), F.pad(x,(1,1),value=True)]; "
        "sum((y*T.arange(float(y.numel())).view(y.shape)).sum() for y in ys[:6]).backward(); "
        "out=ys+[x.grad, ys[0].grad_fn.name(), F.pad(T.arange(3),(1,1),value=2.5), "
        "F.pad(T.tensor(1.),())]"),
    "pad of odd length": "F.pad(T.ones(2,3), (1,))",
    "pad too long": "F.pad(T.ones(2,3), (1,1,1,1,1,1))",
    "pad cropping too much": "F.pad(T.ones(2,3), (-2,-2))",
    "pad of floats": "F.pad(T.ones(2,3), (1.5,1))",
    "diff": (
        "x=T.tensor([[1.,4.,9.,16.],[2.,3.,5.,8.]],requires_grad=True); y=T.diff(x); "
        "z=x.diff(n=2, dim=1, prepend=T.zeros(2,1)); v=T.diff(x,dim=0,append=T.ones(1,4)); "
        "(y.sum()+z.sum()*2+v.sum()*3).backward(); out=[y, z, v, x.grad, y.grad_fn.name(), "
        "[n.name() for n, _ in y.grad_fn.next_functions], T.diff(T.tensor([True,False,False])),"
        " T.diff(T.arange(5), n=7), T.diff(T.arange(5)), T.diff(T.arange(6.), n=0)]"),
    "diff of a 0-d tensor": "T.diff(T.tensor(1.))",
    "diff of a negative order": "T.diff(T.arange(4), n=-1)",
    "diff appending fewer dims": "T.diff(T.ones(2,3), append=T.ones(3))",
    "diff appending the wrong size": "T.diff(T.ones(2,3), dim=1, append=T.ones(3,1))",
}


@pytest.mark.parametrize("name", list(SNIPPETS))
def test_shows_what_pytorch_shows(name: str) -> None:
    code = SNIPPETS[name]
    assert observe(engine, code) == observe(torch, code)


RNG = np.random.default_rng(7)
VALUES = RNG.uniform(-3, 8, (3, 5))
VALUES[np.abs(VALUES) < 0.05] = 0.5
GRADCHECKS = {
    "hardtanh": (lambda x: engine.nn.functional.hardtanh(x, -1.3, 1.7)),
    "threshold": (lambda x: engine.nn.functional.threshold(x, 0.2, -4.)),
    "hardshrink": (lambda x: engine.nn.functional.hardshrink(x, 0.6)),
    "softshrink": (lambda x: engine.nn.functional.softshrink(x, 0.6)),
    "constant_pad": (lambda x: engine.nn.functional.pad(x, (1, -2, 2, 0), value=3.)),
}


@pytest.mark.parametrize("name", list(GRADCHECKS))
def test_gradient_matches_finite_differences(name: str) -> None:
    x = engine.tensor(VALUES, dtype=engine.float64, requires_grad=True)
    assert GRADCHECKS[name](x).grad_fn.spec.name == name
    assert engine.gradcheck(GRADCHECKS[name], [x])


@pytest.mark.parametrize("mode", ["reflect", "replicate", "circular"])
def test_other_padding_modes_are_refused_clearly(mode: str) -> None:
    with pytest.raises(NotImplementedError, match=f"constant mode, not '{mode}'"):
        engine.nn.functional.pad(engine.ones(2, 3), (1, 1), mode=mode)

"""torch.xlogy and the KL divergence (F.kl_div, nn.KLDivLoss) against PyTorch: values and
gradients bit for bit (xlogy's log is the C library's, as PyTorch's scalar loop calls it), the
graph PyTorch composes, reductions with their warning, and errors."""

from __future__ import annotations

import numpy as np
import pytest

import engine
from tests.engine.parity import observe

torch = pytest.importorskip("torch")

SNIPPETS = {
    "xlogy": (
        "n=float('nan'); x=T.tensor([0.,0.,0.,1.,2.,-1.,n,0.,3.]+[0.3,0.,2.5]*10,"
        "requires_grad=True); y=T.tensor([0.,-1.,n,0.,0.5,2.,1.,2.,-1.]+[1.7,0.,0.25]*10,"
        "requires_grad=True); z=T.xlogy(x,y); (z*T.linspace(-1,1,39)).sum().backward(); "
        "out=[z, x.grad, y.grad, z.grad_fn.name(), T.xlogy(2., T.tensor([3.])), "
        "T.xlogy(T.tensor([2]), 3), T.tensor([1.,2.]).xlogy(T.tensor(3.)), "
        "T.xlogy(T.arange(3), T.arange(3)), T.xlogy(T.tensor(0.5, dtype=T.float64), "
        "T.tensor([3.]))]"),
    "kl_div reductions": (
        "T.manual_seed(0); x=T.randn(4,5).log_softmax(1).detach().requires_grad_(); "
        "t=T.randn(4,5).softmax(1); t[0,0]=0.; "
        "ys=[F.kl_div(x,t,reduction=r) for r in ('batchmean','sum','none')]; "
        "ys.append(F.kl_div(x,t.log(),reduction='batchmean',log_target=True)); "
        "sum(y.sum() for y in ys).backward(); "
        "g=ys[0].grad_fn; out=ys+[x.grad, g.name(), g.next_functions[0][0].name(), "
        "g.next_functions[0][0].next_functions[0][0].name(), "
        "[n is None or n.name() for n, _ in g.next_functions[0][0].next_functions[0][0]"
        ".next_functions], ys[3].grad_fn.next_functions[0][0].next_functions[0][0].name()]"),
    "kl_div mean warns": (
        "x=T.tensor([[-1.,-0.5]],requires_grad=True); t=T.tensor([[0.3,0.7]]); "
        "y=F.kl_div(x,t); y.backward(); out=[y, x.grad, y.grad_fn.name()]"),
    "kl_div with a target that requires grad": (
        "x=T.tensor([-1.,-0.5,-2.],requires_grad=True); t=T.tensor([0.3,0.,0.7],"
        "requires_grad=True); y=F.kl_div(x,t,reduction='sum'); y.backward(); "
        "out=[y, x.grad, t.grad]"),
    "kl_div of 0-d tensors": (
        "out=[F.kl_div(T.tensor(0.5), T.tensor(0.25), reduction='batchmean'), "
        "F.kl_div(T.ones(2,1), T.ones(3), reduction='sum')]"),
    "KLDivLoss": (
        "T.manual_seed(1); x=T.randn(3,4).log_softmax(1); t=T.randn(3,4).softmax(1); "
        "ms=[T.nn.KLDivLoss(reduction='batchmean'), T.nn.KLDivLoss(reduction='sum', "
        "log_target=True), T.nn.KLDivLoss(reduction='none')]; "
        "out=ms+[m(x, t if not m.log_target else t.log()) for m in ms]"),
    "kl_div bad reduction": "F.kl_div(T.ones(2), T.ones(2), reduction='foo')",
    "kl_div of ints": "F.kl_div(T.ones(2,dtype=T.int64), T.ones(2), reduction='sum')",
    "kl_div sizes": "F.kl_div(T.ones(2), T.ones(3), reduction='sum')",
}


@pytest.mark.parametrize("name", list(SNIPPETS))
def test_shows_what_pytorch_shows(name: str) -> None:
    code = SNIPPETS[name]
    assert observe(engine, code) == observe(torch, code)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_xlogy_is_bit_for_bit(dtype: type) -> None:
    """Values over many magnitudes, some zero, some negative (NaN logs), with gradients."""
    rng = np.random.default_rng(11)
    x = rng.standard_normal(2000) * np.exp(rng.uniform(-10, 10, 2000))
    y = np.abs(rng.standard_normal(2000)) * np.exp(rng.uniform(-30, 30, 2000))
    x[rng.random(2000) < 0.1] = 0.0
    y[rng.random(2000) < 0.05] *= -1
    upstream = rng.standard_normal(2000)
    seen = []
    for lib in (torch, engine):
        a = lib.tensor(x.astype(dtype), requires_grad=True)
        b = lib.tensor(y.astype(dtype), requires_grad=True)
        z = lib.xlogy(a, b)
        z.backward(lib.tensor(upstream.astype(dtype)))
        seen.append([t.detach().numpy().tobytes() for t in (z, a.grad, b.grad)])
    assert seen[0] == seen[1]


def test_xlogy_gradient_matches_finite_differences() -> None:
    rng = np.random.default_rng(12)
    x = engine.tensor(rng.uniform(-2, 2, (3, 4)), dtype=engine.float64, requires_grad=True)
    y = engine.tensor(rng.uniform(0.5, 3, (3, 4)), dtype=engine.float64, requires_grad=True)
    assert engine.gradcheck(engine.xlogy, [x, y])

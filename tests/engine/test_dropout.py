"""Dropout against real PyTorch: which elements a seed drops, the scale of the others, the
graph (a MulBackward0 with the noise as a constant), the gradients, the generator's state
afterwards, eval mode, in-place dropout and every error."""

from __future__ import annotations

import numpy as np
import pytest

import engine
from engine.random import _memory_order
from tests.engine.parity import assert_shows_pytorchs, observe

torch = pytest.importorskip("torch")

SNIPPETS = {
    "values, gradients and the next draw": (
        "T.manual_seed(0); x=T.randn(5,7,requires_grad=True); y=F.dropout(x, 0.4); "
        "y.sum().backward(); out=[y, x.grad, T.randn(3), y.grad_fn.name(), "
        "[(type(f).__name__, i) for f, i in y.grad_fn.next_functions]]"),
    "the default p, one element": (
        "T.manual_seed(3); x=T.tensor(2.0, requires_grad=True); y=F.dropout(x); y.backward(); "
        "out=[y, x.grad]"),
    "float64": "T.manual_seed(1); x=T.randn(9, dtype=T.float64); out=[F.dropout(x, 0.3)]",
    "small p over many elements": (
        "T.manual_seed(2); x=T.randn(40,50); y=F.dropout(x, 0.05); "
        "out=[(y == 0).sum(), y.sum(), y[7]]"),
    "a transposed input draws in its memory order": (
        "T.manual_seed(4); x=T.randn(4,6).t(); out=[F.dropout(x, 0.5)]"),
    "a sliced input draws in order": (
        "T.manual_seed(4); x=T.randn(4,6)[:, ::2]; out=[F.dropout(x, 0.5)]"),
    "a permuted 3-d input": (
        "T.manual_seed(6); x=T.randn(2,3,4).permute(2,0,1); out=[F.dropout(x, 0.5)]"),
    "an expanded input": "T.manual_seed(7); x=T.randn(3,1).expand(3,4); out=[F.dropout(x, 0.5)]",
    "p = 1 multiplies by zero": (
        "x=T.tensor([1.,-2.,float('inf')], requires_grad=True); y=F.dropout(x, 1); "
        "y.sum().backward(); out=[y, x.grad, y.grad_fn.next_functions[1]]"),
    "p = 0 and eval return the input itself": (
        "x=T.ones(3, requires_grad=True); out=[F.dropout(x, 0.0) is x, "
        "F.dropout(x, 0.5, training=False) is x, F.dropout(T.ones(0), 0.5)]"),
    "torch.dropout": "T.manual_seed(5); x=T.randn(6); out=[T.dropout(x, 0.5, True), "
                     "T.dropout(x, 0.5, False) is x]",
    "in place on an intermediate": (
        "T.manual_seed(8); x=T.randn(6, requires_grad=True); h=x*2; z=F.dropout(h, 0.5, "
        "inplace=True); z.sum().backward(); out=[z is h, z, x.grad, h._version]"),
    "under no_grad": "T.manual_seed(9); x=T.randn(4, requires_grad=True)\n"
                     "with T.no_grad():\n    y=F.dropout(x, 0.5)\nout=[y, y.requires_grad]",
    "the module, training then eval": (
        "T.manual_seed(10); d=T.nn.Dropout(0.25); x=T.randn(8); a=d(x); d.eval(); "
        "out=[d, a, d(x) is x, d.training, T.nn.Dropout(0.2, inplace=True), T.nn.Dropout]"),
    "a model with dropout trains as PyTorch's": (
        "T.manual_seed(11); nn=T.nn; m=nn.Sequential(nn.Linear(4,16), nn.ReLU(), "
        "nn.Dropout(0.3), nn.Linear(16,3)); x=T.randn(12,4); t=T.randint(0,3,(12,))\n"
        "opt=T.optim.Adam(m.parameters(), lr=0.01)\n"
        "for _ in range(10):\n"
        "    opt.zero_grad(); loss=nn.CrossEntropyLoss()(m(x), t); loss.backward(); "
        "opt.step()\n"
        "m.eval(); out=[loss, m(x)]+list(m.parameters())"),
}

ERRORS = {
    "p above 1": "F.dropout(T.ones(3), 1.5)",
    "p below 0": "F.dropout(T.ones(3), -0.1)",
    "p not a number": "F.dropout(T.ones(3), 'a')",
    "the module's p": "T.nn.Dropout(2)",
    "train not a bool": "T.dropout(T.ones(3), 0.5, 1)",
    "not a tensor": "F.dropout([1., 2.], 0.5)",
    "an integer input": "T.manual_seed(0); F.dropout(T.arange(3), 0.5)",
    "a bool input": "F.dropout(T.tensor([True, False]), 0.5)",
    "in place on a leaf": "F.dropout(T.ones(3, requires_grad=True), 0.5, inplace=True)",
}


@pytest.mark.parametrize("code", SNIPPETS.values(), ids=SNIPPETS.keys())
def test_dropout_shows_what_pytorch_shows(code: str) -> None:
    assert_shows_pytorchs(torch, code)


@pytest.mark.parametrize("code", ERRORS.values(), ids=ERRORS.keys())
def test_dropout_refuses_what_pytorch_refuses(code: str) -> None:
    assert_shows_pytorchs(torch, code, fails=True)


def test_a_refused_integer_input_still_spends_its_draws() -> None:
    # PyTorch draws the noise before dividing it fails, so the next numbers move on
    code = ("T.manual_seed(0)\ntry:\n    F.dropout(T.arange(5), 0.5)\nexcept RuntimeError:\n"
            "    pass\nout=[T.rand(2)]")
    assert observe(engine, code) == observe(torch, code)


@pytest.mark.parametrize(("shape", "axes", "dense"), [
    ((4, 6), (1, 0), True), ((2, 3, 4), (2, 0, 1), True), ((3, 1, 4), (1, 0, 2), True),
    ((4, 6), (0, 1), False)])
def test_memory_order_of_views(shape: tuple, axes: tuple, dense: bool) -> None:
    data = np.zeros(shape, np.float32).transpose(axes)
    if not dense:
        data = np.zeros((4, 12), np.float32)[:, ::2]
    order = _memory_order(data)
    assert sorted(order) == list(range(data.ndim))
    if dense:
        strides = [data.strides[d] for d in order if data.shape[d] != 1]
        assert strides == sorted(strides, reverse=True)
    else:
        assert order == tuple(range(data.ndim))

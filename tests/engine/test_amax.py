"""torch.amax and torch.amin against real PyTorch: values along any dims, the gradient shared
evenly by ties (a negative upstream leaves -0. at the others), NaN, 0-d and bool inputs, the
saved tensors, and every error."""

from __future__ import annotations

import pytest

from tests.engine.parity import assert_shows_pytorchs

torch = pytest.importorskip("torch")

X = "x = T.tensor([[1., 3., 3.], [2., 0., 2.]], requires_grad=True); "

SHOWN = {
    "along a dim, ties sharing": X + "y = T.amax(x, dim=1); y.sum().backward(); "
                                     "out = [y, y.grad_fn.name(), x.grad.tolist()]",
    "over everything": X + "z = x.amax(); z.backward(); out = [z, x.grad.tolist()]",
    "a negative upstream": X + "z = x.amin(0); z.backward(T.tensor([-1., 2., -3.])); "
                               "out = [z, z.grad_fn.name(), x.grad.tolist()]",
    "a tuple of dims, kept": X + "z = T.amax(x, (0, 1), keepdim=True); "
                                 "z.backward(T.ones(1, 1) * 3); out = [z, x.grad.tolist()]",
    "many ties": "T.manual_seed(0); x = T.randint(0, 3, (4, 5, 6)).float().requires_grad_(); "
                 "z = x.amax(dim=(0, 2)); (z * T.arange(5.)).sum().backward(); "
                 "out = [z, x.grad.tolist()]",
    "float64": "x = T.tensor([1., 7., 7., 7.], dtype=T.float64, requires_grad=True); "
               "x.amax().backward(); out = [x.grad.tolist()]",
    "bool and integers": "out = [T.amax(T.tensor([True, False])), "
                         "T.amin(T.tensor([[1, 2], [0, 5]]), 0)]",
    "NaN": "x = T.tensor([1., float('nan')], requires_grad=True); z = T.amax(x); z.backward(); "
           "out = [z, x.grad.tolist()]",
    "0-d": "x = T.tensor(3., requires_grad=True); z = T.amax(x); z.backward(); out = [z, x.grad]",
    "dim None is every dim": "x = T.tensor([[1.5, -2.0]]); out = [x.amax(None), "
                             "T.amin(x, None, keepdim=True)]",
}

ERRORS = {
    "no dim on an empty tensor": "T.amax(T.tensor([]))",
    "an empty dim": "T.amax(T.ones(2, 0), 1)",
    "a dim out of range": "T.amax(T.ones(2, 3), 5)",
    "a dim twice": "T.amax(T.ones(2, 3), dim=(0, 0))",
    "a dim that is a string": "T.amax(T.ones(2), 'a')",
    "a second backward": "x = T.ones(3, requires_grad=True); z = x.amax(); z.backward(); "
                         "z.backward()",
    "its input changed in place": "x = T.ones(3, requires_grad=True); y = x * 2; z = y.amax(); "
                                  "y.add_(1); z.backward()",
}


@pytest.mark.parametrize("code", SHOWN.values(), ids=SHOWN.keys())
def test_amax_and_amin_show_what_pytorch_shows(code: str) -> None:
    assert_shows_pytorchs(torch, code)


@pytest.mark.parametrize("code", ERRORS.values(), ids=ERRORS.keys())
def test_amax_and_amin_refuse_what_pytorch_refuses(code: str) -> None:
    assert_shows_pytorchs(torch, code, fails=True)

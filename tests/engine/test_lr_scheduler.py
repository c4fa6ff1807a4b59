"""`torch.optim.lr_scheduler` against real PyTorch: every learning rate each schedule sets, in
one group and in two, with `step(epoch)`, in a training loop, and the warnings and errors."""

from __future__ import annotations

import pytest

from tests.engine.parity import assert_shows_pytorchs

torch = pytest.importorskip("torch")

SETUP = ("L = T.optim.lr_scheduler; w = T.tensor([1.0, -2.0], requires_grad=True)\n"
         "b = T.tensor(0.5, requires_grad=True); opt = T.optim.SGD([w, b], lr=0.1, momentum=0.9)\n"
         "def run(s, epochs):\n    lrs = []\n    for _ in range(epochs):\n"
         "        opt.step(); s.step(); lrs.append(s.get_last_lr())\n    return lrs\n")

SHOWN = {
    "StepLR": "s = L.StepLR(opt, step_size=2, gamma=0.5); out = [run(s, 7), s.last_epoch, "
              "s.base_lrs, opt.param_groups[0]['lr'], opt.param_groups[0]['initial_lr']]",
    "MultiStepLR, a milestone twice": "out = [run(L.MultiStepLR(opt, [2, 5, 5], gamma=0.3), 8)]",
    "ExponentialLR": "out = [run(L.ExponentialLR(opt, gamma=0.9), 6)]",
    "LambdaLR": "out = [run(L.LambdaLR(opt, lr_lambda=lambda e: 0.95 ** e), 5)]",
    "CosineAnnealingLR, past T_max and back": "out = [run(L.CosineAnnealingLR(opt, T_max=4, "
                                              "eta_min=0.01), 12)]",
    "step(epoch) takes the closed form, with PyTorch's warning": (
        "s = L.StepLR(opt, 2, 0.5); opt.step(); s.step(5); out = [s.get_last_lr(), s.last_epoch]"),
    "the scheduler stepped before the optimizer": (
        "s = L.StepLR(opt, 1); s.step(); opt.step(); s.step(); out = [s.get_last_lr()]"),
    "get_lr outside step": "s = L.StepLR(opt, 1); out = [s.get_lr()]",
    "two groups, a lambda each": (
        "o = T.optim.SGD([{'params': [w]}, {'params': [b], 'lr': 0.5}], lr=0.1)\n"
        "s = L.LambdaLR(o, [lambda e: e + 1, lambda e: 1 / (e + 1)])\n"
        "for _ in range(3):\n    o.step(); s.step()\nout = [s.get_last_lr()]"),
    "a training loop": (
        "s = L.StepLR(opt, step_size=3, gamma=0.1)\nfor e in range(8):\n"
        "    opt.zero_grad(); loss = ((w * 3 + b - 2) ** 2).sum(); loss.backward(); opt.step()\n"
        "    s.step()\nout = [w, b, loss, s.get_last_lr()]"),
    "the classes": "out = [L.StepLR, L.CosineAnnealingLR, type(L.ExponentialLR(opt, 0.5))]",
}

ERRORS = {
    "lambdas for too many groups": "L.LambdaLR(opt, [lambda e: 1, lambda e: 2])",
    "not an optimizer": "L.StepLR([w], 1)",
    "resumed without initial_lr": "L.StepLR(T.optim.SGD([w], lr=0.1), 1, last_epoch=3)",
}


@pytest.mark.parametrize("code", SHOWN.values(), ids=SHOWN.keys())
def test_schedules_set_pytorchs_learning_rates(code: str) -> None:
    assert_shows_pytorchs(torch, SETUP + code)


@pytest.mark.parametrize("code", ERRORS.values(), ids=ERRORS.keys())
def test_schedules_refuse_what_pytorch_refuses(code: str) -> None:
    assert_shows_pytorchs(torch, SETUP + code, fails=True)

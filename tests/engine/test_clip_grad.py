"""torch.nn.utils' gradient clipping against PyTorch: the total norm and the clipped gradients
bit for bit, for the norms learners pass, with its warning and error."""

from __future__ import annotations

import numpy as np
import pytest

import engine
from tests.engine.parity import observe

torch = pytest.importorskip("torch")

SNIPPETS = {
    "an empty generator": "T.nn.utils.clip_grad_norm_((p for p in []), 1.0)",
    "a non-finite norm, refused": (
        "w=T.ones(2,requires_grad=True); (w*float('inf')).sum().backward(); "
        "T.nn.utils.clip_grad_norm_([w], 1.0, error_if_nonfinite=True)"),
    "a non-finite norm, allowed": (
        "w=T.ones(2,requires_grad=True); (w*float('inf')).sum().backward(); "
        "out=[T.nn.utils.clip_grad_norm_([w], 1.0), w.grad]"),
    "no gradients yet": "out=[T.nn.utils.clip_grad_norm_([T.ones(2,requires_grad=True)], 1.)]",
    "one tensor, and a vector of parameters": (
        "w=T.arange(4.,requires_grad=True); (w*w).sum().backward(); "
        "out=[T.nn.utils.clip_grad_norm_(w, 2.0), w.grad, "
        "T.nn.utils.parameters_to_vector([w, T.ones(2,2)])]"),
}


@pytest.mark.parametrize("name", list(SNIPPETS))
def test_shows_what_pytorch_shows(name: str) -> None:
    code = SNIPPETS[name]
    assert observe(engine, code) == observe(torch, code)


@pytest.mark.parametrize("norm_type", [2.0, 1.0, float("inf"), 3.0])
@pytest.mark.parametrize("max_norm", [0.05, 1e6])
def test_clipped_gradients_are_bit_for_bit(norm_type: float, max_norm: float) -> None:
    """An MLP's gradients clipped by their total norm, then by value."""
    rng = np.random.default_rng(17)
    x = rng.standard_normal((16, 12)).astype(np.float32)
    seen = []
    for lib in (torch, engine):
        lib.manual_seed(3)
        m = lib.nn.Sequential(lib.nn.Linear(12, 40), lib.nn.Tanh(), lib.nn.Linear(40, 3))
        (m(lib.tensor(x)) ** 2).mean().backward()
        total = lib.nn.utils.clip_grad_norm_(m.parameters(), max_norm, norm_type)
        clipped = [p.grad.numpy().tobytes() for p in m.parameters()]
        lib.nn.utils.clip_grad_value_(m.parameters(), 0.001)
        seen.append([total.numpy().tobytes(), *clipped,
                     *(p.grad.numpy().tobytes() for p in m.parameters())])
    assert seen[0] == seen[1]

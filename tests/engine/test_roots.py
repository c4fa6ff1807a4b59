"""`torch.sqrt` and `x ** 0.5` give PyTorch's float32 roots on this CPU, bit for bit: on AMD
CPUs PyTorch's MKL computes about one root in six one unit off the exact one, and
`print(x.sqrt().item())` shows it."""

from __future__ import annotations

import numpy as np
import pytest

import engine
from tests.engine.parity import roots_modelled

torch = pytest.importorskip("torch")
pytestmark = pytest.mark.skipif(not roots_modelled(torch), reason="PyTorch's float32 sqrt on "
                                "this CPU comes from an MKL kernel gradviz does not model")

SHAPES = [(), (1,), (5,), (16,), (33,), (4, 7)]


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("how", ["sqrt", "pow"])
def test_roots_and_their_gradients_are_pytorchs(shape: tuple, how: str) -> None:
    rng = np.random.default_rng(len(shape) * 10 + sum(shape))
    for _ in range(30):
        values = rng.uniform(0.01, 50.0, shape).astype(np.float32)
        results = []
        for lib in (torch, engine):
            x = lib.tensor(values, requires_grad=True)
            y = x.sqrt() if how == "sqrt" else x ** 0.5
            y.sum().backward()
            results.append((np.asarray(y.tolist(), np.float32), np.asarray(x.grad.tolist(),
                                                                           np.float32)))
        (want_y, want_g), (got_y, got_g) = results
        assert want_y.tobytes() == got_y.tobytes()
        assert want_g.tobytes() == got_g.tobytes()


def test_a_root_prints_every_digit_pytorch_prints() -> None:
    """√0.2 is 0.44721361994743347 in PyTorch here, 0.4472135901451111 exactly rounded."""
    for value in (0.2, 0.8, 1.1, 2.0, 3.0, 7.3):
        assert repr(engine.tensor(value).sqrt().item()) == repr(torch.tensor(value).sqrt().item())

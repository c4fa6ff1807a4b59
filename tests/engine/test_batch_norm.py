"""F.batch_norm and nn.BatchNorm1d/2d/3d against PyTorch: outputs, gradients and running stats
bit for bit (PyTorch's per-thread buffers, double sums and fused multiply-adds), training and
eval, with their reprs, buffers and errors."""

from __future__ import annotations

import numpy as np
import pytest

import engine
from tests.engine.parity import observe

torch = pytest.importorskip("torch")

SNIPPETS = {
    "a BatchNorm1d training then evaluating": (
        "T.manual_seed(0); m=T.nn.BatchNorm1d(3); x=T.randn(5,3,requires_grad=True); y=m(x); "
        "(y*y.detach().flip(0)).sum().backward(); m.eval(); z=m(x*2); "
        "out=[m, list(m.state_dict()), y, x.grad, m.weight.grad, m.bias.grad, m.running_mean, "
        "m.running_var, m.num_batches_tracked, z, y.grad_fn.name(), z.grad_fn.name(), "
        "[type(f).__name__ for f, _ in y.grad_fn.next_functions]]"),
    "options": (
        "out=[T.nn.BatchNorm1d(3, affine=False, momentum=None), T.nn.BatchNorm2d(4, eps=1e-3, "
        "track_running_stats=False), T.nn.BatchNorm3d(2, bias=False), "
        "list(T.nn.BatchNorm1d(3, affine=False).state_dict()), "
        "T.nn.BatchNorm2d(4, track_running_stats=False).running_mean, "
        "T.nn.BatchNorm1d(3, bias=False).bias]"),
    "momentum None averages the batches": (
        "T.manual_seed(1); m=T.nn.BatchNorm1d(2, momentum=None)\n"
        "for _ in range(3):\n"
        "    m(T.randn(4,2))\n"
        "out=[m.running_mean, m.running_var, m.num_batches_tracked]"),
    "without running stats, eval uses the batch": (
        "T.manual_seed(2); m=T.nn.BatchNorm1d(2, track_running_stats=False).eval(); "
        "out=[m(T.randn(4,2))]"),
    "a 2-d batch norm of images": (
        "T.manual_seed(3); m=T.nn.BatchNorm2d(2); x=T.randn(2,2,3,3,requires_grad=True); "
        "y=m(x); y.sum().backward(); out=[y, x.grad, m.weight.grad, m.running_var]"),
    "F.batch_norm, training and not": (
        "T.manual_seed(4); x=T.randn(4,3,requires_grad=True); rm=T.zeros(3); rv=T.ones(3); "
        "ys=[F.batch_norm(x, rm, rv, training=True), F.batch_norm(x, rm, rv), "
        "F.batch_norm(x, None, None, T.ones(3)*2, T.ones(3), True, 0.5, 0.1)]; "
        "sum((y*y).sum() for y in ys).backward(); out=ys+[x.grad, rm, rv]"),
    "one value per channel while training": "T.nn.BatchNorm1d(3)(T.ones(1,3))",
    "BatchNorm1d of 4 dims": "T.nn.BatchNorm1d(3)(T.ones(4,3,2,2))",
    "BatchNorm2d of 2 dims": "T.nn.BatchNorm2d(3)(T.ones(4,3))",
    "channels that do not match": "T.nn.BatchNorm1d(4)(T.ones(2,3))",
    "a running mean of the wrong size": (
        "F.batch_norm(T.ones(2,3), T.zeros(4), T.ones(4), T.ones(4), T.ones(4), training=True)"),
    "a weight of the wrong size": "F.batch_norm(T.ones(2,3), None, None, T.ones(4), training=True)",
    "eval without running stats": "F.batch_norm(T.ones(2,3), None, T.ones(3))",
    "integer input": "F.batch_norm(T.ones(2,3,dtype=T.long), T.zeros(3), T.ones(3))",
    "a float64 weight": "F.batch_norm(T.ones(2,3), None, None, T.ones(3,dtype=T.float64), "
                        "training=True)",
    "input changed in place before backward": (
        "x=T.randn(4,3,requires_grad=True)*1; y=T.nn.BatchNorm1d(3)(x); x.mul_(2); "
        "y.sum().backward()"),
}


@pytest.mark.parametrize("name", list(SNIPPETS))
def test_shows_what_pytorch_shows(name: str) -> None:
    code = SNIPPETS[name]
    assert observe(engine, code) == observe(torch, code)


SHAPES = [(32, 200), (2, 20), (2, 3000), (3, 7), (300, 9), (8, 4, 17), (5, 3, 1), (4, 3, 5, 5),
          (2, 2, 3, 4, 5)]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("shape", SHAPES, ids=[str(s) for s in SHAPES])
def test_values_gradients_and_running_stats_are_bit_for_bit(shape: tuple, dtype: type) -> None:
    """Rows split among threads, the few-rows rule, per-channel double sums, lane sums, the
    scalar tail of channels; training steps, then evaluation."""
    rng = np.random.default_rng(len(shape) * 100 + shape[-1])
    layer = {2: "BatchNorm1d", 3: "BatchNorm1d", 4: "BatchNorm2d", 5: "BatchNorm3d"}[len(shape)]
    batches = [(rng.standard_normal(shape) * rng.uniform(0.1, 5) + rng.uniform(-3, 3)
                ).astype(dtype) for _ in range(3)]
    upstream = rng.standard_normal(shape).astype(dtype)
    seen = []
    for lib in (torch, engine):
        m = getattr(lib.nn, layer)(shape[1])
        if dtype is np.float64:
            m = m.double()
        values = []
        for step, batch in enumerate(batches):
            if step == 2:
                m.eval()
            x = lib.tensor(batch, requires_grad=True)
            y = m(x)
            y.backward(lib.tensor(upstream))
            values += [y.detach().numpy().tobytes(), x.grad.numpy().tobytes(),
                       m.weight.grad.numpy().tobytes(), m.bias.grad.numpy().tobytes(),
                       m.running_mean.numpy().tobytes(), m.running_var.numpy().tobytes()]
            m.zero_grad()
        seen.append(values)
    assert seen[0] == seen[1]

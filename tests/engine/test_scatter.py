"""scatter, scatter_add and index_add (functions, methods and in-place forms) against PyTorch:
values (additions in the index's order, alpha as add_ applies it), gradients
(ScatterAddBackward0, ScatterBackward0/1, IndexAddBackward0), saved indices and errors."""

from __future__ import annotations

import numpy as np
import pytest

import engine
from tests.engine.parity import observe

torch = pytest.importorskip("torch")

SNIPPETS = {
    "scatter scatter_add index_add": (
        "x=T.zeros(3,4,requires_grad=True); src=T.arange(8.).view(2,4).requires_grad_(); "
        "idx=T.tensor([[0,1,2,0],[2,0,0,1]]); y=x.scatter_add(0, idx, src); "
        "z=x.scatter(0, idx, src); v=x.scatter(1, T.tensor([[0],[1],[2]]), 5.); "
        "s=T.arange(8.).view(2,4).requires_grad_(); w=x.index_add(0, T.tensor([0,2]), s, "
        "alpha=2.5); u=T.index_add(x, 1, T.tensor([3,3,0]), T.ones(3,3)*0.1); "
        "(y*T.arange(12.).view(3,4)).sum().backward(); (z*2).sum().backward(); "
        "(v*3).sum().backward(); (w*4).sum().backward(); u.sum().backward(); "
        "out=[y, z, v, w, u, x.grad, src.grad, s.grad, y.grad_fn.name(), z.grad_fn.name(), "
        "v.grad_fn.name(), w.grad_fn.name()]"),
    "in place": (
        "a=T.zeros(2,3); a.scatter_(1, T.tensor([[2],[0]]), T.tensor([[7.],[8.]])); "
        "b=T.zeros(5); b.index_add_(0, T.tensor([1,1,4]), T.tensor([0.1,0.2,0.3])); "
        "c=T.zeros(3); c.scatter_add_(0, T.tensor([0,0,2]), T.tensor([1.,2.,3.])); "
        "p=T.ones(3,requires_grad=True); q=p*2; q.scatter_(0, T.tensor([1]), 0.); "
        "q.sum().backward(); out=[a, b, c, q, p.grad, q.grad_fn.name(), "
        "T.zeros(3).index_add(0, T.tensor([0,0]), T.ones(2), alpha=2), "
        "T.zeros(3,2).scatter_add(0, T.tensor([[0,1]],dtype=T.int32), T.ones(1,2))]"),
    "an index written after its use": (
        "x=T.zeros(3,requires_grad=True); i=T.tensor([0,2]); y=x.index_add(0, i, "
        "T.ones(2,requires_grad=True)); i[0]=1; y.sum().backward()"),
    "scatter_add src of another dtype": (
        "T.zeros(3,3).scatter_add(0, T.tensor([[0,1]]), T.ones(1,2,dtype=T.float64))"),
    "scatter_add float index": "T.zeros(3,3).scatter_add(0, T.tensor([[0,1.]]), T.ones(1,2))",
    "scatter_add index of fewer dims": "T.zeros(3,3).scatter_add(0, T.tensor([0,1]), T.ones(2))",
    "scatter_add index too wide": (
        "T.zeros(3,3).scatter_add(0, T.tensor([[0,1,2,0]]), T.ones(1,4))"),
    "scatter_add index larger than src": (
        "T.zeros(3,3).scatter_add(0, T.tensor([[0,1],[2,0]]), T.ones(1,2))"),
    "scatter_add index out of range": "T.zeros(3,3).scatter_add(0, T.tensor([[5,1]]), T.ones(1,2))",
    "scatter_add negative index": "T.zeros(3,3).scatter_add(0, T.tensor([[-1,1]]), T.ones(1,2))",
    "scatter bad dim": "T.zeros(3,3).scatter(2, T.tensor([[0,1]]), T.ones(1,2))",
    "index_add out of range": "T.zeros(3,3).index_add(0, T.tensor([0,5]), T.ones(2,3))",
    "index_add source shape": "T.zeros(3,3).index_add(0, T.tensor([0,1]), T.ones(2,2))",
    "index_add float index": "T.zeros(3,3).index_add(0, T.tensor([0.,1]), T.ones(2,3))",
    "index_add source dtype": (
        "T.zeros(3,3).index_add(0, T.tensor([0,1]), T.ones(2,3,dtype=T.float64))"),
    "index_add matrix index": "T.zeros(3,3).index_add(0, T.tensor([[0,1]]), T.ones(2,3))",
    "index_add count": "T.zeros(3,3).index_add(0, T.tensor([0,1,2]), T.ones(2,3))",
}


@pytest.mark.parametrize("name", list(SNIPPETS))
def test_shows_what_pytorch_shows(name: str) -> None:
    code = SNIPPETS[name]
    assert observe(engine, code) == observe(torch, code)


@pytest.mark.parametrize("alpha", [1, -0.3])
def test_repeated_indices_add_in_pytorchs_order(alpha: float) -> None:
    """Many additions onto few places, over magnitudes: float32 bits as PyTorch's."""
    rng = np.random.default_rng(23)
    base = rng.standard_normal((4, 33)).astype(np.float32)
    source = (rng.standard_normal((300, 33)) * np.exp(rng.uniform(-8, 8, (300, 33)))).astype(
        np.float32)
    index = rng.integers(0, 4, 300)
    scatter_index = rng.integers(0, 4, (300, 33))
    seen = []
    for lib in (torch, engine):
        a = lib.tensor(base)
        added = a.index_add(0, lib.tensor(index), lib.tensor(source), alpha=alpha)
        scattered = a.scatter_add(0, lib.tensor(scatter_index), lib.tensor(source))
        seen.append((added.numpy().tobytes(), scattered.numpy().tobytes()))
    assert seen[0] == seen[1]

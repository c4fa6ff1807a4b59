"""F.cosine_similarity, F.pairwise_distance and their modules against PyTorch: the nodes ATen
builds (norms cloned and clamped, two divisions, a product, a sum; a difference, eps added, a
norm), values and gradients bit for bit, and the errors."""

from __future__ import annotations

import numpy as np
import pytest

import engine
from tests.engine.parity import CHAIN, observe

torch = pytest.importorskip("torch")

SNIPPETS = {
    "rows of a batch": CHAIN + (
        "a=T.linspace(-1.,2.,12).reshape(3,4).requires_grad_(); "
        "b=T.linspace(3.,-1.,12).reshape(3,4).requires_grad_(); c=F.cosine_similarity(a,b); "
        "(c*c).sum().backward(); out=[c, a.grad, b.grad, chain(c), T.nn.CosineSimilarity(), "
        "T.nn.CosineSimilarity(dim=0)(a, b), T.cosine_similarity(a, b, 1, 1e-3)]"),
    "broadcast against one row, and a zero vector": (
        "a=T.linspace(-1.,2.,12).reshape(3,4).requires_grad_(); b=T.tensor([[1.,0.,2.,-1.]]); "
        "c=F.cosine_similarity(a,b); c.sum().backward(); "
        "out=[c, a.grad, F.cosine_similarity(T.zeros(2,3), T.ones(2,3))]"),
    "integer inputs": "F.cosine_similarity(T.ones(2,3,dtype=T.long), T.ones(2,3,dtype=T.long))",
    "an integer and a float": "out=[F.cosine_similarity(T.ones(2,3,dtype=T.long), T.ones(2,3))]",
    "shapes that do not broadcast": "F.cosine_similarity(T.ones(2,3), T.ones(4,3))",
    "pairwise distances": CHAIN + (
        "a=T.linspace(-1.,2.,12).reshape(3,4).requires_grad_(); b=T.linspace(3.,-1.,4); "
        "ds=[F.pairwise_distance(a,b), F.pairwise_distance(a,b,1.,keepdim=True), "
        "T.nn.PairwiseDistance(p=3.)(a,a), T.pairwise_distance(T.ones(4), T.zeros(4))]; "
        "sum(d.sum() for d in ds).backward(); out=ds+[a.grad, chain(ds[0]), "
        "T.nn.PairwiseDistance()]"),
}


@pytest.mark.parametrize("name", list(SNIPPETS))
def test_shows_what_pytorch_shows(name: str) -> None:
    code = SNIPPETS[name]
    assert observe(engine, code) == observe(torch, code)


def test_values_and_gradients_are_bit_for_bit() -> None:
    rng = np.random.default_rng(12)
    for shape, other, dim in [((16, 300), (16, 300), 1), ((40, 9), (1, 9), 1),
                              ((5, 3, 33), (5, 3, 33), -1), ((70,), (70,), 0)]:
        a = rng.standard_normal(shape).astype(np.float32)
        b = rng.standard_normal(other).astype(np.float32)
        seen = []
        for lib in (torch, engine):
            x, y = lib.tensor(a, requires_grad=True), lib.tensor(b, requires_grad=True)
            c = lib.nn.functional.cosine_similarity(x, y, dim)
            (c * c).sum().backward()
            seen.append([c.detach().numpy().tobytes(), x.grad.numpy().tobytes(),
                         y.grad.numpy().tobytes()])
        assert seen[0] == seen[1], shape

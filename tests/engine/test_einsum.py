"""torch.einsum against PyTorch: the same chain of nodes (permutes, views, bmm, sums,
diagonals), the same values and gradients bit for bit, the same errors."""

from __future__ import annotations

import numpy as np
import pytest

import engine
from tests.engine.parity import CHAIN, observe

torch = pytest.importorskip("torch")


SNIPPETS = {
    "matrix product, its nodes and gradients": CHAIN + (
        "a=T.linspace(-1.,2.,6).reshape(2,3).requires_grad_(); "
        "b=T.linspace(0.5,-3.,12).reshape(3,4).requires_grad_(); y=T.einsum('ij,jk->ik',a,b); "
        "(y*y).sum().backward(); out=[y, a.grad, b.grad, chain(y)]"),
    "attention scores, batched": CHAIN + (
        "q=T.linspace(-1.,1.,24).reshape(1,2,3,4).requires_grad_(); "
        "k=T.linspace(2.,-1.,40).reshape(1,2,5,4).requires_grad_(); "
        "s=T.einsum('bhqd,bhkd->bhqk',q,k); (s*s).sum().backward(); "
        "out=[s, q.grad, k.grad, chain(s)]"),
    "one operand: transpose, trace, diagonal, sum": CHAIN + (
        "m=T.arange(9.).reshape(3,3).requires_grad_(); ys=[T.einsum('ij->ji',m), "
        "T.einsum('ii',m), T.einsum('ii->i',m), T.einsum('ij->',m), T.einsum('ij->j',m)]; "
        "sum((y*y).sum() for y in ys).backward(); out=ys+[m.grad]+[chain(y) for y in ys]"),
    "outer, dot, three operands, implicit output": CHAIN + (
        "u=T.linspace(-1.,1.,3).requires_grad_(); v=T.linspace(2.,3.,4).requires_grad_(); "
        "m=T.linspace(0.,1.,12).reshape(3,4).requires_grad_(); ys=[T.einsum('i,j->ij',u,v), "
        "T.einsum('i,i->',u,u), T.einsum('ij,i,j->',m,u,v), T.einsum('ij,j',m,v)]; "
        "sum((y*y).sum() for y in ys).backward(); "
        "out=ys+[u.grad, v.grad, m.grad]+[chain(y) for y in ys]"),
    "ellipsis and broadcasting": CHAIN + (
        "a=T.linspace(-1.,1.,24).reshape(2,1,3,4).requires_grad_(); "
        "b=T.linspace(1.,2.,40).reshape(5,4,2).requires_grad_(); "
        "y=T.einsum('...ij,...jk->...ik',a,b); y.sum().backward(); "
        "out=[y.shape, a.grad, b.grad, chain(y)]"),
    "operands in a list, and the sublist form": (
        "a=T.arange(6.).reshape(2,3); b=T.arange(12.).reshape(3,4); "
        "out=[T.einsum('ij,jk->ik',[a,b]), T.einsum(a,[0,1],b,[1,2],[0,2]), "
        "T.einsum(a,[0,1],b,[1,2])]"),
    "an invalid subscript": "T.einsum('i1,jk->ik', T.ones(2,3), T.ones(3,4))",
    "too few operands": "T.einsum('ij,jk->ik', T.ones(2,3))",
    "too many operands": "T.einsum('ij->ij', T.ones(2,3), T.ones(3,4))",
    "subscripts not matching the dims": "T.einsum('ijk->i', T.ones(2,3))",
    "sizes that do not broadcast": "T.einsum('ij,jk->ik', T.ones(2,3), T.ones(4,5))",
    "an output subscript not in the inputs": "T.einsum('ij->k', T.ones(2,3))",
    "an output subscript twice": "T.einsum('ij->ii', T.ones(2,3))",
    "a repeated subscript of two sizes": "T.einsum('ii->i', T.ones(2,3))",
    "a stray dot": "T.einsum('i.j->ij', T.ones(2,3))",
    "no operand": "T.einsum('ij')",
    "mixed dtypes": "T.einsum('ij,jk->ik', T.ones(2,3), T.ones(3,4,dtype=T.float64))",
}


@pytest.mark.parametrize("name", list(SNIPPETS))
def test_shows_what_pytorch_shows(name: str) -> None:
    code = SNIPPETS[name]
    assert observe(engine, code) == observe(torch, code)


EQUATIONS = [("ij,jk->ik", [(7, 33), (33, 20)]), ("bij,bkj->bik", [(3, 16, 33), (3, 20, 33)]),
             ("bhqd,bhkd->bhqk", [(2, 4, 9, 16), (2, 4, 11, 16)]), ("ij,j->i", [(30, 40), (40,)]),
             ("ij,kj,k->i", [(5, 17), (6, 17), (6,)]), ("i,j->ij", [(9,), (10,)]),
             ("ijk,jl->lik", [(4, 30, 5), (30, 6)]), ("ii->", [(20, 20)])]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("equation,shapes", EQUATIONS)
def test_values_and_gradients_are_bit_for_bit(equation: str, shapes: list, dtype: type) -> None:
    rng = np.random.default_rng(4)
    arrays = [rng.standard_normal(s).astype(dtype) for s in shapes]
    seen = []
    for lib in (torch, engine):
        operands = [lib.tensor(a, requires_grad=True) for a in arrays]
        y = lib.einsum(equation, *operands)
        upstream = np.linspace(-1, 1, y.numel()).astype(dtype).reshape(tuple(y.shape))
        y.backward(lib.tensor(upstream))
        seen.append([y.detach().numpy().tobytes()] + [t.grad.numpy().tobytes() for t in operands])
    assert seen[0] == seen[1], equation

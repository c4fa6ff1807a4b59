"""Ops that pick, move or repeat elements (and make tensors like another), compared with
PyTorch: values, gradients, grad_fn names, next_functions, views and errors (`observe`), and
every gradient against finite differences in float64."""

from __future__ import annotations

import numpy as np
import pytest

import engine
from tests.engine.parity import observe

torch = pytest.importorskip("torch")

X = "x=T.arange(12.).view(3,4).requires_grad_(); "
W = "w=T.linspace(-1.,2.,12).view(3,4); "

SNIPPETS = {
    "narrow": (
        X + W + "ys=[x.narrow(0,1,2), T.narrow(x,1,-3,2), x.narrow(-1,0,0), x.narrow(0,3,0),"
        " x.narrow(1,T.tensor(1),3)]; sum((y*w[:y.shape[0],:y.shape[1]]).sum() for y in ys)"
        ".backward(); z=T.arange(5.); z.narrow(0,1,2).mul_(10); "
        "out=ys+[x.grad, ys[0].grad_fn.name(), ys[0].grad_fn.next_functions[0][0].variable is x,"
        " z]"),
    "narrow start out of range": "T.ones(3).narrow(0,4,0)",
    "narrow negative start out of range": "T.ones(3).narrow(0,-4,1)",
    "narrow past the end": "T.ones(3).narrow(0,2,2)",
    "narrow negative length": "T.ones(3).narrow(0,1,-1)",
    "narrow of a 0-d tensor": "T.tensor(1.).narrow(0,0,1)",
    "narrow bad dim": "T.ones(3).narrow(1,0,1)",
    "narrow start of a float tensor": "T.ones(3).narrow(0,T.tensor(1.),1)",
    "index_select": (
        X + W + "i=T.tensor([2,0,2]); ys=[x.index_select(0,i), T.index_select(x,1,i), "
        "x.index_select(-1,T.tensor([3])), x.index_select(0,T.tensor([],dtype=T.long)), "
        "x.index_select(1,T.tensor(1)), x.index_select(0,i.int())]; "
        "(ys[0]*w).sum().backward(); (ys[1]*w[:, :3]).sum().backward(); "
        "out=ys+[x.grad, ys[0].grad_fn.name(), ys[0].grad_fn.next_functions[0][0].variable is x, "
        "T.tensor(5.).index_select(0,T.tensor([0])), T.tensor(5.).index_select(0,T.tensor(0)),"
        " T.tensor([[True,False]]).index_select(1,T.tensor([1,1,0]))]"),
    "index_select twice through a saved index": (
        X + "i=T.tensor([1,1]); y=x.index_select(0,i); i[0]=2; y.sum().backward(); "
        "out=[x.grad]"),
    "index_select second backward": X + "y=x.index_select(0,T.tensor([1])).sum(); y.backward(); "
                                        "y.backward()",
    "index_select of a 0-d tensor, two indices": "T.tensor(5.).index_select(0,T.tensor([0,0]))",
    "index_select float index": "T.ones(3).index_select(0,T.tensor([0.]))",
    "index_select matrix index": "T.ones(3).index_select(0,T.tensor([[0]]))",
    "index_select out of range": "T.ones(3).index_select(0,T.tensor([3]))",
    "index_select negative index": "T.ones(3).index_select(0,T.tensor([-1]))",
    "index_select bad dim": "T.ones(3).index_select(1,T.tensor([0]))",
    "index_select list index": "T.ones(3).index_select(0,[0])",
    "roll": (
        X + W + "ys=[x.roll(1,0), T.roll(x,-1,1), x.roll((1,2),(0,1)), x.roll(5), "
        "x.roll(shifts=[7],dims=[-1]), x.roll(0,0), T.roll(x,13), x.roll(-14,0)]; "
        "sum((y*w).sum() for y in ys).backward(); "
        "out=ys+[x.grad, ys[0].grad_fn.name(), ys[3].grad_fn.name(), "
        "T.tensor(3.).roll(1), T.zeros(0).roll(2), "
        "T.arange(4).roll(1)]"),
    "roll shifts and dims apart": "T.ones(2,2).roll((1,1),0)",
    "roll bad dim": "T.ones(2,2).roll(1,2)",
    "roll no shifts": "T.ones(2).roll((),())",
    "roll a 0-d tensor along a dim": "T.tensor(3.).roll(1,0)",
    "roll a 0-d tensor by two shifts": "T.tensor(3.).roll((1,2))",
    "tile": (
        "x=T.tensor([[1.,2.],[3.,4.]],requires_grad=True); w=T.arange(24.).view(2,3,4); "
        "ys=[x.tile((2,)), T.tile(x,(1,2)), x.tile(2,3,1), x.tile([]), T.tensor(7.).tile(3),"
        " x.tile((1,1))]; (ys[2]*w.view(2,6,2)).sum().backward(); (ys[1].sum()*ys[0].sum())"
        ".backward(); z=T.ones(2); z.tile(2).mul_(3); "
        "out=ys+[x.grad, ys[0].grad_fn.name(), ys[3].grad_fn.name(), z]"),
    "tile negative": "T.ones(2).tile(-1)",
    "movedim and swapaxes": (
        "x=T.arange(24.).view(2,3,4).requires_grad_(); w=T.linspace(0,1,24); ys=["
        "x.movedim(0,2), T.movedim(x,(0,1),(2,0)), x.moveaxis(-1,0), T.moveaxis(x,[1],[2]), "
        "x.swapaxes(0,2), T.swapaxes(x,1,-1), x.swapdims(0,1), T.swapdims(x,2,2), "
        "x.movedim(1,1)]; sum((y.reshape(-1)*w).sum() for y in ys).backward(); "
        "z=T.zeros(2,3); z.movedim(0,1)[2].fill_(1); z.swapaxes(0,1)[0,1]=5; "
        "out=ys+[x.grad]+[y.grad_fn.name() for y in ys]+[ys[0].is_contiguous(), z]"),
    "movedim repeated source": "T.ones(2,3,4).movedim((0,0),(1,2))",
    "movedim repeated destination": "T.ones(2,3,4).movedim((0,1),(2,2))",
    "movedim lengths differ": "T.ones(2,3,4).movedim((0,1),(2,))",
    "movedim bad dim": "T.ones(2,3).movedim(0,2)",
    "swapaxes bad dim": "T.ones(2,3).swapaxes(0,2)",
    "unflatten": (
        "x=T.arange(24.).view(2,12).requires_grad_(); w=T.linspace(0,1,24); ys=["
        "x.unflatten(1,(3,4)), T.unflatten(x,-1,(2,-1,3)), x.unflatten(0,[2,1]), "
        "x.unflatten(1,(12,))]; sum((y.reshape(-1)*w).sum() for y in ys).backward(); "
        "z=T.zeros(4); z.unflatten(0,(2,2))[1].fill_(1); "
        "out=ys+[x.grad]+[y.grad_fn.name() for y in ys]+[z]"),
    "unflatten sizes that do not multiply": "T.ones(2,12).unflatten(1,(5,2))",
    "unflatten no sizes": "T.ones(2,12).unflatten(1,())",
    "broadcast_to": (
        "x=T.tensor([[1.],[2.]],requires_grad=True); w=T.arange(12.).view(3,2,2); "
        "ys=[x.broadcast_to((3,2,2)), T.broadcast_to(x,(2,-1)), x.broadcast_to(2,3)]; "
        "(ys[0]*w).sum().backward(); out=ys+[x.grad, ys[0].grad_fn.name(), ys[0].is_contiguous()]"),
    "broadcast_to too few dims": "T.ones(2,3).broadcast_to((3,))",
    "broadcast_to bad size": "T.ones(2,3).broadcast_to((4,3))",
    "new tensors": (
        "x=T.ones(2,dtype=T.float64,requires_grad=True); i=T.arange(3); "
        "out=[x.new_zeros(3), x.new_ones((2,2)), x.new_full((2,),7), i.new_full([2],2.5), "
        "x.new_tensor([1,2]), i.new_tensor([1.5]), x.new_zeros(2,3,dtype=T.int64), "
        "x.new_ones(2,requires_grad=True), x.new_tensor(3), x.new_zeros(()), "
        "x.new_empty(0), x.new_empty((2,0)).shape, x.new_empty(3).dtype, i.new_ones(2,3), "
        "x.new_tensor(T.tensor([1,2])), x.new_zeros(1).requires_grad, "
        "x.new_full((1,),True), T.tensor([True]).new_zeros(2)]"),
    "new_tensor copies a tensor with a warning": (
        "x=T.ones(2); s=T.tensor([1.,2.],requires_grad=True); y=x.new_tensor(s); "
        "out=[y, y.requires_grad]"),
    "new_zeros negative size": "T.ones(2).new_zeros(-1)",
    "new_ones of a string": "T.ones(2).new_ones('a')",
    "new_full without a value": "T.ones(2).new_full((2,))",
    "clamp_max": (
        "x=T.tensor([-2.,0.5,1.,3.],requires_grad=True); ys=[x.clamp_max(1.), T.clamp_max(x,0),"
        " x.clamp_max(T.tensor([0.,1.,2.,3.])), T.clamp_max(T.arange(4),2), "
        "x.clamp_max(float('nan'))]; sum(y.sum() for y in ys).backward(); z=x.detach().clone(); "
        "z.clamp_max_(0.); y=x*1; y.clamp_max_(0.5); y.clamp_min_(0.); y.sum().backward(); "
        "out=ys+[x.grad, z, y]+[t.grad_fn.name() for t in ys if t.grad_fn]+[y.grad_fn.name()]"),
    "clamp_min and clamp_max with tensor bounds": (
        "x=T.tensor([-2.,0.5,1.,3.,float('nan')],requires_grad=True); "
        "b=T.tensor([0.,1.,1.,2.,0.],requires_grad=True); y=x.clamp_min(b); z=T.clamp_max(x,b); "
        "c=T.clamp_min(x,T.tensor(0.5)); (y*T.arange(5.)+z+c).sum().backward(); "
        "out=[y,z,c,x.grad,b.grad,y.grad_fn.name(),z.grad_fn.name(),T.clamp(x,min=b).grad_fn"
        ".name(), T.arange(3).clamp_max(T.tensor([1.,1.,1.])), x.clamp_max(T.ones(2,1))]"),
    "clamp_max of a leaf in place": "T.ones(2,requires_grad=True).clamp_max_(0.)",
    "nonzero argwhere count_nonzero": (
        "x=T.tensor([[0.,1.5,0.],[2.,0.,-1.]],requires_grad=True); "
        "out=[x.nonzero(), T.nonzero(x), T.argwhere(x), x.argwhere(), x.nonzero(as_tuple=True),"
        " T.nonzero(x,as_tuple=True), T.count_nonzero(x), x.count_nonzero(0), "
        "x.count_nonzero(dim=(0,1)), T.count_nonzero(x,-1), T.tensor(3.).nonzero(), "
        "T.tensor(0.).nonzero(), T.tensor(3.).nonzero(as_tuple=True), T.zeros(0,2).nonzero(), "
        "T.tensor([True,False]).nonzero(), T.tensor(0.).count_nonzero(), "
        "T.tensor([float('nan'),0.]).nonzero()]"),
    "count_nonzero repeated dim": "T.ones(2,3).count_nonzero((0,0))",
    "masked_fill diagonal select functions": (
        X + "m=T.tensor([True,False,True,False]); ys=[T.masked_fill(x,m,-1.), T.diagonal(x), "
        "x.diagonal(1), T.diagonal(x,-1,1,0), T.select(x,1,-1), x.select(0,2)]; "
        "sum(y.sum()*(k+1) for k,y in enumerate(ys)).backward(); "
        "z=T.zeros(3,3); z.diagonal().fill_(1); T.diagonal(z,1).add_(2); z.select(1,0).sub_(1); "
        "out=ys+[x.grad]+[y.grad_fn.name() for y in ys]+[z]"),
    "diagonal same dims": "T.ones(2,3).diagonal(0,1,1)",
    "select out of range": "T.ones(2,3).select(1,3)",
}


@pytest.mark.parametrize("name", list(SNIPPETS))
def test_shows_what_pytorch_shows(name: str) -> None:
    code = SNIPPETS[name]
    expected = observe(torch, code)
    got = observe(engine, code)
    assert got == expected


RNG = np.random.default_rng(5)
M = RNG.standard_normal((3, 4))
GRADCHECKS = {
    "slice": (lambda x: x.narrow(1, 1, 2), [M]),
    "index_select": (lambda x: x.index_select(1, engine.tensor([2, 0, 2, 3])), [M]),
    "roll": (lambda x: x.roll((1, -1), (0, 1)), [M]),
    "diagonal_view": (lambda x: x.diagonal(-1), [M]),
    "clamp_max": (lambda x: x.clamp_max(0.3), [M]),
    "clamp_min_tensor": (lambda x, b: x.clamp_min(b), [M, RNG.standard_normal(4)]),
    "clamp_max_tensor": (lambda x, b: x.clamp_max(b), [M, RNG.standard_normal((3, 1))]),
}


@pytest.mark.parametrize("name", list(GRADCHECKS))
def test_gradient_matches_finite_differences(name: str) -> None:
    function, inputs = GRADCHECKS[name]
    leaves = [engine.tensor(values, dtype=engine.float64, requires_grad=True)
              for values in inputs]
    assert function(*leaves).grad_fn.spec.name == name
    assert engine.gradcheck(function, leaves, eps=1e-6, atol=1e-5, rtol=1e-4)

"""Parity with real PyTorch, the oracle: values, gradients, None-ness, reprs, grad_fn names,
errors and warnings, snippet by snippet."""

from __future__ import annotations

import pytest

import engine
from tests.engine.parity import observe

torch = pytest.importorskip("torch")

SNIPPETS = {
    "tutorial": "x=T.tensor(2.0,requires_grad=True); y=x**2; y.backward(); out=[x.grad, y, x]",
    "used twice": "x=T.tensor(3.0,requires_grad=True); y=x*x; y.backward(); out=[x.grad, y]",
    "a + a": "a=T.tensor([1.,2.],requires_grad=True); (a+a).sum().backward(); out=[a.grad]",
    "linear sum": "x=T.tensor([1.,2.,3.],requires_grad=True); y=(x*3+1).sum(); y.backward(); "
                  "out=[x.grad,y]",
    "matmul tanh": "x=T.tensor([[1.,2.],[3.,4.]],requires_grad=True); "
                   "w=T.tensor([[0.5],[-1.]],requires_grad=True); y=(x@w).tanh().sum(); "
                   "y.backward(); out=[x.grad,w.grad,y]",
    "activations": "x=T.tensor([1.,-2.,3.],requires_grad=True); "
                   "y=x.relu().sum()+x.sigmoid().mean()+x.abs().max(); y.backward(); "
                   "out=[x.grad,y]",
    "functions": "x=T.tensor([0.5,2.,3.],requires_grad=True); "
                 "y=(x.log()+x.sqrt()+x.exp()+x.sin()*x.cos()).sum(); y.backward(); "
                 "out=[x.grad,y]",
    "reflected": "x=T.tensor([1.,2.,3.],requires_grad=True); y=(2/x + 1-x + 2**x + x**x).sum();"
                 " y.backward(); out=[x.grad,y]",
    "softmax": "x=T.tensor([[1.,2.,3.],[4.,5.,6.]],requires_grad=True); "
               "y=(x.softmax(1)*T.tensor([1.,2.,3.])).sum()+x.log_softmax(0)[0,1]; "
               "y.backward(); out=[x.grad,y]",
    "cross entropy": "x=T.tensor([[1.,2.,3.],[4.,5.,6.]],requires_grad=True); "
                     "y=F.cross_entropy(x, T.tensor([0,2])); y.backward(); out=[x.grad,y]",
    "cross entropy probs": "x=T.tensor([[1.,2.,3.]],requires_grad=True); "
                           "y=F.cross_entropy(x, T.tensor([[1.,0.,0.]])); y.backward(); "
                           "out=[x.grad,y]",
    "linear mse": "x=T.tensor([[1.,2.,3.],[4.,5.,6.]],requires_grad=True); "
                  "w=T.tensor([[0.1,0.2,0.3],[0.4,0.5,0.6]],requires_grad=True); "
                  "b=T.tensor([0.5,-0.5],requires_grad=True); "
                  "y=F.mse_loss(F.linear(x,w,b), T.zeros(2,2)); y.backward(); "
                  "out=[x.grad,w.grad,b.grad,y]",
    "linear 1-d": "x=T.tensor([1.,2.],requires_grad=True); w=T.ones(3,2,requires_grad=True); "
                  "y=F.linear(x,w,T.zeros(3)); y.sum().backward(); out=[y,x.grad,w.grad]",
    "indexing": "x=T.tensor([1.,2.,3.,4.],requires_grad=True); "
                "y=(x[1:]*x[:3]).sum()+x[0]+x[[0,0,2]].sum(); y.backward(); out=[x.grad,y]",
    "cat stack where": "x=T.tensor([[1.,2.],[3.,4.]],requires_grad=True); "
                       "y=T.cat([x,x*2],0).sum(1).max()+T.stack([x,x]).mean()"
                       "+T.where(x>2,x,x*0).sum(); y.backward(); out=[x.grad,y]",
    "shape ops": "x=T.tensor([[1.,2.],[3.,4.]],requires_grad=True); "
                 "y=x.reshape(4).view(2,2).T.flatten().unsqueeze(0).squeeze().expand(3,4).sum();"
                 " y.backward(); out=[x.grad,y]",
    "bce": "x=T.tensor([0.2,0.7],requires_grad=True); "
           "y=F.binary_cross_entropy(x, T.tensor([0.,1.])); y.backward(); out=[x.grad,y]",
    "clamp max min": "x=T.tensor([1.,5.,2.],requires_grad=True); "
                     "y=x.clamp(1.5,4.)+x.max(0)[0]+x.min(); y.sum().backward(); out=[x.grad,y]",
    "max dim": "x=T.tensor([[1.,2.],[3.,4.]],requires_grad=True); y=x.max(dim=1); "
               "y.values.sum().backward(); out=[x.grad,y,y.values,y.indices]",
    "int promotion": "x=T.tensor([1,2,3]); out=[x*2, x/2, x*2.5, x+True, x.sum(), (x>1), "
                     "x.float().mean(), T.tensor([True,False]).sum()]",
    "zero-dim promotion": "a=T.tensor([1.,2.]); b=T.tensor(3., dtype=T.float64); "
                          "c=T.tensor([1,2]); out=[a*b, b*a, c*b, c*T.tensor(2.5), a+c]",
    "retain_grad": "x=T.tensor(2.0,requires_grad=True); y=x*x*x; y.retain_grad(); z=y*2; "
                   "z.backward(); out=[x.grad,y.grad,y.retains_grad]",
    "accumulation": "x=T.tensor(1.5,requires_grad=True)\nfor i in range(3):\n"
                    "    y=x*i+x**2; y.backward()\nout=[x.grad]",
    "creation": "out=[T.arange(5), T.arange(0.,1.,0.25), T.linspace(0,1,5), T.eye(2), "
                "T.full((2,),3), T.ones(2,3), T.zeros(2,dtype=T.float64), T.zeros_like("
                "T.ones(2)), T.ones_like(T.tensor([1,2])), T.arange(1, 10, 3), T.linspace(-1,"
                " 1, 7), T.full((2,), 1.5)]",
    "matmul ranks": "x=T.tensor([[1.,2.,3.],[4.,5.,6.]],requires_grad=True); "
                    "v=T.tensor([1.,0.,-1.],requires_grad=True); "
                    "y=(x@v).sum()+(v@x.T).sum()+(v@v); y.backward(); out=[x.grad,v.grad,y]",
    "batched matmul": "x=T.ones(2,3,4,requires_grad=True); w=T.ones(4,5,requires_grad=True); "
                      "y=(x@w).sum()+(x@x.transpose(1,2)).sum(); y.backward(); "
                      "out=[x.grad,w.grad,y]",
    "leaf hook sees total": "x=T.tensor([1.,2.],requires_grad=True); h=[]; "
                            "x.register_hook(lambda g: h.append(g)); y=(x*x).sum()+x.sum(); "
                            "y.backward(); out=[x.grad,h[0]]",
    "leaf hook replaces": "x=T.tensor([1.,2.],requires_grad=True); "
                          "x.register_hook(lambda g: g*10); y=(x*x).sum(); y.backward(); "
                          "out=[x.grad]",
    "hook on intermediate": "x=T.tensor([1.,2.],requires_grad=True); y=x*2; "
                            "y.register_hook(lambda g: g*10); y.sum().backward(); out=[x.grad]",
    "sgd loop": "w=T.tensor([1.,2.],requires_grad=True)\nfor i in range(3):\n"
                "    l=((w*T.tensor([0.5,-1.]))**2).sum(); l.backward()\n"
                "    with T.no_grad(): w -= 0.1*w.grad\n    w.grad.zero_()\nout=[w, w.grad, l]",
    "no_grad decorator": "x=T.tensor(1.,requires_grad=True)\n@T.no_grad()\ndef f(a):\n"
                         "    return a*2\nout=[f(x), f(x).requires_grad, (x*2).requires_grad]",
    "enable_grad inside": "x=T.tensor(1.,requires_grad=True)\nwith T.no_grad():\n"
                          "    with T.enable_grad():\n        y=x*2\n    z=x*2\n"
                          "out=[y, z, T.is_grad_enabled()]",
    "detach and data": "x=T.tensor([1.,2.],requires_grad=True); y=x.detach(); y+=1; "
                       "x.data*=2; out=[x, y, x.detach().requires_grad]",
    "0-d data update": "x=T.tensor(1.,requires_grad=True); x.data-=0.5*T.tensor(1.); y=x*3; "
                       "y.backward(); out=[x, x.grad]",
    "grad object accumulates": "x=T.tensor([1.,2.],requires_grad=True); (x*x).sum().backward()"
                               "; g=x.grad; (x*x).sum().backward(); out=[g, x.grad, g is x.grad]",
    "views": "x=T.tensor([[1.,2.],[3.,4.]]); out=[x.unsqueeze(-1).shape, x.permute(1,0), "
             "x.transpose(0,1), x.expand(2,2,2).shape, x.flatten(), x.view(-1), "
             "x.reshape(1,-1), x.T.reshape(4), x.t().is_contiguous(), x[None].shape, x[...,0],"
             " x[:,1], x.size(), x.size(1), x.shape, x.dtype, x.ndim, x.numel()]",
    "reductions": "x=T.tensor([[1.,2.],[3.,4.]]); out=[x.mean(), x.mean(0), x.sum((0,1)), "
                  "x.max(1), x.min(dim=0), x.argmax(), x.sum(1, keepdim=True), x.max()]",
    "printing": "out=[T.tensor([[1,2],[3,4]]), T.tensor(3), T.tensor([1.5,2]), T.tensor([]), "
                "T.zeros(0,3), T.tensor(2.0, dtype=T.float64), T.tensor([1e-5, 1e5]), "
                "T.tensor(1e10), T.tensor([0.1, 0.2, 0.3]).sum(), T.tensor([[1.5, -2.25], "
                "[100.125, 0.]])]",
    "item and python": "x=T.tensor(3.,requires_grad=True); out=[x.item(), float(x), "
                       "f'{x:.3f}', x.tolist(), x.shape, x.is_leaf, T.tensor(0.1).item(), "
                       "(T.tensor([0.1, 0.2])*3).tolist(), int(T.tensor(7)), "
                       "bool(T.tensor(1.)), int(x)]",
    "in-place views write through": "x=T.zeros(3); v=x[1:]; v+=1; x[0]=5; "
                                    "x[T.tensor([2])]=7; out=[x, v]",
    "max ties": "x=T.tensor([3.,3.,2.],requires_grad=True); x.max().backward(); out=[x.grad]",
    "maximum ties": "x=T.tensor([3.,3.,2.],requires_grad=True); "
                    "T.maximum(x, T.tensor([3.,1.,5.])).sum().backward(); out=[x.grad]",
    "pow zero": "x=T.tensor(2.,requires_grad=True); y=x**0; y.backward(); out=[x.grad, y]",
    "kinks": "x=T.tensor(0.,requires_grad=True); y=x.relu()+x.abs(); y.backward(); "
             "out=[x.grad]",
    "sqrt at zero": "x=T.tensor(0.,requires_grad=True); x.sqrt().backward(); out=[x.grad]",
    "relu negative zero": "x=T.tensor([-1.,2.],requires_grad=True); "
                          "(x*T.tensor([-1.,1])).relu().sum().backward(); out=[x.grad]",
    "division by zero": "x=T.tensor([1.,0.,-1.]); out=[x/0, x.log(), (x*0).sqrt()]",
    "grad_fn names": "x=T.tensor([[1.,2.],[3.,4.]],requires_grad=True); "
                     "v=T.tensor([1.,2.],requires_grad=True); "
                     "out=[(x+1).grad_fn.name(), (1-x).grad_fn.name(), (2/x).grad_fn.name(), "
                     "(x**x).grad_fn.name(), (2**x).grad_fn.name(), x.T.grad_fn.name(), "
                     "x.t().grad_fn.name(), x[0].grad_fn.name(), x[:, 1:].grad_fn.name(), "
                     "x[[0]].grad_fn.name(), (x@x).grad_fn.name(), (v@v).grad_fn.name(), "
                     "(x@v).grad_fn.name(), (v@x).grad_fn.name(), x.sum(0).grad_fn.name(), "
                     "x.mean(1).grad_fn.name(), x.max(0)[0].grad_fn.name(), "
                     "x.clamp(min=0).grad_fn.name(), x.squeeze(0).grad_fn.name(), "
                     "x.unsqueeze(0).squeeze().grad_fn.name(), x.expand(2,2,2).grad_fn.name()"
                     ", x.clone().grad_fn.name(), x.double().grad_fn.name(), "
                     "F.linear(x,x).grad_fn.name(), F.linear(x,x,v).grad_fn.name(), "
                     "F.mse_loss(x,x.detach()).grad_fn.name(), x.reshape(4).grad_fn.name(), "
                     "T.where(x>1,x,0.).grad_fn.name(), T.cat([x,x]).grad_fn.name(), "
                     "T.stack([x,x]).grad_fn.name(), x.softmax(0).grad_fn.name(), "
                     "x.log_softmax(1).grad_fn.name(), F.cross_entropy(x, T.tensor([0,1]))"
                     ".grad_fn.name(), F.binary_cross_entropy(x.sigmoid(), x.detach()*0)"
                     ".grad_fn.name(), (-x).grad_fn.name(), x.neg().grad_fn.name()]",
    "next_functions shape": "x=T.tensor(2.0,requires_grad=True); y=x**2; z=x+1; "
                            "w=(2/x); out=[y.grad_fn.next_functions[0][0].variable is x, "
                            "len(z.grad_fn.next_functions), z.grad_fn.next_functions[1], "
                            "[n is None or n.name() for n, _ in w.grad_fn.next_functions], "
                            "(1-x).grad_fn.next_functions[0][0].name(), "
                            "y.grad_fn.next_functions[0][0] is z.grad_fn.next_functions[0][0]]",
}

ERRORS = {
    "backward twice": "x=T.tensor(2.0,requires_grad=True); y=x*x; y.backward(); y.backward()",
    "backward twice, scalar mul": "x=T.tensor(2.0,requires_grad=True); y=x*2; y.backward(); "
                                  "y.backward()",
    "backward twice through add is fine": "x=T.tensor(2.0,requires_grad=True); y=x+2; "
                                          "y.backward(); y.backward(); out=[x.grad]",
    "backward twice through neg is fine": "x=T.tensor(2.0,requires_grad=True); y=-x; "
                                          "y.backward(); y.backward(); out=[x.grad]",
    "backward twice through sum is fine": "x=T.tensor([2.0,3.],requires_grad=True); "
                                          "y=x.sum(); y.backward(); y.backward(); "
                                          "out=[x.grad]",
    "backward twice through view": "x=T.tensor([2.0,3.],requires_grad=True); "
                                   "y=x.view(2,1).sum(); y.backward(); y.backward(); "
                                   "out=[x.grad]",
    "backward twice through tanh": "x=T.tensor([2.0,3.],requires_grad=True); "
                                   "y=x.tanh().sum(); y.backward(); y.backward()",
    "retain_graph": "x=T.tensor([2.0,3.],requires_grad=True); y=(x*2).sum(); "
                    "y.backward(retain_graph=True); y.backward(); out=[x.grad]",
    "partial state when the second pass fails": "x=T.tensor(2.,requires_grad=True); "
                                                "b=T.tensor(1.,requires_grad=True); "
                                                "y=x*x+b; y.backward(); "
                                                "exec('try:\\n y.backward()\\nexcept "
                                                "RuntimeError: pass'); out=[x.grad, b.grad]",
    "non-scalar backward": "x=T.tensor([2.0,3.],requires_grad=True); y=x*2; y.backward()",
    "integer requires grad": "x=T.tensor([1,2],requires_grad=True)",
    "in-place on a leaf": "x=T.tensor(2.0,requires_grad=True); x+=1",
    "add_ on a leaf": "x=T.tensor(2.0,requires_grad=True); x.add_(1)",
    "write into a leaf": "x=T.tensor([1.,2.],requires_grad=True); x[0]=5",
    "hook without grad": "x=T.tensor(1.); x.register_hook(lambda g: g)",
    "backward without grad": "x=T.tensor(1.); x.backward()",
    "mm shapes": "x=T.ones(2,3); y=x@x",
    "broadcast": "x=T.ones(2)+T.ones(3)",
    "dim out of range": "x=T.ones(2,3).sum(dim=2)",
    "index out of range": "x=T.ones(2)[5]",
    "bad view": "x=T.ones(2,2).view(3)",
    "item of many": "x=T.ones(2).item()",
    "cat ranks": "x=T.cat([T.ones(2), T.ones(2,2)])",
    "gradient shape": "x=T.ones(2,requires_grad=True); (x*1).backward(T.ones(3))",
    "modified output": "a=T.ones(2,requires_grad=True); b=a.tanh(); b.add_(1); "
                       "b.sum().backward()",
    "modified exp output": "x=T.tensor(2.,requires_grad=True); z=x.exp(); z.zero_(); "
                           "z.backward()",
    "modified saved leaf": "w=T.tensor([1.,2.],requires_grad=True); y=(w*T.tensor([3.,4.]))"
                           ".sum(); y.backward(retain_graph=True)\nwith T.no_grad(): w-=1\n"
                           "y.backward(); out=[w.grad]",
    "modified saved constant": "w=T.tensor([1.,2.],requires_grad=True); c=T.tensor([3.,4.]);"
                               " y=(w*c).sum(); c+=1; y.backward()",
    "modified unsaved input is fine": "x=T.tensor([1.,2.],requires_grad=True); "
                                      "c=T.tensor([3.,4.]); y=(x+c).sum(); c+=1; "
                                      "y.backward(); out=[x.grad]",
    "requires_grad on non-leaf": "x=T.tensor(2.0,requires_grad=True); y=x*2; "
                                 "y.requires_grad=False",
    "numpy of grad tensor": "x=T.tensor(2.0,requires_grad=True); x.numpy()",
    "retain_grad without grad": "x=T.tensor(2.0); x.retain_grad()",
    "non-leaf grad warns": "x=T.tensor(2.0,requires_grad=True); y=x*2; y.backward(); "
                           "out=[y.grad]",
    "T on 1-d warns": "x=T.tensor([1.,2.]); out=[x.T]",
    "ragged list": "x=T.tensor([[1,2],[3]])",
    "int mean": "x=T.tensor([1,2]).mean()",
    "bad -1 view": "x=T.ones(3).view(2,-1)",
    "mse size warning": "x=T.tensor([1.,2.],requires_grad=True); "
                        "out=[F.mse_loss(x, T.tensor([[1.],[2.]]))]",
    "copy-construct warning": "x=T.tensor([1.,2.]); out=[T.tensor(x)]",
    "bool of many": "x=bool(T.tensor([1.,2.]))",
    "len of 0-d": "x=len(T.tensor(1.))",
    "float result into int": "x=T.tensor([1,2]); x+=1.5",
    "bce range": "x=F.binary_cross_entropy(T.tensor([1.5]), T.tensor([1.]))",
    "cross entropy target range": "x=F.cross_entropy(T.ones(2,3), T.tensor([0,3]))",
}


@pytest.mark.parametrize("code", SNIPPETS.values(), ids=SNIPPETS.keys())
def test_snippet_shows_what_pytorch_shows(code: str) -> None:
    expected = observe(torch, code)
    assert expected["error"] is None, expected["error"]
    assert observe(engine, code) == expected


@pytest.mark.parametrize("code", ERRORS.values(), ids=ERRORS.keys())
def test_errors_and_warnings_are_pytorchs(code: str) -> None:
    assert observe(engine, code) == observe(torch, code)

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
    "scalar masks": "xs=[T.tensor(v,requires_grad=True) for v in (-1.,0.,2.,float('nan'))]; "
                    "ys=[x.relu()*3+x.clamp(-0.5,1.)+x.clamp(min=0.)+F.relu(x) for x in xs]; "
                    "[y.backward() for y in ys]; "
                    "out=[x.grad for x in xs]+ys",
    "signed zeros and nan": "t=T.tensor([-0.,0.,float('nan'),-1.,2.]); n=float('nan'); "
                            "out=[t.clamp(min=0.),t.clamp(max=-0.),t.clamp(-0.,0.),T.relu(t),"
                            "t.clamp(min=n),t.clamp_min(0.),T.maximum(t,T.tensor(0.)),"
                            "T.minimum(T.tensor(0.),t),T.tensor(-0.).relu(),T.tensor(-0.).clamp(0.)"
                            ",T.tensor([-0.]).clamp(min=T.tensor(0.)),t.sign()]",
    "nan gradients": "x=T.tensor([float('nan'),0.,-2.],requires_grad=True); "
                     "x.abs().sum().backward(); "
                     "y=T.tensor([float('nan'),0.,-2.],requires_grad=True); y.norm(p=1).backward();"
                     " z=T.tensor([float('nan'),-1.,3.],requires_grad=True); "
                     "(z.relu()+z.clamp(0.,1.)+T.maximum(z,T.tensor(0.))).sum().backward(); "
                     "out=[x.grad,y.grad,z.grad]",
    "written slices": "x=T.tensor([1.,2.,3.],requires_grad=True); out=T.zeros(3); "
                      "[out.__setitem__(i, x[i]*2) for i in range(3)]; "
                      "v=T.tensor(3.,requires_grad=True); y=x*1; y[1:]=v*2; y[0]=5.; "
                      "(out*T.tensor([1.,2.,3.])+y).sum().backward(); "
                      "out=[x.grad,v.grad,y,out,y.grad_fn.name(),y.grad_fn.next_functions[1][0],"
                      "out.is_leaf]",
    "written places": "x=T.tensor([1.,2.,3.,4.],requires_grad=True); v=T.tensor([1.,2.],"
                      "requires_grad=True); y=x*1; y[T.tensor([0,0])]=v; z=x*1; "
                      "z[T.tensor([True,False,True,False])]=v*10; m=T.zeros(2,3); m[:,1]=x[:2]; "
                      "(y*T.tensor([1.,2.,3.,4.])+z).sum().backward(); m.sum().backward(); "
                      "out=[x.grad,v.grad,y,z,m,y.grad_fn.name(),z.grad_fn.name(),m.grad_fn.name()]",
    "ignore index": "x=T.tensor([[1.,2.,3.],[4.,5.,6.],[0.5,0.1,-1.]],requires_grad=True); "
                    "t=T.tensor([0,-100,2]); w=T.tensor([1.,2.,3.]); "
                    "ls=[F.cross_entropy(x,t,reduction=r) for r in ('mean','sum','none')]; "
                    "ls+=[F.cross_entropy(x,T.tensor([1,1,2]),ignore_index=1),"
                    "F.nll_loss(x,T.tensor([0,5,2]),weight=w,ignore_index=5),"
                    "F.cross_entropy(x,t,weight=w)]; sum(l.sum() for l in ls).backward(); "
                    "a=T.tensor([1.,2.],requires_grad=True); "
                    "e=[F.nll_loss(a,T.tensor(-100),reduction=r) for r in ('mean','sum','none')];"
                    " e[1].backward(); z=x.detach().requires_grad_(); "
                    "n=F.nll_loss(z,T.tensor([-100,-100,-100])); n.backward(); "
                    "out=ls+e+[x.grad,a.grad,n,z.grad]",
    "label smoothing": "x=T.tensor([[1.,2.,3.],[4.,5.,6.],[0.5,0.1,-1.]],requires_grad=True); "
                       "w=T.tensor([1.,2.,3.]); t=T.tensor([0,1,2]); "
                       "ls=[F.cross_entropy(x,t,label_smoothing=0.1,reduction=r,**k) "
                       "for k in ({},{'weight':w},{'ignore_index':1},"
                       "{'weight':w,'ignore_index':2}) for r in ('mean','sum','none')]; "
                       "ls+=[F.cross_entropy(x,T.tensor([[0.2,0.3,0.5]]*3),label_smoothing=0.2),"
                       "F.cross_entropy(T.tensor([1.,2.,.5],requires_grad=True),T.tensor(2),"
                       "label_smoothing=0.3)]; sum(l.sum() for l in ls).backward(); "
                       "out=ls+[x.grad]+[l.grad_fn.name() for l in ls]",
    "written views": "x=T.tensor([1.,2.,3.],requires_grad=True); y=x*1; v=y[0:2]; y[1]=5.; "
                     "out=T.zeros(2,2); out[0][1]=x[2]*3; m=x*1; w=m.view(3); w[0]=7.; "
                     "n=x*1; t=n.view(3,1).t(); t[0,1]=9.; "
                     "((v*T.tensor([1.,10.])).sum()+out.sum()+(w*m).sum()+(t*2).sum()).backward();"
                     " out=[x.grad,v,out,m,w,n,t]+[a.grad_fn.name() for a in (v,out,m,w,n,t)]",
    "view after in-place op": "x=T.tensor([1.,2.,3.],requires_grad=True); y=x*1; v=y[0:2]; "
                              "y.mul_(2); z=x*1; u=z.t(); z.exp_(); "
                              "((v*T.tensor([1.,10.])).sum()+u.sum()).backward(); "
                              "out=[x.grad,v,u,v.grad_fn.name(),u.grad_fn.name()]",
    "fill and views in place": "x=T.tensor([1.,2.,3.],requires_grad=True); a=x*1; a.fill_(2.); "
                               "b=x*1; b.zero_(); s=T.tensor(2.,requires_grad=True); c=x*1; "
                               "c.fill_(s); d=x*1; v=d[0:2]; v.fill_(0.); e=x*1; u=e[1:]; "
                               "u.sin_(); w=e.view(3,1)[0]; w.add_(1.); f=x*1; f[0:2].mul_(3); "
                               "(a.sum()+(b+x).sum()+(c*T.tensor([1.,2.,3.])).sum()+d.sum()"
                               "+(e*T.tensor([1.,10.,100.])).sum()+(f*f).sum()).backward(); "
                               "out=[x.grad,s.grad,a,b,c,d,e,f,v,u,w]+[t.grad_fn.name() for t in "
                               "(a,b,c,d,e,f,v,u,w)]",
    "relu negative zero": "x=T.tensor([-1.,2.],requires_grad=True); "
                          "(x*T.tensor([-1.,1])).relu().sum().backward(); out=[x.grad]",
    "division by zero": "x=T.tensor([1.,0.,-1.]); out=[x/0, x.log(), (x*0).sqrt()]",
    "pow special exponents": "n,i=float('nan'),float('inf'); "
                             "x=T.tensor([-0.,-i,0.,3e38,2.,-2.5,n],requires_grad=True); "
                             "ys=[x.pow(e) for e in (0.5,-0.5,1.5,2,3,-1,-2,0,1)]; "
                             "sum(y.sum() for y in ys).backward(); "
                             "z=T.tensor(-0.,dtype=T.float64,requires_grad=True); "
                             "w=z**0.5+z**-0.5+z**1.5; w.backward(); out=ys+[x.grad,w,z.grad]",
    "pow tensor edges": "n,i=float('nan'),float('inf'); v=[n,i,-i,0.,-0.,1e-45,-2.5,0.5,2.]; "
                        "a=T.tensor([p for p in v for q in v],requires_grad=True); "
                        "b=T.tensor([q for p in v for q in v],requires_grad=True); "
                        "y=a**b; y.sum().backward(); s=T.tensor(-i,requires_grad=True); "
                        "e=T.tensor(.5,requires_grad=True); z=s**e; z.backward(); "
                        "out=[y,a.grad,b.grad,z,s.grad,e.grad]",
    "pow number base": "v=[float('nan'),float('inf'),0.,-0.,1e-45,-2.5,.5,2.]; "
                       "xs=[T.tensor(v,dtype=d,requires_grad=True) for d in (T.float32,T.float64)"
                       " for b in (0,-0.,1e-45,-float('inf'),3)]; "
                       "ys=[b**x for x,b in zip(xs,(0,-0.,1e-45,-float('inf'),3)*2)]; "
                       "[y.sum().backward() for y in ys]; out=ys+[x.grad for x in xs]",
    "integer negative powers": "x=T.tensor([-7,-3,-1,0,1,2,5]); y=T.tensor([-3,-2,-1,0,1,2,3]); "
                               "out=[x**y, y**x, 0**x, (-2)**x, 3**y, x.pow(y), T.tensor(2)**-y]",
    "reductions at nan and zero": "n=float('nan'); xs=[T.tensor(v,requires_grad=True) for v in "
                                  "([n,1.,2.],[1.,n],n,[0.,-0.],[-0.,-0.],[0.,2.,0.])]; "
                                  "ys=[xs[0].max(),xs[1].min(),xs[2].max(),xs[3].prod(),"
                                  "xs[4].prod()*xs[4].cumsum(0).sum(),xs[5].prod()]; "
                                  "[y.backward() for y in ys]; out=ys+[x.grad for x in xs]+"
                                  "[T.tensor([-0.,-0.]).cumsum(0),T.tensor([-0.]).cumsum(0)]",
    "0-d max along a dim": "x=T.tensor(2.,requires_grad=True); y=x.max(0,keepdim=True); "
                           "z=x.min(dim=0); (y[0]+z.values).backward(); out=[y,z,x.grad]",
    "var std overflow": "x=T.tensor([3e38,3e38],requires_grad=True); "
                        "y=[x.var(),x.std(),x.var(0),x.std(unbiased=False)]; "
                        "z=T.tensor([-0.],requires_grad=True); w=z.var(0); w.backward(); "
                        "out=y+[w,z.grad,T.tensor([[3e38,3e38]]).var(1)]",
    "float32 norm range": "xs=[T.tensor(v,requires_grad=True) for v in ([1e-45,1e-45],[2e19,2e19],"
                          "[0.,0.,2.],1e-45,[1e-45],[[1e-45],[2.]])]; "
                          "ys=[xs[0].norm(),xs[1].norm(),xs[2].norm(p=0.5),xs[3].norm(),"
                          "xs[4].norm(p=3),xs[5].norm(dim=1),xs[0].norm(p=3),xs[2].norm(p=1.5)]; "
                          "[y.sum().backward() for y in ys]; out=ys+[x.grad for x in xs]",
    "norm gradient powers": "xs=[T.tensor(v,dtype=T.float64,requires_grad=True) for v in "
                            "([0.,0.,2.],0.5,1e-45,[1.,-2.,3.])]; ys=[xs[0].norm(p=0.5),"
                            "xs[1].norm(p=0.5),xs[2].norm(p=3),xs[3].norm(p=3)]; "
                            "[y.backward() for y in ys]; out=ys+[x.grad for x in xs]",
    "linalg vector_norm": "n,i=float('nan'),float('inf'); x=T.tensor([[3.,-4.],[n,0.]],"
                          "requires_grad=True); v=T.linalg.vector_norm; ys=[v(x),v(x,1,dim=1),"
                          "v(x,ord=i,dim=0,keepdim=True),v(x[0],-i),v(x[0],0.5),v(x,3,(0,1)),"
                          "v(x[0],dtype=T.float64),v(x[1:],i),v(T.tensor([i,-i]))]; "
                          "sum(y.sum() for y in ys).backward(); "
                          "out=ys+[x.grad]+[y.grad_fn.name() for y in ys[:-1]]",
    "norm over a dim of a 0-d tensor": "xs=[T.tensor(v,requires_grad=True) for v in "
                                       "(1e-45,3e38,-2.)]; v=T.linalg.vector_norm; "
                                       "ys=[f(x) for x in xs for f in (lambda x: x.norm(dim=0),"
                                       "lambda x: x.norm(dim=-1,keepdim=True),lambda x: x.norm(),"
                                       "lambda x: v(x,dim=()),lambda x: v(x,3,dim=0),"
                                       "lambda x: v(x,0.5,dim=0),lambda x: v(x,-1,dim=0),"
                                       "lambda x: v(x.reshape(1),dim=0))]; sum(ys).backward(); "
                                       "out=ys+[x.grad for x in xs]",
    "signed zero ties by block": "z=T.zeros(40); n=-z; h=T.tensor(0.,dtype=T.float64); "
                                 "out=[T.maximum(n,z),T.minimum(z,n),T.maximum(n[:13].double(),h),"
                                 "T.minimum(n[:13].double(),h),n.clamp(min=z),n.clamp(max=z),"
                                 "n.clamp(z,z),z.clamp(n,n+1),T.maximum(n.view(4,10),z[:10]),"
                                 "T.maximum(n.view(10,4).t(),z.view(4,10)),n.max(z),z.min(n),"
                                 "T.maximum(n[::2],z[:20]),T.maximum(n.view(2,20),T.tensor(0.))]",
    "remainder by block": "x=T.tensor([3e38,-2.5]*10,requires_grad=True); "
                          "y=T.tensor([1e300,3e-12]*5,dtype=T.float64); "
                          "r=[x%1e-45,x%0.5,x[:2]%0.5,1e-45%x.detach(),x%T.full((20,),1e-45),"
                          "y%5e-324,y%T.full((10,),1e-300,dtype=T.float64)]; "
                          "r[4].sum().backward(); out=r+[x.grad]",
    "add alpha by block": "x=T.full((21,),-3e38,requires_grad=True); "
                          "a=T.full((13,),0.8357651039198697,dtype=T.float64); "
                          "b=0.43276706790505337; "
                          "ys=[x.add(3e38,alpha=2),x.sub(3e38,alpha=-2),x.add(T.full((21,),3e38),"
                          "alpha=2),T.tensor(-3e38).add(x,alpha=-2),x[:13].add(3e38,alpha=2),"
                          "T.full((13,),1e-45).sub(1e-45,alpha=-0.5)]; "
                          "sum(y.sum() for y in ys[:5]).backward(); "
                          "out=ys+[x.grad,a.add(b,alpha=3).tolist(),a.add(T.full((13,),b,"
                          "dtype=T.float64),alpha=3).tolist(),a.view(13,1).add(b,alpha=3).tolist(),"
                          "(-a*0).add(-0.,alpha=2),(-a[0]*0).sub(a[0]*0,alpha=0.5),"
                          "(-x[:13]*0).add(-0.,alpha=2)]",
    "softmax along the last dim": "x=T.tensor([0.,1.,2.],dtype=T.float64,requires_grad=True); "
                                  "m=T.tensor([[0.,1.],[1.,2.],[2.,0.]],dtype=T.float64); "
                                  "y=x.softmax(0); y.sum().backward(); "
                                  "out=[y.tolist(),x.grad,m.softmax(0).tolist(),"
                                  "m.softmax(1).tolist(),F.softmax(m,-1).tolist()]",
    "loss and division ties": "a=T.tensor([0.,-0.,1e-45,2.],requires_grad=True); "
                              "b=T.tensor([0.,-0.,1e-45,1e-45],requires_grad=True); "
                              "y=F.mse_loss(a,b,reduction='none'); y.sum().backward(); "
                              "c=T.tensor([0.,-0.],requires_grad=True); "
                              "d=T.tensor([1e-45,1e-45],requires_grad=True); "
                              "(c/d).sum().backward(); out=[y,a.grad,b.grad,c.grad,d.grad]",
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
    # the second batch of ops: functions, reductions, in place, F, autograd
    'arith fns': 'x=T.tensor([[1.5,-2.],[3.,0.5]],requires_grad=True); v=T.tensor([2.,-3.]); '
                 'y=T.add(x,v,alpha=2)+T.sub(x,1.5,alpha=3)+T.mul(x,v)+T.div(x,v)+T.add(2,x); '
                 'y.sum().backward(); out=[y, x.grad, T.add(x,v).grad_fn.name(), '
                 'T.sub(x,v,alpha=2).grad_fn.name(), T.add(x,2,alpha=3)]',
    'int alpha': 'i=T.tensor([1,2]); out=[T.add(i,i,alpha=3), T.sub(i,3,alpha=2), i.add(i, '
                 'alpha=-1)]',
    'comparisons fn': 'x=T.tensor([1.,2.,3.]); out=[T.eq(x,2), T.ne(x,x), T.lt(x,2.5), '
                      'T.le(x,2), T.gt(x,T.tensor([0.,5.,1.])), T.ge(x,3), x.eq(2), x.ge(x), '
                      'x.lt(T.tensor(2))]',
    'predicates': "x=T.tensor([1.,float('nan'),float('inf'),-float('inf')]); i=T.tensor([1,2]); "
                  'out=[T.isnan(x), T.isinf(x), x.isnan(), T.isnan(i), T.isinf(i), '
                  'T.is_tensor(x), T.is_tensor([1]), T.numel(x), T.numel(T.ones(2,3))]',
    'isclose': "a=T.tensor([1.,2.,float('nan'),float('inf')]); b=a+1e-6; out=[T.isclose(a,b), "
               'T.isclose(a,a,equal_nan=True), T.allclose(a[:2],b[:2]), T.allclose(a,a), '
               'T.allclose(a,a,equal_nan=True), T.equal(a[:2],b[:2]), T.equal(a[:2],a[:2]), '
               'a.isclose(b, rtol=0, atol=0), T.isclose(T.tensor([1,2]),T.tensor([1,3])), '
               'T.allclose(T.tensor([1.,1.]),T.tensor(1.)), T.equal(T.tensor([1,2]), '
               'T.tensor([1.,2.])), T.equal(T.ones(2), T.ones(3))]',
    'outer bmm': 'a=T.tensor([1.,2.,3.],requires_grad=True); '
                 'b=T.tensor([4.,5.],requires_grad=True); m=T.ones(2,2,3,requires_grad=True); '
                 'n=T.ones(2,3,2); y=T.outer(a,b); z=T.bmm(m,n); (y.sum()+z.sum()).backward(); '
                 'out=[y,z,a.grad,b.grad,m.grad,y.grad_fn.name(),z.grad_fn.name(),'
                 'y.grad_fn.next_functions[0][0].name(), a.outer(b), m.bmm(n).shape]',
    'prod': 'x=T.tensor([[1.,2.,3.],[4.,0.,6.]],requires_grad=True); y=T.prod(x)+x.prod(1).sum()+'
            'x.prod(0,keepdim=True).sum()+x[0].prod(); y.backward(); out=[y, x.grad, '
            'x.prod(1).grad_fn.name(), x.prod().grad_fn.name(), T.tensor([1,2,3]).prod(), '
            'T.tensor([True,False]).prod(), T.tensor([1,2],dtype=T.int32).prod(0), '
            'x.prod(dtype=T.float64)]',
    'prod two zeros': 'x=T.tensor([0.,2.,0.],requires_grad=True); x.prod().backward(); '
                      'out=[x.grad]',
    'var std': 'x=T.tensor([[1.,2.,4.],[3.,-1.,0.5]],requires_grad=True); y=x.var()+x.std()+'
               'x.var(1).sum()+x.std(0,keepdim=True).sum()+T.var(x,correction=0)+'
               'T.std(x,1,False).sum()+x.var(dim=1,unbiased=False,keepdim=True).sum()+'
               'x.std(False)+T.var(x,(0,1)); y.backward(); out=[y, x.grad, '
               'x.var().grad_fn.name(), x.std(1).grad_fn.name(), x.var(keepdim=True), '
               'x.var(correction=2), x.var(1,correction=2)]',
    'var warn': 'x=T.tensor([1.],requires_grad=True); y=x.var(); y.backward(); out=[y, x.grad, '
                'T.tensor([]).std()]',
    'var dim warn': 'x=T.ones(2,1); out=[x.std(1), x.var(1,keepdim=True)]',
    'std 0d': 'x=T.tensor(2.,requires_grad=True); y=x.std(); out=[y, x.var(0), '
              'x.std(correction=0)]',
    'norm': 'x=T.tensor([[3.,-4.],[1.,0.]],requires_grad=True); y=x.norm()+T.norm(x,dim=1).sum()+'
            "x.norm(1)+x.norm(p=1,dim=0).sum()+x.norm(float('inf'))+x.norm(3,1).sum()+"
            "x.norm('fro')+x.norm(dim=(0,1))+x.norm(0.5)+x.norm(dim=1,keepdim=True).sum(); "
            'y.backward(); out=[y, x.grad, x.norm().grad_fn.name(), x.norm(0), '
            "x.norm(-float('inf')), x.norm(2, dim=-1)]",
    'norm zero': 'x=T.zeros(2,requires_grad=True); y=x.norm(); y.backward(); out=[y, x.grad]',
    'norm p0': 'x=T.tensor([1.,0.],requires_grad=True); y=x.norm(0)+x.sum(); y.backward(); '
               'out=[y, x.grad]',
    'cumsum': 'x=T.tensor([[1.,2.,3.],[4.,5.,6.]],requires_grad=True); '
              'y=(x.cumsum(1)*T.tensor([1.,2.,3.])).sum()+T.cumsum(x,0).sum(); y.backward(); '
              'out=[y, x.grad, x.cumsum(0).grad_fn.name(), T.tensor([1,2,3]).cumsum(0), '
              'T.tensor([True,True]).cumsum(0), T.tensor(2.).cumsum(0), '
              'T.tensor([1,2]).cumsum(0,dtype=T.float32), x.cumsum(-1)]',
    'logsumexp': 'x=T.tensor([[1.,2.,3.],[4.,5.,6.]],requires_grad=True); y=x.logsumexp(1).sum()+'
                 'T.logsumexp(x,(0,1))+x.logsumexp(0,keepdim=True).sum(); y.backward(); out=[y, '
                 'x.grad, x.logsumexp(1).grad_fn.name(), T.logsumexp(T.tensor([1,2]),0), '
                 "T.logsumexp(T.tensor([-float('inf'),-float('inf')]),0), "
                 "T.logsumexp(T.tensor([float('inf'),1.]),0)]",
    'rounding': 'x=T.tensor([1.5,-2.5,0.4,-0.6,2.],requires_grad=True); y=x.floor()+x.ceil()+'
                'x.round()+x.sign()+T.round(x,decimals=1)+T.floor(x); y.sum().backward(); '
                'out=[x.floor(),x.ceil(),x.round(),x.sign(),x.round(decimals=1),'
                'T.round(T.tensor([0.125,1.15,-0.05]),decimals=2), '
                'T.round(T.tensor([1234.5]),decimals=-2), x.grad, x.floor().grad_fn.name(), '
                'x.ceil().grad_fn.name(), x.round().grad_fn.name(), '
                'x.round(decimals=1).grad_fn.name(), x.sign().grad_fn.name(), T.round(x, '
                'decimals=0).grad_fn.name()]',
    'rounding ints': 'i=T.tensor([1,-2,3]); out=[i.floor(), i.ceil(), i.round(), i.sign(), '
                     "T.tensor([True,False]).sign(), T.sign(T.tensor([-0.,0.,float('nan')]))]",
    'trig logs': 'x=T.tensor([0.5,2.,3.],requires_grad=True); y=(x.log2()+T.log10(x)+'
                 'x.tan()).sum(); y.backward(); out=[y,x.grad,x.log2().grad_fn.name(),'
                 'x.log10().grad_fn.name(),x.tan().grad_fn.name(), T.log2(T.tensor([1,8])), '
                 'T.tan(T.tensor(1))]',
    'floordiv mod': 'x=T.tensor([[1.,-2.,3.],[0.5,2.5,-1.5]]); i=T.tensor([[1,-2,3],[4,5,-6]]); '
                    'out=[x//2, x//-2, i//2, i//-4, -7//T.tensor(2), i//2.5, x % 2, x % -2, '
                    'i % 4, i % -4, 7 % T.tensor([2,-3]), i % 2.5, x//0, x%0, '
                    'T.floor_divide(x,2), T.remainder(x,-1.5), x.remainder(2), '
                    'x.floor_divide(x), 5.5 // x, 2 % x, T.remainder(2, x)]',
    'floordiv grad': 'x=T.tensor([1.5,-2.],requires_grad=True); y=x//2; out=[y, '
                     'y.grad_fn.name(), y.requires_grad, (2.//x).grad_fn.name(), '
                     '(x%1.5).grad_fn.name(), (x%x).grad_fn.name(), (1.5%x).grad_fn.name()]',
    'mod grad': 'x=T.tensor([1.5,-2.5],requires_grad=True); '
                'w=T.tensor([0.7,1.1],requires_grad=True); y=(x%w).sum()+(x%0.4).sum(); '
                'y.backward(); out=[y,x.grad,w.grad]',
    'ifloordiv imod': 'x=T.tensor([5.,7.]); x//=2; i=T.tensor([5,7]); i%=3; out=[x,i]',
    'repeat': 'x=T.tensor([[1.,2.],[3.,4.]],requires_grad=True); y=x.repeat(2,3); '
              'z=T.tensor([1.,2.],requires_grad=True).repeat(2,2); '
              '(y*T.arange(24.).view(4,6)).sum().backward(); out=[y, x.grad, y.grad_fn.name(), '
              'z, x.repeat((1,1,2)).shape, T.tensor(1.).repeat(3), x.repeat(1,0)]',
    'view_as reshape_as': 'x=T.arange(6.).requires_grad_(); y=x.view_as(T.ones(2,3)); '
                          'z=x.reshape_as(T.ones(3,2)); w=y.t().reshape_as(x); '
                          'out=[y,z,w,y.grad_fn.name(),z.grad_fn.name(),w.grad_fn.name(), '
                          'x.view(2,3)[:,1].reshape(2,1).grad_fn.name(), '
                          'x.view(2,3)[:,1].view(1,2)]',
    'where method': 'x=T.tensor([1.,-2.,3.],requires_grad=True); y=x.where(x>0, T.tensor(0.)); '
                    'z=x.where(x<0, 5.); (y+z).sum().backward(); '
                    'out=[y,z,x.grad,y.grad_fn.name()]',
    'masked_fill': 'x=T.tensor([[1.,-2.,3.],[0.5,2.5,-1.5]],requires_grad=True); '
                   'y=x.masked_fill(x>1, 0.); z=x.masked_fill(T.tensor([True,False,True]),7); '
                   'v=T.tensor(2.,requires_grad=True); w=x.masked_fill(x<0, v); (y+z+'
                   'w).sum().backward(); '
                   'out=[y,z,w,x.grad,v.grad,y.grad_fn.name(),w.grad_fn.name(), '
                   'T.tensor([1,2,3]).masked_fill(T.tensor([True,False,True]),1.5), '
                   'T.tensor([1.,2.,3.]).masked_fill(x>0, 7), '
                   'x.masked_fill(x>0,T.tensor(3.)).grad_fn.name()]',
    'type_as': 'x=T.tensor([1.,2.],requires_grad=True); i=T.tensor([1,2]); out=[i.type_as(x), '
               'x.type_as(i), x.type_as(T.ones(1,dtype=T.float64)), x.type_as(x) is x, '
               'x.type_as(T.ones(1,dtype=T.float64)).grad_fn.name()]',
    'format': "x=T.tensor([1.,2.]); out=[f'{x}', f'{T.tensor(1.5):.2f}', format(x, '')]",
    'tensor range': 'out=[T.tensor(range(3)), T.tensor([range(2), range(2)]), T.tensor(range(3), '
                    'dtype=T.float32), T.tensor(range(0))]',
    'inplace unary': "x=T.tensor([1.5,-2.,0.5],requires_grad=True); ys=[]\nfor n in ['exp_',"
                     "'relu_','sigmoid_','tanh_','neg_','abs_','sqrt_','log_','sin_','cos_']:\n"
                     '    y=x*1; getattr(y,n)(); ys.append(y)\n'
                     '(sum(y.sum() for y in ys)).backward(); out=ys+[x.grad]+'
                     '[y.grad_fn.name() for y in ys]',
    'inplace clamp pow': 'x=T.tensor([1.5,-2.,0.5],requires_grad=True); a=x*1; a.clamp_(0,1); '
                         'b=x*1; b.clamp_(min=0); c=x*1; c.pow_(2); d=x*1; d.pow_(T.tensor(3.)); '
                         'e=x*1; e.clip_(max=0.7); f=x*1; f.masked_fill_(f>1, 0.); g=x*1; '
                         'g.clamp_min_(0.); (a+b+c+d+e+f+g).sum().backward(); '
                         'out=[a,b,c,d,e,f,g,x.grad]',
    'inplace int': 'i=T.tensor([1,-2]); i.relu_(); i.abs_(); i.neg_(); i.clamp_(0,5); i.pow_(2); '
                   'out=[i]',
    'exp_ no_grad leaf': 'x=T.tensor([1.,2.],requires_grad=True)\nwith T.no_grad():\n'
                         '    x.exp_()\nout=[x]',
    'abs_ then add_': 'x=T.tensor([1.5,-2.,0.],requires_grad=True); y=x*1; y.abs_(); y.add_(1); '
                      'y.sum().backward(); out=[x.grad, y]',
    'mul_ saves original': 'x=T.tensor([1.,2.],requires_grad=True); '
                           'c=T.tensor([3.,4.],requires_grad=True); y=x*1; y*=c; '
                           'y.sum().backward(); out=[c.grad, x.grad, y]',
    'pow_ saves original': 'x=T.tensor([1.,2.],requires_grad=True); y=x+1; y.pow_(2); '
                           'y.sum().backward(); out=[x.grad, y]',
    'inplace versions': 'x=T.tensor([1.,2.],requires_grad=True); y=x*1; v0=y._version; y.exp_(); '
                        'y.tanh_(); out=[y._version-v0, y]',
    'add_ alpha': 'x=T.tensor([1.,2.]); x.add_(T.tensor([1.,1.]), alpha=3); x.sub_(1, '
                  'alpha=0.5); out=[x]',
    'eq list': 'out=[T.tensor([1.,2.])==[1.,2.], T.tensor([1.])!=None, T.tensor([1.])==None]',
    'inplace broadcast ok': 'x=T.ones(2,2); x+=T.ones(2); out=[x]',
    'F activations': 'x=T.tensor([[1.5,-2.,0.3],[0.,-0.7,4.]],requires_grad=True); '
                     'ys=[F.leaky_relu(x), F.leaky_relu(x,0.2), F.gelu(x), '
                     "F.gelu(x,approximate='tanh'), F.silu(x), F.softplus(x), "
                     'F.softplus(x,beta=2,threshold=1), F.relu(x), F.sigmoid(x), F.tanh(x)]; '
                     'sum(y.sum() for y in ys).backward(); out=ys+[x.grad]+'
                     '[y.grad_fn.name() for y in ys]',
    'F inplace': 'x=T.tensor([1.5,-2.,0.3],requires_grad=True); a=x*1; '
                 'F.leaky_relu(a,0.1,inplace=True); b=x*1; F.relu(b,inplace=True); c=x*1; '
                 'F.silu(c,inplace=True); (a+b+c).sum().backward(); '
                 'out=[a,b,c,x.grad,a.grad_fn.name(),b.grad_fn.name(),c.grad_fn.name()]',
    'F l1': 'x=T.tensor([[1.,2.],[3.,4.]],requires_grad=True); t=T.tensor([[0.,2.5],[3.,5.]]); '
            "ys=[F.l1_loss(x,t), F.l1_loss(x,t,reduction='sum'), "
            "F.l1_loss(x,t,reduction='none')]; sum(y.sum() for y in ys).backward(); out=ys+"
            '[x.grad, ys[0].grad_fn.name(), ys[0].grad_fn.next_functions[0][0].name()]',
    'F l1 size': 'x=T.tensor([1.,2.],requires_grad=True); y=F.l1_loss(x,T.tensor([[1.],[3.]])); '
                 'y.backward(); out=[y,x.grad,'
                 'y.grad_fn.next_functions[0][0].next_functions[0][0].next_functions[0][0].name()]',
    'F one_hot': 'out=[F.one_hot(T.tensor([0,2])), F.one_hot(T.tensor([0,2]),4), '
                 'F.one_hot(T.tensor(1),3), F.one_hot(T.tensor([[1],[0]]),3), '
                 'F.one_hot(T.tensor([],dtype=T.long),3)]',
    'F normalize': 'x=T.tensor([[3.,4.],[0.,0.],[1.,-1.]],requires_grad=True); y=F.normalize(x); '
                   'z=F.normalize(x,dim=0,p=1); (y.sum()+'
                   '(z*T.tensor([1.,2.])).sum()).backward(); out=[y,z,x.grad,y.grad_fn.name(),'
                   'y.grad_fn.next_functions[1][0].name(),'
                   'y.grad_fn.next_functions[1][0].next_functions[0][0].name()]',
    'F bce logits': 'x=T.tensor([[1.5,-2.,0.3],[0.,-0.7,4.]],requires_grad=True); '
                    't=T.tensor([[1.,0.,1.],[0.5,0.,1.]],requires_grad=True); '
                    'ys=[F.binary_cross_entropy_with_logits(x,t), '
                    "F.binary_cross_entropy_with_logits(x,t,reduction='sum'), "
                    "F.binary_cross_entropy_with_logits(x,t,reduction='none'), "
                    'F.binary_cross_entropy_with_logits(x,t,weight=T.tensor([1.,2.,3.]),'
                    'pos_weight=T.tensor([2.,1.,0.5]))]; sum(y.sum() for y in ys).backward(); '
                    'out=ys+[x.grad,t.grad,ys[0].grad_fn.name()]',
    'F bce logits big': 'x=T.tensor([100.,-100.],requires_grad=True); '
                        'y=F.binary_cross_entropy_with_logits(x,T.tensor([0.,1.])); '
                        'y.backward(); out=[y,x.grad]',
    'autograd grad': 'x=T.tensor([1.,2.],requires_grad=True); w=T.tensor(3.,requires_grad=True); '
                     'y=(x*w).sum(); g=T.autograd.grad(y,[x,w]); out=[g, x.grad, w.grad, '
                     'type(g).__name__]',
    'autograd grad nonleaf': 'x=T.tensor([1.,2.],requires_grad=True); y=x*2; y.retain_grad(); '
                             'z=(y*y).sum(); out=[T.autograd.grad(z,y), y.grad, x.grad]',
    'autograd grad retain': 'x=T.tensor([1.,2.],requires_grad=True); y=x*2; y.retain_grad(); '
                            'out=[T.autograd.grad((y*y).sum(),x), y.grad]',
    'autograd unused allowed': 'x=T.tensor([1.,2.],requires_grad=True); '
                               'w=T.tensor(3.,requires_grad=True); '
                               'out=[T.autograd.grad((x*x).sum(),[x,w],allow_unused=True), '
                               'T.autograd.grad((x*x).sum(),[x,w],allow_unused=True,'
                               'materialize_grads=True)]',
    'autograd grad_outputs': 'x=T.tensor([1.,2.],requires_grad=True); '
                             'out=[T.autograd.grad(x*x,x,T.tensor([1.,10.])), '
                             'T.autograd.grad([x*x],[x],[T.tensor([1.,10.])]), '
                             'T.autograd.grad([(x*x).sum(),(x*3).sum()],x), '
                             'T.autograd.grad(x,x,T.ones(2)), '
                             'T.autograd.grad(((x*x).sum(),),(x,))]',
    'autograd retain_graph': 'x=T.tensor([1.,2.],requires_grad=True); z=(x*x).sum(); '
                             'out=[T.autograd.grad(z,x,retain_graph=True), T.autograd.grad(z,x)]',
    'autograd hook': 'x=T.tensor([1.,2.],requires_grad=True); h=[]; '
                     'x.register_hook(lambda g: h.append(g) or g*10); '
                     'out=[T.autograd.grad((x*x).sum(),x), h, x.grad]',
    'autograd backward': 'w=T.tensor(3.,requires_grad=True); '
                         'x=T.tensor([1.,2.],requires_grad=True); T.autograd.backward(w*w); '
                         'T.autograd.backward([w*w, w*3]); '
                         'T.autograd.backward([x*x],[T.ones(2)]); out=[w.grad, x.grad]',
    'autograd prune': 'x=T.tensor([1.,2.],requires_grad=True); '
                      'w=T.tensor([3.,4.],requires_grad=True); c=T.tensor([1.,1.]); '
                      'y=(x*c).sum()+(w*w).sum(); c.add_(1); out=[T.autograd.grad(y,w), x.grad, '
                      'w.grad]',
    # argument parsing, out=, rounding modes, tensor bounds
    'clamp tensor bounds': 'x=T.tensor([1.,5.,2.],requires_grad=True); '
                           'lo=T.tensor([2.,2.,2.],requires_grad=True); '
                           'hi=T.tensor(4.,requires_grad=True); y=T.clamp(x,lo,hi); '
                           'y.sum().backward(); out=[y,x.grad,lo.grad,hi.grad,y.grad_fn.name(),'
                           'T.clamp(x,min=lo).grad_fn.name(),x.clamp(max=hi).grad_fn.name(),'
                           'T.clamp(T.tensor([1,5]),T.tensor(2.)),T.clamp(T.tensor([1,5]),2.5,4)]',
    'div rounding': 'x=T.tensor([5.5,-5.5,0.],requires_grad=True); '
                    "y=T.div(x,2,rounding_mode='floor')+"
                    "x.div(T.tensor([2.,2.,3.]),rounding_mode='trunc'); y.sum().backward(); "
                    'out=[y,x.grad,y.grad_fn.name(),T.div(T.tensor([5,-5]),2,'
                    "rounding_mode='trunc'),T.div(T.tensor([5,-5]),2,rounding_mode='floor')]",
    'out=': 'a=T.ones(2,2); c=T.zeros(2,2); r=T.mul(a,2,out=c); out=[r is c, c, '
            'T.exp(a,out=T.zeros(0)), T.sum(a,0,out=T.zeros(2))]',
    'out= resize': 'a=T.ones(2,2); out=[T.add(a,1,out=T.zeros(2))]',
    'addmm beta alpha': 'b=T.tensor([1.,2.],requires_grad=True); '
                        'm=T.tensor([[1.,2.],[3.,4.]],requires_grad=True); '
                        'n=T.eye(2,requires_grad=True); y=T.addmm(b,m,n,beta=0.5,alpha=2); '
                        'y.sum().backward(); out=[y,b.grad,m.grad,n.grad,y.grad_fn.name()]',
    'where one arg': 'out=[T.where(T.tensor([[True,False],[False,True]])), '
                     'T.where(T.tensor(True))]',
    'linear 3d': 'x=T.ones(2,3,4,requires_grad=True); w=T.ones(5,4,requires_grad=True); '
                 'b=T.zeros(5,requires_grad=True); y=F.linear(x,w,b); y.sum().backward(); '
                 'out=[y.shape,y.grad_fn.name(),y.grad_fn.next_functions[0][0].name(),x.grad,'
                 'b.grad]',
    'linear transposed input': 'x=T.ones(4,3,requires_grad=True); w=T.ones(5,4); '
                               'y=F.linear(x.t(),w,T.zeros(5)); out=[y.grad_fn.name(), '
                               'F.linear(x.t()[0],w).grad_fn.name()]',
    'deprecated add': 'x=T.ones(2); out=[T.add(x,2,x), x.add(T.tensor(2.),x)]',
    'numpy names': 'x=T.tensor([[1.,2.],[3.,4.]]); out=[T.sum(x,axis=0,keepdims=True), '
                   'x.mean(axis=1), T.max(x,axis=1)]',
    'keyword names': 'x=T.tensor([1.,2.]); out=[T.add(input=x,other=x,alpha=2), '
                     'T.mul(x,other=3), x.sum(dim=0), T.clamp(x,min=1.5)]',
    'softmax dtype': 'x=T.ones(2).softmax(0, dtype=T.float64); out=[x]',
    'to number': 'x=T.ones(2); out=[x.to(2.5), x.to(True), x.to(T.ones(1,dtype=T.long)), '
                 "x.to('cpu'), x.to(dtype=T.float64)]",
    'int dtype arg': 'x=T.tensor([1.5,2.5]); out=[x.to(float), x.to(int), '
                     'T.ones(2).sum(dtype=int)]',
    'clamp int promotes': 'out=[T.tensor([1,2]).clamp(min=0.5), '
                          'T.tensor([True,False]).clamp(0,1)]',
    'pow bool': 'b=T.tensor([True,False]); out=[b**True, b**False, b**2]',
    'argmax keepdim': 'x=T.tensor([[1.,3.],[2.,0.]]); out=[x.argmax(keepdim=True), '
                      'x.argmin(None,True), x.sum(None,True), x.mean(None,True)]',
    'fill_ tensor': 'x=T.zeros(2); x.fill_(T.tensor(3.)); out=[x]',
    'copy_ number': 'x=T.zeros(2); x.copy_(3); out=[x]',
    'F ce 1d': 'x=T.tensor([1.,2.,3.],requires_grad=True); y=F.cross_entropy(x, T.tensor(2)); '
               'y.backward(); out=[y, x.grad]',
    'F ce probs mean': 'x=T.tensor([[1.,2.],[3.,4.],[5.,6.]],requires_grad=True); '
                       'y=F.cross_entropy(x, T.tensor([[0.5,0.5],[1.,0.],[0.,1.]])); '
                       'y.backward(); out=[y, x.grad]',
    'F mse broadcast graph': 'x=T.ones(1,requires_grad=True); y=F.mse_loss(x, T.ones(3)); '
                             'y.backward(); out=[y, x.grad, '
                             'y.grad_fn.next_functions[0][0].name()]',
    'F softmax no dim': 'out=[F.softmax(T.ones(3)), F.log_softmax(T.ones(2,2))]',
    'ce weight': 'x=T.tensor([[1.,2.,3.],[4.,5.,6.],[0.,-1.,2.]],requires_grad=True); '
                 'w=T.tensor([1.,2.,0.5]); t=T.tensor([0,2,1]); '
                 'ys=[F.cross_entropy(x,t,weight=w), '
                 "F.cross_entropy(x,t,weight=w,reduction='sum'), "
                 "F.cross_entropy(x,t,weight=w,reduction='none'), "
                 'F.nll_loss(x.log_softmax(1),t,w)]; sum(y.sum() for y in ys).backward(); out=ys+'
                 '[x.grad]',
    'ce weight 1d': 'x=T.tensor([1.,2.,3.],requires_grad=True); '
                    'y=F.cross_entropy(x,T.tensor(1),weight=T.tensor([1.,3.,2.])); y.backward(); '
                    'out=[y,x.grad]',
    'ce weight probs': 'x=T.tensor([[1.,2.],[3.,4.]],requires_grad=True); '
                       't=T.tensor([[0.2,0.8],[1.,0.]]); '
                       'ys=[F.cross_entropy(x,t,weight=T.tensor([2.,0.5])), '
                       "F.cross_entropy(x,t,weight=T.tensor([2.,0.5]),reduction='none')]; "
                       'sum(y.sum() for y in ys).backward(); out=ys+[x.grad, '
                       'ys[0].grad_fn.name()]',
    'bce weight': 'x=T.tensor([0.2,0.7,0.5],requires_grad=True); '
                  't=T.tensor([0.,1.,0.3],requires_grad=True); '
                  'ys=[F.binary_cross_entropy(x,t,weight=T.tensor([1.,2.,3.])), '
                  "F.binary_cross_entropy(x,t,reduction='sum'), "
                  "F.binary_cross_entropy(x,t,weight=T.tensor(2.),reduction='none')]; "
                  'sum(y.sum() for y in ys).backward(); out=ys+[x.grad,t.grad]',
    'bce extremes': 'x=T.tensor([0.,1.,1e-30],requires_grad=True); '
                    'y=F.binary_cross_entropy(x,T.tensor([1.,0.,1.])); y.backward(); '
                    'out=[y,x.grad]',
    # bitwise operators, numpy operands, factories
    'masks': 'x=T.tensor([-1.,0.5,2.,3.]); m=(x>0)&(x<2.5); out=[m, (x>0)|(x<-0.5), (x>0)^(x>1), '
             '~m, m&True, T.tensor([6,3])&T.tensor([3,1]), ~T.tensor([0,5]), x[m]]',
    'mask inplace': 'm=T.tensor([True,False]); m&=T.tensor([True,True]); m|=False; '
                    'i=T.tensor([6,3]); i^=1; out=[m,i]',
    'numpy operand': 'import numpy as np\nx=T.tensor([1.,2.]); out=[x+np.array([1.,2.]), '
                     'np.array([2.,4.])/x, x==np.array([1.,3.])]',
    'factories': 'T.manual_seed(0); out=[T.randint(10,(3,)), T.randint(3,10,(2,)), '
                 'T.randperm(5), T.linspace(T.tensor(0.),1,3), T.as_tensor([1,2]), '
                 'T.zeros((2,1)), T.ones(2,dtype=T.long), T.full((2,),1.5,dtype=T.float64), '
                 'T.eye(2,3), T.arange(1,4,dtype=T.float32)]',
    'as_tensor shares': 'import numpy as np\na=np.zeros(2); t=T.as_tensor(a); a[0]=5; '
                        'x=T.tensor([1.]); out=[t, T.as_tensor(x) is x]',
    'tensor dtype float': 'out=[T.tensor([1,2], dtype=float), T.tensor([1.5], dtype=int)]',
    'matrix transposes': 'x=T.ones(2,3,4,requires_grad=True)*1; '
                         'm=T.ones(2,3,requires_grad=True)*1; '
                         'out=[x.mT, x.mH, m.H, m.mT.grad_fn.name()]',
    'indexing grad_fns': 'x=T.ones(4,5,requires_grad=True); y=x*2; '
                         'out=[y[...], y[:, :], y[:, 1], y[0:9, 1], y[-4:, 1], y[:], y[None], '
                         'y[[0, 0]], y[y > 0].shape, y[1, [0, 4]], y[..., None, 2]]; '
                         'y[:, 1].sum().backward(); out.append(x.grad)',
    'indexing writes': 'x=T.zeros(2,3); x[0]=1; x[:, 2]=T.tensor([5.,6.]); x[[1,1],[0,1]]=7; '
                       'x[x > 6]=8; x[True]=x[None]; x[False]=1; out=[x, x._version]',
}

ERRORS = {
    "write into a view of a leaf": "x=T.tensor([1.,2.,3.],requires_grad=True); v=x[0:2]; v[0]=5.",
    "write after save": "x=T.tensor([1.,2.,3.],requires_grad=True); a=x*1; b=a*a; a[0]=5.; "
                        "b.sum().backward()",
    "in place after save": "x=T.tensor([1.,2.,3.],requires_grad=True); a=x*1; b=a*a; a.exp_(); "
                           "b.sum().backward()",
    "write too long": "x=T.tensor([1.,2.,3.],requires_grad=True); a=x*1; a[0]=T.tensor([1.,2.])",
    "mT of a vector": "x=T.ones(2); x.mT",
    "mH of a vector": "x=T.ones(2); x.mH",
    "H of a batch": "x=T.ones(2,3,4); x.H",
    "H of a vector": "x=T.ones(3); x.H",
    "tensor without data": "T.tensor(dtype=T.float32)",
    "as_tensor with two": "T.as_tensor([1.], [2.])",
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
    # the second batch of ops
    'int alpha float': 'out=[T.add(T.tensor([1,2]),T.tensor([1,2]),alpha=0.5)]',
    'bool alpha': 'out=[T.add(T.tensor([1.]),T.tensor([1.]),alpha=True)]',
    'isclose dtype': 'out=[T.isclose(T.tensor([1,2]), T.tensor([1.,2.]))]',
    'outer 2d': 'out=[T.outer(T.ones(2,2), T.ones(2))]',
    'outer 2d vec2': 'out=[T.outer(T.ones(2), T.ones(2,1))]',
    'bmm 2d': 'out=[T.bmm(T.ones(2,2), T.ones(2,2))]',
    'bmm sizes': 'out=[T.bmm(T.ones(2,3,4), T.ones(2,3,4))]',
    'bmm dtype': 'out=[T.bmm(T.ones(2,3,4), T.ones(2,4,4,dtype=T.float64))]',
    'var int': 'out=[T.tensor([1,2]).var()]',
    'norm int': 'out=[T.tensor([1,2]).norm()]',
    'linalg vector_norm int': 'out=[T.linalg.vector_norm(T.tensor([1,2]))]',
    'linalg vector_norm dim range': 'out=[T.linalg.vector_norm(T.ones(2),dim=2)]',
    'linalg vector_norm dim type': 'out=[T.linalg.vector_norm(T.ones(2),dim=1.5)]',
    'linalg vector_norm repeated dim': 'out=[T.linalg.vector_norm(T.ones(2,2),dim=(1,-1))]',
    'linalg vector_norm empty inf': "out=[T.linalg.vector_norm(T.ones(0),float('inf'))]",
    'norm 3 dims fro': 'out=[T.ones(2,2,2).norm(dim=(0,1,2))]',
    'floor bool': 'out=[T.tensor([True]).floor()]',
    'round int decimals': 'out=[T.tensor([1]).round(decimals=1)]',
    'floordiv backward': 'x=T.tensor([1.5,-2.],requires_grad=True); (x//2).sum().backward()',
    'rmod backward': 'x=T.tensor([1.5,-2.],requires_grad=True); (2%x).sum().backward()',
    'int div zero': 'out=[T.tensor([1,2])//0]',
    'int mod zero': 'out=[T.tensor([1,2])%T.tensor([1,0])]',
    'bool floordiv': 'b=T.tensor([True]); out=[b//b]',
    'bool mod': 'b=T.tensor([True]); out=[b%b]',
    'ifloordiv int float': 'i=T.tensor([5,7]); i//=2.5',
    'repeat few': 'out=[T.ones(2,2).repeat(2)]',
    'repeat neg': 'out=[T.ones(2).repeat(-1)]',
    'view noncontig': 'x=T.arange(6.).view(2,3).t(); out=[x.view(6)]',
    'where int cond': 'x=T.ones(2); out=[T.where(T.tensor([1,0]), x, x)]',
    'where shapes': 'out=[T.where(T.ones(2)>0, T.ones(3), T.ones(3))]',
    'masked_fill int mask': 'out=[T.ones(3).masked_fill(T.tensor([1,0,1]), 0.)]',
    'masked_fill float mask': 'out=[T.ones(3).masked_fill(T.ones(3), 0.)]',
    'masked_fill 1d value': 'out=[T.ones(3).masked_fill(T.ones(3)>0, T.tensor([2.]))]',
    'masked_fill bad shape': 'out=[T.ones(3).masked_fill(T.ones(2)>0, 1.)]',
    'format spec': "x=f'{T.tensor([1.,2.]):.2f}'",
    'exp_ int': 'i=T.tensor([1,2]); i.exp_()',
    'exp_ leaf': 'x=T.tensor([1.,2.],requires_grad=True); x.exp_()',
    'exp_ view of leaf': 'x=T.tensor([1.,2.],requires_grad=True); x[0:1].exp_()',
    'add_ view of leaf': 'x=T.tensor([1.,2.],requires_grad=True); x[0:1].add_(1)',
    'exp_ then add_': 'x=T.tensor([1.5,-2.,0.],requires_grad=True); y=x*1; y.exp_(); y.add_(1); '
                      'y.sum().backward()',
    'iadd list': 'x=T.tensor([1.,2.]); x+=[1.,2.]',
    'add list': 'x=T.tensor([1.,2.])+[1.,2.]',
    'radd list': 'x=[1.,2.]+T.tensor([1.,2.])',
    'add str': "x=T.tensor([1.,2.])+'a'",
    'add None': 'x=T.tensor([1.,2.])+None',
    'mul tuple': 'x=T.tensor([1.,2.])*(1,2)',
    'div list': 'x=T.tensor([1.,2.])/[1.]',
    'rdiv list': 'x=[1.]/T.tensor([1.,2.])',
    'pow str': "x=T.tensor([1.,2.])**'a'",
    'matmul list': 'x=T.tensor([1.,2.])@[1.,2.]',
    'requires_grad_ int': 'x=T.tensor([1,2,3]).requires_grad_()',
    'requires_grad set int': 'x=T.tensor([1,2,3]); x.requires_grad = True',
    'arange requires_grad': 'x=T.arange(3, requires_grad=True)',
    'grad of another size': 'x=T.tensor(1.,requires_grad=True); x.grad=T.tensor([3.,4.])',
    'grad a float': 'x=T.tensor(1.,requires_grad=True); x.grad=3.0',
    'grad another dtype': 'x=T.tensor([1.,2.],requires_grad=True); x.grad=T.tensor([1,2])',
    'grad double': 'x=T.ones(2,requires_grad=True); x.grad=T.ones(2,dtype=T.float64)',
    'copy_ into a leaf': 'w=T.ones(2,requires_grad=True); w.copy_(T.zeros(2))',
    'zeros negative': 'x=T.zeros(2,-3)',
    'empty negative': 'x=T.empty(-1)',
    'eye negative': 'x=T.eye(2,-1)',
    'matmul vector batch sizes': 'x=T.ones(3)@T.ones(2,4,2)',
    'matmul matrix batch sizes': 'x=T.ones(5,3)@T.ones(2,4,2)',
    'matmul folded batch sizes': 'x=T.ones(2,1,5,3)@T.ones(3,4,2)',
    'matmul batches': 'x=T.ones(3,5,3)@T.ones(2,3,2)',
    'matmul folding sizes': 'x=T.ones(3,requires_grad=True)@T.ones(2,4,2)',
    'lt str': "x=T.tensor([1.,2.])<'a'",
    'floordiv list': 'x=T.tensor([1.,2.])//[1.]',
    'mod str': "x=T.tensor([1.,2.])%'a'",
    'neg bool': 'x=-T.tensor([True])',
    'sub bool': 'x=T.tensor([True])-T.tensor([True])',
    'sub bool scalar': 'x=T.tensor([True])-True',
    'rsub bool': 'x=1-T.tensor([True])',
    'rsub bool bool': 'x=True-T.tensor([True])',
    'abs bool': 'x=T.tensor([True]).abs()',
    'relu bool': 'x=T.tensor([True]).relu()',
    'scalar 0d into 1d': 'x=T.tensor(1.); x+=T.ones(2)',
    'inplace shape': 'x=T.ones(2); x+=T.ones(3)',
    'setitem shape': 'x=T.zeros(3); x[0:2]=T.ones(3)',
    'setitem list': 'x=T.zeros(3); x[0:2]=[1.,2.]; out=[x]',
    'F gelu bad': "x=F.gelu(T.ones(2), approximate='foo')",
    'F l1 bad reduction': "x=F.l1_loss(T.ones(2),T.ones(2),reduction='avg')",
    'F one_hot int32': 'x=F.one_hot(T.tensor([0,2]).int())',
    'F one_hot neg': 'x=F.one_hot(T.tensor([0,-2]))',
    'F one_hot small': 'x=F.one_hot(T.tensor([0,3]),2)',
    'F one_hot empty': 'x=F.one_hot(T.tensor([],dtype=T.long))',
    'F bce logits size': 'x=F.binary_cross_entropy_with_logits(T.ones(3),T.ones(2))',
    'F bce logits int target': 'x=F.binary_cross_entropy_with_logits(T.ones(3),T.ones(3,'
                               'dtype=T.long))',
    'F bce logits weight grad': 'x=F.binary_cross_entropy_with_logits(T.ones(3),T.ones(3),'
                                'weight=T.ones(3,requires_grad=True))',
    'F mse list': 'x=F.mse_loss([1.],T.ones(1))',
    'F mse target list': 'x=F.mse_loss(T.ones(1),[1.])',
    'F l1 list': 'x=F.l1_loss([1.],T.ones(1))',
    'F normalize list': 'x=F.normalize([1.])',
    'F bce logits list': 'x=F.binary_cross_entropy_with_logits([1.],T.ones(1))',
    'F sigmoid list': 'x=F.sigmoid([1.])',
    'autograd unused': 'x=T.tensor([1.,2.],requires_grad=True); '
                       'w=T.tensor(3.,requires_grad=True); g=T.autograd.grad((x*x).sum(),[x,w])',
    'autograd no grad input': 'x=T.tensor([1.,2.],requires_grad=True); '
                              'g=T.autograd.grad((x*x).sum(),T.ones(2))',
    'autograd nonscalar': 'x=T.tensor([1.,2.],requires_grad=True); g=T.autograd.grad(x*x,x)',
    'autograd twice': 'x=T.tensor([1.,2.],requires_grad=True); z=(x*x).sum(); '
                      'T.autograd.grad(z,x); T.autograd.grad(z,x)',
    'autograd output no grad': 'x=T.tensor([1.,2.],requires_grad=True); '
                               'T.autograd.grad(T.ones(1).sum(),x)',
    'autograd second output no grad': 'x=T.tensor([1.,2.],requires_grad=True); '
                                      'T.autograd.grad([x.sum(), T.ones(1).sum()],x)',
    'autograd shape': 'x=T.tensor([1.,2.],requires_grad=True); T.autograd.grad(x*x,x,T.ones(3))',
    'autograd int inputs': 'x=T.tensor([1.,2.],requires_grad=True); '
                           'T.autograd.grad((x*x).sum(),3)',
    'autograd backward nonscalar': 'x=T.tensor([1.,2.],requires_grad=True); '
                                   'T.autograd.backward(x*x)',
    # argument parsing and the checks PyTorch makes before computing
    'clamp mixed bounds': 'x=T.clamp(T.ones(2), T.zeros(2), 3)',
    'clamp bool': 'x=T.tensor([True]).clamp(max=True)',
    'div bad mode': "x=T.div(T.ones(2),2,rounding_mode='round')",
    'out= dtype': 'a=T.ones(2); T.mul(a,2,out=T.zeros(2,dtype=T.long))',
    'out= grad': 'x=T.ones(2,requires_grad=True); T.exp(x,out=T.zeros(2))',
    'out= same dtype': 'x=T.neg(T.ones(2),out=T.zeros(2,dtype=T.float64))',
    'addmm checks': 'x=T.addmm(T.ones(2),T.ones(2,3),T.ones(2,3))',
    'logsumexp nodim': 'out=[T.logsumexp(T.ones(2))]',
    'wrong keyword': 'x=T.ones(2).sum(dims=0)',
    'wrong dim type': 'x=T.ones(2).sum(1.5)',
    'wrong list element': "x=T.ones(4).view(2,'a')",
    'float size': 'x=T.ones(4).reshape(2.0,2)',
    'tensor method no args': 'x=T.ones(2).exp(1)',
    'cat element': 'x=T.cat([T.ones(2), 1])',
    'to cuda': 'x=T.ones(2).to(1)',
    'to bad device': "x=T.ones(2).to('gpu')",
    'pow bool tensor': 'b=T.tensor([True,False]); x=b**b',
    'argmax bool': 'x=T.tensor([True]).argmax()',
    'dot checks': 'x=T.dot(T.ones(2), T.ones(2,2))',
    'dot dtype': 'x=T.dot(T.ones(2), T.ones(2,dtype=T.long))',
    'mv checks': 'x=T.mv(T.ones(2), T.ones(2))',
    'fill_ 1-d': 'x=T.zeros(2).fill_(T.ones(2))',
    'in-place shape first': 'x=T.ones(2); x.add_(T.ones(2,2), alpha=True)',
    'F ce float target wrong shape': 'x=F.cross_entropy(T.ones(2,3), T.tensor([0.,1.]))',
    'F ce prob target int': 'x=F.cross_entropy(T.ones(2,3), T.ones(2,3,dtype=T.long))',
    'F nll 1d target size': 'x=F.nll_loss(T.ones(3), T.tensor([0,1]))',
    'F ce reduction a list': 'x=F.cross_entropy(T.ones(2), T.ones(2), reduction=[1.,2.])',
    'F nll 1d target size before weight': 'x=F.nll_loss(T.ones(2), T.tensor([1,2]), T.tensor(2.))',
    'F nll weight after target dtype': 'x=F.nll_loss(T.ones(2), T.tensor([1.]), T.tensor(2.))',
    'F nll 0d input': 'x=F.nll_loss(T.tensor(1.), T.tensor([0]))',
    'F nll multi target': 'x=F.nll_loss(T.ones(2,3), T.ones(2,2,dtype=T.long))',
    'F bce dtype': 'x=F.binary_cross_entropy(T.tensor([0.5]), T.tensor([1]))',
    'F mse int': 'x=F.mse_loss(T.tensor([1,2]), T.tensor([1,2]))',
    'F softmax list': 'x=F.softmax([1.], 0)',
    'F leaky int': 'x=F.leaky_relu(T.tensor([1,2]))',
    'F gelu positional': "x=F.gelu(T.ones(2), 'tanh')",
    'F one_hot arg': 'x=F.one_hot([1])',
    'F linear 0d': 'x=F.linear(T.ones(2), T.tensor(1.))',
    'ce weight shape': 'x=F.cross_entropy(T.ones(2,3), T.tensor([0,1]), weight=T.ones(2))',
    'ce weight shape probs': 'x=F.cross_entropy(T.ones(2,3), T.ones(2,3), weight=T.ones(2))',
    'bce target range': 'x=F.binary_cross_entropy(T.tensor([0.5]), T.tensor([1.5]))',
    'bce nan input': "x=F.binary_cross_entropy(T.tensor([float('nan')]), T.tensor([0.]))",
    'bce target checked first': 'x=F.binary_cross_entropy(T.tensor([0.5,2.]), T.tensor([3.,0.5]))',
    'float bitwise': 'x=T.ones(2)&T.ones(2)',
    'float invert': 'x=~T.ones(2)',
    'bool pos': 'x=+T.tensor([True])',
    'arange sign': 'x=T.arange(2, 1)',
    'linspace 1-d': 'x=T.linspace(T.ones(2), 1, 3)',
    'zeros float size': 'x=T.zeros(2.5)',
    'zeros list elements': "x=T.zeros([2, 'a'])",
    'rand int dtype': 'x=T.rand(2, dtype=T.long)',
    'tensor keyword types': 'x=T.tensor([1.], requires_grad=1)',
    'tensor positional dtype': 'x=T.tensor([1.], T.float64)',
    'randint int high': 'x=T.randint(2.5, (2,))',
}


@pytest.mark.parametrize("code", SNIPPETS.values(), ids=SNIPPETS.keys())
def test_snippet_shows_what_pytorch_shows(code: str) -> None:
    expected = observe(torch, code)
    assert expected["error"] is None, expected["error"]
    assert observe(engine, code) == expected


@pytest.mark.parametrize("code", ERRORS.values(), ids=ERRORS.keys())
def test_errors_and_warnings_are_pytorchs(code: str) -> None:
    assert observe(engine, code) == observe(torch, code)

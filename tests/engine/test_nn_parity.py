"""Parity with real PyTorch for `torch.nn` modules, `nn.init` and `torch.optim.SGD`: the
parameters a seed draws, the reprs, the gradients and every optimizer step."""

from __future__ import annotations

import pytest

import engine
from tests.engine.parity import observe

torch = pytest.importorskip("torch")

MLP = ("T.manual_seed(1); nn=T.nn; m=nn.Sequential(nn.Linear(2,3), nn.Tanh(), nn.Linear(3,1)); "
       "x=T.tensor([[1.,2.],[3.,-1.]]); ")

SNIPPETS = {
    "linear draws its parameters": "T.manual_seed(0); m=T.nn.Linear(3,2); out=[m.weight, m.bias]",
    "linear sizes": "T.manual_seed(5); m=T.nn.Linear(784,16); out=[m.weight.sum(), m.bias[:3]]",
    "linear without bias": "T.manual_seed(2); m=T.nn.Linear(2,4,bias=False); "
                           "out=[m, m.weight, m.bias]",
    "linear float64": "T.manual_seed(3); m=T.nn.Linear(3,2,dtype=T.float64); out=[m.weight]",
    "linear forward 2-d": MLP + "y=m(x); out=[y, y.grad_fn.name()]",
    "linear forward 1-d": "T.manual_seed(4); l=T.nn.Linear(2,3); y=l(T.ones(2)); "
                          "out=[y, y.grad_fn.name()]",
    "linear forward 3-d": "T.manual_seed(4); l=T.nn.Linear(2,3); y=l(T.ones(4,5,2)); "
                          "out=[y.shape, y.grad_fn.name(), y[1,2]]",
    "sequential repr": MLP + "out=[m, m[0], m[-1], m[0:2], len(m)]",
    "named parameters": MLP + "out=[[n for n, _ in m.named_parameters()], "
                              "[n for n, _ in m.named_modules()], list(m.children())]",
    "mse backward": MLP + "loss=T.nn.MSELoss()(m(x), T.ones(2,1)); loss.backward(); "
                          "out=[loss]+[p.grad for p in m.parameters()]",
    "zero_grad": MLP + "m(x).sum().backward(); m.zero_grad(); a=m[0].weight.grad; "
                       "m(x).sum().backward(); m.zero_grad(set_to_none=False); "
                       "out=[a, m[0].weight.grad, m[2].bias.grad]",
    "sgd": MLP + "opt=T.optim.SGD(m.parameters(), lr=0.1)\n"
                 "for _ in range(3):\n"
                 "    opt.zero_grad(); loss=T.nn.MSELoss()(m(x), T.ones(2,1)); loss.backward();"
                 " opt.step()\n"
                 "out=[loss, opt, dict(opt.state)]+list(m.parameters())",
    "sgd nesterov with weight decay": MLP + (
        "opt=T.optim.SGD(m.parameters(), lr=0.1, momentum=0.9, weight_decay=0.01, "
        "nesterov=True)\n"
        "for _ in range(5):\n"
        "    opt.zero_grad(); loss=T.nn.MSELoss()(m(x), T.ones(2,1)); loss.backward(); "
        "opt.step()\n"
        "out=[loss, opt.state[m[0].weight]['momentum_buffer']]+list(m.parameters())"),
    "sgd maximize with dampening": (
        "T.manual_seed(1); m=T.nn.Linear(4,3); x=T.randn(5,4); t=T.tensor([0,2,1,1,0])\n"
        "opt=T.optim.SGD(m.parameters(), lr=0.5, momentum=0.5, dampening=0.1, maximize=True)\n"
        "for _ in range(4):\n"
        "    opt.zero_grad(set_to_none=False)\n"
        "    loss=T.nn.CrossEntropyLoss(label_smoothing=0.1)(m(x), t); loss.backward()\n"
        "    opt.step()\n"
        "out=[m.weight, m.bias, m.weight.grad, loss]"),
    "sgd param groups": "w=T.ones(2,requires_grad=True); b=T.ones(1,requires_grad=True); "
                        "opt=T.optim.SGD([{'params':[w],'lr':0.5},{'params':b}], lr=0.1); "
                        "(w.sum()*3+b.sum()).backward(); opt.step(); "
                        "out=[opt, w, b, w._version]",
    "sgd closure": "w=T.tensor([1.,2.],requires_grad=True); opt=T.optim.SGD([w], lr=0.1)\n"
                   "def closure():\n"
                   "    opt.zero_grad(); loss=(w*w).sum(); loss.backward(); return loss\n"
                   "out=[opt.step(closure), w]",
    "parameter": "p=T.nn.Parameter(T.tensor([1.,2.])); q=p*2; "
                 "out=[p, q, p.data, p.detach(), p.clone(), p.is_leaf, T.nn.Parameter()]",
    "parameter without grad": "out=[T.nn.Parameter(T.tensor([1,2]), requires_grad=False)]",
    "activation and loss reprs": (
        "nn=T.nn; out=[nn.ReLU(), nn.ReLU(inplace=True), nn.LeakyReLU(), "
        "nn.LeakyReLU(0.2, inplace=True), nn.Sigmoid(), nn.Tanh(), nn.GELU(), "
        "nn.GELU(approximate='tanh'), nn.SiLU(), nn.Softmax(dim=1), nn.Softmax(), "
        "nn.LogSoftmax(dim=-1), nn.Flatten(), nn.Identity(), nn.MSELoss(), "
        "nn.L1Loss(reduction='sum'), nn.CrossEntropyLoss(), nn.NLLLoss(), nn.BCELoss(), "
        "nn.BCEWithLogitsLoss(), nn.Sequential(), T.nn.Module()]"),
    "activations forward": (
        "nn=T.nn; x=T.tensor([[-1.,0.5,2.]],requires_grad=True); "
        "ys=[f(x) for f in (nn.ReLU(), nn.LeakyReLU(0.2), nn.Sigmoid(), nn.Tanh(), nn.GELU(), "
        "nn.SiLU(), nn.Softmax(dim=1), nn.LogSoftmax(dim=1), nn.Flatten(0), nn.Identity())]; "
        "sum(y.sum() for y in ys).backward(); out=ys+[x.grad]"),
    "losses": (
        "nn=T.nn; p=T.tensor([0.2,0.7,0.9],requires_grad=True); t=T.tensor([0.,1.,1.]); "
        "ls=[nn.MSELoss()(p,t), nn.L1Loss()(p,t), nn.BCELoss()(p,t), "
        "nn.BCEWithLogitsLoss()(p,t), nn.MSELoss(reduction='none')(p,t)]; "
        "sum(l.sum() for l in ls).backward(); out=ls+[p.grad]"),
    "class losses": (
        "nn=T.nn; z=T.tensor([[1.,2.,0.5],[0.,-1.,3.]],requires_grad=True); c=T.tensor([2,0]); "
        "ls=[nn.CrossEntropyLoss()(z,c), nn.NLLLoss()(z.log_softmax(1),c), "
        "nn.CrossEntropyLoss(ignore_index=0, reduction='sum')(z,c)]; "
        "sum(ls).backward(); out=ls+[z.grad]"),
    "init": "T.manual_seed(7); nn=T.nn; w=T.empty(3,4); b=T.empty(5); "
            "nn.init.kaiming_uniform_(w); nn.init.xavier_uniform_(b.view(5,1)); "
            "z=T.ones(2); nn.init.zeros_(z); "
            "out=[w, b, z, nn.init.calculate_gain('relu'), nn.init.calculate_gain('tanh'), "
            "nn.init.uniform_(T.empty(2,dtype=T.float64), -3., 2.)]",
    "uniform_": "T.manual_seed(0); a=T.empty(4).uniform_(); b=T.empty(2,3).uniform_(-2,5); "
                "out=[a, b, b._version]",
    "buffers": (
        "T.manual_seed(0); m=T.nn.Linear(3,3); m.register_buffer('tril', T.tril(T.ones(3,3))); "
        "m.register_buffer('scratch', T.zeros(2), persistent=False); m.register_buffer('none', "
        "None); s=T.nn.Sequential(m, T.nn.ReLU(), m); seen=[]; s.apply(lambda k: "
        "seen.append(type(k).__name__)); m.tril = m.tril * 2; sd=s.state_dict(); "
        "out=[list(sd), list(sd.values())[2], [n for n, _ in s.named_buffers()], "
        "[n for n, _ in s.named_buffers(remove_duplicate=False)], list(m.buffers()), seen, "
        "s.load_state_dict(sd), s.double()[0].tril, m.scratch, s.apply(lambda k: None) is s, "
        "m.state_dict(keep_vars=True)['weight'].requires_grad, "
        "m.state_dict()['weight'].requires_grad]"),
    "ModuleDict and ParameterList": (
        "d=T.nn.ModuleDict({'a': T.nn.Linear(2,2), 'b': T.nn.ReLU()}); d['c']=T.nn.Tanh(); "
        "e=T.nn.ModuleDict([('x', T.nn.ReLU())]); e.update(d); "
        "p=T.nn.ParameterList([T.nn.Parameter(T.ones(2,3)), T.ones(3)]); p.append(T.zeros(1)); "
        "q=T.nn.ParameterList(); q+=[T.ones(2)]; "
        "out=[d, list(d.keys()), len(d), 'a' in d, 'z' in d, list(d.values())[1], e, d.pop('b'), "
        "d, p, type(p[1]).__name__, p[1].requires_grad, len(list(p.parameters())), "
        "T.nn.ModuleDict(), T.nn.ParameterList(), p[-1], p[1:], "
        "[n for n, _ in p.named_parameters()], q, "
        "len(list(T.nn.Sequential(d, T.nn.Linear(2,2)).parameters()))]"),
    "module train eval": MLP + "m.eval(); a=m.training; b=m[0].training; m.train(); "
                               "out=[a, b, m.training, m.requires_grad_(False)[0].weight]",
}

ERRORS = {
    "sgd empty": "T.optim.SGD([], lr=0.1)",
    "sgd negative lr": "T.optim.SGD([T.ones(1,requires_grad=True)], lr=-0.1)",
    "sgd negative momentum": "T.optim.SGD([T.ones(1,requires_grad=True)], lr=0.1, momentum=-1)",
    "sgd negative decay": "T.optim.SGD([T.ones(1,requires_grad=True)], lr=0.1, weight_decay=-1)",
    "sgd nesterov": "T.optim.SGD([T.ones(1,requires_grad=True)], lr=0.1, nesterov=True)",
    "sgd one tensor": "T.optim.SGD(T.ones(2,requires_grad=True), lr=0.1)",
    "sgd non-leaf": "T.optim.SGD([T.ones(2,requires_grad=True)*2], lr=0.1)",
    "sgd a float": "T.optim.SGD([1.0], lr=0.1)",
    "sgd twice": "w=T.ones(2,requires_grad=True); T.optim.SGD([{'params':[w]},{'params':[w]}])",
    "linear shapes": "T.nn.Linear(2,3)(T.ones(4))",
    "linear vectors with a matrix bias": "F.linear(T.ones(2), T.ones(2), T.ones(2,2))",
    "linear 3-d input with a 2-d bias": "F.linear(T.ones(1,1,2), T.ones(1,2), T.ones(2,1))",
    "linear negative": "T.nn.Linear(-1,3)",
    "linear float size": "T.nn.Linear(2.5,3)",
    "sequential index": "T.nn.Sequential(T.nn.ReLU())[3]",
    "module attribute": "T.nn.Linear(2,3).foo",
    "module forward": "T.nn.Module()(1)",
    "parameter of ints": "T.nn.Parameter(T.tensor([1,2]))",
    "uniform_ bounds": "T.empty(2).uniform_(1., 0.)",
    "uniform_ ints": "T.zeros(2,dtype=T.int64).uniform_()",
    "uniform_ leaf": "T.zeros(2,requires_grad=True).uniform_()",
    "init fans": "T.nn.init.kaiming_uniform_(T.empty(3))",
    "gain": "T.nn.init.calculate_gain('swish')",
    "softmax without dim": "T.nn.Softmax()(T.ones(2,3))",
    "ModuleDict of a number": "T.nn.ModuleDict(3)",
    "ModuleDict of a short pair": "T.nn.ModuleDict([('a',)])",
    "ModuleDict of numbers": "T.nn.ModuleDict([3])",
    "ModuleDict of a number as a module": "T.nn.ModuleDict({'a': 3})",
    "ParameterList index out of range": "T.nn.ParameterList([T.ones(1)])[1]",
    "buffer of a number": "T.nn.Linear(2,2).register_buffer('b', 3)",
    "buffer with a dot": "T.nn.Linear(2,2).register_buffer('a.b', T.ones(1))",
    "buffer with no name": "T.nn.Linear(2,2).register_buffer('', T.ones(1))",
    "buffer over an attribute": "T.nn.Linear(2,2).register_buffer('weight', T.ones(1))",
    "buffer named by a number": "T.nn.Linear(2,2).register_buffer(1, T.ones(1))",
    "a number into a buffer": "m=T.nn.Linear(2,2); m.register_buffer('b', T.ones(1)); m.b=3",
    "a buffer missing from a state": (
        "m=T.nn.Linear(2,2); m.register_buffer('b', T.ones(1)); "
        "m.load_state_dict({'weight': T.ones(2,2), 'bias': T.ones(2)})"),
}


CASES = [(code, False) for code in SNIPPETS.values()] + [(code, True) for code in ERRORS.values()]


@pytest.mark.parametrize(("code", "fails"), CASES, ids=[*SNIPPETS, *ERRORS])
def test_modules_and_sgd_show_what_pytorch_shows(code: str, fails: bool) -> None:
    expected = observe(torch, code)
    failed = expected["error"] is not None or bool(expected["warnings"])
    assert failed == fails, expected
    assert observe(engine, code) == expected


def test_a_long_training_run_stays_exact() -> None:
    """Fifty SGD steps with momentum on a small classifier: every parameter as printed.

    Matrix products sum in their BLAS's order, so the last bits may differ from PyTorch's."""
    code = ("T.manual_seed(0); nn=T.nn; m=nn.Sequential(nn.Linear(4,8), nn.ReLU(), "
            "nn.Linear(8,3)); x=T.randn(16,4); t=T.randint(0,3,(16,))\n"
            "opt=T.optim.SGD(m.parameters(), lr=0.05, momentum=0.9)\n"
            "for _ in range(50):\n"
            "    opt.zero_grad(); loss=nn.CrossEntropyLoss()(m(x), t); loss.backward(); "
            "opt.step()\n"
            "out=[loss]+list(m.parameters())")
    assert observe(engine, code) == observe(torch, code)


def test_an_optimizers_state_dict_is_pytorchs() -> None:
    from tests.engine.parity import observe

    code = ("w = T.tensor([1.0, 2.0], requires_grad=True); b = T.tensor(0.5, requires_grad=True)\n"
            "opt = T.optim.SGD([w, b], lr=0.1, momentum=0.9)\nprint(opt.state_dict())\n"
            "(w.sum() * b).backward(); opt.step()\nprint(opt.state_dict())\n"
            "a = T.optim.Adam([{'params': [w]}, {'params': [b], 'lr': 0.5}])\n"
            "(w.sum() * b).backward(); a.step()\nsd = a.state_dict()\n"
            "out = [sd, sd['state'][0]['exp_avg'] is a.state[w]['exp_avg']]")
    assert observe(engine, code) == observe(torch, code)


@pytest.mark.parametrize(("features", "outputs"), [(3, 1), (10, 1), (13, 5), (64, 1), (784, 10)])
def test_one_sample_through_a_linear_layer_prints_pytorchs_digits(features: int,
                                                                  outputs: int) -> None:
    """`model(x)` for a single sample (1-d, or a batch of one): MKL's gemv, whose lanes give
    other last digits than a plain sum; the value `.item()` prints and every gradient."""
    code = (f"T.manual_seed({features}); layer = T.nn.Linear({features}, {outputs}); "
            f"x = T.randn({features}, requires_grad=True); "
            "y = layer(x); z = layer(x[None]); (y.sum() + z.sum()).backward(); "
            "out = [y.tolist(), z.tolist(), x.grad.tolist(), layer.weight.grad.sum().item(), "
            "layer.bias.grad.tolist()]")
    assert observe(torch, code) == observe(engine, code)

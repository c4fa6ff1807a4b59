"""Scripts define models as PyTorch users write them: `class Net(nn.Module)` with `__init__`,
`super().__init__()` and `forward`. What they print is what PyTorch prints; the graph names
layers by their path; nothing a class can define lets the script out of the interpreter."""

from __future__ import annotations

import contextlib
import io
import textwrap

import pytest

from gradviz.script import run_script

NET = textwrap.dedent("""\
    import torch
    import torch.nn as nn

    torch.manual_seed(0)

    class Net(nn.Module):
        \"\"\"Two layers, and a scale kept as a plain attribute.\"\"\"

        def __init__(self, hidden):
            super().__init__()
            self.fc1 = nn.Linear(2, hidden)
            self.act = nn.ReLU()
            self.fc2 = nn.Linear(hidden, 1)
            self.scale = 2.0

        def forward(self, x):
            h = self.act(self.fc1(x))
            return self.fc2(h) * self.scale

    class Deeper(Net):
        def __init__(self):
            super(Deeper, self).__init__(4)
            self.extra = nn.Parameter(torch.ones(1))

        def forward(self, x):
            return super().forward(x) + self.extra

        def describe(self):
            return f"{len(list(self.parameters()))} parameters, scale {self.scale}"

    model = Net(3)
    print(model)
    x = torch.tensor([[1.0, 2.0], [-1.0, 0.5]])
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    for step in range(3):
        optimizer.zero_grad()
        loss = ((model(x) - 1.0) ** 2).mean()
        loss.backward()
        optimizer.step()
        print(step, loss.item())
    print(model.fc1.weight.grad)
    print([name for name, _ in model.named_parameters()])
    deeper = Deeper()
    print(deeper)
    print(deeper(x), deeper.describe())
    print(isinstance(deeper, Net), isinstance(deeper, nn.Module))
""")


def pytorch_prints(source: str) -> str:
    pytest.importorskip("torch")
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(source, "script.py", "exec"), {"__name__": "__main__"})  # noqa: S102
    return out.getvalue()


def error_of(source: str) -> tuple[str, int]:
    run = run_script(textwrap.dedent(source), "script.py")
    assert run.error is not None, run.output
    return run.error.message, run.error.line


def test_a_module_class_prints_what_pytorch_prints() -> None:
    run = run_script(NET, "net.py")
    assert run.error is None, run.error
    assert run.output == pytorch_prints(NET)


def test_layers_of_a_class_are_named_by_their_path() -> None:
    run = run_script(NET, "net.py")
    names = {t.name for t in run.created}
    assert {"model.fc1.weight", "model.fc1.bias", "model.fc2.weight", "model.fc2.bias",
            "model.fc1(x)", "h", "loss"} <= names
    assert {"deeper.fc1.weight", "deeper.extra"} <= names


@pytest.mark.parametrize(("source", "message", "line"), [
    ("class Number(int):\n    pass\n", "not allowed: class Number(int) (a script's classes "
     "subclass nn.Module, another class of the script, or nothing)", 1),
    ("import torch\nclass L(torch.nn.Linear):\n    pass\n",
     "not allowed: class L(Linear) (a script's classes subclass", 2),
    ("class P:\n    def __repr__(self):\n        return 'p'\n", "not allowed: method '__repr__'",
     2),
    ("class P:\n    def f(self):\n        return self.__dict__\n",
     "not allowed: attribute '__dict__'", 3),
    ("class P:\n    pass\np = P()\np._hidden = 1\n", "not allowed: attribute '_hidden'", 4),
    ("import torch\nclass N(torch.nn.Module):\n    def __repr__(self):\n        return 'x'\n",
     "not allowed: method '__repr__'", 3),
    ("import torch\nclass N(torch.nn.Module):\n    size = 3\n",
     "not allowed: a class body holds only methods", 3),
    ("import torch\nclass N(torch.nn.Module, object):\n    pass\n",
     "not allowed: more than one base class", 2),
    ("import torch\nclass N(torch.nn.Module):\n    def f(self):\n        return self.__dict__\n",
     "not allowed: attribute '__dict__'", 4),
    ("import torch\nclass N(torch.nn.Module):\n    def f(self):\n"
     "        return super().__class__\n", "not allowed: attribute '__class__'", 4),
    ("import torch\nclass N(torch.nn.Module):\n    def f(self):\n        return self._modules\n",
     "not allowed: attribute '_modules'", 4),
    ("import torch\n@print\nclass N(torch.nn.Module):\n    pass\n", "not allowed: decorators", 2),
    ("import torch\nclass N(torch.nn.Module):\n    pass\nn = N()\nn.parameters = print\n",
     "not allowed: setting 'parameters' of a N (it would hide nn.Module's own", 5),
])
def test_what_a_class_may_not_do_is_refused_before_it_runs(source: str, message: str,
                                                           line: int) -> None:
    got, where = error_of(source)
    assert got.startswith(message), got
    assert where == line


@pytest.mark.parametrize(("body", "message"), [
    # PyTorch's own errors, from the same mistakes
    ("    def __init__(self):\n        self.fc = torch.nn.Linear(1, 1)\nN()\n",
     "AttributeError: cannot assign module before Module.__init__() call"),
    ("    def __init__(self):\n        self.w = torch.nn.Parameter(torch.ones(1))\nN()\n",
     "AttributeError: cannot assign parameters before Module.__init__() call"),
    ("    pass\nN()(torch.ones(1))\n",
     'NotImplementedError: Module [N] is missing the required "forward" function'),
    ("    pass\nN().missing\n", "AttributeError: 'N' object has no attribute 'missing'"),
    ("    pass\nN(3)\n", "TypeError: N.__init__() takes 1 positional argument but 2 were given"),
    ("    def forward(self, x):\n        return x\nN()(1, 2)\n",
     "TypeError: N.forward() takes 2 positional arguments but 3 were given"),
])
def test_mistakes_give_pytorchs_and_pythons_messages(body: str, message: str) -> None:
    source = f"import torch\nclass N(torch.nn.Module):\n{body}"
    got, _ = error_of(source)
    assert got == message
    with pytest.raises(Exception) as raised:  # noqa: PT011 - the message is what we compare
        pytorch_prints(source)
    assert f"{type(raised.value).__name__}: {raised.value}" == message


PLAIN = textwrap.dedent("""\
    import torch

    g = torch.Generator().manual_seed(2147483647)

    class Linear:
        \"\"\"A layer as Karpathy's makemore writes it: no nn.Module, called directly.\"\"\"

        def __init__(self, fan_in, fan_out, bias=True):
            self.weight = torch.randn((fan_in, fan_out), generator=g) / fan_in ** 0.5
            self.bias = torch.zeros(fan_out) if bias else None

        def __call__(self, x):
            self.out = x @ self.weight
            if self.bias is not None:
                self.out += self.bias
            return self.out

        def parameters(self):
            return [self.weight] + ([] if self.bias is None else [self.bias])

    class Scaled(Linear):
        def __init__(self, fan_in, fan_out, scale):
            super().__init__(fan_in, fan_out, bias=False)
            self.scale = scale

        def __call__(self, x):
            return super().__call__(x) * self.scale

    class Counter(object):
        def __init__(self):
            super().__init__()
            self.calls = 0

        def tick(self):
            self.calls += 1
            return self.calls

    layer, scaled, counter = Linear(3, 2), Scaled(3, 2, 10.0), Counter()
    params = layer.parameters() + scaled.parameters()
    for p in params:
        p.requires_grad = True
    x = torch.ones(4, 3)
    loss = (layer(x) + scaled(x)).pow(2).mean()
    loss.backward()
    print(loss, [p.grad for p in params])
    print(layer.out.shape, scaled.scale, counter.tick(), counter.tick(), counter.calls)
    print(isinstance(scaled, Linear), isinstance(counter, Linear), type(layer) is Linear)
    print(len(str(layer)) > 0, str(layer).startswith("<__main__.Linear object at"))
""")


def test_a_plain_class_with_call_runs_as_in_python() -> None:
    run = run_script(PLAIN, "plain.py")
    assert run.error is None, run.error
    assert run.output == pytorch_prints(PLAIN)


@pytest.mark.parametrize(("source", "message"), [
    ("class P:\n    pass\nP()(1)\n", "TypeError: 'P' object is not callable"),
    ("class P:\n    pass\nP(3)\n", "TypeError: P() takes no arguments"),
    ("class P:\n    pass\nP().missing\n", "AttributeError: 'P' object has no attribute 'missing'"),
    ("class P:\n    def __init__(self):\n        super().__init__(3)\nP()\n",
     "TypeError: object.__init__() takes exactly one argument (the instance to initialize)"),
    ("class P:\n    def __call__(self, x):\n        return x\nP()(1, 2)\n",
     "TypeError: P.__call__() takes 2 positional arguments but 3 were given"),
])
def test_a_plain_class_makes_pythons_mistakes(source: str, message: str) -> None:
    got, _ = error_of(source)
    assert got == message
    with pytest.raises(Exception) as raised:  # noqa: PT011 - the message is what we compare
        exec(compile(source, "script.py", "exec"), {})  # noqa: S102 - our own test script
    assert f"{type(raised.value).__name__}: {raised.value}" == message


def test_super_outside_a_method_says_what_python_says() -> None:
    got, line = error_of("x = 1\nsuper()\n")
    assert got == "RuntimeError: super(): __class__ cell not found"
    assert line == 2


def test_runaway_recursion_through_forward_stops_at_the_call_limit() -> None:
    got, _ = error_of("""\
        import torch
        class Loop(torch.nn.Module):
            def forward(self, x):
                return self(x)
        Loop()(torch.ones(1))
    """)
    assert got.startswith("RecursionError")


def test_a_class_inside_a_function_closes_over_its_locals() -> None:
    run = run_script(textwrap.dedent("""\
        import torch
        def build(width):
            class Scale(torch.nn.Module):
                def forward(self, x):
                    return x * width
            return Scale()
        print(build(3)(torch.tensor(2.0)))
    """), "script.py")
    assert run.error is None, run.error
    assert run.output == "tensor(6.)\n"


MODULE_LIST = textwrap.dedent("""\
    import torch
    from torch import nn

    torch.manual_seed(1)

    class MLP(nn.Module):
        def __init__(self, sizes):
            super().__init__()
            self.layers = nn.ModuleList([nn.Linear(a, b) for a, b in zip(sizes, sizes[1:])])
            self.layers.append(nn.Tanh())

        def forward(self, x):
            for layer in self.layers[:-2]:
                x = torch.relu(layer(x))
            return self.layers[-1](self.layers[-2](x))

    model = MLP([2, 3, 3, 1])
    print(model)
    print(len(model.layers), model.layers[1:3])
    out = model(torch.tensor([[0.5, -1.0], [2.0, 1.0]])).sum()
    out.backward()
    # rounded: MKL's matrix products may differ from numpy's in the last bit
    print(round(out.item(), 4), (model.layers[0].weight.grad * 1e4).round().tolist())
    for mistake in ["model.layers[9]", "nn.ModuleList(3)", "model.layers(1)",
                    "model.layers.add_module('a.b', nn.ReLU())"]:
        print(mistake)
""")


def test_a_module_list_holds_layers_as_pytorch_does() -> None:
    run = run_script(MODULE_LIST, "mlp.py")
    assert run.error is None, run.error
    assert run.output == pytorch_prints(MODULE_LIST)
    assert {"model.layers[0].weight", "model.layers[2].bias"} <= {t.name for t in run.created}


@pytest.mark.parametrize("mistake", [
    "layers[9]", "nn.ModuleList(3)", "layers(1)", "layers.add_module('a.b', nn.ReLU())",
    "layers.add_module('training', nn.ReLU())", "layers.extend(3)",
])
def test_module_list_mistakes_give_pytorchs_messages(mistake: str) -> None:
    source = f"from torch import nn\nlayers = nn.ModuleList([nn.ReLU()])\n{mistake}\n"
    got, line = error_of(source)
    with pytest.raises(Exception) as raised:  # noqa: PT011 - the message is what we compare
        pytorch_prints(source)
    assert got == f"{type(raised.value).__name__}: {raised.value}"
    assert line == 3


def test_the_leaves_of_plain_objects_are_named_by_their_path() -> None:
    run = run_script(textwrap.dedent("""\
        import torch

        class Linear:
            def __init__(self, fan_in, fan_out):
                self.weight = torch.randn((fan_in, fan_out))
                self.bias = torch.zeros(fan_out)
                self.stats = Stats()

            def __call__(self, x):
                self.out = x @ self.weight + self.bias
                return self.out

        class Stats:
            def __init__(self):
                self.mean = torch.zeros(1)

        layer = Linear(2, 3)
        layers = [Linear(3, 3), Linear(3, 1)]
        layer.bias = torch.ones(3)
        modules = [torch.nn.Linear(1, 1)]
        shared = layer.weight
        y = layers[1](layers[0](layer(torch.ones(1, 2))))
    """), "layers.py")
    assert run.error is None, run.error
    names = {t.name for t in run.created}
    assert {"layer.weight", "layer.bias", "layer.stats.mean", "layers[0].weight",
            "layers[1].bias", "layers[1].stats.mean", "modules[0].weight", "y"} <= names
    assert "shared" not in names  # the first name a tensor gets is the one it keeps
    assert not any(name.endswith(".out") for name in names)  # only leaves take a path

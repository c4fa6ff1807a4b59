"""The script language, feature by feature: each snippet must print exactly what Python prints.

Pure-Python snippets are checked against Python itself; snippets that use torch against real
PyTorch (skipped where it is not installed).
"""

from __future__ import annotations

import contextlib
import io
import textwrap

import pytest

from gradviz.script import run_script

PYTHON_SNIPPETS = {
    "function decorators, applied bottom to top": """
        order = []

        def tag(label):
            order.append("made " + label)
            def wrap(f):
                order.append("applied " + label)
                def run(x):
                    return label + "(" + f(x) + ")"
                return run
            return wrap

        @tag("outer")
        @tag("inner")
        def name(x):
            return x

        print(name("v"), order)
    """,
    "assignment and tuple unpacking": """
        a, (b, *c) = 1, (2, 3, 4)
        first, *middle, last = range(5)
        x = y = 7
        print(a, b, c, first, middle, last, x, y)
    """,
    "augmented assignment": """
        x = 5
        x += 2; x -= 1; x *= 3; x //= 4; x **= 2; x %= 7; x <<= 2; x |= 1
        items = [1]
        items += (2, 3)
        d = {"k": 1}
        d["k"] += 10
        print(x, items, d)
    """,
    "arithmetic": """
        print(7 / 2, 7 // 2, -7 % 3, 2 ** -1, 2 ** 10, 6 & 3, 6 | 3, 6 ^ 3, ~5, -(-3), +4)
        print(0.1 + 0.2, 1e300 * 10, 3 * "ab", [0] * 3, (1,) + (2,))
    """,
    "comparisons": """
        print(1 < 2 < 3, 1 < 3 < 2, 1 == 1.0, "a" in "abc", 3 not in [1, 2], None is None)
        print([] is not [], 2 >= 2 > 1, "b" > "a")
    """,
    "boolean operators short-circuit": """
        calls = []
        def mark(value):
            calls.append(value)
            return value
        print(mark(0) and mark(1), mark(2) or mark(3), not mark(4), calls)
    """,
    "if elif else and conditional expressions": """
        for n in [5, 2, 0]:
            if n > 3:
                print("big")
            elif n > 1:
                print("medium")
            else:
                print("small")
            print("yes" if n else "no")
    """,
    "for over range with break, continue and else": """
        total = 0
        for i in range(10):
            if i == 2:
                continue
            if i == 8:
                break
            total += i
        else:
            print("not reached")
        for i in range(2):
            pass
        else:
            print("else runs without break", total)
    """,
    "while loops": """
        n = 0
        while n < 5:
            n += 1
        else:
            print("while else", n)
    """,
    "lists, zip and enumerate": """
        names = ["w", "b"]
        values = [0.5, -1.0]
        for index, (name, value) in enumerate(zip(names, values)):
            print(index, name, value)
        print(list(enumerate("ab", start=1)), list(zip([1, 2, 3], "xy")))
    """,
    "comprehensions": """
        squares = [i * i for i in range(6) if i % 2 == 0]
        pairs = [(i, j) for i in range(3) for j in range(i)]
        print(squares, pairs, {k: v for k, v in zip("abc", range(3))}, {i % 3 for i in range(9)})
        print(sum(i for i in range(5)), [[j for j in range(i)] for i in range(3)])
        i = "outer"
        [i for i in range(3)]
        print(i)
    """,
    "def with positional, keyword, default, *args and **kwargs": """
        def f(p, q=2, *rest, k=3, **kw):
            return p + q + k + len(rest) + len(kw)
        print(f(1), f(1, 2, 3, 4, k=5, z=6), f(p=1, q=1), f(*[1, 2], **{"k": 0}))
        def nothing():
            pass
        print(nothing())
    """,
    "lambda, closures and recursion": """
        g = lambda v, w=1: v * w
        def outer():
            base = 10
            def inner(v):
                return base + v
            return inner
        def fact(n):
            return 1 if n <= 1 else n * fact(n - 1)
        print(g(3), g(3, w=4), outer()(5), fact(10), sorted([3, 1, 2], key=lambda v: -v))
    """,
    "late-binding closures": """
        funcs = [lambda: i for i in range(3)]
        print([f() for f in funcs])
    """,
    "builtins": """
        print(len([1, 2]), min(3, 1, 2), max([4, 9]), max([], default=0), abs(-3))
        print(round(2.567, 2), round(2.5), round(3.5), float("1.5"), int("42"), int(3.9))
        print(isinstance(3, int), isinstance([], (list, tuple)), isinstance(True, int))
        print(sum([1, 2, 3]), sum([0.5, 0.25], 1), list(range(2, 10, 3)), tuple([1, 2]))
        print(sorted([3, 1, 2], reverse=True), any([0, 1]), all([]), dict(a=1), str(5), bool(0))
        print(list(reversed([1, 2, 3])), repr("q"))
    """,
    "f-strings": """
        name = "world"
        x = 3.14159
        print(f"hello {name}! {x:.2f} {x!r} {'q':>4}| {7:03d} {1e-5:g} {name=}")
        width = 6
        print(f"[{name:{width}}]")
    """,
    "list, tuple and dict literals and methods": """
        d = {"a": 1, **{"b": 2}}
        d["c"] = 3
        print(d, d.get("z", 0), list(d.keys()), list(d.items()), d.pop("a"), d)
        lst = [3, 1, 2]
        lst.append(4); lst.extend([5]); lst.sort(); lst[0] = 9; del lst[1]; lst.insert(0, 7)
        print(lst, lst[1:3], lst[::-1], lst[-1], lst.index(9), lst.count(7), (1, 2).count(1))
        print(" Hi There ".strip().lower().split(), "-".join(["a", "b"]), "hi".replace("i", "o"))
    """,
    "sets": """
        seen = {1, 2}
        seen.add(3)
        seen.discard(1)
        print(sorted(seen), 2 in seen, {i % 2 for i in range(5)} | {7}, len(seen))
    """,
    "strings": """
        s = "gradient"
        print(s.upper(), s[1:4], s.startswith("gr"), s.find("d"), len(s), "%d%%" % 50, "%.2f" % 2.5)
    """,
    "assert that holds, and walrus": """
        assert 1 + 1 == 2, "arithmetic"
        if (n := 10) > 5:
            print(n)
    """,
    "print with sep and end": """
        print(1, 2, 3, sep=", ", end="!\\n")
        print()
        print("a", "b", sep="")
    """,
    "math module": """
        import math
        from math import sqrt, pi
        print(math.sqrt(16), pi, math.exp(0), math.log(math.e), sqrt(2), math.floor(2.7))
        print(math.isclose(0.1 + 0.2, 0.3), math.tanh(0.5), math.inf > 10)
    """,
    "annotations are accepted and ignored": """
        x: int = 3
        def f(a: int) -> int:
            return a + x
        print(f(1))
    """,
}

TORCH_SNIPPETS = {
    "torch.no_grad() and enable_grad() as decorators, as makemore writes them": """
        import torch
        w = torch.ones(2, requires_grad=True)

        @torch.no_grad()  # this decorator disables gradient tracking
        def split_loss(x):
            return (x * w).sum()

        @torch.enable_grad()
        def train_loss(x):
            return (x * w).sum()

        with torch.no_grad():
            t = train_loss(torch.ones(2))
        print(split_loss(torch.ones(2)).requires_grad, t.requires_grad, t.grad_fn.name())
    """,
    "the tutorial": """
        import torch

        x = torch.tensor(2.0, requires_grad=True)
        y = x ** 2
        y.backward()
        print(x.grad)
    """,
    "import forms": """
        import torch
        import torch.nn.functional as F
        from torch import tensor, nn
        from torch.nn import functional
        from torch.nn.functional import relu
        x = tensor([-1.0, 2.0])
        print(F.relu(x), nn.functional.relu(x), functional.sigmoid(x), relu(x))
    """,
    "with torch.no_grad()": """
        import torch
        w = torch.tensor([1.0, 2.0], requires_grad=True)
        with torch.no_grad():
            doubled = w * 2
            with torch.enable_grad():
                tripled = w * 3
        print(doubled.requires_grad, tripled.requires_grad, torch.is_grad_enabled())
    """,
    "printing tensors, lists of tensors and f-strings of tensors": """
        import torch
        x = torch.tensor([[1.0, 2.5], [3.0, -4.0]])
        print(x, [x[0], x[1, 1]], (x.sum(),))
        print(f"{x.sum():.3f} {x[0, 0]} {x.shape} {x.dtype}")
        print(torch.arange(6).reshape(2, 3), torch.zeros(2, dtype=torch.int64))
    """,
    "tensor methods and properties": """
        import torch
        x = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
        y = (x * x).sum()
        print(x.shape, x.ndim, x.size(), x.size(0), x.numel(), x.is_leaf, y.is_leaf)
        print(y.grad_fn.name(), x.T, x.mean(), x.max(), x.tolist(), y.item())
        print(x.detach().numpy(), x.clone().requires_grad)
    """,
    "in-place updates and .grad assignment": """
        import torch
        w = torch.tensor(1.0, requires_grad=True)
        for _ in range(2):
            loss = (w * 3) ** 2
            loss.backward()
            with torch.no_grad():
                w -= 0.01 * w.grad
            w.grad = None
        print(w, w.grad)
    """,
    "hooks with a lambda": """
        import torch
        x = torch.tensor([1.0, 2.0], requires_grad=True)
        handle = x.register_hook(lambda grad: grad * 10)
        (x * x).sum().backward()
        print(x.grad)
        handle.remove()
    """,
    "tensors as conditions and loop iterables": """
        import torch
        x = torch.tensor([1.0, -2.0, 3.0])
        for value in x:
            if value > 0:
                print(value)
        print(sum(x), max(x), len(x), float(x[0]), int(x[2]))
    """,
    "return types of reductions along a dim": """
        import torch
        x = torch.tensor([[1.0, 5.0], [3.0, 2.0]])
        values, indices = x.max(dim=1)
        result = x.min(dim=0)
        print(values, indices, result.values, result.indices, result)
    """,
    "python numbers meet tensors": """
        import torch
        x = torch.tensor(2.0, requires_grad=True)
        y = 3 * x + 1 - x / 4
        z = 2 ** x
        y.backward()
        print(y, z, x.grad)
    """,
}


def _python_output(source: str) -> str:
    """What real Python prints for `source` (trusted test code, so exec is fine here)."""
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        exec(compile(source, "<snippet>", "exec"), {"__name__": "__main__"})
    return buffer.getvalue()


def _gradviz_output(source: str) -> str:
    run = run_script(source, "snippet.py")
    assert run.error is None, str(run.error)
    return run.output


@pytest.mark.parametrize("name", PYTHON_SNIPPETS)
def test_python_feature_prints_what_python_prints(name: str) -> None:
    source = textwrap.dedent(PYTHON_SNIPPETS[name])
    assert _gradviz_output(source) == _python_output(source)


@pytest.mark.parametrize("name", TORCH_SNIPPETS)
def test_torch_feature_prints_what_pytorch_prints(name: str) -> None:
    pytest.importorskip("torch")
    source = textwrap.dedent(TORCH_SNIPPETS[name])
    assert _gradviz_output(source) == _python_output(source)


def test_the_tutorial_prints_tensor_4() -> None:
    assert _gradviz_output(textwrap.dedent(TORCH_SNIPPETS["the tutorial"])) == "tensor(4.)\n"


@pytest.mark.parametrize(("source", "message"), [
    ("print(undefined)", "NameError: name 'undefined' is not defined"),
    ("x = [1]\nprint(x[5])", "IndexError: list index out of range"),
    ("print({}['k'])", "KeyError: 'k'"),
    ("print(1 / 0)", "ZeroDivisionError: division by zero"),
    ("a, b = [1, 2, 3]", "ValueError: too many values to unpack (expected 2)"),
    ("a, b, c = [1, 2]", "ValueError: not enough values to unpack (expected 3, got 2)"),
    ("a, b = 5", "TypeError: cannot unpack non-iterable int object"),
    ("def f(x):\n    return x\nf()", "TypeError: f() missing 1 required positional argument: 'x'"),
    ("def f(x):\n    return x\nf(1, 2)",
     "TypeError: f() takes 1 positional argument but 2 were given"),
    ("def f(x):\n    return x\nf(y=1)", "TypeError: f() got an unexpected keyword argument 'y'"),
    ("def f():\n    v = v + 1\nf()",
     "UnboundLocalError: cannot access local variable 'v' where it is not associated with a "
     "value"),
    ("assert 1 > 2, 'one is not more'", "AssertionError: one is not more"),
    ("print(int('x'))", "ValueError: invalid literal for int() with base 10: 'x'"),
    ("print('a' + 1)", 'TypeError: can only concatenate str (not "int") to str'),
    ("import math\nmath.sqrt(-1)", "ValueError: math domain error"),
])
def test_python_errors_read_like_pythons_last_traceback_line(source: str, message: str) -> None:
    run = run_script(source, "bad.py")
    assert run.error is not None
    assert run.error.message == message


def test_scripts_have_the_builtins_the_issue_lists_and_no_others() -> None:
    from gradviz.script.budget import Budget
    from gradviz.script.limits import Limits
    from gradviz.script.safe_builtins import PLAIN, WRAPPED, make_builtins

    names = set(make_builtins(Budget(Limits()), print))
    assert names == set(PLAIN) | set(WRAPPED)
    assert {"len", "min", "max", "abs", "sum", "round", "float", "int", "range", "zip",
            "enumerate", "isinstance", "print"} <= names

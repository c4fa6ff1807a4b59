"""Resource bombs: each is stopped with a LimitError at its line, well within the time budget,
and most before the work is done at all."""

from __future__ import annotations

import time

import pytest

from gradviz.script import LimitError, Limits, ScriptError, run_script

#: name: (script, limits overriding the defaults, words the message must contain)
BOMBS = {
    "endless loop": ("while True:\n    pass\n", {}, "loop iterations"),
    "huge integer power": ("x = 2 ** 10 ** 9\n", {}, "bits"),
    "integer squaring": ("x = 3\nwhile True:\n    x = x * x\n", {}, "bits"),
    "huge shift": ("x = 1 << 10 ** 10\n", {}, "bits"),
    "round to a huge power of ten": ("print(round(1, -10 ** 9))\n", {}, "bits"),
    "string repetition": ("x = 'a' * 10 ** 10\n", {}, "sequence"),
    "list repetition by a tensor": ("import torch\nx = [0] * torch.tensor(10 ** 10)\n", {},
                                    "sequence"),
    "string doubling": ("a = 'a'\nwhile True:\n    a = a + a\n", {}, "sequence"),
    "list self-extension": ("x = [0]\nfor i in range(60):\n    x.extend(x)\n", {}, "sequence"),
    "list += huge range": ("x = []\nx += range(10 ** 12)\n", {}, "sequence"),
    "join of a huge list": ("''.join(['a' * 10 ** 6] * 10 ** 6)\n", {}, "sequence"),
    "f-string width": ("print(f'{1:999999999}')\n", {}, "sequence"),
    "printf width": ("print('%999999999d' % 1)\n", {}, "sequence"),
    "list of a huge range": ("x = list(range(10 ** 12))\n", {}, "sequence"),
    "sum of a huge range": ("print(sum(range(10 ** 12)))\n", {}, "sequence"),
    "sum of a huge generator": ("print(sum(i for i in range(10 ** 12)))\n", {},
                                "loop iterations"),
    "membership in a lazy iterator": ("print(-1 in zip(range(10 ** 12)))\n", {},
                                      "loop iterations"),
    "dict update from a lazy iterator": (
        "d = {}\nd.update(zip(range(10 ** 12), range(10 ** 12)))\n", {}, "loop iterations"),
    "starred unpacking of a huge range": ("a, *b = range(10 ** 12)\n", {}, "loop iterations"),
    "nested comprehension": ("x = [[0] * 1000 for _ in range(10 ** 6)]\n",
                             {"total_elements": 10 ** 6}, "in total"),
    "printing forever": ("while True:\n    print('x' * 1000)\n", {}, "printed"),
    "runaway recursion": ("def f(n):\n    return f(n + 1)\nf(0)\n", {}, "RecursionError"),
    "zeros of 10**10": ("import torch\nx = torch.zeros(10 ** 5, 10 ** 5)\n", {}, "tensor of"),
    "full": ("import torch\nx = torch.full((10 ** 5, 10 ** 5), 1.0)\n", {}, "tensor of"),
    "arange": ("import torch\nx = torch.arange(10 ** 10)\n", {}, "tensor of"),
    "linspace": ("import torch\nx = torch.linspace(0, 1, 10 ** 10)\n", {}, "tensor of"),
    "eye": ("import torch\nx = torch.eye(10 ** 5)\n", {}, "tensor of"),
    "legacy constructor": ("import torch\nx = torch.Tensor(10 ** 5, 10 ** 5)\n", {},
                           "tensor of"),
    "tensor from repeated lists": ("import torch\nx = torch.tensor([[0.0] * 1000] * 100000)\n",
                                   {}, "tensor of"),
    "broadcast outer sum": ("import torch\nx = torch.ones(10 ** 4, 1) + torch.ones(1, 10 ** 4)\n",
                            {}, "tensor of"),
    "outer product by matmul": ("import torch\na = torch.ones(10 ** 4, 1)\nx = a @ a.T\n", {},
                                "tensor of"),
    "F.linear to a huge output": (
        "import torch\nimport torch.nn.functional as F\nx = torch.ones(10 ** 4, 10)\n"
        "y = F.linear(x, x)\n", {}, "tensor of"),
    "addmm to a huge output": (
        "import torch\na = torch.ones(10 ** 4, 1)\ny = torch.addmm(torch.zeros(1), a, a.T)\n",
        {}, "tensor of"),
    "expand": ("import torch\nx = torch.ones(1, 1).expand(10 ** 5, 10 ** 5)\n", {}, "tensor of"),
    "broadcast_to": ("import torch\nx = torch.broadcast_to(torch.ones(1), (10 ** 5, 10 ** 5))\n",
                     {}, "tensor of"),
    "tile": ("import torch\nx = torch.ones(10).tile(10 ** 5, 10 ** 4)\n", {}, "tensor of"),
    "torch.tile": ("import torch\nx = torch.tile(torch.ones(10), (10 ** 9,))\n", {},
                   "tensor of"),
    "index_select": ("import torch\nx = torch.ones(1, 10 ** 4)\n"
                     "y = x.index_select(0, torch.zeros(10 ** 4, dtype=torch.int64))\n", {},
                     "tensor of"),
    "F.pad": ("import torch\nimport torch.nn.functional as F\n"
              "x = F.pad(torch.ones(1, 1), (0, 10 ** 5, 0, 10 ** 5))\n", {}, "tensor of"),
    "new_zeros": ("import torch\nx = torch.ones(1).new_zeros(10 ** 5, 10 ** 5)\n", {},
                  "tensor of"),
    "new_full": ("import torch\nx = torch.ones(1).new_full((10 ** 5, 10 ** 5), 2.0)\n", {},
                 "tensor of"),
    "new_tensor": ("import torch\nx = torch.ones(1).new_tensor([[0.0] * 1000] * 100000)\n", {},
                   "tensor of"),
    "cat of one tensor many times": ("import torch\nx = torch.ones(10 ** 6)\n"
                                     "y = torch.cat([x] * 1000)\n", {}, "tensor of"),
    "advanced indexing": ("import torch\nx = torch.ones(1, 10 ** 4)\n"
                          "y = x[torch.zeros(10 ** 4, dtype=torch.int64)]\n", {}, "tensor of"),
    "max of tensors that broadcast hugely": (
        "import torch\na = torch.ones(10 ** 4, 1)\nb = torch.ones(1, 10 ** 4)\nmax([a, b])\n",
        {}, "tensor of"),
    "sum of tensors that broadcast hugely": (
        "import torch\na = torch.ones(10 ** 4, 1)\nb = torch.ones(1, 10 ** 4)\nsum([a, b])\n",
        {}, "tensor of"),
    "membership among tensors that broadcast hugely": (
        "import torch\na = torch.ones(10 ** 4, 1)\nb = torch.ones(1, 10 ** 4)\na in [b]\n",
        {}, "tensor of"),
    "sorting tensors that broadcast hugely": (
        "import torch\na = torch.ones(10 ** 4, 1)\nb = torch.ones(1, 10 ** 4)\n[a, b].sort()\n",
        {}, "tensor of"),
    "printing one long string a million times": (
        "big = ['a' * 10 ** 6] * 10 ** 6\nprint(big)\n", {}, "text would be"),
    "f-string of one long string a million times": (
        "big = ['a' * 10 ** 6] * 10 ** 6\ntext = f'{big}'\n", {}, "text would be"),
    "a huge print separator": (
        "print(*['x'] * 1000, sep='-' * 10 ** 6)\n", {}, "printed"),
    "many tolist copies": (
        "import torch\nx = torch.ones(10 ** 6)\ncopies = [x.tolist() for _ in range(100)]\n",
        {}, "in total"),
    "torch.Size of a huge range": ("import torch\ntorch.Size(range(10 ** 12))\n", {},
                                   "sequence"),
    "a huge range as a keyword argument": (
        "import torch\ntorch.ones(3).sum(dim=range(10 ** 9))\n", {}, "sequence"),
    "endless tensors": ("import torch\nwhile True:\n    torch.zeros(1)\n", {"tensors": 1000},
                        "tensors"),
    "keeping many tensors": ("import torch\nxs = []\nfor i in range(1000):\n"
                             "    xs.append(torch.zeros(10 ** 6))\n", {}, "in total"),
    "endless hook": ("import torch\nx = torch.tensor(1.0, requires_grad=True)\n"
                     "def h(g):\n    while True:\n        pass\nx.register_hook(h)\n"
                     "(x * 2).backward()\n", {}, "loop iterations"),
    "long backward": ("import torch\nx = torch.tensor(1.0, requires_grad=True)\ny = x\n"
                      "for i in range(2000):\n    y = y * 1.0\ny.backward()\n",
                      {"backward_steps": 500}, "backward steps"),
    "source too long": ("x = 1\n" * 100, {"source_chars": 100}, "longer than"),
    "huge layer": ("import torch\nlayer = torch.nn.Linear(10 ** 5, 10 ** 5)\n", {},
                   "elements"),
    "huge embedding table": ("import torch\ntable = torch.nn.Embedding(10 ** 5, 10 ** 5)\n", {},
                             "elements"),
    "huge layer norm": ("import torch\nnorm = torch.nn.LayerNorm((10 ** 5, 10 ** 5))\n", {},
                        "elements"),
    "huge einsum outer product": ("import torch\nv = torch.ones(10 ** 4)\n"
                                  "m = torch.einsum('i,j->ij', v, v)\n", {}, "elements"),
    "huge categorical sample": ("from torch.distributions import Categorical\nimport torch\n"
                                "a = Categorical(torch.ones(2)).sample((10 ** 5, 10 ** 4))\n",
                                {}, "elements"),
    "diagonal of a long vector": ("import torch\nd = torch.diag(torch.ones(10 ** 5))\n", {},
                                  "elements"),
    "huge permutation": ("import torch\np = torch.randperm(10 ** 9)\n", {}, "elements"),
    "a loader over a huge range": ("from torch.utils.data import DataLoader\n"
                                   "for b in DataLoader(range(10 ** 12), batch_size=10 ** 9):\n"
                                   "    pass\n", {}, "sequence"),
    "huge sample": ("import torch\ni = torch.multinomial(torch.ones(3), 10 ** 9, True)\n", {},
                    "elements"),
    "huge sample, as a method": ("import torch\ni = torch.ones(2, 3).multinomial(10 ** 9, True)\n",
                                 {}, "elements"),
    "huge normal": ("import torch\nz = torch.normal(0., 1., (10 ** 5, 10 ** 5))\n", {},
                    "elements"),
    "layer widening a batch": ("import torch\nlayer = torch.nn.Linear(1, 10 ** 4)\n"
                               "y = layer(torch.zeros(10 ** 4, 1))\n", {}, "elements"),
}


@pytest.mark.parametrize("name", BOMBS)
def test_resource_bomb_is_stopped_quickly_at_its_line(name: str) -> None:
    source, overrides, words = BOMBS[name]
    limits = Limits(**overrides)
    started = time.monotonic()
    run = run_script(source, "bomb.py", limits)
    elapsed = time.monotonic() - started
    assert isinstance(run.error, LimitError), str(run.error)
    assert words in run.error.message
    assert run.error.message.startswith(("limit exceeded:", "RecursionError:"))
    assert 1 <= run.error.line <= source.count("\n") + 1
    assert elapsed < limits.time_seconds / 2


def test_the_wall_clock_budget_stops_a_loop_the_iteration_cap_would_allow() -> None:
    limits = Limits(time_seconds=0.5, loop_iterations=10 ** 12)
    started = time.monotonic()
    run = run_script("while True:\n    pass\n", "slow.py", limits)
    elapsed = time.monotonic() - started
    assert isinstance(run.error, LimitError)
    assert run.error.message == ("limit exceeded: the script ran longer than 0.5 s "
                                 "(Limits.time_seconds)")
    assert run.error.line in (1, 2)
    assert 0.5 <= elapsed < 1.5


@pytest.mark.parametrize("source", [
    "x = " + "(" * 5000 + "1" + ")" * 5000 + "\n",
    "x = " + "-" * 100000 + "1\n",
    "x = []\nfor i in range(100000):\n    x = [x]\nprint(x)\n",
])
def test_pathological_nesting_ends_in_a_clean_error(source: str) -> None:
    run = run_script(source, "deep.py")
    assert isinstance(run.error, ScriptError)
    assert run.error.message.startswith(("SyntaxError", "RecursionError"))


def test_defaults_are_the_documented_ones() -> None:
    limits = Limits()
    assert limits.time_seconds == 10.0
    assert limits.tensor_elements == 10_000_000


def test_limits_are_settings_a_legitimate_script_can_be_given_more_of() -> None:
    source = "x = 'a' * 2000\nprint(len(x))\n"
    assert isinstance(run_script(source, "s.py", Limits(sequence_length=1000)).error, LimitError)
    assert run_script(source, "s.py", Limits(sequence_length=5000)).output == "2000\n"


def test_summing_many_lists_takes_linear_time() -> None:
    started = time.monotonic()
    run = run_script("x = sum([[1]] * 200000, [])\nprint(len(x), x[-1])\n", "sum.py")
    assert run.error is None
    assert run.output == "200000 1\n"
    assert time.monotonic() - started < 2


def test_an_error_message_too_long_to_show_is_shortened() -> None:
    run = run_script("key = ('a' * 10 ** 6,) * 10 ** 6\n{}[key]\n", "key.py")
    assert str(run.error) == "key.py:2:1: KeyError: (message too long to show)"

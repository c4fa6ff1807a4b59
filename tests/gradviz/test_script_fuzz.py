"""Property-based fuzzing: random and mutated scripts never make the runner raise.

Whatever the script, `run_script` returns a Run; if the script failed, its error is a
ScriptError formatted `FILE:LINE:COL: message` with a line inside the script. An exception
escaping `run_script` is a bug in gradviz, and fails these tests.
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gradviz.script import Limits, ScriptError, run_script

EXAMPLES = Path(__file__).resolve().parents[2] / "resources" / "examples"

SEEDS = [path.read_text() for path in sorted(EXAMPLES.glob("*.py"))]
SEEDS += [textwrap.dedent(source) for source in (
    """
    import torch
    import math
    xs = [torch.tensor(float(i), requires_grad=True) for i in range(3)]
    total = sum(x * x for x in xs)
    total.backward()
    print([x.grad for x in xs], math.sqrt(2), {i: i ** 2 for i in range(3)})
    """,
    """
    def f(a, b=2, *rest, **kw):
        return a * b + len(rest)
    values = [f(i) for i in range(4) if i % 2]
    print(values, f"{values!r:>20}", sorted(values, key=lambda v: -v))
    while len(values) < 5:
        values.append(values[-1] + 1)
    """,
)]

#: Fragments a mutation inserts: tokens of the language, of its errors and of its escapes.
FRAGMENTS = [
    "(", ")", "[", "]", "{", "}", ":", ",", ".", "*", "**", "@", "=", "+=", "-", "/", "//",
    "%", "<<", "~", " not ", " and ", " or ", " in ", " is ", " if ", " else ", "lambda ",
    "for ", "while ", "def ", "return ", "break", "continue", "import ", "from ", "with ",
    "0", "1", "-1", "2.5", "10 ** 9", "1e308", "'s'", '"', "f'{x}'", "None", "True", "x", "y",
    "w", "_", "__class__", ".grad", ".backward()", ".item()", ".sum()", ".T", ".numpy()",
    "torch.", "torch.tensor(", "torch.ones(", "torch.zeros(3, 3)", "requires_grad=True",
    "F.relu(", "print(", "len(", "range(", "zip(", "open(", "eval(", "type(", "\n", "\n    ",
    "\t", "#", "\\", "yield ", "class ", "@torch.no_grad()\n", "global x\n",
]

LIMITS = Limits(time_seconds=2.0, loop_iterations=20_000, tensor_elements=100_000,
                total_elements=2_000_000, tensors=5_000, sequence_length=100_000,
                output_chars=100_000, backward_steps=5_000)

ERROR_FORMAT = re.compile(r"^fuzz\.py:(\d+):(\d+): \S")


def _check(source: str) -> None:
    run = run_script(source, "fuzz.py", LIMITS)
    assert isinstance(run.output, str)
    if run.error is not None:
        assert isinstance(run.error, ScriptError)
        match = ERROR_FORMAT.match(str(run.error))
        assert match, str(run.error)
        assert 1 <= int(match.group(1)) <= source.count("\n") + 2
        assert int(match.group(2)) >= 1


@st.composite
def mutated_scripts(draw: st.DrawFn) -> str:
    source = draw(st.sampled_from(SEEDS))
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["delete", "insert", "duplicate_line", "swap_lines"]))
        if kind in ("delete", "insert") and source:
            start = draw(st.integers(0, len(source)))
            if kind == "delete":
                end = draw(st.integers(start, min(len(source), start + 12)))
                source = source[:start] + source[end:]
            else:
                source = source[:start] + draw(st.sampled_from(FRAGMENTS)) + source[start:]
        else:
            lines = source.split("\n")
            i = draw(st.integers(0, len(lines) - 1))
            j = draw(st.integers(0, len(lines) - 1))
            if kind == "duplicate_line":
                lines.insert(j, lines[i])
            else:
                lines[i], lines[j] = lines[j], lines[i]
            source = "\n".join(lines)
    return source


NAMES = ["x", "y", "w", "b", "s", "n"]
ATOMS = ["x", "y", "w", "b", "n", "s", "0", "1", "2.0", "-3", "[1.0, 2.0]", "'a'", "None",
         "torch.tensor(1.5, requires_grad=True)", "torch.ones(2, requires_grad=True)",
         "torch.zeros(2, 2)", "torch.tensor([1, 2])", "range(3)"]
CALLS = ["torch.exp", "torch.tanh", "torch.sigmoid", "F.relu", "torch.sum", "len", "abs",
         "print", "float", "torch.softmax", "max", "sorted", "list"]
METHODS = ["sum()", "mean()", "backward()", "item()", "grad", "tolist()", "shape", "T",
           "detach()", "retain_grad()", "zero_()", "exp()", "requires_grad_()", "numpy()"]
OPERATORS = ["+", "-", "*", "/", "**", "@", "<", "==", "and", "or", "%", "//"]


@st.composite
def expressions(draw: st.DrawFn, depth: int = 0) -> str:
    choice = draw(st.integers(0, 4 if depth < 3 else 0))
    if choice == 0:
        return draw(st.sampled_from(ATOMS))
    if choice == 1:
        left, right = draw(expressions(depth + 1)), draw(expressions(depth + 1))
        return f"({left} {draw(st.sampled_from(OPERATORS))} {right})"
    if choice == 2:
        return f"{draw(st.sampled_from(CALLS))}({draw(expressions(depth + 1))})"
    if choice == 3:
        return f"{draw(expressions(depth + 1))}.{draw(st.sampled_from(METHODS))}"
    return f"[{draw(expressions(depth + 1))} for _ in range({draw(st.integers(0, 3))})]"


@st.composite
def generated_scripts(draw: st.DrawFn) -> str:
    lines = ["import torch", "import torch.nn.functional as F",
             "x = torch.tensor([1.0, -2.0], requires_grad=True)",
             "w = torch.tensor(0.5, requires_grad=True)", "b = torch.zeros(2)", "y = x * w",
             "n = 3", "s = 'text'"]
    for _ in range(draw(st.integers(1, 8))):
        kind = draw(st.integers(0, 3))
        expression = draw(expressions())
        if kind == 0:
            lines.append(f"{draw(st.sampled_from(NAMES))} = {expression}")
        elif kind == 1:
            lines.append(f"print({expression})")
        elif kind == 2:
            lines.append(f"with torch.no_grad():\n    {draw(st.sampled_from(NAMES))} -= "
                         f"{expression}")
        else:
            lines.append(f"for i in range(2):\n    {draw(st.sampled_from(NAMES))} = {expression}")
    return "\n".join(lines) + "\n"


FUZZ = settings(max_examples=150, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@FUZZ
@given(mutated_scripts())
def test_mutated_scripts_fail_only_with_script_errors(source: str) -> None:
    _check(source)


@FUZZ
@given(generated_scripts())
def test_generated_scripts_fail_only_with_script_errors(source: str) -> None:
    _check(source)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=200))
def test_random_text_fails_only_with_script_errors(source: str) -> None:
    _check(source)

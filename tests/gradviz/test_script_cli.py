"""`gradviz run` and `gradviz steps`: the runner on the command line, same code as the app."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from gradviz.cli import main

TUTORIAL = textwrap.dedent("""\
    import torch

    x = torch.tensor(2.0, requires_grad=True)
    y = x ** 2
    y.backward()
    print(x.grad)
""")


@pytest.fixture()
def script(tmp_path: Path):  # noqa: ANN201 - returns a writer
    def write(source: str, name: str = "script.py") -> str:
        path = tmp_path / name
        path.write_text(textwrap.dedent(source), encoding="utf-8")
        return str(path)

    return write


def test_run_prints_what_the_script_prints(script, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", script(TUTORIAL)]) == 0
    captured = capsys.readouterr()
    assert captured.out == "tensor(4.)\n"
    assert captured.err == ""


def test_run_reports_an_error_as_script_line_col_message(script, capsys) -> None:
    path = script("""\
        import torch
        x = torch.ones(3, requires_grad=True)
        print("half")
        (x * 2).backward()
    """)
    assert main(["run", path]) == 1
    captured = capsys.readouterr()
    assert captured.out == "half\n"
    assert captured.err == (f"{path}:4:1: RuntimeError: grad can be implicitly created only for "
                            "scalar outputs\n")


def test_run_reports_a_refused_script_without_running_it(script, capsys) -> None:
    path = script("print('hi')\nimport os\n")
    assert main(["run", path]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith(f"{path}:2:1: not allowed: import of 'os'")


def test_run_reports_a_syntax_error(script, capsys) -> None:
    path = script("x = (1,\n")
    assert main(["run", path]) == 1
    assert capsys.readouterr().err == f"{path}:1:5: SyntaxError: '(' was never closed\n"


def test_run_of_a_missing_file_is_an_error_not_a_traceback(tmp_path: Path, capsys) -> None:
    assert main(["run", str(tmp_path / "missing.py")]) == 2
    assert "gradviz: cannot read" in capsys.readouterr().err


def test_run_time_limit_option(script, capsys) -> None:
    path = script("while True:\n    pass\n")
    assert main(["run", "--time-limit", "0.2", path]) == 1
    assert "longer than 0.2 s" in capsys.readouterr().err


def test_steps_lists_every_backward_step(script, capsys) -> None:
    assert main(["steps", script(TUTORIAL)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1
    assert "PowBackward0: y → x" in lines[0]
    assert "grad None → 4.0" in lines[0]


def test_steps_json_is_one_object_per_line_with_the_step_fields(script, capsys) -> None:
    path = script("""\
        import torch
        w = torch.tensor([1.0, 2.0], requires_grad=True)
        h = w * 3
        loss = h.sum()
        loss.backward()
        loss = (w * w).sum()
        loss.backward()
    """)
    assert main(["steps", "--json", path]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(r["step"], r["backward"], r["index"], r["op"], r["output"], r["input"])
            for r in records] == [
        (1, 1, 0, "SumBackward0", "loss", "h"),
        (2, 1, 1, "MulBackward0", "h", "w"),
        (3, 2, 0, "SumBackward0", "loss", "(w * w)"),
        (4, 2, 1, "MulBackward0", "(w * w)", "w"),
        (5, 2, 2, "MulBackward0", "(w * w)", "w"),
    ]
    first, second, last = records[0], records[1], records[-1]
    assert first["upstream"] == 1.0                       # a 0-d value is a number
    assert first["grad_before"] is None and first["grad_after"] is None  # h keeps no grad
    assert second["contribution"] == [3.0, 3.0]           # others are nested lists
    assert second["grad_before"] is None
    assert second["grad_after"] == [3.0, 3.0]
    assert last["grad_before"] == [4.0, 5.0]               # 3 + w: the first of two edges
    assert last["grad_after"] == [5.0, 7.0]
    assert {"local_formula", "local", "total_after", "input_index"} <= set(last)


def test_steps_of_a_failing_script_lists_the_steps_so_far_then_the_error(script, capsys) -> None:
    path = script("""\
        import torch
        x = torch.tensor(2.0, requires_grad=True)
        y = x ** 3
        y.backward()
        y.backward()
    """)
    assert main(["steps", "--json", path]) == 1
    captured = capsys.readouterr()
    assert len(captured.out.splitlines()) == 1
    assert captured.err.startswith(f"{path}:5:1: RuntimeError: Trying to backward through the "
                                   "graph a second time")


def test_warnings_go_to_stderr_with_their_line(script, capsys) -> None:
    path = script("""\
        import torch
        x = torch.tensor(1.0, requires_grad=True)
        y = x * 2
        print(y.grad)
    """)
    assert main(["run", path]) == 0
    captured = capsys.readouterr()
    assert captured.out == "None\n"
    assert captured.err.startswith(f"{path}:4:7: UserWarning: The .grad attribute")

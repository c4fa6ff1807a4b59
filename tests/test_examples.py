"""Every bundled example, run by `gradviz run` and by real Python with real PyTorch, must print
byte-identical output; the examples that fail on purpose must fail at the same line with
PyTorch's message."""

from __future__ import annotations

import contextlib
import io
import json
import runpy
import traceback
from pathlib import Path

import pytest

from gradviz.cli import main

EXAMPLES = Path(__file__).resolve().parents[1] / "resources" / "examples"
PATHS = sorted(EXAMPLES.glob("*.py"))

TUTORIAL = """\
import torch

x = torch.tensor(2.0, requires_grad=True)
y = x ** 2
y.backward()
print(x.grad)
"""


def _pytorch(path: Path) -> tuple[str, str | None]:
    """What real Python with real PyTorch prints, and `LINE: Type: message` if it raised."""
    output = io.StringIO()
    failure = None
    with contextlib.redirect_stdout(output):
        try:
            runpy.run_path(str(path), run_name="__main__")
        except Exception as error:  # the examples that fail on purpose
            line = [frame.lineno for frame in traceback.extract_tb(error.__traceback__)
                    if frame.filename == str(path)][-1]
            failure = f"{line}: {type(error).__name__}: {error}"
    return output.getvalue(), failure


def test_there_is_an_example_for_every_story_of_the_issue() -> None:
    names = {path.stem for path in PATHS}
    assert {"tutorial", "gradient_accumulation", "retain_grad", "broadcasting", "neuron",
            "mlp_cross_entropy", "sgd_training_loop", "softmax", "no_grad_and_detach",
            "error_backward_twice", "error_non_scalar_backward"} <= names


def test_the_tutorial_example_is_the_tutorial(capsys: pytest.CaptureFixture[str]) -> None:
    path = EXAMPLES / "tutorial.py"
    assert path.read_text() == TUTORIAL
    assert main(["run", str(path)]) == 0
    assert capsys.readouterr().out == "tensor(4.)\n"


@pytest.mark.parametrize("path", PATHS, ids=[p.stem for p in PATHS])
def test_example_tells_its_story_in_comments(path: Path) -> None:
    if path.stem != "tutorial":
        assert path.read_text().startswith("# ")


@pytest.mark.parametrize("path", PATHS, ids=[p.stem for p in PATHS])
def test_example_prints_exactly_what_pytorch_prints(path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("torch")
    status = main(["run", str(path)])
    ours = capsys.readouterr()
    theirs, failure = _pytorch(path)
    assert ours.out == theirs
    if failure is None:
        assert status == 0
        assert ours.err == ""
    else:
        assert path.stem.startswith("error_")
        assert status == 1
        where, _, message = failure.partition(": ")
        reported = ours.err.splitlines()[-1]
        assert reported.startswith(f"{path}:{where}:")
        assert reported.endswith(f": {message}")
        position = reported[len(str(path)):].split(": ")[0]   # ":15:1"
        assert f"{path.name}{position}: " in path.read_text(), "the comment shows the error"


@pytest.mark.parametrize("path", PATHS, ids=[p.stem for p in PATHS])
def test_example_steps_are_listed_as_json(path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["steps", "--json", str(path)])
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert status == (1 if path.stem.startswith("error_") else 0)
    assert records, "every example runs at least one backward pass"
    assert [r["step"] for r in records] == list(range(1, len(records) + 1))
    for record in records:
        assert {"index", "backward", "op", "output", "input", "upstream", "contribution",
                "grad_before", "grad_after"} <= set(record)
        # PyTorch's names: MulBackward0 …, or its autograd namespace's (CopySlices)
        assert record["op"].endswith(tuple("0123456789")) or record["op"].startswith(
            "torch::autograd::")

"""Seventy-two scripts of the kind learners and teachers write while meeting autograd (the autograd
tutorials, "Learning PyTorch with Examples", micrograd's lecture in PyTorch, common mistakes),
run by gradviz and by real PyTorch: each must print what PyTorch prints, errors included.

The few that still differ are listed with the reason; they are strict xfails, so one that
starts matching fails the run until it is taken off the list."""

from __future__ import annotations

import contextlib
import io
import re
import runpy
import warnings
from pathlib import Path

import pytest

from gradviz.script import run_script

SCRIPTS = sorted((Path(__file__).resolve().parent / "tutorials").glob("*.py"))
ADDRESS = re.compile(r"0x[0-9a-f]{6,16}")  # object addresses differ run to run

KNOWN = {
    "s44_grad_fn_chain": "__name__ attributes are refused by design",
}


def _pytorch(path: Path) -> tuple[str, str | None]:
    """What real Python with real PyTorch prints, and the error it ended with."""
    torch = pytest.importorskip("torch")
    output = io.StringIO()
    error = None
    with contextlib.redirect_stdout(output), torch.random.fork_rng(), torch.enable_grad(), \
            warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            runpy.run_path(str(path), run_name="__main__")
        except Exception as exc:  # noqa: BLE001 - the scripts that fail on purpose
            error = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    return output.getvalue(), error


@pytest.mark.parametrize("path", [
    pytest.param(p, marks=pytest.mark.xfail(strict=True, reason=KNOWN[p.stem]))
    if p.stem in KNOWN else p for p in SCRIPTS], ids=[p.stem for p in SCRIPTS])
def test_a_learners_script_prints_what_pytorch_prints(path: Path) -> None:
    theirs, failure = _pytorch(path)
    run = run_script(path.read_text(), path.name)
    assert ADDRESS.sub("0x…", run.output) == ADDRESS.sub("0x…", theirs)
    assert (run.error.message if run.error else None) == failure


def test_the_sweep_is_whole() -> None:
    assert len(SCRIPTS) == 72
    assert set(KNOWN) <= {p.stem for p in SCRIPTS}

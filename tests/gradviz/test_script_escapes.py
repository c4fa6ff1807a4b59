"""Escape attempts: a script is untrusted input and must not be able to touch the machine.

Every attempt must be refused with an error at its line and column, and while it runs a
Python audit hook watches for anything that reads or writes files, starts processes, opens
sockets, imports, compiles or execs code, or reaches frames, code objects and globals.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

import engine
from gradviz.script import NotAllowedError, ScriptError, run_script

SECRET_TEXT = "the learner's private notes"

#: Audit events no script may cause (prefixes). `compile` is allowed only for the script's own
#: parse (ast.parse raises it), which the hook checks separately.
FORBIDDEN_EVENTS = (
    "open", "os.", "subprocess.", "socket.", "shutil.", "ctypes.", "exec", "import", "compile",
    "object.__getattr__", "object.__setattr__", "object.__delattr__", "builtins.input",
    "builtins.breakpoint", "sys.", "code.__new__", "function.__new__", "marshal.", "pickle.",
    "urllib.", "http.", "glob.", "tempfile.", "mmap.", "fcntl.", "webbrowser.", "cpython.",
    "ftplib.", "smtplib.", "telnetlib.", "imaplib.", "poplib.", "nntplib.", "sqlite3.",
)

SCRIPT_NAME = "escape.py"


class _Tripwire:
    """Records forbidden audit events while armed. (Audit hooks cannot be removed, so one
    hook is installed for the whole session and is inert while disarmed.)"""

    def __init__(self) -> None:
        self.armed = False
        self.events: list[tuple[str, str]] = []

    def __call__(self, event: str, args: tuple[Any, ...]) -> None:
        if not self.armed or not event.startswith(FORBIDDEN_EVENTS):
            return
        if event == "compile" and len(args) > 1 and args[1] == SCRIPT_NAME:
            return  # the runner parsing the script itself
        if event == "sys._getframe" and "shibokensupport" in repr(args):
            return  # PySide6 (loaded by pytest-qt) wraps __import__ and asks for its frame
        self.events.append((event, repr(args)[:200]))


_TRIPWIRE = _Tripwire()
sys.addaudithook(_TRIPWIRE)


@pytest.fixture(scope="module", autouse=True)
def _warm_engine() -> None:
    """Import every engine module and exercise the runner once, so the engine's own lazy
    imports happen before the tripwire is armed."""
    for module in pkgutil.walk_packages(engine.__path__, "engine."):
        importlib.import_module(module.name)
    warm_up = run_script(textwrap.dedent("""
        import torch
        import torch.nn.functional as F
        import math
        x = torch.tensor([[1.0, 2.0]], requires_grad=True)
        y = F.softmax(x @ x.T + 1, dim=1).sum()
        y.backward()
        print(x, x.grad, f"{y:.2f}", math.pi, (i for i in range(1)), lambda: 0)
        x.grad.zero_()
        print(y.grad)
    """), "warm.py")
    assert warm_up.error is None, warm_up.error


@pytest.fixture()
def sandbox(tmp_path: Path) -> Path:
    (tmp_path / "secret.txt").write_text(SECRET_TEXT)
    return tmp_path


def _attempt(source: str, sandbox: Path) -> Any:
    """Run an escape attempt with the tripwire armed; fail on any forbidden event or change."""
    before = sorted(p.name for p in sandbox.iterdir())
    _TRIPWIRE.events.clear()
    _TRIPWIRE.armed = True
    try:
        run = run_script(source, SCRIPT_NAME)
    finally:
        _TRIPWIRE.armed = False
    assert _TRIPWIRE.events == []
    assert sorted(p.name for p in sandbox.iterdir()) == before
    assert (sandbox / "secret.txt").read_text() == SECRET_TEXT
    assert SECRET_TEXT not in run.output
    assert isinstance(run.error, ScriptError), f"not refused: {source!r}"
    return run


SECRET = "{dir}/secret.txt"
TARGET = "{dir}/written.txt"

#: (attempt, what the refusal must name). Each is refused before it can do anything.
REFUSED = [
    # files
    (f"open('{SECRET}').read()", "'open'"),
    (f"open('{TARGET}', 'w').write('x')", "'open'"),
    (f"with open('{SECRET}') as f:\n    print(f.read())", "'open'"),
    (f"print('x', file=open('{TARGET}', 'w'))", "'open'"),
    (f"sorted(['{SECRET}'], key=open)", "'open'"),
    # imports
    ("import os", "import of 'os'"),
    ("import os.path", "import of 'os.path'"),
    ("from os import system", "import of 'os'"),
    ("import subprocess", "import of 'subprocess'"),
    ("import socket", "import of 'socket'"),
    ("import sys", "import of 'sys'"),
    ("import builtins", "import of 'builtins'"),
    ("import importlib", "import of 'importlib'"),
    ("import ctypes", "import of 'ctypes'"),
    ("import numpy as np", "import of 'numpy'"),
    ("import pathlib", "import of 'pathlib'"),
    ("import torch.utils.cpp_extension", "import of 'torch.utils.cpp_extension'"),
    ("import torch.utils.data\ntorch.utils.data.DataLoader.__init__", "attribute '__init__'"),
    ("from torch import *", "import *"),
    ("from . import engine", "relative imports"),
    ("__import__('os').system('touch {dir}/written.txt')", "name '__import__'"),
    # code from strings and reflection
    ("eval('1 + 1')", "'eval'"),
    ("exec('x = 1')", "'exec'"),
    ("compile('1', 'f', 'eval')", "'compile'"),
    ("getattr(1, 'real')", "'getattr'"),
    ("setattr", "'setattr'"),
    ("globals()", "'globals'"),
    ("locals()", "'locals'"),
    ("vars()", "'vars'"),
    ("dir()", "'dir'"),
    ("type('A', (), {})", "cannot create types"),
    ("type(type(1))('A', (), {})", "cannot create types"),
    ("type(1).__subclasses__()", "'__subclasses__'"),
    ("type(1).real", "attributes of classes"),
    ("def f():\n    pass\ntype(f)(f)", "making a function"),
    ("import torch\ntype(torch.ones(1, requires_grad=True).sum().grad_fn)()",
     "making a SumBackward0"),
    ("object()", "'object'"),
    ("input()", "'input'"),
    ("breakpoint()", "'breakpoint'"),
    ("help()", "'help'"),
    ("exit()", "'exit'"),
    ("memoryview(b'x')", "'memoryview'"),
    # classes and decorators
    ("class A(type):\n    pass", "class A(type)"),
    ("class A:\n    def __getattr__(self, name):\n        return name", "method '__getattr__'"),
    ("class A:\n    pass\nA.__subclasses__()", "attribute '__subclasses__'"),
    ("class A:\n    pass\na = A()\na.__class__ = int", "attribute '__class__'"),
    ("class A(metaclass=type):\n    pass", "class keywords"),
    ("import torch\n@print\nclass N(torch.nn.Module):\n    pass", "decorators"),
    ("class N:\n    @property\n    def f(self):\n        pass", "decorators of methods"),
    ("@exec\ndef f():\n    pass", "'exec'"),
    ("@globals\ndef f():\n    pass", "'globals'"),
    ("import torch\n@torch.no_grad().__class__\ndef f():\n    pass", "attribute '__class__'"),
    # dunders and private names
    ("().__class__.__bases__[0].__subclasses__()", "attribute '__class__'"),
    ("[c for c in ().__class__.__base__.__subclasses__()]", "attribute '__class__'"),
    ("print.__self__", "attribute '__self__'"),
    ("def f():\n    pass\nf.__globals__", "attribute '__globals__'"),
    ("def f():\n    pass\nf.__code__", "attribute '__code__'"),
    ("(lambda: 0).__globals__['__builtins__']", "attribute '__globals__'"),
    ("import torch\ntorch.__dict__", "attribute '__dict__'"),
    ("import math\nmath.__loader__", "attribute '__loader__'"),
    ("__builtins__", "name '__builtins__'"),
    ("import torch\ntorch.tensor(1.0)._data", "attribute '_data'"),
    ("'{0.__class__}'.format(1)", "'{0.__class__}' in a format string"),
    ("'{0.real.__class__}'.format(1)", "'{0.real.__class__}' in a format string"),
    ("'{0[0]}'.format(['x'])", "'{0[0]}' in a format string"),
    ("'{:{0.__class__}}'.format(1)", "'{0.__class__}' in a format string"),
    # frames of generators
    ("g = (i for i in range(3))\ng.gi_frame.f_globals", "attribute 'gi_frame'"),
    ("g = (i for i in range(3))\ng.gi_code", "attribute 'gi_code'"),
    # string formatting that can reach attributes
    ("'{x.__class__}'.format_map({'x': 1})", "attribute 'format_map'"),
    # numpy's file, pointer and raw-memory methods
    (f"import torch\ntorch.ones(3).numpy().tofile('{TARGET}')", "attribute 'tofile'"),
    (f"import torch\ntorch.ones(3).numpy().dump('{TARGET}')", "attribute 'dump'"),
    ("import torch\ntorch.ones(3).numpy().dumps()", "attribute 'dumps'"),
    ("import torch\ntorch.ones(3).numpy().ctypes", "attribute 'ctypes'"),
    ("import torch\ntorch.ones(3).numpy().tobytes()", "attribute 'tobytes'"),
    ("import torch\ntorch.ones(3).numpy().base", "attribute 'base'"),
    ("import torch\ntorch.ones(3).data_ptr()", "attribute 'data_ptr'"),
    ("import torch\nx = torch.ones(3)\nx.storage()", "attribute 'storage'"),
    # language features outside the subset
    ("try:\n    x = 1\nexcept Exception:\n    pass", "try statements"),
    ("raise ValueError('x')", "raise statements"),
    ("def f():\n    global x\n    x = 1", "global statements"),
    ("def f():\n    yield 1", "yield"),
    ("async def f():\n    pass", "async functions"),
    # assigning outside a tensor's grad, requires_grad and data
    ("import torch\ntorch.tensor = print", "setting attribute 'tensor'"),
    ("import torch\nx = torch.ones(1)\nx.name = 'y'", "setting attribute 'name'"),
    ("x = [1]\nx.append = print", "setting attribute 'append'"),
    ("import torch\nwith torch.ones(1):\n    pass", "'with' works only with"),
]

#: Attempts refused because the thing does not exist for scripts (PyTorch or engine names
#: that are not on the allowlist): still refused, just as an AttributeError.
MISSING = [
    ("import torch\ntorch.save(torch.ones(1), '{dir}/written.txt')",
     "module 'torch' has no attribute 'save'"),
    ("import torch\ntorch.load('{dir}/secret.txt')", "module 'torch' has no attribute 'load'"),
    ("import torch\ntorch.from_file('{dir}/secret.txt')", "has no attribute 'from_file'"),
    ("import torch.nn.functional as F\nF.np.load('{dir}/secret.txt')",
     "module 'torch.nn.functional' has no attribute 'np'"),
    ("import torch.nn.functional as F\nF.warnings", "has no attribute 'warnings'"),
    ("import torch\ntorch.on_tensor_created(print)", "has no attribute 'on_tensor_created'"),
    ("import torch\ntorch.on_backward_step(print)", "has no attribute 'on_backward_step'"),
    ("import torch\ntorch.trace(torch.ones(1))", "has no attribute 'trace'"),
    ("import torch\nx = torch.ones(1, requires_grad=True)\n(x * 2).grad_fn.inputs",
     "attribute 'inputs'"),
]


@pytest.mark.parametrize(("attempt", "named"), REFUSED, ids=[a for a, _ in REFUSED])
def test_escape_attempt_is_refused_and_touches_nothing(attempt: str, named: str,
                                                       sandbox: Path) -> None:
    source = attempt.replace("{dir}", str(sandbox))
    run = _attempt(source, sandbox)
    assert isinstance(run.error, NotAllowedError), str(run.error)
    assert "not allowed" in run.error.message
    assert named in run.error.message
    assert str(run.error).startswith(f"{SCRIPT_NAME}:{run.error.line}:{run.error.col}: ")


@pytest.mark.parametrize(("attempt", "named"), MISSING, ids=[a for a, _ in MISSING])
def test_names_outside_the_allowlist_do_not_exist_for_scripts(attempt: str, named: str,
                                                              sandbox: Path) -> None:
    run = _attempt(attempt.replace("{dir}", str(sandbox)), sandbox)
    assert named in run.error.message


def test_a_refusal_names_the_line_and_column_of_the_attempt(sandbox: Path) -> None:
    run = _attempt("import torch\nx = torch.ones(2)\ny = [x, open('f')]\n", sandbox)
    assert (run.error.line, run.error.col) == (3, 9)
    assert str(run.error) == ("escape.py:3:9: not allowed: 'open' (scripts cannot read or write "
                              "files)")


def test_a_structural_refusal_happens_before_any_line_runs(sandbox: Path) -> None:
    run = _attempt("print('ran')\nimport os\n", sandbox)
    assert run.output == ""
    assert (run.error.line, run.error.col) == (2, 1)


def test_a_script_cannot_swallow_a_refusal_with_a_hook(sandbox: Path) -> None:
    source = textwrap.dedent("""
        import torch
        x = torch.tensor(1.0, requires_grad=True)
        x.register_hook(lambda g: eval('g'))
        (x * 2).backward()
    """)
    run = _attempt(source, sandbox)
    assert isinstance(run.error, NotAllowedError)
    assert run.error.line == 4


def test_shadowing_a_forbidden_builtin_does_not_unlock_it(sandbox: Path) -> None:
    run = _attempt("def f():\n    return open\nopen = f()\n", sandbox)
    assert isinstance(run.error, NotAllowedError)
    assert run.error.line == 2


def test_input_is_an_ordinary_variable_name(sandbox: Path) -> None:
    run = run_script("import torch\ninput = torch.ones(2)\nprint(input.sum())\n", "ok.py")
    assert run.error is None
    assert run.output == "tensor(2.)\n"


def test_the_tripwire_sees_what_it_guards_against(sandbox: Path) -> None:
    _TRIPWIRE.events.clear()
    _TRIPWIRE.armed = True
    try:
        (sandbox / "secret.txt").read_text()
    finally:
        _TRIPWIRE.armed = False
    assert [event for event, _ in _TRIPWIRE.events] == ["open"]


def test_the_refusal_of_an_import_lists_exactly_what_a_script_may_import() -> None:
    run = run_script("import os\n", "imports.py")
    assert isinstance(run.error, NotAllowedError)
    listed = run.error.message.split("can import only ")[1].rstrip(")")
    modules = listed.replace(" and ", ", ").split(", ")
    assert "torch.autograd" in modules and "torch.utils" in modules
    for module in modules:
        assert run_script(f"import {module}\n", "allowed.py").error is None, module

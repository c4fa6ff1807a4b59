"""What a script can do wrong, reported as `SCRIPT:LINE:COL: message` and nothing more."""

from __future__ import annotations


class ScriptError(Exception):
    """An error caused by the script: where it happened and what PyTorch or Python would say.

    `line` and `col` are 1-based, as editors show them. `message` reads like the last line of
    a Python traceback (`RuntimeError: ...`) or says what a script is not allowed to do.
    """

    def __init__(self, filename: str, line: int, col: int, message: str) -> None:
        super().__init__(filename, line, col, message)
        self.filename = filename
        self.line = line
        self.col = col
        self.message = message

    def __str__(self) -> str:
        return f"{self.filename}:{self.line}:{self.col}: {self.message}"


class NotAllowedError(ScriptError):
    """The script reached for something outside the allowlist (files, `eval`, dunders...)."""


class LimitError(ScriptError):
    """The script went over one of its resource limits (time, loops, sizes, recursion...)."""


class CancelledError(ScriptError):
    """The run was cancelled from outside (the app started another one, or the user asked)."""


class ScriptFault(Exception):
    """Raised by the safe builtins and checks before the interpreter knows where it happened.

    The interpreter turns it into the `ScriptError` subclass `kind` at the node being run.
    """

    def __init__(self, message: str, kind: type[ScriptError] = ScriptError) -> None:
        super().__init__(message)
        self.message = message
        self.kind = kind


def not_allowed(message: str) -> ScriptFault:
    return ScriptFault(message, NotAllowedError)


def over_limit(message: str) -> ScriptFault:
    return ScriptFault(message, LimitError)


class ScriptWarning:
    """A warning the script triggered (PyTorch's UserWarnings), at the line that triggered it."""

    __slots__ = ("filename", "line", "col", "message")

    def __init__(self, filename: str, line: int, col: int, message: str) -> None:
        self.filename = filename
        self.line = line
        self.col = col
        self.message = message

    def __str__(self) -> str:
        return f"{self.filename}:{self.line}:{self.col}: {self.message}"

    def __repr__(self) -> str:
        return f"ScriptWarning({str(self)!r})"

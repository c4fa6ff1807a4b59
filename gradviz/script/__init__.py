"""The script runner: PyTorch-style code, run safely against the engine, recorded as a `Run`.

Qt-free, so the command line, the tests and the app share it.
"""

from gradviz.script.errors import (
    CancelledError,
    LimitError,
    NotAllowedError,
    ScriptError,
    ScriptWarning,
)
from gradviz.script.limits import Limits
from gradviz.script.run import Run, run_script
from gradviz.script.source_span import SourceSpan

__all__ = ["CancelledError", "LimitError", "Limits", "NotAllowedError", "Run", "ScriptError",
           "ScriptWarning", "SourceSpan", "run_script"]

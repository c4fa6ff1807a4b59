"""The script runner: PyTorch-style code, run safely against the engine, recorded as a `Run`.

Qt-free, so the command line, the tests and the app share it. `run_script(source, filename,
limits, cancel)` never raises for anything the script does; see `Run` for what it returns.

The language is a Python subset large enough for tutorial code: assignments (unpacking,
augmented, annotated), arithmetic, comparisons, `if`/`elif`/`else`, conditional expressions,
`for` and `while` with `break`/`continue`/`else`, comprehensions and generator expressions,
`def` and `lambda` (positional, keyword, default, `*args`, `**kwargs`, closures, recursion),
`return`, `assert`, `del`, `with torch.no_grad():`, f-strings and `%`-formatting, list, tuple,
dict and set literals, and the builtins in `safe_builtins`. `import torch`,
`import torch.nn.functional as F`, `from torch import ...` bind the engine; `import math` a
safe math module (`safe_math`).

Everything else is refused before or when it is reached, at its line and column: other
imports, classes, decorators, `try`/`raise`, `global`, generators, async code, names and
attributes starting with `_`, and every builtin, module member and attribute that is not on
the allowlist (`allowlist`). Resources are bounded by `Limits`.
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

"""Functions a script defines with `def` or `lambda`: callable by the script and by the engine
(a hook), with no attribute a script can reach (no `__globals__`, no `__code__`)."""

from __future__ import annotations

import ast
from collections.abc import Callable
from typing import Any

from gradviz.script.scope import Scope, local_names


class ReturnSignal(BaseException):
    """`return value`: a BaseException so that no `except Exception` in the engine catches it."""

    def __init__(self, value: Any) -> None:
        super().__init__()
        self.value = value


class ScriptFunction:
    """A `def` or `lambda` of the script, bound to the scope it was defined in."""

    __slots__ = ("name", "node", "closure", "defaults", "kw_defaults", "local_names", "_run",
                 "owner")

    def __init__(self, node: ast.FunctionDef | ast.Lambda, closure: Scope, defaults: list[Any],
                 kw_defaults: dict[str, Any], run: Callable[[ScriptFunction, Scope], Any]
                 ) -> None:
        self.name = node.name if isinstance(node, ast.FunctionDef) else "<lambda>"
        self.node = node
        self.closure = closure
        self.defaults = defaults
        self.kw_defaults = kw_defaults
        self.local_names = local_names(node)
        self._run = run
        self.owner: type | None = None  # for a method: the script class that defines it

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        scope = Scope(self.closure, self.local_names, bind_arguments(self, args, kwargs))
        return self._run(self, scope)

    def __repr__(self) -> str:
        return f"<function {self.name} at {id(self):#x}>"


def bind_arguments(function: ScriptFunction, args: tuple, kwargs: dict[str, Any]
                   ) -> dict[str, Any]:
    """Python's argument binding, with Python's TypeError messages."""
    spec = function.node.args
    name = function.name
    positional = [a.arg for a in spec.posonlyargs + spec.args]
    positional_only = {a.arg for a in spec.posonlyargs}
    keyword_only = [a.arg for a in spec.kwonlyargs]
    values: dict[str, Any] = {}

    if len(args) > len(positional) and spec.vararg is None:
        given = len(args)
        expected = len(positional)
        what = "argument" if expected == 1 else "arguments"
        verb = "was" if given == 1 else "were"
        if function.defaults:
            low = expected - len(function.defaults)
            raise TypeError(f"{name}() takes from {low} to {expected} positional {what} but "
                            f"{given} {verb} given")
        raise TypeError(f"{name}() takes {expected} positional {what} but {given} {verb} given")
    for param, value in zip(positional, args, strict=False):
        values[param] = value
    if spec.vararg is not None:
        values[spec.vararg.arg] = tuple(args[len(positional):])

    extra: dict[str, Any] = {}
    for key, value in kwargs.items():
        if key in positional_only or (key not in positional and key not in keyword_only):
            if spec.kwarg is None:
                raise TypeError(f"{name}() got an unexpected keyword argument '{key}'")
            extra[key] = value
        elif key in values:
            raise TypeError(f"{name}() got multiple values for argument '{key}'")
        else:
            values[key] = value
    if spec.kwarg is not None:
        values[spec.kwarg.arg] = extra

    first_default = len(positional) - len(function.defaults)
    missing = []
    for index, param in enumerate(positional):
        if param not in values:
            if index >= first_default:
                values[param] = function.defaults[index - first_default]
            else:
                missing.append(param)
    if missing:
        raise TypeError(_missing(name, missing, "positional"))
    missing = []
    for param in keyword_only:
        if param not in values:
            if param in function.kw_defaults:
                values[param] = function.kw_defaults[param]
            else:
                missing.append(param)
    if missing:
        raise TypeError(_missing(name, missing, "keyword-only"))
    return values


def _missing(name: str, params: list[str], kind: str) -> str:
    quoted = [f"'{p}'" for p in params]
    if len(quoted) == 1:
        listed = quoted[0]
    else:
        listed = ", ".join(quoted[:-1]) + (" and " if len(quoted) == 2 else ", and ") + quoted[-1]
    what = "argument" if len(params) == 1 else "arguments"
    return f"{name}() missing {len(params)} required {kind} {what}: {listed}"

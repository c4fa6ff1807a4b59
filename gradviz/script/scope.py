"""Python's scoping rules for scripts: module globals, function locals, closures, comprehensions."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from typing import Any


class Scope:
    """One namespace. `local_names` is None for the module, which holds any name it is given;
    a function or comprehension scope holds exactly the names Python would make local to it."""

    __slots__ = ("values", "parent", "local_names", "is_comprehension")

    def __init__(self, parent: Scope | None = None, local_names: frozenset[str] | None = None,
                 values: dict[str, Any] | None = None, is_comprehension: bool = False) -> None:
        self.values: dict[str, Any] = {} if values is None else values
        self.parent = parent
        self.local_names = local_names
        self.is_comprehension = is_comprehension

    def owner(self, name: str) -> Scope | None:
        """The scope `name` belongs to: the innermost one where it is local, or the module."""
        scope: Scope | None = self
        while scope is not None:
            if scope.local_names is None or name in scope.local_names:
                return scope
            scope = scope.parent
        return None

    def function_scope(self) -> Scope:
        """Where a walrus (`:=`) binds: the nearest scope that is not a comprehension."""
        scope = self
        while scope.is_comprehension and scope.parent is not None:
            scope = scope.parent
        return scope


def target_names(target: ast.AST) -> Iterator[str]:
    """The names an assignment target binds (`a`, `a, (b, *c)`), not attributes or items."""
    if isinstance(target, ast.Name):
        yield target.id
    elif isinstance(target, (ast.Tuple, ast.List)):
        for element in target.elts:
            yield from target_names(element)
    elif isinstance(target, ast.Starred):
        yield from target_names(target.value)


def local_names(function: ast.FunctionDef | ast.Lambda) -> frozenset[str]:
    """The names local to a function: its parameters and every name its body binds."""
    arguments = function.args
    names = {a.arg for a in arguments.posonlyargs + arguments.args + arguments.kwonlyargs}
    names |= {a.arg for a in (arguments.vararg, arguments.kwarg) if a is not None}
    body = [function.body] if isinstance(function, ast.Lambda) else function.body
    for statement in body:
        names |= _bound_in(statement)
    return frozenset(names)


def comprehension_names(node: ast.ListComp | ast.SetComp | ast.DictComp | ast.GeneratorExp
                        ) -> frozenset[str]:
    return frozenset(name for generator in node.generators
                     for name in target_names(generator.target))


def _bound_in(node: ast.AST) -> set[str]:
    """Names bound by `node`, not looking inside nested functions or comprehension targets."""
    names: set[str] = set()
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, ast.ClassDef):  # its body is its own namespace
            names.add(current.name)
            stack.extend([*current.decorator_list, *current.bases, *current.keywords])
            continue
        if isinstance(current, (ast.FunctionDef, ast.AsyncFunctionDef)):
            names.add(current.name)
            stack.extend(current.decorator_list)
            stack.extend(d for d in current.args.defaults)
            stack.extend(d for d in current.args.kw_defaults if d is not None)
            continue
        if isinstance(current, ast.Lambda):
            stack.extend(current.args.defaults)
            stack.extend(d for d in current.args.kw_defaults if d is not None)
            continue
        if isinstance(current, ast.Name) and isinstance(current.ctx, (ast.Store, ast.Del)):
            names.add(current.id)
        elif isinstance(current, (ast.Import, ast.ImportFrom)):
            for alias in current.names:
                names.add(alias.asname or alias.name.split(".")[0])
        elif isinstance(current, (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)):
            # Comprehension targets are local to the comprehension; a walrus inside is not.
            own = comprehension_names(current)
            names |= {n for n in _walrus_names(current) if n not in own}
            continue
        stack.extend(ast.iter_child_nodes(current))
    return names


def _walrus_names(node: ast.AST) -> set[str]:
    return {n.target.id for n in ast.walk(node) if isinstance(n, ast.NamedExpr)}

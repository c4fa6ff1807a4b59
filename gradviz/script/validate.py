"""The static check every script passes before a single line of it runs.

It refuses, with the line and column, every construct outside the language of gradviz scripts
(decorators of classes and methods, `try`, `global`, generators, async code, imports other
than torch and math, attributes starting with `_`, classes holding anything but methods), and
the syntax errors Python's compiler would report after parsing (`break` outside a loop,
`return` outside a function).
"""

from __future__ import annotations

import ast

from gradviz.script.allowlist import ALLOWED_IMPORTS, ALWAYS_REFUSED, refused_import
from gradviz.script.errors import ScriptFault, not_allowed

#: Constructs a script may not use, and how the refusal names them.
REFUSED: dict[type[ast.AST], str] = {
    ast.AsyncFunctionDef: "async functions",
    ast.AsyncFor: "async for",
    ast.AsyncWith: "async with",
    ast.Await: "await",
    ast.Try: "try statements",
    ast.Raise: "raise statements",
    ast.Global: "global statements",
    ast.Nonlocal: "nonlocal statements",
    ast.Yield: "yield (generator functions)",
    ast.YieldFrom: "yield from (generator functions)",
    ast.Match: "match statements",
}
if hasattr(ast, "TryStar"):
    REFUSED[ast.TryStar] = "try statements"
if hasattr(ast, "TypeAlias"):
    REFUSED[ast.TypeAlias] = "type aliases"


class Fault(ScriptFault):
    """A static fault that knows its node."""

    def __init__(self, node: ast.AST, fault: ScriptFault) -> None:
        super().__init__(fault.message, fault.kind)
        self.node = node


def validate(tree: ast.Module) -> None:
    """Raise `Fault` at the first construct a script may not use."""
    _Validator().visit(tree)


def _syntax(node: ast.AST, message: str) -> Fault:
    return Fault(node, ScriptFault(f"SyntaxError: {message}"))


class _Validator(ast.NodeVisitor):
    def __init__(self) -> None:
        self.loops = 0
        self.functions = 0

    def generic_visit(self, node: ast.AST) -> None:
        refused = REFUSED.get(type(node))
        if refused is not None:
            raise Fault(node, not_allowed(f"not allowed: {refused}"))
        super().generic_visit(node)

    def visit_Attribute(self, node: ast.Attribute) -> None:
        self.generic_visit(node)  # the innermost refusal first: `().__class__.__bases__`
        if node.attr in ("__init__", "__call__") and _is_super_call(node.value):
            return
        if node.attr.startswith("_") or node.attr in ALWAYS_REFUSED:
            raise Fault(node, not_allowed(f"not allowed: attribute '{node.attr}'"))

    def visit_Name(self, node: ast.Name) -> None:
        if node.id.startswith("__") and node.id != "__name__":
            raise Fault(node, not_allowed(f"not allowed: name '{node.id}'"))

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self._check_module(node, alias.name)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        if node.level:
            raise Fault(node, not_allowed("not allowed: relative imports"))
        self._check_module(node, node.module or "")
        for alias in node.names:
            if alias.name == "*":
                raise Fault(node, not_allowed("not allowed: import *"))
            if alias.name.startswith("_"):
                raise Fault(node, not_allowed(f"not allowed: name '{alias.name}'"))

    def _check_module(self, node: ast.AST, module: str) -> None:
        if module not in ALLOWED_IMPORTS:
            raise Fault(node, refused_import(module))

    def _function(self, node: ast.FunctionDef | ast.Lambda) -> None:
        # a function's decorators are calls like any other (`@torch.no_grad()`), checked alike
        for decorator in getattr(node, "decorator_list", ()):
            self.visit(decorator)
        arguments = node.args
        names = [a.arg for a in arguments.posonlyargs + arguments.args + arguments.kwonlyargs]
        names += [a.arg for a in (arguments.vararg, arguments.kwarg) if a is not None]
        seen: set[str] = set()
        for name in names:
            if name in seen:
                raise _syntax(node, f"duplicate argument '{name}' in function definition")
            if name.startswith("__"):
                raise Fault(node, not_allowed(f"not allowed: name '{name}'"))
            seen.add(name)
        for default in arguments.defaults + [d for d in arguments.kw_defaults if d is not None]:
            self.visit(default)
        loops, self.loops = self.loops, 0
        self.functions += 1
        if isinstance(node, ast.Lambda):
            self.visit(node.body)
        else:
            for statement in node.body:
                self.visit(statement)
        self.functions -= 1
        self.loops = loops

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        if node.decorator_list:
            raise Fault(node.decorator_list[0], not_allowed("not allowed: decorators"))
        if node.keywords or getattr(node, "type_params", None):
            raise Fault(node, not_allowed("not allowed: class keywords and type parameters"))
        if len(node.bases) > 1:
            raise Fault(node.bases[1], not_allowed("not allowed: more than one base class"))
        if node.name.startswith("__"):
            raise Fault(node, not_allowed(f"not allowed: name '{node.name}'"))
        for base in node.bases:
            self.visit(base)
        for item in node.body:
            if isinstance(item, ast.FunctionDef):
                if item.decorator_list:
                    raise Fault(item.decorator_list[0], not_allowed(
                        "not allowed: decorators of methods (a class holds plain methods)"))
                if item.name.startswith("_") and item.name not in ("__init__", "__call__"):
                    raise Fault(item, not_allowed(
                        f"not allowed: method '{item.name}' (a class may define __init__, "
                        f"__call__, forward and methods whose names do not start with '_')"))
                self._function(item)
            elif not (isinstance(item, ast.Pass) or _is_docstring(item)):
                raise Fault(item, not_allowed("not allowed: a class body holds only methods "
                                              "(def) and its docstring"))

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        if node.name.startswith("__"):
            raise Fault(node, not_allowed(f"not allowed: name '{node.name}'"))
        self._function(node)

    def visit_Lambda(self, node: ast.Lambda) -> None:
        self._function(node)

    def _loop(self, node: ast.For | ast.While) -> None:
        if isinstance(node, ast.For):
            self.visit(node.target)
            self.visit(node.iter)
        else:
            self.visit(node.test)
        self.loops += 1
        for statement in node.body:
            self.visit(statement)
        self.loops -= 1
        for statement in node.orelse:
            self.visit(statement)

    visit_For = _loop
    visit_While = _loop

    def visit_Break(self, node: ast.Break) -> None:
        if not self.loops:
            raise _syntax(node, "'break' outside loop")

    def visit_Continue(self, node: ast.Continue) -> None:
        if not self.loops:
            raise _syntax(node, "'continue' not properly in loop")

    def visit_Return(self, node: ast.Return) -> None:
        if not self.functions:
            raise _syntax(node, "'return' outside function")
        self.generic_visit(node)

    def visit_Starred(self, node: ast.Starred) -> None:
        self.generic_visit(node)

    def visit_Expr(self, node: ast.Expr) -> None:
        if isinstance(node.value, ast.Starred):
            raise _syntax(node, "can't use starred expression here")
        self.generic_visit(node)


def _is_super_call(node: ast.AST) -> bool:
    """`super()` or `super(Class, self)`, whose `__init__` a module's `__init__` calls."""
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and \
        node.func.id == "super"


def _is_docstring(node: ast.AST) -> bool:
    return isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and \
        isinstance(node.value.value, str)

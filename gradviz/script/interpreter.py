"""The evaluator: walks a validated script's syntax tree and does what Python would do.

Script text never reaches `exec` or `eval`. Every value a script touches comes from a literal,
an allowlisted builtin or module, or an allowlisted attribute of a value it already has; every
operation that could run away is checked against the run's `Budget` first. Errors the script
causes come out as a `ScriptError` at the innermost node that raised them; errors in the
interpreter itself are not caught, so they surface as bugs instead of hiding as script errors.
"""

from __future__ import annotations

import ast
import itertools
import operator
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import engine
from engine import torch_names
from gradviz.script import safe_ops, tensor_sizes
from gradviz.script.allowlist import (
    FORBIDDEN_NAMES,
    SETTABLE_TENSOR_ATTRIBUTES,
    as_array_like,
    get_attribute,
    materialize,
    script_modules,
)
from gradviz.script.budget import Budget, Cancel
from gradviz.script.classes import (
    NO_ARGUMENT,
    ScriptModuleBase,
    ScriptObjectBase,
    make_class,
    make_super,
)
from gradviz.script.errors import ScriptError, ScriptFault, not_allowed, over_limit
from gradviz.script.functions import ReturnSignal, ScriptFunction
from gradviz.script.limits import Limits
from gradviz.script.recorder import Recorder
from gradviz.script.safe_builtins import make_builtins
from gradviz.script.scope import Scope, comprehension_names
from gradviz.script.source_span import SourceMap
from gradviz.script.text_size import check_text_size, text_bound

BINARY: dict[type[ast.operator], Callable[[Any, Any], Any]] = {
    ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
    ast.Div: operator.truediv, ast.FloorDiv: operator.floordiv, ast.Mod: operator.mod,
    ast.Pow: operator.pow, ast.MatMult: operator.matmul, ast.LShift: operator.lshift,
    ast.RShift: operator.rshift, ast.BitAnd: operator.and_, ast.BitOr: operator.or_,
    ast.BitXor: operator.xor,
}
IN_PLACE: dict[type[ast.operator], Callable[[Any, Any], Any]] = {
    ast.Add: operator.iadd, ast.Sub: operator.isub, ast.Mult: operator.imul,
    ast.Div: operator.itruediv, ast.FloorDiv: operator.ifloordiv, ast.Mod: operator.imod,
    ast.Pow: operator.ipow, ast.MatMult: operator.imatmul, ast.LShift: operator.ilshift,
    ast.RShift: operator.irshift, ast.BitAnd: operator.iand, ast.BitOr: operator.ior,
    ast.BitXor: operator.ixor,
}
UNARY: dict[type[ast.unaryop], Callable[[Any], Any]] = {
    ast.USub: operator.neg, ast.UAdd: operator.pos, ast.Invert: operator.invert,
}
COMPARE: dict[type[ast.cmpop], Callable[[Any, Any], Any]] = {
    ast.Eq: operator.eq, ast.NotEq: operator.ne, ast.Lt: operator.lt, ast.LtE: operator.le,
    ast.Gt: operator.gt, ast.GtE: operator.ge, ast.Is: operator.is_, ast.IsNot: operator.is_not,
}
CONTEXT_MANAGERS = (engine.no_grad, engine.enable_grad, engine.set_grad_enabled)
#: Calls that run a backward pass besides `Tensor.backward` (the tensors they make are
#: gradients, not part of the script's graph).
BACKWARD_FUNCTIONS = tuple(getattr(engine.autograd, name) for name in ("backward", "grad")
                           if hasattr(getattr(engine, "autograd", None), name))
_CONVERSIONS = {ord("s"): str, ord("r"): repr, ord("a"): ascii}
_MAX_MESSAGE = 100_000


class BreakSignal(BaseException):
    """`break`, on its way to the loop that handles it."""


class ContinueSignal(BaseException):
    """`continue`, on its way to the loop that handles it."""


def describe(exc: BaseException) -> str:
    """An exception as the last line of a Python traceback shows it."""
    if isinstance(exc, RecursionError):
        return "RecursionError: maximum recursion depth exceeded"
    if sum(text_bound(arg, _MAX_MESSAGE) for arg in exc.args) > _MAX_MESSAGE:
        return f"{type(exc).__name__}: (message too long to show)"
    text = str(exc)
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def is_engine_callable(function: Any) -> bool:
    """An engine function, method, class or instance (whose calls are size-checked). The
    engine's public classes carry PyTorch's module names, so they are recognized by kind."""
    module = getattr(function, "__module__", None)
    if isinstance(module, str) and (module == "engine" or module.startswith("engine.")):
        return True
    return (function if isinstance(function, type) else type(function)) in torch_names.CLASSES


class Interpreter:
    """Runs one script. `node` is the syntax node being evaluated, for errors and spans."""

    def __init__(self, source_map: SourceMap, limits: Limits, write: Callable[[str], None],
                 cancel: Cancel | None = None) -> None:
        self.map = source_map
        self.limits = limits
        self.budget = Budget(limits, cancel)
        self.builtins = make_builtins(self.budget, write)
        self.modules = script_modules()
        self.recorder = Recorder(source_map, self.budget, lambda: self.node)
        self.globals = Scope(values={"__name__": "__main__"})  # a script runs as a program
        self.named_tensors: dict[str, engine.Tensor] = {}
        self.node: ast.AST | None = None
        self.depth = 0
        self.frames: list[tuple[ScriptFunction, Scope]] = []  # the script's calls running
        self.builtins["super"] = self._super
        self._statements: dict[type, Callable[[Any, Scope], None]] = {
            ast.Expr: self._expression_statement, ast.Assign: self._assign,
            ast.AugAssign: self._augmented_assign, ast.AnnAssign: self._annotated_assign,
            ast.If: self._if, ast.For: self._for, ast.While: self._while,
            ast.FunctionDef: self._function_def, ast.ClassDef: self._class_def,
            ast.Return: self._return,
            ast.Pass: self._pass, ast.Break: self._break, ast.Continue: self._continue,
            ast.With: self._with, ast.Import: self._import, ast.ImportFrom: self._import_from,
            ast.Assert: self._assert, ast.Delete: self._delete,
        }
        self._expressions: dict[type, Callable[[Any, Scope], Any]] = {
            ast.Constant: self._constant, ast.Name: self._name, ast.BinOp: self._binary,
            ast.UnaryOp: self._unary, ast.BoolOp: self._bool_op, ast.Compare: self._compare,
            ast.IfExp: self._if_expression, ast.Call: self._call,
            ast.Attribute: self._attribute, ast.Subscript: self._subscript,
            ast.List: self._list, ast.Tuple: self._tuple, ast.Set: self._set,
            ast.Dict: self._dict, ast.ListComp: self._list_comprehension,
            ast.SetComp: self._set_comprehension, ast.DictComp: self._dict_comprehension,
            ast.GeneratorExp: self._generator_expression, ast.JoinedStr: self._joined_str,
            ast.FormattedValue: self._formatted_value, ast.Lambda: self._lambda,
            ast.NamedExpr: self._named_expression, ast.Starred: self._starred,
        }

    # --- running and errors --------------------------------------------------------------
    def run(self, tree: ast.Module) -> None:
        """Run the module; raises `ScriptError` at the first error."""
        self.exec_block(tree.body, self.globals)

    def error_at(self, node: ast.AST | None, exc: BaseException) -> ScriptError:
        """`exc` as a ScriptError at `node`."""
        if isinstance(exc, ScriptError):
            return exc
        line, col = self.map.position(node)
        if isinstance(exc, ScriptFault):
            return exc.kind(self.map.filename, line, col, exc.message)
        return ScriptError(self.map.filename, line, col, describe(exc))

    def op(self, node: ast.AST, function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Call `function`, reporting any exception it raises as a ScriptError at `node`."""
        try:
            return function(*args, **kwargs)
        except ScriptError:
            raise
        except Exception as exc:
            raise self.error_at(node, exc) from None

    def truth(self, node: ast.AST, value: Any) -> bool:
        return self.op(node, bool, value)

    # --- statements -----------------------------------------------------------------------
    def exec_block(self, body: list[ast.stmt], scope: Scope) -> None:
        for statement in body:
            self.exec_statement(statement, scope)

    def exec_statement(self, statement: ast.stmt, scope: Scope) -> None:
        previous, self.node = self.node, statement
        try:
            self.budget.check_time()
            handler = self._statements.get(type(statement), self._unsupported)
            handler(statement, scope)
        except (ScriptFault, RecursionError, MemoryError) as exc:
            raise self.error_at(statement, exc) from None
        finally:
            self.node = previous

    def _unsupported(self, node: ast.AST, scope: Scope) -> None:
        raise not_allowed(f"not allowed: {type(node).__name__} in a script")

    def _expression_statement(self, statement: ast.Expr, scope: Scope) -> None:
        self.eval(statement.value, scope)

    def _assign(self, statement: ast.Assign, scope: Scope) -> None:
        value = self.eval(statement.value, scope)
        for target in statement.targets:
            self.assign(target, value, scope)

    def _annotated_assign(self, statement: ast.AnnAssign, scope: Scope) -> None:
        if statement.value is not None:
            self.assign(statement.target, self.eval(statement.value, scope), scope)

    def _augmented_assign(self, statement: ast.AugAssign, scope: Scope) -> None:
        target = statement.target
        if isinstance(target, ast.Name):
            current = self.lookup(target.id, scope)
            value = self.eval(statement.value, scope)
            self.store(target.id, self.in_place(statement, statement.op, current, value), scope)
        elif isinstance(target, ast.Attribute):
            owner = self.eval(target.value, scope)
            current = self.op(target, get_attribute, owner, target.attr, self.budget)
            value = self.eval(statement.value, scope)
            result = self.in_place(statement, statement.op, current, value)
            self.op(target, set_attribute, owner, target.attr, result)
        elif isinstance(target, ast.Subscript):
            owner = self.eval(target.value, scope)
            key = self.key(target.slice, scope)
            current = self.op(target, operator.getitem, owner, key)
            value = self.eval(statement.value, scope)
            result = self.in_place(statement, statement.op, current, value)
            self.op(target, operator.setitem, owner, key, result)
        else:
            raise ScriptFault("SyntaxError: illegal expression for augmented assignment")

    def _if(self, statement: ast.If, scope: Scope) -> None:
        if self.truth(statement.test, self.eval(statement.test, scope)):
            self.exec_block(statement.body, scope)
        else:
            self.exec_block(statement.orelse, scope)

    def _for(self, statement: ast.For, scope: Scope) -> None:
        iterable = self.eval(statement.iter, scope)
        for item in self.iterate(statement.iter, iterable):
            self.assign(statement.target, item, scope)
            try:
                self.exec_block(statement.body, scope)
            except BreakSignal:
                return
            except ContinueSignal:
                continue
        self.exec_block(statement.orelse, scope)

    def _while(self, statement: ast.While, scope: Scope) -> None:
        while self.truth(statement.test, self.eval(statement.test, scope)):
            self.budget.iteration()
            try:
                self.exec_block(statement.body, scope)
            except BreakSignal:
                return
            except ContinueSignal:
                continue
        self.exec_block(statement.orelse, scope)

    def _function_def(self, statement: ast.FunctionDef, scope: Scope) -> None:
        # as Python does: decorators evaluated top to bottom, then applied bottom to top
        decorators = [(node, self.eval(node, scope)) for node in statement.decorator_list]
        function: Any = self.make_function(statement, scope)
        for node, decorator in reversed(decorators):
            function = self.call(node, decorator, [function], {})
        self.store(statement.name, function, scope)

    def _class_def(self, statement: ast.ClassDef, scope: Scope) -> None:
        bases = statement.bases
        # `class P(object)` is `class P`: the one use of `object` a script has
        plain = not bases or isinstance(bases[0], ast.Name) and bases[0].id == "object" and \
            "object" not in (scope.owner("object") or scope).values
        base = None if plain else self.eval(bases[0], scope)
        methods: dict[str, ScriptFunction] = {}
        for item in statement.body:
            if isinstance(item, ast.FunctionDef):
                method = self.make_function(item, scope)
                method.name = f"{statement.name}.{item.name}"
                methods[item.name] = method
        self.store(statement.name, make_class(statement.name, base, methods), scope)

    def _super(self, *args: Any) -> Any:
        """`super()` in a method of a script class, or `super(Class, self)`."""
        function = self.frames[-1][0] if self.frames else None
        return make_super(function, self._first_argument(), args)

    def _first_argument(self) -> Any:
        """The first argument of the function running (`self` in a method), or NO_ARGUMENT."""
        function, scope = self.frames[-1] if self.frames else (None, None)
        if function is None or scope is None:
            return NO_ARGUMENT
        spec = function.node.args
        params = spec.posonlyargs + spec.args
        if params and params[0].arg in scope.values:
            return scope.values[params[0].arg]
        return NO_ARGUMENT

    def _return(self, statement: ast.Return, scope: Scope) -> None:
        value = None if statement.value is None else self.eval(statement.value, scope)
        raise ReturnSignal(value)

    def _pass(self, statement: ast.Pass, scope: Scope) -> None:
        pass

    def _break(self, statement: ast.Break, scope: Scope) -> None:
        raise BreakSignal

    def _continue(self, statement: ast.Continue, scope: Scope) -> None:
        raise ContinueSignal

    def _with(self, statement: ast.With, scope: Scope) -> None:
        self._with_items(statement.items, statement.body, scope)

    def _with_items(self, items: list[ast.withitem], body: list[ast.stmt], scope: Scope) -> None:
        if not items:
            self.exec_block(body, scope)
            return
        item, rest = items[0], items[1:]
        manager = self.eval(item.context_expr, scope)
        if not isinstance(manager, CONTEXT_MANAGERS):
            raise not_allowed("not allowed: 'with' works only with torch.no_grad() and "
                              "torch.enable_grad()")
        value = self.op(item.context_expr, type(manager).__enter__, manager)
        try:
            if item.optional_vars is not None:
                self.assign(item.optional_vars, value, scope)
            self._with_items(rest, body, scope)
        finally:
            self.op(item.context_expr, type(manager).__exit__, manager, None, None, None)

    def _import(self, statement: ast.Import, scope: Scope) -> None:
        for alias in statement.names:
            self.module(alias.name)
            if alias.asname:
                self.store(alias.asname, self.module(alias.name), scope)
            else:
                top = alias.name.split(".")[0]
                self.store(top, self.module(top), scope)

    def _import_from(self, statement: ast.ImportFrom, scope: Scope) -> None:
        name = statement.module or ""
        module = self.module(name)
        for alias in statement.names:
            value = module.members.get(alias.name)
            if value is None:
                value = self.modules.get(f"{name}.{alias.name}")
            if value is None:
                raise ScriptFault(f"ImportError: cannot import name '{alias.name}' from "
                                  f"'{name}'")
            self.store(alias.asname or alias.name, value, scope)

    def module(self, name: str) -> Any:
        module = self.modules.get(name)
        if module is None:
            raise ScriptFault(f"ModuleNotFoundError: No module named '{name}'")
        return module

    def _assert(self, statement: ast.Assert, scope: Scope) -> None:
        if not self.truth(statement.test, self.eval(statement.test, scope)):
            if statement.msg is None:
                raise ScriptFault("AssertionError")
            message = self.eval(statement.msg, scope)
            check_text_size(message, self.budget)
            message = self.op(statement.msg, str, message)
            raise ScriptFault(f"AssertionError: {message}")

    def _delete(self, statement: ast.Delete, scope: Scope) -> None:
        for target in statement.targets:
            if isinstance(target, ast.Name):
                owner = scope.owner(target.id) or scope
                if target.id not in owner.values:
                    raise ScriptFault(f"NameError: name '{target.id}' is not defined")
                del owner.values[target.id]
            elif isinstance(target, ast.Subscript):
                owner_value = self.eval(target.value, scope)
                key = self.key(target.slice, scope)
                self.op(target, operator.delitem, owner_value, key)
            elif isinstance(target, ast.Attribute):
                owner_value = self.eval(target.value, scope)
                self.op(target, delete_attribute, owner_value, target.attr)
            else:
                for element in getattr(target, "elts", ()):
                    self._delete(ast.Delete(targets=[element]), scope)

    # --- names and assignment --------------------------------------------------------------
    def lookup(self, name: str, scope: Scope) -> Any:
        owner = scope.owner(name)
        if owner is not None:
            if name in owner.values:
                return owner.values[name]
            if owner.local_names is not None:
                if owner is scope.function_scope() or owner is scope:
                    raise ScriptFault(f"UnboundLocalError: cannot access local variable "
                                      f"'{name}' where it is not associated with a value")
                raise ScriptFault(f"NameError: cannot access free variable '{name}' where it "
                                  "is not associated with a value in enclosing scope")
        if name in self.builtins:
            return self.builtins[name]
        if name in FORBIDDEN_NAMES:
            raise not_allowed(f"not allowed: '{name}' ({FORBIDDEN_NAMES[name]})")
        raise ScriptFault(f"NameError: name '{name}' is not defined")

    def store(self, name: str, value: Any, scope: Scope) -> None:
        scope.values[name] = value
        if isinstance(value, engine.Tensor):
            if value.name is None:
                value.name = name
            self.named_tensors[name] = value
        else:
            self.recorder.name_value(name, value)

    def assign(self, target: ast.AST, value: Any, scope: Scope) -> None:
        if isinstance(target, ast.Name):
            self.store(target.id, value, scope)
        elif isinstance(target, (ast.Tuple, ast.List)):
            self.unpack(target, value, scope)
        elif isinstance(target, ast.Attribute):
            owner = self.eval(target.value, scope)
            self.op(target, set_attribute, owner, target.attr, value)
            if isinstance(owner, engine.nn.Module):
                self.recorder.module_changed(owner)
            elif isinstance(owner, ScriptObjectBase) and self._first_argument() is not owner:
                self.recorder.object_changed(owner)  # `layer.bias = b`, not `self.out = y`
        elif isinstance(target, ast.Subscript):
            owner = self.eval(target.value, scope)
            key = self.key(target.slice, scope)
            self.op(target, operator.setitem, owner, key, value)
        else:
            raise ScriptFault("SyntaxError: cannot assign to expression")

    def unpack(self, target: ast.Tuple | ast.List, value: Any, scope: Scope) -> None:
        targets = target.elts
        starred = [i for i, t in enumerate(targets) if isinstance(t, ast.Starred)]
        try:
            iterator = iter(value)
        except TypeError:
            raise ScriptFault(f"TypeError: cannot unpack non-iterable {type(value).__name__} "
                              "object") from None
        if not starred:
            items = self.op(target, list, itertools.islice(iterator, len(targets) + 1))
            if len(items) < len(targets):
                raise ScriptFault(f"ValueError: not enough values to unpack (expected "
                                  f"{len(targets)}, got {len(items)})")
            if len(items) > len(targets):
                raise ScriptFault(f"ValueError: too many values to unpack (expected "
                                  f"{len(targets)})")
        else:
            star = starred[0]
            after = len(targets) - star - 1
            everything = self.op(target, materialize, iterator, self.budget)
            if len(everything) < star + after:
                raise ScriptFault(f"ValueError: not enough values to unpack (expected at least "
                                  f"{star + after}, got {len(everything)})")
            middle = everything[star:len(everything) - after]
            items = everything[:star] + [middle] + everything[len(everything) - after:]
        for element, item in zip(targets, items, strict=True):
            if isinstance(element, ast.Starred):
                element = element.value
            self.assign(element, item, scope)

    def in_place(self, node: ast.AST, op: ast.operator, current: Any, value: Any) -> Any:
        """`current op= value`, with Python's rule: `list += iterable` extends the list."""
        if isinstance(current, list) and isinstance(op, ast.Add):
            items = self.op(node, materialize, value, self.budget)
            self.budget.sequence(len(current) + len(items))
            current.extend(items)
            return current
        self.check_binary(op, current, value)
        return self.op(node, IN_PLACE[type(op)], current, value)

    def make_function(self, node: ast.FunctionDef | ast.Lambda, scope: Scope) -> ScriptFunction:
        arguments = node.args
        defaults = [self.eval(d, scope) for d in arguments.defaults]
        kw_defaults = {a.arg: self.eval(d, scope)
                       for a, d in zip(arguments.kwonlyargs, arguments.kw_defaults, strict=True)
                       if d is not None}
        return ScriptFunction(node, scope, defaults, kw_defaults, self._run_function)

    def _run_function(self, function: ScriptFunction, scope: Scope) -> Any:
        if self.depth >= self.limits.call_depth:
            raise over_limit(f"RecursionError: maximum recursion depth exceeded (more than "
                             f"{self.limits.call_depth} nested calls, Limits.call_depth)")
        self.depth += 1
        self.frames.append((function, scope))
        try:
            if isinstance(function.node, ast.Lambda):
                return self.eval(function.node.body, scope)
            self.exec_block(function.node.body, scope)
            return None
        except ReturnSignal as returned:
            return returned.value
        finally:
            self.frames.pop()
            self.depth -= 1

    # --- expressions ----------------------------------------------------------------------
    def eval(self, node: ast.AST, scope: Scope) -> Any:
        previous, self.node = self.node, node
        try:
            return self._expressions.get(type(node), self._unsupported)(node, scope)
        except (ScriptFault, RecursionError, MemoryError) as exc:
            raise self.error_at(node, exc) from None
        finally:
            self.node = previous

    def _constant(self, node: ast.Constant, scope: Scope) -> Any:
        return node.value

    def _name(self, node: ast.Name, scope: Scope) -> Any:
        return self.lookup(node.id, scope)

    def _starred(self, node: ast.Starred, scope: Scope) -> Any:
        raise ScriptFault("SyntaxError: can't use starred expression here")

    def check_binary(self, op: ast.operator, left: Any, right: Any) -> None:
        """Refuse `left op right` before it runs if its result would be over a limit."""
        safe_ops.check_binary(op, left, right, self.budget)
        if isinstance(op, ast.MatMult):
            numel = tensor_sizes.matmul_numel(left, right)
            if numel is not None:
                self.budget.tensor_size(numel)
        else:
            self.check_broadcast(left, right)

    def check_broadcast(self, left: Any, right: Any) -> None:
        """Refuse an elementwise op of two arrays whose broadcast result is too large."""
        if as_array_like(left) and as_array_like(right):
            numel = tensor_sizes.broadcast_numel([left, right])
            if numel is not None:
                self.budget.tensor_size(numel)

    def check_index(self, value: Any, key: Any) -> None:
        if as_array_like(value):
            numel = tensor_sizes.index_numel(value, key)
            if numel is not None:
                self.budget.tensor_size(numel)

    def _binary(self, node: ast.BinOp, scope: Scope) -> Any:
        left = self.eval(node.left, scope)
        right = self.eval(node.right, scope)
        self.check_binary(node.op, left, right)
        return self.op(node, BINARY[type(node.op)], left, right)

    def _unary(self, node: ast.UnaryOp, scope: Scope) -> Any:
        operand = self.eval(node.operand, scope)
        if isinstance(node.op, ast.Not):
            return not self.truth(node, operand)
        return self.op(node, UNARY[type(node.op)], operand)

    def _bool_op(self, node: ast.BoolOp, scope: Scope) -> Any:
        want = isinstance(node.op, ast.Or)
        value = None
        for operand in node.values:
            value = self.eval(operand, scope)
            if self.truth(operand, value) is want:
                return value
        return value

    def _compare(self, node: ast.Compare, scope: Scope) -> Any:
        left = self.eval(node.left, scope)
        result: Any = True
        for index, (op, comparator) in enumerate(zip(node.ops, node.comparators, strict=True)):
            right = self.eval(comparator, scope)
            if isinstance(op, (ast.In, ast.NotIn)):
                found = self.op(node, self.contains, right, left)
                result = found if isinstance(op, ast.In) else not found
            else:
                self.check_broadcast(left, right)
                result = self.op(node, COMPARE[type(op)], left, right)
            if index + 1 < len(node.ops) and not self.truth(node, result):
                return result
            left = right
        return result

    def contains(self, container: Any, item: Any) -> bool:
        """`item in container`; lazy iterables are walked under the loop limit."""
        if isinstance(container, (list, tuple)):
            self.budget.elementwise([*container, item])
        if hasattr(type(container), "__contains__"):
            return item in container
        return any(value is item or value == item for value in self.budget.counted(container))

    def _if_expression(self, node: ast.IfExp, scope: Scope) -> Any:
        if self.truth(node.test, self.eval(node.test, scope)):
            return self.eval(node.body, scope)
        return self.eval(node.orelse, scope)

    def _call(self, node: ast.Call, scope: Scope) -> Any:
        function = self.eval(node.func, scope)
        args: list[Any] = []
        for argument in node.args:
            if isinstance(argument, ast.Starred):
                values = self.eval(argument.value, scope)
                args.extend(self.op(argument, materialize, values, self.budget))
            else:
                args.append(self.eval(argument, scope))
        kwargs: dict[str, Any] = {}
        for keyword in node.keywords:
            value = self.eval(keyword.value, scope)
            if keyword.arg is not None:
                kwargs[keyword.arg] = value
                continue
            if not isinstance(value, dict):
                raise ScriptFault(f"TypeError: argument after ** must be a mapping, not "
                                  f"{type(value).__name__}")
            for key, item in value.items():
                if not isinstance(key, str):
                    raise ScriptFault("TypeError: keywords must be strings")
                if key in kwargs:
                    raise ScriptFault(f"TypeError: got multiple values for keyword argument "
                                      f"'{key}'")
                kwargs[key] = item
        return self.call(node, function, args, kwargs)

    def call(self, node: ast.AST, function: Any, args: list[Any], kwargs: dict[str, Any]) -> Any:
        """Call `function`; engine calls are size-checked first and their lazy arguments
        materialized under the loop limit, so no engine loop can run away."""
        if not is_engine_callable(function):
            return self.op(node, function, *args, **kwargs)
        args = [self.op(node, self._engine_argument, a) for a in args]
        kwargs = {k: self.op(node, self._engine_argument, v) for k, v in kwargs.items()}
        try:
            numel = tensor_sizes.call_numel(function, tuple(args), kwargs)
        except Exception:  # a malformed call: the engine reports it with PyTorch's message
            numel = None
        if numel is not None:
            self.budget.tensor_size(numel)
        if (getattr(function, "__func__", None) is engine.Tensor.backward
                or function in BACKWARD_FUNCTIONS):
            with self.recorder.backward_call():
                result = self.op(node, function, *args, **kwargs)
            self.recorder.name_grads()
            return result
        return self.op(node, function, *args, **kwargs)

    def _engine_argument(self, value: Any) -> Any:
        """An argument the engine may loop over in C: lazy ones are made here, under the loop
        limit, and ranges are checked like any other sequence."""
        if isinstance(value, Iterator):
            return materialize(value, self.budget)
        if isinstance(value, range):
            self.budget.sequence(len(value))
        return value

    def _attribute(self, node: ast.Attribute, scope: Scope) -> Any:
        owner = self.eval(node.value, scope)
        return self.op(node, get_attribute, owner, node.attr, self.budget)

    def key(self, node: ast.AST, scope: Scope) -> Any:
        """A subscript key: slices and tuples of slices are built here."""
        if isinstance(node, ast.Slice):
            return slice(*(None if part is None else self.eval(part, scope)
                           for part in (node.lower, node.upper, node.step)))
        if isinstance(node, ast.Tuple):
            parts: list[Any] = []
            for element in node.elts:
                if isinstance(element, ast.Starred):
                    parts.extend(self.op(element, materialize, self.eval(element.value, scope),
                                         self.budget))
                else:
                    parts.append(self.key(element, scope))
            return tuple(parts)
        return self.eval(node, scope)

    def _subscript(self, node: ast.Subscript, scope: Scope) -> Any:
        owner = self.eval(node.value, scope)
        key = self.key(node.slice, scope)
        self.check_index(owner, key)
        return self.op(node, operator.getitem, owner, key)

    def _elements(self, elements: list[ast.expr], scope: Scope) -> list[Any]:
        values: list[Any] = []
        for element in elements:
            if isinstance(element, ast.Starred):
                more = self.op(element, materialize, self.eval(element.value, scope), self.budget)
                self.budget.sequence(len(values) + len(more))
                values.extend(more)
            else:
                values.append(self.eval(element, scope))
        return values

    def _list(self, node: ast.List, scope: Scope) -> list[Any]:
        return self._elements(node.elts, scope)

    def _tuple(self, node: ast.Tuple, scope: Scope) -> tuple[Any, ...]:
        return tuple(self._elements(node.elts, scope))

    def _set(self, node: ast.Set, scope: Scope) -> set[Any]:
        return self.op(node, set, self._elements(node.elts, scope))

    def _dict(self, node: ast.Dict, scope: Scope) -> dict[Any, Any]:
        result: dict[Any, Any] = {}
        for key_node, value_node in zip(node.keys, node.values, strict=True):
            if key_node is None:
                mapping = self.eval(value_node, scope)
                if not isinstance(mapping, dict):
                    raise ScriptFault(f"TypeError: '{type(mapping).__name__}' object is not a "
                                      "mapping")
                self.budget.sequence(len(result) + len(mapping))
                result.update(mapping)
            else:
                key = self.eval(key_node, scope)
                value = self.eval(value_node, scope)
                self.op(key_node, result.__setitem__, key, value)
        return result

    # --- comprehensions -------------------------------------------------------------------
    def iterate(self, node: ast.AST, iterable: Any) -> Iterator[Any]:
        """Iterate `iterable` as a loop does: every item counts against the loop limit."""
        iterator = self.op(node, iter, iterable)
        while True:
            try:
                item = next(iterator)
            except StopIteration:
                return
            except ScriptError:
                raise
            except Exception as exc:
                raise self.error_at(node, exc) from None
            try:
                self.budget.iteration()
            except ScriptFault as fault:
                raise self.error_at(node, fault) from None
            yield item

    def comprehension_scopes(self, node: ast.ListComp | ast.SetComp | ast.DictComp
                             | ast.GeneratorExp, scope: Scope, first: Iterable[Any]
                             ) -> Iterator[Scope]:
        """The comprehension's scope, once for every combination its `for`s and `if`s keep."""
        inner = Scope(scope, comprehension_names(node), is_comprehension=True)

        def walk(level: int, iterable: Iterable[Any]) -> Iterator[Scope]:
            generator = node.generators[level]
            for item in self.iterate(generator.iter, iterable):
                self.assign(generator.target, item, inner)
                if all(self.truth(test, self.eval(test, inner)) for test in generator.ifs):
                    if level + 1 == len(node.generators):
                        yield inner
                    else:
                        nested = node.generators[level + 1]
                        yield from walk(level + 1, self.eval(nested.iter, inner))

        return walk(0, first)

    def _first_iterable(self, node: ast.ListComp | ast.SetComp | ast.DictComp | ast.GeneratorExp,
                        scope: Scope) -> Any:
        if any(generator.is_async for generator in node.generators):
            raise not_allowed("not allowed: async comprehensions")
        return self.eval(node.generators[0].iter, scope)

    def _list_comprehension(self, node: ast.ListComp, scope: Scope) -> list[Any]:
        first = self._first_iterable(node, scope)
        result = [self.eval(node.elt, inner)
                  for inner in self.comprehension_scopes(node, scope, first)]
        self.budget.keep(len(result))
        return result

    def _set_comprehension(self, node: ast.SetComp, scope: Scope) -> set[Any]:
        first = self._first_iterable(node, scope)
        items = [self.eval(node.elt, inner)
                 for inner in self.comprehension_scopes(node, scope, first)]
        self.budget.keep(len(items))
        return self.op(node, set, items)

    def _dict_comprehension(self, node: ast.DictComp, scope: Scope) -> dict[Any, Any]:
        first = self._first_iterable(node, scope)
        result: dict[Any, Any] = {}
        for inner in self.comprehension_scopes(node, scope, first):
            key = self.eval(node.key, inner)
            value = self.eval(node.value, inner)
            self.op(node.key, result.__setitem__, key, value)
        self.budget.keep(len(result))
        return result

    def _generator_expression(self, node: ast.GeneratorExp, scope: Scope) -> Iterator[Any]:
        first = self.op(node, iter, self._first_iterable(node, scope))
        scopes = self.comprehension_scopes(node, scope, first)

        def generate() -> Iterator[Any]:
            for inner in scopes:
                yield self.eval(node.elt, inner)

        generator = generate()
        generator.__name__ = generator.__qualname__ = "<genexpr>"
        return generator

    # --- strings, functions, walrus -------------------------------------------------------
    def _joined_str(self, node: ast.JoinedStr, scope: Scope) -> str:
        parts = [self.eval(value, scope) for value in node.values]
        self.budget.check_length(sum(len(p) for p in parts))
        return "".join(parts)

    def _formatted_value(self, node: ast.FormattedValue, scope: Scope) -> str:
        value = self.eval(node.value, scope)
        check_text_size(value, self.budget, top_level_str=node.conversion in (-1, ord("s")))
        if node.conversion != -1:
            value = self.op(node, _CONVERSIONS[node.conversion], value)
        spec = "" if node.format_spec is None else self.eval(node.format_spec, scope)
        safe_ops.check_format_spec(spec, self.budget)
        return self.op(node, format, value, spec)

    def _lambda(self, node: ast.Lambda, scope: Scope) -> ScriptFunction:
        return self.make_function(node, scope)

    def _named_expression(self, node: ast.NamedExpr, scope: Scope) -> Any:
        value = self.eval(node.value, scope)
        self.store(node.target.id, value, scope.function_scope())
        return value


def set_attribute(owner: Any, name: str, value: Any) -> None:
    """`owner.name = value`: a tensor's `grad`, `requires_grad` and `data`, and anything on
    an instance of the script's own classes (`self.fc1 = nn.Linear(2, 4)`, `self.out = x`)."""
    if isinstance(owner, engine.Tensor) and name in SETTABLE_TENSOR_ATTRIBUTES:
        setattr(owner, name, value)
        return
    if isinstance(owner, ScriptObjectBase) and not name.startswith("_"):
        owner.__dict__[name] = value  # a plain object of the script's: it takes anything
        return
    if isinstance(owner, engine.nn.Module) and not name.startswith("_"):
        if hasattr(type(owner), name):  # what the engine (and gradviz) call on every module
            raise not_allowed(f"not allowed: setting '{name}' of a {type(owner).__name__} "
                              f"(it would hide nn.Module's own '{name}')")
        # a built-in layer takes parameters and layers (`layer.weight = nn.Parameter(w)`),
        # whose checks are PyTorch's; a module of the script's own takes anything
        if isinstance(owner, ScriptModuleBase) or value is None or isinstance(
                value, (engine.nn.Parameter, engine.nn.Module)) or name in owner._parameters:
            setattr(owner, name, value)
            return
    raise not_allowed(f"not allowed: setting attribute '{name}' of a {type(owner).__name__}")


def delete_attribute(owner: Any, name: str) -> None:
    """`del owner.name`: only a tensor's `grad`."""
    if isinstance(owner, engine.Tensor) and name == "grad":
        del owner.grad
        return
    raise not_allowed(f"not allowed: deleting attribute '{name}' of a {type(owner).__name__}")

"""Classes a script defines: `class Net(nn.Module)` with `__init__`, `forward` and helpers,
and plain classes such as the layers of Karpathy's makemore (`class Linear:` with `__init__`,
`__call__` and `parameters`).

A module class is a real subclass of the engine's `nn.Module`, so optimizers, `print(model)`
and `model.parameters()` treat it as PyTorch does; a plain class is a subclass of
`ScriptObjectBase`. Either namespace holds only the methods below, which hand each call to
the script's own functions, run by the interpreter. No script code becomes a Python method
that Python could call by itself (`__repr__`, `__eq__`, `__del__`): a script may define
`__init__`, `__call__` (run only when the script calls an instance) and methods without
underscores.
"""

from __future__ import annotations

from typing import Any

import engine
from gradviz.script.allowlist import MODULE_ATTRIBUTES, OpenObject
from gradviz.script.errors import ScriptFault, not_allowed
from gradviz.script.functions import ScriptFunction

#: `first` for `make_super` when the method was called without arguments.
NO_ARGUMENT = object()

#: Where script classes say they come from: the script runs as Python's main module would.
SCRIPT_MODULE = "__main__"


class ScriptModuleBase(OpenObject, engine.nn.Module):
    """The base of every module class a script defines."""

    _script_methods: dict[str, ScriptFunction] = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if not _run_init(self, args, kwargs):
            engine.nn.Module.__init__(self)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        method = find_method(type(self), "__call__")
        if method is None:
            return engine.nn.Module.__call__(self, *args, **kwargs)
        return method(self, *args, **kwargs)

    def forward(self, *args: Any, **kwargs: Any) -> Any:
        method = find_method(type(self), "forward")
        if method is None:
            return engine.nn.Module.forward(self, *args, **kwargs)
        return method(self, *args, **kwargs)

    def _script_attribute(self, name: str) -> Any:
        """`self.name` as a script reads it: what the script assigned (a layer, a parameter,
        a number), one of its methods, or a module attribute of the allowlist."""
        if name.startswith("_"):
            raise not_allowed(f"not allowed: attribute '{name}'")
        values = self.__dict__
        for where in (values.get("_parameters"), values.get("_modules"), values):
            if where is not None and name in where:
                return where[name]
        method = find_method(type(self), name)
        if method is not None:
            return BoundMethod(method, self)
        if name in MODULE_ATTRIBUTES and hasattr(self, name):
            return getattr(self, name)
        raise ScriptFault(f"AttributeError: '{type(self).__name__}' object has no attribute "
                          f"'{name}'")


class ScriptObjectBase(OpenObject):
    """The base of every plain class a script defines (`class Linear:`): its instances hold
    what the script assigns to them, and are called through the script's `__call__`."""

    _script_methods: dict[str, ScriptFunction] = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        _run_init(self, args, kwargs)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        method = find_method(type(self), "__call__")
        if method is None:
            raise TypeError(f"'{type(self).__name__}' object is not callable")
        return method(self, *args, **kwargs)

    def _script_attribute(self, name: str) -> Any:
        if name.startswith("_"):
            raise not_allowed(f"not allowed: attribute '{name}'")
        if name in self.__dict__:
            return self.__dict__[name]
        method = find_method(type(self), name)
        if method is not None:
            return BoundMethod(method, self)
        raise ScriptFault(f"AttributeError: '{type(self).__name__}' object has no attribute "
                          f"'{name}'")


#: The engine-side bases of script classes: method lookup stops at them.
SCRIPT_BASES = (ScriptModuleBase, ScriptObjectBase)


def _run_init(instance: Any, args: tuple, kwargs: dict[str, Any]) -> bool:
    """Run the script's `__init__` for `instance`; False if its class defines none (after
    Python's check that no arguments were given)."""
    init = find_method(type(instance), "__init__")
    if init is None:
        if not isinstance(instance, engine.nn.Module) and (args or kwargs):
            raise TypeError(f"{type(instance).__name__}() takes no arguments")
        _check_no_arguments(type(instance).__name__, args, kwargs)
        return False
    result = init(instance, *args, **kwargs)
    if result is not None:
        raise TypeError(f"__init__() should return None, not '{type(result).__name__}'")
    return True


def _check_no_arguments(name: str, args: tuple, kwargs: dict[str, Any]) -> None:
    """Python's messages for `Net(3)` where Net defines no `__init__`."""
    if args:
        raise TypeError(f"{name}.__init__() takes 1 positional argument but {len(args) + 1} "
                        f"were given")
    if kwargs:
        raise TypeError(f"{name}.__init__() got an unexpected keyword argument "
                        f"'{next(iter(kwargs))}'")


def find_method(cls: type, name: str, after: type | None = None) -> ScriptFunction | None:
    """The script's method `name` of `cls`, looked up as Python would (after `after`, for
    `super()`); None where only the engine's Module has it."""
    mro = cls.__mro__
    start = mro.index(after) + 1 if after is not None else 0
    for klass in mro[start:]:
        if klass in SCRIPT_BASES:
            return None
        method = klass.__dict__.get("_script_methods", {}).get(name)
        if method is not None:
            return method
    return None


def make_class(name: str, base: Any, methods: dict[str, ScriptFunction]) -> type:
    """The class `class name(base): methods`; `base` is `nn.Module`, a script class, or none
    (`object`)."""
    if base is engine.nn.Module:
        base = ScriptModuleBase
    elif base is None or base is object:
        base = ScriptObjectBase
    elif not (isinstance(base, type) and issubclass(base, SCRIPT_BASES)):
        shown = getattr(base, "__name__", type(base).__name__)
        raise not_allowed(f"not allowed: class {name}({shown}) (a script's classes subclass "
                          f"nn.Module, another class of the script, or nothing)")
    cls = type(name, (base,), {"_script_methods": dict(methods), "__module__": SCRIPT_MODULE,
                               "__qualname__": name})
    for method in methods.values():
        method.owner = cls
    return cls


class BoundMethod:
    """`model.helper` before it is called: the script's function with `self` filled in."""

    __slots__ = ("function", "instance")

    def __init__(self, function: ScriptFunction, instance: Any) -> None:
        self.function = function
        self.instance = instance

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.function(self.instance, *args, **kwargs)

    def __repr__(self) -> str:
        return f"<bound method {self.function.name} of {self.instance!r}>"


class Super(OpenObject):
    """What `super()` gives inside a method: the methods of the classes after `owner`."""

    __slots__ = ("owner", "instance")
    open_dunders = frozenset({"__init__", "__call__"})

    def __init__(self, owner: type, instance: Any) -> None:
        self.owner = owner
        self.instance = instance

    def _script_attribute(self, name: str) -> Any:
        method = find_method(type(self.instance), name, after=self.owner)
        if method is not None:
            return BoundMethod(method, self.instance)
        module = isinstance(self.instance, engine.nn.Module)
        if name == "__init__":
            return self._module_init if module else self._object_init
        if module and name in MODULE_ATTRIBUTES and hasattr(engine.nn.Module, name):
            return getattr(engine.nn.Module, name).__get__(self.instance)
        raise ScriptFault(f"AttributeError: 'super' object has no attribute '{name}'")

    def _module_init(self, *args: Any, **kwargs: Any) -> None:
        _check_no_arguments(type(self.instance).__name__, args, kwargs)
        engine.nn.Module.__init__(self.instance)

    @staticmethod
    def _object_init(*args: Any, **kwargs: Any) -> None:
        if args or kwargs:
            raise TypeError("object.__init__() takes exactly one argument (the instance to "
                            "initialize)")

    def __repr__(self) -> str:
        return f"<super: <class '{self.owner.__name__}'>, <{self.owner.__name__} object>>"


def make_super(function: ScriptFunction | None, first: Any, args: tuple) -> Super:
    """`super()` in `function` (whose first argument is `first`), or `super(Class, self)`."""
    if args:
        if len(args) != 2:
            raise TypeError("super() takes 0 or 2 arguments in gradviz scripts")
        owner, instance = args
        if not (isinstance(owner, type) and issubclass(owner, SCRIPT_BASES)):
            raise TypeError("super() argument 1 must be a class of the script")
        if not isinstance(instance, owner):
            raise TypeError("super(type, obj): obj must be an instance or subtype of type")
        return Super(owner, instance)
    if function is None or function.owner is None:
        raise RuntimeError("super(): __class__ cell not found")
    if first is NO_ARGUMENT:
        raise RuntimeError("super(): no arguments")
    return Super(function.owner, first)

"""PyTorch's argument checking for its C++ functions, and the TypeErrors it raises.

PyTorch binds each C++ function to Python through an argument parser that knows the function's
signatures (as printed in its messages, e.g. `(Tensor input, Tensor other, *, Number alpha = 1,
Tensor out = None)`). A call that fits no signature raises a TypeError whose wording depends on
how many signatures could have fitted; `torch.exp([1.0])` gives
`exp(): argument 'input' (position 1) must be Tensor, not list`. This module holds those
signatures and replays the parser (`python_arg_parser.cpp`, `invalid_arguments.cpp`), so a
wrong call fails as in PyTorch and never with numpy's or Python's words.

The notation extends PyTorch's printed form with what its printing leaves out: `?` after a type
marks a parameter that accepts None, `[n]` after `tuple of ints` one that also takes a single int.

A checked call costs one tuple of the argument types and a set lookup when it is positional and
plainly typed (the common case); anything else is parsed in full before the function runs.
"""

from __future__ import annotations

import functools
import itertools
import operator
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from engine import device as devices
from engine import dtypes, grad_mode, messages, random
from engine.tensor import Tensor

_MISSING = object()
_NUMPY_NAMES = {"dim": ("axis",), "keepdim": ("keepdims",), "input": ("x", "a", "x1"),
                "other": ("x2",)}
# PyTorch lets a Python number stand for a Tensor argument only in these functions.
_NUMBERS_AS_TENSORS = frozenset({"add", "add_", "sub", "sub_", "mul", "mul_", "div", "div_",
                                 "floor_divide", "floor_divide_", "to", "copy_"})
# Arguments of PyTorch's signatures that gradviz has no use for: dropped when left at None.
_IGNORED = frozenset({"out", "memory_format", "layout", "pin_memory", "generator", "device",
                      "non_blocking", "copy"})
_OBJECT = (object,)


@dataclass(frozen=True, slots=True)
class Param:
    kind: str  # the type as printed: "Tensor", "Number", "int", "tuple of ints" ...
    name: str
    optional: bool
    allow_none: bool
    keyword_only: bool
    size: int  # a `tuple of ints[n]` also takes a single int
    default: Any

    @property
    def type_name(self) -> str:
        return self.kind


def _default(text: str) -> Any:
    if text == "None":
        return None
    if text in ("True", "False"):
        return text == "True"
    if text == "[]":
        return ()
    for convert in (int, float):
        try:
            return convert(text)
        except ValueError:
            pass
    return text


class Signature:
    """One overload: its parameters and the text PyTorch prints for it."""

    def __init__(self, name: str, text: str, hidden: bool = False) -> None:
        self.name, self.hidden = name, hidden
        params, keyword_only = [], False
        body = text[1:-1]
        for part in body.split(", ") if body else []:
            if part == "*":
                keyword_only = True
                continue
            declaration, _, default = part.partition(" = ")
            kind, _, param_name = declaration.rpartition(" ")
            size = 0
            # PyTorch prints `Generator?` without its `?`: a generator may always be None
            allow_none = kind.endswith("?") or default == "None" or kind == "torch.Generator"
            kind = kind.rstrip("?")
            if kind.endswith("]"):
                kind, _, count = kind[:-1].partition("[")
                size = int(count)
            params.append(Param(kind, param_name, bool(default), allow_none, keyword_only, size,
                                _default(default) if default else _MISSING))
        self.params = tuple(params)
        printed, star = [], False
        for p in params:
            prefix = "*, " if p.keyword_only and not star else ""
            star = star or p.keyword_only
            default = f" = {_print_default(p.default)}" if p.optional else ""
            printed.append(f"{prefix}{p.kind} {p.name}{default}")
        self.text = "(" + ", ".join(printed) + ")"
        self.min_args = sum(not p.optional for p in params)
        self.max_args = len(params)
        self.max_pos_args = sum(not p.keyword_only for p in params)

    # --- FunctionSignature::parse ------------------------------------------------------------
    def parse(self, args: tuple, kwargs: dict, raise_error: bool, numbers: bool
              ) -> list | None:
        """The values of the parameters in order (None where left out), or None if the call
        doesn't fit; with `raise_error`, PyTorch's TypeError instead."""
        nargs = len(args)
        remaining = len(kwargs)
        varargs = (self.max_pos_args == 1 and self.params[0].kind == "tuple of ints"
                   and not self.params[0].size)
        if nargs > self.max_pos_args and not varargs:
            return self._extra_args(nargs) if raise_error else None
        values, position = [], 0
        for index, param in enumerate(self.params):
            obj, is_keyword = _MISSING, False
            if position < nargs:
                if param.keyword_only:
                    return self._extra_args(nargs) if raise_error else None
                obj = args[position]
            elif kwargs:
                obj = kwargs.get(param.name, _MISSING)
                for alias in _NUMPY_NAMES.get(param.name, ()):
                    if obj is _MISSING:
                        obj = kwargs.get(alias, _MISSING)
                is_keyword = True
            eligible = varargs and position == 0 and not is_keyword
            failed: list[int] = []
            if (obj is _MISSING and param.optional) or (obj is None and param.allow_none):
                values.append(_MISSING if obj is _MISSING else None)
            elif obj is _MISSING:
                return self._missing(index) if raise_error else None
            elif _accepts(param, obj, numbers, index, failed):
                values.append(obj)
            elif eligible and _int_list(args, 0, []):
                values.append(tuple(args))
                position = nargs
                continue
            elif raise_error:
                if varargs and nargs > self.max_pos_args:
                    self._extra_args(nargs)
                self._wrong_type(param, obj, is_keyword, position, failed, args)
            else:
                return None
            if not is_keyword:
                position += 1
            elif obj is not _MISSING:
                remaining -= 1
        if position < nargs:
            return self._extra_args(nargs) if raise_error else None
        if remaining > 0:
            return self._extra_kwargs(kwargs, nargs) if raise_error else None
        return values

    def _extra_args(self, nargs: int) -> None:
        if self.min_args != self.max_pos_args:
            raise TypeError(f"{self.name}() takes from {self.min_args} to {self.max_pos_args} "
                            f"positional arguments but {nargs} were given")
        plural = "" if self.max_pos_args == 1 else "s"
        raise TypeError(f"{self.name}() takes {self.max_pos_args} positional argument{plural} "
                        f"but {nargs} {'was' if nargs == 1 else 'were'} given")

    def _missing(self, index: int) -> None:
        names = [f'"{p.name}"' for p in self.params[index:] if not p.optional]
        plural = "s" if len(names) == 1 else ""  # sic: PyTorch's wording
        raise TypeError(f"{self.name}() missing {len(names)} required positional argument"
                        f"{plural}: {', '.join(names)}")

    def _extra_kwargs(self, kwargs: dict, nargs: int) -> None:
        for key in kwargs:
            if not isinstance(key, str):
                raise TypeError("keywords must be strings")
            index = next((i for i, p in enumerate(self.params) if key == p.name), -1)
            if index < 0:
                raise TypeError(f"{self.name}() got an unexpected keyword argument '{key}'")
            if index < nargs:
                raise TypeError(f"{self.name}() got multiple values for argument '{key}'")
        raise TypeError("invalid keyword arguments")

    def _wrong_type(self, param: Param, obj: Any, is_keyword: bool, position: int,
                    failed: list[int], args: tuple) -> None:
        expected = param.type_name
        if is_keyword:
            raise TypeError(f"{self.name}(): argument '{param.name}' must be {expected}, not "
                            f"{messages.type_name(obj)}")
        if failed:
            sequence = obj if isinstance(obj, (tuple, list)) else args
            raise TypeError(
                f"{self.name}(): argument '{param.name}' (position {position + 1}) must be "
                f"{expected}, but found element of type "
                f"{messages.type_name(sequence[failed[0]])} at pos {failed[0]}")
        raise TypeError(f"{self.name}(): argument '{param.name}' (position {position + 1}) must "
                        f"be {expected}, not {messages.type_name(obj)}")


def _print_default(value: Any) -> str:
    return "None" if value is None else str(value)


# --- what each parameter type accepts (FunctionParameter::check) ------------------------------
def _is_number(obj: Any) -> bool:
    return isinstance(obj, (bool, int, float, complex, np.number, np.bool_))


def _is_index(obj: Any) -> bool:
    """is_int_or_symint: one-element integer tensors, ints (not bools), `__index__` objects."""
    if isinstance(obj, Tensor):
        return obj._data.size == 1 and obj._data.dtype.kind in "biu"
    if isinstance(obj, (bool, np.bool_)):
        return False
    try:
        operator.index(obj)
    except TypeError:
        return False
    return True


def _int_list(obj: Any, size: int, failed: list[int]) -> bool:
    if isinstance(obj, (tuple, list)):
        if not obj or _is_index(obj[0]):
            return True
        failed.append(0)
        return False
    return size > 0 and _is_index(obj)


def _accepts(param: Param, obj: Any, numbers: bool, index: int, failed: list[int]) -> bool:
    kind = param.kind
    if kind == "Tensor":
        return isinstance(obj, Tensor) or (numbers and _is_number(obj))
    if kind in ("Number", "float"):
        if isinstance(obj, (bool, int, float, np.number, np.bool_)) or (
                kind == "Number" and isinstance(obj, complex)):
            return True
        return isinstance(obj, Tensor) and not obj._requires_grad and obj._data.ndim == 0
    if kind == "int":
        if isinstance(obj, Tensor):
            return (obj._data.dtype.kind in "iu" and not obj._requires_grad
                    and obj._data.ndim == 0)
        return isinstance(obj, (int, np.integer)) and not isinstance(obj, (bool, np.bool_))
    if kind == "bool":
        return isinstance(obj, (bool, np.bool_))
    if kind == "tuple of ints":
        return _int_list(obj, param.size, failed)
    if kind == "tuple of Tensors":
        if not isinstance(obj, (tuple, list)):
            return False
        for position, item in enumerate(obj):
            if not isinstance(item, Tensor):
                raise TypeError(f"expected Tensor as element {position} in argument {index}, "
                                f"but got {messages.type_name(item)}")
        return True
    if kind == "torch.dtype":
        return isinstance(obj, dtypes.dtype) or obj is float or obj is int or obj is bool
    if kind == "str":
        return isinstance(obj, str)
    if kind == "torch.device":
        return isinstance(obj, (str, int, devices.device)) and not isinstance(obj, bool)
    if kind == "torch.Generator":
        return isinstance(obj, random.Generator)
    if kind == "object":
        return True
    return False


# --- format_invalid_args: the message when several signatures could have fitted --------------
def _option_arguments(text: str) -> list[tuple[str, str]]:
    """(type, name) pairs as invalid_arguments.cpp splits a printed signature (quirks kept)."""
    pairs = []
    for part in text[1:-1].split(", "):
        cut = part.rfind(" ")
        pairs.append((part[:cut] if cut >= 0 else part, part[cut + 1:]))
    return pairs


def _type_matches(type_text: str, obj: Any) -> bool:
    name = messages.type_name(obj)
    if type_text == "float":
        return name in ("float", "int", "long")
    if type_text == "int":
        return name in ("int", "long")
    return name == type_text


def _describe(obj: Any) -> str:
    if isinstance(obj, (tuple, list)):
        items = ", ".join(messages.type_name(item) for item in obj)
        if isinstance(obj, tuple):
            return f"tuple of ({items}{',' if len(obj) == 1 else ''})"
        return f"list of [{items}]"
    return messages.type_name(obj)


def _formatted(arguments: list[tuple[str, str]], args: tuple, kwargs: dict) -> str:
    parts = []
    for i in range(len(args) + len(kwargs)):
        is_keyword = i >= len(args)
        if is_keyword:
            name = arguments[i][1] if i < len(arguments) else ""
            obj = kwargs.get(name, next(iter(kwargs.values())))
        else:
            obj = args[i]
        matching = i < len(arguments) and _type_matches(arguments[i][0], obj)
        text = (f"{arguments[i][1]}=" if is_keyword else "") + _describe(obj)
        parts.append(text if matching else f"!{text}!")
    return "(" + _joined(parts, bool(args)) + ")"


def _plain(args: tuple, kwargs: dict) -> str:
    parts = [messages.type_name(a) for a in args]
    parts += [f"{key}={messages.type_name(value)}" for key, value in _map_order(kwargs)]
    return "(" + _joined(parts, bool(args)) + ")"


def _joined(parts: list[str], trim: bool) -> str:
    """PyTorch trims the last ", " only when there were positional arguments (sic)."""
    text = "".join(f"{part}, " for part in parts)
    return text[:-2] if trim else text


def _map_order(kwargs: dict) -> list[tuple[str, Any]]:
    """The keyword arguments in the order PyTorch's std::unordered_map gives them back: the
    reverse of the call's."""
    return list(reversed(kwargs.items()))


def _unmatched(arguments: list[tuple[str, str]], kwargs: dict) -> list[str]:
    start = max(len(arguments) - len(kwargs), 0)
    names = {name for _, name in arguments[start:]}
    return [key for key, _ in _map_order(kwargs) if key not in names]


def _invalid_combination(name: str, options: list[str], args: tuple, kwargs: dict) -> str:
    message = f"{name}() received an invalid combination of arguments - "
    count = len(args) + len(kwargs)
    if len(options) == 1:
        arguments = _option_arguments(options[0])
        unmatched = _unmatched(arguments, kwargs) if kwargs else []
        if unmatched:
            return message + "got unrecognized keyword arguments: " + ", ".join(unmatched)
        described = (_formatted(arguments, args, kwargs) if count == len(arguments)
                     else _plain(args, kwargs))
        return message + f"got {described}, but expected {options[0]}"
    message += f"got {_plain(args, kwargs)}, but expected one of:\n"
    for option in options:
        arguments = _option_arguments(option)
        message += f" * {option}\n"
        if count == len(arguments):
            unmatched = _unmatched(arguments, kwargs) if kwargs else []
            if unmatched:
                message += ("      didn't match because some of the keywords were incorrect: "
                            + ", ".join(unmatched) + "\n")
            else:
                message += ("      didn't match because some of the arguments have invalid "
                            f"types: {_formatted(arguments, args, kwargs)}\n")
    return message


# --- PythonArgParser --------------------------------------------------------------------------
class Parser:
    """All signatures of one function, and the positional type patterns that need no parse."""

    def __init__(self, name: str, texts: list[str]) -> None:
        self.name = name
        self.numbers = name in _NUMBERS_AS_TENSORS
        self.signatures = [Signature(name, text.removeprefix("hidden "),
                                     text.startswith("hidden ")) for text in texts]
        self.fast, self.packed = self._fast_patterns()

    def _fast_patterns(self) -> tuple[frozenset, frozenset]:
        """Positional type patterns that need no parse: passed on as they are, or (`view(2, 3)`)
        packed into one size."""
        patterns: set[tuple[type, ...]] = set()
        packed: set[tuple[type, ...]] = set()
        earlier: list[Signature] = []
        for signature in self.signatures:
            if signature.hidden:
                continue
            positional = []
            for param in signature.params:
                if param.keyword_only or param.name in _IGNORED:
                    break
                positional.append(param)
            if any(not p.optional for p in signature.params if p.keyword_only):
                earlier.append(signature)
                continue
            for count in range(len(positional) + 1):
                if any(not p.optional for p in positional[count:]):
                    continue
                choices = [_simple_types(p, self.numbers) for p in positional[:count]]
                patterns.update(pattern for pattern in itertools.product(*choices)
                                if not any(_may_take(s, pattern, self.numbers)
                                           for s in earlier))
            if (len(positional) == 1 and positional[0].kind == "tuple of ints"
                    and not positional[0].size):
                packed.update((int,) * count for count in range(1, 7))
            earlier.append(signature)
        return frozenset(patterns), frozenset(packed - patterns)

    def check(self, args: tuple, kwargs: dict | None = None) -> None:
        """Raise what PyTorch raises if the call fits none of the signatures."""
        if kwargs or tuple(map(type, args)) not in self.fast:
            self.bind(args, kwargs or {})

    def bind(self, args: tuple, kwargs: dict) -> tuple[tuple, dict]:
        """The call as positional values in the signature's order plus keyword-only values,
        or PyTorch's TypeError."""
        for signature in self.signatures:
            values = signature.parse(args, kwargs, False, self.numbers)
            if values is not None:
                _unpack_int_lists(signature, values)
                if signature.hidden:
                    return self._deprecated(signature, values)
                return _arrange(signature, values)
        self._raise(args, kwargs)
        raise AssertionError("unreachable")

    def _deprecated(self, signature: Signature, values: list) -> tuple[tuple, dict]:
        """A deprecated overload (`x.add(2, y)`): warned about once, then called in the form
        PyTorch recommends, with the same values."""
        preferred = next(s for s in self.signatures if not s.hidden)
        if not _WARNED:  # PyTorch warns once per process, whichever function it was
            _WARNED.add(self.name)
            warnings.warn(f"This overload of {self.name} is deprecated:\n\t{self.name}"
                          f"{signature.text}\n"
                          "Consider using one of the following signatures instead:\n\t"
                          f"{self.name}{preferred.text} (Triggered internally at "
                          "/__w/pytorch/pytorch/torch/csrc/utils/python_arg_parser.cpp:1841.)",
                          UserWarning, stacklevel=4)
        by_name = {p.name: v for p, v in zip(signature.params, values, strict=True)}
        return _arrange(preferred, [by_name.get(p.name, _MISSING) for p in preferred.params])

    def _raise(self, args: tuple, kwargs: dict) -> None:
        if len(self.signatures) == 1:
            self.signatures[0].parse(args, kwargs, True, self.numbers)
        count = len(args) + len(kwargs)
        plausible = [s for s in self.signatures
                     if s.min_args <= count <= s.max_args and not s.hidden]
        if len(plausible) == 1:
            plausible[0].parse(args, kwargs, True, self.numbers)
        options = [s.text for s in self.signatures if not s.hidden]
        raise TypeError(_invalid_combination(self.name, options, args, kwargs))


def _simple_types(param: Param, numbers: bool) -> tuple[type, ...]:
    none = (type(None),) if param.allow_none else ()
    return _plain_types(param, numbers) + none


def _plain_types(param: Param, numbers: bool) -> tuple[type, ...]:
    kind = param.kind
    if kind == "Tensor":
        return (Tensor, bool, int, float) if numbers else (Tensor,)
    if kind in ("Number", "float"):
        return (bool, int, float)
    if kind == "int":
        return (int,)
    if kind == "bool":
        return (bool,)
    if kind == "tuple of ints":
        return (int,) if param.size else ()
    if kind == "torch.dtype":
        return (dtypes.dtype,)
    if kind == "str":
        return (str,)
    return ()


_BROAD: dict[str, tuple[type, ...]] = {
    "Number": (bool, int, float, Tensor), "float": (bool, int, float, Tensor),
    "int": (int, Tensor), "bool": (bool,), "tuple of ints": (int, Tensor, tuple, list),
    "torch.dtype": (dtypes.dtype, type), "str": (str,),
    "torch.device": (str, int, devices.device),
    "tuple of Tensors": (tuple, list), "torch.Generator": (random.Generator,),
}


def _may_take(signature: Signature, pattern: tuple[type, ...], numbers: bool) -> bool:
    """Whether an earlier overload might accept arguments of these types (and so win)."""
    params = [p for p in signature.params if not p.keyword_only]
    if len(pattern) > len(params):
        return False
    for param, kind in zip(params, pattern, strict=False):
        broad = ((Tensor, bool, int, float) if numbers else (Tensor,)) \
            if param.kind == "Tensor" else _BROAD.get(param.kind, ())
        if kind not in broad and not (kind is type(None) and param.allow_none):
            return False
    return all(p.optional for p in params[len(pattern):])


def _arrange(signature: Signature, values: list) -> tuple[tuple, dict]:
    """Positional values up to the last one given (defaults filling the gaps), keyword-only
    values by name; parameters gradviz ignores are dropped, `out=` is passed on as `_OUT`."""
    positional: list[Any] = []
    keywords: dict[str, Any] = {}
    pending: list[Any] = []
    for param, value in zip(signature.params, values, strict=True):
        if param.name in _IGNORED:
            if param.name == "out" and value not in (_MISSING, None):
                if not isinstance(value, Tensor):
                    raise RuntimeError("gradviz supports out= with one tensor only")
                keywords[_OUT] = value
            if param.name == "device" and value is not _MISSING:
                devices.check(value)
            if param.name == "generator" and value not in (_MISSING, None):
                keywords["generator"] = value
            if not param.keyword_only:
                pending.append(None)
            continue
        if param.kind == "torch.dtype" and isinstance(value, type):
            value = _PYTHON_DTYPES[value]
        elif param.kind in ("Number", "float", "int") and isinstance(value, Tensor):
            value = value.item()  # a 0-d tensor that PyTorch took as a number
        elif param.kind == "tuple of ints" and isinstance(value, (tuple, list)):
            value = tuple(operator.index(v) for v in value)
        if param.keyword_only:
            if value is not _MISSING:
                keywords[param.name] = value
        elif value is _MISSING:
            pending.append(param.default)
        else:
            positional.extend(pending)
            pending.clear()
            positional.append(value)
    return tuple(positional), keywords


_PYTHON_DTYPES = {float: dtypes.float64, int: dtypes.int64, bool: dtypes.bool_}
_WARNED: set[str] = set()


def _unpack_int_lists(signature: Signature, values: list) -> None:
    """The parser checks only the first element of a size; converting it checks the rest."""
    for param, value in zip(signature.params, values, strict=True):
        if param.kind == "tuple of ints" and isinstance(value, (tuple, list)):
            for position, item in enumerate(value[1:], start=2):
                if not (_is_index(item) or isinstance(item, (bool, np.bool_))):
                    raise TypeError(
                        f"{signature.name}(): argument '{param.name}' failed to unpack the object "
                        f"at pos {position} with error \"type must be tuple of ints,but got "
                        f"{messages.type_name(item)}\"")


# --- wrappers ---------------------------------------------------------------------------------
_OUT = "\0out"  # where `_arrange` leaves an out= tensor (no Python name can clash with it)


def _call(name: str, function: Callable, args: tuple, kwargs: dict) -> Any:
    """Call `function`; with out=, write the result into that tensor as PyTorch does."""
    out = kwargs.pop(_OUT, None)
    if out is None:
        return function(*args, **kwargs)
    if grad_mode.state.enabled and any(
            isinstance(v, Tensor) and v._requires_grad for v in (*args, *kwargs.values(), out)):
        raise RuntimeError(f"{name}(): functions with out=... arguments don't support automatic "
                           "differentiation, but one of the arguments requires grad.")
    target = dtypes.of_array(out._data)
    if name in _BOOL_OUT and target is not dtypes.bool_:
        raise RuntimeError(f"{name} only supports bool tensor for result, got: "
                           f"{_LEGACY[target.name]}")
    result = function(*args, **kwargs)
    return _write_out(out, result, name in _SAME_DTYPE_OUT)


# Unary ops whose out= tensor must have the result's dtype exactly.
_SAME_DTYPE_OUT = frozenset({"neg", "abs", "ceil", "floor", "round", "sign"})
# Reductions whose out= tensor must be bool.
_BOOL_OUT = frozenset({"all", "any"})


def _write_out(out: Tensor, result: Tensor, same_dtype: bool = False) -> Tensor:
    got, target = dtypes.of_array(result._data), dtypes.of_array(out._data)
    if same_dtype and got is not target:
        raise RuntimeError(f"Found dtype {_LEGACY[target.name]} but expected {_LEGACY[got.name]}")
    if dtypes.category(got) > dtypes.category(target):
        raise RuntimeError(f"result type {_LEGACY[got.name]} can't be cast to the desired output "
                           f"type {_LEGACY[target.name]}")
    shape = result._data.shape
    if out._data.shape != shape:
        if out._data.size:
            warnings.warn(
                "An output with one or more elements was resized since it had shape "
                f"[{', '.join(map(str, out._data.shape))}], which does not match the required "
                f"output shape [{', '.join(map(str, shape))}]. This behavior is deprecated, and "
                "in a future PyTorch release outputs will not be resized unless they have zero "
                "elements. You can explicitly reuse an out tensor t by resizing it, inplace, to "
                "zero elements with t.resize_(0). (Triggered internally at "
                "/__w/pytorch/pytorch/aten/src/ATen/native/Resize.cpp:30.)", UserWarning,
                stacklevel=4)
        out._data = np.array(result._data, dtype=out._data.dtype)[()]
    elif isinstance(out._data, np.ndarray):
        if not out._data.flags.writeable:
            out._data = np.array(out._data, copy=True)
        np.copyto(out._data, result._data, casting="unsafe")
    else:
        out._data = out._data.dtype.type(result._data)
    from engine.apply import bump_version

    bump_version(out)
    return out


_LEGACY = {"float32": "Float", "float64": "Double", "int64": "Long", "int32": "Int",
           "bool": "Bool", "float16": "Half"}


def checked(function: Callable, name: str, texts: list[str]) -> Callable:
    """`function` behind PyTorch's argument parser for `name` (built at its first call: a
    parser per function at import would cost start-up time and garbage-collector work)."""
    key = (name, tuple(texts))
    single = fast = packed = frozenset()
    parser: Parser | None = None

    @functools.wraps(function)
    def call(first: Any = _MISSING, /, *rest: Any, **kwargs: Any) -> Any:
        nonlocal parser, single, fast, packed
        if not rest and not kwargs and type(first) in single:  # `torch.exp(x)`: the most common
            return function(first)
        args = rest if first is _MISSING else (first, *rest)
        if parser is None:
            parser = parser_for(*key)
            fast, packed, single = parser.fast, parser.packed, _singles(parser.fast)
        if not kwargs:
            types = tuple(map(type, args))
            if types in fast:
                return function(*args)
            if types in packed:
                return function(args)
        args, kwargs = parser.bind(args, kwargs)
        return _call(name, function, args, kwargs)

    call.signature_key = key  # type: ignore[attr-defined]
    return call


def checked_method(function: Callable, name: str, texts: list[str]) -> Callable:
    """A Tensor method behind PyTorch's argument parser (`self` is not among the signatures)."""
    key = (name, tuple(texts))
    single = fast = packed = frozenset()
    bare = False
    parser: Parser | None = None

    @functools.wraps(function)
    def call(self: Tensor, first: Any = _MISSING, /, *rest: Any, **kwargs: Any) -> Any:
        nonlocal parser, single, fast, packed, bare
        if not rest and not kwargs:  # `x.sum()`, `x.sum(0)`: the most common
            if first is _MISSING:
                if bare:
                    return function(self)
            elif type(first) in single:
                return function(self, first)
        args = rest if first is _MISSING else (first, *rest)
        if parser is None:
            parser = parser_for(*key)
            fast, packed, single = parser.fast, parser.packed, _singles(parser.fast)
            bare = () in fast
        if not kwargs:
            types = tuple(map(type, args))
            if types in fast:
                return function(self, *args)
            if types in packed:
                return function(self, args)
        args, kwargs = parser.bind(args, kwargs)
        return _call(name, function, (self, *args), kwargs)

    call.signature_key = key  # type: ignore[attr-defined]
    return call


def _singles(fast: frozenset) -> frozenset:
    return frozenset(types[0] for types in fast if len(types) == 1)


def parser_for(name: str, texts: tuple[str, ...]) -> Parser:
    """The parser of these signatures, made once."""
    parser = _PARSERS.get((name, texts))
    if parser is None:
        parser = _PARSERS[name, texts] = Parser(name, list(texts))
    return parser


def no_arguments(function: Callable, name: str) -> Callable:
    """A Tensor method that PyTorch binds without arguments (`x.exp()`), with CPython's
    messages for a call that passes some."""

    @functools.wraps(function)
    def call(self: Tensor, *args: Any, **kwargs: Any) -> Any:
        if args or kwargs:
            if kwargs:
                raise TypeError(f"TensorBase.{name}() takes no keyword arguments")
            raise TypeError(f"TensorBase.{name}() takes no arguments ({len(args)} given)")
        return function(self)

    return call


def check(name: str, texts: list[str], args: tuple, kwargs: dict | None = None) -> None:
    """Raise what PyTorch raises if `name(*args, **kwargs)` fits none of `texts`."""
    parser = _BY_NAME.get(name)
    if parser is None:
        parser = _BY_NAME[name] = parser_for(name, tuple(texts))
    parser.check(args, kwargs)


_PARSERS: dict[tuple[str, tuple[str, ...]], Parser] = {}
_BY_NAME: dict[str, Parser] = {}  # `check` is used for the torch.nn.functional tables only

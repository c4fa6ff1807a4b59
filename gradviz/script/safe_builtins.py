"""The builtins a script can call: Python's own where they are harmless, wrapped where they
consume an iterable (counted against the loop limit) or could build something huge."""

from __future__ import annotations

import builtins
from collections.abc import Callable, Iterable
from typing import Any

from gradviz.script.allowlist import materialize
from gradviz.script.budget import Budget
from gradviz.script.errors import not_allowed
from gradviz.script.script_types import script_type
from gradviz.script.shown_type import ShownType
from gradviz.script.text_size import check_text_size

#: Passed through unchanged: they neither loop over arbitrary iterables nor allocate much.
PLAIN = ("abs", "bool", "enumerate", "float", "int", "iter", "len", "next", "range", "reversed",
         "zip")

#: Bound to wrappers below (kept here so the language reference lists them in one place).
WRAPPED = ("all", "any", "dict", "filter", "isinstance", "list", "map", "max", "min", "print",
           "repr", "round", "set", "sorted", "str", "sum", "tuple", "type")

_MAX_ROUND_DIGITS = 400


class SafeType:
    """A builtin type whose constructor is wrapped; `isinstance(x, list)` still works."""

    __slots__ = ("real", "make")

    def __init__(self, real: type, make: Callable[..., Any]) -> None:
        self.real = real
        self.make = make

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.make(*args, **kwargs)

    def __repr__(self) -> str:
        return repr(self.real)


def _real_types(classinfo: Any) -> Any:
    if isinstance(classinfo, (SafeType, ShownType)):
        return classinfo.real
    if isinstance(classinfo, tuple):
        return tuple(_real_types(c) for c in classinfo)
    return classinfo


def make_builtins(budget: Budget, write: Callable[[str], None]) -> dict[str, Any]:
    """The builtins namespace of one run, bound to its budget and its output."""

    def counted(values: Iterable[Any]) -> Iterable[Any]:
        return budget.counted(values)

    def make_list(values: Iterable[Any] = (), /) -> list:
        items = materialize(values, budget)
        budget.keep(len(items))
        return items

    def make_tuple(values: Iterable[Any] = (), /) -> tuple:
        return tuple(make_list(values))

    def make_set(values: Iterable[Any] = (), /) -> set:
        items = make_list(values)
        budget.elementwise(items)  # hashing compares equal-hashed items from C
        return set(items)

    def map_(function: Any, *iterables: Iterable[Any]) -> Iterable[Any]:
        return counted(map(function, *iterables))

    def filter_(function: Any, iterable: Iterable[Any], /) -> Iterable[Any]:
        return counted(filter(function, iterable))

    def make_dict(values: Any = (), /, **kwargs: Any) -> dict:
        pairs = values.items() if isinstance(values, dict) else values
        result = dict(materialize(pairs, budget), **kwargs)
        budget.sequence(len(result))
        return result

    def sorted_(values: Iterable[Any], /, *, key: Any = None, reverse: bool = False) -> list:
        items = make_list(values)
        budget.elementwise(items)
        return sorted(items, key=key, reverse=reverse)

    def sum_(values: Iterable[Any], /, start: Any = 0) -> Any:
        items = make_list(values)
        if isinstance(start, (list, tuple)):
            return concatenate(start, items)
        budget.elementwise([start, *items])
        return sum(items, start)

    def concatenate(start: list | tuple, items: list[Any]) -> list | tuple:
        """`sum(lists, [])` in linear time: C's sum would copy the growing list each time."""
        kind = type(start)
        total = len(start)
        for item in items:
            if not isinstance(item, kind):
                raise TypeError(f'can only concatenate {kind.__name__} (not '
                                f'"{type(item).__name__}") to {kind.__name__}')
            total += len(item)
        budget.sequence(total)
        result = list(start)
        for item in items:
            result.extend(item)
        return kind(result)

    def extreme(pick: Callable[..., Any]) -> Callable[..., Any]:
        def choose(*args: Any, **kwargs: Any) -> Any:
            if len(args) == 1:
                items = make_list(args[0])
                budget.elementwise(items)
                return pick(items, **kwargs)
            budget.elementwise(args)
            return pick(*args, **kwargs)

        choose.__name__ = pick.__name__
        return choose

    def any_(values: Iterable[Any], /) -> bool:
        return any(counted(values))

    def all_(values: Iterable[Any], /) -> bool:
        return all(counted(values))

    def round_(number: Any, ndigits: Any = None) -> Any:
        if ndigits is None:
            return round(number)
        if isinstance(ndigits, int) and abs(ndigits) > _MAX_ROUND_DIGITS:
            budget.int_bits(abs(ndigits) * 4)
        return round(number, ndigits)

    def isinstance_(obj: Any, classinfo: Any, /) -> bool:
        return isinstance(obj, _real_types(classinfo))

    def print_(*values: Any, sep: str | None = " ", end: str | None = "\n", file: Any = None,
               flush: bool = False) -> None:
        if file is not None:
            raise not_allowed("not allowed: print(file=...) (scripts cannot write files)")
        for name, value in (("sep", sep), ("end", end)):
            if value is not None and not isinstance(value, str):
                raise TypeError(f"{name} must be None or a string, not {type(value).__name__}")
        sep = " " if sep is None else sep
        end = "\n" if end is None else end
        parts = []
        for value in values:
            check_text_size(value, budget)
            parts.append(str(value))
        budget.output(sum(map(len, parts)) + len(sep) * max(len(parts) - 1, 0) + len(end))
        write(sep.join(parts) + end)

    def str_(value: Any = "", *args: Any, **kwargs: Any) -> str:
        if not args and not kwargs:
            check_text_size(value, budget)
        return str(value, *args, **kwargs)

    def repr_(value: Any, /) -> str:
        check_text_size(value, budget, top_level_str=False)
        return repr(value)

    def type_(*args: Any) -> Any:
        if len(args) != 1:
            raise not_allowed("not allowed: type(name, bases, namespace) (scripts cannot "
                              "create types)")
        return script_type(args[0], names)

    names: dict[str, Any] = {name: getattr(builtins, name) for name in PLAIN}
    names.update({
        "all": all_, "any": any_, "isinstance": isinstance_, "max": extreme(max),
        "min": extreme(min), "print": print_, "round": round_, "sorted": sorted_, "sum": sum_,
        "list": SafeType(list, make_list), "tuple": SafeType(tuple, make_tuple),
        "dict": SafeType(dict, make_dict), "str": SafeType(str, str_), "repr": repr_,
        "set": SafeType(set, make_set), "map": map_, "filter": filter_, "type": type_,
    })
    for name, function in names.items():
        if callable(function) and not isinstance(function, (type, SafeType)):
            try:
                function.__name__ = name
                function.__qualname__ = name
            except (AttributeError, TypeError):
                pass
    return names

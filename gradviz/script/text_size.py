"""How long `str(value)` will be, worked out before Python builds it.

A list of a million references to one long string is cheap to make and a terabyte to print.
The runner walks a value's containers first (each shared object once) and refuses the
conversion when the text would be longer than `Limits.sequence_length`.
"""

from __future__ import annotations

from typing import Any

from gradviz.script.budget import Budget

_CONTAINERS = (list, tuple, set, frozenset, dict)
_VIEWS = (type({}.keys()), type({}.values()), type({}.items()))


def check_text_size(value: Any, budget: Budget, top_level_str: bool = True) -> None:
    """Refuse `str(value)` (or `repr(value)`) if its text would be over the sequence limit."""
    limit = budget.limits.sequence_length
    if top_level_str and isinstance(value, str):
        return  # str(s) is s itself
    if isinstance(value, (int, float, bool, type(None))):
        return
    budget.check_text(text_bound(value, limit))


def text_bound(value: Any, limit: int) -> int:
    """An upper bound on `len(repr(value))`, exact until it passes `limit`."""
    return _TextBound(limit).of(value)


class _TextBound:
    """An upper bound on the length of `repr(value)`, stopping as soon as it passes `limit`."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.memo: dict[int, int] = {}

    def of(self, value: Any) -> int:
        key = id(value)
        known = self.memo.get(key)
        if known is not None:
            return known
        if isinstance(value, _CONTAINERS) or isinstance(value, _VIEWS):
            self.memo[key] = 5  # `[...]`: a container inside itself
            size = self._container(value)
        else:
            size = len(repr(value))
        self.memo[key] = size
        return size

    def _container(self, value: Any) -> int:
        size = 2 + (64 if type(value) not in _CONTAINERS else 0)
        items = value.items() if isinstance(value, dict) else value
        for item in items:
            if isinstance(value, dict):
                size += self.of(item[0]) + self.of(item[1]) + 4
            else:
                size += self.of(item) + 2
            if size > self.limit:
                return size
        return size

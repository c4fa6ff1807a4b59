"""`"{:.4f}".format(loss)` for scripts: Python's formatting, without what makes `str.format` a
way out of a sandbox (`"{0.__class__}"` reads attributes) or a way to exhaust memory
(`"{:999999999}"`)."""

from __future__ import annotations

import re
import string
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from gradviz.script.budget import Budget
from gradviz.script.errors import not_allowed
from gradviz.script.safe_ops import check_format_spec
from gradviz.script.text_size import check_text_size

#: A field names an argument by position or keyword only: no `.attribute`, no `[item]`.
_PLAIN_FIELD = re.compile(r"\d*|[A-Za-z_]\w*")


class _Formatter(string.Formatter):
    def __init__(self, budget: Budget) -> None:
        super().__init__()
        self.budget = budget

    def get_field(self, field_name: str, args: Sequence[Any], kwargs: Mapping[str, Any]
                  ) -> Any:
        if not _PLAIN_FIELD.fullmatch(field_name):
            raise not_allowed(f"not allowed: '{{{field_name}}}' in a format string (a field "
                              "names an argument; attributes and items are read outside it)")
        return super().get_field(field_name, args, kwargs)

    def get_value(self, key: int | str, args: Sequence[Any], kwargs: Mapping[str, Any]) -> Any:
        if isinstance(key, int) and key >= len(args):
            raise IndexError(f"Replacement index {key} out of range for positional args tuple")
        return super().get_value(key, args, kwargs)

    def convert_field(self, value: Any, conversion: str | None) -> Any:
        check_text_size(value, self.budget, top_level_str=conversion in (None, "s"))
        return super().convert_field(value, conversion)

    def format_field(self, value: Any, format_spec: str) -> str:
        check_format_spec(format_spec, self.budget)
        text = format(value, format_spec)
        self.budget.check_length(len(text))
        return text


def str_format(template: str, budget: Budget) -> Callable[..., str]:
    """The bound `template.format` a script calls."""

    def format(*args: Any, **kwargs: Any) -> str:  # noqa: A001 - str's own name
        check_text_size(template, budget)
        return _Formatter(budget).vformat(template, args, kwargs)

    return format

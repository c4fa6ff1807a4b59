"""Checks that run before Python's own operators, so no single operation can exhaust memory.

Integer powers, products and shifts are refused when the result would be too many bits;
repetition and concatenation of strings, lists and tuples when they would be too long; and
printf-style or f-string format specs when they ask for enormous widths.
"""

from __future__ import annotations

import ast
import math
import operator
import re
from typing import Any

from gradviz.script.budget import Budget
from gradviz.script.errors import not_allowed
from gradviz.script.text_size import check_text_size

SEQUENCES = (str, bytes, list, tuple)

# A printf-style conversion: %[(key)][flags][width][.precision][length]type
_PERCENT_SPEC = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\*|\d+)?(?:\.(\*|\d*))?[hlL]?(.)", re.S)
_DIGITS = re.compile(r"\d+")


def _is_int(value: Any) -> bool:
    return isinstance(value, int)


def _count(value: Any) -> int | None:
    """How many times a sequence would be repeated by `value` (ints, numpy ints, 1-element
    integer tensors: anything with `__index__`), None if `value` cannot repeat one."""
    if isinstance(value, SEQUENCES):
        return None
    try:
        return operator.index(value)
    except Exception:
        return None


def check_binary(op: ast.operator, left: Any, right: Any, budget: Budget) -> None:
    """Refuse `left <op> right` on Python values when its result would be too large."""
    if _is_int(left) and _is_int(right):
        _check_int_result(op, left, right, budget)
    elif isinstance(op, ast.Mult):
        if isinstance(left, SEQUENCES) and (count := _count(right)) is not None:
            budget.sequence(len(left) * max(count, 0))
        elif isinstance(right, SEQUENCES) and (count := _count(left)) is not None:
            budget.sequence(len(right) * max(count, 0))
    elif isinstance(op, ast.Add):
        if isinstance(left, SEQUENCES) and isinstance(right, SEQUENCES):
            budget.sequence(len(left) + len(right))
    elif isinstance(op, ast.Mod) and isinstance(left, (str, bytes)):
        check_percent_format(left, budget)
        check_text_size(right, budget)


def _check_int_result(op: ast.operator, left: int, right: int, budget: Budget) -> None:
    if isinstance(op, ast.Pow):
        if right > 0 and abs(left) > 1:
            budget.int_bits(int(min(right, 2**62) * math.log2(abs(left))) + 1)
    elif isinstance(op, ast.Mult):
        budget.int_bits(abs(left).bit_length() + abs(right).bit_length())
    elif isinstance(op, ast.LShift):
        if left and right > 0:
            budget.int_bits(abs(left).bit_length() + right)


def check_percent_format(template: str | bytes, budget: Budget) -> None:
    """Refuse `'%100000000d' % x` style templates before they are expanded."""
    text = template.decode("latin-1") if isinstance(template, bytes) else template
    for width, precision, _ in _PERCENT_SPEC.findall(text):
        if "*" in (width, precision):
            raise not_allowed("not allowed: '*' widths in %-formatting")
        for number in (width, precision):
            if number:
                budget.check_length(int(number))


def check_format_spec(spec: str, budget: Budget) -> None:
    """Refuse f-string format specs such as `{x:999999999}` before they are expanded."""
    for number in _DIGITS.findall(spec):
        budget.check_length(int(number) if len(number) < 20 else 10**20)

"""What an op pill says: its operator, with a scalar constant operand written in (`**2`, `×2`).

Constants are not graph nodes, so `x ** 2` and `w * 2` would otherwise read as `**` and `×`.
"""

from __future__ import annotations

from typing import Any

import numpy as np

# Binary ops whose scalar constant operand is shown next to the operator.
_INFIX = frozenset({"add", "sub", "mul", "div", "div_scalar", "maximum", "minimum"})


def number_text(value: Any) -> str:
    """A constant as people write it: `2`, `0.5`, `-1`."""
    number = float(np.asarray(value))
    return str(int(number)) if number.is_integer() and abs(number) < 1e15 else f"{number:g}"


def op_label(node: Any) -> str:
    """The text of an op pill for an engine graph node (a grad_fn)."""
    spec = node.spec
    params = node.params or {}
    if "exponent" in params:
        return f"{spec.symbol}{number_text(params['exponent'])}"
    if "base" in params:
        return f"{number_text(params['base'])}{spec.symbol}"
    pairs = zip(node.inputs, node.args, strict=False)
    constants = [(position, arg) for position, (inp, arg) in enumerate(pairs)
                 if inp is None and np.ndim(arg) == 0]
    if spec.name == "rsub" and len(node.args) == 2 and np.ndim(node.args[1]) == 0:
        return f"{number_text(node.args[1])}{spec.symbol}"
    if spec.name in _INFIX and len(constants) == 1 and len(node.inputs) == 2:
        position, value = constants[0]
        text = number_text(value)
        return f"{text}{spec.symbol}" if position == 0 else f"{spec.symbol}{text}"
    return spec.symbol

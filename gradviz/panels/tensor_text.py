"""Tensor values as text, always in PyTorch's own format (`engine.printing.format_tensor`).

The inspector shows full reprs; the steps list needs one line per number, so `compact` keeps
PyTorch's element style (`4.`, `0.7071`, `[1., 2.]`) on one line and cuts what does not fit.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np

import engine
from engine.printing import format_tensor

NONE = "None"
ELLIPSIS = "…"
_PADDING = re.compile(r"(\[|, ) +(?=[-\d.])")  # `[ 6.,  12.]` → `[6., 12.]` after the join
_PRINTABLE = frozenset({"float16", "float32", "float64", "int8", "int16", "int32", "int64",
                        "uint8", "bool"})


def dtype_name(value: Any, fallback: str = "float32") -> str:
    """The dtype to print `value` with: its own if it has a printable one, else `fallback`."""
    name = getattr(getattr(value, "dtype", None), "name", None)
    return name if name in _PRINTABLE else fallback


def tensor_repr(tensor: engine.Tensor) -> str:
    """`repr(tensor)` as PyTorch prints it, with its `grad_fn=` or `requires_grad=True`."""
    grad_fn = tensor.grad_fn
    return format_tensor(np.asarray(tensor._data), tensor.dtype.name,
                         requires_grad=tensor.requires_grad,
                         grad_fn_name=grad_fn.name() if grad_fn is not None else None)


def grad_repr(value: Any, dtype: str) -> str:
    """What `print(t.grad)` shows for a gradient value: `None` or `tensor(4.)`."""
    if value is None:
        return NONE
    return format_tensor(np.asarray(value), dtype)


def one_line(text: str) -> str:
    """A multi-line repr joined onto one line (`[[1., 2.],\\n [3., 4.]]` → `[[1., 2.], [3., 4.]]`).

    The padding PyTorch adds to align columns goes too: `[ 6., 12.]` reads `[6., 12.]`.
    """
    joined = " ".join(part.strip() for part in text.splitlines() if part.strip())
    return _PADDING.sub(r"\1", joined)


def cut(text: str, width: int) -> str:
    """`text` cut to about `width` characters after a whole element, ending in `…`."""
    if len(text) <= width:
        return text
    head = text[: max(1, width - 1)]
    boundary = head.rfind(", ")
    if boundary > 0:
        return head[:boundary] + ", " + ELLIPSIS
    return head + ELLIPSIS


def compact(value: Any, dtype: str, width: int = 28) -> str:
    """A value in PyTorch's element style on one line, without `tensor(...)`: `4.`, `[1., 2.]`."""
    if value is None:
        return NONE
    text = format_tensor(np.asarray(value), dtype)[len("tensor("):]
    depth = 0
    for position, char in enumerate(text):  # drop `, dtype=torch.float64)` and the like
        if char == "[":
            depth += 1
        elif char == "]":
            depth -= 1
        elif depth == 0 and char in ",)":
            text = text[:position]
            break
    return cut(one_line(text), width)


def compact_grad(value: Any, dtype: str, width: int = 28) -> str:
    """`None` or a `.grad` as PyTorch prints it, on one line and cut to `width`."""
    if value is None:
        return NONE
    return cut(one_line(format_tensor(np.asarray(value), dtype)), width)


_ELEMENT = re.compile(r"-?(?:nan|inf|True|False|\d[\d.]*(?:e[+-]\d+)?|\.\d+)")


def element_texts(values: Any, dtype: str) -> list[str]:
    """Each element as PyTorch prints it within this tensor (shared style), row-major.

    Only for tensors small enough to print whole (no `...` summary).
    """
    body = format_tensor(np.asarray(values), dtype)[len("tensor("):]
    body = body.split("dtype=")[0]
    return _ELEMENT.findall(body)


def shape_text(tensor: engine.Tensor) -> str:
    """`torch.Size([2, 3])`, as PyTorch prints `t.shape`."""
    return f"torch.Size([{', '.join(str(size) for size in tensor._data.shape)}])"


def function_name(function: Any) -> str:
    """A grad_fn as PyTorch names it in `next_functions`, without the object's address."""
    if function is None:
        return NONE
    name = function.name()
    return f"<{name.rsplit('::', 1)[-1]}>"


def next_functions_text(node: Any) -> str:
    """`grad_fn.next_functions` as PyTorch prints it, addresses left out."""
    items = [f"({function_name(function)}, {index})" for function, index in node.next_functions]
    inner = ", ".join(items)
    return f"({inner},)" if len(items) == 1 else f"({inner})"

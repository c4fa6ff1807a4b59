"""Tensor values as text, always in PyTorch's own format (`engine.printing.format_tensor`).

The inspector shows full reprs; the steps list needs one line per number, so `compact` keeps
PyTorch's element style (`4.`, `0.7071`, `[1., 2.]`) on one line and cuts what does not fit.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np

import engine
from engine.printing import EDGEITEMS, THRESHOLD, format_tensor, summarized

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
    """A value in PyTorch's element style, one line, no `tensor(...)`: `4.`, `[1., 2.]`."""
    if value is None:
        return NONE
    array = np.asarray(value)
    if array.size > _WHOLE:
        return _compact_large(array, dtype, width)
    text = format_tensor(array, dtype)[len("tensor("):]
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


_WHOLE = 16  # tensors up to this size are printed whole before cutting; larger ones sampled
_LEADING = 12  # elements a compact text can have room for


def _compact_large(array: np.ndarray, dtype: str, width: int) -> str:
    """The first elements of a big tensor, styled as PyTorch styles the whole print.

    PyTorch picks one element style per tensor (integer `2.`, fixed `0.1235`, scientific
    `1.0000e-05`) from the elements it prints; that choice only depends on whether they are all
    whole numbers and on the smallest and largest magnitudes. Printing the leading elements
    together with those few deciding ones gives the same style without printing everything.
    """
    shown = summarized(array) if array.size > THRESHOLD else array
    flat = shown.reshape(-1)
    deciders: list[int] = []
    if flat.dtype.kind == "f":
        with np.errstate(all="ignore"):
            finite = np.flatnonzero(np.isfinite(flat) & (flat != 0))
            if finite.size:
                magnitudes = np.abs(flat[finite])
                deciders += [int(finite[magnitudes.argmin()]), int(finite[magnitudes.argmax()])]
                fractional = finite[flat[finite] != np.ceil(flat[finite])]
                if fractional.size:
                    deciders.append(int(fractional[0]))
    leading = min(EDGEITEMS if array.size > THRESHOLD else _LEADING, flat.size)
    sample = np.concatenate([flat[:leading], flat[deciders]]) if deciders else flat[:leading]
    items = element_texts(sample, dtype)[:leading]
    shape = shown.shape
    text = "[" * len(shape)
    for i, item in enumerate(items):
        if i:
            closing = sum(1 for axis in range(1, len(shape))
                          if i % int(np.prod(shape[axis:])) == 0)
            text += "]" * closing + ", " + "[" * closing
        text += item
    return cut(text + ", " + ELLIPSIS, width) if len(text) + 3 > width else text + ", " + ELLIPSIS


def compact_grad(value: Any, dtype: str, width: int = 28) -> str:
    """`None` or a `.grad` as PyTorch prints it, on one line and cut to `width`."""
    if value is None:
        return NONE
    if np.size(value) > _WHOLE:
        return "tensor(" + compact(value, dtype, max(8, width - len("tensor(")))
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

"""Short texts for tensor values, as they fit on a card: PyTorch's number style, one line.

Full values are PyTorch's own `repr` (`engine.printing.format_tensor`); a card has room for a
summary only, so these keep PyTorch's element formatting (`4.`, `0.7071`, `1.0000e-05`) and
drop whatever does not fit.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from engine.printing import format_tensor

ELLIPSIS = "…"
DEFAULT_WIDTH = 28


def shape_text(shape: tuple[int, ...]) -> str:
    """`scalar` for 0-d, else the sizes joined by ×, e.g. `2×3`."""
    if not shape:
        return "scalar"
    return "×".join(str(size) for size in shape)


def full_text(values: Any, dtype_name: str, **suffixes: Any) -> str:
    """PyTorch's repr of a tensor holding `values`, e.g. `tensor(4.)`."""
    return format_tensor(np.asarray(values), dtype_name, **suffixes)


def summary(values: Any, dtype_name: str, width: int = DEFAULT_WIDTH) -> str:
    """One line of at most about `width` characters, in PyTorch's element style.

    Scalars print as PyTorch prints them (`4.`, `-1.5000`); small tensors whole on one line
    (`[1., 2.]`); larger ones keep their first and last elements (`[0.1000, 0.2000, …,
    0.9000]`), formatted together so they share one style.
    """
    array = np.asarray(values)
    if array.size == 0:
        return "[]"
    whole = _one_line(_contents(array, dtype_name))
    if array.ndim == 0 or len(whole) <= width:
        return whole
    flat = array.ravel()
    for keep in (2, 1):
        if flat.size <= keep + 1:
            continue
        shown = np.concatenate([flat[:keep], flat[-1:]])
        items = _contents(shown, dtype_name)[1:-1].split(", ")
        text = "[" + ", ".join(item.strip() for item in items[:-1]) + f", {ELLIPSIS}, " + \
            items[-1].strip() + "]"
        if len(text) <= width or keep == 1:
            return text
    return whole


def _contents(array: np.ndarray, dtype_name: str) -> str:
    text = format_tensor(array, dtype_name)
    inner = text[len("tensor("):]
    # Drop suffixes such as `, dtype=torch.float64)`; they are shown elsewhere on the card.
    depth = 0
    for position, char in enumerate(inner):
        if char == "[":
            depth += 1
        elif char == "]":
            depth -= 1
        elif depth == 0 and char in ",)":
            return inner[:position]
    return inner


def _one_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines()]
    return " ".join(line for line in lines if line)

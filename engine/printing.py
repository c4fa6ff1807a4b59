"""Tensor printing that reproduces PyTorch's ``repr(tensor)`` character for character.

The algorithm follows PyTorch's default print options (precision 4, threshold 1000,
edge items 3, line width 80) for dense CPU tensors:

* One element formatter is chosen per tensor from its (summarised) non-zero finite
  values: integer mode (``1.``), fixed mode (``0.1235``) or scientific mode
  (``1.0000e-05``), and every element is right-aligned to a common width.
* Floats are formatted as Python formats the value converted to double, so a float32
  ``0.1`` prints as ``0.1000``.
* Tensors with more than 1000 elements are summarised: each dimension longer than six
  keeps its first and last three entries around ``...``.
* Suffixes (``size=``, ``dtype=``, ``grad_fn=``/``requires_grad=True``) follow the
  contents, each wrapping onto its own line when it would pass the line width.

Only numpy is used; this module must never import torch.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

__all__ = ["format_tensor"]

PRECISION = 4
THRESHOLD = 1000
EDGEITEMS = 3
LINEWIDTH = 80

_PREFIX = "tensor("

_NUMPY_DTYPES: dict[str, np.dtype] = {
    name: np.dtype(name)
    for name in (
        "float16",
        "float32",
        "float64",
        "int8",
        "int16",
        "int32",
        "int64",
        "uint8",
        "bool",
    )
}

# Dtypes whose name PyTorch leaves out of a non-empty tensor's repr.
_IMPLICIT_DTYPES = frozenset({"float32", "int64", "bool"})
# The default dtype: the only one left out of an empty tensor's repr.
_DEFAULT_DTYPE = "float32"


def format_tensor(
    values: np.ndarray | np.generic,
    dtype_name: str,
    *,
    requires_grad: bool = False,
    grad_fn_name: str | None = None,
) -> str:
    """The text of repr(t) / str(t) for a torch tensor with these values."""
    dtype_name = _normalise_dtype_name(dtype_name)
    with np.errstate(all="ignore"):  # casting, as torch does, may overflow to inf
        array = np.asarray(values).astype(_NUMPY_DTYPES[dtype_name], copy=False)
    indent = len(_PREFIX)

    suffixes = _shape_and_dtype_suffixes(array, dtype_name)
    if grad_fn_name is not None:
        suffixes.append(f"grad_fn=<{grad_fn_name}>")
    elif requires_grad:
        suffixes.append("requires_grad=True")

    return _add_suffixes(_PREFIX + _contents(array, indent), suffixes, indent)


def _normalise_dtype_name(dtype_name: str) -> str:
    """Accept ``"float32"`` as well as ``"torch.float32"``; reject unsupported dtypes."""
    name = dtype_name.removeprefix("torch.")
    if name not in _NUMPY_DTYPES:
        supported = ", ".join(sorted(_NUMPY_DTYPES))
        raise ValueError(f"format_tensor: unsupported dtype {dtype_name!r}; use one of {supported}")
    return name


def _shape_and_dtype_suffixes(array: np.ndarray, dtype_name: str) -> list[str]:
    """The ``size=`` and ``dtype=`` suffixes PyTorch shows for this tensor."""
    suffixes: list[str] = []
    if array.size == 0:
        # An empty tensor shows its shape unless it is 1-D, and its dtype unless it
        # is the default one (there are no elements to hint at it).
        if array.ndim != 1:
            suffixes.append(f"size={tuple(array.shape)}")
        if dtype_name != _DEFAULT_DTYPE:
            suffixes.append(f"dtype=torch.{dtype_name}")
    elif dtype_name not in _IMPLICIT_DTYPES:
        suffixes.append(f"dtype=torch.{dtype_name}")
    return suffixes


def _add_suffixes(text: str, suffixes: list[str], indent: int) -> str:
    """Append ``, suffix`` items and the closing parenthesis, wrapping long lines."""
    parts = [text]
    # PyTorch measures the last line as two characters longer than it is
    # (``len - rfind("\n") + 1``); keep that so the wrapping decisions match.
    last_line_len = len(text) - text.rfind("\n") + 1
    for suffix in suffixes:
        if last_line_len + len(suffix) + 2 > LINEWIDTH:
            parts.append(",\n" + " " * indent + suffix)
            last_line_len = indent + len(suffix)
        else:
            parts.append(", " + suffix)
            last_line_len += len(suffix) + 2
    parts.append(")")
    return "".join(parts)


def _contents(array: np.ndarray, indent: int) -> str:
    """The bracketed values, e.g. ``[1., 2.]``, or a bare scalar for 0-d tensors."""
    if array.size == 0:
        return "[]"
    summarize = array.size > THRESHOLD
    sample = summarized(array) if summarize else array
    formatter = _ElementFormatter.for_values(sample)
    return _nested_str(array, indent, summarize, formatter)


def summarized(array: np.ndarray) -> np.ndarray:
    """The elements a summarised print shows: the edge items of every long dimension."""
    for axis, size in enumerate(array.shape):
        if size > 2 * EDGEITEMS:
            edges = np.r_[0:EDGEITEMS, size - EDGEITEMS : size]
            array = np.take(array, edges, axis=axis)
    return array


@dataclass(frozen=True)
class _ElementFormatter:
    """Formats single elements of one tensor to a common width, as PyTorch's _Formatter."""

    floating: bool
    int_mode: bool = True
    sci_mode: bool = False
    width: int = 1

    @classmethod
    def for_values(cls, sample: np.ndarray) -> _ElementFormatter:
        """Choose the mode and width from the elements that will be printed."""
        if sample.dtype.kind != "f":
            width = max(len(str(value)) for value in sample.ravel().tolist())
            return cls(floating=False, width=max(1, width))

        flat = sample.ravel()
        nonzero_finite = flat[np.isfinite(flat) & (flat != 0)]
        if nonzero_finite.size == 0:
            return cls(floating=True)

        int_mode = bool(np.all(nonzero_finite == np.ceil(nonzero_finite)))
        magnitudes = np.abs(nonzero_finite).astype(np.float64)
        smallest, largest = magnitudes.min(), magnitudes.max()
        with np.errstate(over="ignore"):  # an infinite ratio simply means scientific
            ratio = largest / smallest
        sci_mode = bool(ratio > 1000.0 or largest > 1.0e8 or smallest < 1.0e-4)

        as_text = _sci_text if sci_mode else _integral_text if int_mode else _fixed_text
        doubles = nonzero_finite.astype(np.float64).tolist()
        width = max(1, max(len(as_text(value)) for value in doubles))
        return cls(floating=True, int_mode=int_mode, sci_mode=sci_mode, width=width)

    def format(self, value: float | int | bool) -> str:
        """One element, right-aligned to the common width."""
        if not self.floating:
            text = str(value)
        elif self.sci_mode:
            text = _sci_text(value)
        elif self.int_mode:
            text = _integral_text(value)
        else:
            text = _fixed_text(value)
        return text.rjust(self.width)


def _sci_text(value: float) -> str:
    """Scientific notation with PyTorch's precision, e.g. ``1.0000e-05``."""
    return f"{value:.{PRECISION}e}"


def _integral_text(value: float) -> str:
    """An integral float with the trailing dot that marks it as a float, e.g. ``2.``."""
    text = f"{value:.0f}"
    return text + "." if math.isfinite(value) else text


def _fixed_text(value: float) -> str:
    """Fixed-point notation with PyTorch's precision, e.g. ``0.1235``."""
    return f"{value:.{PRECISION}f}"


def _nested_str(
    array: np.ndarray, indent: int, summarize: bool, formatter: _ElementFormatter
) -> str:
    """Format a (sub)tensor whose opening bracket sits in column ``indent``."""
    if array.ndim == 0:
        return formatter.format(array.item())
    if array.ndim == 1:
        return _vector_str(array, indent, summarize, formatter)

    parts = [
        "..." if i is None else _nested_str(array[i], indent + 1, summarize, formatter)
        for i in _shown_indices(len(array), summarize)
    ]
    separator = "," + "\n" * (array.ndim - 1) + " " * (indent + 1)
    return "[" + separator.join(parts) + "]"


def _vector_str(
    array: np.ndarray, indent: int, summarize: bool, formatter: _ElementFormatter
) -> str:
    """Format a 1-D (sub)tensor, wrapping elements to PyTorch's line width."""
    element_length = formatter.width + 2  # the element plus ", "
    per_line = max(1, (LINEWIDTH - indent) // element_length)

    # item() widens float16/float32 to a Python (double) float, as torch's item() does.
    texts = [
        " ..." if i is None else formatter.format(array[i].item())
        for i in _shown_indices(len(array), summarize)
    ]
    lines = [", ".join(texts[i : i + per_line]) for i in range(0, len(texts), per_line)]
    return "[" + (",\n" + " " * (indent + 1)).join(lines) + "]"


def _shown_indices(length: int, summarize: bool) -> list[int | None]:
    """Indices of the entries to print along one dimension; ``None`` marks the gap."""
    if summarize and length > 2 * EDGEITEMS:
        return [*range(EDGEITEMS), None, *range(length - EDGEITEMS, length)]
    return list(range(length))

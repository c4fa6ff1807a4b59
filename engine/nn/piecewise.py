"""`torch.nn.functional`'s piecewise activations (`hardtanh`, `relu6`, `threshold`,
`hardshrink`, `softshrink`), the ones PyTorch builds from other ops (`softsign`, `softmin`,
`tanhshrink`) and constant padding (`pad`)."""

from __future__ import annotations

import math
import operator
from typing import Any

import numpy as np

from engine import dtypes
from engine import functions as fn
from engine import op_table as ops
from engine.apply import record, unary
from engine.nn.arguments import floats_only, number, parsed
from engine.tensor import Tensor


def _in_dtype(input: Tensor, value: Any) -> Any:  # noqa: A002
    """A bound as the kernel holds it: an integer tensor's bounds are truncated to ints."""
    value = number(value)
    return math.trunc(value) if input._data.dtype.kind in "iu" else value


def hardtanh(input: Tensor, min_val: float = -1.0, max_val: float = 1.0,  # noqa: A002
             inplace: bool = False) -> Tensor:
    """min_val below min_val, max_val above max_val, the input between (HardtanhBackward0)."""
    if number(min_val) > number(max_val):
        raise ValueError("min_val cannot be greater than max_val")
    parsed("hardtanh_" if inplace else "hardtanh", input, min_val, max_val)
    if input._data.dtype.kind == "b":
        raise RuntimeError("Bool inputs not supported for hardtanh")
    params = {"min_val": _in_dtype(input, min_val), "max_val": _in_dtype(input, max_val)}
    if inplace:
        return fn.inplace_op(lambda a: unary(ops.HARDTANH_, a, params, float_result=False))(
            input)
    return unary(ops.HARDTANH, input, params, float_result=False)


def relu6(input: Tensor, inplace: bool = False) -> Tensor:  # noqa: A002
    """hardtanh between 0 and 6."""
    parsed("relu6_" if inplace else "relu6", input)
    return hardtanh(input, 0, 6, inplace)


def threshold(input: Tensor, threshold: float, value: float,  # noqa: A002
              inplace: bool = False) -> Tensor:
    """The input above `threshold`, `value` elsewhere (ThresholdBackward0; in place 1)."""
    return _thresholded(input, threshold, value, inplace)


def threshold_(input: Tensor, threshold: float, value: float) -> Tensor:  # noqa: A002
    """`torch.threshold_`: `threshold` in place."""
    return _thresholded(input, threshold, value, True)


def _thresholded(input: Tensor, bound: Any, value: Any, inplace: bool) -> Tensor:  # noqa: A002
    parsed("threshold_" if inplace else "threshold", input, bound, value)
    params = {"threshold": number(bound), "value": number(value)}
    if inplace:
        return fn.inplace_op(lambda a: unary(ops.THRESHOLD_, a, params, float_result=False))(
            input)
    return unary(ops.THRESHOLD, input, params, float_result=False)


def hardshrink(input: Tensor, lambd: float = 0.5) -> Tensor:  # noqa: A002
    parsed("hardshrink", input, lambd)
    floats_only(input, "hardshrink_cpu")
    return unary(ops.HARDSHRINK, input, {"lambd": number(lambd)}, float_result=False)


def softshrink(input: Tensor, lambd: float = 0.5) -> Tensor:  # noqa: A002
    parsed("softshrink", input, lambd)
    floats_only(input, "softshrink_check")
    lambd = number(lambd)
    if not 0 <= lambd <= np.finfo(input._data.dtype).max:
        name = dtypes.LEGACY_TYPES[input.dtype.name].removeprefix("torch.").removesuffix(
            "Tensor")
        raise RuntimeError(f"lambda must be in range [0, {np.finfo(input._data.dtype).max:g}] "
                           f"for input dtype {name}, but found {lambd:g}")
    return unary(ops.SOFTSHRINK, input, {"lambd": lambd}, float_result=False)


def softsign(input: Tensor) -> Tensor:  # noqa: A002
    """input / (|input| + 1), as PyTorch composes it."""
    return input / (input.abs() + 1)


def tanhshrink(input: Tensor) -> Tensor:  # noqa: A002
    return input - input.tanh()


def softmin(input: Tensor, dim: int | None = None, _stacklevel: int = 3,  # noqa: A002
            dtype: Any = None) -> Tensor:
    """softmax of the negated input."""
    from engine.nn.functional import _get_softmax_dim

    if dim is None:
        dim = _get_softmax_dim("softmin", input.dim(), _stacklevel)
    negated = -input
    return negated.softmax(dim) if dtype is None else negated.softmax(dim, dtype=dtype)


def pad(input: Tensor, pad: Any, mode: str = "constant",  # noqa: A002
        value: float | None = None) -> Tensor:
    """Constant padding: `pad` gives (before, after) counts from the last dim backwards; a
    negative count crops (ConstantPadNdBackward0)."""
    parsed("pad", input, pad, mode, value)
    if mode != "constant":
        raise NotImplementedError(f"gradviz models F.pad's constant mode, not {mode!r}")
    counts = [operator.index(c) for c in pad]
    if len(counts) % 2:
        raise RuntimeError("Padding length must be divisible by 2")
    ndim = input._data.ndim
    if len(counts) > 2 * ndim:
        raise RuntimeError("Padding length should be less than or equal to two times the "
                           f"input dimension but got padding length {len(counts)} and input "
                           f"of dimension {ndim}")
    widths = [(0, 0)] * ndim
    for k in range(len(counts) // 2):
        widths[ndim - 1 - k] = (counts[2 * k], counts[2 * k + 1])
    for d, (before, after) in enumerate(widths):
        if input._data.shape[d] + min(before, 0) + min(after, 0) < 0:
            raise RuntimeError("narrow(): length must be non-negative.")
    fill = 0 if value is None else _in_dtype(input, value)
    data = input._data
    out = ops.CONSTANT_PAD.forward(data, tuple(widths), fill)
    return record(ops.CONSTANT_PAD, (input,), (data,), out, {"widths": tuple(widths)})

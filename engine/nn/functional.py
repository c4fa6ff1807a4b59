"""`torch.nn.functional`: activations, `linear` and the common losses."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from engine import functions as fn
from engine import op_table as ops
from engine.apply import cast, record, result_type
from engine.tensor import Tensor

relu = fn.relu
sigmoid = fn.sigmoid
tanh = fn.tanh
softmax = fn.softmax
log_softmax = fn.log_softmax


def linear(input: Tensor, weight: Tensor, bias: Tensor | None = None) -> Tensor:  # noqa: A002
    """`input @ weight.T + bias`, built from the same nodes PyTorch builds (AddmmBackward0 …)."""
    weight_t = fn.t(weight)
    if input.ndim == 2 and bias is not None:
        return fn.addmm(bias, input, weight_t)
    if input.ndim == 1 and bias is not None:
        row = fn.view(input, 1, -1)
        return fn.view(fn.addmm(bias, row, weight_t), -1)
    product = fn.matmul(input, weight_t)
    return product if bias is None else fn.add(product, bias)


def _check_reduction(reduction: str) -> None:
    if reduction not in ("mean", "sum", "none"):
        raise ValueError(f"{reduction} is not a valid value for reduction")


def mse_loss(input: Tensor, target: Tensor, reduction: str = "mean") -> Tensor:  # noqa: A002
    _check_reduction(reduction)
    if tuple(input.shape) != tuple(target.shape):
        warnings.warn(
            f"Using a target size ({target.shape!r}) that is different to the input size "
            f"({input.shape!r}). This will likely lead to incorrect results due to "
            "broadcasting. Please ensure they have the same size.", UserWarning, stacklevel=2)
    target_type = result_type(input, target)
    a, b = cast(input._data, target_type), cast(target._data, target_type)
    try:
        out = ops.MSE_LOSS.forward(a, b, reduction)
    except ValueError:
        from engine import messages

        raise RuntimeError(messages.broadcast_mismatch(a.shape, b.shape)) from None
    return record(ops.MSE_LOSS, (input, target), (a, b), out, {"reduction": reduction})


def nll_loss(input: Tensor, target: Tensor, reduction: str = "mean") -> Tensor:  # noqa: A002
    _check_reduction(reduction)
    if target._data.dtype.kind not in "iu":
        raise RuntimeError(f"expected scalar type Long but found {fn._legacy_name(target)}")
    if input.ndim > 2:
        raise RuntimeError("gradviz supports nll_loss for (N, C) or (C,) inputs")
    batch = input._data.shape[0] if input.ndim == 2 else 1
    if input.ndim == 2 and target._data.shape != (batch,):
        raise ValueError(f"Expected input batch_size ({batch}) to match target batch_size "
                         f"({target._data.shape[0] if target._data.ndim else 0}).")
    classes = input._data.shape[-1]
    bad = target._data[(target._data < 0) | (target._data >= classes)]
    if bad.size:
        raise IndexError(f"Target {int(bad.reshape(-1)[0])} is out of bounds.")
    params = {"target": np.asarray(target._data), "reduction": reduction}
    out = ops.NLL_LOSS.forward(input._data, params["target"], reduction)
    return record(ops.NLL_LOSS, (input,), (input._data,), out, params)


def cross_entropy(input: Tensor, target: Tensor, reduction: str = "mean") -> Tensor:  # noqa: A002
    """log_softmax then nll_loss, composed as PyTorch composes it."""
    class_dim = 0 if input.ndim == 1 else 1
    log_probs = fn.log_softmax(input, dim=class_dim)
    if target._data.dtype.kind == "f":
        picked = fn.mul(log_probs, target)
        if reduction == "none":
            return fn.neg(fn.sum(picked, dim=class_dim))
        per_sample = fn.neg(fn.sum(picked))
        if reduction == "mean":
            return fn.div_scalar(per_sample, input._data.shape[0] if input.ndim > 1 else 1)
        return per_sample
    return nll_loss(log_probs, target, reduction)


def binary_cross_entropy(input: Tensor, target: Tensor, weight: Any = None,  # noqa: A002
                         reduction: str = "mean") -> Tensor:
    _check_reduction(reduction)
    if tuple(input.shape) != tuple(target.shape):
        raise ValueError(f"Using a target size ({target.shape!r}) that is different to the "
                         f"input size ({input.shape!r}) is deprecated. Please ensure they have "
                         "the same size.")
    x = input._data
    if np.any((x < 0) | (x > 1)):
        raise RuntimeError("all elements of input should be between 0 and 1")
    t = cast(target._data, result_type(input, target))
    out = ops.BINARY_CROSS_ENTROPY.forward(x, t, reduction)
    return record(ops.BINARY_CROSS_ENTROPY, (input, target), (x, t), out,
                  {"reduction": reduction})

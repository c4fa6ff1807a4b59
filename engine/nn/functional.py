"""`torch.nn.functional`: activations, `linear` and the common losses."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from engine import dtypes, messages
from engine import functions as fn
from engine import op_table as ops
from engine.apply import cast, new_tensor, record, result_type, unary
from engine.tensor import Tensor

softmax = fn.softmax
log_softmax = fn.log_softmax


def relu(input: Tensor, inplace: bool = False) -> Tensor:  # noqa: A002
    return fn.inplace_op(fn.relu)(input) if inplace else fn.relu(input)


def sigmoid(input: Tensor) -> Tensor:  # noqa: A002
    return input.sigmoid()


def tanh(input: Tensor) -> Tensor:  # noqa: A002
    return input.tanh()


def leaky_relu(input: Tensor, negative_slope: float = 0.01,  # noqa: A002
               inplace: bool = False) -> Tensor:
    """x where x > 0, else negative_slope·x (LeakyReluBackward0; in place LeakyReluBackward1)."""
    _check_float_activation(input, "leaky_relu")
    params = {"negative_slope": negative_slope}
    if inplace:
        return fn.inplace_op(lambda a: unary(ops.LEAKY_RELU_, a, params, float_result=False))(
            input)
    return unary(ops.LEAKY_RELU, input, params, float_result=False)


def gelu(input: Tensor, approximate: str = "none") -> Tensor:  # noqa: A002
    """x·Φ(x) with the exact normal CDF, or its tanh approximation."""
    if approximate not in ("none", "tanh"):
        raise RuntimeError("approximate argument must be either none or tanh.")
    _check_float_activation(input, "GeluKernelImpl")
    return unary(ops.GELU, input, {"approximate": approximate}, float_result=False)


def silu(input: Tensor, inplace: bool = False) -> Tensor:  # noqa: A002
    _check_float_activation(input, "silu")
    if inplace:
        return fn.inplace_op(lambda a: unary(ops.SILU, a, float_result=False))(input)
    return unary(ops.SILU, input, float_result=False)


def softplus(input: Tensor, beta: float = 1.0, threshold: float = 20.0) -> Tensor:  # noqa: A002
    """log(1 + exp(β·x))/β, linear where β·x > threshold."""
    _check_float_activation(input, "softplus_forward")
    return unary(ops.SOFTPLUS, input, {"beta": beta, "threshold": threshold},
                 float_result=False)


def _check_float_activation(input: Tensor, kernel: str) -> None:  # noqa: A002
    if input._data.dtype.kind != "f":
        raise NotImplementedError(f'"{kernel}" not implemented for '
                                  f"'{fn._legacy_name(input)}'")



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


def _warn_target_size(input: Tensor, target: Tensor) -> None:  # noqa: A002
    if target.size() != input.size():
        warnings.warn(
            f"Using a target size ({target.size()!r}) that is different to the input size "
            f"({input.size()!r}). This will likely lead to incorrect results due to "
            "broadcasting. Please ensure they have the same size.", UserWarning, stacklevel=3)


def mse_loss(input: Tensor, target: Tensor, size_average: Any = None,  # noqa: A002
             reduce: Any = None, reduction: str = "mean") -> Tensor:
    _warn_target_size(input, target)
    _check_reduction(reduction)
    target_type = result_type(input, target)
    a, b = cast(input._data, target_type), cast(target._data, target_type)
    try:
        out = ops.MSE_LOSS.forward(a, b, reduction)
    except ValueError:
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


def l1_loss(input: Tensor, target: Tensor, size_average: Any = None,  # noqa: A002
            reduce: Any = None, reduction: str = "mean") -> Tensor:
    """|input − target| averaged (or summed): Sub, Abs, then Mean/Sum, as PyTorch composes it."""
    _warn_target_size(input, target)
    expanded_input, expanded_target = _broadcast_tensors(input, target)
    _check_reduction(reduction)
    errors = fn.abs(fn.sub(expanded_input, expanded_target))
    if reduction == "mean":
        return fn.mean(errors)
    return fn.sum(errors) if reduction == "sum" else errors


def _broadcast_tensors(*tensors: Tensor) -> list[Tensor]:
    """torch.broadcast_tensors: each tensor expanded to the common shape (itself if it has it)."""
    from engine.shapes import broadcast_shapes

    shape = broadcast_shapes(*(t._data.shape for t in tensors))
    return [t if t._data.shape == shape else fn.expand(t, *shape) for t in tensors]


def binary_cross_entropy_with_logits(input: Tensor, target: Tensor,  # noqa: A002
                                     weight: Tensor | None = None, size_average: Any = None,
                                     reduce: Any = None, reduction: str = "mean",
                                     pos_weight: Tensor | None = None) -> Tensor:
    """−[t·log σ(x) + (1 − t)·log(1 − σ(x))], computed from the logits without overflow."""
    _check_reduction(reduction)
    if not (target.size() == input.size()):
        raise ValueError(f"Target size ({target.size()!r}) must be the same as input size "
                         f"({input.size()!r})")
    for name, extra in (("weight", weight), ("pos_weight", pos_weight)):
        if extra is not None and extra.requires_grad:
            raise RuntimeError("The function 'binary_cross_entropy_with_logits' is not "
                               f"differentiable with respect to argument '{name}'. This input "
                               "cannot have requires_grad True.")
    if target._data.dtype == np.bool_:  # PyTorch computes (1 - target) first
        raise RuntimeError(messages.BOOL_SUBTRACT_ONE)
    if dtypes.category(target.dtype) < dtypes.category(input.dtype):  # then (1 - target).mul_(x)
        raise RuntimeError(f"result type {fn._legacy_name(input)} can't be cast to the desired "
                           f"output type {fn._legacy_name(target)}")
    x = input._data
    t = cast(target._data, input.dtype)
    params = {"weight": None if weight is None else cast(weight._data, input.dtype),
              "pos_weight": None if pos_weight is None else cast(pos_weight._data, input.dtype),
              "reduction": reduction}
    out = ops.BCE_WITH_LOGITS.forward(x, t, params["weight"], params["pos_weight"], reduction)
    return record(ops.BCE_WITH_LOGITS, (input, target), (x, t), out, params)


def one_hot(tensor: Tensor, num_classes: int = -1) -> Tensor:
    """int64 rows of zeros with a one at each class index (no gradient)."""
    data = tensor._data
    if data.dtype != np.int64:
        raise RuntimeError("one_hot is only applicable to index tensor of type LongTensor.")
    if num_classes == -1:
        if data.size == 0:
            raise RuntimeError("Can not infer total number of classes from empty tensor.")
        num_classes = int(data.max()) + 1
    if data.size and data.min() < 0:
        raise RuntimeError("Class values must be non-negative.")
    if data.size and data.max() >= num_classes:
        raise RuntimeError("Class values must be smaller than num_classes.")
    out = (np.expand_dims(data, -1) == np.arange(num_classes)).astype(np.int64)
    return new_tensor(out)


def normalize(input: Tensor, p: float = 2.0, dim: int = 1, eps: float = 1e-12,  # noqa: A002
              out: Any = None) -> Tensor:
    """input / max(‖input‖_p along dim, eps), built from the nodes PyTorch builds."""
    denom = input.norm(p, dim, keepdim=True).clamp_min(eps).expand_as(input)
    return input / denom

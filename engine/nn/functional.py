"""`torch.nn.functional`: activations, `linear` and the common losses.

Each function mirrors PyTorch's: the Python ones check and fail in the same order (so a list
passed as `input` fails on `.size()` as it does there), the C++ ones sit behind PyTorch's
argument parser.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from engine import dtypes, messages, signatures
from engine import functions as fn
from engine import op_table as ops
from engine.apply import cast, new_tensor, record, unary
from engine.nn import piecewise as _piecewise
from engine.nn.arguments import floats_only as _check_float_activation
from engine.nn.arguments import number as _number
from engine.nn.arguments import parsed as _parsed
from engine.nn.batchnorm import batch_norm  # noqa: F401  (beside nn.BatchNorm1d)
from engine.nn.distance import (  # noqa: F401  (beside their modules)
    cosine_similarity,
    pairwise_distance,
)
from engine.nn.dropout import dropout  # noqa: F401  (F.dropout; it lives beside nn.Dropout)
from engine.nn.elu import celu, elu, selu  # noqa: F401  (F's exponential linear units)
from engine.nn.embedding import embedding  # noqa: F401  (beside nn.Embedding)
from engine.nn.normalization import layer_norm  # noqa: F401  (beside nn.LayerNorm)
from engine.nn.piecewise import (  # noqa: F401  (F's piecewise activations and padding)
    hardshrink,
    hardtanh,
    pad,
    relu6,
    softmin,
    softshrink,
    softsign,
    tanhshrink,
)
from engine.shapes import broadcast_shapes
from engine.signature_table import NN, TORCH
from engine.tensor import Tensor


def softmax(input: Tensor, dim: int | None = None, _stacklevel: int = 3,  # noqa: A002
            dtype: Any = None) -> Tensor:
    if dim is None:
        dim = _get_softmax_dim("softmax", input.dim(), _stacklevel)
    return input.softmax(dim) if dtype is None else input.softmax(dim, dtype=dtype)


def log_softmax(input: Tensor, dim: int | None = None, _stacklevel: int = 3,  # noqa: A002
                dtype: Any = None) -> Tensor:
    if dim is None:
        dim = _get_softmax_dim("log_softmax", input.dim(), _stacklevel)
    return input.log_softmax(dim) if dtype is None else input.log_softmax(dim, dtype=dtype)


def _get_softmax_dim(name: str, ndim: int, stacklevel: int) -> int:
    warnings.warn(f"Implicit dimension choice for {name} has been deprecated. Change the call to "
                  "include dim=X as an argument.", UserWarning, stacklevel=stacklevel)
    return 0 if ndim in (0, 1, 3) else 1


def relu(input: Tensor, inplace: bool = False) -> Tensor:  # noqa: A002
    if inplace:
        _parsed("relu_", input)
        return fn.inplace_op(fn.relu)(input)
    _parsed("relu", input, table=TORCH)
    return fn.relu(input)


def sigmoid(input: Tensor) -> Tensor:  # noqa: A002
    return input.sigmoid()


def tanh(input: Tensor) -> Tensor:  # noqa: A002
    return input.tanh()


def leaky_relu(input: Tensor, negative_slope: float = 0.01,  # noqa: A002
               inplace: bool = False) -> Tensor:
    """x where x > 0, else negative_slope·x (LeakyReluBackward0; in place LeakyReluBackward1)."""
    _parsed("leaky_relu_" if inplace else "leaky_relu", input, negative_slope)
    _check_float_activation(input, "leaky_relu_cpu")
    params = {"negative_slope": _number(negative_slope)}
    if inplace:
        return fn.inplace_op(lambda a: unary(ops.LEAKY_RELU_, a, params, float_result=False))(
            input)
    return unary(ops.LEAKY_RELU, input, params, float_result=False)


def _gelu(input: Tensor, *, approximate: str = "none") -> Tensor:  # noqa: A002
    """x·Φ(x) with the exact normal CDF, or its tanh approximation."""
    if approximate not in ("none", "tanh"):
        raise RuntimeError("approximate argument must be either none or tanh.")
    _check_float_activation(input, "GeluKernelImpl")
    return unary(ops.GELU, input, {"approximate": approximate}, float_result=False)


def silu(input: Tensor, inplace: bool = False) -> Tensor:  # noqa: A002
    _parsed("silu_" if inplace else "silu", input)
    _check_float_activation(input, "silu_cpu")
    if inplace:
        return fn.inplace_op(lambda a: unary(ops.SILU, a, float_result=False))(input)
    return unary(ops.SILU, input, float_result=False)


def _logsigmoid(input: Tensor) -> Tensor:  # noqa: A002
    """log σ(x) = min(x, 0) − log1p(e^−|x|), PyTorch's log_sigmoid kernel."""
    _check_float_activation(input, "log_sigmoid_cpu")
    return unary(ops.LOG_SIGMOID, input, float_result=False)


def _softplus(input: Tensor, beta: Any = 1, threshold: Any = 20) -> Tensor:  # noqa: A002
    """log(1 + exp(β·x))/β, linear where β·x > threshold."""
    _check_float_activation(input, "softplus_cpu")
    params = {"beta": beta, "threshold": threshold}
    return unary(ops.SOFTPLUS, input, params, float_result=False)



def _linear(input: Tensor, weight: Tensor, bias: Tensor | None = None) -> Tensor:  # noqa: A002
    """`input @ weight.T + bias`, built from the nodes PyTorch builds: addmm for a matrix,
    reshape-addmm-view for a contiguous 3-D input or other contiguous ones with a 1-D bias,
    else matmul then the bias added in place."""
    if input.ndim == 0 or weight.ndim == 0:  # PyTorch's first check
        raise RuntimeError(f"both arguments to linear need to be at least 1D, but they are "
                           f"{input.ndim}D and {weight.ndim}D")
    weight_t = fn.t(weight)
    if input.ndim == 2 and bias is not None:
        return fn.addmm(bias, input, weight_t)
    if bias is not None and (bias.ndim == 1 or input.ndim == 3) and input.is_contiguous():
        rows = int(np.prod(input._data.shape[:-1]))
        product = fn.addmm(bias, fn.reshape(input, rows, input._data.shape[-1]), weight_t)
        return fn.view(product, *input._data.shape[:-1], product._data.shape[1])
    product = fn.matmul(input, weight_t)
    if bias is None:
        return product
    shape = np.broadcast_shapes(product._data.shape, bias._data.shape)
    if shape != product._data.shape:  # PyTorch adds the bias in place: `output.add_(bias)`
        raise RuntimeError(f"output with shape [{', '.join(map(str, product._data.shape))}] "
                           f"doesn't match the broadcast shape [{', '.join(map(str, shape))}]")
    return fn.add(product, bias)


def _reduction_enum(reduction: str, size_average: Any = None, reduce: Any = None) -> str:
    """PyTorch's _Reduction: the legacy arguments (with their warning), then the name's check."""
    if size_average is not None or reduce is not None:
        reduction = _legacy_reduction(size_average, reduce)
    if reduction == "elementwise_mean":
        warnings.warn("reduction='elementwise_mean' is deprecated. Please use reduction='mean' "
                      "instead.", UserWarning, stacklevel=3)
        reduction = "mean"
    if reduction not in ("mean", "sum", "none"):
        raise ValueError(f"{reduction} is not a valid value for reduction")
    return reduction


_ENUM = {"none": 0, "mean": 1, "sum": 2}
_INT64 = np.dtype(np.int64)


def _legacy_reduction(size_average: Any, reduce: Any) -> str:
    size_average = True if size_average is None else size_average
    reduce = True if reduce is None else reduce
    name = "mean" if size_average and reduce else "sum" if reduce else "none"
    warnings.warn(f"size_average and reduce args will be deprecated, please use "
                  f"reduction='{name}' instead.", UserWarning, stacklevel=3)
    return name


def _warn_target_size(input: Tensor, target: Tensor) -> None:  # noqa: A002
    if target.size() != input.size():
        warnings.warn(
            f"Using a target size ({target.size()!r}) that is different to the input size "
            f"({input.size()!r}). This will likely lead to incorrect results due to "
            "broadcasting. Please ensure they have the same size.", UserWarning, stacklevel=3)


def _broadcast_tensors(*tensors: Tensor) -> list[Tensor]:
    """torch.broadcast_tensors: each tensor expanded to the common shape (itself if it has it)."""
    shape = broadcast_shapes(*(t._data.shape for t in tensors))
    return [t if t._data.shape == shape else fn.expand(t, *shape) for t in tensors]


def _check_weight(weight: Any, input: Tensor) -> None:  # noqa: A002
    """mse_loss/l1_loss: PyTorch's size check of `weight`, then gradviz's limit."""
    if weight is not None:
        if weight.size() != input.size():
            raise ValueError("Weights and input must have the same size.")
        _no_weight(weight)


def _no_weight(weight: Any) -> None:
    if weight is not None:
        raise RuntimeError("gradviz does not support weight= in this loss yet")


def mse_loss(input: Tensor, target: Tensor, size_average: Any = None,  # noqa: A002
             reduce: Any = None, reduction: str = "mean", weight: Any = None) -> Tensor:
    _warn_target_size(input, target)
    if size_average is not None or reduce is not None:
        reduction = _legacy_reduction(size_average, reduce)
    expanded_input, expanded_target = _broadcast_tensors(input, target)
    _check_weight(weight, input)
    reduction = _reduction_enum(reduction)
    _parsed("mse_loss", expanded_input, expanded_target, _ENUM[reduction])
    target_type = fn.result_type(expanded_input, expanded_target)
    if not target_type.is_floating_point:
        raise NotImplementedError(f"\"mse_cpu\" not implemented for "
                                  f"'{fn.LEGACY_NAMES[target_type.name]}'")
    a = cast(expanded_input._data, target_type)
    b = cast(expanded_target._data, target_type)
    out = ops.MSE_LOSS.forward(a, b, reduction)
    return record(ops.MSE_LOSS, (expanded_input, expanded_target), (a, b), out,
                  {"reduction": reduction})


def l1_loss(input: Tensor, target: Tensor, size_average: Any = None,  # noqa: A002
            reduce: Any = None, reduction: str = "mean", weight: Any = None) -> Tensor:
    """|input − target| averaged (or summed): Sub, Abs, then Mean/Sum, as PyTorch composes it."""
    _warn_target_size(input, target)
    if size_average is not None or reduce is not None:
        reduction = _legacy_reduction(size_average, reduce)
    expanded_input, expanded_target = _broadcast_tensors(input, target)
    _check_weight(weight, input)
    reduction = _reduction_enum(reduction)
    _parsed("l1_loss", expanded_input, expanded_target, _ENUM[reduction])
    errors = fn.abs(fn.sub(expanded_input, expanded_target))
    if reduction == "mean":
        return fn.mean(errors)
    return fn.sum(errors) if reduction == "sum" else errors


_KL_MEAN = ("reduction: 'mean' divides the total loss by both the batch size and the support "
            "size.'batchmean' divides only by the batch size, and aligns with the KL div math "
            "definition.'mean' will be changed to behave the same as 'batchmean' in the next "
            "major release.")


def kl_div(input: Tensor, target: Tensor, size_average: Any = None,  # noqa: A002
           reduce: Any = None, reduction: str = "mean", log_target: bool = False) -> Tensor:
    """Σ target·(log target − input), input holding log-probabilities: composed as PyTorch
    composes it (xlogy(target, target) − target·input, or exp(target)·(target − input)), then
    reduced; "batchmean" sums and divides by the batch size."""
    if size_average is not None or reduce is not None:
        enum = _legacy_reduction(size_average, reduce)
    else:
        if reduction == "mean":
            warnings.warn(_KL_MEAN, UserWarning, stacklevel=2)
        enum = "sum" if reduction == "batchmean" else reduction
        if enum not in _ENUM:
            raise ValueError(f"{reduction} is not a valid value for reduction")
    for t in (input, target):
        if t._data.dtype.kind in "biu":
            raise RuntimeError("kl_div: Integral inputs not supported.")
    if log_target:
        output = fn.mul(fn.exp(target), fn.sub(target, input))
    else:
        with_target = fn.xlogy(target, target)
        output = fn.sub(with_target, fn.mul(target, input))
    reduced = fn.mean(output) if enum == "mean" else fn.sum(output) if enum == "sum" else output
    if reduction == "batchmean" and input.dim() != 0:
        reduced = fn.div(reduced, input.size()[0])
    return reduced


def nll_loss(input: Tensor, target: Tensor, weight: Any = None,  # noqa: A002
             size_average: Any = None, ignore_index: int = -100, reduce: Any = None,
             reduction: str = "mean") -> Tensor:
    reduction = _reduction_enum(reduction, size_average, reduce)
    _parsed("nll_loss_nd", input, target, weight, _ENUM[reduction], ignore_index)
    return _nll_loss_nd(input, target, reduction, ignore_index, weight)


def _nll_loss_nd(input: Tensor, target: Tensor, reduction: str,  # noqa: A002
                 ignore_index: int = -100, weight: Any = None) -> Tensor:
    """PyTorch's nll_loss_nd and nll_loss, in the order they check their arguments."""
    logp, indices = input._data, target._data
    ndim, target_ndim = logp.ndim, indices.ndim
    if ndim < 1:
        raise ValueError(f"Expected 1 or more dimensions (got {ndim})")
    target_batch = indices.shape[0] if target_ndim else 0
    if ndim != 1 and logp.shape[0] != target_batch:
        raise ValueError(f"Expected input batch_size ({logp.shape[0]}) to match target "
                         f"batch_size ({target_batch}).")
    if ndim > 2:
        raise RuntimeError("gradviz supports nll_loss for (N, C) or (C,) inputs")
    if target_ndim > 1:
        raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
    classes = logp.shape[-1]
    if indices.dtype is not _INT64 and indices.dtype != _INT64:
        raise RuntimeError(f"expected target dtype to be Long or Byte, but got "
                           f"{fn._legacy_name(target)}")
    if ndim == 1 and target_ndim == 1 and indices.size != 1:
        raise ValueError(f"For 1D input, 1D target must have size 1, but got target size: "
                         f"{indices.size}")
    if weight is not None and (weight.ndim != 1 or weight._data.size != classes):
        raise RuntimeError(f"weight tensor should be defined either for all {classes} classes "
                           "or no classes but got weight tensor of shape: "
                           f"[{', '.join(map(str, weight._data.shape))}]")
    if logp.dtype.kind != "f":
        raise NotImplementedError(f"\"nll_loss_out_frame\" not implemented for "
                                  f"'{fn._legacy_name(input)}'")
    if weight is not None and weight._data.dtype != logp.dtype:  # the kernel reads it so
        raise RuntimeError(f"expected scalar type {fn._legacy_name(input)} but found "
                           f"{fn._legacy_name(weight)}")
    if indices.size and not 0 <= indices.min() <= indices.max() < classes:
        bad = indices[((indices < 0) | (indices >= classes)) & (indices != ignore_index)]
        if bad.size:
            raise IndexError(f"Target {int(bad.reshape(-1)[0])} is out of bounds.")
    picked = np.asarray(indices).reshape(()) if ndim == 1 else indices
    params = {"target": np.asarray(picked), "reduction": reduction, "ignore_index": ignore_index}
    if weight is not None:
        if weight._requires_grad:
            raise RuntimeError("gradviz does not compute gradients for class weights")
        params["weight"] = cast(weight._data, input.dtype)
    out = ops.NLL_LOSS.forward(logp, params["target"], reduction, params.get("weight"),
                               ignore_index)
    return record(ops.NLL_LOSS, (input,), (logp,), out, params)


def cross_entropy(input: Tensor, target: Tensor, weight: Any = None,  # noqa: A002
                  size_average: Any = None, ignore_index: int = -100, reduce: Any = None,
                  reduction: str = "mean", label_smoothing: float = 0.0) -> Tensor:
    """log_softmax then nll_loss (class indices) or −Σ target·log_softmax (probabilities, when
    target has input's shape), composed as PyTorch composes them."""
    if (type(reduction) is not str or reduction not in _ENUM or size_average is not None
            or reduce is not None):
        reduction = _reduction_enum(reduction, size_average, reduce)
    if not (type(input) is Tensor and type(target) is Tensor and weight is None
            and type(ignore_index) is int and type(label_smoothing) is float):
        _parsed("cross_entropy_loss", input, target, weight, _ENUM[reduction], ignore_index,
                label_smoothing)
    class_dim = 0 if input.ndim == 1 else 1
    if input._data.shape == target._data.shape:
        if target._data.dtype.kind != "f":
            raise RuntimeError("Expected floating point type for target with class "
                               f"probabilities, got {fn._legacy_name(target)}")
        if ignore_index >= 0:
            raise RuntimeError("ignore_index is not supported for floating point target")
        if input.ndim == 0:
            raise IndexError("Dimension specified as 1 but tensor has no dimensions")
        classes = input._data.shape[class_dim]
        if weight is not None and (weight.ndim != 1 or weight._data.size != classes):
            raise RuntimeError(f"cross_entropy: weight tensor should be defined either for all "
                               f"{classes} classes or no classes but got weight tensor of "
                               f"shape: [{', '.join(map(str, weight._data.shape))}]")
        if label_smoothing:
            target = fn.add(fn.mul(target, 1 - label_smoothing), label_smoothing / classes)
        picked = fn.mul(fn.log_softmax(input, dim=class_dim), target)
        if weight is not None:
            shape = [1] * input.ndim
            shape[class_dim] = classes
            picked = fn.mul(picked, fn.view(weight, *shape))
        if reduction == "none":
            return fn.neg(fn.sum(picked, dim=class_dim))
        total = fn.neg(fn.sum(picked))
        if reduction == "mean":
            return fn.div_scalar(total, input._data.size // classes if input._data.size
                                 else float("nan"))
        return total
    logp = fn.log_softmax(input, dim=class_dim)
    loss = _nll_loss_nd(logp, target, reduction, ignore_index, weight)
    if not label_smoothing:
        return loss
    return _smoothed(loss, logp, target, weight, reduction, ignore_index, label_smoothing,
                     class_dim)


def _smoothed(nll: Tensor, logp: Tensor, target: Tensor, weight: Any, reduction: str,
              ignore_index: int, smoothing: float, class_dim: int) -> Tensor:
    """PyTorch's cross_entropy with label_smoothing for class targets, op for op:
    (1 − ε)·nll + ε/C · (−Σ_c w_c·log p_c, 0 where the target is ignored, reduced)."""
    classes = logp._data.shape[class_dim]
    ignored = fn.eq(target, ignore_index)
    if weight is not None:
        shape = [1] * logp.ndim
        shape[class_dim] = classes
        smooth = fn.neg(fn.sum(fn.mul(logp, fn.view(weight, *shape)), dim=class_dim))
    else:
        smooth = fn.neg(fn.sum(logp, dim=class_dim))
    smooth = smooth.masked_fill_(ignored, 0.0)
    if reduction == "mean":
        kept = ~np.asarray(ignored._data)
        if weight is not None:
            picked = weight._data[np.asarray(target._data)[kept]]
            total = fn.sum(new_tensor(picked))  # weight.gather(...).sum(), in torch.sum's order
        else:
            total = fn.sum(~ignored)
        smooth = fn.div(fn.sum(smooth), total)
    elif reduction == "sum":
        smooth = fn.sum(smooth)
    return fn.add(fn.mul(nll, 1 - smoothing), fn.mul(smooth, smoothing / classes))


def binary_cross_entropy(input: Tensor, target: Tensor, weight: Any = None,  # noqa: A002
                         size_average: Any = None, reduce: Any = None,
                         reduction: str = "mean") -> Tensor:
    reduction = _reduction_enum(reduction, size_average, reduce)
    if target.size() != input.size():
        raise ValueError(f"Using a target size ({target.size()!r}) that is different to the "
                         f"input size ({input.size()!r}) is deprecated. Please ensure they have "
                         "the same size.")
    if weight is not None:
        new_size = broadcast_shapes(target.size(), weight.size())
        weight = weight.expand(new_size)
    _parsed("binary_cross_entropy", input, target, weight, _ENUM[reduction])
    if target._data.dtype != input._data.dtype:
        raise RuntimeError(f"Found dtype {fn._legacy_name(target)} but expected "
                           f"{fn._legacy_name(input)}")
    if input._data.dtype.kind != "f":
        raise NotImplementedError(f"\"binary_cross_entropy\" not implemented for "
                                  f"'{fn._legacy_name(input)}'")
    x, t = input._data, target._data
    # PyTorch checks element by element, input then target; a NaN is not between 0 and 1
    outside = np.reshape((~((x >= 0) & (x <= 1))) | (~((t >= 0) & (t <= 1))) * 2, -1)
    if np.any(outside):
        which = "input" if outside[np.flatnonzero(outside)[0]] & 1 else "target"
        raise RuntimeError(f"all elements of {which} should be between 0 and 1")
    params = {"reduction": reduction}
    if weight is not None:
        if weight._requires_grad:
            raise RuntimeError("gradviz does not compute gradients for loss weights")
        params["weight"] = cast(weight._data, input.dtype)
    out = ops.BINARY_CROSS_ENTROPY.forward(x, t, reduction, params.get("weight"))
    return record(ops.BINARY_CROSS_ENTROPY, (input, target), (x, t), out, params)


def binary_cross_entropy_with_logits(input: Tensor, target: Tensor,  # noqa: A002
                                     weight: Tensor | None = None, size_average: Any = None,
                                     reduce: Any = None, reduction: str = "mean",
                                     pos_weight: Tensor | None = None) -> Tensor:
    """−[t·log σ(x) + (1 − t)·log(1 − σ(x))], computed from the logits without overflow."""
    reduction = _reduction_enum(reduction, size_average, reduce)
    if not (target.size() == input.size()):
        raise ValueError(f"Target size ({target.size()!r}) must be the same as input size "
                         f"({input.size()!r})")
    _parsed("binary_cross_entropy_with_logits", input, target, weight, pos_weight,
            _ENUM[reduction])
    for name, extra in (("weight", weight), ("pos_weight", pos_weight)):
        if extra is not None and extra.requires_grad:
            raise RuntimeError("The function 'binary_cross_entropy_with_logits' is not "
                               f"differentiable with respect to argument '{name}'. This input "
                               "cannot have requires_grad True.")
    if input._data.dtype.kind != "f":  # log_sigmoid(input) comes first
        raise NotImplementedError(f"\"log_sigmoid_cpu\" not implemented for "
                                  f"'{fn._legacy_name(input)}'")
    if target._data.dtype.kind == "b":  # then 1 - target, the 1 taking target's dtype
        raise RuntimeError(messages.BOOL_SUBTRACT)
    if dtypes.category(target.dtype) < dtypes.category(input.dtype):  # then (1 - target).mul_(x)
        raise RuntimeError(f"result type {fn._legacy_name(input)} can't be cast to the desired "
                           f"output type {fn._legacy_name(target)}")
    for extra in (pos_weight, weight):  # both are multiplied into the loss in place
        if extra is not None:
            shape = broadcast_shapes(input._data.shape, extra._data.shape)
            if shape != input._data.shape:
                raise RuntimeError(
                    f"output with shape [{', '.join(map(str, input._data.shape))}] doesn't "
                    f"match the broadcast shape [{', '.join(map(str, shape))}]")
    x = input._data
    t = cast(target._data, input.dtype)
    params = {"weight": None if weight is None else cast(weight._data, input.dtype),
              "pos_weight": None if pos_weight is None else cast(pos_weight._data, input.dtype),
              "reduction": reduction}
    out = ops.BCE_WITH_LOGITS.forward(x, t, params["weight"], params["pos_weight"], reduction)
    return record(ops.BCE_WITH_LOGITS, (input, target), (x, t), out, params)


def _one_hot(tensor: Tensor, num_classes: int = -1) -> Tensor:
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
    if out is None:
        denom = input.norm(p, dim, keepdim=True).clamp_min(eps).expand_as(input)
        return input / denom
    denom = input.norm(p, dim, keepdim=True).clamp_min_(eps).expand_as(input)
    return signatures.checked(fn.div, "div", TORCH["div"])(input, denom, out=out)


# The functions PyTorch binds straight from C++, behind its argument parser.
linear = signatures.checked(_linear, "linear", NN["linear"])
gelu = signatures.checked(_gelu, "gelu", NN["gelu"])
softplus = signatures.checked(_softplus, "softplus", NN["softplus"])
logsigmoid = signatures.checked(_logsigmoid, "log_sigmoid", NN["log_sigmoid"])
one_hot = signatures.checked(_one_hot, "one_hot", NN["one_hot"])
threshold = _piecewise.threshold  # bound here: softplus has an argument of that name

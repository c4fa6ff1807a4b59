"""`nn.LayerNorm` and `F.layer_norm`: each sample normalized over its last dims."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from engine import creation, dtypes
from engine import op_table as ops
from engine.apply import record
from engine.nn import init
from engine.nn.arguments import floats_only, parsed, same_dtype
from engine.nn.module import Module
from engine.nn.parameter import Parameter
from engine.signature_table import TORCH
from engine.tensor import Tensor


def layer_norm(input: Tensor, normalized_shape: Any, weight: Tensor | None = None,  # noqa: A002
               bias: Tensor | None = None, eps: float = 1e-5) -> Tensor:
    """(input − mean) / sqrt(var + eps) · weight + bias, mean and (biased) var taken over the
    last `len(normalized_shape)` dims of each sample (NativeLayerNormBackward0)."""
    parsed("layer_norm", input, normalized_shape, weight, bias, eps, table=TORCH)
    shape = tuple(int(s) for s in normalized_shape)
    _check(input, shape, weight, bias)
    floats_only(input, "LayerNormKernelImpl")
    same_dtype(input, weight, bias)
    data = input._data
    size = math.prod(shape)
    rows = (math.prod(data.shape[:data.ndim - len(shape)]), size)
    w = None if weight is None else weight._data
    b = None if bias is None else bias._data
    out, mean, rstd = ops.LAYER_NORM.forward(
        np.reshape(data, rows), None if w is None else w.reshape(-1),
        None if b is None else b.reshape(-1), eps)
    return record(ops.LAYER_NORM, (input, weight, bias), (data, w, b), out.reshape(data.shape),
                  {"rows": rows, "mean": mean, "rstd": rstd, "eps": eps,
                   "weighted": weight is not None})


def torch_layer_norm(input: Tensor, normalized_shape: Any,  # noqa: A002
                     weight: Tensor | None = None, bias: Tensor | None = None,
                     eps: float = 1e-5, cudnn_enable: bool = True) -> Tensor:
    """`torch.layer_norm`, which F.layer_norm calls (cudnn_enable means nothing on a CPU)."""
    parsed("layer_norm", input, normalized_shape, weight, bias, eps, cudnn_enable, table=TORCH)
    return layer_norm(input, normalized_shape, weight, bias, eps)


def _check(input: Tensor, shape: tuple[int, ...], weight: Tensor | None,  # noqa: A002
           bias: Tensor | None) -> None:
    """PyTorch's `_check_layer_norm_inputs`, with its messages."""
    listed = f"[{', '.join(map(str, shape))}]"
    if not shape:
        raise RuntimeError("Expected normalized_shape to be at least 1-dimensional, i.e., "
                           f"containing at least one element, but got normalized_shape = "
                           f"{listed}")
    for name, param in (("weight", weight), ("bias", bias)):
        if param is not None and tuple(param._data.shape) != shape:
            raise RuntimeError(f"Expected {name} to be of same shape as normalized_shape, but "
                               f"got {name} of shape [{', '.join(map(str, param._data.shape))}]"
                               f" and normalized_shape = {listed}")
    sizes = tuple(input._data.shape)
    if len(sizes) < len(shape) or sizes[len(sizes) - len(shape):] != shape:
        raise RuntimeError(f"Given normalized_shape={listed}, expected input with shape "
                           f"[*, {listed[1:-1]}], but got input of size"
                           f"[{', '.join(map(str, sizes))}]")


class LayerNorm(Module):
    """Layer normalization over the last dims given by `normalized_shape`; a weight of ones
    and a bias of zeros, each of that shape, unless `elementwise_affine` (or `bias`) is off."""

    def __init__(self, normalized_shape: Any, eps: float = 1e-5, elementwise_affine: bool = True,
                 bias: bool = True, device: Any = None, dtype: dtypes.dtype | None = None
                 ) -> None:
        super().__init__()
        if isinstance(normalized_shape, (int, np.integer)):
            normalized_shape = (normalized_shape,)
        self.normalized_shape = tuple(normalized_shape)
        self.eps = eps
        self.elementwise_affine = elementwise_affine
        if elementwise_affine:
            self.weight = Parameter(creation.empty(*self.normalized_shape, dtype=dtype))
            self.bias = Parameter(creation.empty(*self.normalized_shape, dtype=dtype)) \
                if bias else None
        else:
            self.weight = self.bias = None
        self.reset_parameters()

    def reset_parameters(self) -> None:
        if self.elementwise_affine:
            init.ones_(self.weight)
            if self.bias is not None:
                init.zeros_(self.bias)

    def forward(self, input: Tensor) -> Tensor:  # noqa: A002
        return layer_norm(input, self.normalized_shape, self.weight, self.bias, self.eps)

    def extra_repr(self) -> str:
        return (f"{self.normalized_shape}, eps={self.eps}, "
                f"elementwise_affine={self.elementwise_affine}, bias={self.bias is not None}")

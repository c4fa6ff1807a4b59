"""`nn.BatchNorm1d`, `nn.BatchNorm2d`, `nn.BatchNorm3d` and `F.batch_norm`: each channel
normalized over the batch while training, by running statistics in eval mode."""

from __future__ import annotations

from typing import Any

import numpy as np

from engine import creation, dtypes
from engine import functions as fn
from engine import op_table as ops
from engine.apply import new_tensor, record
from engine.nn import init
from engine.nn.arguments import floats_only, same_dtype
from engine.nn.module import Module
from engine.nn.parameter import Parameter
from engine.tensor import Tensor


def batch_norm(input: Tensor, running_mean: Tensor | None, running_var: Tensor | None,  # noqa: A002
               weight: Tensor | None = None, bias: Tensor | None = None, training: bool = False,
               momentum: float = 0.1, eps: float = 1e-5) -> Tensor:
    """(input − mean) / sqrt(var + eps) · weight + bias per channel (dim 1): the batch's
    statistics while training (which move the running ones by `momentum`), else the running
    ones (NativeBatchNormBackward0)."""
    shape = tuple(input._data.shape)
    if training and (np.prod(shape) // shape[1] if len(shape) > 1 else shape[0]) <= 1:
        raise ValueError("Expected more than 1 value per channel when training, got input size "
                         f"torch.Size([{', '.join(map(str, shape))}])")
    channels = shape[1] if len(shape) > 1 else 1
    for name, tensor in (("running_mean", running_mean), ("running_var", running_var),
                         ("weight", weight), ("bias", bias)):
        if tensor is not None and tensor._data.size != channels:
            raise RuntimeError(f"{name} should contain {channels} elements not "
                               f"{tensor._data.size}")
    if not training and (running_mean is None or running_var is None):
        which = "running_mean" if running_mean is None else "running_var"
        raise RuntimeError(f"{which} must be defined in evaluation mode")
    floats_only(input, "batch_norm")
    same_dtype(input, weight, bias, running_mean, running_var)
    data = input._data
    w = None if weight is None else weight._data
    b = None if bias is None else bias._data
    params = {"running_mean": None if running_mean is None else running_mean._data,
              "running_var": None if running_var is None else running_var._data,
              "training": bool(training), "momentum": float(momentum), "eps": float(eps),
              "generic": (_torch_sum, _torch_sqrt), "weighted": weight is not None}
    out, params["save_mean"], params["save_invstd"] = ops.BATCH_NORM.forward(data, w, b, params)
    return record(ops.BATCH_NORM, (input, weight, bias), (data, w, b), out, params)


def _torch_sum(values: np.ndarray, dims: tuple[int, ...]) -> np.ndarray:
    """torch.sum over `dims`, in the order PyTorch adds that layout (the generic path's)."""
    return fn.sum(new_tensor(values), list(dims))._data


def _torch_sqrt(values: np.ndarray) -> np.ndarray:
    return ops.SQRT.forward(values)


class _BatchNorm(Module):
    """What the three share (_NormBase, _BatchNorm): parameters, buffers, forward."""

    _dims: tuple[int, ...] = ()

    def __init__(self, num_features: int, eps: float = 1e-5, momentum: float | None = 0.1,
                 affine: bool = True, track_running_stats: bool = True, device: Any = None,
                 dtype: dtypes.dtype | None = None, *, bias: bool = True) -> None:
        super().__init__()
        self.num_features, self.eps, self.momentum = num_features, eps, momentum
        self.affine, self.track_running_stats = affine, track_running_stats
        if affine:
            self.weight = Parameter(creation.empty(num_features, dtype=dtype))
            self.bias = Parameter(creation.empty(num_features, dtype=dtype)) if bias else None
        else:
            self.weight = self.bias = None
        if track_running_stats:
            self.register_buffer("running_mean", creation.zeros(num_features, dtype=dtype))
            self.register_buffer("running_var", creation.ones(num_features, dtype=dtype))
            self.register_buffer("num_batches_tracked",
                                 creation.tensor(0, dtype=dtypes.int64))
        else:
            for name in ("running_mean", "running_var", "num_batches_tracked"):
                self.register_buffer(name, None)
        self.reset_parameters()

    def reset_running_stats(self) -> None:
        if self.track_running_stats:
            self.running_mean.zero_()
            self.running_var.fill_(1)
            self.num_batches_tracked.zero_()

    def reset_parameters(self) -> None:
        self.reset_running_stats()
        if self.affine:
            init.ones_(self.weight)
            if self.bias is not None:
                init.zeros_(self.bias)

    def forward(self, input: Tensor) -> Tensor:  # noqa: A002
        if input.ndim not in self._dims:
            expected = " or ".join(f"{d}D" for d in self._dims)
            raise ValueError(f"expected {expected} input (got {input.ndim}D input)")
        factor = 0.0 if self.momentum is None else self.momentum
        if self.training and self.track_running_stats and self.num_batches_tracked is not None:
            self.num_batches_tracked.add_(1)
            factor = 1.0 / float(self.num_batches_tracked) if self.momentum is None \
                else self.momentum
        training = self.training or (self.running_mean is None and self.running_var is None)
        tracked = not self.training or self.track_running_stats
        return batch_norm(input, self.running_mean if tracked else None,
                          self.running_var if tracked else None, self.weight, self.bias,
                          training, factor, self.eps)

    def extra_repr(self) -> str:
        return (f"{self.num_features}, eps={self.eps}, momentum={self.momentum}, "
                f"affine={self.affine}, bias={self.bias is not None}, "
                f"track_running_stats={self.track_running_stats}")


class BatchNorm1d(_BatchNorm):
    """Batch norm of (N, C) or (N, C, L) inputs."""

    _dims = (2, 3)


class BatchNorm2d(_BatchNorm):
    """Batch norm of (N, C, H, W) inputs."""

    _dims = (4,)


class BatchNorm3d(_BatchNorm):
    """Batch norm of (N, C, D, H, W) inputs."""

    _dims = (5,)

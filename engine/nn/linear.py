"""`nn.Linear` and `nn.Identity`."""

from __future__ import annotations

import math
import operator
from typing import Any

from engine import creation, dtypes
from engine.nn import functional as F  # noqa: N812
from engine.nn import init
from engine.nn.module import Module
from engine.nn.parameter import Parameter
from engine.tensor import Tensor


class Linear(Module):
    """y = x·Wᵀ + b, with W and b drawn as PyTorch draws them (Kaiming uniform)."""

    def __init__(self, in_features: int, out_features: int, bias: bool = True,
                 device: Any = None, dtype: dtypes.dtype | None = None) -> None:
        super().__init__()
        for size in (out_features, in_features):
            if isinstance(size, bool) or not isinstance(size, int):
                try:
                    operator.index(size)
                except TypeError:
                    raise TypeError(f"empty(): argument 'size' failed to unpack the object at "
                                    f"pos 2 with error \"type must be tuple of ints,but got "
                                    f"{type(size).__name__}\"") from None
            if size < 0:
                raise RuntimeError(f"Trying to create tensor with negative dimension {size}: "
                                   f"[{out_features}, {in_features}]")
        self.in_features = in_features
        self.out_features = out_features
        self.weight = Parameter(creation.empty(out_features, in_features, dtype=dtype))
        if bias:
            self.bias = Parameter(creation.empty(out_features, dtype=dtype))
        else:
            self.register_parameter("bias", None)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        init.kaiming_uniform_(self.weight, a=math.sqrt(5))
        if self.bias is not None:
            fan_in = self.in_features
            bound = 1 / math.sqrt(fan_in) if fan_in > 0 else 0
            init.uniform_(self.bias, -bound, bound)

    def forward(self, input: Tensor) -> Tensor:  # noqa: A002
        return F.linear(input, self.weight, self.bias)

    def extra_repr(self) -> str:
        return (f"in_features={self.in_features}, out_features={self.out_features}, "
                f"bias={self.bias is not None}")


class Identity(Module):
    """Returns its input unchanged."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__()

    def forward(self, input: Tensor) -> Tensor:  # noqa: A002
        return input

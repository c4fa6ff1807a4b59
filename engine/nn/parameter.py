"""`torch.nn.Parameter`: a leaf tensor that a module owns and an optimizer updates."""

from __future__ import annotations

from typing import Any

import numpy as np

from engine import messages
from engine.apply import shared
from engine.tensor import Tensor


class Parameter(Tensor):
    """A Tensor that requires grad by default and prints as `Parameter containing:`.

    It shares its data with the tensor it was made from, and ops on it give plain Tensors,
    as in PyTorch.
    """

    def __new__(cls, data: Tensor | None = None, requires_grad: bool = True) -> Parameter:
        if data is None:
            values: Any = np.empty((0,), dtype=np.float32)
        elif isinstance(data, Tensor):
            values = shared(data)
        else:
            raise TypeError(f"Creating a Parameter from an instance of type "
                            f"{type(data).__name__} requires that detach() returns an instance "
                            f"of the same type, but return type Tensor was found instead. To "
                            f"use the type as a Parameter, please correct the detach() "
                            f"semantics defined by its __torch_dispatch__() implementation.")
        if requires_grad and values.dtype.kind not in "fc":
            raise RuntimeError(messages.INT_REQUIRES_GRAD)
        param = object.__new__(cls)
        param._data = values
        param._requires_grad = bool(requires_grad)
        from engine import hooks

        for callback in hooks.created:
            callback(param)
        return param

    def __init__(self, data: Tensor | None = None, requires_grad: bool = True) -> None:
        """Everything happens in `__new__`."""

    def __repr__(self) -> str:
        return "Parameter containing:\n" + super().__repr__()

    __str__ = __repr__

"""What `torch.nn.functional`'s functions do with their arguments before computing: PyTorch's
argument parser for the C++ function behind them, a 0-d tensor taken as its number, and the
refusal of a kernel defined for floating-point tensors only, or for parameters of the input's
dtype only."""

from __future__ import annotations

from typing import Any

import numpy as np

from engine import signatures
from engine.signature_table import NN
from engine.tensor import Tensor


def parsed(name: str, *args: Any, table: dict = NN, **kwargs: Any) -> None:
    """PyTorch's argument check of the C++ function that F.<name> calls."""
    signatures.check(name, table[name], args, kwargs)


def number(value: Any) -> Any:
    return value.item() if isinstance(value, Tensor) else value


def floats_only(input: Tensor, kernel: str) -> None:  # noqa: A002
    """The kernel exists for floating-point tensors only."""
    if input._data.dtype.kind != "f":
        from engine.functions import _legacy_name

        raise NotImplementedError(f'"{kernel}" not implemented for \'{_legacy_name(input)}\'')


def same_dtype(input: Tensor, *params: Tensor | None) -> None:  # noqa: A002
    """A normalization kernel's check that its parameters share the input's dtype."""
    dtype = input._data.dtype
    for param in params:
        if param is not None and param._data.dtype != dtype:
            raise RuntimeError("mixed dtype (CPU): expect parameter to have scalar type of Float"
                               if dtype == np.float32 else
                               "mixed dtype (CPU): all inputs must share same datatype.")

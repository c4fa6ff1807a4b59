"""Dropout: `F.dropout`, `torch.dropout` and `nn.Dropout`, drawn as PyTorch's CPU draws them.

PyTorch's CPU dropout is not one op: it fills a noise tensor shaped like the input with
`bernoulli_(1 - p)`, divides it by `1 - p` in place, and multiplies the input by it. So the
graph holds a `MulBackward0` whose second input is that constant noise, and the gradient
is the upstream times the noise.
"""

from __future__ import annotations

import numpy as np

from engine import creation, random, signatures
from engine.apply import new_tensor
from engine.nn.module import Module
from engine.signature_table import TORCH
from engine.tensor import Tensor


def dropout(input: Tensor, p: float = 0.5, training: bool = True,  # noqa: A002
            inplace: bool = False) -> Tensor:
    """Zero each element with probability p and scale the others by 1 / (1 − p)."""
    _check_probability(p)
    return (torch_dropout_ if inplace else torch_dropout)(input, p, training)


def _check_probability(p: float) -> None:
    """PyTorch's check, in F.dropout and in nn.Dropout's constructor alike."""
    if p < 0.0 or p > 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")


def _drop(input: Tensor, p: float, train: bool, inplace: bool) -> Tensor:  # noqa: A002
    """ATen's `_dropout_impl`: the input itself when nothing is dropped."""
    if p == 0 or not train or input._data.size == 0:
        return input
    if p == 1:
        noise = creation.zeros((), dtype=input.dtype)
    else:
        data = np.asarray(input._data)
        mask = random.drawn_like(data, lambda shape: random.bernoulli(shape, 1 - p))
        noise = new_tensor(mask.astype(data.dtype))
        noise.div_(1 - p)
    noise.name = "dropout mask"  # what a viewer calls this constant input of the product
    return input.mul_(noise) if inplace else input * noise


def _out_of_place(input: Tensor, p: float, train: bool) -> Tensor:  # noqa: A002
    return _drop(input, p, train, inplace=False)


def _in_place(input: Tensor, p: float, train: bool) -> Tensor:  # noqa: A002
    return _drop(input, p, train, inplace=True)


# `torch.dropout` and `torch.dropout_`, behind PyTorch's argument parser
torch_dropout = signatures.checked(_out_of_place, "dropout", TORCH["dropout"])
torch_dropout_ = signatures.checked(_in_place, "dropout_", TORCH["dropout_"])


class Dropout(Module):
    """During training, zeroes each element with probability p and scales the rest by
    1 / (1 − p); in eval mode it returns its input."""

    def __init__(self, p: float = 0.5, inplace: bool = False) -> None:
        super().__init__()
        _check_probability(p)
        self.p = p
        self.inplace = inplace

    def forward(self, input: Tensor) -> Tensor:  # noqa: A002
        return dropout(input, self.p, self.training, self.inplace)

    def extra_repr(self) -> str:
        return f"p={self.p}, inplace={self.inplace}"

"""Shape arithmetic shared by the ops: broadcasting back, dims, sizes."""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np

from engine import messages
from engine.cpu_loops import leading_sum, torch_sum


class Size(tuple):
    """torch.Size: a tuple that prints as `torch.Size([2, 3])`."""

    __slots__ = ()

    def __repr__(self) -> str:
        return messages.size_repr(self)

    def numel(self) -> int:
        return int(np.prod(self, dtype=np.int64)) if self else 1


def sum_to(values: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """Sum a broadcast gradient back down to the shape of the input it belongs to."""
    if values.shape == shape:
        return values
    lead = values.ndim - len(shape)
    axes = tuple(range(lead)) + tuple(
        lead + i for i, size in enumerate(shape) if size == 1 and values.shape[lead + i] != 1
    )
    if not axes:
        return values.reshape(shape)
    if values.dtype.kind == "f":  # PyTorch's sum kernel, in its order
        if len(axes) == lead and values.flags.c_contiguous:  # a batch's bias gradient
            columns = math.prod(shape)
            if columns > 1 and values.size > columns:
                return leading_sum(values.reshape(-1, columns)).reshape(shape)
        return torch_sum(values, axes).reshape(shape)
    return values.sum(axis=axes, keepdims=True).reshape(shape)


def broadcast_shapes(*shapes: tuple[int, ...]) -> tuple[int, ...]:
    """The shape all operands broadcast to, folded left to right as PyTorch's TensorIterator
    does, with its message for the first pair that disagrees."""
    result = shapes[0]
    for shape in shapes[1:]:
        try:
            result = np.broadcast_shapes(result, shape)
        except ValueError:
            raise RuntimeError(messages.broadcast_mismatch(result, shape)) from None
    return tuple(result)


def normalize_dim(dim: int, ndim: int) -> int:
    """A possibly negative dim as a positive one, with PyTorch's IndexError when out of range."""
    rank = max(ndim, 1)
    if not -rank <= dim < rank:
        raise IndexError(messages.dim_out_of_range(dim, ndim))
    return dim % rank


def normalize_dims(dim: int | Iterable[int] | None, ndim: int) -> tuple[int, ...]:
    """A dim argument (int, tuple or None = all) as a sorted tuple of positive dims."""
    if dim is None:
        return tuple(range(ndim))
    dims = (dim,) if isinstance(dim, (int, np.integer)) else tuple(dim)
    if not dims:
        return tuple(range(ndim))
    return tuple(sorted({normalize_dim(int(d), ndim) for d in dims}))


def size_args(size: tuple, negative: str | None = None) -> tuple[int, ...]:
    """`zeros(2, 3)`, `zeros((2, 3))` and `zeros([2, 3])` all mean shape (2, 3). A negative
    size gets `negative` as its message where the function has its own (zeros does)."""
    if len(size) == 1 and isinstance(size[0], (tuple, list)):
        size = tuple(size[0])
    shape = []
    for s in size:
        if not isinstance(s, (int, np.integer)) or isinstance(s, bool):
            raise TypeError(f"zeros(): argument 'size' must be tuple of ints, but found element "
                            f"of type {type(s).__name__} at pos {len(shape)}")
        if s < 0:
            if negative is not None:
                raise RuntimeError(negative)
            raise RuntimeError(f"Trying to create tensor with negative dimension {s}: "
                               f"[{', '.join(str(int(v)) for v in size)}]")
        shape.append(int(s))
    return tuple(shape)


def infer_shape(shape: tuple[int, ...], numel: int) -> tuple[int, ...]:
    """Resolve one -1 in a view/reshape shape, with PyTorch's message when it can't fit."""
    shape = tuple(int(s) for s in shape)
    if shape.count(-1) > 1:
        raise RuntimeError("only one dimension can be inferred")
    if -1 in shape:
        known = int(np.prod([s for s in shape if s != -1], dtype=np.int64))
        if known == 0 or numel % known:
            raise RuntimeError(messages.bad_shape(shape, numel))
        shape = tuple(numel // known if s == -1 else s for s in shape)
    if int(np.prod(shape, dtype=np.int64)) != numel:
        raise RuntimeError(messages.bad_shape(shape, numel))
    return shape

"""PyTorch's dtypes, each backed by a numpy dtype."""

from __future__ import annotations

import numpy as np


class dtype:  # noqa: N801 - PyTorch's spelling
    """A tensor element type, printed as PyTorch prints it (`torch.float32`)."""

    __slots__ = ("name", "numpy", "is_floating_point", "is_signed", "itemsize")

    def __init__(self, name: str, numpy_dtype: type) -> None:
        self.name = name
        self.numpy = np.dtype(numpy_dtype)
        self.is_floating_point = self.numpy.kind == "f"
        self.is_signed = self.numpy.kind in "fi"
        self.itemsize = self.numpy.itemsize

    def __repr__(self) -> str:
        return f"torch.{self.name}"

    def __reduce__(self) -> str:
        return self.name


# Python names the type in its own messages ("'torch.dtype' object has no attribute 'size'").
dtype.__name__ = "torch.dtype"

float32 = dtype("float32", np.float32)
float64 = dtype("float64", np.float64)
float16 = dtype("float16", np.float16)
int64 = dtype("int64", np.int64)
int32 = dtype("int32", np.int32)
bool_ = dtype("bool", np.bool_)

float = float32  # noqa: A001 - torch.float
double = float64
long = int64
int = int32  # noqa: A001 - torch.int
half = float16

ALL = (float32, float64, float16, int64, int32, bool_)
FROM_NUMPY: dict[np.dtype, dtype] = {d.numpy: d for d in ALL}
DEFAULT_FLOAT = float32

# Promotion order within a category, as torch.promote_types orders them.
_RANK = {bool_: 0, int32: 1, int64: 2, float16: 3, float32: 4, float64: 5}


def of_array(values: np.ndarray | np.generic) -> dtype:
    """The dtype of a numpy value; raises TypeError for kinds PyTorch has no name for here."""
    try:
        return FROM_NUMPY[values.dtype]
    except KeyError:
        raise TypeError(f"can't convert np.ndarray of type numpy.{values.dtype}. The only "
                        "supported types are: float64, float32, float16, int64, int32, and bool."
                        ) from None


def category(d: dtype) -> int:
    """0 bool, 1 integer, 2 floating point: the order in which categories win."""
    if d is bool_:
        return 0
    return 2 if d.is_floating_point else 1


def promote_types(a: dtype, b: dtype) -> dtype:
    """torch.promote_types for the dtypes we have."""
    if a is b:
        return a
    return a if _RANK[a] >= _RANK[b] else b


LEGACY_TYPES = {"float32": "torch.FloatTensor", "float64": "torch.DoubleTensor",
                "float16": "torch.HalfTensor", "int64": "torch.LongTensor",
                "int32": "torch.IntTensor", "bool": "torch.BoolTensor"}
"""The legacy type names PyTorch still uses in some messages (`torch.FloatTensor`)."""

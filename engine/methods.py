"""Tensor's operators and op methods, each bound to its function in `functions`."""

from __future__ import annotations

from typing import Any

import numpy as np

from engine import dtypes, grad_mode
from engine import functions as fn
from engine import op_table as ops
from engine.apply import binary, operator_method
from engine.tensor import Tensor


def _inplace_binary(spec: ops.OpSpec, float_result: bool = False) -> Any:
    def method(self: Tensor, other: Any) -> Tensor:
        if not grad_mode.state.enabled or not (self._requires_grad or (
                isinstance(other, Tensor) and other._requires_grad)):
            with grad_mode.no_grad():
                result = binary(spec, self, other, float_result)
        else:
            result = binary(spec, self, other, float_result)
        return fn.inplace(self, result)

    return method


def _cast(dtype: dtypes.dtype) -> Any:
    return lambda self: fn.to(self, dtype)


_METHODS: dict[str, Any] = {
    # operators
    "__add__": operator_method(ops.ADD),
    "__radd__": operator_method(ops.ADD),
    "__sub__": operator_method(ops.SUB),
    "__rsub__": fn.rsub,
    "__mul__": operator_method(ops.MUL),
    "__rmul__": operator_method(ops.MUL),
    "__truediv__": fn.div,
    "__rtruediv__": fn.rtruediv,
    "__pow__": fn.pow,
    "__rpow__": fn.rpow,
    "__matmul__": fn.matmul,
    "__rmatmul__": lambda self, other: fn.matmul(other, self),
    "__neg__": fn.neg,
    "__pos__": lambda self: self,
    "__abs__": fn.abs,
    "__getitem__": fn.getitem,
    "__setitem__": fn.setitem,
    "__lt__": lambda self, other: fn._compare(np.less, self, other),
    "__le__": lambda self, other: fn._compare(np.less_equal, self, other),
    "__gt__": lambda self, other: fn._compare(np.greater, self, other),
    "__ge__": lambda self, other: fn._compare(np.greater_equal, self, other),
    "__eq__": lambda self, other: fn._compare(np.equal, self, other),
    "__ne__": lambda self, other: fn._compare(np.not_equal, self, other),
    "__iadd__": _inplace_binary(ops.ADD),
    "__isub__": _inplace_binary(ops.SUB),
    "__imul__": _inplace_binary(ops.MUL),
    "__itruediv__": _inplace_binary(ops.DIV, float_result=True),
    # named arithmetic
    "add": fn.add,
    "sub": fn.sub,
    "mul": fn.mul,
    "div": fn.div,
    "pow": fn.pow,
    "neg": fn.neg,
    "reciprocal": fn.reciprocal,
    "square": fn.square,
    "maximum": fn.maximum,
    "minimum": fn.minimum,
    "add_": _inplace_binary(ops.ADD),
    "sub_": _inplace_binary(ops.SUB),
    "mul_": _inplace_binary(ops.MUL),
    "div_": _inplace_binary(ops.DIV, float_result=True),
    "zero_": fn.zero_,
    "fill_": fn.fill_,
    "copy_": fn.copy_,
    # functions
    "exp": fn.exp,
    "log": fn.log,
    "sqrt": fn.sqrt,
    "sin": fn.sin,
    "cos": fn.cos,
    "tanh": fn.tanh,
    "sigmoid": fn.sigmoid,
    "relu": fn.relu,
    "abs": fn.abs,
    "clamp": fn.clamp,
    "clip": fn.clamp,
    # reductions
    "sum": fn.sum,
    "mean": fn.mean,
    "max": fn.max,
    "min": fn.min,
    "argmax": fn.argmax,
    "argmin": fn.argmin,
    # shapes
    "view": fn.view,
    "reshape": fn.reshape,
    "flatten": fn.flatten,
    "squeeze": fn.squeeze,
    "unsqueeze": fn.unsqueeze,
    "transpose": fn.transpose,
    "permute": fn.permute,
    "t": fn.t,
    "expand": fn.expand,
    "expand_as": fn.expand_as,
    "clone": fn.clone,
    "contiguous": lambda self: self if fn._is_contiguous(self._data) else fn.clone(self),
    "is_contiguous": lambda self: fn._is_contiguous(self._data),
    # linear algebra
    "matmul": fn.matmul,
    "mm": fn.mm,
    "mv": fn.mv,
    "dot": fn.dot,
    "softmax": fn.softmax,
    "log_softmax": fn.log_softmax,
    # dtypes
    "to": fn.to,
    "float": _cast(dtypes.float32),
    "double": _cast(dtypes.float64),
    "long": _cast(dtypes.int64),
    "int": _cast(dtypes.int32),
    "bool": _cast(dtypes.bool_),
    "half": _cast(dtypes.float16),
}

for _name, _method in _METHODS.items():
    setattr(Tensor, _name, _method)

Tensor.T = property(fn.numpy_t)  # type: ignore[attr-defined]
Tensor.mT = property(lambda self: fn.transpose(self, -2, -1))  # type: ignore[attr-defined]

"""Tensor's operators and op methods, each bound to its function in `functions`."""

from __future__ import annotations

from typing import Any

import numpy as np

from engine import dtypes, indexing, picking, sampling
from engine import functions as fn
from engine import op_table as ops
from engine.apply import as_operand, is_operand, operator_method
from engine.nn import piecewise
from engine.signature_table import NO_ARGUMENTS, TENSOR
from engine.signatures import checked_method, no_arguments
from engine.tensor import Tensor


def _operator(function: Any) -> Any:
    """An operator: PyTorch's function for tensors and numbers, NotImplemented for the rest, so
    Python raises its own "unsupported operand" error."""

    def method(self: Tensor, other: Any) -> Any:
        if type(other) is Tensor or is_operand(other):
            return function(self, other)
        return NotImplemented

    method.__name__ = getattr(function, "__name__", "operator")
    return method


def _operator_or_array(function: Any) -> Any:
    """An operator that also takes a numpy array (PyTorch's `scalar / x` does)."""

    def method(self: Tensor, other: Any) -> Any:
        if type(other) is Tensor or is_operand(other) or isinstance(other, np.ndarray):
            return function(self, other)
        return NotImplemented

    return method


def _tensors_only(function: Any) -> Any:
    """`@` takes tensors only (a numpy array computes it itself)."""

    def method(self: Tensor, other: Any) -> Any:
        return function(self, other) if isinstance(other, Tensor) else NotImplemented

    return method


def _bitwise(kernel: str, operation: Any) -> Any:
    return lambda self, other: fn.bitwise(kernel, operation, self, other)


def _inplace_bitwise(kernel: str, operation: Any) -> Any:
    return fn.inplace_op(_bitwise(kernel, operation), binary_op=True, after_shapes=_castable)


def _castable(self: Tensor, other: Any) -> None:
    """An in-place op first checks that its result fits `self`'s dtype."""
    got, target = fn.result_type(self, other), self.dtype
    if dtypes.category(got) > dtypes.category(target):
        raise RuntimeError(f"result type {fn.LEGACY_NAMES[got.name]} can't be cast to the "
                           f"desired output type {fn.LEGACY_NAMES[target.name]}")


def _reflected(function: Any) -> Any:
    """`other <op> self` for an operand on the left that is not a tensor."""
    return _operator(lambda self, other: function(as_operand(other), self))


def _norm(self: Tensor, p: Any = "fro", dim: Any = None, keepdim: bool = False,
          dtype: Any = None) -> Tensor:
    """Tensor.norm: Python in PyTorch, calling torch.norm."""
    return fn.norm(self, p, dim, keepdim, dtype=dtype)


_norm.__name__, _norm.__qualname__ = "norm", "Tensor.norm"


def _cast(dtype: dtypes.dtype) -> Any:
    return lambda self: fn.to(self, dtype)


_add_ = fn.inplace_op(fn.add, binary_op=True)
_sub_ = fn.inplace_op(fn.sub, binary_op=True, precheck=fn._sub_check)
_mul_ = fn.inplace_op(fn.mul, binary_op=True)
_div_ = fn.inplace_op(fn.div, binary_op=True)
_floor_divide_ = fn.inplace_op(fn.floor_divide, binary_op=True)
_remainder_ = fn.inplace_op(fn.remainder, binary_op=True)
_pow_ = fn.inplace_op(fn.pow, binary_op=True)

_METHODS: dict[str, Any] = {
    # operators
    "__add__": operator_method(ops.ADD),
    "__radd__": operator_method(ops.ADD),
    "__sub__": operator_method(ops.SUB, fn.sub),
    "__rsub__": _operator(fn.rsub),
    "__mul__": operator_method(ops.MUL),
    "__rmul__": operator_method(ops.MUL),
    "__truediv__": _operator(fn.div),
    "__rtruediv__": _operator_or_array(fn.rtruediv),
    "__floordiv__": _operator(fn.floor_divide),
    "__rfloordiv__": _reflected(fn.floor_divide),
    "__mod__": _operator(fn.remainder),
    "__rmod__": _operator(fn.rremainder),
    "__pow__": _operator(fn.pow),
    "__rpow__": _operator(fn.rpow),
    "__matmul__": _tensors_only(fn.matmul),
    "__rmatmul__": _tensors_only(lambda self, other: fn.matmul(other, self)),
    "__and__": _operator(_bitwise("bitwise_and_cpu", np.bitwise_and)),
    "__rand__": _operator(_bitwise("bitwise_and_cpu", np.bitwise_and)),
    "__or__": _operator(_bitwise("bitwise_or_cpu", np.bitwise_or)),
    "__ror__": _operator(_bitwise("bitwise_or_cpu", np.bitwise_or)),
    "__xor__": _operator(_bitwise("bitwise_xor_cpu", np.bitwise_xor)),
    "__rxor__": _operator(_bitwise("bitwise_xor_cpu", np.bitwise_xor)),
    "__iand__": _operator(_inplace_bitwise("bitwise_and_cpu", np.bitwise_and)),
    "__ior__": _operator(_inplace_bitwise("bitwise_or_cpu", np.bitwise_or)),
    "__ixor__": _operator(_inplace_bitwise("bitwise_xor_cpu", np.bitwise_xor)),
    "__invert__": fn.invert,
    "__neg__": fn.neg,
    "__pos__": fn.positive,
    "__abs__": fn.abs,
    "__getitem__": indexing.getitem,
    "__setitem__": indexing.setitem,
    "__lt__": _operator(fn.lt),
    "__le__": _operator(fn.le),
    "__gt__": _operator(fn.gt),
    "__ge__": _operator(fn.ge),
    "__eq__": _operator_or_array(lambda self, other: fn.eq(self, as_operand(other))),
    "__ne__": _operator(fn.ne),
    "__iadd__": _operator(_add_),
    "__isub__": _operator(_sub_),
    "__imul__": _operator(_mul_),
    "__itruediv__": _operator(_div_),
    "__ifloordiv__": _operator(_floor_divide_),
    "__imod__": _operator(_remainder_),
    "__ipow__": _operator(_pow_),
    # named arithmetic
    "add": fn.add,
    "sub": fn.sub,
    "mul": fn.mul,
    "div": fn.div,
    "floor_divide": fn.floor_divide,
    "remainder": fn.remainder,
    "pow": fn.pow,
    "neg": fn.neg,
    "reciprocal": fn.reciprocal,
    "square": fn.square,
    "maximum": fn.maximum,
    "minimum": fn.minimum,
    # in place
    "add_": _add_,
    "sub_": _sub_,
    "mul_": _mul_,
    "div_": _div_,
    "floor_divide_": _floor_divide_,
    "remainder_": _remainder_,
    "pow_": _pow_,
    "neg_": fn.inplace_op(fn.neg),
    "abs_": fn.inplace_op(fn.abs),
    "exp_": fn.inplace_op(fn.exp),
    "log_": fn.inplace_op(fn.log),
    "sqrt_": fn.inplace_op(fn.sqrt),
    "sin_": fn.inplace_op(fn.sin),
    "cos_": fn.inplace_op(fn.cos),
    "sigmoid_": fn.inplace_op(fn.sigmoid),
    "tanh_": fn.inplace_op(fn.tanh),
    "relu_": fn.inplace_op(fn.relu),
    "atan_": fn.inplace_op(fn.atan),
    "asin_": fn.inplace_op(fn.asin),
    "acos_": fn.inplace_op(fn.acos),
    "sinh_": fn.inplace_op(fn.sinh),
    "cosh_": fn.inplace_op(fn.cosh),
    "log1p_": fn.inplace_op(fn.log1p),
    "expm1_": fn.inplace_op(fn.expm1),
    "rsqrt_": fn.inplace_op(fn.rsqrt),
    "erf_": fn.inplace_op(fn.erf),
    "clamp_": fn.inplace_op(fn.clamp),
    "clip_": fn.inplace_op(fn.clamp),
    "clamp_min_": fn.inplace_op(fn.clamp_min),
    "clamp_max_": fn.inplace_op(fn.clamp_max),
    "masked_fill_": fn.inplace_op(fn.masked_fill),
    "zero_": fn.zero_,
    "fill_": fn.fill_,
    "copy_": fn.copy_,
    # functions
    "exp": fn.exp,
    "log": fn.log,
    "log2": fn.log2,
    "log10": fn.log10,
    "sqrt": fn.sqrt,
    "sin": fn.sin,
    "cos": fn.cos,
    "tan": fn.tan,
    "tanh": fn.tanh,
    "atan": fn.atan,
    "asin": fn.asin,
    "acos": fn.acos,
    "sinh": fn.sinh,
    "cosh": fn.cosh,
    "log1p": fn.log1p,
    "expm1": fn.expm1,
    "rsqrt": fn.rsqrt,
    "erf": fn.erf,
    "sigmoid": fn.sigmoid,
    "relu": fn.relu,
    "abs": fn.abs,
    "clamp": fn.clamp,
    "clip": fn.clamp,
    "clamp_min": fn.clamp_min,
    "clamp_max": fn.clamp_max,
    "floor": fn.floor,
    "ceil": fn.ceil,
    "round": fn.round,
    "sign": fn.sign,
    # reductions
    "sum": fn.sum,
    "mean": fn.mean,
    "prod": fn.prod,
    "std": fn.std,
    "var": fn.var,
    "norm": _norm,
    "cumsum": fn.cumsum,
    "cumprod": fn.cumprod,
    "logsumexp": fn.logsumexp,
    "max": fn.max,
    "min": fn.min,
    "argmax": fn.argmax,
    "amax": fn.amax,
    "amin": fn.amin,
    "argmin": fn.argmin,
    "sort": fn.sort,
    "argsort": fn.argsort,
    "topk": fn.topk,
    "gather": fn.gather,
    "any": fn.tensor_any,
    "all": fn.tensor_all,
    # comparisons
    "eq": fn.eq,
    "ne": fn.ne,
    "lt": fn.lt,
    "le": fn.le,
    "gt": fn.gt,
    "ge": fn.ge,
    "isnan": fn.isnan,
    "isfinite": fn.isfinite,
    "xlogy": fn.xlogy,
    "lerp": fn.lerp,
    "addcmul": fn.addcmul,
    "nan_to_num": fn.nan_to_num,
    "nan_to_num_": fn.inplace_op(fn.nan_to_num),
    "trunc": fn.trunc,
    "trunc_": fn.inplace_op(fn.trunc),
    "frac": fn.frac,
    "frac_": fn.inplace_op(fn.frac),
    "masked_select": fn.masked_select,
    "scatter_add": fn.scatter_add,
    "scatter": fn.scatter,
    "index_add": fn.index_add,
    "scatter_add_": fn.inplace_op(fn.scatter_add),
    "scatter_": fn.inplace_op(fn.scatter),
    "index_add_": fn.inplace_op(fn.index_add),
    "addcdiv": fn.addcdiv,
    "addcmul_": fn.inplace_op(fn.addcmul, binary_op=True),
    "addcdiv_": fn.inplace_op(fn.addcdiv, binary_op=True),
    "lerp_": fn.inplace_op(fn.lerp, binary_op=True),
    "signbit": fn.signbit,
    "isinf": fn.isinf,
    "isclose": fn.isclose,
    "allclose": fn.allclose,
    "equal": fn.equal,
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
    "view_as": fn.view_as,
    "reshape_as": fn.reshape_as,
    "repeat": fn.repeat,
    "flip": fn.flip,
    "split": fn.split,
    "chunk": fn.chunk,
    "unsafe_chunk": fn.unsafe_chunk,
    "unbind": fn.unbind,
    "tril": fn.tril,
    "triu": fn.triu,
    "diag": fn.diag,
    "where": fn.tensor_where,
    "masked_fill": fn.masked_fill,
    "narrow": picking.narrow,
    "select": picking.select,
    "index_select": picking.index_select,
    "roll": picking.roll,
    "tile": picking.tile,
    "movedim": picking.movedim,
    "moveaxis": picking.movedim,
    "swapaxes": picking.swapaxes,
    "swapdims": picking.swapdims,
    "unflatten": picking.unflatten,
    "broadcast_to": picking.broadcast_to,
    "diagonal": picking.diagonal,
    "nonzero": picking.nonzero,
    "argwhere": picking.argwhere,
    "count_nonzero": picking.count_nonzero,
    "diff": picking.diff,
    "hardshrink": lambda self, lambd=0.5: piecewise.hardshrink(self, lambd),
    "new_zeros": picking.new_zeros,
    "new_ones": picking.new_ones,
    "new_empty": picking.new_empty,
    "new_full": picking.new_full,
    "new_tensor": picking.new_tensor,
    "clone": fn.clone,
    "contiguous": lambda self: self if fn._is_contiguous(self._data) else fn.unary(
        ops.CLONE, self, {"order": "C"}, float_result=False),
    "is_contiguous": lambda self: fn._is_contiguous(self._data),
    # linear algebra
    "matmul": fn.matmul,
    "mm": fn.mm,
    "mv": fn.mv,
    "dot": fn.dot,
    "bmm": fn.bmm,
    "outer": fn.outer,
    "softmax": fn.softmax,
    "log_softmax": fn.log_softmax,
    # dtypes
    "to": fn.to,
    "type_as": fn.type_as,
    "float": _cast(dtypes.float32),
    "double": _cast(dtypes.float64),
    "long": _cast(dtypes.int64),
    "int": _cast(dtypes.int32),
    "bool": _cast(dtypes.bool_),
    "half": _cast(dtypes.float16),
}

def _fill_random(self: Tensor, kernel: str, name: str, draw: Any) -> Tensor:
    """Fill a float tensor in place with `draw(shape, dtype)`, as PyTorch's random fills."""
    from engine.tensor import _check_in_place

    if self._data.dtype.kind != "f":
        raise NotImplementedError(f'"{kernel}" not implemented for '
                                  f"'{fn._legacy_name(self)}'")
    _check_in_place(self)
    if self._grad_fn is not None and fn.grad_mode.state.enabled:
        raise NotImplementedError(f"gradviz does not record {name} on a tensor in the graph; "
                                  "call it under torch.no_grad() or on a leaf")
    values = draw(self._data.shape, self._data.dtype)
    with fn.grad_mode.no_grad():
        return fn.copy_(self, values)


def _uniform_(self: Tensor, from_: float = 0, to: float = 1, *, generator: Any = None) -> Tensor:
    """Fill with uniforms in [from, to), drawn from the generator as PyTorch draws them."""
    from engine import random

    if self._data.dtype.kind == "f" and from_ > to:
        raise RuntimeError(f"uniform_ expects to return a [from, to) range, but found "
                           f"from={from_:g} > to={to:g}")
    return _fill_random(self, "check_uniform_bounds", "uniform_", lambda shape, dtype:
                        random.uniform_between(shape, dtype, from_, to, generator))


def _normal_(self: Tensor, mean: float = 0, std: float = 1, *, generator: Any = None) -> Tensor:
    """Fill with normals of this mean and std, drawn from the generator as PyTorch draws them."""
    from engine import random

    if std < 0:
        raise RuntimeError(f"normal expects std >= 0.0, but found std {std:g}")
    return _fill_random(self, "normal_kernel_cpu", "normal_", lambda shape, dtype:
                        random.normal_between(shape, dtype, mean, std, generator))


def _exponential_(self: Tensor, lambd: float = 1, *, generator: Any = None) -> Tensor:
    """Fill with exponential draws of rate `lambd`, as PyTorch's CPU kernel draws them."""
    from engine import random

    if not lambd > 0:
        raise RuntimeError(f"exponential_ expects lambda > 0.0, but found lambda={lambd:g}")
    if self._data.dtype.kind != "f":
        raise RuntimeError("Exponential distribution is a continuous probability distribution. "
                           f"dtype must be a floating point but you specified "
                           f"{fn._legacy_name(self)}")
    return _fill_random(self, "exponential", "exponential_", lambda shape, dtype:
                        random.exponential(shape, dtype, lambd, generator))


_METHODS["multinomial"] = sampling.multinomial
_METHODS["uniform_"] = _uniform_
_METHODS["exponential_"] = _exponential_
_METHODS["normal_"] = _normal_

for _name, _method in _METHODS.items():
    setattr(Tensor, _name, _method)

# Methods PyTorch implements in C++: behind its argument parser, with its TypeErrors.
for _name, _texts in TENSOR.items():
    setattr(Tensor, _name, checked_method(getattr(Tensor, _name), _name, _texts))
for _name in NO_ARGUMENTS:
    setattr(Tensor, _name, no_arguments(getattr(Tensor, _name), _name))

Tensor.T = property(fn.numpy_t)  # type: ignore[attr-defined]
Tensor.mT = property(fn.matrix_t)  # type: ignore[attr-defined]
Tensor.mH = property(fn.matrix_h)  # type: ignore[attr-defined]
Tensor.H = property(fn.adjoint)  # type: ignore[attr-defined]

"""The ops users call, as functions and as Tensor methods: each validates its arguments with
PyTorch's messages, then runs one entry of the op table through `apply`."""

from __future__ import annotations

import builtins
import math
import warnings
from collections.abc import Sequence
from typing import Any, NamedTuple

import numpy as np

from engine import dtypes, grad_mode, messages, signatures, sorting
from engine import op_table as ops
from engine.apply import (
    PY_SCALARS,
    as_operand,
    binary,
    bump_version,
    cast,
    new_tensor,
    numpy_error,
    operands,
    record,
    result_type,
    shared,
    unary,
    view_op,
)
from engine.node import SAVED_INDICES, saved_indices
from engine.shapes import broadcast_shapes, infer_shape, normalize_dim, normalize_dims
from engine.signature_table import NN
from engine.tensor import Tensor, _check_in_place


class MaxResult(NamedTuple):
    """torch.return_types.max / min: `values` and `indices`."""

    values: Tensor
    indices: Tensor
    kind: str = "max"

    def __repr__(self) -> str:
        return (f"torch.return_types.{self.kind}(\nvalues={self.values!r},\n"
                f"indices={self.indices!r})")

    def __len__(self) -> int:
        return 2

    def __iter__(self):  # type: ignore[override]
        return iter((self.values, self.indices))

    def __getitem__(self, index):  # type: ignore[override]
        return (self.values, self.indices)[index]


# --- arithmetic --------------------------------------------------------------------------------
def add(a: Any, b: Any, alpha: Any = 1) -> Tensor:
    if type(alpha) is int and alpha == 1:
        return binary(ops.ADD, a, b)
    return _with_alpha(ops.ADD_ALPHA, ops.ADD, a, b, alpha)


def sub(a: Any, b: Any, alpha: Any = 1) -> Tensor:
    _sub_check(a, b)
    if type(alpha) is int and alpha == 1:
        return binary(ops.SUB, a, b)
    return _with_alpha(ops.SUB_ALPHA, ops.SUB, a, b, alpha)


def _sub_check(a: Any, b: Any) -> None:
    """PyTorch refuses `-` where a bool is involved (it suggests `^` or `~` instead)."""
    a_bool = isinstance(a, bool) or (isinstance(a, Tensor) and a._data.dtype.kind == "b")
    b_bool = isinstance(b, bool) or (isinstance(b, Tensor) and b._data.dtype.kind == "b")
    if a_bool and b_bool:
        raise RuntimeError(messages.BOOL_SUBTRACT)
    if a_bool or b_bool:
        raise RuntimeError(messages.BOOL_SUBTRACT_ONE)


def _with_alpha(spec: ops.OpSpec, plain: ops.OpSpec, a: Any, b: Any, alpha: Any) -> Tensor:
    """`a ± alpha·b`, one op (AddBackward0 / SubBackward0) as in PyTorch."""
    inputs, da, db = operands(a, b)
    kind = np.result_type(da, db).kind
    if kind in "biu" and isinstance(alpha, float):
        raise RuntimeError("For integral input tensors, argument alpha must not be a floating "
                           "point number.")
    if kind != "b" and isinstance(alpha, bool):
        raise RuntimeError("Boolean alpha only supported for Boolean results.")
    if alpha == 1:
        return binary(plain, a, b)
    params = {"alpha": alpha}
    try:
        out = spec.forward(da, db, alpha)
    except (ValueError, TypeError) as error:
        raise numpy_error(plain, da, db, error) from None
    return record(spec, inputs, (da, db), out, params)


def mul(a: Any, b: Any) -> Tensor:
    return binary(ops.MUL, a, b)


def div(a: Any, b: Any, *, rounding_mode: str | None = None) -> Tensor:
    if rounding_mode is None:
        return binary(ops.DIV, a, b, float_result=True)
    if rounding_mode not in ("trunc", "floor"):
        raise RuntimeError("div expected rounding_mode to be one of None, 'trunc', or 'floor' "
                           f"but found '{rounding_mode}'")
    inputs, da, db = operands(a, b)
    if np.result_type(da, db).kind in "iu" and np.any(db == 0):
        raise RuntimeError("ZeroDivisionError")
    params = {"rounding_mode": rounding_mode}
    try:
        out = ops.DIV_ROUNDED.forward(da, db, rounding_mode)
    except (ValueError, TypeError) as error:
        raise numpy_error(ops.DIV, da, db, error) from None
    return record(ops.DIV_ROUNDED, inputs, (da, db), out, params)


def rsub(a: Tensor, scalar: Any) -> Tensor:
    """`scalar - a`: PyTorch's RsubBackward1, whose only input is `a`."""
    if isinstance(scalar, Tensor):
        return sub(scalar, a)
    _sub_check(scalar, a)
    target = result_type(a, scalar)
    data = cast(a._data, target)
    const = target.numpy.type(scalar)
    return record(ops.RSUB, (a,), (data, const), ops.RSUB.forward(data, const))


def div_scalar(a: Tensor, scalar: float) -> Tensor:
    """`aten::div.Scalar` (DivBackward1): what PyTorch's own composites divide with."""
    data = a._data
    const = data.dtype.type(scalar)
    return record(ops.DIV_SCALAR, (a,), (data, const), ops.DIV_SCALAR.forward(data, const))


def rtruediv(a: Tensor, scalar: Any) -> Tensor:
    """`scalar / a` is `a.reciprocal() * scalar` in PyTorch (through `*`, so a numpy array
    computes the product itself)."""
    if isinstance(scalar, np.ndarray):
        return reciprocal(a) * scalar
    return mul(reciprocal(a), scalar)


def pow(a: Any, exponent: Any) -> Tensor:  # noqa: A001 - torch.pow
    if not isinstance(a, Tensor):
        if result_type(as_operand(exponent), a) is dtypes.bool_:
            raise NotImplementedError("\"pow\" not implemented for 'Bool'")
        return rpow(as_operand(exponent), a)
    if isinstance(exponent, Tensor):
        if result_type(a, exponent) is dtypes.bool_:
            raise NotImplementedError("\"pow\" not implemented for 'Bool'")
        return binary(ops.POW_TENSOR, a, exponent)
    target = result_type(a, exponent)
    data = cast(a._data, target)
    if target is dtypes.bool_:  # x ** True is x, x ** False is all True
        return new_tensor(np.array(data if exponent else np.ones_like(data), copy=True)[()])
    if target in (dtypes.float32, dtypes.float64):
        exponent_value = float(exponent)  # PyTorch's scalar code raises to the double
    elif target.is_floating_point:
        exponent_value = target.numpy.type(exponent)
    else:
        if exponent < 0:
            raise RuntimeError("Integers to negative integer powers are not allowed.")
        exponent_value = int(exponent)
    params = {"exponent": exponent_value}
    return record(ops.POW, (a,), (data,), ops.POW.forward(data, exponent_value), params)


def rpow(a: Tensor, base: Any) -> Tensor:
    """`base ** a` for a Python number `base`: PowBackward2."""
    target = result_type(a, base)
    if target is dtypes.bool_:
        raise NotImplementedError("\"pow\" not implemented for 'Bool'")
    data = cast(a._data, target)
    params = {"base": base}
    return record(ops.RPOW, (a,), (data,), ops.RPOW.forward(data, base), params)


def floor_divide(a: Any, b: Any) -> Tensor:
    """`a // b`: rounds toward −∞; PyTorch records it but has no derivative for it."""
    return _integral_division(ops.FLOOR_DIVIDE, "div_floor_cpu", a, b)


def remainder(a: Any, b: Any) -> Tensor:
    """`a % b`: the result takes the divisor's sign, as Python's `%`."""
    spec = ops.REMAINDER_TENSOR if isinstance(b, Tensor) else ops.REMAINDER
    if not isinstance(a, Tensor):
        spec = ops.RREMAINDER
        a, b = b, a
    return _integral_division(spec, "remainder_cpu", a, b)


def _integral_division(spec: ops.OpSpec, kernel: str, a: Any, b: Any) -> Tensor:
    inputs, da, db = operands(a, b)
    kind = np.result_type(da, db).kind
    if kind == "b":
        raise NotImplementedError(f'"{kernel}" not implemented for \'Bool\'')
    divisor = da if spec is ops.RREMAINDER else db
    if kind in "iu" and np.any(divisor == 0):
        raise RuntimeError("ZeroDivisionError")
    try:
        out = spec.forward(da, db)
    except ValueError as error:
        raise numpy_error(spec, da, db, error) from None
    if spec is ops.REMAINDER:
        inputs = (inputs[0],)
    return record(spec, inputs, (da, db) if len(inputs) == 2 else (da,), out)


def rfloordiv(a: Tensor, other: Any) -> Tensor:
    return floor_divide(as_operand(other), a)


def rremainder(a: Tensor, other: Any) -> Tensor:
    return remainder(other, a)


def bitwise(kernel: str, operation: Any, a: Any, b: Any) -> Tensor:
    """`&`, `|`, `^` on bool and integer tensors (no gradient: they are not differentiable)."""
    _, da, db = operands(a, b)
    kind = np.result_type(da, db).kind
    if kind == "f":
        raise NotImplementedError(f'"{kernel}" not implemented for '
                                  f"'{LEGACY_NAMES[result_type(a, b).name]}'")
    try:
        return new_tensor(operation(da, db))
    except ValueError as error:
        raise numpy_error(ops.ADD, da, db, error) from None


def invert(a: Tensor) -> Tensor:
    """`~a`: logical not of a bool tensor, bitwise not of an integer one."""
    if a._data.dtype.kind == "f":
        raise TypeError("~ (operator.invert) is only implemented on integer and Boolean-type "
                        "tensors")
    return new_tensor(np.invert(a._data))


def positive(a: Tensor) -> Tensor:
    """`+a` is `a` itself (PyTorch refuses it for bools)."""
    if a._data.dtype.kind == "b":
        raise RuntimeError("The `+` operator, on a bool tensor is not supported.")
    return a


def neg(a: Tensor) -> Tensor:
    if a._data.dtype.kind == "b":
        raise RuntimeError(messages.BOOL_NEGATE)
    return unary(ops.NEG, a, float_result=False)


def reciprocal(a: Tensor) -> Tensor:
    return unary(ops.RECIPROCAL, a)


def square(a: Tensor) -> Tensor:
    return pow(a, 2)


def scatter_add(a: Tensor, dim: int, index: Tensor, src: Tensor) -> Tensor:
    """A copy of `a` with each element of `src` added at the place `index` names along `dim`
    (ScatterAddBackward0)."""
    d, positions = _scatter_checks(a, dim, index, src, "scatter")
    return record(ops.SCATTER_ADD, (a, src), (a._data, src._data),
                  ops.SCATTER_ADD.forward(a._data, src._data, d, positions),
                  {"dim": d, "index": positions, SAVED_INDICES: saved_indices(index)})


def scatter(a: Tensor, dim: int, index: Tensor, src: Any = None, *, value: Any = None,
            reduce: Any = None) -> Tensor:
    """A copy of `a` with `src`'s elements (or one value) put at the places `index` names
    (ScatterBackward0, or ScatterBackward1 for a value)."""
    if reduce is not None:
        raise NotImplementedError("gradviz does not model scatter's reduce=")
    if src is None:
        src = value
    if isinstance(src, Tensor):
        d, positions = _scatter_checks(a, dim, index, src, "scatter")
        return record(ops.SCATTER, (a, src), (a._data, src._data),
                      ops.SCATTER.forward(a._data, src._data, d, positions),
                      {"dim": d, "index": positions, SAVED_INDICES: saved_indices(index)})
    d, positions = _scatter_checks(a, dim, index, None, "scatter")
    filler = a._data.dtype.type(src)
    return record(ops.SCATTER_VALUE, (a, None), (a._data, filler),
                  ops.SCATTER_VALUE.forward(a._data, filler, d, positions),
                  {"dim": d, "index": positions, SAVED_INDICES: saved_indices(index)})


def _scatter_checks(a: Tensor, dim: int, index: Tensor, src: Tensor | None, name: str
                    ) -> tuple[int, Any]:
    """PyTorch's checks of scatter's arguments, in its order; the dim and the indices."""
    ndim = a._data.ndim
    d = normalize_dim(dim, ndim)
    if index._data.dtype not in (np.int64, np.int32):
        raise RuntimeError(f"{name}(): Expected dtype int32/int64 for index")
    if src is not None and src._data.dtype != a._data.dtype:
        raise RuntimeError(f"{name}(): Expected self.dtype to be equal to src.dtype")
    positions = index._data
    if positions.ndim != ndim and not (ndim == 0 and positions.ndim <= 1):
        raise RuntimeError("Index tensor must have the same number of dimensions as self tensor")
    self_shape, index_shape = np.shape(a._data), np.shape(positions)
    src_shape = np.shape(src._data) if src is not None else None
    if ndim and positions.size and (
            any(index_shape[k] > self_shape[k] for k in range(ndim) if k != d)
            or src_shape is not None and any(index_shape[k] > src_shape[k]
                                             for k in range(ndim))):
        text = (f"Expected index [{', '.join(map(str, index_shape))}] to be no larger than "
                f"self [{', '.join(map(str, self_shape))}] apart from dimension {d}")
        if src_shape is not None:
            text += (" and to be no larger size than src "
                     f"[{', '.join(map(str, src_shape))}]")
        raise RuntimeError(text)
    _check_in_bounds(positions, d, self_shape[d] if ndim else 1)
    return d, positions.astype(np.intp)


def _check_in_bounds(positions: np.ndarray, dim: int, size: int) -> None:
    """PyTorch's error for the first index outside [0, size) along `dim`."""
    outside = (positions < 0) | (positions >= size)
    if outside.any():
        raise RuntimeError(f"index {positions[outside].flat[0]} is out of bounds for dimension "
                           f"{dim} with size {size}")


def index_add(a: Tensor, dim: int, index: Tensor, source: Tensor, *, alpha: Any = 1
              ) -> Tensor:
    """A copy of `a` with each slice of `source` added (alpha times) at its index along `dim`,
    in the index's order (IndexAddBackward0)."""
    d = normalize_dim(dim, a._data.ndim)
    positions = index._data
    if positions.ndim > 1:
        raise IndexError("index_add_(): Index is supposed to be a vector, but got dim: "
                         f"{positions.ndim} with type: {_legacy_name(index)} and size: "
                         f"[{', '.join(map(str, positions.shape))}]")
    if positions.dtype not in (np.int64, np.int32):
        raise RuntimeError("index_add_(): Expected dtype int32/int64 for index but got: "
                           f"{_legacy_name(index)}")
    if source._data.dtype != a._data.dtype:
        raise RuntimeError(f"index_add_(): self ({_legacy_name(a)}) and source "
                           f"({_legacy_name(source)}) must have the same scalar type")
    self_shape, source_shape = np.shape(a._data), np.shape(source._data)
    count = source_shape[d] if source._data.ndim else 1
    if positions.size != count:
        raise RuntimeError(f"index_add_(): Number of indices ({positions.size}) should be equal "
                           f"to source.size(dim): ({count}), for dim: {d}")
    if len(self_shape) != len(source_shape) or any(
            s != t for k, (s, t) in enumerate(zip(self_shape, source_shape, strict=False))
            if k != d):
        raise RuntimeError(
            "source tensor shape must match self tensor shape, excluding the specified "
            f"dimension. Got self.shape = [{', '.join(map(str, self_shape))}] source.shape = "
            f"[{', '.join(map(str, source_shape))}]")
    _check_in_bounds(positions, d, self_shape[d] if self_shape else 1)
    positions = np.atleast_1d(positions).astype(np.intp)
    return record(ops.INDEX_ADD, (a, source), (a._data, source._data),
                  ops.INDEX_ADD.forward(a._data, source._data, d, positions, alpha),
                  {"dim": d, "index": positions, "alpha": alpha,
                   SAVED_INDICES: saved_indices(index)})


def nan_to_num(a: Tensor, nan: float | None = 0.0, posinf: float | None = None,
               neginf: float | None = None) -> Tensor:
    """NaN, +inf and -inf replaced (by 0 and the dtype's largest and lowest finite values
    unless told); integers come back as a copy (NanToNumBackward0)."""
    data = a._data
    if data.dtype.kind != "f":
        return new_tensor(np.array(data, copy=True)[()])
    info = np.finfo(data.dtype)
    params = {"nan": 0.0 if nan is None else nan,
              "posinf": info.max if posinf is None else posinf,
              "neginf": info.min if neginf is None else neginf}
    return unary(ops.NAN_TO_NUM, a, params, float_result=False)


def trunc(a: Tensor) -> Tensor:
    """Rounded toward zero (TruncBackward0: no gradient flows); integers are copied."""
    if a._data.dtype.kind == "b":
        raise NotImplementedError("\"trunc_vml_cpu\" not implemented for 'Bool'")
    if a._data.dtype.kind != "f":
        return new_tensor(np.array(a._data, copy=True)[()])
    return unary(ops.TRUNC, a, float_result=False)


def frac(a: Tensor) -> Tensor:
    """a − trunc(a), the part after the point, with a's sign (FracBackward0)."""
    if a._data.dtype.kind != "f":
        raise NotImplementedError(f"\"frac_cpu\" not implemented for '{_legacy_name(a)}'")
    return unary(ops.FRAC, a, float_result=False)


def masked_select(a: Tensor, mask: Tensor) -> Tensor:
    """The elements where `mask` (broadcast with `a`) is true, in one row
    (MaskedSelectBackward0)."""
    if mask._data.dtype.kind != "b":
        raise RuntimeError("masked_select: expected BoolTensor for mask")
    broadcast_shapes(mask._data.shape, a._data.shape)
    cond = np.asarray(mask._data)
    out = ops.MASKED_SELECT.forward(a._data, cond)
    return record(ops.MASKED_SELECT, (a,), (a._data,), out, {"mask": cond})


def addcmul(a: Tensor, tensor1: Tensor, tensor2: Tensor, *, value: Any = 1) -> Tensor:
    """a + value·tensor1·tensor2, value·tensor1 rounded, then one fused multiply-add."""
    return _addc(ops.ADDCMUL, a, tensor1, tensor2, value)


def addcdiv(a: Tensor, tensor1: Tensor, tensor2: Tensor, *, value: Any = 1) -> Tensor:
    """a + value·tensor1/tensor2, each step rounded."""
    if all(t._data.dtype.kind in "biu" for t in (tensor1, tensor2)):
        raise RuntimeError(
            "Integer division with addcdiv is no longer supported, and in a future  release "
            "addcdiv will perform a true division of tensor1 and tensor2. The historic addcdiv "
            "behavior can be implemented as (input + value * torch.trunc(tensor1 / tensor2))"
            ".to(input.dtype) for integer inputs and as (input + value * tensor1 / tensor2) "
            "for float inputs. The future addcdiv behavior is just the latter implementation: "
            "(input + value * tensor1 / tensor2), for all dtypes.")
    return _addc(ops.ADDCDIV, a, tensor1, tensor2, value)


def _addc(spec: ops.OpSpec, a: Tensor, t1: Tensor, t2: Tensor, value: Any) -> Tensor:
    arrays = _promoted(a, t1, t2)
    if arrays[0].dtype.kind in "biu":
        value = int(value)
    out = spec.forward(*arrays, value)
    return record(spec, (a, t1, t2), arrays, out, {"value": value})


def lerp(a: Tensor, end: Tensor, weight: Any) -> Tensor:
    """a + weight·(end − a), in one fused multiply-add as PyTorch's kernels compute it
    (LerpBackward0 for a number weight, LerpBackward1 for a tensor one, which gets a gradient
    too)."""
    if end._data.dtype != a._data.dtype:
        raise RuntimeError(f"expected dtype {_c_type_name(a)} for `end` but got dtype "
                           f"{_c_type_name(end)}")
    if isinstance(weight, Tensor):
        if weight._data.ndim and weight._data.dtype != a._data.dtype:
            raise RuntimeError(f"expected dtype {_c_type_name(a)} for `weight` but got dtype "
                               f"{_c_type_name(weight)}")
        arrays = _promoted(a, end, weight)
        return record(ops.LERP_TENSOR, (a, end, weight), arrays, ops.LERP_TENSOR.forward(*arrays))
    if a._data.dtype.kind != "f":
        raise NotImplementedError(f"\"lerp_kernel_scalar\" not implemented for "
                                  f"'{_legacy_name(a)}'")
    broadcast_shapes(a._data.shape, end._data.shape)
    out = ops.LERP.forward(a._data, end._data, weight)
    return record(ops.LERP, (a, end), (a._data, end._data), out, {"weight": weight})


def xlogy(a: Any, b: Any) -> Tensor:
    """a·log(b), 0 where a is 0 (XlogyBackward0); integers are computed in float32."""
    return binary(ops.XLOGY, a, b, float_result=True)


def maximum(a: Tensor, b: Tensor) -> Tensor:
    return binary(ops.MAXIMUM, a, b)


def minimum(a: Tensor, b: Tensor) -> Tensor:
    return binary(ops.MINIMUM, a, b)


# --- elementwise functions ---------------------------------------------------------------------
def exp(a: Tensor) -> Tensor:
    return unary(ops.EXP, a)


def log(a: Tensor) -> Tensor:
    return unary(ops.LOG, a)


def sqrt(a: Tensor) -> Tensor:
    return unary(ops.SQRT, a)


def sin(a: Tensor) -> Tensor:
    return unary(ops.SIN, a)


def cos(a: Tensor) -> Tensor:
    return unary(ops.COS, a)


def tanh(a: Tensor) -> Tensor:
    return unary(ops.TANH, a)


def sigmoid(a: Tensor) -> Tensor:
    return unary(ops.SIGMOID, a)


def relu(a: Tensor) -> Tensor:
    return unary(ops.RELU, a, float_result=False)


def abs(a: Tensor) -> Tensor:  # noqa: A001 - torch.abs
    if a._data.dtype.kind == "b":
        raise NotImplementedError("\"abs_cpu\" not implemented for 'Bool'")
    return unary(ops.ABS, a, float_result=False)


def log2(a: Tensor) -> Tensor:
    return unary(ops.LOG2, a)


def log10(a: Tensor) -> Tensor:
    return unary(ops.LOG10, a)


def tan(a: Tensor) -> Tensor:
    return unary(ops.TAN, a)


def atan(a: Tensor) -> Tensor:
    return unary(ops.ATAN, a)


def asin(a: Tensor) -> Tensor:
    return unary(ops.ASIN, a)


def acos(a: Tensor) -> Tensor:
    return unary(ops.ACOS, a)


def sinh(a: Tensor) -> Tensor:
    return unary(ops.SINH, a)


def cosh(a: Tensor) -> Tensor:
    return unary(ops.COSH, a)


def log1p(a: Tensor) -> Tensor:
    return unary(ops.LOG1P, a)


def expm1(a: Tensor) -> Tensor:
    return unary(ops.EXPM1, a)


def rsqrt(a: Tensor) -> Tensor:
    return unary(ops.RSQRT, a)


def erf(a: Tensor) -> Tensor:
    return unary(ops.ERF, a)


def _rounding(spec: ops.OpSpec, kernel: str, a: Tensor) -> Tensor:
    """floor/ceil/round keep integer tensors as they are (a copy) and refuse bools."""
    kind = a._data.dtype.kind
    if kind == "b":
        raise NotImplementedError(f'"{kernel}" not implemented for \'Bool\'')
    if kind in "iu":
        return new_tensor(np.array(a._data, copy=True)[()])
    return unary(spec, a, float_result=False)


def floor(a: Tensor) -> Tensor:
    return _rounding(ops.FLOOR, "floor_vml_cpu", a)


def ceil(a: Tensor) -> Tensor:
    return _rounding(ops.CEIL, "ceil_vml_cpu", a)


def round(a: Tensor, decimals: int | None = None) -> Tensor:  # noqa: A001 - torch.round
    if decimals is None:
        return _rounding(ops.ROUND, "round_vml_cpu", a)
    if a._data.dtype.kind != "f":
        raise NotImplementedError(f"\"round_cpu\" not implemented for '{_legacy_name(a)}'")
    return unary(ops.ROUND_DECIMALS, a, {"decimals": int(decimals)}, float_result=False)


def sign(a: Tensor) -> Tensor:
    if a._data.dtype.kind != "f":
        return new_tensor(np.sign(a._data) if a._data.dtype.kind != "b"
                          else np.array(a._data, copy=True)[()])
    return unary(ops.SIGN, a, float_result=False)


def clamp_min(a: Tensor, min: Any) -> Tensor:  # noqa: A002
    if isinstance(min, Tensor):
        return _clamp_bound(ops.CLAMP_MIN_TENSOR, a, min)
    data = _clamp_operand(a, (min,), "clamp_min_scalar_cpu")
    return record(ops.CLAMP_MIN, (a,), (data,), ops.CLAMP_MIN.forward(data, min), {"min": min})


def clamp_max(a: Tensor, max: Any) -> Tensor:  # noqa: A002
    if isinstance(max, Tensor):
        return _clamp_bound(ops.CLAMP_MAX_TENSOR, a, max)
    data = _clamp_operand(a, (max,), "clamp_max_scalar_cpu")
    return record(ops.CLAMP_MAX, (a,), (data,), ops.CLAMP_MAX.forward(data, max), {"max": max})


def _clamp_bound(spec: ops.OpSpec, a: Tensor, bound: Tensor) -> Tensor:
    """clamp_min or clamp_max with a tensor bound, which receives a gradient too."""
    arrays = _promoted(a, bound)
    return record(spec, (a, bound), arrays, spec.forward(*arrays))


def _promoted(*tensors: Tensor | None) -> tuple[Any, ...]:
    """The tensors' data in their result dtype (None stays None), once PyTorch's broadcasting
    check of their shapes has passed."""
    target = result_type(*(t for t in tensors if t is not None))
    arrays = tuple(None if t is None else cast(t._data, target) for t in tensors)
    broadcast_shapes(*(np.shape(x) for x in arrays if x is not None))
    return arrays


def clamp(a: Tensor, min: Any = None, max: Any = None) -> Tensor:  # noqa: A002
    if min is None and max is None:
        raise RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None")
    if isinstance(min, Tensor) or isinstance(max, Tensor):
        return _clamp_tensors(a, min, max)
    kernel = ("clamp_scalar_cpu" if min is not None and max is not None
              else "clamp_min_scalar_cpu" if min is not None else "clamp_max_scalar_cpu")
    data = _clamp_operand(a, (min, max), kernel)
    params = {"min": min, "max": max}
    return record(ops.CLAMP, (a,), (data,), ops.CLAMP.forward(data, min, max), params)


def _clamp_operand(a: Tensor, bounds: tuple, kernel: str) -> Any:
    """`a`'s data in the dtype the bounds promote it to (an int tensor clamped at 2.5 is float)."""
    target = result_type(a, *(b for b in bounds if b is not None))
    if target is dtypes.bool_:
        raise NotImplementedError(f'"{kernel}" not implemented for \'Bool\'')
    return cast(a._data, target)


def _clamp_tensors(a: Tensor, low: Tensor | None, high: Tensor | None) -> Tensor:
    """clamp with tensor bounds (ClampBackward0): the bounds receive gradients too."""
    if low is not None and high is not None and result_type(a, low, high) is dtypes.bool_:
        raise NotImplementedError('"clamp_cpu" not implemented for \'Bool\'')  # min/max alone: ok
    arrays = _promoted(a, low, high)
    out = ops.CLAMP_TENSOR.forward(*arrays)
    return record(ops.CLAMP_TENSOR, (a, low, high), arrays, out)


clip = clamp


# --- reductions --------------------------------------------------------------------------------
def _reduction_input(a: Tensor) -> Tensor:
    """Sums of bools and ints are int64 in PyTorch."""
    if a._data.dtype.kind in "biu" and a._data.dtype != np.int64:
        return to(a, dtypes.int64)
    return a


def sum(a: Tensor, dim: Any = None, keepdim: bool = False, dtype: Any = None) -> Tensor:  # noqa: A001
    a = to(a, dtype) if dtype is not None else _reduction_input(a)
    if dim is None and not keepdim:
        return unary(ops.SUM, a, float_result=False)
    dims = normalize_dims(dim, a._data.ndim)
    return unary(ops.SUM_DIM, a, {"dims": dims, "keepdim": keepdim}, float_result=False)


def mean(a: Tensor, dim: Any = None, keepdim: bool = False, dtype: Any = None) -> Tensor:
    if dtype is not None:
        a = to(a, dtype)
    if a._data.dtype.kind != "f":
        raise RuntimeError(
            "mean(): could not infer output dtype. Input dtype must be either a floating point "
            f"or complex dtype. Got: {_legacy_name(a)}")
    if dim is None and not keepdim:
        return unary(ops.MEAN, a, float_result=False)
    dims = normalize_dims(dim, a._data.ndim)
    return unary(ops.MEAN_DIM, a, {"dims": dims, "keepdim": keepdim}, float_result=False)


def prod(a: Tensor, dim: Any = None, keepdim: bool = False, dtype: Any = None) -> Tensor:
    a = to(a, dtype) if dtype is not None else _reduction_input(a)
    if dim is None:
        return unary(ops.PROD, a, float_result=False)
    d = normalize_dim(dim, a._data.ndim)
    return unary(ops.PROD_DIM, a, {"dim": d, "keepdim": keepdim}, float_result=False)


def var(a: Tensor, dim: Any = None, unbiased: Any = None, keepdim: bool = False, *,
        correction: Any = None) -> Tensor:
    """Variance: unbiased (correction 1) unless `unbiased=False` or another `correction`."""
    return _spread(ops.VAR, "var", a, dim, unbiased, keepdim, correction)


def std(a: Tensor, dim: Any = None, unbiased: Any = None, keepdim: bool = False, *,
        correction: Any = None) -> Tensor:
    return _spread(ops.STD, "std", a, dim, unbiased, keepdim, correction)


def _spread(spec: ops.OpSpec, name: str, a: Tensor, dim: Any, unbiased: Any, keepdim: bool,
            correction: Any) -> Tensor:
    if isinstance(dim, bool):  # std(x, False): the `unbiased` overload
        dim, unbiased = None, dim
    if a._data.dtype.kind != "f":
        raise RuntimeError("std and var only support floating point and complex dtypes")
    if correction is None:
        correction = 0 if unbiased is False else 1
    ndim = a._data.ndim
    dims = None if dim is None or ndim == 0 else normalize_dims(dim, ndim)
    if dim is not None and ndim == 0:
        normalize_dims(dim, ndim)
    count = a._data.size if dims is None else int(np.prod([a._data.shape[d] for d in dims]))
    out_count = a._data.size // count if count else 0
    if count - correction <= 0 and (out_count or dims is None):
        warnings.warn(f"{name}(): degrees of freedom is <= 0. Correction should be strictly less "
                      "than the reduction factor (input numel divided by output numel). "
                      "(Triggered internally at /__w/pytorch/pytorch/aten/src/ATen/native/"
                      "ReduceOps.cpp:1861.)", UserWarning, stacklevel=3)
    params = {"dims": dims, "correction": correction, "keepdim": keepdim}
    return unary(spec, a, params, float_result=False)


def norm(input: Any, p: Any = "fro", dim: Any = None, keepdim: bool = False,  # noqa: A002
         out: Any = None, dtype: Any = None) -> Tensor:
    """torch.norm (Python in PyTorch too): a vector norm over `dim`, 'fro' being the 2-norm."""
    if not isinstance(input, Tensor):
        raise AttributeError(f"'{messages.type_name(input)}' object has no attribute 'layout'")
    dims = [dim] if isinstance(dim, int) else dim
    extra = {"dtype": dtype} if out is None else {"dtype": dtype, "out": out}
    if isinstance(p, str):
        if p == "fro" and (dim is None or isinstance(dim, int) or len(dim) <= 2):
            return linalg_vector_norm(input, 2, dims, keepdim, **extra)
        dims = list(range(input.ndim)) if dims is None else dims
        signatures.check("linalg_matrix_norm", NN["linalg_matrix_norm"],
                         (input, p, dims, keepdim), extra)
        return _matrix_norm(input, p, dims)
    return linalg_vector_norm(input, 2.0 if p is None else p, dims, keepdim, **extra)


def vector_norm(a: Tensor, ord: Any = 2, dim: Any = None, keepdim: bool = False, *,  # noqa: A002
                dtype: Any = None) -> Tensor:
    """torch.linalg.vector_norm (LinalgVectorNormBackward0), its arguments already checked."""
    return _vector_norm(ops.NORM, a, ord, dim, keepdim, dtype)


def aten_norm(a: Tensor, p: float, dim: Any, keepdim: bool = False) -> Tensor:
    """ATen's `at::norm(self, p, dim, keepdim)`, which C++ code calls (NormBackward1): the
    vector norm, under its own name."""
    return _vector_norm(ops.ATEN_NORM, a, p, dim, keepdim, None)


def _vector_norm(spec: ops.OpSpec, a: Tensor, ord: Any, dim: Any,  # noqa: A002
                 keepdim: bool, dtype: Any) -> Tensor:
    if dtype is not None:
        a = to(a, dtype)
    if a._data.dtype.kind != "f":
        raise RuntimeError("linalg.vector_norm: Expected a floating point or complex tensor as "
                           f"input. Got {_legacy_name(a)}")
    ndim = a._data.ndim
    dims = (dim,) if isinstance(dim, (int, np.integer)) else None if dim is None else tuple(dim)
    normalized = tuple(normalize_dim(int(d), ndim) for d in dims) if dims else None
    if normalized is not None and len(set(normalized)) != len(normalized):
        repeated = next(d for d in normalized if normalized.count(d) > 1)
        raise RuntimeError(f"dim {repeated} appears multiple times in the list of dims")
    ord_value = float(ord)
    if math.isinf(ord_value) and a._data.size == 0:
        raise RuntimeError(f"linalg.vector_norm cannot compute the {ord} norm on an empty "
                           "tensor because the operation does not have an identity")
    # PyTorch takes |a| as the norm when every reduced dim has size 1; a 0-d tensor has no
    # dims, so a dim named on it is not one of size 1 and the full reduction runs
    size_one = (not dims if ndim == 0
                else all(a._data.shape[d] == 1 for d in (normalized or range(ndim))))
    params = {"ord": ord_value, "dims": tuple(sorted(normalized)) if normalized and ndim
              else None, "keepdim": keepdim, "size_one": size_one}
    result = unary(spec, a, params, float_result=False)
    if ord_value == 0 and result._grad_fn is not None:
        result._grad_fn.next = (None,)  # PyTorch gives the 0-"norm" no gradient at all
    return result


linalg_vector_norm = signatures.checked(vector_norm, "linalg_vector_norm",
                                        NN["linalg_vector_norm"])


def _matrix_norm(a: Tensor, p: str, dims: list) -> Tensor:
    if p not in ("fro", "nuc"):
        raise RuntimeError(f"linalg.matrix_norm: Order {p} not supported.")
    if a._data.ndim < 2:
        raise RuntimeError("linalg.matrix_norm: The input tensor A must have at least 2 "
                           "dimensions.")
    if len(dims) != 2:
        raise RuntimeError(f"linalg.matrix_norm: dim must be a 2-tuple. Got "
                           f"{' '.join(str(d) for d in dims)}")
    raise RuntimeError(f"gradviz supports the vector norms and 'fro'; the matrix norm {p!r} "
                       "is not available")


def cumsum(a: Tensor, dim: int, dtype: Any = None) -> Tensor:
    a = to(a, dtype) if dtype is not None else _reduction_input(a)
    d = normalize_dim(dim, a._data.ndim)
    return unary(ops.CUMSUM, a, {"dim": d}, float_result=False)


def cumprod(a: Tensor, dim: int, dtype: Any = None) -> Tensor:
    a = to(a, dtype) if dtype is not None else _reduction_input(a)
    d = normalize_dim(dim, a._data.ndim)
    return unary(ops.CUMPROD, a, {"dim": d}, float_result=False)


def logsumexp(a: Tensor, dim: Any, keepdim: bool = False) -> Tensor:
    if a._data.dtype.kind in "biu":
        a = to(a, dtypes.DEFAULT_FLOAT)
    ndim = a._data.ndim
    dims = normalize_dims(dim, ndim) if ndim else ()
    if ndim == 0:
        normalize_dims(dim, 0)
    return unary(ops.LOGSUMEXP, a, {"dims": dims, "keepdim": keepdim}, float_result=False)


_BOOL = np.dtype(bool)
LEGACY_NAMES = {"float32": "Float", "float64": "Double", "int64": "Long", "int32": "Int",
                "bool": "Bool", "float16": "Half"}


def _legacy_name(a: Tensor) -> str:
    return LEGACY_NAMES[a.dtype.name]


def _extreme(spec: ops.OpSpec, dim_spec: ops.OpSpec, pick: Any, a: Tensor, dim: Any,
             keepdim: bool, name: str) -> Any:
    if isinstance(dim, Tensor):
        return (maximum if name == "max" else minimum)(a, dim)
    if dim is None:
        if a._data.size == 0:
            raise RuntimeError(f"{name}(): Expected reduction dim to be specified for "
                               "input.numel() == 0. Specify the reduction dim with the 'dim' "
                               "argument.")
        return unary(spec, a, float_result=False)
    d = normalize_dim(dim, a._data.ndim)
    keepdim = keepdim and a._data.ndim > 0  # a 0-d input gives a 0-d result either way
    data = a._data if a._data.ndim else np.reshape(a._data, (1,))
    indices = pick(data, axis=d, keepdims=keepdim) if a._data.ndim else np.array(0)
    values = unary(dim_spec, a, {"dim": d, "keepdim": keepdim, "indices": indices},
                   float_result=False)
    return MaxResult(values, new_tensor(np.asarray(indices, dtype=np.int64)), name)


def max(a: Tensor, dim: Any = None, keepdim: bool = False) -> Any:  # noqa: A001
    return _extreme(ops.MAX, ops.MAX_DIM, np.argmax, a, dim, keepdim, "max")


def min(a: Tensor, dim: Any = None, keepdim: bool = False) -> Any:  # noqa: A001
    return _extreme(ops.MIN, ops.MIN_DIM, np.argmin, a, dim, keepdim, "min")


def amax(a: Tensor, dim: Any = (), keepdim: bool = False) -> Tensor:
    """The largest value along `dim` (all dims by default); ties share the gradient."""
    return _extremes(ops.AMAX, a, dim, keepdim, "amax")


def amin(a: Tensor, dim: Any = (), keepdim: bool = False) -> Tensor:
    """The smallest value along `dim` (all dims by default); ties share the gradient."""
    return _extremes(ops.AMIN, a, dim, keepdim, "amin")


def _extremes(spec: Any, a: Tensor, dim: Any, keepdim: bool, name: str) -> Tensor:
    data = a._data
    ndim = np.ndim(data)
    dims = (dim,) if isinstance(dim, (int, np.integer)) else () if dim is None else tuple(dim)
    axes = tuple(normalize_dim(int(d), ndim) for d in dims)
    for d in axes:
        if axes.count(d) > 1:
            raise RuntimeError(f"dim {d} appears multiple times in the list of dims")
    if not axes:
        if np.size(data) == 0:
            raise RuntimeError(f"{name}(): Expected reduction dim to be specified for "
                               "input.numel() == 0. Specify the reduction dim with the 'dim' "
                               "argument.")
        axes = tuple(range(ndim))
    for d in axes:
        if np.shape(data)[d] == 0:
            raise IndexError(f"{name}(): Expected reduction dim {d} to have non-zero size.")
    return unary(spec, a, {"dims": tuple(sorted(axes)), "keepdim": keepdim},
                 float_result=False)


def _no_bool(a: Tensor, name: str) -> None:
    if a._data.dtype.kind == "b":
        raise RuntimeError(f"{name}(): does not support bool input")


def argmax(a: Tensor, dim: Any = None, keepdim: bool = False) -> Tensor:
    _no_bool(a, "argmax")
    if dim is None:
        index = np.int64(np.argmax(a._data))
        return new_tensor(np.full((1,) * a._data.ndim, index) if keepdim else index)
    return new_tensor(np.argmax(a._data, axis=normalize_dim(dim, a.ndim), keepdims=keepdim))


def argmin(a: Tensor, dim: Any = None, keepdim: bool = False) -> Tensor:
    _no_bool(a, "argmin")
    if dim is None:
        index = np.int64(np.argmin(a._data))
        return new_tensor(np.full((1,) * a._data.ndim, index) if keepdim else index)
    return new_tensor(np.argmin(a._data, axis=normalize_dim(dim, a.ndim), keepdims=keepdim))


def tensor_any(a: Tensor, dim: Any = None, keepdim: bool = False) -> Tensor:
    """torch.any (named so that the builtin stays usable here): whether any element (along
    `dim`) is nonzero, as a bool tensor outside the graph."""
    return _logical_reduction(np.any, a, dim, keepdim)


def tensor_all(a: Tensor, dim: Any = None, keepdim: bool = False) -> Tensor:
    """torch.all: whether every element (along `dim`) is nonzero, as a bool tensor."""
    return _logical_reduction(np.all, a, dim, keepdim)


def _logical_reduction(reduce: Any, a: Tensor, dim: Any, keepdim: bool) -> Tensor:
    data = a._data
    ndim = np.ndim(data)
    if dim is None:
        axes = None
    elif isinstance(dim, (int, np.integer)):
        axes = (normalize_dim(int(dim), ndim),)
    else:
        axes = tuple(normalize_dim(int(d), ndim) for d in dim)
        for d in axes:
            if axes.count(d) > 1:
                raise RuntimeError(f"dim {d} appears multiple times in the list of dims")
    if ndim == 0:
        return new_tensor(np.bool_(data != 0))
    return new_tensor(reduce(data, axis=axes, keepdims=keepdim))


def sort(a: Tensor, dim: int = -1, descending: bool = False, *, stable: bool | None = None
         ) -> MaxResult:
    """Values sorted along `dim` and where they came from; ties in PyTorch's CPU order."""
    spec = ops.SORT if stable is None else ops.SORT_STABLE  # PyTorch: the overload taken
    d = normalize_dim(dim, a._data.ndim)
    data = a._data if a._data.ndim else np.reshape(a._data, (1,))
    indices = sorting.along(lambda row: sorting.sort_order(row, descending, bool(stable)),
                            data, d)
    return _picked(spec, a, d, indices, "sort")


def argsort(a: Tensor, dim: int = -1, descending: bool = False, *, stable: bool = False
            ) -> Tensor:
    return sort(a, dim, descending, stable=stable).indices


def topk(a: Tensor, k: int, dim: int = -1, largest: bool = True, sorted: bool = True  # noqa: A002
         ) -> MaxResult:
    """The k largest (or smallest) values along `dim` and where they came from."""
    if a._data.dtype == np.bool_:
        raise RuntimeError("topk does not support bool dtypes on CPU")
    d = normalize_dim(dim, a._data.ndim)
    data = a._data if a._data.ndim else np.reshape(a._data, (1,))
    if not 0 <= k <= data.shape[d]:
        raise RuntimeError("selected index k out of range")
    indices = sorting.along(lambda row: sorting.topk_order(row, k, largest, sorted), data, d)
    return _picked(ops.TOPK, a, d, indices, "topk")


def _picked(spec: ops.OpSpec, a: Tensor, dim: int, indices: np.ndarray, kind: str
            ) -> MaxResult:
    """The values at `indices` along `dim` (recorded) and the indices, as PyTorch returns them."""
    if a._data.ndim == 0:
        indices = np.zeros((), np.int64)
    values = unary(spec, a, {"dim": dim, "indices": indices}, float_result=False)
    return MaxResult(values, new_tensor(indices.astype(np.int64)[()]), kind)


def gather(a: Tensor, dim: int, index: Tensor, *, sparse_grad: bool = False) -> Tensor:
    """The values of `a` at `index` along `dim` (GatherBackward0 scatter-adds the gradient)."""
    d = normalize_dim(dim, a._data.ndim)
    if index._data.dtype not in (np.int64, np.int32):
        raise RuntimeError("gather(): Expected dtype int32/int64 for index")
    data, positions = np.atleast_1d(a._data), np.atleast_1d(index._data)
    if positions.ndim != data.ndim:
        raise RuntimeError("Index tensor must have the same number of dimensions as input tensor")
    for axis in range(data.ndim):
        if axis != d and positions.shape[axis] > data.shape[axis]:
            raise RuntimeError(
                f"Size does not match at dimension {axis} expected index "
                f"[{', '.join(map(str, positions.shape))}] to be no larger than self "
                f"[{', '.join(map(str, data.shape))}] apart from dimension {d}")
    _check_in_bounds(positions, d, data.shape[d])
    positions = positions.astype(np.intp)
    out = ops.GATHER.forward(data, d, positions)
    if a._data.ndim == 0:
        out = out.reshape(())[()]
    return record(ops.GATHER, (a,), (a._data,), out,
                  {"dim": d, "index": positions, SAVED_INDICES: saved_indices(index)})


# --- shapes ------------------------------------------------------------------------------------
def _shape_args(shape: tuple) -> tuple:
    if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
        return tuple(shape[0])
    return tuple(shape)


def view(a: Tensor, *shape: Any) -> Tensor:
    if len(shape) == 1 and isinstance(shape[0], dtypes.dtype):
        raise RuntimeError("gradviz does not support reinterpreting a tensor's bytes as "
                           "another dtype")
    target = infer_shape(_shape_args(shape), a._data.size)
    if not _viewable(a._data, target):
        raise RuntimeError(
            "view size is not compatible with input tensor's size and stride (at least one "
            "dimension spans across two contiguous subspaces). Use .reshape(...) instead.")
    return view_op(ops.VIEW, a, shape=target)


def reshape(a: Tensor, *shape: Any) -> Tensor:
    target = infer_shape(_shape_args(shape), a._data.size)
    if _is_contiguous(a._data):
        return view_op(ops.VIEW, a, shape=target)
    if _viewable(a._data, target):
        return view_op(ops.RESHAPE_ALIAS, a, shape=target)
    return view_op(ops.UNSAFE_VIEW, clone(a), shape=target)


def view_as(a: Tensor, other: Tensor) -> Tensor:
    return view(a, other._data.shape)


def reshape_as(a: Tensor, other: Tensor) -> Tensor:
    return reshape(a, other._data.shape)


def _is_contiguous(data: Any) -> bool:
    return not isinstance(data, np.ndarray) or data.flags.c_contiguous or data.size <= 1


def _viewable(data: Any, shape: tuple[int, ...]) -> bool:
    """Whether the new shape can share the memory (the stride rule PyTorch and numpy share)."""
    if _is_contiguous(data) or data.shape == shape:
        return True
    try:
        np.reshape(data, shape, copy=False)
    except ValueError:
        return False
    return True


def flatten(a: Tensor, start_dim: int = 0, end_dim: int = -1) -> Tensor:
    ndim = a._data.ndim
    start, end = normalize_dim(start_dim, ndim), normalize_dim(end_dim, ndim)
    if ndim == 0:
        return reshape(a, 1)
    if start > end:
        raise RuntimeError("flatten() has invalid args: start_dim cannot come after end_dim")
    if start == end:
        return a
    shape = a._data.shape
    merged = int(np.prod(shape[start:end + 1]))
    return reshape(a, *shape[:start], merged, *shape[end + 1:])


def squeeze(a: Tensor, dim: Any = None) -> Tensor:
    shape = a._data.shape
    if dim is None:
        dims = tuple(i for i, s in enumerate(shape) if s == 1)
        return view_op(ops.SQUEEZE, a, dims=dims)
    if isinstance(dim, (tuple, list)):
        dims = tuple(d for d in normalize_dims(dim, a._data.ndim) if shape[d] == 1)
        return view_op(ops.SQUEEZE_DIMS, a, dims=dims)
    d = normalize_dim(dim, a._data.ndim)
    dims = (d,) if a._data.ndim and shape[d] == 1 else ()
    return view_op(ops.SQUEEZE_DIM, a, dims=dims)


def unsqueeze(a: Tensor, dim: int) -> Tensor:
    d = normalize_dim(dim, a._data.ndim + 1)
    return view_op(ops.UNSQUEEZE, a, dim=d)


def permute(a: Tensor, *dims: Any) -> Tensor:
    dims = _shape_args(dims)
    ndim = a._data.ndim
    if len(dims) != ndim:
        raise RuntimeError(
            f"permute(sparse_coo): number of dimensions in the tensor input does not match the "
            f"length of the desired ordering of dimensions i.e. input.dim() = {ndim} is not "
            f"equal to len(dims) = {len(dims)}")
    order = tuple(normalize_dim(d, ndim) for d in dims)
    if len(set(order)) != ndim:
        raise RuntimeError("permute(): duplicate dims are not allowed.")
    return view_op(ops.PERMUTE, a, dims=order)


def transpose(a: Tensor, dim0: int, dim1: int) -> Tensor:
    ndim = a._data.ndim
    order = list(range(ndim))
    if ndim:
        d0, d1 = normalize_dim(dim0, ndim), normalize_dim(dim1, ndim)
        order[d0], order[d1] = order[d1], order[d0]
    else:
        normalize_dim(dim0, 0)
        normalize_dim(dim1, 0)
    return view_op(ops.TRANSPOSE, a, dims=tuple(order))


def t(a: Tensor) -> Tensor:
    ndim = a._data.ndim
    if ndim > 2:
        raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is {ndim}D")
    return view_op(ops.T, a, dims=tuple(reversed(range(ndim))))


def flip(a: Tensor, *dims: Any) -> Tensor:
    """A copy with the order of the elements reversed along `dims` (not a view in PyTorch)."""
    dims = _shape_args(dims)
    ndim = a._data.ndim
    order = tuple(normalize_dim(int(d), ndim) for d in dims)
    for d in order:
        if order.count(d) > 1:
            raise RuntimeError(f"dim {d} appears multiple times in the list of dims")
    return unary(ops.FLIP, a, {"dims": order if ndim else ()}, float_result=False)


def split(a: Tensor, split_size_or_sections: Any, dim: int = 0) -> tuple[Tensor, ...]:
    """Views of consecutive pieces along `dim`: of `split_size` each (the last may be smaller),
    or of the given sizes."""
    if a._data.ndim == 0:
        raise RuntimeError("split expects at least a 1-dimensional tensor")
    d = normalize_dim(dim, a._data.ndim)
    length = a._data.shape[d]
    if isinstance(split_size_or_sections, (int, np.integer)):
        size = int(split_size_or_sections)
        if size < 0:
            raise RuntimeError(f"split expects split_size be non-negative, but got "
                               f"split_size={size}")
        if size == 0 and length != 0:
            raise RuntimeError("split_size can only be 0 if dimension size is 0, but got "
                               f"dimension size of {length}")
        sizes = [size] * (length // size) + ([length % size] if length % size else []) \
            if size else [0]
        return _pieces(ops.SPLIT, a, d, sizes)
    sizes = [int(s) for s in split_size_or_sections]
    if any(s < 0 for s in sizes):
        raise RuntimeError("split_with_sizes expects split_sizes have only non-negative entries, "
                           f"but got split_sizes=[{', '.join(map(str, sizes))}]")
    if builtins.sum(sizes) != length:
        raise RuntimeError(f"split_with_sizes expects split_sizes to sum exactly to {length} "
                           f"(input tensor's size at dimension {d}), but got "
                           f"split_sizes=[{', '.join(map(str, sizes))}]")
    return _pieces(ops.SPLIT_WITH_SIZES, a, d, sizes)


def _pieces(spec: ops.OpSpec, a: Tensor, dim: int, sizes: list[int]) -> tuple[Tensor, ...]:
    lead = (slice(None),) * dim
    starts = np.cumsum([0, *sizes]).tolist()
    return tuple(view_op(spec, a, key=(*lead, slice(start, start + size)), output_nr=i)
                 for i, (start, size) in enumerate(zip(starts, sizes, strict=False)))


def unbind(a: Tensor, dim: int = 0) -> tuple[Tensor, ...]:
    """The slices along `dim`, each without that dim: views sharing one UnbindBackward0, as
    iterating over a tensor gives them."""
    if a._data.ndim == 0:
        raise IndexError("Dimension specified as 0 but tensor has no dimensions")
    d = normalize_dim(dim, a._data.ndim)
    lead = (slice(None),) * d
    return tuple(view_op(ops.UNBIND, a, key=(*lead, i), output_nr=i)
                 for i in range(a._data.shape[d]))


def chunk(a: Tensor, chunks: int, dim: int = 0, unsafe: bool = False) -> tuple[Tensor, ...]:
    """`split` into pieces of ⌈size / chunks⌉, so possibly fewer than `chunks` of them.

    `unsafe` (`unsafe_chunk`): pieces that share `a`'s memory without being its views, as
    PyTorch's are: it lets them be written in place, and a write shows in `a` but moves neither
    its version nor its graph."""
    if a._data.ndim == 0:
        raise RuntimeError("chunk expects at least a 1-dimensional tensor")
    if chunks <= 0:
        raise RuntimeError(f"chunk expects `chunks` to be greater than 0, got: {chunks}")
    d = normalize_dim(dim, a._data.ndim)
    length = a._data.shape[d]
    if length == 0:  # PyTorch's special case: `chunks` empty pieces
        sizes = [0] * chunks
    else:
        size = -(-length // chunks)
        sizes = [size] * (length // size) + ([length % size] if length % size else [])
    if not unsafe:
        return _pieces(ops.SPLIT, a, d, sizes)
    data = shared(a)
    starts = np.cumsum([0, *sizes]).tolist()
    keys = [(*(slice(None),) * d, slice(start, start + size))
            for start, size in zip(starts, sizes, strict=False)]
    return tuple(record(ops.UNSAFE_SPLIT, (a,), (data,), data[key], {"key": key, "output_nr": i})
                 for i, key in enumerate(keys))


def unsafe_chunk(a: Tensor, chunks: int, dim: int = 0) -> tuple[Tensor, ...]:
    return chunk(a, chunks, dim, unsafe=True)


def tril(a: Tensor, diagonal: int = 0) -> Tensor:
    return _triangle(ops.TRIL, "tril", a, diagonal)


def triu(a: Tensor, diagonal: int = 0) -> Tensor:
    return _triangle(ops.TRIU, "triu", a, diagonal)


def _triangle(spec: ops.OpSpec, name: str, a: Tensor, diagonal: int) -> Tensor:
    if a._data.ndim < 2:
        raise RuntimeError(f"{name}: input tensor must have at least 2 dimensions")
    return unary(spec, a, {"diagonal": int(diagonal)}, float_result=False)


def diag(a: Tensor, diagonal: int = 0) -> Tensor:
    """A vector's square matrix with it on the diagonal; a matrix's diagonal, as a copy."""
    ndim = a._data.ndim
    if ndim == 1:
        return unary(ops.DIAG_EMBED, a, {"diagonal": int(diagonal)}, float_result=False)
    if ndim != 2:
        raise RuntimeError(f"diag(): Supports 1D or 2D tensors. Got {ndim}D")
    return unary(ops.DIAGONAL, a, {"diagonal": int(diagonal)}, float_result=False)


_WARNED_ONCE: set[str] = set()


def _warn_once(text: str, line: int) -> None:
    """TORCH_WARN_ONCE from TensorShape.cpp: once per process, whatever the filters say; the
    warning points at the learner's line (the property's caller)."""
    if text not in _WARNED_ONCE:
        _WARNED_ONCE.add(text)
        warnings.warn(f"{text} (Triggered internally at "
                      f"/__w/pytorch/pytorch/aten/src/ATen/native/TensorShape.cpp:{line}.)",
                      UserWarning, stacklevel=3)


def numpy_t(a: Tensor) -> Tensor:
    """`a.T`: reverses all dims (PermuteBackward0)."""
    ndim = a._data.ndim
    if ndim == 0:
        _warn_once("Tensor.T is deprecated on 0-D tensors. This function is the identity in "
                   "these cases.", 4321)
    elif ndim != 2:
        _warn_once("The use of `x.T` on tensors of dimension other than 2 to reverse their "
                   "shape is deprecated and it will throw an error in a future release. "
                   "Consider `x.mT` to transpose batches of matrices or "
                   "`x.permute(*torch.arange(x.ndim - 1, -1, -1))` to reverse the dimensions "
                   "of a tensor.", 4314)
    return view_op(ops.PERMUTE, a, dims=tuple(reversed(range(ndim))))


def matrix_t(a: Tensor) -> Tensor:
    """`a.mT`: the last two dims swapped; a 0-d tensor is returned as it is."""
    if a._data.ndim == 0:
        _warn_once("Tensor.mT is deprecated on 0-D tensors. This function is the identity in "
                   "these cases.", 4373)
        return a
    return _matrix_transpose(a, "mT")


def matrix_h(a: Tensor) -> Tensor:
    """`a.mH`: for real tensors the same as `a.mT`."""
    if a._data.ndim == 0:
        _warn_once("Tensor.mH is deprecated on 0-D tensors. Consider using x.conj().", 4382)
        return a
    return _matrix_transpose(a, "mH")


def _matrix_transpose(a: Tensor, name: str) -> Tensor:
    if a._data.ndim == 1:
        raise RuntimeError(f"tensor.{name} is only supported on matrices or batches of matrices. "
                           "Got 1-D tensor.")
    return transpose(a, -2, -1)


def adjoint(a: Tensor) -> Tensor:
    """`a.H` (real tensors: the transpose of a matrix)."""
    ndim = a._data.ndim
    if ndim == 0:
        _warn_once("Tensor.H is deprecated on 0-D tensors. Consider using x.conj().", 4335)
        return a
    if ndim != 2:
        raise RuntimeError(f"tensor.H is only supported on matrices (2-D tensors). Got {ndim}-D "
                           "tensor." + (" For batches of matrices, consider using tensor.mH"
                                        if ndim > 2 else ""))
    return transpose(a, 0, 1)


def expand(a: Tensor, *sizes: Any) -> Tensor:
    return view_op(ops.EXPAND, a, shape=_expanded_shape(a, _shape_args(sizes)))


def _expanded_shape(a: Tensor, sizes: tuple) -> tuple:
    """The shape `a.expand(*sizes)` has, or PyTorch's error if it cannot expand to it."""
    shape = a._data.shape
    if len(sizes) < len(shape):
        raise RuntimeError(
            f"expand({dtypes.LEGACY_TYPES[a.dtype.name]}{{[{', '.join(map(str, shape))}]}}, "
            f"size=[{', '.join(map(str, sizes))}]): "
            f"the number of sizes provided ({len(sizes)}) must be greater or equal to the number "
            f"of dimensions in the tensor ({len(shape)})")
    lead = len(sizes) - len(shape)
    target = tuple(
        (shape[i - lead] if s == -1 else s) if i >= lead else s for i, s in enumerate(sizes))
    for i, s in enumerate(shape):
        if s != 1 and s != target[lead + i]:
            raise RuntimeError(
                f"The expanded size of the tensor ({target[lead + i]}) must match the existing "
                f"size ({s}) at non-singleton dimension {lead + i}.  Target sizes: "
                f"[{', '.join(map(str, sizes))}].  Tensor sizes: [{', '.join(map(str, shape))}]")
    return target


def expand_as(a: Tensor, other: Tensor) -> Tensor:
    return expand(a, *other.shape)


def repeat(a: Tensor, *sizes: Any) -> Tensor:
    repeats = tuple(int(r) for r in _shape_args(sizes))
    if len(repeats) < a._data.ndim:
        raise RuntimeError("Number of dimensions of repeat dims can not be smaller than number "
                           "of dimensions of tensor")
    padded = (1,) * (len(repeats) - a._data.ndim) + a._data.shape
    target = tuple(r * s for r, s in zip(repeats, padded, strict=True))
    if any(r < 0 for r in repeats):
        raise RuntimeError(f"Trying to create tensor with negative dimension "
                           f"{builtins_min(target)}: [{', '.join(map(str, target))}]")
    return unary(ops.REPEAT, a, {"repeats": repeats}, float_result=False)


def clone(a: Tensor) -> Tensor:
    return unary(ops.CLONE, a, float_result=False)


def type_as(a: Tensor, other: Tensor) -> Tensor:
    return to(a, other.dtype)


def to(a: Tensor, *args: Any, **kwargs: Any) -> Tensor:
    """`a.to(dtype)`: a copy in another dtype (ToCopyBackward0), or `a` itself if unchanged;
    `a.to("cpu")` is `a`, and any other device fails as in PyTorch built for the CPU."""
    from engine.device import check, device

    target = kwargs.get("dtype")
    check(kwargs.get("device"))
    for arg in args:
        if isinstance(arg, (str, device)):
            check(arg)
        elif isinstance(arg, dtypes.dtype):
            target = arg
        elif isinstance(arg, Tensor):  # a.to(other): other's dtype
            target = arg.dtype
        elif isinstance(arg, (bool, int, float)):  # a number stands for a tensor here
            target = (dtypes.bool_ if isinstance(arg, bool) else
                      dtypes.int64 if isinstance(arg, int) else dtypes.float64)
    if target is None or target.numpy == a._data.dtype:
        return a
    out = ops.TO_COPY.forward(a._data, target.numpy)
    result = record(ops.TO_COPY, (a,), (a._data,), out, {"dtype": target.numpy})
    if not target.is_floating_point and result._grad_fn is not None:
        result._grad_fn = None
        result._requires_grad = False
    return result


builtins_min = __builtins__["min"] if isinstance(__builtins__, dict) else __builtins__.min


def _writable(a: Tensor) -> np.ndarray:
    """`a`'s array, ready to be written. A `.grad` is frozen (the steps that recorded it keep
    its values), so it is copied first; where `a` reaches it through `.data`, `.detach()` or a
    view (`x.grad.data.zero_()`), the gradient itself and its views move to the copy, so the
    write lands in `x.grad` as in PyTorch."""
    data = shared(a)
    if data.flags.writeable:
        return data
    owner = a
    while (source := owner._root if owner._root is not None else owner._alias_of) is not None:
        owner = source
    base = _memory(data)
    if owner is a or not isinstance(owner._data, np.ndarray) or _memory(owner._data) is not base:
        data = a._data = np.array(data, copy=True)
        return data
    fresh = np.array(base, copy=True)
    for t in (owner, *(ref() for ref in owner._views or ())):
        if t is not None and isinstance(t._data, np.ndarray) and _memory(t._data) is base:
            t._data = _same_view(fresh, base, t._data)
    a._data = _same_view(fresh, base, data)
    return a._data


def _memory(array: np.ndarray) -> np.ndarray:
    """The array owning `array`'s memory."""
    while isinstance(array.base, np.ndarray):
        array = array.base
    return array


def _same_view(fresh: np.ndarray, base: np.ndarray, view: np.ndarray) -> np.ndarray:
    """`view` of `base`, as the same view of `fresh` (a copy of `base`)."""
    offset = view.__array_interface__["data"][0] - base.__array_interface__["data"][0]
    return np.ndarray(view.shape, view.dtype, buffer=fresh, offset=offset, strides=view.strides)


# --- in-place ----------------------------------------------------------------------------------
def inplace(a: Tensor, result: Tensor) -> Tensor:
    """Write `result` into `a`; if it was recorded, `a` takes over its place in the graph.

    The node keeps `a`'s old values where it saved them (PyTorch's "original self"), so the
    write does not corrupt its own backward.
    """
    if a._root is not None and grad_mode.state.enabled and (
            a._requires_grad or result._requires_grad):
        from engine.indexing import write_through

        return write_through(a, result)  # the base's history is rewritten, as in PyTorch
    _check_in_place(a)
    target = dtypes.of_array(a._data)
    got = dtypes.of_array(result._data)
    if dtypes.category(got) > dtypes.category(target):
        raise RuntimeError(f"result type {_legacy_name(result)} can't be cast to the desired "
                           f"output type {_legacy_name(a)}")
    shape = a._data.shape
    if result._data.shape != shape:
        if result._data.ndim > a._data.ndim or np.broadcast_shapes(
                result._data.shape, shape) != shape:
            raise RuntimeError(f"output with shape [{', '.join(map(str, shape))}] doesn't "
                               "match the broadcast shape "
                               f"[{', '.join(map(str, result._data.shape))}]")
        values = np.broadcast_to(result._data, shape)
    else:
        values = result._data
    node = result._grad_fn
    if node is not None:
        _keep_original(node, a)
    if isinstance(a._data, np.ndarray):
        np.copyto(_writable(a), values, casting="unsafe")
    else:
        a._data = a._data.dtype.type(values)
    bump_version(a)
    if node is not None:
        node.made = result  # what a viewer names the write by (its source line, say)
        node.output = a
        node.versions = node.versions[:-1] + (a._version,)
        a._grad_fn = node
        a._requires_grad = True
    if a._views:
        from engine.indexing import _relink_views

        _relink_views(a)  # they read the new values: so does their gradient
    return a


def _keep_original(node: Any, a: Tensor) -> None:
    """Where the node saved `a` itself, keep a copy of its values and stop checking its
    version: the write about to happen is the op's own."""
    if not any(t is a for t in node.inputs):
        return
    args, versions = list(node.args), list(node.versions)
    for i, t in enumerate(node.inputs):
        if t is a:
            if isinstance(args[i], np.ndarray) and np.may_share_memory(args[i], a._data):
                args[i] = args[i].copy()
            versions[i] = None
    node.args, node.versions = tuple(args), tuple(versions)


def inplace_op(function: Any, binary_op: bool = False,
               precheck: Any = None, after_shapes: Any = None) -> Any:
    """`a.exp_()` and its kin: run `function` out of place, then write its result into `a`.

    For a `binary_op` (`add_`, `mul_` …) the operands must broadcast to `a`'s shape, which
    PyTorch checks before anything else."""

    def method(self: Tensor, *args: Any, **kwargs: Any) -> Tensor:
        _check_in_place(self)
        if precheck is not None and args:
            precheck(self, args[0])
        if binary_op and args and isinstance(args[0], Tensor):
            shape = broadcast_shapes(self._data.shape, args[0]._data.shape)
            if shape != self._data.shape:
                raise RuntimeError(f"output with shape [{', '.join(map(str, self._data.shape))}]"
                                   " doesn't match the broadcast shape "
                                   f"[{', '.join(map(str, shape))}]")
        if after_shapes is not None and args:
            after_shapes(self, args[0])
        if grad_mode.state.enabled and (self._requires_grad or any(
                isinstance(v, Tensor) and v._requires_grad for v in (*args, *kwargs.values()))):
            result = function(self, *args, **kwargs)
        else:
            with grad_mode.no_grad():
                result = function(self, *args, **kwargs)
        return inplace(self, result)

    method.__name__ = f"{function.__name__}_"
    return method


def zero_(a: Tensor) -> Tensor:
    return fill_(a, 0, zero=True)


def fill_(a: Tensor, value: Any, zero: bool = False) -> Tensor:
    source = None
    if isinstance(value, Tensor):
        if value._data.ndim:
            raise RuntimeError("fill_ only supports 0-dimension value tensor but got tensor with "
                               f"{value._data.ndim} dimensions.")
        source = value
        value = value.item()
    _check_in_place(a)
    if grad_mode.state.enabled and (a._requires_grad or (
            source is not None and source._requires_grad)):
        # recorded, as PyTorch records it: what was there gets no gradient
        data = shared(a)
        if zero:
            result = record(ops.ZERO, (a,), (data,), ops.ZERO.forward(data))
        elif source is not None:
            result = record(ops.FILL_TENSOR, (a, source), (data, source._data),
                            ops.FILL_TENSOR.forward(data, value))
        else:
            result = record(ops.FILL, (a,), (data,), ops.FILL.forward(data, value),
                            {"value": value})
        return inplace(a, result)
    if isinstance(a._data, np.ndarray):
        _writable(a)[...] = value
    else:
        a._data = a._data.dtype.type(value)
    bump_version(a)
    return a


def copy_(a: Tensor, src: Any) -> Tensor:
    """`src`'s values written into `a`, cast and broadcast to it. Where a gradient flows,
    CopyBackwards takes `a`'s place: `src` gets the gradient, what `a` held gets zeros."""
    _check_in_place(a)  # a leaf that requires grad refuses it, as every in-place op does
    source = src if isinstance(src, Tensor) else new_tensor(np.asarray(src, a._data.dtype))
    data = a._data
    values = source._data
    shape = np.shape(data)
    if np.shape(values) != shape:
        joint = broadcast_shapes(shape, np.shape(values))
        if joint != shape:
            raise RuntimeError(f"output with shape [{', '.join(map(str, shape))}] doesn't match "
                               f"the broadcast shape [{', '.join(map(str, joint))}]")
    if grad_mode.state.enabled and (a._requires_grad or source._requires_grad):
        result = record(ops.COPY, (a, source), (data, values), ops.COPY.forward(data, values))
    else:
        result = new_tensor(ops.COPY.forward(data, values))
    return inplace(a, result)


# --- linear algebra ----------------------------------------------------------------------------
def _mat(shape: tuple) -> str:
    return "x".join(str(s) for s in shape)


def mm(a: Tensor, b: Tensor, out_dtype: Any = None) -> Tensor:
    if out_dtype is not None:
        _no_out_dtype(out_dtype)
    if a.ndim != 2:
        raise RuntimeError("self must be a matrix")
    if b.ndim != 2:
        raise RuntimeError("mat2 must be a matrix")
    if a._data.shape[1] != b._data.shape[0]:
        raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied "
                           f"({_mat(a._data.shape)} and {_mat(b._data.shape)})")
    return _linalg(ops.MM, a, b)


def _linalg(spec: ops.OpSpec, a: Tensor, b: Tensor) -> Tensor:
    if a._data.dtype != b._data.dtype:
        raise RuntimeError(f"expected m1 and m2 to have the same dtype, but got: "
                           f"{_c_type_name(a)} != {_c_type_name(b)}")
    da, db = a._data, b._data
    return record(spec, (a, b), (da, db), spec.forward(da, db))


def mv(a: Tensor, v: Tensor) -> Tensor:
    if a._data.ndim == 0:
        raise IndexError("Dimension specified as 0 but tensor has no dimensions")
    if a._data.ndim != 2 or v._data.ndim != 1:
        raise RuntimeError(f"vector + matrix @ vector expected, got 1, {a._data.ndim}, "
                           f"{v._data.ndim}")
    if a._data.shape[1] != v._data.shape[0]:
        raise RuntimeError(f"size mismatch, got input ({a._data.shape[0]}), mat "
                           f"({_mat(a._data.shape)}), vec ({v._data.shape[0]})")
    if a._data.dtype != v._data.dtype:
        raise RuntimeError(f"addmv input tensors must have the same dtype, but got "
                           f"{_legacy_name(v)}, {_legacy_name(a)}, and {_legacy_name(v)}")
    return _linalg(ops.MV, a, v)


def dot(a: Tensor, b: Tensor) -> Tensor:
    da, db = a._data, b._data
    if da.ndim != 1 or db.ndim != 1:
        raise RuntimeError(f"1D tensors expected, but got {da.ndim}D and {db.ndim}D tensors")
    if da.dtype is not db.dtype and da.dtype != db.dtype:
        raise RuntimeError(f"dot : expected both vectors to have same dtype, but found "
                           f"{_legacy_name(a)} and {_legacy_name(b)}")
    if da.shape != db.shape:
        n, m = da.size, db.size
        raise RuntimeError(f"inconsistent tensor size, expected tensor [{n}] and src [{m}] to "
                           f"have the same number of elements, but got {n} and {m} elements "
                           "respectively")
    if da.dtype is _BOOL:
        raise NotImplementedError("\"dot\" not implemented for 'Bool'")
    return record(ops.DOT, (a, b), (da, db), ops.DOT.forward(da, db))


def matmul(a: Tensor, b: Tensor) -> Tensor:
    """Python's `@`, dispatched by rank exactly as torch.matmul dispatches it."""
    a, b = as_operand(a), as_operand(b)
    na, nb = a._data.ndim, b._data.ndim
    if na == 0 or nb == 0:
        raise RuntimeError(f"both arguments to matmul need to be at least 1D, but they are "
                           f"{na}D and {nb}D")
    if na == 1 and nb == 1:
        return dot(a, b)
    if na == 2 and nb == 1:
        return mv(a, b)
    if na == 1 and nb == 2:
        return view_op(ops.SQUEEZE_DIMS, mm(unsqueeze(a, 0), b), dims=(0,))
    if na == 2 and nb == 2:
        return mm(a, b)
    if na >= 3 and nb <= 2:
        lead = a._data.shape[:-1]
        folded = view(a, -1, a._data.shape[-1]) if _is_contiguous(a._data) else reshape(
            a, -1, a._data.shape[-1])
        product = mv(folded, b) if nb == 1 else mm(folded, b)
        out_shape = lead if nb == 1 else (*lead, b._data.shape[-1])
        return view_op(ops.UNSAFE_VIEW, product, shape=out_shape)
    if na <= 2 and _folds_transposed(a, b):
        return _transposed_fold(a, b)
    return _batched_matmul(a, b)


def _folds_transposed(a: Tensor, b: Tensor) -> bool:
    """torch.matmul's should_fold for a vector or matrix times a batch: fold the batch's
    transpose into one matrix when the small operand needs a gradient (its gradient is then one
    product, not a batch summed), or, for a vector, when the fold needs no copy."""
    if a._requires_grad:
        return True
    if a._data.ndim == 2:
        return False
    data = np.swapaxes(b._data, -1, -2)
    if data.size == 0:
        return True
    shape, strides = data.shape, data.strides
    return all(strides[i] == strides[i + 1] * shape[i + 1] for i in range(data.ndim - 2))


def _transposed_fold(a: Tensor, b: Tensor) -> Tensor:
    """`a @ b` as torch.matmul computes it when it folds: (bᵀ folded to a matrix) @ aᵀ, with
    mv for a vector and mm then a transpose (made contiguous) for a matrix."""
    batch_t = transpose(b, -2, -1)
    small = t(a) if a._data.ndim == 2 else a
    lead = batch_t._data.shape[:-1]
    folded = reshape(batch_t, int(np.prod(lead)), batch_t._data.shape[-1])
    if small._data.ndim == 1:
        return view_op(ops.UNSAFE_VIEW, mv(folded, small), shape=lead)
    product = view_op(ops.UNSAFE_VIEW, mm(folded, small), shape=(*lead, small._data.shape[1]))
    result = transpose(product, -2, -1)
    return result if _is_contiguous(result._data) else clone(result)


def _batched_matmul(a: Tensor, b: Tensor) -> Tensor:
    a2 = unsqueeze(a, 0) if a.ndim == 1 else a
    b2 = unsqueeze(b, -1) if b.ndim == 1 else b
    try:
        batch = np.broadcast_shapes(a2._data.shape[:-2], b2._data.shape[:-2])
    except ValueError:
        raise RuntimeError(messages.broadcast_mismatch(a2._data.shape[:-2],
                                                       b2._data.shape[:-2])) from None
    if a2._data.shape[-1] != b2._data.shape[-2]:  # bmm's check, after the batch is folded
        folded = int(np.prod(batch))
        raise RuntimeError(
            f"Expected size for first two dimensions of batch2 tensor to be: "
            f"[{folded}, {a2._data.shape[-1]}] but got: [{folded}, {b2._data.shape[-2]}].")
    n, k, m = a2._data.shape[-2], a2._data.shape[-1], b2._data.shape[-1]
    a3 = reshape(expand(a2, *batch, n, k), -1, n, k)
    b3 = reshape(expand(b2, *batch, k, m), -1, k, m)
    product = _linalg(ops.BMM, a3, b3)
    shape = (*batch, n, m)
    if a.ndim == 1:
        shape = (*batch, m)
    elif b.ndim == 1:
        shape = (*batch, n)
    return view_op(ops.UNSAFE_VIEW, product, shape=shape)


def bmm(a: Tensor, b: Tensor, out_dtype: Any = None) -> Tensor:
    _no_out_dtype(out_dtype)
    if a._data.ndim != 3:
        raise RuntimeError("batch1 must be a 3D tensor")
    if b._data.ndim != 3:
        raise RuntimeError("batch2 must be a 3D tensor")
    (batch, _, k), (batch2, k2, _) = a._data.shape, b._data.shape
    if (batch2, k2) != (batch, k):
        raise RuntimeError(f"Expected size for first two dimensions of batch2 tensor to be: "
                           f"[{batch}, {k}] but got: [{batch2}, {k2}].")
    if a._data.dtype != b._data.dtype:
        raise RuntimeError(f"expected scalar type {_legacy_name(a)} but found "
                           f"{_legacy_name(b)}")
    return _linalg(ops.BMM, a, b)


def outer(a: Tensor, b: Tensor) -> Tensor:
    """`a.reshape(n, 1) * b`, as PyTorch composes it."""
    for name, t in (("self", a), ("vec2", b)):
        if t._data.ndim != 1:
            raise RuntimeError(f"outer: Expected 1-D argument {name}, but got {t._data.ndim}-D")
    return mul(reshape(a, a._data.shape[0], 1), b)


def addmm(bias: Tensor, a: Tensor, b: Tensor, out_dtype: Any = None, *, beta: Any = 1,
          alpha: Any = 1) -> Tensor:
    _no_out_dtype(out_dtype)
    for first, second, x, y in (("self", "mat2", bias, b), ("mat1", "mat2", a, b)):
        if x._data.dtype != y._data.dtype:
            raise RuntimeError(f"{first} and {second} must have the same dtype, but got "
                               f"{_legacy_name(x)} and {_legacy_name(y)}")
    for name, t in (("mat1", a), ("mat2", b)):
        if t._data.ndim != 2:
            raise RuntimeError(f"{name} must be a matrix, got {t._data.ndim}-D tensor")
    if a._data.shape[1] != b._data.shape[0]:
        raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied "
                           f"({_mat(a._data.shape)} and {_mat(b._data.shape)})")
    _expanded_shape(bias, (a._data.shape[0], b._data.shape[1]))  # PyTorch's words if it can't
    if a._data.dtype.kind == "b":
        raise NotImplementedError("\"addmm_impl_cpu_\" not implemented for 'Bool'")
    args = (bias._data, a._data, b._data)
    params = None if beta == 1 and alpha == 1 else {"beta": beta, "alpha": alpha}
    out = ops.ADDMM.forward(*args, **(params or {}))
    return record(ops.ADDMM, (bias, a, b), args, out, params)


def _no_out_dtype(out_dtype: Any) -> None:
    if out_dtype is not None:
        raise RuntimeError("gradviz does not support out_dtype; convert the result with .to()")


# --- several tensors ---------------------------------------------------------------------------
def cat(tensors: Sequence[Tensor], dim: int = 0) -> Tensor:
    tensors = [as_operand(t) for t in tensors]
    if not tensors:
        raise RuntimeError("torch.cat(): expected a non-empty list of Tensors")
    ndim = tensors[0].ndim
    for t in tensors[1:]:
        if t.ndim != ndim:
            raise RuntimeError(f"Tensors must have same number of dimensions: got {ndim} and "
                               f"{t.ndim}")
    if ndim == 0:
        raise RuntimeError("zero-dimensional tensor (at position 0) cannot be concatenated")
    d = normalize_dim(dim, ndim)
    target = result_type(*tensors)
    arrays = tuple(cast(t._data, target) for t in tensors)
    for i, arr in enumerate(arrays[1:], start=1):
        for axis in range(ndim):
            if axis != d and arr.shape[axis] != arrays[0].shape[axis]:
                raise RuntimeError(
                    f"Sizes of tensors must match except in dimension {d}. Expected size "
                    f"{arrays[0].shape[axis]} but got size {arr.shape[axis]} for tensor number "
                    f"{i} in the list.")
    offsets = np.cumsum([0] + [arr.shape[d] for arr in arrays]).tolist()
    return record(ops.CAT, tuple(tensors), arrays, ops.CAT.forward(*arrays, dim=d),
                  {"dim": d, "offsets": offsets})


def stack(tensors: Sequence[Tensor], dim: int = 0) -> Tensor:
    tensors = [as_operand(t) for t in tensors]
    if not tensors:
        raise RuntimeError("stack expects a non-empty TensorList")
    for i, t in enumerate(tensors[1:], start=1):
        if t.shape != tensors[0].shape:
            raise RuntimeError(f"stack expects each tensor to be equal size, but got "
                               f"[{', '.join(map(str, tensors[0].shape))}] at entry 0 and "
                               f"[{', '.join(map(str, t.shape))}] at entry {i}")
    d = normalize_dim(dim, tensors[0].ndim + 1)
    target = result_type(*tensors)
    arrays = tuple(cast(t._data, target) for t in tensors)
    return record(ops.STACK, tuple(tensors), arrays, ops.STACK.forward(*arrays, dim=d),
                  {"dim": d})


def where(condition: Tensor, a: Any = None, b: Any = None) -> Any:
    """`torch.where(c, a, b)`; `torch.where(c)` gives the indices where `c` is true."""
    if a is None and b is None:
        return tuple(new_tensor(index.astype(np.int64))
                     for index in np.nonzero(np.atleast_1d(condition._data)))
    if condition._data.dtype.kind != "b":
        raise RuntimeError("where expected condition to be a boolean tensor, but got a tensor "
                           f"with dtype {_legacy_name(condition)}")
    a, b = as_operand(a), as_operand(b)
    target = result_type(a, b)
    da = cast(a._data, target) if isinstance(a, Tensor) else target.numpy.type(a)
    db = cast(b._data, target) if isinstance(b, Tensor) else target.numpy.type(b)
    cond = np.asarray(condition._data, dtype=bool)
    params = {"condition": cond}
    inputs = (a if isinstance(a, Tensor) else None, b if isinstance(b, Tensor) else None)
    broadcast_shapes(np.shape(cond), np.shape(da), np.shape(db))
    return record(ops.WHERE, inputs, (da, db), ops.WHERE.forward(da, db, cond), params)


def tensor_where(a: Tensor, condition: Tensor, other: Any) -> Tensor:
    """`a.where(condition, other)`: `torch.where(condition, a, other)`."""
    return where(condition, a, other)


def masked_fill(a: Tensor, mask: Tensor, value: Any) -> Tensor:
    if isinstance(value, Tensor) and value._data.ndim:
        raise RuntimeError("masked_fill_ only supports a 0-dimensional value tensor, but got "
                           f"tensor with {value._data.ndim} dimension(s).")
    if mask._data.dtype.kind != "b":
        raise RuntimeError("masked_fill_ only supports boolean masks, but got mask with dtype "
                           f"{_c_type_name(mask)}")
    shape = broadcast_shapes(mask._data.shape, a._data.shape)
    cond = np.broadcast_to(mask._data, shape)
    if isinstance(value, Tensor):
        if value._data.ndim:
            raise RuntimeError("masked_fill_ only supports a 0-dimensional value tensor, but got "
                               f"tensor with {value._data.ndim} dimension(s).")
        data = cast(value._data, a.dtype)
        return record(ops.MASKED_FILL_TENSOR, (a, value), (a._data, data),
                      ops.MASKED_FILL_TENSOR.forward(a._data, data, cond), {"mask": cond})
    params = {"mask": cond, "value": value}
    out = ops.MASKED_FILL.forward(np.broadcast_to(a._data, shape), cond, value)
    return record(ops.MASKED_FILL, (a,), (a._data,), out, params)


def _c_type_name(t: Tensor) -> str:
    return {"float32": "float", "float64": "double", "int64": "long int", "int32": "int",
            "bool": "bool", "float16": "c10::Half"}[t.dtype.name]


# --- softmax -----------------------------------------------------------------------------------
def _softmax_dim(a: Tensor, dim: Any, name: str) -> int:
    if dim is None:
        ndim = a.ndim
        dim = 0 if ndim in (0, 1, 3) else 1
        warnings.warn(f"Implicit dimension choice for {name} has been deprecated. Change the "
                      "call to include dim=X as an argument.", UserWarning, stacklevel=3)
    return normalize_dim(dim, a.ndim)


def softmax(a: Tensor, dim: Any = None, dtype: Any = None) -> Tensor:
    if dtype is not None:
        a = to(a, dtype)
    d = _softmax_dim(a, dim, "softmax")
    return _along(ops.SOFTMAX, a, d)


def log_softmax(a: Tensor, dim: Any = None, dtype: Any = None) -> Tensor:
    if dtype is not None:
        a = to(a, dtype)
    d = _softmax_dim(a, dim, "log_softmax")
    return _along(ops.LOG_SOFTMAX, a, d)


def _along(spec: ops.OpSpec, a: Tensor, dim: int) -> Tensor:
    data = a._data if a._data.ndim else np.reshape(a._data, (1,))
    if data.dtype.kind != "f":
        raise NotImplementedError(f'"{spec.name}_lastdim_kernel_impl" not implemented for '
                                  f"'{_legacy_name(a)}'")
    out = spec.forward(data, dim=dim)
    if a._data.ndim == 0:
        out = out.reshape(())
    return record(spec, (a,), (a._data,), out, {"dim": dim})


# --- comparisons (no gradients) ----------------------------------------------------------------
def _compare(np_op: Any, a: Any, b: Any) -> Tensor:
    a, b = as_operand(a), as_operand(b)
    target = result_type(a, b)
    da = cast(a._data, target) if isinstance(a, Tensor) else a
    db = cast(b._data, target) if isinstance(b, Tensor) else b
    try:
        out = np_op(da, db)
    except ValueError:
        raise RuntimeError(messages.broadcast_mismatch(np.shape(da), np.shape(db))) from None
    return new_tensor(out)


def eq(a: Tensor, b: Any) -> Tensor:
    return _compare(np.equal, a, b)


def ne(a: Tensor, b: Any) -> Tensor:
    return _compare(np.not_equal, a, b)


def lt(a: Tensor, b: Any) -> Tensor:
    return _compare(np.less, a, b)


def le(a: Tensor, b: Any) -> Tensor:
    return _compare(np.less_equal, a, b)


def gt(a: Tensor, b: Any) -> Tensor:
    return _compare(np.greater, a, b)


def ge(a: Tensor, b: Any) -> Tensor:
    return _compare(np.greater_equal, a, b)


def isnan(a: Tensor) -> Tensor:
    return new_tensor(np.isnan(a._data) if a._data.dtype.kind == "f"
                      else np.zeros_like(a._data, dtype=bool)[()])


def isinf(a: Tensor) -> Tensor:
    return new_tensor(np.isinf(a._data) if a._data.dtype.kind == "f"
                      else np.zeros_like(a._data, dtype=bool)[()])


def isfinite(a: Tensor) -> Tensor:
    return new_tensor(np.isfinite(a._data) if a._data.dtype.kind == "f"
                      else np.ones_like(a._data, dtype=bool)[()])


def signbit(a: Tensor) -> Tensor:
    """Whether the sign bit is set: true for -0. and negative NaNs too."""
    return new_tensor(np.signbit(a._data) if a._data.dtype.kind != "b"
                      else np.zeros_like(a._data, dtype=bool)[()])


def isclose(a: Tensor, b: Tensor, rtol: float = 1e-05, atol: float = 1e-08,
            equal_nan: bool = False) -> Tensor:
    """|a − b| ≤ atol + rtol·|b|, computed in PyTorch's dtypes (ints compare in float32)."""
    if a._data.dtype != b._data.dtype:
        raise RuntimeError(f"{_legacy_name(a)} did not match {_legacy_name(b)}")
    if rtol < 0:
        raise RuntimeError(f"rtol must be greater than or equal to zero, but got {rtol}")
    if atol < 0:
        raise RuntimeError(f"atol must be greater than or equal to zero, but got {atol}")
    da, db = a._data, b._data
    broadcast_shapes(np.shape(da), np.shape(db))
    close = da == db
    if equal_nan and da.dtype.kind == "f":
        close = close | (np.isnan(da) & np.isnan(db))
    if rtol == 0 and atol == 0:
        return new_tensor(close)
    if da.dtype.kind == "f":
        float_type = da.dtype.type
        allowed = float_type(atol) + np.abs(float_type(rtol) * db)
        actual = np.abs(da - db)
    else:
        float_type = dtypes.DEFAULT_FLOAT.numpy.type
        wide = (lambda v: v.astype(np.float32)) if da.dtype.kind == "b" else (lambda v: v)
        allowed = float_type(atol) + np.abs(float_type(rtol) * np.asarray(db, np.float32))
        actual = np.abs(wide(da) - wide(db)).astype(np.float32)
    return new_tensor(close | (np.isfinite(actual) & (actual <= allowed)))


def allclose(a: Tensor, b: Tensor, rtol: float = 1e-05, atol: float = 1e-08,
             equal_nan: bool = False) -> bool:
    return bool(np.all(isclose(a, b, rtol, atol, equal_nan)._data))


def equal(a: Tensor, b: Tensor) -> bool:
    """Same shape and the same values (after promotion)."""
    if a._data.shape != b._data.shape:
        return False
    return bool(np.array_equal(a._data, b._data))


def is_tensor(obj: Any) -> bool:
    return isinstance(obj, Tensor)


def numel(a: Tensor) -> int:
    return int(a._data.size)


__all_scalars__ = PY_SCALARS

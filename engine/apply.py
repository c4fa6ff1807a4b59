"""Running an op: promote dtypes as PyTorch does, compute the forward, record the node."""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import Any

import numpy as np

from engine import dtypes, grad_mode, hooks, messages
from engine.node import Node, in_place_epoch
from engine.op_table import OpSpec

PY_SCALARS = (bool, int, float)


def new_tensor(data: Any) -> Any:
    """Wrap a numpy value as a Tensor that requires no grad; every tensor is born here."""
    tensor = object.__new__(Tensor)
    tensor._data = data
    if hooks.created:
        for callback in hooks.created:
            callback(tensor)
    return tensor


def record(spec: OpSpec, inputs: tuple, args: tuple, out: Any, params: dict | None = None) -> Any:
    """Wrap the forward's result; link it into the graph if grad is on and an input needs it."""
    result = object.__new__(Tensor)
    result._data = out
    if _grad_state.enabled:
        for t in inputs:
            if t is not None and t._requires_grad:
                result._grad_fn = Node.record(spec, inputs, args, out, params, result)
                result._requires_grad = True
                break
    if hooks.created:  # after linking, so a viewer sees what the tensor was made from
        for callback in hooks.created:
            callback(result)
    return result


_grad_state = grad_mode.state


def scalar_dtype(value: bool | int | float) -> dtypes.dtype:
    """The dtype PyTorch gives a Python number that meets a tensor ("wrapped number")."""
    if isinstance(value, bool):
        return dtypes.bool_
    if isinstance(value, int):
        return dtypes.int64
    return dtypes.DEFAULT_FLOAT


def _combine(higher: dtypes.dtype | None, lower: dtypes.dtype | None) -> dtypes.dtype | None:
    if higher is None:
        return lower
    if lower is None or higher.is_floating_point:
        return higher
    if higher is dtypes.bool_ or lower.is_floating_point:
        return dtypes.promote_types(higher, lower)
    return higher


def result_type(*operands: Any) -> dtypes.dtype:
    """torch.result_type: dimensioned tensors outrank 0-d tensors, which outrank Python numbers,
    except that a higher category (bool < int < float) always wins."""
    dim = zero = wrapped = None
    for op in operands:
        if isinstance(op, Tensor):
            d = dtypes.of_array(op._data)
            if op._data.ndim:
                dim = d if dim is None else dtypes.promote_types(dim, d)
            else:
                zero = d if zero is None else dtypes.promote_types(zero, d)
        elif op is not None:
            d = scalar_dtype(op)
            wrapped = d if wrapped is None else dtypes.promote_types(wrapped, d)
    return _combine(dim, _combine(zero, wrapped)) or dtypes.DEFAULT_FLOAT


def as_operand(value: Any) -> Any:
    """A Tensor or Python number as an op operand; anything else becomes a constant tensor."""
    if isinstance(value, (Tensor, *PY_SCALARS)):
        return value
    from engine.creation import tensor

    return tensor(value)


def cast(data: Any, target: dtypes.dtype) -> Any:
    return data if data.dtype == target.numpy else data.astype(target.numpy)


def binary(spec: OpSpec, a: Any, b: Any, float_result: bool = False) -> Any:
    """An elementwise op of two operands, at least one a Tensor, broadcasting as PyTorch does.

    A Python number becomes a constant of the result dtype: it is not an input of the graph.
    """
    if type(a) is Tensor and type(b) is Tensor and not float_result:
        da, db = a._data, b._data
        if da.dtype is db.dtype or da.dtype == db.dtype:
            try:
                out = spec.forward(da, db)
            except (ValueError, TypeError) as error:
                raise numpy_error(spec, da, db, error) from None
            return record(spec, (a, b), (da, db), out)
    if (type(a) is Tensor and type(b) in _NUMBERS and not float_result
            and a._data.dtype.kind == "f"):  # tensor ⊕ Python number: kept inline, it is common
        da, db = a._data, a._data.dtype.type(b)
        inputs = (a, None)
    else:
        inputs, da, db = operands(a, b, float_result)
    try:
        out = spec.forward(da, db)
    except (ValueError, TypeError) as error:
        raise numpy_error(spec, da, db, error) from None
    return record(spec, inputs, (da, db), out)


_NUMBERS = frozenset({int, float})


def operands(a: Any, b: Any, float_result: bool = False) -> tuple[tuple, Any, Any]:
    """Two operands promoted to their result dtype: (graph inputs, data of a, data of b).

    A Python number becomes a constant of the result dtype and its graph input is None.
    """
    a, b = as_operand(a), as_operand(b)
    a_is_tensor, b_is_tensor = isinstance(a, Tensor), isinstance(b, Tensor)
    if a_is_tensor and b_is_tensor and not float_result and a._data.dtype == b._data.dtype:
        da, db = a._data, b._data
    elif (a_is_tensor and not b_is_tensor and a._data.dtype.kind == "f"
          and type(b) is not bool):
        da, db = a._data, a._data.dtype.type(b)
    else:
        target = result_type(a, b)
        if float_result and not target.is_floating_point:
            target = dtypes.DEFAULT_FLOAT
        da = cast(a._data, target) if a_is_tensor else target.numpy.type(a)
        db = cast(b._data, target) if b_is_tensor else target.numpy.type(b)
    return (a if a_is_tensor else None, b if b_is_tensor else None), da, db


def numpy_error(spec: OpSpec, da: Any, db: Any, error: Exception) -> Exception:
    """What PyTorch says where numpy refused: shapes that don't broadcast, bool arithmetic."""
    if isinstance(error, ValueError):
        return RuntimeError(messages.broadcast_mismatch(np.shape(da), np.shape(db)))
    if spec.name in ("sub", "rsub", "sub_alpha") and np.result_type(da, db) == np.bool_:
        return RuntimeError(messages.BOOL_SUBTRACT)
    return error


def is_operand(value: Any) -> bool:
    """What an arithmetic operator takes; for anything else it returns NotImplemented (a numpy
    array then computes the result itself and hands it back through `Tensor.__array_wrap__`,
    as it does with PyTorch)."""
    return isinstance(value, (Tensor, bool, int, float, np.generic))


def operator_method(spec: OpSpec, fallback: Callable[[Any, Any], Any] | None = None
                    ) -> Callable[[Any, Any], Any]:
    """`Tensor.__add__` and its kin: the common case, two tensors of one dtype, is inlined
    here because a scalar graph runs it once per op; everything else goes to `fallback`
    (by default `binary`)."""
    forward = spec.forward
    make_node = Node.record

    def method(self: Tensor, other: Any) -> Tensor:
        if type(other) is Tensor:
            da, db = self._data, other._data
            if da.dtype is db.dtype:
                try:
                    out = forward(da, db)
                except (ValueError, TypeError):
                    return fallback(self, other) if fallback else binary(spec, self, other)
                result = _new_object(Tensor)
                result._data = out
                if _grad_state.enabled and (self._requires_grad or other._requires_grad):
                    result._grad_fn = make_node(spec, (self, other), (da, db), out, None, result)
                    result._requires_grad = True
                if hooks.created:
                    for callback in hooks.created:
                        callback(result)
                return result
        if type(other) not in _NUMBERS and not is_operand(other):
            return NotImplemented
        return fallback(self, other) if fallback else binary(spec, self, other)

    return method


_new_object = object.__new__


def unary(spec: OpSpec, a: Any, params: dict | None = None, float_result: bool = True) -> Any:
    """An op of one tensor; integer inputs of float functions become float32, as in PyTorch."""
    data = a._data
    if float_result and data.dtype.kind in "biu":
        data = data.astype(dtypes.DEFAULT_FLOAT.numpy)
    out = spec.forward(data, **params) if params else spec.forward(data)
    return record(spec, (a,), (data,), out, params)


def shared(a: Any) -> np.ndarray:
    """`a`'s data as an ndarray that views can share (0-d scalars are promoted in place)."""
    data = a._data
    if not isinstance(data, np.ndarray):
        data = a._data = np.asarray(data)
    return data


def view_op(spec: OpSpec, a: Any, **params: Any) -> Any:
    """A view: the result shares `a`'s memory, as PyTorch's views do. The tensor owning that
    memory keeps a weak list of its views, so a write into it (or into one of them) can
    re-link them all, as PyTorch does."""
    data = shared(a)
    result = record(spec, (a,), (data,), spec.forward(data, **params), params)
    root = a._root if a._root is not None else a
    if np.may_share_memory(result._data, root._data):  # numpy copies some reshapes
        result._root = root
        result._version = root._version  # one version counter for a memory and its views
        views = root._views
        if views is None:
            views = root._views = []
        elif len(views) >= 64 and len(views) & (len(views) - 1) == 0:
            views[:] = [ref for ref in views if ref() is not None]  # x[i] in a loop: keep few
        views.append(weakref.ref(result))
    return result


def bump_version(a: Tensor) -> None:
    """A write into `a`. PyTorch's views share one version counter with the tensor whose
    memory they view, so that tensor and every live view of it move on together."""
    root = a._root if a._root is not None else a
    version = root._version = root._version + 1
    a._version = version
    for ref in root._views or ():
        view = ref()
        if view is not None:
            view._version = version
    in_place_epoch[0] += 1


from engine.tensor import Tensor  # noqa: E402  (tensor.py builds on this module)

"""Making tensors: `tensor`, `zeros`, `arange`, `rand` … with PyTorch's dtype rules."""

from __future__ import annotations

import operator
import warnings
from typing import Any

import numpy as np

from engine import device as devices
from engine import dtypes, messages
from engine.apply import new_tensor
from engine.shapes import size_args
from engine.tensor import Tensor


def _finish(data: Any, requires_grad: bool) -> Tensor:
    t = new_tensor(data)
    if requires_grad:
        t._set_requires_grad(True, messages.INT_REQUIRES_GRAD)
    return t


_SEQUENCES = (list, tuple, range, str, bytes, bytearray, np.ndarray)
_MAX_DIMS = 64


def _sizes(data: Any) -> list[int]:
    """The shape, read down the first elements as PyTorch reads it."""
    sizes: list[int] = []
    item = data
    while isinstance(item, _SEQUENCES):
        sizes.append(len(item))
        if len(sizes) > _MAX_DIMS:
            raise ValueError(f"too many dimensions '{type(item).__name__}'")
        if not sizes[-1]:
            break
        item = item[0]
    return sizes


def _infer(item: Any) -> dtypes.dtype:
    """The dtype of nested data: bool < int64 < float32 as Python values, numpy's own dtypes,
    promoted across all elements."""
    if isinstance(item, (bool, np.bool_)):
        return dtypes.bool_
    if isinstance(item, int):
        return dtypes.int64
    if isinstance(item, float):
        return dtypes.DEFAULT_FLOAT
    if isinstance(item, Tensor):
        return item.dtype
    if isinstance(item, (str, bytes)):
        raise TypeError(f"new(): invalid data type '{type(item).__name__}'")
    if isinstance(item, (np.ndarray, np.generic)):
        return dtypes.of_array(item)
    if isinstance(item, _SEQUENCES):
        inferred = None
        for element in item:
            found = _infer(element)
            inferred = found if inferred is None else dtypes.promote_types(inferred, found)
        return inferred or dtypes.DEFAULT_FLOAT
    raise RuntimeError(f"Could not infer dtype of {type(item).__name__}")


def _nested(item: Any, sizes: list[int], dim: int, dtype: dtypes.dtype) -> Any:
    """The data as nested lists of Python numbers, checked against the shape."""
    if dim == len(sizes):
        return _number(item, dtype)
    if not isinstance(item, (*_SEQUENCES, Tensor)):
        raise TypeError("not a sequence")
    items = list(item)
    if len(items) != sizes[dim]:
        raise ValueError(f"expected sequence of length {sizes[dim]} at dim {dim} "
                         f"(got {len(items)})")
    return [_nested(element, sizes, dim + 1, dtype) for element in items]


def _number(item: Any, dtype: dtypes.dtype) -> Any:
    if isinstance(item, Tensor):
        item = item._scalar_value()
    if dtype.is_floating_point:
        if not isinstance(item, (int, float, np.generic)):
            raise TypeError(f"must be real number, not {type(item).__name__}")
        return float(item)
    if dtype is dtypes.bool_:
        return bool(item)
    if isinstance(item, (float, np.floating)):
        return int(item)  # an explicit integer dtype truncates, as PyTorch's cast does
    return operator.index(item)


class _NoData:
    """The default of `data`, so that a call without it fails with PyTorch's words."""


_NO_DATA: Any = _NoData()
# A Python float as float32: 1 × x, which numpy 2 computes in float32 (x rounded once, the
# product exact, the same overflow warning) at a quarter of np.float32(x)'s cost.
_ONE = np.float32(1)
if type(_ONE * 0.5) is not np.float32:  # numpy 1 promotes to float64
    _ONE = None


def _missing_data(name: str) -> TypeError:
    return TypeError(f'{name}() missing 1 required positional arguments: "data"')


def _extra(name: str, extra: tuple) -> TypeError:
    return TypeError(f"{name}() takes 1 positional argument but {1 + len(extra)} were given")


def tensor(data: Any = _NO_DATA, *extra: Any, dtype: dtypes.dtype | None = None, device: Any = None,
           requires_grad: bool = False, pin_memory: bool = False) -> Tensor:
    """torch.tensor: floats become float32, ints int64, bools bool; numpy keeps its dtype.

    Its Python signature is PyTorch's, so Python's own errors for extra or unknown arguments
    read as PyTorch's; the keyword values are checked only when they are unusual.
    """
    if type(data) is float and dtype is device is None and pin_memory is False and not extra:
        # the common case of a scalar graph, kept quick
        t = new_tensor(_ONE * data if _ONE is not None else np.float32(data))
        if requires_grad is True:
            t._requires_grad = True
            return t
        if requires_grad is False:
            return t
    if data is _NO_DATA or extra:
        raise _extra("tensor", extra) if extra else _missing_data("tensor")
    if dtype is not None and not isinstance(dtype, dtypes.dtype) or type(requires_grad) is not \
            bool or device is not None or type(pin_memory) is not bool:
        dtype = _checked_keywords("tensor", data, dtype, device, requires_grad, pin_memory)
    return _tensor(data, dtype, requires_grad)


def _checked_keywords(name: str, data: Any, dtype: Any, device: Any, requires_grad: Any,
                      pin_memory: Any) -> Any:
    """PyTorch's checks of tensor()'s keywords; the dtype, with float/int/bool as dtypes."""
    from engine import signatures
    from engine.signature_table import CREATION

    keywords = {"dtype": dtype, "device": device}
    if name == "tensor":
        keywords |= {"requires_grad": requires_grad, "pin_memory": pin_memory}
    signatures.check(name, CREATION[name], (data,), keywords)
    devices.check(device)
    return {float: dtypes.float64, int: dtypes.int64, bool: dtypes.bool_}.get(dtype, dtype)


def _tensor(data: Any, dtype: dtypes.dtype | None, requires_grad: bool) -> Tensor:
    if isinstance(data, Tensor):
        warnings.warn(messages.COPY_CONSTRUCT, UserWarning, stacklevel=2)
        values = np.array(data._data, copy=True)
    elif isinstance(data, (np.ndarray, np.generic)):
        dtypes.of_array(data)
        values = np.array(data, copy=True)
    else:
        if isinstance(data, (str, bytes)):
            raise TypeError(f"new(): invalid data type '{type(data).__name__}'")
        sizes = _sizes(data)
        inferred = dtype or _infer(data)
        values = np.array(_nested(data, sizes, 0, inferred), dtype=inferred.numpy)
        values = values.reshape(sizes)
    if dtype is not None:
        values = values.astype(dtype.numpy)
    if values.ndim == 0:
        values = values[()]
    return _finish(values, requires_grad)


def as_tensor(data: Any = _NO_DATA, *extra: Any, dtype: dtypes.dtype | None = None,
              device: Any = None) -> Tensor:
    """torch.as_tensor: a tensor is returned as it is (converted if a dtype asks for it), a numpy
    array is shared, anything else copied as by torch.tensor."""
    if data is _NO_DATA or extra:
        raise _extra("as_tensor", extra) if extra else _missing_data("as_tensor")
    if dtype is not None and not isinstance(dtype, dtypes.dtype) or device is not None:
        dtype = _checked_keywords("as_tensor", data, dtype, device, False, False)
    if isinstance(data, Tensor):
        return data if dtype is None else data.to(dtype)
    if isinstance(data, np.ndarray) and (dtype is None or dtype.numpy == data.dtype):
        dtypes.of_array(data)
        return new_tensor(data[()] if data.ndim == 0 else data)
    return _tensor(data, dtype, False)


def _float_dtype(dtype: dtypes.dtype | None) -> np.dtype:
    return (dtype or dtypes.DEFAULT_FLOAT).numpy


def _filled(shape: tuple[int, ...], value: Any, dtype: np.dtype, requires_grad: bool) -> Tensor:
    data = np.full(shape, value, dtype=dtype)
    return _finish(data[()] if data.ndim == 0 else data, requires_grad)


def zeros(*size: Any, dtype: dtypes.dtype | None = None, device: Any = None,
          requires_grad: bool = False) -> Tensor:
    shape = size_args(size, negative="zeros: Dimension size must be non-negative.")
    return _filled(shape, 0, _float_dtype(dtype), requires_grad)


def ones(*size: Any, dtype: dtypes.dtype | None = None, device: Any = None,
         requires_grad: bool = False) -> Tensor:
    return _filled(size_args(size), 1, _float_dtype(dtype), requires_grad)


def empty(*size: Any, dtype: dtypes.dtype | None = None, device: Any = None,
          requires_grad: bool = False) -> Tensor:
    return _filled(size_args(size), 0, _float_dtype(dtype), requires_grad)


def full(size: Any, fill_value: Any, dtype: dtypes.dtype | None = None, device: Any = None,
         requires_grad: bool = False) -> Tensor:
    if dtype is None:
        from engine.apply import scalar_dtype

        dtype = scalar_dtype(fill_value.item() if isinstance(fill_value, Tensor) else fill_value)
    return _filled(size_args((size,)), fill_value, dtype.numpy, requires_grad)


def _like(t: Tensor, value: Any, dtype: dtypes.dtype | None, requires_grad: bool) -> Tensor:
    return _filled(t._data.shape, value, (dtype.numpy if dtype else t._data.dtype), requires_grad)


def zeros_like(t: Tensor, dtype: dtypes.dtype | None = None, device: Any = None,
               requires_grad: bool = False) -> Tensor:
    return _like(t, 0, dtype, requires_grad)


def ones_like(t: Tensor, dtype: dtypes.dtype | None = None, device: Any = None,
              requires_grad: bool = False) -> Tensor:
    return _like(t, 1, dtype, requires_grad)


def full_like(t: Tensor, fill_value: Any, dtype: dtypes.dtype | None = None,
              device: Any = None, requires_grad: bool = False) -> Tensor:
    return _like(t, fill_value, dtype, requires_grad)


def arange(start: Any, end: Any = None, step: Any = 1, dtype: dtypes.dtype | None = None,
           device: Any = None, requires_grad: bool = False) -> Tensor:
    """Values are computed in double and then cast, as PyTorch's CPU kernel does."""
    if end is None:
        start, end = 0, start
    bounds = [float(v) if isinstance(v, Tensor) else v for v in (start, end, step)]
    if step == 0:
        raise RuntimeError("step must be nonzero")
    if dtype is None:
        is_int = all(isinstance(v, int) for v in bounds)
        dtype = dtypes.int64 if is_int else dtypes.DEFAULT_FLOAT
    start_f, end_f, step_f = (float(v) for v in bounds)
    if (step_f > 0 and start_f > end_f) or (step_f < 0 and start_f < end_f):
        raise RuntimeError("upper bound and lower bound inconsistent with step sign")
    count = int(np.ceil((end_f - start_f) / step_f))
    values = start_f + np.arange(count, dtype=np.float64) * step_f
    if dtype.is_floating_point:
        data = values.astype(dtype.numpy)
    else:
        data = (start + np.arange(count, dtype=np.int64) * int(step)).astype(dtype.numpy) \
            if all(isinstance(v, int) for v in bounds) else values.astype(dtype.numpy)
    return _finish(data, requires_grad)


def linspace(start: float, end: float, steps: int, dtype: dtypes.dtype | None = None,
             device: Any = None, requires_grad: bool = False) -> Tensor:
    """Each half computed from its own end with one fused multiply-add, as PyTorch's CPU
    kernel does: the step is rounded to the dtype, the products and sums are not."""
    if isinstance(start, Tensor) or isinstance(end, Tensor):
        parts = [f"{name} with {value.ndim} dimension(s)" for name, value in
                 (("start", start), ("end", end)) if isinstance(value, Tensor)]
        if any(isinstance(v, Tensor) and v.ndim for v in (start, end)):
            raise RuntimeError("linspace only supports 0-dimensional start and end tensors, but "
                               f"got {' and '.join(parts)}.")
        start, end = (v.item() if isinstance(v, Tensor) else v for v in (start, end))
    if steps < 0:
        raise RuntimeError("number of steps must be non-negative")
    np_dtype = _float_dtype(dtype)
    step_type = np_dtype.type if np_dtype.kind == "f" else np.float64
    if steps == 1:
        data = np.array([start], dtype=np_dtype)
    else:
        first, last = float(step_type(start)), float(step_type(end))
        step = float((step_type(end) - step_type(start)) / step_type(max(steps - 1, 1)))
        idx = np.arange(steps, dtype=np.float64)
        low = first + step * idx
        high = last - step * (steps - idx - 1)
        data = np.where(idx < steps // 2, low, high).astype(np_dtype)
    return _finish(data, requires_grad)


def eye(n: int, m: int | None = None, dtype: dtypes.dtype | None = None, device: Any = None,
        requires_grad: bool = False) -> Tensor:
    for name, size in (("n", n), ("m", m)):
        if size is not None and size < 0:
            raise RuntimeError(f"{name} must be greater or equal to 0, got {size}")
    return _finish(np.eye(n, m if m is not None else n, dtype=_float_dtype(dtype)),
                   requires_grad)


def _random_dtype(dtype: dtypes.dtype | None, kernel: str) -> np.dtype:
    """Uniform and normal numbers exist in floating-point dtypes only."""
    np_dtype = _float_dtype(dtype)
    if np_dtype.kind != "f":
        from engine.functions import LEGACY_NAMES

        raise NotImplementedError(f'"{kernel}" not implemented for '
                                  f"'{LEGACY_NAMES[dtype.name]}'")
    return np_dtype


def manual_seed(seed: int) -> Any:
    from engine import random

    return random.manual_seed(int(seed))


def rand(*size: Any, dtype: dtypes.dtype | None = None, device: Any = None,
         requires_grad: bool = False, generator: Any = None) -> Tensor:
    from engine import random

    data = random.uniform(size_args(size), _random_dtype(dtype, "check_uniform_bounds"),
                          generator)
    return _finish(data[()] if data.ndim == 0 else data, requires_grad)


def randn(*size: Any, dtype: dtypes.dtype | None = None, device: Any = None,
          requires_grad: bool = False, generator: Any = None) -> Tensor:
    from engine import random

    data = random.normal(size_args(size), _random_dtype(dtype, "normal_kernel_cpu"), generator)
    return _finish(data[()] if data.ndim == 0 else data, requires_grad)


def normal(mean: float, std: float, size: Any, *, dtype: dtypes.dtype | None = None,
           device: Any = None, requires_grad: bool = False, generator: Any = None) -> Tensor:
    """torch.normal(mean, std, size) for numbers: normals drawn as `Tensor.normal_` draws them."""
    from engine import random

    if std < 0:
        raise RuntimeError(f"normal expects std >= 0.0, but found std {std:g}")
    shape = size_args(size if isinstance(size, tuple) else (size,))
    data = random.normal_between(shape, _random_dtype(dtype, "normal_kernel_cpu"), mean, std,
                                 generator)
    return _finish(data[()] if data.ndim == 0 else data, requires_grad)


def randint(low: int, high: Any = None, size: Any = None, *, generator: Any = None,
            dtype: dtypes.dtype | None = None, device: Any = None,
            requires_grad: bool = False) -> Tensor:
    """randint(high, size) or randint(low, high, size), as PyTorch's overloads."""
    from engine import random

    if size is None:
        low, high, size = 0, low, high
    data = random.integers(int(low), int(high), size_args((size,)), generator)
    if dtype is not None:
        data = data.astype(dtype.numpy)
    return _finish(data, requires_grad)


def randperm(n: int, *, generator: Any = None, dtype: dtypes.dtype | None = None,
             device: Any = None, requires_grad: bool = False) -> Tensor:
    from engine import random

    data = random.permutation(int(n), generator)
    return _finish(data if dtype is None else data.astype(dtype.numpy), requires_grad)


def rand_like(t: Tensor, dtype: dtypes.dtype | None = None, requires_grad: bool = False,
              generator: Any = None) -> Tensor:
    return rand(*t.shape, dtype=dtype or t.dtype, requires_grad=requires_grad,
                generator=generator)


def randn_like(t: Tensor, dtype: dtypes.dtype | None = None, requires_grad: bool = False,
               generator: Any = None) -> Tensor:
    return randn(*t.shape, dtype=dtype or t.dtype, requires_grad=requires_grad,
                 generator=generator)

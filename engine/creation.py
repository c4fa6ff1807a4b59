"""Making tensors: `tensor`, `zeros`, `arange`, `rand` … with PyTorch's dtype rules."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from engine import dtypes, messages
from engine.apply import new_tensor
from engine.shapes import size_args
from engine.tensor import Tensor


def _finish(data: Any, requires_grad: bool) -> Tensor:
    t = new_tensor(data)
    if requires_grad:
        t.requires_grad_(True)
    return t


def _scan(data: Any, shape: list[int], depth: int, kinds: set[str]) -> None:
    """Check a nested list is rectangular and note which Python kinds it holds."""
    if isinstance(data, (list, tuple)):
        if depth == len(shape):
            shape.append(len(data))
        elif shape[depth] != len(data):
            raise ValueError(f"expected sequence of length {shape[depth]} at dim {depth} "
                             f"(got {len(data)})")
        for item in data:
            _scan(item, shape, depth + 1, kinds)
        return
    if depth != len(shape):
        raise ValueError(f"expected sequence of length {shape[depth]} at dim {depth} "
                         f"(got {type(data).__name__})" if depth < len(shape) else
                         "setting an array element with a sequence.")
    if isinstance(data, Tensor):
        kinds.add(data._data.dtype.kind)
    elif isinstance(data, (bool, np.bool_)):
        kinds.add("b")
    elif isinstance(data, (int, np.integer)):
        kinds.add("i")
    elif isinstance(data, (float, np.floating)):
        kinds.add("f")
    else:
        raise TypeError(f"new(): invalid data type '{type(data).__name__}'")


def _plain(data: Any) -> Any:
    if isinstance(data, (list, tuple)):
        return [_plain(item) for item in data]
    if isinstance(data, Tensor):
        return data.item()
    return data


def tensor(data: Any, dtype: dtypes.dtype | None = None, device: Any = None,
           requires_grad: bool = False) -> Tensor:
    """torch.tensor: floats become float32, ints int64, bools bool; numpy keeps its dtype."""
    if type(data) is float and dtype is None:
        t = new_tensor(np.float32(data))
        if requires_grad:
            t._requires_grad = True
        return t
    if isinstance(data, Tensor):
        warnings.warn(messages.COPY_CONSTRUCT, UserWarning, stacklevel=2)
        values = np.array(data._data, copy=True)
    elif isinstance(data, (np.ndarray, np.generic)):
        dtypes.of_array(data)
        values = np.array(data, copy=True)
    else:
        kinds: set[str] = set()
        _scan(data, [], 0, kinds)
        if "f" in kinds or (not kinds and isinstance(data, (list, tuple))):
            inferred = dtypes.DEFAULT_FLOAT
        elif "i" in kinds or "u" in kinds:
            inferred = dtypes.int64
        else:
            inferred = dtypes.bool_
        values = np.array(_plain(data), dtype=inferred.numpy)
    if dtype is not None:
        values = values.astype(dtype.numpy)
    if values.ndim == 0:
        values = values[()]
    return _finish(values, requires_grad)


as_tensor = tensor


def _float_dtype(dtype: dtypes.dtype | None) -> np.dtype:
    return (dtype or dtypes.DEFAULT_FLOAT).numpy


def _filled(shape: tuple[int, ...], value: Any, dtype: np.dtype, requires_grad: bool) -> Tensor:
    data = np.full(shape, value, dtype=dtype)
    return _finish(data[()] if data.ndim == 0 else data, requires_grad)


def zeros(*size: Any, dtype: dtypes.dtype | None = None, device: Any = None,
          requires_grad: bool = False) -> Tensor:
    return _filled(size_args(size), 0, _float_dtype(dtype), requires_grad)


def ones(*size: Any, dtype: dtypes.dtype | None = None, device: Any = None,
         requires_grad: bool = False) -> Tensor:
    return _filled(size_args(size), 1, _float_dtype(dtype), requires_grad)


def empty(*size: Any, dtype: dtypes.dtype | None = None, device: Any = None,
          requires_grad: bool = False) -> Tensor:
    return zeros(*size, dtype=dtype, requires_grad=requires_grad)


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
        raise RuntimeError("upper bound and larger bound inconsistent with step sign")
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
    return _finish(np.eye(n, m if m is not None else n, dtype=_float_dtype(dtype)),
                   requires_grad)


def manual_seed(seed: int) -> Any:
    from engine import random

    random.manual_seed(int(seed))


def rand(*size: Any, dtype: dtypes.dtype | None = None, device: Any = None,
         requires_grad: bool = False, generator: Any = None) -> Tensor:
    from engine import random

    data = random.uniform(size_args(size), _float_dtype(dtype))
    return _finish(data[()] if data.ndim == 0 else data, requires_grad)


def randn(*size: Any, dtype: dtypes.dtype | None = None, device: Any = None,
          requires_grad: bool = False, generator: Any = None) -> Tensor:
    from engine import random

    data = random.normal(size_args(size), _float_dtype(dtype))
    return _finish(data[()] if data.ndim == 0 else data, requires_grad)


def randint(low: int, high: int | None = None, size: Any = None,
            dtype: dtypes.dtype | None = None, device: Any = None,
            requires_grad: bool = False) -> Tensor:
    from engine import random

    if high is None:
        low, high = 0, low
    data = random.integers(int(low), int(high), size_args((size,)))
    if dtype is not None:
        data = data.astype(dtype.numpy)
    return _finish(data, requires_grad)


def rand_like(t: Tensor, dtype: dtypes.dtype | None = None, requires_grad: bool = False
              ) -> Tensor:
    return rand(*t.shape, dtype=dtype or t.dtype, requires_grad=requires_grad)


def randn_like(t: Tensor, dtype: dtypes.dtype | None = None, requires_grad: bool = False
               ) -> Tensor:
    return randn(*t.shape, dtype=dtype or t.dtype, requires_grad=requires_grad)

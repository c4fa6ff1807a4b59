"""`x[key]` and `x[key] = value` with PyTorch's rules (`python_variable_indexing.cpp`).

Integers, slices, `None` and `...` become views (SelectBackward0, SliceBackward0 …); tensors,
lists and Python bools are advanced indices, applied in one IndexBackward0 after the views.
Each kind of key that PyTorch refuses is refused with its message.
"""

from __future__ import annotations

import operator
import warnings
from typing import Any

import numpy as np

from engine import dtypes, grad_mode, messages
from engine import op_table as ops
from engine.apply import bump_version, record, view_op
from engine.node import SAVED_INDICES, saved_indices
from engine.tensor import Tensor, multi_output_error, of_multi_output_view

_SEQUENCE_AS_TUPLE = (
    "Using a non-tuple sequence for multidimensional indexing is deprecated and will be changed "
    "in pytorch 2.9; use x[tuple(seq)] instead of x[seq]. In pytorch 2.9 this will be "
    "interpreted as tensor index, x[torch.tensor(seq)], which will result either in an error or "
    "a different result (Triggered internally at "
    "/__w/pytorch/pytorch/torch/csrc/autograd/python_variable_indexing.cpp:{line}.)"
)
_SEQUENCES = (list, tuple, range, str, bytes, np.ndarray)


class _Advanced:
    """An advanced index (an integer or bool array) waiting for the views to be applied."""

    __slots__ = ("values",)

    def __init__(self, values: np.ndarray) -> None:
        self.values = values


def getitem(a: Tensor, key: Any) -> Tensor:
    if key is None:
        return view_op(ops.UNSQUEEZE, a, dim=0)
    if key is Ellipsis:
        return view_op(ops.ALIAS, a)
    if _is_integer(key):
        return _select(a, 0, operator.index(key))
    if type(key) is slice:
        return view_op(ops.SLICE, a, key=(_checked_top_slice(a, key),))
    if type(key) is tuple and len(key) <= a._data.ndim and all(
            type(item) is int or type(item) is slice for item in key):
        return _basic(a, key)
    if isinstance(key, Tensor) or (type(key) is list and key and all(
            type(item) is int for item in key)):
        if 0 < _counted(key) <= a._data.ndim:  # one index tensor: no views to apply
            item = _converted(key)
            if isinstance(item, _Advanced):
                return _index(a, [(0, item.values)], key)
    result, advanced = _apply_views(a, _items(key))
    if advanced is None:
        return result if result is not a else view_op(ops.ALIAS, a)
    return _index(result, advanced, key)


def _index(a: Tensor, advanced: list, key: Any) -> Tensor:
    """IndexBackward0; numpy finds the bad indices, then PyTorch's checks name them. The
    backward reads the key's index tensors, so they are saved with their versions."""
    try:
        np_key = (advanced[0][1],) if len(advanced) == 1 and advanced[0][0] == 0 else (
            _numpy_key(a, advanced))
        values = a._data[np_key]
    except (IndexError, ValueError):
        _check_advanced(a, advanced)
        raise
    params = {"key": np_key}
    saved = saved_indices(*(key if type(key) is tuple else (key,)))
    if saved:
        params[SAVED_INDICES] = saved
    return record(ops.INDEX, (a,), (a._data,), values, params)


def _basic(a: Tensor, key: tuple) -> Tensor:
    """`_apply_views` for the common key of integers and slices only."""
    result, dim = a, 0
    for real_dim, item in enumerate(key):
        if type(item) is int:
            result = _select(result, dim, item, real_dim)
        else:
            if not _whole(_checked_slice(item), result._data.shape[dim]):
                result = view_op(ops.SLICE, result, key=(slice(None),) * dim + (item,))
            dim += 1
    return result if result is not a else view_op(ops.ALIAS, a)


def setitem(a: Tensor, key: Any, value: Any) -> None:
    """`a[key] = value`: an in-place write (allowed where PyTorch needs no graph for it)."""
    if grad_mode.state.enabled and a._requires_grad and key is not False and \
            of_multi_output_view(a):
        raise multi_output_error(a._grad_fn, _last_view_made(a, key))
    if grad_mode.state.enabled and (a._requires_grad and a._grad_fn is None or (
            a._root is not None and a._root._requires_grad and a._root._grad_fn is None)):
        raise RuntimeError(messages.VIEW_OF_LEAF_IN_PLACE)
    if not isinstance(value, (Tensor, bool, int, float, np.number, np.bool_)):
        raise TypeError(f"can't assign a {messages.type_name(value)} to a "
                        f"{dtypes.LEGACY_TYPES[a.dtype.name]}")
    graph = grad_mode.state.enabled and (a._requires_grad or (
        isinstance(value, Tensor) and value._requires_grad))
    if graph and not _recordable(a):
        raise RuntimeError("gradviz does not yet record this in-place write into a tensor "
                           "that is part of a graph (a 0-d tensor, or a view it cannot trace "
                           "to its memory); build a new tensor instead (for example with "
                           "torch.cat or torch.where)")
    if key is True:
        key = None  # PyTorch copies into x.unsqueeze(0)
    elif key is False:
        return  # PyTorch writes nothing, without any check
    elif type(key) is slice:
        _checked_top_slice(a, key)
    elif _is_integer(key):
        _check_select(a._data.shape, 0, operator.index(key))
    data = _writable(a)
    # The key is applied, as in getitem, to a tensor of a's flat positions: what it selects is
    # where the value goes.
    places = _wrap(np.arange(data.size).reshape(data.shape))
    region, advanced = _apply_views(places, _items(key) if key is not Ellipsis else (key,))
    if advanced is None:
        selected = region._data
        if isinstance(value, Tensor) and value._data.shape != selected.shape:
            from engine.functions import expand

            expand(value, *selected.shape)  # copy_'s messages when the value doesn't fit
    else:
        _check_advanced(region, advanced, bounds=False)
        region_key = _numpy_key(region, advanced)
        _check_put(value, data.dtype, _result_shape(region._data.shape, region_key))
        _check_advanced(region, advanced)
        selected = region._data[region_key]
    values = value._data if isinstance(value, Tensor) else value
    if graph:
        _record_write(a, value, selected, advanced is None)
        return
    if data.ndim:
        data[np.unravel_index(selected, data.shape)] = values
    elif selected.size:  # a 0-d tensor's one value, under None or True
        data[()] = np.reshape(values, -1)[-1]
    bump_version(a)


def _recordable(a: Tensor) -> bool:
    """Whether a write into `a` can be recorded: into a tensor that is no view (its array may
    still be a numpy view of a kernel's buffer, which no other tensor shares), or into a view
    of one laid out in C order (the write then lands in that tensor)."""
    data = a._data
    if not isinstance(data, np.ndarray) or not data.ndim and a._root is None:
        return False
    if a._root is None:
        return True
    root = a._root._data
    return isinstance(root, np.ndarray) and root.flags.c_contiguous


def _flat_places(root: np.ndarray, view: np.ndarray) -> np.ndarray:
    """Where each element of `view` (in C order) lies in C-contiguous `root`, as flat
    positions, read off their memory addresses."""
    start = view.__array_interface__["data"][0] - root.__array_interface__["data"][0]
    places = np.full(view.shape, start, dtype=np.int64)
    for axis, stride in enumerate(view.strides):
        shape = [1] * view.ndim
        shape[axis] = view.shape[axis]
        places = places + (np.arange(view.shape[axis], dtype=np.int64) * stride).reshape(shape)
    return places // root.itemsize


def _record_write(a: Tensor, value: Any, places: np.ndarray, basic: bool) -> None:
    """`a[key] = value` where a gradient flows: a node (CopySlices for a basic key or a write
    through a view, IndexPutBackward0 for an advanced key) takes the written tensor's place in
    the graph, and every view of it is re-linked to that new version, as in PyTorch."""
    from engine.functions import inplace

    places = np.asarray(places, dtype=np.int64)
    if a._root is not None:  # a view: the write lands in the tensor it views
        root = a._root
        places = _flat_places(root._data, a._data).reshape(-1)[places]
        a, spec = root, ops.COPY_SLICES
    else:
        spec = ops.COPY_SLICES if basic else ops.INDEX_PUT
    data = a._data
    if isinstance(value, Tensor):
        source, written = value, value._data.astype(data.dtype, copy=False)
    else:
        source, written = None, data.dtype.type(value)
    params = {"places": places}
    result = record(spec, (a, source), (data, written),
                    spec.forward(data, written, places), params)
    inplace(a, result)  # which re-links the views of `a`


def write_through(view: Tensor, result: Tensor) -> Tensor:
    """An in-place op on a view (`y[0:2].mul_(3)`): its result is written into the tensor
    the view shares memory with, as a CopySlices there."""
    if not _recordable(view):
        raise RuntimeError(messages.VIEW_IN_PLACE_UNSUPPORTED)
    if result._data.shape != view._data.shape:
        raise RuntimeError(f"output with shape [{', '.join(map(str, view._data.shape))}] "
                           "doesn't match the broadcast shape "
                           f"[{', '.join(map(str, result._data.shape))}]")
    from engine.functions import _keep_original

    if result._grad_fn is not None:
        _keep_original(result._grad_fn, view)  # the op's own write: it keeps what it read
    _record_write(view, result, np.arange(view._data.size), True)
    return view


def _relink_views(root: Tensor) -> None:
    """After a write into `root`, each of its live views reads the new version: its grad_fn
    becomes AsStridedBackward0 of it (its version moved on with the write)."""
    live = []
    relink = grad_mode.state.enabled and root._requires_grad
    for ref in root._views or ():
        view = ref()
        if view is None:
            continue
        live.append(ref)
        if not relink:  # nothing records a graph here: the view only reads the new values
            continue
        data = view._data
        stand_in = record(ops.AS_STRIDED, (root,), (root._data,), data,
                          {"places": _flat_places(root._data, data), "shape": data.shape,
                           "after": root._grad_fn})  # the write (a viewer shows the before)
        node = stand_in._grad_fn
        if node is not None:
            node.made = stand_in
            node.output = view
            view._grad_fn = node
            view._requires_grad = True
    root._views = live


def _check_put(value: Any, dtype: np.dtype, target_shape: tuple[int, ...]) -> None:
    """index_put_'s checks: a tensor value must fit the result and have the destination's
    dtype."""
    if not isinstance(value, Tensor):
        return
    try:
        np.broadcast_to(value._data, target_shape)
    except ValueError:
        raise RuntimeError(
            f"shape mismatch: value tensor of shape {_listed(value._data.shape)} cannot be "
            f"broadcast to indexing result of shape {_listed(target_shape)}") from None
    if value._data.dtype != dtype:
        raise RuntimeError(
            f"Index put requires the source and destination dtypes match, got "
            f"{_LEGACY[dtypes.of_array(np.empty(0, dtype)).name]} for the destination and "
            f"{_LEGACY[value.dtype.name]} for the source.")


def _result_shape(shape: tuple[int, ...], key: tuple) -> tuple[int, ...]:
    """The shape `key` selects from `shape`, before the integer indices are bounds-checked."""
    sizes = list(shape)
    clipped, dim = [], 0
    for item in key:
        if isinstance(item, np.ndarray) and item.dtype.kind in "iu":
            sizes[dim] = max(sizes[dim], 1)
            item = np.zeros_like(item)
        clipped.append(item)
        dim += item.ndim if isinstance(item, np.ndarray) and item.dtype.kind == "b" else 1
    return np.broadcast_to(np.zeros((), np.int8), sizes)[tuple(clipped)].shape


_LEGACY = {"float32": "Float", "float64": "Double", "int64": "Long", "int32": "Int",
           "bool": "Bool", "float16": "Half"}


def _writable(t: Tensor) -> np.ndarray:
    from engine.functions import _writable as writable

    return writable(t)


# --- keys --------------------------------------------------------------------------------------
def _last_view_made(a: Tensor, key: Any) -> str | None:
    """The view op PyTorch's indexing makes last on the way to the written region (`p[0]`: a
    Select, `p[1:]`: a Slice), or None when it writes into `a` itself (`p[:]`, `p[mask]`)."""
    items = (None,) if key is True else (key,) if key is Ellipsis else _items(key)
    shape = a._data.shape
    consumed = sum(1 for item in items if item is not None and item is not Ellipsis)
    dim, op = 0, None
    for item in items:
        if item is None or item is True:
            op = "Unsqueeze"
        elif item is Ellipsis:
            dim += len(shape) - consumed
        elif _is_integer(item):
            op, dim = "Select", dim + 1
        elif type(item) is slice:
            if dim < len(shape) and not _whole(_checked_slice(item), shape[dim]):
                op = "Slice"
            dim += 1
        else:
            dim += 1
    return op


def _is_integer(item: Any) -> bool:
    """THPUtils_checkLong: Python and numpy integers, not bools."""
    return (isinstance(item, (int, np.integer)) and not isinstance(item, (bool, np.bool_))) or (
        isinstance(item, np.ndarray) and item.ndim == 0 and item.dtype.kind in "iu")


def _items(key: Any) -> tuple:
    """The key as a tuple of items; a short list holding sequences, slices, None or `...` is
    read as a tuple, with PyTorch's deprecation warning (numpy's old heuristic)."""
    if isinstance(key, tuple):
        return key
    if not isinstance(key, _SEQUENCES) or isinstance(key, np.ndarray) or len(key) >= 32:
        return (key,)
    for item in key:
        if isinstance(item, (Tensor, slice, *_SEQUENCES)):
            line = 349
        elif item is None or item is Ellipsis:
            line = 359
        else:
            continue
        warnings.warn(_SEQUENCE_AS_TUPLE.format(line=line), UserWarning, stacklevel=4)
        return tuple(key)
    return (key,)


def _checked_slice(item: slice) -> slice:
    if item.step is not None:
        step = operator.index(item.step)
        if step == 0:
            raise ValueError("slice step cannot be zero")
        if step < 0:
            raise ValueError("step must be greater than zero")
    return item


def _checked_top_slice(a: Tensor, key: slice) -> slice:
    key = _checked_slice(key)
    if a._data.ndim == 0:
        raise IndexError("slice() cannot be applied to a 0-dim tensor.")
    return key


def _counted(item: Any) -> int:
    """count_specified_dimensions: the dimensions an item consumes, before any conversion."""
    if isinstance(item, Tensor):
        return item._data.ndim if item._data.dtype in (np.bool_, np.uint8) else 1
    return 0 if item is None or item is Ellipsis or isinstance(item, bool) else 1


def _converted(item: Any) -> Any:
    """One item as PyTorch reads it: int, slice, None, `...`, True/False, or an advanced
    index array (from a tensor, a sequence or a numpy array)."""
    if _is_integer(item):
        return operator.index(item)
    if type(item) is slice:
        return _checked_slice(item)
    if item is None or item is Ellipsis or isinstance(item, bool):
        return item
    if isinstance(item, Tensor):
        values = item._data
        if values.dtype.kind not in "biu":
            raise IndexError("tensors used as indices must be long, int, byte or bool tensors")
        if values.ndim == 0:  # a 0-d index selects; a 0-d mask acts as True/False
            return bool(values) if values.dtype in (np.bool_, np.uint8) else int(values)
        return _Advanced(np.asarray(values))
    if type(item) is list and item and all(type(v) is int for v in item):
        return _Advanced(np.array(item, np.int64))
    if isinstance(item, _SEQUENCES):  # indexing_tensor_from_data: bool stays, else long
        from engine.creation import tensor

        values = np.asarray(tensor(item)._data) if len(item) else np.zeros(0, np.int64)
        return _Advanced(values if values.dtype == np.bool_ else values.astype(np.int64))
    try:
        return operator.index(item)
    except TypeError:
        raise IndexError("only integers, slices (`:`), ellipsis (`...`), None and long or byte "
                         f"Variables are valid indices (got {messages.type_name(item)})"
                         ) from None


def _wrap(values: np.ndarray) -> Tensor:
    from engine.apply import new_tensor

    return new_tensor(values)


def _specified(item: Any) -> int:
    """How many of the tensor's dimensions an item consumes."""
    if isinstance(item, _Advanced):
        return item.values.ndim if item.values.dtype.kind == "b" else 1
    return 1 if isinstance(item, (int, slice)) and not isinstance(item, bool) else 0


def _checked(a: Tensor, items: tuple) -> tuple[list, int]:
    """The items converted, after PyTorch's check of their number; and that number."""
    ndim = a._data.ndim
    specified = sum(_counted(item) for item in items)
    if specified > ndim:
        raise IndexError(f"too many indices for tensor of dimension {ndim}")
    converted = [_converted(item) for item in items]
    if sum(_specified(item) for item in converted) > ndim:  # a nested bool list
        raise IndexError(f"too many indices for tensor of dimension {ndim}")
    return converted, specified


def _apply_views(a: Tensor, items: tuple) -> tuple[Tensor, list | None]:
    """Apply the basic items as views, left to right; return the advanced ones by dimension.

    `dim` is the place in the result; `real_dim`, which PyTorch's messages name, counts every
    item (an ellipsis, like each of several, as the dimensions it stands for).
    """
    items, specified = _checked(a, items)
    ndim = a._data.ndim
    result, dim, real_dim = a, 0, 0
    advanced: list | None = None
    for item in items:
        if item is Ellipsis:
            dim += ndim - specified
            real_dim += ndim - specified
            continue
        if dim > result._data.ndim or (dim == result._data.ndim and item is not None
                                       and not isinstance(item, bool)):
            raise IndexError(f"too many indices for tensor of dimension {ndim}")
        if item is None:
            result = view_op(ops.UNSQUEEZE, result, dim=dim)
            dim += 1
        elif isinstance(item, bool):  # x[True]: a new dim of size 1, kept or emptied
            result = view_op(ops.UNSQUEEZE, result, dim=dim)
            advanced = (advanced or []) + [(dim, np.array([item]))]
            dim += 1
        elif isinstance(item, int):
            result = _select(result, dim, item, real_dim)
        elif isinstance(item, slice):
            if not _whole(item, result._data.shape[dim]):  # PyTorch skips a slice of it all
                result = view_op(ops.SLICE, result, key=(slice(None),) * dim + (item,))
            dim += 1
        else:
            advanced = (advanced or []) + [(dim, item.values)]
            dim += item.values.ndim if item.values.dtype.kind == "b" else 1
        real_dim += 1
    return result, advanced


def _whole(item: slice, length: int) -> bool:
    """Whether a slice inside a tuple key is `:` in effect: starts at 0 as written, steps by
    1 and stops at the end or beyond."""
    return ((item.start is None or operator.index(item.start) == 0)
            and (item.step is None or operator.index(item.step) == 1)
            and (item.stop is None or operator.index(item.stop) >= length))


def _select(a: Tensor, dim: int, index: int, real_dim: int | None = None) -> Tensor:
    _check_select(a._data.shape, dim, index, dim if real_dim is None else real_dim)
    return view_op(ops.SELECT, a, key=(slice(None),) * dim + (index,))


def _check_select(shape: tuple[int, ...], dim: int, index: int, real_dim: int = 0) -> None:
    if not shape:
        if index == 0:
            raise IndexError("invalid index of a 0-dim tensor. Use `tensor.item()` in Python or "
                             "`tensor.item<T>()` in C++ to convert a 0-dim tensor to a number")
        raise IndexError(f"index {index} is out of bounds for dimension 0 with size 0")
    size = shape[dim]
    if not -size <= index < size:
        raise IndexError(f"index {index} is out of bounds for dimension {real_dim} with size "
                         f"{size}")


def _numpy_key(result: Tensor, advanced: list) -> tuple:
    """The numpy key of the advanced indices (a mask covers as many dimensions as it has)."""
    key: list[Any] = [slice(None)] * result._data.ndim
    for dim, values in advanced:
        key[dim] = values
        if values.dtype.kind == "b":
            for extra in range(1, values.ndim):
                key[dim + extra] = None
    return tuple(k for k in key if k is not None)


def _check_advanced(result: Tensor, advanced: list, bounds: bool = True) -> None:
    """PyTorch's checks of the advanced indices: each mask's shape, then whether the indices
    broadcast, then (the kernel's check, element by element) their bounds; a mask counts as
    one index per dimension it covers."""
    shape = result._data.shape
    broadcast: list[tuple[int, ...]] = []
    integers: list[tuple[int, int, np.ndarray]] = []  # (ordinal, dim, values)
    for dim, values in advanced:
        if values.dtype.kind == "b":
            covered = shape[dim:dim + values.ndim]
            for offset, (got, want) in enumerate(zip(values.shape, covered, strict=False)):
                if got != want:
                    raise IndexError(f"The shape of the mask {_listed(values.shape)} at index "
                                     f"{offset} does not match the shape of the indexed tensor "
                                     f"{_listed(shape)} at index {dim + offset}")
            broadcast.extend([(int(values.sum()),)] * values.ndim)  # one per dim (nonzero)
        else:
            integers.append((len(broadcast), dim, values))
            broadcast.append(values.shape)
    try:
        common = np.broadcast_shapes(*broadcast)
    except ValueError:
        raise IndexError("shape mismatch: indexing tensors could not be broadcast together with "
                         f"shapes {', '.join(_listed(s) for s in broadcast)}") from None
    if bounds and any(values.size and (values.min() < -shape[dim] or values.max() >= shape[dim])
                      for _, dim, values in integers):
        _check_bounds(shape, integers, common)


def _check_bounds(shape: tuple[int, ...], integers: list, common: tuple[int, ...]) -> None:
    outside = [np.broadcast_to((values < -shape[dim]) | (values >= shape[dim]), common)
               for _, dim, values in integers]
    flags = np.stack([flags.reshape(-1) for flags in outside], axis=-1)
    element, which = divmod(int(np.flatnonzero(flags)[0]), len(integers))
    ordinal, dim, values = integers[which]
    index = int(np.broadcast_to(values, common).reshape(-1)[element])
    raise IndexError(f"index {index} is out of bounds for dimension {ordinal} with size "
                     f"{shape[dim]}")


def _listed(shape: tuple[int, ...]) -> str:
    return "[" + ", ".join(map(str, shape)) + "]"

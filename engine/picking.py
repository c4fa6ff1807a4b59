"""Ops that pick, move or repeat a tensor's elements (`narrow`, `index_select`, `roll`,
`tile`, `movedim` …), as PyTorch's names for what the shape ops in `functions` already do where
they can, and the few that need a node of their own."""

from __future__ import annotations

import operator
from typing import Any

import numpy as np

from engine import op_table as ops
from engine.apply import new_tensor as wrap
from engine.apply import record, unary, view_op
from engine.functions import _shape_args, expand, permute, repeat, transpose, view
from engine.indexing import _select
from engine.node import SAVED_INDICES, saved_indices
from engine.shapes import infer_shape, normalize_dim
from engine.tensor import Tensor


def narrow(a: Tensor, dim: int, start: Any, length: int) -> Tensor:
    """`length` elements along `dim` from `start`: a view (SliceBackward0)."""
    if isinstance(start, Tensor):
        if start._data.ndim or start._data.dtype.kind not in "iu":
            raise RuntimeError("start must be an 0-dim integral Tensor.")
        start = int(start._data)
    if a._data.ndim == 0:
        raise RuntimeError("narrow() cannot be applied to a 0-dim tensor.")
    if length < 0:
        raise RuntimeError("narrow(): length must be non-negative.")
    d = normalize_dim(dim, a._data.ndim)
    size = a._data.shape[d]
    if not -size <= start <= size:
        raise IndexError(f"start out of range (expected to be in range of [{-size}, {size}], "
                         f"but got {start})")
    if start < 0:
        start += size
    if start > size - length:
        raise RuntimeError(f"start ({start}) + length ({length}) exceeds dimension size "
                           f"({size}).")
    return view_op(ops.SLICE, a, key=(slice(None),) * d + (slice(start, start + length),))


def select(a: Tensor, dim: int, index: int) -> Tensor:
    """The slice at `index` along `dim`, one dimension fewer: a view (SelectBackward0)."""
    shape = a._data.shape
    if not shape:
        raise IndexError("select() cannot be applied to a 0-dim tensor.")
    d = normalize_dim(dim, len(shape))
    index = operator.index(index)
    if not -shape[d] <= index < shape[d]:
        raise IndexError(f"select(): index {index} out of range for tensor of size "
                         f"[{', '.join(map(str, shape))}] at dimension {d}")
    return _select(a, d, index)


def index_select(a: Tensor, dim: int, index: Tensor) -> Tensor:
    """The slices at `index` along `dim`, copied (IndexSelectBackward0 adds the gradient back
    slice by slice, in the index's order)."""
    d = normalize_dim(dim, a._data.ndim)
    positions = index._data
    if positions.ndim > 1:
        raise IndexError("index_select(): Index is supposed to be a vector")
    if positions.dtype not in (np.int64, np.int32):
        raise RuntimeError("index_select(): Expected dtype int32 or int64 for index")
    if a._data.ndim == 0 and positions.size != 1:
        raise RuntimeError("index_select(): Index to scalar can have only 1 value, got "
                           f"{positions.size} value(s)")
    bound = a._data.shape[d] if a._data.ndim else 1
    if positions.size and (positions.min() < 0 or positions.max() >= bound):
        raise IndexError("index out of range in self")
    positions = np.atleast_1d(positions).astype(np.intp)
    out = ops.INDEX_SELECT.forward(a._data, d, positions)
    return record(ops.INDEX_SELECT, (a,), (a._data,), out,
                  {"dim": d, "index": positions, SAVED_INDICES: saved_indices(index)})


def roll(a: Tensor, shifts: Any, dims: Any = ()) -> Tensor:
    """The elements moved `shifts` places along `dims`, those pushed off one end coming back at
    the other; without dims, along the flattened tensor (RollBackward0 rolls back)."""
    shifts = tuple(_ints(shifts))
    dims = () if dims is None else tuple(_ints(dims))
    if not shifts:
        raise RuntimeError("`shifts` required")
    if dims and len(shifts) != len(dims) or not dims and len(shifts) != 1:
        raise RuntimeError(f"shifts and dimensions must align. shifts: {len(shifts)}, "
                           f"dims:{len(dims)}")
    if dims and not a._data.ndim:
        raise IndexError(f"Dimension specified as {dims[0]} but tensor has no dimensions")
    dims = tuple(normalize_dim(d, a._data.ndim) for d in dims)
    return unary(ops.ROLL, a, {"shifts": shifts, "dims": dims}, float_result=False)


def tile(a: Tensor, dims: Any) -> Tensor:
    """`repeat`, with the repeats padded by ones in front to the tensor's dimensions."""
    repeats = tuple(_ints(dims))
    return repeat(a, *((1,) * (a._data.ndim - len(repeats)) + repeats))


def movedim(a: Tensor, source: Any, destination: Any) -> Tensor:
    """The dims in `source` moved to the places in `destination`, the others keeping their
    order: a permutation (PermuteBackward0)."""
    sources, destinations = tuple(_ints(source)), tuple(_ints(destination))
    if len(sources) != len(destinations):
        raise RuntimeError(
            f"movedim: Invalid source or destination dims: source ({list(sources)} dims) should "
            f"contain the same number of dims as destination ({list(destinations)} dims)")
    ndim = a._data.ndim
    sources = tuple(normalize_dim(d, ndim) for d in sources)
    destinations = tuple(normalize_dim(d, ndim) for d in destinations)
    for name, chosen in (("source", sources), ("destination", destinations)):
        if len(set(chosen)) != len(chosen):
            raise RuntimeError(f"movedim: repeated dim in `{name}` ({list(chosen)})")
    order = [-1] * ndim
    for s, d in zip(sources, destinations, strict=True):
        order[d] = s
    rest = iter(d for d in range(ndim) if d not in sources)
    return permute(a, *(next(rest) if o == -1 else o for o in order))


def swapaxes(a: Tensor, axis0: int, axis1: int) -> Tensor:
    return transpose(a, axis0, axis1)


def swapdims(a: Tensor, dim0: int, dim1: int) -> Tensor:
    return transpose(a, dim0, dim1)


def unflatten(a: Tensor, dim: int, sizes: Any) -> Tensor:
    """Dim `dim` split into `sizes` (one of them may be -1): a view (ViewBackward0)."""
    sizes = tuple(_ints(sizes))
    if not sizes:
        raise RuntimeError("unflatten: sizes must be non-empty")
    d = normalize_dim(dim, a._data.ndim)
    shape = a._data.shape
    try:
        inner = infer_shape(sizes, shape[d])
    except RuntimeError as error:
        if "is invalid for input of size" not in str(error):
            raise
        raise RuntimeError(f"unflatten: Provided sizes [{', '.join(map(str, sizes))}] don't "
                           f"multiply up to the size of dim {d} ({shape[d]}) in the input "
                           "tensor") from None
    return view(a, *shape[:d], *inner, *shape[d + 1:])


def broadcast_to(a: Tensor, size: Any) -> Tensor:
    return expand(a, *_shape_args((size,)))


def diagonal(a: Tensor, offset: int = 0, dim1: int = 0, dim2: int = 1) -> Tensor:
    """The elements at [i, i + offset] of dims `dim1` and `dim2`, as the last dim: a view
    (DiagonalBackward0)."""
    ndim = a._data.ndim
    d1, d2 = normalize_dim(dim1, ndim), normalize_dim(dim2, ndim)
    if d1 == d2:
        raise RuntimeError(f"diagonal dimensions cannot be identical {dim1}, {dim2}")
    return view_op(ops.DIAGONAL_VIEW, a, offset=int(offset), dims=(d1, d2))


def nonzero(a: Tensor, *, as_tuple: bool = False) -> Any:
    """The indices of the nonzero elements, one row each (or one tensor per dim)."""
    data = a._data
    if as_tuple:
        return tuple(wrap(i.astype(np.int64)) for i in np.nonzero(np.atleast_1d(data)))
    return wrap(np.argwhere(data).astype(np.int64))


def argwhere(a: Tensor) -> Tensor:
    return nonzero(a)


def count_nonzero(a: Tensor, dim: Any = None) -> Tensor:
    if dim is None:
        counted = np.count_nonzero(a._data)
    else:
        dims = [normalize_dim(d, a._data.ndim) for d in _ints(dim)]
        for d in dims:
            if dims.count(d) > 1:
                raise RuntimeError(f"dim {d} appears multiple times in the list of dims")
        dims = tuple(dims)
        counted = np.count_nonzero(a._data, axis=dims) if a._data.ndim else (
            np.count_nonzero(a._data))
    return wrap(np.asarray(counted, dtype=np.int64)[()])


def new_zeros(a: Tensor, *size: Any, dtype: Any = None, device: Any = None,
              requires_grad: bool = False, layout: Any = None, pin_memory: bool = False
              ) -> Tensor:
    return _new(a, size, 0, dtype, requires_grad)


def new_ones(a: Tensor, *size: Any, dtype: Any = None, device: Any = None,
             requires_grad: bool = False, layout: Any = None, pin_memory: bool = False
             ) -> Tensor:
    return _new(a, size, 1, dtype, requires_grad)


def new_empty(a: Tensor, *size: Any, dtype: Any = None, device: Any = None,
              requires_grad: bool = False, layout: Any = None, pin_memory: bool = False
              ) -> Tensor:
    """As `torch.empty`: zeros where PyTorch leaves whatever the memory held."""
    return _new(a, size, 0, dtype, requires_grad)


def new_full(a: Tensor, size: Any, fill_value: Any, *, dtype: Any = None, device: Any = None,
             requires_grad: bool = False, layout: Any = None, pin_memory: bool = False
             ) -> Tensor:
    return _new(a, (size,), fill_value, dtype, requires_grad)


def _new(a: Tensor, size: tuple, value: Any, dtype: Any, requires_grad: bool) -> Tensor:
    """A tensor of `size` filled with `value`, in `a`'s dtype unless told otherwise."""
    from engine.creation import full

    return full(_shape_args(size), value, dtype=dtype or a.dtype, requires_grad=requires_grad)


def new_tensor(a: Tensor, data: Any, dtype: Any = None, device: Any = None,
               requires_grad: bool = False) -> Tensor:
    """`torch.tensor(data)` in `a`'s dtype unless told otherwise; a tensor is copied, with
    PyTorch's warning."""
    from engine import creation

    if isinstance(data, Tensor):
        import warnings

        warnings.warn("To copy construct from a tensor, it is recommended to use "
                      "sourceTensor.detach().clone() or sourceTensor.detach().clone()"
                      ".requires_grad_(True), rather than tensor.new_tensor(sourceTensor).",
                      UserWarning, stacklevel=3)
        data = data._data
    return creation.tensor(data, dtype=dtype or a.dtype, requires_grad=requires_grad)


def diff(a: Tensor, n: int = 1, dim: int = -1, prepend: Tensor | None = None,
         append: Tensor | None = None) -> Tensor:
    """The n-th forward difference along `dim`: later slice minus earlier, `n` times (SubBackward0
    of two SliceBackward0 views; for bools, whether neighbours differ)."""
    from engine.functions import cat, ne, sub

    if a._data.ndim < 1:
        raise RuntimeError("diff expects input to be at least one-dimensional")
    if n < 0:
        raise RuntimeError(f"order must be non-negative but got {n}")
    d = normalize_dim(dim, a._data.ndim)
    for other in (prepend, append):
        if other is None:
            continue
        if other._data.ndim != a._data.ndim:
            raise RuntimeError("diff expects prepend or append to be the same dimension as "
                               "input")
        for i, (want, got) in enumerate(zip(a._data.shape, other._data.shape, strict=True)):
            if i != d and want != got:
                raise RuntimeError(
                    "diff expects the shape of tensor to prepend or append to match that of "
                    f"input except along the differencing dimension; input.size({i}) = "
                    f"{want}, but got tensor.size({i}) = {got}")
    if n == 0:  # PyTorch copies into zeros: CopyBackwards, which gradviz does not record
        from engine import grad_mode

        if grad_mode.state.enabled and a._requires_grad:
            raise NotImplementedError("gradviz does not record torch.diff with n=0 (a copy, "
                                      "CopyBackwards in PyTorch); use input.clone()")
        return wrap(np.array(a._data, copy=True)[()])
    if prepend is not None or append is not None:
        a = cat([t for t in (prepend, a, append) if t is not None], d)
    length = a._data.shape[d] - 1
    result = a
    for _ in range(builtins_min(n, a._data.shape[d])):
        later, earlier = narrow(result, d, 1, length), narrow(result, d, 0, length)
        result = ne(later, earlier) if a._data.dtype.kind == "b" else sub(later, earlier)
        length -= 1
    return result


builtins_min = min


def _ints(values: Any) -> list[int]:
    """An int, or a tuple or list of them, as a list."""
    if isinstance(values, (tuple, list)):
        return [operator.index(v) for v in values]
    return [operator.index(values)]


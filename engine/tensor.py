"""The Tensor: a numpy value, its place in the graph, and its `.grad`, with PyTorch's API."""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np

from engine import dtypes, grad_mode, hooks, messages
from engine.shapes import Size


class RemovableHandle:
    """What `register_hook` returns; `remove()` takes the hook off again."""

    def __init__(self, hooks: list, fn: Callable) -> None:
        self._hooks, self._fn = hooks, fn

    def remove(self) -> None:
        if self._fn in self._hooks:
            self._hooks.remove(self._fn)


class Tensor:
    """An n-dimensional array that can record the ops applied to it and receive gradients.

    Instances only store what differs from the class defaults below, so making one is cheap:
    most tensors in a scalar graph carry just `_data` and, when recorded, `_grad_fn`.
    """

    _data: np.ndarray | np.generic
    _requires_grad = False
    _grad_fn = None
    _grad: Tensor | None = None
    _retains_grad = False
    _hooks: list | None = None
    _version = 0
    _accumulate = None
    _root: Tensor | None = None  # for a view: the tensor whose memory it shares
    _views: list | None = None  # for a tensor viewed: weak references to its views
    _alias_of: Tensor | None = None  # for `.data` and `.detach()`: the tensor they alias
    name: str | None = None
    source: Any = None

    __hash__ = object.__hash__
    __array_priority__ = 1000

    def __init__(self, *args: Any) -> None:
        """The legacy constructor `torch.Tensor(data)` / `torch.Tensor(2, 3)`: float32."""
        from engine.creation import tensor, zeros

        if len(args) == 1 and not isinstance(args[0], int):
            self._data = tensor(args[0], dtype=dtypes.float32)._data
        else:
            self._data = zeros(*args)._data

    # --- what it is ----------------------------------------------------------------------------
    @property
    def data(self) -> Tensor:
        return self.detach()

    @data.setter
    def data(self, value: Tensor) -> None:
        self._data = value._data

    @property
    def shape(self) -> Size:
        return Size(self._data.shape)

    def size(self, dim: int | None = None) -> Size | int:
        if dim is None:
            return Size(self._data.shape)
        from engine.shapes import normalize_dim

        return self._data.shape[normalize_dim(dim, self._data.ndim)]

    @property
    def dtype(self) -> dtypes.dtype:
        return dtypes.of_array(self._data)

    @property
    def ndim(self) -> int:
        return self._data.ndim

    def dim(self) -> int:
        return self._data.ndim

    def numel(self) -> int:
        return int(self._data.size)

    nelement = numel

    @property
    def device(self) -> Any:
        from engine.device import CPU

        return CPU

    @property
    def is_cuda(self) -> bool:
        return False

    def cpu(self) -> Tensor:
        return self

    def cuda(self, device: Any = None, non_blocking: bool = False) -> Tensor:
        raise AssertionError("Torch not compiled with CUDA enabled")

    def is_floating_point(self) -> bool:
        return self._data.dtype.kind == "f"

    def item(self) -> float | int | bool:
        if self._data.size != 1:
            raise RuntimeError(messages.item_of_many(self._data.size))
        return self._data.reshape(()).item() if self._data.ndim else self._data.item()

    def tolist(self) -> Any:
        return self._data.tolist()

    def numpy(self) -> np.ndarray:
        if self._requires_grad:
            raise RuntimeError(messages.NUMPY_REQUIRES_GRAD)
        from engine.apply import shared

        return shared(self)

    # --- autograd state ------------------------------------------------------------------------
    @property
    def requires_grad(self) -> bool:
        return self._requires_grad

    @requires_grad.setter
    def requires_grad(self, value: bool) -> None:
        self._set_requires_grad(value, messages.INT_REQUIRES_GRAD_SET)

    def requires_grad_(self, requires_grad: bool = True) -> Tensor:
        return self._set_requires_grad(requires_grad, messages.INT_REQUIRES_GRAD_METHOD)

    def _set_requires_grad(self, requires_grad: bool, refusal: str) -> Tensor:
        """PyTorch words the refusal of an integer tensor three ways: `requires_grad_()`, the
        `requires_grad` attribute, and a creation function's `requires_grad=True`."""
        if self._grad_fn is not None:
            if not requires_grad:
                raise RuntimeError(messages.NON_LEAF_REQUIRES_GRAD)
            return self
        if requires_grad and self._data.dtype.kind not in "fc":
            raise RuntimeError(refusal)
        self._requires_grad = bool(requires_grad)
        return self

    @property
    def is_leaf(self) -> bool:
        return self._grad_fn is None

    @property
    def grad_fn(self) -> Any:
        return self._grad_fn

    @property
    def grad(self) -> Tensor | None:
        if self._grad_fn is not None and not self._retains_grad:
            warnings.warn(messages.NON_LEAF_GRAD_ACCESS, UserWarning, stacklevel=2)
        return self._grad

    @grad.setter
    def grad(self, value: Tensor | None) -> None:
        if value is not None:
            messages.check_assigned_grad(value, self)
        self._grad = value

    @grad.deleter
    def grad(self) -> None:
        self._grad = None

    @property
    def retains_grad(self) -> bool:
        return self._retains_grad

    def retain_grad(self) -> None:
        if not self._requires_grad:
            raise RuntimeError(messages.RETAIN_GRAD_NO_GRAD)
        if self._grad_fn is not None:
            self._retains_grad = True
            hooks.retained[0] += 1

    def register_hook(self, hook: Callable[[Tensor], Tensor | None]) -> RemovableHandle:
        if not self._requires_grad:
            raise RuntimeError(messages.HOOK_NO_GRAD)
        if self._hooks is None:
            self._hooks = []
        self._hooks.append(hook)
        hooks.tensor_hooks[0] += 1
        return RemovableHandle(self._hooks, hook)

    def backward(self, gradient: Any = None, retain_graph: bool | None = None,
                 create_graph: bool = False, inputs: Any = None) -> None:
        """Run the whole backward pass: drain `backward_steps`."""
        from engine.autograd import refuse_unmodelled
        from engine.backward import run_backward

        refuse_unmodelled(create_graph, inputs)
        run_backward(self, gradient, bool(retain_graph))

    def detach(self) -> Tensor:
        from engine.apply import new_tensor, shared

        alias = new_tensor(shared(self))
        alias._alias_of = self  # a write into it is a write into `self`
        return alias

    def detach_(self) -> Tensor:
        self._grad_fn = None
        self._requires_grad = False
        return self

    # --- printing ------------------------------------------------------------------------------
    def __repr__(self) -> str:
        from engine.printing import format_tensor

        return format_tensor(
            self._data, dtypes.of_array(self._data).name,
            requires_grad=self._requires_grad and self._grad_fn is None,
            grad_fn_name=self._grad_fn.type_name() if self._grad_fn is not None else None)

    __str__ = __repr__

    def __format__(self, spec: str) -> str:
        if self._data.ndim == 0:
            return self.item().__format__(spec)
        return object.__format__(self, spec)

    # --- Python protocols ----------------------------------------------------------------------
    def __len__(self) -> int:
        if self._data.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return self._data.shape[0]

    def __iter__(self) -> Iterator[Tensor]:
        if self._data.ndim == 0:
            raise TypeError("iteration over a 0-d tensor")
        from engine.functions import unbind

        return iter(unbind(self))

    def __bool__(self) -> bool:
        if self._data.size != 1:
            raise RuntimeError("Boolean value of Tensor with more than one value is ambiguous")
        return bool(self.item())

    def __float__(self) -> float:
        if self._requires_grad:
            warnings.warn(messages.SCALAR_OF_GRAD_TENSOR, UserWarning, stacklevel=2)
        return float(self._scalar_value())

    def __int__(self) -> int:
        return int(self._scalar_value())

    def __index__(self) -> int:
        if self._data.dtype.kind not in "biu" or self._data.size != 1:
            raise TypeError("only integer tensors of a single element can be converted to an "
                            "index")
        return int(self.item())

    def _scalar_value(self) -> Any:
        if self._data.size != 1:
            raise ValueError("only one element tensors can be converted to Python scalars")
        return self.item()

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        return np.asarray(self._data, dtype=dtype)

    def __array_wrap__(self, array: np.ndarray) -> Tensor:
        """A numpy operation on a tensor gives a tensor back (`x + np.ones(2)`), as in PyTorch,
        whose signature numpy 2 also warns about."""
        from engine.apply import new_tensor

        return new_tensor(array)


def _check_in_place(t: Tensor) -> None:
    """PyTorch refuses in-place changes to leaves that require grad, and to their views."""
    if t._requires_grad and grad_mode.state.enabled:
        node = t._grad_fn
        if node is None:
            raise RuntimeError(messages.LEAF_IN_PLACE)
        if of_multi_output_view(t):
            raise multi_output_error(node)
        if node.spec.name in VIEW_OPS:
            base = t
            while base._grad_fn is not None and base._grad_fn.spec.name in VIEW_OPS:
                base = base._grad_fn.inputs[0]
            if base._grad_fn is None:
                raise RuntimeError(messages.VIEW_OF_LEAF_IN_PLACE)
            if t._root is None:  # a view gradviz cannot trace to its memory
                raise RuntimeError(messages.VIEW_IN_PLACE_UNSUPPORTED)


def of_multi_output_view(t: Tensor) -> bool:
    """Whether `t` is one of the views an op returns several of (`split`, `chunk`), or a view
    of one: PyTorch refuses to write into those in place while grad mode is on."""
    node = t._grad_fn
    while node is not None:
        name = node.spec.name
        if name in MULTI_OUTPUT_VIEW_OPS:
            return True
        if name not in VIEW_OPS:
            return False
        node = node.inputs[0]._grad_fn
    return False


def multi_output_error(node: Any, op: str | None = None) -> RuntimeError:
    """PyTorch's refusal, naming the view op that made the tensor written into: `node`'s, or
    `op` (a view that indexing makes on the way, which is output 0 of its op)."""
    if op is not None:
        return RuntimeError(messages.multi_output_view_in_place(0, op))
    output_nr = node.params.get("output_nr", 0) if node.params else 0
    op = node.spec.grad_fn.rstrip("0123456789").removesuffix("Backward")
    return RuntimeError(messages.multi_output_view_in_place(output_nr, op))


MULTI_OUTPUT_VIEW_OPS = frozenset({"split", "split_with_sizes", "unbind"})
VIEW_OPS = frozenset({"view", "reshape_alias", "alias", "squeeze", "squeeze_dim", "squeeze_dims",
                      "unsqueeze", "permute", "transpose", "t", "expand", "select", "slice"})

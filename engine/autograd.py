"""`torch.autograd`: `grad` and `backward`, both a drained `backward_steps`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from engine.apply import new_tensor
from engine.backward import run_backward
from engine.tensor import Tensor

CREATE_GRAPH = ("gradviz does not record the backward pass itself, so create_graph=True "
                "(gradients of gradients) is not available")
BACKWARD_INPUTS = ("gradviz does not model backward(inputs=...), which accumulates into the "
                   "listed tensors only; call backward() without it, or torch.autograd.grad")


def refuse_unmodelled(create_graph: bool, inputs: Any = None) -> None:
    """Options gradviz does not model raise here, rather than give values PyTorch would not."""
    if create_graph:
        raise RuntimeError(CREATE_GRAPH)
    if inputs is not None:
        raise RuntimeError(BACKWARD_INPUTS)


def _tensors(value: Any) -> tuple:
    return (value,) if isinstance(value, Tensor) else tuple(value)


def grad(outputs: Tensor | Sequence[Tensor], inputs: Tensor | Sequence[Tensor],
         grad_outputs: Any = None, retain_graph: bool | None = None, create_graph: bool = False,
         only_inputs: bool = True, allow_unused: bool | None = None, is_grads_batched: bool = False,
         materialize_grads: bool = False) -> tuple[Tensor | None, ...]:
    """The gradients of `outputs` with respect to `inputs`, as a tuple; no `.grad` changes."""
    outputs = _tensors(outputs)
    inputs = _tensors(inputs)
    refuse_unmodelled(create_graph)
    if grad_outputs is not None:
        grad_outputs = _tensors(grad_outputs)
    for t in inputs:
        if not isinstance(t, Tensor):
            raise TypeError(f"expected Tensor, but got {type(t).__name__}")
        if not t.requires_grad:
            raise RuntimeError("One of the differentiated Tensors does not require grad")
    if allow_unused is None:
        allow_unused = materialize_grads
    capture: dict[Tensor, Any] = dict.fromkeys(inputs)
    run_backward(outputs, grad_outputs, bool(retain_graph), capture)
    results = []
    for index, t in enumerate(inputs):
        values = capture[t]
        if values is None:
            if not allow_unused:
                raise RuntimeError(f"The differentiated Tensor at index {index} appears to not "
                                   "have been used in the graph. Set allow_unused=True if this "
                                   "is the desired behavior.")
            results.append(new_tensor(np.zeros_like(t._data)[()]) if materialize_grads
                           else None)
        else:
            results.append(new_tensor(np.array(values, copy=True)[()]))
    return tuple(results)


def backward(tensors: Tensor | Sequence[Tensor], grad_tensors: Any = None,
             retain_graph: bool | None = None, create_graph: bool = False,
             inputs: Any = None) -> None:
    """Accumulate the gradients of `tensors` into the leaves' `.grad`, as `Tensor.backward`."""
    refuse_unmodelled(create_graph, inputs)
    tensors = _tensors(tensors)
    if grad_tensors is not None:
        grad_tensors = _tensors(grad_tensors)
    run_backward(tensors, grad_tensors, bool(retain_graph))

"""Graph nodes: one `Node` per recorded op (PyTorch's `grad_fn`), one `AccumulateGrad` per leaf."""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from engine.op_table import OpSpec
    from engine.tensor import Tensor

_sequence = itertools.count()


class Node:
    """A recorded op: what its backward needs, and where each input's gradient goes next.

    `next` holds, per input, None (no gradient flows there), the input's own Node (an
    intermediate), or the input Tensor itself (a leaf that accumulates into `.grad`). It is
    captured when the op runs, so later in-place changes to an input cannot rewire the graph.
    """

    __slots__ = ("spec", "inputs", "next", "args", "out", "params", "output", "seq", "freed",
                 "versions", "__weakref__")

    def __init__(self, spec: OpSpec, inputs: tuple, args: tuple, out: Any, params: dict | None,
                 output: Tensor) -> None:
        self.spec = spec
        self.inputs = inputs
        self.next = tuple(
            None if t is None or not t._requires_grad else (t._grad_fn or t) for t in inputs
        )
        self.args = args
        self.out = out
        self.params = params
        self.output = output
        self.seq = next(_sequence)
        self.freed = False
        self.versions = tuple(0 if t is None else t._version for t in inputs) + (0,)

    def name(self) -> str:
        return self.spec.grad_fn

    @property
    def next_functions(self) -> tuple[tuple[Node | AccumulateGrad | None, int], ...]:
        """As in PyTorch: `(node, 0)` per input; AccumulateGrad for leaves, None for constants."""
        return tuple(
            (AccumulateGrad.of(nxt) if _is_tensor(nxt) else nxt, 0)
            for nxt in self.next
        )

    def register_hook(self, fn: Any) -> None:
        raise NotImplementedError("gradviz does not support hooks on grad_fn; use "
                                  "Tensor.register_hook instead")

    def __repr__(self) -> str:
        return f"<{self.spec.grad_fn} object at {id(self):#x}>"


class AccumulateGrad:
    """The node that stores a leaf's gradient into `.grad`; `.variable` is the leaf."""

    __slots__ = ("variable", "__weakref__")

    def __init__(self, variable: Tensor) -> None:
        self.variable = variable

    @staticmethod
    def of(leaf: Tensor) -> AccumulateGrad:
        """One AccumulateGrad per leaf, reused, as PyTorch reuses it."""
        node = leaf._accumulate
        if node is None:
            node = leaf._accumulate = AccumulateGrad(leaf)
        return node

    def name(self) -> str:
        return "torch::autograd::AccumulateGrad"

    @property
    def next_functions(self) -> tuple:
        return ()

    def __repr__(self) -> str:
        return f"<AccumulateGrad object at {id(self):#x}>"


def _is_tensor(value: Any) -> bool:
    return value is not None and not isinstance(value, Node)

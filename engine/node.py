"""Graph nodes: one `Node` per recorded op (PyTorch's `grad_fn`), one `AccumulateGrad` per leaf."""

from __future__ import annotations

import itertools
import weakref
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from engine.op_table import OpSpec
    from engine.tensor import Tensor

_sequence = itertools.count()

# Bumped by every in-place write: a node made since the last one needs no version check.
in_place_epoch = [0]
_ZERO = (0,)
_UNCHANGED = (0, 0, 0)  # inputs never written in place: shared, one tuple less per op
_new = object.__new__
_ref = weakref.ref


#: The params key under which an op keeps the index tensors its backward reads (with their
#: versions then): PyTorch saves them, and refuses a backward after one was written in place.
SAVED_INDICES = "saved_indices"


def saved_indices(*tensors: Any) -> tuple[tuple[Tensor, int], ...]:
    """(tensor, version) for each of `tensors` that holds integer indices (a bool mask is
    turned into new indices first, so nothing keeps it)."""
    return tuple((t, t._version) for t in tensors
                 if hasattr(t, "_version") and t._data.dtype.kind in "iu")


class Node:
    """A recorded op: what its backward needs, and where each input's gradient goes next.

    `next` holds, per input, None (no gradient flows there), the input's own Node (an
    intermediate), or the input Tensor itself (a leaf that accumulates into `.grad`). It is
    captured when the op runs, so later in-place changes to an input cannot rewire the graph.
    """

    # `made` is set only on an op written in place: the result it computed before the write.
    __slots__ = ("spec", "inputs", "next", "args", "out", "params", "output_ref", "seq",
                 "freed", "versions", "epoch", "made", "__weakref__")

    @classmethod
    def record(cls, spec: OpSpec, inputs: tuple, args: tuple, out: Any, params: dict | None,
               output: Tensor) -> Node:
        """Make the node for an op that just ran (a hot path: attributes are set directly)."""
        node = _new(cls)
        node.spec = spec
        node.inputs = inputs
        node.args = args
        node.out = out
        node.params = params
        node.output_ref = _ref(output)
        node.seq = next(_sequence)
        node.freed = False
        node.epoch = in_place_epoch[0]
        if len(inputs) == 2:
            a, b = inputs
            if a is None:
                node.next = (None, (b._grad_fn or b) if b._requires_grad else None)
                node.versions = (0, b._version, 0) if b._version else _UNCHANGED
            elif b is None:
                node.next = ((a._grad_fn or a) if a._requires_grad else None, None)
                node.versions = (a._version, 0, 0) if a._version else _UNCHANGED
            else:
                node.next = ((a._grad_fn or a) if a._requires_grad else None,
                             (b._grad_fn or b) if b._requires_grad else None)
                va, vb = a._version, b._version
                node.versions = _UNCHANGED if va == vb == 0 else (va, vb, 0)
        else:
            node.next = tuple([None if t is None or not t._requires_grad
                               else (t._grad_fn or t) for t in inputs])
            node.versions = tuple([0 if t is None else t._version for t in inputs]) + _ZERO
        return node

    @property
    def output(self) -> Tensor | None:
        """The tensor this op made (None once nothing holds it any more)."""
        return self.output_ref()

    @output.setter
    def output(self, tensor: Tensor) -> None:
        self.output_ref = _ref(tensor)

    def name(self) -> str:
        return self.spec.grad_fn

    def type_name(self) -> str:
        """The class name PyTorch prints: `NotImplemented` for `torch::autograd::NotImplemented`."""
        return self.spec.grad_fn.rpartition("::")[2]

    @property
    def next_functions(self) -> tuple[tuple[Node | AccumulateGrad | None, int], ...]:
        """As in PyTorch: `(node, 0)` per input; AccumulateGrad for leaves, None for constants."""
        return tuple(
            (AccumulateGrad.of(nxt) if _is_tensor(nxt) else nxt, _output_nr(nxt))
            for nxt in self.next
        )

    def register_hook(self, fn: Any) -> None:
        raise NotImplementedError("gradviz does not support hooks on grad_fn; use "
                                  "Tensor.register_hook instead")

    def __repr__(self) -> str:
        return f"<{self.type_name()} object at {id(self):#x}>"


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


def _output_nr(value: Any) -> int:
    """Which output of its op an input was: a piece of `split` or `chunk` says, else 0."""
    if type(value) is Node and value.params:
        return value.params.get("output_nr", 0)
    return 0


def _is_tensor(value: Any) -> bool:
    return value is not None and not isinstance(value, Node)


def graph_nodes(roots: list[Node]) -> set[Node]:
    """Every op node reachable from `roots` through the edges gradients take (no recursion)."""
    seen = set(roots)
    stack = list(roots)
    while stack:
        node = stack.pop()
        for target in node.next:
            if type(target) is Node and target not in seen:
                seen.add(target)
                stack.append(target)
    return seen

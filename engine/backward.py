"""The backward pass, written once as a generator of edge steps.

`backward_steps` walks the graph in reverse creation order (the order PyTorch's engine runs
nodes on the CPU), without recursion. Each step is one edge: the gradient flowing from an op's
output into one of its inputs. The step's effect is applied before it is yielded, so a consumer
that stops after k steps sees every tensor exactly as it is at that point.
"""

from __future__ import annotations

import itertools
from collections import deque
from collections.abc import Iterator, Sequence
from operator import attrgetter, itemgetter
from typing import Any

import numpy as np

from engine import dtypes, hooks, messages
from engine.apply import new_tensor
from engine.node import SAVED_INDICES, Node, graph_nodes, in_place_epoch
from engine.shapes import sum_to
from engine.tensor import Tensor

_passes = itertools.count()


class Step(tuple):
    """One edge of the backward pass, with everything a viewer needs to explain it.

    A tuple underneath, because a pass makes one per edge and tuples are the cheapest objects
    Python makes; the fields are read by name.
    """

    __slots__ = ()

    index = property(itemgetter(0), doc="Position within its backward pass.")
    backward = property(itemgetter(1), doc="Which backward pass (a process-wide counter).")
    node = property(itemgetter(2), doc="The grad_fn whose output sends the gradient.")
    input_index = property(itemgetter(3), doc="Which input of the op receives it.")
    upstream = property(itemgetter(4), doc="d root / d output.")
    local = property(itemgetter(5), doc="d output / d input, where the op is elementwise.")
    contribution = property(itemgetter(6), doc="What this edge adds, in the input's shape.")
    grad_before = property(itemgetter(7), doc="The input's `.grad` before (None if unset).")
    grad_after = property(itemgetter(8), doc="The input's `.grad` after (None if not stored).")
    total_after = property(itemgetter(9), doc="All that reached the input in this pass.")

    @property
    def op(self) -> str:
        """The grad_fn name, e.g. `MulBackward0`."""
        return self[2].spec.grad_fn

    output = property(itemgetter(10), doc="The op's output (the step keeps it alive: its node "
                      "does not, as PyTorch's grad_fn does not).")

    @property
    def input(self) -> Tensor:
        return self[2].inputs[self[3]]

    @property
    def local_formula(self) -> str:
        """The local derivative as people write it, e.g. `2·x`."""
        node = self[2]
        return node.spec.formula_text(self[3], _labels(node), node.params)

    def __repr__(self) -> str:
        return (f"Step({self.index}, {self.op}: {_label(self.output, 'out')} → "
                f"{_label(self.input, 'in')}, contribution={self.contribution!r})")


_new_object = object.__new__


def _label(t: Tensor | None, fallback: str) -> str:
    return t.name if t is not None and t.name else fallback


def _labels(node: Node) -> tuple[str, ...]:
    labels = []
    for i, t in enumerate(node.inputs):
        if t is not None:
            labels.append(_label(t, "xyzw"[i] if i < 4 else f"x{i}"))
        else:
            labels.append(_number(node.args[i]))
    return tuple(labels)


def _number(value: Any) -> str:
    if value is None:  # an optional input left out (a layer norm's weight)
        return "None"
    if np.ndim(value) == 0:
        number = float(value)
        return str(int(number)) if number.is_integer() else f"{number:g}"
    return "c"


def _freeze(value: Any) -> Any:
    """Gradients handed out are read-only: an in-place change to `.grad` copies on write, so the
    steps that recorded earlier values keep them."""
    if isinstance(value, np.ndarray):
        if value.ndim and not value.flags.c_contiguous:
            value = np.ascontiguousarray(value)
        value.flags.writeable = False
    return value


def _seed(root: Tensor, gradient: Any, index: int = 0) -> Any:
    if not root._requires_grad:
        raise RuntimeError(messages.no_grad_backward(index))
    data = root._data
    if gradient is None:
        if data.size != 1:
            raise RuntimeError(messages.NON_SCALAR_BACKWARD)
        return np.ones_like(data)[()] if data.ndim == 0 else np.ones_like(data)
    values = gradient._data if isinstance(gradient, Tensor) else np.asarray(gradient)
    if np.shape(values) != np.shape(data):
        raise RuntimeError(messages.gradient_shape_mismatch(np.shape(values), np.shape(data),
                                                            index))
    return np.array(values, dtype=data.dtype, copy=True)[()] if data.ndim == 0 else np.array(
        values, dtype=data.dtype, copy=True)


def _store(t: Tensor, total: Any, start: Any) -> tuple[Any, Any]:
    """Set `t.grad` (a leaf, or a tensor that retains grad) to `start`, what it held when the
    pass began (None: nothing), plus `total`, all that reached it in the pass so far."""
    after = _freeze(total if start is None else start + total)
    grad = t._grad
    if grad is None:
        t._grad = new_tensor(after)
        return None, after
    before = grad._data
    grad._data = after
    return before, after


def _grad_data(t: Tensor) -> Any:
    return None if t._grad is None else t._grad._data


def _run_hooks(t: Tensor, values: Any) -> Any:
    for hook in list(t._hooks or ()):
        replaced = hook(new_tensor(values))
        if replaced is not None:
            values = replaced._data
    return values


def backward_steps(root: Tensor | Sequence[Tensor], gradient: Any = None,
                   retain_graph: bool = False, capture: dict[Tensor, Any] | None = None
                   ) -> Iterator[Step]:
    """Run the backward pass from `root`, yielding one Step per edge, in PyTorch's order.

    `root` may be several tensors, with one gradient each. With `capture` (a dict keyed by the
    tensors whose gradients are wanted) only the paths into those tensors run, their gradients
    are summed into the dict, and no leaf's `.grad` changes: `torch.autograd.grad`.
    """
    return _steps(root, gradient, retain_graph, capture, named=True)


def _steps(root: Tensor | Sequence[Tensor], gradient: Any, retain_graph: bool,
           capture: dict[Tensor, Any] | None, named: bool) -> Iterator[Any]:
    """The pass itself. Each step is a Step unless no one reads it: `run_backward` (or a pass
    no viewer listens to) drains the same steps, with the same effects, yielding none of them,
    and without looking up outputs for hooks no one registered."""
    if type(root) is Tensor and root._grad_fn is not None:  # the common case: one root, a node
        seed = _seed(root, gradient)
        if root._retains_grad:
            _store(root, seed, _grad_data(root))
        buffers: dict[Node, Any] = {root._grad_fn: seed}
    else:
        buffers = _seed_roots(root, gradient, capture)
    backward = next(_passes)
    if not buffers:
        return
    nodes = _reachable(list(buffers))
    plan = captured_nodes = None
    if capture is not None:
        plan, captured_nodes = _plan(nodes, capture)
        nodes = [node for node in nodes if node in plan]
    hooked = hooks.tensor_hooks[0]
    leaf_edges = _leaf_edges(nodes) if hooked and capture is None else None
    leaf_totals: dict[Tensor, Any] = {}
    grads_at_start: dict[Tensor, Any] = {}
    stepped, created = hooks.stepped, hooks.created
    named = named or bool(stepped)
    retained = hooks.retained[0]
    epoch = in_place_epoch[0]
    pop, get = buffers.pop, buffers.get
    index = 0
    output = None
    for node in nodes:
        upstream = pop(node)
        saves, local_rule, grad_rule, constant_locals, local_args = node.spec.rules
        if saves:
            if node.freed:
                raise RuntimeError(messages.BACKWARD_TWICE)
            if node.epoch != epoch:
                _check_versions(node)
        if hooked or named:
            output = node.output_ref()
            if output._hooks:
                upstream = _run_hooks(output, upstream)
        edges = node.next
        if plan is not None:
            edges = plan[node]
            wanted = captured_nodes.get(node)
            if wanted is not None:
                capture[wanted] = upstream if capture[wanted] is None else \
                    capture[wanted] + upstream
        args, inputs = node.args, node.inputs
        i = -1
        for target in edges:
            i += 1
            if target is None:
                continue
            inp = inputs[i]
            # the local derivative and the contribution, the commonest kinds of rule first
            if local_args is not None:
                local = args[local_args[i]]
                contribution = upstream * local
            elif constant_locals is not None:
                local = constant_locals[i]
                contribution = upstream if local == 1 else -upstream
            else:
                # an op with its own gradient rule needs its local only for a step someone reads
                local = None if local_rule is None or grad_rule is not None and not named \
                    else local_rule(i, args, node.out, node.params)
                if grad_rule is not None:
                    contribution = grad_rule(i, upstream, args, node.out, node.params)
                elif type(local) is int:
                    contribution = upstream if local == 1 else -upstream
                else:
                    contribution = upstream * local
            data = inp._data
            kind = type(data)
            if type(contribution) is not kind or kind is _ndarray:
                # Not a numpy scalar of the input's own type (which has its shape and dtype):
                # sum broadcast dimensions away and cast, as PyTorch does.
                arg = args[i]
                if contribution.shape != arg.shape:
                    contribution = sum_to(np.asarray(contribution), arg.shape)
                dtype = data.dtype
                if contribution.dtype is not dtype and contribution.dtype != dtype:
                    contribution = contribution.astype(dtype)
            if type(target) is Node:
                previous = get(target)
                total = contribution if previous is None else previous + contribution
                buffers[target] = total
                if retained and inp._retains_grad and inp._grad_fn is target:
                    if previous is None:
                        grads_at_start[inp] = _grad_data(inp)
                    before, after = _store(inp, total, grads_at_start[inp])
                else:
                    before = after = None
            else:
                previous = leaf_totals.get(target)
                total = contribution if previous is None else previous + contribution
                leaf_totals[target] = total
                if plan is not None:
                    before = after = None
                else:
                    # PyTorch adds what reaches a leaf in one pass up first, then onto its
                    # `.grad`: each step shows `.grad` as the grad at the start plus the total
                    grad = target._grad
                    if previous is None and (leaf_edges or grad is not None):
                        grads_at_start[target] = None if grad is None else grad._data
                    if grad is None:
                        before = None
                        after = _freeze(contribution) if type(contribution) is _ndarray \
                            else contribution
                        grad = target._grad = _new_object(Tensor)
                        grad._data = after
                        if created:
                            for callback in created:
                                callback(grad)
                    else:
                        before = grad._data
                        start = grads_at_start.get(target)
                        after = total if start is None else start + total
                        if type(after) is _ndarray:
                            after = _freeze(after)
                        grad._data = after
                    if leaf_edges:
                        after = _finish_leaf(target, leaf_edges, grads_at_start, total, after)
            if named:
                if type(local) is _ndarray and any(local is a for a in args):
                    local = local.copy()
                step = Step((index, backward, node, i, upstream, local, contribution, before,
                             after, total, output))
                for callback in stepped:
                    callback(step)
                yield step
            index += 1
        if saves and not retain_graph:
            node.freed = True
    if capture is not None:
        for leaf, total in leaf_totals.items():
            total = _run_hooks(leaf, total)
            capture[leaf] = total if capture[leaf] is None else capture[leaf] + total


_ndarray = np.ndarray


def _seed_roots(root: Tensor | Sequence[Tensor], gradient: Any,
                capture: dict[Tensor, Any] | None) -> dict[Node, Any]:
    """Seed every root: leaves receive their gradient at once, nodes get it in their buffer."""
    roots = [root] if isinstance(root, Tensor) else list(root)
    gradients = [gradient] if isinstance(root, Tensor) else list(gradient or [None] * len(roots))
    seeds = [_seed(r, g, i) for i, (r, g) in enumerate(zip(roots, gradients, strict=True))]
    buffers: dict[Node, Any] = {}
    for r, seed in zip(roots, seeds, strict=True):
        node = r._grad_fn
        if node is None:
            seed = _run_hooks(r, seed)
            if capture is None:
                _store(r, seed, _grad_data(r))
            elif r in capture:
                capture[r] = seed if capture[r] is None else capture[r] + seed
            continue
        if r._retains_grad:
            _store(r, seed, _grad_data(r))
        buffers[node] = seed if node not in buffers else buffers[node] + seed
    return buffers


def _plan(nodes: list[Node], capture: dict[Tensor, Any]
          ) -> tuple[dict[Node, tuple], dict[Node, Tensor]]:
    """For autograd.grad: the nodes on a path into a captured tensor, each with only the edges
    that lead there (PyTorch runs nothing else)."""
    captured_nodes = {t._grad_fn: t for t in capture if t._grad_fn is not None}
    plan: dict[Node, tuple] = {}
    for node in reversed(nodes):  # inputs before the nodes that consume them
        edges = tuple(
            target if target is not None and (
                target in plan or target in captured_nodes if type(target) is Node
                else target in capture) else None
            for target in node.next)
        if node in captured_nodes or any(edge is not None for edge in edges):
            plan[node] = edges
    return plan, captured_nodes


def _finish_leaf(leaf: Tensor, leaf_edges: dict, grads_at_start: dict, total: Any,
                 after: Any) -> Any:
    """After a hooked leaf's last contribution, its hooks see the pass total and may replace it."""
    remaining = leaf_edges.get(leaf)
    if remaining is None:
        return after
    leaf_edges[leaf] = remaining - 1
    if remaining > 1:
        return after
    hooked = _run_hooks(leaf, total)
    if hooked is total:
        return after
    start = grads_at_start[leaf]
    after = _freeze(np.asarray(hooked if start is None else start + hooked,
                               dtype=leaf._data.dtype))
    leaf._grad._data = after
    return after


def _reachable(roots: list[Node]) -> list[Node]:
    """Every node the gradient reaches, latest first: a valid order, and PyTorch's own."""
    return sorted(graph_nodes(roots), key=_by_sequence, reverse=True)


_by_sequence = attrgetter("seq")


def _leaf_edges(nodes: list[Node]) -> dict[Tensor, int]:
    """How many edges reach each leaf that has hooks (they run once, on the total)."""
    counts: dict[Tensor, int] = {}
    for node in nodes:
        for target in node.next:
            if target is not None and type(target) is not Node and target._hooks:
                counts[target] = counts.get(target, 0) + 1
    return counts




def _check_versions(node: Node) -> None:
    """A tensor the op saved was changed in place since: PyTorch refuses to use it."""
    spec = node.spec
    needs = tuple(n is not None for n in node.next)
    for i, t in enumerate(node.inputs):
        saved = node.versions[i]
        if t is not None and saved is not None and t._version != saved and spec.saves_input(
                i, needs):
            producer = t._grad_fn  # PyTorch names what made it last: the in-place op
            which = f", which is output 0 of {_short(producer.name())}," if type(
                producer) is Node else ""
            _version_error(t, which, node.versions[i])
    if spec.saved_output and node.output._version != node.versions[-1]:
        _version_error(node.output, f", which is output 0 of {_short(spec.grad_fn)},",
                       node.versions[-1])
    for index, saved in node.params.get(SAVED_INDICES, ()) if node.params else ():
        if index._version != saved:
            _version_error(index, "", saved)


def _short(grad_fn: str) -> str:
    """PyTorch names the forward op here: `TanhBackward0` → `Tanh`."""
    return grad_fn.rstrip("0123456789").removesuffix("Backward")


def _version_error(t: Tensor, which: str, saved: int) -> None:
    raise RuntimeError(messages.MODIFIED_IN_PLACE.format(
        kind=dtypes.LEGACY_TYPES[t.dtype.name],
        shape=", ".join(str(s) for s in t._data.shape), which=which, version=t._version,
        saved=saved))


def run_backward(root: Tensor | Sequence[Tensor], gradient: Any = None,
                 retain_graph: bool = False, capture: dict[Tensor, Any] | None = None) -> None:
    """`Tensor.backward()` and `torch.autograd.grad`: drain the generator, nothing else."""
    deque(_steps(root, gradient, retain_graph, capture, named=False), maxlen=0)

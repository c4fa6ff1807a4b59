"""Watches the engine while a script runs: the tensors it makes, where, and every backward step."""

from __future__ import annotations

import ast
import contextlib
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np

import engine
from engine.nn import module as nn_module
from gradviz.script.budget import Budget
from gradviz.script.classes import ScriptModuleBase, ScriptObjectBase
from gradviz.script.leaf_reads import LeafReads
from gradviz.script.source_span import SourceMap

#: Longest readable name given to an unnamed intermediate (its source text, shortened).
MAX_LABEL = 24

_COMPOSITE = (ast.BinOp, ast.UnaryOp, ast.BoolOp, ast.Compare, ast.IfExp, ast.Lambda)


def _array_size(value: Any) -> int:
    return int(np.size(value)) if value is not None else 0


class Recorder:
    """Gives every tensor the script makes its source span, and keeps the run's steps.

    `script_tensors` are the tensors the script built (the roots of its graph), in creation
    order; tensors the engine makes inside `backward()` (gradients, hook arguments) are
    `backward_tensors`. At the start of each backward pass it snapshots the `.grad` of every
    tensor that can hold one, so the timeline can show any step exactly.
    """

    def __init__(self, source_map: SourceMap, budget: Budget,
                 current_node: Callable[[], ast.AST | None]) -> None:
        self.source_map = source_map
        self.budget = budget
        self.current_node = current_node
        self.script_tensors: list[engine.Tensor] = []
        self.backward_tensors: list[engine.Tensor] = []
        self.nodes: dict[int, ast.AST] = {}
        self.steps: list[engine.Step] = []
        self.pass_of_step: list[int] = []
        self.pass_starts: list[tuple[int, dict[engine.Tensor, np.ndarray | None]]] = []
        self._engine_pass: int | None = None
        self._backward_depth = 0
        self._candidates: list[engine.Tensor] = []
        self._candidate_ids: set[int] = set()
        self._scanned = 0
        # modules by id: (module, its label as the script reaches it, e.g. `model[0]`)
        self._modules: dict[int, tuple[engine.nn.Module, str]] = {}
        self._objects: dict[int, tuple[ScriptObjectBase, str]] = {}
        self.leaf_reads = LeafReads(budget.keep)
        # tensors made inside a module's forward: (innermost module, is it what it returned)
        self._made_in: dict[int, tuple[engine.nn.Module, engine.Tensor | None]] = {}
        # labels of the form `owner: op`, each with its owner (see `label_versions`)
        self._op_labels: dict[str, str] = {}

    @contextlib.contextmanager
    def watching(self) -> Iterator[None]:
        handle = nn_module.register_module_forward_hook(self._module_called)
        try:
            with engine.on_tensor_created(self._created), engine.on_backward_step(self._stepped):
                yield
        finally:
            handle.remove()

    @contextlib.contextmanager
    def backward_call(self) -> Iterator[None]:
        """Tensors made inside this block belong to a backward pass, not to the graph."""
        self._backward_depth += 1
        try:
            yield
        finally:
            self._backward_depth -= 1

    # --- engine callbacks ---------------------------------------------------------------------
    def _created(self, tensor: engine.Tensor) -> None:
        self.budget.tensor_created(tensor.numel())
        node = self.current_node()
        if node is not None and tensor.source is None:
            tensor.source = self.source_map.span(node)
            self.nodes[id(tensor)] = node
        if self._backward_depth:
            self.backward_tensors.append(tensor)
        else:
            self.script_tensors.append(tensor)
            if tensor._grad_fn is not None:
                self._read_leaves(tensor._grad_fn.inputs)
            if nn_module.calling:
                self._made_in[id(tensor)] = (nn_module.calling[-1], None)

    def _read_leaves(self, inputs: tuple) -> None:
        """Keep a leaf's values as each pass's graph read them: an update in place afterwards
        (`optimizer.step()`, `w -= lr * w.grad`) must not change what its card shows."""
        for t in inputs:
            if t is not None and t._grad_fn is None:
                self.leaf_reads.read(t, len(self.steps))

    def _module_called(self, module: engine.nn.Module, inputs: tuple, output: Any) -> None:
        """The innermost module that returned a tensor is the one it is named after."""
        made = self._made_in.get(id(output))
        if made is not None and made[1] is None:
            first = inputs[0] if inputs and isinstance(inputs[0], engine.Tensor) else None
            self._made_in[id(output)] = (module, first)

    def _stepped(self, step: engine.Step) -> None:
        self.budget.step(sum(_array_size(v) for v in (
            step.upstream, step.local, step.contribution, step.grad_before, step.grad_after,
            step.total_after)))
        if step.backward != self._engine_pass:
            self._engine_pass = step.backward
            self.pass_starts.append((len(self.steps), self._snapshot(step)))
        self.steps.append(step)
        self.pass_of_step.append(len(self.pass_starts))
        self._add_candidate(step.input)

    # --- grads at the start of a pass ---------------------------------------------------------
    def _add_candidate(self, tensor: engine.Tensor | None) -> None:
        if tensor is not None and id(tensor) not in self._candidate_ids:
            self._candidate_ids.add(id(tensor))
            self._candidates.append(tensor)

    def _scan_new_tensors(self) -> None:
        for tensor in self.script_tensors[self._scanned:]:
            if tensor.requires_grad:
                self._add_candidate(tensor)
        self._scanned = len(self.script_tensors)

    def _snapshot(self, first: engine.Step) -> dict[engine.Tensor, np.ndarray | None]:
        """Every tensor's `.grad` as it was when this pass began (before `first` was applied)."""
        self._scan_new_tensors()
        grads: dict[engine.Tensor, np.ndarray | None] = {}
        for tensor in self._candidates:
            if tensor.is_leaf or tensor.retains_grad:
                grad = tensor.grad
                grads[tensor] = None if grad is None else np.array(grad.numpy(), copy=True)
                self.budget.keep(_array_size(grads[tensor]))
        if first.input is not None and (first.input.is_leaf or first.input.retains_grad):
            before = first.grad_before
            grads[first.input] = None if before is None else np.array(before, copy=True)
        return grads

    # --- names ----------------------------------------------------------------------------
    def label(self, tensor: engine.Tensor) -> str | None:
        """A readable name for an unnamed tensor: the source text that made it."""
        node = self.nodes.get(id(tensor))
        if node is None:
            return None
        text = ast.get_source_segment(self.source_map.source, node) or ""
        text = " ".join(text.split())
        if len(text) > MAX_LABEL:
            text = text[: MAX_LABEL - 1] + "…"
        return f"({text})" if isinstance(node, _COMPOSITE) else text

    def name_module(self, name: str, module: engine.nn.Module) -> None:
        """A module stored in a variable names its submodules, parameters and buffers by their
        path (`model[0].weight`), unless an earlier variable already named them."""
        for path, inner in module.named_modules():
            if id(inner) not in self._modules:
                self._modules[id(inner)] = (inner, _module_path(name, path))
        for path, param in module.named_parameters():
            if param.name is None:
                param.name = _module_path(name, path)
        for path, buffer in module.named_buffers():
            if buffer.name is None:
                buffer.name = _module_path(name, path)

    def name_value(self, name: str, value: Any) -> None:
        """A module, an object of a plain script class, or a list of them, stored in a
        variable: their leaves are named by their path (`layers[0].weight`)."""
        if isinstance(value, engine.nn.Module):
            self.name_module(name, value)
        elif isinstance(value, ScriptObjectBase):
            self._name_object(name, value)
        elif isinstance(value, (list, tuple)) and 0 < len(value) <= _LAYER_LISTS and all(
                isinstance(item, _LAYERS) for item in value):
            for i, item in enumerate(value):
                self.name_value(f"{name}[{i}]", item)

    def _name_object(self, name: str, obj: ScriptObjectBase) -> None:
        """The tensors an object keeps that are leaves (its weights, its running statistics),
        and the modules and objects it holds, take their path, unless already named."""
        if id(obj) in self._objects:
            return
        self._objects[id(obj)] = (obj, name)
        for key, value in list(obj.__dict__.items()):
            if isinstance(value, engine.Tensor):
                if value.name is None and value.grad_fn is None:
                    value.name = f"{name}.{key}"
            else:
                self.name_value(f"{name}.{key}", value)

    def object_changed(self, obj: ScriptObjectBase) -> None:
        """A tensor or layer assigned into a named object takes its path (`layer.weight`)."""
        known = self._objects.get(id(obj))
        if known is not None and known[0] is obj:
            del self._objects[id(obj)]
            self._name_object(known[1], obj)

    def module_changed(self, module: engine.nn.Module) -> None:
        """A layer or parameter assigned into a named module takes its path (`model.fc.weight`)."""
        known = self._modules.get(id(module))
        if known is not None and known[0] is module:
            self.name_module(known[1], module)

    def module_label(self, tensor: engine.Tensor) -> str | None:
        """What a tensor made inside a module is called: `model[0](x)` for what the module
        returned, `model[0].weight.T` and `model[0]: reshape` for the steps inside it."""
        made = self._made_in.get(id(tensor))
        if made is None or id(made[0]) not in self._modules:
            return None
        module, first = made
        owner = self._modules[id(module)][1]
        if first is not None:
            argument = first.name if first.name and len(first.name) <= 12 else "…"
            return f"{owner}({argument})"
        if isinstance(module, ScriptModuleBase):  # its forward is the script's: quote it
            return None
        node = tensor.grad_fn
        if node is None:
            return owner
        inputs = [t for t in node.inputs if t is not None]
        if node.name() == "TBackward0" and inputs and inputs[0].name:
            return f"{inputs[0].name}.T"
        label = f"{owner}: {node.spec.name}"
        self._op_labels[label] = owner
        return label

    def label_versions(self, graph: Any) -> None:
        """A tensor written in place inside a layer is drawn once per version (an RNN cell's
        `linear(h).add_(...)`): each is named by the op that made that version
        (`cell: addmm`, then `cell: add`), not all by the last."""
        for _, data in graph.nodes(data=True):
            obj = data.get("obj")
            owner = self._op_labels.get(getattr(obj, "name", None))
            node = getattr(obj, "_grad_fn", None)
            if owner is not None and isinstance(node, engine.Node):
                data["label"] = f"{owner}: {node.spec.name}"

    def name_unnamed(self) -> None:
        """Give every script tensor without a variable name its readable label."""
        for tensor in self.script_tensors:
            if tensor.name is None:
                tensor.name = self.module_label(tensor) or self.label(tensor)

    def name_grads(self) -> None:
        """Name each new `.grad` after its tensor: `x.grad`."""
        self._scan_new_tensors()
        for tensor in self._candidates:
            if tensor.requires_grad and (tensor.is_leaf or tensor.retains_grad):
                grad = tensor.grad
                if grad is not None and grad.name is None:
                    owner = tensor.name or self.label(tensor) or "tensor"
                    grad.name = f"{owner}.grad"


_LAYERS = (engine.nn.Module, ScriptObjectBase)
_LAYER_LISTS = 256  # a list of layers is named up to this length (a store must stay cheap)


def _module_path(name: str, path: str) -> str:
    """`model` and `0.weight` read as `model[0].weight`, as a script reaches it."""
    text = name
    for part in path.split(".") if path else ():
        text += f"[{part}]" if part.isdigit() else f".{part}"
    return text

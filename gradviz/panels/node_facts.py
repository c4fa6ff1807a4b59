"""What the inspector says about a node at step k, as plain text (Qt-free, tested headless).

Every value is PyTorch's own text. `.grad` is exactly what PyTorch holds at that step, `None`
included; where it is `None` the facts say why, and what flowed through the tensor anyway.
"""

from __future__ import annotations

import io
import tokenize
from dataclasses import dataclass, field
from typing import Any

import numpy as np

import engine
from engine.node import Node
from engine.printing import format_tensor
from gradviz.graph.flow import Flow
from gradviz.graph.format import summary
from gradviz.panels.tensor_text import (
    NONE,
    compact,
    compact_grad,
    dtype_name,
    function_name,
    grad_repr,
    next_functions_text,
    shape_text,
    tensor_repr,
)
from gradviz.script.run import Run
from gradviz.script.source_span import SourceSpan

LEAF = "leaf tensor"
NON_LEAF = "non-leaf tensor"


@dataclass(frozen=True)
class GradFacts:
    """`t.grad` at one step: its text, whether this step just changed it, and why."""

    text: str
    is_none: bool
    changed: bool = False  # the step being shown wrote it
    previous: str = NONE  # before that step, on one line (`None`, `tensor(2.)`)
    short: str = NONE  # `text` on one line, cut to fit a badge
    note: str = ""


@dataclass(frozen=True)
class TensorFacts:
    name: str
    role: str
    origin: str  # `line 4: y = x ** 2`
    properties: list[tuple[str, str]]
    value: str
    value_note: str
    grad: GradFacts
    flowed: str | None  # the gradient that reached it in this pass (None: nothing yet)
    flowed_note: str
    values: Any = None  # numpy, for the plots
    grad_values: Any = None
    dtype: str = "float32"
    tensor: engine.Tensor | None = None


@dataclass(frozen=True)
class OpFacts:
    name: str  # the grad_fn, e.g. MulBackward0
    role: str
    origin: str
    properties: list[tuple[str, str]]
    inputs: list[tuple[str, str]]  # (name, what it is / where its gradient goes)
    output: tuple[str, str]
    formulas: list[tuple[str, str]] = field(default_factory=list)  # (∂out/∂in, formula)
    current: str = ""  # what the step being shown does here


def describe(run: Run, flow: Flow, key: str, k: int) -> TensorFacts | OpFacts | None:
    """The facts of graph node `key` at step k, or None if the run has no such node."""
    if key not in run.graph:
        return None
    data = run.graph.nodes[key]
    if data["kind"] == "op":
        return _op_facts(run, flow, data["obj"], k)
    return _tensor_facts(run, flow, data["obj"], k, data.get("source"))


def _origin(run: Run, tensor: engine.Tensor | None, span: SourceSpan | None = None) -> str:
    """`line 4: y = x ** 2`: where the script made the tensor (or this version of it), its
    comment left out."""
    span = span or getattr(tensor, "source", None)
    if span is None:
        return ""
    lines = run.source.splitlines()
    text = _code(lines[span.line - 1]) if 0 < span.line <= len(lines) else ""
    return f"line {span.line}: {text}" if text else f"line {span.line}"


def _code(line: str) -> str:
    """A source line without its trailing comment (a `#` inside a string stays)."""
    try:
        for token in tokenize.generate_tokens(io.StringIO(line + "\n").readline):
            if token.type == tokenize.COMMENT:
                return line[: token.start[1]].strip()
    except (tokenize.TokenError, SyntaxError):
        pass
    return line.strip()


def _tensor_facts(run: Run, flow: Flow, tensor: engine.Tensor, k: int,
                  span: SourceSpan | None = None) -> TensorFacts:
    name = tensor.name or "tensor"
    dtype = tensor.dtype.name
    grad_fn = tensor.grad_fn
    is_leaf = grad_fn is None
    properties = [
        ("shape", shape_text(tensor)),
        ("dtype", f"torch.{dtype}"),
        ("requires_grad", str(tensor.requires_grad)),
        ("is_leaf", str(is_leaf)),
        ("grad_fn", function_name(grad_fn)),
    ]
    if not is_leaf:
        properties.append(("retains_grad", str(tensor._retains_grad)))
        properties.append(("grad_fn.next_functions", next_functions_text(grad_fn)))
    if is_leaf:
        role = f"{LEAF} · {'requires grad' if tensor.requires_grad else 'a constant'}"
    else:
        role = f"{NON_LEAF} · made by {grad_fn.type_name()}"  # CopySlices, not torch::…
    value = tensor_repr(tensor)
    values, changed_later = run.read_value(tensor, k)
    value_note = ""
    if changed_later:  # the card shows what the graph read, and so does this
        value = format_tensor(np.asarray(values), dtype, requires_grad=tensor.requires_grad)
        value_note = ("its value as this pass's graph read it; changed in place afterwards, "
                      f"to {summary(np.asarray(tensor._data), dtype)} at the end of the script")
    elif tensor._version:
        value_note = (f"changed in place {tensor._version} time"
                      f"{'s' if tensor._version > 1 else ''}: its value at the end of the script")
    grad_values = run.grad_at(tensor, k)
    flowed = flow.flowed(tensor, k)
    return TensorFacts(
        name=name, role=role, origin=_origin(run, tensor, span), properties=properties,
        value=value, value_note=value_note,
        grad=_grad_facts(run, flow, tensor, k, grad_values),
        flowed=None if flowed is None else grad_repr(flowed, dtype),
        flowed_note=_flowed_note(flow, tensor, k, flowed),
        values=np.asarray(values), grad_values=grad_values, dtype=dtype, tensor=tensor)


def _stores_grad(tensor: engine.Tensor) -> bool:
    return tensor.requires_grad and (tensor.grad_fn is None or tensor._retains_grad)


def _grad_facts(run: Run, flow: Flow, tensor: engine.Tensor, k: int, value: Any) -> GradFacts:
    name = tensor.name or "tensor"
    dtype = tensor.dtype.name
    text = grad_repr(value, dtype)
    step = flow.step_at(k)
    changed = step is not None and step.input is tensor and _stores_grad(tensor)
    previous = compact_grad(run.grad_at(tensor, k - 1), dtype, 40) if changed else NONE
    if not tensor.requires_grad:
        note = (f"{name} does not require grad, so no gradient is computed for it: "
                f"{name}.grad stays None.")
    elif not _stores_grad(tensor):
        would = flow.accumulated(tensor, k)
        note = (f"PyTorch only stores .grad for leaf tensors; {name} is made by an op, so the "
                "gradient passes through it without being kept.")
        if would is not None:
            note += (f" With {name}.retain_grad() before backward(), {name}.grad would be "
                     f"{compact_grad(would, dtype, 60)} here.")
        else:
            note += f" {name}.retain_grad() before backward() would keep it."
    elif changed:
        if step.grad_before is None:
            note = (f"Step {k} created {name}.grad: the first gradient to arrive "
                    f"({step.op}, {_label(step.output)} → {name}).")
        else:
            note = (f"Step {k} added {compact(step.contribution, dtype)} to {name}.grad "
                    f"({step.op}, {_label(step.output)} → {name}): gradients accumulate.")
    elif value is None and not flow.ever_reached(tensor):
        note = f"No backward pass reaches {name}, so {name}.grad stays None."
    elif value is None:
        note = f"None until the backward pass reaches {name}; PyTorch then creates {name}.grad."
    else:
        last = flow.last_arrival(tensor, k)
        bounds = flow.bounds(flow.pass_of(k))
        if last is not None and bounds is not None and last >= bounds[0]:
            note = f"Last changed at step {last}; step {k} does not touch it."
        else:
            note = (f"Held since before this backward pass: {name}.grad keeps what earlier "
                    "backward() calls added (or the script set) until the script clears it.")
    return GradFacts(text=text, is_none=value is None, changed=changed, previous=previous,
                     short=compact_grad(value, dtype, 40), note=note)


def _flowed_note(flow: Flow, tensor: engine.Tensor, k: int, flowed: Any) -> str:
    number = flow.pass_of(k)
    name = tensor.name or "tensor"
    if number == 0:
        return "Nothing has flowed yet: the backward pass has not started."
    passes = f" in backward pass {number}" if flow.pass_count > 1 else ""
    root = flow.root(number)
    root_name = _label(root.output) if root is not None else "the output"
    if flowed is None:
        if flow.reached_in_pass(tensor, k):
            return f"Not reached yet{passes}."
        return f"No gradient reaches {name}{passes}."
    if flow.is_root(tensor, number):
        return f"The seed{passes}: ∂{root_name}/∂{root_name} = 1."
    return f"∂{root_name}/∂{name} received so far{passes}."


def _label(tensor: engine.Tensor | None) -> str:
    return (tensor.name if tensor is not None else None) or "tensor"


def _root_name(flow: Flow, k: int) -> str:
    root = flow.root(flow.pass_of(k))
    return _label(root.output) if root is not None else "root"


def _input_labels(node: Node) -> tuple[str, ...]:
    labels = []
    for i, t in enumerate(node.inputs):
        if t is not None:
            labels.append(_label(t))
        else:
            labels.append(compact(node.args[i], dtype_name(node.args[i])))
    return tuple(labels)


def _op_facts(run: Run, flow: Flow, node: Node, k: int) -> OpFacts:
    spec = node.spec
    labels = _input_labels(node)
    output = node.output
    inputs: list[tuple[str, str]] = []
    formulas: list[tuple[str, str]] = []
    for i, label in enumerate(labels):
        t = node.inputs[i] if i < len(node.inputs) else None
        target = node.next[i] if i < len(node.next) else None
        if t is None:
            inputs.append((label, "a constant: it gets no gradient"))
            continue
        if target is None:
            inputs.append((label, "requires_grad=False: it gets no gradient"))
            continue
        where = (f"its gradient goes on to {target.spec.grad_fn}, which made {label}"
                 if type(target) is Node
                 else f"its gradient goes into {label}.grad (AccumulateGrad)")
        inputs.append((label, where))
        formulas.append((f"∂{_label(output)}/∂{label}", spec.formula_text(i, labels, node.params)))
    properties = [("op", spec.name)]
    if spec.symbol != spec.name:
        properties.append(("symbol", spec.symbol))
    properties.append(("next_functions", next_functions_text(node)))
    current = ""
    step = flow.step_at(k)
    if step is not None and step.node is node:
        dtype = output.dtype.name
        source, target = _label(step.output), _label(step.input)
        formula = step.local_formula
        if step.local is not None:
            value = compact(np.asarray(step.local, dtype=np.result_type(step.contribution)),
                            dtype, 40)
            local = formula if formula == value else f"{formula} = {value}"
        else:
            local = formula
        where = (f"added to {target}.grad" if step.grad_after is not None
                 else f"passed on to {target}")
        current = "\n".join([
            f"step {k}: {source} → {target}",
            f"  upstream ∂{_root_name(flow, k)}/∂{source} = {compact(step.upstream, dtype, 40)}",
            f"× local    ∂{source}/∂{target} = {local}",
            f"= {compact(step.contribution, dtype_name(step.contribution), 40)}   {where}",
        ])
    return OpFacts(
        name=spec.grad_fn, role=f"op · {spec.name}" + (
            f" ({spec.symbol})" if spec.symbol != spec.name else ""),
        origin=_origin(run, output if getattr(node, "made", None) is None else node.made),
        properties=properties, inputs=inputs,
        output=(_label(output), compact(node.out, dtype_name(node.out), 40)),
        formulas=formulas, current=current)

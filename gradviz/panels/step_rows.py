"""The rows of the steps list as plain text (Qt-free): row 0 is "before backward", row k is
step k: which edge, the chain rule with its numbers, and the input's `.grad` before → after."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

import engine
from gradviz.panels.tensor_text import compact, compact_grad, dtype_name
from gradviz.script.run import Run

BEFORE_BACKWARD = "before backward"
NOT_STORED = "not stored (non-leaf)"


@dataclass(frozen=True)
class StepRow:
    """One row. Step 0 is the state before the first backward pass."""

    step: int
    backward: int  # 1-based pass; 0 for the row before backward
    edge: str = ""  # "y → x"
    op: str = ""  # "PowBackward0"
    chain: str = ""  # "1. × 4. = 4."  (upstream × local = contribution)
    formula: str = ""  # the local derivative as written, "2·x"
    grad: str = ""  # "None → tensor(4.)"
    created: bool = False  # this step turned a None .grad into a value
    stored: bool = True  # PyTorch keeps the input's .grad
    tooltip: str = ""


def _name(tensor: engine.Tensor | None) -> str:
    return (tensor.name if tensor is not None else None) or "tensor"


def step_row(run: Run, k: int, width: int = 22, root: str = "root") -> StepRow:
    """Row k of the list: k = 0 is before backward, k ≥ 1 is step k of the run.

    `root` names the output the pass started from, for the tooltip's ∂root/∂….
    """
    if k == 0:
        return StepRow(0, 0, edge=BEFORE_BACKWARD,
                       tooltip="Every .grad as it was before the first backward() call.")
    step = run.steps[k - 1]
    source, target = step.output, step.input
    out_dtype = source.dtype.name
    in_dtype = target.dtype.name
    upstream = compact(step.upstream, dtype_name(step.upstream, out_dtype), width)
    contribution = compact(step.contribution, dtype_name(step.contribution, in_dtype), width)
    formula = step.local_formula
    if step.local is not None:
        local_value = np.asarray(step.local, dtype=np.result_type(step.contribution))
        local = compact(local_value, dtype_name(local_value, in_dtype), width)
        chain = f"{upstream} × {local} = {contribution}"
    else:
        chain = f"{formula} = {contribution}"
    stored = step.grad_after is not None
    if stored:
        before = compact_grad(step.grad_before, in_dtype, width + 8)
        after = compact_grad(step.grad_after, in_dtype, width + 8)
        grad = f"{before} → {after}"
    else:
        grad = NOT_STORED
    tooltip = "\n".join([
        f"Step {k}: {step.op} sends the gradient from {_name(source)} to {_name(target)}",
        f"upstream ∂{root}/∂{_name(source)} = {compact(step.upstream, out_dtype, 60)}",
        f"local ∂{_name(source)}/∂{_name(target)} = {formula}",
        f"contribution = {compact(step.contribution, in_dtype, 60)}",
        (f"{_name(target)}.grad: {compact_grad(step.grad_before, in_dtype, 60)} → "
         f"{compact_grad(step.grad_after, in_dtype, 60)}") if stored else
        f"{_name(target)}.grad stays None: PyTorch stores .grad only for leaves",
    ])
    return StepRow(k, run.backward_of(k), edge=f"{_name(source)} → {_name(target)}",
                   op=step.op, chain=chain, formula=formula, grad=grad,
                   created=stored and step.grad_before is None, stored=stored,
                   tooltip=tooltip)


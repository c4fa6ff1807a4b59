"""Backward steps as plain records: what `gradviz steps` prints and `--json` writes."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

import engine


def plain_value(value: Any) -> Any:
    """A gradient value as JSON can hold it: a number for 0-d, nested lists otherwise, None
    for None. float32 values keep their shortest spelling (0.1, not 0.10000000149011612);
    NaN and infinities become the strings "nan", "inf" and "-inf"."""
    if value is None:
        return None
    array = np.asarray(value)
    if array.dtype.kind == "f":
        flat = [_number(float(str(v))) for v in array.ravel()]
    elif array.dtype.kind == "b":
        flat = [bool(v) for v in array.ravel()]
    elif array.dtype.kind in "iu":
        flat = [int(v) for v in array.ravel()]
    else:
        flat = [str(v) for v in array.ravel()]
    if array.ndim == 0:
        return flat[0]
    return np.array(flat, dtype=object).reshape(array.shape).tolist()


def _number(value: float) -> float | str:
    if math.isfinite(value):
        return value
    return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")


def tensor_name(tensor: engine.Tensor | None) -> str | None:
    if tensor is None:
        return None
    return tensor.name or "tensor"


def step_record(step: engine.Step, position: int, backward: int) -> dict[str, Any]:
    """One step as a record. `step` is its 1-based position in the run (as in
    `Run.grad_at`), `backward` its 1-based pass, `index` its 0-based edge within the pass."""
    return {
        "step": position,
        "backward": backward,
        "index": step.index,
        "op": step.op,
        "output": tensor_name(step.output),
        "input": tensor_name(step.input),
        "input_index": step.input_index,
        "upstream": plain_value(step.upstream),
        "local_formula": step.local_formula,
        "local": plain_value(step.local),
        "contribution": plain_value(step.contribution),
        "grad_before": plain_value(step.grad_before),
        "grad_after": plain_value(step.grad_after),
        "total_after": plain_value(step.total_after),
    }


def step_line(record: dict[str, Any]) -> str:
    """One step as a line for people."""
    def show(value: Any) -> str:
        return "None" if value is None else str(value)

    return (f"{record['step']:>4}  backward {record['backward']}  {record['op']}: "
            f"{record['output']} → {record['input']}  upstream {show(record['upstream'])}  "
            f"local {record['local_formula']} = {show(record['local'])}  "
            f"contribution {show(record['contribution'])}  "
            f"grad {show(record['grad_before'])} → {show(record['grad_after'])}")

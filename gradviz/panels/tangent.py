"""The picture of what a derivative is, as data (Qt-free): y = f(x) around the current x, and
the tangent there, whose slope is the gradient backward computes.

For a scalar leaf x feeding a scalar output y, `Replay` recomputes y for nearby values of x
from the recorded graph; the slope is ∂y/∂x as the backward pass delivered it to x.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

import engine
from gradviz.graph.flow import Flow
from gradviz.graph.replay import Replay

#: Points on the curve; fewer for big graphs. A graph that would need more op evaluations than
#: MAX_OP_EVALUATIONS even at MIN_POINTS gets no curve: replaying it would make the app stutter.
POINTS = 81
MIN_POINTS = 15
MAX_OP_EVALUATIONS = 20_000


@dataclass(frozen=True)
class Curve:
    """f around x0, for one backward pass (computed once, whatever the step)."""

    leaf: str
    root: str
    number: int  # the backward pass
    x0: float
    y0: float
    xs: np.ndarray
    ys: np.ndarray
    slope: float  # ∂root/∂leaf once the pass is complete


@dataclass(frozen=True)
class Tangent:
    """The curve and how much of the slope the backward pass has delivered by step k."""

    curve: Curve
    delivered: float | None  # ∂root/∂leaf received so far (None: nothing yet)

    @property
    def complete(self) -> bool:
        return self.delivered is not None and self.delivered == self.curve.slope


def is_scalar(values: Any) -> bool:
    return int(np.size(values)) == 1


def pass_for(flow: Flow, tensor: engine.Tensor, k: int) -> int | None:
    """The pass to draw: the one step k is in, or (before backward) the first reaching x."""
    number = flow.pass_of(k)
    if number == 0:
        number = next((n for n in range(1, flow.pass_count + 1)
                       if flow.bounds(n) and flow.reached_in_pass(tensor, flow.bounds(n)[0])),
                      0)
    if number == 0 or flow.bounds(number) is None:
        return None
    if not flow.reached_in_pass(tensor, flow.bounds(number)[0]):
        return None
    return number


def curve_for(flow: Flow, tensor: engine.Tensor, number: int, points: int = POINTS
              ) -> Curve | None:
    """f(x) = the pass's root as a function of leaf `tensor`, or None where there is none."""
    root = flow.root(number)
    bounds = flow.bounds(number)
    if root is None or bounds is None or not tensor.is_leaf or not tensor.requires_grad:
        return None
    if not is_scalar(tensor._data) or not is_scalar(root.out):
        return None
    try:
        replay = Replay(root, tensor)
    except ValueError:
        return None
    slope_value = flow.flowed_in(tensor, number, bounds[1])
    if slope_value is None or len(replay.nodes) * MIN_POINTS > MAX_OP_EVALUATIONS:
        return None
    points = max(MIN_POINTS, min(points, MAX_OP_EVALUATIONS // max(1, len(replay.nodes))))
    x0 = float(np.asarray(replay.point).reshape(-1)[0])
    half = max(1.0, abs(x0))
    xs = np.linspace(x0 - half, x0 + half, points)
    shape = np.shape(replay.point)
    ys = np.array([_scalar(replay(np.full(shape, x))) for x in xs])
    return Curve(leaf=tensor.name or "x", root=root.output.name or "y", number=number,
                 x0=x0, y0=_scalar(replay.value), xs=xs, ys=ys,
                 slope=_scalar(slope_value))


def tangent_at(flow: Flow, curve: Curve, tensor: engine.Tensor, k: int) -> Tangent:
    """The curve with the slope delivered by step k of its pass."""
    bounds = flow.bounds(curve.number)
    delivered = None
    if bounds is not None and k >= bounds[0]:
        value = flow.flowed_in(tensor, curve.number, min(k, bounds[1]))
        delivered = None if value is None else _scalar(value)
    return Tangent(curve, delivered)


def _scalar(value: Any) -> float:
    return float(np.asarray(value, dtype=np.float64).reshape(-1)[0])

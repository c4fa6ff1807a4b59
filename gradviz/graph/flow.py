"""How much gradient has flowed into each tensor by step k, stored in `.grad` or not.

`Run.grad_at` answers what PyTorch holds in `.grad`; a non-leaf holds nothing there, yet the
gradient passes through it on its way to the leaves. `Flow` reads that from the steps: each
step's `total_after` is everything that reached its input so far in its backward pass.
"""

from __future__ import annotations

import bisect
from typing import Any

import numpy as np

import engine
from engine.node import Node
from gradviz.graph.step_keys import step_keys
from gradviz.script.run import Run


class Flow:
    """Per-tensor positions of the steps that reach it, and the backward passes' bounds."""

    def __init__(self, run: Run) -> None:
        self.run = run
        self._positions: dict[int, list[int]] = {}
        self._passes: dict[int, tuple[int, int]] = {}  # pass → first and last step position
        # the card each step delivers to (one per version of a tensor written in place)
        self.keys = step_keys(run.graph, run.steps)  # each step's cards in the graph
        receivers = [run.graph.nodes[key]["obj"] if key is not None else step.input
                     for step, (key, _, _) in zip(run.steps, self.keys, strict=True)]
        for position, receiver in enumerate(receivers, start=1):
            self._positions.setdefault(id(receiver), []).append(position)
            number = run.backward_of(position)
            first, _ = self._passes.get(number, (position, position))
            self._passes[number] = (first, position)

    @property
    def pass_count(self) -> int:
        """How many backward passes the run made (each may hold several steps)."""
        return max(self._passes, default=0)

    def pass_of(self, k: int) -> int:
        """The 1-based backward pass that step k belongs to; 0 before the first step."""
        return self.run.backward_of(k) if 1 <= k <= len(self.run.steps) else 0

    def bounds(self, number: int) -> tuple[int, int] | None:
        """The first and last step positions of backward pass `number`."""
        return self._passes.get(number)

    def root(self, number: int) -> Node | None:
        """The grad_fn that backward pass `number` started from."""
        bounds = self.bounds(number)
        return self.run.steps[bounds[0] - 1].node if bounds else None

    def is_root(self, tensor: engine.Tensor, number: int) -> bool:
        root = self.root(number)
        return root is not None and root.output is tensor

    def flowed(self, tensor: engine.Tensor, k: int) -> Any:
        """d root / d tensor received so far in the pass of step k (None: nothing yet)."""
        return self.flowed_in(tensor, self.pass_of(k), k)

    def flowed_in(self, tensor: engine.Tensor, number: int, k: int) -> Any:
        """What reached `tensor` in backward pass `number` by step k (None: nothing yet)."""
        bounds = self.bounds(number)
        if bounds is None or k < bounds[0]:
            return None
        if self.is_root(tensor, number):
            return self.run.steps[bounds[0] - 1].upstream  # the seed, e.g. tensor(1.)
        positions = self._positions.get(id(tensor), ())
        latest = bisect.bisect_right(positions, min(k, bounds[1])) - 1
        if latest >= 0 and positions[latest] >= bounds[0]:
            return self.run.steps[positions[latest] - 1].total_after
        return None

    def reached_in_pass(self, tensor: engine.Tensor, k: int) -> bool:
        """Whether the pass of step k sends any gradient to `tensor` at all."""
        number = self.pass_of(k)
        bounds = self.bounds(number)
        if bounds is None:
            return False
        if self.is_root(tensor, number):
            return True
        positions = self._positions.get(id(tensor), ())
        index = bisect.bisect_left(positions, bounds[0])
        return index < len(positions) and positions[index] <= bounds[1]

    def ever_reached(self, tensor: engine.Tensor) -> bool:
        """Whether any backward pass of the run sends gradient to `tensor`."""
        return bool(self._positions.get(id(tensor))) or any(
            self.is_root(tensor, n) for n in self._passes)

    def accumulated(self, tensor: engine.Tensor, k: int) -> Any:
        """What `.grad` would hold by step k if PyTorch stored it (retain_grad()): the sum of
        every pass's flow so far."""
        total = None
        for number in range(1, self.pass_of(k) + 1):
            value = self.flowed_in(tensor, number, k)
            if value is not None:
                total = value if total is None else np.add(total, value)
        return total

    def last_arrival(self, tensor: engine.Tensor, k: int) -> int | None:
        """The latest step at or before k that sent gradient into `tensor` (any pass)."""
        positions = self._positions.get(id(tensor), ())
        latest = bisect.bisect_right(positions, k) - 1
        return positions[latest] if latest >= 0 else None

    def step_at(self, k: int) -> engine.Step | None:
        return self.run.steps[k - 1] if 1 <= k <= len(self.run.steps) else None

"""Every tensor's `.grad` at any step of a run's backward passes, read without re-running."""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from typing import Any

import numpy as np

import engine


class GradTimeline:
    """The state of `.grad` at step k: 0 is before the first backward, k after k steps.

    Steps are numbered over the whole run, all backward passes one after another. Within a
    pass a tensor's grad is the `grad_after` of its latest step so far; before its first
    step in a pass it is what it was when the pass began (the script may have zeroed it).
    """

    def __init__(self, steps: Sequence[engine.Step], pass_of_step: Sequence[int],
                 pass_starts: Sequence[tuple[int, dict[engine.Tensor, np.ndarray | None]]]
                 ) -> None:
        self.steps = list(steps)
        self.pass_of_step = list(pass_of_step)
        self.pass_starts = list(pass_starts)
        self._positions: dict[int, list[int]] = {}
        self.tensors: list[engine.Tensor] = []
        seen: set[int] = set()
        for _, grads in self.pass_starts:
            for tensor in grads:
                if id(tensor) not in seen:
                    seen.add(id(tensor))
                    self.tensors.append(tensor)
        for position, step in enumerate(self.steps, start=1):
            tensor = step.input
            if tensor is None:
                continue
            self._positions.setdefault(id(tensor), []).append(position)
            if step.grad_after is not None and id(tensor) not in seen:
                seen.add(id(tensor))
                self.tensors.append(tensor)

    def __len__(self) -> int:
        return len(self.steps)

    def backward_of(self, k: int) -> int:
        """The backward pass (1-based) that step k (1-based) belongs to."""
        return self.pass_of_step[k - 1]

    def pass_start(self, k: int) -> int:
        """How many steps came before the pass of step k (step 0 counts as the first pass)."""
        if k <= 0 or not self.pass_starts:
            return 0
        k = min(k, len(self.steps))
        return self.pass_starts[self.pass_of_step[k - 1] - 1][0]

    def grad_at(self, tensor: engine.Tensor, k: int) -> Any:
        """`tensor.grad` as a numpy value at step k (None where PyTorch's `.grad` is None)."""
        if not self.pass_starts:
            return None
        k = max(0, min(k, len(self.steps)))
        pass_index = 0 if k == 0 else self.pass_of_step[k - 1] - 1
        first_position, grads = self.pass_starts[pass_index]
        positions = self._positions.get(id(tensor), ())
        latest = bisect.bisect_right(positions, k) - 1
        if latest >= 0 and positions[latest] > first_position:
            return self.steps[positions[latest] - 1].grad_after
        return grads.get(tensor)

    def grads_at(self, k: int) -> dict[engine.Tensor, Any]:
        """Every tensor's grad at step k, for the tensors that can hold one (leaves and
        tensors that retain grad); any other tensor's grad is None throughout."""
        return {tensor: self.grad_at(tensor, k) for tensor in self.tensors}

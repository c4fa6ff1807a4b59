"""How far the backward passes have got at step k: done, current or pending, per node and edge.

Steps are numbered over the whole run (1-based, as `Run.grad_at` counts them; 0 is before the
first backward). An element — a node key or an edge id — is *touched* by the steps that move a
gradient through it. Within the pass that step k belongs to, an element is done once its last
needed touch is at or before k, current while step k touches it as the edge being traversed,
and pending until then. An element the current pass does not touch keeps what the earlier
passes made of it; one no pass touches is inert (no gradient ever flows there).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from enum import Enum


class State(str, Enum):
    """A node's or an edge's place in the backward pass."""

    INERT = "inert"
    PENDING = "pending"
    CURRENT = "current"
    DONE = "done"


class Progress:
    """Touches of every element by every step, and the state they imply at any step k."""

    def __init__(self, pass_of_step: Sequence[int]) -> None:
        self.pass_of_step = list(pass_of_step)
        # element -> pass -> [first touch, touch after which it is done]
        self._ranges: dict[Hashable, dict[int, list[int]]] = {}
        self._current: dict[Hashable, set[int]] = {}
        self._by_step: list[list[Hashable]] = [[] for _ in self.pass_of_step]

    @property
    def step_count(self) -> int:
        return len(self.pass_of_step)

    def pass_of(self, k: int) -> int:
        """The pass (1-based) step k belongs to; 0 before the first step."""
        return self.pass_of_step[k - 1] if 1 <= k <= self.step_count else 0

    def touch(self, element: Hashable, position: int, *, arrival: bool = False,
              current: bool = False) -> None:
        """Step `position` moves a gradient through `element`.

        An *arrival* touch (the root of a pass, an op's edge to its output) makes the element
        done as soon as the first such touch of its pass has happened; any other touch keeps it
        pending until the last one. A *current* touch is the edge being traversed at that step.
        """
        passes = self._ranges.setdefault(element, {})
        number = self.pass_of_step[position - 1]
        span = passes.get(number)
        if span is None:
            passes[number] = [position, position]
        else:
            span[0] = min(span[0], position)
            if not arrival:
                span[1] = max(span[1], position)
        if current:
            self._current.setdefault(element, set()).add(position)
        self._by_step[position - 1].append(element)

    def state(self, element: Hashable, k: int) -> State:
        """The element's state after the first k steps, with step k the one being shown."""
        passes = self._ranges.get(element)
        if not passes:
            return State.INERT
        if k in self._current.get(element, ()):
            return State.CURRENT
        span = passes.get(self.pass_of(k))
        if span is not None:
            return State.DONE if k >= span[1] else State.PENDING
        return State.DONE if any(end <= k for _, end in passes.values()) else State.PENDING

    def touched_by(self, positions: Iterable[int]) -> set[Hashable]:
        """Every element the given steps touch."""
        out: set[Hashable] = set()
        for position in positions:
            if 1 <= position <= self.step_count:
                out.update(self._by_step[position - 1])
        return out

    def elements(self) -> set[Hashable]:
        """Every element some step touches."""
        return set(self._ranges)

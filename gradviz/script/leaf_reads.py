"""The values each leaf had when the graph read it, pass by pass.

A leaf updated in place between backward passes (`optimizer.step()`, `w -= lr * w.grad`,
`w.data -= ...`) is one node of the graph, read by each pass's ops. Its card must show what
the pass on screen read, not what the leaf became by the end of the script.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

import engine


@dataclass
class Read:
    """A leaf's values as an op read them."""

    steps_done: int  # backward steps the run had taken before the read
    values: Any  # a copy, so later writes leave it as it was
    changed_later: bool = False  # they differ from the leaf's values at the end of the run


def same_values(a: Any, b: Any) -> bool:
    """Bit for bit the same values (NaN equals NaN, -0. differs from 0.)."""
    if a is b:
        return True
    a, b = np.asarray(a), np.asarray(b)
    return a.shape == b.shape and a.dtype == b.dtype and a.tobytes() == b.tobytes()


class LeafReads:
    """Keeps a copy of a leaf's values each time the graph reads values it has not read
    before; `at` picks the copy a given backward pass used."""

    def __init__(self, keep: Callable[[int], None]) -> None:
        self._keep = keep  # charges the copies to the run's budget
        self._reads: dict[int, tuple[engine.Tensor, list[Read]]] = {}

    def read(self, leaf: engine.Tensor, steps_done: int) -> None:
        entry = self._reads.get(id(leaf))
        data = leaf._data
        if entry is not None and entry[0] is leaf and same_values(entry[1][-1].values, data):
            return
        if isinstance(data, np.ndarray):
            self._keep(data.size)
            data = data.copy()
        if entry is None or entry[0] is not leaf:
            self._reads[id(leaf)] = (leaf, [Read(steps_done, data)])
        else:
            entry[1].append(Read(steps_done, data))

    def finish(self) -> None:
        """Mark the reads whose values the leaf no longer has at the end of the run."""
        for leaf, reads in self._reads.values():
            for read in reads:
                read.changed_later = not same_values(read.values, leaf._data)

    def reads(self, tensor: engine.Tensor) -> list[Read]:
        """Every distinct value the graph read from `tensor`, in order ([] if none)."""
        entry = self._reads.get(id(tensor))
        return entry[1] if entry is not None and entry[0] is tensor else []

    def at(self, tensor: engine.Tensor, pass_start: int) -> Read | None:
        """What the pass that began after `pass_start` steps read from `tensor`: its first
        read since the previous pass ended, else the latest before, else its first."""
        reads = self.reads(tensor)
        chosen = None
        for read in reads:
            if read.steps_done == pass_start:
                return read
            if read.steps_done > pass_start:
                break
            chosen = read
        return chosen or (reads[0] if reads else None)

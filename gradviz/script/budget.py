"""The running account of a script against its `Limits`: time, loops, sizes and output."""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from typing import Protocol, TypeVar

from gradviz.script.errors import CancelledError, ScriptFault, over_limit
from gradviz.script.limits import Limits
from gradviz.script.tensor_sizes import envelope_numel

T = TypeVar("T")


class Cancel(Protocol):
    """What stops a run from outside (a `threading.Event` will do)."""

    def is_set(self) -> bool: ...


class Budget:
    """Counts what a run uses and raises a `LimitError` fault the moment a limit is crossed."""

    def __init__(self, limits: Limits, cancel: Cancel | None = None) -> None:
        self.limits = limits
        self.cancel = cancel
        self.started = time.monotonic()
        self.deadline = self.started + limits.time_seconds
        self.iterations = 0
        self.elements = 0
        self.tensors = 0
        self.output_chars = 0
        self.steps = 0

    def check_time(self) -> None:
        """Stop the script if it is over its time budget or someone cancelled the run."""
        if self.cancel is not None and self.cancel.is_set():
            raise ScriptFault("cancelled: the run was stopped before the script finished",
                              CancelledError)
        if time.monotonic() > self.deadline:
            raise over_limit(f"limit exceeded: the script ran longer than "
                             f"{self.limits.time_seconds:g} s (Limits.time_seconds)")

    def iteration(self) -> None:
        """One more turn of a loop, comprehension or iterable-consuming builtin."""
        self.iterations += 1
        if self.iterations > self.limits.loop_iterations:
            raise over_limit(f"limit exceeded: more than {self.limits.loop_iterations:,} loop "
                             f"iterations (Limits.loop_iterations)")
        self.check_time()

    def counted(self, iterable: Iterable[T]) -> Iterator[T]:
        """Iterate `iterable`, counting every item as a loop iteration."""
        for item in iterable:
            self.iteration()
            yield item

    def tensor_size(self, numel: int) -> None:
        """Refuse a tensor of `numel` elements before it is allocated."""
        if numel > self.limits.tensor_elements:
            raise over_limit(f"limit exceeded: a tensor of {numel:,} elements is larger than "
                             f"{self.limits.tensor_elements:,} (Limits.tensor_elements)")

    def tensor_created(self, numel: int) -> None:
        """Account for a tensor the engine made."""
        self.tensor_size(numel)
        self.tensors += 1
        if self.tensors > self.limits.tensors:
            raise over_limit(f"limit exceeded: the script created more than "
                             f"{self.limits.tensors:,} tensors (Limits.tensors)")
        self.keep(numel)

    def keep(self, elements: int) -> None:
        """Account for `elements` more values held by the run (tensors, sequences, grads)."""
        self.elements += elements
        if self.elements > self.limits.total_elements:
            raise over_limit(f"limit exceeded: the script made more than "
                             f"{self.limits.total_elements:,} elements in total "
                             f"(Limits.total_elements)")

    def elementwise(self, values: Iterable[object]) -> None:
        """Refuse comparing or adding `values` pairwise (from C, in `sum`, `max`, `sorted`,
        `in`...) when two of them could broadcast to a tensor over the size limit."""
        numel = envelope_numel(values)
        if numel is not None:
            self.tensor_size(numel)

    def check_length(self, length: int) -> None:
        """Refuse a string, list, tuple or dict of `length` items before it is built."""
        if length > self.limits.sequence_length:
            raise over_limit(f"limit exceeded: a sequence of {length:,} items is longer than "
                             f"{self.limits.sequence_length:,} (Limits.sequence_length)")

    def check_text(self, length: int) -> None:
        """Refuse building a text of `length` characters (`str`, `print`, f-strings...)."""
        if length > self.limits.sequence_length:
            raise over_limit(f"limit exceeded: the text would be {length:,} characters, longer "
                             f"than {self.limits.sequence_length:,} (Limits.sequence_length)")

    def sequence(self, length: int) -> None:
        """Refuse, or account for, a new sequence of `length` items before it is built."""
        self.check_length(length)
        self.keep(length)

    def int_bits(self, bits: int) -> None:
        """Refuse an integer result of about `bits` bits before it is computed."""
        if bits > self.limits.int_bits:
            raise over_limit(f"limit exceeded: an integer of about {bits:,} bits is larger than "
                             f"{self.limits.int_bits:,} bits (Limits.int_bits)")

    def output(self, chars: int) -> None:
        self.output_chars += chars
        if self.output_chars > self.limits.output_chars:
            raise over_limit(f"limit exceeded: the script printed more than "
                             f"{self.limits.output_chars:,} characters (Limits.output_chars)")

    def step(self, elements: int) -> None:
        """Account for one recorded backward step holding `elements` values."""
        self.steps += 1
        if self.steps > self.limits.backward_steps:
            raise over_limit(f"limit exceeded: more than {self.limits.backward_steps:,} "
                             f"backward steps (Limits.backward_steps)")
        self.keep(elements)
        self.check_time()


"""The resource limits of a script run: one settings object, not constants scattered in code."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    """How much a script may use before it is stopped with a `LimitError`.

    Every limit is checked before the work it bounds is done wherever the cost can be known
    in advance (tensor sizes, integer powers, string and list repetition), so a script that
    asks for too much is refused instead of exhausting the learner's machine.
    """

    #: Wall-clock budget for the whole run, in seconds (checked between steps of the script).
    time_seconds: float = 10.0
    #: Iterations of all loops, comprehensions and builtins that consume iterables, in total.
    loop_iterations: int = 1_000_000
    #: Elements in any one tensor, checked from the arguments before it is allocated.
    tensor_elements: int = 10_000_000
    #: Elements kept by the run in total: tensors, sequences and recorded gradients.
    total_elements: int = 50_000_000
    #: Tensors the script may create (each one is a node the viewer may have to show).
    tensors: int = 100_000
    #: Length of any string, list, tuple or dict (repetition, concatenation, joins, widths).
    sequence_length: int = 1_000_000
    #: Bits of any integer result (`2 ** 10 ** 9` is refused before it is computed).
    int_bits: int = 10_000
    #: Nested calls of script functions (runaway recursion stops cleanly here).
    call_depth: int = 50
    #: Characters the script may print.
    output_chars: int = 1_000_000
    #: Characters of script source.
    source_chars: int = 1_000_000
    #: Backward steps recorded over all backward passes.
    backward_steps: int = 100_000

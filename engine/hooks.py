"""Listeners a viewer attaches to watch the engine: tensors as they are made, steps as they run."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import Any

created: list[Callable[[Any], None]] = []
stepped: list[Callable[[Any], None]] = []
# How many tensor hooks were ever registered: while none, backward skips looking for them.
tensor_hooks = [0]
# How many tensors were ever asked to retain their grad: while none, backward skips the check.
retained = [0]


@contextlib.contextmanager
def on_tensor_created(callback: Callable[[Any], None]) -> Iterator[None]:
    """Call `callback(tensor)` for every tensor the engine makes inside the block."""
    created.append(callback)
    try:
        yield
    finally:
        created.remove(callback)


@contextlib.contextmanager
def on_backward_step(callback: Callable[[Any], None]) -> Iterator[None]:
    """Call `callback(step)` for every step of every backward pass inside the block."""
    stepped.append(callback)
    try:
        yield
    finally:
        stepped.remove(callback)

"""`nn.Sequential`: modules called one after another."""

from __future__ import annotations

import operator
from collections.abc import Iterator
from typing import Any

from engine.nn.module import Module


class Sequential(Module):
    """Calls its modules in order, each on the previous one's output; `model[i]` is the i-th."""

    def __init__(self, *modules: Module) -> None:
        super().__init__()
        for index, module in enumerate(modules):
            self._add(str(index), module)

    def _add(self, name: str, module: Any) -> None:
        if not isinstance(module, Module) and module is not None:
            raise TypeError(f"{type(module).__name__} is not a Module subclass")
        self._modules[name] = module
        object.__setattr__(self, name, module)

    def append(self, module: Module) -> Sequential:
        self._add(str(len(self)), module)
        return self

    def forward(self, input: Any) -> Any:  # noqa: A002
        for module in self._modules.values():
            input = module(input)
        return input

    def __len__(self) -> int:
        return len(self._modules)

    def __iter__(self) -> Iterator[Module]:
        return iter(self._modules.values())

    def __getitem__(self, index: int | slice) -> Any:
        modules = list(self._modules.values())
        if isinstance(index, slice):
            return Sequential(*modules[index])
        position = operator.index(index)
        if not -len(modules) <= position < len(modules):
            raise IndexError(f"index {position} is out of range")
        return modules[position]

"""`nn.Sequential` (modules called one after another) and `nn.ModuleList` (modules kept in a
list, called by the model's own `forward`)."""

from __future__ import annotations

import operator
from collections.abc import Iterable, Iterator
from typing import Any

from engine.nn.module import Module, _indent


class _Modules(Module):
    """What Sequential and ModuleList share: `len`, iteration, and `[i]` or `[a:b]`."""

    def _sliced(self, modules: list[Module]) -> Module:
        raise NotImplementedError

    def __len__(self) -> int:
        return len(self._modules)

    def __iter__(self) -> Iterator[Module]:
        return iter(self._modules.values())

    def __getitem__(self, index: int | slice) -> Any:
        modules = list(self._modules.values())
        if isinstance(index, slice):
            return self._sliced(modules[index])
        position = operator.index(index)
        if not -len(modules) <= position < len(modules):
            raise IndexError(f"index {position} is out of range")
        return modules[position]


class Sequential(_Modules):
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

    def _sliced(self, modules: list[Module]) -> Sequential:
        return Sequential(*modules)


class ModuleList(_Modules):
    """A list of modules whose parameters the model owns; `forward` says how to call them."""

    def __init__(self, modules: Iterable[Module] | None = None) -> None:
        super().__init__()
        if modules is not None:
            self.extend(modules)

    def append(self, module: Module) -> ModuleList:
        self.add_module(str(len(self)), module)
        return self

    def extend(self, modules: Iterable[Module]) -> ModuleList:
        if not isinstance(modules, Iterable):
            raise TypeError("ModuleList.extend should be called with an iterable, but got "
                            + type(modules).__name__)
        offset = len(self)
        for i, module in enumerate(modules):
            self.add_module(str(offset + i), module)
        return self

    def _sliced(self, modules: list[Module]) -> ModuleList:
        return ModuleList(modules)

    def __repr__(self) -> str:
        """As PyTorch prints it: runs of equal modules are folded, `(0-1): 2 x Linear(...)`."""
        reprs = [repr(module) for module in self]
        if not reprs:
            return "ModuleList()"
        runs: list[list[Any]] = []  # [first index, last index, repr]
        for index, text in enumerate(reprs):
            if runs and runs[-1][2] == text:
                runs[-1][1] = index
            else:
                runs.append([index, index, text])
        lines = [_indent(f"({first}): {text}" if first == last
                         else f"({first}-{last}): {last - first + 1} x {text}", 2)
                 for first, last, text in runs]
        return "ModuleList(\n  " + "\n  ".join(lines) + "\n)"

"""The engine's public classes print as PyTorch's do: `<class 'torch.nn.modules.linear.Linear'>`."""

from __future__ import annotations

import pytest

import engine
from engine.torch_names import PYTORCH_MODULES

torch = pytest.importorskip("torch")

CLASSES = [cls for classes in PYTORCH_MODULES.values() for cls in classes]


def pytorch_class(cls: type) -> type:
    for module in (torch.nn, torch.optim, torch.optim.lr_scheduler, torch.utils.data, torch):
        found = getattr(module, cls.__qualname__, None)
        if isinstance(found, type):
            return found
    raise AssertionError(f"PyTorch has no public {cls.__qualname__}")


@pytest.mark.parametrize("cls", CLASSES, ids=lambda cls: cls.__qualname__)
def test_a_public_class_prints_as_pytorchs(cls: type) -> None:
    assert repr(cls) == repr(pytorch_class(cls))


def test_types_of_values_print_as_pytorchs() -> None:
    values = [lambda lib: lib.ones(2), lambda lib: lib.ones(2).shape,
              lambda lib: lib.float32, lambda lib: lib.nn.Parameter(lib.ones(1)),
              lambda lib: lib.nn.Linear(2, 1), lambda lib: lib.optim.SGD([lib.ones(1)], lr=1.0)]
    for value in values:
        assert repr(type(value(engine))) == repr(type(value(torch)))


def test_module_typename_in_messages() -> None:
    """torch.typename reads the class's module: a module's `register_buffer` type error."""
    messages = []
    for lib in (engine, torch):
        with pytest.raises(TypeError) as error:
            lib.nn.Linear(1, 1).weight = lib.nn.Flatten()
        messages.append(str(error.value))
    assert messages[0] == messages[1]

"""`torch.nn.Module`: parameters and child modules by name, and calling `forward`."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterator
from typing import Any, NamedTuple

from engine.nn.parameter import Parameter
from engine.tensor import RemovableHandle, Tensor

#: The modules whose forward is running, innermost last (a viewer names their tensors).
calling: list[Module] = []
_forward_hooks: list[Callable[[Module, tuple, Any], Any]] = []


def register_module_forward_hook(hook: Callable[[Module, tuple, Any], Any]) -> RemovableHandle:
    """Call `hook(module, inputs, output)` after every module's forward, as PyTorch's global
    forward hook; a result other than None replaces the output."""
    _forward_hooks.append(hook)
    return RemovableHandle(_forward_hooks, hook)


class Module:
    """The base of every layer, loss and model: parameters and submodules are registered by
    the name they are assigned to, as PyTorch registers them."""

    training: bool

    def __init__(self) -> None:
        object.__setattr__(self, "_parameters", {})
        object.__setattr__(self, "_buffers", {})
        object.__setattr__(self, "_non_persistent_buffers_set", set())
        object.__setattr__(self, "_modules", {})
        object.__setattr__(self, "training", True)

    def __setattr__(self, name: str, value: Any) -> None:
        parameters = self.__dict__.get("_parameters")
        buffers = self.__dict__.get("_buffers", {})
        if parameters is not None and name in parameters and value is not None and not \
                isinstance(value, Parameter):
            raise TypeError(f"cannot assign '{_typename(value)}' as parameter '{name}' "
                            "(torch.nn.Parameter or None expected)")
        if isinstance(value, Parameter):
            if parameters is None:
                raise AttributeError("cannot assign parameters before Module.__init__() call")
            buffers.pop(name, None)
            parameters[name] = value
        elif isinstance(value, Module):
            if parameters is None:
                raise AttributeError("cannot assign module before Module.__init__() call")
            buffers.pop(name, None)
            self._modules[name] = value
        elif value is None and parameters is not None and name in parameters:
            parameters[name] = None
        elif name in buffers:
            if value is not None and not isinstance(value, Tensor):
                raise TypeError(f"cannot assign '{_typename(value)}' as buffer '{name}' "
                                "(torch.nn.Buffer, torch.Tensor or None expected)")
            buffers[name] = value
        object.__setattr__(self, name, value)

    def register_buffer(self, name: str, tensor: Tensor | None, persistent: bool = True
                        ) -> None:
        """Keep `tensor` as part of the module's state (in `state_dict` unless not
        `persistent`) without making it a parameter: a mask, running statistics."""
        if "_buffers" not in self.__dict__:
            raise AttributeError("cannot assign buffer before Module.__init__() call")
        if not isinstance(name, str):
            raise TypeError(f"buffer name should be a string. Got {_typename(name)}")
        if "." in name:
            raise KeyError('buffer name can\'t contain "."')
        if name == "":
            raise KeyError('buffer name can\'t be empty string ""')
        if hasattr(self, name) and name not in self._buffers:
            raise KeyError(f"attribute '{name}' already exists")
        if tensor is not None and not isinstance(tensor, Tensor):
            raise TypeError(f"cannot assign '{_typename(tensor)}' object to buffer '{name}' "
                            "(torch Tensor or None required)")
        self._buffers[name] = tensor
        if persistent:
            self._non_persistent_buffers_set.discard(name)
        else:
            self._non_persistent_buffers_set.add(name)
        object.__setattr__(self, name, tensor)

    def add_module(self, name: str, module: Module | None) -> None:
        """Register `module` under `name`, with PyTorch's checks of both."""
        if not isinstance(module, Module) and module is not None:
            raise TypeError(f"{type(module).__name__} is not a Module subclass")
        if not isinstance(name, str):
            raise TypeError(f"module name should be a string. Got {type(name).__name__}")
        if hasattr(self, name) and name not in self._modules:
            raise KeyError(f"attribute '{name}' already exists")
        if "." in name:
            raise KeyError(f'module name can\'t contain ".", got: {name}')
        if name == "":
            raise KeyError('module name can\'t be empty string ""')
        self._modules[name] = module
        object.__setattr__(self, name, module)

    def register_parameter(self, name: str, param: Parameter | None) -> None:
        self._parameters[name] = param
        object.__setattr__(self, name, param)

    # --- calling ---------------------------------------------------------------------------
    def forward(self, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError(f'Module [{type(self).__name__}] is missing the required '
                                  '"forward" function')

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        calling.append(self)
        try:
            result = self.forward(*args, **kwargs)
        finally:
            calling.pop()
        for hook in list(_forward_hooks):
            replaced = hook(self, args, result)
            if replaced is not None:
                result = replaced
        return result

    # --- what it holds -----------------------------------------------------------------------
    def named_modules(self, prefix: str = "", remove_duplicate: bool = True
                      ) -> Iterator[tuple[str, Module]]:
        """This module and every module inside it, with its dotted path: each once, unless
        `remove_duplicate` is False."""
        seen: set[int] = set()
        stack: list[tuple[str, Module]] = [(prefix, self)]
        while stack:
            name, module = stack.pop()
            if remove_duplicate and id(module) in seen:
                continue
            seen.add(id(module))
            yield name, module
            children = [(f"{name}.{key}" if name else key, child)
                        for key, child in module._modules.items() if child is not None]
            stack.extend(reversed(children))

    def modules(self) -> Iterator[Module]:
        for _, module in self.named_modules():
            yield module

    def named_children(self) -> Iterator[tuple[str, Module]]:
        seen: set[int] = set()
        for name, child in self._modules.items():
            if child is not None and id(child) not in seen:
                seen.add(id(child))
                yield name, child

    def children(self) -> Iterator[Module]:
        for _, child in self.named_children():
            yield child

    def named_parameters(self, prefix: str = "", recurse: bool = True
                         ) -> Iterator[tuple[str, Parameter]]:
        """Every parameter once, named by its path (`0.weight`), in registration order."""
        seen: set[int] = set()
        modules = self.named_modules(prefix) if recurse else iter([(prefix, self)])
        for path, module in modules:
            for key, param in module._parameters.items():
                if param is not None and id(param) not in seen:
                    seen.add(id(param))
                    yield (f"{path}.{key}" if path else key), param

    def parameters(self, recurse: bool = True) -> Iterator[Parameter]:
        for _, param in self.named_parameters(recurse=recurse):
            yield param

    def named_buffers(self, prefix: str = "", recurse: bool = True,
                      remove_duplicate: bool = True) -> Iterator[tuple[str, Tensor]]:
        """Every buffer, named by its path (`0.tril`), in registration order."""
        seen: set[int] = set()
        modules = self.named_modules(prefix, remove_duplicate) if recurse else iter(
            [(prefix, self)])
        for path, module in modules:
            for key, buffer in module._buffers.items():
                if buffer is not None and not (remove_duplicate and id(buffer) in seen):
                    seen.add(id(buffer))
                    yield (f"{path}.{key}" if path else key), buffer

    def buffers(self, recurse: bool = True) -> Iterator[Tensor]:
        for _, buffer in self.named_buffers(recurse=recurse):
            yield buffer

    def apply(self, fn: Callable[[Module], Any]) -> Module:
        """`fn` of every submodule, innermost first, then of this module (weight init)."""
        for child in self.children():
            child.apply(fn)
        fn(self)
        return self

    # --- saving and loading --------------------------------------------------------------------
    def state_dict(self, *, prefix: str = "", keep_vars: bool = False
                   ) -> OrderedDict[str, Tensor]:
        """Every parameter and persistent buffer by its path, module by module (a module
        used twice appears under both paths), detached unless `keep_vars`: each shares its
        tensor's memory."""
        state: OrderedDict[str, Tensor] = OrderedDict()
        for name, value in self._state_items(prefix):
            state[name] = value if keep_vars else value.detach()
        return state

    def _state_items(self, prefix: str) -> Iterator[tuple[str, Tensor]]:
        for name, param in self._parameters.items():
            if param is not None:
                yield prefix + name, param
        for name, buffer in self._buffers.items():
            if buffer is not None and name not in self._non_persistent_buffers_set:
                yield prefix + name, buffer
        for name, module in self._modules.items():
            if module is not None:
                yield from module._state_items(f"{prefix}{name}.")

    def load_state_dict(self, state_dict: Any, strict: bool = True) -> IncompatibleKeys:
        """Copy values into the parameters, with PyTorch's checks and messages."""
        from engine import grad_mode

        own = dict(self._state_items(""))
        missing = [name for name in own if name not in state_dict]
        unexpected = [name for name in state_dict if name not in own]
        errors = []
        for name, param in own.items():
            if name in state_dict:
                value = state_dict[name]
                if tuple(value.shape) != tuple(param.shape):
                    errors.append(f"size mismatch for {name}: copying a param with shape "
                                  f"{value.shape} from checkpoint, the shape in current model "
                                  f"is {param.shape}.")
        if strict:
            if unexpected:
                errors.insert(0, "Unexpected key(s) in state_dict: " + ", ".join(
                    f'"{name}"' for name in unexpected) + ". ")
            if missing:
                errors.insert(0, "Missing key(s) in state_dict: " + ", ".join(
                    f'"{name}"' for name in missing) + ". ")
        if errors:
            raise RuntimeError(f"Error(s) in loading state_dict for {type(self).__name__}:\n\t"
                               + "\n\t".join(errors))
        with grad_mode.no_grad():
            for name, param in own.items():
                if name in state_dict:
                    param.copy_(state_dict[name])
        return IncompatibleKeys(missing, unexpected)

    # --- device and dtype ---------------------------------------------------------------------
    def to(self, *args: Any, **kwargs: Any) -> Module:
        """`model.to("cpu")` is the model; `model.to(torch.float64)` converts its parameters
        (and their gradients) in place, as PyTorch does."""
        from engine import dtypes
        from engine.device import check, device

        target = kwargs.get("dtype")
        check(kwargs.get("device"))
        for arg in args:
            if isinstance(arg, (str, device, int)) and not isinstance(arg, bool):
                check(arg)
            elif isinstance(arg, dtypes.dtype):
                target = arg
            elif isinstance(arg, Tensor):
                target = arg.dtype
        if target is not None:
            if not target.is_floating_point:
                raise TypeError(f"nn.Module.to only accepts floating point or complex dtypes, "
                                f"but got desired dtype={target}")
            for param in self.parameters():
                if param._data.dtype.kind == "f":
                    param._data = param._data.astype(target.numpy)
                    if param._grad is not None:
                        param._grad._data = param._grad._data.astype(target.numpy)
            for module in self.modules():
                for name, buffer in module._buffers.items():
                    if buffer is not None and buffer._data.dtype.kind == "f":
                        module._buffers[name] = buffer.to(target)
                        object.__setattr__(module, name, module._buffers[name])
        return self

    def cpu(self) -> Module:
        return self

    def cuda(self, device: Any = None) -> Module:
        raise AssertionError("Torch not compiled with CUDA enabled")

    def double(self) -> Module:
        from engine import dtypes

        return self.to(dtypes.float64)

    def float(self) -> Module:  # noqa: A003 - PyTorch's name
        from engine import dtypes

        return self.to(dtypes.float32)

    # --- training state ----------------------------------------------------------------------
    def train(self, mode: bool = True) -> Module:
        if not isinstance(mode, bool):
            raise ValueError("training mode is expected to be boolean")
        for module in self.modules():
            object.__setattr__(module, "training", mode)
        return self

    def eval(self) -> Module:
        return self.train(False)

    def requires_grad_(self, requires_grad: bool = True) -> Module:
        for param in self.parameters():
            param.requires_grad_(requires_grad)
        return self

    def zero_grad(self, set_to_none: bool = True) -> None:
        for param in self.parameters():
            _zero_grad(param, set_to_none)

    # --- printing ----------------------------------------------------------------------------
    def extra_repr(self) -> str:
        return ""

    def __repr__(self) -> str:
        extra = self.extra_repr()
        extra_lines = extra.split("\n") if extra else []
        child_lines = [f"({key}): " + _indent(repr(module), 2)
                       for key, module in self._modules.items()]
        lines = extra_lines + child_lines
        text = type(self).__name__ + "("
        if lines:
            if len(extra_lines) == 1 and not child_lines:
                text += extra_lines[0]
            else:
                text += "\n  " + "\n  ".join(lines) + "\n"
        return text + ")"

    def __getattr__(self, name: str) -> Any:
        raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")


class IncompatibleKeys(NamedTuple):
    """What `load_state_dict` did not match."""

    missing_keys: list[str]
    unexpected_keys: list[str]

    def __repr__(self) -> str:
        if not self.missing_keys and not self.unexpected_keys:
            return "<All keys matched successfully>"
        return (f"_IncompatibleKeys(missing_keys={self.missing_keys}, "
                f"unexpected_keys={self.unexpected_keys})")


def _typename(value: Any) -> str:
    """torch.typename: `torch.FloatTensor`, `torch.nn.modules.activation.ReLU`, `int`."""
    from engine.dtypes import LEGACY_TYPES

    if isinstance(value, Tensor):
        return LEGACY_TYPES[value._data.dtype.name]
    kind = type(value)
    module = kind.__module__  # the engine's public classes carry PyTorch's (torch_names)
    return kind.__qualname__ if module == "builtins" else f"{module}.{kind.__qualname__}"


def _indent(text: str, spaces: int) -> str:
    first, *rest = text.split("\n")
    return "\n".join([first, *(" " * spaces + line for line in rest)])


def _zero_grad(param: Tensor, set_to_none: bool) -> None:
    """As `Module.zero_grad` and `Optimizer.zero_grad` clear one gradient."""
    grad = param._grad
    if grad is None:
        return
    if set_to_none:
        param._grad = None
        return
    if grad._grad_fn is not None:
        grad.detach_()
    else:
        grad.requires_grad_(False)
    grad.zero_()

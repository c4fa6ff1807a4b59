"""What a script's `type(obj)` gives: the class it may hold for `obj`, shown as Python and
PyTorch show it, so `print(type(x))`, `type(v) is float` and `type(x) == torch.Tensor` work,
while no metaclass, constructor of interpreter objects or class attribute is reached."""

from __future__ import annotations

import types
from typing import Any

import engine
from gradviz.script.allowlist import ScriptModule
from gradviz.script.classes import BoundMethod, ScriptObjectBase
from gradviz.script.functions import ScriptFunction
from gradviz.script.shown_type import ShownType

#: Classes handed back as they are: calling one makes what the script could make anyway.
VALUE_TYPES = (int, float, bool, complex, type(None), range, slice, enumerate, zip, reversed)
ENGINE_TYPES = (engine.Tensor, engine.nn.Module, engine.optim.Optimizer, engine.Size,
                engine.device, engine.dtype, engine.no_grad, engine.enable_grad,
                engine.set_grad_enabled, engine.Generator, engine.utils.data.DataLoader,
                engine.utils.data.TensorDataset, engine.optim.lr_scheduler.LRScheduler)

#: How Python names the class of what the interpreter stands in for.
STAND_INS = {ScriptFunction: "function", BoundMethod: "method", types.FunctionType: "function",
             types.MethodType: "method", types.BuiltinFunctionType: "builtin_function_or_method"}


def script_type(obj: Any, builtins: dict[str, Any]) -> Any:
    """`type(obj)` for a script whose builtins are `builtins`: a class it names through a
    wrapper (`list`) is that wrapper, so `type([]) is list` holds."""
    kind = type(obj)
    wrappers = [w for w in builtins.values() if not isinstance(w, type) and hasattr(w, "real")]
    for wrapper in wrappers:
        if wrapper.real is kind:
            return wrapper
    if kind in VALUE_TYPES or issubclass(kind, (*ENGINE_TYPES, ScriptObjectBase)):
        return kind
    if isinstance(obj, type) and issubclass(obj, engine.Tensor):
        return ShownType(type, "torch._C._TensorMeta")
    if isinstance(obj, (type, ShownType)) or any(obj is wrapper for wrapper in wrappers):
        return ShownType(type, "type")
    if any(obj is function for function in builtins.values()):
        return ShownType(types.BuiltinFunctionType, "builtin_function_or_method")
    return ShownType(kind, _python_name(obj, kind))


def _python_name(obj: Any, kind: type) -> str:
    if isinstance(obj, engine.Node):
        return obj.type_name()
    if isinstance(obj, engine.AccumulateGrad):
        return "AccumulateGrad"
    if isinstance(obj, ScriptModule):
        return "module"
    for stand_in, name in STAND_INS.items():
        if isinstance(obj, stand_in):
            return name
    return kind.__name__

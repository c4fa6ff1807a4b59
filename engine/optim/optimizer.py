"""`torch.optim.Optimizer`: parameter groups, per-parameter state, `zero_grad`."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

from engine import grad_mode
from engine.dtypes import LEGACY_TYPES
from engine.nn.module import _zero_grad
from engine.tensor import Tensor


class Optimizer:
    """Holds `param_groups` (dicts of params and options) and `state` (per parameter)."""

    def __init__(self, params: Any, defaults: dict[str, Any]) -> None:
        self.defaults = defaults
        self.state: defaultdict[Tensor, dict[str, Any]] = defaultdict(dict)
        self.param_groups: list[dict[str, Any]] = []
        if isinstance(params, Tensor):
            raise TypeError("params argument given to the optimizer should be an iterable of "
                            f"Tensors or dicts, but got {LEGACY_TYPES[params.dtype.name]}")
        groups = list(params)
        if not groups:
            raise ValueError("optimizer got an empty parameter list")
        if not isinstance(groups[0], dict):
            groups = [{"params": groups}]
        for group in groups:
            self.add_param_group(group)

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """One update of every group, under no_grad; a closure re-evaluates the loss first."""
        loss = None
        if closure is not None:
            with grad_mode.enable_grad():
                loss = closure()
        with grad_mode.no_grad():
            for group in self.param_groups:
                self._step_group(group)
        return loss

    def _step_group(self, group: dict[str, Any]) -> None:
        raise NotImplementedError

    def state_dict(self) -> dict[str, Any]:
        """`state` and `param_groups` with each parameter replaced by its number, as PyTorch
        packs them (the state's tensors are the optimizer's own, not copies)."""
        numbers: dict[int, int] = {}
        groups = []
        for group in self.param_groups:
            packed = {key: value for key, value in group.items() if key != "params"}
            for param in group["params"]:
                numbers.setdefault(id(param), len(numbers))
            packed["params"] = [numbers[id(param)] for param in group["params"]]
            groups.append(packed)
        state = {numbers[id(param)]: values for param, values in self.state.items()
                 if id(param) in numbers}
        return {"state": state, "param_groups": groups}

    def add_param_group(self, group: dict[str, Any]) -> None:
        params = group["params"]
        group["params"] = [params] if isinstance(params, Tensor) else list(params)
        for param in group["params"]:
            if not isinstance(param, Tensor):
                raise TypeError("optimizer can only optimize Tensors, but one of the params is "
                                f"{_typename(param)}")
            if not param.is_leaf:
                raise ValueError("can't optimize a non-leaf Tensor")
        for name, default in self.defaults.items():
            group.setdefault(name, default)
        known = {id(p) for g in self.param_groups for p in g["params"]}
        if any(id(p) in known for p in group["params"]):
            raise ValueError("some parameters appear in more than one parameter group")
        self.param_groups.append(group)

    def zero_grad(self, set_to_none: bool = True) -> None:
        for group in self.param_groups:
            for param in group["params"]:
                _zero_grad(param, set_to_none)

    def __repr__(self) -> str:
        text = type(self).__name__ + " ("
        for index, group in enumerate(self.param_groups):
            text += f"\nParameter Group {index}\n"
            for key in sorted(group):
                if key != "params":
                    text += f"    {key}: {group[key]}\n"
        return text + ")"


def check_options(optimizer: str, options: tuple[tuple[str, Any], ...], unmodelled: str,
                  *flags: Any) -> None:
    """PyTorch's "Invalid <option>: <value>" for each negative option, in its order; then
    gradviz's refusal of the paths it does not model (`unmodelled`) if any flag is set."""
    for name, value in options:
        if not 0.0 <= value:
            raise ValueError(f"Invalid {name}: {value}")
    if any(flags):
        raise NotImplementedError(f"gradviz models {optimizer} without {unmodelled} "
                                  "(PyTorch's single-tensor path, its default on CPU)")


def _typename(value: Any) -> str:
    kind = type(value)
    module = kind.__module__
    return kind.__qualname__ if module in ("builtins", None) else f"{module}.{kind.__qualname__}"


class SteppedPerParameter(Optimizer):
    """An optimizer that makes each parameter's state (from `_first_state`) for every
    parameter with a gradient before it updates any, as PyTorch's `_init_group` does, then
    runs its single-tensor update (`_update`) parameter by parameter."""

    def _step_group(self, group: dict[str, Any]) -> None:
        from engine import dtypes

        params = [p for p in group["params"] if p.grad is not None]
        for param in params:
            if param.dtype not in (dtypes.float32, dtypes.float64):
                raise NotImplementedError(f"gradviz models {type(self).__name__} for float32 "
                                          f"and float64 parameters, not {param.dtype}")
            state = self.state[param]
            if not state:
                state.update(self._first_state(param, group))
        for param in params:
            self._update(param, group)

    def _first_state(self, param: Tensor, group: dict[str, Any]) -> dict[str, Tensor]:
        raise NotImplementedError

    def _update(self, param: Tensor, group: dict[str, Any]) -> None:
        raise NotImplementedError

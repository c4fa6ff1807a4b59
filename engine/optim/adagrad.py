"""`torch.optim.Adagrad`, step for step as PyTorch's single-tensor CPU implementation, with the
kernels Adam's module models (`addcmul_`, `addcdiv_` as PyTorch's CPU rounds them)."""

from __future__ import annotations

from typing import Any

from engine.creation import full_like, tensor
from engine.functions import copy_
from engine.optim.adam import addcdiv, addcmul
from engine.optim.optimizer import SteppedPerParameter, check_options
from engine.tensor import Tensor


class Adagrad(SteppedPerParameter):
    """Divides each step by the root of every squared gradient so far, summed."""

    def __init__(self, params: Any, lr: float = 1e-2, lr_decay: float = 0,
                 weight_decay: float = 0, initial_accumulator_value: float = 0,
                 eps: float = 1e-10, foreach: bool | None = None, *, maximize: bool = False,
                 differentiable: bool = False, fused: bool | None = None) -> None:
        if isinstance(lr, Tensor):
            raise NotImplementedError("gradviz models Adagrad with a float lr, not a tensor")
        check_options("Adagrad", (("learning rate", lr), ("lr_decay value", lr_decay),
                                  ("weight_decay value", weight_decay),
                                  ("initial_accumulator_value value", initial_accumulator_value),
                                  ("epsilon value", eps)),
                      "foreach, fused or differentiable", foreach, differentiable, fused)
        defaults = {"lr": lr, "lr_decay": lr_decay, "eps": eps, "weight_decay": weight_decay,
                    "initial_accumulator_value": initial_accumulator_value,
                    "foreach": foreach, "maximize": maximize, "differentiable": differentiable,
                    "fused": fused}
        super().__init__(params, defaults)
        # Unlike Adam, Adagrad makes every parameter's state at once, gradient or not.
        for group in self.param_groups:
            for param in group["params"]:
                self.state[param].update(self._first_state(param, group))

    def _first_state(self, param: Tensor, group: dict[str, Any]) -> dict[str, Tensor]:
        # PyTorch reads the optimizer's default here, not the group's.
        return {"step": tensor(0.0),
                "sum": full_like(param, self.defaults["initial_accumulator_value"])}

    def _update(self, param: Tensor, group: dict[str, Any]) -> None:
        """One parameter's step, op for op as `_single_tensor_adagrad`."""
        state = self.state[param]
        step_t, state_sum = state["step"], state["sum"]
        step_t.add_(1)
        step = step_t.item()
        grad = -param.grad if group["maximize"] else param.grad
        if group["weight_decay"] != 0:
            grad = grad.add(param, alpha=group["weight_decay"])
        clr = group["lr"] / (1 + (step - 1) * group["lr_decay"])
        copy_(state_sum, addcmul(state_sum._data, grad._data, grad._data, 1))
        std = state_sum.sqrt().add_(group["eps"])
        copy_(param, addcdiv(param._data, grad._data, std._data, -clr))

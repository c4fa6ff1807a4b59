"""`torch.optim.RMSprop`, step for step as PyTorch's single-tensor CPU implementation, with the
kernels Adam's module models (`addcmul_`, `addcdiv_`, `lerp_` as PyTorch's CPU rounds them)."""

from __future__ import annotations

from typing import Any

from engine.apply import new_tensor
from engine.creation import tensor, zeros_like
from engine.functions import copy_
from engine.optim.adam import addcdiv, addcmul, lerp
from engine.optim.optimizer import SteppedPerParameter, check_options
from engine.tensor import Tensor


class RMSprop(SteppedPerParameter):
    """Divides each step by a moving root-mean-square of the gradient."""

    def __init__(self, params: Any, lr: float = 1e-2, alpha: float = 0.99, eps: float = 1e-8,
                 weight_decay: float = 0, momentum: float = 0, centered: bool = False,
                 capturable: bool = False, foreach: bool | None = None, maximize: bool = False,
                 differentiable: bool = False) -> None:
        check_options("RMSprop", (("learning rate", lr), ("epsilon value", eps),
                                  ("momentum value", momentum),
                                  ("weight_decay value", weight_decay), ("alpha value", alpha)),
                      "foreach, capturable or differentiable", capturable, differentiable,
                      foreach)
        defaults = {"lr": lr, "momentum": momentum, "alpha": alpha, "eps": eps,
                    "centered": centered, "weight_decay": weight_decay,
                    "capturable": capturable, "foreach": foreach, "maximize": maximize,
                    "differentiable": differentiable}
        super().__init__(params, defaults)

    def _first_state(self, param: Tensor, group: dict[str, Any]) -> dict[str, Tensor]:
        state = {"step": tensor(0.0), "square_avg": zeros_like(param)}
        if group["momentum"] > 0:
            state["momentum_buffer"] = zeros_like(param)
        if group["centered"]:
            state["grad_avg"] = zeros_like(param)
        return state

    def _update(self, param: Tensor, group: dict[str, Any]) -> None:
        """One parameter's step, op for op as `_single_tensor_rmsprop`."""
        lr, alpha, eps = group["lr"], group["alpha"], group["eps"]
        state = self.state[param]
        grad = -param.grad if group["maximize"] else param.grad
        square_avg = state["square_avg"]
        state["step"].add_(1)
        if group["weight_decay"] != 0:
            grad = grad.add(param, alpha=group["weight_decay"])
        square_avg.mul_(alpha)
        copy_(square_avg, addcmul(square_avg._data, grad._data, grad._data, 1 - alpha))
        if group["centered"]:
            grad_avg = state["grad_avg"]
            copy_(grad_avg, lerp(grad_avg._data, grad._data, 1 - alpha))
            avg = new_tensor(addcmul(square_avg._data, grad_avg._data, grad_avg._data, -1))
            avg = avg.sqrt_()
        else:
            avg = square_avg.sqrt()
        avg = avg.add_(eps)
        if group["momentum"] > 0:
            buf = state["momentum_buffer"]
            buf.mul_(group["momentum"])
            copy_(buf, addcdiv(buf._data, grad._data, avg._data, 1))
            param.add_(buf, alpha=-lr)
        else:
            copy_(param, addcdiv(param._data, grad._data, avg._data, -lr))

"""`torch.optim.Adam` and `AdamW`, step for step as PyTorch's single-tensor CPU implementation.

Each update is the sequence of ops `_single_tensor_adam` runs, in its order, with the Python
float arithmetic of its bias corrections. Three of those ops have no engine counterpart and are
computed here as PyTorch's CPU kernels round them, in vector blocks and scalar tail alike
(checked against torch 2.13 for float32 and float64 at sizes 0-d to 40,000):
`lerp_` with one fused multiply-add, `addcmul_` as fma(value·t1, t2, self), and `addcdiv_`
with every step rounded, self + (value·t1)/t2. The denominator's `sqrt` is the engine's, which
is MKL's for float32 where MKL runs its SSE kernel (see `cpu_loops.sqrt32`); for float64 the
engine's root is correctly rounded and MKL's is not always (sqrt(0x1.165603cf43b8fp-1):
PyTorch 0.7373092915903222, engine 0.7373092915903223), so a float64 run can drift from
PyTorch's in the last bit.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from engine.creation import tensor, zeros_like
from engine.functions import copy_, maximum
from engine.op_table import ADDCDIV, ADDCMUL
from engine.op_table import lerp as op_lerp
from engine.optim.optimizer import SteppedPerParameter
from engine.tensor import Tensor


class Adam(SteppedPerParameter):
    """Moving averages of the gradient and its square, bias-corrected, scale each step."""

    def __init__(self, params: Any, lr: float = 1e-3, betas: tuple[float, float] = (0.9, 0.999),
                 eps: float = 1e-8, weight_decay: float = 0, amsgrad: bool = False, *,
                 foreach: bool | None = None, maximize: bool = False, capturable: bool = False,
                 differentiable: bool = False, fused: bool | None = None,
                 decoupled_weight_decay: bool = False) -> None:
        if isinstance(lr, Tensor) or any(isinstance(beta, Tensor) for beta in betas):
            raise NotImplementedError(f"gradviz models {type(self).__name__} with float lr "
                                      "and betas, not tensors")
        if not 0.0 <= lr:
            raise ValueError(f"Invalid learning rate: {lr}")
        if not 0.0 <= eps:
            raise ValueError(f"Invalid epsilon value: {eps}")
        if not 0.0 <= betas[0] < 1.0:
            raise ValueError(f"Invalid beta parameter at index 0: {betas[0]}")
        if not 0.0 <= betas[1] < 1.0:
            raise ValueError(f"Invalid beta parameter at index 1: {betas[1]}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        if not (isinstance(betas[0], float) and isinstance(betas[1], float)):
            raise ValueError("betas must be either both floats or both Tensors")
        if foreach or capturable or differentiable or fused:
            raise NotImplementedError(f"gradviz models {type(self).__name__} without foreach, "
                                      "capturable, differentiable or fused (PyTorch's "
                                      "single-tensor path, its default on CPU)")
        defaults = {"lr": lr, "betas": tuple(betas), "eps": eps, "weight_decay": weight_decay,
                    "amsgrad": amsgrad, "maximize": maximize, "foreach": foreach,
                    "capturable": capturable, "differentiable": differentiable, "fused": fused,
                    "decoupled_weight_decay": decoupled_weight_decay}
        super().__init__(params, defaults)

    def _first_state(self, param: Tensor, group: dict[str, Any]) -> dict[str, Tensor]:
        state = {"step": tensor(0.0), "exp_avg": zeros_like(param),
                 "exp_avg_sq": zeros_like(param)}
        if group["amsgrad"]:
            state["max_exp_avg_sq"] = zeros_like(param)
        return state

    def _update(self, param: Tensor, group: dict[str, Any]) -> None:
        """One parameter's step, op for op as `_single_tensor_adam`."""
        lr, (beta1, beta2), eps = group["lr"], group["betas"], group["eps"]
        weight_decay = group["weight_decay"]
        state = self.state[param]
        grad = -param.grad if group["maximize"] else param.grad
        exp_avg, exp_avg_sq, step_t = state["exp_avg"], state["exp_avg_sq"], state["step"]
        step_t.add_(1)
        if weight_decay != 0:
            if group["decoupled_weight_decay"]:
                param.mul_(1 - lr * weight_decay)
            else:
                grad = grad.add(param, alpha=weight_decay)
        copy_(exp_avg, lerp(exp_avg._data, grad._data, 1 - beta1))
        exp_avg_sq.mul_(beta2)
        copy_(exp_avg_sq, addcmul(exp_avg_sq._data, grad._data, grad._data, 1 - beta2))
        step = step_t.item()
        bias_correction1 = 1 - beta1**step
        bias_correction2 = 1 - beta2**step
        step_size = lr / bias_correction1
        bias_correction2_sqrt = bias_correction2**0.5
        if group["amsgrad"]:
            max_exp_avg_sq = state["max_exp_avg_sq"]
            max_exp_avg_sq.copy_(maximum(max_exp_avg_sq, exp_avg_sq))
            denom = (max_exp_avg_sq.sqrt() / bias_correction2_sqrt).add_(eps)
        else:
            denom = (exp_avg_sq.sqrt() / bias_correction2_sqrt).add_(eps)
        copy_(param, addcdiv(param._data, exp_avg._data, denom._data, -step_size))


class AdamW(Adam):
    """Adam with decoupled weight decay: p ← p·(1 − lr·weight_decay) before each step."""

    def __init__(self, params: Any, lr: float = 1e-3, betas: tuple[float, float] = (0.9, 0.999),
                 eps: float = 1e-8, weight_decay: float = 1e-2, amsgrad: bool = False, *,
                 maximize: bool = False, foreach: bool | None = None, capturable: bool = False,
                 differentiable: bool = False, fused: bool | None = None) -> None:
        super().__init__(params, lr, betas, eps, weight_decay, amsgrad, foreach=foreach,
                         maximize=maximize, capturable=capturable, differentiable=differentiable,
                         fused=fused, decoupled_weight_decay=True)


def lerp(start: np.ndarray, end: np.ndarray, weight: float) -> np.ndarray:
    """`start.lerp_(end, weight)` on CPU (`op_table.lerp`), the weight in start's dtype."""
    return op_lerp(start, end, start.dtype.type(weight))


def addcmul(start: np.ndarray, tensor1: np.ndarray, tensor2: np.ndarray, value: float
            ) -> np.ndarray:
    """`start.addcmul_(tensor1, tensor2, value=value)` on CPU (`op_table.ADDCMUL`): value·tensor1
    rounded, then times tensor2 plus start in one fused multiply-add."""
    return ADDCMUL.forward(start, tensor1, tensor2, value)


def addcdiv(start: np.ndarray, tensor1: np.ndarray, tensor2: np.ndarray, value: float
            ) -> np.ndarray:
    """`start.addcdiv_(tensor1, tensor2, value=value)` on CPU (`op_table.ADDCDIV`):
    start + (value·tensor1)/tensor2, each step rounded to the dtype."""
    with np.errstate(all="ignore"):
        return ADDCDIV.forward(start, tensor1, tensor2, value)

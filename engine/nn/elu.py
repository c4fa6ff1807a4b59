"""`F.elu`, `F.selu` and `F.celu` (and their modules' functions): one PyTorch kernel with three
sets of coefficients, in place or not."""

from __future__ import annotations

from typing import Any

import numpy as np

from engine import functions as fn
from engine import op_table as ops
from engine.apply import unary
from engine.nn.arguments import floats_only, number, parsed
from engine.signature_table import TORCH
from engine.tensor import Tensor

# torch/csrc's SELU_ALPHA and SELU_SCALE
SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946


def elu(input: Tensor, alpha: float = 1.0, inplace: bool = False) -> Tensor:  # noqa: A002
    """input above 0, else alpha·(exp(input) − 1) (EluBackward0; in place 1)."""
    parsed("elu_" if inplace else "elu", input, alpha)
    return _elu(input, ops.ELU_ if inplace else ops.ELU, number(alpha), 1.0, 1.0, 1.0)


def selu(input: Tensor, inplace: bool = False) -> Tensor:  # noqa: A002
    """scale·elu(input, alpha) with the self-normalizing constants (EluBackward0)."""
    name = "selu_" if inplace else "selu"
    parsed(name, input, table=TORCH)
    return _elu(input, ops.ELU_ if inplace else ops.ELU, SELU_ALPHA, SELU_SCALE, 1.0, 1.0)


def celu(input: Tensor, alpha: float = 1.0, inplace: bool = False) -> Tensor:  # noqa: A002
    """input above 0, else alpha·(exp(input/alpha) − 1) (CeluBackward0; in place 1)."""
    name = "celu_" if inplace else "celu"
    parsed(name, input, alpha, table=TORCH)
    alpha = number(alpha)
    if float(alpha) == 0:
        raise RuntimeError("ZeroDivisionError: alpha cannot be 0 for CELU")
    # the forward takes 1/alpha in double; its backward 1.0/alpha.toFloat()
    return _elu(input, ops.CELU_ if inplace else ops.CELU, alpha, 1.0, 1.0 / float(alpha),
                1.0 / float(np.float32(alpha)))


def _elu(input: Tensor, spec: ops.OpSpec, alpha: Any, scale: Any,  # noqa: A002
         input_scale: Any, grad_scale: Any) -> Tensor:
    floats_only(input, "elu_cpu")
    params = {"alpha": alpha, "scale": scale, "input_scale": input_scale,
              "grad_scale": grad_scale}
    if spec in (ops.ELU_, ops.CELU_):
        return fn.inplace_op(lambda a: unary(spec, a, params, float_result=False))(input)
    return unary(spec, input, params, float_result=False)


def selu_(input: Tensor) -> Tensor:  # noqa: A002
    """`torch.selu_`: selu in place."""
    return selu(input, inplace=True)


def celu_(input: Tensor, alpha: float = 1.0) -> Tensor:  # noqa: A002
    """`torch.celu_`: celu in place."""
    return celu(input, alpha, inplace=True)

"""A numpy autograd engine with PyTorch's names, semantics and messages.

Bind it as `torch` and PyTorch tutorial code runs unchanged; its backward pass is a generator
of edge steps (`backward_steps`) that a viewer can stop after any edge.
"""

import numpy as _np

from engine import methods as _methods  # noqa: F401  (binds Tensor's operators)
from engine import nn
from engine.backward import Step, backward_steps
from engine.creation import (
    arange,
    as_tensor,
    empty,
    eye,
    full,
    full_like,
    linspace,
    manual_seed,
    ones,
    ones_like,
    rand,
    rand_like,
    randint,
    randn,
    randn_like,
    tensor,
    zeros,
    zeros_like,
)
from engine.dtypes import bool_ as bool  # noqa: A004
from engine.dtypes import (
    double,
    dtype,
    float16,
    float32,
    float64,
    half,
    int32,
    int64,
    long,
)
from engine.dtypes import float as float  # noqa: A004, PLC0414
from engine.dtypes import int as int  # noqa: A004, PLC0414
from engine.functions import (
    abs,
    addmm,
    argmax,
    argmin,
    cat,
    clamp,
    clip,
    clone,
    cos,
    dot,
    exp,
    flatten,
    log,
    log_softmax,
    matmul,
    max,
    maximum,
    mean,
    min,
    minimum,
    mm,
    mv,
    neg,
    permute,
    pow,
    reciprocal,
    relu,
    reshape,
    sigmoid,
    sin,
    softmax,
    sqrt,
    square,
    squeeze,
    stack,
    sum,
    t,
    tanh,
    transpose,
    unsqueeze,
    where,
)
from engine.grad_mode import enable_grad, is_grad_enabled, no_grad, set_grad_enabled
from engine.gradcheck import gradcheck
from engine.hooks import on_backward_step, on_tensor_created
from engine.node import AccumulateGrad, Node
from engine.shapes import Size
from engine.tensor import Tensor
from engine.trace import trace

# PyTorch never warns about inf or nan arising in arithmetic; neither do we.
_np.seterr(all="ignore")

__version__ = "2.13.0"

__all__ = [
    "AccumulateGrad", "Node", "Size", "Step", "Tensor", "abs", "addmm", "arange", "argmax",
    "argmin", "as_tensor", "backward_steps", "bool", "cat", "clamp", "clip", "clone", "cos",
    "dot", "double", "dtype", "empty", "enable_grad", "exp", "eye", "flatten", "float",
    "float16", "float32", "float64", "full", "full_like", "gradcheck", "half", "int", "int32",
    "int64", "is_grad_enabled", "linspace", "log", "log_softmax", "long", "manual_seed",
    "matmul", "max", "maximum", "mean", "min", "minimum", "mm", "mv", "neg", "nn", "no_grad",
    "on_backward_step", "on_tensor_created", "ones", "ones_like", "permute", "pow", "rand",
    "rand_like", "randint", "randn", "randn_like", "reciprocal", "relu", "reshape",
    "set_grad_enabled", "sigmoid", "sin", "softmax", "sqrt", "square", "squeeze", "stack",
    "sum", "t", "tanh", "tensor", "trace", "transpose", "unsqueeze", "where", "zeros",
    "zeros_like",
]

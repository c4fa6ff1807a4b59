"""A numpy autograd engine with PyTorch's names, semantics and messages.

Bind it as `torch` and PyTorch tutorial code runs unchanged; its backward pass is a generator
of edge steps (`backward_steps`) that a viewer can stop after any edge.
"""

import numpy as _np

from engine import autograd, distributions, linalg, nn, optim, utils
from engine import methods as _methods  # noqa: F401  (binds Tensor's operators)
from engine import signature_table as _signature_table
from engine import torch_names as _torch_names
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
    normal,
    ones,
    ones_like,
    rand,
    rand_like,
    randint,
    randn,
    randn_like,
    randperm,
    tensor,
    zeros,
    zeros_like,
)
from engine.device import cuda, device
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
from engine.einsum import einsum
from engine.functions import (
    abs,
    acos,
    add,
    addcdiv,
    addcmul,
    addmm,
    allclose,
    amax,
    amin,
    argmax,
    argmin,
    argsort,
    asin,
    atan,
    bmm,
    cat,
    ceil,
    chunk,
    clamp,
    clamp_max,
    clamp_min,
    clip,
    clone,
    cos,
    cosh,
    cumprod,
    cumsum,
    diag,
    div,
    dot,
    eq,
    equal,
    erf,
    exp,
    expm1,
    flatten,
    flip,
    floor,
    floor_divide,
    frac,
    gather,
    ge,
    gt,
    index_add,
    is_tensor,
    isclose,
    isfinite,
    isinf,
    isnan,
    le,
    lerp,
    log,
    log1p,
    log2,
    log10,
    log_softmax,
    logsumexp,
    lt,
    masked_fill,
    masked_select,
    matmul,
    max,
    maximum,
    mean,
    min,
    minimum,
    mm,
    mul,
    mv,
    nan_to_num,
    ne,
    neg,
    norm,
    numel,
    outer,
    permute,
    pow,
    prod,
    reciprocal,
    relu,
    remainder,
    reshape,
    round,
    rsqrt,
    scatter,
    scatter_add,
    sigmoid,
    sign,
    signbit,
    sin,
    sinh,
    softmax,
    sort,
    split,
    sqrt,
    square,
    squeeze,
    stack,
    std,
    sub,
    sum,
    t,
    tan,
    tanh,
    topk,
    transpose,
    tril,
    triu,
    trunc,
    unbind,
    unsafe_chunk,
    unsqueeze,
    var,
    where,
    xlogy,
)
from engine.functions import tensor_all as all  # noqa: A004
from engine.functions import tensor_any as any  # noqa: A004
from engine.grad_mode import enable_grad, is_grad_enabled, no_grad, set_grad_enabled
from engine.gradcheck import gradcheck
from engine.hooks import on_backward_step, on_tensor_created
from engine.nn.distance import cosine_similarity, pairwise_distance
from engine.nn.dropout import torch_dropout as dropout
from engine.nn.dropout import torch_dropout_ as dropout_
from engine.nn.elu import celu, celu_, selu, selu_
from engine.nn.normalization import torch_layer_norm as layer_norm
from engine.nn.piecewise import hardshrink, threshold, threshold_
from engine.node import AccumulateGrad, Node
from engine.picking import (
    argwhere,
    broadcast_to,
    count_nonzero,
    diagonal,
    diff,
    index_select,
    movedim,
    narrow,
    nonzero,
    roll,
    select,
    swapaxes,
    swapdims,
    tile,
    unflatten,
)
from engine.picking import movedim as moveaxis
from engine.random import Generator, default_generator, initial_seed
from engine.sampling import multinomial
from engine.shapes import Size
from engine.signatures import checked as _checked
from engine.tensor import Tensor
from engine.trace import trace

# Each function PyTorch implements in C++ sits behind its argument parser, so a wrong call
# raises PyTorch's TypeError (the unchecked versions stay in `engine.functions`).
for _name, _texts in (_signature_table.TORCH | _signature_table.CREATION).items():
    # tensor and as_tensor check their few keywords themselves; some are checked where defined
    if _name not in ("tensor", "as_tensor") and not hasattr(globals()[_name], "signature_key"):
        globals()[_name] = _checked(globals()[_name], _name, _texts)

_torch_names.name_classes_as_pytorch()

# PyTorch never warns about inf or nan arising in arithmetic; neither do we.
_np.seterr(all="ignore")

__version__ = "2.13.0"

__all__ = [
    "AccumulateGrad", "Node", "Size", "Step", "Tensor", "abs", "add", "addmm", "allclose",
    "arange", "argmax", "argmin", "as_tensor", "autograd", "backward_steps", "bmm", "bool", "cat",
    "ceil", "clamp", "clamp_min", "clip", "clone", "cos", "cuda", "cumsum", "device", "div", "dot",
    "double",
    "dtype", "empty", "enable_grad", "eq", "equal", "exp", "eye", "flatten", "float", "float16",
    "float32", "float64", "floor", "floor_divide", "full", "full_like", "ge", "gradcheck", "gt",
    "half", "int", "int32", "int64", "is_grad_enabled", "is_tensor", "isclose", "isinf", "isnan",
    "le", "linalg", "linspace", "log", "log10", "log2", "log_softmax", "logsumexp", "long", "lt",
    "manual_seed", "matmul", "max", "maximum", "mean", "min", "minimum", "mm", "mul", "mv", "ne",
    "neg", "nn", "no_grad", "norm", "normal", "numel", "on_backward_step", "on_tensor_created",
    "utils",
    "ones",
    "ones_like", "optim", "outer", "permute", "pow", "prod", "rand", "rand_like", "randint",
    "randn", "randn_like", "randperm", "reciprocal", "relu", "remainder", "reshape", "round",
    "set_grad_enabled",
    "sigmoid", "sign", "sin", "softmax", "sqrt", "square", "squeeze", "stack", "std", "sub",
    "sum", "t", "tan", "tanh", "tensor", "trace", "transpose", "unsqueeze", "var", "where",
    "zeros", "zeros_like",
    "acos", "asin", "atan", "cosh", "erf", "expm1", "log1p", "rsqrt", "sinh",
    "all", "any",
    "chunk", "diag", "flip", "split", "tril", "triu", "unbind", "unsafe_chunk",
    "argsort", "gather", "sort", "topk",
    "amax", "amin", "dropout", "dropout_", "Generator", "default_generator", "multinomial",
    "initial_seed",
    "argwhere", "broadcast_to", "clamp_max", "count_nonzero", "diagonal", "index_select",
    "masked_fill", "moveaxis", "movedim", "narrow", "nonzero", "roll", "select", "swapaxes",
    "swapdims", "tile", "unflatten", "cumprod", "diff", "hardshrink", "threshold", "threshold_",
    "isfinite", "signbit", "xlogy", "celu", "celu_", "selu", "selu_", "lerp", "addcmul", "addcdiv",
    "scatter", "scatter_add", "index_add", "nan_to_num", "trunc", "frac", "masked_select",
    "layer_norm", "einsum", "cosine_similarity", "distributions",
    "pairwise_distance",
]

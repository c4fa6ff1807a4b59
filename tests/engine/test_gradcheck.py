"""Every op in the table, checked against central finite differences in float64 (hypothesis)."""

from __future__ import annotations

import functools
from collections.abc import Callable

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import engine
from engine.op_table import OPS

F = engine.nn.functional
small_shapes = hnp.array_shapes(min_dims=0, max_dims=3, min_side=1, max_side=4)


KINKS = (0.0, -0.5, 1.0)  # where relu/abs and clamp(-0.5, 1.0) bend
INTEGERS = (-2.0, -1.0, 0.0, 1.0, 2.0)  # where trunc and frac jump


def values(shape: tuple[int, ...], low: float = -2.0, high: float = 2.0,
           away_from: tuple[float, ...] | None = KINKS) -> st.SearchStrategy[np.ndarray]:
    """Float64 arrays, kept 0.05 away from kinks so finite differences see a smooth function."""
    elements = st.floats(low, high, allow_nan=False, allow_subnormal=False)
    if away_from is not None:
        elements = elements.filter(lambda v: all(abs(v - k) > 0.05 for k in away_from))
    # Distinct values, far enough apart that max/min have no near-ties within the step.
    return hnp.arrays(np.float64, shape, elements=elements, unique=True).filter(
        lambda a: a.size < 2 or np.diff(np.sort(a, axis=None)).min() > 1e-3)


def leaf(array: np.ndarray) -> engine.Tensor:
    return engine.tensor(array, requires_grad=True)


def broadcast_pair(draw: st.DrawFn) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Two shapes that broadcast together, e.g. (3, 1) and (4,)."""
    shapes = draw(hnp.mutually_broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=3,
                                                    max_side=3))
    return shapes.input_shapes


@st.composite
def binary_inputs(draw: st.DrawFn, positive: bool = False) -> list[engine.Tensor]:
    """Two leaves whose elements are all apart (maximum/minimum must have no near-ties)."""
    sa, sb = broadcast_pair(draw)
    low = 0.5 if positive else -2.0
    a = draw(values(sa, low, 2.0))
    b = draw(values(sb, low, 2.0).filter(
        lambda b: np.abs(np.subtract.outer(a, b)).min(initial=1.0) > 1e-3))
    return [leaf(a), leaf(b)]


@st.composite
def unary_inputs(draw: st.DrawFn, low: float = -2.0, high: float = 2.0,
                 away_from: tuple[float, ...] | None = KINKS) -> list[engine.Tensor]:
    return [leaf(draw(values(draw(small_shapes), low, high, away_from)))]


@st.composite
def matrix_inputs(draw: st.DrawFn, kind: str) -> list[engine.Tensor]:
    n, k, m, b = (draw(st.integers(1, 4)) for _ in range(4))
    shapes = {"mm": [(n, k), (k, m)], "mv": [(n, k), (k,)], "dot": [(k,), (k,)],
              "bmm": [(b, n, k), (b, k, m)], "addmm": [(m,), (n, k), (k, m)],
              "matmul_batched": [(b, n, k), (k, m)], "vec_mat": [(k,), (k, m)],
              "broadcast_batched": [(b, 1, n, k), (2, k, m)]}[kind]
    return [leaf(draw(values(s))) for s in shapes]


@st.composite
def dim_inputs(draw: st.DrawFn) -> tuple[list[engine.Tensor], int]:
    shape = draw(hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=4))
    dim = draw(st.integers(-len(shape), len(shape) - 1))
    return [leaf(draw(values(shape)))], dim


@st.composite
def layer_norm_inputs(draw: st.DrawFn) -> list[engine.Tensor]:
    """Rows of 1 to 4 samples of 1 to 4 features, a weight and a bias of one row's shape."""
    rows, size = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    return [leaf(draw(values((rows, size)))), leaf(draw(values((size,)))),
            leaf(draw(values((size,))))]


@functools.cache
def batch_first_rnn(width: int) -> engine.nn.RNN:
    """One float64 RNN per input width, the same at every call of a gradcheck."""
    return engine.nn.RNN(width, 2, batch_first=True).double()


def same_shape_list(draw: st.DrawFn, count: int) -> list[engine.Tensor]:
    shape = draw(hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=3))
    return [leaf(draw(values(shape))) for _ in range(count)]


@st.composite
def write_inputs(draw: st.DrawFn, rows: int = 1) -> list[engine.Tensor]:
    """A tensor of two or more rows and a value of `rows` of its rows, to write into it."""
    shape = draw(hnp.array_shapes(min_dims=1, max_dims=3, min_side=2, max_side=4))
    value = shape[1:] if rows == 1 else (rows, *shape[1:])
    return [leaf(draw(values(shape))), leaf(draw(values(value)))]


def written(a: engine.Tensor, key: object, v: engine.Tensor) -> engine.Tensor:
    """`a`, with `v` written at `key`, weighted so each place's gradient differs."""
    y = a * 1.0
    y[key] = v * 3.0
    return y * engine.arange(float(y.numel()), dtype=engine.float64).view(*y.shape)


def relinked_view(a: engine.Tensor, v: engine.Tensor) -> engine.Tensor:
    """A view of `a`'s copy taken before a write into the copy: it reads the new version."""
    y = a * 1.0
    view = y[1:]
    y[0] = v * 3.0  # not in the view: the view's gradient still goes to a, through the write
    y[-1] = v * 2.0  # in the view: that part of it now comes from v
    return view * engine.arange(float(view.numel()), dtype=engine.float64).view(*view.shape)


def ramp(n: int, trailing_dims: int) -> engine.Tensor:
    """0, 1, … n-1 along a new leading dim, so each copy of a value gets its own weight."""
    return engine.arange(float(n), dtype=engine.float64).view(n, *[1] * trailing_dims)


# One case per op of the table: (op name, strategy of inputs, function of those inputs).
Case = tuple[str, st.SearchStrategy, Callable]
CASES: list[Case] = [
    ("add", binary_inputs(), lambda a, b: a + b),
    ("sub", binary_inputs(), lambda a, b: a - b),
    ("rsub", unary_inputs(), lambda a: 3.0 - a),
    ("mul", binary_inputs(), lambda a, b: a * b),
    ("div", binary_inputs(positive=True), lambda a, b: a / b),
    ("div_scalar", unary_inputs(), lambda a: engine.functions.div_scalar(a, 3.0)),
    ("neg", unary_inputs(), lambda a: -a),
    ("reciprocal", unary_inputs(0.5, 2.0), lambda a: a.reciprocal()),
    ("pow", unary_inputs(0.5, 2.0), lambda a: a ** 2.5),
    ("pow_tensor", binary_inputs(positive=True), lambda a, b: a ** b),
    ("rpow", unary_inputs(), lambda a: 2.0 ** a),
    ("maximum", binary_inputs(), engine.maximum),
    ("minimum", binary_inputs(), engine.minimum),
    ("abs", unary_inputs(), lambda a: a.abs()),
    ("exp", unary_inputs(), lambda a: a.exp()),
    ("log", unary_inputs(0.2, 3.0), lambda a: a.log()),
    ("sqrt", unary_inputs(0.2, 3.0), lambda a: a.sqrt()),
    ("sin", unary_inputs(), lambda a: a.sin()),
    ("cos", unary_inputs(), lambda a: a.cos()),
    ("tanh", unary_inputs(), lambda a: a.tanh()),
    ("sigmoid", unary_inputs(), lambda a: a.sigmoid()),
    ("relu", unary_inputs(), lambda a: a.relu()),
    ("clamp", unary_inputs(), lambda a: a.clamp(-0.5, 1.0)),
    ("sum", unary_inputs(), lambda a: a.sum()),
    ("sum_dim", dim_inputs(), None),
    ("mean", unary_inputs(), lambda a: a.mean()),
    ("mean_dim", dim_inputs(), None),
    ("max", unary_inputs(), lambda a: a.max()),
    ("min", unary_inputs(), lambda a: a.min()),
    ("max_dim", dim_inputs(), None),
    ("min_dim", dim_inputs(), None),
    ("view", unary_inputs(), lambda a: a.view(-1)),
    ("unsafe_view", matrix_inputs("matmul_batched"), lambda a, b: a @ b),
    ("squeeze", unary_inputs(), lambda a: a.unsqueeze(0).squeeze()),
    ("squeeze_dim", unary_inputs(), lambda a: a.unsqueeze(-1).squeeze(-1)),
    ("squeeze_dims", matrix_inputs("vec_mat"), lambda a, b: a @ b),
    ("unsqueeze", unary_inputs(), lambda a: a.unsqueeze(0) * ramp(3, a.ndim)),
    ("permute", unary_inputs(), lambda a: a.permute(tuple(reversed(range(a.ndim)))) * 1.5),
    ("transpose", matrix_inputs("mm"), lambda a, b: a.transpose(0, 1) * 2.0),
    ("t", matrix_inputs("mm"), lambda a, b: a.t() * 2.0),
    ("add_scalar", matrix_inputs("mm"), lambda a, b: F.pairwise_distance(a, a * 0.5 + 1.0)),
    ("aten_norm", matrix_inputs("mm"), lambda a, b: F.pairwise_distance(a, a * -1.0, p=3.0)),
    ("unsafe_split", matrix_inputs("mm"), lambda a, b: (a * 1.0).unsafe_chunk(2, 1)[0] * 2.0),
    ("transpose_", layer_norm_inputs(), lambda x, w, b: batch_first_rnn(x.shape[-1])(
        x.unsqueeze(0))[0] * 2.0),
    ("expand", unary_inputs(), lambda a: a.expand(2, *a.shape) * ramp(2, a.ndim)),
    ("select", dim_inputs(), None),
    ("slice", unary_inputs(), lambda a: a.view(-1)[1:] * 3.0),
    ("alias", unary_inputs(), lambda a: a[...] * 3.0),
    ("index", unary_inputs(), lambda a: a.view(-1)[[0, 0, -1]] * ramp(3, 0)),
    ("amax", unary_inputs(), lambda a: a.amax() * 2.0),
    ("amin", unary_inputs(), lambda a: a.amin(tuple(range(a.ndim)), keepdim=True) * 2.0),
    ("embedding", matrix_inputs("mm"), lambda a, b: engine.nn.functional.embedding(
        engine.tensor([[0, a.shape[0] - 1], [0, 0]]), a) * ramp(2, 2)),
    ("batch_norm", layer_norm_inputs(), lambda x, w, b: F.batch_norm(
        engine.cat([x, x * 0.5 + 1.0]), None, None, w, b, True, eps=0.1) * 2.0),
    ("layer_norm", layer_norm_inputs(), lambda x, w, b: F.layer_norm(
        x, [x.shape[-1]], w, b, eps=0.1) * ramp(x.shape[0], 1)),
    ("copy_slices", write_inputs(), lambda a, v: written(a, 0, v)),
    ("index_put", write_inputs(rows=2),
     lambda a, v: written(a, engine.tensor([0, -1]), v)),
    ("as_strided", write_inputs(), lambda a, v: relinked_view(a, v)),
    ("fill", unary_inputs(), lambda a: (a * 1.0).fill_(0.5) * a),
    ("fill_tensor", binary_inputs(), lambda a, b: (a * 1.0).fill_(b.sum()) * a),
    ("zero", unary_inputs(), lambda a: (a * 1.0).zero_() + a * a),
    ("clone", unary_inputs(), lambda a: a.clone() * 2.0),
    ("to_copy", unary_inputs(), lambda a: a.to(engine.float32).to(engine.float64)),
    ("mm", matrix_inputs("mm"), lambda a, b: a @ b),
    ("mv", matrix_inputs("mv"), lambda a, b: a @ b),
    ("dot", matrix_inputs("dot"), lambda a, b: a @ b),
    ("bmm", matrix_inputs("bmm"), lambda a, b: a @ b),
    ("addmm", matrix_inputs("addmm"), engine.addmm),
    ("cat", st.builds(lambda d: d, st.data()), None),
    ("stack", st.builds(lambda d: d, st.data()), None),
    ("where", binary_inputs(), lambda a, b: engine.where(a > 0, a, b * 2.0)),
    ("softmax", dim_inputs(), None),
    ("log_softmax", dim_inputs(), None),
    ("mse_loss", st.builds(lambda d: d, st.data()), None),
    ("nll_loss", st.builds(lambda d: d, st.data()), None),
    ("binary_cross_entropy", st.builds(lambda d: d, st.data()), None),
    ("add_alpha", binary_inputs(), lambda a, b: engine.add(a, b, alpha=2.5)),
    ("sub_alpha", binary_inputs(), lambda a, b: a.sub(b, alpha=-0.5)),
    ("remainder", unary_inputs(away_from=(-1.5, 0.0, 1.5)), lambda a: a % 1.5),
    ("log2", unary_inputs(0.2, 3.0), lambda a: a.log2()),
    ("log10", unary_inputs(0.2, 3.0), engine.log10),
    ("tan", unary_inputs(-1.2, 1.2), lambda a: a.tan()),
    ("floor", unary_inputs(away_from=(-2.0, -1.0, 0.0, 1.0, 2.0)), lambda a: a.floor() * a),
    ("ceil", unary_inputs(away_from=(-2.0, -1.0, 0.0, 1.0, 2.0)), lambda a: engine.ceil(a) + a),
    ("round", unary_inputs(away_from=(-1.5, -0.5, 0.5, 1.5)), lambda a: a.round() * a),
    ("sign", unary_inputs(), lambda a: a.sign() * a),
    ("clamp_min", unary_inputs(away_from=(0.3,)), lambda a: a.clamp_min(0.3)),
    ("leaky_relu", unary_inputs(), lambda a: F.leaky_relu(a, 0.2)),
    ("leaky_relu_", unary_inputs(), lambda a: F.leaky_relu(a * 1.5, 0.2, inplace=True)),
    ("silu", unary_inputs(), F.silu),
    ("log_sigmoid", unary_inputs(), F.logsigmoid),
    ("softplus", unary_inputs(away_from=(0.5,)), lambda a: F.softplus(a, beta=2, threshold=1)),
    ("cumsum", dim_inputs(), None),
    ("cumprod", dim_inputs(), None),
    ("logsumexp", dim_inputs(), None),
    ("prod_dim", dim_inputs(), None),
    ("masked_fill", unary_inputs(away_from=(0.5,)), lambda a: a.masked_fill(a > 0.5, 2.0) * a),
    ("atan", unary_inputs(), lambda a: a.atan()),
    ("asin", unary_inputs(-0.9, 0.9), engine.asin),
    ("acos", unary_inputs(-0.9, 0.9), lambda a: a.acos()),
    ("sinh", unary_inputs(), lambda a: a.sinh()),
    ("cosh", unary_inputs(), engine.cosh),
    ("log1p", unary_inputs(-0.5, 3.0), lambda a: a.log1p()),
    ("expm1", unary_inputs(), lambda a: a.expm1()),
    ("rsqrt", unary_inputs(0.2, 3.0), lambda a: a.rsqrt()),
    ("erf", unary_inputs(), engine.erf),
    ("split", matrix_inputs("mm"), lambda a, b: engine.cat([p * (i + 1.5) for i, p in
                                                            enumerate(a.split(1, dim=-1))], 1)),
    ("unbind", matrix_inputs("mm"), lambda a, b: engine.stack([row * (i + 1.5) for i, row in
                                                              enumerate(a)])),
    ("split_with_sizes", matrix_inputs("mm"), lambda a, b: a.split([a.shape[0] - 1, 1])[-1] * 2.0),
    ("flip", unary_inputs(), lambda a: a.flip(tuple(range(a.ndim))) * ramp(2, a.ndim)),
    ("tril", matrix_inputs("mm"), lambda a, b: a.tril(-1) * 2.0 + a.tril()),
    ("triu", matrix_inputs("mm"), lambda a, b: engine.triu(a, 1) * 2.0 + a.triu()),
    ("diag_embed", matrix_inputs("dot"), lambda a, b: a.diag(1) * 2.0),
    ("diagonal", matrix_inputs("mm"), lambda a, b: a.diag() * 2.0 + engine.diag(a, -1).sum()),
    ("sort", unary_inputs(), lambda a: a.sort().values * ramp(1, 0) if a.ndim == 0
     else a.sort(dim=0).values * ramp(a.shape[0], a.ndim - 1)),
    ("sort_stable", matrix_inputs("mm"), lambda a, b: engine.sort(
        a, stable=True, descending=True).values * ramp(a.shape[0], 1)),
    ("topk", matrix_inputs("mm"), lambda a, b: a.topk(1, dim=0, largest=False).values * 3.0
     + a.topk(a.shape[1], sorted=False).values.sum()),
    ("gather", matrix_inputs("mm"), lambda a, b: a.gather(
        1, engine.tensor([[0, a.shape[1] - 1, 0]] * a.shape[0])) * ramp(a.shape[0], 1)),
    ("clamp_max", unary_inputs(away_from=(0.3,)), lambda a: a.clamp_max(0.3)),
    ("clamp_min_tensor", binary_inputs(), lambda a, b: a.clamp_min(b)),
    ("clamp_max_tensor", binary_inputs(), lambda a, b: engine.clamp_max(a, b)),
    ("index_select", matrix_inputs("mm"), lambda a, b: a.index_select(
        1, engine.tensor([0, a.shape[1] - 1, 0])) * ramp(a.shape[0], 3)),
    ("roll", unary_inputs(), lambda a: a.roll(2) * engine.arange(
        float(a.numel()), dtype=engine.float64).view(a.shape)),
    ("hardtanh", unary_inputs(away_from=(-1.0, 1.0)), F.hardtanh),
    ("hardtanh_", unary_inputs(away_from=(-0.5, 1.5)),
     lambda a: F.hardtanh(a * 1.0, -0.5, 1.5, inplace=True)),
    ("threshold", unary_inputs(away_from=(0.3,)), lambda a: F.threshold(a, 0.3, -2.0)),
    ("threshold_", unary_inputs(away_from=(0.3,)),
     lambda a: F.threshold(a * 1.0, 0.3, -2.0, inplace=True)),
    ("hardshrink", unary_inputs(away_from=(-0.5, 0.5)), F.hardshrink),
    ("softshrink", unary_inputs(away_from=(-0.5, 0.5)), F.softshrink),
    ("xlogy", binary_inputs(positive=True), engine.xlogy),
    ("addcmul", matrix_inputs("addmm"), lambda a, b, c: engine.addcmul(
        a, b[:, :1], c[:1, :], value=0.7)),
    ("addcdiv", matrix_inputs("addmm"), lambda a, b, c: engine.addcdiv(
        a, b[:, :1], c[:1, :] * c[:1, :] + 1.0, value=-0.7)),
    ("scatter_add", matrix_inputs("mm"), lambda a, b: a.scatter_add(
        0, engine.zeros(1, a.shape[1], dtype=engine.int64), a[:1] * 2.0) * ramp(a.shape[0], 1)),
    ("scatter", matrix_inputs("mm"), lambda a, b: (a * 1.0).scatter(
        0, engine.zeros(1, a.shape[1], dtype=engine.int64), a[-1:] * 2.0) * ramp(a.shape[0], 1)),
    ("scatter_value", matrix_inputs("mm"), lambda a, b: a.scatter(
        0, engine.zeros(1, a.shape[1], dtype=engine.int64), 3.0) * ramp(a.shape[0], 1)),
    ("index_add", matrix_inputs("mm"), lambda a, b: a.index_add(
        0, engine.zeros(a.shape[0], dtype=engine.int64), a * 3.0, alpha=0.5)),
    ("nan_to_num", unary_inputs(), lambda a: engine.nan_to_num(a * 2.0)),
    ("trunc", unary_inputs(away_from=INTEGERS), lambda a: a.trunc() + a),
    ("frac", unary_inputs(away_from=INTEGERS), lambda a: a.frac()),
    ("masked_select", unary_inputs(), lambda a: a.masked_select(
        engine.arange(a.numel()).view(a.shape) % 2 == 0) * 2.0),
    ("lerp", binary_inputs(), lambda a, b: engine.lerp(a, b, 0.3) * 2.0 + engine.lerp(a, b, 0.8)),
    ("lerp_tensor", binary_inputs(), lambda a, b: engine.lerp(a, b, b * 0.5)),
    ("elu", unary_inputs(), lambda a: F.elu(a, 0.7)),
    ("elu_", unary_inputs(), lambda a: F.elu(a * 1.0, 0.7, inplace=True)),
    ("celu", unary_inputs(), lambda a: F.celu(a, 0.3)),
    ("celu_", unary_inputs(), lambda a: F.celu(a * 1.0, 0.3, inplace=True)),
    ("copy_", binary_inputs(), lambda a, b: (a * 2.0).copy_(b) * 3.0 if a.shape == b.shape
     else (a + b).copy_(b) * 3.0),
    ("constant_pad", matrix_inputs("mm"), lambda a, b: F.pad(a, (1, -1, 0, 2), value=2.0) * 3.0),
    ("diagonal_view", matrix_inputs("mm"), lambda a, b: a.diagonal(-1).sum() * 2.0 + (
        a.diagonal() * engine.arange(float(min(a.shape)), dtype=engine.float64)).sum()),
]
for _name in ("div_rounded", "clamp_tensor", "reshape_alias", "remainder_tensor",
              "round_decimals", "gelu", "prod", "var", "std", "norm", "repeat",
              "masked_fill_tensor", "binary_cross_entropy_with_logits"):
    CASES.append((_name, st.builds(lambda d: d, st.data()), None))
# Ops PyTorch records but cannot differentiate: their backward raises PyTorch's error.
NOT_DIFFERENTIABLE = {
    "floor_divide": ("floor_divide", lambda a: a // 1.5),
    "rremainder": ("remainder", lambda a: 1.5 % a),
}
DIM_FUNCTIONS = {
    "sum_dim": lambda a, d: a.sum(dim=d),
    "mean_dim": lambda a, d: a.mean(d, keepdim=True),
    "max_dim": lambda a, d: a.max(dim=d).values,
    "min_dim": lambda a, d: a.min(d, keepdim=True)[0],
    "select": lambda a, d: a[(slice(None),) * (d % a.ndim) + (0,)],
    "softmax": lambda a, d: a.softmax(d) * engine.arange(float(a.numel()), dtype=engine.float64
                                                         ).view(a.shape),
    "log_softmax": lambda a, d: a.log_softmax(dim=d) * engine.arange(
        float(a.numel()), dtype=engine.float64).view(a.shape),
    "cumsum": lambda a, d: a.cumsum(d) * engine.arange(float(a.numel()), dtype=engine.float64
                                                       ).view(a.shape),
    "cumprod": lambda a, d: a.cumprod(d) * engine.arange(float(a.numel()), dtype=engine.float64
                                                         ).view(a.shape),
    "logsumexp": lambda a, d: a.logsumexp(d, keepdim=d % 2 == 0),
    "prod_dim": lambda a, d: a.prod(d, keepdim=d % 2 == 1),
}


def with_a_zero(draw: st.DrawFn, shape: tuple[int, ...]) -> engine.Tensor:
    """Values for prod, sometimes with exact zeros (PyTorch's other backward formula)."""
    array = draw(values(shape))
    zeros = draw(st.integers(0, min(2, array.size)))
    array.reshape(-1)[:zeros] = 0.0
    return leaf(array)


def dims_of(draw: st.DrawFn, ndim: int) -> tuple[int, ...] | None:
    if ndim == 0 or draw(st.booleans()):
        return None
    return tuple(draw(st.sets(st.integers(0, ndim - 1), min_size=1, max_size=ndim)))


def special_case(name: str, draw: st.DrawFn) -> tuple[list[engine.Tensor], Callable]:
    """Inputs and function for the ops whose cases need more than one shape of input."""
    shape = draw(small_shapes)
    if name in ("remainder_tensor", "div_rounded"):
        a, b = draw(binary_inputs(positive=True))
        ratio = np.broadcast_arrays(a.detach().numpy() / b.detach().numpy())[0]
        if np.abs(np.remainder(ratio + 0.5, 1.0) - 0.5).min(initial=1.0) < 1e-3:
            a = leaf(a.detach().numpy() + 0.25)  # step off the jump at an exact multiple
        if name == "div_rounded":  # zero gradients, plus a smooth term that has some
            return [a, b], lambda x, y: (engine.div(x, y, rounding_mode="floor") * x
                                         + x.div(y, rounding_mode="trunc"))
        return [a, b], lambda x, y: x % y
    if name == "clamp_tensor":  # bounds apart from the values, so no kink is within the step
        x = draw(values(shape))
        low = draw(values(shape).filter(lambda v: min(np.abs(v - x).min(initial=1.0),
                                                      np.abs(v + 1.5 - x).min(initial=1.0))
                                                  > 1e-3))
        high = low + 1.5  # neither bound within a step of a value
        bounds = draw(st.sampled_from(["both", "min", "max"]))
        if bounds == "both":
            return [leaf(x), leaf(low), leaf(high)], lambda a, lo, hi: a.clamp(lo, hi)
        if bounds == "min":
            return [leaf(x), leaf(low)], lambda a, lo: engine.clamp(a, min=lo)
        return [leaf(x), leaf(low)], lambda a, hi: a.clamp(max=hi)
    if name == "reshape_alias":  # a strided column reshapes without a copy
        rows = draw(st.integers(2, 4))
        return [leaf(draw(values((rows, 3))))], lambda a: a[:, 1].reshape(rows, 1) * 2.0
    if name == "round_decimals":
        array = draw(values(shape))
        keep = np.abs(np.remainder(array * 10, 1.0) - 0.5) > 0.01
        return [leaf(np.where(keep, array, array + 0.03))], lambda a: a.round(decimals=1) * a
    if name == "gelu":
        approximate = draw(st.sampled_from(["none", "tanh"]))
        return [leaf(draw(values(shape)))], lambda a: F.gelu(a, approximate=approximate)
    if name in ("prod", "var", "std", "norm"):
        x = with_a_zero(draw, shape) if name == "prod" else leaf(draw(values(shape)))
        dims = dims_of(draw, x.ndim)
        keepdim = draw(st.booleans())
        if name == "prod":
            return [x], lambda a: a.prod()
        if name == "norm":
            p = draw(st.sampled_from([1, 2, 3, 1.5, 0.5, float("inf")]
                                     + (["fro"] if dims is None or len(dims) <= 2 else [])))
            if p == float("inf") and x.numel() > 1:  # |a| ties (2 and -2) make the max kink
                values_ = x.detach().numpy()
                ranks = np.argsort(np.argsort(np.abs(values_), axis=None)).reshape(values_.shape)
                x = leaf(np.where(values_ < 0, -1.0, 1.0) * (0.25 + 0.05 * ranks))
            return [x], lambda a: engine.norm(a, p, dims, keepdim)
        count = x.numel() if dims is None else int(np.prod([x.shape[d] for d in dims]))
        correction = draw(st.sampled_from([0, 1])) if count > 1 else 0
        function = engine.var if name == "var" else engine.std
        return [x], lambda a: function(a, dims, keepdim=keepdim, correction=correction)
    if name == "repeat":
        x = leaf(draw(values(shape)))
        extra = draw(st.integers(0, 1))
        repeats = tuple(draw(st.integers(1, 3)) for _ in range(x.ndim + extra))
        weights = engine.arange(float(int(np.prod(repeats)) * x.numel()), dtype=engine.float64)
        return [x], lambda a: a.repeat(repeats) * weights.view(a.repeat(repeats).shape)
    if name == "masked_fill_tensor":
        x, value = leaf(draw(values(shape, away_from=(0.5,)))), leaf(draw(values(())))
        return [x, value], lambda a, v: a.masked_fill(a > 0.5, v) * a
    n = draw(st.integers(1, 4))
    logits, target = leaf(draw(values((n,)))), leaf(draw(values((n,), 0.0, 1.0, None)))
    weight = engine.tensor(draw(values((n,), 0.5, 2.0, None))) if draw(st.booleans()) else None
    pos = engine.tensor(draw(values((n,), 0.5, 2.0, None))) if draw(st.booleans()) else None
    reduction = draw(st.sampled_from(["mean", "sum", "none"]))
    return [logits, target], lambda x, t: F.binary_cross_entropy_with_logits(
        x, t, weight=weight, pos_weight=pos, reduction=reduction)


def draw_special(name: str, data: st.DataObject) -> tuple[list[engine.Tensor], Callable]:
    draw = data.draw
    if name not in ("cat", "stack", "mse_loss", "nll_loss", "binary_cross_entropy"):
        return special_case(name, draw)
    if name in ("cat", "stack"):
        tensors = same_shape_list(draw, draw(st.integers(1, 3)))
        if name == "cat":
            return tensors, lambda *ts: engine.cat(ts, dim=-1) * 2.0
        return tensors, lambda *ts: engine.stack(ts, dim=0) * 2.0
    if name == "mse_loss":
        a, b = same_shape_list(draw, 2)
        reduction = draw(st.sampled_from(["mean", "sum", "none"]))
        return [a, b], lambda x, y: F.mse_loss(x, y, reduction=reduction)
    if name == "nll_loss":
        n, c = draw(st.integers(1, 4)), draw(st.integers(2, 4))
        logits = leaf(draw(values((n, c))))
        target = engine.tensor(draw(st.lists(st.integers(0, c - 1), min_size=n, max_size=n)))
        reduction = draw(st.sampled_from(["mean", "sum", "none"]))
        weight = engine.tensor(draw(values((c,), 0.5, 2.0, None))) if draw(st.booleans()) \
            else None
        return [logits], lambda x: F.cross_entropy(x, target, weight=weight, reduction=reduction)
    n = draw(st.integers(1, 5))
    probs = leaf(draw(values((n,), 0.1, 0.9, away_from=None)))
    target = leaf(draw(values((n,), 0.05, 0.95, away_from=None)))
    weight = engine.tensor(draw(values((n,), 0.5, 2.0, None))) if draw(st.booleans()) else None
    reduction = draw(st.sampled_from(["mean", "sum", "none"]))
    return [probs, target], lambda x, t: F.binary_cross_entropy(x, t, weight, reduction=reduction)


def ops_in(out: engine.Tensor) -> set[str]:
    """The names of the table's ops in the graph that computed `out`."""
    names, stack = set(), [out.grad_fn]
    while stack:
        node = stack.pop()
        names.add(node.spec.name)
        stack.extend(n for n in node.next if isinstance(n, engine.Node))
    return names


def test_every_op_of_the_table_has_a_case() -> None:
    assert {name for name, _, _ in CASES} | set(NOT_DIFFERENTIABLE) == set(OPS)


@pytest.mark.parametrize("name", sorted(NOT_DIFFERENTIABLE))
def test_ops_without_a_derivative_fail_in_backward_as_pytorch_does(name: str) -> None:
    aten_name, function = NOT_DIFFERENTIABLE[name]
    x = leaf(np.array([0.7, -1.2]))
    out = function(x)
    assert out.grad_fn.name() == "torch::autograd::NotImplemented"
    assert repr(out.grad_fn).startswith("<NotImplemented object at")
    with pytest.raises(RuntimeError, match=f"^derivative for aten::{aten_name} is not "
                                           "implemented$"):
        out.sum().backward()


@pytest.mark.parametrize("name,strategy,function", CASES, ids=[c[0] for c in CASES])
@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_gradient_matches_finite_differences(name: str, strategy: st.SearchStrategy,
                                             function: Callable | None,
                                             data: st.DataObject) -> None:
    if name in DIM_FUNCTIONS:
        inputs, dim = data.draw(strategy)
        fn_of_dim = DIM_FUNCTIONS[name]

        def function(a: engine.Tensor) -> engine.Tensor:
            return fn_of_dim(a, dim)
    elif function is None:
        inputs, function = draw_special(name, data)
    else:
        inputs = data.draw(strategy)
    out = function(*inputs)
    assert out.grad_fn is not None
    assert name in ops_in(out), f"the case for {name} never runs it"
    # A float32 round trip needs a step far above float32's resolution.
    eps = 1e-2 if name == "to_copy" else 1e-6
    assert engine.gradcheck(function, inputs, eps=eps, atol=1e-5, rtol=1e-4)


def test_gradcheck_catches_a_wrong_gradient() -> None:
    x = engine.tensor([0.3, -0.7], dtype=engine.float64, requires_grad=True)

    def wrong(a: engine.Tensor) -> engine.Tensor:
        out = a * a
        if out.requires_grad:
            out.register_hook(lambda g: g * 3)
        return out

    assert engine.gradcheck(lambda a: a * a, [x])
    assert not engine.gradcheck(wrong, [x], raise_exception=False)

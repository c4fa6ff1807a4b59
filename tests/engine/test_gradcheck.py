"""Every op in the table, checked against central finite differences in float64 (hypothesis)."""

from __future__ import annotations

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
    sa, sb = broadcast_pair(draw)
    low = 0.5 if positive else -2.0
    return [leaf(draw(values(sa, low, 2.0))), leaf(draw(values(sb, low, 2.0)))]


@st.composite
def unary_inputs(draw: st.DrawFn, low: float = -2.0, high: float = 2.0) -> list[engine.Tensor]:
    return [leaf(draw(values(draw(small_shapes), low, high)))]


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


def same_shape_list(draw: st.DrawFn, count: int) -> list[engine.Tensor]:
    shape = draw(hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=3))
    return [leaf(draw(values(shape))) for _ in range(count)]


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
    ("permute", unary_inputs(), lambda a: a.permute(*reversed(range(a.ndim))) * 1.5),
    ("transpose", matrix_inputs("mm"), lambda a, b: a.transpose(0, 1) * 2.0),
    ("t", matrix_inputs("mm"), lambda a, b: a.t() * 2.0),
    ("expand", unary_inputs(), lambda a: a.expand(2, *a.shape) * ramp(2, a.ndim)),
    ("select", dim_inputs(), None),
    ("slice", unary_inputs(), lambda a: a.view(-1)[1:] * 3.0),
    ("index", unary_inputs(), lambda a: a.view(-1)[[0, 0, -1]] * ramp(3, 0)),
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
]
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
}


def draw_special(name: str, data: st.DataObject) -> tuple[list[engine.Tensor], Callable]:
    draw = data.draw
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
        reduction = draw(st.sampled_from(["mean", "sum"]))
        return [logits], lambda x: F.cross_entropy(x, target, reduction=reduction)
    n = draw(st.integers(1, 5))
    probs = leaf(draw(values((n,), 0.1, 0.9, away_from=None)))
    target = engine.tensor(draw(values((n,), 0.0, 1.0, away_from=None)))
    return [probs], lambda x: F.binary_cross_entropy(x, target)


def test_every_op_of_the_table_has_a_case() -> None:
    assert {name for name, _, _ in CASES} == set(OPS)


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

"""Ops at special values (±0., ±inf, NaN) give PyTorch's bits: forward values and gradients,
with the sign of every zero (`-0.` prints as `-0.`), after one backward and after two.

Each case draws its inputs and its upstream gradient from a few values chosen so that the
engine and PyTorch compute exactly (no last-place rounding of exp or erf is compared here).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable

import numpy as np
import pytest

import engine

torch = pytest.importorskip("torch")

INF, NAN = math.inf, math.nan
SPECIAL = (0.0, -0.0, 1.0, -1.0, 2.0, 0.5, INF, -INF, NAN)
EDGES = (0.0, -0.0, INF, -INF, NAN)
DTYPES = ("float32", "float64")


def _run(lib: object, fn: Callable, arrays: list[np.ndarray], upstream: np.ndarray,
         dtype: str) -> list:
    """The output, then every input's `.grad` after one backward and after a second."""
    leaves = [lib.tensor(a, dtype=getattr(lib, dtype), requires_grad=True) for a in arrays]
    try:
        out = fn(lib, *leaves)
        gradient = lib.tensor(np.resize(upstream, tuple(out.shape)).astype(dtype))
        out.backward(gradient=gradient, retain_graph=True)
        first = [leaf.grad.tolist() for leaf in leaves]
        out.backward(gradient=gradient, retain_graph=True)
    except (RuntimeError, ValueError):
        return ["error"]
    return [out.tolist(), *first, *(leaf.grad.tolist() for leaf in leaves)]


def _same_bits(want: object, got: object) -> bool:
    """Equal values, NaN where NaN, and zeros of the same sign (a NaN's sign is not compared)."""
    want, got = np.asarray(want, np.float64), np.asarray(got, np.float64)
    if want.shape != got.shape or not np.array_equal(want, got, equal_nan=True):
        return False
    return np.array_equal(np.signbit(want) & ~np.isnan(want), np.signbit(got) & ~np.isnan(got))


def _draws(shapes: tuple, values: tuple, upstream: tuple, count: int, seed: int):
    """Every combination where each input is one element (with every upstream for one input,
    one upstream in turn for two), else `count` random ones."""
    if all(math.prod(s) == 1 for s in shapes) and len(shapes) == 1:
        for value, up in itertools.product(values, upstream):
            yield [np.full(shapes[0], value)], np.array([up])
        return
    if all(math.prod(s) == 1 for s in shapes) and len(shapes) == 2:
        for k, pair in enumerate(itertools.product(values, repeat=2)):
            yield [np.full(s, v) for s, v in zip(shapes, pair, strict=True)], np.array(
                [upstream[k % len(upstream)]])
        return
    rng = np.random.default_rng(seed)
    for _ in range(count):
        yield [rng.choice(values, s) for s in shapes], rng.choice(upstream, 6)


def _check(fn: Callable, shapes: tuple, values: tuple = SPECIAL, upstream: tuple = SPECIAL,
           count: int = 24, inputs: tuple | None = None) -> None:
    """Compare the engine with PyTorch over draws of inputs (from `values`, or per input from
    `inputs`) and upstream gradients, in both float dtypes."""
    for dtype in DTYPES:
        for k, (arrays, up) in enumerate(_draws(shapes, values, upstream, count, len(shapes))):
            if inputs is not None:
                rng = np.random.default_rng(k)
                arrays = [rng.choice(v, s) for v, s in zip(inputs, shapes, strict=True)]
            arrays = [a.astype(dtype) for a in arrays]
            want = _run(torch, fn, arrays, up, dtype)
            got = _run(engine, fn, arrays, up, dtype)
            assert len(want) == len(got), (dtype, arrays, up, want, got)
            for w, g in zip(want, got, strict=True):
                assert _same_bits(w, g), (dtype, [a.tolist() for a in arrays], up.tolist(),
                                          want, got)


@pytest.mark.parametrize("exponent", [0, 0.0])
@pytest.mark.parametrize("shape", [(), (3,), (2, 3)])
def test_pow_with_exponent_zero_has_zero_gradients(exponent: float, shape: tuple) -> None:
    # PyTorch's pow_backward returns zeros: 0., never upstream·0 (-0. or NaN)
    _check(lambda T, a: a ** exponent, (shape,))


@pytest.mark.parametrize("shapes", [((1,), (1,)), ((3,), (3,))])
def test_dot_sums_from_positive_zero(shapes: tuple) -> None:
    _check(lambda T, a, b: T.dot(a, b), shapes)


@pytest.mark.parametrize("shape", [(), (3,), (2, 3)])
def test_relu_at_special_values(shape: tuple) -> None:
    # one element takes a path of its own (numpy scalars, no arrays made): both must give +0.
    # where the input is at most 0 and pass a NaN's gradient on
    _check(lambda T, a: T.relu(a), (shape,))


@pytest.mark.parametrize("value", SPECIAL)
def test_relu_steps_show_its_slope_at_special_values(value: float) -> None:
    # the step's local derivative is what PyTorch's threshold_backward multiplies by
    x = engine.tensor(value, requires_grad=True)
    (step,) = engine.backward_steps(engine.relu(x), engine.tensor(3.0))
    slope = 0.0 if value <= 0 else 1.0
    assert type(step.local) is np.float32 and step.local == slope
    assert float(step.contribution) == 3.0 * slope and not np.signbit(step.contribution)


SOFTMAX_SHAPES = [((1,), 0), ((2,), -1), ((1, 1), 0), ((1, 1), 1), ((2, 3), 0), ((3, 2), 1),
                  ((1, 3), 0), ((2, 1, 2), 1), ((2, 2, 1), 2), ((2, 2, 2), 1)]


@pytest.mark.parametrize("name", ["softmax", "log_softmax"])
@pytest.mark.parametrize(("shape", "dim"), SOFTMAX_SHAPES)
def test_softmax_backward_sums_as_pytorchs_kernels(name: str, shape: tuple, dim: int) -> None:
    # along the last dim the sum starts from its first term (all -0. sum to -0.), elsewhere
    # from +0.; inputs 0., -0. and -inf over at most 2 elements keep every exp and log exact
    _check(lambda T, a: getattr(T, name)(a, dim), (shape,), values=(0.0, -0.0, -INF))


def test_binary_cross_entropy_clamps_with_a_float_epsilon() -> None:
    # input 0 and target 1: the divisor is max(0, 1e-12 as a float), also for double
    _check(lambda T, x, t: T.nn.functional.binary_cross_entropy(x, t), ((3,), (3,)),
           inputs=((0.0, 1.0, 0.5), (0.0, 1.0, 0.5)))
    _check(lambda T, x, t: T.nn.functional.binary_cross_entropy(x, t, reduction="sum"),
           ((), ()), inputs=((0.0, 1.0), (0.0, 1.0, 0.5)))


@pytest.mark.parametrize("reduction", ["none", "mean"])
def test_binary_cross_entropy_with_logits_at_infinities(reduction: str) -> None:
    # log σ(-inf) is -inf and log σ(inf) is 0. (the overflow-safe formula gave NaN and -0.)
    _check(lambda T, x, t: T.nn.functional.binary_cross_entropy_with_logits(
        x, t, reduction=reduction), ((4,), (4,)), inputs=(EDGES, SPECIAL))
    _check(lambda T, x, t: T.nn.functional.binary_cross_entropy_with_logits(
        x, t, reduction=reduction), ((), ()), inputs=(EDGES, SPECIAL))


@pytest.mark.parametrize("approximate", ["none", "tanh"])
@pytest.mark.parametrize("view", ["whole", "row", "column", "transposed", "one"])
def test_gelu_of_infinity_follows_pytorchs_code_path(approximate: str, view: str) -> None:
    # float32 gelu(inf) is NaN in PyTorch's vector code (any contiguous tensor of 2 elements
    # or more), inf in its scalar code
    pick = {"whole": lambda x: x, "row": lambda x: x[:1], "column": lambda x: x[:, :1],
            "transposed": lambda x: x.t(), "one": lambda x: x[0, 0]}[view]
    _check(lambda T, a: T.nn.functional.gelu(pick(a), approximate=approximate), ((2, 3),),
           values=EDGES, upstream=EDGES, count=8)


FOLDS = [((3,), (2, 3, 2)), ((2, 3), (2, 3, 2)), ((1, 3), (4, 3, 1)), ((1,), (2, 1, 2)),
         ((3,), (2, 2, 3, 1))]


@pytest.mark.parametrize("shapes", FOLDS)
def test_vector_or_matrix_times_a_batch_folds_as_pytorch_does(shapes: tuple) -> None:
    # torch.matmul computes it as (bᵀ folded) @ aᵀ: the batch's gradient is an outer product,
    # whose zeros keep their signs
    _check(lambda T, a, b: a @ b, shapes, values=(0.0, -0.0, 1.0, -1.0, 2.0), count=16)


def _grad_fns(fn: object) -> list[str]:
    """The graph below `fn`, depth first, by grad_fn name."""
    if fn is None:
        return []
    names = [fn.name()]
    for child, _ in fn.next_functions:
        names += _grad_fns(child)
    return names


@pytest.mark.parametrize("shapes", FOLDS + [((3,), (2, 4, 3))])
@pytest.mark.parametrize(("small_grad", "batch_grad"), [(True, True), (False, True),
                                                         (True, False)])
def test_the_fold_shows_pytorchs_graph(shapes: tuple, small_grad: bool, batch_grad: bool
                                       ) -> None:
    # PyTorch folds when the small operand needs a gradient, or a vector's batch folds with
    # no copy; otherwise it expands both for bmm
    def graph(lib: object) -> list[str]:
        small = lib.ones(shapes[0], requires_grad=small_grad)
        batch = lib.ones(shapes[1], requires_grad=batch_grad)
        if shapes[1][-2] == 4:
            batch = batch.transpose(-1, -2)
        return _grad_fns((small @ batch).grad_fn)

    assert graph(engine) == graph(torch)


def test_python_floats_become_pytorchs_float32() -> None:
    """`torch.tensor(x)` of a Python float rounds it to float32 once, as PyTorch does: ties,
    subnormals, overflow to ±inf and the signed zero included."""
    values = [0.1, 1 / 3, 16777217.0, 2.0 ** -149 * 1.5, 2.0 ** -150, 1e-46, 7e-46,
              3.4028235e38, 3.4028235677973366e38, 3.5e38, 1e39, -1e39, INF, -INF, NAN, 0.0,
              -0.0]
    scales = 10.0 ** np.arange(-20, 20, 0.2)
    values += [float(v) for v in np.random.default_rng(5).standard_normal(200) * scales]
    for value in values:
        for requires_grad in (False, True):
            ours = engine.tensor(value, requires_grad=requires_grad)
            theirs = torch.tensor(value, requires_grad=requires_grad)
            assert ours.dtype == engine.float32
            assert ours.detach().numpy().tobytes() == theirs.detach().numpy().tobytes(), value
            assert repr(ours) == repr(theirs)

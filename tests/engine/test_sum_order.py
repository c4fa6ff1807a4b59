"""torch.sum and torch.mean add in PyTorch's CPU order (cascade_sum), bit for bit."""

from __future__ import annotations

import math

import numpy as np
import pytest

import engine
from engine import cpu_loops
from tests.engine.parity import sums_modelled

torch = pytest.importorskip("torch")
pytestmark = pytest.mark.skipif(not sums_modelled(torch),
                                reason="PyTorch's CPU sum adds in another order here")

SIZES = [*range(1, 71), 100, 1000, 2000, 10**4]
LARGE = [40_000, 10**5]  # shared among PyTorch's threads


def same_bits(ours: object, theirs: object) -> bool:
    ours, theirs = np.asarray(ours), np.asarray(theirs)
    return ours.shape == theirs.shape and ours.tobytes() == theirs.tobytes()


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_whole_sums_of_1d_tensors(dtype: type) -> None:
    rng = np.random.default_rng(0)
    threads_match = torch.get_num_threads() == cpu_loops.SUM_THREADS
    for n in SIZES + (LARGE if threads_match else []):
        for scale in (1e-3, 1.0, 1e4):
            values = (rng.standard_normal(n) * scale).astype(dtype)
            expected = torch.from_numpy(values).sum()
            assert same_bits(engine.tensor(values).sum().numpy(), expected.numpy()), (n, scale)
            mean = torch.from_numpy(values).mean()
            assert same_bits(engine.tensor(values).mean().numpy(), mean.numpy()), (n, scale)


SHAPES = [(3, 5), (5, 3), (7, 20), (20, 7), (33, 65), (65, 33), (2, 3, 40), (40, 3, 2),
          (9, 9, 9), (1000, 50), (50, 1000), (4, 1, 70)]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("shape", SHAPES)
def test_sums_along_dims_and_of_views(dtype: type, shape: tuple) -> None:
    base = (np.random.default_rng(1).standard_normal(shape) * 10).astype(dtype)
    views = [lambda t: t, lambda t: t.transpose(0, -1), lambda t: t[..., 1:],
             lambda t: t[..., ::2], lambda t: t[:2], lambda t: t[..., :5]]
    for number, view in enumerate(views):
        theirs, ours = view(torch.from_numpy(base)), view(engine.tensor(base))
        assert same_bits(ours.sum().numpy(), theirs.sum().numpy()), number
        for dim in range(ours.ndim):
            for keepdim in (False, True):
                assert same_bits(ours.sum(dim, keepdim=keepdim).numpy(),
                                 theirs.sum(dim, keepdim=keepdim).numpy()), (number, dim)
            assert same_bits(ours.mean(dim).numpy(), theirs.mean(dim).numpy())
        if ours.ndim == 3:
            for dims in ((0, 2), (1, 2), (0, 1)):
                assert same_bits(ours.sum(dims).numpy(), theirs.sum(dims).numpy()), dims


def test_tutorial_sums() -> None:
    values = [0.1, 0.1, 0.1, 0.1, 1.1]
    assert engine.tensor(values).sum().item() == torch.tensor(values).sum().item()
    assert engine.tensor(values).sum().item() == 1.5000001192092896
    assert repr(engine.linspace(-1, 1, 100).sum()) == repr(torch.linspace(-1, 1, 100).sum())
    assert repr(engine.linspace(-1, 1, 100).sum()) == "tensor(2.3842e-07)"


def polynomial_loss_at_step_99(lib: object) -> float:
    """'Learning PyTorch with Examples', PyTorch: Tensors (gradients by hand)."""
    lib.manual_seed(0)
    x = lib.linspace(-math.pi, math.pi, 2000)
    y = lib.sin(x)
    a, b, c, d = (lib.randn(()) for _ in range(4))
    for _ in range(99):
        grad_y_pred = 2.0 * (a + b * x + c * x ** 2 + d * x ** 3 - y)
        a -= 1e-6 * grad_y_pred.sum()
        b -= 1e-6 * (grad_y_pred * x).sum()
        c -= 1e-6 * (grad_y_pred * x ** 2).sum()
        d -= 1e-6 * (grad_y_pred * x ** 3).sum()
    return (a + b * x + c * x ** 2 + d * x ** 3 - y).pow(2).sum().item()


def test_polynomial_fit_loss() -> None:
    assert polynomial_loss_at_step_99(engine) == polynomial_loss_at_step_99(torch)


def test_integer_and_bool_sums_are_exact() -> None:
    values = np.random.default_rng(2).integers(-1000, 1000, (7, 9))
    assert same_bits(engine.tensor(values).sum().numpy(), torch.tensor(values).sum().numpy())
    assert same_bits(engine.tensor(values).sum(0).numpy(), torch.tensor(values).sum(0).numpy())
    flags = values > 0
    assert same_bits(engine.tensor(flags).sum().numpy(), torch.tensor(flags).sum().numpy())


@pytest.mark.parametrize("n", [7, 100, 2000])
def test_the_gradient_of_a_broadcast_scalar_is_pytorchs_sum(n: int) -> None:
    """`y = a + b * x` with 0-d a and b: their gradients are sums of n upstream values, added
    in PyTorch's order (the autograd polynomial tutorial prints every digit of its loss)."""
    results = []
    for lib in (torch, engine):
        x = lib.linspace(-math.pi, math.pi, n)
        a = lib.tensor(0.3, requires_grad=True)
        b = lib.tensor(-1.7, requires_grad=True)
        y = a + b * x
        (y - lib.sin(x)).pow(2).sum().backward()
        results.append((a.grad.item(), b.grad.item()))
    assert results[0] == results[1]


@pytest.mark.parametrize("batch", [3, 16, 17, 64, 100, 257])
@pytest.mark.parametrize("features", [1, 5, 10, 32, 128, 129])
def test_a_bias_gradient_is_pytorchs_column_sum(batch: int, features: int) -> None:
    """`x @ w + b` with a batch of rows: b's gradient sums the batch's upstream gradients
    along dim 0, in PyTorch's order (numpy's sum pairs them and ends a bit apart)."""
    rng = np.random.default_rng(batch * 1000 + features)
    upstream = (rng.standard_normal((batch, features)) * 3).astype(np.float32)
    grads = []
    for lib in (torch, engine):
        b = lib.tensor(np.zeros(features, np.float32), requires_grad=True)
        z = lib.tensor(np.ones((batch, features), np.float32)) + b
        z.backward(lib.tensor(upstream))
        grads.append(b.grad.numpy())
    assert same_bits(grads[1], grads[0])


@pytest.mark.parametrize("shape", [(40, 3, 5), (3, 40, 5), (5, 3, 40), (2, 1, 33, 7),
                                   (17, 1), (1, 17), (9, 9, 9)])
def test_broadcast_gradients_are_pytorchs_sum_to_size(shape: tuple) -> None:
    """Every shape a gradient can be summed back to (leading dims dropped, size-1 dims kept),
    against torch's sum_to_size; zeros of both signs included, as PyTorch's sums start from
    +0."""
    import itertools

    rng = np.random.default_rng(len(shape))
    values = (rng.standard_normal(shape) * 5).astype(np.float32)
    values[rng.random(shape) < 0.3] = -0.0
    for target in itertools.product(*[(1, n) for n in shape]):
        for lead in range(len(shape)):
            size = target[lead:]
            expected = torch.from_numpy(values).sum_to_size(size).numpy()
            assert same_bits(sum_to_shape(values, size), expected), size


def sum_to_shape(values: np.ndarray, size: tuple) -> np.ndarray:
    from engine.shapes import sum_to

    return sum_to(values, tuple(size))


def test_zeros_sum_to_positive_zero_along_dims() -> None:
    values = np.full((20, 40), -0.0, np.float32)
    for dim in (0, 1):
        assert same_bits(engine.tensor(values).sum(dim).numpy(),
                         torch.from_numpy(values).sum(dim).numpy())


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_binary_cross_entropy_values_are_pytorchs(dtype: type) -> None:
    """Its kernel takes the C library's log and log1p per element (not numpy's), then the loss
    reduction adds in torch.sum's order."""
    rng = np.random.default_rng(21)
    for n in (1, 7, 64, 300, 5000):
        x = rng.uniform(0.0005, 0.9995, n).astype(dtype)
        x[: n // 10] = rng.choice([0.0, 1.0, 1e-30], n // 10)  # log 0 clamped at -100
        t = rng.uniform(0, 1, n).astype(dtype)
        weight = rng.uniform(0, 2, n).astype(dtype)
        for reduction in ("none", "mean", "sum"):
            for w in (None, weight):
                ours = engine.nn.functional.binary_cross_entropy(
                    engine.tensor(x), engine.tensor(t),
                    None if w is None else engine.tensor(w), reduction=reduction)
                theirs = torch.nn.functional.binary_cross_entropy(
                    torch.from_numpy(x), torch.from_numpy(t),
                    None if w is None else torch.from_numpy(w), reduction=reduction)
                assert same_bits(ours.numpy(), theirs.numpy()), (n, reduction, w is None)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_binary_cross_entropy_with_logits_values_are_pytorchs(dtype: type) -> None:
    """log σ(x) from PyTorch's log_sigmoid kernel (Sleef's exp and log1p), then the reduction."""
    rng = np.random.default_rng(22)
    for n in (1, 7, 64, 300, 5000):
        logits = (rng.standard_normal(n) * 4).astype(dtype)
        t = rng.integers(0, 2, n).astype(dtype)
        pos_weight = rng.uniform(0.5, 2, n).astype(dtype)
        for reduction in ("none", "mean", "sum"):
            for pw in (None, pos_weight):
                ours = engine.nn.functional.binary_cross_entropy_with_logits(
                    engine.tensor(logits), engine.tensor(t), reduction=reduction,
                    pos_weight=None if pw is None else engine.tensor(pw))
                theirs = torch.nn.functional.binary_cross_entropy_with_logits(
                    torch.from_numpy(logits), torch.from_numpy(t), reduction=reduction,
                    pos_weight=None if pw is None else torch.from_numpy(pw))
                assert same_bits(ours.numpy(), theirs.numpy()), (n, reduction, pw is None)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_column_sums_of_every_width_are_pytorchs(dtype: type) -> None:
    """Sums down dim 0 (a bias gradient), each width taking its own mix of PyTorch's two
    multi-row loops: small slices run numpy's calls, large ones the compiled loop."""
    rng = np.random.default_rng(31)
    for columns in [*range(2, 40), 63, 64, 65, 100, 129]:
        for rows in (2, 5, 17, 64, 300):
            values = (rng.standard_normal((rows, columns)) * 10 ** rng.uniform(-3, 3, (rows, 1))
                      ).astype(dtype)
            values[rng.random(values.shape) < 0.1] = -0.0
            values[:, 0] = -0.0  # a whole column of -0.: its sum is +0.
            expected = torch.from_numpy(values).sum(0).numpy()
            assert same_bits(engine.tensor(values).sum(0).numpy(), expected), (rows, columns)
            assert same_bits(sum_to_shape(values, (columns,)), expected), (rows, columns)
            assert same_bits(sum_to_shape(values[None], (1, columns)), expected[None])


def test_binary_cross_entropy_gradient_for_a_target_that_requires_grad() -> None:
    """The target's gradient is −logit(input)·upstream, and torch.logit is MKL's log of
    x / (1 − x) (not numpy's log): every bit, for each reduction."""
    rng = np.random.default_rng(17)
    for shape in [(7,), (40,), (5, 33), (3, 4, 9)]:
        x = rng.uniform(0.001, 0.999, shape).astype(np.float32)
        t = rng.uniform(0, 1, shape).astype(np.float32)
        for reduction in ("none", "mean", "sum"):
            grads = []
            for lib in (torch, engine):
                target = lib.tensor(t, requires_grad=True)
                loss = lib.nn.functional.binary_cross_entropy(lib.tensor(x), target,
                                                              reduction=reduction)
                loss.backward(lib.ones_like(loss))
                grads.append(target.grad.numpy())
            assert same_bits(grads[1], grads[0]), (shape, reduction)

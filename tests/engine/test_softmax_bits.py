"""softmax, log_softmax, their backward kernels, nll_loss and cross_entropy agree with
PyTorch's CPU kernels bit for bit (`engine.softmax_kernels`, `engine.sleef`,
`engine.nll_kernel`): every row length around the vector width, every dim, both float
dtypes, and the values that take the kernels' other paths (-inf, NaN, ±0, equal rows)."""

from __future__ import annotations

import numpy as np
import pytest

import engine
import engine.nn.functional as engine_functional
from tests.engine.parity import softmax_kernels_modelled

torch = pytest.importorskip("torch")
pytestmark = pytest.mark.skipif(not softmax_kernels_modelled(torch),
                                reason="PyTorch's softmax kernels run another build here")

DTYPES = [np.float32, np.float64]
LENGTHS = [*range(1, 71), 100, 129, 257]


def _same_bits(ours: object, theirs: object) -> bool:
    """Equal values, NaN where NaN, zeros of the same sign (a NaN's sign is not compared)."""
    ours, theirs = np.asarray(ours), np.asarray(theirs)
    if ours.shape != theirs.shape or not np.array_equal(ours, theirs, equal_nan=True):
        return False
    return np.array_equal(np.signbit(ours) & ~np.isnan(ours),
                          np.signbit(theirs) & ~np.isnan(theirs))


def _values(rng: np.random.Generator, shape: tuple, kind: int, dtype: type) -> np.ndarray:
    """Logits of one of six kinds: moderate, wide, huge, all equal, with -inf, near 100."""
    if kind == 0:
        x = rng.standard_normal(shape) * 3
    elif kind == 1:
        x = rng.standard_normal(shape) * 40
    elif kind == 2:
        x = rng.uniform(-1e4, 1e4, shape)
    elif kind == 3:
        x = np.full(shape, rng.standard_normal())
    elif kind == 4:
        x = rng.standard_normal(shape) * 3
        x[rng.random(shape) < 0.3] = -np.inf
    else:
        x = rng.standard_normal(shape) * 1e-3 + 100
    return x.astype(dtype)


def _forward_mismatches(x: np.ndarray, dim: int) -> list:
    """The (op, shape, dim) where the engine's forward differs from PyTorch's."""
    bad = []
    for name in ("softmax", "log_softmax"):
        theirs = getattr(torch.from_numpy(x.copy()), name)(dim).numpy()
        ours = getattr(engine.tensor(x), name)(dim).numpy()
        if not _same_bits(ours, theirs):
            bad.append((name, x.shape, dim))
    return bad


@pytest.mark.parametrize("dtype", DTYPES)
def test_forward_along_the_last_dim(dtype: type) -> None:
    rng = np.random.default_rng(0)
    bad = []
    for n in LENGTHS:
        for shape in ((n,), (5, n), (2, 3, n)):
            bad += _forward_mismatches(_values(rng, shape, n % 6, dtype), len(shape) - 1)
    assert not bad


@pytest.mark.parametrize("dtype", DTYPES)
def test_forward_along_other_dims(dtype: type) -> None:
    # shared among threads in ranges: runs of a vector's width take Sleef's exp, the rest
    # the C library's, and the sums run down the dim
    rng = np.random.default_rng(1)
    bad = []
    for n in LENGTHS[::3]:
        for shape, dim in (((n, 7), 0), ((3, n), 0), ((n, 17), 0), ((2, n, 3), 1)):
            bad += _forward_mismatches(_values(rng, shape, n % 6, dtype), dim)
    for shape in ((2, 3, 40), (4, 17, 5), (3, 33, 2), (6, 2, 16), (2, 70, 3), (64, 10)):
        for dim in range(len(shape)):
            bad += _forward_mismatches(_values(rng, shape, dim % 6, dtype), dim)
    assert not bad


@pytest.mark.parametrize("dtype", DTYPES)
def test_special_values(dtype: type) -> None:
    inf, nan = np.inf, np.nan
    rows = [[0.0, -0.0], [-0.0, 0.0], [-0.0, -0.0, -inf], [-inf, -inf], [inf, 1.0], [inf, inf],
            [nan, 1.0], [1.0, nan], [3e38, -3e38], [1e-45, -1e-45], [88.0, 89.0, 100.0],
            [-0.0], [-inf], [nan]]
    bad = []
    for row in rows:
        for repeats in (1, 3, 17, 40):
            x = np.tile(np.array(row, dtype), (2, repeats))
            for array in (x, x.T.copy(), x[0]):
                for dim in range(array.ndim):
                    bad += _forward_mismatches(array, dim)
    assert not bad


@pytest.mark.parametrize("dtype", DTYPES)
def test_a_zero_max_keeps_the_sign_the_kernels_order_gives_it(dtype: type) -> None:
    # where log(sum) is 0, log_softmax shows x - max for the max itself: +0 or -0 as the
    # last of the equal zeros the row's (or lanes') maximum met
    rng = np.random.default_rng(2)
    bad = []
    for n in (2, 15, 16, 17, 33, 70):
        for _ in range(20):
            x = np.full((4, n), -30.0, dtype)
            places = rng.choice(n, size=min(n, 3), replace=False)
            x[:, places] = np.where(rng.random((4, len(places))) < 0.5, -0.0, 0.0)
            bad += _forward_mismatches(x, 1)
    assert not bad


def _backward_mismatches(x: np.ndarray, dim: int, upstream: np.ndarray) -> list:
    bad = []
    for name in ("softmax", "log_softmax"):
        ours = engine.tensor(x, requires_grad=True)
        getattr(ours, name)(dim).backward(engine.tensor(upstream))
        theirs = torch.from_numpy(x.copy()).requires_grad_(True)
        getattr(theirs, name)(dim).backward(torch.from_numpy(upstream.copy()))
        if not _same_bits(ours.grad.numpy(), theirs.grad.numpy()):
            bad.append((name, x.shape, dim))
    return bad


@pytest.mark.parametrize("dtype", DTYPES)
def test_backward_kernels(dtype: type) -> None:
    # along the last dim softmax rounds its products, but for float32 the compiler fused the
    # last partial vector's where the kernel runs without OpenMP (one row here); elsewhere
    # every multiply-add is fused
    rng = np.random.default_rng(3)
    bad = []
    cases = [((n,), 0) for n in LENGTHS] + [((5, n), 1) for n in LENGTHS]
    cases += [((n, 7), 0) for n in LENGTHS[::4]] + [((3, n, 2), 1) for n in LENGTHS[::4]]
    cases += [((2, 3, 40), d) for d in range(3)] + [((64, 10), 0), ((200, 20), 1)]
    for shape, dim in cases:
        x = _values(rng, shape, rng.integers(0, 4), dtype)
        bad += _backward_mismatches(x, dim, rng.standard_normal(shape).astype(dtype))
    assert not bad


def _cross_entropy(lib: object, z: np.ndarray, labels: np.ndarray, grad: np.ndarray,
                   **options: object) -> tuple[np.ndarray, np.ndarray]:
    logits = lib.tensor(z.copy(), requires_grad=True)
    if "weight" in options:
        options["weight"] = lib.tensor(options["weight"].copy())
    loss = lib.nn.functional.cross_entropy(logits, lib.tensor(labels.copy()), **options)
    loss.backward(lib.tensor(grad.copy()))
    return loss.detach().numpy(), logits.grad.numpy()


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_cross_entropy_loss_and_gradient(dtype: type, reduction: str) -> None:
    rng = np.random.default_rng(4)
    bad = []
    for batch in (*range(1, 36, 3), 64, 100, 256, 257, 1000):
        for classes in (1, 2, 3, 10, 16, 17, 33):
            z = (rng.standard_normal((batch, classes)) * 3).astype(dtype)
            labels = rng.integers(0, classes, batch)
            shape = (batch,) if reduction == "none" else ()
            grad = rng.standard_normal(shape).astype(dtype)
            extras = [{}, {"weight": rng.uniform(0.1, 2, classes).astype(dtype)}]
            if batch > 2:
                extras.append({"ignore_index": int(labels[1])})
            for options in extras:
                ours = _cross_entropy(engine, z, labels, grad, reduction=reduction, **options)
                theirs = _cross_entropy(torch, z, labels, grad, reduction=reduction, **options)
                if not all(map(_same_bits, ours, theirs)):
                    bad.append((batch, classes, sorted(options)))
    assert not bad


@pytest.mark.parametrize("dtype", DTYPES)
def test_cross_entropy_with_label_smoothing_and_probability_targets(dtype: type) -> None:
    # label smoothing with class weights divides by weight.gather(...).sum(), torch.sum's order
    rng = np.random.default_rng(6)
    bad = []
    for batch, classes in ((1, 3), (5, 7), (64, 10), (100, 20), (300, 5)):
        z = (rng.standard_normal((batch, classes)) * 3).astype(dtype)
        labels = rng.integers(0, classes, batch)
        probabilities = rng.random((batch, classes)).astype(dtype)
        probabilities /= probabilities.sum(1, keepdims=True)
        weight = rng.uniform(0.2, 2, classes).astype(dtype)
        for options in ({"label_smoothing": 0.1}, {"label_smoothing": 0.2, "weight": weight},
                        {"label_smoothing": 0.1, "reduction": "sum"}, {"weight": weight}):
            for target in (labels, probabilities):
                grad = np.ones((), dtype)
                ours = _cross_entropy(engine, z, target, grad, **options)
                theirs = _cross_entropy(torch, z, target, grad, **options)
                if not all(map(_same_bits, ours, theirs)):
                    bad.append((batch, classes, sorted(options), target.dtype))
    assert not bad


@pytest.mark.parametrize("dtype", DTYPES)
def test_nll_loss_sums_in_the_kernels_cascade(dtype: type) -> None:
    # rows in blocks of 16 (row 0 alone at the top), 16 blocks a block of the next level;
    # an ignored row skips its flush, which lengthens its block
    rng = np.random.default_rng(5)
    for batch in (15, 16, 17, 255, 256, 257, 4095, 4097, 70_000):
        logp = (rng.standard_normal((batch, 4)) * 3).astype(dtype)
        target = rng.integers(0, 4, batch)
        target[rng.random(batch) < 0.1] = -100
        for reduction in ("sum", "mean"):
            for kept in (target.clip(0), target):  # without and with ignored rows
                ours = engine_functional.nll_loss(engine.tensor(logp), engine.tensor(kept),
                                                  reduction=reduction)
                theirs = torch.nn.functional.nll_loss(torch.from_numpy(logp),
                                                      torch.from_numpy(kept),
                                                      reduction=reduction)
                assert _same_bits(ours.numpy(), theirs.numpy()), (batch, reduction)


def test_the_reported_case() -> None:
    z = (np.random.default_rng(0).standard_normal((200, 20)) * 3).astype(np.float32)
    labels = np.random.default_rng(1).integers(0, 20, 200)
    assert not _forward_mismatches(z, 1)
    ours = _cross_entropy(engine, z, labels, np.ones((), np.float32))
    theirs = _cross_entropy(torch, z, labels, np.ones((), np.float32))
    assert all(map(_same_bits, ours, theirs))

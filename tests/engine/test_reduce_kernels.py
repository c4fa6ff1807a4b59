"""`engine.reduce_kernels` gives PyTorch's CPU vector_norm, prod, var/std and logsumexp bit for
bit: float32 and float64, whole-tensor and dim reductions, keepdim, contiguous, transposed,
sliced and broadcast inputs, lengths 1 to 70 and a few shared among PyTorch's threads."""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable

import numpy as np
import pytest

from engine import reduce_kernels as rk
from engine import vml
from tests.engine.parity import mkl_exp_log_modelled, reductions_modelled, sums_modelled

torch = pytest.importorskip("torch")

needs_reductions = pytest.mark.skipif(
    not (reductions_modelled(torch) and sums_modelled(torch)),
    reason="PyTorch's CPU reductions run in another order or with other vectors here")
needs_mkl = pytest.mark.skipif(
    not (mkl_exp_log_modelled(torch) and sums_modelled(torch)),
    reason="PyTorch's exp and log here come from MKL kernels gradviz does not model")
needs_threads = pytest.mark.skipif(torch.get_num_threads() != rk.THREADS,
                                   reason="PyTorch shares large reductions among another "
                                   "number of threads than the engine models")

DTYPES = [np.float32, np.float64]
ORDS = [2, 1, math.inf, -math.inf, 0, 3, 0.5]
LENGTHS = [*range(1, 71), 100, 255, 1000]
SHAPES = [(3, 5), (5, 3), (7, 20), (20, 7), (33, 65), (65, 33), (1, 70), (70, 1), (2, 3, 40),
          (40, 3, 2), (4, 1, 9), (6, 5, 4)]
LARGE_SHAPES = [(40_000,), (300, 300), (3, 150, 80)]  # 32,768 elements or more: threads

# the same view of a numpy array and of a tensor
LAYOUTS: dict[str, tuple[Callable, Callable]] = {
    "contiguous": (lambda a: a, lambda t: t),
    "transposed": (lambda a: np.swapaxes(a, 0, -1), lambda t: t.transpose(0, -1)),
    "sliced": (lambda a: a[..., 1:], lambda t: t[..., 1:]),
    "strided": (lambda a: a[..., ::2], lambda t: t[..., ::2]),
    "permuted": (lambda a: np.moveaxis(a, 0, -1), lambda t: t.movedim(0, -1)),
    "broadcast": (lambda a: np.broadcast_to(a[:1], a.shape), lambda t: t[:1].expand(t.shape)),
}


def same(ours: object, theirs: object) -> bool:
    """Same shape, dtype and bits; NaNs only need to be NaNs (their payloads come from the
    vector instructions PyTorch happens to run, e.g. 0xFFFFFFFF from its maximum)."""
    ours = np.asarray(ours)
    theirs = np.asarray(theirs.numpy() if hasattr(theirs, "numpy") else theirs)
    if ours.shape != theirs.shape or ours.dtype != theirs.dtype:
        return False
    nan = np.isnan(theirs)
    return bool(np.array_equal(np.isnan(ours), nan)
                and ours[~nan].tobytes() == theirs[~nan].tobytes())


def dim_choices(ndim: int) -> list:
    choices = [None, *((d,) for d in range(ndim))]
    if ndim >= 2:
        choices.append((0, ndim - 1))
    if ndim >= 3:
        choices.append((0, 1))
    return choices


def random(shape: tuple, dtype: type, seed: int, scale: float = 2.0) -> np.ndarray:
    return (np.random.default_rng(seed).standard_normal(shape) * scale).astype(dtype)


# --- vector_norm ---------------------------------------------------------------------------------

@needs_reductions
@pytest.mark.parametrize("dtype", DTYPES)
def test_norms_of_every_length(dtype: type) -> None:
    for n in LENGTHS:
        values = random((n,), dtype, n)
        tensor = torch.from_numpy(values)
        for ord in ORDS:
            assert same(rk.vector_norm(values, ord, None, False),
                        torch.linalg.vector_norm(tensor, ord)), (n, ord)
            assert same(rk.vector_norm(values[::3], ord, (0,), True),
                        torch.linalg.vector_norm(tensor[::3], ord, 0, True)), (n, ord)


@needs_reductions
@pytest.mark.parametrize("dtype", DTYPES)
def test_row_norms_of_every_length(dtype: type) -> None:
    """One contiguous reduced dim: PyTorch's vectorised 2-norm, its tail fused."""
    for n in LENGTHS[:70]:
        values = random((9, n), dtype, n)
        for ord in (2, 1, 3):
            assert same(rk.vector_norm(values, ord, (1,), False),
                        torch.linalg.vector_norm(torch.from_numpy(values), ord, 1)), (n, ord)


@needs_reductions
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("layout", LAYOUTS)
def test_norms_along_dims(dtype: type, layout: str) -> None:
    view, view_tensor = LAYOUTS[layout]
    for number, shape in enumerate(SHAPES):
        base = random(shape, dtype, number)
        values, tensor = view(base), view_tensor(torch.from_numpy(base))
        for dims in dim_choices(values.ndim):
            for keepdim in (False, True):
                for ord in ORDS if values.size else (2, 1, 0, 3, 0.5):  # ±inf: no identity
                    assert same(rk.vector_norm(values, ord, dims, keepdim),
                                torch.linalg.vector_norm(tensor, ord, dims, keepdim)), (
                        shape, dims, keepdim, ord)


@needs_reductions
@pytest.mark.parametrize("dtype", DTYPES)
def test_norms_of_special_values(dtype: type) -> None:
    big = 1e20 if dtype == np.float32 else 1e160  # squares overflow
    tiny = 1e-25 if dtype == np.float32 else 1e-170  # squares underflow
    rows = [[0.0, -0.0, 0.0], [np.inf, 1.0, 2.0], [-np.inf, 0.0, 3.0], [np.nan, 1.0, np.inf],
            [big, big, 1.0], [tiny, -tiny, tiny], [1.0, np.nan, 0.0], [-0.0, -0.0, -0.0]]
    values = np.array([row * 4 for row in rows], dtype)  # rows of 12: vectors and a tail
    tensor = torch.from_numpy(values)
    for ord in ORDS:
        for dims in (None, (0,), (1,)):
            assert same(rk.vector_norm(values, ord, dims, False),
                        torch.linalg.vector_norm(tensor, ord, dims)), (ord, dims)
            assert same(rk.vector_norm(values.T, ord, dims, False),
                        torch.linalg.vector_norm(tensor.T, ord, dims)), (ord, dims)


@needs_reductions
@pytest.mark.parametrize("dtype", DTYPES)
def test_norms_over_dims_of_size_one_and_empty(dtype: type) -> None:
    values = random((4, 1, 3), dtype, 2)
    tensor = torch.from_numpy(values)
    for ord in ORDS:
        assert same(rk.vector_norm(values, ord, (1,), False, size_one=True),
                    torch.linalg.vector_norm(tensor, ord, 1))
        assert same(rk.vector_norm(values, ord, (1,), True),
                    torch.linalg.vector_norm(tensor, ord, 1, True))
    scalar = np.array(-3.0, dtype)
    assert same(rk.vector_norm(scalar, 2, None, False, size_one=True),
                torch.linalg.vector_norm(torch.tensor(scalar)))
    empty = np.zeros((0, 3), dtype)
    for ord in (2, 1, 0, 3):
        assert same(rk.vector_norm(empty, ord, (0,), False),
                    torch.linalg.vector_norm(torch.from_numpy(empty), ord, 0))


@needs_reductions
@needs_threads
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape", LARGE_SHAPES)
def test_large_norms(dtype: type, shape: tuple) -> None:
    base = random(shape, dtype, 5)
    for layout in ("contiguous", "transposed", "sliced"):
        view, view_tensor = LAYOUTS[layout]
        values, tensor = view(base), view_tensor(torch.from_numpy(base))
        for ord in (2, 1, math.inf, 0, 3):
            for dims in (None, (0,), (values.ndim - 1,)):
                assert same(rk.vector_norm(values, ord, dims, False),
                            torch.linalg.vector_norm(tensor, ord, dims)), (layout, ord, dims)


# --- prod ----------------------------------------------------------------------------------------

def factors(shape: tuple, dtype: type, seed: int) -> np.ndarray:
    """Products of these stay finite and every multiplication rounds."""
    return (random(shape, dtype, seed, 0.3) + dtype(1)).astype(dtype)


@needs_reductions
@pytest.mark.parametrize("dtype", DTYPES)
def test_products_of_every_length(dtype: type) -> None:
    for n in LENGTHS:
        values = factors((n,), dtype, n)
        tensor = torch.from_numpy(values)
        assert same(rk.prod(values), tensor.prod()), n
        assert same(rk.prod(values[::2], 0, True), tensor[::2].prod(0, True)), n
        rows = factors((5, n), dtype, n + 1)
        assert same(rk.prod(rows, 1), torch.from_numpy(rows).prod(1)), n
        assert same(rk.prod(rows, 0), torch.from_numpy(rows).prod(0)), n


@needs_reductions
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("layout", LAYOUTS)
def test_products_along_dims(dtype: type, layout: str) -> None:
    view, view_tensor = LAYOUTS[layout]
    for number, shape in enumerate(SHAPES):
        base = factors(shape, dtype, number)
        values, tensor = view(base), view_tensor(torch.from_numpy(base))
        assert same(rk.prod(values), tensor.prod()), shape
        for dim in range(values.ndim):
            for keepdim in (False, True):
                assert same(rk.prod(values, dim, keepdim), tensor.prod(dim, keepdim)), (
                    shape, dim, keepdim)


@needs_reductions
@pytest.mark.parametrize("dtype", DTYPES)
def test_products_of_special_values(dtype: type) -> None:
    rows = [[1.5, -0.0, 2.0], [-1.0, 0.0, -1.0], [np.inf, 0.0, 1.0], [np.nan, 1.0, 2.0],
            [-np.inf, -2.0, 3.0], [1e30, 1e30, 1e-30]]
    values = np.array([row * 11 for row in rows], dtype)  # rows of 33: one vector block
    tensor = torch.from_numpy(values)
    for dim in (None, 0, 1):
        ours = rk.prod(values) if dim is None else rk.prod(values, dim)
        assert same(ours, tensor.prod() if dim is None else tensor.prod(dim)), dim
    assert same(rk.prod(np.array(-0.0, dtype)), torch.tensor(-0.0, dtype=tensor.dtype).prod())
    assert same(rk.prod(np.zeros((2, 0), dtype), 1), torch.zeros((2, 0), dtype=tensor.dtype)
                .prod(1))


@needs_reductions
@needs_threads
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape", LARGE_SHAPES)
def test_large_products(dtype: type, shape: tuple) -> None:
    base = (random(shape, dtype, 6, 0.002) + dtype(1)).astype(dtype)
    for layout in ("contiguous", "transposed", "sliced"):
        view, view_tensor = LAYOUTS[layout]
        values, tensor = view(base), view_tensor(torch.from_numpy(base))
        assert same(rk.prod(values), tensor.prod()), layout
        for dim in range(values.ndim):
            assert same(rk.prod(values, dim), tensor.prod(dim)), (layout, dim)


# --- var / std -----------------------------------------------------------------------------------

def torch_spread(tensor: object, dims: tuple | None, correction: int, keepdim: bool,
                 root: bool) -> object:
    function = torch.std if root else torch.var
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # degrees of freedom <= 0
        return function(tensor, dims, correction=correction, keepdim=keepdim)


@needs_reductions
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("layout", LAYOUTS)
def test_variances_along_dims(dtype: type, layout: str) -> None:
    view, view_tensor = LAYOUTS[layout]
    for number, shape in enumerate(SHAPES):
        base = random(shape, dtype, number) + dtype(number % 3)
        values, tensor = view(base), view_tensor(torch.from_numpy(base))
        for dims in dim_choices(values.ndim):
            for correction in (0, 1, 2):
                for root in (False, True):
                    keepdim = bool(correction % 2)
                    assert same(rk.variance(values, dims, correction, keepdim, root),
                                torch_spread(tensor, dims, correction, keepdim, root)), (
                        shape, dims, correction, root)


@needs_reductions
@pytest.mark.parametrize("dtype", DTYPES)
def test_variances_of_every_length(dtype: type) -> None:
    for n in LENGTHS:
        values = random((n, 3), dtype, n)
        tensor = torch.from_numpy(values)
        for root in (False, True):
            assert same(rk.variance(values, None, 1, False, root),
                        torch_spread(tensor, None, 1, False, root)), n
            assert same(rk.variance(values, (0,), 1, False, root),
                        torch_spread(tensor, (0,), 1, False, root)), n
            assert same(rk.variance(values.T, (1,), 0, True, root),
                        torch_spread(tensor.T, (1,), 0, True, root)), n


@needs_reductions
def test_float32_variances_near_a_rounding_boundary_take_welfords_steps() -> None:
    """Data far from 0 (a large mean beside a small spread) and many outputs, so that some
    two-pass estimates fall near a float32 boundary and are recomputed step by step."""
    rng = np.random.default_rng(8)
    for offset in (0.0, 10.0, 1000.0):
        values = (rng.standard_normal((50, 400)) * 0.5 + offset).astype(np.float32)
        tensor = torch.from_numpy(values)
        for root in (False, True):
            assert same(rk.variance(values, (0,), 1, False, root),
                        torch_spread(tensor, (0,), 1, False, root)), offset


@needs_reductions
@pytest.mark.parametrize("dtype", DTYPES)
def test_variances_of_special_values(dtype: type) -> None:
    rows = [[1.0, 2.0, np.inf], [np.nan, 1.0, 2.0], [3.0, 3.0, 3.0], [-np.inf, np.inf, 0.0],
            [1e30, -1e30, 0.0], [0.0, -0.0, 0.0]]
    values = np.array(rows, dtype)
    tensor = torch.from_numpy(values)
    for dims in (None, (0,), (1,)):
        for correction in (0, 1, 3):
            assert same(rk.variance(values, dims, correction, False),
                        torch_spread(tensor, dims, correction, False, False)), (dims, correction)
    for shape in ((0, 3), (1,), (), (3, 1)):
        lone = np.ones(shape, dtype)
        for dims in (None, (0,)) if shape else (None,):
            assert same(rk.variance(lone, dims, 1, False, True),
                        torch_spread(torch.from_numpy(lone), dims, 1, False, True)), shape


@needs_reductions
@needs_threads
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape", LARGE_SHAPES)
def test_large_variances(dtype: type, shape: tuple) -> None:
    base = random(shape, dtype, 7) + dtype(3)
    for layout in ("contiguous", "transposed", "sliced"):
        view, view_tensor = LAYOUTS[layout]
        values, tensor = view(base), view_tensor(torch.from_numpy(base))
        assert same(rk.variance(values, None, 1, False), tensor.var()), layout
        assert same(rk.variance(values, (values.ndim - 1,), 1, False, True),
                    tensor.std(values.ndim - 1)), layout


# --- logsumexp and MKL's exp and log -------------------------------------------------------------

@needs_mkl
@pytest.mark.parametrize("layout", LAYOUTS)
def test_float32_logsumexps(layout: str) -> None:
    view, view_tensor = LAYOUTS[layout]
    for number, shape in enumerate(SHAPES):
        base = random(shape, np.float32, number, 3.0)
        values, tensor = view(base), view_tensor(torch.from_numpy(base))
        for dims in dim_choices(values.ndim):
            dims = dims or tuple(range(values.ndim))
            for keepdim in (False, True):
                assert same(rk.logsumexp(values, dims, keepdim),
                            torch.logsumexp(tensor, dims, keepdim)), (shape, dims, keepdim)


@needs_mkl
def test_float32_logsumexps_of_every_length_and_of_special_rows() -> None:
    for n in LENGTHS:
        values = random((4, n), np.float32, n, 4.0)
        tensor = torch.from_numpy(values)
        assert same(rk.logsumexp(values, (1,), False), torch.logsumexp(tensor, 1)), n
        assert same(rk.logsumexp(values, (0,), True), torch.logsumexp(tensor, 0, True)), n
    rows = np.array([[-np.inf] * 5, [np.inf, 1.0, 2.0, 3.0, 4.0], [np.nan, 0.0, 1.0, 2.0, 3.0],
                     [-np.inf, 0.0, -np.inf, 1.0, -200.0], [88.0, 87.0, 80.0, 0.0, -90.0]],
                    np.float32)
    for dim in (0, 1):
        assert same(rk.logsumexp(rows, (dim,), False), torch.logsumexp(torch.from_numpy(rows),
                                                                       dim)), dim


@needs_mkl
@needs_threads
def test_large_float32_logsumexps() -> None:
    base = random((300, 300), np.float32, 9, 3.0)
    for layout in ("contiguous", "transposed"):
        view, view_tensor = LAYOUTS[layout]
        values, tensor = view(base), view_tensor(torch.from_numpy(base))
        for dims in ((0, 1), (0,), (1,)):
            assert same(rk.logsumexp(values, dims, False), torch.logsumexp(tensor, dims)), dims


@needs_mkl
def test_float64_logsumexps_are_within_an_ulp() -> None:
    """float64 logs come from numpy, MKL's differing in 0.02% of the values: a result may be
    a unit off, and rarely is."""
    total = exact = 0
    for number, shape in enumerate(SHAPES):
        values = random(shape, np.float64, number, 3.0)
        for dim in range(values.ndim):
            ours = np.asarray(rk.logsumexp(values, (dim,), False))
            theirs = torch.logsumexp(torch.from_numpy(values), dim).numpy()
            assert np.all(np.abs(ours - theirs) <= np.spacing(np.abs(theirs))), (shape, dim)
            total += ours.size
            exact += int(np.sum(ours == theirs))
    assert exact >= 0.98 * total


@needs_mkl
def test_mkl_exp_and_log_of_every_length() -> None:
    rng = np.random.default_rng(4)
    for n in (*range(1, 70), 1000, 100_001):
        exponents = rng.uniform(-87.0, 88.0, n).astype(np.float32)
        positives = np.exp(rng.uniform(-87.0, 88.0, n)).astype(np.float32)
        wide = rng.uniform(-700.0, 700.0, n)
        assert same(vml.mkl_exp32(exponents), torch.from_numpy(exponents).exp()), n
        assert same(vml.mkl_log32(positives), torch.from_numpy(positives).log()), n
        assert same(vml.mkl_exp64(wide), torch.from_numpy(wide).exp()), n
    edges = np.array([0.0, -0.0, 1.0, -1.0, np.inf, -np.inf, np.nan, 1e-40, 3e38, 88.7, -103.0],
                     np.float32)
    assert same(vml.mkl_exp32(edges), torch.from_numpy(edges).exp())
    assert same(vml.mkl_log32(edges), torch.from_numpy(edges).log())

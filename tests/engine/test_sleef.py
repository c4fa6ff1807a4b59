"""The compiled kernels: `engine.fma` rounds a·b + c once (checked with exact rationals), and
`engine.sleef`'s exp and log are the ones PyTorch's softmax kernels call, on millions of values
(checked through those kernels, where this CPU's PyTorch runs them)."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

from engine import sleef
from engine.fma import fma32, fma64
from tests.engine.parity import softmax_kernels_modelled

F32 = np.float32


def _same(ours: np.ndarray, theirs: np.ndarray) -> bool:
    return np.array_equal(ours, theirs, equal_nan=True) and np.array_equal(
        np.signbit(ours) & ~np.isnan(ours), np.signbit(theirs) & ~np.isnan(theirs))


def _exactly_rounded(a: np.ndarray, b: np.ndarray, c: np.ndarray, dtype: type) -> np.ndarray:
    """a·b + c computed in rationals and rounded once to `dtype` (through float64, exact for
    float32 since a float32 value is a float64 one and Fraction rounds to nearest even)."""
    out = []
    for x, y, z in zip(a.tolist(), b.tolist(), c.tolist(), strict=True):
        exact = Fraction(x) * Fraction(y) + Fraction(z)
        if dtype == np.float64:
            out.append(float(exact))
        else:  # round to float32 directly: rounding to float64 first could tie wrongly
            low = np.float32(float(exact))
            neighbours = [np.nextafter(low, F32(-np.inf)), low, np.nextafter(low, F32(np.inf))]
            out.append(min(neighbours, key=lambda v: (abs(Fraction(float(v)) - exact),
                                                        int(np.array(v).view(np.int32)) & 1)))
    return np.array(out, dtype)


def test_fma32_rounds_once_also_on_ties() -> None:
    rng = np.random.default_rng(2)
    a = rng.standard_normal(20_000).astype(F32)
    b = rng.standard_normal(20_000).astype(F32)
    b[::3] = F32(2.0**-6)  # exact products: float32 midpoints that are exact float64 sums
    near = -(a.astype(np.float64) * b) * (1 + rng.standard_normal(a.size) * 2.0 ** -25)
    c = np.where(rng.random(a.size) < 0.5, near, rng.standard_normal(a.size)).astype(F32)
    c[::7] = 0
    # a float64 sum that lands on a midpoint the true sum is just below
    a = np.append(a, F32(2.0**-24 * (1 + 2.0**-18)))
    b = np.append(b, F32(1 - 2.0**-18))
    c = np.append(c, F32(1 + 2.0**-23))
    got = fma32(a, b, c)
    assert got.dtype == np.float32
    assert _same(got, _exactly_rounded(a, b, c, np.float32))
    assert got[-1] == F32(1 + 2.0**-23)  # double rounding through float64 would give 1 + 2**-22


def test_fma64_rounds_once() -> None:
    rng = np.random.default_rng(3)
    a = rng.standard_normal(3000)
    b = rng.standard_normal(3000)
    c = np.where(rng.random(3000) < 0.5, -a * b * (1 + 2.0**-40), rng.standard_normal(3000))
    assert _same(fma64(a, b, c), _exactly_rounded(a, b, c, np.float64))
    assert np.signbit(fma64(np.array([-1.0]), np.array([0.0]), np.array([-0.0])))[0]
    assert np.isnan(fma64(np.array([np.inf]), np.array([1.0]), np.array([-np.inf])))[0]
    tiny = np.array([2.0**-600])  # the exact product underflows; the emulation it replaced
    assert fma64(tiny, tiny, np.array([0.0]))[0] == 0.0  # gave up there, the instruction not
    assert fma64(np.array([1e300]), np.array([1e10]), np.array([-np.inf]))[0] == -np.inf


# --- exp and log against PyTorch ---------------------------------------------------------------
@pytest.fixture(scope="module")
def torch() -> object:
    torch = pytest.importorskip("torch")
    if not softmax_kernels_modelled(torch):
        pytest.skip("PyTorch's softmax kernels run another build here")
    return torch


def _torch_exp(torch: object, values: np.ndarray) -> np.ndarray:
    """PyTorch's Vectorized exp of `values`: log_softmax's backward g - exp(y)·Σg, fused, with
    g = -1 in a first column and 0 elsewhere, is exp(y) itself in the other columns."""
    width = 32
    padded = np.concatenate([values, np.zeros(-values.size % (width - 1), values.dtype)])
    y = np.zeros((padded.size // (width - 1), width), values.dtype)
    y[:, 1:] = padded.reshape(-1, width - 1)
    g = np.zeros_like(y)
    g[:, 0] = -1
    out = torch._log_softmax_backward_data(torch.from_numpy(g), torch.from_numpy(y), 1,
                                           torch.from_numpy(y).dtype).numpy()
    return out[:, 1:].reshape(-1)[:values.size]


EDGES = [0.0, -0.0, np.inf, -np.inf, np.nan, -104.0, -104.5, 100.0, 88.72, 88.73, -87.3,
         -103.97, -103.28, 1e-40, -1e-45, 709.78, 709.79, -745.2, -1000.5, -1100.0]


def test_expf_is_pytorchs_on_a_whole_binade_and_the_limits(torch: object) -> None:
    every = np.arange(0xBF800000, 0xC0000000, dtype=np.uint32).view(F32)  # all of [-2, -1)
    assert _same(sleef.expf(every), _torch_exp(torch, every))
    rng = np.random.default_rng(0)
    values = np.concatenate([rng.uniform(-110, 105, 400_000), EDGES]).astype(F32)
    assert _same(sleef.expf(values), _torch_exp(torch, values))


def test_exp_float64_is_pytorchs(torch: object) -> None:
    rng = np.random.default_rng(4)
    values = np.concatenate([rng.uniform(-750, 712, 400_000), rng.uniform(-1, 1, 100_000),
                             EDGES])
    assert _same(sleef.exp(values), _torch_exp(torch, values))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_log_is_pytorchs_on_the_sums_softmax_takes_it_of(torch: object, dtype: type) -> None:
    """log_softmax of [0, t, …, t] is -log(1 + k·exp(t)) in its first column, so sums from 1 to
    k + 1 reach Sleef's log; each is compared with `sleef` applied to the same sum."""
    rng = np.random.default_rng(5)
    t = -rng.exponential(3.0, 200_000).astype(dtype)
    copies = rng.integers(1, 40, t.size)
    width = int(copies.max()) + 1
    rows = np.full((t.size, width), -np.inf, dtype)
    rows[:, 0] = 0
    columns = np.arange(1, width)
    rows[:, 1:] = np.where(columns[None, :] <= copies[:, None], t[:, None], dtype(-np.inf))
    theirs = torch.from_numpy(rows).log_softmax(1).numpy()[:, 0]
    from engine import softmax_kernels

    assert _same(softmax_kernels.log_softmax(rows, 1)[:, 0], theirs)
    sums = np.exp(-theirs.astype(np.float64))  # the sums, near enough to check log's range
    assert sums.min() >= 1 and sums.max() > 30
    special = np.array([0.0, -0.0, -1.0, np.inf, -np.inf, np.nan, 1e-45, 3.4e38, 1.0], dtype)
    log = sleef.logf if dtype == np.float32 else sleef.log
    with np.errstate(all="ignore"):
        assert _same(log(special)[:6], np.log(special[:6]))
    assert log(special)[-1] == 0

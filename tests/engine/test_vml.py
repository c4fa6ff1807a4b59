"""`engine.vml` gives PyTorch's sin, cos, tan, tanh and erf (MKL's kernels) bit for bit on
this CPU: on random values, bit patterns across the range, special values, every size up to
70, strided views and 0-d arrays. "Learning PyTorch with Examples" fits y = sin(x) on 2000
points; 92 of those sines were a unit off."""

from __future__ import annotations

import math

import numpy as np
import pytest

from engine import vml
from tests.engine.parity import vml_modelled

torch = pytest.importorskip("torch")

NAMES = ("sin", "cos", "tan", "asin", "acos", "atan", "tanh", "erf")
MODELLED = [(name, dtype) for name in NAMES for dtype in (np.float32, np.float64)
            if vml.modelled(name, dtype)]
needs_vml = pytest.mark.skipif(not vml_modelled(torch), reason="PyTorch's sin/cos/… on this "
                               "CPU come from MKL kernels gradviz does not model")


def _bits(values: np.ndarray) -> bytes:
    return np.ascontiguousarray(values).tobytes()


def _theirs(name: str, values: np.ndarray, view: object = None) -> np.ndarray:
    tensor = torch.from_numpy(values)
    if view is not None:
        tensor = view(tensor)
    return getattr(torch, name)(tensor).numpy()


def _domain(name: str, rng: np.random.Generator, size: object, dtype: type) -> np.ndarray:
    low, high = (-1.0, 1.0) if name in ("asin", "acos") else (-10.0, 10.0)
    return rng.uniform(low, high, size).astype(dtype)


@needs_vml
@pytest.mark.parametrize(("name", "dtype"), MODELLED)
def test_random_values_are_pytorchs(name: str, dtype: type) -> None:
    rng = np.random.default_rng(len(name))
    values = _domain(name, rng, 200_000, dtype)
    wide = rng.uniform(-10_000.0, 10_000.0, 50_000).astype(dtype)  # sin, cos, tan reduce these
    tiny = (rng.uniform(-1.0, 1.0, 50_000) * 10.0 ** rng.uniform(-40, 0, 50_000)).astype(dtype)
    for sample in (values, wide, tiny):
        assert _bits(getattr(vml, name)(sample)) == _bits(_theirs(name, sample))


@needs_vml
@pytest.mark.parametrize(("name", "dtype"), MODELLED)
def test_bit_patterns_across_the_range_are_pytorchs(name: str, dtype: type) -> None:
    """A sample of every binade, NaN payloads and subnormals included (beyond ±10000 sin, cos
    and tan come correctly rounded, where MKL differs in about 1% of values: left out)."""
    if dtype == np.float32:
        values = np.arange(0, 2**32, 4099, dtype=np.uint64).astype(np.uint32).view(np.float32)
    else:
        values = (np.arange(0, 2**64 - 2**52, 2**44 + 4099, dtype=np.uint64)).view(np.float64)
    if name in ("sin", "cos", "tan"):
        values = values[~(np.abs(values) > 10_000)]
    assert _bits(getattr(vml, name)(values)) == _bits(_theirs(name, values))


@needs_vml
@pytest.mark.parametrize(("name", "dtype"), MODELLED)
def test_special_values_are_pytorchs(name: str, dtype: type) -> None:
    tiny = np.finfo(dtype).smallest_subnormal
    values = np.array([0.0, -0.0, tiny, -tiny, np.finfo(dtype).tiny, 1e-30, 0.5, 1.0, -1.0,
                       2.0, 3.9296875, 10.0, 10_000.0, -10_000.0, 1e30, np.finfo(dtype).max,
                       np.inf, -np.inf, np.nan, -np.nan], dtype)
    assert _bits(getattr(vml, name)(values)) == _bits(_theirs(name, values))


@needs_vml
@pytest.mark.parametrize(("name", "dtype"), MODELLED)
def test_every_size_layout_and_0d_is_pytorchs(name: str, dtype: type) -> None:
    """MKL's kernels take 16 values a step, then groups of 4, then the last ones; PyTorch
    copies a strided view into a buffer first. Neither changes a result."""
    rng = np.random.default_rng(7)
    for size in range(1, 71):
        values = _domain(name, rng, size, dtype)
        assert _bits(getattr(vml, name)(values)) == _bits(_theirs(name, values))
    block = _domain(name, rng, (30, 41), dtype)
    for view in (lambda t: t.T, lambda t: t[:, ::3], lambda t: t[::2, 5:]):
        assert _bits(getattr(vml, name)(view(block))) == _bits(_theirs(name, block, view))
    scalar = getattr(vml, name)(np.array(0.3, dtype))
    assert isinstance(scalar, np.generic)
    wanted = getattr(torch, name)(torch.from_numpy(np.array(0.3, dtype))).item()
    assert scalar.item() == wanted


@needs_vml
def test_the_tutorials_sine_curve_is_pytorchs() -> None:
    """y = sin(x) on torch.linspace(-π, π, 2000), as "Learning PyTorch with Examples" fits."""
    x = torch.linspace(-math.pi, math.pi, 2000)
    assert _bits(vml.sin(x.numpy())) == _bits(torch.sin(x).numpy())
    assert vml.cos(np.float32(1.0)).item() == torch.tensor(1.0).cos().item()


def test_unmodelled_ops_and_dtypes_keep_todays_results() -> None:
    """float32 in double, rounded once; float64 and float16 numpy's own."""
    values = np.linspace(-0.9, 0.9, 101).astype(np.float32)
    functions = {"sin": np.sin, "cos": np.cos, "tan": np.tan, "asin": np.arcsin,
                 "acos": np.arccos, "atan": np.arctan, "tanh": np.tanh}
    for name, function in functions.items():
        if not vml.modelled(name, np.float32):
            assert _bits(getattr(vml, name)(values)) == _bits(
                function(values.astype(np.float64)).astype(np.float32))
        if not vml.modelled(name, np.float64):
            assert _bits(getattr(vml, name)(values.astype(np.float64))) == _bits(
                function(values.astype(np.float64)))
    assert vml.sin(np.float16(0.5)).dtype == np.float16

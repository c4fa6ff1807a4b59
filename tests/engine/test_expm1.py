"""torch.expm1 of float32 and float64 is Sleef's expm1 on every element on this CPU
(`engine.sleef.expm1f` and `expm1`): UnaryOpsKernel.cpp runs it through vml's `map` of
`Vectorized::expm1()` (Sleef_expm1f16_u10, Sleef_expm1d8_u10), whose tail is a partial vector,
and strided tensors through a contiguous buffer; MKL's Expm1 is switched off in vml.h. The
correctly rounded stand-in it replaces left about one float32 value in a hundred apart."""

from __future__ import annotations

import numpy as np
import pytest

from engine import sleef

torch = pytest.importorskip("torch")

needs_avx512 = pytest.mark.skipif(
    torch.backends.cpu.get_cpu_capability().lower() != "avx512",
    reason="PyTorch on this CPU does not run its AVX-512 kernels, whose Sleef expm1 gradviz "
           "models")

EXPM1 = {np.float32: sleef.expm1f, np.float64: sleef.expm1}


def _bits(values: object) -> bytes:
    return np.ascontiguousarray(values).tobytes()


@needs_avx512
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_expm1_is_sleefs_for_every_size_and_layout(dtype: type) -> None:
    rng = np.random.default_rng(51)
    for size in [*range(1, 40), 1000, 2047, 2048, 2049, 32_769, 40_001]:
        values = np.concatenate([rng.uniform(-20, 20, size // 2),
                                 rng.uniform(-1, 1, size - size // 2)]).astype(dtype)
        assert _bits(EXPM1[dtype](values)) == _bits(torch.expm1(torch.from_numpy(values))), size
    block = rng.uniform(-30, 30, (130, 70)).astype(dtype)
    for view in (lambda t: t.T, lambda t: t[:, ::3], lambda t: t[5:, 1:], lambda t: t[::2]):
        assert _bits(EXPM1[dtype](view(block))) == _bits(torch.expm1(view(torch.from_numpy(block))))
    number = np.array(0.25, dtype)
    assert _bits(EXPM1[dtype](number)) == _bits(torch.expm1(torch.from_numpy(number)))


@needs_avx512
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_expm1_special_values_and_bounds(dtype: type) -> None:
    """±0, ±inf, NaN, subnormals and Sleef's bounds: inf above 88.72 (709.78), −1 below
    −16.64 (−36.74), −0. kept."""
    special = np.array([0.0, -0.0, np.inf, -np.inf, np.nan, 1e-40, -1e-40, 1e-30, -1e-30,
                        88.72, 88.73, -16.6, -16.7, -36.7, -36.8, 100.0, -100.0, 709.78,
                        709.79, 3e38, -3e38], dtype)
    for values, view in ((special, None), (np.repeat(special, 2), lambda t: t[::2])):
        tensor = torch.from_numpy(values.copy())
        theirs = torch.expm1(tensor if view is None else view(tensor))
        ours = EXPM1[dtype](values if view is None else view(values))
        assert _bits(ours) == _bits(theirs)


@needs_avx512
def test_float32_sweep() -> None:
    """Every 9973rd float32 bit pattern (all binades, subnormals, infinities, NaNs)."""
    values = np.arange(0, 2**32, 9973, dtype=np.uint64).astype(np.uint32).view(np.float32)
    assert _bits(sleef.expm1f(values)) == _bits(torch.expm1(torch.from_numpy(values)))

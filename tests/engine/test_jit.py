"""The compiled kernels still work where numba cannot cache them (a read-only install whose
user has no writable home): they compile in each process instead of failing to import."""

from __future__ import annotations

import numpy as np
import pytest

from engine import jit


def test_a_kernel_without_a_cache_location_compiles_uncached() -> None:
    calls = []

    def build(cache: bool) -> str:
        calls.append(cache)
        if cache:
            raise RuntimeError("cannot cache function 'relu': no locator available for file 'x'")
        return "compiled"

    assert jit._cached(build) == "compiled"
    assert calls == [True, False]


def test_other_compile_errors_are_not_hidden() -> None:
    def build(cache: bool) -> str:
        raise RuntimeError("typing failed")

    with pytest.raises(RuntimeError, match="typing failed"):
        jit._cached(build)


def test_ufunc_and_loop_compile_plain_python() -> None:
    @jit.ufunc("float32(float32, float32, float32)")
    def fused(a: float, b: float, c: float) -> float:
        return jit.fma(a, b, c)

    @jit.loop
    def total(values: np.ndarray) -> float:
        result = 0.0
        for value in values:
            result += value
        return result

    third = np.float32(1 / 3)
    assert fused(third, np.float32(3), np.float32(-1)) == np.float32(
        float(third) * 3 - 1)  # exact in float64, then one rounding
    assert isinstance(fused.build(), np.ufunc)
    assert total(np.arange(5.0)) == 10.0


def test_numba_loads_only_when_a_script_needs_a_compiled_kernel() -> None:
    """`import engine` and the tutorial's x ** 2 never load numba (half a second); a softmax
    does."""
    import subprocess
    import sys
    from pathlib import Path

    code = ("import sys, engine; x = engine.tensor(2.0, requires_grad=True); y = x ** 2; "
            "y.backward(); print(x.grad, 'numba' in sys.modules); "
            "engine.tensor([1.0, 2.0]).softmax(0); print('numba' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=Path(__file__).resolve().parents[2], timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["tensor(4.)", "False", "True"]

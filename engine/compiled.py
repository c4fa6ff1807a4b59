"""Compiled kernels (`engine.jit`), loaded on their first call: numba and the cached machine
code take about half a second to load, which a script that never needs them should not pay."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any


def kernel(module: str, name: str) -> Callable[..., Any]:
    """`module.name`, imported the first time it is called."""
    loaded: Callable[..., Any] | None = None

    def call(*args: Any, **kwargs: Any) -> Any:
        nonlocal loaded
        if loaded is None:
            found = getattr(importlib.import_module(module), name)
            build = getattr(found, "build", None)  # a `jit.Ufunc`: call the ufunc itself
            loaded = build() if build is not None else found
        return loaded(*args, **kwargs)

    call.__name__ = call.__qualname__ = name
    call.__doc__ = f"`{module}.{name}`, compiled on first use."
    return call


fma32 = kernel("engine.fma", "fma32")
fma64 = kernel("engine.fma", "fma64")
sleef_expf = kernel("engine.sleef", "expf")
sleef_powf = kernel("engine.sleef", "powf")
sleef_pow = kernel("engine.sleef", "pow_")
sleef_logf = kernel("engine.sleef", "logf")
sleef_exp = kernel("engine.sleef", "exp")
sleef_log = kernel("engine.sleef", "log")
nll_sums = kernel("engine.nll_kernel", "nll_sums")
layer_norm_backward = kernel("engine.layer_norm_backward_kernel", "layer_norm_backward")
batch_norm_forward = kernel("engine.batch_norm_kernel", "forward")
batch_norm_backward = kernel("engine.batch_norm_kernel", "backward")
zen = kernel("engine.mkl_kernels", "zen")
pst_axpy = kernel("engine.mkl_kernels", "pst_axpy")
relu = kernel("engine.relu_kernels", "relu")
relu_slope = kernel("engine.relu_kernels", "relu_slope")
threshold_backward = kernel("engine.relu_kernels", "threshold_backward")
libm_exp = kernel("engine.libm", "exp")
libm_log = kernel("engine.libm", "log")
libm_log1p = kernel("engine.libm", "log1p")
libm_sinh = kernel("engine.libm", "sinh")
libm_cosh = kernel("engine.libm", "cosh")
libm_pow = kernel("engine.libm", "pow")
libm_sin = kernel("engine.libm", "sin")
libm_cos = kernel("engine.libm", "cos")
sleef_log1pf = kernel("engine.sleef", "log1pf")
sleef_log1p = kernel("engine.sleef", "log1p")
sleef_tanhf = kernel("engine.sleef", "tanhf")
sleef_tanh = kernel("engine.sleef", "tanh")
sleef_sinhf = kernel("engine.sleef", "sinhf")
sleef_coshf = kernel("engine.sleef", "coshf")
sleef_sinh = kernel("engine.sleef", "sinh")
sleef_cosh = kernel("engine.sleef", "cosh")
sleef_erf = kernel("engine.sleef", "erf")
libm_erf = kernel("engine.libm", "erf")
libm_tanh = kernel("engine.libm", "tanh")
libm_expm1 = kernel("engine.libm", "expm1")
gelu = kernel("engine.gelu_kernel", "gelu")
gelu_backward = kernel("engine.gelu_kernel", "gelu_backward")
sleef_expm1f = kernel("engine.sleef", "expm1f")
sleef_expm1 = kernel("engine.sleef", "expm1")
dgemm_zen = kernel("engine.mkl_kernels", "dgemm_zen")
dgemm_axpy = kernel("engine.mkl_kernels", "dgemm_axpy")
dgemm_dots = kernel("engine.mkl_kernels", "dgemm_dots")
dgemv_t = kernel("engine.mkl_kernels", "dgemv_t")
sgemv_t = kernel("engine.mkl_kernels", "sgemv_t")
sdot = kernel("engine.mkl_kernels", "sdot")
ddot = kernel("engine.mkl_kernels", "ddot")
column_sums = kernel("engine.sum_kernels", "column_sums")
log_softmax_short = kernel("engine.log_softmax_kernel", "forward")
log_softmax_short_backward = kernel("engine.log_softmax_kernel", "backward")

"""`engine.sigmoid_kernel` gives PyTorch's sigmoid bit for bit on this CPU: Sleef's exp in the
vector blocks, glibc's (`engine.glibc_exp`) in small tensors, tails and strided views, which
round differently in about one sigmoid in twenty-five. Logistic regression's probabilities
and losses go through it."""

from __future__ import annotations

import numpy as np
import pytest

from engine import glibc_exp, sigmoid_kernel
from tests.engine.parity import sigmoid_modelled

torch = pytest.importorskip("torch")

needs_sigmoid = pytest.mark.skipif(not sigmoid_modelled(torch), reason="PyTorch's sigmoid on "
                                   "this CPU is not computed as gradviz models it")


def _bits(values: np.ndarray) -> bytes:
    return np.ascontiguousarray(values).tobytes()


def _theirs(values: np.ndarray, view: object = None) -> np.ndarray:
    tensor = torch.from_numpy(values)
    if view is not None:
        tensor = view(tensor)
    return tensor.sigmoid().numpy()


@needs_sigmoid
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_sigmoid_is_pytorchs_in_vector_blocks_tails_and_strided_views(dtype: type) -> None:
    """Sleef's exp in blocks of 32 floats (16 doubles), glibc's in the rest: the two differ in
    about one sigmoid in twenty-five."""
    rng = np.random.default_rng(29)
    for size in [*range(1, 71), 1000, 32_768, 32_769, 40_001]:
        values = rng.uniform(-20.0, 20.0, size).astype(dtype)
        assert _bits(sigmoid_kernel.sigmoid(values)) == _bits(_theirs(values))
    block = rng.uniform(-20.0, 20.0, (64, 45)).astype(dtype)
    for view in (lambda t: t.T, lambda t: t[:, ::2], lambda t: t[:, 3:], lambda t: t[::2]):
        assert _bits(sigmoid_kernel.sigmoid(view(block))) == _bits(
            _theirs(block, view))
    special = np.array([0.0, -0.0, np.inf, -np.inf, np.nan, 90.0, -90.0, 104.0, -104.0,
                        710.0, -710.0, 746.0, -746.0] * 3, dtype)
    assert _bits(sigmoid_kernel.sigmoid(special)) == _bits(_theirs(special))
    scalar = sigmoid_kernel.sigmoid(np.array(0.3, dtype))
    assert isinstance(scalar, np.generic)
    assert scalar.item() == torch.from_numpy(np.array(0.3, dtype)).sigmoid().item()


def test_glibc_exp_matches_the_c_library() -> None:
    """The scalar code's exp: glibc's expf and exp as ctypes calls them."""
    import ctypes
    import ctypes.util

    name = ctypes.util.find_library("m")
    if name is None or "GNU" not in _libc_version():
        pytest.skip("no glibc here")
    libm = ctypes.CDLL(name)
    libm.expf.restype, libm.expf.argtypes = ctypes.c_float, [ctypes.c_float]
    libm.exp.restype, libm.exp.argtypes = ctypes.c_double, [ctypes.c_double]
    rng = np.random.default_rng(31)
    floats = np.concatenate([rng.uniform(-105.0, 90.0, 3000),
                             [0.0, -0.0, np.inf, -np.inf, np.nan, 88.72, -103.97]]).astype(
        np.float32)
    doubles = np.concatenate([rng.uniform(-750.0, 715.0, 3000), rng.uniform(-1.0, 1.0, 500),
                              [0.0, np.inf, -np.inf, np.nan, 1e-300, -708.5, -745.0]])
    want = np.array([libm.expf(v) for v in floats.tolist()], np.float32)
    assert _bits(glibc_exp.expf(floats)) == _bits(want)
    want = np.array([libm.exp(v) for v in doubles.tolist()])
    assert _bits(glibc_exp.exp(doubles)) == _bits(want)


def _libc_version() -> str:
    import platform

    return " ".join(platform.libc_ver()).replace("glibc", "GNU")

"""`engine.sigmoid_kernel` gives PyTorch's sigmoid bit for bit on this CPU: Sleef's exp in the
vector blocks, the C library's (`engine.libm`) in small tensors, tails and strided views, which
round differently in about one sigmoid in twenty-five. Logistic regression's probabilities
and losses go through it."""

from __future__ import annotations

import numpy as np
import pytest

from engine import sigmoid_kernel
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

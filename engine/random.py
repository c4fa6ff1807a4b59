"""PyTorch's CPU random numbers (mt19937), reproduced in numpy. (Being completed.)"""

from __future__ import annotations

import numpy as np

DEFAULT_SEED = 67280421310721
_state = {"seed": DEFAULT_SEED}
_bits = np.random.MT19937()
_bits._legacy_seeding(DEFAULT_SEED & 0xFFFFFFFF)


def manual_seed(seed: int) -> None:
    _state["seed"] = seed
    _bits._legacy_seeding(seed & 0xFFFFFFFF)


def initial_seed() -> int:
    return _state["seed"]


def uniform(shape: tuple[int, ...], dtype: np.dtype) -> np.ndarray:
    n = int(np.prod(shape, dtype=np.int64))
    raw = _bits.random_raw(n)
    return ((raw & 0xFFFFFF) * 2.0**-24).astype(dtype).reshape(shape)


def normal(shape: tuple[int, ...], dtype: np.dtype) -> np.ndarray:
    u1 = uniform(shape, np.float64)
    u2 = uniform(shape, np.float64)
    return (np.sqrt(-2 * np.log1p(-u1)) * np.cos(2 * np.pi * u2)).astype(dtype)


def integers(low: int, high: int, shape: tuple[int, ...]) -> np.ndarray:
    n = int(np.prod(shape, dtype=np.int64))
    raw = _bits.random_raw(n).astype(np.int64)
    return (low + raw % (high - low)).reshape(shape)

"""`torch.multinomial`: drawing category indices, as PyTorch's CPU draws them.

PyTorch has two ways. One sample per row, or several without replacement: divide each
probability by an exponential draw and take the largest (a Gumbel-max trick: `p / q` with
q ~ Exp(1), then argmax or topk). Several with replacement: one float64 uniform per sample,
looked up by binary search in the row's cumulative sums (summed in the dtype, divided by the
total, the last one set to 1).
"""

from __future__ import annotations

import numpy as np

from engine import random, sorting
from engine.apply import new_tensor
from engine.functions import LEGACY_NAMES
from engine.tensor import Tensor

_MAX_CATEGORIES = 1 << 24  # the categories are counted in float32 somewhere in PyTorch


def multinomial(input: Tensor, num_samples: int, replacement: bool = False,  # noqa: A002
                *, generator: random.Generator | None = None) -> Tensor:
    """Indices drawn from each row of `input` (non-negative weights, not necessarily summing
    to one): int64, `num_samples` per row."""
    probs = np.asarray(input._data)
    if probs.ndim not in (1, 2):
        raise RuntimeError("prob_dist must be 1 or 2 dim")
    if probs.dtype.kind != "f":
        raise RuntimeError("multinomial only supports floating-point dtypes for input, got: "
                           f"{LEGACY_NAMES[probs.dtype.name]}")
    if num_samples <= 0:
        raise RuntimeError("cannot sample n_sample <= 0 samples")
    categories = probs.shape[-1]
    if not replacement and num_samples > categories:
        raise RuntimeError("cannot sample n_sample > prob_dist.size(-1) samples without "
                           "replacement")
    if categories > _MAX_CATEGORIES:
        raise RuntimeError("number of categories cannot exceed 2^24")
    shape = (num_samples,) if probs.ndim == 1 else (probs.shape[0], num_samples)
    if 0 in shape:
        return new_tensor(np.zeros(shape, np.int64))
    if not replacement or num_samples == 1:
        return new_tensor(_largest_ratios(probs, num_samples, generator))
    rows = probs.reshape(-1, categories)
    drawn = np.stack([_search_cumulative(row, num_samples, generator) for row in rows])
    return new_tensor(drawn.reshape(shape))


def _largest_ratios(probs: np.ndarray, count: int, generator: random.Generator | None
                    ) -> np.ndarray:
    """The Gumbel-max path: argmax (one sample) or topk of p / q, q ~ Exp(1)."""
    if not (probs.max() < np.inf and probs.min() >= 0):  # a NaN fails both
        raise RuntimeError("probability tensor contains either `inf`, `nan` or element < 0")
    if (probs.sum(axis=-1) == 0).any():
        raise RuntimeError("invalid multinomial distribution (sum of probabilities <= 0)")
    q = random.drawn_like(probs, lambda shape: random.exponential(shape, probs.dtype, 1.0,
                                                                  generator))
    ratios = probs / q
    if count == 1:
        return np.argmax(ratios, axis=-1, keepdims=True).astype(np.int64)
    return sorting.along(lambda row: sorting.topk_order(row, count, True, True), ratios, -1)


def _search_cumulative(row: np.ndarray, count: int, generator: random.Generator | None
                       ) -> np.ndarray:
    """The path with replacement: each uniform finds the first cumulative sum not below it."""
    for value in row.tolist():
        if not value >= 0:
            raise RuntimeError("invalid multinomial distribution (encountering probability "
                               "entry < 0)")
        if not np.isfinite(value):
            raise RuntimeError("invalid multinomial distribution (encountering probability "
                               "entry = infinity or NaN)")
    if row.dtype == np.float16:
        row = row.astype(np.float32)  # PyTorch sums half precision in float
    cumulative = np.add.accumulate(row)  # one running sum in the dtype, as the C++ loop adds
    total = cumulative[-1]
    if not total > 0:
        raise RuntimeError("invalid multinomial distribution (sum of probabilities <= 0)")
    cumulative = cumulative / total
    cumulative[-1] = 1
    uniforms = random.pick(generator).uniform_f64(count)
    return np.searchsorted(cumulative.astype(np.float64), uniforms, side="left").astype(np.int64)

"""The sums of PyTorch's CPU nll_loss (nll_loss_out_frame in aten/src/ATen/native/LossNLL.cpp)
for its 'sum' and 'mean' reductions, in the kernel's order.

The kernel walks the batch once, keeping eight partial sums. Each kept row b adds its loss
(−logp, or −(logp·w) with the product rounded first) to level 0, and then, for each level j
whose bits of b (four per level) are all zero, moves level j into level j + 1. So row 0
climbs straight to the top level, and every later 16 rows form a block, every 16 blocks a
block of the next level, and so on; a row skipped for ignore_index skips its move too. The
eight levels are added in order at the end. Weights are summed the same way; without weights
the total weight is the count of kept rows.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from engine.jit import loop

_LEVELS = 8


def nll_sums(losses: np.ndarray, kept: np.ndarray | None = None) -> Any:
    """The kernel's Σ of `losses` (each row's −logp, or −(logp·w) already rounded), over the
    rows where `kept` is set (all rows when it is None): a scalar of their dtype."""
    losses = np.ascontiguousarray(losses)
    if kept is None:
        kept = np.ones(losses.shape, np.bool_)
    return losses.dtype.type(_cascade(losses, np.ascontiguousarray(kept, np.bool_)))


@loop
def _cascade(values: np.ndarray, kept: np.ndarray) -> Any:
    levels = np.zeros(_LEVELS, values.dtype)
    # level_power: max(4, ceil(log2 rows) / 8), which is 4 below 2**32 rows
    power = max(4, (int(np.ceil(np.log2(max(values.size, 1))))) // _LEVELS)
    mask = (1 << power) - 1
    for row in range(values.size):
        if not kept[row]:
            continue
        levels[0] += values[row]
        for level in range(_LEVELS - 1):
            if row & (mask << (level * power)):
                break
            levels[level + 1] += levels[level]
            levels[level] = 0
    total = values.dtype.type(0)
    for level in range(_LEVELS):
        total += levels[level]
    return total

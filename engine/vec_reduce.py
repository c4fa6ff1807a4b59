"""`vec_reduce_all(+)` of a vector of lane sums, compiled, as PyTorch's AVX2 kernels fold them:
8 float32 lanes by the shuffle tree (lane i with i^4, then i^2, then i^1), 4 float64 lanes one
after another. The layer norm and batch norm backward kernels call it."""

from __future__ import annotations

from typing import Any

from engine.jit import scalar


@scalar
def fold_lanes(v: Any) -> Any:
    if v.size == 8:
        return ((v[0] + v[4]) + (v[2] + v[6])) + ((v[1] + v[5]) + (v[3] + v[7]))
    total = v[0]
    for lane in range(1, v.size):
        total = total + v[lane]
    return total

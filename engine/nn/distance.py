"""`F.cosine_similarity`, `F.pairwise_distance` and their modules, built from the ops ATen
builds: for the similarity each input divided by its norm (cloned, then clamped to `eps`
without a record), the two multiplied and summed; for the distance the p-norm of
x1 − x2 + eps along the last dim."""

from __future__ import annotations

from engine import dtypes, grad_mode, linalg
from engine import functions as fn
from engine import op_table as ops
from engine.apply import binary, result_type
from engine.nn.module import Module
from engine.shapes import broadcast_shapes
from engine.tensor import Tensor


def cosine_similarity(x1: Tensor, x2: Tensor, dim: int = 1, eps: float = 1e-8) -> Tensor:
    """⟨x1, x2⟩ / (‖x1‖·‖x2‖) along `dim`, each norm at least `eps`."""
    common = result_type(x1, x2)
    if not common.is_floating_point:
        name = dtypes.LEGACY_TYPES[common.name].removeprefix("torch.").removesuffix("Tensor")
        raise RuntimeError("expected common dtype to be floating point, yet common dtype is "
                           f"{name}")
    x1 = x1 if x1.dtype.is_floating_point else x1.to(common)
    x2 = x2 if x2.dtype.is_floating_point else x2.to(common)
    if tuple(x1.shape) != tuple(x2.shape):  # expand_outplace: both expanded
        shape = broadcast_shapes(tuple(x1.shape), tuple(x2.shape))
        x1, x2 = fn.expand(x1, *shape), fn.expand(x2, *shape)
    norm1 = fn.clone(linalg.vector_norm(x1, 2, dim, True))
    norm2 = fn.clone(linalg.vector_norm(x2, 2, dim, True))
    with grad_mode.no_grad():
        norm1.clamp_min_(eps)
        norm2.clamp_min_(eps)
    return fn.sum((x1 / norm1) * (x2 / norm2), dim)


class CosineSimilarity(Module):
    """The cosine similarity of two inputs along `dim`."""

    def __init__(self, dim: int = 1, eps: float = 1e-8) -> None:
        super().__init__()
        self.dim, self.eps = dim, eps

    def forward(self, x1: Tensor, x2: Tensor) -> Tensor:
        return cosine_similarity(x1, x2, self.dim, self.eps)


def pairwise_distance(x1: Tensor, x2: Tensor, p: float = 2.0, eps: float = 1e-6,
                      keepdim: bool = False) -> Tensor:
    """‖x1 − x2 + eps‖_p along the last dim of the wider input."""
    last = max(x1.ndim, x2.ndim) - 1
    shifted = binary(ops.ADD_SCALAR, x1 - x2, eps)  # C++'s `x1 - x2 + eps`: add(Tensor, Scalar)
    return fn.aten_norm(shifted, p, last, keepdim)


class PairwiseDistance(Module):
    """The p-norm distance between two inputs, along their last dim."""

    def __init__(self, p: float = 2.0, eps: float = 1e-6, keepdim: bool = False) -> None:
        super().__init__()
        self.norm, self.eps, self.keepdim = p, eps, keepdim

    def forward(self, x1: Tensor, x2: Tensor) -> Tensor:
        return pairwise_distance(x1, x2, self.norm, self.eps, self.keepdim)

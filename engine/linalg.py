"""torch.linalg, as far as gradviz goes: the vector norm, the one `Tensor.norm` computes."""

from engine.functions import linalg_vector_norm as vector_norm

__all__ = ["vector_norm"]

"""`nn.Embedding` and `F.embedding`: rows of a weight picked by integer indices."""

from __future__ import annotations

from typing import Any

import numpy as np

from engine import creation, dtypes, grad_mode
from engine import op_table as ops
from engine.apply import record
from engine.nn import init
from engine.nn.module import Module
from engine.nn.parameter import Parameter
from engine.node import SAVED_INDICES, saved_indices
from engine.tensor import Tensor

_INDEX_KINDS = (np.dtype(np.int64), np.dtype(np.int32))


def embedding(input: Tensor, weight: Tensor, padding_idx: int | None = None,  # noqa: A002
              max_norm: float | None = None, norm_type: float = 2.0,
              scale_grad_by_freq: bool = False, sparse: bool = False) -> Tensor:
    """The rows of `weight` at `input`'s indices; the row at `padding_idx` gets no gradient."""
    padding_idx = _checked_padding(padding_idx, weight.shape[0] if weight.ndim else 0)
    if max_norm is not None or scale_grad_by_freq or sparse:
        option = "max_norm" if max_norm is not None else (
            "scale_grad_by_freq" if scale_grad_by_freq else "sparse")
        raise NotImplementedError(f"gradviz does not model embedding's {option} (the engine "
                                  "keeps dense gradients and never rescales the weight)")
    indices = input._data
    if indices.dtype not in _INDEX_KINDS:
        kind = "CPUBoolType" if indices.dtype == np.bool_ else \
            dtypes.LEGACY_TYPES[indices.dtype.name]
        raise RuntimeError("Expected tensor for argument #1 'indices' to have one of the "
                           f"following scalar types: Long, Int; but got {kind} instead (while "
                           "checking arguments for embedding)")
    if weight.ndim != 2:
        raise RuntimeError("'weight' must be 2-D")
    key = np.asarray(indices, dtype=np.int64)
    if key.size and (key.min() < 0 or key.max() >= weight.shape[0]):
        raise IndexError("index out of range in self")
    data = weight._data
    return record(ops.EMBEDDING, (weight,), (data,), ops.EMBEDDING.forward(data, key),
                  {"key": key, "padding_idx": -1 if padding_idx is None else padding_idx,
                   SAVED_INDICES: saved_indices(input)})


def _checked_padding(padding_idx: int | None, rows: int) -> int | None:
    """PyTorch's check, with a negative index counted from the end."""
    if padding_idx is None:
        return None
    if padding_idx > 0:
        assert padding_idx < rows, "Padding_idx must be within num_embeddings"  # noqa: S101
    elif padding_idx < 0:
        assert padding_idx >= -rows, "Padding_idx must be within num_embeddings"  # noqa: S101
        padding_idx = rows + padding_idx
    return padding_idx


class Embedding(Module):
    """A lookup table of `num_embeddings` vectors of `embedding_dim`, drawn from N(0, 1)."""

    def __init__(self, num_embeddings: int, embedding_dim: int, padding_idx: int | None = None,
                 max_norm: float | None = None, norm_type: float = 2.0,
                 scale_grad_by_freq: bool = False, sparse: bool = False,
                 _weight: Tensor | None = None, _freeze: bool = False, device: Any = None,
                 dtype: dtypes.dtype | None = None) -> None:
        super().__init__()
        self.num_embeddings = num_embeddings
        self.embedding_dim = embedding_dim
        self.padding_idx = _checked_padding(padding_idx, num_embeddings)
        self.max_norm = max_norm
        self.norm_type = norm_type
        self.scale_grad_by_freq = scale_grad_by_freq
        self.sparse = sparse
        if _weight is None:
            self.weight = Parameter(creation.empty(num_embeddings, embedding_dim, dtype=dtype),
                                    requires_grad=not _freeze)
            self.reset_parameters()
        else:
            self.weight = Parameter(_weight, requires_grad=not _freeze)

    def reset_parameters(self) -> None:
        init.normal_(self.weight)
        if self.padding_idx is not None:
            with grad_mode.no_grad():
                self.weight[self.padding_idx].fill_(0)

    def forward(self, input: Tensor) -> Tensor:  # noqa: A002
        return embedding(input, self.weight, self.padding_idx, self.max_norm, self.norm_type,
                         self.scale_grad_by_freq, self.sparse)

    def extra_repr(self) -> str:
        text = f"{self.num_embeddings}, {self.embedding_dim}"
        if self.padding_idx is not None:
            text += f", padding_idx={self.padding_idx}"
        if self.max_norm is not None:
            text += f", max_norm={self.max_norm}"
        if self.norm_type != 2:
            text += f", norm_type={self.norm_type}"
        if self.scale_grad_by_freq is not False:
            text += f", scale_grad_by_freq={self.scale_grad_by_freq}"
        if self.sparse is not False:
            text += ", sparse=True"
        return text

    @classmethod
    def from_pretrained(cls, embeddings: Tensor, freeze: bool = True,
                        padding_idx: int | None = None, max_norm: float | None = None,
                        norm_type: float = 2.0, scale_grad_by_freq: bool = False,
                        sparse: bool = False) -> Embedding:
        """An Embedding whose weight is `embeddings` (frozen unless `freeze=False`)."""
        assert embeddings.dim() == 2, "Embeddings parameter is expected to be 2-dimensional"  # noqa: S101
        rows, cols = embeddings.shape
        return cls(rows, cols, padding_idx, max_norm, norm_type, scale_grad_by_freq, sparse,
                   _weight=embeddings, _freeze=freeze)

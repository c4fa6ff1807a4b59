"""`torch.utils.data`: `TensorDataset` and a single-process `DataLoader` that batches, shuffles
and collates as PyTorch's does, drawing the same random numbers in the same order.

Each pass over a loader draws, as PyTorch's does, a 64-bit base seed from the loader's
generator (or the default one); a shuffled pass then seeds a fresh generator from the default
one (unless the loader was given its own) and takes one `randperm` of the dataset from it.
"""

from __future__ import annotations

import numbers
from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np

from engine import creation, dtypes, functions, random
from engine.tensor import Tensor


class TensorDataset:
    """Samples are the i-th rows of each tensor, as a tuple."""

    def __init__(self, *tensors: Tensor) -> None:
        if any(t.shape[0] != tensors[0].shape[0] for t in tensors):
            raise AssertionError("Size mismatch between tensors")
        self.tensors = tensors

    def __getitem__(self, index: int) -> tuple[Tensor, ...]:
        return tuple(t[index] for t in self.tensors)

    def __len__(self) -> int:
        return self.tensors[0].shape[0]


class DataLoader:
    """Batches of a dataset (a `TensorDataset`, or any sequence of samples), in order or
    shuffled, collated into tensors; `num_workers` must be 0 (the engine runs in one process)."""

    def __init__(self, dataset: Any, batch_size: int | None = 1, shuffle: bool | None = None,
                 sampler: Any = None, batch_sampler: Any = None, num_workers: int = 0,
                 collate_fn: Any = None, pin_memory: bool = False, drop_last: bool = False,
                 timeout: float = 0, worker_init_fn: Any = None,
                 multiprocessing_context: Any = None, generator: random.Generator | None = None,
                 *, prefetch_factor: int | None = None,
                 persistent_workers: bool = False, pin_memory_device: str = "",
                 in_order: bool = True) -> None:
        if num_workers < 0:
            raise ValueError("num_workers option should be non-negative; use num_workers=0 to "
                             "disable multiprocessing.")
        if num_workers:
            raise NotImplementedError("gradviz loads data in one process: use num_workers=0")
        if sampler is not None or batch_sampler is not None:
            raise NotImplementedError("gradviz's DataLoader takes shuffle=, not a sampler")
        if batch_size is None and drop_last:
            raise ValueError("batch_size=None option disables auto-batching and is mutually "
                             "exclusive with drop_last")
        self.dataset = dataset
        self.batch_size = batch_size
        self.drop_last = drop_last
        self.num_workers = num_workers
        self.generator = generator
        self.shuffle = bool(shuffle)
        self.collate_fn = collate_fn if collate_fn is not None else (
            default_collate if batch_size is not None else _convert)

    def __len__(self) -> int:
        n = len(self.dataset)
        if self.batch_size is None:
            return n
        return n // self.batch_size if self.drop_last else -(-n // self.batch_size)

    def __iter__(self) -> Iterator[Any]:
        _random_word(self.generator)  # the pass's base seed, as PyTorch draws it
        return self._batches()

    def _batches(self) -> Iterator[Any]:
        for batch in self._index_batches():
            if self.batch_size is None:
                yield self.collate_fn(self.dataset[batch])
            else:
                yield self.collate_fn([self.dataset[i] for i in batch])

    def _index_batches(self) -> Iterator[Any]:
        indices = self._indices()
        if self.batch_size is None:
            yield from indices
            return
        batch: list[int] = []
        for index in indices:
            batch.append(index)
            if len(batch) == self.batch_size:
                yield batch
                batch = []
        if batch and not self.drop_last:
            yield batch

    def _indices(self) -> Iterator[int]:
        n = len(self.dataset)
        if not self.shuffle:
            yield from range(n)
            return
        generator = self.generator
        if generator is None:  # RandomSampler seeds a generator of its own for each pass
            generator = random.Generator().manual_seed(_random_word(None))
        yield from random.permutation(n, generator).tolist()
        random.permutation(n, generator)  # RandomSampler draws the empty remainder's too


def _random_word(generator: random.Generator | None) -> int:
    """`torch.empty((), dtype=torch.int64).random_(generator=...)`: 63 random bits."""
    return int(random.pick(generator).words64(1)[0] % np.uint64(1 << 63))


def default_collate(batch: Sequence[Any]) -> Any:
    """Samples into a batch: tensors stacked, numbers made a tensor (floats as float64),
    tuples and lists collated element by element (as a list), dicts key by key."""
    first = batch[0]
    if isinstance(first, Tensor):
        return functions.stack(list(batch), 0)
    if isinstance(first, float):
        return creation.tensor(list(batch), dtype=dtypes.float64)
    if isinstance(first, numbers.Integral):  # bools too: a bool tensor
        return creation.tensor(list(batch))
    if isinstance(first, str):
        return list(batch)
    if isinstance(first, dict):
        return {key: default_collate([sample[key] for sample in batch]) for key in first}
    if isinstance(first, (tuple, list)):
        if any(len(sample) != len(first) for sample in batch):
            raise RuntimeError("each element in list of batch should be of equal size")
        return [default_collate(list(samples)) for samples in zip(*batch, strict=True)]
    raise TypeError("default_collate: batch must contain tensors, numpy arrays, numbers, "
                    f"dicts or lists; found {type(first)}")


def _convert(sample: Any) -> Any:
    """What `batch_size=None` gives each sample (`default_convert`): tuples become lists."""
    if isinstance(sample, (tuple, list)) and not hasattr(sample, "_fields"):
        return [_convert(item) for item in sample]
    if isinstance(sample, dict):
        return {key: _convert(value) for key, value in sample.items()}
    return sample

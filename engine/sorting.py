"""The orders PyTorch's CPU sort and topk give tied values: libstdc++'s algorithms, replayed.

PyTorch sorts each slice of (value, index) pairs with `std::sort` (or `std::stable_sort` when
asked to be stable), NaN counting as larger than any number. `std::sort` is an introsort: a
quicksort with a median-of-three pivot down to runs of 16, then one insertion sort; so ties in
up to 16 elements keep their order, and in more they come out in the order the partitions leave
them (`torch.zeros(17).sort().indices` starts 8, 16, 15 …). topk takes `std::nth_element` (the
same partitions) and sorts the first k − 1 it leaves. Without ties any sort gives the one order,
so numpy's is taken; with them the pairs are sorted here, one comparison at a time.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

_THRESHOLD = 16  # libstdc++'s _S_threshold


def _before(descending: bool) -> Callable[[float, float], bool]:
    """PyTorch's KeyValueCompAsc / KeyValueCompDesc: NaN is the largest value."""
    if descending:
        return lambda a, b: (a != a and b == b) or a > b
    return lambda a, b: (a == a and b != b) or a < b


def _has_ties(values: np.ndarray) -> bool:
    """Whether two values compare equal (0. and -0. do; so do two NaNs)."""
    keys = np.where(values == 0, 0, values)
    return np.unique(keys, equal_nan=True).size != values.size


def _stable_order(values: np.ndarray, descending: bool) -> np.ndarray:
    """`std::stable_sort`'s order: numpy's stable sort, NaN last ascending and first descending."""
    if not descending:
        return np.argsort(values, kind="stable")
    return np.lexsort((-values, ~np.isnan(values)))


def _median_to_first(keys: list, result: int, a: int, b: int, c: int, less: Callable) -> None:
    if less(keys[a], keys[b]):
        if less(keys[b], keys[c]):
            pick = b
        elif less(keys[a], keys[c]):
            pick = c
        else:
            pick = a
    elif less(keys[a], keys[c]):
        pick = a
    elif less(keys[b], keys[c]):
        pick = c
    else:
        pick = b
    _swap(keys, result, pick)


def _swap(keys: list, i: int, j: int) -> None:
    keys[i], keys[j] = keys[j], keys[i]


def _partition_pivot(keys: list, first: int, last: int, less: Callable) -> int:
    """`__unguarded_partition_pivot`: the median of three moved to `first`, then Hoare's
    partition of the rest around it; returns the cut."""
    _median_to_first(keys, first, first + 1, first + (last - first) // 2, last - 1, less)
    pivot = keys[first]
    low, high = first + 1, last
    while True:
        while less(keys[low], pivot):
            low += 1
        high -= 1
        while less(pivot, keys[high]):
            high -= 1
        if not low < high:
            return low
        _swap(keys, low, high)
        low += 1


def _insertion_sort(keys: list, first: int, last: int, less: Callable) -> None:
    """`__insertion_sort`: stable, each element moved left past the larger ones."""
    for i in range(first + 1, last):
        value = keys[i]
        j = i
        while j > first and less(value, keys[j - 1]):
            keys[j] = keys[j - 1]
            j -= 1
        keys[j] = value


def _lg(n: int) -> int:
    return n.bit_length() - 1


def _introsort(keys: list, first: int, last: int, depth: int, less: Callable) -> bool:
    """`__introsort_loop`; False where it would fall back to heapsort (not replayed)."""
    while last - first > _THRESHOLD:
        if depth == 0:
            return False
        depth -= 1
        cut = _partition_pivot(keys, first, last, less)
        if not _introsort(keys, cut, last, depth, less):
            return False
        last = cut
    return True


def _std_sort(keys: list, first: int, last: int, less: Callable) -> bool:
    """`std::sort` of keys[first:last] (the final insertion sort runs over the whole range: the
    guarded and unguarded versions move the same elements)."""
    if last - first < 2:
        return True
    if not _introsort(keys, first, last, 2 * _lg(last - first), less):
        return False
    _insertion_sort(keys, first, last, less)
    return True


def _nth_element(keys: list, nth: int, less: Callable) -> bool:
    """`std::nth_element` (`__introselect`); False where it would fall back to a heap."""
    first, last = 0, len(keys)
    if nth == last:
        return True
    depth = 2 * _lg(last - first)
    while last - first > 3:
        if depth == 0:
            return False
        depth -= 1
        cut = _partition_pivot(keys, first, last, less)
        if cut <= nth:
            first = cut
        else:
            last = cut
    _insertion_sort(keys, first, last, less)
    return True


def _pairs_less(less: Callable) -> Callable:
    return lambda a, b: less(a[0], b[0])


def sort_order(values: np.ndarray, descending: bool, stable: bool) -> np.ndarray:
    """The indices PyTorch's CPU sort gives one 1-d slice."""
    if stable or values.size <= 1 or not _has_ties(values):
        return _stable_order(values, descending)
    pairs = list(zip(values.tolist(), range(values.size), strict=True))
    if not _std_sort(pairs, 0, len(pairs), _pairs_less(_before(descending))):
        return _stable_order(values, descending)
    return np.array([index for _, index in pairs], dtype=np.int64)


def topk_order(values: np.ndarray, k: int, largest: bool, ordered: bool) -> np.ndarray:
    """The indices PyTorch's CPU topk gives one 1-d slice: nth_element, then std::sort of the
    first k − 1 when `ordered` (where k·64 ≤ n PyTorch takes partial_sort, a heap, which is not
    replayed: ties there come in their stable order)."""
    n = values.size
    if k == 0:
        return np.zeros(0, dtype=np.int64)
    if not _has_ties(values) and ordered:
        return _stable_order(values, largest)[:k]
    less = _pairs_less(_before(largest))
    pairs = list(zip(values.tolist(), range(n), strict=True))
    if k * 64 <= n or not _nth_element(pairs, k - 1, less) or (
            ordered and not _std_sort(pairs, 0, k - 1, less)):
        return _stable_order(values, largest)[:k]
    return np.array([index for _, index in pairs[:k]], dtype=np.int64)


def along(order: Callable[[np.ndarray], np.ndarray], values: np.ndarray, dim: int) -> np.ndarray:
    """`order` applied to every 1-d slice of `values` along `dim`."""
    moved = np.moveaxis(values, dim, -1)
    flat = moved.reshape(-1, moved.shape[-1])
    result = np.stack([order(row) for row in flat]) if flat.shape[0] else np.zeros(
        (0, len(order(np.zeros(moved.shape[-1], values.dtype)))), np.int64)
    return np.moveaxis(result.reshape(*moved.shape[:-1], -1), -1, dim)

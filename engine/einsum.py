"""`torch.einsum`, built from the ops PyTorch's CPU einsum builds (ATen's Linear.cpp): each
operand's repeated labels taken as diagonals, its missing labels unsqueezed, its dims permuted
into one order; then, left to right, pairs contracted by `sumproduct_pair` (dims only one side
has summed first, the rest permuted and reshaped into one `bmm`); what is left summed or
viewed away. So the graph shows PyTorch's nodes, and each value is that op's own.

PyTorch takes a contraction path from opt_einsum when that package is installed; it is not a
dependency of PyTorch, and without it PyTorch contracts left to right, as here.
"""

from __future__ import annotations

from collections import deque
from typing import Any

from engine import functions as fn
from engine import picking
from engine.tensor import Tensor

_LETTERS = 26
_ELLIPSIS = 2 * _LETTERS


def einsum(*args: Any) -> Tensor:
    """torch.einsum(equation, *operands), or with the operands in one list, or in sublist
    form (operand, [subscripts], operand, [subscripts], ..., [output subscripts])."""
    if len(args) < 2:
        raise ValueError("einsum(): must specify the equation string and at least one operand, "
                         "or at least one operand and its subscripts list")
    if isinstance(args[0], Tensor):
        equation, operands = _from_sublists(args)
    else:
        equation, operands = args[0], list(args[1:])
    if len(operands) == 1 and isinstance(operands[0], (list, tuple)):
        operands = list(operands[0])
    return _einsum(equation, operands)


def _from_sublists(args: tuple) -> tuple[str, list]:
    """torch/functional.py's sublist format turned into an equation."""
    def letters(sublist: Any) -> str:
        text = ""
        for s in sublist:
            if s is Ellipsis:
                text += "..."
            elif isinstance(s, int) and 0 <= s < 2 * _LETTERS:
                text += chr(ord("A") + s) if s < _LETTERS else chr(ord("a") + s - _LETTERS)
            else:
                raise ValueError("einsum(): expected subscript to be within the range [0, 52)")
        return text

    operands = list(args[:-1:2])
    equation = ",".join(letters(sub) for sub in args[1::2])
    if len(args) % 2 == 1:
        equation += "->" + letters(args[-1])
    return equation, operands


def _subscript(label: str) -> int:
    return ord(label) - ord("A") if label.isupper() else ord(label) - ord("a") + _LETTERS


def _label(subscript: int) -> str:
    return chr(subscript + ord("A")) if subscript < _LETTERS else \
        chr(subscript - _LETTERS + ord("a"))


def _parse_inputs(lhs: str, count: int) -> list[list[int]]:
    labels: list[list[int]] = [[] for _ in range(count)]
    current, seen_ellipsis, i = 0, False, 0
    while i < len(lhs):
        char = lhs[i]
        if char == ".":
            if seen_ellipsis:
                raise RuntimeError(f"einsum(): found '.' for operand {current} for which an "
                                   "ellipsis was already found")
            if not (i + 2 < len(lhs) and lhs[i + 1] == "." and lhs[i + 2] == "."):
                raise RuntimeError(f"einsum(): found '.' for operand {current} that is not "
                                   "part of any ellipsis")
            i += 2
            labels[current].append(_ELLIPSIS)
            seen_ellipsis = True
        elif char == ",":
            current += 1
            if current >= count:
                raise RuntimeError("einsum(): fewer operands were provided than specified in "
                                   "the equation")
            seen_ellipsis = False
        elif char != " ":
            if not (char.isascii() and char.isalpha()):
                raise RuntimeError(f"einsum(): invalid subscript given at index {i} in the "
                                   "equation string, subscripts must be in [a-zA-Z]")
            labels[current].append(_subscript(char))
        i += 1
    if current != count - 1:
        raise RuntimeError("einsum(): more operands were provided than specified in the "
                           "equation")
    return labels


def _einsum(equation: str, operands: list) -> Tensor:
    if not operands:
        raise RuntimeError("einsum(): must provide at least one operand")
    arrow = equation.find("->")
    lhs = equation if arrow < 0 else equation[:arrow]
    op_labels = _parse_inputs(lhs, len(operands))
    counts = [0] * (2 * _LETTERS)
    ell_num_dim = 0
    for i, (operand, labels) in enumerate(zip(operands, op_labels, strict=True)):
        named = [s for s in labels if s != _ELLIPSIS]
        for s in named:
            counts[s] += 1
        has_ellipsis = len(named) != len(labels)
        ndims = operand.ndim
        if has_ellipsis:
            ell_num_dim = max(ell_num_dim, ndims - len(named))
        if (len(named) > ndims) if has_ellipsis else (len(named) != ndims):
            raise RuntimeError(
                f"einsum(): the number of subscripts in the equation ({len(named)}) "
                + ("is more than the number of dimensions (" if has_ellipsis else
                   "does not match the number of dimensions (")
                + f"{ndims}) for operand {i}" + ("" if has_ellipsis else
                                                   " and no ellipsis was given"))
    perm_index_of = [-1] * (2 * _LETTERS)
    perm_index = ell_index = 0
    ell_in_output = False
    if arrow < 0:  # implicit output: the ellipsis, then the labels seen once
        perm_index, ell_in_output = ell_num_dim, True
        for s in range(2 * _LETTERS):
            if counts[s] == 1:
                perm_index_of[s] = perm_index
                perm_index += 1
    else:
        rhs = equation[arrow + 2:]
        i = 0
        while i < len(rhs):
            char = rhs[i]
            if char == ".":
                if ell_in_output:
                    raise RuntimeError("einsum(): found '.' for output but an ellipsis (...) "
                                       "was already found")
                if not (i + 2 < len(rhs) and rhs[i + 1] == "." and rhs[i + 2] == "."):
                    raise RuntimeError("einsum(): found '.' for output that is not part of any "
                                       "ellipsis (...)")
                i += 2
                ell_index, ell_in_output = perm_index, True
                perm_index += ell_num_dim
            elif char != " ":
                if not (char.isascii() and char.isalpha()):
                    raise RuntimeError(f"einsum(): invalid subscript given at index "
                                       f"{len(lhs) + 2 + i} in the equation string, "
                                       "subscripts must be in [a-zA-Z]")
                s = _subscript(char)
                if not (counts[s] > 0 and perm_index_of[s] == -1):
                    raise RuntimeError(f"einsum(): output subscript {char}" + (
                        " appears more than once in the output" if perm_index_of[s] > -1
                        else " does not appear in the equation for any input operand"))
                perm_index_of[s] = perm_index
                perm_index += 1
            i += 1
    out_num_dim = perm_index
    if not ell_in_output:
        ell_index = perm_index
        perm_index += ell_num_dim
    for s in range(2 * _LETTERS):
        if counts[s] > 0 and perm_index_of[s] == -1:
            perm_index_of[s] = perm_index
            perm_index += 1

    label_size = [1] * (2 * _LETTERS)
    ell_sizes = [1] * ell_num_dim
    dim_counts = [0] * perm_index
    ops: deque[Tensor] = deque()
    for i, (operand, labels) in enumerate(zip(operands, op_labels, strict=True)):
        op = operand
        permutation = [-1] * perm_index
        dim = 0
        for s in labels:
            if s == _ELLIPSIS:
                covered = operand.ndim - (len(labels) - 1)
                for j in range(ell_num_dim - covered, ell_num_dim):
                    size = op.shape[dim]
                    if size != 1:
                        if ell_sizes[j] not in (1, size):
                            raise RuntimeError(
                                f"einsum(): dimension {dim} covered by ellipsis in operand {i}"
                                f"has size {size} which does not broadcast with previously "
                                f"seen ellipsis with size {ell_sizes[j]} for the respective "
                                "dimension")
                        ell_sizes[j] = size
                        dim_counts[ell_index + j] += 1
                    permutation[ell_index + j] = dim
                    dim += 1
            elif permutation[perm_index_of[s]] == -1:
                size = op.shape[dim]
                if size != 1:
                    if label_size[s] not in (1, size):
                        raise RuntimeError(
                            f"einsum(): subscript {_label(s)} has size {size} for operand {i} "
                            f"which does not broadcast with previously seen size "
                            f"{label_size[s]}")
                    label_size[s] = size
                    dim_counts[perm_index_of[s]] += 1
                permutation[perm_index_of[s]] = dim
                dim += 1
            else:  # a repeated label: its diagonal
                previous = permutation[perm_index_of[s]]
                if op.shape[dim] != op.shape[previous]:
                    raise RuntimeError(
                        f"einsum(): subscript {_label(s)} is repeated for operand {i} but the "
                        f"sizes don't match, {op.shape[dim]} != {op.shape[previous]}")
                op = picking.movedim(picking.diagonal(op, 0, previous, dim), -1, previous)
        for k, value in enumerate(permutation):
            if value == -1:
                op = fn.unsqueeze(op, dim)
                permutation[k] = dim
                dim += 1
        ops.append(fn.permute(op, *permutation))

    while len(ops) > 1:
        a, b = ops.popleft(), ops.popleft()
        sum_dims, a_sums, b_sums = [], [], []
        for dim in range(out_num_dim, perm_index):
            in_a, in_b = a.shape[dim] != 1, b.shape[dim] != 1
            if in_a and in_b:
                if a.shape[dim] != b.shape[dim]:
                    raise RuntimeError("non-broadcast dimensions must match")
                dim_counts[dim] -= 1
                if dim_counts[dim] == 1:
                    sum_dims.append(dim)
                    dim_counts[dim] = 0
            elif dim_counts[dim] == 1:
                if in_a:
                    a_sums.append(dim)
                    dim_counts[dim] = 0
                elif in_b:
                    b_sums.append(dim)
                    dim_counts[dim] = 0
        if a_sums:
            a = fn.sum(a, a_sums, True)
        if b_sums:
            b = fn.sum(b, b_sums, True)
        ops.appendleft(_sumproduct_pair(a, b, sum_dims))

    result = ops[0]
    if perm_index > out_num_dim:
        if len(operands) > 1:
            return fn.view(result, tuple(result.shape[:out_num_dim]))
        return fn.sum(result, list(range(out_num_dim, perm_index)))
    return result


def _sumproduct_pair(left: Tensor, right: Tensor, sum_dims: list[int]) -> Tensor:
    """(left * right).sum(sum_dims, keepdim=True), through one bmm."""
    if not sum_dims:
        return fn.mul(left, right)
    lro: list[int] = []
    lo: list[int] = []
    ro: list[int] = []
    lro_size = lo_size = ro_size = sum_size = 1
    for i in range(left.ndim):
        in_left, in_right = left.shape[i] != 1, right.shape[i] != 1
        if i in sum_dims:
            if in_left and in_right:
                if left.shape[i] != right.shape[i]:
                    raise RuntimeError("non-broadcast dimensions must match")
                sum_size *= left.shape[i]
            elif in_left:
                left = fn.sum(left, i, True)
            elif in_right:
                right = fn.sum(right, i, True)
        elif in_left and in_right:
            if left.shape[i] != right.shape[i]:
                raise RuntimeError("non-broadcast dimensions must match")
            lro.append(i)
            lro_size *= left.shape[i]
        elif in_left:
            lo.append(i)
            lo_size *= left.shape[i]
        else:
            ro.append(i)
            ro_size *= right.shape[i]
    if lo and ro and ro[-1] < lo[0]:  # bmm then yields the output's order directly
        left, right, lo, ro, lo_size, ro_size = right, left, ro, lo, ro_size, lo_size
    out_size = ([left.shape[d] for d in lro] + [left.shape[d] for d in lo] + [1] * len(sum_dims)
                + [right.shape[d] for d in ro])
    lpermutation = lro + lo + sum_dims + ro
    rpermutation = lro + sum_dims + ro + lo
    opermutation = [0] * len(out_size)
    for position, d in enumerate(lro + lo + sum_dims + ro):
        opermutation[d] = position
    left = fn.reshape(fn.permute(left, *lpermutation), lro_size, lo_size, sum_size)
    right = fn.reshape(fn.permute(right, *rpermutation), lro_size, sum_size, ro_size)
    return fn.permute(fn.view(fn.bmm(left, right), *out_size), *opermutation)

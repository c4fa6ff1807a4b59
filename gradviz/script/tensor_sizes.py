"""How many elements an engine call will allocate, worked out from its arguments beforehand.

The runner refuses a call whose result would be larger than `Limits.tensor_elements` before
the engine allocates anything: factories (`zeros(10**6, 10**6)`, `x.new_zeros(...)`), data
(`tensor([[0]*10**3]*10**7)`), broadcasting (`a + b` of shapes (n, 1) and (1, n)), matrix
products, `expand`, `repeat`, `tile`, `index_select`, `F.pad`, `cat`/`stack`, advanced
indexing, `einsum` and the layers' parameters (`nn.Linear`, `nn.Embedding`,
`nn.LayerNorm`, `nn.BatchNorm1d`, `nn.RNN`, `nn.GRU`). Ops whose result is never larger than
their inputs need no estimate.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

import engine

Estimate = Callable[[tuple, dict], int | None]


def _numel(shape: Any) -> int:
    return math.prod(int(s) for s in shape)


def _shape(value: Any) -> tuple[int, ...] | None:
    shape = getattr(value, "shape", None)
    if isinstance(shape, tuple) and not isinstance(value, type):
        return tuple(int(s) for s in shape)
    return None


def _size_argument(size: tuple) -> tuple | None:
    """`f(2, 3)`, `f((2, 3))` and `f([2, 3])`: the shape as a tuple, None if it is not one."""
    if len(size) == 1 and isinstance(size[0], (tuple, list)):
        size = tuple(size[0])
    if all(isinstance(s, (int, np.integer)) for s in size):
        return tuple(max(int(s), 0) for s in size)
    return None


def _factory(args: tuple, kwargs: dict) -> int | None:
    size = _size_argument(tuple(kwargs["size"]) if "size" in kwargs else args)
    return None if size is None else _numel(size)


def _full(args: tuple, kwargs: dict) -> int | None:
    size = kwargs.get("size", args[0] if args else None)
    if isinstance(size, (tuple, list)):
        return _factory((size,), {})
    return None


def _arange(args: tuple, kwargs: dict) -> int | None:
    values = list(args[:3])
    for key in ("start", "end", "step")[len(values):]:
        if key in kwargs:
            values.append(kwargs[key])
    try:
        numbers = [float(v) for v in values]
    except (TypeError, ValueError):
        return None
    if len(numbers) == 1:
        numbers = [0.0, numbers[0]]
    start, end = numbers[0], numbers[1]
    step = numbers[2] if len(numbers) > 2 else 1.0
    if step == 0 or not all(math.isfinite(v) for v in (start, end, step)):
        return None
    return max(math.ceil((end - start) / step), 0)


def _linspace(args: tuple, kwargs: dict) -> int | None:
    steps = args[2] if len(args) > 2 else kwargs.get("steps")
    return int(steps) if isinstance(steps, (int, np.integer)) else None


def _eye(args: tuple, kwargs: dict) -> int | None:
    n = args[0] if args else kwargs.get("n")
    m = args[1] if len(args) > 1 else kwargs.get("m", n)
    if isinstance(n, (int, np.integer)) and isinstance(m, (int, np.integer)):
        return max(int(n), 0) * max(int(m), 0)
    return None


def _randint(args: tuple, kwargs: dict) -> int | None:
    size = kwargs.get("size")
    if size is None:
        size = next((a for a in args if isinstance(a, (tuple, list))), None)
    return None if size is None else _factory((size,), {})


def data_numel(data: Any, depth: int = 0) -> int:
    """Elements of `torch.tensor(data)`, read from the first item at each level as numpy does."""
    shape = _shape(data)
    if shape is not None:
        return _numel(shape)
    if isinstance(data, range):
        return len(data)
    if isinstance(data, (list, tuple)) and depth < 64:
        if not data:
            return 0
        return len(data) * data_numel(data[0], depth + 1)
    return 1


def _data(args: tuple, kwargs: dict) -> int | None:
    data = args[0] if args else kwargs.get("data")
    return data_numel(data)


def _legacy_constructor(args: tuple, kwargs: dict) -> int | None:
    if len(args) == 1 and not isinstance(args[0], int):
        return data_numel(args[0])
    return _factory(args, kwargs)


def _expand(args: tuple, kwargs: dict) -> int | None:
    shape = _shape(args[0])
    sizes = _size_argument(args[1:])
    if shape is None or sizes is None:
        return None
    return _numel(sizes) if sizes else _numel(shape)


def _repeat(args: tuple, kwargs: dict) -> int | None:
    shape = _shape(args[0])
    repeats = _size_argument(args[1:])
    if shape is None or repeats is None:
        return None
    return _numel(shape) * _numel(repeats)


def _joined(args: tuple, kwargs: dict) -> int | None:
    tensors = args[0] if args else kwargs.get("tensors")
    if not isinstance(tensors, (list, tuple)):
        return None
    return sum(_numel(s) for s in map(_shape, tensors) if s is not None)


def matmul_numel(a: Any, b: Any) -> int | None:
    """Elements of `a @ b`, for the shapes matmul accepts."""
    shape_a, shape_b = _shape(a), _shape(b)
    if shape_a is None or shape_b is None or not shape_a or not shape_b:
        return None
    rows = shape_a[-2] if len(shape_a) > 1 else 1
    cols = shape_b[-1] if len(shape_b) > 1 else 1
    try:
        batch = np.broadcast_shapes(shape_a[:-2], shape_b[:-2])
    except ValueError:
        return None
    return _numel(batch) * rows * cols


def _matmul(args: tuple, kwargs: dict) -> int | None:
    return matmul_numel(*args[:2]) if len(args) >= 2 else None


def _addmm(args: tuple, kwargs: dict) -> int | None:
    """`addmm(bias, a, b)`: the product's shape, broadcast with the bias."""
    if len(args) < 3:
        return None
    product = matmul_numel(args[1], args[2])
    bias = _numel(_shape(args[0]) or ())
    return None if product is None else max(product, bias)


def _linear(args: tuple, kwargs: dict) -> int | None:
    """`F.linear(x, weight, bias)`: x's leading dims times weight's rows."""
    values = [*args, *(kwargs[k] for k in ("input", "weight") if k in kwargs)]
    if len(values) < 2:
        return None
    x, weight = _shape(values[0]), _shape(values[1])
    if x is None or weight is None or not x:
        return None
    return _numel(x[:-1]) * (weight[0] if len(weight) == 2 else 1)


def _outer(args: tuple, kwargs: dict) -> int | None:
    shapes = [_shape(a) for a in args[:2]]
    if len(shapes) < 2 or None in shapes:
        return None
    return _numel(shapes[0]) * _numel(shapes[1])  # type: ignore[arg-type]


def broadcast_numel(values: list[Any]) -> int | None:
    """Elements of the broadcast of every array-like value, None if fewer than two or invalid."""
    shapes = [s for s in map(_shape, values) if s is not None]
    if len(shapes) < 2:
        return None
    try:
        return _numel(np.broadcast_shapes(*shapes))
    except ValueError:
        return None


def envelope_numel(values: Iterable[Any]) -> int | None:
    """An upper bound on the elements of an elementwise op between any two of `values` (as
    `sum`, `max`, `sorted` or `in` do from C): the largest size in each aligned dimension."""
    shapes = [s for s in map(_shape, values) if s is not None]
    if len(shapes) < 2:
        return None
    sizes = [1] * max(len(s) for s in shapes)
    for shape in shapes:
        for i, size in enumerate(reversed(shape)):
            sizes[i] = max(sizes[i], size)
    return _numel(sizes)


def index_numel(value: Any, key: Any) -> int | None:
    """An upper bound on the elements of `value[key]`: advanced indices can multiply sizes."""
    shape = _shape(value)
    if shape is None:
        return None
    items = key if isinstance(key, tuple) else (key,)
    advanced = []
    consumed = 0
    for item in items:
        if item is None or item is Ellipsis:
            continue
        item_shape = _shape(item)
        if item_shape is None and isinstance(item, list):
            item_shape = (data_numel(item),)
        if item_shape is not None and len(item_shape) > 0:
            advanced.append(item_shape)
        consumed += 1
    if not advanced:
        return None
    kept = _numel(shape[consumed:]) if consumed <= len(shape) else 1
    try:
        picked = _numel(np.broadcast_shapes(*advanced))
    except ValueError:
        picked = max(_numel(s) for s in advanced)
    return picked * max(kept, 1)


def _new_linear(args: tuple, kwargs: dict) -> int | None:
    """`nn.Linear(in, out)`: its weight and bias."""
    values = [*args[:2], *(kwargs[k] for k in ("in_features", "out_features") if k in kwargs)]
    if len(values) < 2 or not all(isinstance(v, (int, np.integer)) for v in values[:2]):
        return None
    inputs, outputs = (max(int(v), 0) for v in values[:2])
    return inputs * outputs + outputs


def _new_embedding(args: tuple, kwargs: dict) -> int | None:
    """`nn.Embedding(rows, dim)`: its weight."""
    values = [*args[:2], *(kwargs[k] for k in ("num_embeddings", "embedding_dim") if k in kwargs)]
    if len(values) < 2 or not all(isinstance(v, (int, np.integer)) for v in values[:2]):
        return None
    return _numel(max(int(v), 0) for v in values[:2])


def _new_batch_norm(args: tuple, kwargs: dict) -> int | None:
    """`nn.BatchNorm1d(num_features)` and its kin: one value per feature in each tensor."""
    size = args[0] if args else kwargs.get("num_features")
    return max(int(size), 0) if isinstance(size, (int, np.integer)) else None


def _new_layer_norm(args: tuple, kwargs: dict) -> int | None:
    """`nn.LayerNorm(shape)`: its weight (and bias, of the same shape)."""
    shape = args[0] if args else kwargs.get("normalized_shape")
    if isinstance(shape, (int, np.integer)):
        shape = (shape,)
    size = _size_argument((shape,)) if isinstance(shape, (tuple, list)) else None
    return None if size is None else _numel(size)


def _new_rnn(gates: int) -> Estimate:
    """`nn.RNN(input_size, hidden_size)` and its kin: its largest weight."""
    def estimate(args: tuple, kwargs: dict) -> int | None:
        values = [*args[:2], *(kwargs[k] for k in ("input_size", "hidden_size") if k in kwargs)]
        if len(values) < 2 or not all(isinstance(v, (int, np.integer)) for v in values[:2]):
            return None
        inputs, hidden = (max(int(v), 0) for v in values[:2])
        return gates * hidden * max(inputs, 2 * hidden)
    return estimate


def _widths(module: Any) -> list[int]:
    """How wide a row can grow inside `module`: its Linear layers' outputs, its RNNs' states."""
    widths = []
    for m in module.modules():
        if isinstance(m, engine.nn.Linear):
            widths.append(m.out_features)
        elif isinstance(m, (engine.nn.RNN, engine.nn.RNNCell, engine.nn.GRU, engine.nn.GRUCell,
                            engine.nn.LSTMCell)):
            gates = m.weight_ih_l0.shape[0] // m.hidden_size if hasattr(m, "weight_ih_l0") \
                else m.weight_ih.shape[0] // m.hidden_size
            directions = 2 if getattr(m, "bidirectional", False) else 1
            widths.append(m.hidden_size * max(gates, directions))
    return widths


def _module_call(module: Any, args: tuple, kwargs: dict) -> int | None:
    """Calling a module: a Linear inside may widen each row of its input to its outputs."""
    shape = _shape(args[0]) if args else None
    widths = _widths(module)
    if shape is None or not shape or not widths:
        return broadcast_numel([*args, *kwargs.values()])
    return _numel(shape[:-1]) * max(*widths, shape[-1])


def _normal(args: tuple, kwargs: dict) -> int | None:
    """torch.normal(mean, std, size)."""
    size = kwargs.get("size", args[2] if len(args) > 2 else None)
    return _factory((size,), {}) if isinstance(size, (tuple, list)) else _factory(
        (size,), {}) if isinstance(size, (int, np.integer)) else None


def _randperm(args: tuple, kwargs: dict) -> int | None:
    n = kwargs.get("n", args[0] if args else None)
    return int(n) if isinstance(n, (int, np.integer)) else None


def _multinomial(args: tuple, kwargs: dict) -> int | None:
    """num_samples indices per row (the draws behind them are as many, or one per element)."""
    shape = _shape(args[0]) if args else None
    count = kwargs.get("num_samples", args[1] if len(args) > 1 else None)
    if shape is None or not isinstance(count, (int, np.integer)):
        return None
    rows = shape[0] if len(shape) == 2 else 1
    return max(rows * max(int(count), 0), _numel(shape))


def _diag(args: tuple, kwargs: dict) -> int | None:
    """A vector of n becomes an n×n matrix (wider by the offset of its diagonal)."""
    shape = _shape(args[0]) if args else None
    offset = kwargs.get("diagonal", args[1] if len(args) > 1 else 0)
    if shape is None or len(shape) != 1 or not isinstance(offset, (int, np.integer)):
        return None if shape is None else _numel(shape)
    side = shape[0] + abs(int(offset))
    return side * side


def _index_select(args: tuple, kwargs: dict) -> int | None:
    """`index_select(x, dim, index)`: a slice of x per index."""
    values = [*args, *(kwargs[k] for k in ("dim", "index") if k in kwargs)]
    shape = _shape(values[0]) if values else None
    index = _shape(values[2]) if len(values) > 2 else None
    if shape is None or index is None or not isinstance(values[1], (int, np.integer)):
        return None
    kept = _numel(shape) // shape[int(values[1])] if shape and shape[int(values[1])] else 0
    return max(kept, 1) * _numel(index)


def _einsum(args: tuple, kwargs: dict) -> int | None:
    """`einsum(equation, *operands)`: the largest of the partial results, contracting left to
    right: each holds the labels still wanted (by the output or a later operand)."""
    if not args or not isinstance(args[0], str):
        return None
    operands = list(args[1:])
    if len(operands) == 1 and isinstance(operands[0], (list, tuple)):
        operands = list(operands[0])
    shapes = [_shape(op) for op in operands]
    equation = args[0].replace(" ", "")
    lhs, arrow, rhs = equation.partition("->")
    terms = lhs.split(",")
    if None in shapes or len(terms) != len(shapes) or "." in equation:
        return None
    sizes: dict[str, int] = {}
    for term, shape in zip(terms, shapes, strict=True):
        if len(term) != len(shape):
            return None
        for label, size in zip(term, shape, strict=True):
            sizes[label] = max(sizes.get(label, 1), size)
    output = set(rhs) if arrow else {c for c in sizes if lhs.count(c) == 1}
    largest = _numel(sizes[c] for c in output if c in sizes)
    for k in range(2, len(terms)):
        seen, later = set("".join(terms[:k])), set("".join(terms[k:]))
        largest = max(largest, _numel(sizes[c] for c in seen if c in output or c in later))
    return largest


def _categorical_sample(args: tuple, kwargs: dict) -> int | None:
    """`Categorical.sample(sample_shape)`: one index per sample and batch entry."""
    shape = args[1] if len(args) > 1 else kwargs.get("sample_shape", ())
    size = _size_argument((shape,)) if isinstance(shape, (tuple, list)) else None
    batch = getattr(args[0], "batch_shape", None) if args else None
    return None if size is None or batch is None else _numel(size) * _numel(batch)


def _pad(args: tuple, kwargs: dict) -> int | None:
    """`F.pad(x, pad)`: each padded dim grows by its two counts."""
    shape = _shape(args[0]) if args else _shape(kwargs.get("input"))
    counts = args[1] if len(args) > 1 else kwargs.get("pad")
    if shape is None or not isinstance(counts, (tuple, list)) or not all(
            isinstance(c, (int, np.integer)) for c in counts):
        return None
    sizes = list(shape)
    for k in range(min(len(counts) // 2, len(sizes))):
        sizes[-1 - k] = max(sizes[-1 - k] + int(counts[2 * k]) + int(counts[2 * k + 1]), 0)
    return _numel(sizes)


def _on_tensor(estimate: Estimate) -> Estimate:
    """A `Tensor.new_*` method: the factory's estimate of the arguments after the tensor."""
    return lambda args, kwargs: estimate(args[1:], kwargs)


def _by_function() -> dict[Any, Estimate]:
    table: dict[Any, Estimate] = {}
    for name in ("zeros", "ones", "empty", "rand", "randn"):
        table[getattr(engine, name)] = _factory
    table[engine.full] = _full
    table[engine.arange] = _arange
    table[engine.linspace] = _linspace
    table[engine.eye] = _eye
    table[engine.randint] = _randint
    table[engine.tensor] = _data
    table[engine.as_tensor] = _data
    table[engine.Tensor] = _legacy_constructor
    for name in ("matmul", "mm", "mv", "dot", "bmm"):
        if hasattr(engine, name):
            table[getattr(engine, name)] = _matmul
        if hasattr(engine.Tensor, name):
            table[getattr(engine.Tensor, name)] = _matmul
    for name in ("cat", "stack"):
        table[getattr(engine, name)] = _joined
    if hasattr(engine, "addmm"):
        table[engine.addmm] = _addmm
    if hasattr(engine.nn.functional, "linear"):
        table[engine.nn.functional.linear] = _linear
    table[engine.nn.Linear] = _new_linear
    table[engine.nn.Embedding] = _new_embedding
    table[engine.nn.LayerNorm] = _new_layer_norm
    for layer in (engine.nn.BatchNorm1d, engine.nn.BatchNorm2d, engine.nn.BatchNorm3d):
        table[layer] = _new_batch_norm
    for layer, gates in ((engine.nn.RNN, 1), (engine.nn.RNNCell, 1), (engine.nn.GRU, 3),
                         (engine.nn.GRUCell, 3), (engine.nn.LSTMCell, 4)):
        table[layer] = _new_rnn(gates)
    for name in ("outer",):
        if hasattr(engine, name):
            table[getattr(engine, name)] = _outer
    for owner, name, estimate in ((engine, "normal", _normal), (engine, "randperm", _randperm),
                                  (engine, "diag", _diag), (engine.Tensor, "diag", _diag),
                                  (engine, "multinomial", _multinomial),
                                  (engine.Tensor, "multinomial", _multinomial)):
        if hasattr(owner, name):
            table[getattr(owner, name)] = estimate
    for name, estimate in (("expand", _expand), ("repeat", _repeat), ("tile", _repeat),
                           ("broadcast_to", _expand), ("index_select", _index_select),
                           ("new_zeros", _on_tensor(_factory)),
                           ("new_ones", _on_tensor(_factory)),
                           ("new_empty", _on_tensor(_factory)),
                           ("new_full", _on_tensor(_full)), ("new_tensor", _on_tensor(_data))):
        if hasattr(engine.Tensor, name):
            table[getattr(engine.Tensor, name)] = estimate
    for name, estimate in (("tile", _repeat), ("broadcast_to", _expand),
                           ("index_select", _index_select)):
        table[getattr(engine, name)] = estimate
    table[engine.nn.functional.pad] = _pad
    table[engine.einsum] = _einsum
    table[engine.distributions.Categorical.sample] = _categorical_sample
    return table


_TABLE: dict[Any, Estimate] | None = None


def call_numel(function: Any, args: tuple, kwargs: dict) -> int | None:
    """The largest tensor `function(*args, **kwargs)` may allocate, None if no estimate applies.

    A bound tensor method is estimated with the tensor as its first argument.
    """
    global _TABLE
    if _TABLE is None:
        _TABLE = _by_function()
    if isinstance(function, engine.nn.Module):
        return _module_call(function, args, kwargs)
    target = getattr(function, "__func__", function)
    if getattr(function, "__self__", None) is not None and target is not function:
        args = (function.__self__, *args)
    try:
        estimate = _TABLE.get(target)
    except TypeError:
        return None
    if estimate is not None:
        return estimate(args, kwargs)
    return broadcast_numel([*args, *kwargs.values()])

"""Wrong arguments fail as in PyTorch: every function, method and F function of the engine is
called with right and wrong argument types in both, and must give the same result or raise the
same error (type and message) with the same warnings. Never numpy's or Python's own words."""

from __future__ import annotations

import functools
import itertools
import operator
import re
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import engine
from engine import signatures
from engine.signature_table import NO_ARGUMENTS, TENSOR, TORCH

torch = pytest.importorskip("torch")

POOL: dict[str, Callable[[Any], Any]] = {
    "float tensor": lambda lib: lib.tensor([1.5, -2.0]),
    "int tensor": lambda lib: lib.tensor([1, 2]),
    "bool tensor": lambda lib: lib.tensor([True, False]),
    "0-d tensor": lambda lib: lib.tensor(2.0),
    "matrix": lambda lib: lib.tensor([[1.0, 2.0], [3.0, 4.0]]),
    "1": lambda lib: 1,
    "2.5": lambda lib: 2.5,
    "True": lambda lib: True,
    "None": lambda lib: None,
    "'a'": lambda lib: "a",
    "list": lambda lib: [1.0, 2.0],
    "tuple": lambda lib: (0, 1),
    "ndarray": lambda lib: np.array([1.0, 2.0]),
    "dtype": lambda lib: lib.float64,
}
SMALL_POOL = ["float tensor", "bool tensor", "1", "2.5", "None", "'a'", "list", "dtype"]
KEYWORDS = ["dim", "keepdim", "alpha", "foo", "input", "other", "out", "dtype", "p",
            "reduction", "inplace", "correction", "axis", "min", "max"]

TORCH_NAMES = sorted(TORCH) + ["is_tensor", "norm"]
METHOD_NAMES = sorted(TENSOR) + sorted(NO_ARGUMENTS) + ["norm"]
F_NAMES = ["relu", "sigmoid", "tanh", "softmax", "log_softmax", "linear", "mse_loss", "l1_loss",
           "cross_entropy", "nll_loss", "binary_cross_entropy",
           "binary_cross_entropy_with_logits", "leaky_relu", "gelu", "silu", "softplus",
           "logsigmoid", "one_hot", "normalize"]


def target(lib: Any, kind: str, name: str) -> Callable[..., Any]:
    if kind == "torch":
        return getattr(lib, name)
    if kind == "F":
        return getattr(lib.nn.functional, name)
    return lambda *args, **kwargs: operator.methodcaller(name, *args, **kwargs)(
        lib.tensor([1.5, -2.0]))


def outcome(call: Callable[[], Any]) -> tuple:
    """What a learner sees: the result's repr or the error, and the warnings."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            shown = ("result", re.sub(r" at 0x[0-9a-f]+", "", repr(call())))
        except Exception as error:  # noqa: BLE001 - the error is what we compare
            # A bound method names its class `Tensor`, a direct call `TensorBase` (the engine's
            # wording); both are PyTorch's.
            shown = ("error", f"{type(error).__name__}: {error}".replace(
                "TypeError: Tensor.", "TypeError: TensorBase."))
    return shown, tuple(f"{w.category.__name__}: {w.message}" for w in caught)


def compare(kind: str, name: str, labels: tuple[str, ...], keywords: dict[str, str]) -> None:
    if "dtype" in labels and name in ("view", "mm", "bmm", "addmm"):
        return  # view(dtype) and out_dtype= are not supported (a clear gradviz error)
    seen = []
    for lib in (torch, engine):
        args = [POOL[label](lib) for label in labels]
        kwargs = {key: POOL[label](lib) for key, label in keywords.items()}
        function = target(lib, kind, name)
        if name == "new_empty":  # its values are whatever the memory held: compare the rest
            function = _without_values(function)
        seen.append(outcome(lambda f=function, a=args, k=kwargs: f(*a, **k)))
    theirs, ours = seen
    assert ours == theirs, (kind, name, labels, keywords)


def _without_values(function: Callable[..., Any]) -> Callable[..., Any]:
    def call(*args: Any, **kwargs: Any) -> Any:
        result = function(*args, **kwargs)
        return (result.shape, result.dtype, result.requires_grad)

    return call


def calls(names: list[str], pool: list[str], arity: int) -> list[tuple[str, tuple[str, ...]]]:
    return [(name, labels) for name in names for count in range(arity + 1)
            for labels in itertools.product(pool, repeat=count)]


@pytest.mark.parametrize("kind,names", [("torch", TORCH_NAMES), ("method", METHOD_NAMES),
                                        ("F", F_NAMES)])
def test_one_argument_of_every_kind(kind: str, names: list[str]) -> None:
    for name, labels in calls(names, list(POOL), 1):
        compare(kind, name, labels, {})


@pytest.mark.parametrize("kind,names", [("torch", TORCH_NAMES), ("method", METHOD_NAMES),
                                        ("F", F_NAMES)])
def test_two_arguments(kind: str, names: list[str]) -> None:
    for name, labels in calls(names, SMALL_POOL, 2):
        if len(labels) == 2:
            compare(kind, name, labels, {})


@settings(max_examples=400, deadline=None)
@given(data=st.data())
def test_random_calls_with_keywords(data: st.DataObject) -> None:
    kind, names = data.draw(st.sampled_from([("torch", TORCH_NAMES), ("method", METHOD_NAMES),
                                             ("F", F_NAMES)]))
    name = data.draw(st.sampled_from(names))
    labels = tuple(data.draw(st.lists(st.sampled_from(list(POOL)), max_size=3)))
    keys = data.draw(st.lists(st.sampled_from(KEYWORDS), max_size=2, unique=True))
    compare(kind, name, labels, {key: data.draw(st.sampled_from(list(POOL))) for key in keys})


OPERATORS = ["add", "sub", "mul", "truediv", "floordiv", "mod", "pow", "matmul", "lt", "le",
             "eq", "ne", "gt", "ge", "and_", "or_", "xor", "iadd", "isub", "imul", "itruediv",
             "ifloordiv", "imod", "ipow", "imatmul", "iand", "ior", "ixor"]
TENSORS = ["float tensor", "int tensor", "bool tensor", "0-d tensor", "matrix"]


@pytest.mark.parametrize("name", OPERATORS)
def test_operators(name: str) -> None:
    """`x + [1, 2]` fails as Python's unsupported operand; a numpy array computes the result."""
    operation = getattr(operator, name)
    for left, right in itertools.product(POOL, repeat=2):
        if left in TENSORS or right in TENSORS:
            seen = [outcome(functools.partial(operation, POOL[left](lib), POOL[right](lib)))
                    for lib in (torch, engine)]
            assert seen[1] == seen[0], (name, left, right)


@pytest.mark.parametrize("name", ["neg", "pos", "abs", "invert"])
def test_unary_operators(name: str) -> None:
    for label in TENSORS:
        seen = [outcome(functools.partial(getattr(operator, name), POOL[label](lib)))
                for lib in (torch, engine)]
        assert seen[1] == seen[0], (name, label)


FACTORIES = ["zeros", "ones", "full", "eye", "arange", "linspace", "rand", "randn", "randint",
             "randperm", "zeros_like", "ones_like", "full_like", "rand_like", "randn_like",
             "tensor", "as_tensor"]


@pytest.mark.parametrize("name", FACTORIES)
def test_factories(name: str) -> None:
    """Making tensors from right and wrong arguments, the random ones from the same seed."""
    for count in (1, 2):
        for labels in itertools.product(SMALL_POOL + ["int tensor", "0-d tensor"], repeat=count):
            seen = []
            for lib in (torch, engine):
                args = [POOL[label](lib) for label in labels]
                lib.manual_seed(0)
                seen.append(outcome(functools.partial(getattr(lib, name), *args)))
            assert seen[1] == seen[0], (name, labels)


def test_examples_from_the_brief() -> None:
    compare("torch", "exp", ("list",), {})
    with pytest.raises(TypeError, match=r"^exp\(\): argument 'input' \(position 1\) must be "
                                        r"Tensor, not list$"):
        engine.exp([1.0])


def test_manual_seed_returns_the_generator() -> None:
    seen = [outcome(functools.partial(lib.manual_seed, 1)) for lib in (torch, engine)]
    assert seen[1] == seen[0]


def test_plain_calls_take_the_fast_path() -> None:
    """Positional calls with plainly typed arguments skip the parser (the common case)."""
    parser = signatures.parser_for(*engine.sum.signature_key)
    assert (engine.Tensor,) in parser.fast and (engine.Tensor, int) in parser.fast
    view = signatures.parser_for(*engine.Tensor.view.signature_key)
    assert (int, int) in view.packed  # x.view(2, 3): self is not counted


INDEX_KEYS: dict[str, Callable[[Any], Any]] = {
    "1": lambda lib: 1, "-3": lambda lib: -3, "5": lambda lib: 5, "1.5": lambda lib: 1.5,
    "None": lambda lib: None, "'a'": lambda lib: "a", "...": lambda lib: ...,
    "True": lambda lib: True, "False": lambda lib: False, "np.bool_": lambda lib: np.bool_(True),
    "slice": lambda lib: slice(0, 1), "step 2": lambda lib: slice(None, None, 2),
    "step -1": lambda lib: slice(None, None, -1), "list": lambda lib: [0, 1],
    "bool list": lambda lib: [True, False], "float list": lambda lib: [0.5, 1.9],
    "out of bounds": lambda lib: [0, 5], "empty list": lambda lib: [], "tuple": lambda lib: (0, 1),
    "long tuple": lambda lib: (0, 0, 0), "nested": lambda lib: [[0, 1]],
    "list of list": lambda lib: [[0, 1], 0], "list of None": lambda lib: [None],
    "tuple of list": lambda lib: ([0, 1], 0), "tuple of slice": lambda lib: (slice(None), 0),
    "int tensor": lambda lib: lib.tensor([0, 1]),
    "bool tensor": lambda lib: lib.tensor([True, False]),
    "0-d int": lambda lib: lib.tensor(1), "0-d bool": lambda lib: lib.tensor(False),
    "float tensor": lambda lib: lib.tensor([0.0, 1.0]), "ndarray": lambda lib: np.array([0, 1]),
    "2-d mask": lambda lib: lib.tensor([[True, False], [False, True]]), "dict": lambda lib: {},
    "mask and list": lambda lib: (lib.tensor([[True, False], [True, True]]), [0, 1]),
    "mismatch": lambda lib: ([0, 1], [0, 1, 0]), "two ellipses": lambda lib: (..., ...),
    "after None": lambda lib: (None, 5), "list after None": lambda lib: (None, [0, 5]),
    "two lists": lambda lib: ([0, 1], [7, 0]), "ellipsis, None": lambda lib: (..., None, 0),
}
INDEXED = ["float tensor", "matrix", "0-d tensor"]
VALUES = ["2.5", "0-d tensor", "list", "None", "float tensor", "'a'", "int tensor"]


@pytest.mark.parametrize("key", INDEX_KEYS)
def test_indexing(key: str) -> None:
    """`x[key]` and `x[key] = value`: PyTorch's results, copies, messages and warnings."""
    def read(lib: Any, label: str) -> Any:
        return POOL[label](lib)[INDEX_KEYS[key](lib)]

    def write(lib: Any, label: str, value: str) -> Any:
        x = POOL[label](lib)
        x[INDEX_KEYS[key](lib)] = POOL[value](lib)
        return x

    for label in INDEXED:
        seen = [outcome(functools.partial(read, lib, label)) for lib in (torch, engine)]
        assert seen[1] == seen[0], (key, label)
        for value in VALUES:
            seen = [outcome(functools.partial(write, lib, label, value)) for lib in (torch, engine)]
            assert seen[1] == seen[0], (key, label, value)


def test_all_and_any_take_only_a_bool_out() -> None:
    """Found by the random calls above: PyTorch refuses a float or integer out= for all and
    any, with its own words, and fills a bool one."""
    for name, dtype in itertools.product(("all", "any"), ("float32", "int64", "bool")):
        seen = []
        for lib in (torch, engine):
            call = functools.partial(getattr(lib, name), lib.tensor([1.0, 0.0]),
                                     out=lib.empty((), dtype=getattr(lib, dtype)))
            seen.append(outcome(call))
        assert seen[1] == seen[0], (name, dtype)

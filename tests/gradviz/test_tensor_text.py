"""Short value texts keep PyTorch's element style: the same digits the full print shows."""

from __future__ import annotations

import re

import numpy as np
import pytest

from engine.printing import format_tensor
from gradviz.panels.tensor_text import (
    compact,
    compact_grad,
    element_texts,
    next_functions_text,
    one_line,
)
from gradviz.script import run_script

ELEMENT = re.compile(r"-?(?:nan|inf|\d[\d.]*(?:e[+-]\d+)?)")


def _arrays() -> list[np.ndarray]:
    rng = np.random.default_rng(7)
    return [
        rng.standard_normal((5, 7)).astype(np.float32),
        np.arange(40, dtype=np.float32).reshape(4, 10),
        np.r_[np.ones(30), 1e-6].astype(np.float32),
        np.r_[np.arange(20), 0.5].astype(np.float64),
        np.r_[np.zeros(19), np.nan, np.inf].astype(np.float32),
        (rng.standard_normal(3000) * 1e5).astype(np.float32),
        rng.standard_normal((40, 40)).astype(np.float32),
        np.arange(25, dtype=np.int64),
    ]


@pytest.mark.parametrize("index", range(8))
def test_compact_shows_the_leading_elements_of_the_full_print(index: int) -> None:
    array = _arrays()[index]
    dtype = array.dtype.name
    full = ELEMENT.findall(format_tensor(array, dtype).split("dtype=")[0])
    short = ELEMENT.findall(compact(array, dtype, 200))
    assert short and short == full[: len(short)]
    assert compact(array, dtype, 30).endswith("…") and len(compact(array, dtype, 30)) <= 32


def test_small_values_are_printed_whole() -> None:
    assert compact(np.float32(4.0), "float32") == "4."
    assert compact(np.array([6.0, 12.0, 18.0], dtype=np.float32), "float32") == "[6., 12., 18.]"
    assert compact_grad(None, "float32") == "None"
    assert compact_grad(np.float32(4.0), "float32") == "tensor(4.)"
    assert one_line("tensor([[ 1.,  2.],\n        [ 3., 40.]])") == "tensor([[1., 2.], [3., 40.]])"
    assert element_texts(np.array([0.5, 2.0], dtype=np.float32), "float32") == ["0.5000",
                                                                              "2.0000"]


def test_next_functions_read_as_pytorch_prints_them() -> None:
    run = run_script("import torch\nx = torch.tensor(2.0, requires_grad=True)\ny = x * 3\n")
    assert next_functions_text(run.tensors["y"].grad_fn) == "((<AccumulateGrad>, 0), (None, 0))"

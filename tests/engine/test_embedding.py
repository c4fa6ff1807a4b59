"""nn.Embedding and F.embedding against real PyTorch: the weights a seed draws, the rows
picked, EmbeddingBackward0 and its one input, gradients summed over repeated indices in
PyTorch's order, the padding row, the reprs, and every error."""

from __future__ import annotations

import pytest

import engine
from tests.engine.parity import assert_shows_pytorchs

torch = pytest.importorskip("torch")

SETUP = ("T.manual_seed(0); e = T.nn.Embedding(5, 3); idx = T.tensor([[0, 2, 2], [4, 0, 1]])\n"
         "y = e(idx); (y * T.arange(18.).reshape(2, 3, 3)).sum().backward()\n")

SHOWN = {
    "the weights and the repr": "[e, e.weight, e.weight.requires_grad]",
    "the rows, the node and the gradient": (
        "[y, y.grad_fn.name(), y.shape, [type(f).__name__ for f, _ in "
        "y.grad_fn.next_functions], e.weight.grad]"),
    "one index": "e(T.tensor(2))",
    "int32 indices": "e(T.tensor([1], dtype=T.int32))",
    "the functional form": "F.embedding(T.tensor([[1, 0]]), T.arange(6.).reshape(3, 2))",
    "a padding row starts at zero and gets no gradient": (
        "[m := T.nn.Embedding(4, 2, padding_idx=1), m.weight, m(T.tensor([1, 1, 2])).sum()"
        ".backward(), m.weight.grad]"),
    "a negative padding index counts from the end": "T.nn.Embedding(5, 3, padding_idx=-1)",
    "float64": "T.nn.Embedding(3, 2, dtype=T.float64)(T.tensor([[0, 2]]))",
    "pretrained, frozen or not": (
        "[T.nn.Embedding.from_pretrained(T.ones(2, 2)), "
        "T.nn.Embedding.from_pretrained(T.ones(2, 2)).weight.requires_grad, "
        "T.nn.Embedding.from_pretrained(T.ones(2, 2), freeze=False).weight.requires_grad]"),
    "no rows": "T.nn.Embedding(0, 3)",
    "repeated indices in a long batch add up in order": (
        "T.manual_seed(3); m = T.nn.Embedding(4, 8); i = T.randint(0, 4, (200,)); "
        "g = T.randn(200, 8); m(i).backward(g); out = [m.weight.grad]"),
    "the class": "T.nn.Embedding",
}

ERRORS = {
    "an index past the end": "e(T.tensor([5]))",
    "a negative index": "e(T.tensor([-1]))",
    "float indices": "e(T.tensor([1.]))",
    "bool indices": "e(T.tensor([True]))",
    "a 1-d weight": "F.embedding(T.tensor([1]), T.ones(3))",
    "a padding index past the end": "T.nn.Embedding(5, 3, padding_idx=5)",
    "a second backward": "z = e(T.tensor([0, 1])).sum(); z.backward(); z.backward()",
}


@pytest.mark.parametrize("code", SHOWN.values(), ids=SHOWN.keys())
def test_embedding_shows_what_pytorch_shows(code: str) -> None:
    snippet = SETUP + (code if code.startswith(("T.manual_seed(3)",)) else f"out = [{code}]")
    assert_shows_pytorchs(torch, snippet)


@pytest.mark.parametrize("code", ERRORS.values(), ids=ERRORS.keys())
def test_embedding_refuses_what_pytorch_refuses(code: str) -> None:
    assert_shows_pytorchs(torch, SETUP + code, fails=True)


@pytest.mark.parametrize("option", ["max_norm=1.0", "scale_grad_by_freq=True", "sparse=True"])
def test_options_the_engine_does_not_model_say_so(option: str) -> None:
    layer = eval(f"engine.nn.Embedding(3, 2, {option})")  # noqa: S307 - our own constant
    assert repr(layer) == repr(eval(f"torch.nn.Embedding(3, 2, {option})"))  # noqa: S307
    with pytest.raises(NotImplementedError, match=option.split("=")[0]):
        layer(engine.tensor([0]))

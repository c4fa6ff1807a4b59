"""`torch.Generator` and `generator=`, `multinomial` and `exponential_` against real PyTorch:
the numbers a seeded generator gives every random function, the default generator left
untouched by them (and the other way round), both ways multinomial draws, and every error."""

from __future__ import annotations

import pytest

import engine
from tests.engine.parity import assert_shows_pytorchs, observe

torch = pytest.importorskip("torch")

# each snippet runs with `g` seeded as in Karpathy's makemore and the default seeded with 0;
# `out` then also shows the next draws of both, so a draw from the wrong one shows up
SETUP = "g = T.Generator().manual_seed(2147483647); T.manual_seed(0)\n"
AFTER = "\nout = out + [T.rand(2), T.rand(2, generator=g)]"

DRAWS = {
    "randn": "T.randn(3, generator=g)",
    "randn, blocked": "T.randn(20, generator=g)",
    "rand, float64": "T.rand(3, dtype=T.float64, generator=g)",
    "rand, None": "T.rand(2, generator=None)",
    "randint": "T.randint(0, 5, (3,), generator=g)",
    "randint, high only": "T.randint(5, (3,), generator=g)",
    "randperm": "T.randperm(6, generator=g)",
    "normal": "T.normal(0., 2., (3,), generator=g)",
    "rand_like": "T.rand_like(T.ones(2), generator=g)",
    "randn_like": "T.randn_like(T.ones(2), generator=g)",
    "uniform_": "T.empty(4).uniform_(-1, 1, generator=g)",
    "normal_": "T.empty(4).normal_(generator=g)",
    "exponential_": "T.empty(4).exponential_(generator=g)",
    "exponential_ with a rate": "T.rand(5).exponential_(2.5)",
    "exponential_, float64": "T.empty(20, dtype=T.float64).exponential_(0.5, generator=g)",
    "init.uniform_": "T.nn.init.uniform_(T.empty(3), generator=g)",
    "init.normal_": "T.nn.init.normal_(T.empty(3), generator=g)",
    "init.kaiming_uniform_": "T.nn.init.kaiming_uniform_(T.empty(3, 2), generator=g)",
    "init.kaiming_normal_": "T.nn.init.kaiming_normal_(T.empty(3, 2), generator=g)",
    "init.xavier_uniform_": "T.nn.init.xavier_uniform_(T.empty(3, 2), generator=g)",
    "init.xavier_normal_": "T.nn.init.xavier_normal_(T.empty(3, 2), generator=g)",
    "one sample": "T.multinomial(T.tensor([0.1, 0.2, 0.7]), 1, generator=g)",
    "without replacement": "T.multinomial(T.tensor([0.1, 0.2, 0.7]), 2, generator=g)",
    "with replacement": "T.multinomial(T.tensor([0.1, 0.2, 0.7]), 5, True, generator=g)",
    "rows, one sample each": "T.multinomial(T.rand(4, 27, generator=g), 1, generator=g)",
    "rows, with replacement": "T.multinomial(T.rand(4, 27, generator=g), 3, replacement=True, "
                              "generator=g)",
    "rows, without replacement": "T.multinomial(T.rand(4, 27, generator=g), 10, generator=g)",
    "the method": "T.rand(3, 5, generator=g).multinomial(2, generator=g)",
    "a transposed distribution": "T.multinomial(T.rand(5, 3, generator=g).t(), 1, generator=g)",
    "float64 with replacement": "T.multinomial(T.rand(30, dtype=T.float64, generator=g), 4, "
                                "True, generator=g)",
    "unnormalised weights": "T.multinomial(T.tensor([1., 0., 3.]), 6, True)",
    "zero weights are never drawn": "T.multinomial(T.tensor([1., 0.]), 2, True)",
    "no rows": "T.multinomial(T.ones(0, 3), 1)",
    "a tensor that requires grad": "T.ones(3, requires_grad=True).multinomial(2)",
    "the generator itself": "[g.initial_seed(), g.manual_seed(-1).initial_seed(), g.device, "
                            "T.default_generator.initial_seed(), T.initial_seed(), "
                            "T.Generator('cpu').initial_seed(), type(g), "
                            "T.manual_seed(3) is T.default_generator]",
}

ERRORS = {
    "a generator that is not one": "T.randn(3, generator=5)",
    "the same, one signature": "T.multinomial(T.ones(3), 2, generator=3)",
    "a CUDA generator": "T.Generator(device='cuda')",
    "a seed that is a string": "g.manual_seed('a')",
    "a seed that is a float": "g.manual_seed(1.5)",
    "a seed too large": "g.manual_seed(2**64)",
    "a negative rate": "T.ones(4).exponential_(-1)",
    "integer exponentials": "T.arange(4).exponential_()",
    "a negative weight": "T.multinomial(T.tensor([0.1, -0.9]), 1)",
    "no weight at all": "T.multinomial(T.tensor([0., 0.]), 1)",
    "an infinite weight": "T.multinomial(T.tensor([1., float('inf')]), 1)",
    "integer weights": "T.multinomial(T.tensor([1, 2]), 1)",
    "three dims": "T.multinomial(T.ones(2, 2, 2), 1)",
    "no dims": "T.multinomial(T.tensor(0.5), 1)",
    "a negative weight, with replacement": "T.multinomial(T.tensor([0.1, -0.9]), 2, True)",
    "no weight, with replacement": "T.multinomial(T.tensor([0., 0.]), 2, True)",
    "a NaN, with replacement": "T.multinomial(T.tensor([1., float('nan')]), 2, True)",
    "infinity, with replacement": "T.multinomial(T.tensor([1., float('inf')]), 2, True)",
    "no samples": "T.multinomial(T.ones(3), 0)",
    "more samples than categories": "T.multinomial(T.ones(2), 3)",
    "no categories": "T.multinomial(T.ones(0), 1)",
    "a float count": "T.multinomial(T.ones(3), 1.5)",
}


@pytest.mark.parametrize("code", DRAWS.values(), ids=DRAWS.keys())
def test_a_generator_draws_what_pytorchs_draws(code: str) -> None:
    assert_shows_pytorchs(torch, SETUP + f"out = [{code}]" + AFTER)


@pytest.mark.parametrize("code", ERRORS.values(), ids=ERRORS.keys())
def test_refused_as_pytorch_refuses(code: str) -> None:
    assert_shows_pytorchs(torch, SETUP + f"out = [{code}]", fails=True)


def test_a_failed_row_keeps_the_draws_of_the_rows_before() -> None:
    # with replacement PyTorch draws row by row and stops at the first bad row
    snippet = (SETUP + "try:\n    T.multinomial(T.tensor([[1., 2.], [1., -1.]]), 3, True, "
               "generator=g)\nexcept RuntimeError as e:\n    out = [str(e)]" + AFTER)
    assert observe(engine, snippet) == observe(torch, snippet)


def test_sampling_names_as_makemore_does() -> None:
    """Karpathy's makemore samples each next character from a row of probabilities."""
    snippet = (SETUP + "P = T.rand(27, 27, generator=g); P = P / P.sum(1, keepdim=True)\n"
               "names = []\nfor _ in range(20):\n    ix, name = 0, []\n    while True:\n"
               "        ix = T.multinomial(P[ix], num_samples=1, replacement=True, "
               "generator=g).item()\n        name.append(ix)\n"
               "        if ix == 0 or len(name) > 30:\n            break\n"
               "    names.append(name)\nout = [names]" + AFTER)
    assert observe(engine, snippet) == observe(torch, snippet)

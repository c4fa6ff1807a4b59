"""Random graphs built the same way in PyTorch and in the engine must agree everywhere:
values, gradients, None-ness, leaf-ness, grad_fn names and dtypes."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import engine

torch = pytest.importorskip("torch")

UNARY = {
    "exp": lambda t, lib: (t * 0.3).exp(),
    "tanh": lambda t, lib: t.tanh(),
    "sigmoid": lambda t, lib: t.sigmoid(),
    "relu": lambda t, lib: t.relu(),
    "abs": lambda t, lib: t.abs(),
    "square": lambda t, lib: t ** 2,
    "neg": lambda t, lib: -t,
    "log1": lambda t, lib: (t.abs() + 1).log(),
    "sqrt1": lambda t, lib: (t * t + 1).sqrt(),
    "sin": lambda t, lib: t.sin(),
    "scale": lambda t, lib: 2.5 * t,
    "shift": lambda t, lib: 1 - t,
    "recip": lambda t, lib: 1 / (t.abs() + 1),
    "clamp": lambda t, lib: t.clamp(-0.5, 0.5),
    "sum": lambda t, lib: t.sum(),
    "mean": lambda t, lib: t.mean(),
    "softmax": lambda t, lib: t.softmax(-1) if t.ndim else t,
    "flip": lambda t, lib: t.T if t.ndim == 2 else t.reshape(-1),
    "sum0": lambda t, lib: t.sum(0) if t.ndim else t,
    "max0": lambda t, lib: t.max(dim=-1).values if t.ndim else t,
    "index": lambda t, lib: t[0] if t.ndim else t,
    "unsq": lambda t, lib: t.unsqueeze(0),
}
BINARY = {
    "add": lambda a, b, lib: a + b,
    "sub": lambda a, b, lib: a - b,
    "mul": lambda a, b, lib: a * b,
    "div": lambda a, b, lib: a / (b.abs() + 1),
    "maximum": lambda a, b, lib: lib.maximum(a, b),
    "where": lambda a, b, lib: lib.where(a > b, a, b),
}
SHAPES = [(), (3,), (2, 3)]


@st.composite
def programs(draw: st.DrawFn) -> dict[str, Any]:
    leaves = []
    for _ in range(draw(st.integers(1, 3))):
        shape = draw(st.sampled_from(SHAPES))
        size = int(np.prod(shape))
        values = draw(st.lists(st.floats(-2, 2, allow_nan=False, width=32), min_size=size,
                               max_size=size))
        leaves.append((shape, values, draw(st.booleans()) or not leaves))
    steps = []
    for _ in range(draw(st.integers(1, 8))):
        if draw(st.booleans()):
            steps.append(("u", draw(st.sampled_from(sorted(UNARY)))))
        else:
            steps.append(("b", draw(st.sampled_from(sorted(BINARY)))))
    picks = draw(st.lists(st.integers(0, 1000), min_size=2 * len(steps), max_size=2 * len(steps)))
    retain = draw(st.booleans())
    return {"leaves": leaves, "steps": steps, "picks": picks, "retain": retain}


def build(lib: Any, program: dict[str, Any]) -> tuple[list, list]:
    pool = []
    for shape, values, requires_grad in program["leaves"]:
        data = np.array(values, dtype=np.float32).reshape(shape)
        pool.append(lib.tensor(data.tolist() if shape else float(data),
                               requires_grad=requires_grad))
    leaves = list(pool)
    picks = iter(program["picks"])
    for kind, name in program["steps"]:
        a = pool[next(picks) % len(pool)]
        if kind == "u":
            pool.append(UNARY[name](a, lib))
            next(picks)
            continue
        partners = [t for t in pool if t.shape == a.shape or t.ndim == 0 or a.ndim == 0]
        b = partners[next(picks) % len(partners)]
        pool.append(BINARY[name](a, b, lib))
    if program["retain"]:
        for t in pool:
            if t.requires_grad and t.grad_fn is not None:
                t.retain_grad()
    return leaves, pool


def summary(t: Any) -> dict[str, Any]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        grad = t.grad
    return {
        "shape": tuple(t.shape),
        "dtype": str(t.dtype),
        "requires_grad": t.requires_grad,
        "is_leaf": t.is_leaf,
        "grad_fn": t.grad_fn.name() if t.grad_fn is not None else None,
        "grad_is_none": grad is None,
    }


@settings(max_examples=150, deadline=None)
@given(program=programs())
def test_random_graph_matches_pytorch(program: dict[str, Any]) -> None:
    results = {}
    for lib in (torch, engine):
        leaves, pool = build(lib, program)
        root = pool[-1]
        error = None
        if root.requires_grad:
            try:
                root.sum().backward()
            except RuntimeError as exc:
                error = str(exc)
        results[lib.__name__] = (leaves, pool, error)
    (t_leaves, t_pool, t_error), (e_leaves, e_pool, e_error) = results.values()
    assert e_error == t_error
    for theirs, ours in zip(t_pool, e_pool, strict=True):
        assert summary(ours) == summary(theirs)
        np.testing.assert_allclose(ours.detach().numpy(), theirs.detach().numpy(),
                                   rtol=2e-6, atol=1e-6)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if theirs.grad is not None:
                np.testing.assert_allclose(ours.grad.numpy(), theirs.grad.numpy(),
                                           rtol=1e-5, atol=1e-5)

"""The backward pass as a generator of edge steps."""

from __future__ import annotations

import numpy as np
import pytest

import engine


def named(value: float | list, name: str, requires_grad: bool = True) -> engine.Tensor:
    t = engine.tensor(value, requires_grad=requires_grad)
    t.name = name
    return t


def test_x_times_x_shows_grad_going_none_then_three_then_six() -> None:
    x = named(3.0, "x")
    y = x * x
    steps = engine.backward_steps(y)
    first = next(steps)
    assert (first.op, first.input is x, first.output is y) == ("MulBackward0", True, True)
    assert first.grad_before is None and float(first.grad_after) == 3.0
    assert float(x.grad) == 3.0
    second = next(steps)
    assert float(second.grad_before) == 3.0 and float(second.grad_after) == 6.0
    assert float(x.grad) == 6.0
    assert list(steps) == []


def test_tutorial_steps_carry_the_chain_rule() -> None:
    x = named(2.0, "x")
    y = x ** 2
    (step,) = list(engine.backward_steps(y))
    assert step.op == "PowBackward0"
    assert step.local_formula == "2·x"
    assert float(step.upstream) == 1.0
    assert float(step.local) == 4.0
    assert float(step.contribution) == 4.0
    assert step.grad_before is None
    assert float(step.grad_after) == 4.0
    assert repr(x.grad) == "tensor(4.)"


def test_constants_get_no_steps() -> None:
    a = named(2.0, "a")
    steps = list(engine.backward_steps(a * 3))
    assert len(steps) == 1
    assert steps[0].local_formula == "3"


def test_non_leaf_grad_stays_none_but_total_flows() -> None:
    x = named(2.0, "x")
    h = x * 3
    h.name = "h"
    y = h * h
    steps = list(engine.backward_steps(y))
    into_h = [s for s in steps if s.input is h]
    assert len(into_h) == 2
    assert all(s.grad_before is None and s.grad_after is None for s in into_h)
    assert [float(s.total_after) for s in into_h] == [6.0, 12.0]
    assert float(x.grad) == 36.0


def test_retained_tensor_shows_its_grad_step_by_step() -> None:
    x = named(2.0, "x")
    h = x * 3
    h.retain_grad()
    y = h * h
    steps = list(engine.backward_steps(y))
    into_h = [s for s in steps if s.input is h]
    assert [None if s.grad_before is None else float(s.grad_before) for s in into_h] == [
        None, 6.0]
    assert [float(s.grad_after) for s in into_h] == [6.0, 12.0]
    assert float(h.grad) == 12.0


def test_contributions_sum_to_the_final_grad() -> None:
    rng = np.random.default_rng(1)
    w = engine.tensor(rng.standard_normal((3, 2)).astype(np.float32), requires_grad=True)
    b = engine.tensor(rng.standard_normal(2).astype(np.float32), requires_grad=True)
    x = engine.tensor(rng.standard_normal((4, 3)).astype(np.float32))
    loss = ((x @ w + b).tanh() * (x @ w)).sum()
    steps = list(engine.backward_steps(loss))
    for leaf in (w, b):
        total = sum(s.contribution for s in steps if s.input is leaf)
        np.testing.assert_allclose(total, leaf.grad.numpy(), rtol=1e-6)
        assert all(s.contribution.shape == leaf.shape for s in steps if s.input is leaf)


def test_stopping_halfway_leaves_the_intermediate_state() -> None:
    def build() -> tuple[engine.Tensor, engine.Tensor, engine.Tensor]:
        x, w = named(1.0, "x"), named(2.0, "w")
        return x, w, (x * w + x) * w

    total_steps = len(list(engine.backward_steps(build()[2])))
    assert total_steps == 6
    for k in range(total_steps + 1):
        x, w, y = build()
        steps = engine.backward_steps(y)
        taken = [next(steps) for _ in range(k)]
        for leaf in (x, w):
            mine = [s for s in taken if s.input is leaf]
            expected = float(mine[-1].grad_after) if mine else None
            assert (None if leaf.grad is None else float(leaf.grad)) == expected
        steps.close()
    assert (float(x.grad), float(w.grad)) == (6.0, 5.0)


def test_steps_come_latest_node_first_and_indices_count_up() -> None:
    x = named([1.0, 2.0], "x")
    y = (x.exp() * 2).sum()
    steps = list(engine.backward_steps(y))
    assert [s.op for s in steps] == ["SumBackward0", "MulBackward0", "ExpBackward0"]
    assert [s.index for s in steps] == [0, 1, 2]
    assert len({s.backward for s in steps}) == 1


def test_each_backward_call_is_its_own_pass_and_grads_accumulate() -> None:
    x = named(2.0, "x")
    first = list(engine.backward_steps(x * 2))
    second = list(engine.backward_steps(x * 5))
    assert second[0].backward == first[0].backward + 1
    assert float(second[0].grad_before) == 2.0
    assert float(second[0].grad_after) == 7.0


def test_history_survives_later_in_place_changes() -> None:
    w = named([1.0, 2.0], "w")
    loss = (w * w).sum()
    steps = list(engine.backward_steps(loss))
    after = steps[-1].grad_after.copy()
    local = steps[-1].local.copy()
    with engine.no_grad():
        w -= 0.5 * w.grad
    w.grad.zero_()
    np.testing.assert_array_equal(steps[-1].grad_after, after)
    np.testing.assert_array_equal(steps[-1].local, local)
    assert w.grad.tolist() == [0.0, 0.0]


def test_a_hundred_thousand_op_chain_needs_no_recursion() -> None:
    x = engine.tensor(1.0, requires_grad=True)
    y = x
    for _ in range(100_000):
        y = y * 1.0
    y.backward()
    assert float(x.grad) == 1.0


def test_backward_drains_the_generator_and_listeners_see_every_step() -> None:
    x = named(3.0, "x")
    seen = []
    with engine.on_backward_step(seen.append):
        (x * x + x).backward()
    assert [s.op for s in seen] == ["AddBackward0"] * 2 + ["MulBackward0"] * 2
    assert float(x.grad) == 7.0


def test_creation_listener_sees_every_new_tensor() -> None:
    made = []
    with engine.on_tensor_created(made.append):
        x = engine.tensor(1.0, requires_grad=True)
        y = x * 2
    assert made[:2] == [x, y] or (made[0] is x and made[1] is y)


@pytest.mark.parametrize("formula_case", [
    ("x * y", lambda x, y: x * y, ["y", "x"]),
    ("x / y", lambda x, y: x / y, ["1/y", "−x/y²"]),
    ("x - y", lambda x, y: x - y, ["1", "−1"]),
    ("tanh", lambda x, y: (x * y).tanh(), None),
])
def test_local_formulas_use_the_tensors_names(formula_case: tuple) -> None:
    _, fn, expected = formula_case
    x, y = named(2.0, "x"), named(3.0, "y")
    steps = list(engine.backward_steps(fn(x, y)))
    if expected is None:
        assert steps[0].local_formula == "1 − tanh²(x)" or "tanh" in steps[0].local_formula
    else:
        assert [s.local_formula for s in steps] == expected


@pytest.mark.parametrize("options", [{"create_graph": True}, {"inputs": "x"}])
def test_backward_options_not_modelled_are_refused_not_ignored(options: dict) -> None:
    """Ignoring them would show .grad values PyTorch would not: refuse with a clear error."""
    x = engine.tensor(2.0, requires_grad=True)
    w = engine.tensor(3.0, requires_grad=True)
    y = x ** 3 * w
    options = {k: [x] if v == "x" else v for k, v in options.items()}
    for call in (lambda: y.backward(**options), lambda: engine.autograd.backward(y, **options)):
        with pytest.raises(RuntimeError, match="gradviz does not"):
            call()
        assert x.grad is None and w.grad is None  # nothing ran
    with pytest.raises(RuntimeError, match="create_graph=True"):
        engine.autograd.grad(y, x, create_graph=True)


def test_a_dropped_graph_is_freed_at_once_and_its_steps_keep_their_tensors() -> None:
    """A grad_fn does not hold its output (as in PyTorch), so a graph nobody holds is freed
    by reference counting, not left for the cycle collector; a step still names its output."""
    import gc
    import weakref

    x = engine.tensor([1.0, 2.0], requires_grad=True)
    enabled = gc.isenabled()
    gc.disable()
    try:
        hidden = (x * 3).exp()
        loss = hidden.sum()
        gone = weakref.ref(hidden)
        steps = list(engine.backward_steps(loss))
        del hidden, loss
        assert gone() is not None  # the steps hold the graph, its tensors included
        assert steps[0].output.grad_fn.name() == "SumBackward0"
        assert steps[1].output is gone()
        del steps
        assert gone() is None
    finally:
        if enabled:
            gc.enable()
    np.testing.assert_allclose(x.grad.numpy(), 3 * np.exp([3.0, 6.0]), rtol=1e-6)


def test_a_pass_adds_its_total_onto_an_earlier_grad_as_pytorch_does() -> None:
    """PyTorch sums what reaches a leaf (or a retained tensor) in one pass, then adds that sum
    onto the `.grad` it already had: 1e8 + (30 + 30 + 30) is 100000088 in float32, where adding
    each 30 in turn would give 100000096. Each step shows the earlier grad plus the running
    total, and the last is PyTorch's."""
    from tests.engine.parity import assert_shows_pytorchs

    torch = pytest.importorskip("torch")
    assert_shows_pytorchs(torch, (
        "x=T.tensor([0.1,0.2],requires_grad=True); x.grad=T.tensor([1e8,-3e7]); "
        "(x*30.+x*30.+x*30.).sum().backward(); r=T.tensor([0.1],requires_grad=True)*1; "
        "r.retain_grad(); (r*30+r*30+r*30).sum().backward(retain_graph=True); "
        "r.grad=T.tensor([1e8]); (r*30+r*30+r*30).sum().backward(); "
        "out=[x.grad.tolist(), r.grad.tolist()]"))
    x = engine.tensor([0.1], requires_grad=True)
    x.grad = engine.tensor([1e8])
    steps = list(engine.backward_steps((x * 30.0 + x * 30.0 + x * 30.0).sum()))
    shown = [float(s.grad_after[0]) for s in steps if s.input is x]
    assert shown == [float(np.float32(1e8) + np.float32(30 * k)) for k in (1, 2, 3)]
    assert shown[-1] == 100000088.0

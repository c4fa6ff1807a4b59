"""Replaying the recorded graph for another value of one leaf gives what re-running the script
with that value gives, bit for bit: the curve of the derivative picture is the true function."""

from __future__ import annotations

import re

import numpy as np
import pytest

from gradviz.graph.replay import Replay, ancestors, feeds
from gradviz.resources import resources_dir
from gradviz.script import run_script

EXAMPLES = resources_dir() / "examples"


def _example(name: str) -> str:
    return (EXAMPLES / f"{name}.py").read_text(encoding="utf-8")


def _root(run, number: int = 1):  # noqa: ANN001, ANN202 - test helper
    """The grad_fn that backward pass `number` started from."""
    position = next(k for k in range(1, len(run.steps) + 1) if run.backward_of(k) == number)
    return run.steps[position - 1].node


def _rerun_root(source: str, number: int = 1) -> np.ndarray:
    run = run_script(source)
    assert run.error is None, run.error
    return np.asarray(_root(run, number).out)


def test_tutorial_replay_equals_rerun() -> None:
    source = _example("tutorial")
    run = run_script(source)
    replay = Replay(_root(run), run.tensors["x"])
    assert float(replay.point) == 2.0
    for value in (-1.5, 0.0, 3.0, 10.25):
        expected = _rerun_root(source.replace("2.0", repr(value), 1))
        got = np.asarray(replay(value))
        assert got.dtype == expected.dtype
        assert np.array_equal(got, expected)


def test_replay_at_the_recorded_point_is_the_recorded_value() -> None:
    for name, leaf in [("tutorial", "x"), ("neuron", "b"), ("broadcasting", "scale"),
                       ("mlp_cross_entropy", "b1"), ("softmax", "scores")]:
        run = run_script(_example(name))
        root = _root(run)
        replay = Replay(root, run.tensors[leaf])
        assert np.array_equal(np.asarray(replay(replay.point)), np.asarray(root.out)), name


@pytest.mark.parametrize("value", ["1.0", "-2.5", "6.0"])
def test_neuron_bias_replay_equals_rerun(value: str) -> None:
    source = _example("neuron")
    run = run_script(source)
    replay = Replay(_root(run), run.tensors["b"])
    rerun = _rerun_root(source.replace("6.8813735870195432", value))
    assert np.array_equal(np.asarray(replay(float(value))), rerun)


def test_vector_leaf_replay_equals_rerun_through_matmul_relu_and_cross_entropy() -> None:
    source = _example("mlp_cross_entropy")
    run = run_script(source)
    replay = Replay(_root(run), run.tensors["b1"])
    new = "[0.3, -0.2, 0.5, 0.0]"
    changed = re.sub(r"b1 = torch\.tensor\(\[[^\]]*\]", f"b1 = torch.tensor({new}", source)
    assert changed != source
    expected = _rerun_root(changed)
    got = replay(np.array([0.3, -0.2, 0.5, 0.0], dtype=np.float32))
    assert np.array_equal(np.asarray(got), expected)


def test_broadcast_scalar_replay_equals_rerun() -> None:
    source = _example("broadcasting")
    run = run_script(source)
    replay = Replay(_root(run), run.tensors["scale"])
    expected = _rerun_root(source.replace("scale = torch.tensor(2.0", "scale = torch.tensor(-0.5"))
    assert np.array_equal(np.asarray(replay(-0.5)), expected)


def test_leaf_changed_in_place_replays_from_its_value_at_the_forward() -> None:
    run = run_script(_example("sgd_training_loop"))
    second = _root(run, 2)
    replay = Replay(second, run.tensors["w"])
    assert float(replay.point) != float(run.tensors["w"]._data)  # w moved on after pass 2
    assert np.array_equal(np.asarray(replay(replay.point)), np.asarray(second.out))


SCRIPTS = {
    "max_dim": ("import torch\nx = torch.tensor([[1.0, 5.0], [4.0, 2.0]], requires_grad=True)\n"
                "y = torch.max(x, dim=1).values.sum()\ny.backward()\n",
                "[[6.0, 5.0], [4.0, 9.0]]"),
    "cat_stack": ("import torch\nx = torch.tensor([1.0, 2.0], requires_grad=True)\n"
                  "z = torch.cat([x, x * 2]).sum() + torch.stack([x, x]).mean()\nz.backward()\n",
                  "[0.5, -3.0]"),
    "pow_div_exp": ("import torch\nx = torch.tensor([1.0, 2.0], requires_grad=True)\n"
                    "z = ((x ** 3) / (1 + x.exp()) - 2 / x).sum()\nz.backward()\n",
                    "[0.25, 1.5]"),
    "softmax": ("import torch\nx = torch.tensor([1.0, 2.0, 0.5], requires_grad=True)\n"
                "z = torch.log_softmax(x, dim=0)[1] + torch.softmax(x, dim=0)[0]\nz.backward()\n",
                "[0.0, -1.0, 3.0]"),
}


@pytest.mark.parametrize("name", sorted(SCRIPTS))
def test_ops_replay_equals_rerun(name: str) -> None:
    source, new = SCRIPTS[name]
    run = run_script(source)
    assert run.error is None, run.error
    replay = Replay(_root(run), run.tensors["x"])
    old = source.split("x = torch.tensor(", 1)[1].split(", requires_grad", 1)[0]
    expected = _rerun_root(source.replace(old, new, 1))
    got = replay(np.array(eval(new), dtype=np.float32))  # noqa: S307 - a literal of the test
    assert np.allclose(np.asarray(got), expected, rtol=0, atol=0)


def test_replay_refuses_a_leaf_that_does_not_feed_the_output() -> None:
    run = run_script("import torch\na = torch.tensor(1.0, requires_grad=True)\n"
                     "b = torch.tensor(2.0, requires_grad=True)\ny = a * 3\ny.backward()\n")
    root = _root(run)
    assert feeds(root, run.tensors["a"]) and not feeds(root, run.tensors["b"])
    with pytest.raises(ValueError):
        Replay(root, run.tensors["b"])


def test_ancestors_are_in_creation_order() -> None:
    run = run_script(_example("neuron"))
    nodes = ancestors(_root(run))
    assert [n.seq for n in nodes] == sorted(n.seq for n in nodes)
    assert nodes[-1] is _root(run)


def test_curve_evaluates_many_points() -> None:
    run = run_script(_example("tutorial"))
    replay = Replay(_root(run), run.tensors["x"])
    xs = np.linspace(-2, 2, 9)
    assert np.allclose(replay.curve(xs), xs.astype(np.float32) ** 2)

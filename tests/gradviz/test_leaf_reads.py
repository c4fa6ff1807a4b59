"""A leaf updated in place between backward passes shows, at each step, the values that
step's pass read: on its card, in its tooltip, in the inspector and in the JSON export."""

from __future__ import annotations

import textwrap

import numpy as np
import pytest

from gradviz.graph.format import summary
from gradviz.graph.infos import CHANGED_LATER_HINT
from gradviz.graph.model import GraphModel
from gradviz.panels.node_facts import _tensor_facts
from gradviz.script import run_script
from gradviz.script.leaf_reads import LeafReads, same_values

# Each pass prints the value it is about to read, so the test knows what PyTorch would use.
UPDATES = {
    "sub_": "w -= 0.1 * w.grad",
    "data": "w.data -= 0.1 * w.grad",  # changes the values without a version bump
}


def loop(update: str) -> str:
    return textwrap.dedent(f"""\
        import torch
        w = torch.tensor([1.0, -2.0], requires_grad=True)
        for i in range(3):
            print(w.tolist())
            loss = (w * w).sum()
            loss.backward()
            with torch.no_grad():
                {update}
            w.grad = None
        print(w.tolist())
    """)


def model_of(source: str) -> GraphModel:
    run = run_script(source, "script.py")
    assert run.error is None, run.error
    return GraphModel(run)


def passes(model: GraphModel) -> list[list[int]]:
    """The steps of each backward pass, 1-based."""
    by_pass: dict[int, list[int]] = {}
    for k in range(1, model.step_count + 1):
        by_pass.setdefault(model.progress.pass_of(k), []).append(k)
    return [by_pass[p] for p in sorted(by_pass)]


@pytest.mark.parametrize("update", UPDATES.values(), ids=UPDATES.keys())
def test_each_pass_shows_the_values_it_read(update: str) -> None:
    model = model_of(loop(update))
    printed = [eval(line) for line in model.run.output.splitlines()]  # noqa: S307 - our text
    (key,) = model.find("w")
    assert len(passes(model)) == 3
    for values, steps in zip(printed, passes(model), strict=False):
        for k in steps:
            assert model.value(key, k).tolist() == values
            assert model.value_summary(key, k) == summary(np.array(values, np.float32),
                                                          "float32")
    assert model.value(key, 0).tolist() == printed[0]  # before backward: the first pass's
    assert model.nodes[key].hint == CHANGED_LATER_HINT
    assert len(set(model.card_texts(key).values)) == 3  # the card is sized for all three


def test_the_card_changes_its_value_line_where_a_new_pass_begins() -> None:
    model = model_of(loop(UPDATES["sub_"]))
    (key,) = model.find("w")
    first, second, _ = passes(model)
    assert model.grad(key, first[-1]).value == ""  # the first pass shows NodeInfo's line
    shown = model.grad(key, second[0]).value
    assert shown and shown != model.nodes[key].value_summary
    assert key in model.diff(first[-1], second[0]).nodes


def test_tooltip_inspector_and_export_agree_with_the_card() -> None:
    model = model_of(loop(UPDATES["data"]))
    run = model.run
    (key,) = model.find("w")
    tensor = model.tensor(key)
    k = passes(model)[1][0]
    expected = model.value(key, k).tolist()
    assert str(expected[0])[:4] in model.value_text(key, k)
    assert "changed in place afterwards" in model.value_text(key, k)
    facts = _tensor_facts(run, model.flow, tensor, k)
    assert facts.values.tolist() == expected
    assert "changed in place afterwards" in facts.value_note
    assert tensor.tolist() != expected  # the end of the script differs


def test_a_leaf_left_alone_shows_its_one_value_without_a_note() -> None:
    model = model_of(loop("pass"))
    (key,) = model.find("w")
    assert {model.value_summary(key, k) for k in range(model.step_count + 1)} == {
        model.nodes[key].value_summary}
    assert model.nodes[key].hint != CHANGED_LATER_HINT
    assert model.value_text(key, model.step_count) == str(model.tensor(key))


def test_reads_keep_copies_and_compare_bit_for_bit() -> None:
    import engine

    kept: list[int] = []
    reads = LeafReads(kept.append)
    leaf = engine.tensor([0.0, 1.0])
    reads.read(leaf, 0)
    reads.read(leaf, 0)  # the same values: no second copy
    with engine.no_grad():
        leaf.mul_(-1.0)  # 0. becomes -0.: a different value, bit for bit
    reads.read(leaf, 4)
    reads.finish()
    first, second = reads.reads(leaf)
    assert kept == [2, 2]
    assert first.values.tolist() == [0.0, 1.0] and first.changed_later
    assert not second.changed_later
    assert reads.at(leaf, 0) is first and reads.at(leaf, 4) is second
    assert reads.at(leaf, 9) is second  # a pass that did not read it: the latest read before
    assert same_values(np.float32("nan"), np.array(np.float32("nan")))
    assert not same_values(np.float32(0.0), np.float32(-0.0))

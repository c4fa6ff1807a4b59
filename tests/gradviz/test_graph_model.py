"""The graph model the canvas draws: texts, roles, `.grad` at every step, states and diffs.

No Qt here: the model is plain Python, and one test proves it never imports Qt.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from gradviz.graph.format import shape_text, summary
from gradviz.graph.model import (
    CONSTANT,
    INTERMEDIATE,
    NOT_STORED_HINT,
    OP,
    OUTPUT,
    PARAMETER,
    GraphModel,
)
from gradviz.graph.progress import State
from gradviz.script import run_script

EXAMPLES = Path(__file__).resolve().parents[2] / "resources" / "examples"


def model_of(source: str) -> GraphModel:
    run = run_script(textwrap.dedent(source), "script.py")
    assert run.error is None, run.error
    return GraphModel(run)


def example(name: str) -> GraphModel:
    path = EXAMPLES / name
    run = run_script(path.read_text(), str(path))
    assert run.error is None, run.error
    return GraphModel(run)


def key_of(model: GraphModel, name: str) -> str:
    (key,) = [k for k, n in model.nodes.items() if n.kind == "tensor" and n.name == name]
    return key


TUTORIAL = """\
    import torch
    x = torch.tensor(2.0, requires_grad=True)
    y = x ** 2
    y.backward()
"""

SQUARE_BY_MUL = """\
    import torch
    x = torch.tensor(3.0, requires_grad=True)
    y = x * x
    y.backward()
"""


def test_tutorial_nodes_read_as_pytorch_would_print_them() -> None:
    model = model_of(TUTORIAL)
    x, y = key_of(model, "x"), key_of(model, "y")
    (op,) = [k for k, n in model.nodes.items() if n.kind == "op"]
    assert model.nodes[x].role == PARAMETER
    assert model.nodes[y].role == OUTPUT
    assert model.nodes[op].role == OP
    assert model.nodes[op].label == "**2"
    assert model.nodes[op].grad_fn == "PowBackward0"
    assert model.nodes[x].value_summary == "2."
    assert model.nodes[y].value_summary == "4."
    assert model.nodes[x].shape_text == "scalar"
    assert model.value_text(y) == "tensor(4., grad_fn=<PowBackward0>)"


def test_grad_is_none_before_backward_and_the_value_after() -> None:
    model = model_of(TUTORIAL)
    x = key_of(model, "x")
    assert model.step_count == 1
    before, after = model.grad(x, 0), model.grad(x, 1)
    assert before.is_none and before.summary == "None" and not before.changed
    assert not after.is_none and after.summary == "4." and after.changed
    assert model.grad_text(x, 0) == "None"
    assert model.grad_text(x, 1) == "tensor(4.)"


def test_non_leaf_grad_stays_none_with_the_hint_that_pytorch_does_not_store_it() -> None:
    model = model_of(TUTORIAL)
    y = key_of(model, "y")
    assert not model.nodes[y].stores_grad
    assert model.nodes[y].hint == NOT_STORED_HINT
    assert model.grad(y, 1).is_none
    assert model.grad_text(y, 1) == "None"


def test_retain_grad_makes_a_non_leaf_show_its_value() -> None:
    model = model_of("""\
        import torch
        x = torch.tensor(2.0, requires_grad=True)
        h = x * 3
        h.retain_grad()
        y = h ** 2
        y.backward()
    """)
    h = key_of(model, "h")
    assert model.nodes[h].role == INTERMEDIATE
    assert model.nodes[h].stores_grad and model.nodes[h].hint == ""
    assert model.grad(h, 0).is_none
    assert model.grad(h, model.step_count).summary == "12."


def test_the_current_edge_writes_out_the_chain_rule() -> None:
    model = model_of(TUTORIAL)
    current = model.current(1)
    assert current is not None
    assert current.equation == "1. × 4. = 4."
    assert current.formula == "2·x"
    assert current.grad_fn == "PowBackward0"
    assert current.input == key_of(model, "x")
    assert current.output == key_of(model, "y")
    assert model.current(0) is None
    assert model.caption(0) == "Before backward()"
    assert model.caption(1) == "Step 1 of 1 · PowBackward0: y → x"


def test_x_times_x_has_two_edges_each_traversed_by_its_own_step() -> None:
    model = model_of(SQUARE_BY_MUL)
    x = key_of(model, "x")
    (op,) = [k for k, n in model.nodes.items() if n.kind == "op"]
    first, second = (x, op, 0), (x, op, 1)
    assert {e.id for e in model.edges if e.source == x} == {first, second}
    assert model.edge_state(first, 0) == model.edge_state(second, 0) == State.PENDING
    assert model.edge_state(first, 1) == State.CURRENT
    assert model.edge_state(second, 1) == State.PENDING
    assert model.edge_state(first, 2) == State.DONE
    assert model.edge_state(second, 2) == State.CURRENT
    assert [model.grad(x, k).summary for k in range(3)] == ["None", "3.", "6."]


def test_states_before_during_and_after_the_backward_pass() -> None:
    model = example("neuron.py")
    keys = list(model.nodes)
    end = model.step_count
    assert end == 9
    assert {model.node_state(k, 0) for k in keys} == {State.PENDING}
    current = model.current(end)
    assert current is not None
    at_end = {k: model.node_state(k, end) for k in keys}
    assert {k for k, s in at_end.items() if s == State.CURRENT} == {current.op, current.input}
    assert {s for k, s in at_end.items() if k not in (current.op, current.input)} == {State.DONE}
    # The output is done from the first step; the leaves only once their edge is traversed.
    out, x1 = key_of(model, "out"), key_of(model, "x1")
    assert model.node_state(out, 1) == State.DONE
    assert model.node_state(x1, 1) == State.PENDING


def test_edges_no_gradient_flows_through_are_inert() -> None:
    model = example("no_grad_and_detach.py")
    frozen = key_of(model, "frozen")
    assert model.nodes[frozen].role == CONSTANT
    for edge in model.edges:
        if edge.source == frozen:
            assert model.edge_state(edge.id, model.step_count) == State.INERT
    assert model.node_state(frozen, model.step_count) == State.INERT


def brute_force_changes(model: GraphModel, a: int, b: int) -> tuple[set, set]:
    nodes = {k for k, n in model.nodes.items()
             if model.node_state(k, a) != model.node_state(k, b)
             or (n.kind == "tensor" and model.grad(k, a) != model.grad(k, b))}
    edges = {e.id for e in model.edges if model.edge_state(e.id, a) != model.edge_state(e.id, b)}
    return nodes, edges


@pytest.mark.parametrize("name", ["neuron.py", "gradient_accumulation.py",
                                  "sgd_training_loop.py", "mlp_cross_entropy.py"])
def test_diff_names_exactly_what_changes_between_steps(name: str) -> None:
    model = example(name)
    for a in range(model.step_count + 1):
        for b in (a + 1, model.step_count - a, 0):
            if not 0 <= b <= model.step_count:
                continue
            diff = model.diff(a, b)
            assert (set(diff.nodes), set(diff.edges)) == brute_force_changes(model, a, b)


def test_one_step_changes_a_handful_of_nodes_not_the_graph() -> None:
    model = example("sgd_training_loop.py")
    sizes = [len(model.diff(k, k + 1).nodes) for k in range(model.step_count)
             if model.progress.pass_of(k) == model.progress.pass_of(k + 1) or k == 0]
    assert len(model.diff(0, 1).nodes) == sizes[0]  # the first step, from before backward
    assert sizes and max(sizes) <= 6 and 4 * max(sizes) < len(model.nodes)


def test_gradient_accumulation_shows_each_pass_adding_into_grad() -> None:
    model = example("gradient_accumulation.py")
    w = key_of(model, "w")
    grads = [model.grad(w, k).summary for k in range(model.step_count + 1)]
    assert grads == ["None", "2.", "4.", "6.", "5."]
    assert model.caption(2).startswith("Step 2 of 4 · backward 2 of 4")


def test_constant_operands_appear_on_the_op() -> None:
    model = model_of("""\
        import torch
        w = torch.tensor(3.0, requires_grad=True)
        a = w * 2
        b = 1 - w
        c = 2 ** w
        d = (a + b + c).tanh()
        d.backward()
    """)
    labels = sorted(n.label for n in model.nodes.values() if n.kind == "op")
    assert labels == sorted(["×2", "1−", "2**", "+", "+", "tanh"])


def test_values_computed_under_no_grad_that_touch_nothing_are_not_drawn() -> None:
    model = example("sgd_training_loop.py")
    assert model.graph.number_of_nodes() < model.run.graph.number_of_nodes()
    for key, info in model.nodes.items():
        assert model.graph.degree(key) > 0 or info.role == PARAMETER
    names = {n.name for n in model.nodes.values()}
    assert {"w", "b", "xs", "ys", "loss"} <= names
    assert not any("learning_rate" in name for name in names)
    alone = model_of("""\
        import torch
        x = torch.tensor([1.0, 2.0])
    """)
    assert [n.name for n in alone.nodes.values()] == ["x"]


def test_find_by_name() -> None:
    model = example("neuron.py")
    assert model.find("w1") == [key_of(model, "w1")]
    assert model.find("x1") == [key_of(model, "x1")]
    assert set(model.find("X2W")) == {key_of(model, "x2w2"), key_of(model, "(x1w1 + x2w2)")}
    assert model.find("nothing-like-this") == []


def test_value_summaries_keep_pytorch_number_style_on_one_short_line() -> None:
    assert summary(np.float32(4.0), "float32") == "4."
    assert summary(np.float32(-1.5000005), "float32") == "-1.5000"
    assert summary(np.array([1.0, 2.0], dtype=np.float32), "float32") == "[1., 2.]"
    long = summary(np.arange(100, dtype=np.float32) / 7, "float32")
    assert long.startswith("[0.0000,") and long.endswith("14.1429]") and "…" in long
    assert len(long) <= 30
    assert summary(np.array([[1, 2], [3, 4]]), "int64") == "[[1, 2], [3, 4]]"
    assert summary(np.float64(0.5), "float64") == "0.5000"
    assert shape_text(()) == "scalar" and shape_text((2, 3)) == "2×3"


def test_the_graph_model_never_imports_qt() -> None:
    code = ("import sys, gradviz.graph.model, gradviz.graph.format; "
            "print([m for m in sys.modules if m.startswith(('PySide6', 'shiboken'))])")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True, cwd=Path(__file__).resolve().parents[2])
    assert result.stdout.strip() == "[]"


LOOP_WRITE = """
import torch
x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
out = torch.zeros(3)
for i in range(3):
    out[i] = x[i] * 2
loss = (out * out).sum()
loss.backward()
"""


def test_a_tensor_written_in_a_loop_is_drawn_version_by_version() -> None:
    """Each `out[i] = …` reads the card of out before it and makes the card after it; each
    card shows its version's values and the gradient that reached that version."""
    import networkx as nx

    run = run_script(LOOP_WRITE)
    assert run.error is None
    model = GraphModel(run)
    assert nx.is_directed_acyclic_graph(model.graph)
    versions = [k for k, n in model.nodes.items() if n.label == "out"]
    assert [model.nodes[k].value_summary for k in versions] == [
        "[0., 0., 0.]", "[2., 0., 0.]", "[2., 4., 0.]", "[2., 4., 6.]"]
    end = model.step_count
    # d loss / d out = 2·out = [4, 8, 12]; each write hides its place from the version before
    assert [model.received(k, end) for k in versions] == [
        "", "[4., 0., 0.]", "[4., 8., 0.]", "[ 4.,  8., 12.]"]
    x = next(k for k, n in model.nodes.items() if n.label == "x")
    assert model.grad_text(x, end) == "tensor([ 8., 16., 24.])"  # as PyTorch gives
    for a in range(end + 1):
        for b in (a + 1, 0, end):
            if 0 <= b <= end:
                diff = model.diff(a, b)
                assert (set(diff.nodes), set(diff.edges)) == brute_force_changes(model, a, b)

"""The inspector shows `.grad` exactly as PyTorch holds it at each step, `None` included."""

from __future__ import annotations

import contextlib
import io
import runpy

import numpy as np
import pytest

from gradviz.app.document import Document
from gradviz.graph.flow import Flow
from gradviz.panels.inspector import InspectorPanel
from gradviz.panels.node_facts import OpFacts, TensorFacts, describe
from gradviz.panels.tangent import curve_for, pass_for, tangent_at
from gradviz.resources import resources_dir, tutorial
from gradviz.script import run_script
from tests.gradviz.documents import run_document

pytest.importorskip("PySide6.QtWidgets")
EXAMPLES = resources_dir() / "examples"




def _key(document: Document, label: str) -> str:
    return next(key for key, data in document.run.graph.nodes(data=True)
                if data.get("label") == label or data.get("grad_fn") == label)


@pytest.fixture
def doc(qapp: object) -> Document:
    return run_document(tutorial().read_text(encoding="utf-8"))


@pytest.fixture
def panel(doc: Document, qtbot: object) -> InspectorPanel:
    widget = InspectorPanel(doc)
    qtbot.addWidget(widget)
    widget.resize(460, 900)
    return widget


def test_x_grad_is_none_before_backward_and_tensor_4_after(doc: Document,
                                                            panel: InspectorPanel) -> None:
    doc.select(_key(doc, "x"))
    assert panel.objectName() == "inspector"
    assert panel.name.text() == "x"
    assert panel.grad_value.text() == "None"
    assert panel.grad_card.state == "none"
    assert not panel.grad_badge.isVisibleTo(panel)
    doc.to_end()
    assert panel.grad_value.text() == "tensor(4.)"
    assert panel.grad_card.state == "new"
    assert panel.grad_badge.isVisibleTo(panel)
    assert "None" in panel.grad_badge.text() and "tensor(4.)" in panel.grad_badge.text()
    assert panel.value_text.text() == "tensor(2., requires_grad=True)"
    properties = dict(describe(doc.run, Flow(doc.run), doc.selection, 1).properties)
    assert properties["requires_grad"] == "True" and properties["is_leaf"] == "True"
    assert properties["grad_fn"] == "None"
    doc.reset()
    assert panel.grad_value.text() == "None"


def test_non_leaf_grad_stays_none_and_says_why(doc: Document, panel: InspectorPanel) -> None:
    doc.select(_key(doc, "y"))
    doc.to_end()
    assert panel.grad_value.text() == "None"
    note = panel.grad_note.text()
    assert "leaf" in note and "retain_grad()" in note and "tensor(1.)" in note
    assert panel.flowed_value.text() == "tensor(1.)"  # the seed flowed through y anyway
    assert panel.value_text.text() == "tensor(4., grad_fn=<PowBackward0>)"


def test_op_node_shows_grad_fn_formula_and_the_step(doc: Document,
                                                   panel: InspectorPanel) -> None:
    doc.select(_key(doc, "PowBackward0"))
    assert panel.name.text() == "PowBackward0"
    assert "∂y/∂x = 2·x" in panel.op_formulas.text()
    assert not panel.step_card.isVisibleTo(panel)
    doc.to_end()
    assert panel.step_card.isVisibleTo(panel)
    text = panel.op_step.text()
    assert "upstream" in text and "1." in text and "4." in text and "x.grad" in text


def test_nothing_selected_shows_the_hint(doc: Document, panel: InspectorPanel) -> None:
    assert panel.empty.isVisibleTo(panel)
    doc.select(_key(doc, "x"))
    assert not panel.empty.isVisibleTo(panel)
    doc.select(None)
    assert panel.empty.isVisibleTo(panel)


def test_plots_fit_the_tensor(qapp: object, qtbot: object) -> None:
    for example, label, kind in [("tutorial", "x", "tangent"), ("mlp_cross_entropy", "w1",
                                                                "heatmap"),
                                 ("broadcasting", "bias", "bars")]:
        document = run_document((EXAMPLES / f"{example}.py").read_text(encoding="utf-8"))
        widget = InspectorPanel(document)
        qtbot.addWidget(widget)
        document.select(_key(document, label))
        document.to_end()
        assert widget.plots.kind == kind, example


def test_tangent_slope_is_the_gradient(qapp: object) -> None:
    run = run_script((EXAMPLES / "neuron.py").read_text(encoding="utf-8"))
    flow = Flow(run)
    b = run.tensors["b"]
    curve = curve_for(flow, b, pass_for(flow, b, 0))
    assert curve is not None
    end = len(run.steps)
    assert curve.slope == float(run.grad_at(b, end))
    assert tangent_at(flow, curve, b, 0).delivered is None
    assert tangent_at(flow, curve, b, end).complete
    # the curve really is tanh(x1*w1 + x2*w2 + b) around b
    expected = np.tanh(np.float32(2.0) * np.float32(-3.0) + curve.xs.astype(np.float32))
    assert np.allclose(curve.ys, expected, atol=1e-6)


def test_retained_non_leaf_holds_its_grad(qapp: object) -> None:
    run = run_script((EXAMPLES / "retain_grad.py").read_text(encoding="utf-8"))
    flow = Flow(run)
    key = next(k for k, d in run.graph.nodes(data=True) if d.get("label") == "h")
    facts = describe(run, flow, key, len(run.steps))
    assert isinstance(facts, TensorFacts)
    assert facts.grad.text == "tensor([ 6., 12., 18.])"
    assert ("retains_grad", "True") in facts.properties
    assert isinstance(describe(run, flow, "op:0", 0), OpFacts)


def test_accumulated_grads_across_backward_passes(qapp: object) -> None:
    run = run_script((EXAMPLES / "gradient_accumulation.py").read_text(encoding="utf-8"))
    flow = Flow(run)
    key = next(k for k, d in run.graph.nodes(data=True) if d.get("label") == "w")
    texts = [describe(run, flow, key, k).grad.text for k in range(len(run.steps) + 1)]
    assert texts == ["None", "tensor(2.)", "tensor(4.)", "tensor(6.)", "tensor(5.)"]
    assert "accumulate" in describe(run, flow, key, 2).grad.note


@pytest.mark.parametrize("example", ["tutorial", "retain_grad", "mlp_cross_entropy",
                                     "broadcasting", "neuron", "softmax"])
def test_grads_at_the_end_are_what_pytorch_holds(example: str, qapp: object) -> None:
    """Real PyTorch runs the same script; every named leaf's `.grad` reads the same."""
    torch = pytest.importorskip("torch")
    path = EXAMPLES / f"{example}.py"
    with contextlib.redirect_stdout(io.StringIO()):
        namespace = runpy.run_path(str(path), run_name="__main__")
    run = run_script(path.read_text(encoding="utf-8"))
    flow = Flow(run)
    end = len(run.steps)
    checked = 0
    for key, data in run.graph.nodes(data=True):
        value = namespace.get(data.get("label"))
        if data["kind"] != "tensor" or not isinstance(value, torch.Tensor):
            continue
        facts = describe(run, flow, key, end)
        held = value.grad if (value.is_leaf or value.retains_grad) else None
        assert facts.grad.text == repr(held) if held is not None else facts.grad.text == "None"
        checked += 1
    assert checked


def test_no_curve_for_graphs_too_big_to_replay_smoothly(qapp: object) -> None:
    source = ("import torch\nw = torch.tensor(0.5, requires_grad=True)\nh = torch.tensor(1.0)\n"
              "for i in range(2000):\n    h = h * w\nh.backward()\n")
    run = run_script(source)
    flow = Flow(run)
    assert curve_for(flow, run.tensors["w"], 1) is None
    small = run_script(source.replace("2000", "20"))
    assert curve_for(Flow(small), small.tensors["w"], 1) is not None


def test_an_op_says_where_each_input_gradient_goes(qapp: object) -> None:
    run = run_script((EXAMPLES / "neuron.py").read_text(encoding="utf-8"))
    flow = Flow(run)
    tanh = next(k for k, d in run.graph.nodes(data=True) if d.get("label") == "tanh")
    facts = describe(run, flow, tanh, 1)
    assert isinstance(facts, OpFacts)
    assert facts.role == "op · tanh"  # the symbol only where it differs from the name
    assert ("symbol", "tanh") not in facts.properties
    assert facts.inputs == [("n", "its gradient goes on to AddBackward0, which made n")]
    assert facts.output[0] == "out"
    assert "= 0.5000" in facts.current  # the local derivative with its value at step 1
    mul = next(k for k, d in run.graph.nodes(data=True) if d.get("label") == "×")
    assert ("x1", "its gradient goes into x1.grad (AccumulateGrad)") in describe(
        run, flow, mul, 0).inputs


def test_a_long_one_line_value_wraps_and_a_matrix_keeps_its_columns(qtbot: object) -> None:
    from gradviz.panels.value_view import ValueView

    view = ValueView("value")
    qtbot.addWidget(view)
    view.resize(220, 40)
    view.show()
    qtbot.waitExposed(view)
    view.setText("tensor(6.8814, requires_grad=True)")
    one_line = view.fontMetrics().lineSpacing()
    assert view.height() >= 2 * one_line  # wrapped onto a second line, all of it in view
    assert not view.horizontalScrollBar().isVisible()
    matrix = ("tensor([[ 0.5000, -1.0000,  2.0000,  3.0000],\n"
              "        [ 1.5000,  0.5000, -0.5000,  2.0000]])")
    view.setText(matrix)
    assert view.height() < 4 * one_line  # two lines, not re-wrapped into more
    assert view.horizontalScrollBar().maximum() > 0  # scrolls sideways instead


def test_a_tensor_written_in_place_is_made_by_copyslices(qapp: object) -> None:
    run = run_script((EXAMPLES / "writing_in_place.py").read_text(encoding="utf-8"))
    flow = Flow(run)
    last = [k for k, d in run.graph.nodes(data=True) if d.get("label") == "out"][-1]
    facts = describe(run, flow, last, len(run.steps))
    assert facts.role.endswith("made by CopySlices")  # as its repr says: grad_fn=<CopySlices>
    assert facts.origin.startswith("line 10:")  # the write, not out = torch.zeros(3)

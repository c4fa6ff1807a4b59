"""The steps list: one row per backward edge, clicking a row sets the step, the row follows."""

from __future__ import annotations

import pytest

from gradviz.app.document import Document
from gradviz.panels.step_rows import BEFORE_BACKWARD, NOT_STORED, step_row
from gradviz.panels.steps import CHAIN, EDGE, GRAD, GRAD_FN, HEADERS, PASS, STEP, StepsPanel
from gradviz.resources import resources_dir, tutorial
from gradviz.script import run_script
from tests.gradviz.documents import run_document

pytest.importorskip("PySide6.QtWidgets")
from PySide6.QtCore import Qt  # noqa: E402

EXAMPLES = resources_dir() / "examples"




@pytest.fixture
def doc(qapp: object) -> Document:
    return run_document(tutorial().read_text(encoding="utf-8"))


@pytest.fixture
def panel(doc: Document, qtbot: object) -> StepsPanel:
    widget = StepsPanel(doc)
    qtbot.addWidget(widget)
    widget.resize(1000, 300)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def _text(panel: StepsPanel, row: int, column: int) -> str:
    return panel.model.index(row, column).data()


def test_rows_show_edge_chain_rule_and_grad(panel: StepsPanel) -> None:
    assert panel.objectName() == "steps"
    assert panel.model.rowCount() == 2
    assert BEFORE_BACKWARD in _text(panel, 0, EDGE)
    assert _text(panel, 1, STEP) == "1"
    assert _text(panel, 1, EDGE) == "y → x"
    assert _text(panel, 1, GRAD_FN) == "PowBackward0"
    assert _text(panel, 1, CHAIN) == "1. × 4. = 4."
    assert _text(panel, 1, GRAD) == "None → tensor(4.)"
    assert panel.table.isColumnHidden(PASS)  # one backward pass: no pass column


def test_clicking_a_row_sets_the_document_step(doc: Document, panel: StepsPanel,
                                               qtbot: object) -> None:
    rect = panel.table.visualRect(panel.model.index(1, EDGE))
    qtbot.mouseClick(panel.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert doc.step == 1
    rect = panel.table.visualRect(panel.model.index(0, STEP))
    qtbot.mouseClick(panel.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert doc.step == 0


def test_current_row_follows_the_step(doc: Document, panel: StepsPanel) -> None:
    assert panel.current_row == 0
    doc.to_end()
    assert panel.current_row == 1
    doc.reset()
    assert panel.current_row == 0


def test_several_backward_passes_show_their_number(qapp: object, qtbot: object) -> None:
    document = run_document((EXAMPLES / "gradient_accumulation.py").read_text(encoding="utf-8"))
    widget = StepsPanel(document)
    qtbot.addWidget(widget)
    assert not widget.table.isColumnHidden(PASS)
    assert [_text(widget, k, PASS) for k in range(1, 5)] == ["1", "2", "3", "4"]
    assert _text(widget, 2, GRAD) == "tensor(2.) → tensor(4.)"
    assert _text(widget, 3, GRAD) == "tensor(0.) → tensor(6.)"  # zero_() between passes


def test_non_leaf_inputs_do_not_store_grad(qapp: object) -> None:
    run = run_script((EXAMPLES / "neuron.py").read_text(encoding="utf-8"))
    rows = [step_row(run, k) for k in range(1, len(run.steps) + 1)]
    first = rows[0]
    assert first.edge == "out → n" and first.grad == NOT_STORED and not first.stored
    assert any(row.created and row.edge.endswith("→ b") for row in rows)


def test_rows_are_made_only_when_shown(qapp: object, qtbot: object) -> None:
    source = ("import torch\nx = torch.tensor(1.0, requires_grad=True)\ny = x\n"
              "for i in range(3000):\n    y = y * 1.0\ny.backward()\n")
    document = run_document(source)
    assert document.step_count == 3000
    widget = StepsPanel(document)
    qtbot.addWidget(widget)
    widget.resize(900, 300)
    widget.show()
    qtbot.waitExposed(widget)
    assert len(widget.model._rows) < 200
    document.to_end()
    assert widget.current_row == 3000
    assert _text(widget, 3000, GRAD) == "None → tensor(1.)"


def test_new_run_resets_rows(doc: Document, panel: StepsPanel) -> None:
    doc.to_end()
    doc.set_text(doc.text.replace("x ** 2", "x ** 3"))
    doc.execute()
    assert _text(panel, 1, CHAIN) == "1. × 12. = 12."
    assert panel.current_row == doc.step == 1


def test_a_narrow_dock_keeps_the_grad_column_readable(qtbot: object) -> None:
    document = run_document((EXAMPLES / "gradient_accumulation.py").read_text(encoding="utf-8"))
    widget = StepsPanel(document)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    widget.resize(1100, 300)
    qtbot.wait(10)
    assert not widget.table.isColumnHidden(GRAD_FN)
    widget.resize(560, 300)
    qtbot.wait(10)
    assert widget.table.isColumnHidden(GRAD_FN)  # it goes first: the canvas shows it too
    table, metrics = widget.table, widget.table.fontMetrics()
    visible = sum(table.columnWidth(c) for c in range(len(HEADERS)) if not table.isColumnHidden(c))
    assert visible <= table.viewport().width() + 1  # no sideways scrolling
    for row in range(1, widget.model.rowCount()):
        text = _text(widget, row, GRAD)
        font = widget.model.index(row, GRAD).data(Qt.ItemDataRole.FontRole)
        width = (metrics if font is None else type(metrics)(font)).horizontalAdvance(text)
        assert width + 8 <= table.columnWidth(GRAD), text

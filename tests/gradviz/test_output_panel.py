"""The output dock shows exactly what the script printed, then its warnings and its error."""

from __future__ import annotations

import pytest

from gradviz.app.document import Document
from gradviz.panels import style
from gradviz.panels.output import OutputPanel
from gradviz.resources import resources_dir, tutorial
from tests.gradviz.documents import run_document

pytest.importorskip("PySide6.QtWidgets")
from PySide6.QtCore import Qt  # noqa: E402

EXAMPLES = resources_dir() / "examples"
FAILING = ("import torch\nprint('before')\ns = torch.nn.functional.softmax(torch.ones(3))\n"
           "x = torch.tensor(2.0, requires_grad=True)\ny = x ** 3\ny.backward()\ny.backward()\n")


@pytest.fixture
def doc(qapp: object) -> Document:
    return run_document(tutorial().read_text(encoding="utf-8"))


@pytest.fixture
def panel(doc: Document, qtbot: object) -> OutputPanel:
    widget = OutputPanel(doc)
    qtbot.addWidget(widget)
    widget.resize(700, 300)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_output_is_exactly_what_the_script_printed(doc: Document, panel: OutputPanel) -> None:
    assert panel.objectName() == "output"
    assert panel.text == doc.run.output == "tensor(4.)\n"
    for path in sorted(EXAMPLES.glob("*.py")):
        doc.set_text(path.read_text(encoding="utf-8"))
        run = doc.execute()
        assert panel.text.startswith(run.output), path.name
        if run.ok and not run.warnings:
            assert panel.text == run.output, path.name


def test_error_and_warning_follow_in_colour(doc: Document, panel: OutputPanel) -> None:
    doc.set_text(FAILING)
    run = doc.execute()
    assert run.error is not None and run.warnings
    lines = panel.text.splitlines()
    assert lines[0] == "before"
    assert lines[-1] == str(run.error)
    assert str(run.warnings[0]) in panel.text
    colors = style.colors(panel.palette())
    document = panel.view.document()
    assert _colours(document.findBlockByNumber(document.blockCount() - 1)) == {
        colors.error.name()}
    assert _colours(document.findBlockByNumber(1)) == {colors.warning.name()}
    assert _colours(document.findBlockByNumber(0)) != {colors.error.name()}


def _colours(block: object) -> set[str]:
    """The text colours used in a block of the output."""
    found = set()
    iterator = block.begin()  # type: ignore[attr-defined]
    while not iterator.atEnd():
        fragment = iterator.fragment()
        if fragment.isValid():
            found.add(fragment.charFormat().foreground().color().name())
        iterator += 1
    return found


def test_clicking_the_error_selects_its_line(doc: Document, panel: OutputPanel,
                                             qtbot: object) -> None:
    doc.set_text(FAILING)
    run = doc.execute()
    document = panel.view.document()
    block = document.findBlockByNumber(document.blockCount() - 1)
    rect = panel.view.blockBoundingGeometry(block).translated(panel.view.contentOffset())
    with qtbot.waitSignal(doc.line_selected, timeout=1000) as blocker:
        qtbot.mouseClick(panel.view.viewport(), Qt.MouseButton.LeftButton,
                         pos=rect.center().toPoint())
    assert blocker.args == [run.error.line]


def test_output_greys_while_running(doc: Document, panel: OutputPanel) -> None:
    doc.run_started.emit()
    assert not panel.view.isEnabled()
    doc.execute()
    assert panel.view.isEnabled()


def _colours_by_line(panel: OutputPanel) -> list[tuple[str, str]]:
    """Each output line with the colour of its first character."""
    from PySide6.QtGui import QTextCursor

    lines = []
    block = panel.view.document().firstBlock()
    while block.isValid():
        if block.text():
            cursor = QTextCursor(block)
            cursor.movePosition(QTextCursor.MoveOperation.NextCharacter)
            lines.append((block.text(), cursor.charFormat().foreground().color().name()))
        block = block.next()
    return lines


def test_what_is_printed_after_the_step_shown_is_greyed(qtbot: object) -> None:
    doc = run_document((EXAMPLES / "gradient_accumulation.py").read_text(encoding="utf-8"))
    panel = OutputPanel(doc)
    qtbot.addWidget(panel)
    muted = style.colors(panel.palette()).none.name()
    doc.set_step(0)  # before backward: nothing printed yet (every print follows a backward)
    assert {colour for _, colour in _colours_by_line(panel)} == {muted}
    assert panel.text == doc.run.output  # the text stays whole, only its colour changes
    doc.set_step(1)
    lines = _colours_by_line(panel)
    assert lines[0] == ("after one backward: tensor(2.)", lines[0][1]) and lines[0][1] != muted
    assert all(colour == muted for _, colour in lines[1:])
    doc.set_step(doc.step_count)
    assert muted not in {colour for _, colour in _colours_by_line(panel)}

"""The script editor: text in sync with the document, Ctrl+Enter runs, errors underlined where
they happened, the cursor's line reported, the selected node's lines highlighted."""

from __future__ import annotations

import pytest

from gradviz.app.document import Document
from gradviz.editor.diagnostics import ERROR, WARNING, diagnostics, underline_span
from gradviz.editor.panel import EditorPanel
from gradviz.resources import tutorial
from gradviz.script import run_script
from tests.gradviz.documents import run_document

pytest.importorskip("PySide6.QtWidgets")
from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtGui import QTextCharFormat, QTextCursor  # noqa: E402

ERROR_SCRIPT = "import torch\nx = torch.tensor([1.0, 2.0])\nz = x + foo\n"
WARNING_SCRIPT = "import torch\ns = torch.nn.functional.softmax(torch.ones(3))\n"


@pytest.fixture
def doc(qapp: object) -> Document:
    return run_document(tutorial().read_text(encoding="utf-8"))


@pytest.fixture
def panel(doc: Document, qtbot: object) -> EditorPanel:
    widget = EditorPanel(doc)
    qtbot.addWidget(widget)
    widget.resize(700, 400)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def _move_to_line(panel: EditorPanel, line: int) -> None:
    block = panel.editor.document().findBlockByNumber(line - 1)
    cursor = panel.editor.textCursor()
    cursor.setPosition(block.position())
    panel.editor.setTextCursor(cursor)


def test_text_syncs_both_ways_without_loops(doc: Document, panel: EditorPanel,
                                            qtbot: object) -> None:
    assert panel.objectName() == "editor"
    assert panel.editor.toPlainText() == doc.text
    changes: list[None] = []
    doc.text_changed.connect(lambda: changes.append(None))
    panel.editor.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(panel.editor, "z = y")
    assert doc.text.endswith("z = y")
    assert doc.dirty
    assert len(changes) == len("z = y")
    doc.set_text("import torch\n")
    assert panel.editor.toPlainText() == "import torch\n"
    assert len(changes) == len("z = y") + 1


def test_ctrl_enter_and_the_run_button_request_a_run(doc: Document, panel: EditorPanel,
                                                     qtbot: object) -> None:
    before = panel.editor.toPlainText()
    for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
        with qtbot.waitSignal(doc.run_requested, timeout=1000):
            qtbot.keyClick(panel.editor, key, Qt.KeyboardModifier.ControlModifier)
    assert panel.editor.toPlainText() == before  # no newline was typed
    with qtbot.waitSignal(doc.run_requested, timeout=1000):
        qtbot.mouseClick(panel.run_button, Qt.MouseButton.LeftButton)


def test_run_as_i_type_is_off_by_default_and_runs_after_a_pause(
        doc: Document, panel: EditorPanel, qtbot: object) -> None:
    assert not panel.auto_run.isChecked()
    requested: list[None] = []
    doc.run_requested.connect(lambda: requested.append(None))
    qtbot.keyClicks(panel.editor, "# ")
    qtbot.wait(50)
    assert not panel._typing_timer.isActive() and not requested
    panel.auto_run.setChecked(True)
    panel._typing_timer.setInterval(20)
    with qtbot.waitSignal(doc.run_requested, timeout=2000):
        qtbot.keyClicks(panel.editor, "a")


def test_error_is_underlined_at_its_line_and_column(doc: Document, panel: EditorPanel) -> None:
    doc.set_text(ERROR_SCRIPT)
    doc.execute()
    [mark] = panel.editor.diagnostics
    assert (mark.severity, mark.line, mark.col, mark.end_col) == (ERROR, 3, 9, 12)
    waves = [s for s in panel.editor.extraSelections()
             if s.format.underlineStyle() == QTextCharFormat.UnderlineStyle.WaveUnderline]
    assert len(waves) == 1
    cursor = waves[0].cursor
    assert cursor.block().blockNumber() == 2
    assert cursor.selectedText() == "foo"
    assert waves[0].format.underlineColor() == panel.editor._colors.error
    assert panel.message.isVisibleTo(panel)
    assert "3:9" in panel.message.text()
    assert "NameError: name 'foo' is not defined" in panel.message.text()
    doc.set_text(tutorial().read_text(encoding="utf-8"))
    doc.execute()
    assert not panel.editor.diagnostics and not panel.message.isVisibleTo(panel)


def test_warnings_are_marked_in_amber(doc: Document, panel: EditorPanel) -> None:
    doc.set_text(WARNING_SCRIPT)
    doc.execute()
    [mark] = panel.editor.diagnostics
    assert (mark.severity, mark.line, mark.col) == (WARNING, 2, 5)
    waves = [s for s in panel.editor.extraSelections()
             if s.format.underlineStyle() == QTextCharFormat.UnderlineStyle.WaveUnderline]
    assert waves[0].format.underlineColor() == panel.editor._colors.warning
    assert waves[0].cursor.selectedText() == "torch.nn.functional.softmax(torch.ones(3))"


def test_cursor_line_is_reported(doc: Document, panel: EditorPanel, qtbot: object) -> None:
    with qtbot.waitSignal(doc.line_selected, timeout=1000) as blocker:
        _move_to_line(panel, 4)
    assert blocker.args == [4]
    lines: list[int] = []
    doc.line_selected.connect(lines.append)
    cursor = panel.editor.textCursor()
    cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock)
    panel.editor.setTextCursor(cursor)  # same line: nothing new to report
    assert lines == []


def test_clicking_the_current_line_reports_it_again(doc: Document, panel: EditorPanel,
                                                    qtbot: object) -> None:
    _move_to_line(panel, 4)
    rect = panel.editor.cursorRect()
    with qtbot.waitSignal(doc.line_selected, timeout=1000) as blocker:
        qtbot.mouseClick(panel.editor.viewport(), Qt.MouseButton.LeftButton,
                         pos=rect.center())
    assert blocker.args == [4]


def test_selection_highlights_its_lines(doc: Document, panel: EditorPanel) -> None:
    y = next(k for k, d in doc.run.graph.nodes(data=True) if d.get("label") == "y")
    doc.select(y)
    assert panel.editor.marked_lines == (4, 4)
    marked = [s for s in panel.editor.extraSelections()
              if s.format.background().color() == panel.editor._colors.mark]
    assert [s.cursor.blockNumber() for s in marked] == [3]
    doc.select(None)
    assert panel.editor.marked_lines is None


def test_line_picked_elsewhere_moves_the_cursor(doc: Document, panel: EditorPanel) -> None:
    doc.select_line(5)
    assert panel.editor.current_line == 5


def test_tab_inserts_four_spaces_and_enter_keeps_indent(panel: EditorPanel,
                                                        qtbot: object) -> None:
    panel.editor.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(panel.editor, "for i in range(2):")
    qtbot.keyClick(panel.editor, Qt.Key.Key_Return)
    qtbot.keyClicks(panel.editor, "pass")
    assert panel.editor.toPlainText().endswith("for i in range(2):\n    pass")
    qtbot.keyClick(panel.editor, Qt.Key.Key_Return)
    qtbot.keyClick(panel.editor, Qt.Key.Key_Tab)
    assert panel.editor.toPlainText().endswith("    pass\n        ")


def test_highlighter_colours_keywords_strings_and_torch(panel: EditorPanel) -> None:
    panel.editor.setPlainText('import torch\nx = torch.tensor(2.0)  # c\ns = f"{x} ok"\n')
    highlighter = panel.editor.highlighter

    def colour_at(line: int, column: int) -> str:
        block = panel.editor.document().findBlockByNumber(line)
        for fmt in block.layout().formats():
            if fmt.start <= column < fmt.start + fmt.length:
                return fmt.format.foreground().color().name()
        return ""

    assert colour_at(0, 0) == highlighter.format_for("keyword").foreground().color().name()
    assert colour_at(1, 4) == highlighter.format_for("torch").foreground().color().name()
    assert colour_at(1, 10) == highlighter.format_for("torch").foreground().color().name()
    assert colour_at(1, 17) == highlighter.format_for("number").foreground().color().name()
    assert colour_at(1, 23) == highlighter.format_for("comment").foreground().color().name()
    assert colour_at(2, 4) == highlighter.format_for("string").foreground().color().name()
    assert colour_at(2, 6) == highlighter.format_for("fstring").foreground().color().name()


def test_underline_spans_cover_the_failing_expression() -> None:
    source = "import torch\nx = torch.ones(2) + torch.ones(3)\ny.backward()\n"
    assert underline_span(source, 2, 5) == (5, 34)
    assert underline_span(source, 3, 1) == (1, 13)
    assert underline_span("x = (1,\n", 1, 5) == (5, 6)  # unparsable: the character
    assert underline_span("x = 1\n", 1, 40) == (5, 6)  # past the end: the last character
    run = run_script("import torch\nx = torch.ones(2) + torch.ones(3)\n")
    [mark] = diagnostics(run)
    assert (mark.line, mark.col, mark.end_col) == (2, 5, 34)

"""The output dock: what the script printed, exactly, then its warnings and its error as Python
would show them (`FILE:LINE:COL: message`). Clicking a warning or the error selects its line.
What the script printed after the step shown (a `print(x.grad)` after `backward()`, seen before
backward) is greyed, with the step it follows in its tooltip."""

from __future__ import annotations

import html

from PySide6.QtCore import QEvent, QSize, Qt, Signal
from PySide6.QtGui import QMouseEvent, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QPlainTextEdit, QVBoxLayout, QWidget

from gradviz.app.document import Document
from gradviz.panels import style
from gradviz.script.run import Run

PLACEHOLDER = "What the script prints appears here."


class OutputView(QPlainTextEdit):
    """Read-only monospace text whose error and warning lines can be clicked."""

    line_clicked = Signal(int)  # the script line of the clicked error or warning

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("outputText")
        self.setReadOnly(True)
        self.setFont(style.monospace(style.CODE_POINT_SIZE))
        self.setPlaceholderText(PLACEHOLDER)
        # Printed tensors keep their rows and columns, as in a terminal wide enough for them.
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.setMouseTracking(True)
        self.links: dict[int, int] = {}  # block number → script line

    def link_at(self, event: QMouseEvent) -> int | None:
        block = self.cursorForPosition(event.position().toPoint()).blockNumber()
        return self.links.get(block)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        super().mouseMoveEvent(event)
        shape = (Qt.CursorShape.PointingHandCursor if self.link_at(event) is not None
                 else Qt.CursorShape.IBeamCursor)
        self.viewport().setCursor(shape)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        super().mouseReleaseEvent(event)
        line = self.link_at(event)
        if line is not None and not self.textCursor().hasSelection():
            self.line_clicked.emit(line)


class OutputPanel(QWidget):
    """`run.output`, then the run's warnings (amber) and error (red)."""

    def __init__(self, document: Document, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("output")
        self.document = document
        self.view = OutputView(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)
        self.view.line_clicked.connect(document.select_line)
        document.run_started.connect(self._run_started)
        document.run_changed.connect(self.show_run)
        document.step_changed.connect(self._step_changed)
        self._printed_so_far = -1  # how many pieces of the output are shown as printed
        if document.run is not None:
            self.show_run(document.run)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(560, 200)

    @property
    def text(self) -> str:
        return self.view.toPlainText()

    def printed_by(self, run: Run, k: int) -> int:
        """How many pieces of `run`'s output the script had printed at step k."""
        return sum(1 for before, _ in run.printed if before <= k)

    def _step_changed(self, k: int) -> None:
        run = self.document.run
        if run is not None and self.printed_by(run, k) != self._printed_so_far:
            self.show_run(run)

    def show_run(self, run: Run) -> None:
        """Replace the text with this run's output, warnings and error."""
        colors = style.colors(self.palette())
        view = self.view
        view.setEnabled(True)
        view.clear()
        view.links.clear()
        cursor = QTextCursor(view.document())
        step = self.document.step
        self._printed_so_far = self.printed_by(run, step)
        later = QTextCharFormat()  # like a None pill: light and italic, not yet there
        later.setForeground(colors.none)
        later.setFontItalic(True)
        for before, text in run.printed:
            if before <= step:
                cursor.insertText(text, QTextCharFormat())
            else:
                later.setToolTip(f"Printed after step {before}: the script runs on past the "
                                 f"step shown (step {step}).")
                cursor.insertText(text, later)
        problems = [(warning, colors.warning) for warning in run.warnings]
        if run.error is not None:
            problems.append((run.error, colors.error))
        for problem, colour in problems:
            if not view.document().toPlainText().endswith("\n") and \
                    view.document().characterCount() > 1:
                cursor.insertText("\n", QTextCharFormat())
            fmt = QTextCharFormat()
            fmt.setForeground(colour)
            fmt.setFontWeight(700 if colour == colors.error else 400)
            fmt.setToolTip(f"<p>{html.escape(problem.message)}</p>"  # rich text: wrapped
                           f"<p><i>Click to show line {problem.line} in the script.</i></p>")
            first_block = cursor.blockNumber()
            cursor.insertText(str(problem), fmt)
            for number in range(first_block, cursor.blockNumber() + 1):
                view.links[number] = problem.line
        view.moveCursor(QTextCursor.MoveOperation.End)
        view.moveCursor(QTextCursor.MoveOperation.StartOfBlock)  # the last line, from its start
        view.ensureCursorVisible()
        view.horizontalScrollBar().setValue(0)

    def _run_started(self) -> None:
        self.view.setEnabled(False)  # greyed while the script runs: this output is stale

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange) \
                and self.document.run is not None:
            self.show_run(self.document.run)

"""The script dock: the editor, a Run button, and the run's errors and warnings in place.

It keeps the editor's text and the document's in step both ways, tells the document when the
cursor moves to another line, and tints the lines of the node selected anywhere else.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QEvent, QSize, Qt, QTimer
from PySide6.QtGui import QKeySequence, QMouseEvent, QPalette, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from gradviz.app.document import Document
from gradviz.app.icons import glyph
from gradviz.editor.code_editor import CodeEditor
from gradviz.editor.diagnostics import ERROR, Diagnostic, diagnostics
from gradviz.panels import style
from gradviz.script.run import Run

#: Pause in typing after which "Run as I type" runs the script, in milliseconds.
TYPING_PAUSE_MS = 800


class DiagnosticLabel(QLabel):
    """`line 11:1 — RuntimeError: …` under the editor; a click puts the cursor there."""

    def __init__(self, panel: EditorPanel) -> None:
        super().__init__(panel)
        self.setObjectName("diagnostic")
        self.panel = panel
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self.setContentsMargins(8, 6, 8, 6)
        self.hide()

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        self.panel.go_to_diagnostic()
        super().mousePressEvent(event)


class EditorPanel(QWidget):
    """Editor + Run button + diagnostics, bound to a `Document`."""

    def __init__(self, document: Document, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("editor")
        self.document = document
        self._syncing = False
        self._shown: list[Diagnostic] = []

        self.run_button = QPushButton(glyph("run"), "Run", self)  # not ▶: that is Play
        self.run_button.setObjectName("runButton")
        self.run_button.setToolTip("Run the script and rebuild the graph (Ctrl+Enter)")
        self.auto_run = QCheckBox("Run as I type", self)
        self.auto_run.setObjectName("autoRun")
        self.auto_run.setToolTip("Run the script again after a short pause in typing")
        self.status = QLabel(self)
        self.status.setObjectName("runStatus")
        # it may shrink (clipped) so a narrow dock leaves the graph its room
        self.status.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.status.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.editor = CodeEditor(self)
        self.message = DiagnosticLabel(self)

        bar = QHBoxLayout()
        bar.setContentsMargins(6, 4, 6, 4)
        bar.addWidget(self.run_button)
        bar.addWidget(self.auto_run)
        bar.addWidget(self.status, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(bar)
        layout.addWidget(self.editor, 1)
        layout.addWidget(self.message)

        self._typing_timer = QTimer(self)
        self._typing_timer.setObjectName("typingTimer")
        self._typing_timer.setSingleShot(True)
        self._typing_timer.setInterval(TYPING_PAUSE_MS)
        self._typing_timer.timeout.connect(self.document.request_run)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(self.document.request_run)

        self.run_button.clicked.connect(self.document.request_run)
        self.editor.run_shortcut.connect(self.document.request_run)
        self.editor.textChanged.connect(self._editor_text_changed)
        self.editor.current_line_changed.connect(self._line_changed)
        self.editor.line_clicked.connect(self._line_changed)
        self.auto_run.toggled.connect(self._auto_run_toggled)
        document.text_changed.connect(self._document_text_changed)
        document.run_started.connect(self._run_started)
        document.run_changed.connect(self._run_changed)
        document.selection_changed.connect(self._selection_changed)
        document.line_selected.connect(self._line_selected)
        self._document_text_changed()
        if document.run is not None:
            self._run_changed(document.run)
        self._apply_palette()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(560, 480)

    # --- text, both ways -----------------------------------------------------------------------
    def _editor_text_changed(self) -> None:
        if self._syncing:
            return
        self._syncing = True
        try:
            self.document.set_text(self.editor.toPlainText())
        finally:
            self._syncing = False
        if self.auto_run.isChecked():
            self._typing_timer.start()

    def _document_text_changed(self) -> None:
        if self._syncing or self.editor.toPlainText() == self.document.text:
            return
        self._syncing = True
        try:
            self.editor.replace_text(self.document.text)
        finally:
            self._syncing = False

    def _auto_run_toggled(self, on: bool) -> None:
        if not on:
            self._typing_timer.stop()

    # --- lines and selection -------------------------------------------------------------------
    def _line_changed(self, line: int) -> None:
        if not self._syncing:
            self.document.select_line(line)

    def _selection_changed(self, key: str | None) -> None:
        lines = self.document.line_of(key) if key is not None else None
        self.editor.set_marked_lines(lines)
        if lines is not None:
            self.editor.reveal_line(lines[0])

    def _line_selected(self, line: int) -> None:
        """Another view picked a line (an error in the output): put the cursor there."""
        if line == self.editor.current_line or self._syncing:
            return
        block = self.editor.document().findBlockByNumber(line - 1)
        if not block.isValid():
            return
        self._syncing = True
        try:
            cursor = self.editor.textCursor()
            cursor.setPosition(block.position())
            self.editor.setTextCursor(cursor)
            self.editor.centerCursor()
        finally:
            self._syncing = False

    def go_to_diagnostic(self) -> None:
        """Put the cursor at the first problem shown and focus the editor."""
        if not self._shown:
            return
        diagnostic = self._shown[0]
        block = self.editor.document().findBlockByNumber(diagnostic.line - 1)
        if not block.isValid():
            return
        cursor = self.editor.textCursor()
        cursor.setPosition(block.position() + min(diagnostic.col - 1, block.length() - 1))
        self.editor.setTextCursor(cursor)
        self.editor.centerCursor()
        self.editor.setFocus()

    # --- runs ----------------------------------------------------------------------------------
    def _run_started(self) -> None:
        self.status.setText("running…")

    def _run_changed(self, run: Run) -> None:
        self._shown = diagnostics(run)
        self.editor.set_diagnostics(self._shown)
        self.status.setText(_status_text(run))
        self._show_message()

    def _show_message(self) -> None:
        if not self._shown:
            self.message.hide()
            return
        colors = style.colors(self.palette())
        parts = []
        for diagnostic in self._shown[:3]:
            colour = colors.error if diagnostic.severity == ERROR else colors.warning
            kind = "Error" if diagnostic.severity == ERROR else "Warning"
            message = html.escape(diagnostic.message, quote=False)
            parts.append(f"<span style='color:{style.css(colour)}'><b>{kind} at line "
                         f"{diagnostic.location}</b> — {message}</span>")
        if len(self._shown) > 3:
            parts.append(f"<i>and {len(self._shown) - 3} more (see Output)</i>")
        self.message.setText("<br>".join(parts))
        first = colors.error if self._shown[0].severity == ERROR else colors.warning
        fill = type(first)(first)
        fill.setAlpha(30)
        self.message.setStyleSheet(
            f"QLabel#diagnostic {{ background: {style.css(fill)}; "
            f"border-top: 2px solid {style.css(first)}; }}")
        self.message.show()

    # --- look ----------------------------------------------------------------------------------
    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            self._apply_palette()

    def _apply_palette(self) -> None:
        colors = style.colors(self.palette())
        self.status.setStyleSheet(f"color: {style.css(colors.muted)}")
        # Fusion fills a check box with Base and outlines it a shade darker than Window: on a
        # dark window neither shows, so the box gets a lighter fill there.
        box = QPalette()
        if colors.dark:
            box.setColor(QPalette.ColorRole.Base, colors.control)
        self.auto_run.setPalette(box)
        self._show_message()


def _status_text(run: Run) -> str:
    if run.error is not None:
        return "stopped with an error"
    steps = len(run.steps)
    if steps:
        return f"ran · {steps} backward step{'s' if steps != 1 else ''}"
    return "ran · no backward()"


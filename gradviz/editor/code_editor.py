"""The script editor: line numbers, current line, marked lines and inline error annotations.

Marks are layers of `ExtraSelection`s (current line, the selected node's lines, diagnostics);
the messages of errors and warnings are painted after the end of their line, as editors such
as VS Code's Error Lens do, so the learner reads the error where it happened.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFontMetricsF,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QResizeEvent,
    QTextCharFormat,
    QTextCursor,
    QTextFormat,
)
from PySide6.QtWidgets import QPlainTextEdit, QTextEdit, QWidget

from gradviz.editor.diagnostics import ERROR, Diagnostic
from gradviz.editor.highlighter import PythonHighlighter
from gradviz.panels import style

INDENT = " " * 4
_RUN_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


class LineNumberArea(QWidget):
    """The gutter: line numbers, red/amber for lines with an error/warning."""

    def __init__(self, editor: CodeEditor) -> None:
        super().__init__(editor)
        self.setObjectName("lineNumbers")
        self.editor = editor

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(self.editor.gutter_width(), 0)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        self.editor.paint_gutter(event)


class CodeEditor(QPlainTextEdit):
    """A monospace Python editor; Tab indents by four spaces, Ctrl+Enter asks to run."""

    run_shortcut = Signal()
    current_line_changed = Signal(int)  # 1-based, when the cursor moves to another line
    line_clicked = Signal(int)  # a click on the line the cursor is already on

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("codeEditor")
        self.setFont(style.monospace(style.CODE_POINT_SIZE))
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.setTabStopDistance(QFontMetricsF(self.font()).horizontalAdvance(" ") * 4)
        self.gutter = LineNumberArea(self)
        self.highlighter = PythonHighlighter(self.document(), style.is_dark(self.palette()))
        self._colors = style.colors(self.palette())
        self._layers: dict[str, list[QTextEdit.ExtraSelection]] = {}
        self._diagnostics: list[Diagnostic] = []
        self._marked: tuple[int, int] | None = None
        self._line = 1
        self.blockCountChanged.connect(self._update_gutter_width)
        self.updateRequest.connect(self._update_gutter)
        self.cursorPositionChanged.connect(self._cursor_moved)
        self._update_gutter_width()
        self._highlight_current_line()

    # --- public API ----------------------------------------------------------------------------
    @property
    def current_line(self) -> int:
        """The cursor's line, 1-based."""
        return self.textCursor().blockNumber() + 1

    @property
    def diagnostics(self) -> list[Diagnostic]:
        return list(self._diagnostics)

    @property
    def marked_lines(self) -> tuple[int, int] | None:
        return self._marked

    def replace_text(self, text: str) -> None:
        """Show a new script (a file was opened): marks cleared, no cursor-line report."""
        blocked = self.blockSignals(True)
        try:
            self.setPlainText(text)
        finally:
            self.blockSignals(blocked)
        self._line = 1
        self._layers.clear()
        self._diagnostics = []
        self._marked = None
        self._update_gutter_width()
        self._highlight_current_line()
        self.gutter.update()
        self.viewport().update()

    def set_diagnostics(self, diagnostics: list[Diagnostic]) -> None:
        """Underline each problem with a wavy line and paint its message after the line."""
        self._diagnostics = list(diagnostics)
        lines = []
        spans = []
        for diagnostic in self._diagnostics:
            cursor = self._span_cursor(diagnostic.line, diagnostic.col, diagnostic.end_col)
            if cursor is None:
                continue
            colour = self._severity_color(diagnostic.severity)
            line = QTextEdit.ExtraSelection()
            line.format.setBackground(_tint(colour, 22))
            line.format.setProperty(QTextFormat.Property.FullWidthSelection, True)
            line.cursor = QTextCursor(cursor.block())
            lines.append(line)
            span = QTextEdit.ExtraSelection()
            fmt = QTextCharFormat()
            fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
            fmt.setUnderlineColor(colour)
            fmt.setBackground(_tint(colour, 40))
            fmt.setToolTip(f"{diagnostic.location}: {diagnostic.message}")
            span.format = fmt
            span.cursor = cursor
            spans.append(span)
        selections = lines + spans
        self._set_layer("diagnostics", selections)
        self.gutter.update()
        self.viewport().update()

    def set_marked_lines(self, lines: tuple[int, int] | None) -> None:
        """Tint lines first..last (1-based) as the selected node's, or clear with None."""
        self._marked = lines
        selections = []
        if lines is not None:
            first, last = lines
            for line in range(first, last + 1):
                block = self.document().findBlockByNumber(line - 1)
                if not block.isValid():
                    continue
                selection = QTextEdit.ExtraSelection()
                selection.format.setBackground(self._colors.mark)
                selection.format.setProperty(QTextFormat.Property.FullWidthSelection, True)
                selection.cursor = QTextCursor(block)
                selections.append(selection)
        self._set_layer("marked", selections)
        self.gutter.update()

    def reveal_line(self, line: int) -> None:
        """Scroll so `line` is on screen, without moving the cursor."""
        block = self.document().findBlockByNumber(line - 1)
        if not block.isValid():
            return
        first = self.firstVisibleBlock().blockNumber()
        visible = max(1, int(self.viewport().height() / max(1.0, self.blockBoundingRect(
            block).height())))
        if first <= block.blockNumber() < first + visible - 1:
            return
        bar = self.verticalScrollBar()
        bar.setValue(max(0, block.blockNumber() - visible // 3))

    def set_dark(self, dark: bool) -> None:
        self.highlighter.set_dark(dark)

    # --- gutter --------------------------------------------------------------------------------
    def gutter_width(self) -> int:
        digits = len(str(max(1, self.blockCount())))
        return int(12 + self.fontMetrics().horizontalAdvance("9") * max(2, digits) + 8)

    def _update_gutter_width(self, *_: object) -> None:
        self.setViewportMargins(self.gutter_width(), 0, 0, 0)

    def _update_gutter(self, rect: QRect, dy: int) -> None:
        if dy:
            self.gutter.scroll(0, dy)
        else:
            self.gutter.update(0, rect.y(), self.gutter.width(), rect.height())
        if rect.contains(self.viewport().rect()):
            self._update_gutter_width()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        rect = self.contentsRect()
        self.gutter.setGeometry(QRect(rect.left(), rect.top(), self.gutter_width(),
                                      rect.height()))

    def paint_gutter(self, event: QPaintEvent) -> None:
        painter = QPainter(self.gutter)
        palette = self.palette()
        painter.fillRect(event.rect(), palette.color(palette.ColorRole.Window))
        by_line = {}
        for diagnostic in self._diagnostics:
            if by_line.get(diagnostic.line) != ERROR:
                by_line[diagnostic.line] = diagnostic.severity
        current = self.current_line
        block = self.firstVisibleBlock()
        top = self.blockBoundingGeometry(block).translated(self.contentOffset()).top()
        width = self.gutter.width()
        height = self.fontMetrics().height()
        while block.isValid() and top <= event.rect().bottom():
            bottom = top + self.blockBoundingRect(block).height()
            line = block.blockNumber() + 1
            if block.isVisible() and bottom >= event.rect().top():
                marked = self._marked is not None and self._marked[0] <= line <= self._marked[1]
                if marked:
                    painter.fillRect(QRectF(0, top, 4, bottom - top), self._colors.accent)
                font = self.font()
                severity = by_line.get(line)
                if severity is not None:
                    painter.setPen(self._severity_color(severity))
                    font.setBold(True)
                elif line == current:
                    painter.setPen(palette.color(palette.ColorRole.Text))
                else:
                    painter.setPen(self._colors.muted)
                painter.setFont(font)
                painter.drawText(QRectF(0, top, width - 8, height),
                                 Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                                 str(line))
            block = block.next()
            top = bottom
        painter.end()

    # --- inline annotations --------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        super().paintEvent(event)
        if not self._diagnostics:
            return
        painter = QPainter(self.viewport())
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        font = self.font()
        font.setItalic(True)
        painter.setFont(font)
        metrics = painter.fontMetrics()
        shown: set[int] = set()
        for diagnostic in self._diagnostics:  # the error comes first; one message per line
            if diagnostic.line in shown:
                continue
            shown.add(diagnostic.line)
            block = self.document().findBlockByNumber(diagnostic.line - 1)
            if not block.isValid() or not block.isVisible():
                continue
            geometry = self.blockBoundingGeometry(block).translated(self.contentOffset())
            if geometry.bottom() < event.rect().top() or geometry.top() > event.rect().bottom():
                continue
            layout = block.layout()
            line_width = layout.lineAt(layout.lineCount() - 1).naturalTextWidth() \
                if layout.lineCount() else 0.0
            left = geometry.left() + line_width + self.document().documentMargin() + 24
            room = self.viewport().width() - left - 8
            if room < 60:
                continue
            text = metrics.elidedText(f"{_icon(diagnostic.severity)} {diagnostic.message}",
                                      Qt.TextElideMode.ElideRight, int(room - 12))
            box = QRectF(left, geometry.top() + 1, metrics.horizontalAdvance(text) + 12,
                         geometry.height() - 2)
            colour = self._severity_color(diagnostic.severity)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(_tint(colour, 38))
            painter.drawRoundedRect(box, 4, 4)
            painter.setPen(colour)
            painter.drawText(box.adjusted(6, 0, -6, 0),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, text)
        painter.end()

    # --- keys and mouse ------------------------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        key, modifiers = event.key(), event.modifiers()
        control = modifiers & Qt.KeyboardModifier.ControlModifier
        if key in _RUN_KEYS and control:
            self.run_shortcut.emit()
            return
        if key == Qt.Key.Key_Tab and not modifiers & ~Qt.KeyboardModifier.KeypadModifier:
            self._indent()
            return
        if key == Qt.Key.Key_Backtab:
            self._dedent()
            return
        if key in _RUN_KEYS and not modifiers & ~Qt.KeyboardModifier.KeypadModifier:
            self._newline_keeping_indent()
            return
        super().keyPressEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        before = self.current_line
        super().mousePressEvent(event)
        if self.current_line == before:
            self.line_clicked.emit(before)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            self._colors = style.colors(self.palette())
            self.highlighter.set_dark(style.is_dark(self.palette()))
            self.set_diagnostics(self._diagnostics)
            self.set_marked_lines(self._marked)
            self._highlight_current_line()

    def _indent(self) -> None:
        cursor = self.textCursor()
        if not cursor.hasSelection():
            column = cursor.positionInBlock()
            cursor.insertText(" " * (4 - column % 4))
            return
        self._for_selected_lines(lambda c: c.insertText(INDENT))

    def _dedent(self) -> None:
        def remove(cursor: QTextCursor) -> None:
            text = cursor.block().text()
            count = len(text) - len(text.lstrip(" "))
            for _ in range(min(4, count)):
                cursor.deleteChar()

        self._for_selected_lines(remove)

    def _for_selected_lines(self, edit: object) -> None:
        cursor = self.textCursor()
        document = self.document()
        first = document.findBlock(cursor.selectionStart()).blockNumber()
        last_position = max(cursor.selectionStart(), cursor.selectionEnd() - 1)
        last = document.findBlock(last_position).blockNumber()
        cursor.beginEditBlock()
        for number in range(first, last + 1):
            line = QTextCursor(document.findBlockByNumber(number))
            line.movePosition(QTextCursor.MoveOperation.StartOfBlock)
            edit(line)  # type: ignore[operator]
        cursor.endEditBlock()

    def _newline_keeping_indent(self) -> None:
        cursor = self.textCursor()
        text = cursor.block().text()[: cursor.positionInBlock()]
        indent = text[: len(text) - len(text.lstrip(" "))]
        if text.rstrip().endswith(":"):
            indent += INDENT
        cursor.insertText("\n" + indent)
        self.ensureCursorVisible()

    # --- internals -----------------------------------------------------------------------------
    def _cursor_moved(self) -> None:
        self._highlight_current_line()
        line = self.current_line
        if line != self._line:
            self._line = line
            self.gutter.update()
            self.current_line_changed.emit(line)

    def _highlight_current_line(self) -> None:
        selection = QTextEdit.ExtraSelection()
        selection.format.setBackground(self._colors.current_line)
        selection.format.setProperty(QTextFormat.Property.FullWidthSelection, True)
        selection.cursor = self.textCursor()
        selection.cursor.clearSelection()
        self._set_layer("current", [selection])

    def _set_layer(self, name: str, selections: list[QTextEdit.ExtraSelection]) -> None:
        self._layers[name] = selections
        ordered = []
        for layer in ("current", "marked", "diagnostics"):
            ordered.extend(self._layers.get(layer, []))
        self.setExtraSelections(ordered)

    def _span_cursor(self, line: int, col: int, end_col: int) -> QTextCursor | None:
        block = self.document().findBlockByNumber(line - 1)
        if not block.isValid():
            return None
        length = block.length() - 1
        start = min(max(col - 1, 0), length)
        end = min(max(end_col - 1, start), length)
        if end == start:
            if length == 0:
                return None
            start, end = max(0, start - 1), max(start, 1)
        cursor = QTextCursor(block)
        cursor.setPosition(block.position() + start)
        cursor.setPosition(block.position() + end, QTextCursor.MoveMode.KeepAnchor)
        return cursor

    def _severity_color(self, severity: str) -> QColor:
        return self._colors.error if severity == ERROR else self._colors.warning


def _tint(colour: QColor, alpha: int) -> QColor:
    tinted = QColor(colour)
    tinted.setAlpha(alpha)
    return tinted


def _icon(severity: str) -> str:
    return "✖" if severity == ERROR else "⚠"

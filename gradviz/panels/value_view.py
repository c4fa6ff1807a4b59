"""A read-only block of monospace text that keeps PyTorch's layout: a printed matrix is not
wrapped (it gets its own horizontal scroll bar), a one-line value wraps at its spaces; as tall
as its lines (up to a cap), and selectable for copying."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPalette, QResizeEvent
from PySide6.QtWidgets import QFrame, QPlainTextEdit, QSizePolicy, QWidget

from gradviz.panels import style

MAX_LINES = 14
#: Values up to this many characters on one line are shown at the large size, if one is set.
SHORT = 32


class ValueView(QPlainTextEdit):
    """Shows a tensor repr exactly as printed; never forces its parent wider.

    With `large` set, a short one-line value (`None`, `tensor(4.)`) is drawn that much bigger.
    """

    def __init__(self, name: str, parent: QWidget | None = None, large: float = 1.0) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setReadOnly(True)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                     | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.document().setDocumentMargin(0)
        self.viewport().setAutoFillBackground(False)
        self._large = large
        self._colour: QColor | None = None
        self._italic = self._bold = False
        self._restyle()

    def text(self) -> str:
        return self.toPlainText()

    def setText(self, text: str) -> None:  # noqa: N802 - QLabel's spelling, on purpose
        if text != self.toPlainText():
            self.setPlainText(text)
            self._restyle()

    def set_look(self, colour: QColor | None = None, *, italic: bool = False,
                 bold: bool = False) -> None:
        """Text colour (None: the palette's) and style."""
        self._colour, self._italic, self._bold = colour, italic, bold
        self._restyle()

    def _restyle(self) -> None:
        text = self.toPlainText()
        one_line = "\n" not in text
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth if one_line
                             else QPlainTextEdit.LineWrapMode.NoWrap)
        short = one_line and len(text) <= SHORT
        font = style.monospace(style.VALUE_POINT_SIZE * (self._large if short else 1.0))
        font.setItalic(self._italic)
        font.setWeight(QFont.Weight.Bold if self._bold else QFont.Weight.Normal)
        self.setFont(font)
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.Base, QColor(Qt.GlobalColor.transparent))
        if self._colour is not None:
            palette.setColor(QPalette.ColorRole.Text, self._colour)
        else:
            palette.setColor(QPalette.ColorRole.Text,
                             self.parentWidget().palette().color(QPalette.ColorRole.Text)
                             if self.parentWidget() else palette.color(QPalette.ColorRole.Text))
        self.setPalette(palette)
        self._fit()

    def _fit(self) -> None:
        metrics = QFontMetrics(self.font())
        if self.lineWrapMode() == QPlainTextEdit.LineWrapMode.WidgetWidth:
            wrapped = self.blockBoundingRect(self.document().firstBlock()).height()
            self.setFixedHeight(int(max(wrapped, metrics.lineSpacing()) + 6))
            return
        lines = self.toPlainText().splitlines() or [""]
        widest = max(metrics.horizontalAdvance(line) for line in lines)
        scroll = self.horizontalScrollBar().sizeHint().height() \
            if widest > self.viewport().width() else 0
        shown = min(MAX_LINES, len(lines))
        self.setFixedHeight(int(metrics.lineSpacing() * shown + 6 + scroll))

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._fit()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(100, self.height())

"""A read-only block of monospace text that keeps PyTorch's layout: no wrapping, its own
horizontal scroll bar, as tall as its lines (up to a cap), and selectable for copying."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QFrame, QPlainTextEdit, QSizePolicy, QWidget

from gradviz.panels import style

MAX_LINES = 14


class ValueView(QPlainTextEdit):
    """Shows a tensor repr exactly as printed; never forces its parent wider."""

    def __init__(self, name: str, parent: QWidget | None = None, scale: float = 1.0) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setReadOnly(True)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                     | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        font = style.monospace(style.VALUE_POINT_SIZE * scale)
        self.setFont(font)
        self.document().setDocumentMargin(0)
        self.viewport().setAutoFillBackground(False)
        self.setStyleSheet("QPlainTextEdit { background: transparent; }")

    def text(self) -> str:
        return self.toPlainText()

    def setText(self, text: str) -> None:  # noqa: N802 - QLabel's spelling, on purpose
        if text != self.toPlainText():
            self.setPlainText(text)
        self._fit()

    def _fit(self) -> None:
        metrics = QFontMetrics(self.font())
        lines = min(MAX_LINES, max(1, self.toPlainText().count("\n") + 1))
        widest = max((metrics.horizontalAdvance(line)
                      for line in self.toPlainText().splitlines()), default=0)
        scroll = self.horizontalScrollBar().sizeHint().height() \
            if widest > self.viewport().width() else 0
        self.setFixedHeight(int(metrics.lineSpacing() * lines + 6 + scroll))

    def resizeEvent(self, event: object) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)  # type: ignore[arg-type]
        self._fit()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(100, self.height())

"""The gradient in flight: a glowing dot that runs along the current edge, from the op back to
the input it feeds, while a step animates."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPointF, QRectF, QVariantAnimation
from PySide6.QtGui import QBrush, QColor, QPainter, QPainterPath, QPen, QRadialGradient
from PySide6.QtWidgets import QGraphicsObject, QStyleOptionGraphicsItem, QWidget

from gradviz.canvas.style import Style

Z_PULSE = 50.0


class PulseItem(QGraphicsObject):
    """A dot with a soft halo; `run(path, ms)` moves it along `path` backwards (the way the
    gradient flows) and hides it when done. Zero milliseconds means no animation at all."""

    def __init__(self, style: Style) -> None:
        super().__init__()
        self.style = style
        self.setZValue(Z_PULSE)
        self.setVisible(False)
        self._path = QPainterPath()
        self._animation = QVariantAnimation(self)
        self._animation.setStartValue(0.0)
        self._animation.setEndValue(1.0)
        self._animation.valueChanged.connect(self._move)
        self._animation.finished.connect(self._arrive)
        self._arrived: Callable[[], None] | None = None

    @property
    def radius(self) -> float:
        return self.style.length(7)

    def set_style(self, style: Style) -> None:
        self.prepareGeometryChange()
        self.style = style

    def run(self, path: QPainterPath, ms: int, arrived: Callable[[], None] | None = None) -> None:
        """Run along `path`; `arrived` is called when the dot reaches the input, or at once
        when there is no animation, or when it is stopped or replaced before then."""
        self.stop()
        self._arrived = arrived
        if ms <= 0 or path.isEmpty():
            self._arrive()
            return
        self._path = QPainterPath(path)
        self._animation.setDuration(ms)
        self._move(0.0)
        self.setVisible(True)
        self._animation.start()

    def stop(self) -> None:
        self._animation.stop()
        self._arrive()

    def _arrive(self) -> None:
        self.setVisible(False)
        arrived, self._arrived = self._arrived, None
        if arrived is not None:
            arrived()

    @property
    def running(self) -> bool:
        return self._animation.state() == QVariantAnimation.State.Running

    def _move(self, progress: float) -> None:
        # The edge is drawn input → op; the gradient runs op → input.
        self.setPos(self._path.pointAtPercent(1.0 - float(progress)))

    def boundingRect(self) -> QRectF:
        r = self.radius * 2.2
        return QRectF(-r, -r, 2 * r, 2 * r)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        accent = QColor(self.style.theme.accent)
        halo = QRadialGradient(QPointF(0, 0), self.radius * 2.2)
        glow = QColor(accent)
        glow.setAlphaF(0.45)
        clear = QColor(accent)
        clear.setAlphaF(0.0)
        halo.setColorAt(0.0, glow)
        halo.setColorAt(1.0, clear)
        painter.setPen(QPen(QColor(0, 0, 0, 0)))
        painter.setBrush(QBrush(halo))
        painter.drawEllipse(self.boundingRect())
        painter.setBrush(accent)
        painter.setPen(QPen(QColor(self.style.theme.background), self.style.line(1.5)))
        painter.drawEllipse(QPointF(0, 0), self.radius, self.radius)

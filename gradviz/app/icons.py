"""The toolbar's icons: vector glyphs drawn in the palette's button-text colour, so they are
crisp at any device pixel ratio and readable in the light and the dark theme alike."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPointF, QRect, QRectF, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QGuiApplication,
    QIcon,
    QIconEngine,
    QPainter,
    QPainterPath,
    QPainterPathStroker,
    QPalette,
    QPixmap,
    QPolygonF,
    QTransform,
)

GRID = 16.0  # glyphs are drawn on a 16 × 16 grid, scaled to the icon's size


def _triangle(left: float, right: float) -> QPainterPath:
    """A play triangle pointing right, between x = left and x = right."""
    path = QPainterPath()
    path.addPolygon(QPolygonF([QPointF(left, 2.5), QPointF(right, 8.0), QPointF(left, 13.5)]))
    path.closeSubpath()
    return path


def _bar(x: float, width: float = 2.0) -> QPainterPath:
    path = QPainterPath()
    path.addRect(QRectF(x, 2.5, width, 11.0))
    return path


def _mirrored(path: QPainterPath) -> QPainterPath:
    return QTransform(-1, 0, 0, 1, GRID, 0).map(path)


def _rerun() -> QPainterPath:
    """A circular arrow: run the script again."""
    arc = QPainterPath()
    arc.arcMoveTo(QRectF(2.5, 2.5, 11.0, 11.0), 60)
    arc.arcTo(QRectF(2.5, 2.5, 11.0, 11.0), 60, 280)
    stroker = QPainterPathStroker()
    stroker.setWidth(2.0)
    stroker.setCapStyle(Qt.PenCapStyle.FlatCap)
    path = stroker.createStroke(arc)
    head = QPainterPath()
    head.addPolygon(QPolygonF([QPointF(8.2, 0.6), QPointF(13.2, 3.0), QPointF(9.0, 6.6)]))
    head.closeSubpath()
    return path.united(head)


def _play() -> QPainterPath:
    return _triangle(3.5, 13.5)


def _pause() -> QPainterPath:
    return _bar(3.5, 3.0).united(_bar(9.5, 3.0))


def _step_forward() -> QPainterPath:
    return _triangle(2.5, 10.5).united(_bar(11.5))


def _to_end() -> QPainterPath:
    return _triangle(0.5, 7.0).united(_triangle(6.5, 13.0)).united(_bar(13.0))


GLYPHS: dict[str, Callable[[], QPainterPath]] = {
    "run": _rerun,
    "play": _play,
    "pause": _pause,
    "step_forward": _step_forward,
    "step_back": lambda: _mirrored(_step_forward()),
    "to_end": _to_end,
    "to_start": lambda: _mirrored(_to_end()),
}


class GlyphEngine(QIconEngine):
    """Paints one glyph at whatever size and pixel ratio Qt asks for."""

    def __init__(self, path: QPainterPath) -> None:
        super().__init__()
        self.path = path
        self._pixmaps: dict[tuple, QPixmap] = {}  # a toolbar repaints its icons often

    @staticmethod
    def colour(mode: QIcon.Mode) -> QColor:
        group = (QPalette.ColorGroup.Disabled if mode == QIcon.Mode.Disabled
                 else QPalette.ColorGroup.Active)
        return QColor(QGuiApplication.palette().color(group, QPalette.ColorRole.ButtonText))

    def paint(self, painter: QPainter, rect: QRect, mode: QIcon.Mode, state: QIcon.State) -> None:
        colour = self.colour(mode)
        side = min(rect.width(), rect.height())
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.translate(rect.x() + (rect.width() - side) / 2,
                          rect.y() + (rect.height() - side) / 2)
        painter.scale(side / GRID, side / GRID)
        painter.fillPath(self.path, colour)
        painter.restore()

    def pixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QPixmap:
        return self.scaledPixmap(size, mode, state, 1.0)

    def scaledPixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State,  # noqa: N802
                     scale: float) -> QPixmap:
        key = (size.width(), size.height(), scale, self.colour(mode).rgba())
        pixmap = self._pixmaps.get(key)
        if pixmap is None:
            pixmap = QPixmap(size * scale)
            pixmap.fill(Qt.GlobalColor.transparent)
            painter = QPainter(pixmap)
            self.paint(painter, QRect(0, 0, pixmap.width(), pixmap.height()), mode, state)
            painter.end()
            pixmap.setDevicePixelRatio(scale)
            if len(self._pixmaps) > 32:
                self._pixmaps.clear()
            self._pixmaps[key] = pixmap
        return pixmap

    def clone(self) -> QIconEngine:
        return GlyphEngine(QPainterPath(self.path))


def glyph(name: str) -> QIcon:
    """The icon called `name` (a key of `GLYPHS`)."""
    return QIcon(GlyphEngine(GLYPHS[name]()))

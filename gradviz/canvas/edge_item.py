"""`EdgeItem`: one use of a tensor by an op (or an op's output), as a smooth curve with an
arrowhead, following the route the layout computed.

States read without colour: pending edges are dashed, done edges solid and darker, the
current edge thick, in the accent colour, its arrowhead turned round to point the way the
gradient flows (into the input). Edges no gradient flows through are thin and pale.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QPainter,
    QPainterPath,
    QPainterPathStroker,
    QPen,
    QPolygonF,
)
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from gradviz.canvas.painting import LOD_BOXES, level_of_detail
from gradviz.canvas.style import Z_EDGE, Z_EDGE_CURRENT, Z_EDGE_DONE, Style
from gradviz.graph.infos import EdgeInfo
from gradviz.graph.progress import State

Point = tuple[float, float]


class EdgeItem(QGraphicsItem):
    """An edge drawn in scene coordinates (the item stays at the origin)."""

    def __init__(self, info: EdgeInfo, points: Sequence[Point], direction: str,
                 style: Style) -> None:
        super().__init__()
        self.info = info
        self.style = style
        self.state = State.INERT
        self.points = [tuple(p) for p in points]
        self.direction = direction
        self.setZValue(Z_EDGE)
        self.path = QPainterPath()
        self.tip = QPointF()
        self.tail = QPointF()
        self._head = QPolygonF()
        self._back_head = QPolygonF()
        self._bounds = QRectF()
        self._shape: QPainterPath | None = None
        self._look: tuple[QColor, QPen, QPen | None, QBrush] | None = None
        self.adjust()

    def set_route(self, points: Sequence[Point], direction: str) -> None:
        self.points = [tuple(p) for p in points]
        self.direction = direction
        self.adjust()

    def set_style(self, style: Style) -> None:
        self.style = style
        self._look = None
        self.adjust()
        self.update()

    def set_state(self, state: State) -> None:
        if state == self.state:
            return
        self.state = state
        self._look = None
        self.setZValue({State.CURRENT: Z_EDGE_CURRENT, State.DONE: Z_EDGE_DONE}.get(state, Z_EDGE))
        self.update()

    def look(self) -> tuple[QColor, QPen, QPen | None, QBrush]:
        """Colour, line pen, glow pen (current step only) and arrowhead brush for the state
        and style (made on change, not at every paint)."""
        if self._look is None:
            style, theme, sizes = self.style, self.style.theme, self.style.sizes
            hex_code, width, dashed = {
                State.INERT: (theme.edge, sizes.edge_width * 0.8, False),
                State.PENDING: (theme.edge_pending, sizes.edge_width, True),
                State.DONE: (theme.edge_done, sizes.edge_width * 1.2, False),
                State.CURRENT: (theme.accent, sizes.current_width, False),
            }[self.state]
            colour = QColor(hex_code)
            glow = None
            if self.state == State.CURRENT and theme.glow:
                halo = QColor(theme.accent)
                halo.setAlphaF(0.22)
                glow = QPen(halo, style.line(width) * 3.2, Qt.PenStyle.SolidLine,
                            Qt.PenCapStyle.RoundCap)
            self._look = (colour, style.pen(hex_code, style.line(width), dashed=dashed), glow,
                          QBrush(colour))
        return self._look

    def adjust(self) -> None:
        """Rebuild the curve and arrowheads from the route."""
        from gradviz.layout import bezier_segments  # imported here: the layout loads numpy

        self.prepareGeometryChange()
        self._shape = None
        points = self.points
        path = QPainterPath()
        if len(points) < 2:
            self.path = path
            self._bounds = QRectF()
            return
        length = self.style.length(self.style.sizes.arrow_length)
        width = self.style.length(self.style.sizes.arrow_width)
        tip = QPointF(*points[-1])
        end_dir = _axis_direction(points[-2], points[-1], self.direction)
        start_dir = _axis_direction(points[0], points[1], self.direction)
        # Stop the line where the arrowhead starts, so the stroke does not blunt its tip.
        trimmed = list(points)
        trimmed[-1] = (tip.x() - end_dir[0] * length * 0.8, tip.y() - end_dir[1] * length * 0.8)
        segments = bezier_segments(trimmed, self.direction)
        path.moveTo(*segments[0][0])
        for _, c1, c2, end in segments:
            path.cubicTo(QPointF(*c1), QPointF(*c2), QPointF(*end))
        self.path = path
        self.tip = tip
        self.tail = QPointF(*points[0])
        self._head = _arrowhead(tip, end_dir, length, width)
        back = (-start_dir[0], -start_dir[1])
        self._back_head = _arrowhead(self.tail, back, length * 1.5, width * 1.5)
        margin = self.style.length(self.style.sizes.current_width) * 3 + width
        self._bounds = path.boundingRect().united(self._head.boundingRect()).adjusted(
            -margin, -margin, margin, margin)

    def midpoint(self) -> QPointF:
        """The point halfway along the curve (where the current step's label goes)."""
        return self.path.pointAtPercent(0.5) if not self.path.isEmpty() else QPointF()

    # --- QGraphicsItem ---------------------------------------------------------------------
    def boundingRect(self) -> QRectF:
        return QRectF(self._bounds)

    def shape(self) -> QPainterPath:
        """The curve widened for hit tests (made once per route: label placement asks often)."""
        if self._shape is None:
            stroker = QPainterPathStroker()
            stroker.setWidth(self.style.length(8))
            self._shape = stroker.createStroke(self.path)
        return self._shape

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        colour, line, glow, brush = self.look()
        lod = level_of_detail(option, painter)
        if lod < LOD_BOXES:
            painter.setPen(QPen(colour, 0))  # cosmetic: one device pixel
            painter.drawPolyline(QPolygonF([QPointF(*p) for p in self.points]))
            return
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if glow is not None:
            painter.setPen(glow)
            painter.drawPath(self.path)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(line)
        painter.drawPath(self.path)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(brush)
        if self.state == State.CURRENT and self.info.kind == "input":
            # While its step is shown, the edge points the way the gradient flows: back into
            # the input.
            painter.drawPolygon(self._back_head)
        else:
            painter.drawPolygon(self._head)
        painter.restore()


def _axis_direction(a: Point, b: Point, direction: str) -> tuple[float, float]:
    """The unit tangent at a route's end: along the layer axis, as the layout draws it."""
    if direction == "TB" and not math.isclose(a[1], b[1]):
        return (0.0, 1.0 if b[1] > a[1] else -1.0)
    if direction == "LR" and not math.isclose(a[0], b[0]):
        return (1.0 if b[0] > a[0] else -1.0, 0.0)
    dx, dy = b[0] - a[0], b[1] - a[1]
    norm = math.hypot(dx, dy) or 1.0
    return (dx / norm, dy / norm)


def _arrowhead(tip: QPointF, direction: tuple[float, float], length: float,
               width: float) -> QPolygonF:
    """A slim triangle whose point is `tip`, pointing along `direction`."""
    dx, dy = direction
    base = QPointF(tip.x() - dx * length, tip.y() - dy * length)
    normal = QPointF(-dy * width / 2, dx * width / 2)
    notch = QPointF(tip.x() - dx * length * 0.72, tip.y() - dy * length * 0.72)
    return QPolygonF([tip, base + normal, notch, base - normal])

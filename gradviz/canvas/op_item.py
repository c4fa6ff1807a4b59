"""`OpItem`: an op as a small calm pill with its operator (`×`, `+`, `**2`, `tanh`, `@`).

Its `grad_fn` name is in the tooltip. The current op gets the accent outline; a done op a
small check badge, so the states read without colour.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from gradviz.canvas.painting import (
    LOD_BOXES,
    LOD_TEXT,
    draw_check_badge,
    draw_glow,
    draw_readable_label,
    level_of_detail,
    rounded,
)
from gradviz.canvas.style import Z_NODE, Z_NODE_CURRENT, Fonts, Style
from gradviz.graph.infos import NodeInfo
from gradviz.graph.progress import State


class OpItem(QGraphicsItem):
    """One op node; its position is the centre of its layout box."""

    def __init__(self, info: NodeInfo, style: Style) -> None:
        super().__init__()
        self.info = info
        self.style = style
        self.state = State.PENDING
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable)
        self.setZValue(Z_NODE)
        self._rect = QRectF()
        self.adjust()

    @staticmethod
    def measure(info: NodeInfo, style: Style) -> tuple[float, float]:
        """The pill's (width, height)."""
        s = style.sizes
        height = style.length(s.op_height)
        width = max(Fonts.width(style.fonts.op, info.label) + height * 0.9,
                    style.length(s.op_min_width))
        return round(width), round(height)

    def adjust(self) -> None:
        """Recompute the geometry after a style change."""
        self.prepareGeometryChange()
        width, height = self.measure(self.info, self.style)
        self._rect = QRectF(-width / 2, -height / 2, width, height)
        self._cache_geometry()

    def set_style(self, style: Style) -> None:
        self.style = style
        self.adjust()
        self.update()

    def set_state(self, state: State) -> None:
        if state == self.state:
            return
        self.state = state
        self.setZValue(Z_NODE_CURRENT if state == State.CURRENT else Z_NODE)
        self.update()

    @property
    def rect(self) -> QRectF:
        return QRectF(self._rect)

    def text_lines(self) -> list[str]:
        return [self.info.label]

    # --- QGraphicsItem ---------------------------------------------------------------------
    def boundingRect(self) -> QRectF:
        return self._bounds

    def shape(self) -> QPainterPath:
        return self._shape

    def _cache_geometry(self) -> None:
        """The bounds (room for the current step's glow) and the outline, made once per
        geometry: Qt asks for them for every item near every repaint."""
        margin = self.style.length(self.style.sizes.current_border) * 3 + 2
        self._bounds = self._rect.adjusted(-margin, -margin, margin, margin)
        self._shape = rounded(self._rect, self._rect.height() / 2)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        style, theme = self.style, self.style.theme
        rect, radius = self._rect, self._rect.height() / 2
        current = self.state == State.CURRENT
        lod = level_of_detail(option, painter)
        if lod < LOD_BOXES:
            painter.fillRect(rect, QColor(theme.accent if current else theme.op.border))
            return
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if current and theme.glow:
            draw_glow(painter, rect, radius, QColor(theme.accent), style.length(6))
        if current:
            painter.setBrush(QBrush(QColor(theme.accent_soft)))
            painter.setPen(QPen(QColor(theme.accent), style.line(style.sizes.current_border)))
        else:
            painter.setBrush(QBrush(QColor(theme.op.fill)))
            painter.setPen(QPen(QColor(theme.op.border), style.line(style.sizes.border_width)))
        painter.drawRoundedRect(rect, radius, radius)
        if self.isSelected():
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(QPen(QColor(theme.selection), style.line(2), Qt.PenStyle.DashLine))
            grow = style.length(4)
            painter.drawRoundedRect(rect.adjusted(-grow, -grow, grow, grow), radius + grow,
                                    radius + grow)
        painter.setPen(QColor(theme.accent if current else theme.op.tag))
        if lod < LOD_TEXT:
            draw_readable_label(painter, rect, self.info.label, style.fonts.op, lod)
        else:
            painter.setFont(style.fonts.op)
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, self.info.label)
            if self.state == State.DONE:
                badge = style.length(style.sizes.badge_radius) * 0.8
                draw_check_badge(painter, QPointF(rect.right() - badge * 0.4,
                                                  rect.top() + badge * 0.4),
                                 badge, QColor(theme.done), QColor("#ffffff"))
        painter.restore()

"""Small drawing helpers the items share: badges, glows, level of detail."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QStyleOptionGraphicsItem

# Below these zoom levels items draw less: no text, then plain boxes.
LOD_TEXT = 0.45
LOD_BOXES = 0.22


def level_of_detail(option: QStyleOptionGraphicsItem, painter: QPainter) -> float:
    """How many device pixels one scene unit covers (1.0 at 100 % zoom)."""
    return option.levelOfDetailFromTransform(painter.worldTransform())


def rounded(rect: QRectF, radius: float) -> QPainterPath:
    path = QPainterPath()
    path.addRoundedRect(rect, radius, radius)
    return path


def draw_glow(painter: QPainter, rect: QRectF, radius: float, colour: QColor,
              spread: float) -> None:
    """A soft halo around a rounded rectangle: two widening translucent outlines."""
    painter.setBrush(Qt.BrushStyle.NoBrush)
    for step, alpha in ((1.0, 0.07), (0.5, 0.14)):
        halo = QColor(colour)
        halo.setAlphaF(alpha)
        grow = spread * step
        painter.setPen(QPen(halo, spread * 0.7))
        painter.drawRoundedRect(rect.adjusted(-grow, -grow, grow, grow), radius + grow,
                                radius + grow)


def draw_check_badge(painter: QPainter, centre: QPointF, radius: float, fill: QColor,
                     mark: QColor) -> None:
    """A filled circle with a check mark: "the gradient has fully arrived here"."""
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QBrush(fill))
    painter.drawEllipse(centre, radius, radius)
    tick = QPainterPath(QPointF(centre.x() - radius * 0.45, centre.y() + radius * 0.02))
    tick.lineTo(centre.x() - radius * 0.1, centre.y() + radius * 0.36)
    tick.lineTo(centre.x() + radius * 0.48, centre.y() - radius * 0.34)
    pen = QPen(mark, max(1.0, radius * 0.28))
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawPath(tick)


def draw_readable_label(painter: QPainter, rect: QRectF, text: str, font: QFont, lod: float,
                        screen_pixels: float = 12.0) -> None:
    """`text` centred in `rect`, enlarged so it stays about `screen_pixels` tall on screen
    when zoomed out (but never taller than the box), elided to fit its width."""
    sized = QFont(font)
    wanted = max(font.pixelSize(), round(screen_pixels / max(lod, 1e-3)))
    sized.setPixelSize(max(1, min(wanted, round(rect.height() * 0.62))))
    metrics = QFontMetricsF(sized)
    shown = metrics.elidedText(text, Qt.TextElideMode.ElideRight, rect.width() * 0.92)
    painter.setFont(sized)
    painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, shown)

"""`StepLabelItem`: the chain rule written on the current edge, `upstream × local = contribution`.

One per scene; it moves to whichever edge the shown step traverses and hides at step 0. The
first line is the arithmetic; the second names the derivative it used, e.g. `∂y/∂x = 2·x`.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from gradviz.canvas.painting import LOD_TEXT, draw_glow, draw_readable_label, level_of_detail
from gradviz.canvas.style import Z_LABEL, Fonts, Style
from gradviz.graph.infos import CurrentEdge


class StepLabelItem(QGraphicsItem):
    """A rounded tag centred on a point of the current edge."""

    def __init__(self, style: Style) -> None:
        super().__init__()
        self.style = style
        self.current: CurrentEdge | None = None
        self.lines: tuple[str, str] = ("", "")
        self.setZValue(Z_LABEL)
        self._rect = QRectF()
        self.setVisible(False)

    def set_step(self, current: CurrentEdge | None, output_name: str, input_name: str,
                 anchor: QPointF, side: str = "right") -> None:
        """Show `current` beside `anchor` (a scene point on the edge) on `side` ("right",
        "left", "above" or "below"), so the edge stays visible; hide when there is no step."""
        self.current = current
        if current is None:
            self.setVisible(False)
            return
        self.lines = self.texts(current, output_name, input_name)
        self.adjust()
        self.setPos(self.place(self._rect, anchor, side, self.style))
        self.setVisible(True)
        self.update()

    @staticmethod
    def texts(current: CurrentEdge, output_name: str, input_name: str) -> tuple[str, str]:
        if current.local is None:
            return current.equation, f"upstream = {current.upstream}"
        return current.equation, f"∂{output_name}/∂{input_name} = {current.formula}"

    @staticmethod
    def place(rect: QRectF, anchor: QPointF, side: str, style: Style) -> QPointF:
        """The label's centre for a label of `rect`'s size beside `anchor`."""
        gap = style.length(10)
        if side in ("above", "below"):
            sign = -1 if side == "above" else 1
            return QPointF(anchor.x(), anchor.y() + sign * (rect.height() / 2 + gap))
        sign = 1 if side == "right" else -1
        return QPointF(anchor.x() + sign * (rect.width() / 2 + gap), anchor.y())

    def set_style(self, style: Style) -> None:
        self.style = style
        self.adjust()
        self.update()

    def adjust(self) -> None:
        self.prepareGeometryChange()
        self._rect = self.measure(self.lines, self.style)

    @staticmethod
    def measure(lines: tuple[str, str], style: Style) -> QRectF:
        """The label's rectangle around its centre."""
        fonts = style.fonts
        pad = style.length(8)
        width = max(Fonts.width(fonts.label, lines[0]),
                    Fonts.width(fonts.label_small, lines[1])) + 2 * pad
        height = Fonts.height(fonts.label) + Fonts.height(fonts.label_small) + pad * 1.3
        return QRectF(-width / 2, -height / 2, width, height)

    @property
    def rect(self) -> QRectF:
        return QRectF(self._rect)

    def boundingRect(self) -> QRectF:
        margin = self.style.length(8)
        return self._rect.adjusted(-margin, -margin, margin, margin)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        if self.current is None:
            return
        style, theme, fonts = self.style, self.style.theme, self.style.fonts
        rect = self._rect
        lod = level_of_detail(option, painter)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        radius = style.length(6)
        if theme.glow:
            draw_glow(painter, rect, radius, QColor(theme.accent), style.length(4))
        painter.setBrush(QBrush(QColor(theme.label_fill)))
        painter.setPen(QPen(QColor(theme.accent), style.line(1.8)))
        painter.drawRoundedRect(rect, radius, radius)
        if lod < LOD_TEXT:
            painter.setPen(QColor(theme.text))
            draw_readable_label(painter, rect, self.lines[0], fonts.label, lod)
        else:
            pad = style.length(8)
            top = rect.top() + pad * 0.55
            first = QRectF(rect.left(), top, rect.width(), Fonts.height(fonts.label))
            second = QRectF(rect.left(), first.bottom(), rect.width(),
                            Fonts.height(fonts.label_small))
            self._paint_equation(painter, first)
            painter.setFont(fonts.label_small)
            painter.setPen(QColor(theme.muted))
            painter.drawText(second, Qt.AlignmentFlag.AlignCenter, self.lines[1])
        painter.restore()

    def _paint_equation(self, painter: QPainter, rect: QRectF) -> None:
        """`upstream × local = ` in the text colour, the contribution in the grad colour (the
        colour it takes on the card it lands on)."""
        theme, font = self.style.theme, self.style.fonts.label
        equation = self.lines[0]
        head, sep, result = equation.rpartition(" = ")
        if not sep:
            head, result = equation, ""
        head += sep
        left = rect.center().x() - Fonts.width(font, equation) / 2
        painter.setFont(font)
        painter.setPen(QColor(theme.text))
        head_rect = QRectF(left, rect.top(), Fonts.width(font, head), rect.height())
        painter.drawText(head_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                         head)
        painter.setPen(QColor(theme.grad_text))
        painter.drawText(QRectF(head_rect.right(), rect.top(), Fonts.width(font, result) + 2,
                                rect.height()),
                         Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, result)

"""`TensorItem`: a tensor as a card — name, value and shape, and its `.grad` at the shown step.

The card's parts, top to bottom: the name (big) with a role tag (`leaf`, `const`, `output`),
the value and shape (secondary), a rule, then the `.grad` line: `None` in a muted italic pill
or the value in the accent colour, ringed when this step changed it, and a check badge once
the gradient has fully arrived. Tensors PyTorch keeps no `.grad` for say why underneath.
"""

from __future__ import annotations

from dataclasses import dataclass

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
from gradviz.canvas.style import Z_NODE, Z_NODE_CURRENT, Fonts, RoleColours, Style
from gradviz.graph.infos import (
    CONSTANT,
    NOT_STORED_HINT,
    OUTPUT,
    PARAMETER,
    RECEIVED_HINT,
    CardTexts,
    GradInfo,
    NodeInfo,
)
from gradviz.graph.progress import State

TAGS = {PARAMETER: "leaf", CONSTANT: "const", OUTPUT: "output"}
GRAD_LABEL = ".grad"
MAX_NAME_WIDTH = 280.0


@dataclass(frozen=True)
class CardGeometry:
    """Where each part of a card goes, relative to the card's top-left corner."""

    width: float
    height: float
    title: QRectF
    tag: QRectF | None
    value: QRectF
    rule_y: float
    grad_label: QRectF
    pill_y: float
    pill_height: float
    hint: QRectF | None
    badge: QPointF

    @staticmethod
    def of(info: NodeInfo, style: Style, texts: CardTexts) -> CardGeometry:
        s, f = style.sizes, style.fonts
        pad = style.length(s.padding)
        gap = style.length(s.row_gap)
        pill_pad = style.length(s.pill_pad)
        badge = style.length(s.badge_radius)
        title_h = Fonts.height(f.title)
        value_h = Fonts.height(f.value)
        pill_h = Fonts.height(f.grad) + 2 * gap
        name_w = min(Fonts.width(f.title, info.label), style.length(MAX_NAME_WIDTH))
        tag = TAGS.get(info.role)
        tag_w = Fonts.width(f.tag, tag.upper()) + 2 * gap + 4 if tag else 0.0
        value_w = max(Fonts.width(f.value, t) for t in (info.value_summary, *texts.values))
        shape_w = Fonts.width(f.small, info.shape_text)
        label_w = Fonts.width(f.small, GRAD_LABEL)
        pill_w = max(Fonts.width(f.grad, t) for t in texts.grads) + 2 * pill_pad
        hint_w = max(Fonts.width(f.hint, hint_text(info, r)) for r in ("", *texts.received)) \
            if info.hint else 0.0
        inner = max(
            name_w + (tag_w + 3 * gap if tag else 0.0),
            value_w + 4 * gap + shape_w,
            label_w + 2 * gap + pill_w + 2 * gap + 2 * badge,
            hint_w,
            style.length(s.card_min_width) - 2 * pad,
        )
        width = round(inner + 2 * pad)
        y = pad
        title = QRectF(pad, y, inner - (tag_w + 3 * gap if tag else 0.0), title_h)
        tag_rect = None
        if tag:
            tag_h = Fonts.height(f.tag) + gap
            tag_rect = QRectF(width - pad - tag_w, y + (title_h - tag_h) / 2, tag_w, tag_h)
        y += title_h + gap
        value = QRectF(pad, y, inner, value_h)
        y += value_h + 2 * gap
        rule_y = y
        y += 2 * gap
        grad_label = QRectF(pad, y, label_w, pill_h)
        pill_y = y
        y += pill_h
        hint = None
        if info.hint:
            hint = QRectF(pad, y + gap, inner, Fonts.height(f.hint))
            y += gap + Fonts.height(f.hint)
        height = round(y + pad)
        badge_centre = QPointF(width - pad - badge, pill_y + pill_h / 2)
        return CardGeometry(width, height, title, tag_rect, value, rule_y, grad_label, pill_y,
                            pill_h, hint, badge_centre)


def hint_text(info: NodeInfo, received: str) -> str:
    """The note under `.grad`: why it stays None, and for a non-leaf what reached it."""
    return RECEIVED_HINT.format(received) if received and info.hint == NOT_STORED_HINT \
        else info.hint


class TensorItem(QGraphicsItem):
    """One tensor node; its position is the centre of its layout box."""

    def __init__(self, info: NodeInfo, style: Style, texts: CardTexts) -> None:
        super().__init__()
        self.info = info
        self.texts = texts
        self.state = State.PENDING
        self.grad = GradInfo(True, "None", False)
        self.style = style
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable)
        self.setZValue(Z_NODE)
        self._rect = QRectF()
        self.adjust()

    @staticmethod
    def measure(info: NodeInfo, style: Style, texts: CardTexts) -> tuple[float, float]:
        """The card's (width, height): room for its longest texts at any step."""
        geometry = CardGeometry.of(info, style, texts)
        return geometry.width, geometry.height

    def adjust(self) -> None:
        """Recompute the geometry after a style change."""
        self.prepareGeometryChange()
        self.geometry = CardGeometry.of(self.info, self.style, self.texts)
        g = self.geometry
        self._rect = QRectF(-g.width / 2, -g.height / 2, g.width, g.height)
        self._cache_geometry()

    def set_style(self, style: Style) -> None:
        self.style = style
        self.adjust()
        self.update()

    def set_state(self, state: State, grad: GradInfo) -> None:
        """Show the node at a step: its place in the backward pass and its `.grad`."""
        if state == self.state and grad == self.grad:
            return
        self.state = state
        self.grad = grad
        self.setZValue(Z_NODE_CURRENT if state == State.CURRENT else Z_NODE)
        self.update()

    @property
    def value_line(self) -> str:
        """The tensor's value as the pass shown read it."""
        return self.grad.value or self.info.value_summary

    @property
    def rect(self) -> QRectF:
        """The card in item coordinates."""
        return QRectF(self._rect)

    def text_lines(self) -> list[str]:
        """The texts the card shows, top to bottom (what a reader of the picture reads)."""
        lines = [self.info.label]
        if self.info.role in TAGS:
            lines.append(TAGS[self.info.role])
        lines += [self.value_line, self.info.shape_text, GRAD_LABEL, self.grad.summary]
        if self.info.hint:
            lines.append(hint_text(self.info, self.grad.received))
        return lines

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
        self._shape = rounded(self._rect, self.style.length(self.style.sizes.radius))

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        style, theme = self.style, self.style.theme
        colours = self.colours()
        rect = self._rect
        lod = level_of_detail(option, painter)
        current = self.state == State.CURRENT
        if lod < LOD_BOXES:
            fill = theme.accent if current else colours.border
            painter.fillRect(rect, QColor(fill))
            return
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        radius = style.length(style.sizes.radius)
        if current and theme.glow:
            draw_glow(painter, rect, radius, QColor(theme.accent), style.length(5))
        painter.setBrush(QBrush(QColor(colours.fill)))
        painter.setPen(self._border_pen(colours))
        painter.drawRoundedRect(rect, radius, radius)
        if self.info.role == OUTPUT:
            inset = style.line(2.4) + style.line(style.sizes.border_width)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(QPen(QColor(theme.accent if current else colours.border),
                                style.line(style.sizes.border_width)))
            painter.drawRoundedRect(rect.adjusted(inset, inset, -inset, -inset),
                                    radius - inset / 2, radius - inset / 2)
        if self.isSelected():
            painter.setBrush(Qt.BrushStyle.NoBrush)
            pen = QPen(QColor(theme.selection), style.line(2), Qt.PenStyle.DashLine)
            painter.setPen(pen)
            grow = style.length(5)
            painter.drawRoundedRect(rect.adjusted(-grow, -grow, grow, grow), radius + grow,
                                    radius + grow)
        if lod < LOD_TEXT:
            painter.setPen(QColor(theme.text))
            draw_readable_label(painter, rect, self.info.label, style.fonts.title, lod)
        else:
            painter.translate(rect.topLeft())
            self._paint_text(painter, colours)
        painter.restore()

    # --- parts -------------------------------------------------------------------------------
    def colours(self) -> RoleColours:
        """The fill, border and tag colours of this card's role."""
        theme = self.style.theme
        return {PARAMETER: theme.parameter, CONSTANT: theme.constant,
                OUTPUT: theme.output}.get(self.info.role, theme.intermediate)

    def _border_pen(self, colours: RoleColours) -> QPen:
        style = self.style
        if self.state == State.CURRENT:
            return QPen(QColor(style.theme.accent), style.line(style.sizes.current_border))
        width = style.line(style.sizes.border_width)
        if self.info.role == PARAMETER:
            width *= 1.6
        pen = QPen(QColor(colours.border), width)
        if self.info.role == CONSTANT:
            pen.setStyle(Qt.PenStyle.DashLine)
        return pen

    def _paint_text(self, painter: QPainter, colours: RoleColours) -> None:
        style, theme, fonts, g = self.style, self.style.theme, self.style.fonts, self.geometry
        left, centre_v = Qt.AlignmentFlag.AlignLeft, Qt.AlignmentFlag.AlignVCenter
        right = Qt.AlignmentFlag.AlignRight
        painter.setFont(fonts.title)
        painter.setPen(QColor(theme.text))
        name = fonts.metrics(fonts.title).elidedText(self.info.label, Qt.TextElideMode.ElideRight,
                                                     g.title.width())
        painter.drawText(g.title, left | centre_v, name)
        if g.tag is not None:
            painter.setPen(QPen(QColor(colours.tag), style.line(1.0)))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            radius = g.tag.height() / 2
            painter.drawRoundedRect(g.tag, radius, radius)
            painter.setFont(fonts.tag)
            painter.drawText(g.tag, Qt.AlignmentFlag.AlignCenter, TAGS[self.info.role].upper())
        painter.setFont(fonts.value)
        painter.setPen(QColor(theme.text))
        painter.drawText(g.value, left | centre_v, self.value_line)
        painter.setFont(fonts.small)
        painter.setPen(QColor(theme.muted))
        painter.drawText(g.value, right | centre_v, self.info.shape_text)
        rule = QColor(colours.border)
        rule.setAlphaF(0.45)
        painter.setPen(QPen(rule, style.line(1.0)))
        pad = style.length(style.sizes.padding)
        painter.drawLine(QPointF(pad * 0.6, g.rule_y), QPointF(g.width - pad * 0.6, g.rule_y))
        painter.setPen(QColor(theme.muted))
        painter.setFont(fonts.small)
        painter.drawText(g.grad_label, left | centre_v, GRAD_LABEL)
        self._paint_pill(painter)
        if g.hint is not None:
            painter.setFont(fonts.hint)
            painter.setPen(QColor(theme.muted))
            painter.drawText(g.hint, left | centre_v, hint_text(self.info, self.grad.received))
        if self.state == State.DONE:
            draw_check_badge(painter, g.badge, style.length(style.sizes.badge_radius),
                             QColor(theme.done), QColor("#ffffff"))

    def _paint_pill(self, painter: QPainter) -> None:
        style, theme, fonts, g = self.style, self.style.theme, self.style.fonts, self.geometry
        gap = style.length(style.sizes.row_gap)
        font = fonts.none if self.grad.is_none else fonts.grad
        width = Fonts.width(font, self.grad.summary) + 2 * style.length(style.sizes.pill_pad)
        pill = QRectF(g.grad_label.right() + 2 * gap, g.pill_y, width, g.pill_height)
        radius = g.pill_height / 2
        if self.grad.changed and theme.glow:
            draw_glow(painter, pill, radius, QColor(theme.changed), style.length(5))
        if self.grad.is_none:
            painter.setBrush(QColor(theme.none_fill))
            painter.setPen(Qt.PenStyle.NoPen)
        else:
            painter.setBrush(QColor(theme.grad_fill))
            border = theme.changed if self.grad.changed else theme.grad_border
            painter.setPen(QPen(QColor(border), style.line(2.2 if self.grad.changed else 1.0)))
        painter.drawRoundedRect(pill, radius, radius)
        painter.setFont(font)
        painter.setPen(QColor(theme.none_text if self.grad.is_none else theme.grad_text))
        painter.drawText(pill, Qt.AlignmentFlag.AlignCenter, self.grad.summary)

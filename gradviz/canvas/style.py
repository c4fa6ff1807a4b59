"""Every colour, font, size and z-value the canvas uses; themes are plain data.

A `Theme` holds colours only (hex strings, so themes can be listed, compared and saved); a
`Style` is a theme plus a font scale and turns both into Qt fonts, pens and sizes. Items read
everything through their `Style`, so switching theme or type size is one `set_style` call.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cached_property

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPen

FONT_FAMILY = "DejaVu Sans"
MONO_FAMILY = "DejaVu Sans Mono"

# Stacking order, bottom to top.
Z_EDGE = 0.0
Z_EDGE_DONE = 1.0
Z_EDGE_CURRENT = 5.0
Z_NODE = 10.0
Z_NODE_CURRENT = 11.0
Z_LABEL = 20.0


@dataclass(frozen=True)
class RoleColours:
    """How one kind of node is filled and outlined."""

    fill: str
    border: str
    tag: str  # the role tag's text and outline


@dataclass(frozen=True)
class Theme:
    """The colours of one look. Tensor roles follow torchviz: parameters blue, outputs green."""

    name: str
    background: str
    text: str
    muted: str
    parameter: RoleColours
    intermediate: RoleColours
    output: RoleColours
    constant: RoleColours
    op: RoleColours
    edge: str  # edges no gradient flows through
    edge_pending: str
    edge_done: str
    accent: str  # the current edge and node
    accent_soft: str
    grad_text: str
    grad_fill: str
    grad_border: str
    none_text: str
    none_fill: str
    changed: str  # the ring around a .grad that just changed
    done: str  # the check-mark badge
    label_fill: str
    selection: str
    type_scale: float = 1.0  # print type is larger
    line_scale: float = 1.0  # and its lines heavier
    glow: bool = True  # soft halos around what the step highlights (print uses none)


LIGHT = Theme(
    name="light",
    background="#fbfbfa",
    text="#1f2328",
    muted="#6e7781",
    parameter=RoleColours("#dbeafe", "#4f83b8", "#2f6497"),
    intermediate=RoleColours("#eef0f3", "#9aa3ad", "#6e7781"),
    output=RoleColours("#dff3c9", "#5f9a2e", "#3f7318"),
    constant=RoleColours("#ffffff", "#b3bac2", "#7d858e"),
    op=RoleColours("#f3f4f6", "#a3aab3", "#3a4149"),
    edge="#c3c9d0",
    edge_pending="#aab2bb",
    edge_done="#59626c",
    accent="#e8590c",
    accent_soft="#ffe3cc",
    grad_text="#b33c00",
    grad_fill="#fff0e4",
    grad_border="#f2b48a",
    none_text="#8c959f",
    none_fill="#eceef1",
    changed="#ffb000",
    done="#2f9e44",
    label_fill="#ffffff",
    selection="#1c7ed6",
)

DARK = Theme(
    name="dark",
    background="#15181d",
    text="#e6edf3",
    muted="#8b949e",
    parameter=RoleColours("#1b3350", "#5c9bd6", "#8cc0f0"),
    intermediate=RoleColours("#252a32", "#5a636f", "#a0a9b4"),
    output=RoleColours("#213a1c", "#74b34a", "#a8dc80"),
    constant=RoleColours("#1a1e23", "#4a525c", "#8b949e"),
    op=RoleColours("#2a3038", "#6b7480", "#d0d7de"),
    edge="#3d444d",
    edge_pending="#5c6570",
    edge_done="#aeb7c0",
    accent="#ff8a3d",
    accent_soft="#4a2a14",
    grad_text="#ffb47a",
    grad_fill="#3a2416",
    grad_border="#8a4f26",
    none_text="#7d8590",
    none_fill="#2a3038",
    changed="#ffd43b",
    done="#3fb950",
    label_fill="#1f242b",
    selection="#4dabf7",
)

PRINT = Theme(
    name="print",
    glow=False,
    background="#ffffff",
    text="#000000",
    muted="#3d3d3d",
    parameter=RoleColours("#d3e6fb", "#1d4f80", "#1d4f80"),
    intermediate=RoleColours("#ececec", "#4a4a4a", "#333333"),
    output=RoleColours("#d9f2c0", "#2f6b0e", "#2f6b0e"),
    constant=RoleColours("#ffffff", "#6b6b6b", "#4a4a4a"),
    op=RoleColours("#ffffff", "#303030", "#000000"),
    edge="#9a9a9a",
    edge_pending="#6b6b6b",
    edge_done="#1a1a1a",
    accent="#d9480f",
    accent_soft="#ffe0c7",
    grad_text="#a83200",
    grad_fill="#fff0e4",
    grad_border="#d9480f",
    none_text="#555555",
    none_fill="#e6e6e6",
    changed="#f59f00",
    done="#1b7a2e",
    label_fill="#ffffff",
    selection="#1864ab",
    type_scale=1.25,
    line_scale=1.5,
)

THEMES: dict[str, Theme] = {theme.name: theme for theme in (LIGHT, DARK, PRINT)}


@dataclass(frozen=True)
class Sizes:
    """Lengths in scene units (pixels at 100 % zoom) before the font scale."""

    title_font: float = 16.0
    value_font: float = 12.0
    grad_font: float = 13.5
    small_font: float = 11.0
    hint_font: float = 10.0
    tag_font: float = 8.5
    op_font: float = 14.0
    label_font: float = 12.5
    padding: float = 10.0
    radius: float = 9.0
    row_gap: float = 3.0
    card_min_width: float = 124.0
    pill_pad: float = 7.0
    op_height: float = 28.0
    op_min_width: float = 44.0
    edge_width: float = 1.5
    current_width: float = 3.6
    border_width: float = 1.3
    current_border: float = 3.0
    arrow_length: float = 9.0
    arrow_width: float = 8.0
    badge_radius: float = 7.5
    node_gap: float = 30.0
    layer_gap: float = 66.0
    margin: float = 16.0


@dataclass(frozen=True)
class Style:
    """A theme at a font scale: the fonts, pens and lengths the items draw with."""

    theme: Theme = LIGHT
    font_scale: float = 1.0
    sizes: Sizes = field(default_factory=Sizes)

    @staticmethod
    def named(theme: str = "light", font_scale: float = 1.0) -> Style:
        """The style of a theme by name (`light`, `dark`, `print`)."""
        if theme not in THEMES:
            raise ValueError(f"unknown theme {theme!r}; choose one of {', '.join(THEMES)}")
        if not 0.25 <= font_scale <= 8:
            raise ValueError(f"font scale must be between 0.25 and 8, not {font_scale}")
        return Style(THEMES[theme], font_scale)

    def with_theme(self, theme: str) -> Style:
        return replace(self, theme=THEMES[theme])

    def with_font_scale(self, font_scale: float) -> Style:
        return replace(self, font_scale=font_scale)

    @property
    def scale(self) -> float:
        """How much larger than the base sizes text and the boxes around it are."""
        return self.font_scale * self.theme.type_scale

    def length(self, base: float) -> float:
        return base * self.scale

    def line(self, base: float) -> float:
        return base * self.theme.line_scale * max(1.0, self.scale ** 0.5)

    def colour(self, hex_code: str, alpha: float = 1.0) -> QColor:
        colour = QColor(hex_code)
        colour.setAlphaF(alpha)
        return colour

    def pen(self, hex_code: str, width: float, dashed: bool = False) -> QPen:
        pen = QPen(QColor(hex_code), width)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        if dashed:
            pen.setStyle(Qt.PenStyle.CustomDashLine)
            pen.setDashPattern([3.0, 2.6])
        return pen

    def font(self, base_size: float, *, bold: bool = False, italic: bool = False,
             mono: bool = False) -> QFont:
        """A font sized in pixels, so text keeps its size in scene units on every device."""
        font = QFont(MONO_FAMILY if mono else FONT_FAMILY)
        font.setPixelSize(max(1, round(base_size * self.scale)))
        font.setBold(bold)
        font.setItalic(italic)
        font.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
        font.setStyleStrategy(QFont.StyleStrategy.PreferAntialias)
        return font

    @cached_property
    def fonts(self) -> Fonts:
        return Fonts(self)


class Fonts:
    """The fonts of a style, made once, with their metrics."""

    def __init__(self, style: Style) -> None:
        s = style.sizes
        self.title = style.font(s.title_font, bold=True)
        self.value = style.font(s.value_font, mono=True)
        self.grad = style.font(s.grad_font, mono=True, bold=True)
        self.none = style.font(s.grad_font, italic=True)
        self.small = style.font(s.small_font)
        self.hint = style.font(s.hint_font, italic=True)
        self.tag = style.font(s.tag_font, bold=True)
        self.op = style.font(s.op_font, bold=True)
        self.label = style.font(s.label_font, mono=True, bold=True)
        self.label_small = style.font(s.hint_font)
        self.badge = style.font(s.tag_font + 2, bold=True)

    @staticmethod
    def metrics(font: QFont) -> QFontMetricsF:
        key = font.key()
        metrics = _METRICS.get(key)
        if metrics is None:
            metrics = _METRICS[key] = QFontMetricsF(font)
        return metrics

    @staticmethod
    def width(font: QFont, text: str) -> float:
        return Fonts.metrics(font).horizontalAdvance(text)

    @staticmethod
    def height(font: QFont) -> float:
        return Fonts.metrics(font).height()


_METRICS: dict[str, QFontMetricsF] = {}

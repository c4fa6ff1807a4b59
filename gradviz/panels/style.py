"""Colours and fonts of the panels and the editor, light and dark, read off the QPalette.

One place for them (as NodeGraphQt keeps its `constants.py`): the panels never hard-code a
colour, so a theme switch is one `palette()` away.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QColor, QFont, QFontDatabase, QPalette


@dataclass(frozen=True)
class Colors:
    """The few colours with a meaning: errors, warnings, `.grad` set / just set, selection."""

    dark: bool
    error: QColor
    warning: QColor
    grad: QColor  # a `.grad` that holds a value
    grad_new: QColor  # background of a `.grad` the current step just wrote
    none: QColor  # the text of `None`
    muted: QColor  # secondary text
    mark: QColor  # background of the selected node's lines
    current_line: QColor
    current_row: QColor  # the steps list's current step
    accent: QColor
    control: QColor  # the fill of a check box, visible against the window


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Base).lightness() < 128


def colors(palette: QPalette) -> Colors:
    """The colours for this palette (light or dark decided by its base colour)."""
    if is_dark(palette):
        return Colors(
            dark=True, error=QColor("#ff6b6b"), warning=QColor("#f5b942"),
            grad=QColor("#5fd38d"), grad_new=QColor(46, 160, 90, 90), none=QColor("#8b939e"),
            muted=QColor("#9aa3ad"), mark=QColor(90, 140, 255, 60),
            current_line=QColor(255, 255, 255, 14), current_row=QColor(90, 140, 255, 90),
            accent=QColor("#6ea8ff"), control=QColor("#4a505a"))
    return Colors(
        dark=False, error=QColor("#c62828"), warning=QColor("#a86400"),
        grad=QColor("#1b7f3b"), grad_new=QColor(46, 160, 90, 60), none=QColor("#7a818c"),
        muted=QColor("#5f6670"), mark=QColor(47, 111, 208, 40),
        current_line=QColor(0, 0, 0, 10), current_row=QColor(47, 111, 208, 60),
        accent=QColor("#2f6fd0"), control=QColor("#ffffff"))


def monospace(point_size: float | None = None) -> QFont:
    """The system's fixed-width font, at `point_size` if given."""
    font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    font.setStyleHint(QFont.StyleHint.Monospace)
    if point_size is not None:
        font.setPointSizeF(point_size)
    return font


def css(color: QColor) -> str:
    """A colour as CSS `rgba(...)` for style sheets and rich text."""
    return f"rgba({color.red()}, {color.green()}, {color.blue()}, {color.alphaF():.3f})"


#: Monospace sizes: big enough to read from the back of a classroom, scaled by the user's zoom.
CODE_POINT_SIZE = 12.0
VALUE_POINT_SIZE = 12.0

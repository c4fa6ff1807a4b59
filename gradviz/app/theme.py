"""Light and dark for the whole window, following the system unless the user picks one."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

# The window's own colours; the graph canvas has its own themes (light, dark, print).
_DARK = {
    QPalette.ColorRole.Window: "#1f2227",
    QPalette.ColorRole.WindowText: "#e6e8eb",
    QPalette.ColorRole.Base: "#16181c",
    QPalette.ColorRole.AlternateBase: "#23262c",
    QPalette.ColorRole.Text: "#e6e8eb",
    QPalette.ColorRole.Button: "#2a2e35",
    QPalette.ColorRole.ButtonText: "#e6e8eb",
    QPalette.ColorRole.Highlight: "#3d7bd9",
    QPalette.ColorRole.HighlightedText: "#ffffff",
    QPalette.ColorRole.ToolTipBase: "#2a2e35",
    QPalette.ColorRole.ToolTipText: "#e6e8eb",
    QPalette.ColorRole.PlaceholderText: "#8a9099",
    QPalette.ColorRole.Link: "#6ea8ff",
    QPalette.ColorRole.Mid: "#3a3f47",
    QPalette.ColorRole.Dark: "#111316",
}
_LIGHT = {
    QPalette.ColorRole.Window: "#f4f5f7",
    QPalette.ColorRole.WindowText: "#1d2025",
    QPalette.ColorRole.Base: "#ffffff",
    QPalette.ColorRole.AlternateBase: "#f0f2f5",
    QPalette.ColorRole.Text: "#1d2025",
    QPalette.ColorRole.Button: "#e9ebef",
    QPalette.ColorRole.ButtonText: "#1d2025",
    QPalette.ColorRole.Highlight: "#2f6fd0",
    QPalette.ColorRole.HighlightedText: "#ffffff",
    QPalette.ColorRole.ToolTipBase: "#ffffff",
    QPalette.ColorRole.ToolTipText: "#1d2025",
    QPalette.ColorRole.PlaceholderText: "#7a818c",
    QPalette.ColorRole.Link: "#2f6fd0",
    QPalette.ColorRole.Mid: "#c9cdd4",
    QPalette.ColorRole.Dark: "#9aa0a8",
}


def system_is_dark() -> bool:
    hints = QGuiApplication.styleHints()
    return hints.colorScheme() == Qt.ColorScheme.Dark


def resolve(choice: str) -> str:
    """`system` becomes `light` or `dark`; the print theme uses a light window."""
    if choice == "system":
        return "dark" if system_is_dark() else "light"
    return "dark" if choice == "dark" else "light"


def apply(app: QApplication, choice: str) -> str:
    """Colour the window for `choice` (system/light/dark/print); returns light or dark. The
    palettes are made for the Fusion style (see `launch.application`)."""
    mode = resolve(choice)
    palette = QPalette()
    for role, colour in (_DARK if mode == "dark" else _LIGHT).items():
        palette.setColor(role, QColor(colour))
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.WindowText,
                 QPalette.ColorRole.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, role,
                         QColor("#6b717a" if mode == "dark" else "#a0a6ae"))
    app.setPalette(palette)
    return mode

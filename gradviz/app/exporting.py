"""File ▸ Export: the graph as PNG, SVG, PDF or JSON, or the whole backward pass as a deck,
drawn by the same code as the canvas and the command line."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QActionGroup
from PySide6.QtWidgets import QMenu

from gradviz.app.settings import EXPORT_SCALES

if TYPE_CHECKING:
    from gradviz.app.main_window import MainWindow

FORMATS = [
    ("PNG Image…", "png", "PNG image (*.png)", False),
    ("SVG Image…", "svg", "SVG image (*.svg)", False),
    ("PDF Document…", "pdf", "PDF document (*.pdf)", False),
    ("JSON Graph…", "json", "JSON graph (*.json)", False),
    ("Step Deck for Slides (PDF, 16:9)…", "pdf", "PDF deck (*.pdf)", True),
    ("Step Frames for Slides (PNG, 16:9)…", "png", "Numbered PNG frames (*.png)", True),
]


class ExportController:
    """The Export submenu and what its entries do."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.menu = QMenu("&Export", window)
        self.menu.setObjectName("exportMenu")
        for text, suffix, filter_text, deck in FORMATS:
            action = self.menu.addAction(text)
            action.setObjectName(f"export_{'deck_' if deck else ''}{suffix}")
            action.triggered.connect(
                lambda _=False, s=suffix, f=filter_text, d=deck: self.ask_and_export(s, f, d))
        # The picture's options; theme, direction and type size are the canvas's own (View).
        self.menu.addSeparator()
        settings = window.settings
        self.transparent = self.menu.addAction("Transparent Background")
        self.transparent.setObjectName("export_transparent")
        self.transparent.setCheckable(True)
        self.transparent.setChecked(settings.export_transparent)
        self.transparent.toggled.connect(
            lambda on: setattr(settings, "export_transparent", on))
        scales = self.menu.addMenu("PNG &Scale")
        scales.setObjectName("exportScaleMenu")
        group = QActionGroup(scales)
        for scale in EXPORT_SCALES:
            action = scales.addAction(f"{scale:g}× (for {'screens' if scale == 1 else 'slides'})")
            action.setObjectName(f"export_scale_{scale:g}")
            action.setCheckable(True)
            action.setActionGroup(group)
            action.setChecked(scale == settings.export_scale)
            action.triggered.connect(
                lambda _=False, v=scale: setattr(settings, "export_scale", v))

    def ask_and_export(self, suffix: str, filter_text: str, deck: bool) -> None:
        from PySide6.QtWidgets import QFileDialog, QMessageBox  # loaded when first asked for

        document = self.window.document
        if document.run is None:
            QMessageBox.information(self.window, "Nothing to export", "Run a script first.")
            return
        stem = Path(document.filename).stem + ("-steps" if deck else "")
        start = str((document.path.parent if document.path else Path.home())
                    / f"{stem}.{suffix}")
        path, _ = QFileDialog.getSaveFileName(self.window, "Export", start, filter_text)
        if path:
            if not path.lower().endswith(f".{suffix}"):
                path += f".{suffix}"
            self.export(Path(path), deck)

    def export(self, path: Path, deck: bool = False) -> bool:
        """Write the graph (at the step shown) or the deck, with the menu's scale and
        background; False, with a message, on failure."""
        # Imported here: the exporters load numpy, and the window shows before it is loaded.
        from PySide6.QtWidgets import QMessageBox

        from gradviz.canvas.build import build_scene
        from gradviz.export import ExportOptions
        from gradviz.export.base import SLIDE
        from gradviz.export.headless import exporter_for

        binding = self.window.canvas
        model = binding.model
        if model is None:
            return False
        try:
            kind = exporter_for(path, deck)
            scene = build_scene(model, binding.style, binding.view.direction,
                                self.window.document.step)
            settings = self.window.settings
            options = ExportOptions(
                scale=1.0 if path.suffix == ".json" else settings.export_scale,
                transparent=settings.export_transparent, aspect=SLIDE if deck else None)
            exporter = kind(scene, options)
            exporter.export(path)
        except (OSError, ValueError) as error:
            QMessageBox.warning(self.window, "Export failed", f"{path}:\n{error}")
            return False
        if exporter.notes:
            QMessageBox.information(self.window, "Exported, smaller than asked",
                                    f"{path}:\n" + "\n".join(n[0].upper() + n[1:] + "."
                                                             for n in exporter.notes))
        self.window.statusBar().showMessage(f"Exported {path}", 5000)
        return True

"""Exporting without a window: the Qt application the command line needs, and the one call
that turns a run into files with the app's own drawing code."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtWidgets import QApplication

from gradviz.canvas.build import best_direction, build_scene
from gradviz.canvas.style import Style
from gradviz.export.base import Exporter, ExportOptions
from gradviz.export.deck import GifDeckExporter, PdfDeckExporter, PngFramesExporter
from gradviz.export.json_export import JsonExporter
from gradviz.export.pdf import PdfExporter
from gradviz.export.png import PngExporter
from gradviz.export.svg import SvgExporter
from gradviz.graph.model import GraphModel
from gradviz.script.run import Run

SINGLE: dict[str, type[Exporter]] = {
    ".png": PngExporter, ".svg": SvgExporter, ".pdf": PdfExporter, ".json": JsonExporter,
}
DECK: dict[str, type[Exporter]] = {
    ".pdf": PdfDeckExporter, ".png": PngFramesExporter, ".gif": GifDeckExporter,
}


def application() -> QApplication:
    """The running QApplication, or a new one on the offscreen platform unless the
    environment chose another."""
    app = QApplication.instance()
    if app is None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        app = QApplication([])
    return app  # type: ignore[return-value]


def exporter_for(path: str | os.PathLike[str], deck: bool = False) -> type[Exporter]:
    """The exporter class a file name asks for; ValueError for an unknown suffix."""
    table = DECK if deck else SINGLE
    suffix = Path(path).suffix.lower()
    if suffix not in table:
        kinds = ", ".join(table)
        what = "a deck" if deck else "a graph"
        raise ValueError(f"cannot export {what} to {str(path)!r}: the file name must end in "
                         f"one of {kinds}")
    return table[suffix]


def export_run(run: Run, path: str | os.PathLike[str], *, deck: bool = False,
               step: int | None = None, theme: str = "light", direction: str = "TB",
               options: ExportOptions | None = None, font_scale: float = 1.0) -> list[str]:
    """Draw `run`'s graph at `step` (default: the end) and write it to `path` atomically;
    return what the user should know about the file (a picture drawn smaller than asked)."""
    kind = exporter_for(path, deck)
    application()
    model = GraphModel(run)
    style = Style.named(theme, font_scale)
    if direction == "auto":  # the one that fills the page better
        steps = range(model.step_count + 1) if deck else None
        direction = best_direction(model, style, (options.aspect if options and options.aspect
                                                   else 4 / 3), steps)
    scene = build_scene(model, style, direction, step)
    exporter = kind(scene, options)
    exporter.export(path)
    return exporter.notes

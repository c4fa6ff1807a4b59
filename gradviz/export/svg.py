"""SVG: vectors with a `viewBox` in scene units, so slide software scales it crisply."""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, QSize
from PySide6.QtGui import QPainter
from PySide6.QtSvg import QSvgGenerator

from gradviz.canvas.style import FONT_FAMILY, MONO_FAMILY
from gradviz.export.base import Exporter
from gradviz.export.render import render_scene

# Slide software on machines without DejaVu falls back to these, in order.
FALLBACKS = {
    MONO_FAMILY: f"'{MONO_FAMILY}', Menlo, Consolas, 'Liberation Mono', monospace",
    FONT_FAMILY: f"'{FONT_FAMILY}', Verdana, 'Segoe UI', Arial, sans-serif",
}


class SvgExporter(Exporter):
    suffix = ".svg"

    def to_bytes(self) -> bytes:
        frame = self.frame()
        width, height = frame.width(), frame.height()
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        generator = QSvgGenerator()
        generator.setOutputDevice(buffer)
        generator.setSize(QSize(round(width), round(height)))
        generator.setViewBox(QRectF(0, 0, width, height))
        generator.setResolution(96)
        generator.setTitle("gradviz graph")
        generator.setDescription(f"step {self.scene.step}")
        with self.scene.clean_render(self.options.transparent):
            painter = QPainter(generator)
            try:
                render_scene(self.scene, painter, QRectF(0, 0, width, height), frame)
            finally:
                painter.end()
        buffer.close()
        svg = bytes(data.data())
        for family, fallback in FALLBACKS.items():
            svg = svg.replace(f'font-family="{family}"'.encode(),
                              f'font-family="{fallback}"'.encode())
        return svg

"""PNG: a raster at any scale (2 or 3 for sharp slides), optionally transparent."""

from __future__ import annotations

import math

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, Qt
from PySide6.QtGui import QImage, QPainter

from gradviz.export.base import Exporter
from gradviz.export.render import render_scene

SCREEN_DPI = 96.0


class PngExporter(Exporter):
    suffix = ".png"

    def image(self, frame: QRectF | None = None) -> QImage:
        """The picture as an image, `scale` pixels per scene unit."""
        frame = frame or self.frame()
        scale = self.options.scale
        width = max(1, math.ceil(frame.width() * scale))
        height = max(1, math.ceil(frame.height() * scale))
        # the frame grown to whole pixels, so no last row or column is left half painted
        frame = QRectF(frame.x(), frame.y(), width / scale, height / scale)
        image = QImage(width, height, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        # Record the density, so slide software places it at its intended physical size.
        dots_per_metre = round(SCREEN_DPI * scale / 0.0254)
        image.setDotsPerMeterX(dots_per_metre)
        image.setDotsPerMeterY(dots_per_metre)
        with self.scene.clean_render(self.options.transparent):
            painter = QPainter(image)
            try:
                render_scene(self.scene, painter, QRectF(0, 0, width, height), frame)
            finally:
                painter.end()
        return image

    def to_bytes(self) -> bytes:
        return image_bytes(self.image())


def image_bytes(image: QImage, fmt: str = "PNG") -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, fmt):
        raise RuntimeError(f"Qt could not encode the image as {fmt}")
    buffer.close()
    return bytes(data.data())

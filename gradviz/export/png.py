"""PNG: a raster at any scale (2 or 3 for sharp slides), optionally transparent."""

from __future__ import annotations

import math

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, Qt
from PySide6.QtGui import QImage, QPainter

from gradviz.export.base import Exporter
from gradviz.export.render import render_scene

SCREEN_DPI = 96.0
# The largest picture drawn: more than 32,767 pixels a side many image viewers will not open,
# and 2**28 pixels take 1 GiB while drawn. A larger graph is drawn at a smaller scale.
MAX_SIDE = 32767
MAX_PIXELS = 1 << 28


def raster_scale(frame: QRectF, scale: float) -> float:
    """`scale`, or the largest smaller one at which `frame` fits the limits above."""
    width, height = max(frame.width(), 1.0), max(frame.height(), 1.0)
    fit = min(MAX_SIDE / (width * scale), MAX_SIDE / (height * scale),
              math.sqrt(MAX_PIXELS / (width * height)) / scale)
    return scale if fit >= 1 else scale * fit


class PngExporter(Exporter):
    suffix = ".png"

    def image(self, frame: QRectF | None = None) -> QImage:
        """The picture as an image, `scale` pixels per scene unit."""
        frame = frame or self.frame()
        scale = raster_scale(frame, self.options.scale)
        shrunk = scale < self.options.scale
        if shrunk:
            self.notes.append(
                f"the picture would be {frame.width() * self.options.scale:,.0f} × "
                f"{frame.height() * self.options.scale:,.0f} pixels, past the PNG limit "
                f"({MAX_SIDE:,} a side, {MAX_PIXELS / 1e6:,.0f} million in all), so it is drawn "
                f"at scale {scale:.2g} instead of {self.options.scale:g}; SVG and PDF keep "
                "every detail at any size")
        whole = math.floor if shrunk else math.ceil  # a shrunk picture stays within the limits
        width = max(1, whole(frame.width() * scale))
        height = max(1, whole(frame.height() * scale))
        # the frame fitted to whole pixels, so no last row or column is left half painted
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

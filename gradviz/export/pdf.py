"""PDF: one vector page the size of the graph (1 scene unit = 1/96 inch, as on screen)."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QRectF, QSizeF
from PySide6.QtGui import QPageLayout, QPageSize, QPainter, QPdfWriter

from gradviz.canvas.scene import GraphScene
from gradviz.export.base import Exporter
from gradviz.export.render import render_scene

POINTS_PER_UNIT = 72 / 96
RESOLUTION = 1200


def pdf_bytes(scene: GraphScene, frame: QRectF, pages: Iterable[None], *,
              transparent: bool = False, title: str = "gradviz graph",
              decorate: Callable[[QPainter, QRectF], None] | None = None,
              header: float = 0.0) -> bytes:
    """A PDF with one page per item of `pages` (the caller changes the scene in between),
    each showing `frame` below `header` scene units drawn by `decorate`."""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setTitle(title)
    writer.setCreator("gradviz")
    writer.setResolution(RESOLUTION)
    size = QSizeF(frame.width() * POINTS_PER_UNIT, (frame.height() + header) * POINTS_PER_UNIT)
    writer.setPageLayout(QPageLayout(
        QPageSize(size, QPageSize.Unit.Point, "graph", QPageSize.SizeMatchPolicy.ExactMatch),
        QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0)))
    units = RESOLUTION / 96
    painter = QPainter()
    try:
        first = True
        for _ in pages:
            if first:
                if not painter.begin(writer):
                    raise RuntimeError("Qt could not start the PDF")
                first = False
            else:
                writer.newPage()
            if decorate is not None:
                painter.save()
                painter.scale(units, units)
                decorate(painter, QRectF(0, 0, frame.width(), header))
                painter.restore()
            target = QRectF(0, header * units, frame.width() * units, frame.height() * units)
            with scene.clean_render(transparent):
                render_scene(scene, painter, target, frame)
    finally:
        if painter.isActive():
            painter.end()
    buffer.close()
    return bytes(data.data())


class PdfExporter(Exporter):
    suffix = ".pdf"

    def to_bytes(self) -> bytes:
        return pdf_bytes(self.scene, self.frame(), [None], transparent=self.options.transparent)

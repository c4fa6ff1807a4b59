"""Step decks: one page before the backward pass and one after each step, for clicking through
backprop in any slide tool — a multi-page PDF, numbered PNG frames, or an animated GIF.

Every page frames the same rectangle (the graph plus wherever the step label goes on any
page), so pages line up exactly; a caption above the graph says which step it is.
"""

from __future__ import annotations

import io
import os
import zipfile
from collections.abc import Iterator
from pathlib import Path

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter

from gradviz.export.atomic import atomic_write
from gradviz.export.base import Exporter, to_aspect
from gradviz.export.pdf import pdf_bytes
from gradviz.export.png import PngExporter, image_bytes, raster_scale

CAPTION_HEIGHT = 34.0
GIF_FRAME_MS = 900


class DeckExporter(Exporter):
    """The pages of a deck: steps 0..N of the scene's model, each with a caption."""

    def steps(self) -> range:
        model = self.scene.model
        return range(0, (model.step_count if model is not None else 0) + 1)

    def frame(self) -> QRectF:
        return to_aspect(self.scene.graph_rect(self.steps()), self.options.aspect, self.header())

    def header(self) -> float:
        return self.scene.style.length(CAPTION_HEIGHT)

    def pages(self) -> Iterator[int]:
        """Show each step in turn; the scene returns to its step afterwards."""
        shown = self.scene.step
        try:
            for k in self.steps():
                self.scene.show_step(k)
                yield k
        finally:
            self.scene.show_step(shown)

    def draw_caption(self, painter: QPainter, rect: QRectF) -> None:
        """The page's caption, e.g. `Step 3 of 9 · MulBackward0: x2w2 → x2`."""
        style = self.scene.style
        model = self.scene.model
        if not self.options.transparent:
            painter.fillRect(rect, QColor(style.theme.background))
        if model is None:
            return
        pad = style.length(style.sizes.margin)
        text_rect = rect.adjusted(pad, 0, -pad, 0)
        painter.setFont(style.fonts.title)
        painter.setPen(QColor(style.theme.text))
        painter.drawText(text_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                         model.caption(self.scene.step))
        painter.setFont(style.fonts.small)
        painter.setPen(QColor(style.theme.muted))
        painter.drawText(text_rect, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                         f"{self.scene.step} / {model.step_count}")

    def page_image(self, frame: QRectF) -> QImage:
        """The page now shown, as an image at the exporter's scale."""
        header = self.header()
        page = QRectF(frame.x(), frame.y() - header, frame.width(), frame.height() + header)
        scale = raster_scale(page, self.options.scale)
        pictures = PngExporter(self.scene, self.options)
        image = pictures.image(page)
        self.notes.extend(note for note in pictures.notes if note not in self.notes)
        painter = QPainter(image)
        try:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
            painter.scale(scale, scale)
            painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_Source)
            painter.fillRect(QRectF(0, 0, frame.width(), header), Qt.GlobalColor.transparent)
            painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_SourceOver)
            self.draw_caption(painter, QRectF(0, 0, frame.width(), header))
        finally:
            painter.end()
        return image


class PdfDeckExporter(DeckExporter):
    """One vector page per step, all the same size."""

    suffix = ".pdf"

    def to_bytes(self) -> bytes:
        frame = self.frame()
        return pdf_bytes(self.scene, frame, (None for _ in self.pages()),
                         transparent=self.options.transparent, title="gradviz step deck",
                         decorate=self.draw_caption, header=self.header())


class PngFramesExporter(DeckExporter):
    """Numbered PNG files `NAME-000.png`, `NAME-001.png`, ... (step 0 is before backward)."""

    suffix = ".png"

    def frames(self) -> list[bytes]:
        frame = self.frame()
        return [image_bytes(self.page_image(frame)) for _ in self.pages()]

    @staticmethod
    def frame_paths(path: str | os.PathLike[str], count: int) -> list[Path]:
        target = Path(path)
        digits = max(3, len(str(count - 1)))
        return [target.with_name(f"{target.stem}-{k:0{digits}d}{target.suffix or '.png'}")
                for k in range(count)]

    def to_bytes(self) -> bytes:
        """All frames in one ZIP archive, named as `export` would name the files."""
        frames = self.frames()
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
            for path, data in zip(self.frame_paths("frame.png", len(frames)), frames, strict=True):
                archive.writestr(path.name, data)
        return out.getvalue()

    def export(self, path: str | os.PathLike[str]) -> None:
        """Write every frame beside `path`, each atomically; returns after the last one."""
        frames = self.frames()
        for frame_path, data in zip(self.frame_paths(path, len(frames)), frames, strict=True):
            atomic_write(frame_path, data)


class GifDeckExporter(DeckExporter):
    """An animated GIF that loops through the steps (needs Pillow: `pip install pillow`)."""

    suffix = ".gif"

    def to_bytes(self) -> bytes:
        try:
            from PIL import Image
        except ImportError as error:
            raise RuntimeError("GIF export needs Pillow: pip install pillow") from error
        frame = self.frame()
        images = []
        for _ in self.pages():
            data = image_bytes(self.page_image(frame))
            images.append(Image.open(io.BytesIO(data)).convert("RGB"))
        out = io.BytesIO()
        durations = [GIF_FRAME_MS * 2] + [GIF_FRAME_MS] * (len(images) - 2) + [GIF_FRAME_MS * 3]
        images[0].save(out, format="GIF", save_all=True, append_images=images[1:], loop=0,
                       duration=durations[:len(images)] if len(images) > 1 else GIF_FRAME_MS,
                       optimize=False)
        return out.getvalue()


__all__ = ["DeckExporter", "GifDeckExporter", "PdfDeckExporter", "PngFramesExporter"]

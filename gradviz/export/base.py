"""`Exporter`: what every format shares — the frame, the options, bytes, and atomic files."""

from __future__ import annotations

import os
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import ClassVar

from PySide6.QtCore import QRectF

from gradviz.canvas.scene import GraphScene
from gradviz.export.atomic import atomic_write

SLIDE = 16 / 9  # the shape of a widescreen slide


@dataclass(frozen=True)
class ExportOptions:
    """`scale` multiplies the pixel size of raster output (2 for high-DPI slides);
    `transparent` leaves the background out where the format allows it; `aspect` (width /
    height, e.g. 16/9) widens or heightens the picture around the graph to that shape, so it
    fills a slide."""

    scale: float = 1.0
    transparent: bool = False
    aspect: float | None = None

    def __post_init__(self) -> None:
        if not 0 < self.scale <= 16:
            raise ValueError(f"scale must be in (0, 16], not {self.scale}")
        if self.aspect is not None and not 0.1 <= self.aspect <= 10:
            raise ValueError(f"aspect must be between 1:10 and 10:1, not {self.aspect:g}")


def to_aspect(rect: QRectF, aspect: float | None, header: float = 0.0) -> QRectF:
    """`rect` grown evenly in width or height so that, with `header` above it, the whole is
    `aspect` wide per unit of height (unchanged when `aspect` is None)."""
    if aspect is None or rect.isEmpty():
        return QRectF(rect)
    height = rect.height() + header
    if rect.width() < aspect * height:
        grow = (aspect * height - rect.width()) / 2
        return rect.adjusted(-grow, 0, grow, 0)
    grow = (rect.width() / aspect - height) / 2
    return rect.adjusted(0, -grow, 0, grow)


class Exporter(ABC):
    """Turns a scene, at the step it shows, into one file's bytes."""

    suffix: ClassVar[str]

    def __init__(self, scene: GraphScene, options: ExportOptions | None = None) -> None:
        self.scene = scene
        self.options = options or ExportOptions()
        self.notes: list[str] = []  # what the user should know about the file written

    def frame(self) -> QRectF:
        """The part of the scene exported: the graph with its small margin, grown to the
        options' aspect if they give one."""
        return to_aspect(self.scene.graph_rect(), self.options.aspect)

    @abstractmethod
    def to_bytes(self) -> bytes:
        """The whole file's contents."""

    def export(self, path: str | os.PathLike[str]) -> None:
        """Write the file atomically: it appears complete or not at all."""
        atomic_write(path, self.to_bytes())

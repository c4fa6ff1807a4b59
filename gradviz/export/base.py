"""`Exporter`: what every format shares — the frame, the options, bytes, and atomic files."""

from __future__ import annotations

import os
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import ClassVar

from PySide6.QtCore import QRectF

from gradviz.canvas.scene import GraphScene
from gradviz.export.atomic import atomic_write


@dataclass(frozen=True)
class ExportOptions:
    """`scale` multiplies the pixel size of raster output (2 for high-DPI slides);
    `transparent` leaves the background out where the format allows it."""

    scale: float = 1.0
    transparent: bool = False

    def __post_init__(self) -> None:
        if not 0 < self.scale <= 16:
            raise ValueError(f"scale must be in (0, 16], not {self.scale}")


class Exporter(ABC):
    """Turns a scene, at the step it shows, into one file's bytes."""

    suffix: ClassVar[str]

    def __init__(self, scene: GraphScene, options: ExportOptions | None = None) -> None:
        self.scene = scene
        self.options = options or ExportOptions()

    def frame(self) -> QRectF:
        """The part of the scene exported: exactly the graph with its small margin."""
        return self.scene.graph_rect()

    @abstractmethod
    def to_bytes(self) -> bytes:
        """The whole file's contents."""

    def export(self, path: str | os.PathLike[str]) -> None:
        """Write the file atomically: it appears complete or not at all."""
        atomic_write(path, self.to_bytes())

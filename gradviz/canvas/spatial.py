"""`Grid`: what lies near a rectangle of the scene, in time that does not grow with the graph.

The step label looks for a free place at every step. Asking the scene (`QGraphicsScene.items`)
calls each candidate item's Python `boundingRect`, about 9 ms on a 2,000-node graph; the nodes
and edges stay put between layouts, so their rectangles are filed once into square cells.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Generic, TypeVar

from PySide6.QtCore import QRectF

T = TypeVar("T")

CELL = 256.0  # scene units: about a card across


class Grid(Generic[T]):
    """Things filed by the cells their rectangles touch."""

    def __init__(self, entries: Iterable[tuple[T, QRectF]] = (), cell: float = CELL) -> None:
        self.cell = cell
        self._cells: dict[tuple[int, int], list[T]] = {}
        for thing, rect in entries:
            self.add(thing, rect)

    def _span(self, rect: QRectF) -> tuple[range, range]:
        c = self.cell
        return (range(math.floor(rect.left() / c), math.floor(rect.right() / c) + 1),
                range(math.floor(rect.top() / c), math.floor(rect.bottom() / c) + 1))

    def add(self, thing: T, rect: QRectF) -> None:
        columns, rows = self._span(rect)
        for column in columns:
            for row in rows:
                self._cells.setdefault((column, row), []).append(thing)

    def near(self, rect: QRectF) -> list[T]:
        """Everything filed in a cell `rect` touches, each once, in filing order per cell."""
        found: dict[int, T] = {}
        columns, rows = self._span(rect)
        for column in columns:
            for row in rows:
                for thing in self._cells.get((column, row), ()):
                    found.setdefault(id(thing), thing)
        return list(found.values())

"""`OverviewItem`: the whole graph in one paint call, for zoom levels where cards are specks.

Below `painting.LOD_BOXES` the view hides the per-node and per-edge items and shows this one
instead: node boxes grouped by colour and edges grouped by state, each group drawn with a
single Qt call. A 5,000-node graph then repaints in a few milliseconds instead of paying
Python's cost for ten thousand `paint` calls. It rebuilds its groups lazily, when shown after
the step or the style changed.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import pairwise

from PySide6.QtCore import QLineF, QPointF, QRectF
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from gradviz.canvas.edge_item import EdgeItem
from gradviz.canvas.op_item import OpItem
from gradviz.canvas.style import Z_NODE, Style
from gradviz.canvas.tensor_item import TensorItem
from gradviz.graph.progress import State


class OverviewItem(QGraphicsItem):
    """Boxes and lines for every node and edge of a scene, drawn in a handful of calls."""

    def __init__(self, style: Style) -> None:
        super().__init__()
        self.style = style
        self.setZValue(Z_NODE)
        self._bounds = QRectF()
        self._nodes: list[TensorItem | OpItem] = []
        self._edges: list[EdgeItem] = []
        self._lines: dict[EdgeItem, list[QLineF]] = {}
        # colour -> {node item: its box}; state -> {edge item: its segments}
        self._boxes: dict[str, dict[QGraphicsItem, QRectF]] = {}
        self._segments: dict[State, dict[QGraphicsItem, list[QLineF]]] = {}
        self._group_of: dict[QGraphicsItem, str | State] = {}
        self._stale: set[QGraphicsItem] | None = None  # None: regroup everything
        self.setVisible(False)

    def set_items(self, nodes: Iterable[TensorItem | OpItem], edges: Iterable[EdgeItem],
                  bounds: QRectF) -> None:
        self.prepareGeometryChange()
        self._nodes, self._edges = list(nodes), list(edges)
        self._lines = {edge: [QLineF(QPointF(*a), QPointF(*b))
                              for a, b in pairwise(edge.points)]
                       for edge in self._edges}
        self._bounds = QRectF(bounds)
        self.invalidate()

    def set_style(self, style: Style) -> None:
        self.style = style
        self.invalidate()

    def invalidate(self, items: Iterable[QGraphicsItem] | None = None) -> None:
        """`items` changed state (None: everything did); regroup them before the next
        paint."""
        if items is None:
            self._stale = None
        elif self._stale is not None:
            self._stale.update(items)
        if self.isVisible():
            self.update()

    def _node_colour(self, item: TensorItem | OpItem) -> str:
        theme = self.style.theme
        if item.state == State.CURRENT:
            return theme.accent
        if isinstance(item, OpItem):
            return theme.op.border
        return item.colours().border

    def _regroup(self) -> None:
        stale = self._stale
        if stale is None:
            self._boxes, self._segments, self._group_of = {}, {}, {}
            stale = {*self._nodes, *self._edges}
        for item in stale:
            old = self._group_of.pop(item, None)
            if isinstance(item, EdgeItem):
                if old is not None:
                    del self._segments[old][item]
                self._segments.setdefault(item.state, {})[item] = self._lines[item]
                self._group_of[item] = item.state
            elif isinstance(item, TensorItem | OpItem):
                if old is not None:
                    del self._boxes[old][item]
                colour = self._node_colour(item)
                self._boxes.setdefault(colour, {})[item] = item.mapRectToScene(item.rect)
                self._group_of[item] = colour
        self._stale = set()

    def boundingRect(self) -> QRectF:
        return QRectF(self._bounds)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        if self._stale is None or self._stale:
            self._regroup()
        theme = self.style.theme
        colours = {State.INERT: theme.edge, State.PENDING: theme.edge_pending,
                   State.DONE: theme.edge_done, State.CURRENT: theme.accent}
        for state in (State.INERT, State.PENDING, State.DONE, State.CURRENT):
            group = self._segments.get(state)
            if group:
                pen = QPen(QColor(colours[state]), 2 if state == State.CURRENT else 0)
                pen.setCosmetic(True)
                painter.setPen(pen)
                painter.drawLines([line for lines in group.values() for line in lines])
        for colour, boxes in self._boxes.items():
            if boxes:
                painter.setPen(QPen(QColor(colour), 0))
                painter.setBrush(QColor(colour))
                painter.drawRects(list(boxes.values()))

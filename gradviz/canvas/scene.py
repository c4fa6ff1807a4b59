"""`GraphScene`: the items of one laid-out graph, shown at one step of the backward pass.

`set_graph` builds one item per node and edge from a `GraphModel` and a `Layout`;
`show_step(k)` asks the model which nodes and edges differ from the step shown and touches
only those items (plus the step label), so stepping through a big graph stays cheap.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QPointF, QRectF, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsScene,
    QGraphicsSceneHelpEvent,
    QToolTip,
)

from gradviz.canvas.edge_item import EdgeItem
from gradviz.canvas.op_item import OpItem
from gradviz.canvas.overview_item import OverviewItem
from gradviz.canvas.spatial import Grid
from gradviz.canvas.step_label_item import StepLabelItem
from gradviz.canvas.style import Style
from gradviz.canvas.tensor_item import TensorItem
from gradviz.canvas.tooltips import node_tooltip

if TYPE_CHECKING:
    from gradviz.graph.model import EdgeId, GraphModel
    from gradviz.layout import Layout

NodeItem = TensorItem | OpItem


class GraphScene(QGraphicsScene):
    """Items for a model and a layout; the step shown is `step`."""

    step_shown = Signal(int)

    def __init__(self, style: Style | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.style = style or Style()
        self.model: GraphModel | None = None
        self.layout: Layout | None = None
        self.direction = "TB"
        self.step = 0
        self.node_items: dict[str, NodeItem] = {}
        self.edge_items: dict[EdgeId, EdgeItem] = {}
        self.label = StepLabelItem(self.style)
        self.addItem(self.label)
        self.overview = OverviewItem(self.style)
        self.addItem(self.overview)
        self.overview_shown = False
        self.touched: set[QGraphicsItem] = set()  # the items the last show_step changed
        self._near: Grid[QGraphicsItem] = Grid()
        self.setItemIndexMethod(QGraphicsScene.ItemIndexMethod.BspTreeIndex)
        self._apply_background()

    # --- building ----------------------------------------------------------------------------
    def set_graph(self, model: GraphModel, layout: Layout, direction: str = "TB",
                  step: int | None = None) -> None:
        """Replace the drawing with `model` placed by `layout`, shown at `step` (default: the
        step shown before, or the end for a new model)."""
        keep_step = self.model is model
        self.clear_graph()
        self.model, self.layout, self.direction = model, layout, direction
        style = self.style
        for key, info in model.nodes.items():
            box = layout.nodes[key]
            item: NodeItem
            if info.kind == "tensor":
                item = TensorItem(info, style, model.card_texts(key))
            else:
                item = OpItem(info, style)
            item.setPos(box.x, box.y)
            self.addItem(item)
            self.node_items[key] = item
        infos = {edge.id: edge for edge in model.edges}
        for route in layout.edges:
            edge_id = (route.source, route.target, route.key)
            edge = EdgeItem(infos[edge_id], route.points, direction, style)
            self.addItem(edge)
            self.edge_items[edge_id] = edge
        self._file_items()
        target = self.step if keep_step else model.step_count
        self.step = -1
        self._refresh_all(model.clamp(target if step is None else step))
        self.overview.set_items(self.node_items.values(), self.edge_items.values(),
                                self.graph_rect())
        if self.overview_shown:
            self.overview_shown = False
            self.show_overview(True)

    def _file_items(self) -> None:
        """File the nodes and edges where they are, for the step label's search."""
        self._near = Grid([*((item, item.mapRectToScene(item.rect))
                             for item in self.node_items.values()),
                           *((edge, edge.sceneBoundingRect())
                             for edge in self.edge_items.values())])

    def clear_graph(self) -> None:
        """Remove every node and edge item (the label stays)."""
        for item in [*self.node_items.values(), *self.edge_items.values()]:
            self.removeItem(item)
        self.node_items.clear()
        self.edge_items.clear()
        self.label.set_step(None, "", "", QPointF())
        self.model = None
        self.layout = None

    def graph_rect(self, steps: Iterable[int] | None = None) -> QRectF:
        """The drawing with its margin: what fit-to-window and the exporters frame.

        It includes the step label at each of `steps` (default: the step shown), so a deck
        can frame every page alike.
        """
        if self.layout is None:
            return QRectF()
        margin = self.style.length(self.style.sizes.margin)
        rect = QRectF(0, 0, self.layout.width, self.layout.height)
        for item in self.node_items.values():
            rect = rect.united(item.mapRectToScene(item.rect))
        for k in [self.step] if steps is None else steps:
            label = self.label_rect(k)
            if not label.isEmpty():
                rect = rect.united(label)
        return rect.adjusted(-margin, -margin, margin, margin)

    # --- stepping ------------------------------------------------------------------------------
    def show_step(self, k: int) -> None:
        """Show the state after k steps, changing only the items that differ."""
        model = self.model
        if model is None:
            return
        k = model.clamp(k)
        if k == self.step:
            self.touched = set()
            return
        diff = model.diff(self.step, k)
        touched: set[QGraphicsItem] = set()
        for key in diff.nodes:
            self._show_node(key, k)
            touched.add(self.node_items[key])
        for edge_id in diff.edges:
            item = self.edge_items.get(edge_id)
            if item is not None:
                item.set_state(model.edge_state(edge_id, k))
                touched.add(item)
        self.step = k
        self._show_label(k)
        touched.add(self.label)
        if self.overview_shown:
            self.overview.invalidate(touched)
            touched.add(self.overview)
        self.touched = touched
        self.step_shown.emit(k)

    def hold_grad(self, key: str) -> None:
        """Show the tensor's `.grad` as it was before the step shown, while the gradient is
        still on its way (`release_grad` shows it arrive)."""
        item = self.node_items.get(key)
        if self.model is not None and isinstance(item, TensorItem) and self.step > 0:
            before = self.model.grad(key, self.step - 1)
            item.set_state(self.model.node_state(key, self.step), replace(before, changed=False))

    def release_grad(self, key: str) -> None:
        """Show the tensor's `.grad` as it is at the step shown, highlighted if it changed."""
        if self.model is not None and key in self.node_items:
            self._show_node(key, self.step)

    def _refresh_all(self, k: int) -> None:
        model = self.model
        assert model is not None
        for key in self.node_items:
            self._show_node(key, k)
        for edge_id, item in self.edge_items.items():
            item.set_state(model.edge_state(edge_id, k))
        self.step = k
        self._show_label(k)
        self.touched = {*self.node_items.values(), *self.edge_items.values(), self.label}
        self.step_shown.emit(k)

    def _show_node(self, key: str, k: int) -> None:
        model = self.model
        assert model is not None
        item = self.node_items[key]
        if isinstance(item, TensorItem):
            item.set_state(model.node_state(key, k), model.grad(key, k))
        else:
            item.set_state(model.node_state(key, k))

    def _show_label(self, k: int) -> None:
        placed = self._label_placement(k)
        if placed is None:
            self.label.set_step(None, "", "", QPointF())
        else:
            self.label.set_step(*placed)

    def _label_placement(self, k: int) -> tuple | None:
        """What the step label shows at step k and where: (current, output name, input
        name, anchor, side), or None.

        Candidates sit beside points along the current edge; the winner covers the least of
        the nodes, never the current edge itself, as few other edges as it can, and stays
        inside the drawing where it can.
        """
        model = self.model
        assert model is not None
        current = model.current(k)
        edge = self.edge_items.get(current.edge) if current is not None else None
        if current is None or edge is None:
            return None
        output = model.nodes[current.output].label if current.output else "out"
        input_name = model.nodes[current.input].label
        rect = StepLabelItem.measure(StepLabelItem.texts(current, output, input_name),
                                     self.style)
        bounds = QRectF(0, 0, self.layout.width, self.layout.height) if self.layout else QRectF()
        sides = ("right", "left", "above", "below") if self.direction == "TB" else (
            "above", "below", "right", "left")
        best: tuple[float, QPointF, str] | None = None
        samples = [edge.path.pointAtPercent(i / 40) for i in range(41)]
        op_box = self.node_items[current.op]
        op_rect = op_box.mapRectToScene(op_box.rect)
        # Beside the middle of the edge first, then elsewhere along it, then beside the op.
        anchors = [(edge.path.pointAtPercent(p), sides) for p in (0.5, 0.35, 0.65, 0.2, 0.8)]
        if self.direction == "TB":
            anchors += [(QPointF(op_rect.right(), op_rect.center().y()), ("right",)),
                        (QPointF(op_rect.left(), op_rect.center().y()), ("left",))]
        else:
            anchors += [(QPointF(op_rect.center().x(), op_rect.top()), ("above",)),
                        (QPointF(op_rect.center().x(), op_rect.bottom()), ("below",))]
        for rank, (anchor, anchor_sides) in enumerate(anchors):
            for order, side in enumerate(anchor_sides):
                penalty = rank * 40 + order * 10  # grows along the candidates (order < 4)
                if best is not None and best[0] <= penalty:
                    break  # no later candidate can cost less
                placed = rect.translated(StepLabelItem.place(rect, anchor, side, self.style))
                cost = self._label_cost(placed, edge, samples, bounds) + penalty
                if best is None or cost < best[0]:
                    best = (cost, anchor, side)
        assert best is not None
        return current, output, input_name, best[1], best[2]

    def _label_cost(self, placed: QRectF, edge: EdgeItem, samples: list[QPointF],
                    bounds: QRectF) -> float:
        """How bad a place for the step label is: the node area it covers, how much of the
        current edge it hides (its arrowhead end most), the other edges it crosses, and how
        far it sticks out of the drawing."""
        cost = 0.0
        for item in self._near.near(placed):
            if isinstance(item, TensorItem | OpItem):
                overlap = item.mapRectToScene(item.rect).intersected(placed)
                cost += overlap.width() * overlap.height()
            elif isinstance(item, EdgeItem) and item is not edge and \
                    item.shape().intersects(placed):
                cost += 400.0
        for i, point in enumerate(samples):
            if placed.contains(point):
                cost += 3000.0 if i < 6 else 600.0
        if not bounds.isEmpty() and not bounds.contains(placed):
            inside = placed.intersected(bounds)
            cost += (placed.width() * placed.height() - inside.width() * inside.height()) * 0.05
        return cost

    def label_rect(self, k: int) -> QRectF:
        """Where the step label sits at step k, in scene coordinates (empty at step 0)."""
        placed = self._label_placement(k)
        if placed is None:
            return QRectF()
        current, output, input_name, anchor, side = placed
        rect = StepLabelItem.measure(StepLabelItem.texts(current, output, input_name),
                                     self.style)
        centre = StepLabelItem.place(rect, anchor, side, self.style)
        return rect.translated(centre)

    # --- looks ---------------------------------------------------------------------------------
    def set_style(self, style: Style) -> None:
        """Apply a theme or font scale. Sizes may change: the caller re-runs the layout when
        `needs_layout(style)` said so."""
        self.style = style
        for item in [*self.node_items.values(), *self.edge_items.values(), self.label,
                     self.overview]:
            item.set_style(style)
        self._file_items()
        self._apply_background()
        if self.model is not None:
            self._show_label(self.step)

    def needs_layout(self, style: Style) -> bool:
        """Whether nodes drawn in `style` would have other sizes than now."""
        return style.scale != self.style.scale or style.sizes != self.style.sizes

    def _apply_background(self) -> None:
        self.setBackgroundBrush(QBrush(QColor(self.style.theme.background)))

    def show_overview(self, shown: bool) -> None:
        """Draw the graph as one overview item (for tiny zoom levels) or as its items."""
        if shown == self.overview_shown:
            return
        self.overview_shown = shown
        for item in [*self.node_items.values(), *self.edge_items.values()]:
            item.setVisible(not shown)
        self.overview.invalidate()
        self.overview.setVisible(shown)

    @contextmanager
    def clean_render(self, transparent: bool = False) -> Iterator[None]:
        """Full detail, no selection and, if asked, no background while exporting; all
        restored afterwards."""
        selected = self.selectedItems()
        self.clearSelection()
        overview = self.overview_shown
        self.show_overview(False)
        background = self.backgroundBrush()
        if transparent:
            self.setBackgroundBrush(QBrush())
        try:
            yield
        finally:
            self.setBackgroundBrush(background)
            self.show_overview(overview)
            for item in selected:
                item.setSelected(True)

    # --- tooltips ------------------------------------------------------------------------------
    def node_at(self, point: QPointF) -> str | None:
        """The key of the node under a scene point."""
        for item in self.items(point):
            if isinstance(item, TensorItem | OpItem):
                return item.info.key
        return None

    def helpEvent(self, event: QGraphicsSceneHelpEvent) -> None:
        key = self.node_at(event.scenePos())
        if key is None or self.model is None:
            QToolTip.hideText()
            event.ignore()
            return
        QToolTip.showText(event.screenPos(), node_tooltip(self.model, key, self.step))
        event.accept()

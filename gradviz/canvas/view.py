"""`GraphView`: the canvas widget — zoom, pan, fit, find, and the graph at any step.

Mouse wheel zooms at the cursor; a trackpad's two-finger scroll pans (Ctrl + scroll zooms);
pinch zooms; drag pans. Keys: `+`/`-` zoom, `0` 100 %, `F` fit, `Z` zoom to the selection,
arrows pan. Items draw less when zoomed out (see `painting.LOD_*`), so big graphs pan
smoothly. Layout runs on a worker thread; `layout_ready` fires when the new drawing is up.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QKeyEvent,
    QMouseEvent,
    QNativeGestureEvent,
    QPainter,
    QPaintEvent,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QApplication,
    QGestureEvent,
    QGraphicsView,
    QPinchGesture,
    QWidget,
)

from gradviz.canvas.build import gaps, node_sizes
from gradviz.canvas.layout_worker import LayoutWorker
from gradviz.canvas.painting import LOD_BOXES
from gradviz.canvas.scene import GraphScene
from gradviz.canvas.style import Style

if TYPE_CHECKING:
    from gradviz.graph.model import GraphModel
    from gradviz.layout import Layout

MIN_ZOOM = 0.02
MAX_ZOOM = 8.0
WHEEL_STEP = 1.0015  # zoom factor per 1/8 degree of wheel rotation
KEY_STEP = 1.25
FIT_MAX_ZOOM = 1.5
# The automatic fit never goes below this: a graph a few windows big opens on the part where
# the backward pass is, with its text readable (F fits the whole graph at any size). Beyond
# READABLE_VIEWS windows of it, following the steps would jump about at every step: such a
# graph opens fitted, as an overview to zoom into.
READABLE_ZOOM = 0.5
READABLE_VIEWS = 6.0


class GraphView(QGraphicsView):
    """Shows a `GraphScene`; owns the layout worker that places its model."""

    layout_ready = Signal()
    layout_failed = Signal(str)
    zoom_changed = Signal(float)

    def __init__(self, style: Style | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.graph_scene = GraphScene(style or Style(), self)
        self.setScene(self.graph_scene)
        self.direction = "TB"
        self._model: GraphModel | None = None
        self._pending_step: int | None = None
        # How the view follows the window's size: "readable" (the start), "all" (after F), or
        # None once the user has zoomed or panned.
        self.auto_fit: str | None = "readable"
        self._whole = True  # the readable fit shows the whole graph (nothing to follow)
        self.worker = LayoutWorker(self)
        self.worker.ready.connect(self._layout_ready)
        self.worker.failed.connect(self.layout_failed)
        self.setRenderHints(QPainter.RenderHint.Antialiasing
                            | QPainter.RenderHint.TextAntialiasing)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.MinimalViewportUpdate)
        self.setOptimizationFlag(QGraphicsView.OptimizationFlag.DontAdjustForAntialiasing)
        self.setCacheMode(QGraphicsView.CacheModeFlag.CacheBackground)
        # No scrollbars: dragging, the wheel and the keys pan. Shown as needed, they would
        # take room from the viewport at each fit and give it back at the next, without end.
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # A viewport made here, as Qt would make it: asking Qt for its own first makes PySide
        # look up the type of a C++-made widget, a cost the window's first paint would wait for.
        viewport = QWidget()
        self.setViewport(viewport)
        viewport.grabGesture(Qt.GestureType.PinchGesture)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def paintEvent(self, event: QPaintEvent) -> None:
        # Below the box level of detail one overview item draws the whole graph; checked here
        # so that every way of changing the transform is covered.
        self.graph_scene.show_overview(self.zoom < LOD_BOXES)
        super().paintEvent(event)

    # --- what is shown -------------------------------------------------------------------------
    @property
    def model(self) -> GraphModel | None:
        return self.graph_scene.model

    @property
    def style(self) -> Style:
        return self.graph_scene.style

    def set_model(self, model: GraphModel, step: int | None = None,
                  direction: str | None = None) -> None:
        """Lay out `model` in the background and show it at `step` (default: the end)."""
        self._model = model
        self._pending_step = step
        if direction is not None:
            self.direction = direction
        self._relayout()

    def set_direction(self, direction: str) -> None:
        """Lay the graph out top-to-bottom ("TB") or left-to-right ("LR")."""
        if direction != self.direction:
            self.direction = direction
            if self.model is not None:
                self._pending_step = self.graph_scene.step
                self._relayout()

    def set_style(self, style: Style) -> None:
        """Switch theme or font scale; a new type size re-runs the layout."""
        relayout = self.graph_scene.needs_layout(style)
        self.graph_scene.set_style(style)
        self.resetCachedContent()
        if relayout and self.model is not None:
            self._pending_step = self.graph_scene.step
            self._relayout()

    def show_step(self, k: int) -> None:
        """Show the graph after k backward steps (only the changed items repaint)."""
        if self.graph_scene.model is None:
            self._pending_step = k
        else:
            self.graph_scene.show_step(k)
            if self.auto_fit == "readable":  # until the user zooms or pans
                self._follow()

    def _relayout(self) -> None:
        model = self._model
        if model is None:
            return
        style = self.graph_scene.style
        node_gap, layer_gap = gaps(style, self.direction)
        self.worker.request(model.graph, node_sizes(model, style), self.direction, node_gap,
                            layer_gap)

    def _layout_ready(self, layout: Layout) -> None:
        if self._model is None:
            return
        first = self.graph_scene.model is not self._model
        self.graph_scene.set_graph(self._model, layout, self.direction, self._pending_step)
        self._pending_step = None
        self.setSceneRect(self._padded(self.graph_scene.graph_rect()))
        if first or self.auto_fit == "readable":
            self.fit_readable()
        elif self.auto_fit == "all":
            self.fit()  # a new layout (larger type, another direction) still fits the window
        self.layout_ready.emit()

    def _padded(self, rect: QRectF) -> QRectF:
        """Room to pan past the drawing's edges by half a window."""
        w, h = max(rect.width(), 400.0), max(rect.height(), 300.0)
        return rect.adjusted(-w / 2, -h / 2, w / 2, h / 2)

    # --- zoom and navigation --------------------------------------------------------------
    @property
    def zoom(self) -> float:
        """The current scale: 1.0 is 100 %."""
        return self.transform().m11()

    def zoom_by(self, factor: float, anchor: QPointF | None = None) -> None:
        """Zoom by `factor` about `anchor` (a viewport point; default: under the mouse)."""
        self.auto_fit = None
        target = min(MAX_ZOOM, max(MIN_ZOOM, self.zoom * factor))
        factor = target / self.zoom
        if factor == 1.0:
            return
        if anchor is None:
            self.scale(factor, factor)
        else:
            before = self.mapToScene(anchor.toPoint())
            self.setTransformationAnchor(QGraphicsView.ViewportAnchor.NoAnchor)
            self.scale(factor, factor)
            after = self.mapToScene(anchor.toPoint())
            delta = after - before
            self.translate(delta.x(), delta.y())
            self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.zoom_changed.emit(self.zoom)

    def set_zoom(self, zoom: float) -> None:
        self.zoom_by(zoom / self.zoom)

    def fit(self) -> None:
        """Fit the whole graph in the window (a small graph is magnified up to 150 %, so the
        tutorial fills a projected screen); until the user zooms or pans, the graph keeps
        fitting as the window is resized."""
        self.fit_rect(self.graph_scene.graph_rect(), max_zoom=FIT_MAX_ZOOM)
        self.auto_fit = "all"

    def fit_readable(self) -> None:
        """Fit the whole graph if its text stays readable, or if it is too big to explore
        step by step; else show, at the smallest readable zoom, the step shown (or the first
        step: where backward starts)."""
        rect = self.graph_scene.graph_rect()
        port = self.viewport().rect()
        if rect.isEmpty() or port.isEmpty():
            return
        readable_area = rect.width() * rect.height() * READABLE_ZOOM ** 2
        fitted = min(port.width() / rect.width(), port.height() / rect.height())
        # nearly readable fitted (within a fifth) is better seen whole
        self._whole = fitted >= 0.8 * READABLE_ZOOM \
            or readable_area > READABLE_VIEWS * port.width() * port.height()
        if self._whole:
            self.fit_rect(rect, max_zoom=FIT_MAX_ZOOM)
        else:
            self.resetTransform()
            self.scale(READABLE_ZOOM, READABLE_ZOOM)
            self._centre_on(self._focus_rect())
            self.zoom_changed.emit(self.zoom)
        self.auto_fit = "readable"

    def _focus_rect(self) -> QRectF:
        """Where the backward pass is: the receiving card of the step shown (before backward,
        of the first step), with the step's label and op, and its output, as far as they fit
        in the view together; the graph if there is no step."""
        scene, model = self.graph_scene, self.graph_scene.model
        current = model.current(max(scene.step, 1)) if model is not None else None
        if current is None:
            return scene.graph_rect()
        label = scene.label
        parts = [scene.node_items.get(current.input),
                 label if scene.step > 0 and label.isVisible() else None,
                 scene.node_items.get(current.op), scene.node_items.get(current.output)]
        room = self.mapToScene(self.viewport().rect()).boundingRect()
        rect = QRectF()
        for part in parts:
            if part is None:
                continue
            grown = rect.united(part.sceneBoundingRect())
            if not rect.isNull() and (grown.width() > room.width()
                                      or grown.height() > room.height()):
                break
            rect = grown
        return rect

    def _follow(self) -> None:
        """When the step shown leaves the view, pan to centre it (the zoom stays): one pan
        serves the next steps too, where edging along would pan, and repaint, at each."""
        if self._whole:
            return  # the whole graph is in view (a label in the margin needs no pan)
        focus = self._focus_rect()
        if not self.mapToScene(self.viewport().rect()).boundingRect().contains(focus):
            self._centre_on(focus)

    def _centre_on(self, focus: QRectF) -> None:
        """Centre `focus`, but keep the view on the drawing: no empty margin beyond the
        graph's edge where the graph could fill the view instead."""
        graph = self.graph_scene.graph_rect()
        shown = self.mapToScene(self.viewport().rect()).boundingRect()
        x, y = focus.center().x(), focus.center().y()
        half_w, half_h = shown.width() / 2, shown.height() / 2
        x = graph.center().x() if graph.width() <= shown.width() else min(
            max(x, graph.left() + half_w), graph.right() - half_w)
        y = graph.center().y() if graph.height() <= shown.height() else min(
            max(y, graph.top() + half_h), graph.bottom() - half_h)
        self.centerOn(QPointF(x, y))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.model is None:
            return
        if self.auto_fit == "all":
            self.fit()
        elif self.auto_fit == "readable":
            self.fit_readable()

    def fit_rect(self, rect: QRectF, max_zoom: float = MAX_ZOOM) -> None:
        if rect.isEmpty():
            return
        self.fitInView(rect, Qt.AspectRatioMode.KeepAspectRatio)
        zoom = min(max_zoom, max(MIN_ZOOM, self.zoom))
        if zoom != self.zoom:
            self.resetTransform()
            self.scale(zoom, zoom)
            self.centerOn(rect.center())
        self.zoom_changed.emit(self.zoom)

    def zoom_to_selection(self) -> bool:
        """Frame the selected nodes; False when nothing is selected."""
        self.auto_fit = None
        items = self.graph_scene.selectedItems()
        if not items:
            return False
        rect = QRectF()
        for item in items:
            rect = rect.united(item.sceneBoundingRect())
        margin = self.style.length(40)
        self.fit_rect(rect.adjusted(-margin, -margin, margin, margin), max_zoom=1.5)
        return True

    def find(self, name: str) -> list[str]:
        """Select and frame the nodes called `name` (or whose label contains it)."""
        if self.model is None or not name:
            return []
        keys = self.model.find(name)
        self.graph_scene.clearSelection()
        for key in keys:
            self.graph_scene.node_items[key].setSelected(True)
        if keys:
            self.zoom_to_selection()
        return keys

    # --- input ------------------------------------------------------------------------------
    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._pressed_at = event.position()
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        pressed = getattr(self, "_pressed_at", None)
        if pressed is not None and event.buttons() and (
                event.position() - pressed).manhattanLength() >= QApplication.startDragDistance():
            self.auto_fit = None  # a drag pans: the user has taken over the view (a click not)
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        self._pressed_at = None
        super().mouseReleaseEvent(event)

    def wheelEvent(self, event: QWheelEvent) -> None:
        self.auto_fit = None
        modifiers = event.modifiers()
        trackpad = not event.pixelDelta().isNull()
        if modifiers & Qt.KeyboardModifier.ControlModifier or not trackpad:
            if modifiers & Qt.KeyboardModifier.ShiftModifier and not trackpad:
                super().wheelEvent(event)  # Shift + wheel scrolls sideways
                return
            delta = event.angleDelta().y() or event.angleDelta().x()
            self.zoom_by(WHEEL_STEP ** delta, event.position())
            event.accept()
            return
        super().wheelEvent(event)  # two-finger scroll pans

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Gesture:
            return self._gesture(event)  # type: ignore[arg-type]
        if event.type() == QEvent.Type.NativeGesture:
            native: QNativeGestureEvent = event  # type: ignore[assignment]
            if native.gestureType() == Qt.NativeGestureType.ZoomNativeGesture:
                self.zoom_by(1.0 + native.value(), native.position())
                return True
        return super().viewportEvent(event)

    def _gesture(self, event: QGestureEvent) -> bool:
        pinch = event.gesture(Qt.GestureType.PinchGesture)
        if isinstance(pinch, QPinchGesture):
            change = pinch.scaleFactor()
            if change > 0:
                self.zoom_by(change, self.mapFromGlobal(pinch.centerPoint().toPoint()).toPointF())
            event.accept(pinch)
            return True
        return False

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        actions = {
            Qt.Key.Key_Plus: lambda: self.zoom_by(KEY_STEP, self._centre()),
            Qt.Key.Key_Equal: lambda: self.zoom_by(KEY_STEP, self._centre()),
            Qt.Key.Key_Minus: lambda: self.zoom_by(1 / KEY_STEP, self._centre()),
            Qt.Key.Key_0: lambda: self.zoom_by(1.0 / self.zoom, self._centre()),
            Qt.Key.Key_F: self.fit,
            Qt.Key.Key_Z: self.zoom_to_selection,
        }
        action = actions.get(Qt.Key(key))
        if action is None:
            super().keyPressEvent(event)
            return
        action()
        event.accept()

    def _centre(self) -> QPointF:
        return QPointF(self.viewport().width() / 2, self.viewport().height() / 2)

"""Binds the graph canvas to the document: a run becomes a drawing, steps animate, and a
click on a node and the document's selection follow each other."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSignalBlocker, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QInputDialog, QWidget

from gradviz.app import theme as app_theme
from gradviz.app.document import Document
from gradviz.app.player import Player
from gradviz.app.settings import AppSettings
from gradviz.canvas.style import Style
from gradviz.canvas.view import GraphView

if TYPE_CHECKING:
    from gradviz.canvas.pulse_item import PulseItem
    from gradviz.graph.model import GraphModel


def canvas_theme(choice: str) -> str:
    """The canvas draws light, dark or print; `system` follows the window."""
    return "print" if choice == "print" else app_theme.resolve(choice)


class CanvasBinding(QObject):
    """Owns the `GraphView` in the window's centre and keeps it in step with the document."""

    info_changed = Signal(str)

    def __init__(self, document: Document, player: Player, settings: AppSettings,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.document, self.player, self.settings = document, player, settings
        self.style = Style.named(canvas_theme(settings.theme), settings.font_scale)
        self.view = GraphView(self.style)
        self.view.setObjectName("canvas")
        self.view.direction = settings.direction
        self._pulse: PulseItem | None = None
        self.model: GraphModel | None = None
        self._shown_step = 0

        document.run_changed.connect(self._show_run)
        document.step_changed.connect(self._show_step)
        document.selection_changed.connect(self._select)
        document.line_selected.connect(self._highlight_line)
        self.view.graph_scene.selectionChanged.connect(self._scene_selection)
        self.view.layout_ready.connect(self._after_layout)
        self.view.layout_failed.connect(lambda message: self.info_changed.emit(
            f"layout failed: {message}"))
        self.view.zoom_changed.connect(lambda _zoom: self._report())

    @property
    def widget(self) -> QWidget:
        return self.view

    @property
    def pulse(self) -> PulseItem:
        """The gradient in flight, made when first needed (not to show the window)."""
        if self._pulse is None:
            from gradviz.canvas.pulse_item import PulseItem

            self._pulse = PulseItem(self.style)
            self.view.graph_scene.addItem(self._pulse)
        return self._pulse

    # --- document → canvas ---------------------------------------------------------------
    def _show_run(self, run: object) -> None:
        from gradviz.graph.model import GraphModel  # imported here: the window shows before numpy

        self._land()
        self.model = GraphModel(run)  # type: ignore[arg-type]
        self._shown_step = self.document.step
        self.view.set_model(self.model, step=self.document.step)
        self._report()

    def _land(self) -> None:
        """A gradient still in flight lands at once (its .grad shows its new value)."""
        if self._pulse is not None:
            self._pulse.stop()

    def _after_layout(self) -> None:
        self._select(self.document.selection)
        self._report()

    def _show_step(self, k: int) -> None:
        forward_by_one = k == self._shown_step + 1
        self._shown_step = k
        self._land()
        self.view.show_step(k)
        current = self.model.current(k) if self.model is not None and forward_by_one else None
        edge = self.view.graph_scene.edge_items.get(current.edge) if current else None
        if edge is not None and current is not None and self.player.animation_ms > 0:
            # the receiving .grad changes when the gradient gets there, not before
            scene, key = self.view.graph_scene, current.input
            scene.hold_grad(key)
            self.pulse.run(edge.path, self.player.animation_ms, lambda: scene.release_grad(key))

    def _select(self, key: str | None) -> None:
        scene = self.view.graph_scene
        with QSignalBlocker(scene):
            scene.clearSelection()
            item = scene.node_items.get(key) if key else None
            if item is not None:
                item.setSelected(True)
                view = self.view
                shown = view.mapToScene(view.viewport().rect()).boundingRect()
                if not shown.contains(item.sceneBoundingRect()):  # no scrolling if in view
                    view.ensureVisible(item, 40, 40)

    def _highlight_line(self, line: int) -> None:
        keys = set(self.document.nodes_on_line(line))
        scene = self.view.graph_scene
        with QSignalBlocker(scene):
            scene.clearSelection()
            for key in keys:
                item = scene.node_items.get(key)
                if item is not None:
                    item.setSelected(True)

    # --- canvas → document ---------------------------------------------------------------
    def _scene_selection(self) -> None:
        scene = self.view.graph_scene
        keys = [key for key, item in scene.node_items.items() if item.isSelected()]
        self.document.select(keys[0] if len(keys) == 1 else None)

    # --- look ----------------------------------------------------------------------------
    def set_theme(self, choice: str) -> None:
        self._restyle(self.style.with_theme(canvas_theme(choice)))

    def scale_text(self, factor: float) -> None:
        scale = min(3.0, max(0.5, round(self.style.font_scale * factor, 2)))
        self.settings.font_scale = scale
        self._restyle(self.style.with_font_scale(scale))

    def _restyle(self, style: Style) -> None:
        self.style = style
        if self._pulse is not None:
            self._pulse.set_style(style)
        self.view.set_style(style)

    def set_direction(self, direction: str) -> None:
        self.settings.direction = direction
        self.view.set_direction(direction)

    def find(self) -> None:
        name, ok = QInputDialog.getText(self.view, "Find node", "Tensor or op name:")
        if ok and name:
            keys = self.view.find(name)
            if not keys:
                self.info_changed.emit(f"no node called {name!r}")

    def _report(self) -> None:
        if self.model is None:
            return
        count = len(self.model.nodes)
        self.info_changed.emit(f"{count} nodes · zoom {self.view.zoom * 100:.0f}%")

    def view_actions(self) -> list[QAction]:
        """The View menu's canvas entries."""
        def action(text: str, slot: object, shortcut: str | QKeySequence | None = None,
                   name: str = "") -> QAction:
            act = QAction(text, self.view)
            act.setObjectName(name)
            if shortcut is not None:
                act.setShortcut(QKeySequence(shortcut))
            act.triggered.connect(slot)
            return act

        left_to_right = action("Left to &Right", lambda checked: self.set_direction(
            "LR" if checked else "TB"), "Ctrl+L", "directionLR")
        left_to_right.setCheckable(True)
        left_to_right.setChecked(self.settings.direction == "LR")
        return [
            action("&Fit Graph", self.view.fit, "Ctrl+0", "fit"),
            action("Zoom &In", lambda: self.view.zoom_by(1.25, self.view._centre()),
                   QKeySequence.StandardKey.ZoomIn, "zoomIn"),
            action("Zoom &Out", lambda: self.view.zoom_by(0.8, self.view._centre()),
                   QKeySequence.StandardKey.ZoomOut, "zoomOut"),
            action("Zoom to &Selection", self.view.zoom_to_selection, "Ctrl+Shift+Z",
                   "zoomSelection"),
            action("&Find Node…", self.find, QKeySequence.StandardKey.Find, "find"),
            left_to_right,
            action("&Larger Text", lambda: self.scale_text(1.15), "Ctrl+Shift+=", "largerText"),
            action("S&maller Text", lambda: self.scale_text(1 / 1.15), "Ctrl+Shift+-",
                   "smallerText"),
        ]

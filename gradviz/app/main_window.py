"""The main window: the graph in the middle, the script, inspector, steps and output docked
around it, and the controls that step through backprop."""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QKeySequence,
)
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDockWidget,
    QLabel,
    QMainWindow,
    QProgressBar,
    QPushButton,
    QToolBar,
    QWidget,
)

from gradviz import __version__
from gradviz.app import theme
from gradviz.app.autosave import Autosaver
from gradviz.app.canvas_binding import CanvasBinding
from gradviz.app.document import Document
from gradviz.app.exporting import ExportController
from gradviz.app.icons import glyph
from gradviz.app.player import SPEEDS, Player
from gradviz.app.run_worker import RunWorker
from gradviz.app.settings import AppSettings
from gradviz.resources import examples

if TYPE_CHECKING:
    from gradviz.editor.panel import EditorPanel
    from gradviz.panels.inspector import InspectorPanel
    from gradviz.panels.output import OutputPanel
    from gradviz.panels.steps import StepsPanel

SCRIPT_FILTER = "Python scripts (*.py);;All files (*)"

# The docks around the graph: title, objectName (QSettings keeps their places by it), area.
DOCKS = (
    ("Script", "editorDock", Qt.DockWidgetArea.LeftDockWidgetArea),
    ("Inspector", "inspectorDock", Qt.DockWidgetArea.RightDockWidgetArea),
    ("Steps", "stepsDock", Qt.DockWidgetArea.BottomDockWidgetArea),
    ("Output", "outputDock", Qt.DockWidgetArea.LeftDockWidgetArea),
)


class MainWindow(QMainWindow):
    """Everything a user sees; all state lives in `self.document`."""

    theme_changed = Signal(str)
    editor: EditorPanel
    inspector: InspectorPanel
    steps: StepsPanel
    output: OutputPanel

    def __init__(self, settings: AppSettings | None = None, autosave_folder: Path | None = None,
                 parent: QWidget | None = None, *, panels_later: bool = False) -> None:
        """With `panels_later` the docks start empty until `build_panels` is called: `start`
        does that once the window has painted, as their modules and widgets are a third of the
        work before it."""
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.settings = settings or AppSettings()
        self.document = Document(parent=self)
        self.player = Player(self.document, self)
        self.worker = RunWorker(self)
        self.autosaver = Autosaver(self.document, autosave_folder, self)
        self.setAcceptDrops(True)
        self._notice = ("", 0.0)  # a status-bar note, and until when to show it again
        self._first_size()

        self.canvas = CanvasBinding(self.document, self.player, self.settings, self)
        self.setCentralWidget(self.canvas.widget)
        self.docks = {name: self._dock(title, name, area) for title, name, area in DOCKS}
        if not panels_later:
            self.build_panels()
        self.exporter = ExportController(self)
        self._size_docks()

        self._build_actions()
        self._build_menus()
        self._build_toolbar()
        self._build_status_bar()
        self._connect()
        self._restore()
        self._update_title()
        app = QApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self._shut_down)
            app.styleHints().colorSchemeChanged.connect(self._system_colours_changed)

    # --- construction --------------------------------------------------------------------------
    def _dock(self, title: str, name: str, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable
                         | QDockWidget.DockWidgetFeature.DockWidgetFloatable
                         | QDockWidget.DockWidgetFeature.DockWidgetClosable)
        self.addDockWidget(area, dock)
        return dock

    def build_panels(self) -> None:
        """The script, inspector, steps and output panels, each in its dock, following the
        document from its present state."""
        from gradviz.editor.panel import EditorPanel
        from gradviz.panels.inspector import InspectorPanel
        from gradviz.panels.output import OutputPanel
        from gradviz.panels.steps import StepsPanel

        self.editor = EditorPanel(self.document)
        self.inspector = InspectorPanel(self.document)
        self.steps = StepsPanel(self.document)
        self.output = OutputPanel(self.document)
        for name, panel in (("editorDock", self.editor), ("inspectorDock", self.inspector),
                            ("stepsDock", self.steps), ("outputDock", self.output)):
            self.docks[name].setWidget(panel)

    def _first_size(self) -> None:
        """1400 × 880, or nine tenths of a smaller screen (a classroom projector's 1024 × 768)."""
        screen = self.screen()
        area = screen.availableGeometry() if screen is not None else None
        if area is None or area.isEmpty():
            self.resize(1400, 880)
            return
        self.resize(min(1400, int(area.width() * 0.9)), min(880, int(area.height() * 0.9)))

    def _size_docks(self) -> None:
        """A first layout that leaves the graph the most room, in proportion to the window so
        a small screen still shows it (later runs restore the user's)."""
        docks = self.docks
        width, height = self.width(), self.height()
        self.setCorner(Qt.Corner.BottomLeftCorner, Qt.DockWidgetArea.LeftDockWidgetArea)
        self.setCorner(Qt.Corner.BottomRightCorner, Qt.DockWidgetArea.RightDockWidgetArea)
        self.resizeDocks([docks["editorDock"], docks["inspectorDock"]],
                         [int(width * 0.28), int(width * 0.26)], Qt.Orientation.Horizontal)
        self.resizeDocks([docks["editorDock"], docks["outputDock"]],
                         [int(height * 0.6), int(height * 0.28)], Qt.Orientation.Vertical)
        self.resizeDocks([docks["stepsDock"]], [int(height * 0.24)], Qt.Orientation.Vertical)

    def _action(self, text: str, slot: object, shortcut: QKeySequence | str | None = None,
                name: str = "", tip: str = "", icon: str = "") -> QAction:
        action = QAction(text, self)
        if icon:
            action.setIcon(glyph(icon))
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.setObjectName(name or text.lower().replace(" ", "_").replace("…", ""))
        if tip:
            action.setStatusTip(tip)
            action.setToolTip(f"{tip} ({action.shortcut().toString()})" if shortcut else tip)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        key = QKeySequence.StandardKey
        self.new_action = self._action("&New", self.new_file, key.New, "new")
        self.open_action = self._action("&Open…", self.open_file, key.Open, "open")
        self.save_action = self._action("&Save", self.save_file, key.Save, "save")
        self.save_as_action = self._action("Save &As…", self.save_file_as, key.SaveAs, "saveAs")
        self.quit_action = self._action("&Quit", self.close, key.Quit, "quit")
        self.run_action = self._action("&Run Script", self.document.request_run, "Ctrl+R",
                                       "run", "Run the script and rebuild the graph",
                                       "run")
        self.cancel_action = self._action("&Cancel Run", self.worker.cancel, "Ctrl+.",
                                          "cancelRun", "Stop the running script")
        self.cancel_action.setEnabled(False)
        self.reset_action = self._action("Before &Backward", self.document.reset, "Home",
                                         "reset", "Back to before the backward pass",
                                         "to_start")
        self.back_action = self._action("Step &Back", self.document.step_back, "Left",
                                        "stepBack", "One edge back", "step_back")
        self.play_action = self._action("&Play", self.player.toggle, "Space", "play",
                                        "Play the backward pass edge by edge",
                                        "play")
        self.forward_action = self._action("Step &Forward", self.document.step_forward, "Right",
                                           "stepForward", "One edge forward",
                                           "step_forward")
        self.end_action = self._action("To the &End", self.document.to_end, "End", "toEnd",
                                       "Jump to the end of the backward pass",
                                       "to_end")
        self.animations_action = self._action("&Animate Steps", self.player.set_animations,
                                              None, "animations")
        self.animations_action.setCheckable(True)
        self.animations_action.setChecked(self.settings.animations)
        self.player.set_animations(self.settings.animations)
        self.about_action = self._action("&About gradviz", self.about, None, "about")
        self.theme_actions: dict[str, QAction] = {}
        themes = QActionGroup(self)  # one of them: the menu shows radio marks
        themes.setExclusive(True)
        for name in ("system", "light", "dark", "print"):
            action = self._action(name.capitalize() if name != "system" else "Follow System",
                                  lambda _=False, n=name: self.set_theme(n), None,
                                  f"theme_{name}")
            action.setCheckable(True)
            action.setActionGroup(themes)
            self.theme_actions[name] = action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        file_menu.addActions([self.new_action, self.open_action])
        self.recent_menu = file_menu.addMenu("Open &Recent")
        self.recent_menu.setObjectName("recentMenu")
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        file_menu.addActions([self.save_action, self.save_as_action])
        file_menu.addSeparator()
        file_menu.addMenu(self.exporter.menu)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)

        run_menu = bar.addMenu("&Backprop")
        run_menu.addActions([self.run_action, self.cancel_action])
        run_menu.addSeparator()
        run_menu.addActions([self.reset_action, self.back_action, self.play_action,
                             self.forward_action, self.end_action])
        run_menu.addSeparator()
        run_menu.addAction(self.animations_action)

        view_menu = bar.addMenu("&View")
        for action in self.canvas.view_actions():
            view_menu.addAction(action)
        view_menu.addSeparator()
        theme_menu = view_menu.addMenu("&Theme")
        theme_menu.addActions(list(self.theme_actions.values()))
        view_menu.addSeparator()
        for dock in self.findChildren(QDockWidget):
            view_menu.addAction(dock.toggleViewAction())

        examples_menu = bar.addMenu("E&xamples")
        examples_menu.setObjectName("examplesMenu")
        for example in examples():
            action = examples_menu.addAction(example.title)
            action.setStatusTip(example.summary)
            action.setObjectName(f"example_{example.path.stem}")
            action.triggered.connect(lambda _=False, p=example.path: self.open_example(p))

        help_menu = bar.addMenu("&Help")
        help_menu.addAction(self.about_action)

    def _build_toolbar(self) -> None:
        bar = QToolBar("Backprop", self)
        bar.setObjectName("backpropToolbar")
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        bar.addAction(self.run_action)
        bar.addSeparator()
        bar.addActions([self.reset_action, self.back_action, self.play_action,
                        self.forward_action, self.end_action])
        self.speed_box = QComboBox(self)
        self.speed_box.setObjectName("speed")
        self.speed_box.setToolTip("Steps per second while playing")
        for speed in SPEEDS:
            label = "max" if speed == SPEEDS[-1] else f"{speed:g} step{'' if speed == 1 else 's'}/s"
            self.speed_box.addItem(label, speed)
        index = min(range(len(SPEEDS)), key=lambda i: abs(SPEEDS[i] - self.settings.speed))
        self.speed_box.setCurrentIndex(index)
        self.player.set_speed(SPEEDS[index])
        self.speed_box.currentIndexChanged.connect(self._speed_picked)
        bar.addWidget(QLabel("  Speed ", self))
        bar.addWidget(self.speed_box)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, bar)

    def _build_status_bar(self) -> None:
        status = self.statusBar()
        self.step_label = QLabel(self)
        self.step_label.setObjectName("stepLabel")
        self.busy_bar = QProgressBar(self)
        self.busy_bar.setObjectName("busy")
        self.busy_bar.setRange(0, 0)
        self.busy_bar.setMaximumWidth(120)
        self.busy_bar.hide()
        self.cancel_button = QPushButton("Cancel", self)
        self.cancel_button.setObjectName("cancelButton")
        self.cancel_button.clicked.connect(self.worker.cancel)
        self.cancel_button.hide()
        self.info_label = QLabel(self)
        self.info_label.setObjectName("graphInfo")
        status.addPermanentWidget(self.busy_bar)
        status.addPermanentWidget(self.cancel_button)
        status.addPermanentWidget(self.step_label)
        status.addPermanentWidget(self.info_label)

    def _connect(self) -> None:
        doc = self.document
        doc.run_requested.connect(self._start_run)
        self.worker.started.connect(doc.run_started)
        doc.step_changed.connect(self._update_step_controls)
        doc.run_changed.connect(lambda _run: self._update_step_controls())
        doc.dirty_changed.connect(lambda _dirty: self._update_title())
        doc.path_changed.connect(self._update_title)
        self.worker.finished.connect(doc.set_run)
        self.worker.busy_changed.connect(self._show_busy)
        self.canvas.view.worker.busy_changed.connect(self._show_layout_busy)
        self.player.playing_changed.connect(self._show_playing)
        self.canvas.info_changed.connect(self.info_label.setText)
        self.theme_changed.connect(self.canvas.set_theme)

    # --- files ---------------------------------------------------------------------------------
    def maybe_save(self) -> bool:
        """Ask before unsaved changes would be lost; False means the user cancelled."""
        if not self.document.dirty:
            return True
        from PySide6.QtWidgets import QMessageBox  # the dialogs load when first asked for

        answer = QMessageBox.question(
            self, "Unsaved changes",
            f"Save the changes to {self.document.filename} before closing it?",
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Save)
        if answer == QMessageBox.StandardButton.Save:
            return self.save_file()
        return answer == QMessageBox.StandardButton.Discard

    def new_file(self) -> None:
        if self.maybe_save():
            self.document.new("import torch\n\n")
            self.document.request_run()

    def open_file(self) -> None:
        if not self.maybe_save():
            return
        from PySide6.QtWidgets import QFileDialog

        folder = str(self.document.path.parent) if self.document.path else ""
        path, _ = QFileDialog.getOpenFileName(self, "Open script", folder, SCRIPT_FILTER)
        if path:
            self.load(Path(path))

    def load(self, path: Path, *, remember: bool = True) -> bool:
        """Open a script and run it; a file that can't be read leaves the current one alone."""
        try:
            self.document.load(path)
        except (OSError, UnicodeDecodeError) as error:
            from PySide6.QtWidgets import QMessageBox

            QMessageBox.warning(self, "Cannot open script", f"{path}:\n{error}")
            return False
        if remember:
            self.settings.add_recent(path)
            self.settings.last_script = path
        self.document.request_run()
        return True

    def open_example(self, path: Path) -> None:
        """An example opens as a new unsaved script, so the bundled file is never overwritten."""
        if not self.maybe_save():
            return
        self.document.new(path.read_text(encoding="utf-8"))
        self.document.request_run()

    def save_file(self) -> bool:
        if self.document.path is None:
            return self.save_file_as()
        return self._save_to(self.document.path)

    def save_file_as(self) -> bool:
        from PySide6.QtWidgets import QFileDialog

        start = str(self.document.path or Path.home() / self.document.filename)
        path, _ = QFileDialog.getSaveFileName(self, "Save script as", start, SCRIPT_FILTER)
        if not path:
            return False
        return self._save_to(Path(path))

    def _save_to(self, path: Path) -> bool:
        try:
            self.document.save(path)
        except OSError as error:
            from PySide6.QtWidgets import QMessageBox

            QMessageBox.warning(self, "Cannot save script", f"{path}:\n{error}")
            return False
        self.settings.add_recent(path)
        self.settings.last_script = path
        self.statusBar().showMessage(f"Saved {path}", 4000)
        return True

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        recent = [p for p in self.settings.recent_files if p.exists()]
        for path in recent:
            action = self.recent_menu.addAction(path.name)
            action.setStatusTip(str(path))
            action.triggered.connect(lambda _=False, p=path: self._open_recent(p))
        if not recent:
            self.recent_menu.addAction("No recent scripts").setEnabled(False)
        else:
            self.recent_menu.addSeparator()
            self.recent_menu.addAction("Clear Menu", self.settings.clear_recent)

    def _open_recent(self, path: Path) -> None:
        if self.maybe_save():
            self.load(path)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt override
        if _dropped_script(event) is not None:
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt override
        path = _dropped_script(event)
        if path is not None and self.maybe_save():
            event.acceptProposedAction()
            self.load(path)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        if not self.maybe_save():
            event.ignore()
            return
        self._shut_down()
        self.settings.set_window_state(self.saveGeometry(), self.saveState())
        self.autosaver.clear()
        event.accept()

    def _shut_down(self) -> None:
        """No thread may outlive the window: stop playing, cancel the script, wait for it."""
        self.player.pause()
        self.worker.cancel()
        self.worker.wait(5000)
        self.canvas.view.worker.wait(5000)

    # --- running and stepping ------------------------------------------------------------------
    def _start_run(self) -> None:
        self.worker.start(self.document.text, self.document.filename, self.document.limits)

    def tell(self, message: str, seconds: float = 15.0) -> None:
        """A note in the status bar that outlasts the run and layout under way (shown again
        after them, for `seconds` in all)."""
        self._notice = (message, time.monotonic() + seconds)
        self.statusBar().showMessage(message, int(seconds * 1000))

    def _at_rest(self) -> None:
        """Nothing running: the status bar shows the note, while it lasts, or nothing."""
        message, until = self._notice
        left = until - time.monotonic()
        if message and left > 0:
            self.statusBar().showMessage(message, int(left * 1000))
        else:
            self.statusBar().clearMessage()

    def _show_busy(self, busy: bool) -> None:
        self.busy_bar.setVisible(busy)
        self.cancel_button.setVisible(busy)
        self.cancel_action.setEnabled(busy)
        if busy:
            self.statusBar().showMessage("Running the script…")
        else:
            self._at_rest()

    def _show_layout_busy(self, busy: bool) -> None:
        """A big graph takes a moment to lay out (off the UI thread): say so."""
        if not self.worker.busy:
            self.busy_bar.setVisible(busy)
            if busy:
                self.statusBar().showMessage("Laying out the graph…")
            else:
                self._at_rest()

    def _show_playing(self, playing: bool) -> None:
        self.play_action.setText("&Pause" if playing else "&Play")
        self.play_action.setIcon(glyph("pause" if playing else "play"))

    def _speed_picked(self, index: int) -> None:
        speed = float(self.speed_box.itemData(index))
        self.player.set_speed(speed)
        self.settings.speed = speed

    def _update_step_controls(self, *_: object) -> None:
        doc = self.document
        count, k = doc.step_count, doc.step
        self.reset_action.setEnabled(k > 0)
        self.back_action.setEnabled(k > 0)
        self.forward_action.setEnabled(k < count)
        self.end_action.setEnabled(k < count)
        self.play_action.setEnabled(count > 0)
        if doc.run is None:
            self.step_label.setText("")
        elif count == 0:
            self.step_label.setText("no backward pass")
        else:
            self.step_label.setText("before backward" if k == 0 else f"step {k} of {count}")

    # --- look ----------------------------------------------------------------------------------
    def set_theme(self, name: str) -> None:
        self.settings.theme = name
        for key, action in self.theme_actions.items():
            action.setChecked(key == name)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            theme.apply(app, name)
        self.theme_changed.emit(name)

    def _system_colours_changed(self) -> None:
        """The desktop switched between light and dark: follow it if the user asked to."""
        if self.settings.theme == "system":
            self.set_theme("system")

    def about(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.about(
            self, "About gradviz",
            f"<h3>gradviz {__version__}</h3><p>See how gradients flow: write PyTorch-style "
            "code, then watch the backward pass go edge by edge while every tensor's "
            "<code>.grad</code> changes from <code>None</code> to its value.</p><p>Every "
            "number, every <code>None</code> and every error is what PyTorch shows for the "
            "same code.</p>")

    def _update_title(self) -> None:
        self.setWindowTitle(f"{self.document.filename}[*] — gradviz")
        self.setWindowModified(self.document.dirty)

    def _restore(self) -> None:
        geometry, state = self.settings.window_state()
        if geometry is not None:
            self.restoreGeometry(geometry)
        if state is not None:
            self.restoreState(state)
        name = self.settings.theme
        for key, action in self.theme_actions.items():
            action.setChecked(key == name)


def _dropped_script(event: QDropEvent | QDragEnterEvent) -> Path | None:
    urls = event.mimeData().urls() if event.mimeData().hasUrls() else []
    for url in urls:
        if url.isLocalFile() and url.toLocalFile().endswith(".py"):
            return Path(url.toLocalFile())
    return None

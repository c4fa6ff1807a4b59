"""Starting the app: the QApplication, the window, and what it shows first."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QStandardPaths, QTimer
from PySide6.QtGui import QWindow
from PySide6.QtWidgets import QApplication

from gradviz import __version__
from gradviz.app import crash, theme
from gradviz.app.main_window import MainWindow
from gradviz.app.settings import APPLICATION, ORGANIZATION, AppSettings
from gradviz.resources import tutorial

STYLE = "Fusion"  # the same widgets on every platform, coloured by `theme`


def application() -> QApplication:
    """The one QApplication, named so QSettings and the autosave folder find their place, in
    the Fusion style (given on its command line when made here: `setStyle` would hand a new
    QStyle to Python, which costs the first paint some milliseconds)."""
    app = QApplication.instance()
    if app is None:
        QApplication.setOrganizationName(ORGANIZATION)
        QApplication.setApplicationName(APPLICATION)
        QApplication.setApplicationVersion(__version__)
        app = QApplication([*sys.argv[:1], "-style", STYLE])
    else:
        QApplication.setStyle(STYLE)
    return app  # type: ignore[return-value]


def main_window(app: QApplication, *, panels_later: bool = False) -> MainWindow:
    settings = AppSettings()
    theme.apply(app, settings.theme)
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    crash.install(Path(folder or Path.home() / ".gradviz"))
    return MainWindow(settings, panels_later=panels_later)


def open_first(window: MainWindow, script: Path | None) -> None:
    """A script named on the command line; else work a crash left unsaved; else the last
    script; else the tutorial — already run, ready to step through."""
    if script is not None:
        if not script.is_file():  # said in the status bar: no dialog before the window shows
            window.tell(f"Cannot open {script}: no such file")
        elif window.load(script):
            return
    recovered = window.autosaver.recover()
    if recovered is not None:
        window.document.recover(recovered.text, recovered.path)
        window.statusBar().showMessage("Recovered the unsaved script from your last session",
                                       8000)
        window.document.request_run()
        return
    last = window.settings.last_script
    if last is not None and last.exists() and window.load(last, remember=False):
        return
    window.document.new(tutorial().read_text(encoding="utf-8"))
    window.document.request_run()


def start(script: Path | None = None) -> MainWindow:
    """Everything `launch` does before the event loop: the window, shown, with what
    `open_first` opens in it. Once the window has painted, its docks get their panels and its
    run starts: both would hold up that first paint (the run imports numpy, and both need the
    GIL)."""
    app = application()
    window = main_window(app, panels_later=True)
    window.worker.hold()
    open_first(window, script)
    window.show()

    def painted() -> None:
        window.build_panels()
        window.worker.release()

    after_exposed(window.windowHandle(), painted)
    return window


def launch(script: Path | None = None) -> int:
    """Run the desktop app until its window closes; the exit code."""
    window = start(script)
    window.canvas.view.setFocus()  # the arrow keys step through backprop straight away
    return QApplication.exec()


class _Exposed(QObject):
    def __init__(self, window: QWindow, then: Callable[[], None]) -> None:
        super().__init__(window)
        self.then = then
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.Expose and isinstance(watched, QWindow) \
                and watched.isExposed():
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self.then)  # after the expose, which paints the window
        return False


def after_exposed(window: QWindow, then: Callable[[], None]) -> None:
    """Call `then` once `window` is on screen and painted (at once if it already is)."""
    if window.isExposed():
        then()
    else:
        _Exposed(window, then)

"""Scripts run on a worker thread, so a slow script never freezes the window."""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject, QThread, Signal

from gradviz.script import Limits, Run, run_script


class _Job(QObject):
    finished = Signal(object, int)

    def __init__(self, source: str, filename: str, limits: Limits, generation: int,
                 cancel: threading.Event) -> None:
        super().__init__()
        self.source, self.filename, self.limits = source, filename, limits
        self.generation, self.cancel = generation, cancel

    def work(self) -> None:
        run = run_script(self.source, self.filename, self.limits, cancel=self.cancel)
        self.finished.emit(run, self.generation)


class RunWorker(QObject):
    """Runs one script at a time off the UI thread; a newer request supersedes an older one.

    `started` and `finished(run)` come on the UI thread. `cancel()` stops the running script
    at its next statement (it then ends with a "cancelled" error, its partial graph kept).
    Between `hold()` and `release()` a request is taken (and signalled) but its thread waits.
    """

    started = Signal()
    finished = Signal(object)
    busy_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._generation = 0
        self._threads: list[tuple[QThread, _Job, threading.Event]] = []
        self._waiting: list[QThread] | None = None  # held back by `hold()`, to start

    @property
    def busy(self) -> bool:
        return bool(self._threads)

    def start(self, source: str, filename: str, limits: Limits) -> None:
        self.cancel()
        self._generation += 1
        cancel = threading.Event()
        thread = QThread()
        job = _Job(source, filename, limits, self._generation, cancel)
        job.moveToThread(thread)
        thread.started.connect(job.work)
        job.finished.connect(self._done)
        job.finished.connect(thread.quit)
        self._threads.append((thread, job, cancel))
        thread.finished.connect(lambda: self._forget(thread))
        was_busy = len(self._threads) > 1
        if self._waiting is None:
            thread.start()
        else:
            self._waiting.append(thread)
        self.started.emit()
        if not was_busy:
            self.busy_changed.emit(True)

    def hold(self) -> None:
        """Start no script until `release()`: the app's first run waits for the window's first
        paint, which would otherwise share the GIL with the run's import of numpy."""
        if self._waiting is None:
            self._waiting = []

    def release(self) -> None:
        """Start what was requested while held (a superseded request, cancelled, ends at once)."""
        waiting, self._waiting = self._waiting or [], None
        for thread in waiting:
            thread.start()

    def cancel(self) -> None:
        for _thread, _job, cancel in self._threads:
            cancel.set()

    def wait(self, ms: int = 15000) -> bool:
        """Block until every running script is done (for tests and shutdown)."""
        for thread, _job, _cancel in list(self._threads):
            if not thread.wait(ms):
                return False
        return True

    def _done(self, run: Run, generation: int) -> None:
        if generation == self._generation:
            self.finished.emit(run)

    def _forget(self, thread: QThread) -> None:
        self._threads = [entry for entry in self._threads if entry[0] is not thread]
        thread.deleteLater()
        if not self._threads:
            self.busy_changed.emit(False)

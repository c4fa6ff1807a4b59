"""Running the layout off the UI thread: a `QRunnable` on the global thread pool per request.

Each request gets a number; only the newest request's result is delivered, so a user who
switches scripts or directions quickly never sees a stale layout. The layout is deterministic,
so where it runs does not change the picture.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

if TYPE_CHECKING:
    import networkx as nx

    from gradviz.layout import Layout


class _TaskSignals(QObject):
    finished = Signal(int, object)
    failed = Signal(int, str)


class LayoutTask(QRunnable):
    """One layout computation; reports through `signals` (queued to the receiver's thread)."""

    def __init__(self, token: int, graph: nx.MultiDiGraph,
                 sizes: Mapping[Hashable, tuple[float, float]], direction: str,
                 node_gap: float, layer_gap: float) -> None:
        super().__init__()
        self.token = token
        self.graph = graph
        self.sizes = dict(sizes)
        self.direction = direction
        self.node_gap = node_gap
        self.layer_gap = layer_gap
        self.signals = _TaskSignals()

    def run(self) -> None:
        # Imported here, on the pool's thread: the layout loads numpy and networkx.
        from gradviz.layout import layered_layout

        try:
            layout = layered_layout(self.graph, self.sizes, self.direction, self.node_gap,
                                    self.layer_gap)
        except Exception as error:  # ours, not the user's: reported, never swallowed
            self.signals.failed.emit(self.token, f"{type(error).__name__}: {error}")
            return
        self.signals.finished.emit(self.token, layout)


class LayoutWorker(QObject):
    """Starts layout tasks and delivers the newest one's `Layout` through `ready`."""

    ready = Signal(object)
    failed = Signal(str)
    busy_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None,
                 pool: QThreadPool | None = None) -> None:
        super().__init__(parent)
        self.pool = pool or QThreadPool.globalInstance()
        self._token = 0
        self._tasks: dict[int, LayoutTask] = {}

    @property
    def busy(self) -> bool:
        return bool(self._tasks)

    def request(self, graph: nx.MultiDiGraph, sizes: Mapping[Hashable, tuple[float, float]],
                direction: str, node_gap: float, layer_gap: float) -> int:
        """Start laying out `graph`; returns the request's number."""
        self._token += 1
        task = LayoutTask(self._token, graph, sizes, direction, node_gap, layer_gap)
        task.setAutoDelete(False)
        task.signals.finished.connect(self._finished)
        task.signals.failed.connect(self._failed)
        self._tasks[self._token] = task
        if len(self._tasks) == 1:
            self.busy_changed.emit(True)
        self.pool.start(task)
        return self._token

    def wait(self, msecs: int = -1) -> bool:
        """Block until every started task has finished (for tests and shutdown)."""
        return self.pool.waitForDone(msecs)

    def _finished(self, token: int, layout: Layout) -> None:
        self._done(token)
        if token == self._token:
            self.ready.emit(layout)

    def _failed(self, token: int, message: str) -> None:
        self._done(token)
        if token == self._token:
            self.failed.emit(message)

    def _done(self, token: int) -> None:
        if self._tasks.pop(token, None) is not None and not self._tasks:
            self.busy_changed.emit(False)

"""The one object that owns the app's state; every view subscribes to its signals.

The document holds the script (text, file, unsaved changes), the latest `Run`, the current
step of the backward timeline and the selected graph node. Views never talk to each other:
they call the document's methods and redraw when it says something changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from gradviz.script import Limits, Run, SourceSpan, run_script


@dataclass(frozen=True)
class NodeIdentity:
    """What a graph node is called across re-runs: keys change when the script changes,
    but a tensor named `w` on line 3 is still that tensor."""

    kind: str
    label: str
    line: int | None


class Document(QObject):
    """Script, run, step and selection; the signals say which of them changed."""

    text_changed = Signal()
    path_changed = Signal()
    dirty_changed = Signal(bool)
    run_started = Signal()
    run_changed = Signal(object)
    step_changed = Signal(int)
    selection_changed = Signal(object)
    run_requested = Signal()
    line_selected = Signal(int)

    def __init__(self, limits: Limits | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.limits = limits or Limits()
        self._text = ""
        self._path: Path | None = None
        self._dirty = False
        self._run: Run | None = None
        self._step = 0
        self._selection: str | None = None

    # --- the script ----------------------------------------------------------------------------
    @property
    def text(self) -> str:
        return self._text

    def set_text(self, text: str, *, dirty: bool = True) -> None:
        if text == self._text:
            return
        self._text = text
        self._set_dirty(dirty)
        self.text_changed.emit()

    @property
    def path(self) -> Path | None:
        return self._path

    @property
    def filename(self) -> str:
        return self._path.name if self._path else "untitled.py"

    @property
    def dirty(self) -> bool:
        return self._dirty

    def _set_dirty(self, dirty: bool) -> None:
        if dirty != self._dirty:
            self._dirty = dirty
            self.dirty_changed.emit(dirty)

    def new(self, text: str = "") -> None:
        self._path = None
        self.path_changed.emit()
        self.set_text(text, dirty=False)
        self._set_dirty(False)

    def recover(self, text: str, path: Path | None) -> None:
        """Unsaved work from a crashed session: its text, still unsaved, with its file."""
        self._path = Path(path) if path is not None else None
        self.path_changed.emit()
        self.set_text(text, dirty=True)
        self._set_dirty(True)

    def load(self, path: Path) -> None:
        """Read a script file. Raises OSError/UnicodeDecodeError; the document is unchanged then."""
        text = Path(path).read_text(encoding="utf-8")
        self._path = Path(path)
        self.path_changed.emit()
        self.set_text(text, dirty=False)
        self._set_dirty(False)

    def save(self, path: Path | None = None) -> Path:
        """Write the script (atomically: a crash mid-write never truncates the user's file)."""
        target = Path(path) if path is not None else self._path
        if target is None:
            raise ValueError("the script has no file yet: use Save As")
        tmp = target.with_name(f".{target.name}.saving")
        tmp.write_text(self._text, encoding="utf-8")
        tmp.replace(target)
        if target != self._path:
            self._path = target
            self.path_changed.emit()
        self._set_dirty(False)
        return target

    # --- running ------------------------------------------------------------------------------
    @property
    def run(self) -> Run | None:
        return self._run

    def request_run(self) -> None:
        """Ask whoever runs scripts (the window's worker) to run the current text."""
        self.run_requested.emit()

    def execute(self) -> Run:
        """Run the script now, on this thread (the app uses `RunWorker` to stay responsive)."""
        self.run_started.emit()
        run = run_script(self._text, self.filename, self.limits)
        self.set_run(run)
        return run

    def set_run(self, run: Run) -> None:
        """Show a new run, keeping the step position and selection where they still exist."""
        previous_selection = self.identity(self._selection) if self._selection else None
        self._run = run
        self.run_changed.emit(run)
        self._step = min(self._step, len(run.steps))
        self.step_changed.emit(self._step)
        key = self.find(previous_selection) if previous_selection else None
        self._selection = key
        self.selection_changed.emit(key)

    # --- the backward timeline -----------------------------------------------------------------
    @property
    def step(self) -> int:
        """How many backward steps have happened: 0 is before the first backward."""
        return self._step

    @property
    def step_count(self) -> int:
        return len(self._run.steps) if self._run else 0

    def set_step(self, k: int) -> None:
        k = max(0, min(int(k), self.step_count))
        if k != self._step:
            self._step = k
            self.step_changed.emit(k)

    def step_forward(self) -> None:
        self.set_step(self._step + 1)

    def step_back(self) -> None:
        self.set_step(self._step - 1)

    def reset(self) -> None:
        self.set_step(0)

    def to_end(self) -> None:
        self.set_step(self.step_count)

    # --- selection ------------------------------------------------------------------------------
    @property
    def selection(self) -> str | None:
        return self._selection

    def select(self, key: str | None) -> None:
        if key is not None and (self._run is None or key not in self._run.graph):
            key = None
        if key != self._selection:
            self._selection = key
            self.selection_changed.emit(key)

    def select_line(self, line: int) -> None:
        """The editor's cursor is on `line`: views highlight the nodes it created."""
        self.line_selected.emit(line)

    def identity(self, key: str) -> NodeIdentity | None:
        """How to find this node again after the script is edited and re-run."""
        if self._run is None or key not in self._run.graph:
            return None
        data = self._run.graph.nodes[key]
        span = _span_of(data)
        label = data.get("label", "") if data["kind"] == "tensor" else data.get("grad_fn", "")
        return NodeIdentity(data["kind"], label, span.line if span is not None else None)

    def find(self, identity: NodeIdentity | None) -> str | None:
        """The node of the current run with this identity: same kind and name, nearest line."""
        if identity is None or self._run is None:
            return None
        best, distance = None, None
        for key in self._run.graph.nodes:
            candidate = self.identity(key)
            if candidate is None or (candidate.kind, candidate.label) != (
                    identity.kind, identity.label):
                continue
            gap = abs((candidate.line or 0) - (identity.line or 0))
            if distance is None or gap < distance:
                best, distance = key, gap
        return best

    def nodes_on_line(self, line: int) -> list[str]:
        """Graph nodes whose tensor was created on `line` (1-based)."""
        if self._run is None:
            return []
        keys = []
        for key, data in self._run.graph.nodes(data=True):
            span = _span_of(data)
            if span is not None and span.line <= line <= span.end_line:
                keys.append(key)
        return keys

    def line_of(self, key: str) -> tuple[int, int] | None:
        """The (first, last) source lines that created this node's tensor."""
        if self._run is None or key not in self._run.graph:
            return None
        span = _span_of(self._run.graph.nodes[key])
        return (span.line, span.end_line) if span is not None else None


def _span_of(data: dict) -> SourceSpan | None:
    """Where the node's tensor was made: a version of a tensor written in place, where the
    write is; an op node, where its result was made."""
    obj = data.get("obj")
    if data["kind"] == "tensor":
        return data.get("source", getattr(obj, "source", None))
    made = getattr(obj, "made", None)
    return getattr(made if made is not None else getattr(obj, "output", None), "source", None)

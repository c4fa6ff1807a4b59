"""Running a script: its output, its tensors, its graph and the timeline of its backward steps."""

from __future__ import annotations

import ast
import contextlib
import threading
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from gradviz.script.errors import LimitError, ScriptError, ScriptWarning
from gradviz.script.limits import Limits
from gradviz.script.source_span import SourceMap

if TYPE_CHECKING:
    import networkx as nx

    import engine
    from gradviz.script.budget import Cancel
    from gradviz.script.interpreter import Interpreter
    from gradviz.script.leaf_reads import LeafReads
    from gradviz.script.timeline import GradTimeline


def _empty_graph() -> nx.MultiDiGraph:
    import networkx as nx  # imported here, as the engine is: the app's window shows first

    return nx.MultiDiGraph()


def _empty_timeline() -> GradTimeline:
    from gradviz.script.timeline import GradTimeline  # it loads numpy and the engine

    return GradTimeline([], [], [])


@dataclass
class Run:
    """What running a script produced; kept whole even when the script failed halfway.

    `tensors` maps each variable name to the tensor last bound to it; `created` lists every
    tensor the script built, in order (each has `.name` and `.source`, a `SourceSpan`);
    `steps` are the engine's steps of every `backward()` call in order, and `grad_at(tensor,
    k)` reads any tensor's `.grad` at step k (0 = before the first backward).
    """

    filename: str
    source: str
    output: str = ""
    # what the script printed, piece by piece, each with how many backward steps had run
    # before it: at step k, the pieces with more than k steps before them are yet to come
    printed: list[tuple[int, str]] = field(default_factory=list)
    error: ScriptError | None = None
    warnings: list[ScriptWarning] = field(default_factory=list)
    tensors: dict[str, engine.Tensor] = field(default_factory=dict)
    created: list[engine.Tensor] = field(default_factory=list)
    graph: nx.MultiDiGraph = field(default_factory=_empty_graph)
    timeline: GradTimeline = field(default_factory=_empty_timeline)
    # each leaf's values as the graph read them, pass by pass
    leaf_reads: LeafReads | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def steps(self) -> list[engine.Step]:
        return self.timeline.steps

    def backward_of(self, k: int) -> int:
        """Which backward pass (1-based) step k (1-based) belongs to."""
        return self.timeline.backward_of(k)

    def tensors_on_line(self, line: int) -> list[engine.Tensor]:
        """The tensors created by source line `line` (1-based), in creation order."""
        return [t for t in self.created if t.source is not None
                and t.source.line <= line <= t.source.end_line]

    def read_value(self, tensor: engine.Tensor, k: int = 0) -> tuple[Any, bool]:
        """The values the backward pass of step k read from `tensor` (at step 0, the first
        pass), and whether the tensor was changed in place after that (a leaf updated by
        `optimizer.step()`, say)."""
        read = None
        if self.leaf_reads is not None and tensor._grad_fn is None:
            read = self.leaf_reads.at(tensor, self.timeline.pass_start(k))
        if read is None:  # a non-leaf written in place is drawn version by version
            return tensor._data, False
        return read.values, read.changed_later

    def read_values(self, tensor: engine.Tensor) -> list[Any]:
        """Every value a card of `tensor` can show over the run's steps."""
        reads = self.leaf_reads.reads(tensor) if self.leaf_reads is not None else []
        return [read.values for read in reads] or [tensor._data]

    def grad_at(self, tensor: engine.Tensor, k: int) -> Any:
        """`tensor.grad` (a numpy value or None) after the first k steps of the run."""
        return self.timeline.grad_at(tensor, k)

    def grads_at(self, k: int) -> dict[engine.Tensor, Any]:
        """Every gradient-holding tensor's `.grad` after the first k steps."""
        return self.timeline.grads_at(k)


#: One run at a time: the engine's hooks and grad mode are process-wide, so a second script
#: running at the same time (an app re-running before the last run ended) would see the
#: first one's tensors. A superseded run that is cancelled ends at its next statement.
_ONE_RUN_AT_A_TIME = threading.Lock()


def run_script(source: str, filename: str = "<script>", limits: Limits | None = None,
               cancel: Cancel | None = None) -> Run:
    """Run `source` safely. Errors the script causes are in `Run.error`, never raised.

    `cancel` (a `threading.Event`, say) stops the run from another thread at the script's
    next statement; the run then ends with a "cancelled" error, its partial results kept.
    """
    with _ONE_RUN_AT_A_TIME:
        return _run(source, filename, limits or Limits(), cancel)


def _run(source: str, filename: str, limits: Limits, cancel: Cancel | None) -> Run:
    # Imported here, by the first run (on the app's run thread): importing this module must
    # not load numpy and the engine, so the app's window shows before they are loaded.
    import engine
    from gradviz.script.interpreter import Interpreter
    from gradviz.script.timeline import GradTimeline

    run = Run(filename=filename, source=source)
    if len(source) > limits.source_chars:
        run.error = LimitError(filename, 1, 1, f"limit exceeded: the script is longer than "
                                               f"{limits.source_chars:,} characters "
                                               f"(Limits.source_chars)")
        return run
    source_map = SourceMap(source, filename)
    tree = _parse(source, source_map, run)
    if tree is None:
        return run
    printed: list[tuple[int, str]] = []

    def write(text: str) -> None:
        printed.append((len(recorder.steps), text))

    interpreter = Interpreter(source_map, limits, write, cancel)
    recorder = interpreter.recorder
    grad_enabled = engine.is_grad_enabled()
    try:
        with _captured_warnings(interpreter, run), recorder.watching():
            try:
                interpreter.run(tree)
            except ScriptError as error:
                run.error = error
    finally:
        if engine.is_grad_enabled() != grad_enabled:
            engine.set_grad_enabled(grad_enabled)
    recorder.name_unnamed()
    run.printed = printed
    run.output = "".join(text for _, text in printed)
    run.tensors = dict(interpreter.named_tensors)
    run.created = list(recorder.script_tensors)
    run.graph = engine.trace(recorder.script_tensors)
    recorder.label_versions(run.graph)
    recorder.leaf_reads.finish()
    run.leaf_reads = recorder.leaf_reads
    run.timeline = GradTimeline(recorder.steps, recorder.pass_of_step, recorder.pass_starts)
    return run


def _parse(source: str, source_map: SourceMap, run: Run) -> ast.Module | None:
    from gradviz.script.validate import Fault, validate  # its allowlist loads numpy

    filename = source_map.filename
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            tree = ast.parse(source, filename)
        for warning in caught:  # e.g. SyntaxWarning: invalid escape sequence
            line = warning.lineno if warning.filename == filename else 1
            run.warnings.append(ScriptWarning(filename, line, 1, f"{warning.category.__name__}: "
                                                                  f"{warning.message}"))
    except SyntaxError as error:
        line = error.lineno or 1
        col = error.offset or 1
        run.error = ScriptError(filename, line, col, f"{type(error).__name__}: {error.msg}")
        return None
    except (ValueError, RecursionError, MemoryError) as error:
        message = "too deeply nested" if not isinstance(error, ValueError) else str(error)
        run.error = ScriptError(filename, 1, 1, f"SyntaxError: {message}")
        return None
    try:
        validate(tree)
    except Fault as fault:
        line, col = source_map.position(fault.node)
        run.error = fault.kind(filename, line, col, fault.message)
        return None
    except RecursionError:
        run.error = ScriptError(filename, 1, 1, "SyntaxError: too deeply nested")
        return None
    return tree


@contextlib.contextmanager
def _captured_warnings(interpreter: Interpreter, run: Run) -> Iterator[None]:
    """Warnings (PyTorch's UserWarnings) go into `run.warnings` at the script's line, once
    per line and message, as Python's default filter shows them once per location."""
    seen: set[tuple[int, int, str]] = set()
    script_thread = threading.get_ident()

    def record(message: Warning | str, category: type[Warning], *args: Any, **kwargs: Any
               ) -> None:
        if threading.get_ident() != script_thread:  # another thread's warning: not ours
            previous(message, category, *args, **kwargs)
            return
        line, col = interpreter.map.position(interpreter.node)
        text = f"{category.__name__}: {message}"
        if (line, col, text) not in seen:
            seen.add((line, col, text))
            run.warnings.append(ScriptWarning(interpreter.map.filename, line, col, text))

    with warnings.catch_warnings():
        warnings.simplefilter("always")
        previous = warnings.showwarning
        warnings.showwarning = record
        yield

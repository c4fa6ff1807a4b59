"""Start-up stays fast: the window is built and shown before numpy, networkx, pyqtgraph and
the engine are loaded, and the first run (which loads them, on its own thread) starts only
once the window has painted. Fresh interpreters, so nothing else has loaded them first."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

pytest.importorskip("PySide6.QtWidgets")

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("numpy", "networkx", "pyqtgraph", "engine")
# made once the window has painted: their modules and widgets would hold up that paint
PANELS = ("gradviz.editor.panel", "gradviz.panels.inspector", "gradviz.panels.steps",
          "gradviz.panels.output", "gradviz.canvas.pulse_item")


def run_python(code: str, tmp_path: Path) -> list[str]:
    """Run `code` in a fresh interpreter (offscreen, fresh settings); its printed lines."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(tmp_path / "config"),
               XDG_DATA_HOME=str(tmp_path / "data"))
    result = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True,
                            text=True, env=env, cwd=ROOT, timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()


@pytest.mark.parametrize("module", ["gradviz.app.main_window", "gradviz.app.launch", "gradviz.cli"])
def test_the_window_modules_import_without_the_heavy_ones(module: str, tmp_path: Path) -> None:
    lines = run_python(f"""
        import sys
        import {module}
        print(sorted(m for m in {HEAVY!r} if m in sys.modules))
    """, tmp_path)
    assert lines == ["[]"]


def test_the_window_shows_before_numpy_and_the_panels_load_then_runs_the_tutorial(
        tmp_path: Path) -> None:
    lines = run_python(f"""
        import sys
        from PySide6.QtCore import QEvent, QObject, QTimer
        from PySide6.QtWidgets import QApplication
        from gradviz.app.launch import start

        window = start(None)
        app = QApplication.instance()

        class Painted(QObject):
            def eventFilter(self, watched, event):
                if event.type() == QEvent.Type.Paint:
                    window.removeEventFilter(self)
                    print("painted", sorted(m for m in {HEAVY!r} if m in sys.modules))
                    print("panels", sorted(m for m in {PANELS!r} if m in sys.modules),
                          [d.widget() for d in window.docks.values()])
                    print("running", window.worker.busy)
                return False

        def drawn():
            print("drawn", window.document.run.ok, len(window.canvas.model.nodes) > 0)
            print("script", window.editor.editor.toPlainText() == window.document.text,
                  "x.grad" in window.document.text,
                  "tensor(4.)" in window.output.view.toPlainText())
            window.document.new("")
            window.close()
            app.quit()

        painted = Painted()
        window.installEventFilter(painted)
        window.canvas.view.layout_ready.connect(drawn)
        QTimer.singleShot(60_000, app.quit)
        app.exec()
    """, tmp_path)
    assert lines == ["painted []", "panels [] [None, None, None, None]", "running True",
                     "drawn True True", "script True True True"]


def test_a_held_run_starts_when_released(qtbot: object) -> None:
    from gradviz.app.run_worker import RunWorker
    from gradviz.script import Limits

    worker = RunWorker()
    runs: list = []
    worker.finished.connect(runs.append)
    worker.hold()
    worker.start("x = 1\nprint('first')\n", "first.py", Limits())
    worker.start("print('second')\n", "second.py", Limits())  # supersedes the first
    assert worker.busy
    qtbot.wait(200)  # type: ignore[attr-defined]
    assert runs == []
    worker.release()
    qtbot.waitUntil(lambda: not worker.busy, timeout=15000)  # type: ignore[attr-defined]
    assert [(run.filename, run.output) for run in runs] == [("second.py", "second\n")]

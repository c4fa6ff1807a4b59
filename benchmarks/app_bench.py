"""App speed, measured side by side in one run.

1. Start-up: seconds from process start until a window is shown and painted, for a bare
   PySide6 QMainWindow and for gradviz's main window with the tutorial run (each in a fresh
   process, median of several); the issue's target is a ratio of at most 2.
2. Stepping: the time to show step k+1 after step k on a 2,000-node graph (a tensor MLP
   script), per step, against the 16 ms frame budget.

Run: QT_QPA_PLATFORM=offscreen python benchmarks/app_bench.py
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time

BARE = """
import time, sys
start = time.perf_counter()
from PySide6.QtWidgets import QApplication, QMainWindow
from PySide6.QtCore import QTimer
app = QApplication(sys.argv[:1])
window = QMainWindow()
window.resize(1400, 880)
window.show()
QTimer.singleShot(0, app.quit)
app.exec()
print(time.perf_counter() - start)
"""

GRADVIZ = """
import time, sys
start = time.perf_counter()
from PySide6.QtCore import QTimer
from gradviz.app.launch import application, main_window, open_first
app = application()
window = main_window(app)
open_first(window, None)
window.show()
def ready():
    # shown, the tutorial run and its graph drawn: what a newcomer sees first
    if window.canvas.view.graph_scene.model is None:
        QTimer.singleShot(1, ready)
        return
    print(time.perf_counter() - start)
    window.document.new("")
    window.close()
    app.quit()
QTimer.singleShot(0, ready)
app.exec()
"""


def startup(code: str, repeat: int = 5) -> float:
    """Median seconds, measured inside the child from its first line (interpreter start-up
    itself is the same for both and left out), plus the process overhead measured outside."""
    times = []
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    for _ in range(repeat):
        wall = time.perf_counter()
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                             env=env, check=True)
        wall = time.perf_counter() - wall
        inside = float(out.stdout.strip().splitlines()[0])
        times.append((wall, inside))
    return statistics.median(w for w, _ in times)


# A micrograd-style scalar network over a small batch: about 2,000 graph nodes.
BIG_SCRIPT = """
import torch
xs = [[0.5, -1.0], [1.5, 0.25], [-0.75, 2.0], [1.0, 1.0]]
ys = [1.0, -1.0, 1.0, -1.0]
w1 = [[torch.tensor(0.1 * (i + j) - 0.3, requires_grad=True) for j in range(2)]
      for i in range(8)]
w2 = [torch.tensor(0.05 * i - 0.2, requires_grad=True) for i in range(8)]
loss = torch.tensor(0.0)
for x, y in zip(xs, ys):
    hidden = [(w[0] * x[0] + w[1] * x[1]).tanh() for w in w1]
    out = hidden[0] * w2[0]
    for h, v in zip(hidden[1:], w2[1:]):
        out = out + h * v
    loss = loss + (out - y) ** 2
loss.backward()
"""


def stepping(repeat_steps: int = 200) -> tuple[int, list[float]]:
    """Per-step seconds to show step k+1 after step k and repaint the window, on a big graph."""
    from PySide6.QtWidgets import QApplication

    from gradviz.canvas.view import GraphView
    from gradviz.graph.model import GraphModel
    from gradviz.script import run_script

    app = QApplication.instance() or QApplication([])
    run = run_script(BIG_SCRIPT, "big.py")
    assert run.error is None, run.error
    model = GraphModel(run)
    view = GraphView()
    view.resize(1200, 800)
    view.show()
    view.set_model(model, step=0)
    deadline = time.perf_counter() + 60
    while view.graph_scene.model is None and time.perf_counter() < deadline:
        app.processEvents()
        time.sleep(0.01)
    view.fit()
    app.processEvents()
    times = []
    for k in range(1, min(repeat_steps, model.step_count) + 1):
        start = time.perf_counter()
        view.show_step(k)
        view.viewport().repaint()
        times.append(time.perf_counter() - start)
    return len(model.nodes), times


def main() -> int:
    bare = startup(BARE)
    ours = startup(GRADVIZ)
    print("1. start-up to a shown window (median of 5 fresh processes, wall clock)")
    print(f"   bare PySide6 window   {bare * 1e3:7.0f} ms")
    print(f"   gradviz main window   {ours * 1e3:7.0f} ms")
    print(f"   gradviz / bare = {ours / bare:.2f}×  (target ≤ 2)")
    nodes, times = stepping()
    times.sort()
    median = statistics.median(times)
    p95 = times[int(0.95 * (len(times) - 1))]
    print(f"\n2. stepping on a {nodes}-node graph, show step k+1 and repaint "
          f"({len(times)} steps, whole graph fitted in a 1200×800 view)")
    print(f"   median {median * 1e3:5.1f} ms   95th percentile {p95 * 1e3:5.1f} ms   "
          f"max {times[-1] * 1e3:5.1f} ms   (frame budget 16 ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

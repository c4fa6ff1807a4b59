"""The canvas: items for known graphs, what they say at each step, geometry, the view's controls.

Runs offscreen (QT_QPA_PLATFORM=offscreen), as CI does.
"""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402
from PySide6.QtCore import QPoint, QPointF, QRectF, Qt  # noqa: E402
from PySide6.QtGui import QColor, QImage, QPainter, QWheelEvent  # noqa: E402

from gradviz.canvas.build import build_scene, compute_layout  # noqa: E402
from gradviz.canvas.edge_item import EdgeItem  # noqa: E402
from gradviz.canvas.op_item import OpItem  # noqa: E402
from gradviz.canvas.scene import GraphScene  # noqa: E402
from gradviz.canvas.style import THEMES, Style  # noqa: E402
from gradviz.canvas.tensor_item import TensorItem  # noqa: E402
from gradviz.canvas.tooltips import node_tooltip  # noqa: E402
from gradviz.canvas.view import READABLE_ZOOM, GraphView  # noqa: E402
from gradviz.graph.model import GraphModel  # noqa: E402
from gradviz.graph.progress import State  # noqa: E402
from gradviz.script import run_script  # noqa: E402

EXAMPLES = Path(__file__).resolve().parents[2] / "resources" / "examples"


def example_model(name: str) -> GraphModel:
    path = EXAMPLES / name
    run = run_script(path.read_text(), str(path))
    assert run.error is None
    return GraphModel(run)


def shown_view(qtbot: object, model: GraphModel, size: tuple[int, int] = (600, 500),
               step: int | None = None) -> GraphView:
    """A GraphView of `size` on screen, with `model` laid out and drawn at `step`."""
    view = GraphView()
    qtbot.addWidget(view)  # type: ignore[attr-defined]
    view.resize(*size)
    view.show()
    with qtbot.waitSignal(view.layout_ready, timeout=10000):  # type: ignore[attr-defined]
        view.set_model(model, step=step)
    return view


def model_of(source: str) -> GraphModel:
    run = run_script(textwrap.dedent(source), "script.py")
    assert run.error is None
    return GraphModel(run)


def tensor_item(scene: GraphScene, name: str) -> TensorItem:
    (item,) = [i for i in scene.node_items.values()
               if isinstance(i, TensorItem) and i.info.name == name]
    return item


def card_rect(item: TensorItem | OpItem) -> QRectF:
    return item.mapRectToScene(item.rect)


def on_border(point: QPointF, rect: QRectF, tolerance: float = 1.0) -> bool:
    inside = rect.adjusted(-tolerance, -tolerance, tolerance, tolerance).contains(point)
    near_side = min(abs(point.x() - rect.left()), abs(point.x() - rect.right()),
                    abs(point.y() - rect.top()), abs(point.y() - rect.bottom())) <= tolerance
    return inside and near_side


@pytest.fixture
def neuron(qapp: object) -> GraphScene:
    return build_scene(example_model("neuron.py"), Style(), "TB", 0)


def test_one_item_per_node_and_per_edge(neuron: GraphScene) -> None:
    model = neuron.model
    assert model is not None
    tensors = [i for i in neuron.items() if isinstance(i, TensorItem)]
    ops = [i for i in neuron.items() if isinstance(i, OpItem)]
    edges = [i for i in neuron.items() if isinstance(i, EdgeItem)]
    assert len(tensors) == 10 and len(ops) == 5
    assert len(edges) == model.graph.number_of_edges() == 14


def test_x_times_x_draws_two_separate_edges(qapp: object) -> None:
    scene = build_scene(model_of("""\
        import torch
        x = torch.tensor(3.0, requires_grad=True)
        y = x * x
        y.backward()
    """))
    x = tensor_item(scene, "x")
    uses = [e for e in scene.edge_items.values() if e.info.source == x.info.key]
    assert len(uses) == 2
    assert uses[0].path.pointAtPercent(0.1) != uses[1].path.pointAtPercent(0.1)


@pytest.mark.parametrize("direction", ["TB", "LR"])
@pytest.mark.parametrize("name", ["neuron.py", "mlp_cross_entropy.py", "sgd_training_loop.py"])
def test_nodes_never_overlap_and_edges_end_on_their_nodes(qapp: object, name: str,
                                                          direction: str) -> None:
    scene = build_scene(example_model(name), Style(), direction)
    rects = {key: card_rect(item) for key, item in scene.node_items.items()}
    keys = list(rects)
    for i, a in enumerate(keys):
        for b in keys[i + 1:]:
            assert not rects[a].intersects(rects[b]), (a, b)
    for edge in scene.edge_items.values():
        assert on_border(edge.tail, rects[edge.info.source]), edge.info.id
        assert on_border(edge.tip, rects[edge.info.target]), edge.info.id
        end = edge.path.pointAtPercent(1.0)
        assert QRectF(rects[edge.info.target]).adjusted(-12, -12, 12, 12).contains(end)


def test_cards_say_none_before_backward_and_the_value_after(neuron: GraphScene) -> None:
    x1 = tensor_item(neuron, "x1")
    assert x1.text_lines() == ["x1", "leaf", "2.", "scalar", ".grad", "None"]
    neuron.show_step(neuron.model.step_count)
    assert x1.text_lines()[-1] == "-1.5000"
    n = tensor_item(neuron, "n")
    # a non-leaf keeps None, and says what passed through it (d out / d n = 1 − tanh² = 0.5)
    assert n.text_lines()[-2:] == ["None", "non-leaf: got 0.5000, not stored"]
    out = tensor_item(neuron, "out")
    assert "output" in out.text_lines() and out.text_lines()[-1] == "non-leaf: got 1., not stored"
    neuron.show_step(0)
    assert n.text_lines()[-2:] == ["None", "non-leaf: .grad not stored"]
    neuron.show_step(1)  # out → n: the seed has reached out, and 0.5 has reached n
    assert out.text_lines()[-1] == "non-leaf: got 1., not stored"
    assert n.text_lines()[-1] == "non-leaf: got 0.5000, not stored"
    width = n.boundingRect().width()
    neuron.show_step(0)
    assert n.boundingRect().width() == width  # sized once for every text it will show


def test_grad_appears_exactly_at_the_step_that_reaches_the_leaf(neuron: GraphScene) -> None:
    model = neuron.model
    b = tensor_item(neuron, "b")
    seen = []
    for k in range(model.step_count + 1):
        neuron.show_step(k)
        seen.append((b.grad.summary, b.grad.changed, b.state))
    first_value = next(k for k, (text, _, _) in enumerate(seen) if text != "None")
    current = model.current(first_value)
    assert current is not None and current.input == b.info.key
    assert seen[first_value] == ("0.5000", True, State.CURRENT)
    assert seen[first_value + 1] == ("0.5000", False, State.DONE)
    assert all(text == "None" for text, _, _ in seen[:first_value])


def test_stepping_touches_only_the_items_that_change(qapp: object) -> None:
    scene = build_scene(example_model("sgd_training_loop.py"), Style(), "TB", 0)
    model = scene.model
    total = len(scene.node_items) + len(scene.edge_items)
    for k in range(1, model.step_count + 1):
        diff = model.diff(k - 1, k)
        scene.show_step(k)
        expected = {scene.node_items[key] for key in diff.nodes}
        expected |= {scene.edge_items[edge] for edge in diff.edges}
        assert scene.touched - {scene.label} == expected
        if model.progress.pass_of(k - 1) == model.progress.pass_of(k):
            assert len(scene.touched) < total / 4


def test_the_current_edge_carries_the_chain_rule_label(neuron: GraphScene) -> None:
    neuron.show_step(1)
    current = neuron.model.current(1)
    edge = neuron.edge_items[current.edge]
    assert edge.state == State.CURRENT
    assert neuron.label.isVisible()
    assert neuron.label.lines == ("1. × 0.5000 = 0.5000", "∂out/∂n = 1 − tanh²(n)")
    distance = neuron.label.sceneBoundingRect().center() - edge.midpoint()
    assert abs(distance.x()) + abs(distance.y()) < 250
    neuron.show_step(0)
    assert not neuron.label.isVisible()


def test_pending_done_and_current_edges_are_drawn_differently(neuron: GraphScene) -> None:
    neuron.show_step(4)
    states = {e.state for e in neuron.edge_items.values()}
    assert {State.PENDING, State.DONE, State.CURRENT} <= states
    images = {}
    for state in (State.PENDING, State.DONE, State.CURRENT):
        edge = next(e for e in neuron.edge_items.values() if e.state == state)
        images[state] = render_item_pixels(neuron, edge)
    assert len({tuple(v) for v in images.values()}) == 3


def render_item_pixels(scene: GraphScene, item: EdgeItem) -> list[int]:
    rect = item.sceneBoundingRect()
    image = QImage(int(rect.width()) + 1, int(rect.height()) + 1, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.white)
    painter = QPainter(image)
    painter.translate(-rect.topLeft())
    from PySide6.QtWidgets import QStyleOptionGraphicsItem

    item.paint(painter, QStyleOptionGraphicsItem())
    painter.end()
    colours = [image.pixel(x, y) for x in range(0, image.width(), 2)
               for y in range(0, image.height(), 2)]
    return sorted(set(colours))[:50]


def test_themes_are_data_and_print_type_is_larger(qapp: object) -> None:
    assert set(THEMES) == {"light", "dark", "print"}
    model = example_model("tutorial.py")
    sizes = {name: TensorItem.measure(model.nodes["tensor:0"], Style.named(name),
                                      model.card_texts("tensor:0")) for name in THEMES}
    assert sizes["print"][0] > sizes["light"][0] and sizes["print"][1] > sizes["light"][1]
    assert sizes["dark"] == sizes["light"]
    bigger = TensorItem.measure(model.nodes["tensor:0"], Style.named("light", 1.5),
                                model.card_texts("tensor:0"))
    assert bigger[1] > sizes["light"][1] * 1.3
    with pytest.raises(ValueError, match="unknown theme"):
        Style.named("neon")


def test_switching_theme_repaints_without_moving_nodes(neuron: GraphScene) -> None:
    before = {k: i.pos() for k, i in neuron.node_items.items()}
    neuron.set_style(Style.named("dark"))
    assert neuron.backgroundBrush().color() == QColor(THEMES["dark"].background)
    assert {k: i.pos() for k, i in neuron.node_items.items()} == before
    assert not neuron.needs_layout(Style.named("light"))
    assert neuron.needs_layout(Style.named("print"))


def test_tooltips_show_full_values_and_grad_fn(neuron: GraphScene) -> None:
    model = neuron.model
    text = node_tooltip(model, tensor_item(neuron, "x1").info.key, model.step_count)
    assert "tensor(2., requires_grad=True)" in text and "tensor(-1.5000)" in text
    op = next(i for i in neuron.node_items.values() if isinstance(i, OpItem)
              and i.info.label == "tanh")
    assert "TanhBackward0" in node_tooltip(model, op.info.key, 0)
    assert neuron.node_at(op.pos()) == op.info.key


def test_layout_runs_off_the_ui_thread_and_gives_the_same_picture(qtbot: object) -> None:
    model = example_model("neuron.py")
    view = GraphView()
    qtbot.addWidget(view)
    view.resize(800, 600)
    with qtbot.waitSignal(view.layout_ready, timeout=10000):
        view.set_model(model, step=3)
    assert view.graph_scene.step == 3
    expected = compute_layout(model, view.style, "TB")
    for key, item in view.graph_scene.node_items.items():
        assert (item.pos().x(), item.pos().y()) == (expected.nodes[key].x,
                                                    expected.nodes[key].y)
    with qtbot.waitSignal(view.layout_ready, timeout=10000):
        view.set_direction("LR")
    assert view.graph_scene.direction == "LR" and view.graph_scene.step == 3


def test_zoom_fit_find_and_keys(qtbot: object) -> None:
    view = shown_view(qtbot, example_model("neuron.py"), (800, 700))  # neuron.py fits readably
    visible = view.mapToScene(view.viewport().rect()).boundingRect()
    assert visible.contains(view.graph_scene.graph_rect().adjusted(1, 1, -1, -1))
    fitted = view.zoom
    qtbot.keyClick(view, Qt.Key.Key_Plus)
    assert view.zoom == pytest.approx(fitted * 1.25)
    qtbot.keyClick(view, Qt.Key.Key_Minus)
    assert view.zoom == pytest.approx(fitted)
    qtbot.keyClick(view, Qt.Key.Key_0)
    assert view.zoom == pytest.approx(1.0)
    view.zoom_by(1e6)
    assert view.zoom == pytest.approx(8.0)
    view.zoom_by(1e-9)
    assert view.zoom == pytest.approx(0.02)
    keys = view.find("w2")
    assert len(keys) == 1 and view.graph_scene.node_items[keys[0]].isSelected()
    shown = view.mapToScene(view.viewport().rect()).boundingRect()
    assert shown.contains(view.graph_scene.node_items[keys[0]].sceneBoundingRect())
    assert view.zoom > 0.5
    qtbot.keyClick(view, Qt.Key.Key_F)
    assert view.zoom == pytest.approx(fitted)


def test_the_mouse_wheel_zooms_about_the_cursor(qtbot: object) -> None:
    view = shown_view(qtbot, example_model("neuron.py"), (600, 500))
    before = view.zoom
    spot = QPointF(300, 250)
    under = view.mapToScene(spot.toPoint())
    event = QWheelEvent(spot, view.mapToGlobal(spot), QPoint(), QPoint(0, 120),
                        Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier,
                        Qt.ScrollPhase.NoScrollPhase, False)
    view.wheelEvent(event)
    assert view.zoom > before
    after = view.mapToScene(spot.toPoint())
    assert abs(after.x() - under.x()) < 3 / view.zoom + 1
    assert abs(after.y() - under.y()) < 3 / view.zoom + 1


def test_zoomed_out_cards_skip_their_text(neuron: GraphScene) -> None:
    item = tensor_item(neuron, "x1")

    def ink(scale: float) -> int:
        rect = item.rect
        size = (int(rect.width() * scale) + 4, int(rect.height() * scale) + 4)
        image = QImage(*size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.white)
        painter = QPainter(image)
        painter.translate(2, 2)
        painter.scale(scale, scale)
        painter.translate(-rect.topLeft())
        from PySide6.QtWidgets import QStyleOptionGraphicsItem

        item.paint(painter, QStyleOptionGraphicsItem())
        painter.end()
        return len({image.pixel(x, y) for x in range(image.width())
                    for y in range(image.height())})

    assert ink(1.0) > 20  # full card: many shades of text and outline
    assert ink(0.1) <= 3  # a plain box


def test_many_qt_calls_do_not_exhaust_none_or_true(tmp_path: Path) -> None:
    """PySide6 6.12.0 on CPython 3.11 loses a reference to None per void call and to True per
    emit, and aborts the interpreter once they run out; pyproject.toml keeps it out."""
    import subprocess
    import sys

    code = textwrap.dedent("""\
        import gradviz.canvas
        from PySide6.QtCore import QObject, QPointF, Signal

        class Source(QObject):
            changed = Signal(int)

        point, source = QPointF(), Source()
        for _ in range(200_000):
            point.setX(1.0)
            source.changed.emit(1)
        print("ok")
    """)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=Path(__file__).resolve().parents[2], timeout=120)
    assert result.returncode == 0, result.stderr[-500:]
    assert result.stdout.strip() == "ok"


def test_far_zoomed_out_one_overview_item_draws_the_graph(qtbot: object) -> None:
    view = shown_view(qtbot, example_model("sgd_training_loop.py"), (400, 300), step=2)
    scene = view.graph_scene
    view.set_zoom(0.05)
    view.viewport().repaint()
    assert scene.overview_shown and scene.overview.isVisible()
    assert not any(item.isVisible() for item in scene.node_items.values())
    scene.show_step(3)
    assert scene.overview in scene.touched
    # Exports always draw every card in full, and leave the overview as it was.
    from gradviz.export.svg import SvgExporter

    assert b">.grad<" in SvgExporter(scene).to_bytes()
    assert scene.overview_shown
    view.set_zoom(1.0)
    view.viewport().repaint()
    assert not scene.overview_shown
    assert all(item.isVisible() for item in scene.node_items.values())


def test_a_larger_font_scale_lays_the_graph_out_again(qtbot: object) -> None:
    view = GraphView()
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.layout_ready, timeout=10000):
        view.set_model(example_model("tutorial.py"), step=1)
    small = tensor_item(view.graph_scene, "x").rect
    with qtbot.waitSignal(view.layout_ready, timeout=10000):
        view.set_style(Style.named("light", 1.5))
    large = tensor_item(view.graph_scene, "x").rect
    assert large.height() > small.height() * 1.3
    assert view.graph_scene.step == 1
    rects = [card_rect(i) for i in view.graph_scene.node_items.values()]
    assert not any(a.intersects(b) for i, a in enumerate(rects) for b in rects[i + 1:])


def test_a_trackpad_pinch_zooms_and_a_two_finger_scroll_pans(qtbot: object) -> None:
    from PySide6.QtGui import QNativeGestureEvent, QPointingDevice

    view = shown_view(qtbot, example_model("neuron.py"), (600, 500))
    before = view.zoom
    spot = QPointF(300, 250)
    pinch = QNativeGestureEvent(Qt.NativeGestureType.ZoomNativeGesture,
                                QPointingDevice.primaryPointingDevice(), 2, spot, spot,
                                view.mapToGlobal(spot), 0.5, QPointF())
    view.viewportEvent(pinch)
    assert view.zoom == pytest.approx(min(before * 1.5, 8.0), rel=1e-6)
    zoom = view.zoom
    centre = view.mapToScene(view.viewport().rect().center())
    scroll = QWheelEvent(spot, view.mapToGlobal(spot), QPoint(0, 40), QPoint(0, 120),
                         Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier,
                         Qt.ScrollPhase.ScrollUpdate, False)
    view.wheelEvent(scroll)
    assert view.zoom == zoom
    assert view.mapToScene(view.viewport().rect().center()) != centre


@pytest.mark.parametrize("size", [(504, 465), (615, 571), (393, 359), (1000, 560)])
@pytest.mark.parametrize("name", ["mlp_cross_entropy.py", "neuron.py"])
def test_a_fitted_graph_settles_at_any_window_shape(qtbot: object, monkeypatch: pytest.MonkeyPatch,
                                                    name: str, size: tuple[int, int]) -> None:
    """Fitting must not change the viewport (scrollbars coming and going once made the window
    fit, resize and fit again for ever: the MLP example froze the app at these sizes)."""
    fits = []
    original = GraphView.fit_readable

    def counted(view: GraphView) -> None:
        fits.append(view.viewport().size())
        assert len(fits) < 20, "fitting does not settle"
        original(view)

    monkeypatch.setattr(GraphView, "fit_readable", counted)
    view = shown_view(qtbot, example_model(name), size)
    qtbot.wait(200)
    assert len(fits) <= 2
    assert view.viewport().size() == fits[-1]


def test_a_big_graph_opens_readable_on_the_first_step_and_follows_the_steps(
        qtbot: object) -> None:
    view = GraphView()
    qtbot.addWidget(view)
    view.resize(700, 500)
    view.show()
    model = example_model("mlp_cross_entropy.py")
    with qtbot.waitSignal(view.layout_ready, timeout=10000):
        view.set_model(model, step=0)
    graph = view.graph_scene.graph_rect()
    assert min(700 / graph.width(), 500 / graph.height()) < READABLE_ZOOM  # too big to fit
    assert view.zoom == pytest.approx(READABLE_ZOOM)

    def shown() -> QRectF:
        return view.mapToScene(view.viewport().rect()).boundingRect()

    def in_view(*keys: str) -> bool:
        return all(shown().contains(view.graph_scene.node_items[k].sceneBoundingRect())
                   for k in keys)

    first = model.current(1)
    assert in_view(first.input, first.output)  # where backward starts
    # the loss is at the bottom: the view stops at the drawing's edge, not beyond it
    assert graph.top() - 1 <= shown().top() and shown().bottom() <= graph.bottom() + 1
    for k in range(1, model.step_count + 1):
        view.show_step(k)
        current = model.current(k)
        if current is not None:
            assert in_view(current.input, current.op), k
    assert view.zoom == pytest.approx(READABLE_ZOOM)  # following pans, never zooms
    qtbot.keyClick(view, Qt.Key.Key_F)
    assert shown().contains(graph.adjusted(1, 1, -1, -1)) and view.auto_fit == "all"


def test_the_grid_finds_every_rectangle_that_meets_the_query() -> None:
    import random

    from gradviz.canvas.spatial import Grid

    rng = random.Random(1)
    rects = [QRectF(rng.uniform(-2000, 2000), rng.uniform(-500, 3000), rng.uniform(1, 900),
                    rng.uniform(1, 300)) for _ in range(400)]
    grid = Grid(enumerate(rects), cell=128.0)
    for _ in range(200):
        query = QRectF(rng.uniform(-2500, 2500), rng.uniform(-800, 3300), rng.uniform(1, 400),
                       rng.uniform(1, 120))
        found = set(grid.near(query))
        meeting = {i for i, r in enumerate(rects) if r.intersects(query)}
        assert meeting <= found  # nothing missed; a few neighbours in shared cells are fine
        assert len(found) == len(grid.near(query))  # each once


WIDE_NET = """
import torch
w = [torch.tensor(0.1 * i - 0.4, requires_grad=True) for i in range(8)]
loss = torch.tensor(0.0)
for s in range(6):
    hidden = [(v * (0.5 + 0.1 * s)).tanh() for v in w]
    out = hidden[0]
    for h in hidden[1:]:
        out = out + h
    loss = loss + (out - 1.0) ** 2
loss.backward()
"""


def test_a_graph_many_windows_big_opens_as_an_overview_and_stays_where_the_user_puts_it(
        qtbot: object) -> None:
    run = run_script(WIDE_NET, "wide.py")
    assert run.error is None
    model = GraphModel(run)
    view = shown_view(qtbot, model, (700, 500), step=0)
    graph = view.graph_scene.graph_rect()
    assert graph.width() * graph.height() * READABLE_ZOOM ** 2 > 6 * 700 * 500  # many windows
    shown = view.mapToScene(view.viewport().rect()).boundingRect()
    assert shown.contains(graph.adjusted(1, 1, -1, -1))  # the whole graph, to zoom into
    far = graph.adjusted(graph.width() * 2, 0, graph.width() * 2, 0)  # e.g. a label's margin
    view._focus_rect = lambda: far  # type: ignore[method-assign]
    pans = []
    view.centerOn = lambda *a: pans.append(a)  # type: ignore[method-assign]
    for k in range(1, model.step_count + 1):
        view.show_step(k)  # the whole graph is in view: nothing to follow, no pan
    del view._focus_rect, view.centerOn
    assert pans == []
    view.set_zoom(0.5)  # the user zooms in: from now on the view stays put
    before = view.mapToScene(view.viewport().rect()).boundingRect()
    for k in range(1, model.step_count + 1):
        view.show_step(k)
    assert view.mapToScene(view.viewport().rect()).boundingRect() == before


def test_a_click_keeps_the_view_following_and_a_drag_takes_it_over(qtbot: object) -> None:
    view = shown_view(qtbot, example_model("mlp_cross_entropy.py"), (700, 500), step=0)
    assert view.auto_fit == "readable"
    centre = view.viewport().rect().center()
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    assert view.auto_fit == "readable"  # clicking (to focus, or to select) is not taking over
    qtbot.mousePress(view.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    qtbot.mouseMove(view.viewport(), centre + QPoint(40, 30))
    qtbot.mouseRelease(view.viewport(), Qt.MouseButton.LeftButton, pos=centre + QPoint(40, 30))
    assert view.auto_fit is None  # a drag pans: the view stays where the user put it


def test_larger_type_still_fits_the_window(qtbot: object) -> None:
    view = shown_view(qtbot, example_model("neuron.py"), (600, 500), step=3)
    qtbot.keyClick(view, Qt.Key.Key_F)  # the whole graph
    with qtbot.waitSignal(view.layout_ready, timeout=10000):
        view.set_style(Style.named("light", 1.6))  # View ▸ Larger Text: cards grow
    shown = view.mapToScene(view.viewport().rect()).boundingRect()
    assert shown.contains(view.graph_scene.graph_rect().adjusted(1, 1, -1, -1))

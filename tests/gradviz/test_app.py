"""The desktop app end to end (pytest-qt, offscreen): launch, step, play, edit, click, export,
open and save — with the file dialogs replaced."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, QSettings, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QFileDialog, QMessageBox

from gradviz.app.launch import open_first
from gradviz.app.main_window import MainWindow
from gradviz.app.settings import AppSettings
from gradviz.resources import tutorial


@pytest.fixture
def window(qtbot: object, tmp_path: Path) -> Iterator[MainWindow]:
    settings = AppSettings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    win = MainWindow(settings, autosave_folder=tmp_path / "autosave")
    open_first(win, None)
    wait_for_run(win, qtbot)
    win.show()
    qtbot.waitUntil(lambda: win.canvas.view.graph_scene.model is not None, timeout=10000)
    yield win
    win.document.new("")  # nothing unsaved: closing must not stop at the save question
    win.close()
    win.deleteLater()


def wait_for_run(win: MainWindow, qtbot: object) -> None:
    qtbot.waitUntil(lambda: win.document.run is not None and not win.worker.busy, timeout=15000)


def key_of(win: MainWindow, label: str) -> str:
    return next(k for k, d in win.document.run.graph.nodes(data=True) if d.get("label") == label)


def test_opens_on_the_tutorial_already_run_and_ready_to_step(window: MainWindow) -> None:
    assert window.document.text == tutorial().read_text(encoding="utf-8")
    assert window.document.run.output == "tensor(4.)\n"
    assert (window.document.step, window.document.step_count) == (0, 1)
    assert window.step_label.text() == "before backward"
    assert window.findChild(object, "canvas") is window.canvas.view
    for name in ("editor", "inspector", "steps", "output"):
        assert window.findChild(object, name) is not None


def test_stepping_shows_none_then_tensor_4_in_the_inspector(window: MainWindow,
                                                          qtbot: object) -> None:
    window.document.select(key_of(window, "x"))
    inspector = window.inspector
    assert inspector.grad_value.text() == "None"
    window.forward_action.trigger()
    assert window.document.step == 1
    assert inspector.grad_value.text() == "tensor(4.)"
    assert window.step_label.text() == "step 1 of 1"
    card = window.canvas.view.graph_scene.node_items[key_of(window, "x")]
    # on the canvas x.grad changes when the travelling gradient gets there
    assert window.canvas.pulse.running and card.grad.summary == "None"
    qtbot.waitUntil(lambda: not window.canvas.pulse.running, timeout=5000)
    assert card.grad.summary == "4." and card.grad.changed
    window.back_action.trigger()
    assert inspector.grad_value.text() == "None"
    assert card.grad.summary == "None"


def test_play_to_the_end_with_no_animation(window: MainWindow, qtbot: object) -> None:
    window.document.set_text(Path(tutorial().parent / "neuron.py").read_text(encoding="utf-8"))
    window.document.request_run()
    wait_for_run(window, qtbot)
    window.animations_action.trigger()  # on by default: this turns animations off
    assert not window.player.animations and window.player.animation_ms == 0
    window.player.set_speed(1)
    window.play_action.trigger()
    window.player.set_speed(30)
    qtbot.waitUntil(lambda: window.document.step == window.document.step_count, timeout=10000)
    qtbot.waitUntil(lambda: not window.player.playing, timeout=2000)
    assert window.document.step_count > 5
    assert not window.canvas.pulse.running


def test_an_error_is_underlined_with_its_message(window: MainWindow, qtbot: object) -> None:
    window.document.set_text("import torch\nx = torch.tensor([1.0, 2.0], requires_grad=True)\n"
                             "y = x * 2\ny.backward()\n")
    window.run_action.trigger()
    wait_for_run(window, qtbot)
    editor = window.editor
    [mark] = editor.editor.diagnostics
    assert (mark.line, mark.col) == (4, 1)
    assert "grad can be implicitly created only for scalar outputs" in editor.message.text()
    assert "4:1" in window.output.findChild(object, "outputText").toPlainText() or \
        "scalar outputs" in window.output.findChild(object, "outputText").toPlainText()
    assert window.document.run.graph.number_of_nodes() > 0


def test_clicking_a_node_selects_its_line(window: MainWindow, qtbot: object) -> None:
    view = window.canvas.view
    item = view.graph_scene.node_items[key_of(window, "y")]
    point = view.mapFromScene(item.scenePos())
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert window.document.selection == key_of(window, "y")
    assert window.editor.editor.marked_lines == (4, 4)


def test_export_from_the_menu(window: MainWindow, tmp_path: Path,
                              monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "graph.svg"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(target), "")))
    window.findChild(object, "export_svg").trigger()
    assert target.exists() and b"<svg" in target.read_bytes()[:400]
    deck = tmp_path / "deck.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(deck), "")))
    window.findChild(object, "export_deck_pdf").trigger()
    assert deck.read_bytes().count(b"/Type /Page\n") + deck.read_bytes().count(
        b"/Type /Page ") + deck.read_bytes().count(b"/Type/Page") >= 2
    [(width, height)] = {(float(w), float(h)) for w, h in re.findall(
        rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", deck.read_bytes())}
    assert width / height == pytest.approx(16 / 9, abs=0.01)  # a deck is for slides


def test_open_and_save_with_the_dialogs_replaced(window: MainWindow, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch,
                                                 qtbot: object) -> None:
    script = tmp_path / "mine.py"
    script.write_text("import torch\nw = torch.tensor(3.0, requires_grad=True)\n"
                      "(w * w).backward()\nprint(w.grad)\n")
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        staticmethod(lambda *a, **k: (str(script), "")))
    window.open_action.trigger()
    wait_for_run(window, qtbot)
    assert window.document.path == script
    assert window.document.run.output == "tensor(6.)\n"
    assert script.resolve() in window.settings.recent_files
    window.document.set_text(window.document.text + "print(w)\n")
    assert window.windowTitle().startswith("mine.py")
    window.save_action.trigger()
    assert script.read_text().endswith("print(w)\n") and not window.document.dirty
    copy = tmp_path / "copy.py"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(copy), "")))
    window.save_as_action.trigger()
    assert copy.read_text() == script.read_text() and window.document.path == copy


def test_unsaved_changes_are_asked_about_and_cancel_keeps_them(
        window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    window.document.set_text(window.document.text + "# mine\n")
    asked = []

    def answer(*args: object, **kwargs: object) -> QMessageBox.StandardButton:
        asked.append(args)
        return QMessageBox.StandardButton.Cancel

    monkeypatch.setattr(QMessageBox, "question", staticmethod(answer))
    window.new_action.trigger()
    assert asked and "# mine" in window.document.text
    assert window.close() is False


def test_dropping_a_script_opens_it(window: MainWindow, tmp_path: Path, qtbot: object) -> None:
    script = tmp_path / "dropped.py"
    script.write_text("import torch\nprint(torch.ones(2))\n")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(script))])
    event = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime,
                       Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    window.dropEvent(event)
    wait_for_run(window, qtbot)
    assert window.document.path == script
    assert window.document.run.output == "tensor([1., 1.])\n"


def test_a_script_that_cannot_be_read_leaves_the_current_one(
        window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bad = tmp_path / "bad.py"
    bad.write_bytes(b"\xff\xfe\x00garbage")
    warned = []
    monkeypatch.setattr(QMessageBox, "warning", staticmethod(lambda *a: warned.append(a)))
    text = window.document.text
    assert window.load(bad) is False
    assert warned and window.document.text == text


def test_settings_remember_theme_and_layout(window: MainWindow, tmp_path: Path) -> None:
    window.set_theme("dark")
    assert window.settings.theme == "dark"
    assert window.canvas.view.style.theme.name == "dark"
    window.set_theme("print")
    assert window.canvas.view.style.theme.name == "print"
    window.settings.set_window_state(window.saveGeometry(), window.saveState())
    geometry, state = window.settings.window_state()
    assert geometry is not None and state is not None


def test_an_unexpected_error_shows_a_dialog_and_the_app_keeps_running(
        window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    from gradviz.app import crash

    shown = []
    monkeypatch.setattr(QMessageBox, "exec", lambda self: shown.append(self.detailedText()))
    try:
        raise ValueError("a bug of ours")
    except ValueError as error:
        crash.report(type(error), error, error.__traceback__)
    assert shown and "a bug of ours" in shown[0]
    window.forward_action.trigger()
    assert window.document.step == 1


def test_gradviz_show_builds_the_run_without_touching_grads() -> None:
    import engine
    from gradviz.show_tensors import run_from_tensors

    x = engine.tensor(2.0, requires_grad=True)
    x.name = "x"
    y = x * x + x
    run = run_from_tensors(y)
    assert x.grad is None
    assert len(run.steps) == 4
    assert float(run.grad_at(x, len(run.steps))) == 5.0
    assert run.grad_at(x, 0) is None


def test_a_gradient_in_flight_lands_when_the_next_step_starts(window: MainWindow,
                                                              qtbot: object) -> None:
    window.document.set_text(Path(tutorial().parent / "neuron.py").read_text(encoding="utf-8"))
    window.document.request_run()
    wait_for_run(window, qtbot)
    qtbot.waitUntil(lambda: window.canvas.view.graph_scene.model is not None
                    and "b" in {n.label for n in window.canvas.model.nodes.values()},
                    timeout=10000)
    window.document.set_step(2)
    b = window.canvas.view.graph_scene.node_items[key_of(window, "b")]
    window.forward_action.trigger()  # step 3 carries the gradient to b
    assert window.canvas.pulse.running and b.grad.summary == "None"
    window.forward_action.trigger()  # the next step starts before it arrived
    assert b.grad.summary == "0.5000"
    window.back_action.trigger()
    window.back_action.trigger()  # back to step 2, where b.grad was None
    assert not window.canvas.pulse.running and b.grad.summary == "None"


def test_a_missing_script_on_the_command_line_opens_the_tutorial_and_says_so(
        qtbot: object, tmp_path: Path) -> None:
    settings = AppSettings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    win = MainWindow(settings, autosave_folder=tmp_path / "autosave")
    try:
        open_first(win, tmp_path / "nowhere.py")  # no dialog: conftest refuses any
        assert win.document.text == tutorial().read_text(encoding="utf-8")
        wait_for_run(win, qtbot)
        qtbot.waitUntil(lambda: not win.canvas.view.worker.busy, timeout=10000)
        qtbot.wait(50)
        assert "nowhere.py: no such file" in win.statusBar().currentMessage()  # after the run
    finally:
        win.document.new("")
        win.close()


def test_export_options_from_the_menu_reach_the_picture(window: MainWindow, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtGui import QColor, QImage

    def export_png(name: str) -> QImage:
        target = tmp_path / name
        monkeypatch.setattr(QFileDialog, "getSaveFileName",
                            staticmethod(lambda *a, **k: (str(target), "")))
        window.findChild(object, "export_png").trigger()
        image = QImage(str(target))
        assert not image.isNull()
        return image

    default = export_png("two.png")  # 2× and opaque unless asked otherwise
    assert QColor.fromRgba(default.pixel(0, 0)).alpha() == 255
    window.findChild(object, "export_scale_1").trigger()
    window.findChild(object, "export_transparent").trigger()
    small = export_png("one.png")
    assert abs(small.width() * 2 - default.width()) <= 2
    assert QColor.fromRgba(small.pixel(0, 0)).alpha() == 0
    assert window.settings.export_scale == 1.0 and window.settings.export_transparent


def test_a_png_drawn_smaller_than_asked_tells_the_user(window: MainWindow, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtGui import QImage

    from gradviz.export import png

    monkeypatch.setattr(png, "MAX_SIDE", 120)
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "information",
                        staticmethod(lambda parent, title, text: told.append(text)))
    target = tmp_path / "graph.png"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(target), "")))
    window.findChild(object, "export_png").trigger()
    image = QImage(str(target))
    assert max(image.width(), image.height()) <= 120
    [text] = told
    assert str(target) in text and "drawn at scale" in text

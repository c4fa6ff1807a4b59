"""The document: the one owner of script, run, step and selection."""

from __future__ import annotations

from pathlib import Path

import pytest

from gradviz.app.autosave import Autosaver
from gradviz.app.document import Document
from gradviz.app.player import Player
from gradviz.resources import tutorial
from tests.gradviz.documents import run_document

pytest.importorskip("PySide6.QtCore")


@pytest.fixture
def doc(qapp: object) -> Document:
    return run_document(tutorial().read_text(encoding="utf-8"))


def test_tutorial_runs_and_has_one_step(doc: Document) -> None:
    assert doc.run is not None and doc.run.error is None
    assert doc.run.output == "tensor(4.)\n"
    assert doc.step_count == 1


def test_steps_are_clamped_and_signalled(doc: Document, qtbot: object) -> None:
    seen: list[int] = []
    doc.step_changed.connect(seen.append)
    doc.step_forward()
    doc.step_forward()
    doc.step_back()
    doc.to_end()
    doc.reset()
    doc.set_step(-5)
    assert seen == [1, 0, 1, 0]
    assert doc.step == 0


def test_rerun_keeps_step_and_selection_where_they_still_exist(doc: Document) -> None:
    x_key = next(k for k, d in doc.run.graph.nodes(data=True) if d.get("label") == "x")
    doc.select(x_key)
    doc.to_end()
    doc.set_text(doc.text.replace("x ** 2", "x ** 3"))
    doc.execute()
    assert doc.step == 1
    assert doc.selection is not None
    assert doc.run.graph.nodes[doc.selection]["label"] == "x"
    doc.set_text("import torch\nz = torch.tensor(1.0)\n")
    doc.execute()
    assert (doc.step, doc.selection) == (0, None)


def test_lines_and_nodes_link_both_ways(doc: Document) -> None:
    on_line_four = doc.nodes_on_line(4)
    labels = {doc.run.graph.nodes[k].get("label") for k in on_line_four}
    assert "y" in labels
    y_key = next(k for k in on_line_four if doc.run.graph.nodes[k].get("label") == "y")
    assert doc.line_of(y_key) == (4, 4)
    assert doc.nodes_on_line(1) == []


def test_save_and_load_round_trip_atomically(doc: Document, tmp_path: Path) -> None:
    target = tmp_path / "mine.py"
    assert doc.dirty is False
    doc.set_text(doc.text + "# edited\n")
    assert doc.dirty is True
    doc.save(target)
    assert target.read_text() == doc.text and doc.dirty is False
    assert doc.path == target and doc.filename == "mine.py"
    assert not list(tmp_path.glob(".*saving"))
    other = Document()
    other.load(target)
    assert other.text == doc.text and not other.dirty


def test_failed_load_leaves_the_document_alone(doc: Document, tmp_path: Path) -> None:
    text = doc.text
    with pytest.raises(OSError):
        doc.load(tmp_path / "missing.py")
    assert doc.text == text and doc.path is None


def test_a_failing_script_keeps_its_partial_graph(qapp: object) -> None:
    doc = Document()
    doc.set_text("import torch\nx = torch.tensor([1.0, 2.0], requires_grad=True)\n"
                 "y = x * 2\ny.backward()\n")
    run = doc.execute()
    assert run.error is not None and run.error.line == 4
    assert "grad can be implicitly created only for scalar outputs" in run.error.message
    assert {d.get("label") for _, d in run.graph.nodes(data=True)} >= {"x", "y"}


def test_player_plays_to_the_end_and_stops(doc: Document, qtbot: object) -> None:
    player = Player(doc)
    player.set_speed(30)
    player.play()
    assert player.playing
    qtbot.waitUntil(lambda: not player.playing, timeout=3000)
    assert doc.step == doc.step_count
    assert player.animation_ms == 0
    player.set_speed(1)
    assert player.animation_ms > 0
    player.set_animations(False)
    assert player.animation_ms == 0


def test_autosave_writes_unsaved_text_and_recovers_it(doc: Document, tmp_path: Path,
                                                      qtbot: object) -> None:
    saver = Autosaver(doc, tmp_path)
    assert saver.recover() is None
    doc.set_text("import torch\n# unsaved thought\n")
    qtbot.waitUntil(saver.file.exists, timeout=5000)
    recovered = Autosaver(Document(), tmp_path).recover()
    assert recovered is not None and "unsaved thought" in recovered.text
    doc.save(tmp_path / "kept.py")
    assert not saver.file.exists()


def test_autosave_ignores_a_corrupt_file(tmp_path: Path, qapp: object) -> None:
    (tmp_path / "autosave.json").write_text("{not json")
    assert Autosaver(Document(), tmp_path).recover() is None


def test_each_version_of_a_tensor_written_in_place_points_at_its_write(qapp: object) -> None:
    source = ("import torch\nx = torch.tensor([1.0, 2.0], requires_grad=True)\n"
              "out = torch.zeros(2)\nfor i in range(2):\n    out[i] = x[i] * 3\n"
              "out.sum().backward()\n")
    document = run_document(source)
    graph = document.run.graph
    versions = [k for k, d in graph.nodes(data=True) if d.get("label") == "out" and graph.degree(k)]
    assert [document.line_of(k) for k in versions] == [(3, 3), (5, 5), (5, 5)]
    assert set(versions[1:]) <= set(document.nodes_on_line(5))
    assert versions[0] in document.nodes_on_line(3)

"""Exports: PNG size and transparency, SVG viewBox and text, PDF pages, JSON schema and values,
step decks, atomic files, and `gradviz export` on the command line."""

from __future__ import annotations

import io
import json
import math
import os
import re
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402
from PySide6.QtGui import QColor, QImage  # noqa: E402

from gradviz.canvas.build import build_scene  # noqa: E402
from gradviz.canvas.scene import GraphScene  # noqa: E402
from gradviz.canvas.style import THEMES, Style  # noqa: E402
from gradviz.cli import main  # noqa: E402
from gradviz.export import (  # noqa: E402
    ExportOptions,
    JsonExporter,
    PdfDeckExporter,
    PdfExporter,
    PngExporter,
    PngFramesExporter,
    SvgExporter,
)
from gradviz.export.atomic import atomic_write  # noqa: E402
from gradviz.export.base import SLIDE  # noqa: E402
from gradviz.export.deck import GifDeckExporter  # noqa: E402
from gradviz.graph.model import GraphModel  # noqa: E402
from gradviz.script import run_script  # noqa: E402

EXAMPLES = Path(__file__).resolve().parents[2] / "resources" / "examples"
NEURON = EXAMPLES / "neuron.py"
TUTORIAL = EXAMPLES / "tutorial.py"
SVG = "{http://www.w3.org/2000/svg}"


def scene_of(path: Path, step: int | None = None, theme: str = "light",
             direction: str = "TB") -> GraphScene:
    run = run_script(path.read_text(), str(path))
    assert run.error is None
    return build_scene(GraphModel(run), Style.named(theme), direction, step)


def pdf_pages(data: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", data))


def image_of(data: bytes) -> QImage:
    image = QImage()
    assert image.loadFromData(data, "PNG")
    return image


@pytest.fixture
def neuron(qapp: object) -> GraphScene:
    return scene_of(NEURON)


def test_png_is_the_graph_with_a_margin_at_any_scale(neuron: GraphScene) -> None:
    frame = neuron.graph_rect()
    one = image_of(PngExporter(neuron).to_bytes())
    two = image_of(PngExporter(neuron, ExportOptions(scale=2)).to_bytes())
    assert (one.width(), one.height()) == (math.ceil(frame.width()), math.ceil(frame.height()))
    assert (two.width(), two.height()) == (math.ceil(frame.width() * 2),
                                           math.ceil(frame.height() * 2))
    margin = neuron.style.length(neuron.style.sizes.margin)
    layout = neuron.layout
    assert frame.width() == pytest.approx(layout.width + 2 * margin, abs=30)


@pytest.mark.parametrize(("side", "pixels"), [(200, 10 ** 9), (10 ** 6, 30_000)])
def test_a_png_too_large_is_drawn_smaller_and_says_so(neuron: GraphScene,
                                                      monkeypatch: pytest.MonkeyPatch,
                                                      side: int, pixels: int) -> None:
    from gradviz.export import png

    monkeypatch.setattr(png, "MAX_SIDE", side)
    monkeypatch.setattr(png, "MAX_PIXELS", pixels)
    frame = neuron.graph_rect()
    exporter = PngExporter(neuron, ExportOptions(scale=2))
    image = image_of(exporter.to_bytes())
    assert max(image.width(), image.height()) <= side
    assert image.width() * image.height() <= pixels
    assert image.width() / image.height() == pytest.approx(frame.width() / frame.height(),
                                                           rel=0.02)
    assert max(image.width(), image.height()) >= side - 2 or \
        image.width() * image.height() >= pixels * 0.97  # as large as the limits allow
    [note] = exporter.notes
    assert "drawn at scale" in note and "SVG and PDF" in note and f"{side:,} a side" in note
    assert PngExporter(neuron, ExportOptions(scale=0.01)).notes == []


def test_a_deck_too_large_is_drawn_smaller_with_its_captions(
        neuron: GraphScene, monkeypatch: pytest.MonkeyPatch) -> None:
    from gradviz.export import png

    monkeypatch.setattr(png, "MAX_SIDE", 300)
    exporter = PngFramesExporter(neuron, ExportOptions(scale=3, aspect=SLIDE))
    frames = [image_of(data) for data in exporter.frames()]
    assert {(f.width(), f.height()) for f in frames} == {(frames[0].width(),
                                                          frames[0].height())}
    assert frames[0].width() <= 300 and len(exporter.notes) == 1
    header = frames[0].copy(0, 0, frames[0].width(), frames[0].height() // 12)
    colours = {header.pixel(x, y) for x in range(header.width()) for y in range(header.height())}
    assert len(colours) > 2  # the caption is drawn at the picture's own scale, inside it


def test_cli_says_when_it_drew_a_png_smaller(qapp: object, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    from gradviz.export import png

    monkeypatch.setattr(png, "MAX_SIDE", 150)
    out = tmp_path / "graph.png"
    assert main(["export", str(NEURON), "-o", str(out), "--scale", "2"]) == 0
    assert max(image_of(out.read_bytes()).width(), image_of(out.read_bytes()).height()) <= 150
    assert "note:" in capsys.readouterr().err


def test_png_background_is_the_theme_or_transparent(neuron: GraphScene) -> None:
    opaque = image_of(PngExporter(neuron).to_bytes())
    assert QColor(opaque.pixel(1, 1)) == QColor(THEMES["light"].background)
    clear = image_of(PngExporter(neuron, ExportOptions(transparent=True)).to_bytes())
    assert QColor.fromRgba(clear.pixel(1, 1)).alpha() == 0
    centre = neuron.node_items["tensor:0"].sceneBoundingRect().center() - \
        neuron.graph_rect().topLeft()
    assert QColor.fromRgba(clear.pixel(int(centre.x()), int(centre.y()))).alpha() == 255
    # The scene keeps its own background afterwards.
    assert neuron.backgroundBrush().color() == QColor(THEMES["light"].background)


def test_exports_carry_no_selection(neuron: GraphScene) -> None:
    plain = PngExporter(neuron).to_bytes()
    item = neuron.node_items["tensor:0"]
    item.setSelected(True)
    assert PngExporter(neuron).to_bytes() == plain
    assert item.isSelected()


def test_svg_has_a_viewbox_matching_the_frame_and_real_text(neuron: GraphScene) -> None:
    root = ET.fromstring(SvgExporter(neuron).to_bytes())
    assert root.tag == f"{SVG}svg"
    view_box = [float(v) for v in root.attrib["viewBox"].split()]
    frame = neuron.graph_rect()
    assert view_box[:2] == [0, 0]
    assert view_box[2] == pytest.approx(frame.width(), abs=1)
    assert view_box[3] == pytest.approx(frame.height(), abs=1)
    texts = [t.text.strip() for t in root.iter(f"{SVG}text") if t.text]
    for expected in ("x1", "w1", "out", "tanh", "-1.5000", "None",
                     "non-leaf: got 0.5000, not stored"):
        assert expected in texts
    families = {t.attrib.get("font-family", "") for t in root.iter(f"{SVG}text")}
    assert all("sans-serif" in f or "monospace" in f for f in families)


def test_pdf_is_one_vector_page(neuron: GraphScene) -> None:
    data = PdfExporter(neuron).to_bytes()
    assert data.startswith(b"%PDF") and pdf_pages(data) == 1
    assert b"/Subtype /Image" not in data  # vectors and text, not a bitmap


def test_pdf_deck_has_a_page_before_backward_and_one_per_step(neuron: GraphScene) -> None:
    neuron.show_step(4)
    data = PdfDeckExporter(neuron).to_bytes()
    assert pdf_pages(data) == neuron.model.step_count + 1 == 10
    assert neuron.step == 4  # the scene shows what it showed before


def test_png_frames_are_numbered_and_all_the_same_size(neuron: GraphScene,
                                                       tmp_path: Path) -> None:
    exporter = PngFramesExporter(neuron)
    exporter.export(tmp_path / "neuron.png")
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == [f"neuron-{k:03d}.png" for k in range(10)]
    sizes = {(image_of(p.read_bytes()).width(), image_of(p.read_bytes()).height())
             for p in tmp_path.iterdir()}
    assert len(sizes) == 1
    with zipfile.ZipFile(io.BytesIO(exporter.to_bytes())) as archive:
        assert len(archive.namelist()) == 10


def test_gif_deck_when_pillow_is_installed(neuron: GraphScene) -> None:
    image_module = pytest.importorskip("PIL.Image")
    data = GifDeckExporter(neuron).to_bytes()
    gif = image_module.open(io.BytesIO(data))
    assert gif.format == "GIF" and gif.n_frames == 10


def test_json_has_the_laid_out_graph_with_grads_as_of_the_step(neuron: GraphScene) -> None:
    neuron.show_step(0)
    start = json.loads(JsonExporter(neuron).to_bytes())
    neuron.show_step(neuron.model.step_count)
    end = json.loads(JsonExporter(neuron).to_bytes())
    assert start["step"] == 0 and end["step"] == end["steps"] == 9
    nodes = {n["name"]: n for n in end["nodes"] if n["kind"] == "tensor"}
    assert set(nodes) >= {"x1", "x2", "w1", "w2", "b", "n", "out"}
    for node in end["nodes"]:
        assert set(node) >= {"id", "name", "label", "kind", "x", "y", "width", "height",
                             "value", "grad"}
        box = neuron.layout.nodes[node["id"]]
        assert (node["x"], node["y"], node["width"], node["height"]) == (
            box.x, box.y, box.width, box.height)
    assert nodes["w1"]["value"] == -3.0
    assert nodes["w1"]["grad"] == pytest.approx(1.0, abs=1e-5)
    assert nodes["n"]["grad"] is None  # a non-leaf: PyTorch's .grad is None
    start_nodes = {n["name"]: n for n in start["nodes"]}
    assert start_nodes["w1"]["grad"] is None
    ops = [n for n in end["nodes"] if n["kind"] == "op"]
    assert sorted(n["label"] for n in ops) == ["+", "+", "tanh", "×", "×"]
    boxes = {n["id"]: n for n in end["nodes"]}
    assert len(end["edges"]) == 14
    for edge in end["edges"]:
        (x0, y0), (x1, y1) = edge["points"][0], edge["points"][-1]
        source, target = boxes[edge["source"]], boxes[edge["target"]]
        assert y0 == pytest.approx(source["y"] + source["height"] / 2)
        assert y1 == pytest.approx(target["y"] - target["height"] / 2)
        assert abs(x0 - source["x"]) <= source["width"] / 2
        assert abs(x1 - target["x"]) <= target["width"] / 2
    assert end["current"]["equation"] == "0.5000 × 2. = 1.0000"


def test_atomic_write_leaves_the_old_file_when_writing_fails(tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch
                                                             ) -> None:
    target = tmp_path / "graph.png"
    target.write_bytes(b"old")
    target.chmod(0o644)

    def broken_replace(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        atomic_write(target, b"new")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["graph.png"]
    monkeypatch.undo()
    atomic_write(target, b"new")
    assert target.read_bytes() == b"new"
    assert target.stat().st_mode & 0o777 == 0o644


# --- the command line ------------------------------------------------------------------------

@pytest.mark.parametrize("suffix", [".png", ".svg", ".pdf", ".json"])
def test_cli_exports_each_format(qapp: object, tmp_path: Path, suffix: str) -> None:
    out = tmp_path / f"graph{suffix}"
    assert main(["export", str(TUTORIAL), "-o", str(out), "--step", "start"]) == 0
    data = out.read_bytes()
    if suffix == ".png":
        assert data.startswith(b"\x89PNG")
    elif suffix == ".svg":
        assert ET.fromstring(data).attrib["viewBox"]
    elif suffix == ".pdf":
        assert pdf_pages(data) == 1
    else:
        graph = json.loads(data)
        assert graph["step"] == 0 and {n["label"] for n in graph["nodes"]} == {"x", "y", "**2"}


def test_cli_options_reach_the_picture(qapp: object, tmp_path: Path) -> None:
    plain, big = tmp_path / "plain.png", tmp_path / "big.png"
    assert main(["export", str(TUTORIAL), "-o", str(plain)]) == 0
    assert main(["export", str(TUTORIAL), "-o", str(big), "--scale", "2", "--transparent",
                 "--theme", "print", "--direction", "LR"]) == 0
    a, b = image_of(plain.read_bytes()), image_of(big.read_bytes())
    assert b.width() > 2 * a.width()  # LR is wider, and doubled
    assert QColor.fromRgba(b.pixel(0, 0)).alpha() == 0
    assert QColor(a.pixel(0, 0)) == QColor(THEMES["light"].background)
    data = json.loads(_export_json(tmp_path, "--step", "1", "--direction", "LR"))
    assert data["direction"] == "LR" and data["step"] == 1


def _export_json(tmp_path: Path, *options: str) -> bytes:
    out = tmp_path / "graph.json"
    assert main(["export", str(NEURON), "-o", str(out), *options]) == 0
    return out.read_bytes()


def test_cli_deck(qapp: object, tmp_path: Path) -> None:
    deck = tmp_path / "deck.pdf"
    assert main(["export", str(NEURON), "--deck", str(deck)]) == 0
    assert pdf_pages(deck.read_bytes()) == 10
    assert main(["export", str(TUTORIAL), "--deck", str(tmp_path / "frame.png")]) == 0
    assert sorted(p.name for p in tmp_path.glob("frame-*.png")) == ["frame-000.png",
                                                                   "frame-001.png"]


def test_cli_script_error_exits_1_and_writes_nothing(qapp: object, tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    script = tmp_path / "broken.py"
    script.write_text("import torch\nx = torch.tensor(1.0)\ny = x +\n")
    out = tmp_path / "graph.png"
    assert main(["export", str(script), "-o", str(out)]) == 1
    assert re.fullmatch(rf"{re.escape(str(script))}:3:\d+: SyntaxError: .*\n",
                        capsys.readouterr().err)
    assert not out.exists()
    out.write_bytes(b"keep me")
    failing = EXAMPLES / "error_backward_twice.py"
    assert main(["export", str(failing), "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert re.search(rf"{re.escape(str(failing))}:\d+:\d+: RuntimeError: ", err)
    assert out.read_bytes() == b"keep me"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken.py", "graph.png"]


def test_cli_rejects_bad_targets_and_steps(qapp: object, tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", str(TUTORIAL), "-o", str(tmp_path / "graph.bmp")]) == 2
    assert "must end in one of .png, .svg, .pdf, .json" in capsys.readouterr().err
    assert main(["export", str(TUTORIAL), "-o", str(tmp_path / "g.png"), "--step", "5"]) == 2
    assert "the script has 1 step" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["export", str(TUTORIAL), "-o", str(tmp_path / "g.png"), "--step", "middle"])
    assert list(tmp_path.iterdir()) == []


# --- slides ----------------------------------------------------------------------------------

def pdf_page_sizes(data: bytes) -> set[tuple[float, float]]:
    return {(float(w), float(h)) for w, h in re.findall(
        rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", data)}


def content_box(image: QImage) -> tuple[int, int, int, int]:
    """Left, top, right, bottom of what is not background (sampled every other pixel)."""
    background = image.pixel(0, 0)
    xs, ys = [], []
    for y in range(0, image.height(), 2):
        for x in range(0, image.width(), 2):
            if image.pixel(x, y) != background:
                xs.append(x)
                ys.append(y)
    return min(xs), min(ys), max(xs), max(ys)


@pytest.mark.parametrize("direction", ["TB", "LR"])
def test_a_16_9_picture_is_the_graph_centred_on_a_slide(qapp: object, direction: str) -> None:
    scene = scene_of(NEURON, direction=direction)
    image = image_of(PngExporter(scene, ExportOptions(aspect=SLIDE)).to_bytes())
    tight = image_of(PngExporter(scene).to_bytes())
    assert image.width() / image.height() == pytest.approx(16 / 9, abs=0.01)
    # the graph keeps its size: the slide only adds room around it, evenly
    assert image.width() >= tight.width() and image.height() >= tight.height()
    assert image.width() == tight.width() or image.height() == tight.height()
    left, top, right, bottom = content_box(image)
    t_left, t_top, t_right, t_bottom = content_box(tight)
    # the same drawing (sampled every other pixel, and maybe shifted by part of one)
    assert abs((right - left) - (t_right - t_left)) <= 3
    assert abs((bottom - top) - (t_bottom - t_top)) <= 3
    added_left, added_top = left - t_left, top - t_top
    added_right = (image.width() - 1 - right) - (tight.width() - 1 - t_right)
    added_bottom = (image.height() - 1 - bottom) - (tight.height() - 1 - t_bottom)
    assert abs(added_left - added_right) <= 3 and abs(added_top - added_bottom) <= 3


def test_a_16_9_deck_has_every_page_16_9(neuron: GraphScene) -> None:
    data = PdfDeckExporter(neuron, ExportOptions(aspect=SLIDE)).to_bytes()
    [(width, height)] = pdf_page_sizes(data)
    assert width / height == pytest.approx(16 / 9, abs=0.01)
    assert pdf_pages(data) == 10


def test_cli_aspect(qapp: object, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "slide.png"
    assert main(["export", str(NEURON), "-o", str(out), "--aspect", "16:9"]) == 0
    image = image_of(out.read_bytes())
    assert image.width() / image.height() == pytest.approx(16 / 9, abs=0.01)
    assert main(["export", str(NEURON), "--deck", str(tmp_path / "f.png"), "--aspect", "4:3"]
                ) == 0
    frame = image_of((tmp_path / "f-000.png").read_bytes())
    assert frame.width() / frame.height() == pytest.approx(4 / 3, abs=0.01)
    for bad in ("16/9", "0:1", "wide", "100:1"):
        with pytest.raises(SystemExit):
            main(["export", str(NEURON), "-o", str(tmp_path / "x.png"), "--aspect", bad])
        assert "--aspect" in capsys.readouterr().err
    assert not (tmp_path / "x.png").exists()


def test_the_print_theme_has_no_halos(qapp: object) -> None:
    """Around the current op, the light theme glows; paper gets a crisp outline only."""
    seen = {}
    for theme in ("light", "print"):
        scene = scene_of(NEURON, step=4, theme=theme)
        current = scene.model.current(4)
        op = scene.node_items[current.op]
        rect = op.mapRectToScene(op.rect)
        frame = scene.graph_rect()
        image = image_of(PngExporter(scene).to_bytes())
        x = int(rect.left() - scene.style.length(3) - frame.left())
        y = int(rect.center().y() - frame.top())
        seen[theme] = QColor(image.pixel(x, y)) == QColor(THEMES[theme].background)
    assert seen == {"light": False, "print": True}


def test_auto_direction_draws_the_graph_larger_on_the_page(qapp: object, tmp_path: Path) -> None:
    from gradviz.canvas.build import best_direction

    run = run_script(TUTORIAL.read_text(), str(TUTORIAL))
    model = GraphModel(run)
    # a three-node chain is tall top to bottom: a wide slide takes it left to right
    assert best_direction(model, Style(), 16 / 9) == "LR"
    assert best_direction(model, Style(), 9 / 16) == "TB"
    out = tmp_path / "slide.json"
    assert main(["export", str(TUTORIAL), "-o", str(out), "--aspect", "16:9",
                 "--direction", "auto"]) == 0
    assert json.loads(out.read_bytes())["direction"] == "LR"

"""The toolbar's glyphs: drawn in the palette's button-text colour (so they read in dark and in
light), greyed when disabled, and sharp at a device pixel ratio of 2."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QSize
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QImage, QPalette

from gradviz.app import theme
from gradviz.app.icons import GLYPHS, glyph


@pytest.fixture(params=["light", "dark"])
def palette(request: pytest.FixtureRequest, qapp: object) -> Iterator[QPalette]:
    before = QGuiApplication.palette()
    theme.apply(qapp, request.param)  # type: ignore[arg-type]
    yield QGuiApplication.palette()
    QGuiApplication.setPalette(before)


def ink(image: QImage) -> set[str]:
    """The opaque colours of an image, as #rrggbb."""
    image = image.convertToFormat(QImage.Format.Format_ARGB32)
    return {QColor(image.pixel(x, y)).name() for x in range(image.width())
            for y in range(image.height()) if QColor.fromRgba(image.pixel(x, y)).alpha() == 255}


@pytest.mark.parametrize("name", sorted(GLYPHS))
def test_a_glyph_is_drawn_in_the_button_text_colour(name: str, palette: QPalette) -> None:
    image = glyph(name).pixmap(QSize(32, 32)).toImage()
    text = palette.color(QPalette.ColorGroup.Active, QPalette.ColorRole.ButtonText).name()
    assert ink(image) == {text}
    covered = sum(QColor.fromRgba(image.pixel(x, y)).alpha() > 0
                  for x in range(32) for y in range(32))
    assert 0.15 * 32 * 32 < covered < 0.8 * 32 * 32  # a shape, neither empty nor a block


def test_a_disabled_glyph_is_grey(palette: QPalette) -> None:
    image = glyph("play").pixmap(QSize(32, 32), QIcon.Mode.Disabled).toImage()
    disabled = palette.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.ButtonText)
    assert ink(image) == {disabled.name()}
    assert disabled != palette.color(QPalette.ColorGroup.Active, QPalette.ColorRole.ButtonText)


def test_glyphs_are_drawn_at_the_screen_pixel_ratio(qapp: object) -> None:
    pixmap = glyph("step_forward").pixmap(QSize(16, 16), 2.0)
    assert (pixmap.width(), pixmap.height(), pixmap.devicePixelRatio()) == (32, 32, 2.0)


def test_back_glyphs_mirror_the_forward_ones(qapp: object) -> None:
    def alpha(image: QImage, x: int, y: int) -> int:
        return QColor.fromRgba(image.pixel(x, y)).alpha()

    for back, forward in (("step_back", "step_forward"), ("to_start", "to_end")):
        left = glyph(back).pixmap(QSize(32, 32)).toImage()
        right = glyph(forward).pixmap(QSize(32, 32)).toImage()
        worst = max(abs(alpha(left, x, y) - alpha(right, 31 - x, y))
                    for x in range(32) for y in range(32))
        assert worst < 64  # the same shape; antialiased edges may round differently

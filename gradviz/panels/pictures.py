"""The inspector's pictures, drawn with pyqtgraph: heatmaps for 2-D, bars for 1-D, and for a
scalar leaf the curve y = f(x) with its tangent, whose slope is the gradient.

`TensorPlots` imports this module when it first draws, so pyqtgraph (~150 ms) loads then and
not with the window.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QWidget

from gradviz.panels.tensor_text import compact, compact_grad, element_texts

if TYPE_CHECKING:
    from gradviz.panels.plots import TensorPlots
    from gradviz.panels.tangent import Tangent

#: Matrices and vectors up to this many rows/columns get their numbers written on them.
LABELLED_CELLS = 8
MAX_LABEL_CHARS = 7  # longer numbers (1.0000e-05) do not fit in a cell


def new_canvas(parent: QWidget) -> pg.GraphicsLayoutWidget:
    """The one pyqtgraph canvas of a `TensorPlots`."""
    canvas = pg.GraphicsLayoutWidget(parent)
    canvas.setObjectName("plotCanvas")
    canvas.ci.setContentsMargins(4, 4, 4, 4)
    return canvas


def first_number(value: Any) -> float:
    """A scalar's one number (a 0-d or one-element array)."""
    return float(np.asarray(value).reshape(-1)[0])


class Picture:
    """One plot of one array (or of `None`), whose data can be replaced in place."""

    def __init__(self, owner: TensorPlots, plot: pg.PlotItem, dtype: str) -> None:
        self.owner, self.plot, self.dtype = owner, plot, dtype
        self.none_text = pg.TextItem("None", color=owner.colors.none, anchor=(0.5, 0.5))
        self.none_text.setFont(owner.font_scaled(1.6, italic=True))
        self.labels: list[pg.TextItem] = []

    def show_none(self, none: bool) -> None:
        if none and self.none_text.scene() is None:
            self.plot.addItem(self.none_text, ignoreBounds=True)
        elif not none and self.none_text.scene() is not None:
            self.plot.removeItem(self.none_text)

    def set_labels(self, texts: list[str], positions: list[tuple[float, float]],
                   anchors: list[tuple[float, float]], colours: list[QColor | str]) -> None:
        while len(self.labels) > len(texts):
            self.plot.removeItem(self.labels.pop())
        while len(self.labels) < len(texts):
            label = pg.TextItem("", anchor=(0.5, 0.5))
            label.setFont(self.owner.font_scaled(1.0))
            self.plot.addItem(label, ignoreBounds=True)
            self.labels.append(label)
        for label, text, position, anchor, colour in zip(self.labels, texts, positions, anchors,
                                                         colours, strict=True):
            label.setText(text, color=colour)
            label.setAnchor(anchor)
            label.setPos(*position)


class Heatmap(Picture):
    def __init__(self, owner: TensorPlots, row: int, title: str, shape: tuple[int, int],
                 dtype: str, diverging: bool) -> None:
        plot = owner.add_plot(row, title)
        super().__init__(owner, plot, dtype)
        self.diverging = diverging
        plot.setAspectLocked(True)
        plot.invertY(True)
        plot.hideAxis("bottom")
        plot.hideAxis("left")
        plot.showGrid(x=False, y=False)
        self.colormap = pg.colormap.get("CET-D1" if diverging else "viridis")
        self.image = pg.ImageItem(np.zeros(shape), axisOrder="row-major")
        self.image.setColorMap(self.colormap)
        plot.addItem(self.image)
        self.bar = pg.ColorBarItem(values=(0, 1), colorMap=self.colormap, width=12,
                                   interactive=False)
        self.bar.setImageItem(self.image)
        axis = self.bar.getAxis("right")
        axis.setStyle(tickFont=owner.font_scaled(0.8))
        axis.setTextPen(owner.palette().color(QPalette.ColorRole.Text))
        owner.canvas.addItem(self.bar, row=row, col=1)
        self.none_text.setPos(shape[1] / 2, shape[0] / 2)

    def set(self, data: Any) -> None:
        self.show_none(data is None)
        self.image.setVisible(data is not None)
        if data is None:
            self.set_labels([], [], [], [])
            return
        values = np.asarray(data, dtype=np.float64)
        finite = values[np.isfinite(values)]
        if self.diverging:
            top = float(np.abs(finite).max()) if finite.size else 0.0
            levels = (-top, top) if top else (-1.0, 1.0)
        else:
            low = float(finite.min()) if finite.size else 0.0
            high = float(finite.max()) if finite.size else 1.0
            levels = (low, high if high > low else low + 1.0)
        self.image.setImage(values, autoLevels=False)
        self.bar.setLevels(levels)
        rows, cols = values.shape
        texts = element_texts(data, self.dtype) if max(rows, cols) <= LABELLED_CELLS else []
        if not texts or max(len(text) for text in texts) > MAX_LABEL_CHARS:
            self.set_labels([], [], [], [])
            return
        span = levels[1] - levels[0]
        colours: list[QColor | str] = []
        for value in values.reshape(-1):
            share = (value - levels[0]) / span if span else 0.5
            light = abs(share - 0.5) < 0.3 if self.diverging else share > 0.55
            colours.append("#111111" if light else "#f5f5f5")
        positions = [(c + 0.5, r + 0.5) for r in range(rows) for c in range(cols)]
        self.set_labels(texts, positions, [(0.5, 0.5)] * len(texts), colours)


class Bars(Picture):
    def __init__(self, owner: TensorPlots, row: int, title: str, size: int, dtype: str,
                 colour: QColor) -> None:
        plot = owner.add_plot(row, title)
        super().__init__(owner, plot, dtype)
        fill = QColor(colour)
        fill.setAlpha(200)
        self.bars = pg.BarGraphItem(x=np.arange(size), height=np.zeros(size), width=0.7,
                                    brush=fill, pen=pg.mkPen(colour))
        plot.addItem(self.bars)
        plot.addLine(y=0, pen=pg.mkPen(owner.colors.muted))
        if size <= 20:
            plot.getAxis("bottom").setTicks([[(i, str(i)) for i in range(size)]])
        self.none_text.setPos((size - 1) / 2, 0)

    def set(self, data: Any) -> None:
        self.show_none(data is None)
        self.bars.setVisible(data is not None)
        if data is None:
            self.set_labels([], [], [], [])
            self.plot.setYRange(-1, 1)
            return
        heights = np.nan_to_num(np.asarray(data, dtype=np.float64), nan=0.0, posinf=0.0,
                                neginf=0.0)
        self.bars.setOpts(height=heights)
        low, high = min(0.0, float(heights.min())), max(0.0, float(heights.max()))
        room = (high - low) * 0.2 or 1.0  # headroom for the numbers over the bars
        self.plot.setYRange(low - (room if low < 0 else 0.0), high + (room if high > 0 else 0.0),
                            padding=0)
        if heights.size > LABELLED_CELLS:
            self.set_labels([], [], [], [])
            return
        text = self.owner.palette().color(QPalette.ColorRole.Text)
        self.set_labels(element_texts(data, self.dtype),
                        [(i, h) for i, h in enumerate(heights)],
                        [(0.5, 1.0 if h >= 0 else 0.0) for h in heights], [text] * heights.size)


def tensor_pictures(owner: TensorPlots, name: str, grad_title: str, shape: tuple[int, ...],
                    dtype: str) -> list[Heatmap | Bars]:
    """The value's picture above the gradient's: heatmaps for 2-D, bars for 1-D."""
    if len(shape) == 2:
        rows, cols = shape
        return [Heatmap(owner, 0, name, (rows, cols), dtype, False),
                Heatmap(owner, 1, grad_title, (rows, cols), dtype, True)]
    return [Bars(owner, 0, name, shape[0], dtype, owner.colors.accent),
            Bars(owner, 1, grad_title, shape[0], dtype, owner.colors.grad)]


def draw_tangent(owner: TensorPlots, tangent: Tangent, grad: Any, dtype: str
                 ) -> tuple[str, QColor]:
    """Draw y = f(x) near the current x, the point and the tangent of slope ∂y/∂x on
    `owner`'s canvas; returns the caption to show under it, and its colour.

    `grad` is x.grad at this step (numpy or None); it differs from the slope when earlier
    backward passes left something in .grad. Numbers are written as PyTorch prints them.
    """
    curve = tangent.curve

    def number(value: float) -> str:
        return compact(np.asarray(value, dtype=dtype), dtype)

    grad_text = compact_grad(grad, dtype)
    grad_is_slope = grad is not None and first_number(grad) == curve.slope
    plot = owner.add_plot(0, f"{curve.root} as a function of {curve.leaf}")
    plot.setLabel("bottom", curve.leaf)
    plot.setLabel("left", curve.root)
    text_colour = owner.palette().color(QPalette.ColorRole.Text)
    finite = np.isfinite(curve.ys)
    plot.plot(curve.xs[finite], curve.ys[finite], pen=pg.mkPen(text_colour, width=2.5))
    reach = (curve.xs[-1] - curve.xs[0]) * 0.3
    line_x = np.array([curve.x0 - reach, curve.x0 + reach])
    line_y = curve.y0 + curve.slope * (line_x - curve.x0)
    derivative = f"∂{curve.root}/∂{curve.leaf}"
    if tangent.complete:
        pen = pg.mkPen(owner.colors.grad, width=3)
        held = (f" = {curve.leaf}.grad" if grad_is_slope else
                f" ({curve.leaf}.grad = {grad_text} also holds earlier passes)")
        caption = f"slope of the tangent = {derivative} = {number(curve.slope)}{held}"
        colour = owner.colors.grad
    elif tangent.delivered is None:
        pen = pg.mkPen(owner.colors.none, width=2, style=Qt.PenStyle.DashLine)
        caption = (f"the tangent's slope is {derivative}: backward has not computed it yet "
                   f"({curve.leaf}.grad = {grad_text})")
        colour = owner.colors.none
    else:
        pen = pg.mkPen(owner.colors.none, width=2, style=Qt.PenStyle.DashLine)
        caption = (f"{derivative} so far: {number(tangent.delivered)} — more gradient is "
                   f"still on its way to {curve.leaf}")
        colour = owner.colors.none
    plot.addItem(pg.PlotDataItem(line_x, line_y, pen=pen), ignoreBounds=True)
    plot.plot([curve.x0], [curve.y0], pen=None, symbol="o", symbolSize=12,
              symbolBrush=owner.colors.accent, symbolPen=pg.mkPen(text_colour, width=1))
    point = pg.TextItem(f"{curve.leaf} = {number(curve.x0)}", color=text_colour,
                        anchor=(1.1, 1.1) if curve.slope >= 0 else (-0.1, 1.1))
    point.setFont(owner.font_scaled(0.9))
    plot.addItem(point, ignoreBounds=True)
    point.setPos(curve.x0, curve.y0)
    return caption, colour

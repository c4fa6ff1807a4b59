"""Pictures of a tensor and its gradient (pyqtgraph): heatmaps for 2-D, bars for 1-D, and for a
scalar leaf the curve y = f(x) with its tangent, whose slope is the gradient.

Plots are built once per tensor and only their data change from step to step, so playing the
backward pass at full speed stays smooth.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from gradviz.panels import style
from gradviz.panels.tangent import Tangent
from gradviz.panels.tensor_text import compact, compact_grad, element_texts

#: Matrices and vectors up to this many rows/columns get their numbers written on them.
LABELLED_CELLS = 8
MAX_LABEL_CHARS = 7  # longer numbers (1.0000e-05) do not fit in a cell
PLOT_HEIGHT = 240


class _Picture:
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


class _Heatmap(_Picture):
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


class _Bars(_Picture):
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


class TensorPlots(QWidget):
    """One pyqtgraph canvas that shows whichever picture fits the selected tensor."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("plots")
        self.canvas = pg.GraphicsLayoutWidget(self)
        self.canvas.setObjectName("plotCanvas")
        self.canvas.setMinimumHeight(PLOT_HEIGHT)
        self.canvas.ci.setContentsMargins(4, 4, 4, 4)
        self.caption = QLabel(self)
        self.caption.setObjectName("plotCaption")
        self.caption.setWordWrap(True)
        self.caption.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.caption.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.caption)
        layout.addWidget(self.canvas)
        self.kind = ""  # "", "heatmap", "bars" or "tangent": what is shown now
        self._layout: tuple | None = None  # what the current plots were built for
        self._pictures: list[_Heatmap | _Bars] = []
        self._data: tuple = ()  # ids of the arrays drawn, so an unchanged step redraws nothing
        self._apply_palette()
        self.hide()

    # --- what to show --------------------------------------------------------------------------
    def clear(self) -> None:
        self.canvas.clear()
        self.kind = ""
        self._layout = None
        self._pictures = []
        self._data = ()
        self.caption.hide()
        self.hide()

    def show_tensor(self, name: str, values: Any, grad: Any, grad_title: str,
                    dtype: str = "float32") -> None:
        """Value and gradient, one above the other: heatmaps for 2-D, bars for 1-D."""
        array = np.asarray(values)
        if array.size <= 1 or array.ndim not in (1, 2) or array.dtype.kind not in "biuf":
            self.clear()
            return
        kind = "heatmap" if array.ndim == 2 else "bars"
        layout = (kind, name, grad_title, array.shape, dtype)
        if layout != self._layout:
            self.clear()
            self.kind, self._layout = kind, layout
            self.canvas.setMinimumHeight(2 * PLOT_HEIGHT)
            if kind == "heatmap":
                self._pictures = [_Heatmap(self, 0, name, array.shape, dtype, False),
                                  _Heatmap(self, 1, grad_title, array.shape, dtype, True)]
            else:
                self._pictures = [_Bars(self, 0, name, array.size, dtype, self.colors.accent),
                                  _Bars(self, 1, grad_title, array.size, dtype, self.colors.grad)]
        data = (id(values), id(grad))
        if data != self._data:
            self._data = data
            self._pictures[0].set(values)
            self._pictures[1].set(grad)
        self.show()

    def show_tangent(self, tangent: Tangent, grad: Any, dtype: str) -> None:
        """y = f(x) near the current x, the point, and the tangent of slope ∂y/∂x.

        `grad` is x.grad at this step (numpy or None); it differs from the slope when earlier
        backward passes left something in .grad. Numbers are written as PyTorch prints them.
        """
        curve = tangent.curve
        data = (id(curve), tangent.delivered, None if grad is None else
                float(np.asarray(grad).reshape(-1)[0]), dtype)
        if self.kind == "tangent" and data == self._data:
            return
        self.clear()
        self.kind, self._data = "tangent", data

        def number(value: float) -> str:
            return compact(np.asarray(value, dtype=dtype), dtype)

        grad_text = compact_grad(grad, dtype)
        grad_is_slope = grad is not None and data[2] == curve.slope
        self.canvas.setMinimumHeight(PLOT_HEIGHT)
        plot = self.add_plot(0, f"{curve.root} as a function of {curve.leaf}")
        plot.setLabel("bottom", curve.leaf)
        plot.setLabel("left", curve.root)
        text_colour = self.palette().color(QPalette.ColorRole.Text)
        finite = np.isfinite(curve.ys)
        plot.plot(curve.xs[finite], curve.ys[finite], pen=pg.mkPen(text_colour, width=2.5))
        reach = (curve.xs[-1] - curve.xs[0]) * 0.3
        line_x = np.array([curve.x0 - reach, curve.x0 + reach])
        line_y = curve.y0 + curve.slope * (line_x - curve.x0)
        derivative = f"∂{curve.root}/∂{curve.leaf}"
        if tangent.complete:
            pen = pg.mkPen(self.colors.grad, width=3)
            held = (f" = {curve.leaf}.grad" if grad_is_slope else
                    f" ({curve.leaf}.grad = {grad_text} also holds earlier passes)")
            caption = f"slope of the tangent = {derivative} = {number(curve.slope)}{held}"
            colour = self.colors.grad
        elif tangent.delivered is None:
            pen = pg.mkPen(self.colors.none, width=2, style=Qt.PenStyle.DashLine)
            caption = (f"the tangent's slope is {derivative}: backward has not computed it yet "
                       f"({curve.leaf}.grad = {grad_text})")
            colour = self.colors.none
        else:
            pen = pg.mkPen(self.colors.none, width=2, style=Qt.PenStyle.DashLine)
            caption = (f"{derivative} so far: {number(tangent.delivered)} — more gradient is "
                       f"still on its way to {curve.leaf}")
            colour = self.colors.none
        plot.addItem(pg.PlotDataItem(line_x, line_y, pen=pen), ignoreBounds=True)
        plot.plot([curve.x0], [curve.y0], pen=None, symbol="o", symbolSize=12,
                  symbolBrush=self.colors.accent, symbolPen=pg.mkPen(text_colour, width=1))
        point = pg.TextItem(f"{curve.leaf} = {number(curve.x0)}", color=text_colour,
                            anchor=(1.1, 1.1) if curve.slope >= 0 else (-0.1, 1.1))
        point.setFont(self.font_scaled(0.9))
        plot.addItem(point, ignoreBounds=True)
        point.setPos(curve.x0, curve.y0)
        self.caption.setText(caption)
        self.caption.setStyleSheet(f"color: {style.css(colour)}; font-weight: "
                                   f"{'bold' if tangent.complete else 'normal'};")
        self.caption.show()
        self.show()

    # --- building blocks -----------------------------------------------------------------------
    def add_plot(self, row: int, title: str) -> pg.PlotItem:
        plot = self.canvas.addPlot(row=row, col=0)
        plot.setTitle(title, color=self.palette().color(QPalette.ColorRole.Text).name(),
                      size=f"{self.font_scaled().pointSizeF():.0f}pt")
        plot.setMenuEnabled(False)
        plot.showGrid(x=True, y=True, alpha=0.15)
        for axis in ("left", "bottom"):
            item = plot.getAxis(axis)
            item.setPen(self.colors.muted)
            item.setTextPen(self.palette().color(QPalette.ColorRole.Text))
            item.setStyle(tickFont=self.font_scaled(0.85))
        return plot

    def font_scaled(self, scale: float = 1.0, bold: bool = False,
                    italic: bool = False) -> QFont:
        font = QFont(self.font())
        font.setPointSizeF(max(7.0, self.font().pointSizeF() * scale))
        font.setBold(bold)
        font.setItalic(italic)
        return font

    # --- look ----------------------------------------------------------------------------------
    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            self._apply_palette()

    def _apply_palette(self) -> None:
        self.colors = style.colors(self.palette())
        self.canvas.setBackground(self.palette().color(QPalette.ColorRole.Base))
        self._layout = None  # rebuild in the new colours at the next show
        self._data = ()

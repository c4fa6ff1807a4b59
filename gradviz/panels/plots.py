"""Pictures of a tensor and its gradient (pyqtgraph): heatmaps for 2-D, bars for 1-D, and for a
scalar leaf the curve y = f(x) with its tangent, whose slope is the gradient."""

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
        self._apply_palette()
        self.hide()

    # --- what to show --------------------------------------------------------------------------
    def clear(self) -> None:
        self.canvas.clear()
        self.caption.hide()
        self.kind = ""
        self.hide()

    def show_tensor(self, name: str, values: Any, grad: Any, grad_title: str,
                    dtype: str = "float32") -> None:
        """Value and gradient side by side: heatmaps for 2-D, bars for 1-D, nothing else."""
        values = np.asarray(values)
        self.canvas.clear()
        self.caption.hide()
        if values.ndim == 2 and values.size > 1 and values.dtype.kind in "biuf":
            self.kind = "heatmap"
            self.canvas.setMinimumHeight(2 * PLOT_HEIGHT)
            self._heatmap(0, name, values, dtype, diverging=False)
            self._heatmap(1, grad_title, grad, dtype, diverging=True)
        elif values.ndim == 1 and values.size > 1 and values.dtype.kind in "biuf":
            self.kind = "bars"
            self.canvas.setMinimumHeight(2 * PLOT_HEIGHT)
            self._bars(0, name, values, dtype, self._colors.accent)
            self._bars(1, grad_title, grad, dtype, self._colors.grad)
        else:
            self.clear()
            return
        self.show()

    def show_tangent(self, tangent: Tangent, grad: Any, dtype: str) -> None:
        """y = f(x) near the current x, the point, and the tangent of slope ∂y/∂x.

        `grad` is x.grad at this step (numpy or None); it differs from the slope when earlier
        backward passes left something in .grad. Numbers are written as PyTorch prints them.
        """
        curve = tangent.curve

        def number(value: float) -> str:
            return compact(np.asarray(value, dtype=dtype), dtype)

        grad_text = compact_grad(grad, dtype)
        grad_is_slope = grad is not None and float(np.asarray(grad).reshape(-1)[0]) == \
            curve.slope
        self.canvas.clear()
        self.kind = "tangent"
        self.canvas.setMinimumHeight(PLOT_HEIGHT)
        plot = self._plot(0, 0, f"{curve.root} as a function of {curve.leaf}")
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
            pen = pg.mkPen(self._colors.grad, width=3)
            held = (f" = {curve.leaf}.grad" if grad_is_slope else
                    f" ({curve.leaf}.grad = {grad_text} also holds earlier passes)")
            caption = f"slope of the tangent = {derivative} = {number(curve.slope)}{held}"
            colour = self._colors.grad
        elif tangent.delivered is None:
            pen = pg.mkPen(self._colors.none, width=2, style=Qt.PenStyle.DashLine)
            caption = (f"the tangent's slope is {derivative}: backward has not computed it yet "
                       f"({curve.leaf}.grad = {grad_text})")
            colour = self._colors.none
        else:
            pen = pg.mkPen(self._colors.none, width=2, style=Qt.PenStyle.DashLine)
            caption = (f"{derivative} so far: {number(tangent.delivered)} — more gradient is still "
                       f"on its way to {curve.leaf}")
            colour = self._colors.none
        plot.addItem(pg.PlotDataItem(line_x, line_y, pen=pen), ignoreBounds=True)
        plot.plot([curve.x0], [curve.y0], pen=None, symbol="o", symbolSize=12,
                  symbolBrush=self._colors.accent, symbolPen=pg.mkPen(text_colour, width=1))
        point = pg.TextItem(f"{curve.leaf} = {number(curve.x0)}", color=text_colour,
                            anchor=(1.1, 1.1) if curve.slope >= 0 else (-0.1, 1.1))
        point.setFont(self._font(0.9))
        plot.addItem(point, ignoreBounds=True)
        point.setPos(curve.x0, curve.y0)
        self.caption.setText(caption)
        self.caption.setStyleSheet(f"color: {style.css(colour)}; font-weight: "
                                   f"{'bold' if tangent.complete else 'normal'};")
        self.caption.show()
        self.show()

    # --- pictures ------------------------------------------------------------------------------
    def _plot(self, row: int, col: int, title: str) -> pg.PlotItem:
        plot = self.canvas.addPlot(row=row, col=col)
        plot.setTitle(title, color=self.palette().color(QPalette.ColorRole.Text).name(),
                      size=f"{self._font().pointSizeF():.0f}pt")
        plot.setMenuEnabled(False)
        plot.showGrid(x=True, y=True, alpha=0.15)
        for axis in ("left", "bottom"):
            item = plot.getAxis(axis)
            item.setPen(self._colors.muted)
            item.setTextPen(self.palette().color(QPalette.ColorRole.Text))
            item.setStyle(tickFont=self._font(0.85))
        return plot

    def _heatmap(self, row: int, title: str, data: Any, dtype: str, diverging: bool) -> None:
        plot = self._plot(row, 0, title)
        plot.setAspectLocked(True)
        plot.invertY(True)
        plot.hideAxis("bottom")
        plot.hideAxis("left")
        plot.showGrid(x=False, y=False)
        if data is None:
            self._none_text(plot)
            return
        values = np.asarray(data, dtype=np.float64)
        finite = values[np.isfinite(values)]
        if diverging:
            top = float(np.abs(finite).max()) if finite.size else 1.0
            levels = (-top or -1.0, top or 1.0)
            colormap = pg.colormap.get("CET-D1")
        else:
            low = float(finite.min()) if finite.size else 0.0
            high = float(finite.max()) if finite.size else 1.0
            levels = (low, high if high > low else low + 1.0)
            colormap = pg.colormap.get("viridis")
        image = pg.ImageItem(values, axisOrder="row-major")
        image.setLevels(levels)
        image.setColorMap(colormap)
        plot.addItem(image)
        bar = pg.ColorBarItem(values=levels, colorMap=colormap, width=12, interactive=False)
        bar.setImageItem(image)
        bar.getAxis("right").setStyle(tickFont=self._font(0.8))
        bar.getAxis("right").setTextPen(self.palette().color(QPalette.ColorRole.Text))
        self.canvas.addItem(bar, row=row, col=1)
        rows, cols = values.shape
        labels = element_texts(data, dtype) if max(rows, cols) <= LABELLED_CELLS else []
        if labels and max(len(label) for label in labels) <= MAX_LABEL_CHARS:
            span = levels[1] - levels[0]
            for r in range(rows):
                for c in range(cols):
                    value = values[r, c]
                    share = (value - levels[0]) / span if span else 0.5
                    light_cell = share > 0.55 if not diverging else abs(share - 0.5) < 0.3
                    text = pg.TextItem(labels[r * cols + c], anchor=(0.5, 0.5),
                                       color="#111111" if light_cell else "#f5f5f5")
                    text.setFont(self._font(0.85))
                    text.setPos(c + 0.5, r + 0.5)
                    plot.addItem(text)

    def _bars(self, row: int, title: str, data: Any, dtype: str, colour: QColor) -> None:
        plot = self._plot(row, 0, title)
        if data is None:
            self._none_text(plot)
            return
        values = np.asarray(data, dtype=np.float64)
        positions = np.arange(values.size)
        heights = np.nan_to_num(values, nan=0.0, posinf=0.0, neginf=0.0)
        fill = QColor(colour)
        fill.setAlpha(200)
        plot.addItem(pg.BarGraphItem(x=positions, height=heights, width=0.7, brush=fill,
                                     pen=pg.mkPen(colour)))
        plot.addLine(y=0, pen=pg.mkPen(self._colors.muted))
        plot.getAxis("bottom").setTicks([[(i, str(i)) for i in positions]]
                                        if values.size <= 20 else None)
        if values.size <= LABELLED_CELLS:
            labels = element_texts(data, dtype)
            for i, (value, label) in enumerate(zip(heights, labels, strict=False)):
                text = pg.TextItem(label, anchor=(0.5, 1.0 if value >= 0 else 0.0),
                                   color=self.palette().color(QPalette.ColorRole.Text))
                text.setFont(self._font(0.85))
                text.setPos(i, value)
                plot.addItem(text)

    def _none_text(self, plot: pg.PlotItem) -> None:
        plot.hideAxis("bottom")
        plot.hideAxis("left")
        plot.showGrid(x=False, y=False)
        text = pg.TextItem("None", color=self._colors.none, anchor=(0.5, 0.5))
        text.setFont(self._font(1.6, italic=True))
        plot.addItem(text)
        text.setPos(0.5, 0.5)
        plot.setXRange(0, 1)
        plot.setYRange(0, 1)

    # --- look ----------------------------------------------------------------------------------
    def _font(self, scale: float = 1.0, bold: bool = False, italic: bool = False) -> QFont:
        font = QFont(self.font())
        font.setPointSizeF(max(7.0, self.font().pointSizeF() * scale))
        font.setBold(bold)
        font.setItalic(italic)
        return font

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            self._apply_palette()

    def _apply_palette(self) -> None:
        self._colors = style.colors(self.palette())
        self.canvas.setBackground(self.palette().color(QPalette.ColorRole.Base))


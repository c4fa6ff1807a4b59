"""Pictures of a tensor and its gradient: heatmaps for 2-D, bars for 1-D, and for a scalar
leaf the curve y = f(x) with its tangent, whose slope is the gradient.

Plots are built once per tensor and only their data change from step to step, so playing the
backward pass at full speed stays smooth. The drawing is pyqtgraph's (`pictures`), loaded with
the first picture: the window shows without it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from gradviz.panels import style

if TYPE_CHECKING:
    import pyqtgraph as pg

    from gradviz.panels.pictures import Bars, Heatmap
    from gradviz.panels.tangent import Tangent

PLOT_HEIGHT = 240


class TensorPlots(QWidget):
    """One pyqtgraph canvas that shows whichever picture fits the selected tensor."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("plots")
        self._canvas: pg.GraphicsLayoutWidget | None = None  # made for the first picture
        self.caption = QLabel(self)
        self.caption.setObjectName("plotCaption")
        self.caption.setWordWrap(True)
        self.caption.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.caption.hide()
        self._box = QVBoxLayout(self)
        self._box.setContentsMargins(0, 0, 0, 0)
        self._box.addWidget(self.caption)
        self.kind = ""  # "", "heatmap", "bars" or "tangent": what is shown now
        self._layout: tuple | None = None  # what the current plots were built for
        self._pictures: list[Heatmap | Bars] = []
        self._data: tuple = ()  # ids of the arrays drawn, so an unchanged step redraws nothing
        self._apply_palette()
        self.hide()

    @property
    def canvas(self) -> pg.GraphicsLayoutWidget:
        """The pyqtgraph canvas, made when the first picture is drawn."""
        if self._canvas is None:
            from gradviz.panels.pictures import new_canvas  # imported here: it loads pyqtgraph

            self._canvas = new_canvas(self)
            self._canvas.setMinimumHeight(PLOT_HEIGHT)
            self._canvas.setBackground(self.palette().color(QPalette.ColorRole.Base))
            self._box.addWidget(self._canvas)
        return self._canvas

    # --- what to show --------------------------------------------------------------------------
    def clear(self) -> None:
        if self._canvas is not None:
            self._canvas.clear()
        self.kind = ""
        self._layout = None
        self._pictures = []
        self._data = ()
        self.caption.hide()
        self.hide()

    def show_tensor(self, name: str, values: Any, grad: Any, grad_title: str,
                    dtype: str = "float32") -> None:
        """Value and gradient, one above the other: heatmaps for 2-D, bars for 1-D."""
        import numpy as np  # imported here: the window shows before numpy loads

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
            from gradviz.panels.pictures import tensor_pictures  # imported here: see `canvas`

            self._pictures = tensor_pictures(self, name, grad_title, array.shape, dtype)
        data = (id(values), id(grad))
        if data != self._data:
            self._data = data
            self._pictures[0].set(values)
            self._pictures[1].set(grad)
        self.show()

    def show_tangent(self, tangent: Tangent, grad: Any, dtype: str) -> None:
        """y = f(x) near the current x, the point, and the tangent of slope ∂y/∂x (see
        `pictures.draw_tangent`); `grad` is x.grad at this step, numpy or None."""
        from gradviz.panels import pictures  # imported here: see `canvas`

        data = (id(tangent.curve), tangent.delivered,
                None if grad is None else pictures.first_number(grad), dtype)
        if self.kind == "tangent" and data == self._data:
            return
        self.clear()
        self.kind, self._data = "tangent", data
        self.canvas.setMinimumHeight(PLOT_HEIGHT)
        caption, colour = pictures.draw_tangent(self, tangent, grad, dtype)
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
        plot.setMouseEnabled(x=False, y=False)  # the wheel scrolls the inspector, not the plot
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
        if self._canvas is not None:
            self._canvas.setBackground(self.palette().color(QPalette.ColorRole.Base))
        self._layout = None  # rebuild in the new colours at the next show
        self._data = ()

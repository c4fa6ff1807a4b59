"""The steps dock: the backward timeline as a table, one row per edge the gradient crosses.

Row 0 is "before backward"; row k is step k. Clicking a row (or moving with the arrow keys)
asks the document for that step; the current step's row follows `step_changed`. Rows are made
when Qt asks for them, so a run of 100,000 steps opens at once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSize,
    Qt,
)
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QVBoxLayout, QWidget

from gradviz.app.document import Document
from gradviz.panels import style

if TYPE_CHECKING:
    from gradviz.graph.flow import Flow
    from gradviz.panels.step_rows import StepRow
    from gradviz.script.run import Run

STEP, PASS, EDGE, CHAIN, GRAD, GRAD_FN = range(6)
HEADERS = ("step", "pass", "edge", "upstream × local = contribution", ".grad of the input",
           "grad_fn")
WIDTHS = (44, 40, 150, 230, 240, 150)  # preferred; narrower docks share their width in these
                                       # proportions, and drop grad_fn before the rest
_Index = QModelIndex | QPersistentModelIndex


class StepsModel(QAbstractTableModel):
    """Rows of `step_rows.step_row`, computed on demand and kept."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._run: Run | None = None
        self._flow: Flow | None = None
        self._rows: dict[int, StepRow] = {}
        self._colors = style.colors(parent.palette()) if parent is not None else None
        self._mono = style.monospace()

    @property
    def run(self) -> Run | None:
        return self._run

    def set_run(self, run: Run | None) -> None:
        self.beginResetModel()
        self._run = run
        self._flow = None
        if run is not None:
            from gradviz.graph.flow import Flow  # imported here: the window shows before numpy

            self._flow = Flow(run)
        self._rows.clear()
        self.endResetModel()

    def set_colors(self, colors: style.Colors) -> None:
        self._colors = colors
        if self.rowCount():
            self.dataChanged.emit(self.index(0, 0),
                                  self.index(self.rowCount() - 1, len(HEADERS) - 1))

    def pass_count(self) -> int:
        return self._flow.pass_count if self._flow is not None else 0

    def row(self, k: int) -> StepRow:
        """Row k (0 = before backward)."""
        row = self._rows.get(k)
        if row is None:
            from gradviz.panels.step_rows import step_row  # imported here: it loads numpy

            assert self._run is not None and self._flow is not None
            root = self._flow.root(self._flow.pass_of(k)) if k else None
            name = (root.output.name if root is not None else None) or "root"
            row = self._rows[k] = step_row(self._run, k, root=name)
        return row

    # --- Qt's model API ------------------------------------------------------------------------
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt API
        if parent.isValid() or self._run is None:
            return 0
        return len(self._run.steps) + 1

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt API
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt API
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or self._run is None:
            return None
        row = self.row(index.row())
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return row.tooltip
        if role == Qt.ItemDataRole.FontRole:
            return self._font(row, column)
        if role == Qt.ItemDataRole.ForegroundRole and self._colors is not None:
            if row.step == 0 or (column == GRAD and not row.stored):
                return self._colors.muted
            if column == GRAD and row.created:
                return self._colors.grad
        if role == Qt.ItemDataRole.TextAlignmentRole and (
                column == STEP or (column == PASS and row.step)):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _text(self, row: StepRow, column: int) -> str:
        if row.step == 0:
            if column == STEP:
                return "0"
            if column == EDGE:
                steps = len(self._run.steps) if self._run is not None else 0
                return (f"{row.edge}: every .grad as the script left it" if steps
                        else f"{row.edge} (the script calls no backward())")
            return ""
        return {
            STEP: str(row.step),
            PASS: str(row.backward),
            EDGE: row.edge,
            GRAD_FN: row.op,
            CHAIN: row.chain,
            GRAD: row.grad,
        }[column]

    def _font(self, row: StepRow, column: int) -> QFont | None:
        if row.step == 0:
            font = QFont()
            font.setItalic(True)
            return font
        if column in (CHAIN, GRAD, EDGE):
            font = QFont(self._mono)
            font.setBold(column == GRAD and row.created)
            return font
        return None


class StepsPanel(QWidget):
    """The table of backward steps, bound to the document's step."""

    def __init__(self, document: Document, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("steps")
        self.document = document
        self._following = False
        self.model = StepsModel(self)
        self.table = QTableView(self)
        self.table.setObjectName("stepsTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.verticalHeader().hide()
        rows = self.table.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.fontMetrics().height() + 12)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(True)
        header.setHighlightSections(False)
        self.table.viewport().installEventFilter(self)  # the columns follow its width
        self._fit_columns()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)

        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        document.run_changed.connect(self._run_changed)
        document.step_changed.connect(self._follow_step)
        self._run_changed(document.run)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(sum(WIDTHS), 240)

    @property
    def current_row(self) -> int:
        return self.table.currentIndex().row()

    def _run_changed(self, run: Run | None) -> None:
        self._following = True
        try:
            self.model.set_colors(style.colors(self.palette()))
            self.model.set_run(run)
            self.table.clearSpans()
            if self.model.rowCount():
                self.table.setSpan(0, EDGE, 1, len(HEADERS) - EDGE)
            self.table.setColumnHidden(PASS, self.model.pass_count() <= 1)
            self._fit_columns()
        finally:
            self._following = False
        self._follow_step(self.document.step)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if watched is self.table.viewport() and event.type() == QEvent.Type.Resize:
            self._fit_columns()
        return False

    def _fit_columns(self) -> None:
        """The columns at their preferred widths where the table is wide enough; else the edge,
        chain-rule and .grad columns share the width (grad_fn, also on the canvas and in the
        inspector, goes first)."""
        room = self.table.viewport().width() or self.width()
        fixed = [STEP] + ([] if self.table.isColumnHidden(PASS) else [PASS])
        room -= sum(WIDTHS[c] for c in fixed)
        shared = [EDGE, CHAIN, GRAD, GRAD_FN]
        if room < sum(WIDTHS[c] for c in shared):
            shared = [EDGE, CHAIN, GRAD]
        self.table.setColumnHidden(GRAD_FN, GRAD_FN not in shared)
        scale = min(1.0, room / sum(WIDTHS[c] for c in shared))
        for column in fixed:
            self.table.setColumnWidth(column, WIDTHS[column])
        for column in shared:
            self.table.setColumnWidth(column, max(40, int(WIDTHS[column] * scale)))

    def _row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not self._following and current.isValid():
            self.document.set_step(current.row())

    def _follow_step(self, k: int) -> None:
        if not 0 <= k < self.model.rowCount():
            return
        index = self.model.index(k, STEP)
        if self.table.currentIndex().row() != k:
            self._following = True
            try:
                self.table.selectionModel().setCurrentIndex(
                    index, QItemSelectionModel.SelectionFlag.ClearAndSelect
                    | QItemSelectionModel.SelectionFlag.Rows)
            finally:
                self._following = False
        self.table.scrollTo(index, QAbstractItemView.ScrollHint.EnsureVisible)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            self.model.set_colors(style.colors(self.palette()))

"""The inspector dock: everything about the selected node at the current step.

For a tensor: its name and attributes as PyTorch shows them, its value, and `.grad` exactly as
PyTorch holds it at this step — `None` until a gradient arrives, in a card that changes look
the moment it gets a value — plus the gradient that flowed through it even where `.grad` is
not stored. For an op: its grad_fn, inputs, output and local derivatives. Below, a picture.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QRectF, QSize, Qt, QTimer
from PySide6.QtGui import QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from gradviz.app.document import Document
from gradviz.panels import style
from gradviz.panels.plots import TensorPlots
from gradviz.panels.value_view import ValueView

if TYPE_CHECKING:
    from gradviz.graph.flow import Flow
    from gradviz.panels.node_facts import OpFacts, TensorFacts
    from gradviz.panels.tangent import Curve
    from gradviz.script.run import Run

EMPTY_TEXT = "Click a node in the graph to see its tensor, its value and its .grad here."


def _label(name: str, parent: QWidget, *, mono: bool = False, wrap: bool = False,
           selectable: bool = True) -> QLabel:
    label = QLabel(parent)
    label.setObjectName(name)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(wrap)
    if mono:
        label.setFont(style.monospace(style.VALUE_POINT_SIZE))
    if selectable:
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class Card(QFrame):
    """A titled box whose frame shows its `state`: none (dashed), set, new (filled), plain."""

    def __init__(self, name: str, title: str, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.title = _label(f"{name}Title", self, selectable=False, wrap=True)
        self.title.setText(title)
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.body = QVBoxLayout(self)
        self.body.setContentsMargins(12, 8, 12, 10)
        self.body.setSpacing(4)
        self.body.addWidget(self.title)
        self.state = "plain"

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        colors = style.colors(self.palette())
        fill = self.palette().color(QPalette.ColorRole.Base)
        pen = QPen(colors.muted, 1)
        if self.state == "none":
            pen = QPen(colors.none, 2, Qt.PenStyle.DashLine)
        elif self.state == "set":
            pen = QPen(colors.grad, 2)
        elif self.state == "new":
            pen = QPen(colors.grad, 3)
            fill = colors.grad_new
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(pen)
        painter.setBrush(fill)
        inset = pen.widthF() / 2 + 0.5
        painter.drawRoundedRect(QRectF(self.rect()).adjusted(inset, inset, -inset, -inset), 6, 6)
        painter.end()


class InspectorPanel(QWidget):
    """The selected node's facts at the document's current step."""

    def __init__(self, document: Document, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("inspector")
        self.document = document
        self._flow: Flow | None = None
        self._curves: dict[tuple[str, int], Curve | None] = {}
        self._build()
        document.run_changed.connect(self._run_changed)
        document.step_changed.connect(lambda _k: self.refresh())
        document.selection_changed.connect(lambda _key: self.refresh())
        if document.run is not None:
            self._run_changed(document.run)
        else:
            self.refresh()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(440, 720)

    # --- construction --------------------------------------------------------------------------
    def _build(self) -> None:
        scroll = QScrollArea(self)
        scroll.setObjectName("inspectorScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        content = QWidget(scroll)
        content.setObjectName("inspectorContent")
        scroll.setWidget(content)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)

        layout = QVBoxLayout(content)
        layout.setContentsMargins(10, 10, 10, 10)
        layout.setSpacing(8)
        self.empty = _label("inspectorEmpty", content, wrap=True, selectable=False)
        self.empty.setText(EMPTY_TEXT)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.name = _label("inspectorName", content, mono=True, wrap=True)  # long names wrap
        name_font = self.name.font()
        name_font.setPointSizeF(name_font.pointSizeF() * 1.5)
        name_font.setBold(True)
        self.name.setFont(name_font)
        self.role = _label("inspectorRole", content, wrap=True)
        self.origin = _label("inspectorOrigin", content, wrap=True)
        for widget in (self.empty, self.name, self.role, self.origin):
            layout.addWidget(widget)

        # tensors
        self.tensor_box = QWidget(content)
        self.tensor_box.setObjectName("tensorFacts")
        tensor_layout = QVBoxLayout(self.tensor_box)
        tensor_layout.setContentsMargins(0, 0, 0, 0)
        tensor_layout.setSpacing(8)
        self.grad_card = Card("gradCard", ".grad", self.tensor_box)
        self.grad_badge = _label("gradBadge", self.grad_card, wrap=True)
        self.grad_value = ValueView("gradValue", self.grad_card, large=1.4)
        self.grad_note = _label("gradNote", self.grad_card, wrap=True)
        for widget in (self.grad_badge, self.grad_value, self.grad_note):
            self.grad_card.body.addWidget(widget)
        self.flow_card = Card("flowCard", "gradient that reached it", self.tensor_box)
        self.flowed_value = ValueView("flowedValue", self.flow_card)
        self.flowed_note = _label("flowedNote", self.flow_card, wrap=True)
        self.flow_card.body.addWidget(self.flowed_value)
        self.flow_card.body.addWidget(self.flowed_note)
        self.value_card = Card("valueCard", "value", self.tensor_box)
        self.value_text = ValueView("valueText", self.value_card)
        self.value_note = _label("valueNote", self.value_card, wrap=True)
        self.value_card.body.addWidget(self.value_text)
        self.value_card.body.addWidget(self.value_note)
        # the picture (tangent, bars, heatmap) before the property rows: it is the lesson
        self.plots = TensorPlots(self.tensor_box)
        self.plots.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.properties = self._form("properties", self.tensor_box)
        for widget in (self.grad_card, self.flow_card, self.value_card, self.plots,
                       self.properties):
            tensor_layout.addWidget(widget)
        layout.addWidget(self.tensor_box)

        # ops
        self.op_box = QWidget(content)
        self.op_box.setObjectName("opFacts")
        op_layout = QVBoxLayout(self.op_box)
        op_layout.setContentsMargins(0, 0, 0, 0)
        op_layout.setSpacing(8)
        self.step_card = Card("opStepCard", "this step", self.op_box)
        self.op_step = _label("opStep", self.step_card, mono=True, wrap=True)
        self.step_card.body.addWidget(self.op_step)
        self.formula_card = Card("opFormulaCard", "local derivatives", self.op_box)
        self.op_formulas = _label("opFormulas", self.formula_card, mono=True, wrap=True)
        self.formula_card.body.addWidget(self.op_formulas)
        self.io_card = Card("opIoCard", "inputs and output", self.op_box)
        self.op_inputs = _label("opInputs", self.io_card, mono=True, wrap=True)
        self.op_output = _label("opOutput", self.io_card, mono=True, wrap=True)
        self.io_card.body.addWidget(self.op_inputs)
        self.io_card.body.addWidget(self.op_output)
        self.op_properties = self._form("opProperties", self.op_box)
        for widget in (self.step_card, self.formula_card, self.io_card, self.op_properties):
            op_layout.addWidget(widget)
        layout.addWidget(self.op_box)

        layout.addStretch(1)

    def _form(self, name: str, parent: QWidget) -> QFrame:
        frame = QFrame(parent)
        frame.setObjectName(name)
        form = QFormLayout(frame)
        form.setContentsMargins(12, 6, 12, 6)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        return frame

    def _fill_form(self, frame: QFrame, rows: list[tuple[str, str]]) -> None:
        form: QFormLayout = frame.layout()  # type: ignore[assignment]
        while form.rowCount():
            form.removeRow(0)
        for label, value in rows:
            field = _label(f"prop_{label}", frame, mono=True, wrap=True)
            field.setText(value)
            name = QLabel(label, frame)
            name.setObjectName(f"propName_{label}")
            form.addRow(name, field)

    # --- updates -------------------------------------------------------------------------------
    def _run_changed(self, run: Run) -> None:
        from gradviz.graph.flow import Flow  # imported here: the window shows before numpy loads

        self._flow = Flow(run)
        self._curves.clear()
        self.plots.clear()
        self.refresh()

    def refresh(self) -> None:
        """Show the selected node at the current step (or the hint when nothing is selected)."""
        run, key, k = self.document.run, self.document.selection, self.document.step
        if run is None or key is None or self._flow is None:
            self._show_nothing()
            return
        from gradviz.panels.node_facts import TensorFacts, describe  # imported here: it loads numpy

        facts = describe(run, self._flow, key, k)
        if facts is None:
            self._show_nothing()
            return
        self.empty.hide()
        for widget in (self.name, self.role, self.origin):
            widget.show()
        self.tensor_box.setVisible(isinstance(facts, TensorFacts))
        self.op_box.setVisible(not isinstance(facts, TensorFacts))
        self.name.setText(facts.name)
        self.role.setText(facts.role)
        self.origin.setText(facts.origin)
        self.origin.setVisible(bool(facts.origin))
        if isinstance(facts, TensorFacts):
            self._show_tensor(facts, key, k)
        else:
            self._show_op(facts)
        self._apply_palette()

    def _show_nothing(self) -> None:
        """The hint to click a node, in place of any facts."""
        self.empty.show()
        for widget in (self.name, self.role, self.origin, self.tensor_box, self.op_box):
            widget.hide()
        self.plots.clear()

    def _show_tensor(self, facts: TensorFacts, key: str, k: int) -> None:
        grad = facts.grad
        step_text = "before backward" if k == 0 else f"after step {k} of {self.document.step_count}"
        self.grad_card.title.setText(f"{facts.name}.grad  ·  {step_text}")
        self.grad_value.setText(grad.text)
        self.grad_note.setText(grad.note)
        self.grad_badge.setVisible(grad.changed)
        if grad.changed:
            verb = "set" if grad.previous == "None" else "changed"
            change = f"{grad.previous}  →  {grad.short}"
            if len(change) > 44:
                change = f"was {grad.previous}"
            self.grad_badge.setText(f"● {verb} by step {k}:  {change}")
        self.grad_card.state = "new" if grad.changed else ("none" if grad.is_none else "set")
        self.flow_card.title.setText(f"gradient that reached {facts.name}")
        self.flowed_value.setText(facts.flowed if facts.flowed is not None else "nothing yet")
        self.flowed_note.setText(facts.flowed_note)
        self.flow_card.state = "plain" if facts.flowed is not None else "none"
        self.value_text.setText(facts.value)
        self.value_note.setText(facts.value_note)
        self.value_note.setVisible(bool(facts.value_note))
        self._fill_form(self.properties, facts.properties)
        self._show_plots(facts, key, k)

    def _show_plots(self, facts: TensorFacts, key: str, k: int) -> None:
        # imported here: it loads numpy and the engine
        from gradviz.panels.tangent import curve_for, is_scalar, pass_for, tangent_at

        tensor = facts.tensor
        flow = self._flow
        if tensor is None or flow is None:
            self.plots.clear()
            return
        if is_scalar(facts.values):
            number = pass_for(flow, tensor, k)
            curve = None
            if number is not None:
                if (key, number) not in self._curves:
                    self._curves[(key, number)] = curve_for(flow, tensor, number)
                curve = self._curves[(key, number)]
            if curve is None:
                self.plots.clear()
                return
            self.plots.show_tangent(tangent_at(flow, curve, tensor, k), facts.grad_values,
                                    facts.dtype)
            return
        if facts.grad_values is not None or not facts.grad.is_none or tensor.is_leaf:
            grad, title = facts.grad_values, f"{facts.name}.grad"
        else:
            grad, title = flow.flowed(tensor, k), f"reached {facts.name} (not stored)"
        self.plots.show_tensor(facts.name, facts.values, grad, title, facts.dtype)

    def _show_op(self, facts: OpFacts) -> None:
        self.step_card.setVisible(bool(facts.current))
        self.op_step.setText(facts.current)
        self.op_formulas.setText("\n".join(f"{name} = {formula}"
                                           for name, formula in facts.formulas)
                                 or "no input needs a gradient")
        self.op_inputs.setText("\n".join(f"{name}: {where}" for name, where in facts.inputs))
        self.op_output.setText(f"output: {facts.output[0]} = {facts.output[1]}")
        self._fill_form(self.op_properties, facts.properties)
        self.plots.clear()

    # --- look ----------------------------------------------------------------------------------
    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            QTimer.singleShot(0, self, self.refresh)  # after the children took the new palette

    def _apply_palette(self) -> None:
        colors = style.colors(self.palette())
        none_state = self.grad_card.state == "none"
        self.grad_value.set_look(colors.none if none_state else colors.grad, italic=none_state,
                                 bold=not none_state)
        self.flowed_value.set_look(colors.none if self.flow_card.state == "none" else None,
                                   italic=self.flow_card.state == "none")
        self.value_text.set_look()
        self.grad_badge.setStyleSheet(f"color: {style.css(colors.grad)}; font-weight: bold; "
                                      f"font-size: {self.font().pointSizeF() * 1.15:.1f}pt;")
        muted = style.css(colors.muted)
        for label in (self.grad_note, self.flowed_note, self.value_note, self.role,
                      self.origin, self.empty):
            label.setStyleSheet(f"color: {muted};")
        for card in (self.grad_card, self.flow_card, self.value_card, self.step_card,
                     self.formula_card, self.io_card):
            card.update()

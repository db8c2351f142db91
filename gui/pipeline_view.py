"""The left side of the window: input cells, the four stage panels, weights and the data flow.

It shows traces and says what was refused; it never talks to the model (the window does).
"""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from gui import theme
from gui.widgets.input_table import InputTable, InputTableModel, input_label
from gui.widgets.stage_panel import StagePanel
from gui.widgets.trace_table import TraceTable, TraceTableModel
from gui.widgets.weight_heatmap import WeightHeatmap
from gui.widgets.wrapped_label import WrappedLabel
from model.activations import get_activation
from model.trace import Trace

PIPELINE = ("ReLU", "Sigmoid", "Softmax")
STAGE_NAMES = ("Input", *PIPELINE)
#: A refusal of a typed value stays this long unless an accepted edit or a reset clears it.
MESSAGE_TIMEOUT_MS = 8000


class PipelineView(QWidget):
    """Input cells (``input_table``), stage panels, weight heatmaps and the data-flow table."""

    def __init__(self, inputs: InputTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.inputs = inputs
        self.input_table = InputTable(inputs, self)
        self.input_message = WrappedLabel(lines=2)
        self.input_message.setObjectName("input_message")
        self._message_timer = QTimer(self)
        self._message_timer.setSingleShot(True)
        self._message_timer.setInterval(MESSAGE_TIMEOUT_MS)
        self._message_timer.timeout.connect(self.input_message.clear)
        self.panels = _make_panels(self)
        self.heatmaps = [
            WeightHeatmap(name.lower(), f"W{i + 1}: into {name}", parent=self)
            for i, name in enumerate(PIPELINE)
        ]
        self.trace_rows = TraceTableModel(STAGE_NAMES, self)
        self.trace_table = TraceTable(self.trace_rows, self)
        # The table is the panels' text twin: it is written just after the panels have
        # painted, so the bars answer an edit first (coalesced: only the newest trace).
        self._table_trace: Trace | None = None
        self._table_update = QTimer(self)
        self._table_update.setSingleShot(True)
        self._table_update.setInterval(0)
        self._table_update.timeout.connect(self._update_trace_table)
        #: Widgets that follow the model besides the panels, with their usual tooltips.
        self._followers: dict[QWidget, str] = {
            widget: widget.toolTip() for widget in (*self.heatmaps, self.trace_table)
        }
        self._lay_out()

    def _lay_out(self) -> None:
        input_row = QHBoxLayout()
        caption = QLabel("<b>Inputs</b><br>type, then Enter")
        caption.setStyleSheet(f"color: {theme.MUTED}")
        input_row.addWidget(caption)
        input_row.addWidget(self.input_table, 3)
        input_row.addWidget(self.input_message, 2)
        pipeline = QGridLayout()
        pipeline.setSpacing(6)
        for column, panel in enumerate(self.panels):
            pipeline.addWidget(panel, 0, column)
            pipeline.setColumnStretch(column, 1)
        pipeline.addWidget(_bar_legend(), 1, 0, 1, len(self.panels))
        pipeline.addWidget(_weights_legend(), 2, 0)
        for column, heatmap in enumerate(self.heatmaps, start=1):
            pipeline.addWidget(heatmap, 2, column)
        # Bars first, but weights large enough for their numbers once there is room.
        pipeline.setRowStretch(0, 2)
        pipeline.setRowStretch(2, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(input_row)
        layout.addLayout(pipeline, 1)
        layout.addWidget(self.trace_table)

    # Showing --------------------------------------------------------------------------------

    def _show(self, trace: Trace) -> None:
        """Draw a finite ``trace`` on every panel, the heatmaps and (next) the table."""
        predicted = trace.prediction
        last = len(self.panels) - 1
        for index, (panel, stage) in enumerate(zip(self.panels, trace.stages, strict=True)):
            panel.show_stage(stage, predicted if index == last else None)
        for heatmap, stage in zip(self.heatmaps, trace.stages[1:], strict=True):
            if stage.weight is not None:
                heatmap.show_weights(stage.weight)
        self._table_trace = trace
        if not self._table_update.isActive():
            self._table_update.start()

    def reset_scales(self) -> None:
        """Fit ranges and colour scales to the next trace (after Reset, divergence, restart)."""
        for panel in self.panels:
            panel.reset_range()
        for heatmap in self.heatmaps:
            heatmap.reset_scale()

    def set_stale(self, reason: str) -> None:
        """Say on every panel that its bars no longer follow the inputs, and why; grey out
        the weights and the data-flow table, which no longer follow them either."""
        for panel in self.panels:
            panel.set_stale(reason)
        for widget in self._followers:
            widget.setEnabled(False)
            widget.setToolTip(f"Stale: {reason}")

    def show_trace(self, trace: Trace) -> None:
        """Draw a finite ``trace`` everywhere; what was stale follows the model again."""
        for widget, tip in self._followers.items():
            if not widget.isEnabled():
                widget.setEnabled(True)
                widget.setToolTip(tip)
        self._show(trace)

    def show_refusal(self, message: str) -> None:
        """Say why a typed value was refused, for a few seconds at most."""
        self.input_message.setText(theme.warning_html(message))
        self._message_timer.start()

    def clear_refusal(self) -> None:
        """The refusal no longer applies (an accepted edit, a reset)."""
        self._message_timer.stop()
        self.input_message.clear()

    def _update_trace_table(self) -> None:
        if self._table_trace is not None:
            self.trace_rows.set_trace(self._table_trace)


def _make_panels(parent: QWidget) -> list[StagePanel]:
    panels = [
        StagePanel(
            "Input",
            "x",
            "The four numbers you typed, before any layer",
            labels=[input_label(i) for i in range(4)],
            has_pre_activation=False,
            parent=parent,
        )
    ]
    for name in PIPELINE:
        activation = get_activation(name)
        low, high = activation.output_range
        fixed = (low, high) if low is not None and high is not None else None
        panels.append(
            StagePanel(
                name,
                activation.formula,
                activation.meaning,
                fixed_range=fixed,
                normalizes=activation.normalizes,
                labels=[f"{_symbol(name)}{input_label(i)[1:]}" for i in range(4)],
                parent=parent,
            )
        )
    return panels


def _bar_legend() -> QLabel:
    """One wrapped line under the panels: what the colours and outlines of the bars mean."""
    legend = WrappedLabel(
        f"<span style='color:{theme.POSITIVE}'>■</span> positive &nbsp; "
        f"<span style='color:{theme.NEGATIVE}'>■</span> negative &nbsp; "
        f"<span style='color:{theme.PREDICTED}'>■</span> predicted class &nbsp; "
        f"<span style='color:{theme.GHOST}'>▭</span> z = W·x + b, before the activation "
        "(its value in grey along the bottom)"
    )
    legend.setObjectName("bar_legend")
    legend.setStyleSheet(f"color: {theme.TEXT}")
    return legend


def _weights_legend() -> QLabel:
    legend = WrappedLabel(
        "<b>Weights W</b><br>a row per neuron, a column per input: "
        f"<span style='color:{theme.POSITIVE}'>blue</span> positive, "
        f"<span style='color:{theme.NEGATIVE}'>orange</span> negative, white zero"
    )
    legend.setObjectName("weights_legend")
    legend.setStyleSheet(f"color: {theme.TEXT}")
    return legend


def _symbol(activation_name: str) -> str:
    """Short bar labels: r₁ for ReLU outputs, s₁ for Sigmoid, p₁ for Softmax probabilities."""
    return "p" if get_activation(activation_name).normalizes else activation_name[0].lower()

"""The left side of the window: input cells, the four stage panels, weights or curves, data flow.

The pipeline is data: panels, heatmaps, curves and table rows are named by position (input,
layer1, layer2, output) and take their activation from the run's :class:`Pipeline`, so two
ReLU layers never collide. It shows traces and says what was refused; it never talks to the
model (the window does).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from gui import theme
from gui.widgets.activation_curve import ActivationCurve
from gui.widgets.bar_plot import BarLegend
from gui.widgets.below_bars import CURVES, WEIGHTS, BelowBars
from gui.widgets.gradient_controls import GradientControls
from gui.widgets.input_table import InputTable, InputTableModel, input_label
from gui.widgets.pipeline_picker import PipelinePicker
from gui.widgets.stage_panel import StagePanel
from gui.widgets.trace_table import TraceTable, TraceTableModel
from gui.widgets.weight_heatmap import WeightHeatmap
from gui.widgets.wrapped_label import WrappedLabel
from model.activations import get_activation
from model.config import Pipeline
from model.trace import Trace

#: Every widget repeated per stage is named by its position, never by its activation.
STAGE_KEYS = ("input", "layer1", "layer2", "output")
LAYER_KEYS = STAGE_KEYS[1:]
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
        self.pipeline = Pipeline()
        self.picker = PipelinePicker(self)
        self.gradients = GradientControls(self)
        self.panels = _make_panels(self)
        self.heatmaps = [
            WeightHeatmap(key, f"W{i + 1}", parent=self) for i, key in enumerate(LAYER_KEYS)
        ]
        self.curves = [ActivationCurve(key, parent=self) for key in LAYER_KEYS]
        self.below = BelowBars(
            (
                ("Weights", _weights_legend(), self.heatmaps),
                ("Curves", _curves_legend(), self.curves),
            ),
            self,
        )
        self.action_show_curves = QAction("Show activation &curves", self)
        self.action_show_curves.setObjectName("action_show_curves")
        self.action_show_curves.setCheckable(True)
        self.action_show_curves.setShortcut(QKeySequence("Ctrl+U"))
        self.action_show_curves.setToolTip(
            "Under the bars, each activation's curve f(z) and slope f′(z) with your four z "
            "marked, instead of the weights (Ctrl+U)"
        )
        self.trace_rows = TraceTableModel(_stage_names(self.pipeline), self)
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
            widget: widget.toolTip() for widget in (*self.heatmaps, *self.curves, self.trace_table)
        }
        self._last_trace: Trace | None = None
        self._lay_out()
        self.set_pipeline(self.pipeline)
        self.gradients.action_show_gradients.toggled.connect(self.set_gradients_visible)
        self.action_show_curves.toggled.connect(self._on_show_curves_toggled)
        self.below.page_changed.connect(self._on_below_page_changed)

    def _lay_out(self) -> None:
        input_row = QHBoxLayout()
        caption = QLabel("<b>Inputs</b><br>type, then Enter")
        caption.setStyleSheet(f"color: {theme.MUTED}")
        input_row.addWidget(caption)
        input_row.addWidget(self.input_table, 3)
        input_row.addWidget(self.input_message, 2)
        for panel, combo in zip(self.panels[1:], self.picker.combos, strict=False):
            panel.add_title_widget(combo, names_activation=True)
        self.panels[-1].add_title_widget(self.picker.temperature)
        pipeline = QGridLayout()
        pipeline.setSpacing(6)
        for column, panel in enumerate(self.panels):
            pipeline.addWidget(panel, 0, column)
            pipeline.setColumnStretch(column, 1)
        # The legend of the bars shares its row with the gradient switch: the input row keeps
        # its room for the refusal message (squeezed there, it wrapped into six lines).
        legend_row = QHBoxLayout()
        legend_row.addWidget(_bar_legend(), 1)
        legend_row.addLayout(self._gradient_box())
        pipeline.addLayout(legend_row, 1, 0, 1, len(self.panels))
        self.below.place(pipeline, 2, len(self.panels))
        # Bars first, but weights large enough for their numbers once there is room.
        pipeline.setRowStretch(0, 2)
        pipeline.setRowStretch(2, 1)
        self._grid = pipeline
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(input_row)
        layout.addLayout(pipeline, 1)
        layout.addWidget(self.trace_table)

    def _gradient_box(self) -> QHBoxLayout:
        toggle = QCheckBox("Gradients")
        toggle.setObjectName("show_gradients_check")
        toggle.setToolTip(self.gradients.action_show_gradients.toolTip())
        action = self.gradients.action_show_gradients
        toggle.toggled.connect(action.setChecked)
        action.toggled.connect(toggle.setChecked)
        target_row = QHBoxLayout()
        target_label = QLabel("target")
        target_label.setBuddy(self.gradients.target)
        target_label.setStyleSheet(f"color: {theme.MUTED}")
        target_row.addWidget(toggle)
        target_row.addWidget(target_label)
        target_row.addWidget(self.gradients.target)
        target_row.addWidget(self.gradients.loss_label)
        return target_row

    # The pipeline ---------------------------------------------------------------------------

    def set_pipeline(self, pipeline: Pipeline) -> None:
        """Show ``pipeline``'s activations: titles, formulas, meanings, ranges, labels, rows."""
        self.pipeline = pipeline
        self.picker.set_pipeline(pipeline)
        for panel, name in zip(self.panels[1:], pipeline.activations, strict=True):
            activation = get_activation(name)
            panel.set_activation(activation, pipeline.temperature, _bar_labels(name))
        for curve, name in zip(self.curves, pipeline.activations, strict=True):
            curve.set_activation(get_activation(name), pipeline.temperature)
        for index, (heatmap, name) in enumerate(
            zip(self.heatmaps, pipeline.activations, strict=True)
        ):
            heatmap.set_title(f"W{index + 1}: into {name}")
        self.trace_rows.set_stage_names(_stage_names(pipeline))

    def set_gradients_visible(self, visible: bool) -> None:
        """Show or hide the row of gradient bars under every panel."""
        for panel in self.panels:
            panel.set_gradients_visible(visible)

    def show_sections(self, *, below: bool = True, table: bool = True, words: bool = True) -> None:
        """Show or hide the row under the bars (weights or curves), the data-flow table and
        the panels' one-line meanings: a mode that needs the height for its own words
        (predict, gradients) hides one, presenter mode's large type most."""
        for panel in self.panels:
            panel.set_meaning_visible(words)
        self.below.set_visible(below)
        self._grid.setRowStretch(2, 1 if below else 0)  # else its share is left blank
        self.trace_table.setVisible(table)

    @property
    def curves_visible(self) -> bool:
        """True while the curves, not the weights, are shown under the bars."""
        return self.below.page == CURVES

    def _on_show_curves_toggled(self, shown: bool) -> None:
        self.below.set_page(CURVES if shown else WEIGHTS)

    def _on_below_page_changed(self, page: int) -> None:
        self.action_show_curves.setChecked(page == CURVES)
        trace = self._last_trace
        if trace is None:
            return
        # What was hidden was not kept up to date: draw it (only it: the panels are).
        if page == CURVES:
            self._show_curves(trace)
        else:
            self._show_weights(trace)

    # Showing --------------------------------------------------------------------------------

    def show_first_frame(self, trace: Trace) -> None:
        """Draw the untrained network's stages and weights before the model has answered
        (:mod:`model.pure_pipeline`); the rest (table, gradients, curves) waits for it."""
        last = len(self.panels) - 1
        for index, (panel, stage) in enumerate(zip(self.panels, trace.stages, strict=True)):
            panel.show_stage(stage, trace.prediction if index == last else None)
        self._show_weights(trace)

    def _show(self, trace: Trace) -> None:
        """Draw a finite ``trace`` on every panel, the heatmaps or curves, and (next) the table."""
        self._last_trace = trace
        predicted = trace.prediction
        last = len(self.panels) - 1
        for index, (panel, stage) in enumerate(zip(self.panels, trace.stages, strict=True)):
            panel.show_stage(stage, predicted if index == last else None)
        if self.curves_visible:
            self._show_curves(trace)
        else:
            self._show_weights(trace)
        self.gradients.show_trace(trace)
        self._table_trace = trace
        if not self._table_update.isActive():
            self._table_update.start()

    def _show_weights(self, trace: Trace) -> None:
        for heatmap, stage in zip(self.heatmaps, trace.stages[1:], strict=True):
            if stage.weight is not None:
                heatmap.show_weights(stage.weight)

    def _show_curves(self, trace: Trace) -> None:
        for curve, stage in zip(self.curves, trace.stages[1:], strict=True):
            curve.show_stage(stage)

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


def make_input_panel(parent: QWidget | None = None) -> StagePanel:
    """The Input stage: the four typed numbers, no activation and no z."""
    return StagePanel(
        "input",
        "Input",
        "x",
        "The four numbers you typed, before any layer",
        labels=[input_label(i) for i in range(4)],
        has_pre_activation=False,
        parent=parent,
    )


def _make_panels(parent: QWidget) -> list[StagePanel]:
    """The Input panel and one panel per layer; :meth:`PipelineView.set_pipeline` dresses
    the layers in their activations."""
    panels = [make_input_panel(parent)]
    titles = ("Layer 1", "Layer 2", "Output")
    for key, title, name in zip(LAYER_KEYS, titles, Pipeline().activations, strict=True):
        panels.append(
            StagePanel.for_activation(
                key, title, get_activation(name), labels=_bar_labels(name), parent=parent
            )
        )
    return panels


def _bar_labels(activation_name: str) -> list[str]:
    """r₁ … r₄ for ReLU outputs, σ₁ for Sigmoid, si₁ for SiLU, p₁ for Softmax probabilities."""
    symbol = get_activation(activation_name).symbol
    return [f"{symbol}{input_label(i)[1:]}" for i in range(4)]


def _stage_names(pipeline: Pipeline) -> list[str]:
    """The data-flow table's row names: the position, then the activation."""
    *hidden, output = pipeline.activations
    return [
        "Input",
        *(f"Layer {i} · {name}" for i, name in enumerate(hidden, 1)),
        f"Output · {output}",
    ]


def _bar_legend() -> QLabel:
    """One wrapped line under the panels: what the colours and outlines of the bars mean."""
    legend = BarLegend()
    legend.setToolTip(
        "Blue bars are positive values, red-orange negative, green the predicted "
        "class. The grey dashed bar behind each is z = W·x + b, what the activation was given "
        "(its value in grey along the bottom). Wine-red bars, with gradients shown, are "
        "∂L/∂z. Hatched bars are flat units: dead (ReLU with z ≤ 0) or saturated (slope "
        "below 0.01), passing almost no gradient back."
    )
    legend.setObjectName("bar_legend")
    return legend


def _weights_legend() -> QLabel:
    legend = WrappedLabel(
        "a row per neuron, a column per input: "
        f"<span style='color:{theme.text_colour(theme.POSITIVE)}'>blue</span> positive, "
        f"<span style='color:{theme.text_colour(theme.NEGATIVE)}'>red-orange</span> negative, "
        "faint at zero"
    )
    legend.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
    legend.setObjectName("weights_legend")
    legend.setStyleSheet(f"color: {theme.TEXT}")
    return legend


def _curves_legend() -> QLabel:
    legend = WrappedLabel(
        "f(z), and its slope f′(z) that backpropagation multiplies by; marks: your four z"
    )
    legend.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
    legend.setObjectName("curves_legend")
    legend.setStyleSheet(f"color: {theme.TEXT}")
    return legend

"""The handout as one page of widgets: the run's settings, the four stage panels with the
trace's bars, the loss and accuracy curves, and the epoch table.

It is built from the same widgets the window shows (:class:`StagePanel`,
:class:`TrainingPlots`), fresh and fed plain data, so it needs no window and no model: the
command line builds it headless. Its size is an A4 page at the theme's scale, so its text has
the proportions of the window's at any screen size.
"""

from __future__ import annotations

import html
from datetime import date

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from gui import theme
from gui.application import APP_NAME
from gui.handout_table import HandoutTable
from gui.number_format import minus_signs
from gui.pipeline_view import make_input_panel
from gui.widgets.bar_plot import BarLegend
from gui.widgets.stage_panel import StagePanel
from gui.widgets.training_plots import TrainingPlots
from model.activations import get_activation
from model.config import TrainingConfig
from model.handout_data import HandoutData
from model.handout_rows import LAST_ROWS, listed
from model.tasks import TASKS
from model.trace import Trace

#: The page at the 10 pt design scale: A4's proportions (1 : √2).
PAGE_WIDTH = 900
PAGE_HEIGHT = 1273
MARGIN = 36
PANEL_HEIGHT = 330
PLOTS_HEIGHT = 250
LAYER_TITLES = ("Layer 1", "Layer 2", "Output")
STAGE_KEYS = ("input", "layer1", "layer2", "output")


def page_size() -> tuple[int, int]:
    """The page's size in pixels at the theme's scale (larger on a large screen's fonts)."""
    scale = theme.scale()
    return round(PAGE_WIDTH * scale), round(PAGE_HEIGHT * scale)


def settings_text(config: TrainingConfig, epochs: int) -> str:
    """One line of the run's settings, as the title block prints them."""
    task = TASKS[config.task]
    trained = f"{epochs} epoch{'s' if epochs != 1 else ''} trained"
    return (
        f"{config.pipeline.label} · {task.title.lower()} · {config.optimizer}, "
        f"learning rate {config.learning_rate:g}, batch {config.batch_size}, "
        f"seed {config.seed} · {trained}"
    )


def trace_text(trace: Trace) -> str:
    """What the panels show: which input, the prediction, and the loss when there is one."""
    inputs = ", ".join(minus_signs(f"{v:g}") for v in trace.stages[0].values)
    text = f"The bars: input x = ({inputs}) → predicted class {trace.prediction + 1}"
    if trace.target is not None and trace.loss is not None:
        text += f" (right answer: class {trace.target + 1}, loss {trace.loss:.4f})"
    return text


class HandoutPage(QWidget):
    """The whole page, laid out for :func:`page_size`; call :meth:`fit` once it is laid out."""

    def __init__(self, data: HandoutData, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("handout_page")
        self.setAutoFillBackground(True)
        self.setStyleSheet("QWidget#handout_page { background: white; }")
        self.setFixedSize(*page_size())
        scale = theme.scale()
        self.panels = _panels(data, self)
        self.plots = TrainingPlots()
        baselines = [data.baseline] if data.baseline is not None else []
        self.plots.set_runs([data.config.pipeline.label], baselines)
        self.plots.add_progress(data.batch_positions, data.batch_losses, data.records)
        self.table = HandoutTable(data.records, data.baseline, self)
        layout = QVBoxLayout(self)
        margin = round(MARGIN * scale)
        layout.setContentsMargins(margin, margin, margin, margin)
        layout.setSpacing(round(8 * scale))
        layout.addWidget(_title(data))
        row = QGridLayout()
        row.setSpacing(round(6 * scale))
        for column, panel in enumerate(self.panels):
            panel.setFixedHeight(round(PANEL_HEIGHT * scale))
            row.addWidget(panel, 0, column)
            row.setColumnStretch(column, 1)
        layout.addLayout(row)
        legend = BarLegend()
        legend.setObjectName("handout_bar_legend")
        layout.addWidget(legend)
        curves = QHBoxLayout()
        for plot in (self.plots.loss_plot, self.plots.accuracy_plot):
            plot.setFixedHeight(round(PLOTS_HEIGHT * scale))
            plot.setParent(self)
            curves.addWidget(plot, 1)
        layout.addLayout(curves)
        self._records = len(data.records)
        self.heading = QLabel()
        self.heading.setObjectName("handout_table_heading")
        self.heading.setStyleSheet(f"color: {theme.TEXT}")
        layout.addWidget(self.heading)
        layout.addWidget(self.table, 1)
        footer = QLabel(_footer_text())
        footer.setStyleSheet(f"color: {theme.MUTED}; font-size: {theme.css_points(8)}")
        footer.setAlignment(Qt.AlignmentFlag.AlignRight)
        layout.addWidget(footer)

    def fit(self) -> None:
        """Choose the epoch rows for the room the table was given, and say which they are."""
        self.table.fit()
        words = _listed_words(self._records, listed(self.table.rows), self.table.trimmed)
        self.heading.setText(f"<b>Epoch by epoch</b> ({words})")


def _panels(data: HandoutData, parent: QWidget) -> list[StagePanel]:
    panels = [make_input_panel(parent)]
    temperature = data.config.temperature
    for key, title, name in zip(STAGE_KEYS[1:], LAYER_TITLES, data.config.activations, strict=True):
        panels.append(
            StagePanel.for_activation(
                key, title, get_activation(name), temperature=temperature, parent=parent
            )
        )
    last = len(panels) - 1
    for index, (panel, stage) in enumerate(zip(panels, data.trace.stages, strict=True)):
        panel.show_stage(stage, data.trace.prediction if index == last else None)
    return panels


def _title(data: HandoutData) -> QWidget:
    """The app's name and the date on one line; the settings and the traced input below."""
    block = QWidget()
    block.setObjectName("handout_title")
    layout = QGridLayout(block)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setVerticalSpacing(2)
    name = QLabel(
        f"<span style='font-size:{theme.css_points(16)}'><b>{APP_NAME}</b>: "
        "how activation functions shape a network</span>"
    )
    today = date.today()
    when = QLabel(f"{today.day} {today:%B %Y}")
    when.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom)
    epochs = data.records[-1].epoch if data.records else 0
    lines = [settings_text(data.config, epochs), trace_text(data.trace)]
    details = QLabel("<br>".join(html.escape(line) for line in lines))
    details.setObjectName("handout_settings")
    details.setWordWrap(True)
    layout.addWidget(name, 0, 0)
    layout.addWidget(when, 0, 1)
    layout.addWidget(details, 1, 0, 1, 2)
    if data.diverged:
        problem = QLabel(theme.warning_html(data.diverged))
        problem.setObjectName("handout_problem")
        problem.setWordWrap(True)
        layout.addWidget(problem, 2, 0, 1, 2)
    for label in (name, when, details):
        label.setStyleSheet(f"color: {theme.TEXT}")
    return block


def _listed_words(count: int, shown: int, trimmed: bool) -> str:
    if count == 0:
        return "none trained yet"
    if shown == count:
        return f"{count} trained, all listed"
    if not trimmed:
        return f"{count} trained; the first, the last {LAST_ROWS} and every notable one listed"
    return f"{count} trained; the first, the newest and the most notable that fit are listed"


def _footer_text() -> str:
    version = QCoreApplication.applicationVersion()
    return f"Made with {APP_NAME} {version}".strip()

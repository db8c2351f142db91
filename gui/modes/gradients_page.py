"""Gradients: the gradient bars under every panel, and where they are large or vanish, why."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QScrollArea, QWidget

from gui.modes.explore_page import SplitPage
from gui.modes.lab import Lab
from gui.widgets.gradient_report import GradientReport
from model.trace import Trace


class GradientsPage(SplitPage):
    """``mode_gradients``: the pipeline with its ∂L/∂z bars, and ``gradient_report`` in plain
    words beside it."""

    mode_name = "gradients"

    shows_table = False  # its room goes to the curves and the words beside them

    def __init__(self, lab: Lab, parent: QWidget | None = None) -> None:
        super().__init__(lab, parent)
        self.report = GradientReport()
        # The findings grow with the network's troubles: they scroll rather than push the
        # window past a small screen's bottom.
        scroll = QScrollArea(self)
        scroll.setObjectName("gradient_report_scroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(self.report)
        self.column_layout.addWidget(scroll, 1)
        self._gradients_before = False

    def enter(self, trace: Trace | None) -> None:
        """Gradient bars on (the learner's choice comes back on leaving)."""
        action = self.lab.pipeline.gradients.action_show_gradients
        self._gradients_before = action.isChecked()
        action.setChecked(True)
        super().enter(trace)

    def leave(self) -> None:
        """Hide the gradient bars again if they were hidden before."""
        self.lab.pipeline.gradients.action_show_gradients.setChecked(self._gradients_before)
        super().leave()

    def show_trace(self, trace: Trace) -> None:
        """The findings follow every trace."""
        super().show_trace(trace)
        self.report.show_trace(trace)

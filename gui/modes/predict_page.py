"""Predict: one input through the trained layers, and the verdict in one sentence."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from gui.modes.base import ModePage
from gui.modes.lab import Lab
from gui.widgets.prediction_verdict import PredictionVerdict
from model.trace import Trace


class PredictPage(ModePage):
    """``mode_predict``: ``prediction_verdict`` (the winning class, its probability, the
    task's right answer, right or wrong) above the shared pipeline, stage by stage."""

    mode_name = "predict"

    def __init__(self, lab: Lab, parent: QWidget | None = None) -> None:
        super().__init__(lab, parent)
        self.verdict = PredictionVerdict(self)
        self.body.addWidget(self.verdict)

    def focus_target(self) -> QWidget:
        """The input cells, where a number typed next goes; in presenter mode the page
        itself, so the keys drive the lesson (a click in a cell still types)."""
        return self if self.presenting else self.lab.pipeline.input_table

    def enter(self, trace: Trace | None) -> None:
        """Take the pipeline under the verdict: the stages and their table, not the weights."""
        self.lab.pipeline.hide()  # while it changes and moves (see SplitPage.enter)
        self.lab.pipeline.show_sections(
            below=False, table=not self.presenting, words=not self.presenting
        )
        self.borrow(self.lab.pipeline, self.body, stretch=1)
        super().enter(trace)

    def set_presenting(self, on: bool) -> None:
        """On a projector the verdict and the panels say it all: the table goes."""
        super().set_presenting(on)
        if self.is_current:
            self.lab.pipeline.show_sections(below=False, table=not on, words=not on)

    def show_trace(self, trace: Trace) -> None:
        """The verdict follows every trace (every edit, every training frame)."""
        super().show_trace(trace)
        self.verdict.show_trace(trace, self.lab.state.settings)

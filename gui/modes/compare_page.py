"""Compare: every activation's curve and slope beside the runs trained side by side."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QHBoxLayout, QToolButton, QWidget

from gui.modes.explore_page import SplitPage
from gui.modes.lab import Lab
from model.trace import Trace


class ComparePage(SplitPage):
    """``mode_compare``: the pipeline with its curves f(z) and f′(z) under the bars (part 4),
    and the compared training runs with their table; ``compare_button`` opens the dialog."""

    mode_name = "compare"

    shows_table = False  # its room goes to the curves and the words beside them
    presents_below = True  # the curves are what this page shows

    def __init__(self, lab: Lab, parent: QWidget | None = None) -> None:
        super().__init__(lab, parent)
        self.compare_button = QToolButton()
        self.compare_button.setObjectName("compare_button")
        self.compare_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.compare_button)
        row.addStretch(1)
        self.column_layout.addLayout(row)
        self._curves_before = False

    def set_compare_action(self, action: QAction) -> None:
        """Offer the window's Compare action (Ctrl+K) as this page's button."""
        self.compare_button.setDefaultAction(action)
        self.compare_button.setText("Compare pipelines… (Ctrl+K)")

    def enter(self, trace: Trace | None) -> None:
        """Curves under the bars (the learner's choice comes back on leaving)."""
        show_curves = self.lab.pipeline.action_show_curves
        self._curves_before = show_curves.isChecked()
        show_curves.setChecked(True)
        self.lab.training.show_table(not self.presenting)
        self.borrow(self.lab.training, self.column_layout, stretch=1)
        super().enter(trace)

    def set_presenting(self, on: bool) -> None:
        """On a projector: the curves and the compared runs, not the epoch table."""
        super().set_presenting(on)
        if self.is_current:
            self.lab.training.show_table(not on)

    def leave(self) -> None:
        """Give back the weights if they were shown before."""
        self.lab.pipeline.action_show_curves.setChecked(self._curves_before)
        super().leave()

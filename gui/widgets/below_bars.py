"""What sits under the bars: each layer's weights, or each layer's activation curve.

A switch at the top of the Input column chooses; the three layers' widgets sit under their own
panels, so a heatmap or a curve is always under the bars it belongs to. The switch takes no
row of its own (a tab bar did, and cost the heatmaps the height their numbers need).
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QGridLayout,
    QHBoxLayout,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

WEIGHTS, CURVES = 0, 1


class BelowBars(QObject):
    """``show_weights_button``, ``show_curves_button``, and the stack ``lower_tabs``.

    Signals
    -------
    page_changed(int)
        WEIGHTS (0) or CURVES (1) is shown now.
    """

    page_changed = Signal(int)

    def __init__(
        self,
        pages: Sequence[tuple[str, QWidget, Sequence[QWidget]]],
        parent: QWidget,
    ) -> None:
        """``pages``: (switch text, legend, one widget per layer) for weights, then curves."""
        super().__init__(parent)
        self.legends = QStackedWidget(parent)
        self.legends.setObjectName("below_legend")
        self.stack = QStackedWidget(parent)
        self.stack.setObjectName("lower_tabs")
        self.stack.setAccessibleName("Weights or activation curves of each layer")
        self._buttons = QButtonGroup(self)
        switch = QHBoxLayout()
        switch.setSpacing(0)
        names = ("show_weights_button", "show_curves_button")
        for index, (text, legend, widgets) in enumerate(pages):
            button = QToolButton(parent)
            button.setObjectName(names[index])
            button.setText(text)
            button.setCheckable(True)
            button.setAutoRaise(False)
            self._buttons.addButton(button, index)
            switch.addWidget(button)
            self.legends.addWidget(legend)
            self.stack.addWidget(_row(widgets))
        switch.addStretch(1)
        self._buttons.button(WEIGHTS).setChecked(True)
        self._buttons.idToggled.connect(self._on_button_toggled)
        self.column = QWidget(parent)
        column = QVBoxLayout(self.column)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addLayout(switch)
        column.addWidget(self.legends, 1)

    def place(self, grid: QGridLayout, row: int, columns: int) -> None:
        """Put the switch and legend in column 0 of ``row``, the layers' widgets after it."""
        grid.addWidget(self.column, row, 0)
        grid.addWidget(self.stack, row, 1, 1, columns - 1)

    def set_visible(self, visible: bool) -> None:
        """Show or hide the whole row (a mode that needs its height for something else)."""
        self.column.setVisible(visible)
        self.stack.setVisible(visible)

    @property
    def page(self) -> int:
        """WEIGHTS or CURVES."""
        return self.stack.currentIndex()

    def set_page(self, page: int) -> None:
        """Show the weights (WEIGHTS) or the curves (CURVES)."""
        self._buttons.button(page).setChecked(True)

    def _on_button_toggled(self, page: int, checked: bool) -> None:
        if checked and page != self.stack.currentIndex():
            self.stack.setCurrentIndex(page)
            self.legends.setCurrentIndex(page)
            self.page_changed.emit(page)


def _row(widgets: Sequence[QWidget]) -> QWidget:
    """One widget per layer side by side, sharing the width as the panels above do."""
    page = QWidget()
    grid = QGridLayout(page)
    grid.setContentsMargins(0, 0, 0, 0)
    grid.setSpacing(6)
    for column, widget in enumerate(widgets):
        grid.addWidget(widget, 0, column)
        grid.setColumnStretch(column, 1)
    return page

"""The data-flow table: the same numbers as the stage panels, as text a screen reader can read.

Rows are the stages in pipeline order (Input, then each layer named by position and activation);
columns 0–3 the four values, then the shape, the pre-activations ``z`` that produced them, the
gradient of the loss (∂L/∂x for the input, ∂L/∂z for a layer) and which units are dead or
saturated.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QResizeEvent, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from gui import theme
from gui.number_format import number_text
from model.trace import Trace

VALUE_COLUMNS = 4
SHAPE_COLUMN = VALUE_COLUMNS
PRE_COLUMN = VALUE_COLUMNS + 1
GRADIENT_COLUMN = VALUE_COLUMNS + 2
UNITS_COLUMN = VALUE_COLUMNS + 3
COLUMNS = UNITS_COLUMN + 1


class TraceTableModel(QStandardItemModel):
    """One trace as rows of items; ``UserRole`` of columns 0–3 gives each value as a float.

    Items are created once and updated in place; the view reads them in C++ when it repaints.
    """

    def __init__(self, stage_names: Sequence[str], parent: QWidget | None = None) -> None:
        super().__init__(len(stage_names), COLUMNS, parent)
        self.setVerticalHeaderLabels(list(stage_names))
        headers = [f"Value {i + 1}" for i in range(VALUE_COLUMNS)]
        headers += ["Shape", "z = W·x + b", "∂L/∂z", "Units"]
        self.setHorizontalHeaderLabels(headers)
        self.setHeaderData(
            GRADIENT_COLUMN,
            Qt.Orientation.Horizontal,
            "Gradient of the loss: ∂L/∂z for a layer, ∂L/∂x for the input",
            Qt.ItemDataRole.ToolTipRole,
        )
        self.setHeaderData(
            UNITS_COLUMN,
            Qt.Orientation.Horizontal,
            "Units (1-4) that are dead (ReLU, z ≤ 0) or saturated (slope below 0.01)",
            Qt.ItemDataRole.ToolTipRole,
        )
        for row in range(len(stage_names)):
            for column in range(COLUMNS):
                item = QStandardItem("")
                item.setEditable(False)
                if column < VALUE_COLUMNS:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.setItem(row, column, item)

    def set_stage_names(self, stage_names: Sequence[str]) -> None:
        """Name the rows after a new pipeline (same number of stages)."""
        self.setVerticalHeaderLabels(list(stage_names))

    def set_trace(self, trace: Trace) -> None:
        """Show ``trace``; rows keep their order, only values change."""
        for row, stage in enumerate(trace.stages):
            for column, value in enumerate(stage.values):
                item = self.item(row, column)
                item.setText(number_text(value, ".4f" if abs(value) < 1e5 else ".4g"))
                item.setData(value, Qt.ItemDataRole.UserRole)
            self.item(row, SHAPE_COLUMN).setText(stage.shape_text)
            pre = stage.pre_activation
            self.item(row, PRE_COLUMN).setText(
                "—" if pre is None else ", ".join(number_text(z, ".3f") for z in pre)
            )
            gradient = stage.gradient
            self.item(row, GRADIENT_COLUMN).setText(
                "—" if gradient is None else ", ".join(number_text(g, ".3g") for g in gradient)
            )
            units = self.item(row, UNITS_COLUMN)
            units.setText(_units_text(stage.unit_states()))
            units.setToolTip(units.text())  # whole, where the column elides it


def _units_text(states: Sequence[str]) -> str:
    """ "2 dead: 1, 3" style summary of a stage's flat units, or "—" when every unit learns."""
    parts = []
    for state in ("dead", "saturated"):
        units = [str(i + 1) for i, s in enumerate(states) if s == state]
        if units:
            parts.append(f"{state}: {', '.join(units)}")
    return "; ".join(parts) if parts else "—"


#: Below this width the shape column (the same "1 × 4 → 1 × 4" on every row; the panels show it
#: too) gives its room to z, the gradients and the units.
SHAPE_HIDDEN_BELOW_PX = 900


class TraceTable(QTableView):
    """The view of the data-flow table."""

    def __init__(self, model: TraceTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("trace_table")
        self.setAccessibleName("Data flow table")
        self.setAccessibleDescription("Each stage's four values, its shape and pre-activations")
        self.setModel(model)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(PRE_COLUMN, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(GRADIENT_COLUMN, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(UNITS_COLUMN, QHeaderView.ResizeMode.Stretch)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._apply_theme()
        theme.follow(self._apply_theme)

    def _apply_theme(self) -> None:
        """Rows as tall as the font now (presenter mode zooms it), every stage visible: the
        table is the panels' accessible twin."""
        rows = self.model().rowCount()
        row_height = self.fontMetrics().height() + 4
        self.verticalHeader().setDefaultSectionSize(row_height)
        self.setFixedHeight(self.horizontalHeader().sizeHint().height() + rows * row_height + 4)

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Give the shape column's room to the numbers when the table is narrow."""
        super().resizeEvent(event)
        narrow = self.width() < SHAPE_HIDDEN_BELOW_PX
        if self.isColumnHidden(SHAPE_COLUMN) != narrow:
            self.setColumnHidden(SHAPE_COLUMN, narrow)

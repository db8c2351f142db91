"""The data-flow table: the same numbers as the stage panels, as text a screen reader can read.

Rows are the stages in pipeline order (Input, ReLU, Sigmoid, Softmax); columns 0–3 the four
values, then the shape and the pre-activations ``z`` that produced them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from model.trace import StageTrace, Trace

AnyIndex = QModelIndex | QPersistentModelIndex
VALUE_COLUMNS = 4
SHAPE_COLUMN = VALUE_COLUMNS
PRE_COLUMN = VALUE_COLUMNS + 1


class TraceTableModel(QAbstractTableModel):
    """Read-only model of one trace; ``UserRole`` gives each value as a float."""

    def __init__(self, stage_names: Sequence[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._names = tuple(stage_names)
        self._stages: tuple[StageTrace, ...] = ()

    def set_trace(self, trace: Trace) -> None:
        """Show ``trace``; rows keep their order, only values change."""
        self._stages = trace.stages
        self.dataChanged.emit(self.index(0, 0), self.index(len(self._names) - 1, PRE_COLUMN))

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        """One row per stage."""
        return 0 if parent.isValid() else len(self._names)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        """Four values, the shape, the pre-activations."""
        return 0 if parent.isValid() else PRE_COLUMN + 1

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Values as text (4 decimals) or floats (``UserRole``)."""
        if not index.isValid() or index.row() >= len(self._stages):
            return None
        stage = self._stages[index.row()]
        column = index.column()
        if column < VALUE_COLUMNS:
            value = stage.values[column]
            if role == Qt.ItemDataRole.UserRole:
                return value
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
                return f"{value:.4f}" if abs(value) < 1e5 else f"{value:.4g}"
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
            return None
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return None
        if column == SHAPE_COLUMN:
            return stage.shape_text
        if stage.pre_activation is None:
            return "—"
        return ", ".join(f"{z:.3f}" for z in stage.pre_activation)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        """Stage names down the side; value 1–4, Shape and z across the top."""
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Vertical:
            return self._names[section]
        if section < VALUE_COLUMNS:
            return f"Value {section + 1}"
        return "Shape" if section == SHAPE_COLUMN else "z = W·x + b"


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
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        rows = model.rowCount()
        row_height = self.fontMetrics().height() + 8
        self.verticalHeader().setDefaultSectionSize(row_height)
        # Always every stage visible: the table is the panels' accessible twin.
        self.setFixedHeight(self.horizontalHeader().sizeHint().height() + rows * row_height + 4)

"""The epoch table: one row per finished epoch, with the sentence that explains it.

Rows are appended in batches (a progress message may carry several epochs), with the
begin/endInsertRows pair so the view only lays out what is new. After ``MAX_ROWS`` the oldest
rows go, so memory stays bounded however long training runs.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from model.records import EpochRecord

AnyIndex = QModelIndex | QPersistentModelIndex
COLUMNS = ("Epoch", "Train loss", "Test loss", "Accuracy", "Observation")
MAX_ROWS = 5000


def _cell(record: EpochRecord, column: int) -> float | int | str:
    return (
        record.epoch,
        record.train_loss,
        record.test_loss,
        record.test_accuracy,
        record.observation,
    )[column]


class EpochTableModel(QAbstractTableModel):
    """Epoch records; column 1's ``UserRole`` is the training loss as a float."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._records: deque[EpochRecord] = deque()

    def append(self, records: Sequence[EpochRecord]) -> None:
        """Add finished epochs at the bottom, dropping the oldest beyond ``MAX_ROWS``."""
        if not records:
            return
        overflow = len(self._records) + len(records) - MAX_ROWS
        if overflow > 0:
            drop = min(overflow, len(self._records))
            self.beginRemoveRows(QModelIndex(), 0, drop - 1)
            for _ in range(drop):
                self._records.popleft()
            self.endRemoveRows()
            records = records[-MAX_ROWS:]
        first = len(self._records)
        self.beginInsertRows(QModelIndex(), first, first + len(records) - 1)
        self._records.extend(records)
        self.endInsertRows()

    def clear(self) -> None:
        """Forget every epoch (after Reset)."""
        self.beginResetModel()
        self._records.clear()
        self.endResetModel()

    @property
    def records(self) -> tuple[EpochRecord, ...]:
        """The rows, oldest first."""
        return tuple(self._records)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        """One row per epoch kept."""
        return 0 if parent.isValid() else len(self._records)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        """Epoch, the two losses, accuracy, observation."""
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Formatted text, or the raw number for ``UserRole``."""
        if not index.isValid():
            return None
        record = self._records[index.row()]
        column = index.column()
        value = _cell(record, column)
        if role == Qt.ItemDataRole.UserRole:
            return value
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            if column in (1, 2):
                return f"{value:.4f}"
            if column == 3:
                return f"{value:.1%}"
            return str(value)
        if role == Qt.ItemDataRole.ToolTipRole and column == 4:
            return record.observation
        if role == Qt.ItemDataRole.TextAlignmentRole and column < 4:
            return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        """Column titles."""
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section]
        if role == Qt.ItemDataRole.ToolTipRole and orientation == Qt.Orientation.Horizontal:
            return "Accuracy is measured on the test set" if section == 3 else None
        return None


class EpochTable(QTableView):
    """The view of the epoch table; it follows the newest row while training."""

    def __init__(self, model: EpochTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("epoch_table")
        self.setAccessibleName("Epoch table")
        self.setAccessibleDescription("Loss, accuracy and an observation for every epoch")
        self.setModel(model)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 6)
        # Fixed widths from sample text: ResizeToContents would measure up to 1,000 rows on
        # every insert, 30 times a second while training.
        header = self.horizontalHeader()
        metrics = self.fontMetrics()
        for column, sample in enumerate(("Epoch 9999", "Train loss 0", "Test loss 00", "100.0% 0")):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
            header.resizeSection(column, metrics.horizontalAdvance(sample))
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        model.rowsInserted.connect(self._on_model_rows_inserted)

    def _on_model_rows_inserted(self) -> None:
        self.scrollToBottom()

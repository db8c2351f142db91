"""The epoch table: one row per finished epoch, with the sentence that explains it.

The sentence is the lesson's explanation of each epoch, too long for a table cell: the
:class:`ObservationDetail` under the table shows it whole, for the selected epoch or, while the
learner has selected none, for the newest.

Rows are appended in batches (a progress message may carry several epochs), with the
begin/endInsertRows pair so the view only lays out what is new. After ``MAX_ROWS`` the oldest
rows go, so memory stays bounded however long training runs.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QAbstractItemView, QFrame, QHeaderView, QTableView, QWidget

from gui import theme
from gui.widgets.wrapped_label import WrappedLabel
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

    def truncate_after(self, epoch: int) -> None:
        """Drop the rows of epochs after ``epoch`` (a restarted model carries on from there)."""
        keep = sum(1 for record in self._records if record.epoch <= epoch)
        if keep < len(self._records):
            self.beginRemoveRows(QModelIndex(), keep, len(self._records) - 1)
            while len(self._records) > keep:
                self._records.pop()
            self.endRemoveRows()

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
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        model.rowsInserted.connect(self._on_model_rows_inserted)

    def _on_model_rows_inserted(self) -> None:
        if not self.selectionModel().hasSelection():
            self.scrollToBottom()  # follow training unless the learner is reading a row


class ObservationDetail(WrappedLabel):
    """The whole observation of the selected epoch (or of the newest, when none is selected)."""

    def __init__(self, table: EpochTable, parent: QWidget | None = None) -> None:
        # Three lines kept, whatever the sentence: the plots above do not jump with each row.
        super().__init__(lines=3, parent=parent)
        self.setObjectName("observation_detail")
        self.setAccessibleName("Observation of the epoch")
        self.setTextFormat(Qt.TextFormat.PlainText)
        # Frame and margin (not style-sheet padding) so that the height the text needs counts
        # them: a padded label cut its last line.
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setMargin(4)
        self.setStyleSheet(f"color: {theme.TEXT}; background: #f5f7fa")
        self._table = table
        model = table.model()
        assert isinstance(model, EpochTableModel)
        self._model: EpochTableModel = model
        self._model.rowsInserted.connect(self.refresh)
        self._model.modelReset.connect(self.refresh)
        self._model.rowsRemoved.connect(self.refresh)
        table.selectionModel().selectionChanged.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        """Show the selected epoch's observation, or the newest one's."""
        records = self._model.records
        if not records:
            self.setText("Each finished epoch gets a sentence about what happened: train to see.")
            return
        rows = self._table.selectionModel().selectedRows()
        record = records[rows[0].row()] if rows else records[-1]
        self.setText(f"Epoch {record.epoch}: {record.observation}")

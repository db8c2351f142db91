"""The epoch table: one row per finished epoch, with the sentence that explains it.

The sentence is the lesson's explanation of each epoch: its cell wraps, and each row is as
tall as its sentence needs, so every epoch's observation reads in full in the table. The
:class:`ObservationDetail` under the table shows it too, for the selected epoch or, while the
learner has selected none, for the newest.

The "Units" column (model column 5, shown before the observation) counts the hidden units
that stopped learning: dead ReLU units and saturated ones. It is the last column of the model
so that code reading columns by number (the observation is column 4) keeps working. Titles
are short and widths fitted to their numbers so that all of it reads at ~330 px; when too
little room is left for the observation, its column is hidden (the detail under
the table has the sentence).

Rows are appended in batches (a progress message may carry several epochs), with the
begin/endInsertRows pair so the view only lays out what is new; only new rows are measured,
and all of them again only when a wrapping column changes width. After ``MAX_ROWS`` the oldest
rows go, so memory stays bounded however long training runs.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, QTimer
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QAbstractItemView, QFrame, QHeaderView, QStyle, QTableView, QWidget

from gui import theme
from gui.widgets.wrapped_label import WrappedLabel
from model.records import EpochRecord

AnyIndex = QModelIndex | QPersistentModelIndex
OBSERVATION_COLUMN = 4
UNITS_COLUMN = 5
MAX_ROWS = 5000
#: Rows re-measured per pass of the event loop after a column changed width (~10 ms).
REFIT_CHUNK_ROWS = 150
_WRAP = int(Qt.AlignmentFlag.AlignLeft | Qt.TextFlag.TextWordWrap)
UNITS_SEPARATOR = "\u2009·\u2009"
#: A cell's and a header's margins, both sides together (Fusion draws 3 px each side).
CELL_MARGINS_PX = 8
#: Narrower than this many average characters, the observation column is hidden.
MIN_OBSERVATION_CHARS = 12
DEAD_EXPLAINED = (
    "Dead: a ReLU unit whose z ≤ 0 on every test sample (it outputs 0 and gets no gradient)."
)
SATURATED_EXPLAINED = "Saturated: |f′(z)| < 0.01 on every test sample (almost no gradient passes)."
UNITS_EXPLAINED = f"{DEAD_EXPLAINED} {SATURATED_EXPLAINED}"
#: Short titles (the right-hand column of a 1024-pixel window is ~330 px wide); the header
#: tooltips say them in full.
COLUMNS = ("Epoch", "Train", "Test", "Acc.", "Observation", "Units")
HEADER_TOOLTIPS = (
    "Epochs trained",
    "Training loss (cross-entropy)",
    "Test loss (cross-entropy)",
    "Accuracy, measured on the test set",
    "What the epoch showed (the selected epoch's is under the table too)",
    f"Hidden units that stopped learning.\n{UNITS_EXPLAINED}",
)


def loss_text(loss: float) -> str:
    """A loss with four decimals, or five significant digits from 10 on (as wide)."""
    return f"{loss:.4f}" if abs(loss) < 10 else f"{loss:.5g}"


def units_text(record: EpochRecord) -> str:
    """The hidden units that stopped learning, in short: "2 dead · 1 sat." ("" when none).

    Thin spaces round the dot: the column must fit the right-hand side of a small window.
    """
    dead, saturated = sum(record.dead_units), sum(record.saturated_units)
    parts = ([f"{dead} dead"] if dead else []) + ([f"{saturated} sat."] if saturated else [])
    return UNITS_SEPARATOR.join(parts)


def units_detail(record: EpochRecord) -> str:
    """Per hidden layer: "layer 1: 2 dead; layer 2: 1 saturated" ("" when none)."""
    layers = max(len(record.dead_units), len(record.saturated_units))
    parts = []
    for layer in range(layers):
        dead = record.dead_units[layer] if layer < len(record.dead_units) else 0
        saturated = record.saturated_units[layer] if layer < len(record.saturated_units) else 0
        counts = ([f"{dead} dead"] if dead else []) + (
            [f"{saturated} saturated"] if saturated else []
        )
        if counts:
            parts.append(f"layer {layer + 1}: {', '.join(counts)}")
    return "; ".join(parts)


def units_tooltip(record: EpochRecord) -> str:
    """The per-layer detail and what "dead" and "saturated" mean."""
    detail = units_detail(record)
    summary = (
        f"{detail} (of {record.layer_width} units per layer)"
        if detail
        else "No dead or saturated hidden units"
    )
    return f"{summary}.\n\n{UNITS_EXPLAINED}"


def _cell(record: EpochRecord, column: int) -> float | int | str | tuple[int, int]:
    if column == UNITS_COLUMN:
        return (sum(record.dead_units), sum(record.saturated_units))
    return (
        record.epoch,
        record.train_loss,
        record.test_loss,
        record.test_accuracy,
        record.observation,
    )[column]


class EpochTableModel(QAbstractTableModel):
    """Epoch records; column 1's ``UserRole`` is the training loss as a float, column 5's
    the total (dead, saturated) units."""

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

    def record(self, row: int) -> EpochRecord:
        """The epoch of ``row`` (without copying every row, as :attr:`records` does)."""
        return self._records[row]

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        """One row per epoch kept."""
        return 0 if parent.isValid() else len(self._records)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        """Epoch, the two losses, accuracy, observation, units."""
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
                return loss_text(record.train_loss if column == 1 else record.test_loss)
            if column == 3:
                return f"{value:.1%}"
            if column == UNITS_COLUMN:
                return units_text(record)
            return str(value)
        if role == Qt.ItemDataRole.ToolTipRole and column == OBSERVATION_COLUMN:
            return record.observation
        if role == Qt.ItemDataRole.ToolTipRole and column == UNITS_COLUMN:
            return units_tooltip(record)
        if role == Qt.ItemDataRole.TextAlignmentRole and column < OBSERVATION_COLUMN:
            return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        """Column titles."""
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section]
        if role == Qt.ItemDataRole.ToolTipRole and orientation == Qt.Orientation.Horizontal:
            return HEADER_TOOLTIPS[section]
        return None


class EpochTable(QTableView):
    """The view of the epoch table; it follows the newest row while training."""

    def __init__(self, model: EpochTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("epoch_table")
        self.setAccessibleName("Epoch table")
        self.setAccessibleDescription("Loss, accuracy and an observation for every epoch")
        self.setModel(model)
        self._epochs = model
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setWordWrap(True)
        self.verticalHeader().setVisible(False)
        # Fixed widths from sample text: ResizeToContents would measure up to 1,000 rows on
        # every insert, 30 times a second while training.
        header = self.horizontalHeader()
        self._widths: dict[int, int] = {}
        self._short_units = 0
        header.setSectionResizeMode(OBSERVATION_COLUMN, QHeaderView.ResizeMode.Stretch)
        # Shown before the observation (the sentence is the widest, and reads best last).
        header.moveSection(header.visualIndex(UNITS_COLUMN), OBSERVATION_COLUMN)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        # A wrapping column's new width re-measures the rows, a chunk per event-loop pass.
        self._refit = QTimer(self)
        self._refit.setSingleShot(True)
        self._refit.timeout.connect(self._fit_some_rows)
        self._unfitted = -1  # rows 0 … this − 1 still to re-measure; −1: every row
        margin = self.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, self)
        self._text_margin = margin + 1  # as QCommonStyle pads an item view's text
        header.sectionResized.connect(self._on_header_section_resized)
        model.rowsInserted.connect(self._on_model_rows_inserted)
        self._apply_theme()
        theme.follow(self._apply_theme)

    def _apply_theme(self) -> None:
        """Row and column sizes measured in the (new) font; then every row again."""
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 6)
        header = self.horizontalHeader()
        samples = ("9999", "0.0000", "0.0000", "100.0%", "", f"4 dead{UNITS_SEPARATOR}4 sat.")
        self._widths = {
            column: max(
                header.fontMetrics().horizontalAdvance(COLUMNS[column]),
                self.fontMetrics().horizontalAdvance(sample),
            )
            + CELL_MARGINS_PX
            for column, sample in enumerate(samples)
            if column != OBSERVATION_COLUMN
        }
        # Where the whole "4 dead · 4 sat." would squeeze the observation out (1280×800), the
        # units column is sized for the common "2 dead"; a rarer longer one wraps there.
        self._short_units = (
            max(
                header.fontMetrics().horizontalAdvance(COLUMNS[UNITS_COLUMN]),
                self.fontMetrics().horizontalAdvance("8 dead"),
            )
            + CELL_MARGINS_PX
        )
        for column, width in self._widths.items():
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
            header.resizeSection(column, width)
        self._fit_columns()
        self._unfitted = -1
        self._refit.start(0)

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Fit the columns to the new width."""
        super().resizeEvent(event)
        self._fit_columns()

    def _fit_columns(self) -> None:
        """Hide the observation column when too narrow to read (the detail under the table
        has the whole sentence); the units column then takes what is left."""
        header = self.horizontalHeader()
        needed = self.fontMetrics().averageCharWidth() * MIN_OBSERVATION_CHARS
        room = self.viewport().width() - sum(self._widths.values())
        units = self._widths[UNITS_COLUMN]
        if room < needed <= room + units - self._short_units:
            room, units = room + units - self._short_units, self._short_units
        narrow = room < needed
        header.setSectionHidden(OBSERVATION_COLUMN, narrow)
        header.setSectionResizeMode(
            UNITS_COLUMN,
            QHeaderView.ResizeMode.Stretch if narrow else QHeaderView.ResizeMode.Fixed,
        )
        if not narrow:
            header.resizeSection(UNITS_COLUMN, units)

    def row_height_needed(self, row: int) -> int:
        """How tall ``row`` must be for its observation and units, wrapped, to show whole.

        Measured as the delegate lays text out (QCommonStyle wraps a cell's text at its
        width less a margin each side, and a grid line), from the record itself: asking the
        model for every role of every cell (``sizeHintForRow``) took ten times as long.
        """
        record = self._epochs.record(row)
        height = self.verticalHeader().defaultSectionSize()
        grid = 1 if self.showGrid() else 0
        metrics = self.fontMetrics()
        for column, text in (
            (OBSERVATION_COLUMN, record.observation),
            (UNITS_COLUMN, units_text(record)),
        ):
            if text and not self.isColumnHidden(column):
                width = max(1, self.columnWidth(column) - grid - 2 * self._text_margin)
                bounds = metrics.boundingRect(0, 0, width, 1 << 20, _WRAP, text)
                height = max(height, bounds.height() + grid)
        return height

    def _fit_rows(self, first: int, last: int) -> None:
        vertical = self.verticalHeader()
        for row in range(max(0, first), min(last, self._epochs.rowCount() - 1) + 1):
            height = self.row_height_needed(row)
            if vertical.sectionSize(row) != height:
                vertical.resizeSection(row, height)

    def _fit_some_rows(self) -> None:
        """After a wrapping column changed width: the rows in view first, then the others,
        newest first, a chunk per pass of the event loop (a splitter dragged never waits
        for 5,000 rows)."""
        count = self._epochs.rowCount()
        if self._unfitted < 0:
            top, bottom = self.rowAt(0), self.rowAt(self.viewport().height() - 1)
            if top >= 0:
                self._fit_rows(top, bottom if bottom >= 0 else count - 1)
            self._unfitted = count
        first = max(0, min(self._unfitted, count) - REFIT_CHUNK_ROWS)
        self._fit_rows(first, self._unfitted - 1)
        self._unfitted = first
        if first > 0:
            self._refit.start(0)

    def _on_header_section_resized(self, column: int, old: int, new: int) -> None:
        del old, new
        if column in (OBSERVATION_COLUMN, UNITS_COLUMN):  # the two that may wrap
            self._unfitted = -1
            self._refit.start(0)

    def _on_model_rows_inserted(self, parent: QModelIndex, first: int, last: int) -> None:
        del parent
        self._fit_rows(first, last)
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
        self._apply_theme()
        theme.follow(self._apply_theme)
        self._table = table
        model = table.model()
        assert isinstance(model, EpochTableModel)
        self._model: EpochTableModel = model
        self._model.rowsInserted.connect(self.refresh)
        self._model.modelReset.connect(self.refresh)
        self._model.rowsRemoved.connect(self.refresh)
        table.selectionModel().selectionChanged.connect(self.refresh)
        self.refresh()

    def _apply_theme(self) -> None:
        self.setStyleSheet(f"color: {theme.TEXT}; background: {theme.SURFACE}")

    def refresh(self) -> None:
        """Show the selected epoch's observation, or the newest one's."""
        records = self._model.records
        if not records:
            self.setText("Each finished epoch gets a sentence about what happened: train to see.")
            return
        rows = self._table.selectionModel().selectedRows()
        record = records[rows[0].row()] if rows else records[-1]
        self.setText(f"Epoch {record.epoch}: {record.observation}")

"""The compare table: one row per compared run with its newest epoch, so the winner shows.

Each row starts with the run's colour (the same as its curves) and its pipeline, then the
newest epoch's numbers, its dead and saturated hidden units and its observation. The leading
run (highest test accuracy, ties by the lower test loss) is marked "★" and bold.

It has to read in the right-hand column of a 1024×700 window (~330 px): headers are
abbreviated (their tooltips say them in full), losses get three decimals, the pipelines leave
out their output activation when every pipeline has the same one, and the observation takes
what is left, elided, whole in its tooltip. Columns that still do not fit are hidden, least
needed first; the run's tooltip has all of them.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QResizeEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from gui import theme
from gui.widgets.epoch_table import (
    DEAD_EXPLAINED,
    SATURATED_EXPLAINED,
    UNITS_EXPLAINED,
    units_detail,
)
from gui.widgets.training_plots import run_name
from model.activations import OUTPUT_ACTIVATIONS
from model.config import MAX_COMPARED
from model.records import EpochRecord

AnyIndex = QModelIndex | QPersistentModelIndex
BEST_MARK = "★ "
#: Epochs kept per run, so that a divergence can rewind a row to an earlier epoch.
MAX_KEPT = 1000
#: (header, tooltip) of every column.
COLUMNS = (
    (
        "Run",
        "The pipeline (hover for its whole name). ★: the run with the highest test accuracy "
        "(on a tie, the lower test loss)",
    ),
    ("Ep.", "Epochs trained"),
    ("Train", "Training loss (cross-entropy) of the newest epoch"),
    ("Test", "Test loss (cross-entropy) of the newest epoch"),
    ("Acc.", "Test accuracy of the newest epoch"),
    ("Dead", f"Dead hidden units. {DEAD_EXPLAINED}"),
    ("Sat.", f"Saturated hidden units. {SATURATED_EXPLAINED}"),
    ("Observation", "What the newest epoch showed (hover for the whole sentence)"),
)
RUN, EPOCH, TRAIN_LOSS, TEST_LOSS, ACCURACY, DEAD, SATURATED, OBSERVATION = range(len(COLUMNS))
_NUMERIC = (EPOCH, TRAIN_LOSS, TEST_LOSS, ACCURACY, DEAD, SATURATED)


def short_label(label: str) -> str:
    """``label`` without its output activation when every pipeline ends in the same one
    ("GELU → Tanh → Softmax (T = 0.5)" becomes "GELU → Tanh (T = 0.5)")."""
    if len(OUTPUT_ACTIVATIONS) == 1:
        return label.replace(f" → {OUTPUT_ACTIVATIONS[0]}", "", 1)
    return label


def compact_loss(loss: float) -> str:
    """A loss in five characters or so: three decimals below 10, four digits above."""
    return f"{loss:.3f}" if loss < 10 else f"{loss:.4g}"


def best_run(latest: Sequence[EpochRecord | None]) -> int | None:
    """The index of the leading record: highest test accuracy, then lowest test loss.

    None while fewer than two runs have trained an epoch (nothing to win yet).
    """
    trained = [(run, r) for run, r in enumerate(latest) if r is not None and r.epoch > 0]
    if len(trained) < 2:
        return None
    return min(trained, key=lambda item: (-item[1].test_accuracy, item[1].test_loss))[0]


class CompareTableModel(QAbstractTableModel):
    """The newest epoch of every compared run, run 0 first."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._labels: tuple[str, ...] = ()
        self._records: list[deque[EpochRecord]] = []
        self._best: int | None = None

    # Feeding ------------------------------------------------------------------------------

    def set_runs(self, labels: Sequence[str], baselines: Sequence[EpochRecord] = ()) -> None:
        """One row per pipeline label (run 0 first), each starting from its baseline."""
        if len(labels) > MAX_COMPARED or len(baselines) > len(labels):
            raise ValueError(f"{len(labels)} runs and {len(baselines)} baselines")
        self.beginResetModel()
        self._labels = tuple(labels)
        self._records = [deque(maxlen=MAX_KEPT) for _ in labels]
        for records, baseline in zip(self._records, baselines, strict=False):
            records.append(baseline)
        self._best = self._find_best()
        self.endResetModel()

    def add_epochs(self, run: int, records: Sequence[EpochRecord]) -> None:
        """Run ``run``'s newly finished epochs (ignored for a run not in the table)."""
        if not records or not 0 <= run < len(self._records):
            return
        self._records[run].extend(records)
        self._changed()

    def truncate_after(self, epoch: float, run: int | None = None) -> None:
        """Forget epochs after ``epoch``, of run ``run`` or of every run when None."""
        runs = range(len(self._records)) if run is None else [run]
        for index in runs:
            if 0 <= index < len(self._records):
                records = self._records[index]
                while records and records[-1].epoch > epoch:
                    records.pop()
        self._changed()

    def clear(self) -> None:
        """Forget every epoch; the runs stay."""
        for records in self._records:
            records.clear()
        self._changed()

    # Reading ------------------------------------------------------------------------------

    @property
    def labels(self) -> tuple[str, ...]:
        """The pipelines' labels, run 0 first."""
        return self._labels

    @property
    def best(self) -> int | None:
        """The leading run, or None while there is none (see :func:`best_run`)."""
        return self._best

    def latest(self, run: int) -> EpochRecord | None:
        """Run ``run``'s newest epoch, if any."""
        records = self._records[run]
        return records[-1] if records else None

    def rows(self) -> tuple[tuple[str, ...], ...]:
        """Every row's text as shown (the observation whole), for tests and tools."""
        return tuple(
            tuple(self._text(row, column) for column in range(len(COLUMNS)))
            for row in range(len(self._labels))
        )

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        """One row per run."""
        return 0 if parent.isValid() else len(self._labels)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        """Run, epoch, the losses, accuracy, dead, saturated, observation."""
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Text, the run's colour as decoration, tooltips, bold for the leading run."""
        if not index.isValid():
            return None
        row, column = index.row(), index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._text(row, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, column)
        if role == Qt.ItemDataRole.DecorationRole and column == RUN:
            return QColor(theme.RUNS[row])
        if role == Qt.ItemDataRole.FontRole and row == self._best:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and column in _NUMERIC:
            return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        """Abbreviated column titles; their tooltips say them whole."""
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section][0]
        if role == Qt.ItemDataRole.ToolTipRole:
            return COLUMNS[section][1]
        return None

    # Helpers ------------------------------------------------------------------------------

    def _changed(self) -> None:
        self._best = self._find_best()
        if self._labels:
            # Four rows: the best mark may move to any of them, so all are repainted.
            last = self.index(len(self._labels) - 1, len(COLUMNS) - 1)
            self.dataChanged.emit(self.index(0, 0), last)

    def _find_best(self) -> int | None:
        return best_run([self.latest(run) for run in range(len(self._labels))])

    def _text(self, row: int, column: int) -> str:
        if column == RUN:
            mark = BEST_MARK if row == self._best else ""
            return f"{mark}{short_label(self._labels[row])}"
        record = self.latest(row)
        if record is None:
            return ""
        cells = (
            str(record.epoch),
            compact_loss(record.train_loss),
            compact_loss(record.test_loss),
            f"{record.test_accuracy:.1%}",
            str(sum(record.dead_units)),
            str(sum(record.saturated_units)),
            record.observation,
        )
        return cells[column - 1]

    def _tooltip(self, row: int, column: int) -> str | None:
        record = self.latest(row)
        if column == RUN:
            # Everything about the run: columns a narrow table hides are here too.
            lines = [f"{run_name(row)}: {self._labels[row]}"]
            if row == self._best:
                lines.append("★ Leading: the highest test accuracy")
            if record is not None:
                lines.append(
                    f"Epoch {record.epoch}: train loss {record.train_loss:.4f}, test loss "
                    f"{record.test_loss:.4f}, test accuracy {record.test_accuracy:.1%}"
                )
                lines += [units_detail(record) or "No dead or saturated hidden units"]
                lines += [record.observation] if record.observation else []
            return "\n".join(lines)
        if record is None:
            return None
        if column in (DEAD, SATURATED):
            detail = units_detail(record) or "no dead or saturated hidden units"
            return f"{run_name(row)}, epoch {record.epoch}: {detail}.\n\n{UNITS_EXPLAINED}"
        if column == OBSERVATION:
            return record.observation or None
        return COLUMNS[column][1]


class CompareTable(QTableView):
    """The view of :class:`CompareTableModel` (``compare_table``), as tall as its rows.

    Columns that do not fit are hidden, least needed first (the observation when it would be
    narrower than ``MIN_OBSERVATION_CHARS``, then the training loss, then the epoch): the
    run's tooltip has them all. Run, test loss, accuracy, dead and saturated always show.
    """

    #: The run column's widest, in average characters: longer names are elided.
    RUN_COLUMN_CHARS = 20
    #: ... and its narrowest, when even the columns always shown do not fit.
    MIN_RUN_CHARS = 6
    MIN_OBSERVATION_CHARS = 14
    #: Optional columns, the first shown first when there is room.
    OPTIONAL = (OBSERVATION, TRAIN_LOSS, EPOCH)
    SWATCH_PX = 12

    def __init__(self, model: CompareTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("compare_table")
        self.setAccessibleName("Compared runs")
        self.setAccessibleDescription(
            "The newest epoch of every compared pipeline; ★ marks the leading one"
        )
        self.setModel(model)
        self._model = model
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setWordWrap(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setIconSize(QSize(self.SWATCH_PX, self.SWATCH_PX))
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # rows fit
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 6)
        header = self.horizontalHeader()
        header.setHighlightSections(False)
        header.setMinimumSectionSize(self.fontMetrics().horizontalAdvance("00"))
        # Fixed widths, from the header or the widest value: nothing relays out per epoch.
        samples = {
            EPOCH: "999",
            TRAIN_LOSS: "0.000",
            TEST_LOSS: "0.000",
            ACCURACY: "100.0%",
            DEAD: "8",
            SATURATED: "8",
        }
        self._widths = {
            column: self._column_width(COLUMNS[column][0], sample)
            for column, sample in samples.items()
        }
        for column, width in self._widths.items():
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
            header.resizeSection(column, width)
        model.modelReset.connect(self._fit_columns)
        self._fit_columns()

    def shown_columns(self) -> tuple[str, ...]:
        """The headers of the columns shown now, left to right (for tests and tools)."""
        header = self.horizontalHeader()
        return tuple(
            COLUMNS[column][0]
            for column in range(len(COLUMNS))
            if not header.isSectionHidden(column)
        )

    def sizeHint(self) -> QSize:
        """Every column at its width, as tall as four rows and the header."""
        wanted = self._run_width() + sum(self._widths.values()) + self._observation_width()
        return QSize(wanted + 2 * self.frameWidth(), self._rows_height(MAX_COMPARED))

    def minimumSizeHint(self) -> QSize:
        """As tall as the rows shown: a compare table that scrolls hides a run."""
        rows = max(2, self._model.rowCount())
        return QSize(super().minimumSizeHint().width(), self._rows_height(rows))

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Show the columns that fit the new width."""
        super().resizeEvent(event)
        self._fit_columns()

    def _rows_height(self, rows: int) -> int:
        frame = 2 * self.frameWidth()
        header = self.horizontalHeader().sizeHint().height()
        return frame + header + rows * self.verticalHeader().defaultSectionSize()

    def _bold_metrics(self) -> QFontMetrics:
        # The leading run's row is bold: measure cells as if every row could be (a number
        # cut to "0.2…" would be misread).
        bold = QFont(self.font())
        bold.setBold(True)
        return QFontMetrics(bold)

    def _column_width(self, title: str, sample: str) -> int:
        title_width = self.horizontalHeader().fontMetrics().horizontalAdvance(title)
        # The header's margins and a cell's are a few pixels each side (Fusion: 3-4 px).
        return max(title_width, self._bold_metrics().horizontalAdvance(sample)) + 10

    def _observation_width(self) -> int:
        return self.fontMetrics().averageCharWidth() * self.MIN_OBSERVATION_CHARS

    def _run_width(self) -> int:
        metrics = self._bold_metrics()
        widest = max(
            (
                metrics.horizontalAdvance(BEST_MARK + short_label(name))
                for name in self._model.labels
            ),
            default=metrics.horizontalAdvance("Run"),
        )
        room = metrics.averageCharWidth() * self.RUN_COLUMN_CHARS
        # Text, the swatch and the cell's margins.
        return min(widest, room) + self.SWATCH_PX + 16

    def _fit_columns(self) -> None:
        header = self.horizontalHeader()
        available = self.viewport().width()
        run = self._run_width()
        optional_width = {**self._widths, OBSERVATION: self._observation_width()}
        used = run + sum(w for c, w in self._widths.items() if c not in self.OPTIONAL)
        shown = set()
        for column in self.OPTIONAL:
            if column == EPOCH and TRAIN_LOSS not in shown:
                continue  # the epoch without the training loss next to it reads oddly
            if used + optional_width[column] <= available:
                used += optional_width[column]
                shown.add(column)
        for column in self.OPTIONAL:
            header.setSectionHidden(column, column not in shown)
        if OBSERVATION in shown:
            header.setSectionResizeMode(OBSERVATION, QHeaderView.ResizeMode.Stretch)
            header.setSectionResizeMode(RUN, QHeaderView.ResizeMode.Fixed)
            header.resizeSection(RUN, run)
        else:
            # The run's name takes what is left (down to a few characters, then it scrolls).
            header.setSectionResizeMode(RUN, QHeaderView.ResizeMode.Fixed)
            least = self.fontMetrics().averageCharWidth() * self.MIN_RUN_CHARS + self.SWATCH_PX
            header.resizeSection(RUN, max(least, run + available - used))

"""The right side of the window: what training did, as curves, epoch rows and sentences.

Progress is drawn at the pace the window can afford: curves in the frame that receives them,
table rows in their own, rarer event (appending rows relays out and repaints the table).
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QVBoxLayout, QWidget

from gui import theme
from gui.pending_history import PendingHistory
from gui.widgets.compare_table import CompareTable, CompareTableModel
from gui.widgets.epoch_table import EpochTable, EpochTableModel, ObservationDetail
from gui.widgets.training_plots import TrainingPlots
from gui.widgets.wrapped_label import WrappedLabel
from model.config import Pipeline
from model.protocol import TrainingProgress
from model.records import EpochNumbers, EpochRecord

#: While training runs, new epoch rows are added to the table at most this often.
ROWS_INTERVAL_MS = 200


class TrainingView(QWidget):
    """``training_message``, ``loss_plot``, ``accuracy_plot``, ``epoch_table`` and
    ``observation_detail``, under the window's ``model_problem`` bar; while pipelines are
    compared, also ``compare_legend`` and ``compare_table``.

    Signals
    -------
    rows_added(object)
        The newest :class:`EpochRecord` after rows were appended to the table.
    """

    rows_added = Signal(object)

    def __init__(self, model_problem: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plots = TrainingPlots()
        self.epochs = EpochTableModel(self)
        self.epoch_table = EpochTable(self.epochs, self)
        self.observation_detail = ObservationDetail(self.epoch_table, self)
        self.compare_rows = CompareTableModel(self)
        self.compare_table = CompareTable(self.compare_rows, self)
        self.compare_table.hide()
        self._comparing = False
        self.training_message = WrappedLabel()
        self.training_message.setObjectName("training_message")
        self.training_message.hide()
        self._history = PendingHistory()
        #: Where the run started from (epoch 0): the untrained network's numbers.
        self.baseline: EpochNumbers | None = None
        self._pending_rows: list[EpochRecord] = []
        self._rows_update = QTimer(self)
        self._rows_update.setSingleShot(True)
        self._rows_update.timeout.connect(self._append_pending_rows)
        layout = QVBoxLayout(self)
        self._layout = layout
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(model_problem)  # a stopped model process is said first
        layout.addWidget(self.training_message)
        layout.addWidget(self.plots.legend)
        layout.addWidget(self.plots.loss_plot, 3)
        layout.addWidget(self.plots.accuracy_plot, 2)
        layout.addWidget(self.compare_table)
        layout.addWidget(self.epoch_table, 2)
        layout.addWidget(self.observation_detail)

    def show_table(self, shown: bool) -> None:
        """Show or hide the epoch table (the newest observation stays, under the plots):
        beside the panels on a projector, the curves are what the room reads."""
        self.epoch_table.setVisible(shown)

    def set_table_share(self, stretch: int) -> None:
        """How much of the height the epoch table gets against the plots' 3 and 2: the train
        page, where the observations are the lesson, gives it more."""
        self._layout.setStretchFactor(self.epoch_table, stretch)

    # History --------------------------------------------------------------------------------

    def add_progress(self, progress: TrainingProgress) -> None:
        """Keep ``progress``'s batches and epochs until :meth:`draw_history`."""
        self._history.add(progress)

    def draw_history(self, settled: bool = False) -> None:
        """Draw the batches and epochs received so far; ``settled`` when training stopped."""
        positions, losses, epochs = self._history.take()
        self.plots.add_progress(positions, losses, epochs)
        for run, history in self._history.take_compared().items():
            self.plots.add_compared(run, history.positions, history.losses, history.epochs)
            self.compare_rows.add_epochs(run, history.epochs)
        if epochs and self._comparing:
            self.compare_rows.add_epochs(0, epochs)
        self._pending_rows.extend(epochs)
        if settled:
            self._rows_update.start(0)
        elif self._pending_rows and not self._rows_update.isActive():
            self._rows_update.start(ROWS_INTERVAL_MS)

    @property
    def is_settled(self) -> bool:
        """True when every epoch received has reached the table (none waits to be drawn)."""
        return not self._pending_rows and not self._rows_update.isActive()

    def start_over(
        self,
        baseline: EpochNumbers,
        pipelines: tuple[Pipeline, ...] = (),
        compared_baselines: tuple[EpochNumbers, ...] = (),
    ) -> None:
        """Forget the run: empty curves from ``baseline`` (epoch 0) and an empty table.

        With more than one pipeline (the main one first), their runs are compared: one
        colour each on the plots, one row each in the comparison table.
        """
        self._drop_pending()
        self.epochs.clear()
        self.baseline = baseline
        records = [
            EpochRecord.from_numbers(numbers, "untrained")
            for numbers in (baseline, *compared_baselines)
        ]
        labels = [pipeline.label for pipeline in pipelines] or [""]
        self.plots.set_runs(labels, records[: len(labels)])
        self._comparing = len(labels) > 1
        if self._comparing:
            self.compare_rows.set_runs(labels, records)
        else:
            self.compare_rows.clear()
        self.compare_table.setVisible(self._comparing)

    def load_history(
        self,
        baseline: EpochNumbers,
        positions: np.ndarray,
        losses: np.ndarray,
        records: tuple[EpochRecord, ...],
    ) -> None:
        """Show a whole history at once (a session opened): curves, table and notes."""
        self.start_over(baseline)
        self.plots.add_progress(positions, losses, records)
        self.epochs.append(records)
        if records:
            self.rows_added.emit(records[-1])

    def flush_rows(self) -> None:
        """Put every epoch received into the table now (a save must see them all)."""
        self._rows_update.stop()
        self._append_pending_rows()

    def rewind_to(self, epoch: int, run: int | None = None) -> None:
        """Keep the history up to the end of ``epoch``: a restarted model carries on there, or
        run ``run`` diverged and is back there."""
        self._drop_pending()
        if run in (None, 0):
            self.epochs.truncate_after(epoch)
        self.plots.truncate_after(float(epoch), run)
        self.compare_rows.truncate_after(epoch, run)

    def _drop_pending(self) -> None:
        self._history.clear()
        self._pending_rows = []
        self._rows_update.stop()

    def _append_pending_rows(self) -> None:
        rows, self._pending_rows = self._pending_rows, []
        self.epochs.append(rows)
        if rows:
            self.rows_added.emit(rows[-1])

    # Messages -------------------------------------------------------------------------------

    def show_message(self, message: str) -> None:
        """Explain a training problem above the curves."""
        self.training_message.setText(theme.warning_html(message))
        self.training_message.show()

    def hide_message(self) -> None:
        """The problem no longer applies."""
        self.training_message.hide()

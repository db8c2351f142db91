"""What the window shows of a run, read back as plain data, and written as CSV files.

The epoch rows come from the epoch table, the batch losses from the loss plot's batch curve
and the trace from the panels' last trace: exactly what the learner sees (so, as the window
keeps them, the newest 5,000 epochs, and past 262,144 batches neighbouring ones averaged).
Epoch 0 (the untrained network) is the training view's ``baseline``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from model.atomic_file import ExportError
from model.history_csv import write_batches_csv, write_epochs_csv, write_trace_csv
from model.records import EpochNumbers, EpochRecord
from model.trace import FloatArray

if TYPE_CHECKING:
    from gui.main_window import MainWindow

#: The observation written for epoch 0, as the window's curves and compare table call it.
UNTRAINED = "untrained"


def baseline_record(numbers: EpochNumbers) -> EpochRecord:
    """Epoch 0's numbers as a record, with the window's word for it."""
    return EpochRecord.from_numbers(numbers, UNTRAINED)


@dataclass(frozen=True)
class WindowHistory:
    """The run as the window shows it: epoch 0 (if known), the epoch rows, the batches."""

    baseline: EpochRecord | None
    records: tuple[EpochRecord, ...]
    positions: FloatArray
    losses: FloatArray


def window_history(window: MainWindow) -> WindowHistory:
    """Copies of what the window's epoch table and loss plot hold now."""
    batches = window.plots.batch_losses
    baseline = window.training.baseline
    return WindowHistory(
        None if baseline is None else baseline_record(baseline),
        window.epochs.records,
        np.array(batches.x, dtype=np.float64),
        np.array(batches.y, dtype=np.float64),
    )


def export_history_csv(window: MainWindow, path: str | Path) -> Path:
    """The epoch table (epoch 0 first when known), one row per epoch, to ``path``."""
    history = window_history(window)
    if not history.records and history.baseline is None:
        raise ExportError("Nothing to export yet: no epoch has been measured")
    return write_epochs_csv(history.records, path, history.baseline)


def export_batches_csv(window: MainWindow, path: str | Path) -> Path:
    """Every batch loss drawn on the loss plot, with its position in epochs, to ``path``."""
    history = window_history(window)
    if not len(history.losses):
        raise ExportError("Nothing to export yet: train at least one batch first")
    return write_batches_csv(history.positions, history.losses, path)


def export_trace_csv(window: MainWindow, path: str | Path) -> Path:
    """The trace the panels show, one row per stage and unit, to ``path``."""
    trace = window.last_trace
    if trace is None:
        raise ExportError("Nothing to export yet: the model has not traced the inputs")
    return write_trace_csv(trace, path)

"""CSV exports read back exactly: the epoch history, the batch losses and the trace."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtWidgets import QMessageBox

from gui.export_menu import ExportMenu
from model.config import TrainingConfig
from model.history_csv import (
    TRACE_COLUMNS,
    read_batches_csv,
    read_epochs_csv,
    write_batches_csv,
    write_epochs_csv,
    write_trace_csv,
)
from model.network import trace_inputs
from model.records import EpochRecord
from model.training import Trainer

#: Floats whose shortest decimal spelling needs all 17 digits, and extremes.
AWKWARD = (0.1 + 0.2, 1 / 3, 5e-324, 1.7976931348623157e308, 2.0**-30)


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_epochs_read_back_bit_for_bit(tmp_path: Path) -> None:
    """Awkward floats, per-layer unit counts, and observations with commas, quotes, a line
    break and non-ASCII characters all survive the round trip."""
    records = [
        EpochRecord(
            epoch,
            AWKWARD[epoch % 5],
            AWKWARD[(epoch + 1) % 5],
            AWKWARD[(epoch + 2) % 5],
            AWKWARD[(epoch + 3) % 5],
            dead_units=(epoch, 0),
            saturated_units=(1, epoch % 3),
            observation=f'Loss −0.1, "z ≤ 0" for f′(z)\nline {epoch}',
            observation_kind="dead" if epoch % 2 else "change",
        )
        for epoch in range(1, 8)
    ]
    baseline = EpochRecord(
        0, 1.5, 1.25, 0.25, 0.0, dead_units=(1, 0), saturated_units=(0, 0), observation="untrained"
    )
    path = write_epochs_csv(records, tmp_path / "history.csv", baseline)
    assert read_epochs_csv(path) == [baseline, *records]
    header = path.read_text(encoding="utf-8").splitlines()[0].split(",")
    assert header == [
        "epoch",
        "train_loss",
        "test_loss",
        "train_accuracy",
        "test_accuracy",
        "dead_units_layer1",
        "dead_units_layer2",
        "saturated_units_layer1",
        "saturated_units_layer2",
        "layer_width",
        "observation_kind",
        "observation",
    ]
    assert _rows(path)[5]["train_loss"] == "0.30000000000000004"  # epoch 5


def test_batches_and_a_trace_read_back_exactly(tmp_path: Path) -> None:
    """Batch positions and losses as written; the untrained trace of 2, −1, 0.5, 3 with its
    gradients, one row per stage and unit, the input without z."""
    positions = np.array([0.25, 0.5, 0.75, 1.0, 1 / 3])
    losses = np.array(AWKWARD)
    x, y = read_batches_csv(write_batches_csv(positions, losses, tmp_path / "batches.csv"))
    np.testing.assert_array_equal(x, positions)
    np.testing.assert_array_equal(y, losses)
    with pytest.raises(ValueError, match="5 positions for 4 losses"):
        write_batches_csv(positions, losses[:4], tmp_path / "bad.csv")
    assert not (tmp_path / "bad.csv").exists()

    trace = trace_inputs((2.0, -1.0, 0.5, 3.0), target=0)
    rows = _rows(write_trace_csv(trace, tmp_path / "trace.csv"))
    assert list(rows[0]) == list(TRACE_COLUMNS)
    assert len(rows) == 16
    assert [r["stage"] for r in rows[::4]] == ["input", "layer1", "layer2", "output"]
    assert [r["activation"] for r in rows[::4]] == ["Input", "ReLU", "Sigmoid", "Softmax"]
    assert rows[0]["pre_activation"] == ""
    assert rows[0]["derivative"] == ""
    assert [float(r["value"]) for r in rows[4:8]] == [2.0, 0.0, 0.5, 3.0]
    sigmoid = [float(r["value"]) for r in rows[8:12]]
    assert sigmoid == pytest.approx([0.8808, 0.5, 0.6225, 0.9526], abs=5e-5)
    for stage, first in zip(trace.stages, range(0, 16, 4), strict=True):
        chunk = rows[first : first + 4]
        assert tuple(float(r["value"]) for r in chunk) == stage.values
        assert stage.gradient is not None
        assert tuple(float(r["gradient"]) for r in chunk) == stage.gradient


def test_window_exports_what_it_shows(qtbot, window, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Through the Export menu: the table's epochs (epoch 0 first), every batch of the loss
    plot and the panels' trace, each equal to the window's numbers and to a headless run."""
    menu = ExportMenu(window)
    chosen: list[str] = []
    menu.choose_path = lambda caption, suggested, filters: chosen.pop(0)
    window.controls.action_reset.trigger()  # the run starts over: epoch 0 is announced
    qtbot.waitUntil(lambda: window.training.baseline is not None, timeout=30000)
    for count in (1, 2):
        qtbot.waitUntil(window.controls.action_step.isEnabled, timeout=30000)
        window.controls.action_step.trigger()
        qtbot.waitUntil(lambda c=count: len(window.epochs.records) == c, timeout=30000)
    qtbot.waitUntil(lambda: window.training.is_settled, timeout=30000)

    chosen += [str(tmp_path / n) for n in ("history.csv", "batches.csv", "trace.csv")]
    menu.action_export_history_csv.trigger()
    menu.action_export_batches_csv.trigger()
    menu.action_export_trace_csv.trigger()
    assert "trace.csv" in window.statusBar().currentMessage()

    headless = Trainer(TrainingConfig())
    expected = [headless.train_epoch(), headless.train_epoch()]
    records = read_epochs_csv(tmp_path / "history.csv")
    assert records[0] == EpochRecord.from_numbers(window.training.baseline, "untrained")
    assert records[0].epoch == 0
    assert records[0].observation == "untrained"
    assert records[1:] == list(window.epochs.records)
    for got, want in zip(records[1:], expected, strict=True):
        assert got.train_loss == pytest.approx(want.train_loss, rel=1e-12)
        assert got.observation == want.observation
    x, y = read_batches_csv(tmp_path / "batches.csv")
    np.testing.assert_array_equal(x, window.plots.batch_losses.x)
    np.testing.assert_array_equal(y, window.plots.batch_losses.y)
    assert len(y) == 2 * headless.batches_per_epoch
    rows = _rows(tmp_path / "trace.csv")
    trace = window.last_trace
    values = [float(r["value"]) for r in rows]
    assert values == [v for stage in trace.stages for v in stage.values]


def test_a_failed_csv_export_says_why(qtbot, window, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A folder that does not exist: a message box (that does not block) and the status
    bar name it; nothing is written. Cancelling writes nothing and says nothing."""
    menu = ExportMenu(window)
    menu.choose_path = lambda caption, suggested, filters: ""
    menu.action_export_trace_csv.trigger()
    assert not window.findChildren(QMessageBox)
    missing = tmp_path / "gone" / "trace.csv"
    menu.choose_path = lambda caption, suggested, filters: str(missing)
    menu.action_export_trace_csv.trigger()
    box = window.findChild(QMessageBox, "export_problem")
    assert box is not None
    assert box.isVisible()
    assert f"the folder {missing.parent} does not exist" in box.text()
    assert box.text().startswith("The trace was not exported.")
    assert str(missing.parent) in window.statusBar().currentMessage()
    assert not missing.parent.exists()
    box.close()

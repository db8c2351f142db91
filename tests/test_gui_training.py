"""Live training in the real window: step, train, pause, reset, diverge, edit while training."""

from __future__ import annotations

import math
import time

import numpy as np
import pytest
from helpers import progress_seen
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from gui.training_controls import PACES
from model.config import TrainingConfig
from model.training import Trainer

FULL_SPEED = len(PACES) - 1
SEED_SOFTMAX = [0.2833, 0.1936, 0.2188, 0.3044]


def set_full_speed(window) -> None:  # type: ignore[no-untyped-def]
    window.controls.pace.setCurrentIndex(FULL_SPEED)


def rows(window) -> int:  # type: ignore[no-untyped-def]
    return window.epoch_table.model().rowCount()


def test_step_trains_exactly_one_epoch_with_the_headless_numbers(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    """Step adds one row, whose loss is what the same seed gives without a window."""
    headless = Trainer(TrainingConfig())
    expected = [headless.train_epoch(), headless.train_epoch()]
    window.controls.action_step.trigger()
    qtbot.waitUntil(lambda: rows(window) == 1, timeout=30000)
    qtbot.waitUntil(window.controls.action_step.isEnabled, timeout=5000)
    window.controls.action_step.trigger()
    qtbot.waitUntil(lambda: rows(window) == 2, timeout=30000)
    # Paused again (Step enabled) is the state in which no further epoch may come.
    qtbot.waitUntil(window.controls.action_step.isEnabled, timeout=30000)
    assert rows(window) == 2, "Step must train exactly one epoch, then pause"
    model = window.epoch_table.model()
    for row, record in enumerate(expected):
        loss = model.index(row, 1).data(Qt.ItemDataRole.UserRole)
        assert isinstance(loss, float)
        assert loss == pytest.approx(record.train_loss, rel=1e-12)
        assert model.index(row, 4).data() == record.observation
    assert not window.controls.action_train.isChecked()


def test_train_pause_really_pauses(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    """Train fills the table and curves; Pause stops them; nothing arrives after."""
    set_full_speed(window)
    seen = progress_seen(window)
    window.controls.action_train.trigger()
    assert window.controls.action_train.isChecked()
    assert window.controls.action_train.text() == "Pause"
    assert not window.controls.action_step.isEnabled()
    qtbot.waitUntil(lambda: rows(window) >= 5, timeout=20000)
    window.controls.action_train.trigger()
    assert window.controls.action_train.text() == "Train"
    # The pause's own progress message (running and stepping both off) is the last one; once
    # the window has taken it in and its rows are in the table, nothing more may come.
    qtbot.waitUntil(
        lambda: bool(seen.states) and seen.states[-1][:2] == (False, False), timeout=30000
    )
    qtbot.waitUntil(lambda: window.training.is_settled, timeout=30000)
    settled = rows(window)
    qtbot.wait(700)
    assert rows(window) == settled
    assert window.controls.action_step.isEnabled()
    model = window.epoch_table.model()
    losses = [model.index(r, 1).data(Qt.ItemDataRole.UserRole) for r in range(rows(window))]
    assert losses[-1] < losses[0], "the loss falls on the default task"
    batch_curve = window.plots.batch_losses
    assert len(batch_curve) > 0
    assert np.all(np.isfinite(batch_curve.y))


def test_reset_restores_the_identity_trace_and_clears_history(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    """After training and Reset, the trace is the untrained pipeline again."""
    window.controls.action_step.trigger()
    qtbot.waitUntil(lambda: rows(window) == 1, timeout=30000)
    assert window.last_trace.stages[-1].values != pytest.approx(SEED_SOFTMAX, abs=5e-5)
    window.controls.action_reset.trigger()
    qtbot.waitUntil(lambda: rows(window) == 0, timeout=30000)
    qtbot.waitUntil(
        lambda: window.last_trace.stages[-1].values == pytest.approx(SEED_SOFTMAX, abs=5e-5),
        timeout=5000,
    )
    assert len(window.plots.batch_losses) == 0


def test_edits_during_training_reach_the_trace(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    """Typing while training runs flat out still updates the trace promptly."""
    set_full_speed(window)
    window.controls.action_train.trigger()
    qtbot.waitUntil(lambda: rows(window) >= 2, timeout=20000)
    model = window.input_table.model()
    # How fast is the benchmark's question; this one is whether edits get through at all.
    for value in (7.0, -3.0, 0.25):
        model.setData(model.index(0, 0), value, Qt.ItemDataRole.EditRole)
        qtbot.waitUntil(lambda v=value: window.last_trace.stages[0].values[0] == v, timeout=20000)
    assert window.controls.action_train.isChecked(), "training went on meanwhile"
    window.controls.action_train.trigger()


def test_divergence_pauses_restores_and_explains(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    """Learning rate 50 diverges: training pauses, weights stay finite, the window says why."""
    set_full_speed(window)
    field = window.controls.learning_rate
    with qtbot.waitSignal(window.run_reset, timeout=60000):  # the run restarts with it
        field.setText("50")
        field.editingFinished.emit()
    assert window.controls.config.learning_rate == 50.0
    window.controls.action_train.trigger()
    qtbot.waitUntil(window.training_message.isVisible, timeout=20000)
    text = window.training_message.text()
    assert "diverged" in text
    assert "learning rate" in text
    qtbot.waitUntil(lambda: not window.controls.action_train.isChecked(), timeout=5000)
    assert window.last_trace.is_finite()
    for heatmap in window.heatmaps:
        assert heatmap.weights is not None
        assert np.all(np.isfinite(heatmap.weights))
    assert np.all(np.isfinite(window.plots.batch_losses.y))


def test_a_bad_learning_rate_is_refused_and_the_old_one_kept(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    """Text, zero and out-of-range rates are refused with a reason; 0.05 stays."""
    field = window.controls.learning_rate
    for text in ("abc", "0", "-1", "1000", "nan"):
        field.setText(text)
        field.editingFinished.emit()
        assert field.text() == "0.05"
        assert window.controls.config.learning_rate == 0.05
        assert "Learning rate" in window.training_message.text()


def test_changing_the_task_starts_a_new_run(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    """Picking "Find the largest" resets; the untrained pipeline already solves it mostly."""
    combo = window.controls.task
    index = combo.findData("largest")
    combo.setCurrentIndex(index)
    combo.activated.emit(index)
    qtbot.waitUntil(lambda: window.controls.config.task == "largest", timeout=2000)
    window.controls.action_step.trigger()
    qtbot.waitUntil(lambda: rows(window) == 1, timeout=30000)
    accuracy = window.epoch_table.model().index(0, 3).data(Qt.ItemDataRole.UserRole)
    assert accuracy > 0.6  # "smallest" scores about 0.26 after one epoch


def test_gui_stays_responsive_while_training(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    """A 10 ms timer on the GUI thread is never badly late while training runs flat out."""
    set_full_speed(window)
    window.controls.action_train.trigger()
    qtbot.waitUntil(lambda: rows(window) >= 1, timeout=20000)
    lateness: list[float] = []
    expected = [time.perf_counter() + 0.01]

    def tick() -> None:
        now = time.perf_counter()
        lateness.append(now - expected[0])
        expected[0] = now + 0.01
        if len(lateness) < 150:
            QTimer.singleShot(10, tick)

    QTimer.singleShot(10, tick)
    qtbot.waitUntil(lambda: len(lateness) >= 150, timeout=20000)
    window.controls.action_train.trigger()
    # Generous: the tight figures belong to the benchmark; this catches a blocked GUI thread.
    assert max(lateness) < 0.5, f"GUI stalled for {max(lateness) * 1000:.0f} ms"


def test_loss_plot_is_the_contracted_widget(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    """``loss_plot`` is a pyqtgraph PlotWidget whose curves hold the training history."""
    import pyqtgraph as pg

    plot = window.findChild(pg.PlotWidget, "loss_plot")
    assert plot is not None
    window.controls.action_step.trigger()
    qtbot.waitUntil(lambda: rows(window) == 1, timeout=30000)
    curves = [item for item in plot.getPlotItem().listDataItems() if item.xData is not None]
    assert any(len(c.xData) > 1 for c in curves)
    for curve in curves:
        assert all(math.isfinite(v) for v in curve.yData)


def test_a_typed_learning_rate_applies_when_training_starts(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    """Toolbar buttons take no focus: a rate typed but not confirmed still applies on Step."""
    window.controls.learning_rate.setText("0.1")  # typed, no Enter, focus never left
    window.controls.action_step.trigger()
    qtbot.waitUntil(lambda: rows(window) == 1, timeout=30000)
    assert window.controls.config.learning_rate == 0.1
    headless = Trainer(TrainingConfig(learning_rate=0.1)).train_epoch()
    loss = window.epoch_table.model().index(0, 1).data(Qt.ItemDataRole.UserRole)
    assert loss == pytest.approx(headless.train_loss, rel=1e-12)


def step_loss(qtbot, window) -> float:  # type: ignore[no-untyped-def]
    """Step one epoch from an empty table; its train loss as the table holds it."""
    step = window.controls.action_step
    qtbot.waitUntil(lambda: rows(window) == 0 and step.isEnabled(), timeout=30000)
    step.trigger()
    qtbot.waitUntil(lambda: rows(window) == 1 and step.isEnabled(), timeout=30000)
    loss: float = window.epoch_table.model().index(0, 1).data(Qt.ItemDataRole.UserRole)
    return loss


def test_seed_arrows_apply_at_once(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    """Up and Down in the seed box start the run over with that seed: the epoch table
    empties, and the next epoch is the one that seed gives without a window."""
    spin = window.controls.seed
    first = spin.value()
    losses = {
        seed: Trainer(TrainingConfig(seed=seed)).train_epoch().train_loss
        for seed in (first, first + 1)
    }
    assert losses[first] != losses[first + 1]  # the check below can tell the seeds apart
    assert step_loss(qtbot, window) == pytest.approx(losses[first], rel=1e-12)

    def press_in_seed(key: Qt.Key) -> None:
        # A step gives the keyboard back to the pipeline: the learner clicks the box again.
        window.activateWindow()
        spin.setFocus()
        qtbot.waitUntil(spin.hasFocus, timeout=5000)
        qtbot.keyClick(QApplication.focusWidget(), key)

    press_in_seed(Qt.Key.Key_Up)
    assert spin.value() == first + 1
    assert window.controls.config.seed == first + 1, "the arrow did not apply the seed"
    assert step_loss(qtbot, window) == pytest.approx(losses[first + 1], rel=1e-12)

    press_in_seed(Qt.Key.Key_Down)
    assert spin.value() == first
    assert window.controls.config.seed == first, "the arrow did not apply the seed"
    assert step_loss(qtbot, window) == pytest.approx(losses[first], rel=1e-12)


def test_step_does_not_look_like_continuous_training(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    """At a slow pace, a Step in progress leaves Train unchecked (Space would start training)."""
    window.controls.pace.setCurrentIndex(0)  # 2 epochs per second: a step takes ~0.5 s
    seen = progress_seen(window)
    window.controls.action_step.trigger()
    qtbot.waitUntil(lambda: rows(window) == 1, timeout=30000)
    qtbot.waitUntil(window.controls.action_step.isEnabled, timeout=30000)
    assert not window.controls.action_train.isChecked()
    assert seen.states, "the step sent no progress"
    assert not any(checked for _, _, checked in seen.states)
    assert window.controls.action_step.isEnabled()

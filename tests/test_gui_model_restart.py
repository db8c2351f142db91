"""A model process that dies: the window says so, keeps everything, and restarts it on request."""

from __future__ import annotations

import os
import signal

import numpy as np
import pytest
from conftest import MODEL_READY_TIMEOUT_MS
from helpers import epoch_rows, set_cell


def step_epochs(qtbot, window, count: int) -> None:  # type: ignore[no-untyped-def]
    for done in range(count):
        qtbot.waitUntil(window.controls.action_step.isEnabled, timeout=30000)
        window.controls.action_step.trigger()
        qtbot.waitUntil(lambda done=done: epoch_rows(window) == done + 1, timeout=30000)


def kill_model(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    process = window.host.worker._process
    os.kill(process.pid, signal.SIGKILL)
    qtbot.waitUntil(window.model_problem.isVisible, timeout=30000)


def test_a_killed_model_is_said_and_edits_do_not_pretend(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    """After the model dies, an edit is kept in its cell and the panels say they are stale
    (the cell said 7 while the bars still showed 2)."""
    kill_model(qtbot, window)
    assert "stopped unexpectedly" in window.model_problem.message
    assert window.action_restart_model.isEnabled()
    assert not window.controls.action_train.isEnabled()
    assert set_cell(window, 0, 7.0)
    assert window.inputs.values[0] == 7.0
    for panel in window.panels:
        assert panel.is_stale
        assert "Stale" in panel.footer_text
    assert window.panels[0].heights[0] == 2.0  # the old bars, said to be old


@pytest.mark.parametrize("epochs", [0, 2])
def test_restart_carries_on_from_the_last_finished_epoch(qtbot, window, epochs: int) -> None:  # type: ignore[no-untyped-def]
    """Restart keeps the inputs (including an edit made meanwhile), the settings and the
    history, and the new model carries on with the weights of the last finished epoch."""
    window.controls.seed.setValue(3)
    qtbot.waitUntil(lambda: window.controls.config.seed == 3, timeout=5000)
    step_epochs(qtbot, window, epochs)
    qtbot.waitUntil(window.controls.action_step.isEnabled, timeout=30000)
    before = window.last_trace
    kill_model(qtbot, window)
    assert set_cell(window, 1, 5.0)
    shown: list[float] = []
    window.trace_shown.connect(lambda trace: shown.append(trace.stages[0].values[1]))
    window.model_problem.restart_button.click()
    qtbot.waitUntil(
        lambda: window.is_model_ready and not window.panels[0].is_stale,
        timeout=MODEL_READY_TIMEOUT_MS,
    )
    qtbot.waitUntil(lambda: window.last_trace.stages[0].values[1] == 5.0, timeout=10000)
    assert set(shown) == {5.0}, "a trace of other inputs was shown after the restart"
    assert not window.model_problem.isVisible()
    assert epoch_rows(window) == epochs
    assert window.controls.config.seed == 3
    restored = window.last_trace
    for old, new in zip(before.stages[1:], restored.stages[1:], strict=True):
        np.testing.assert_array_equal(new.weight, old.weight)  # bit for bit
    step_epochs_from = epoch_rows(window)
    qtbot.waitUntil(window.controls.action_step.isEnabled, timeout=30000)
    window.controls.action_step.trigger()
    qtbot.waitUntil(lambda: epoch_rows(window) == step_epochs_from + 1, timeout=30000)
    numbers = [record.epoch for record in window.epochs.records]
    assert numbers == list(range(1, epochs + 2))  # the epochs carry on, none repeated


def test_restart_after_a_crash_mid_training_leaves_no_gap(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    """Killed while training flat out: the restarted model carries on from the last epoch the
    table shows, so the epoch numbers run on without a gap."""
    window.controls.pace.setCurrentIndex(window.controls.pace.findData(None))
    window.controls.action_train.trigger()
    qtbot.waitUntil(lambda: epoch_rows(window) >= 5, timeout=60000)
    kill_model(qtbot, window)
    shown = epoch_rows(window)
    window.model_problem.restart_button.click()
    qtbot.waitUntil(
        lambda: window.is_model_ready and not window.panels[0].is_stale,
        timeout=MODEL_READY_TIMEOUT_MS,
    )
    assert epoch_rows(window) == shown
    qtbot.waitUntil(window.controls.action_step.isEnabled, timeout=30000)
    window.controls.action_step.trigger()
    qtbot.waitUntil(lambda: epoch_rows(window) == shown + 1, timeout=30000)
    numbers = [record.epoch for record in window.epochs.records]
    assert numbers == list(range(1, shown + 2))


def test_a_setting_changed_while_the_model_is_down_starts_a_new_run(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    """The run starts over with the new setting: the old run's weights are not carried into
    it by the restart."""
    step_epochs(qtbot, window, 2)
    qtbot.waitUntil(window.controls.action_step.isEnabled, timeout=30000)
    kill_model(qtbot, window)
    combo = window.controls.task
    index = combo.findData("largest")
    combo.setCurrentIndex(index)
    combo.activated.emit(index)
    with qtbot.waitSignal(window.run_reset, timeout=MODEL_READY_TIMEOUT_MS) as reset:
        window.model_problem.restart_button.click()
    assert reset.args[0].config.task == "largest"
    assert epoch_rows(window) == 0
    for stage in window.last_trace.stages[1:]:
        np.testing.assert_array_equal(stage.weight, np.eye(4))


def test_a_restart_while_comparing_starts_every_run_over_with_the_same_pipelines(
    qtbot, window
) -> None:  # type: ignore[no-untyped-def]
    """A checkpoint holds run 0 only: after a restart the compared runs and the main one start
    over together, with the pipelines, target and inputs the learner had."""
    from model.config import Pipeline

    other = Pipeline(("GELU", "Tanh", "Softmax"))
    with qtbot.waitSignal(window.run_reset, timeout=MODEL_READY_TIMEOUT_MS):
        pick = window.picker.combos[0]
        pick.setCurrentIndex(pick.findData("SiLU"))
        pick.activated.emit(pick.currentIndex())
    with qtbot.waitSignal(window.run_reset, timeout=MODEL_READY_TIMEOUT_MS):
        window.setup.set_compare((other,))
    target = window.gradients.target
    target.setCurrentIndex(target.findData(3))
    target.activated.emit(target.currentIndex())
    step_epochs(qtbot, window, 1)
    kill_model(qtbot, window)
    with qtbot.waitSignal(window.run_reset, timeout=MODEL_READY_TIMEOUT_MS) as reset:
        window.model_problem.restart_button.click()
    assert reset.args[0].config.activations == ("SiLU", "Sigmoid", "Softmax")
    assert reset.args[0].compare == (other,)
    assert epoch_rows(window) == 0
    assert window.compare_table.isVisible()
    qtbot.waitUntil(lambda: window.last_trace.target == 3, timeout=10000)

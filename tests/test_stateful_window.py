"""A stateful property test: random sequences of what a learner (or a bad day) does to the real
window, with the real model process, and after every step the window still tells the truth.

Steps: cell edits with any text (numbers, garbage, ``nan``, ``1_000``, non-ASCII digits, huge
exponents, a thousand characters), undo and redo, train, step, reset, settings (absurd learning
rates included), pipelines, modes, save and open, and now and then a killed model process.

After every step, once the window has settled: the trace drawn is finite, its input is the
cells' and every later stage equals a numpy recomputation from those inputs and the weights the
model process holds now (taken from it as a snapshot); softmax sums to 1; no exception or Qt
warning (pytest-qt fails the test on either).

``ACTIVATION_LAB_STATEFUL_EXAMPLES`` runs more examples (the CI runs 200).
"""

from __future__ import annotations

import faulthandler
import os
import signal
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import numpy_reference as ref
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)
from PySide6.QtCore import QObject, Slot

from model.activations import HIDDEN_ACTIVATIONS
from model.config import DEFAULT_INPUTS, Pipeline, TrainingConfig
from model.modes import MODE_NAMES, PRESENTER
from tests.conftest import MODEL_READY_TIMEOUT_MS

EXAMPLES = int(os.environ.get("ACTIVATION_LAB_STATEFUL_EXAMPLES", "200"))
STEPS = 6
WAIT_MS = 60_000

_NUMBERS = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False).map(repr)
_ODD_TEXT = st.sampled_from(
    [
        "nan",
        "NaN",
        "inf",
        "-inf",
        "1_000",
        "1e400",
        "-1e-400",
        "1e6",
        "1000001",
        "٣",
        "\uff11\uff12"  # fullwidth digits,
        "Ⅻ",
        "0x10",
        "1,5",
        "−2.5",
        "2,000.5",
        "",
        " ",
        "--1",
        "1e",
        ".",
        "+.5",
        "9" * 1000,
        "é",
        "\u200b1",
        "1\n2",
        "12345678901234567890",
    ]
)
_CELL_TEXT = st.one_of(_NUMBERS, _ODD_TEXT, st.text(max_size=1000))
_LEARNING_RATES = st.sampled_from(
    ["0.05", "0.5", "5", "50", "100", "1e-6", "0", "-1", "101", "nan", "1e400", "abc", ""]
)
_PIPELINES = st.builds(
    lambda a, b, t: Pipeline((a, b, "Softmax"), t),
    st.sampled_from(HIDDEN_ACTIVATIONS),
    st.sampled_from(HIDDEN_ACTIVATIONS),
    st.sampled_from([1.0, 0.5, 2.0]),
)
_MODES = st.sampled_from([name for name in MODE_NAMES if name != PRESENTER])


class _Snapshots(QObject):
    """Receives the model's snapshots in the GUI thread (a plain callable would run in the
    model thread)."""

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.taken: list[Any] = []
        window.host.worker.snapshot_taken.connect(self.record)

    @Slot(object)
    def record(self, snapshot: Any) -> None:
        self.taken.append(snapshot)


def test_random_use_never_breaks_the_window(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    snapshots = _Snapshots(window)
    # Longer than pytest's faulthandler_timeout on a busy machine: no stack dump midway.
    faulthandler.cancel_dump_traceback_later()
    folder = Path(tempfile.mkdtemp(prefix="stateful-"))

    class LearnerAtTheWindow(RuleBasedStateMachine):
        @initialize()
        def start_from_the_defaults(self) -> None:
            _settle(qtbot, window, snapshots)
            window.state.mode = "explore"
            window.state.inputs = DEFAULT_INPUTS
            window.state.settings = TrainingConfig()
            # Each example starts from an untrained run: examples share one window, and a
            # failure's shortest example must not depend on the examples before it.
            _settle(qtbot, window, snapshots)
            window.controls.action_reset.trigger()
            qtbot.waitUntil(lambda: window.epochs.rowCount() == 0, timeout=WAIT_MS)
            window.menus.undo_history.clear()
            self.saved: Path | None = None
            _settle(qtbot, window, snapshots)

        @rule(column=st.integers(0, 3), text=_CELL_TEXT)
        def type_in_a_cell(self, column: int, text: str) -> None:
            before = window.inputs.values
            model = window.input_table.model()
            accepted = model.setData(model.index(0, column), text)
            if not accepted:
                assert window.inputs.values == before  # the previous value stays
                # Said where it is seen on every page (the message line under the cells
                # is on the pages that show the pipeline).
                assert window.statusBar().currentMessage().startswith("Refused:")
            else:
                assert window.inputs.values[column] == window.state.inputs[column]

        @rule()
        def undo(self) -> None:
            stack = window.menus.undo_history.stack
            if stack.canUndo():
                stack.undo()

        @rule()
        def redo(self) -> None:
            stack = window.menus.undo_history.stack
            if stack.canRedo():
                stack.redo()

        @rule()
        def train_a_little(self) -> None:
            seen = window.plots.batch_losses.appended
            window.controls.action_train.setChecked(True)
            qtbot.waitUntil(
                lambda: (
                    window.plots.batch_losses.appended > seen
                    or window.training_message.isVisible()
                    or not window.controls.action_train.isChecked()
                ),
                timeout=WAIT_MS,
            )

        @rule()
        def step_an_epoch(self) -> None:
            _settle(qtbot, window, snapshots)
            rows = window.epochs.rowCount()
            window.controls.action_step.trigger()
            qtbot.waitUntil(
                lambda: window.epochs.rowCount() > rows or window.training_message.isVisible(),
                timeout=WAIT_MS,
            )

        @rule()
        def reset(self) -> None:
            _settle(qtbot, window, snapshots)
            window.controls.action_reset.trigger()
            qtbot.waitUntil(lambda: window.epochs.rowCount() == 0, timeout=WAIT_MS)

        @rule(text=_LEARNING_RATES)
        def type_a_learning_rate(self, text: str) -> None:
            before = window.controls.config
            window.controls.learning_rate.setText(text)
            window.controls.learning_rate.editingFinished.emit()
            if window.controls.config == before:
                return
            qtbot.waitUntil(
                lambda: window.state.settings == window.controls.config, timeout=WAIT_MS
            )

        @rule(pipeline=_PIPELINES)
        def pick_a_pipeline(self, pipeline: Pipeline) -> None:
            window.setup.set_pipeline(pipeline)
            qtbot.waitUntil(lambda: window.state.pipeline == pipeline, timeout=WAIT_MS)

        @rule(mode=_MODES)
        def switch_mode(self, mode: str) -> None:
            window.state.mode = mode
            assert window.mode_stack.current_page is window.pages[mode]

        @rule()
        def save_then_open(self) -> None:
            _settle(qtbot, window, snapshots)
            path = folder / "session.json"
            saved: list[str] = []
            window.sessions.saved.connect(saved.append)
            window.sessions.save_to(path)
            qtbot.waitUntil(lambda: bool(saved), timeout=WAIT_MS)
            window.sessions.saved.disconnect(saved.append)
            records, inputs = window.epochs.records, window.state.inputs
            settings_before = window.state.settings
            opened: list[str] = []
            window.sessions.opened.connect(opened.append)
            assert window.sessions.open_file(path, ask=False)
            qtbot.waitUntil(lambda: bool(opened), timeout=WAIT_MS)
            window.sessions.opened.disconnect(opened.append)
            assert window.epochs.records == records
            assert window.state.inputs == inputs
            assert window.state.settings == settings_before

        @rule(draw=st.integers(0, 9))
        def kill_the_model(self, draw: int) -> None:
            # A killed process costs seconds to replace: about one time in ten. A middle value
            # kills, not 0: hypothesis favours boundaries and shrinks towards 0.
            if draw != 5:
                return
            _settle(qtbot, window, snapshots)
            inputs, config = window.state.inputs, window.state.settings
            finished = window.epochs.rowCount()
            os.kill(window.host.worker._process.pid, signal.SIGKILL)
            # The restart is offered in every mode: the menu action, and the status bar says
            # so (the problem bar is on the pages that show the training view).
            qtbot.waitUntil(window.action_restart_model.isEnabled, timeout=WAIT_MS)
            assert not window.is_model_ready
            assert "Restart the model" in window.statusBar().currentMessage()
            window.action_restart_model.trigger()
            qtbot.waitUntil(lambda: window.is_model_ready, timeout=MODEL_READY_TIMEOUT_MS)
            _settle(qtbot, window, snapshots)
            assert window.state.inputs == inputs
            assert window.state.settings == config
            assert window.epochs.rowCount() == finished  # the finished epochs are kept

        @invariant()
        def the_trace_shown_is_the_truth(self) -> None:
            _check_trace(qtbot, window, snapshots)

    LearnerAtTheWindow.TestCase.settings = settings(
        max_examples=EXAMPLES,
        stateful_step_count=STEPS,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize=bool(os.environ.get("CI")),
    )
    run_state_machine_as_test(LearnerAtTheWindow, settings=LearnerAtTheWindow.TestCase.settings)


def _settle(qtbot, window, snapshots: _Snapshots) -> Any:  # type: ignore[no-untyped-def]
    """Pause, wait for every answer, and return the model's snapshot of this moment."""
    window.controls.action_train.setChecked(False)
    try:
        qtbot.waitUntil(
            lambda: window.is_model_ready and window.controls.action_step.isEnabled(),
            timeout=WAIT_MS,
        )
    except Exception as error:
        controls = window.controls
        raise AssertionError(
            f"never settled: ready={window.is_model_ready} "
            f"train={controls.action_train.isChecked()}/{controls.action_train.isEnabled()} "
            f"step={controls.action_step.isEnabled()} reset={controls.action_reset.isEnabled()} "
            f"problem={window.model_problem.isVisible()} "
            f"message={window.training_message.text()[:200]!r} "
            f"status={window.statusBar().currentMessage()[:200]!r}"
        ) from error
    count = len(snapshots.taken)
    window.host.snapshot_requested.emit()
    qtbot.waitUntil(lambda: len(snapshots.taken) > count, timeout=WAIT_MS)
    return snapshots.taken[-1]


def _check_trace(qtbot, window, snapshots: _Snapshots) -> None:  # type: ignore[no-untyped-def]
    snapshot = _settle(qtbot, window, snapshots)
    weights = snapshot.state.weights
    inputs = window.inputs.values  # what the cells show
    assert inputs == window.state.inputs

    def shown_is_current() -> bool:
        trace = window.last_trace
        return (
            trace is not None
            and trace.stages[0].values == inputs
            and all(
                np.array_equal(stage.weight, w) and np.array_equal(stage.bias, b)
                for stage, (w, b) in zip(
                    trace.stages[1:], ref.layers_from_flat(weights), strict=True
                )
            )
        )

    qtbot.waitUntil(shown_is_current, timeout=WAIT_MS)
    trace = window.last_trace
    assert trace.is_finite()
    pipeline = snapshot.config.pipeline
    assert tuple(stage.name for stage in trace.stages[1:]) == pipeline.activations
    zs, outputs = ref.forward(
        ref.layers_from_flat(weights), pipeline.activations, np.array(inputs), pipeline.temperature
    )
    for stage, z, output in zip(trace.stages[1:], zs, outputs, strict=True):
        np.testing.assert_allclose(stage.pre_activation, z, rtol=1e-9, atol=1e-9)
        np.testing.assert_allclose(stage.values, output, rtol=1e-9, atol=1e-12)
    assert abs(sum(trace.stages[-1].values) - 1.0) < 1e-9
    assert replace(snapshot.config) == window.state.settings

"""The window opens as the learner left it: geometry, divider, mode, inputs, training settings
and pace come back through the state (which reaches the cells, the toolbar and the model); a
corrupt or hand-edited settings file never breaks it; an explicit mode wins; presenter mode and
an off-screen geometry never come back."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from typing import Any

import pytest
from conftest import MODEL_READY_TIMEOUT_MS
from PySide6.QtCore import QRect
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

import main
from gui.app_settings import app_settings, settings_path
from gui.restored_settings import (
    SMALLEST,
    WindowSettingsKeeper,
    clamped_geometry,
    restore_window_settings,
    save_window_settings,
)
from model.config import DEFAULT_INPUTS, TrainingConfig

RESTORED_INPUTS = (1.25, -0.75, 4.0, 0.0001234567)


def _hooked(window: Any) -> bool:
    """Whether the window restores by itself (the lead's hook in MainWindow.__init__)."""
    return window.findChild(WindowSettingsKeeper, "window_settings_keeper") is not None


@contextmanager
def opened_window(qtbot: QtBot, mode: str | None = None, restore: bool = True) -> Iterator[Any]:
    """A new window, restored as the app does it (whether or not the window's own hook is
    in yet), shown, its model ready; closed and its model thread stopped afterwards."""
    window = main.build_window(mode)
    qtbot.addWidget(window)
    if restore and not _hooked(window):
        restore_window_settings(window, mode)
    window.show()
    qtbot.waitUntil(
        lambda: window.is_model_ready and window.last_trace is not None,
        timeout=MODEL_READY_TIMEOUT_MS,
    )
    try:
        yield window
    finally:
        window.close()
        assert not window.host.model_thread.isRunning()


def test_what_the_learner_set_up_comes_back_and_reaches_the_model(qtbot: QtBot) -> None:
    with opened_window(qtbot) as window:
        window.setGeometry(QRect(20, 30, 1100, 720))
        window.state.inputs = RESTORED_INPUTS
        # A setting as the learner changes it: the toolbar, then the model's reset.
        field = window.controls.learning_rate
        with qtbot.waitSignal(window.run_reset, timeout=MODEL_READY_TIMEOUT_MS):
            field.setText("0.125")
            field.editingFinished.emit()
        with qtbot.waitSignal(window.run_reset, timeout=MODEL_READY_TIMEOUT_MS):
            window.controls.seed.setValue(7)
        window.controls.pace.setCurrentIndex(window.controls.pace.findData(None))
        window.state.mode = "gradients"
        splitter = window.pages["gradients"].splitter
        QApplication.processEvents()
        total = sum(splitter.sizes())
        # As a drag of the divider does; to the right: the panels have a minimum width.
        splitter.moveSplitter(total * 4 // 5, 1)
        share = splitter.sizes()[0] / sum(splitter.sizes())
        assert abs(share - 0.8) < 0.05
        geometry = window.geometry()
        assert save_window_settings(window)
    settings = app_settings()
    stored = [int(settings.value(f"window/{key}")) for key in ("x", "y", "width", "height")]
    assert stored == list(geometry.getRect())

    with opened_window(qtbot) as again:
        state = again.state
        assert state.inputs == RESTORED_INPUTS
        assert state.settings == replace(TrainingConfig(), learning_rate=0.125, seed=7)
        assert state.pace is None
        assert state.mode == "gradients"
        assert not state.presenting
        assert not again.findChild(QAction, "action_undo").isEnabled()  # nothing to undo
        # Clamped to the (800 px wide offscreen) screen; the window's own minimum width wins.
        expected = clamped_geometry(geometry)
        assert (again.geometry().y(), again.geometry().height()) == (expected.y(), 720)
        # The state reached the widgets and the model.
        assert again.inputs.values == RESTORED_INPUTS
        qtbot.waitUntil(
            lambda: tuple(again.last_trace.stages[0].values) == RESTORED_INPUTS, timeout=20000
        )
        qtbot.waitUntil(lambda: again.controls.learning_rate.text() == "0.125", timeout=20000)
        assert again.controls.seed.value() == 7
        assert again.controls.pace_value is None
        assert again.mode_stack.current_page is again.pages["gradients"]
        splitter = again.pages["gradients"].splitter
        qtbot.waitUntil(lambda: abs(splitter.sizes()[0] / sum(splitter.sizes()) - share) < 0.03)
        # Pages not moved keep their own divider (2 : 1).
        again.state.mode = "explore"
        qtbot.wait(50)
        sizes = again.pages["explore"].splitter.sizes()
        assert 0.6 < sizes[0] / sum(sizes) < 0.72


GARBAGE = {
    "window/x": "left",
    "window/y": "1e999",
    "window/width": "-5",
    "window/height": "nan",
    "window/maximized": "perhaps",
    "window/mode": "presenter",
    "splitters/explore": "2",
    "splitters/gradients": "[0.5]",
    "lab/inputs": "1, nan, 3, 4",
    "training/task": "nope",
    "training/seed": "-1",
    "training/optimizer": "Adamw",
    "training/learning_rate": "1e999",
    "training/batch_size": "3.5",
    "training/activations": "Softmax,ReLU,ReLU",
    "training/temperature": "0",
    "training/pace": "7",
}


def test_garbage_in_the_settings_file_leaves_every_default(qtbot: QtBot) -> None:
    settings = app_settings()
    for key, value in GARBAGE.items():
        settings.setValue(key, value)
    settings.sync()
    with settings_path().open("a", encoding="utf-8") as file:
        file.write("\n[lab\nthis is = = not ini\n\x00\x01binary\n")
    with opened_window(qtbot) as window:
        state = window.state
        assert state.inputs == DEFAULT_INPUTS
        assert state.settings == TrainingConfig()
        assert state.pace == 5.0
        assert state.mode == "explore"
        assert not state.presenting
        assert window.isVisible()
        assert not window.isMaximized()
        available = window.screen().availableGeometry()
        assert available.contains(window.geometry().topLeft())
        keeper = window.findChild(WindowSettingsKeeper, "window_settings_keeper")
        assert keeper is not None
        assert set(keeper.problems) >= set(GARBAGE) - {"window/mode"} - {"window/maximized"}
        assert "window/mode" in keeper.problems  # presenter is never restored
        # Said where the learner looks (restored again: the model's ready message followed).
        assert restore_window_settings(window) is keeper
        message = window.statusBar().currentMessage()
        assert "could not be read" in message
        for words in ("learning rate", "inputs", "window size", "the explore page's divider"):
            assert words in message


def test_a_file_that_is_not_ini_at_all_opens_with_defaults(qtbot: QtBot) -> None:
    settings_path().parent.mkdir(parents=True, exist_ok=True)
    settings_path().write_bytes(bytes(range(256)) * 8)
    with opened_window(qtbot) as window:
        assert window.state.inputs == DEFAULT_INPUTS
        assert window.state.settings == TrainingConfig()
        assert window.state.mode == "explore"


def test_good_values_survive_bad_neighbours(qtbot: QtBot) -> None:
    """A bad learning rate costs the learning rate, not the task and seed beside it."""
    settings = app_settings()
    for key, value in {
        "training/task": "clusters",
        "training/seed": "42",
        "training/learning_rate": "-3",
        "training/activations": "gelu, tanh, softmax",  # any case, as the command line
        "lab/inputs": "1, 2, 3",  # three: all four or nothing
        "window/mode": "quiz",
    }.items():
        settings.setValue(key, value)
    settings.sync()
    with opened_window(qtbot) as window:
        config = window.state.settings
        assert (config.task, config.seed) == ("clusters", 42)
        assert config.learning_rate == TrainingConfig().learning_rate
        assert config.activations == ("GELU", "Tanh", "Softmax")
        assert window.state.inputs == DEFAULT_INPUTS
        assert window.state.mode == "quiz"
        keeper = window.findChild(WindowSettingsKeeper, "window_settings_keeper")
        assert sorted(keeper.problems) == ["lab/inputs", "training/learning_rate"]


@pytest.mark.parametrize("asked", ["train", "presenter"])
def test_an_explicit_mode_wins_over_the_stored_one(qtbot: QtBot, asked: str) -> None:
    settings = app_settings()
    settings.setValue("window/mode", "quiz")
    settings.setValue("lab/inputs", "1, 2, 3, 4")
    settings.sync()
    with opened_window(qtbot, mode=asked) as window:
        assert window.state.inputs == (1.0, 2.0, 3.0, 4.0)  # the rest is restored
        if asked == "presenter":
            assert window.state.presenting
            assert window.state.mode != "quiz"  # the lesson's first step chose it
        else:
            assert window.state.mode == "train"
            assert not window.state.presenting
        window.state.presenting = False


def test_presenter_mode_is_never_stored_and_keeps_the_normal_geometry(qtbot: QtBot) -> None:
    with opened_window(qtbot) as window:
        window.setGeometry(QRect(10, 20, 1050, 700))
        QApplication.processEvents()
        normal = window.geometry()
        window.state.mode = "train"
        window.state.presenting = True
        qtbot.waitUntil(window.isFullScreen)
        assert window.state.mode == "explore"  # the lesson's first step
        # As closeEvent does: presenter mode ends (giving back the learner's mode), and
        # the settings are saved before the normal geometry is back on screen.
        window.state.presenting = False
        assert save_window_settings(window)
    settings = app_settings()
    assert settings.value("window/mode") == "train"
    stored = [int(settings.value(f"window/{key}")) for key in ("x", "y", "width", "height")]
    assert stored == [normal.x(), normal.y(), normal.width(), normal.height()]


def test_geometry_is_clamped_to_the_screen(qapp: QApplication) -> None:
    free = qapp.primaryScreen().availableGeometry()
    huge = clamped_geometry(QRect(-5000, 9000, 99999, 99999))
    assert huge == free
    small = clamped_geometry(QRect(free.right() + 500, free.top() + 10, 10, 10))
    assert free.contains(small)
    assert small.size().toTuple() == SMALLEST
    inside = QRect(free.left() + 5, free.top() + 5, 400, 250)
    assert clamped_geometry(inside) == inside

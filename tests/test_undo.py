"""Undo and Redo of the learner's changes: input cells, training settings, pace. Each step
writes the old value back through the state (cells, toolbar and model follow) without being
recorded again; the menu names the change; Ctrl+Z works with the keyboard in the cells."""

from __future__ import annotations

from typing import Any

from conftest import MODEL_READY_TIMEOUT_MS
from helpers import set_cell
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu
from pytestqt.qtbot import QtBot

from gui.shortcuts_dialog import plain_text
from gui.undo_history import MERGE_SECONDS, UndoHistory
from model.config import DEFAULT_INPUTS

CTRL = Qt.KeyboardModifier.ControlModifier


def history(window: Any) -> UndoHistory:
    """The window's undo history (WindowMenus makes it)."""
    found = window.findChild(UndoHistory, "undo_history")
    assert found is not None
    return found


def action(window: Any, name: str) -> QAction:
    found = window.findChild(QAction, name)
    assert found is not None, name
    return found


def traced_inputs(window: Any) -> tuple[float, ...]:
    return tuple(window.last_trace.stages[0].values)


def test_an_input_edit_is_undone_and_redone_through_the_state(qtbot: QtBot, window: Any) -> None:
    undo, redo = action(window, "action_undo"), action(window, "action_redo")
    assert not undo.isEnabled()
    assert not redo.isEnabled()
    assert set_cell(window, 1, "4")
    assert window.state.inputs == (2.0, 4.0, 0.5, 3.0)
    assert undo.isEnabled()
    assert plain_text(undo.text()) == "Undo input x₂ −1 → 4"

    undo.trigger()
    assert window.state.inputs == DEFAULT_INPUTS
    assert window.inputs.values == DEFAULT_INPUTS  # the cells follow the state
    qtbot.waitUntil(lambda: traced_inputs(window) == DEFAULT_INPUTS, timeout=10000)  # the model
    assert not undo.isEnabled()
    assert plain_text(redo.text()) == "Redo input x₂ −1 → 4"
    assert history(window).stack.count() == 1  # the write-back was not recorded again

    redo.trigger()
    assert window.state.inputs == (2.0, 4.0, 0.5, 3.0)
    qtbot.waitUntil(lambda: traced_inputs(window) == (2.0, 4.0, 0.5, 3.0), timeout=10000)


def test_typed_numbers_are_separate_steps(window: Any) -> None:
    """Each number confirmed with Enter is a step of its own (never merged)."""
    for text in ("4", "5", "6"):
        assert set_cell(window, 0, text)
    stack = history(window).stack
    assert stack.count() == 3
    assert [stack.text(i) for i in range(3)] == [
        "input x₁ 2 → 4",
        "input x₁ 4 → 5",
        "input x₁ 5 → 6",
    ]
    undo = action(window, "action_undo")
    undo.trigger()
    undo.trigger()
    assert window.state.inputs[0] == 4.0


def test_a_setting_change_is_undone_by_restarting_with_the_old_one(
    qtbot: QtBot, window: Any
) -> None:
    field = window.controls.learning_rate
    with qtbot.waitSignal(window.run_reset, timeout=MODEL_READY_TIMEOUT_MS):
        field.setText("0.5")
        field.editingFinished.emit()
    assert window.state.settings.learning_rate == 0.5
    undo = action(window, "action_undo")
    assert plain_text(undo.text()) == "Undo learning rate 0.05 → 0.5 (starts the run over)"
    with qtbot.waitSignal(window.run_reset, timeout=MODEL_READY_TIMEOUT_MS) as reset:
        undo.trigger()
    assert reset.args[0].config.learning_rate == 0.05  # the model restarted with the old one
    assert window.state.settings.learning_rate == 0.05
    assert window.controls.learning_rate.text() == "0.05"
    assert history(window).stack.count() == 1
    assert plain_text(action(window, "action_redo").text()).startswith(
        "Redo learning rate 0.05 → 0.5"
    )


def test_a_burst_on_one_setting_is_one_step(qtbot: QtBot, window: Any) -> None:
    """The seed's arrows clicked three times: one step, "seed 0 → 3"; back to where it
    started, no step at all."""
    for seed in (1, 2, 3):
        with qtbot.waitSignal(window.run_reset, timeout=MODEL_READY_TIMEOUT_MS):
            window.controls.seed.setValue(seed)
    stack = history(window).stack
    assert stack.count() == 1, [stack.text(i) for i in range(stack.count())]
    assert stack.text(0) == "seed 0 → 3 (starts the run over)"
    with qtbot.waitSignal(window.run_reset, timeout=MODEL_READY_TIMEOUT_MS):
        window.controls.seed.setValue(0)
    assert stack.count() == 0  # 0 → 3 → 0 is nothing to undo
    assert MERGE_SECONDS < 5


def test_pace_changes_are_undone(window: Any) -> None:
    pace = window.controls.pace
    pace.setCurrentIndex(pace.findData(None))
    assert window.state.pace is None
    undo = action(window, "action_undo")
    assert plain_text(undo.text()) == "Undo speed 5 epochs/s → Full speed"
    undo.trigger()
    assert window.state.pace == 5.0
    assert window.controls.pace_value == 5.0


def test_ctrl_z_with_the_keyboard_in_the_cells_undoes(qtbot: QtBot, window: Any) -> None:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)
    table = window.input_table
    cell = table.visualRect(table.model().index(0, 2)).center()
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=cell)
    qtbot.waitUntil(table.hasFocus, timeout=5000)
    assert set_cell(window, 2, "7")
    assert table.hasFocus()
    qtbot.keyClick(table, Qt.Key.Key_Z, CTRL)
    assert window.state.inputs == DEFAULT_INPUTS
    assert table.state() != table.State.EditingState  # Ctrl+Z did not start editing a cell
    qtbot.keyClick(table, Qt.Key.Key_Z, CTRL | Qt.KeyboardModifier.ShiftModifier)
    assert window.state.inputs == (2.0, -1.0, 7.0, 3.0)
    qtbot.keyClick(table, Qt.Key.Key_Z, CTRL)
    assert window.state.inputs == DEFAULT_INPUTS
    qtbot.keyClick(table, Qt.Key.Key_Y, CTRL)  # the other common Redo key
    assert window.state.inputs == (2.0, -1.0, 7.0, 3.0)


def test_clear_forgets_every_step(window: Any) -> None:
    assert set_cell(window, 3, "1")
    undo_history = history(window)
    undo_history.clear()
    assert undo_history.stack.count() == 0
    assert not action(window, "action_undo").isEnabled()
    assert set_cell(window, 3, "2")  # recorded from the state as it is now
    assert undo_history.stack.text(0) == "input x₄ 1 → 2"


def test_the_edit_menu_sits_between_file_and_training(window: Any) -> None:
    titles = [a.text() for a in window.menuBar().actions()]
    assert titles[:3] == ["&File", "&Edit", "&Training"]
    edit = window.menus.edit_menu
    assert isinstance(edit, QMenu)
    assert [a.objectName() for a in edit.actions()] == ["action_undo", "action_redo"]
    assert window.menus.file_menu.title() == "&File"
    keys = [k.toString() for k in action(window, "action_undo").shortcuts()]
    assert "Ctrl+Z" in keys

"""Keys, as a learner presses them: real key events through Qt's shortcut map, not properties.

The real X server versions of these (where Ctrl+Q was ambiguous) are in test_desktop.py.
"""

from __future__ import annotations

from collections import Counter

from helpers import epoch_rows, progress_seen
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QAbstractItemView, QApplication


def focus_window(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)


def test_no_key_is_bound_twice(window) -> None:  # type: ignore[no-untyped-def]
    """No action lists a key twice, and no two actions share one: an ambiguous key does
    nothing at all (Ctrl+Q, bound as Ctrl+Q and as the standard Quit key, did nothing on X11)."""
    keys: list[str] = []
    for action in window.findChildren(QAction):
        own = [shortcut.toString() for shortcut in action.shortcuts() if not shortcut.isEmpty()]
        assert len(own) == len(set(own)), f"{action.objectName()} has a key twice: {own}"
        keys += own
    shared = [key for key, count in Counter(keys).items() if count > 1]
    assert shared == [], f"keys bound to more than one action: {shared}"
    assert "Ctrl+Q" in keys  # the positive: the keys are really read


def test_ctrl_q_key_press_closes_the_window(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    """Pressing Ctrl+Q (a key event, not the action) closes the window and stops the model."""
    focus_window(qtbot, window)
    qtbot.keyClick(window.input_table, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=10000)
    assert not window.host.model_thread.isRunning()


def test_space_trains_and_pauses_from_the_pipeline(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    """Space on the input cells starts training; Space again pauses it.

    The learner clicks a cell, then presses Space: the key goes to whatever has the keyboard
    (the table, which would otherwise start editing the cell with a space), and only the
    Train action's shortcut may take it.
    """
    focus_window(qtbot, window)
    table = window.input_table
    cell = table.visualRect(table.model().index(0, 1)).center()
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=cell)
    qtbot.waitUntil(table.hasFocus, timeout=5000)
    values = [table.model().index(0, c).data() for c in range(table.model().columnCount())]
    train = window.controls.action_train
    seen = progress_seen(window)
    assert not train.isChecked()
    assert epoch_rows(window) == 0

    focused = QApplication.focusWidget()
    assert focused is not None
    qtbot.keyClick(focused, Qt.Key.Key_Space)
    assert train.isChecked(), f"Space on {focused.objectName() or focused} did not press Train"
    qtbot.waitUntil(lambda: epoch_rows(window) >= 1, timeout=30000)
    assert table.hasFocus(), "Space took the keyboard away from the cells"
    assert table.state() != QAbstractItemView.State.EditingState, "Space opened the cell editor"

    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Space)
    assert not train.isChecked(), "Space again did not pause"
    # Paused for real: the model process says it has stopped training (not running, not
    # stepping), and the button agrees.
    qtbot.waitUntil(lambda: seen.states[-1:] == [(False, False, False)], timeout=10000)
    assert table.state() != QAbstractItemView.State.EditingState
    assert [table.model().index(0, c).data() for c in range(len(values))] == values


def test_f5_trains_even_while_a_text_field_has_the_focus(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    """In the learning-rate field Space types a space (it is a text field); F5 still trains."""
    focus_window(qtbot, window)
    field = window.controls.learning_rate
    field.setFocus()
    qtbot.waitUntil(field.hasFocus, timeout=5000)
    train = window.controls.action_train
    qtbot.keyClick(field, Qt.Key.Key_Space)
    assert not train.isChecked()
    qtbot.keyClick(field, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: train.isChecked() and epoch_rows(window) >= 1, timeout=30000)
    qtbot.keyClick(field, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: not train.isChecked(), timeout=5000)


def test_enter_applies_the_learning_rate_and_gives_the_keyboard_back(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    """Typing a rate and Enter applies it, then the focus returns to the pipeline, where Space
    trains instead of typing a space into the field."""
    focus_window(qtbot, window)
    field = window.controls.learning_rate
    field.setFocus()
    field.selectAll()
    qtbot.keyClicks(field, "0.1")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert window.controls.config.learning_rate == 0.1
    qtbot.waitUntil(window.input_table.hasFocus, timeout=5000)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Space)
    qtbot.waitUntil(window.controls.action_train.isChecked, timeout=5000)
    assert field.text() == "0.1"
    window.controls.action_train.trigger()


def test_picking_a_task_gives_the_keyboard_back(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    """After choosing from a list, the pipeline has the focus again."""
    focus_window(qtbot, window)
    combo = window.controls.task
    combo.setFocus()
    index = combo.findData("largest")
    combo.setCurrentIndex(index)
    combo.activated.emit(index)
    qtbot.waitUntil(window.input_table.hasFocus, timeout=5000)


def test_the_train_button_keeps_its_width_as_it_becomes_pause(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    """The toolbar does not shift when "Train" turns into "Pause"."""
    controls = window.controls
    button = controls.widgetForAction(controls.action_train)
    layout_before = [controls.widgetForAction(a).x() for a in (controls.action_step,)]
    width = button.width()
    controls.action_train.trigger()
    qtbot.waitUntil(lambda: controls.action_train.text() == "Pause", timeout=5000)
    QApplication.processEvents()  # the toolbar relays out in a posted event
    assert button.width() == width
    assert [controls.widgetForAction(a).x() for a in (controls.action_step,)] == layout_before
    controls.action_train.trigger()

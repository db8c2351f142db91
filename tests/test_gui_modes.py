"""The shell and its nine modes: one window, one model, one state; pages arrange live widgets.

Keys are real key events through Qt's shortcut map. Every page is opened and checked for
what it shows; the shared views move into the page shown, never copied.
"""

from __future__ import annotations

import pytest
from helpers import run_python, set_cell
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel

from gui import theme
from model.modes import MODE_NAMES, PRESENTER

PAGE_MODES = [name for name in MODE_NAMES if name != PRESENTER]


def focus_window(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)


def test_every_mode_opens_its_page_with_the_live_numbers(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    """Each mode's page becomes current, is visible, and its key insight has a fixed lesson
    and a live sentence computed from the trace shown."""
    assert window.mode_stack.current_page.mode_name == "explore"
    for name in PAGE_MODES:
        window.mode_bar.actions_by_name[name].trigger()
        page = window.mode_stack.current_page
        assert page.mode_name == name
        assert window.state.mode == name
        qtbot.waitUntil(page.isVisible, timeout=5000)
        assert page.objectName() == f"mode_{name}"
        assert page.insight.fixed_label.text().startswith("<b>Key insight.</b> ")
        assert len(page.insight.fixed_label.text()) > 40
        assert window.mode_bar.actions_by_name[name].isChecked()
    window.mode_bar.actions_by_name["explore"].trigger()
    assert "x₂" in window.pages["explore"].insight.live_text  # ReLU turned x₂ = −1 into 0


def test_the_shared_views_move_into_the_page_shown(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    """No copies: the one pipeline view and the one training view change pages."""
    pipeline, training = window.pipeline, window.training
    homes = {
        "explore": (pipeline, training),
        "compare": (pipeline, training),
        "train": (training,),
        "predict": (pipeline,),
        "gradients": (pipeline,),
    }
    for name, shared in homes.items():
        window.state.mode = name
        page = window.pages[name]
        for widget in shared:
            assert page.isAncestorOf(widget), f"{name} does not show {widget.objectName()}"
            qtbot.waitUntil(widget.isVisible, timeout=5000)
    window.state.mode = "quiz"
    assert not pipeline.isVisible()
    assert not training.isVisible()


def test_a_hidden_page_catches_up_with_the_newest_trace_when_shown(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    """An edit made in explore reaches the predict page's verdict when it opens."""
    set_cell(window, 0, -5.0)
    qtbot.waitUntil(
        lambda: window.last_trace is not None and window.last_trace.stages[0].values[0] == -5.0,
        timeout=10000,
    )
    window.state.mode = "predict"
    path = window.pages["predict"].verdict.findChild(QLabel, "prediction_path")
    assert "−5" in path.text()
    assert window.pages["predict"].insight.live_text != ""


def test_gradients_and_compare_pages_show_their_views_and_give_them_back(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    """The gradients page shows the gradient bars, the compare page the curves; leaving puts
    the learner's own choice back."""
    gradients = window.gradients.action_show_gradients
    curves = window.pipeline.action_show_curves
    assert not gradients.isChecked()
    assert not curves.isChecked()
    window.state.mode = "gradients"
    assert gradients.isChecked()
    assert window.pages["gradients"].report.findings
    window.state.mode = "compare"
    assert curves.isChecked()
    assert not gradients.isChecked()
    window.state.mode = "explore"
    assert not curves.isChecked()


def test_number_keys_switch_modes_and_alt_digits_work_from_the_cells(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    """Keys 1–8 open the modes; in the input cells a digit is a number typed, so Alt+digit
    switches there."""
    focus_window(qtbot, window)
    window.state.mode = "quiz"
    page = window.pages["quiz"]
    page.setFocus()
    qtbot.keyClick(page, Qt.Key.Key_4)
    qtbot.waitUntil(lambda: window.state.mode == "train", timeout=5000)
    qtbot.keyClick(window.pages["train"], Qt.Key.Key_2)
    qtbot.waitUntil(lambda: window.state.mode == "step", timeout=5000)
    window.state.mode = "explore"
    window.input_table.setFocus()
    qtbot.waitUntil(window.input_table.hasFocus, timeout=5000)
    qtbot.keyClick(window.input_table, Qt.Key.Key_5, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: window.state.mode == "predict", timeout=5000)


def test_a_digit_typed_into_a_cell_is_a_number_not_a_mode(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    focus_window(qtbot, window)
    window.input_table.setFocus()
    window.input_table.setCurrentIndex(window.inputs.index(0, 0))
    qtbot.waitUntil(window.input_table.hasFocus, timeout=5000)
    qtbot.keyClick(window.input_table, Qt.Key.Key_7)
    editor = QApplication.focusWidget()
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.inputs.values[0] == 7.0, timeout=5000)
    assert window.state.mode == "explore"
    assert window.state.inputs[0] == 7.0


def test_presenter_mode_from_the_keyboard_alone(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    """9 enters: full screen, type ≥ 1.6× larger, toolbars hidden, the lesson on top.
    PageDown / PageUp step through the lesson (each step opens its mode); Esc leaves and
    everything comes back."""
    focus_window(qtbot, window)
    base = theme.points(10)
    presenter = window.presenter
    qtbot.keyClick(window.mode_stack.current_page, Qt.Key.Key_9)
    qtbot.waitUntil(lambda: window.state.presenting, timeout=5000)
    assert window.isFullScreen() or window.windowState() & Qt.WindowState.WindowFullScreen
    assert theme.points(10) >= 1.6 * base - 1e-9
    assert not window.controls.isVisible()
    assert presenter.bar.isVisible()
    lesson = presenter.cursor.lesson
    assert window.state.mode == lesson.steps[0].mode
    for number in range(1, 4):
        qtbot.keyClick(window.mode_stack.current_page, Qt.Key.Key_PageDown)
        qtbot.waitUntil(lambda n=number: presenter.cursor.index == n, timeout=5000)
        assert window.state.mode == lesson.steps[number].mode
    qtbot.keyClick(window.mode_stack.current_page, Qt.Key.Key_PageUp)
    qtbot.waitUntil(lambda: presenter.cursor.index == 2, timeout=5000)
    assert window.state.mode == lesson.steps[2].mode
    qtbot.keyClick(window.mode_stack.current_page, Qt.Key.Key_3)
    qtbot.waitUntil(lambda: window.state.mode == "compare", timeout=5000)
    assert window.state.presenting  # modes switch inside presenter mode
    qtbot.keyClick(window.mode_stack.current_page, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not window.state.presenting, timeout=5000)
    assert theme.points(10) == pytest.approx(base)
    assert window.controls.isVisible()
    assert not presenter.bar.isVisible()
    assert not window.isFullScreen()
    assert window.state.mode == "explore"  # the mode before presenting comes back


def test_space_trains_in_presenter_mode(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    focus_window(qtbot, window)
    window.state.presenting = True
    train = window.controls.action_train
    qtbot.keyClick(window.mode_stack.current_page, Qt.Key.Key_Space)
    qtbot.waitUntil(train.isChecked, timeout=5000)
    qtbot.keyClick(window.mode_stack.current_page, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: not train.isChecked(), timeout=5000)
    window.state.presenting = False


def test_build_window_opens_in_the_mode_asked(qtbot) -> None:  # type: ignore[no-untyped-def]
    import main

    window = main.build_window("code")
    qtbot.addWidget(window)
    assert window.mode_stack.current_page.mode_name == "code"
    window.close()
    with pytest.raises(ValueError, match="explore, step, compare, train"):
        main.build_window("slides")


def test_an_unknown_mode_on_the_command_line_exits_2_naming_the_modes() -> None:
    result = run_python("main.py", "--mode", "slides")
    assert result.returncode == 2
    assert "unknown mode 'slides'" in result.stderr
    for name in MODE_NAMES:
        assert name in result.stderr
    assert result.stdout == ""


def test_screenshot_honours_mode(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """``--mode NAME --screenshot PATH`` renders that mode's page: the step and quiz pictures
    differ from each other in most of their pixels (an ignored --mode gave explore twice)."""
    from PySide6.QtGui import QImage

    images = {}
    for mode in ("step", "quiz"):
        path = tmp_path / f"{mode}.png"
        result = run_python("main.py", "--mode", mode, "--screenshot", str(path), timeout=180)
        assert result.returncode == 0, result.stderr
        images[mode] = QImage(str(path))
        assert (images[mode].width(), images[mode].height()) == (1280, 800)
    step, quiz = images["step"], images["quiz"]
    differing = sum(
        step.pixel(x, y) != quiz.pixel(x, y) for x in range(0, 1280, 16) for y in range(0, 800, 16)
    )
    assert differing > 0.05 * (1280 // 16) * (800 // 16)


def test_state_written_from_outside_reaches_the_widgets_and_the_model(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    """The state leads: inputs, pace and settings written to it (as a lesson or a session
    would) show in the cells, the speed list and the toolbar, and reach the model."""
    from dataclasses import replace

    window.state.inputs = (1.0, 2.0, -3.0, 4.0)
    assert window.inputs.values == (1.0, 2.0, -3.0, 4.0)
    qtbot.waitUntil(
        lambda: window.last_trace.stages[0].values == (1.0, 2.0, -3.0, 4.0), timeout=20000
    )
    window.state.pace = None
    assert window.controls.pace_value is None
    window.state.settings = replace(window.state.settings, learning_rate=0.5, seed=7)
    assert window.setup.config.learning_rate == 0.5  # asked of the model at once
    qtbot.waitUntil(lambda: window.controls.config.seed == 7, timeout=20000)  # taken
    assert window.controls.learning_rate.text() == "0.5"
    assert window.controls.seed.value() == 7


def test_an_unchanged_cell_does_not_stop_training_frames(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    """Enter on a cell without changing it sends nothing to the model, so nothing waits
    for an answer: training keeps drawing its epochs."""
    from helpers import epoch_rows

    assert set_cell(window, 0, window.inputs.values[0])
    window.controls.action_train.trigger()
    qtbot.waitUntil(lambda: epoch_rows(window) >= 2, timeout=30000)
    window.controls.action_train.trigger()
    qtbot.waitUntil(lambda: not window.controls.action_train.isChecked(), timeout=5000)


def test_the_keyboard_goes_back_to_the_page_shown_not_to_hidden_cells(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    """After Enter in the learning-rate field on the train page the page has the keyboard
    (the explore page's cells are hidden there): the next 1 switches to explore."""
    focus_window(qtbot, window)
    window.state.mode = "train"
    field = window.controls.learning_rate
    field.setFocus()
    qtbot.waitUntil(field.hasFocus, timeout=5000)
    field.selectAll()
    qtbot.keyClicks(field, "0.1")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    qtbot.waitUntil(
        lambda: (
            window.pages["train"].isAncestorOf(QApplication.focusWidget())
            or QApplication.focusWidget() is window.pages["train"]
        ),
        timeout=5000,
    )
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_1)
    qtbot.waitUntil(lambda: window.state.mode == "explore", timeout=5000)
    assert window.inputs.values[0] == 2.0


def test_the_stack_is_as_large_as_the_page_shown(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    """A stack is as large as its largest page, hidden ones too: after the step page had been
    shown, presenter mode's explore page at 1024×700 was 842 px tall in a 430 px view, and
    the room saw only the tops of the bars. Now the page shown alone sets the size."""
    from model.modes import MODE_NAMES

    for name in MODE_NAMES[:-1]:  # the last is presenter mode, not a page
        window.state.mode = name
        qtbot.waitUntil(lambda n=name: window.mode_stack.current_page.mode_name == n, timeout=5000)
    window.state.mode = "explore"
    window.state.presenting = True
    frame = window.page_frame
    page = window.mode_stack.current_page
    try:
        qtbot.waitUntil(lambda: frame.scrolling, timeout=5000)
        needed = max(frame.viewport().height(), page.minimumSizeHint().height())
        qtbot.waitUntil(lambda: frame.widget().height() <= needed + 1, timeout=5000)
        assert window.mode_stack.minimumSizeHint() == page.minimumSizeHint().expandedTo(
            page.minimumSize()
        )
    finally:
        window.state.presenting = False

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


@pytest.mark.parametrize("mode", ["step", "quiz"])
def test_screenshot_honours_mode(tmp_path, mode: str) -> None:  # type: ignore[no-untyped-def]
    """``--mode NAME --screenshot PATH`` renders that mode's page."""
    from PySide6.QtGui import QImage

    path = tmp_path / f"{mode}.png"
    result = run_python("main.py", "--mode", mode, "--screenshot", str(path), timeout=180)
    assert result.returncode == 0, result.stderr
    image = QImage(str(path))
    assert (image.width(), image.height()) == (1280, 800)


def test_a_lesson_step_sets_up_what_it_shows(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    """Stepping onto a lesson step applies its set-up: inputs, pipeline, gradient bars,
    curves, learning rate; the run the new settings start is shown."""
    presenter = window.presenter
    steps = presenter.cursor.lesson.steps
    vanishing = next(i for i, s in enumerate(steps) if s.title == "Vanishing gradients")
    window.state.presenting = True
    presenter.cursor.go_to(vanishing - 1)
    presenter.next_step()
    step = steps[vanishing]
    qtbot.waitUntil(lambda: window.state.pipeline.activations == step.activations, timeout=20000)
    assert window.state.inputs == step.inputs
    assert window.gradients.action_show_gradients.isChecked() is step.gradients
    assert window.pipeline.curves_visible is step.curves
    assert window.state.mode == step.mode
    qtbot.waitUntil(
        lambda: window.last_trace is not None and window.last_trace.stages[0].values == step.inputs,
        timeout=20000,
    )
    steep = next(i for i, s in enumerate(steps) if s.learning_rate is not None)
    presenter.cursor.go_to(steep - 1)
    presenter.next_step()
    qtbot.waitUntil(
        lambda: window.state.settings.learning_rate == steps[steep].learning_rate, timeout=20000
    )
    window.state.presenting = False

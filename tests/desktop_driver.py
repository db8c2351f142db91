"""Drive the real app on a real X server, as a learner would: real key presses, real screenshots.

Run under an X server (Xvfb) without ``QT_QPA_PLATFORM``: ``python tests/desktop_driver.py
SCENARIO [OUTDIR]``. The app starts through ``main.main([])``, exactly as ``python main.py``
starts it (platform check, Ctrl+C handling, fonts for the screen); this script only schedules
its steps on the app's own event loop. Keys go through the X server with ``xdotool`` (XTEST),
so they meet Qt's real shortcut map: the offscreen platform has no standard Quit key, and so
never showed that Ctrl+Q was bound twice and did nothing on X11. Screenshots of the whole
screen are taken with ImageMagick's ``import``.

Scenarios:
  keys     Enter applies a typed learning rate and gives the keyboard back; Space and F5
           train and pause; F5 works inside a text field; Ctrl+Q quits while training.
  sigint   starts training, prints "STATE training", and waits for Ctrl+C (SIGINT).
  review   screenshots and layout checks: idle, edited, training, diverged, reset, model
           killed (stale), model restarted, part 4's pipelines and comparison, every mode,
           presenter mode, the dark palette and the unsaved-work question; PNGs into OUTDIR.
  check    the same states and checks without the pictures (what the test suite runs).

Prints one line ``RESULT {json}`` at the end; exit code is the app's.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from layout_checks import layout_problems, plot_label_problems  # noqa: E402
from PySide6.QtCore import QTimer, QtMsgType, qInstallMessageHandler  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402
from scenario_runner import ScenarioRunner, Wait  # noqa: E402

import main  # noqa: E402

#: Longest wait for any one state (the model process imports torch on a busy machine).
STEP_TIMEOUT_S = 90.0

results: dict[str, Any] = {"qt_messages": [], "failures": [], "checks": {}}


def _on_qt_message(kind: QtMsgType, context: object, text: str) -> None:
    del context
    if kind != QtMsgType.QtDebugMsg:
        results["qt_messages"].append(text)
    print(f"qt: {text}", file=sys.stderr)


def xdotool(*args: str) -> None:
    """Send input through the X server (XTEST), like a keyboard would."""
    subprocess.run(["xdotool", *args], check=True, timeout=30)


def press(*keys: str) -> None:
    """Press keys, one after the other (xdotool names: space, F5, ctrl+q, Return)."""
    xdotool("key", "--delay", "60", *keys)


def type_text(text: str) -> None:
    """Type ``text`` key by key."""
    xdotool("type", "--delay", "40", "--", text)


def screenshot(path: Path) -> None:
    """The whole screen, as the learner sees it."""
    subprocess.run(
        ["import", "-window", "root", "-display", os.environ["DISPLAY"], str(path)],
        check=True,
        timeout=60,
    )


def focus(window: Any) -> None:
    """Give the window the keyboard focus (there is no window manager to do it)."""
    window.activateWindow()
    xdotool("windowfocus", "--sync", str(int(window.winId())))


def rows(window: Any) -> int:
    return int(window.epochs.rowCount())


def count(signal_instance: Any) -> list[int]:
    """A counter of ``signal_instance``'s emissions: ``[n]``, kept up to date."""
    seen = [0]

    def add(*_: object) -> None:
        seen[0] += 1

    signal_instance.connect(add)
    return seen


def check_layout(window: Any, state: str) -> None:
    """Record what a learner would see wrong in this state (cut text, numbers, overflow)."""
    screen = window.screen().geometry()
    frame = window.frameGeometry()
    if not window.pipeline.isVisible():  # a page without the panels: words and edges only
        problems = layout_problems(window)
        if not screen.contains(frame):
            problems.append(f"the window {frame.getRect()} runs off the screen {screen.getRect()}")
        results["checks"][state] = problems
        return
    bars = {panel.objectName(): panel.label_item for panel in window.panels}
    weights = {heatmap.objectName(): heatmap.label_item for heatmap in window.heatmaps}
    screen = window.screen().geometry()
    frame = window.frameGeometry()
    roomy = screen.height() >= 800
    # Every bar's value, always; the z row under the bars and the weights in their cells from
    # 1280×800 on (on a small laptop they may hide rather than lose digits: the data-flow
    # table has them, and pointing at a cell tells its weight).
    problems = layout_problems(window) + plot_label_problems(bars, all_muted_shown=roomy)
    if window.pipeline.curves_visible:
        pass  # the curve widgets place their own numbers (tests/test_gui_activation_curve.py)
    else:
        problems += plot_label_problems(weights, all_shown=roomy)
    if window.panels[0].gradients_visible:
        gradients = {p.gradient_plot.objectName(): p.gradient_label_item for p in window.panels}
        problems += plot_label_problems(gradients)
    if not screen.contains(frame):
        problems.append(f"the window {frame.getRect()} runs off the screen {screen.getRect()}")
    results["checks"][state] = problems


# Scenarios -------------------------------------------------------------------------------------


def ready(window: Any) -> Wait:
    def answered() -> bool:
        if window.model_problem.isVisible():
            raise RuntimeError(f"the model failed: {window.model_problem.message}")
        return bool(window.is_model_ready and window.last_trace is not None)

    return ("the model ready", answered)


def scenario_keys(window: Any, outdir: Path | None) -> Iterator[Wait]:
    del outdir
    yield ready(window)
    focus(window)
    controls = window.controls
    resets = count(window.run_reset)
    retype(controls.learning_rate, "0.1")
    yield ("the typed rate applied", lambda: controls.config.learning_rate == 0.1)
    focused = QApplication.focusWidget()
    results["focus_after_enter"] = focused.objectName() if focused else None
    yield ("the new run the rate starts", lambda: resets[0] == 1)
    press("space")
    yield (
        "Space to start training",
        lambda: controls.action_train.isChecked() and rows(window) >= 1,
    )
    results["space_trains"] = True
    press("space")
    yield ("Space to pause", lambda: not controls.action_train.isChecked())
    results["space_pauses"] = True
    controls.learning_rate.setFocus()
    yield ("the learning-rate field to have the keyboard", controls.learning_rate.hasFocus)
    press("F5")
    yield ("F5 in a text field to train", controls.action_train.isChecked)
    results["f5_in_field_trains"] = True
    # Training took the keyboard back from the field: the next Space pauses, not types.
    results["keyboard_back_on_train"] = not controls.learning_rate.hasFocus()
    trained = rows(window)
    yield ("training to go on", lambda: rows(window) > trained)
    results["quit_while_training"] = controls.action_train.isChecked()
    press("ctrl+q")
    yield ("the unsaved-training question", lambda: unsaved_question() is not None)
    focus(unsaved_question())  # no window manager gives the new box the keyboard
    press("Escape")
    yield ("Esc to cancel closing", lambda: unsaved_question() is None and window.isVisible())
    results["cancel_keeps_window"] = True
    focus(window)  # no window manager hands the keyboard back from the closed box
    press("ctrl+q")
    yield ("the question again", lambda: unsaved_question() is not None)
    focus(unsaved_question())
    press("alt+d")
    yield ("Alt+D (Discard) to close the window", lambda: not window.isVisible())


def scenario_sigint(window: Any, outdir: Path | None) -> Iterator[Wait]:
    del outdir
    yield ready(window)
    window.controls.action_train.trigger()
    yield ("training", lambda: rows(window) >= 2)
    print("STATE training", flush=True)
    yield ("Ctrl+C to close the window", lambda: not window.isVisible())


def scenario_review(window: Any, outdir: Path | None) -> Iterator[Wait]:
    assert outdir is not None
    outdir.mkdir(parents=True, exist_ok=True)
    controls = window.controls
    yield ready(window)
    yield from settle()
    focus(window)
    shoot(window, outdir, "1-idle")
    type_cell(window.input_table, 3, "-4")
    yield ("the edit traced", lambda: window.last_trace.stages[0].values[3] == -4.0)
    yield from settle()
    shoot(window, outdir, "2-edited")
    press("space")
    yield ("five epochs", lambda: rows(window) >= 5)
    shoot(window, outdir, "3-training")
    press("space")
    yield ("the pause", lambda: not controls.action_train.isChecked())
    retype(controls.learning_rate, "50")
    yield ("the new run", lambda: controls.config.learning_rate == 50.0 and rows(window) == 0)
    press("space")
    yield ("divergence", window.training_message.isVisible)
    yield from settle()
    shoot(window, outdir, "4-diverged")
    press("ctrl+r")
    yield ("the reset", lambda: rows(window) == 0 and not window.training_message.isVisible())
    yield from settle()
    shoot(window, outdir, "5-reset")
    retype(controls.learning_rate, "0.05")
    yield ("the default rate", lambda: controls.config.learning_rate == 0.05)
    press("space")
    yield ("an epoch before the model dies", lambda: rows(window) >= 3)
    process = window.host.worker._process
    os.kill(process.pid, signal.SIGKILL)
    yield ("the stale panels", window.model_problem.isVisible)
    type_cell(window.input_table, 0, "7")
    yield from settle()
    shoot(window, outdir, "6-model-killed")
    window.model_problem.restart_button.click()
    yield (
        "the restarted model tracing the edited inputs",
        lambda: window.is_model_ready and window.last_trace.stages[0].values[0] == 7.0,
    )
    yield from settle()
    shoot(window, outdir, "7-restarted")
    yield from review_part_four(window, outdir)
    from gui import theme

    window.menus.theme_chooser.actions["dark"].trigger()  # View → Theme → Dark
    yield ("the dark palette", theme.dark)
    focus(window)
    press("alt+1")  # the explore page: bars, plots and tables in the dark palette
    yield ("the explore page", lambda: window.state.mode == "explore")
    yield from settle()
    shoot(window, outdir, "21-dark")
    press("ctrl+q")
    yield ("the unsaved-training question", lambda: unsaved_question() is not None)
    yield from settle()
    shoot(window, outdir, "22-unsaved-question-dark")
    focus(unsaved_question())
    press("alt+d")
    yield ("Alt+D (Discard) to close the window", lambda: not window.isVisible())


def unsaved_question() -> Any:
    """The Save/Discard/Cancel box if it is open (a modal box of its own event loop)."""
    from PySide6.QtWidgets import QApplication

    box = QApplication.activeModalWidget()
    return box if box is not None and box.objectName() == "unsaved_question" else None


def retype(field: Any, text: str) -> None:
    """Replace a text field's contents by typing, and press Enter, as a learner would."""
    field.setFocus()
    press("ctrl+a")
    type_text(text)
    press("Return")


def type_cell(table: Any, column: int, text: str) -> None:
    """Type ``text`` into input cell ``column`` and press Enter."""
    table.setFocus()
    table.setCurrentIndex(table.model().index(0, column))
    type_text(text)
    press("Return")


def pick(combo: Any, name: str) -> None:
    """Choose ``name`` in a combo box as a pick with the mouse would."""
    index = combo.findData(name)
    combo.setCurrentIndex(index)
    combo.activated.emit(index)


def review_part_four(window: Any, outdir: Path) -> Iterator[Wait]:
    """GELU and Tanh with curves and gradients, as typed; then three pipelines compared."""
    from gui.widgets.compare_dialog import CompareDialog
    from model.config import Pipeline

    controls = window.controls
    if controls.action_train.isChecked():
        press("space")
    yield ("the pause", lambda: not controls.action_train.isChecked())
    resets = count(window.run_reset)
    pick(window.picker.combos[0], "GELU")
    yield ("GELU in layer 1", lambda: resets[0] >= 1)
    pick(window.picker.combos[1], "Tanh")
    yield ("Tanh in layer 2", lambda: resets[0] >= 2)
    focus(window)
    press("ctrl+u")
    press("ctrl+g")
    yield ("curves and gradients shown", lambda: window.pipeline.curves_visible)
    type_cell(window.input_table, 1, "1.5")
    yield ("the edit traced", lambda: window.last_trace.stages[0].values[1] == 1.5)
    yield from settle()
    shoot(window, outdir, "8-gelu-tanh-curves-gradients")
    retype(controls.learning_rate, "0.3")
    yield ("learning rate 0.3", lambda: controls.config.learning_rate == 0.3)
    dialog = CompareDialog(window.setup.config.pipeline, (), window)
    dialog.add_row()
    dialog.add_row()
    dialog.show()
    yield from settle()
    shoot(window, outdir, "9-compare-dialog")
    dialog.close()
    window.setup.set_compare(
        (Pipeline(("ReLU", "ReLU", "Softmax")), Pipeline(("Sigmoid", "Sigmoid", "Softmax")))
    )
    yield ("three runs", window.compare_table.isVisible)
    press("ctrl+g")
    press("space")
    yield ("twelve epochs of three runs", lambda: rows(window) >= 12)
    press("space")
    yield ("the pause", lambda: not controls.action_train.isChecked())
    yield from settle()
    shoot(window, outdir, "10-compare")
    yield from review_part_five(window, outdir)


def review_part_five(window: Any, outdir: Path) -> Iterator[Wait]:
    """Every mode by its key (Alt+digit: the keyboard may be in the cells), a step and a quiz
    answer pressed, then presenter mode (9), two lesson steps (PageDown) and Esc."""
    from model.modes import MODE_NAMES

    focus(window)
    for number, name in enumerate(MODE_NAMES[:-1], start=1):
        press(f"alt+{number}")
        yield (f"the {name} page", lambda name=name: window.state.mode == name)
        if name == "step":
            press("Right", "Right", "Right")
            yield ("the third step", lambda: window.pages["step"].current_index == 3)
        if name == "quiz":
            press("c")
            yield ("the answer marked", window.findChild(QWidget, "quiz_feedback").isVisible)
        yield from settle()
        shoot(window, outdir, f"{10 + number}-{name}")
    press("9")
    screen = window.screen().geometry()
    yield ("presenter mode", lambda: window.state.presenting and window.geometry() == screen)
    yield from settle()
    shoot(window, outdir, "19-presenter")
    press("Next", "Next")
    yield ("lesson step 3", lambda: window.presenter.cursor.index == 2)
    yield from settle()
    shoot(window, outdir, "20-presenter-step-3")
    press("Escape")
    yield ("presenter mode left", lambda: not window.state.presenting)


#: Whether ``shoot`` saves a picture (the ``review`` scenario) or only checks (``check``).
pictures = {"on": True}


def settle() -> Iterator[Wait]:
    """Let queued repaints land before a screenshot (half a second, for the eye only; a
    moment for the checks alone, which read the laid-out widgets)."""
    until = time.monotonic() + (0.5 if pictures["on"] else 0.1)
    yield ("the repaint", lambda: time.monotonic() >= until)


def shoot(window: Any, outdir: Path, state: str) -> None:
    check_layout(window, state)
    if pictures["on"]:
        screenshot(outdir / f"{state}.png")


def scenario_check(window: Any, outdir: Path | None) -> Iterator[Wait]:
    """The review's states and checks without its pictures (the test suite's version)."""
    pictures["on"] = False
    yield from scenario_review(window, outdir)


SCENARIOS = {
    "keys": scenario_keys,
    "sigint": scenario_sigint,
    "review": scenario_review,
    "check": scenario_check,
}


def give_up(app: QApplication) -> None:
    """Close at once: a failed scenario has no one to answer the unsaved-work question."""
    from gui.application import CLOSING_ON_SIGNAL

    modal = app.activeModalWidget()
    if modal is not None:
        modal.close()
    app.setProperty(CLOSING_ON_SIGNAL, True)
    app.closeAllWindows()


def run(name: str, outdir: Path | None) -> int:
    # The app proper remembers settings between starts: a scenario starts from the defaults
    # and never touches the settings of whoever runs it.
    if not os.environ.get("ACTIVATION_LAB_CONFIG_DIR"):
        os.environ["ACTIVATION_LAB_CONFIG_DIR"] = tempfile.mkdtemp(prefix="activation-lab-")
    qInstallMessageHandler(_on_qt_message)
    app = QApplication([sys.argv[0]])
    runner = ScenarioRunner(
        app,
        lambda window: SCENARIOS[name](window, outdir),
        results["failures"],
        step_timeout_s=STEP_TIMEOUT_S,
        give_up=lambda: give_up(app),
    )
    QTimer.singleShot(0, runner.start)
    code = main.main([])
    results["exit_code"] = code
    print("RESULT " + json.dumps(results), flush=True)
    return code


if __name__ == "__main__":
    sys.exit(run(sys.argv[1], Path(sys.argv[2]) if len(sys.argv) > 2 else None))

"""Bring ``python main.py`` to a moment of closing, and let it end on its own.

Run: ``python tests/clean_exit_driver.py SCENARIO`` with ``QT_QPA_PLATFORM=offscreen``. The app
starts through ``main.main([])``, as ``python main.py`` starts it (its Ctrl+C and SIGTERM
handling, its error dialog, its settings); this script only schedules steps on the app's own
event loop. tests/test_clean_exit.py reads what it prints and the exit code.

Scenarios:
  close-training    train until an epoch row shows, then close the window.
  quit-about        open the About box (modal), then QApplication.quit() while it is open.
  sigterm-compare   open the Compare dialog (modal), print "STATE dialog", wait for SIGTERM.
  sigterm-training  train until an epoch row shows, print "STATE training", wait for SIGTERM.

A question about unsaved training is answered "Discard", as a learner who leaves would.
Prints ``MODEL_PID n`` once the model answers, ``STATE name`` lines, and at the end one line
``RESULT {json}``: the exit code, failures, questions answered, and whether a model thread or
the model process still ran when ``main.main`` returned. The exit code is the app's.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QTimer  # noqa: E402
from PySide6.QtGui import QAction  # noqa: E402
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox  # noqa: E402
from scenario_runner import ScenarioRunner, Wait  # noqa: E402

import main  # noqa: E402

#: Longest wait for any one state (the model process imports torch on a busy machine).
STEP_TIMEOUT_S = 60.0

results: dict[str, Any] = {"failures": [], "unsaved_questions": 0}


def say(line: str) -> None:
    """One line for the test, at once."""
    print(line, flush=True)


def ready(window: Any) -> Iterator[Wait]:
    yield ("the model to answer", lambda: window.is_model_ready and window.last_trace is not None)
    process = window.host.worker._process
    results["model_pid"] = process.pid if process is not None else 0
    say(f"MODEL_PID {results['model_pid']}")


def still_running(pid: int) -> bool:
    """True while process ``pid`` runs (a zombie, ended but not yet reaped, does not)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat[stat.rindex(")") + 2] != "Z"


def running_model_threads() -> list[str]:
    """Model hosts whose thread still runs (the app must stop them, not the OS at exit)."""
    from gui.model_host import ModelHost

    return [repr(host) for host in ModelHost._live if host.model_thread.isRunning()]


def training(window: Any) -> Iterator[Wait]:
    yield from ready(window)
    window.controls.action_train.trigger()
    yield ("an epoch row", lambda: window.epoch_table.model().rowCount() >= 1)
    say("STATE training")


def open_modal(window: Any, action_name: str) -> Iterator[Wait]:
    """Trigger the action from the event loop (its dialog's exec() blocks until it closes)."""
    yield from ready(window)
    action = window.findChild(QAction, action_name)
    assert action is not None, f"no action named {action_name}"
    QTimer.singleShot(0, action.trigger)
    yield ("the dialog", lambda: isinstance(QApplication.activeModalWidget(), QDialog))
    say(f"STATE dialog {type(QApplication.activeModalWidget()).__name__}")


def scenario_close_training(window: Any) -> Iterator[Wait]:
    yield from training(window)
    # From the event loop: close() may open the unsaved-training question, whose own loop
    # runs until the runner's timer answers it.
    QTimer.singleShot(0, window.close)


def scenario_close_saving(window: Any) -> Iterator[Wait]:
    """Close while a save waits for the model's snapshot (the file is the test's)."""
    from pathlib import Path

    yield from training(window)
    window.sessions.save_to(Path(os.environ["CLEAN_EXIT_SESSION"]))
    say("STATE saving")
    QTimer.singleShot(0, window.close)


def scenario_quit_about(window: Any) -> Iterator[Wait]:
    yield from open_modal(window, "action_about")
    QApplication.quit()


def scenario_sigterm_compare(window: Any) -> Iterator[Wait]:
    yield from open_modal(window, "action_compare")
    yield ("SIGTERM", lambda: False)  # the app ends before this comes


def scenario_sigterm_training(window: Any) -> Iterator[Wait]:
    yield from training(window)
    yield ("SIGTERM", lambda: False)


SCENARIOS = {
    "close-training": scenario_close_training,
    "close-saving": scenario_close_saving,
    "quit-about": scenario_quit_about,
    "sigterm-compare": scenario_sigterm_compare,
    "sigterm-training": scenario_sigterm_training,
}


def answer_unsaved_question() -> None:
    """Click Discard on a question that offers it (closing with unsaved training)."""
    box = QApplication.activeModalWidget()
    if isinstance(box, QMessageBox):
        discard = box.button(QMessageBox.StandardButton.Discard)
        if discard is not None:
            results["unsaved_questions"] += 1
            discard.click()


def run(name: str) -> int:
    app = QApplication([sys.argv[0]])
    runner = ScenarioRunner(
        app,
        SCENARIOS[name],
        results["failures"],
        step_timeout_s=STEP_TIMEOUT_S,
        give_up=app.quit,  # a failed scenario still ends, and says why
        each_tick=answer_unsaved_question,
    )
    QTimer.singleShot(0, runner.start)
    code = main.main([])
    results["exit_code"] = code
    # What the app itself stopped before returning: nothing may be left for the exit to end.
    results["model_threads_running"] = running_model_threads()
    pid = results.get("model_pid", 0)
    results["model_process_running"] = bool(pid) and still_running(pid)
    say("RESULT " + json.dumps(results))
    return code


if __name__ == "__main__":
    sys.exit(run(sys.argv[1]))

"""Closing the window stops the model process and thread cleanly, whenever it happens.

``QThread: Destroyed while thread is still running`` aborts the process after every assertion
has passed, so each scenario runs in its own interpreter and the test reads its exit code and
stderr.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import helpers
import pytest

ROOT = Path(__file__).resolve().parents[1]

SCENARIO = textwrap.dedent(
    """
    import gc, sys, time
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication
    import main

    app = QApplication([])
    window = main.build_window()
    window.show()
    deadline = time.monotonic() + 60

    def wait(predicate):
        while not predicate():
            if time.monotonic() > deadline:
                print("timed out", file=sys.stderr)
                sys.exit(3)
            app.processEvents()
            time.sleep(0.005)

    when = sys.argv[1]
    if when != "starting":
        wait(lambda: window.is_model_ready)
    if when == "training":
        window.controls.pace.setCurrentIndex(window.controls.pace.count() - 1)
        window.controls.action_train.trigger()
        wait(lambda: window.epochs.rowCount() >= 3)
    process = window.host.worker._process
    window.close()
    window.deleteLater()
    app.processEvents()
    del window
    gc.collect()
    if process is not None and process.is_alive():
        print("model process still alive", file=sys.stderr)
        sys.exit(4)
    print("closed cleanly")
    """
)


@pytest.mark.parametrize("when", ["starting", "idle", "training"])
def test_closing_exits_cleanly(when: str) -> None:
    """Close while torch is still loading, while idle, and mid-training: exit 0, no abort."""
    result = helpers.run_python("-c", SCENARIO, when)
    assert result.returncode == 0, result.stderr
    assert "closed cleanly" in result.stdout
    assert "QThread: Destroyed" not in result.stderr
    assert "Traceback" not in result.stderr


UNGUARDED_SCRIPT = textwrap.dedent(
    """
    # No `if __name__ == "__main__":` guard, as a teacher's first script would be written.
    import sys, time
    from PySide6.QtWidgets import QApplication
    import main

    app = QApplication([])
    window = main.build_window()
    window.show()
    deadline = time.monotonic() + 60
    while not (window.is_model_ready and window.last_trace is not None):
        if time.monotonic() > deadline:
            print("the model never answered", file=sys.stderr)
            sys.exit(3)
        app.processEvents()
        time.sleep(0.005)
    print("values", window.last_trace.stages[-1].values)
    """
)


FUNCTION_SCOPED_SCRIPT = textwrap.dedent(
    """
    import sys, time
    from PySide6.QtWidgets import QApplication
    import main

    def lesson(app):
        # The window is a local: it is deleted when the function returns, model still running.
        window = main.build_window()
        window.show()
        deadline = time.monotonic() + 60
        while not (window.is_model_ready and window.last_trace is not None):
            if time.monotonic() > deadline:
                sys.exit(3)
            app.processEvents()
            time.sleep(0.005)
        print("ready")

    app = QApplication([])
    lesson(app)
    app.processEvents()
    print("returned")
    """
)


def test_a_window_built_inside_a_function_outlives_it_safely(tmp_path: Path) -> None:
    """The model thread is not the window's child: deleting the window with the function's
    locals does not destroy a running thread (Qt would abort)."""
    script = tmp_path / "lesson.py"
    script.write_text(FUNCTION_SCOPED_SCRIPT)
    result = helpers.run_python(str(script))
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["ready", "returned"]
    assert "QThread: Destroyed" not in result.stderr


def test_a_script_without_a_main_guard_that_never_closes_the_window(tmp_path: Path) -> None:
    """The model process does not run the caller's script again (it would build a second
    window there and never answer), and a script that returns without closing its window
    exits cleanly instead of aborting with "QThread: Destroyed while thread is running"."""
    script = tmp_path / "lesson.py"
    script.write_text(UNGUARDED_SCRIPT)
    result = helpers.run_python(str(script))
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("values") == 1
    assert "QThread: Destroyed" not in result.stderr
    assert "Traceback" not in result.stderr


def test_ctrl_c_closes_the_app_like_ctrl_q() -> None:
    """SIGINT to the app's process group while it trains (Ctrl+C in the terminal that started
    it): the window closes and the app exits 0, with no KeyboardInterrupt anywhere."""
    import os

    import desktop

    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    result = desktop.interrupt_while_training(env)
    assert result.returncode == 0, result.stderr
    assert "KeyboardInterrupt" not in result.stderr
    assert "Traceback" not in result.stderr
    assert desktop.driver_result(result.stdout)["failures"] == []

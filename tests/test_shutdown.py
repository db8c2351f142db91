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

"""``--self-test PATH``: prove on this machine that the whole app works, and say so in a file.

An organiser who hands the bundle out (or CI, on the bundled executable) runs it once: the
real window is built offscreen, the model process loads PyTorch, one epoch trains, an input is
edited and the trace that comes back is checked against the weights it carries (numpy, not
torch), a screenshot is saved, and the window closes with its thread and process stopped. The
report at PATH says what was checked, how long each step took and which versions ran; the exit
code is 0 only if every check passed. Settings go to a private folder: a self-test neither
reads nor changes the learner's.
"""

from __future__ import annotations

import os
import platform
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

#: Longest wait for any one step (the model process imports PyTorch on a busy machine).
STEP_TIMEOUT_S = 120.0
#: The edit the self-test makes (input x₂), and the tolerance of the numpy check.
EDITED_COLUMN, EDITED_VALUE = 1, 1.25
TOLERANCE = 1e-5
#: Qt messages the offscreen platform prints for any QMainWindow: not a fault of the app.
IGNORED_QT_MESSAGES = ("This plugin does not support propagateSizeHints",)
#: The activations the numpy check knows (the default pipeline's).
_NUMPY_ACTIVATIONS: dict[str, Callable[[np.ndarray, float], np.ndarray]] = {
    "ReLU": lambda z, t: np.maximum(z, 0.0),
    "Sigmoid": lambda z, t: 1.0 / (1.0 + np.exp(-z)),
    "Softmax": lambda z, t: np.exp(z / t - np.max(z / t)) / np.sum(np.exp(z / t - np.max(z / t))),
}


class SelfTest:
    """The checks, their timings and the Qt messages seen, written out as one report."""

    def __init__(self) -> None:
        self.started = time.monotonic()
        self.lines: list[str] = []
        self.failures = 0
        self.qt_problems: list[str] = []
        self.versions: dict[str, str] = {}

    def check(self, name: str, ok: bool, detail: str = "") -> bool:
        """Record one check (with the time since the self-test started)."""
        elapsed = time.monotonic() - self.started
        self.failures += 0 if ok else 1
        verdict = "PASS" if ok else "FAIL"
        self.lines.append(f"{verdict}  {elapsed:7.2f} s  {name}{f': {detail}' if detail else ''}")
        return ok

    def report(self) -> str:
        """The report's text: result, checks with timings, Qt problems, versions."""
        result = "PASS" if self.failures == 0 else f"FAIL ({self.failures} failed)"
        versions = [f"{key}: {value}" for key, value in self.versions.items()]
        problems = [f"  {message}" for message in self.qt_problems] or ["  none"]
        return "\n".join(
            [
                "Activation Lab self-test",
                f"result: {result}",
                f"total: {time.monotonic() - self.started:.2f} s",
                "",
                "checks (seconds since the self-test started):",
                *self.lines,
                "",
                "Qt warnings and errors:",
                *problems,
                "",
                "versions:",
                *versions,
                "",
            ]
        )


def numpy_mismatch(trace: Any) -> str | None:
    """What in ``trace`` disagrees with its own weights, recomputed in numpy; None if nothing.

    Each layer's pre-activation must be ``W·a + b`` of the stage before it, and its values the
    activation of that (for the activations :data:`_NUMPY_ACTIVATIONS` knows).
    """
    previous = np.asarray(trace.stages[0].values, dtype=np.float64)
    for number, stage in enumerate(trace.stages[1:], start=1):
        if stage.weight is None or stage.bias is None or stage.pre_activation is None:
            return f"stage {number} ({stage.name}) carries no weights"
        z = stage.weight.astype(np.float64) @ previous + stage.bias.astype(np.float64)
        if not np.allclose(z, stage.pre_activation, atol=TOLERANCE, rtol=TOLERANCE):
            return f"stage {number} ({stage.name}): z = {list(stage.pre_activation)}, W·a + b = {z}"
        values = np.asarray(stage.values, dtype=np.float64)
        function = _NUMPY_ACTIVATIONS.get(stage.name)
        if function is not None:
            expected = function(z, trace.temperature)
            if not np.allclose(values, expected, atol=TOLERANCE, rtol=TOLERANCE):
                return f"stage {number} ({stage.name}): values {list(values)}, numpy {expected}"
        previous = values
    return None


def _collect_versions(test: SelfTest, version: str, torch_version: str) -> None:
    import PySide6
    from PySide6.QtCore import qVersion

    frozen = getattr(sys, "frozen", False)
    test.versions.update(
        {
            "Activation Lab": version or "unknown",
            "bundle": "PyInstaller one-folder build" if frozen else "running from source",
            "executable": sys.executable,
            "Python": platform.python_version(),
            "PyTorch (model process)": torch_version or "not loaded",
            "Qt": qVersion(),
            "PySide6": PySide6.__version__,
            "numpy": np.__version__,
            "system": f"{platform.system()} {platform.release()} {platform.machine()}",
        }
    )


def run_self_test(path: str, version: str = "") -> int:
    """Run every check offscreen, write the report to ``path``; 0 only if all passed."""
    report_path = Path(path)
    if not report_path.parent.is_dir():
        print(f"main.py: error: --self-test: no folder {report_path.parent}", file=sys.stderr)
        return 2
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    test = SelfTest()
    with tempfile.TemporaryDirectory(prefix="activation-lab-self-test-") as settings:
        os.environ["ACTIVATION_LAB_CONFIG_DIR"] = settings  # never the learner's settings
        try:
            torch_version = _run_checks(test, report_path, version)
        except Exception:  # a crash is a failed check with its traceback, not a lost report
            test.check("no unexpected error", ok=False, detail=traceback.format_exc())
            torch_version = ""
    try:
        _collect_versions(test, version, torch_version)
    except Exception as error:  # the versions are information; their absence is no failure
        test.versions["error"] = str(error)
    try:
        report_path.write_text(test.report(), encoding="utf-8")
    except OSError as error:
        print(f"main.py: error: --self-test: cannot write {report_path}: {error}", file=sys.stderr)
        return 2
    print(report_path)
    return 0 if test.failures == 0 else 1


def _run_checks(test: SelfTest, report_path: Path, version: str) -> str:
    """The steps in order; returns PyTorch's version as the model process reported it."""
    from PySide6.QtCore import QtMsgType, qInstallMessageHandler

    def on_message(kind: QtMsgType, context: object, message: str) -> None:
        del context
        if kind != QtMsgType.QtDebugMsg and not message.startswith(IGNORED_QT_MESSAGES):
            test.qt_problems.append(f"{kind.name}: {message}")

    previous_handler = qInstallMessageHandler(on_message)
    try:
        window, torch_version = _start_window(test, version)
        if torch_version:
            _train_and_edit(test, window)
        _screenshot(test, window, report_path.with_name(f"{report_path.stem}-screenshot.png"))
        _close(test, window)
    finally:
        qInstallMessageHandler(previous_handler)
    test.check("no Qt warnings", not test.qt_problems, f"{len(test.qt_problems)} seen")
    return torch_version


def _start_window(test: SelfTest, version: str) -> tuple[Any, str]:
    """Build and show the window; wait for its first paint, then for the model."""
    from PySide6.QtCore import QEvent, QObject

    from gui import theme
    from gui.application import create_application
    from gui.main_window import MainWindow
    from gui.session_controller import DISCARD

    app = create_application([sys.argv[0]], version)
    painted: list[float] = []

    class PaintSpy(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint and not painted:
                painted.append(time.monotonic())
            return False

    spy = PaintSpy()
    app.installEventFilter(spy)
    window = MainWindow()
    # The one-epoch run is the self-test's, not the learner's: closing must not ask to save it.
    window.sessions.ask_unsaved = lambda *_: DISCARD
    window.resize(theme.PREFERRED_SIZE)
    window.controls.pace.setCurrentIndex(window.controls.pace.findData(None))  # full speed
    ready: list[Any] = []
    failures: list[str] = []
    window.model_ready.connect(ready.append)
    window.host.worker.failed.connect(failures.append)  # queued: arrives in this thread
    window.show()
    test.check("window built and painted", _wait_until(lambda: bool(painted)))
    app.removeEventFilter(spy)
    ok = _wait_until(lambda: failures or (window.is_model_ready and window.last_trace is not None))
    ok = ok and not failures
    torch_version = ready[0].torch_version if ok and ready else ""
    detail = f"PyTorch {torch_version}" if ok else "; ".join(failures) or "no answer"
    test.check("model process ready (PyTorch loaded)", ok, detail)
    return window, torch_version


def _train_and_edit(test: SelfTest, window: Any) -> None:
    """Train one epoch, edit an input, check the trace that comes back."""
    window.controls.action_step.trigger()
    ok = _wait_until(lambda: window.epochs.rowCount() >= 1)
    loss = window.epoch_table.model().index(0, 1).data() if ok else "none"
    if not test.check("one epoch trained", ok, f"train loss {loss}"):
        return
    _wait_until(window.controls.action_step.isEnabled)  # paused again
    index = window.inputs.index(0, EDITED_COLUMN)
    test.check("input edited", window.inputs.setData(index, str(EDITED_VALUE)))
    wanted = window.inputs.values
    ok = _wait_until(
        lambda: window.last_trace is not None and window.last_trace.stages[0].values == wanted
    )
    if test.check("trace of the edited input arrived", ok, f"inputs {wanted}"):
        mismatch = numpy_mismatch(window.last_trace)
        detail = mismatch or f"prediction class {window.last_trace.prediction}"
        test.check("trace matches the model's weights (numpy)", mismatch is None, detail)


def _screenshot(test: SelfTest, window: Any, picture: Path) -> None:
    """Save the window as the learner would see it; a blank picture fails."""
    _wait_until(lambda: False, timeout_s=0.3)  # the last repaint lands
    image = window.grab().toImage()
    colours = {image.pixel(x, image.height() // 3) for x in range(0, image.width(), 7)}
    saved = image.save(str(picture), "PNG")
    detail = f"{picture} ({len(colours)} colours on one line)"
    test.check("screenshot saved", saved and len(colours) > 8, detail)


def _close(test: SelfTest, window: Any) -> None:
    """Close as the learner would; the model thread and process must have stopped."""
    from PySide6.QtWidgets import QApplication

    process = window.host.worker._process
    host = window.host
    closed = window.close()
    thread_stopped = not host.model_thread.isRunning()
    window.deleteLater()
    QApplication.processEvents()
    stopped = closed and thread_stopped and (process is None or not process.is_alive())
    test.check("closed cleanly (model thread and process stopped)", stopped)


def _wait_until(predicate: Callable[[], object], timeout_s: float = STEP_TIMEOUT_S) -> bool:
    """Run the event loop until ``predicate`` holds or ``timeout_s`` passes."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    poll = QTimer(interval=10)
    poll.timeout.connect(lambda: loop.quit() if predicate() else None)
    deadline = QTimer(singleShot=True, interval=int(timeout_s * 1000))
    deadline.timeout.connect(loop.quit)
    if not predicate():
        poll.start()
        deadline.start()
        loop.exec()
        poll.stop()
        deadline.stop()
    return bool(predicate())

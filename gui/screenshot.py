"""Offscreen screenshots for the README, handouts and visual checks (``--screenshot``)."""

from __future__ import annotations

import sys

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication

from gui import theme
from gui.main_window import MainWindow

#: Longest wait for the model process (it imports PyTorch) before giving up.
READY_TIMEOUT_MS = 60_000


def _wait_until(predicate: object, timeout_ms: int) -> bool:
    assert callable(predicate)
    loop = QEventLoop()
    timer = QTimer(interval=10)
    timer.timeout.connect(lambda: loop.quit() if predicate() else None)
    timer.start()
    QTimer.singleShot(timeout_ms, loop.quit)
    loop.exec()
    timer.stop()
    return bool(predicate())


def take_screenshot(window: MainWindow, path: str, epochs: int = 0) -> int:
    """Show ``window``, wait for the model (and ``epochs`` of training), save it to ``path``.

    The picture is 1280×800 whatever the (offscreen) screen, and training runs at full speed:
    nobody is watching it.
    """
    window.resize(theme.PREFERRED_SIZE)
    window.controls.pace.setCurrentIndex(window.controls.pace.findData(None))
    window.show()
    ok = _wait_until(
        lambda: window.is_model_ready and window.last_trace is not None, READY_TIMEOUT_MS
    )
    for done in range(epochs if ok else 0):
        window.controls.action_step.trigger()
        ok = _wait_until(lambda done=done: window.epochs.rowCount() > done, READY_TIMEOUT_MS)
        if not ok:
            break
    if not ok:
        print("main.py: error: the model did not answer in time; no screenshot", file=sys.stderr)
        window.close()
        return 1
    _wait_until(lambda: False, 300)  # let the last repaint land
    saved = window.grab().save(path, "PNG")
    window.close()
    QApplication.processEvents()
    if not saved:
        print(f"main.py: error: could not write {path}", file=sys.stderr)
        return 1
    print(path)
    return 0

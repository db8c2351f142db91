"""Start-up markers for benchmarks: ``first-frame <t>`` and ``model-ready <t>`` on stderr.

With ``ACTIVATION_LAB_STARTUP_MARKERS=1`` the window prints, on stderr, the CLOCK_MONOTONIC
time (``time.monotonic()``, the same clock in every process of the machine) at which its first
frame was painted and at which the model process answered. A benchmark that starts the app as
any command (``python main.py``, the bundled executable) reads them without importing it
(``benchmarks/scenario_bundle_startup.py``). Without the variable nothing is installed.
"""

from __future__ import annotations

import os
import sys
import time
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer

MARKERS_VARIABLE = "ACTIVATION_LAB_STARTUP_MARKERS"


def _mark(name: str) -> None:
    if sys.stderr is not None:
        print(f"{name} {time.monotonic():.6f}", file=sys.stderr, flush=True)


class _FirstFrame(QObject):
    """Marks the end of the first frame: the first paint, then the event loop's next turn."""

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self._seen = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not self._seen and event.type() == QEvent.Type.Paint:
            self._seen = True
            QTimer.singleShot(0, self._done)
        return False

    def _done(self) -> None:
        _mark("first-frame")
        app = QCoreApplication.instance()
        if app is not None:
            app.removeEventFilter(self)


def install_startup_markers(window: Any) -> bool:
    """Print the markers for ``window`` (a MainWindow) if the variable asks; True if so."""
    if os.environ.get(MARKERS_VARIABLE) != "1":
        return False
    app = QCoreApplication.instance()
    if app is None:
        return False
    app.installEventFilter(_FirstFrame(window))  # any widget's paint: the window's children too
    window.model_ready.connect(lambda _ready: _mark("model-ready"))
    return True

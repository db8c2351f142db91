"""Walk the widgets while the garbage collector frees windows: run by tests/test_live_widgets.py.

``python garbage_windows_script.py raw|safe``: live scroll areas (whose scroll bars and
viewports C++ made, so wrapping them allocates), then twenty windows that only the collector can
free, then a walk with the collector eager. ``raw`` walks ``QApplication.allWidgets()`` directly,
``safe`` through :mod:`gui.live_widgets`. Prints the number of widgets walked.
"""

from __future__ import annotations

import gc
import os
import sys
from pathlib import Path

os.environ["QT_QPA_PLATFORM"] = "offscreen"
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtWidgets import QApplication, QLabel, QScrollArea, QVBoxLayout, QWidget


class _Cycle:
    """Holds a window and itself: unreachable, it waits for the collector."""

    window: QWidget
    me: _Cycle


def _garbage_window() -> None:
    window = QWidget()
    layout = QVBoxLayout(window)
    for number in range(50):
        layout.addWidget(QLabel(f"label {number}", styleSheet="color: #0072b2"))
    cycle = _Cycle()
    cycle.window, cycle.me = window, cycle


def main(mode: str) -> int:
    app = QApplication([])
    live = QWidget()
    layout = QVBoxLayout(live)
    for _ in range(100):
        layout.addWidget(QScrollArea())
    gc.collect()
    gc.disable()
    for _ in range(20):
        _garbage_window()
    gc.set_threshold(1, 1000, 1000)
    gc.enable()
    if mode == "raw":
        walked = len(app.allWidgets())
    else:
        from gui.live_widgets import all_widgets

        walked = len(all_widgets(app))
    print(walked)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))

"""Child process for the start-up scenario: start the app as ``main.py`` does and report.

Prints CLOCK_MONOTONIC times (comparable with the parent's) of the first paint event, of the
end of that first frame, and of "model ready", and the longest event-loop stall between the
first frame and "model ready", measured by a 5 ms timer.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path


def main() -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from PySide6.QtCore import QEvent, QObject, Qt, QTimer
    from PySide6.QtWidgets import QApplication

    import main as app_main

    marks: dict[str, float] = {}
    gaps: list[float] = []

    class FirstPaint(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint and "first_paint" not in marks:
                marks["first_paint"] = time.monotonic()
                # The frame is complete when the event loop next gets to a timer.
                QTimer.singleShot(0, frame_done)
            return False

    def frame_done() -> None:
        marks["first_frame_done"] = time.monotonic()
        last[0] = time.perf_counter()
        ticker.start()

    app = QApplication.instance() or QApplication([])
    last = [0.0]
    ticker = QTimer()
    ticker.setTimerType(Qt.TimerType.PreciseTimer)
    ticker.setInterval(5)

    def tick() -> None:
        now = time.perf_counter()
        gaps.append(now - last[0])
        last[0] = now

    ticker.timeout.connect(tick)
    window = app_main.build_window()
    spy = FirstPaint()
    app.installEventFilter(spy)

    def ready(_: object) -> None:
        marks["model_ready"] = time.monotonic()
        tick()
        ticker.stop()
        QTimer.singleShot(0, window.close)

    window.model_ready.connect(ready)
    window.show()
    QTimer.singleShot(120_000, window.close)
    app.exec()
    print(json.dumps({**marks, "longest_stall_s": max(gaps, default=0.0)}), flush=True)


if __name__ == "__main__":
    main()

"""GUI responsiveness while training flat out: lateness of a 10 ms single-shot timer chain.

Each tick re-arms a 10 ms precise single-shot timer; its lateness is how long the event loop
was busy past the deadline (drawing curves, tables, the trace). Training runs at full speed in
the model process the whole time.
"""

from __future__ import annotations

import sys
import time

from common import close, median, percentile, report, spin, start_window
from PySide6.QtCore import QEventLoop, QObject, Qt, QTimer

INTERVAL_MS = 10


class TimerProbe(QObject):
    """A chain of single-shot timers recording how late each fired."""

    def __init__(self, ticks: int) -> None:
        super().__init__()
        self.ticks = ticks
        self.lateness: list[float] = []
        self.loop = QEventLoop()
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.timeout.connect(self._tick)
        self.due = 0.0

    def run(self) -> list[float]:
        self._arm()
        self.loop.exec()
        return self.lateness

    def _arm(self) -> None:
        self.due = time.perf_counter() + INTERVAL_MS / 1000
        self.timer.start(INTERVAL_MS)

    def _tick(self) -> None:
        self.lateness.append(max(0.0, time.perf_counter() - self.due))
        if len(self.lateness) >= self.ticks:
            self.loop.quit()
        else:
            self._arm()


def main() -> None:
    ticks = 300 if "--quick" in sys.argv else 1500
    app, window = start_window(full_speed=True)
    idle = TimerProbe(ticks // 3).run()
    window.controls.action_train.trigger()
    spin(app, 0.5)
    steps_before = window.plots.batch_losses.appended
    started = time.perf_counter()
    training = TimerProbe(ticks).run()
    elapsed = time.perf_counter() - started
    steps = window.plots.batch_losses.appended - steps_before
    window.controls.action_train.trigger()
    close(app, window)
    report(
        {
            "ticks": len(training),
            "idle_p99_ms": percentile(idle, 0.99) * 1000,
            "training_p50_ms": median(training) * 1000,
            "training_p99_ms": percentile(training, 0.99) * 1000,
            "training_max_ms": max(training) * 1000,
            "steps_per_s_meanwhile": steps / elapsed,
        }
    )


if __name__ == "__main__":
    main()

"""Edit → every stage panel repainted: p50 and p99 over many edits, idle and while training.

An edit is made through the input table's model every 25 ms (fixed deadlines, precise timers)
from the window's own event loop, as a learner's typing would arrive. Its latency ends when all
four panels have finished painting the values computed for it: each panel records the version
of the values it last painted, and when.
"""

from __future__ import annotations

import sys
import time

from common import close, median, percentile, report, spin, start_window
from PySide6.QtCore import QEventLoop, QObject, Qt, QTimer

INTERVAL_MS = 25


class EditProbe(QObject):
    """Makes ``edits`` edits at fixed deadlines and records each one's latency."""

    def __init__(self, window, edits: int) -> None:  # type: ignore[no-untyped-def]
        super().__init__()
        self.window = window
        self.edits = edits
        self.model = window.input_table.model()
        self.plots = [panel.plot for panel in window.panels]
        self.latencies: list[float] = []
        self.loop = QEventLoop()
        self.value = 0.0
        self.started = 0.0
        self.versions: list[int] | None = None
        self.waiting = False
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.timeout.connect(self._edit)
        window.trace_shown.connect(self._on_trace_shown)
        for plot in self.plots:
            plot.painted.connect(self._on_painted)

    def run(self) -> list[float]:
        QTimer.singleShot(0, self._edit)
        QTimer.singleShot(120_000, self.loop.quit)  # a stuck run still ends
        self.loop.exec()
        self.window.trace_shown.disconnect(self._on_trace_shown)
        for plot in self.plots:
            plot.painted.disconnect(self._on_painted)
        return self.latencies

    def _edit(self) -> None:
        count = len(self.latencies)
        self.value = 10.0 + (count % 50) * 0.01  # never the current value: every panel changes
        self.versions = None
        self.waiting = True
        self.started = time.perf_counter()
        self.model.setData(self.model.index(0, 1), self.value, Qt.ItemDataRole.EditRole)

    def _on_trace_shown(self, trace) -> None:  # type: ignore[no-untyped-def]
        # Only the first trace of the new value counts: training re-shows the same inputs
        # with newer weights, which is not a new edit.
        if self.waiting and self.versions is None and trace.stages[0].values[1] == self.value:
            self.versions = [plot.shown_version for plot in self.plots]
            self._check()

    def _on_painted(self) -> None:
        self._check()

    def _check(self) -> None:
        versions = self.versions
        if versions is None:
            return
        if any(p.painted_version < v for p, v in zip(self.plots, versions, strict=True)):
            return
        self.versions = None
        self.waiting = False
        self.latencies.append(max(p.painted_at for p in self.plots) - self.started)
        if len(self.latencies) >= self.edits:
            self.loop.quit()
            return
        next_in = self.started + INTERVAL_MS / 1000 - time.perf_counter()
        self.timer.start(max(0, round(next_in * 1000)))


def main() -> None:
    edits = 60 if "--quick" in sys.argv else 300
    app, window = start_window(full_speed=True)
    idle = EditProbe(window, edits).run()
    window.controls.action_train.trigger()
    spin(app, 0.5)
    training = EditProbe(window, edits).run()
    trained = window.epochs.rowCount()
    window.controls.action_train.trigger()
    close(app, window)
    report(
        {
            "edits": len(idle) + len(training),
            "idle_p50_ms": median(idle) * 1000,
            "idle_p99_ms": percentile(idle, 0.99) * 1000,
            "training_p50_ms": median(training) * 1000,
            "training_p99_ms": percentile(training, 0.99) * 1000,
            "epochs_during_run": trained,
        }
    )


if __name__ == "__main__":
    main()

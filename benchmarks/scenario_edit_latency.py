"""Edit → every stage panel repainted: p50 and p99 over many edits, idle and while training.

Measured twice: with the bars alone, and with everything part 4 adds shown (the gradient row
under every panel and the activation curves), where "repainted" waits for those plots too.

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

    def __init__(self, window, edits: int, plots) -> None:  # type: ignore[no-untyped-def]
        super().__init__()
        self.window = window
        self.edits = edits
        self.model = window.input_table.model()
        self.plots = list(plots)
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
        # Never the current value, and within the curves' z range: every plot has to change.
        self.value = 1.0 + (count % 50) * 0.02
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


def bar_plots(window):  # type: ignore[no-untyped-def]
    """The value bars of every panel."""
    return [panel.plot for panel in window.panels]


def everything_shown(window):  # type: ignore[no-untyped-def]
    """Every plot an edit repaints with the gradient row and the curves shown."""
    curves = [curve.plot for curve in window.curves]
    return [plot for panel in window.panels for plot in panel.plots] + curves


def measure(app, window, edits: int, plots) -> tuple[list[float], list[float]]:  # type: ignore[no-untyped-def]
    """Latencies idle, then while training at full speed (training paused after)."""
    idle = EditProbe(window, edits, plots(window)).run()
    window.controls.action_train.trigger()
    spin(app, 0.5)
    training = EditProbe(window, edits, plots(window)).run()
    window.controls.action_train.trigger()
    spin(app, 0.3)
    return idle, training


def main() -> None:
    edits = 60 if "--quick" in sys.argv else 300
    app, window = start_window(full_speed=True)
    idle, training = measure(app, window, edits, bar_plots)
    window.gradients.action_show_gradients.setChecked(True)
    window.pipeline.action_show_curves.setChecked(True)
    spin(app, 0.3)
    full_idle, full_training = measure(app, window, edits, everything_shown)
    trained = window.epochs.rowCount()
    close(app, window)
    report(
        {
            "edits": len(idle) + len(training) + len(full_idle) + len(full_training),
            "idle_p50_ms": median(idle) * 1000,
            "idle_p99_ms": percentile(idle, 0.99) * 1000,
            "training_p50_ms": median(training) * 1000,
            "training_p99_ms": percentile(training, 0.99) * 1000,
            "full_idle_p50_ms": median(full_idle) * 1000,
            "full_idle_p99_ms": percentile(full_idle, 0.99) * 1000,
            "full_training_p50_ms": median(full_training) * 1000,
            "full_training_p99_ms": percentile(full_training, 0.99) * 1000,
            "epochs_during_run": trained,
        }
    )


if __name__ == "__main__":
    main()

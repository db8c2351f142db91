"""Edit → every stage panel repainted: p50 and p99 over many edits, idle and while training.

Edits are made through the input table's model at fixed deadlines (every 25 ms). An edit's
latency ends when all four panels have finished a paint of the values computed for it (each
panel records the version of the values it last painted and when).
"""

from __future__ import annotations

import sys
import time

from common import close, median, percentile, report, spin, start_window, wait_until
from PySide6.QtCore import Qt

INTERVAL_S = 0.025


def measure(app, window, edits: int) -> list[float]:  # type: ignore[no-untyped-def]
    model = window.input_table.model()
    index = model.index(0, 1)
    panels = [panel.plot for panel in window.panels]
    latencies: list[float] = []
    next_at = time.perf_counter()
    for i in range(edits):
        while time.perf_counter() < next_at:
            app.processEvents()
        value = 10.0 + (i % 50) * 0.01  # never the current value: every panel must change
        started = time.perf_counter()
        model.setData(index, value, Qt.ItemDataRole.EditRole)
        if not wait_until(app, lambda v=value: window.last_trace.stages[0].values[1] == v, 5):
            raise SystemExit("an edit got no trace within 5 s")
        versions = [plot.shown_version for plot in panels]
        wait_until(
            app,
            lambda versions=versions: all(
                p.painted_version >= v for p, v in zip(panels, versions, strict=True)
            ),
            5,
        )
        latencies.append(max(p.painted_at for p in panels) - started)
        next_at = started + INTERVAL_S
    return latencies


def main() -> None:
    quick = "--quick" in sys.argv
    edits = 60 if quick else 300
    app, window = start_window(full_speed=True)
    idle = measure(app, window, edits)
    window.controls.action_train.trigger()
    spin(app, 0.5)
    training = measure(app, window, edits)
    rows = window.epochs.rowCount()
    window.controls.action_train.trigger()
    close(app, window)
    report(
        {
            "edits": edits,
            "idle_p50_ms": median(idle) * 1000,
            "idle_p99_ms": percentile(idle, 0.99) * 1000,
            "training_p50_ms": median(training) * 1000,
            "training_p99_ms": percentile(training, 0.99) * 1000,
            "epochs_trained_meanwhile": rows,
        }
    )


if __name__ == "__main__":
    main()

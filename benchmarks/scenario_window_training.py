"""Training throughput in the live window: steps per second with curves, tables and the trace
redrawing, counted from the batches the window received."""

from __future__ import annotations

import sys
import time

from common import close, report, spin, start_window


def main() -> None:
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 3.0
    app, window = start_window(full_speed=True)
    window.controls.action_train.trigger()
    spin(app, 1.0)  # past the first epochs and range changes
    before = window.plots.batch_losses.appended
    started = time.perf_counter()
    spin(app, seconds)
    steps = window.plots.batch_losses.appended - before
    elapsed = time.perf_counter() - started
    window.controls.action_train.trigger()
    close(app, window)
    report({"steps_per_s": steps / elapsed})


if __name__ == "__main__":
    main()

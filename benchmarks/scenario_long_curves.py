"""Long curves: append a progress message's batches to a loss history of 1e6 points, repaint.

The window's own loss plot is fed 1e6 batch losses first (its buffer keeps at most 2^18
points, averaging older neighbours pairwise), then each repeat appends one progress message's
worth of batches and repaints the plot. For comparison, the same is timed on a plain
PlotWidget that holds all 1e6 points (auto-downsampling, clip-to-view, fixed range).
"""

from __future__ import annotations

import sys
import time

import numpy as np
from common import close, median, percentile, report, start_window

CHUNK = 150  # batches in one progress message at ~4,500 steps/s and 30 messages/s


def fake_history(start: int, count: int) -> tuple[np.ndarray, np.ndarray]:
    steps = np.arange(start, start + count, dtype=np.float64)
    losses = 1.4 * np.exp(-steps / 2e5) + 0.05 * np.abs(np.sin(steps * 0.37))
    return steps / 13.0, losses


def time_window_plot(window, total: int, repeats: int) -> list[float]:  # type: ignore[no-untyped-def]
    plots = window.plots
    for start in range(0, total, 50_000):
        x, y = fake_history(start, min(50_000, total - start))
        plots.add_progress(x, y, ())
    viewport = plots.loss_plot.viewport()
    viewport.repaint()
    times = []
    for i in range(repeats):
        x, y = fake_history(total + i * CHUNK, CHUNK)
        started = time.perf_counter()
        plots.add_progress(x, y, ())
        viewport.repaint()
        times.append(time.perf_counter() - started)
    return times


def time_plain_plot(total: int, repeats: int) -> list[float]:
    import pyqtgraph as pg

    plot = pg.PlotWidget()
    plot.resize(470, 230)
    plot.show()
    x, y = fake_history(0, total + repeats * CHUNK)
    curve = plot.plot(pen=pg.mkPen("#2f6db5", width=1))
    curve.setClipToView(True)
    curve.setDownsampling(auto=True, method="peak")
    plot.getPlotItem().setXRange(0, float(x[-1]) * 1.05, padding=0)
    plot.getPlotItem().setYRange(0, 2, padding=0)
    times = []
    for i in range(repeats):
        end = total + (i + 1) * CHUNK
        started = time.perf_counter()
        curve.setData(x[:end], y[:end])
        plot.viewport().repaint()
        times.append(time.perf_counter() - started)
    plot.close()
    return times


def main() -> None:
    quick = "--quick" in sys.argv
    total = 200_000 if quick else 1_000_000
    repeats = 30 if quick else 100
    app, window = start_window()
    app_times = time_window_plot(window, total, repeats)
    stored = len(window.plots.batch_losses)
    plain_times = time_plain_plot(total, repeats)
    close(app, window)
    report(
        {
            "points_appended": total + repeats * CHUNK,
            "points_stored": stored,
            "app_median_ms": median(app_times) * 1000,
            "app_p99_ms": percentile(app_times, 0.99) * 1000,
            "all_points_median_ms": median(plain_times) * 1000,
        }
    )


if __name__ == "__main__":
    main()

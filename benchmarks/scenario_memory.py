"""Memory: resident memory of the window and its model process after 1e3 training steps, and
again after 1e6 steps, training flat out in the live window."""

from __future__ import annotations

import gc
import sys
import time

from common import close, report, rss_mib, spin, start_window, wait_until


def total_rss(window) -> float:  # type: ignore[no-untyped-def]
    import os

    model_pid = window.host.worker._process.pid
    return rss_mib(os.getpid()) + rss_mib(model_pid)


def main() -> None:
    target = 20_000 if "--quick" in sys.argv else 1_000_000
    app, window = start_window(full_speed=True)
    steps = window.plots.batch_losses
    window.controls.action_train.trigger()
    wait_until(app, lambda: steps.appended >= 1_000, 60)
    gc.collect()
    early_steps, early = steps.appended, total_rss(window)
    started = time.perf_counter()
    if not wait_until(app, lambda: steps.appended >= target, 3600):
        raise SystemExit("training did not reach the target step count")
    window.controls.action_train.trigger()
    spin(app, 0.5)
    gc.collect()
    late_steps, late = steps.appended, total_rss(window)
    elapsed = time.perf_counter() - started
    epochs = window.epochs.rowCount()
    close(app, window)
    report(
        {
            "steps_early": early_steps,
            "rss_early_mib": early,
            "steps_late": late_steps,
            "rss_late_mib": late,
            "growth_mib": late - early,
            "epoch_rows_kept": epochs,
            "seconds": elapsed,
        }
    )


if __name__ == "__main__":
    main()

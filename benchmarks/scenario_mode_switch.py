"""Mode switch → the new page painted: p50 and p99 over many switches, idle and while training.

A switch presses the mode's key action (what keys 1–8 and the mode bar trigger), then lets the
event loop take what the switch posted (layout requests, the deferred table update) and paints
the whole window synchronously: the latency ends when the new page is on screen. Modes are
visited in a fixed shuffled cycle, so every pair of neighbours is measured.
"""

from __future__ import annotations

import sys
import time

from common import close, median, percentile, report, spin, start_window

from model.modes import MODE_NAMES, PRESENTER

#: Every page, in an order where each is left for a different one each time round.
CYCLE = ("explore", "quiz", "step", "gradients", "code", "train", "predict", "compare")


def switch_latencies(app, window, switches: int) -> list[float]:  # type: ignore[no-untyped-def]
    """Seconds from each key action to the window painted with the new page."""
    actions = window.mode_bar.actions_by_name
    latencies = []
    for index in range(switches):
        name = CYCLE[(index + 1) % len(CYCLE)]
        started = time.perf_counter()
        actions[name].trigger()
        app.processEvents()
        window.repaint()
        latencies.append(time.perf_counter() - started)
        assert window.mode_stack.current_page.mode_name == name
        spin(app, 0.03)  # let training frames arrive between switches, as between key presses
    return latencies


def main() -> None:
    assert set(CYCLE) == set(MODE_NAMES) - {PRESENTER}
    switches = 48 if "--quick" in sys.argv else 240
    app, window = start_window(full_speed=True)
    switch_latencies(app, window, len(CYCLE))  # every page built its first layout
    idle = switch_latencies(app, window, switches)
    window.controls.action_train.trigger()
    spin(app, 0.5)
    training = switch_latencies(app, window, switches)
    window.controls.action_train.trigger()
    trained = window.epochs.rowCount()
    close(app, window)
    report(
        {
            "switches": len(idle) + len(training),
            "idle_p50_ms": median(idle) * 1000,
            "idle_p99_ms": percentile(idle, 0.99) * 1000,
            "training_p50_ms": median(training) * 1000,
            "training_p99_ms": percentile(training, 0.99) * 1000,
            "epochs_during_run": trained,
        }
    )


if __name__ == "__main__":
    main()

"""Mode switch → the new page painted: p50 and p99 over many switches, idle and while training.

A switch presses the mode's key action (what keys 1–8 and the mode bar trigger), then lets the
event loop take what the switch posted (layout requests, resizes, the repaint): the latency
ends when the event loop has painted the new page (an event filter sees its Paint event; the
offscreen platform paints within the same pass). Modes are visited in a fixed shuffled cycle,
so every pair of neighbours is measured.
"""

from __future__ import annotations

import sys
import time

from common import close, median, percentile, report, spin, start_window
from PySide6.QtCore import QEvent, QObject

from model.modes import MODE_NAMES, PRESENTER

#: Every page, in an order where each is left for a different one each time round.
CYCLE = ("explore", "quiz", "step", "gradients", "code", "train", "predict", "compare")


class PaintSeen(QObject):
    """Notes the pages that received a Paint event."""

    def __init__(self) -> None:
        super().__init__()
        self.painted: set[object] = set()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.painted.add(watched)
        return False


def switch_latencies(app, window, switches: int) -> list[float]:  # type: ignore[no-untyped-def]
    """Seconds from each key action to the new page painted by the event loop."""
    actions = window.mode_bar.actions_by_name
    seen = PaintSeen()
    for page in window.pages.values():
        page.installEventFilter(seen)
    latencies = []
    for index in range(switches):
        name = CYCLE[(index + 1) % len(CYCLE)]
        page = window.pages[name]
        seen.painted.clear()
        started = time.perf_counter()
        actions[name].trigger()
        while page not in seen.painted:
            app.processEvents()
        app.processEvents()  # the children's paints, posted after the page's own
        latencies.append(time.perf_counter() - started)
        assert window.mode_stack.current_page.mode_name == name
        spin(app, 0.03)  # let training frames arrive between switches, as between key presses
    for page in window.pages.values():
        page.removeEventFilter(seen)
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

"""Helpers shared by the benchmark scenarios: the real window offscreen, waits, statistics.

Every scenario runs in a fresh interpreter (``run.py`` starts one per scenario) and prints a
single JSON object on its last stdout line.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def percentile(values: Sequence[float], fraction: float) -> float:
    """The value below which ``fraction`` of ``values`` lie (nearest rank)."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[rank]


def median(values: Sequence[float]) -> float:
    """The median, NaN for no values."""
    return statistics.median(values) if values else float("nan")


def report(figures: dict[str, Any]) -> None:
    """Print a scenario's figures as the last line of stdout, for ``run.py`` to read."""
    print(json.dumps(figures), flush=True)


def start_window(full_speed: bool = False) -> tuple[Any, Any]:
    """The application and the real main window, shown, with the model ready."""
    from PySide6.QtWidgets import QApplication

    import main

    app = QApplication.instance() or QApplication([])
    window = main.build_window()
    window.show()
    if not wait_until(app, lambda: window.is_model_ready and window.last_trace is not None, 120):
        raise SystemExit("the model did not become ready within 120 s")
    if full_speed:
        window.controls.pace.setCurrentIndex(window.controls.pace.count() - 1)
    spin(app, 0.2)
    return app, window


def wait_until(app: Any, predicate: Callable[[], bool], timeout_s: float) -> bool:
    """Process events (busily: no sleep adds latency) until ``predicate`` or the timeout."""
    deadline = time.perf_counter() + timeout_s
    while not predicate():
        if time.perf_counter() > deadline:
            return False
        app.processEvents()
    return True


def spin(app: Any, seconds: float) -> None:
    """Keep the event loop going for ``seconds``."""
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        app.processEvents()
        time.sleep(0.001)


def close(app: Any, window: Any) -> None:
    """Close the window (stopping its model process) and let Qt finish."""
    window.close()
    app.processEvents()


def rss_mib(pid: int) -> float:
    """Resident memory of process ``pid`` in MiB (Linux /proc)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")

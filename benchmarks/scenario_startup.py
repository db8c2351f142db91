"""Start-up: process start → first window paint, ÷ ``python -c "import torch"`` (same run);
and the longest event-loop stall between the first paint and "model ready".

Each trial starts fresh interpreters, alternating the two commands so that both see the same
machine load; medians over the trials.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from common import ROOT, median, report

PROBE = Path(__file__).with_name("probe_startup.py")


def import_torch_seconds() -> float:
    started = time.monotonic()
    subprocess.run([sys.executable, "-c", "import torch"], check=True)
    return time.monotonic() - started


def app_start() -> dict[str, float]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, str(PROBE)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=180,
    )
    marks = json.loads(result.stdout.strip().splitlines()[-1])
    return {
        "first_paint_s": marks["first_paint"] - started,
        "first_frame_s": marks["first_frame_done"] - started,
        "ready_s": marks["model_ready"] - started,
        "stall_s": marks["longest_stall_s"],
    }


def main() -> None:
    trials = 2 if "--quick" in sys.argv else 5
    torch_times, paints, frames, readies, stalls = [], [], [], [], []
    for _ in range(trials):
        torch_times.append(import_torch_seconds())
        start = app_start()
        paints.append(start["first_paint_s"])
        frames.append(start["first_frame_s"])
        readies.append(start["ready_s"])
        stalls.append(start["stall_s"])
    torch_median = median(torch_times)
    report(
        {
            "trials": trials,
            "import_torch_s": torch_median,
            "first_paint_s": median(paints),
            "first_paint_ratio": median(paints) / torch_median,
            "first_frame_s": median(frames),
            "first_frame_ratio": median(frames) / torch_median,
            "model_ready_s": median(readies),
            "longest_stall_ms": max(stalls) * 1000,
            "median_stall_ms": median(stalls) * 1000,
        }
    )


if __name__ == "__main__":
    main()

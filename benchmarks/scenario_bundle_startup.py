"""Start-up of the bundle against the source: launch → first frame, launch → model ready.

    python benchmarks/scenario_bundle_startup.py [--bundle dist/activation-lab/activation-lab]
        [--trials N] [--quick]

Each trial starts ``python main.py`` and the bundled executable (alternating, so that both see
the same machine load) offscreen, with ``ACTIVATION_LAB_STARTUP_MARKERS=1``: the app prints
``first-frame <t>`` and ``model-ready <t>`` (CLOCK_MONOTONIC, see gui/startup_markers.py) on
stderr; the time from just before the launch is measured, then the app is asked to close
(SIGTERM). Medians, and bundle ÷ source (the issue's bound: ≤ 1.2). Without a bundle, the
source alone is measured.
"""

from __future__ import annotations

import argparse
import os
import select
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import ROOT, median, report

MARKERS = ("first-frame", "model-ready")
TIMEOUT_S = 180.0


def launch(command: list[str]) -> dict[str, float]:
    """Seconds from launch to each marker (stderr read as it comes), then a polite close."""
    with tempfile.TemporaryDirectory() as settings:
        env = {
            **os.environ,
            "QT_QPA_PLATFORM": "offscreen",
            "ACTIVATION_LAB_STARTUP_MARKERS": "1",
            "ACTIVATION_LAB_CONFIG_DIR": settings,
            "ACTIVATION_LAB_LOG_DIR": settings,
        }
        started = time.monotonic()
        process = subprocess.Popen(command, cwd=ROOT, env=env, stderr=subprocess.PIPE, text=True)
        assert process.stderr is not None
        seen: dict[str, float] = {}
        deadline = started + TIMEOUT_S
        try:
            while len(seen) < len(MARKERS) and time.monotonic() < deadline:
                ready, _, _ = select.select([process.stderr], [], [], 1.0)
                line = process.stderr.readline() if ready else ""
                if not line and process.poll() is not None:
                    break
                name, _, stamp = line.strip().partition(" ")
                if name in MARKERS:
                    seen[name] = float(stamp) - started
        finally:
            process.terminate()  # SIGTERM: the app closes as from the window
            process.wait(timeout=30)
    missing = [name for name in MARKERS if name not in seen]
    if missing:
        raise SystemExit(f"{command[0]}: no {', '.join(missing)} marker (is the hook in?)")
    return seen


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--bundle", type=Path, default=ROOT / "dist/activation-lab/activation-lab")
    parser.add_argument("--trials", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="2 trials")
    args = parser.parse_args()
    trials = 2 if args.quick else args.trials
    commands = {"source": [sys.executable, str(ROOT / "main.py")]}
    if args.bundle.is_file():
        commands["bundle"] = [str(args.bundle)]
    times: dict[str, dict[str, list[float]]] = {
        kind: {marker: [] for marker in MARKERS} for kind in commands
    }
    for _ in range(trials):
        for kind, command in commands.items():
            for marker, seconds in launch(command).items():
                times[kind][marker].append(seconds)
    figures: dict[str, float] = {}
    for kind in commands:
        for marker in MARKERS:
            figures[f"{kind}_{marker.replace('-', '_')}_s"] = median(times[kind][marker])
    if "bundle" in commands:
        for marker in MARKERS:
            key = marker.replace("-", "_")
            figures[f"{key}_ratio"] = figures[f"bundle_{key}_s"] / figures[f"source_{key}_s"]
    report({"trials": trials, **figures})


if __name__ == "__main__":
    main()

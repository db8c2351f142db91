"""Activation Lab's benchmark: every "live" promise as a measured figure beside its goal.

    python benchmarks/run.py            full run (about 10 minutes, most of it 1e6 steps)
    python benchmarks/run.py --quick    smoke run for CI (about 1 minute), same figures
    python benchmarks/run.py --json     the figures as JSON

Each scenario runs in a fresh interpreter and drives the real window offscreen. Figures are
ratios or distributions measured within one run, because these machines are shared and noisy.
The goals are reported, not enforced: the exit code is 0 unless a scenario fails to run.
See benchmarks/README.md for the method.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Figure:
    """One line of the table: where its number comes from and what it must beat."""

    name: str
    unit: str
    goal: float
    at_most: bool
    value: Callable[[dict[str, Any]], float]

    def met(self, value: float) -> bool:
        return value <= self.goal if self.at_most else value >= self.goal


def scenario(name: str, *arguments: str) -> dict[str, Any]:
    """Run ``scenario_<name>.py`` in a fresh interpreter; its last stdout line is JSON."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [sys.executable, str(HERE / f"scenario_{name}.py"), *arguments],
        cwd=HERE.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=3600,
        check=False,
    )
    if result.returncode != 0:
        raise SystemExit(f"scenario {name} failed:\n{result.stderr[-3000:]}")
    data: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    return data


def throughput(quick: bool) -> dict[str, Any]:
    """Window and bare loop alternately, in fresh processes; the ratio of the medians."""
    pairs, seconds = (1, "3") if quick else (3, "5")
    window, bare = [], []
    for _ in range(pairs):
        window.append(scenario("window_training", seconds)["steps_per_s"])
        bare.append(scenario("bare_loop", seconds)["steps_per_s"])
    window.sort()
    bare.sort()
    window_median, bare_median = window[len(window) // 2], bare[len(bare) // 2]
    return {"window": window_median, "bare": bare_median, "ratio": window_median / bare_median}


FIGURES: dict[str, list[Figure]] = {
    "edit_latency": [
        Figure("edit → panels repainted, idle, p50", "ms", 5, True, lambda d: d["idle_p50_ms"]),
        Figure("edit → panels repainted, idle, p99", "ms", 16, True, lambda d: d["idle_p99_ms"]),
        Figure(
            "edit → panels repainted, training, p50", "ms", 5, True, lambda d: d["training_p50_ms"]
        ),
        Figure(
            "edit → panels repainted, training, p99", "ms", 16, True, lambda d: d["training_p99_ms"]
        ),
        Figure(
            "… with gradient rows and curves, idle, p50",
            "ms",
            5,
            True,
            lambda d: d["full_idle_p50_ms"],
        ),
        Figure(
            "… with gradient rows and curves, idle, p99",
            "ms",
            16,
            True,
            lambda d: d["full_idle_p99_ms"],
        ),
        Figure(
            "… with gradient rows and curves, training, p50",
            "ms",
            5,
            True,
            lambda d: d["full_training_p50_ms"],
        ),
        Figure(
            "… with gradient rows and curves, training, p99",
            "ms",
            16,
            True,
            lambda d: d["full_training_p99_ms"],
        ),
    ],
    "mode_switch": [
        Figure("mode switch → page painted, idle, p50", "ms", 50, True, lambda d: d["idle_p50_ms"]),
        Figure("mode switch → page painted, idle, p99", "ms", 50, True, lambda d: d["idle_p99_ms"]),
        Figure(
            "mode switch → page painted, training, p50",
            "ms",
            50,
            True,
            lambda d: d["training_p50_ms"],
        ),
        Figure(
            "mode switch → page painted, training, p99",
            "ms",
            50,
            True,
            lambda d: d["training_p99_ms"],
        ),
    ],
    "throughput": [
        Figure("training steps/s, window ÷ bare loop", "×", 0.95, False, lambda d: d["ratio"]),
    ],
    "compare_throughput": [
        Figure(
            "training steps/s, four compared runs ÷ one run",
            "×",
            0.9,
            False,
            lambda d: d["ratio"],
        ),
    ],
    "responsiveness": [
        Figure(
            "10 ms timer lateness while training, p99",
            "ms",
            10,
            True,
            lambda d: d["training_p99_ms"],
        ),
        Figure(
            "10 ms timer lateness while training, max",
            "ms",
            50,
            True,
            lambda d: d["training_max_ms"],
        ),
    ],
    "long_curves": [
        Figure(
            "1e6-point loss history: append + repaint, median",
            "ms",
            8,
            True,
            lambda d: d["app_median_ms"],
        ),
    ],
    "startup": [
        Figure(
            "start → first paint ÷ import torch", "×", 0.5, True, lambda d: d["first_paint_ratio"]
        ),
        Figure(
            "longest stall, first paint → model ready",
            "ms",
            100,
            True,
            lambda d: d["longest_stall_ms"],
        ),
    ],
    "memory": [
        Figure(
            "RSS after 1e6 steps − after 1e3 (both processes)",
            "MB",
            30,
            True,
            lambda d: d["growth_mib"] * 1.048576,
        ),
    ],
    "headless": [
        Figure("main.py --trace ÷ import torch", "×", 1.2, True, lambda d: d["ratio"]),
    ],
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="short runs, for CI")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    quick = ["--quick"] if args.quick else []
    started = time.perf_counter()
    raw: dict[str, dict[str, Any]] = {}
    for name in FIGURES:
        raw[name] = throughput(args.quick) if name == "throughput" else scenario(name, *quick)
    rows = []
    for name, figures in FIGURES.items():
        for figure in figures:
            value = figure.value(raw[name])
            rows.append(
                {
                    "figure": figure.name,
                    "value": value,
                    "unit": figure.unit,
                    "goal": f"{'≤' if figure.at_most else '≥'} {figure.goal:g}",
                    "met": figure.met(value),
                }
            )
    if args.json:
        print(json.dumps({"quick": args.quick, "figures": rows, "raw": raw}, indent=2))
        return 0
    width = max(len(row["figure"]) for row in rows)
    mode = "quick" if args.quick else "full"
    print(f"Activation Lab benchmark ({mode} run, {time.perf_counter() - started:.0f} s)\n")
    print(f"{'figure':<{width}}  {'measured':>12}  {'goal':>8}  met")
    for row in rows:
        measured = f"{row['value']:.3g} {row['unit']}"
        met = "yes" if row["met"] else "NO"
        print(f"{row['figure']:<{width}}  {measured:>12}  {row['goal']:>8}  {met}")
    details = raw["throughput"]
    print(
        f"\nthroughput: {details['window']:.0f} steps/s in the window, "
        f"{details['bare']:.0f} in a bare loop"
    )
    print(
        f"memory: {raw['memory']['steps_late']:.0f} steps, "
        f"{raw['memory']['rss_early_mib']:.0f} → {raw['memory']['rss_late_mib']:.0f} MiB"
    )
    if args.quick:
        print(
            "quick run: memory over 2e4 steps and a 2e5-point history, fewer edits and "
            "trials; run without --quick for the figures the goals are about"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Headless: ``main.py --trace`` wall time ÷ ``python -c "import torch"``, alternating fresh
processes so both see the same machine load; medians over the trials."""

from __future__ import annotations

import subprocess
import sys
import time

from common import ROOT, median, report


def wall(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, cwd=ROOT, check=True, capture_output=True)
    return time.perf_counter() - started


def main() -> None:
    trials = 3 if "--quick" in sys.argv else 7
    trace, torch_only = [], []
    for _ in range(trials):
        torch_only.append(wall([sys.executable, "-c", "import torch"]))
        trace.append(wall([sys.executable, "main.py", "--trace", "2,-1,0.5,3"]))
    report(
        {
            "trials": trials,
            "trace_s": median(trace),
            "import_torch_s": median(torch_only),
            "ratio": median(trace) / median(torch_only),
        }
    )


if __name__ == "__main__":
    main()

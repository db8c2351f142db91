"""Walking every widget must survive a garbage collection mid-walk (a CI segfault, fixed).

``QApplication.allWidgets()`` wraps raw pointers one at a time; a collection that frees an
unreachable window meanwhile leaves the rest of its widgets as freed memory. The scenario runs in
a child process (it is a crash when it goes wrong) with freed memory poisoned, so a
use-after-free crashes every time instead of sometimes.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "tests" / "garbage_windows_script.py"
#: glibc fills freed memory with this byte: reading freed memory as a widget crashes at once.
POISONED = {"MALLOC_PERTURB_": "165"}


def _walk(mode: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), mode],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **POISONED},
        check=False,
    )


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="MALLOC_PERTURB_ is glibc's")
def test_the_scenario_crashes_a_raw_walk() -> None:
    """The control: without the guard this scenario is a crash (else the next test is empty)."""
    assert _walk("raw").returncode != 0


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="MALLOC_PERTURB_ is glibc's")
def test_live_widgets_walks_it_safely() -> None:
    walked = _walk("safe")
    assert walked.returncode == 0, walked.stderr[-2000:]
    assert int(walked.stdout) == 601  # the live window: itself, 100 areas, each 5 widgets


def test_no_code_walks_widgets_raw() -> None:
    """Every walk over the application's widgets goes through :mod:`gui.live_widgets`."""
    raw = re.compile(r"\.(allWidgets|topLevelWidgets)\(")
    allowed = {"live_widgets.py", "garbage_windows_script.py", "test_live_widgets.py"}
    sources = [ROOT / "main.py"] + [
        path
        for folder in ("gui", "model", "tests", "packaging")
        for path in (ROOT / folder).rglob("*.py")
    ]
    offenders = [
        str(path.relative_to(ROOT))
        for path in sources
        if path.name not in allowed and raw.search(path.read_text())
    ]
    assert offenders == []

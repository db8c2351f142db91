"""The system packages Qt needs are named in three places that must agree: the start-up
check in gui/system_libraries.py, the README's apt-get line, and what .ci/run installs."""

from __future__ import annotations

import re
from pathlib import Path

from gui.system_libraries import QT_LIBRARIES, XCB_LIBRARIES

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = set(QT_LIBRARIES.values()) | set(XCB_LIBRARIES.values())


def test_the_readme_apt_line_installs_every_package_the_check_names() -> None:
    """One `sudo apt-get install …` line in the README holds them all."""
    lines = [
        line for line in (ROOT / "README.md").read_text().splitlines() if "apt-get install" in line
    ]
    assert lines, "the README has no apt-get line"
    named = set(re.split(r"\s+", lines[0].split("apt-get install", 1)[1].strip()))
    assert named >= PACKAGES, PACKAGES - named


def test_ci_installs_every_package_the_check_names() -> None:
    """CI runs the desktop tests with exactly what a user is told to install."""
    script = (ROOT / ".ci" / "run").read_text().replace("\\\n", " ")
    named = set(re.findall(r"[a-z0-9][a-z0-9.+-]+", script))
    assert named >= PACKAGES, PACKAGES - named

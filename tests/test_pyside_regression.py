"""Guards against PySide6 6.12.0 on CPython < 3.12, which aborts after ~100 plot redraws.

That release drops a reference to ``None`` on every void call and one to ``True`` on every
emit; after enough of them the interpreter dies with ``Fatal Python error: none_dealloc``.
The failure is an abort, so the redraws run in a child interpreter.
"""

from __future__ import annotations

import sys
import textwrap
import tomllib
from importlib.metadata import version
from pathlib import Path

import helpers
import pytest
from packaging.requirements import Requirement
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[1]

REDRAWS = textwrap.dedent(
    """
    import numpy as np
    import pyqtgraph as pg
    from PySide6.QtCore import QObject, Signal
    from PySide6.QtWidgets import QApplication

    class Emitter(QObject):
        fired = Signal(bool)

    app = QApplication([])
    plot = pg.PlotWidget()
    bars = pg.BarGraphItem(x=np.arange(4), height=np.zeros(4), width=0.6)
    plot.addItem(bars)
    plot.show()
    emitter = Emitter()
    received = []
    emitter.fired.connect(received.append)
    for i in range(3000):
        bars.setOpts(height=np.sin(np.arange(4) + i))
        plot.repaint()
        emitter.fired.emit(True)
        app.processEvents()
    assert len(received) == 3000
    print("survived")
    """
)


def test_thousands_of_redraws_and_emits_survive() -> None:
    """3,000 bar redraws and signal emits finish without a fatal error."""
    result = helpers.run_python("-c", REDRAWS, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "survived" in result.stdout
    assert "none_dealloc" not in result.stderr


#: The first release with the reference leak, and the Pythons it aborts.
BROKEN_RELEASE = "6.12.0"
AFFECTED = sys.version_info < (3, 12)
IMMUNE = "Python 3.12+ is immune (None and True are immortal there): any PySide6 may be installed"


@pytest.mark.skipif(not AFFECTED, reason=IMMUNE)
def test_installed_pyside_is_not_the_broken_release() -> None:
    """The PySide6 this interpreter runs is older than 6.12."""
    installed = Version(version("PySide6-Essentials"))
    assert installed.release[:2] < (6, 12), f"PySide6-Essentials {installed} aborts on this Python"


@pytest.mark.skipif(not AFFECTED, reason=IMMUNE)
def test_the_dependency_pin_keeps_the_broken_release_away() -> None:
    """pyproject.toml's requirement for this Python refuses 6.12.0 and accepts what is
    installed: a fresh install cannot pick the broken release."""
    with (ROOT / "pyproject.toml").open("rb") as file:
        dependencies = tomllib.load(file)["project"]["dependencies"]
    requirements = [Requirement(line) for line in dependencies]
    here = [
        r
        for r in requirements
        if r.name == "PySide6-Essentials" and (r.marker is None or r.marker.evaluate())
    ]
    assert here, f"no PySide6-Essentials requirement applies to this Python: {dependencies}"
    installed = version("PySide6-Essentials")
    for requirement in here:
        assert not requirement.specifier.contains(BROKEN_RELEASE), (
            f"{requirement} lets the broken {BROKEN_RELEASE} install on this Python"
        )
        assert requirement.specifier.contains(installed), f"{requirement} refuses {installed}"

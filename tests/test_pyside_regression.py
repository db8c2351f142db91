"""Guards against PySide6 6.12.0 on CPython < 3.12, which aborts after ~100 plot redraws.

That release drops a reference to ``None`` on every void call and one to ``True`` on every
emit; after enough of them the interpreter dies with ``Fatal Python error: none_dealloc``.
The failure is an abort, so the redraws run in a child interpreter.
"""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import helpers

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


def test_installed_pyside_is_not_the_broken_release() -> None:
    """The dependency pin keeps 6.12.x away from Python < 3.12."""
    from importlib.metadata import version

    installed = tuple(int(part) for part in version("PySide6-Essentials").split(".")[:2])
    if sys.version_info < (3, 12):
        assert installed < (6, 12), f"PySide6-Essentials {installed} aborts on this Python"

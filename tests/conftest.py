"""Shared test set-up: offscreen Qt, the real window with its model process, leak checks.

``QT_QPA_PLATFORM`` is set before anything imports Qt, so the suite runs on machines with no
display (CI) exactly as on a desktop.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import pytest  # noqa: E402

#: Generous bound for the model process to import torch and warm up on a busy 2-core machine.
MODEL_READY_TIMEOUT_MS = 60_000


@pytest.fixture(autouse=True)
def _no_leaked_threads_or_processes() -> Iterator[None]:
    """Fail a test that leaves a thread running or a model process alive."""
    threads_before = set(threading.enumerate())
    yield
    leaked = [t for t in threading.enumerate() if t not in threads_before and t.is_alive()]
    # multiprocessing's own bookkeeping threads are not ours to stop.
    leaked = [t for t in leaked if not t.name.startswith(("QueueFeederThread", "pymp"))]
    assert not leaked, f"threads left running: {leaked}"
    children = [p for p in multiprocessing.active_children() if p.name == "activation-lab-model"]
    assert not children, f"model processes left running: {children}"


@pytest.fixture
def window(qtbot):  # type: ignore[no-untyped-def]
    """The real main window, shown, with its model process ready and the first trace drawn."""
    import main

    win = main.build_window()
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(
        lambda: win.is_model_ready and win.last_trace is not None, timeout=MODEL_READY_TIMEOUT_MS
    )
    yield win
    win.close()
    assert not win.host.model_thread.isRunning(), "the model thread outlived the window"

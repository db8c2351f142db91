"""Shared test set-up: offscreen Qt, the real window with its model process, leak checks.

``QT_QPA_PLATFORM`` is set before anything imports Qt, so the suite runs on machines with no
display (CI) exactly as on a desktop.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import sys
import threading
import time
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
def _private_settings(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Each test reads and writes its own settings folder: never the learner's, and never
    what an earlier test left (a restored mode or input would change what a test starts from).
    Subprocesses started by the test inherit it."""
    folder = tmp_path_factory.mktemp("config")
    before = os.environ.get("ACTIVATION_LAB_CONFIG_DIR")
    os.environ["ACTIVATION_LAB_CONFIG_DIR"] = str(folder)
    yield
    if before is None:
        os.environ.pop("ACTIVATION_LAB_CONFIG_DIR", None)
    else:
        os.environ["ACTIVATION_LAB_CONFIG_DIR"] = before


#: How long a test's threads and model processes may take to end after it (polled, so a
#: clean test waits for nothing).
LEAK_GRACE_SECONDS = 5.0
#: A new OS thread takes its name a moment after it starts: one still unnamed gets this long.
NAMING_SECONDS = 0.5
#: Threads Qt starts once and keeps for the process (its thread pool idles out only after
#: 30 s; D-Bus, GLib and X event threads never): not a test's to stop.
PROCESS_THREADS = frozenset(
    {"Thread (pooled)", "QDBusConnection", "gmain", "gdbus", "dconf worker", "QXcbEventQueue"}
)


def _os_threads() -> dict[int, str]:
    """This process's OS threads, id → name (empty where there is no /proc).

    ``threading.enumerate()`` does not list QThreads, but Qt names each one's OS thread after
    its objectName or class ("model_thread", "QThread"); threads named like the main thread
    are Python's (checked through ``threading``) or torch/OpenMP workers that live as long as
    the process.
    """
    tasks = Path("/proc/self/task")
    try:
        ids = [task.name for task in tasks.iterdir()]
    except OSError:
        return {}
    found = {}
    for tid in ids:
        with contextlib.suppress(OSError):  # it ended while we looked
            found[int(tid)] = (tasks / tid / "comm").read_text().strip()
    return found


def _main_thread_name() -> str:
    with contextlib.suppress(OSError):
        return (Path("/proc/self/task") / str(os.getpid()) / "comm").read_text().strip()
    return ""


def _running_model_hosts() -> set[object]:
    """Model hosts whose thread runs (none if no test has imported the window yet)."""
    host_module = sys.modules.get("gui.model_host")
    if host_module is None:
        return set()
    running = set()
    for host in list(host_module.ModelHost._live):
        try:
            if host.model_thread.isRunning():
                running.add(host)
        except RuntimeError:  # its C++ side is gone, and its thread with it
            continue
    return running


def _leaks(
    threads_before: set[threading.Thread], os_threads_before: set[int], hosts_before: set[object]
) -> tuple[list[str], list[int]]:
    """What the test left running that was not running before it, and the new OS threads
    that have no name of their own yet (a QThread names itself a moment after it starts)."""
    found = []
    threads = [t for t in threading.enumerate() if t not in threads_before and t.is_alive()]
    # multiprocessing's own bookkeeping threads are not ours to stop.
    threads = [t for t in threads if not t.name.startswith(("QueueFeederThread", "pymp"))]
    if threads:
        found.append(f"threads left running: {threads}")
    main_name = _main_thread_name()
    new = {tid: name for tid, name in _os_threads().items() if tid not in os_threads_before}
    native = sorted(
        (tid, name)
        for tid, name in new.items()
        if name != main_name and name not in PROCESS_THREADS
    )
    if native:
        found.append(f"Qt/OS threads left running (id, name): {native}")
    unnamed = [tid for tid, name in new.items() if name == main_name]
    hosts = _running_model_hosts() - hosts_before
    if hosts:
        found.append(f"model hosts whose thread still runs: {hosts}")
    children = [p for p in multiprocessing.active_children() if p.name == "activation-lab-model"]
    if children:
        found.append(f"model processes left running: {children}")
    return found, unnamed


@pytest.fixture(autouse=True)
def _no_leaked_threads_or_processes() -> Iterator[None]:
    """Fail a test that leaves a thread (Python's or a QThread) running or a model process
    alive; what is still ending gets up to ``LEAK_GRACE_SECONDS``."""
    before = (set(threading.enumerate()), set(_os_threads()), _running_model_hosts())
    yield
    start = time.monotonic()
    while True:
        leaks, unnamed = _leaks(*before)
        waited = time.monotonic() - start
        settled = not (unnamed and waited < NAMING_SECONDS)
        if (not leaks and settled) or waited > LEAK_GRACE_SECONDS:
            break
        time.sleep(0.02)  # polling: a thread that is ending needs nothing from this one
    assert not leaks, "; ".join(leaks)


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

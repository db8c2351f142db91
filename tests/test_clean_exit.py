"""``python main.py`` ends cleanly however it is left: closed while training, quit or killed
with a modal dialog open, SIGTERM while training.

A thread destroyed while running aborts the process after every in-process assertion has
passed, and a model process can outlive the window unnoticed, so each scenario runs the real
app in its own process (tests/clean_exit_driver.py) and this side reads its exit code, its
stderr, and which of its processes are still alive afterwards.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
DRIVER = HERE / "clean_exit_driver.py"
#: Bound on reaching the scenario's state (torch loads in the model process on a busy machine).
STATE_TIMEOUT_S = 90.0
#: Bound on the app ending once told to, and on its processes going after it.
EXIT_TIMEOUT_S = 30.0
#: Words in stderr that mean the exit was not clean.
NEVER_IN_STDERR = ("Traceback", "QThread: Destroyed", "Fatal Python error")


def read(path: Path) -> str:
    return path.read_text(errors="replace") if path.exists() else ""


def session_processes(session: int) -> list[str]:
    """Live processes (not zombies) of the session the driver leads: it, the model process,
    multiprocessing's forkserver and resource tracker, whatever else it started."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue  # it ended while we looked
        # "pid (comm) state ppid pgrp session ...": comm may hold spaces and parentheses.
        fields = stat[stat.rindex(")") + 2 :].split()
        if fields[0] != "Z" and int(fields[3]) == session:
            found.append(f"{entry.name} {stat[stat.index('(') : stat.rindex(')') + 1]}")
    return found


def wait_for(predicate: Callable[[], bool], timeout: float, what: Callable[[], str]) -> None:
    """Poll ``predicate`` until it holds; fail after ``timeout`` seconds with ``what()``,
    which says what was awaited and what there was at the end."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout} s waiting for {what()}")
        time.sleep(0.05)


def run_driver(scenario: str, tmp_path: Path, sigterm: bool) -> tuple[int, str, str]:
    """Run the driver's ``scenario`` until it reports its state (then, with ``sigterm``, send
    SIGTERM) and give it ``EXIT_TIMEOUT_S`` to end. Returns (exit code, stdout, stderr) after
    checking that none of its processes is left."""
    out, err = tmp_path / "stdout.txt", tmp_path / "stderr.txt"
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "PYTHONPATH": str(HERE.parent),
        "CLEAN_EXIT_SESSION": str(tmp_path / "session.json"),
    }
    with out.open("w") as stdout, err.open("w") as stderr:
        # Its own session: every process it starts can be found (and cleaned up) by it.
        process = subprocess.Popen(
            [sys.executable, str(DRIVER), scenario],
            cwd=HERE.parent,
            env=env,
            stdout=stdout,
            stderr=stderr,
            start_new_session=True,
        )
    try:
        wait_for(
            lambda: "STATE " in read(out) or process.poll() is not None,
            STATE_TIMEOUT_S,
            lambda: f"the driver's state; stdout:\n{read(out)}\nstderr:\n{read(err)}",
        )
        if sigterm:
            assert process.poll() is None, f"the app ended before SIGTERM:\n{read(err)}"
            # The positive: the check that finds processes left behind sees the live ones.
            alive = session_processes(process.pid)
            assert any(line.split()[0] == str(model_pid(read(out))) for line in alive), alive
            process.send_signal(signal.SIGTERM)
        try:
            code = process.wait(timeout=EXIT_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            pytest.fail(f"still running {EXIT_TIMEOUT_S} s on:\n{read(out)}\n{read(err)}")
        wait_for(
            lambda: not session_processes(process.pid),
            EXIT_TIMEOUT_S,
            lambda: f"the app's processes to end: {session_processes(process.pid)}",
        )
    finally:
        left = session_processes(process.pid)
        if process.poll() is None or left:
            with contextlib.suppress(ProcessLookupError):  # ours: never leave them running
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=EXIT_TIMEOUT_S)
    return code, read(out), read(err)


def model_pid(stdout: str) -> int:
    """The model process's id as the driver printed it (0: none)."""
    pids = [int(line.split()[1]) for line in stdout.splitlines() if line.startswith("MODEL_PID")]
    return pids[0] if pids else 0


def driver_result(stdout: str) -> dict[str, object]:
    """The ``RESULT {json}`` line the driver printed."""
    for line in stdout.splitlines():
        if line.startswith("RESULT "):
            result: dict[str, object] = json.loads(line.removeprefix("RESULT "))
            return result
    raise AssertionError(f"the driver printed no result:\n{stdout}")


def assert_clean(code: int, stdout: str, stderr: str) -> None:
    """Exit code 0, the scenario ran to its end, the model had started, stderr is clean."""
    assert code == 0, f"exit code {code}; stderr:\n{stderr}"
    result = driver_result(stdout)
    assert result["failures"] == [], result
    assert result["exit_code"] == 0, result
    # Stopped by the app on purpose, not by the interpreter's exit or a closed pipe.
    assert result["model_threads_running"] == [], result
    assert result["model_process_running"] is False, result
    assert model_pid(stdout) > 0, f"the model process never started:\n{stdout}"
    for words in NEVER_IN_STDERR:
        assert words not in stderr, f"{words!r} in stderr:\n{stderr}"


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="finds processes in /proc")
@pytest.mark.parametrize(
    ("scenario", "sigterm", "state"),
    [
        pytest.param("close-training", False, "STATE training", id="close-training"),
        pytest.param("quit-about", False, "STATE dialog QMessageBox", id="quit-about"),
        pytest.param("sigterm-compare", True, "STATE dialog CompareDialog", id="sigterm-compare"),
        pytest.param("sigterm-training", True, "STATE training", id="sigterm-training"),
    ],
)
def test_the_app_exits_cleanly(tmp_path: Path, scenario: str, sigterm: bool, state: str) -> None:
    """Closed mid-training, quit with the About box open, SIGTERM with the Compare dialog
    open, SIGTERM mid-training: exit 0, no traceback or abort, no process left behind."""
    code, stdout, stderr = run_driver(scenario, tmp_path, sigterm)
    assert state in stdout.splitlines(), f"the scenario never reached {state!r}:\n{stdout}"
    assert_clean(code, stdout, stderr)


def test_closing_during_a_save_leaves_a_whole_session_or_the_old_one(tmp_path: Path) -> None:
    """Closed while a save waits for the model: a clean exit, and the file on disk is a whole
    session: the old one (written here first) or the new one, never a broken mix."""
    from model.cli_sessions import session_of, train_run
    from model.config import TrainingConfig
    from model.session import read_session_file

    path = tmp_path / "session.json"
    old = session_of(train_run(TrainingConfig(), 1), TrainingConfig(), None, "old")
    path.write_text(old.to_text(), encoding="utf-8")
    code, stdout, stderr = run_driver("close-saving", tmp_path, sigterm=False)
    assert "STATE saving" in stdout.splitlines(), stdout
    assert_clean(code, stdout, stderr)
    on_disk = read_session_file(path)  # raises if the file is not a whole session
    assert on_disk.run.epoch >= 1
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(("session.json.", ".session"))]

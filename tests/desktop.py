"""A real X server for tests and the screenshot review: Xvfb, with no window manager.

The offscreen platform hides what a learner meets on a desktop (platform plugin libraries,
standard shortcuts, fonts, the window's real size), so these helpers start Xvfb at a given
screen size and run the app there without ``QT_QPA_PLATFORM``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DRIVER = ROOT / "tests" / "desktop_driver.py"
#: The screens the review looks at: a small laptop, the default, a projector.
SCREEN_SIZES = ((1024, 700), (1280, 800), (1920, 1080))
TOOLS = ("Xvfb", "xdotool", "import")


def missing_tools() -> list[str]:
    """The programs a desktop run needs that this machine lacks (Debian: xvfb, xdotool,
    imagemagick)."""
    return [tool for tool in TOOLS if shutil.which(tool) is None]


@contextmanager
def xvfb(width: int, height: int) -> Iterator[str]:
    """An X server with one screen of ``width`` × ``height``; yields its DISPLAY."""
    read_end, write_end = os.pipe()
    # -displayfd: Xvfb picks a free display and writes its number once it accepts clients.
    server = subprocess.Popen(
        [
            "Xvfb",
            "-displayfd",
            str(write_end),
            "-screen",
            "0",
            f"{width}x{height}x24",
            "-nolisten",
            "tcp",
        ],
        pass_fds=(write_end,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write_end)
    try:
        with os.fdopen(read_end) as announced:
            number = announced.readline().strip()
        if not number:
            raise RuntimeError("Xvfb did not start")
        yield f":{number}"
    finally:
        server.terminate()
        server.wait(timeout=10)


def desktop_env(display: str) -> dict[str, str]:
    """The environment of an app on ``display``: no offscreen platform, the project on the
    path."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("QT_QPA")}
    return {**env, "DISPLAY": display, "PYTHONPATH": str(ROOT)}


def run_driver(
    display: str, scenario: str, *args: str, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    """Run ``tests/desktop_driver.py SCENARIO`` on ``display`` and wait for it."""
    return subprocess.run(
        [sys.executable, str(DRIVER), scenario, *args],
        cwd=ROOT,
        env=desktop_env(display),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def interrupt_while_training(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run the driver's ``sigint`` scenario in ``env``; once it trains, send SIGINT to its
    whole process group, as Ctrl+C in the terminal that started the app does."""
    import signal

    process = subprocess.Popen(
        [sys.executable, str(DRIVER), "sigint"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    assert process.stdout is not None
    seen = []
    for line in process.stdout:  # ends early if the driver fails and exits
        seen.append(line)
        if line.startswith("STATE training"):
            os.killpg(process.pid, signal.SIGINT)
            break
    stdout, stderr = process.communicate(timeout=120)
    return subprocess.CompletedProcess(
        process.args, process.returncode, "".join(seen) + stdout, stderr
    )


def driver_result(stdout: str) -> dict[str, object]:
    """The ``RESULT {json}`` line the driver printed."""
    import json

    for line in stdout.splitlines():
        if line.startswith("RESULT "):
            result: dict[str, object] = json.loads(line.removeprefix("RESULT "))
            return result
    raise AssertionError(f"the driver printed no result:\n{stdout}")

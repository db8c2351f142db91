"""The app on a real X server (Xvfb, no QT_QPA_PLATFORM), driven with real key presses.

What the offscreen tests cannot see: whether the window starts at all on an X11 desktop,
whether Ctrl+Q is one unambiguous shortcut there, Space and F5 through the X keyboard, Ctrl+C
in a terminal, and whether the window and its text fit real screens. Needs Xvfb, xdotool and
ImageMagick (Debian: xvfb xdotool imagemagick); skipped without them, except where
``ACTIVATION_LAB_REQUIRE_DESKTOP`` is set (`.ci/run` sets it once it has installed them), where
a skip would hide a broken desktop.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import desktop
import pytest

pytestmark = pytest.mark.desktop

_missing = desktop.missing_tools()
if _missing and not os.environ.get("ACTIVATION_LAB_REQUIRE_DESKTOP"):
    pytest.skip(f"no real X server here (missing {', '.join(_missing)})", allow_module_level=True)


def assert_clean(result: subprocess.CompletedProcess[str]) -> dict[str, object]:
    """Exit 0, no traceback, no Qt warning; returns the driver's result."""
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    outcome = desktop.driver_result(result.stdout)
    assert outcome["failures"] == [], outcome
    assert not [m for m in outcome["qt_messages"] if "Ambiguous" in m], outcome["qt_messages"]
    assert result.returncode == 0, result.stderr[-3000:]
    return outcome


def test_real_keys_train_pause_and_quit() -> None:
    """Enter gives the keyboard back; Space and F5 train and pause; Ctrl+Q mid-training asks
    about the unsaved training: Esc keeps the window, Alt+D (Discard) closes it."""
    with desktop.xvfb(1280, 800) as display:
        result = desktop.run_driver(display, "keys")
    outcome = assert_clean(result)
    assert outcome["focus_after_enter"] == "input_table"
    assert outcome["space_trains"] is True
    assert outcome["space_pauses"] is True
    assert outcome["f5_in_field_trains"] is True
    assert outcome["keyboard_back_on_train"] is True
    assert outcome["quit_while_training"] is True
    assert outcome["cancel_keeps_window"] is True  # Ctrl+Q asked first; Esc kept the window


@pytest.mark.parametrize(("width", "height"), desktop.SCREEN_SIZES)
def test_layout_fits_real_screens(tmp_path, width: int, height: int) -> None:  # type: ignore[no-untyped-def]
    """At 1024×700, 1280×800 and 1920×1080 nothing is cut, idle and through training,
    divergence, reset, a model restart, GELU and Tanh with curves and gradients, the compare
    dialog, three compared runs, every mode, presenter mode and back, the dark palette and
    the unsaved-training question; every number on the plots is drawn whole. (The review's
    checks without its pictures: tests/desktop_review.py takes them.)"""
    with desktop.xvfb(width, height) as display:
        result = desktop.run_driver(display, "check", str(tmp_path), timeout=600)
    outcome = assert_clean(result)
    checks = outcome["checks"]
    assert isinstance(checks, dict)
    assert len(checks) == 22, checks  # the last two: the dark palette, the unsaved question
    for state, problems in checks.items():
        assert problems == [], f"{width}×{height}, {state}: {problems}"
    assert list(tmp_path.glob("*.png")) == []  # checks only: the review takes the pictures


def test_ctrl_c_in_the_terminal_closes_the_app_while_training() -> None:
    """SIGINT to the whole process group (what Ctrl+C does) closes the window cleanly."""
    with desktop.xvfb(1280, 800) as display:
        result = desktop.interrupt_while_training(desktop.desktop_env(display))
    assert "KeyboardInterrupt" not in result.stderr
    assert_clean(result)


def test_sigterm_closes_the_app() -> None:
    """``kill PID`` closes the window the way Ctrl+Q does: exit 0, no traceback."""
    with desktop.xvfb(1024, 700) as display:
        process = subprocess.Popen(
            [sys.executable, "main.py"],
            cwd=desktop.ROOT,
            env=desktop.desktop_env(display),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        # The window exists on the X server once xdotool finds it (it waits for it).
        subprocess.run(
            ["xdotool", "search", "--sync", "--onlyvisible", "--name", "Activation Lab"],
            env=desktop.desktop_env(display),
            check=True,
            timeout=60,
            capture_output=True,
        )
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=60)
    assert process.returncode == 0, stderr
    assert "Traceback" not in stderr
    assert "QThread: Destroyed" not in stderr

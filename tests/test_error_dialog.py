"""Errors never only on a console: an exception in a slot opens a dialog with the message and
the traceback under "Show Details…"; the icon is set and matches its SVG."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QTimer
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from gui.app_icon import ICON_SIZES, ICON_SVG, icon_png, render_icon
from gui.application import create_application, show_errors_in_dialog

ROOT = Path(__file__).resolve().parents[1]

#: The real app's path: create_application, the hook main.run_window installs, a slot that
#: raises; a timer reads the dialog that opens and closes it.
SCRIPT = """
import sys
from PySide6.QtCore import QTimer
from gui.application import create_application, show_errors_in_dialog
app = create_application(["lab"], "0.1.0")
reporter = show_errors_in_dialog(app)
def fail():
    raise RuntimeError("the bars could not be drawn")
def look():
    box = reporter.dialog
    if box is None:
        return
    print("TEXT:", box.text().replace(chr(10), " "))
    print("DETAILS:", "fail" in box.detailedText() and "Traceback" in box.detailedText())
    box.done(0)
    app.quit()
timer = QTimer()
timer.timeout.connect(look)
timer.start(20)
QTimer.singleShot(0, fail)
QTimer.singleShot(10000, app.quit)
app.exec()
reporter.restore()
print("RESTORED:", sys.excepthook is sys.__excepthook__)
"""


def test_an_exception_in_a_slot_opens_a_dialog_in_the_real_app() -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert (
        "TEXT: Something went wrong inside Activation Lab:  RuntimeError: the bars could not"
        in (result.stdout)
    )
    assert "DETAILS: True" in result.stdout
    assert "RESTORED: True" in result.stdout
    # Still printed, as Python would: a terminal keeps the traceback too.
    assert "RuntimeError: the bars could not be drawn" in result.stderr


@pytest.mark.qt_no_exception_capture
def test_errors_from_another_thread_reach_one_dialog_each(qtbot: QtBot, qapp: QApplication) -> None:
    before = sys.excepthook
    reporter = show_errors_in_dialog(qapp)
    seen: list[tuple[str, str]] = []

    def close_dialog() -> None:
        if reporter.dialog is not None:
            seen.append((reporter.dialog.text(), reporter.dialog.detailedText()))
            reporter.dialog.done(0)

    timer = QTimer()
    timer.timeout.connect(close_dialog)
    timer.start(10)
    try:

        def fail_in_thread() -> None:
            try:
                raise ValueError("learning rate is not a number")
            except ValueError as error:
                sys.excepthook(type(error), error, error.__traceback__)

        for _ in range(3):  # the same error three times: one dialog
            thread = threading.Thread(target=fail_in_thread)
            thread.start()
            thread.join()
        qtbot.waitUntil(lambda: len(seen) == 1)
        qtbot.wait(100)  # the repeats would have opened theirs by now
        assert len(seen) == 1
        text, details = seen[0]
        assert "ValueError: learning rate is not a number" in text
        assert "fail_in_thread" in details
        try:
            raise KeyboardInterrupt
        except KeyboardInterrupt as interrupt:  # not a bug: no dialog
            sys.excepthook(KeyboardInterrupt, interrupt, interrupt.__traceback__)
        qtbot.wait(100)
        assert len(seen) == 1
    finally:
        timer.stop()
        reporter.restore()
    assert sys.excepthook is before


def test_the_app_has_the_icon_and_its_pngs_match_the_svg(qapp: QApplication) -> None:
    app = create_application(["lab"], "0.1.0")
    icon = app.windowIcon()
    assert not icon.isNull()
    assert sorted(s.width() for s in icon.availableSizes()) == sorted(ICON_SIZES)
    assert "<svg" in ICON_SVG.read_text(encoding="utf-8")
    for size in ICON_SIZES:
        stored = QImage(str(icon_png(size))).convertToFormat(QImage.Format.Format_ARGB32)
        assert (stored.width(), stored.height()) == (size, size)
        # A few levels of antialiasing may differ between Qt versions; a changed drawing not.
        difference = np.abs(_pixels(stored) - _pixels(render_icon(size)))
        assert difference.max() <= 24, f"{icon_png(size).name} is stale: python -m gui.app_icon"
    # Not blank: the dark tile and the bars' blue are both there.
    image = render_icon(64)
    colours = {image.pixelColor(x, y).name() for x in range(64) for y in range(64)}
    assert {"#1f2933", "#56b4e9"} <= colours


def _pixels(image: QImage) -> np.ndarray:
    """The ARGB bytes of ``image`` as a signed array (so differences do not wrap)."""
    image = image.convertToFormat(QImage.Format.Format_ARGB32)
    data = np.frombuffer(image.constBits(), dtype=np.uint8, count=image.sizeInBytes())
    return data.reshape(image.height(), image.bytesPerLine()).astype(np.int16)

"""The application's widgets as Python objects, listed without a crash.

``QApplication.allWidgets()`` (and ``topLevelWidgets()``) takes a list of raw C++ pointers and
wraps them one by one. Wrapping allocates, and an allocation can start Python's garbage
collector; if it frees an unreachable window, every widget of that window still ahead in the list
is freed memory by the time it is wrapped: a segmentation fault (seen in CI, restyling for the
dark palette after a test's window had become garbage). So: collect first, and keep the collector
off while wrapping. Once wrapped, a widget deleted later only makes its wrapper invalid
(:func:`alive` tells), never a crash.
"""

from __future__ import annotations

import gc
from collections.abc import Callable

import shiboken6
from PySide6.QtWidgets import QApplication, QWidget


def all_widgets(app: QApplication) -> list[QWidget]:
    """Every widget of ``app``, safe to walk (check :func:`alive` before each use)."""
    return _wrapped(app.allWidgets)


def top_level_widgets(app: QApplication) -> list[QWidget]:
    """Every top-level widget of ``app``, safe to walk like :func:`all_widgets`'s."""
    return _wrapped(app.topLevelWidgets)


def alive(widget: QWidget) -> bool:
    """False once the widget's C++ object is gone (a window collected meanwhile)."""
    return shiboken6.isValid(widget)


def _wrapped(listing: Callable[[], list[QWidget]]) -> list[QWidget]:
    gc.collect()
    collecting = gc.isenabled()
    gc.disable()
    try:
        return listing()
    finally:
        if collecting:
            gc.enable()

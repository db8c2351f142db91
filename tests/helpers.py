"""Running the project in a fresh interpreter, for tests whose failure would be an abort or
whose subject is what a new process imports."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def run_python(
    *args: str, timeout: float = 120, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """``python *args`` from the project directory, offscreen Qt (unless ``env`` says
    otherwise), output captured as text."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT), **(env or {})}
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def epoch_rows(window: Any) -> int:
    """How many epochs the window's epoch table shows."""
    return int(window.epoch_table.model().rowCount())


def set_cell(window: Any, column: int, value: object) -> bool:
    """Edit input ``column`` through the input table's model, as a script would."""
    from PySide6.QtCore import Qt

    model = window.input_table.model()
    return bool(model.setData(model.index(0, column), value, Qt.ItemDataRole.EditRole))


def progress_seen(window: Any) -> Any:
    """A recorder of the progress messages the window has taken in, each noted (in the GUI
    thread) right after the window's own slot has handled it: ``recorder.states`` holds
    ``(running, stepping, train_checked)``. A plain callable connected to the worker's signal
    would run in the model thread, before the window has seen the message."""
    from PySide6.QtCore import QObject, Slot

    class ProgressSeen(QObject):
        def __init__(self) -> None:
            super().__init__(window)
            self.states: list[tuple[bool, bool, bool]] = []

        @Slot(object)
        def record(self, progress: Any) -> None:
            checked = window.controls.action_train.isChecked()
            self.states.append((progress.running, progress.stepping, checked))

    recorder = ProgressSeen()
    window.host.worker.progress_ready.connect(recorder.record)
    return recorder


def train_whole_epochs(trainer: Any, count: int) -> list[Any]:
    """Train ``count`` whole epochs of a :class:`~model.training.Trainer`, collecting after
    each; fails the test on divergence. Returns what each collect gave."""
    collected = []
    for _ in range(count):
        while not trainer.train_batch():
            pass
        result = trainer.collect()
        assert result.diverged is None, result.diverged
        collected.append(result)
    return collected


@contextmanager
def window_font(app: Any) -> Iterator[None]:
    """The window's 10 pt application font for the duration (offscreen starts at 9 pt), so
    widths are measured as the window shows them; the previous font after."""
    from gui import theme

    before = app.font()
    font = app.font()
    font.setPointSizeF(theme.points(10))
    app.setFont(font)
    try:
        yield
    finally:
        app.setFont(before)

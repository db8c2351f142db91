"""The command line's handout: train headless, trace the inputs, write the page.

``main.py --train --epochs N --handout PATH`` (a session carried on too) calls
:func:`handout_from_run` after training; :func:`run_handout` trains and writes in one call.
The run is exactly ``--train``'s (:func:`model.cli_sessions.train_run`); the page is drawn
offscreen, so it works without a display. If training diverges, the handout still shows
what was trained up to the last good epoch (with the weights restored to it) and says why it
stopped; the exit code is 1.
"""

from __future__ import annotations

import math
import os
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from model.atomic_file import ExportError, check_suffix, check_writable
from model.config import DEFAULT_INPUTS, TrainingConfig
from model.handout_data import HANDOUT_SUFFIXES, HandoutData
from model.records import EpochRecord

if TYPE_CHECKING:
    from model.cli_sessions import TrainedRun
    from model.session import Session

_PREFIX = "main.py: error: --handout:"


def run_handout(
    config: TrainingConfig, epochs: int, inputs: Sequence[float], path: str | Path
) -> int:
    """Train ``epochs`` epochs, trace ``inputs`` and write the handout to ``path``.

    Returns 0 (printing nothing); 2 with one line on stderr (nothing on stdout) for a path
    that cannot be written, another suffix than .png or .pdf, or inputs that are not four
    finite numbers (all checked before training); 1 when training diverged (the handout of
    the good epochs is still written, and the reason goes to stderr).
    """
    try:
        check_suffix(path, HANDOUT_SUFFIXES)
        check_writable(path)
        if len(inputs) != len(DEFAULT_INPUTS) or not all(math.isfinite(v) for v in inputs):
            raise ValueError(f"the inputs must be {len(DEFAULT_INPUTS)} finite numbers")
    except (ValueError, ExportError) as error:
        print(f"{_PREFIX} {error}", file=sys.stderr)
        return 2
    data = train_for_handout(config, epochs, inputs)
    ensure_application()
    from gui.handout import write_handout

    try:
        write_handout(data, path)
    except ExportError as error:
        print(f"{_PREFIX} {error}", file=sys.stderr)
        return 2
    if data.diverged:
        print(f"main.py: {data.diverged}", file=sys.stderr)
        return 1
    return 0


def train_for_handout(config: TrainingConfig, epochs: int, inputs: Sequence[float]) -> HandoutData:
    """Train as ``--train`` does (:func:`model.cli_sessions.train_run`), keeping every batch
    loss; trace ``inputs`` at the end (against the task's right answer, so with its loss)."""
    from model.cli_sessions import session_of, train_run

    run = train_run(config, epochs)
    session = session_of(run, config, None, _version())
    return handout_data(run, replace(session, inputs=tuple(float(v) for v in inputs)))


def handout_data(run: TrainedRun, session: Session) -> HandoutData:
    """What the handout of ``run`` shows (``session`` holds its settings, inputs, weights)."""
    from model.cli_sessions import session_trace
    from model.tasks import TASKS

    inputs = session.inputs
    history = run.history
    return HandoutData(
        config=session.settings,
        trace=session_trace(session, inputs, TASKS[session.settings.task].answer(inputs)),
        records=history.epochs,
        batch_positions=history.batch_positions,
        batch_losses=history.batch_losses,
        baseline=EpochRecord.from_numbers(history.baseline, "untrained"),
        diverged=run.diverged or "",
    )


def handout_from_run(run: TrainedRun, session: Session, path: str | Path) -> str | None:
    """``--train … --handout PATH``: write ``run``'s handout; why it could not be, or None."""
    data = handout_data(run, session)
    ensure_application()
    from gui.handout import write_handout

    try:
        write_handout(data, path)
    except (ExportError, ValueError) as error:
        return f"--handout: {error}"
    return None


def ensure_application() -> None:
    """A QApplication for drawing, offscreen when there is no display to draw on."""
    no_display = not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    if no_display and not os.environ.get("QT_QPA_PLATFORM"):  # empty counts as unset
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtWidgets import QApplication

    from gui import theme
    from gui.application import create_application

    if QApplication.instance() is None:
        create_application([sys.argv[0] if sys.argv else "activation-lab"], _version())
    theme.configure_pyqtgraph()


def _version() -> str:
    """main.py's version when it runs us (the handout's footer names it)."""
    for name in ("__main__", "main"):
        version = getattr(sys.modules.get(name), "__version__", "")
        if isinstance(version, str) and version:
            return version
    return ""

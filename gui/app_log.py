"""A log file in the learner's data folder, for the app started from a launcher.

A desktop launcher (and PyInstaller's windowed build) gives the app no console: a traceback,
a Qt warning or a crash of the model process printed to stderr goes nowhere, and an organiser
helping a learner has nothing to read. So the window's process writes everything it would have
printed to ``activation-lab.log`` in the user's data folder (``~/.local/share/activation-lab``
on Linux, through platformdirs where it is installed), or in ``$ACTIVATION_LAB_LOG_DIR`` when
that is set (tests). The file is rotated so it never grows without bound.

:func:`start_logging` imports no Qt (the command line's modes stay Qt-free);
:func:`route_qt_messages` sends Qt's own warnings to the same file once a QApplication exists.
"""

from __future__ import annotations

import faulthandler
import logging
import logging.handlers
import os
import sys
from pathlib import Path
from types import TracebackType
from typing import Any, TextIO

#: Overrides the log folder (tests, and an organiser who wants the logs elsewhere).
LOG_DIR_VARIABLE = "ACTIVATION_LAB_LOG_DIR"
LOG_NAME = "activation-lab.log"
#: The folder's name under the user's data folder (the same as the desktop entry's).
APP_FOLDER = "activation-lab"
_MAX_BYTES = 1_000_000
_BACKUPS = 2

logger = logging.getLogger("activation_lab")
#: The open log stream while logging runs (faulthandler and None-stdio fallbacks write to it).
_stream: TextIO | None = None


def log_dir(environ: dict[str, str] | os._Environ[str] | None = None) -> Path:
    """The folder the log file goes to (not created here)."""
    environ = os.environ if environ is None else environ
    override = environ.get(LOG_DIR_VARIABLE, "").strip()
    if override:
        return Path(override).expanduser()
    try:
        from platformdirs import user_data_path
    except ImportError:  # running from source without the bundle extra: XDG by hand
        base = environ.get("XDG_DATA_HOME", "").strip() or str(Path.home() / ".local" / "share")
        return Path(base) / APP_FOLDER
    return Path(user_data_path(APP_FOLDER, appauthor=False))


def log_path() -> Path:
    """Where :func:`start_logging` writes."""
    return log_dir() / LOG_NAME


def start_logging(level: int = logging.INFO) -> Path | None:
    """Log to the file (and to stderr where there is one); returns the file's path.

    Where stdout or stderr is None (a windowed executable), they are pointed at the log file
    so that ``print`` and tracebacks do not fail; uncaught exceptions are logged; faulthandler
    writes a crash's Python stack there. Returns None, and logs to stderr only, if the folder
    cannot be written (a read-only home must not stop the app).
    """
    global _stream  # noqa: PLW0603 - one log per process, opened once
    if _stream is not None:
        return log_path()
    path = log_path()
    handlers: list[logging.Handler] = []
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=_MAX_BYTES, backupCount=_BACKUPS, encoding="utf-8"
        )
    except OSError as error:
        print(f"activation-lab: cannot write the log {path}: {error}", file=sys.stderr)
        handler = None
    if handler is not None:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        handlers.append(handler)
        _stream = handler.stream
    if sys.stderr is not None:
        handlers.append(logging.StreamHandler(sys.stderr))
        handlers[-1].setLevel(logging.WARNING)  # the terminal gets problems, not chatter
    logger.setLevel(level)
    for each in handlers:
        logger.addHandler(each)
    logger.propagate = False
    if _stream is not None:
        if sys.stdout is None:
            sys.stdout = _stream
        if sys.stderr is None:
            sys.stderr = _stream
    if not faulthandler.is_enabled() and sys.stderr is not None:
        faulthandler.enable(file=sys.stderr if _stream is None else _stream)
    _chain_excepthook()
    logger.info("Activation Lab starting (pid %d, %s)", os.getpid(), sys.executable)
    return path if handler is not None else None


def _chain_excepthook() -> None:
    """Log uncaught exceptions, then let the previous hook (printing, a dialog) run."""
    previous = sys.excepthook

    def hook(kind: type[BaseException], error: BaseException, trace: TracebackType | None) -> None:
        logger.error("Uncaught exception", exc_info=(kind, error, trace))
        if sys.stderr is not None and sys.stderr is not _stream:
            previous(kind, error, trace)

    sys.excepthook = hook


def route_qt_messages() -> None:
    """Send Qt's warnings and messages to the log (and on to stderr where there is one).

    Call after the QApplication exists; not in tests (pytest-qt installs its own handler).
    """
    from PySide6.QtCore import QtMsgType, qInstallMessageHandler

    levels = {
        QtMsgType.QtDebugMsg: logging.DEBUG,
        QtMsgType.QtInfoMsg: logging.INFO,
        QtMsgType.QtWarningMsg: logging.WARNING,
        QtMsgType.QtCriticalMsg: logging.ERROR,
        QtMsgType.QtFatalMsg: logging.CRITICAL,
    }
    qt_logger = logger.getChild("qt")

    def handler(kind: QtMsgType, context: Any, message: str) -> None:
        del context
        qt_logger.log(levels.get(kind, logging.WARNING), "%s", message)

    qInstallMessageHandler(handler)


def stop_logging() -> None:
    """Close the file (tests start and stop logging in one process)."""
    global _stream  # noqa: PLW0603
    for handler in list(logger.handlers):
        logger.removeHandler(handler)
        handler.close()
    _stream = None

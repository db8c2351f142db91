"""Unexpected errors reach the learner in a dialog, not only a console nobody looks at.

PySide6 hands an exception raised in a slot or a Qt virtual (a paint event, a key press) to
``sys.excepthook`` and carries on; by default that prints a traceback to a terminal the
learner may not have (a desktop launcher has none). :class:`ErrorReporter` keeps printing it
and also shows a dialog saying what went wrong, with the traceback under "Show Details…".

The hook may be called from the model thread: a signal carries the error to the GUI thread,
where the dialog is built. An error that repeats (a paint event fails on every repaint) is
shown once; errors arriving while a dialog is open wait for it to close.
"""

from __future__ import annotations

import sys
import traceback
from collections import deque
from types import TracebackType

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QApplication, QMessageBox

#: After this many dialogs in one session, errors go to the console only.
MAX_DIALOGS = 5


class ErrorReporter(QObject):
    """Installs itself as ``sys.excepthook`` until :meth:`restore`.

    Signals
    -------
    error_raised(str, str)
        The message and the traceback of an unexpected error (emitted in any thread,
        received in the GUI thread).
    """

    error_raised = Signal(str, str)

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self._previous = sys.excepthook
        self._seen: set[str] = set()
        self._waiting: deque[tuple[str, str]] = deque()
        self._showing = False
        self._shown = 0
        #: The dialog on screen, if any (tests read and close it).
        self.dialog: QMessageBox | None = None
        # Queued even in the GUI thread: the dialog opens between events, never inside the
        # paint or slot that failed.
        self.error_raised.connect(self._on_error_raised, Qt.ConnectionType.QueuedConnection)
        sys.excepthook = self.hook

    def hook(
        self,
        kind: type[BaseException],
        error: BaseException,
        trace: TracebackType | None,
    ) -> None:
        """Print the error as Python would, then ask for a dialog about it."""
        self._previous(kind, error, trace)
        if not issubclass(kind, Exception):  # KeyboardInterrupt, SystemExit: not a bug
            return
        details = "".join(traceback.format_exception(kind, error, trace))
        message = f"{kind.__name__}: {error}" if str(error) else kind.__name__
        self.error_raised.emit(message, details)

    def restore(self) -> None:
        """Give ``sys.excepthook`` back to whoever had it before."""
        if sys.excepthook == self.hook:
            sys.excepthook = self._previous

    def _on_error_raised(self, message: str, details: str) -> None:
        place = details.strip().splitlines()[-3:-1]  # where it was raised, not its values
        key = f"{message.split(':', maxsplit=1)[0]}|{'|'.join(place)}"
        if key in self._seen or self._shown >= MAX_DIALOGS:
            return
        self._seen.add(key)
        self._waiting.append((message, details))
        if not self._showing:
            self._show_waiting()

    def _show_waiting(self) -> None:
        self._showing = True
        try:
            while self._waiting and self._shown < MAX_DIALOGS:
                message, details = self._waiting.popleft()
                self._shown += 1
                self._show(message, details)
        finally:
            self._showing = False
            self.dialog = None

    def _show(self, message: str, details: str) -> None:
        box = QMessageBox(QApplication.activeWindow())
        box.setObjectName("error_dialog")
        box.setIcon(QMessageBox.Icon.Critical)
        box.setWindowTitle("Activation Lab: something went wrong")
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setText(f"Something went wrong inside Activation Lab:\n\n{message}")
        last = self._shown >= MAX_DIALOGS
        box.setInformativeText(
            "The window keeps running, with your inputs and settings. If it misbehaves, "
            "restart it. Please report this with the details below."
            + ("\n\nFurther errors this session are printed to the console only." if last else "")
        )
        box.setDetailedText(details)
        box.setStandardButtons(QMessageBox.StandardButton.Close)
        self.dialog = box
        box.exec()

"""The QApplication and how it ends: Ctrl+C and SIGTERM close the window the way Ctrl+Q does.

Python's default SIGINT handler raises KeyboardInterrupt in whatever Python code runs next: a
paint event (seen: a segmentation fault in pyqtgraph's ``paintEvent``), or the slot that was
about to acknowledge training progress, after which the display stopped following training for
good. And while Qt's event loop runs in C++, Python never even sees the signal. So the handler
here only notes the signal; a byte written to a socket pair (``signal.set_wakeup_fd``) wakes the
event loop, and the close happens there, between events, like any menu action.
"""

from __future__ import annotations

import signal
import socket
from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSocketNotifier
from PySide6.QtWidgets import QApplication

from gui import theme
from gui.app_icon import app_icon
from gui.theme_chooser import apply_stored_theme

if TYPE_CHECKING:
    from gui.error_dialog import ErrorReporter

APP_NAME = "Activation Lab"
#: The name of the desktop entry (``activation-lab.desktop``) and of the icon files: Wayland
#: compositors find the window's icon and name through it.
DESKTOP_NAME = "activation-lab"
#: The signals that close the app cleanly: Ctrl+C in a terminal, and a polite kill.
QUIT_SIGNALS = (signal.SIGINT, signal.SIGTERM)


def create_application(argv: Sequence[str], version: str) -> QApplication:
    """The application (reused if one exists), named, with its icon, the theme's fonts for
    this screen and the palette remembered (or the system's)."""
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(list(argv))
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(version)
    app.setDesktopFileName(DESKTOP_NAME)
    app.setWindowIcon(app_icon())
    theme.apply_application_font(app)
    apply_stored_theme()  # before the window is built: it is built in its palette
    return app


def show_errors_in_dialog(app: QApplication) -> ErrorReporter:
    """Make unexpected exceptions (in a slot, a paint event) open a dialog with the message
    and, under "Show Details…", the traceback, as well as printing it. For the real app only:
    pytest-qt installs its own hook in tests. Call ``restore()`` on the result after
    ``app.exec()`` returns."""
    from gui.error_dialog import ErrorReporter

    return ErrorReporter(app)


#: An application property: True once a signal asked the app to close.
CLOSING_ON_SIGNAL = "closing_on_signal"


class SignalCloser(QObject):
    """Closes every window when SIGINT or SIGTERM arrives; a second signal quits at once."""

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self._app = app
        self._received = 0
        self._reader, self._writer = socket.socketpair()
        for end in (self._reader, self._writer):
            end.setblocking(False)
        # The C-level handler writes the signal number here even while Qt's loop runs in C++.
        signal.set_wakeup_fd(self._writer.fileno(), warn_on_full_buffer=False)
        self._notifier = QSocketNotifier(self._reader.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._on_wakeup)
        for number in QUIT_SIGNALS:
            signal.signal(number, self._note)

    def _note(self, number: int, frame: object) -> None:
        # Runs between two Python bytecodes, possibly in the middle of a slot: do nothing here
        # that could leave the window half-updated. The wake-up byte brings us to _on_wakeup.
        del number, frame

    def _on_wakeup(self) -> None:
        try:
            received = len(self._reader.recv(64))
        except BlockingIOError:
            return
        self._received += received
        # A signal means quit now (Ctrl+C in the terminal, a logout): windows close without
        # asking about unsaved work, which no one may be there to answer.
        self._app.setProperty(CLOSING_ON_SIGNAL, True)
        if self._received > 1:
            self._app.quit()  # a second Ctrl+C: the learner means it
        else:
            self._app.closeAllWindows()

    def restore(self) -> None:
        """Python's own handlers again (after the event loop has returned: a Ctrl+C while the
        model shuts down must still find this handler, not raise KeyboardInterrupt there)."""
        signal.set_wakeup_fd(-1)
        for number in QUIT_SIGNALS:
            signal.signal(
                number, signal.SIG_DFL if number == signal.SIGTERM else signal.default_int_handler
            )
        self._notifier.setEnabled(False)
        self._reader.close()
        self._writer.close()


def close_on_signals(app: QApplication) -> SignalCloser:
    """Make Ctrl+C and SIGTERM close the app cleanly (main thread only)."""
    return SignalCloser(app)

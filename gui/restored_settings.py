"""The window opens as the learner left it: size and place, dividers, mode, inputs, settings.

:func:`save_window_settings` writes them when the window closes; :func:`restore_window_settings`
reads them back while the window is built. Restoring goes through the :class:`LabState`
(inputs, settings, pace, mode), which leads: the cells, the toolbar and the model follow it as
they follow any other change. Every stored value is checked (see :mod:`gui.stored_values`);
an unreadable one is ignored and named in the status bar. Presenter mode is never restored:
a learner must not start full screen. The geometry is kept inside the screen it opens on.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QRect, Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QSplitter

from gui.app_settings import app_settings
from gui.stored_values import FULL_SPEED, StoredValues, config_texts, input_text, pace_text
from gui.training_controls import PACES
from gui.undo_history import UndoHistory
from model.modes import MODE_NAMES, PRESENTER
from model.parsing import LIMIT

if TYPE_CHECKING:
    from gui.main_window import MainWindow

#: The smallest window size restored (the layouts enforce their own minimum on top).
SMALLEST = (320, 240)
#: A divider is restored only between these shares of the page's width.
SHARE_RANGE = (0.1, 0.9)
#: The status bar message about unreadable values stays this long (ms).
PROBLEM_MESSAGE_MS = 15000


class WindowSettingsKeeper(QObject):
    """Follows what a window needs remembered but cannot tell at closing time: its normal
    geometry before presenter mode made it full screen, and the dividers the learner moved
    (the shared pipeline leaves a page's splitter when another page takes it)."""

    def __init__(self, window: MainWindow, shares: dict[str, float]) -> None:
        super().__init__(window)
        self.setObjectName("window_settings_keeper")
        self._window = window
        #: The splitter share (left pane / whole) per mode: stored ones, then the learner's.
        self.shares = dict(shares)
        self._applied: set[str] = set()
        self._pending: set[str] = set()
        self.normal_geometry = QRect(window.geometry())
        self.maximized = window.isMaximized()
        self._frozen = window.state.presenting
        self.problems: list[str] = []
        for name, splitter in _splitters(window).items():
            splitter.splitterMoved.connect(
                lambda _pos, _index, name=name, splitter=splitter: self._on_moved(name, splitter)
            )
            splitter.installEventFilter(self)
        window.mode_stack.mode_shown.connect(self._on_mode_shown)
        window.state.events.presenting.connect(self._on_presenting)
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Note the window's normal geometry and maximized state as they change; put a
        divider back once its splitter has been laid out on screen."""
        kind = event.type()
        if watched is self._window:
            if kind in (QEvent.Type.Move, QEvent.Type.Resize, QEvent.Type.WindowStateChange):
                self._note_geometry()
        elif kind == QEvent.Type.Resize and isinstance(watched, QSplitter):
            # After the splitter's own resize has shared out the new width.
            QTimer.singleShot(0, self._apply_pending)
        return False

    def apply_share(self, name: str) -> None:
        """Put the divider of mode ``name``'s page where the learner left it (once, when
        the page is on screen: before that a splitter's sizes are not yet its own)."""
        if name in self.shares and name not in self._applied:
            self._pending.add(name)
            QTimer.singleShot(0, self._apply_pending)

    def _apply_pending(self) -> None:
        splitters = _splitters(self._window)
        for name in list(self._pending):
            splitter = splitters[name]
            total = sum(splitter.sizes())
            if not splitter.isVisible() or splitter.count() < 2 or total <= 0:
                continue  # a later resize (the page shown, the window shown) tries again
            self._pending.discard(name)
            self._applied.add(name)
            left = round(total * self.shares[name])
            splitter.setSizes([left, total - left])

    def _note_geometry(self) -> None:
        window = self._window
        if self._frozen or window.isFullScreen() or window.isMinimized():
            return
        self.maximized = window.isMaximized()
        self.normal_geometry = QRect(
            window.normalGeometry() if self.maximized else window.geometry()
        )

    def _on_presenting(self, on: bool) -> None:
        if on:
            self._frozen = True
        else:
            # The presenter puts the old geometry back once the normal type is laid out (on
            # the next turn of the event loop): follow the window again after that.
            QTimer.singleShot(0, self._thaw)

    def _thaw(self) -> None:
        if not self._window.state.presenting:
            self._frozen = False

    def _on_moved(self, name: str, splitter: QSplitter) -> None:
        sizes = splitter.sizes()
        if len(sizes) >= 2 and sum(sizes) > 0:
            self.shares[name] = sizes[0] / sum(sizes)
            self._applied.add(name)
            self._pending.discard(name)

    def _on_mode_shown(self, name: str) -> None:
        self.apply_share(name)


def _splitters(window: MainWindow) -> dict[str, QSplitter]:
    """The mode pages that split their width, by mode name."""
    found = {}
    for name, page in window.pages.items():
        splitter = getattr(page, "splitter", None)
        if isinstance(splitter, QSplitter):
            found[name] = splitter
    return found


def restore_window_settings(window: MainWindow, mode: str | None = None) -> WindowSettingsKeeper:
    """Put back what :func:`save_window_settings` stored, through ``window.state``.

    ``mode`` is a mode asked for on the command line: it wins over the stored one (and
    ``presenter`` there still starts presenting). Call once, after the state is connected to
    the views and the model, before the window is shown. The undo history starts empty from
    what was restored.
    """
    settings = app_settings()
    stored = StoredValues(settings)
    shares = {}
    for name in _splitters(window):
        share = stored.number(f"splitters/{name}", *SHARE_RANGE)
        if share is not None:
            shares[name] = share
    _restore_geometry(window, stored)
    keeper = window.findChild(WindowSettingsKeeper, "window_settings_keeper")
    if keeper is None:
        keeper = WindowSettingsKeeper(window, shares)
    else:  # restored again (a test, a script): one keeper per window
        keeper.shares.update(shares)
    state = window.state
    inputs = stored.inputs("lab/inputs", LIMIT)
    if inputs is not None:
        state.inputs = inputs
    config = stored.training_config("training")
    if config is not None:
        state.settings = config
    paces = tuple(pace_text(pace) for _, pace in PACES)
    pace = stored.choice("training/pace", paces)
    if pace is not None:
        state.pace = None if pace == FULL_SPEED else float(pace)
    if mode is None:
        names = tuple(name for name in MODE_NAMES if name != PRESENTER)
        mode = stored.choice("window/mode", names)
    if mode is not None:
        state.mode = mode
    keeper.apply_share(state.mode)
    keeper.problems = stored.problems
    history = window.findChild(UndoHistory, "undo_history")
    if history is not None:  # what was restored is where the learner starts: nothing to undo
        history.clear()
    if stored.problems:
        window.statusBar().showMessage(
            "Some remembered settings could not be read and were left at their defaults: "
            + ", ".join(dict.fromkeys(_in_words(key) for key in stored.problems)),
            PROBLEM_MESSAGE_MS,
        )
    return keeper


def _in_words(key: str) -> str:
    """A settings key as a learner would name it: "learning rate", "window size"."""
    group, _, name = key.partition("/")
    if group == "splitters":
        return f"the {name} page's divider"
    if group == "window" and name in {"x", "y"}:
        return "window position"
    if group == "window" and name in {"width", "height", "maximized"}:
        return "window size"
    return name.replace("_", " ")


def _restore_geometry(window: MainWindow, stored: StoredValues) -> None:
    values = [stored.integer(f"window/{key}", -100_000, 100_000) for key in ("x", "y")]
    sizes = [stored.integer(f"window/{key}", 1, 100_000) for key in ("width", "height")]
    maximized = stored.flag("window/maximized")
    if None not in values and None not in sizes:
        x, y = (int(v) for v in values if v is not None)
        width, height = (int(v) for v in sizes if v is not None)
        window.setGeometry(clamped_geometry(QRect(x, y, width, height)))
    if maximized:
        window.setWindowState(window.windowState() | Qt.WindowState.WindowMaximized)


def clamped_geometry(rect: QRect) -> QRect:
    """``rect`` made to fit, whole, on the screen holding its centre (or the primary one):
    no larger than that screen's free area, moved inside it."""
    screen = QGuiApplication.screenAt(rect.center()) or QGuiApplication.primaryScreen()
    if screen is None:
        return QRect(rect)
    free = screen.availableGeometry()
    width = max(min(rect.width(), free.width()), min(SMALLEST[0], free.width()))
    height = max(min(rect.height(), free.height()), min(SMALLEST[1], free.height()))
    x = min(max(rect.x(), free.left()), free.left() + free.width() - width)
    y = min(max(rect.y(), free.top()), free.top() + free.height() - height)
    return QRect(x, y, width, height)


def save_window_settings(window: MainWindow) -> bool:
    """Store the window's geometry, dividers, mode, inputs and training settings; False if
    the settings file could not be written."""
    keeper = window.findChild(WindowSettingsKeeper, "window_settings_keeper")
    if keeper is None:  # never restored: take what the window has now
        keeper = WindowSettingsKeeper(window, {})
    settings = app_settings()
    geometry = keeper.normal_geometry
    for key, number in (
        ("x", geometry.x()),
        ("y", geometry.y()),
        ("width", geometry.width()),
        ("height", geometry.height()),
    ):
        settings.setValue(f"window/{key}", str(number))
    settings.setValue("window/maximized", "true" if keeper.maximized else "false")
    state = window.state
    settings.setValue("window/mode", state.mode)  # never "presenter": that is `presenting`
    for name, share in keeper.shares.items():
        settings.setValue(f"splitters/{name}", repr(share))
    settings.setValue("lab/inputs", input_text(state.inputs))
    for key, value in config_texts(state.settings).items():
        settings.setValue(f"training/{key}", value)
    settings.setValue("training/pace", pace_text(state.pace))
    settings.sync()
    return settings.status() == settings.Status.NoError

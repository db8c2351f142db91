"""File → Save, Save As, Open, Open Recent and dropped files: sessions in the window.

Saving asks the model for a snapshot of the run; the model first sends everything trained so
far, so the history the window shows and the run saved describe the same moment, and training
can go on meanwhile. Opening reads and checks the whole file before anything changes: a bad
file gets one message and the current session stays exactly as it was. Unsaved training is
never lost without asking: closing the window or opening another session asks Save, Discard
or Cancel first.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Signal
from PySide6.QtGui import QAction, QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMenu, QMessageBox, QWidget

from gui.app_settings import app_settings
from gui.application import APP_NAME, CLOSING_ON_SIGNAL
from gui.pipeline_view import MESSAGE_TIMEOUT_MS
from gui.session_file import load_session, write_session
from model import protocol as msg
from model.session import SUFFIX, Session, SessionError, SessionHistory

if TYPE_CHECKING:
    from gui.main_window import MainWindow

RECENT_KEY = "sessions/recent"
MAX_RECENT = 8
FILE_FILTER = f"Activation Lab sessions (*{SUFFIX});;All files (*)"
SAVE, DISCARD, CANCEL = "save", "discard", "cancel"


def ask_unsaved(parent: QWidget, doing: str) -> str:
    """Ask whether to save unsaved training before ``doing``: SAVE, DISCARD or CANCEL."""
    buttons = QMessageBox.StandardButton
    box = QMessageBox(
        QMessageBox.Icon.Question,
        APP_NAME,
        f"The training in this window is not saved. Save it before {doing}?",
        buttons.Save | buttons.Discard | buttons.Cancel,
        parent,
    )
    box.setObjectName("unsaved_question")
    box.setDefaultButton(buttons.Save)
    # Keys for each answer, whatever the platform calls them (Alt+S, Alt+D; Esc cancels).
    box.button(buttons.Save).setText("&Save")
    box.button(buttons.Discard).setText("&Discard")
    answer = box.exec()
    return {buttons.Save: SAVE, buttons.Discard: DISCARD}.get(buttons(answer), CANCEL)


class SessionController(QObject):
    """The window's session file: its actions, its path, and whether it has unsaved changes.

    ``choose_save_path``, ``choose_open_path`` and ``ask_unsaved`` are replaceable (tests and
    scripts never open a modal dialog).

    Signals
    -------
    saved(str)
        The session was written to this path.
    opened(str)
        The session in this path is in the window, its history drawn.
    failed(str)
        A save or open did not happen; the message says why (also shown to the learner).
    """

    saved = Signal(str)
    opened = Signal(str)
    failed = Signal(str)

    #: ``ask_unsaved(parent, doing)`` → SAVE, DISCARD or CANCEL.
    ask_unsaved: Callable[[QWidget, str], str] = staticmethod(ask_unsaved)

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        self.path: Path | None = None
        self.is_dirty = False
        #: Ask Save/Discard/Cancel before unsaved training is lost: the app proper does
        #: (``main.run_window`` turns it on); a script's window closes when its script says.
        self.asks_about_unsaved_work = False
        self._title = window.windowTitle()
        window.setWindowTitle(f"{self._title}[*]")  # a star there while training is unsaved
        self._pending_save: Path | None = None
        self._after_save: Callable[[], object] | None = None
        self._opening: tuple[Path, Session] | None = None
        self.choose_save_path: Callable[[], Path | None] = self._choose_save_path
        self.choose_open_path: Callable[[], Path | None] = self._choose_open_path
        self.action_save = self._action(
            "action_save_session", "&Save session", QKeySequence.StandardKey.Save, self.save
        )
        self.action_save_as = self._action(
            "action_save_session_as",
            "Save session &as…",
            QKeySequence.StandardKey.SaveAs,
            self.save_as,
        )
        self.action_open = self._action(
            "action_open_session", "&Open session…", QKeySequence.StandardKey.Open, self.open
        )
        self.recent_menu = QMenu("Open &recent", window)
        self.recent_menu.setObjectName("menu_open_recent")
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        self._connect()
        window.setAcceptDrops(True)
        window.installEventFilter(self)

    def add_to(self, menu: QMenu) -> None:
        """Put the session actions at the top of ``menu`` (the File menu, not empty)."""
        first = menu.actions()[0]
        for action in (self.action_open, self.recent_menu.menuAction()):
            menu.insertAction(first, action)
        menu.insertSeparator(first)
        for action in (self.action_save, self.action_save_as):
            menu.insertAction(first, action)
        menu.insertSeparator(first)

    # Saving ---------------------------------------------------------------------------------

    def save(self) -> None:
        """Save to the session's file, or ask for one."""
        if self.path is None:
            self.save_as()
        else:
            self.save_to(self.path)

    def save_as(self) -> None:
        """Ask for a file and save there."""
        path = self.choose_save_path()
        if path is not None:
            self.save_to(path)

    def save_to(self, path: Path) -> None:
        """Save the session to ``path`` once the model has sent its snapshot (``saved``)."""
        if path.suffix.lower() != SUFFIX:
            path = path.with_name(path.name + SUFFIX)
        self._pending_save = path
        self._window.statusBar().showMessage(f"Saving {path.name}…")
        self._window.host.snapshot_requested.emit()

    def _on_snapshot(self, snapshot: msg.RunSnapshot) -> None:
        path, self._pending_save = self._pending_save, None
        if path is None:
            return
        w = self._window
        w.training.draw_history(settled=True)
        w.training.flush_rows()
        baseline = w.training.baseline
        assert baseline is not None, "a snapshot comes after the model's ready message"
        session = Session(
            inputs=w.state.inputs,
            settings=snapshot.config,
            pace=w.state.pace,
            mode=w.state.mode,
            run=snapshot.state,
            history=SessionHistory(
                baseline,
                w.epochs.records,
                w.plots.batch_losses.x.copy(),
                w.plots.batch_losses.y.copy(),
            ),
            saved_by=f"{APP_NAME} {QCoreApplication.applicationVersion()}",
        )
        try:
            write_session(session, path)
        except OSError as error:
            self._after_save = None
            self._fail(f"Could not save the session: {error}. Nothing was changed on disk.")
            return
        self._set_file(path)
        epochs = snapshot.state.epoch
        w.statusBar().showMessage(
            f"Saved {path.name}: {epochs} epoch{'s' if epochs != 1 else ''} trained.",
            MESSAGE_TIMEOUT_MS,
        )
        self.saved.emit(str(path))
        after, self._after_save = self._after_save, None
        if after is not None:
            after()

    # Opening --------------------------------------------------------------------------------

    def open(self) -> None:
        """Ask for a session file and open it."""
        if not self.may_discard("opening another session", self.open):
            return
        path = self.choose_open_path()
        if path is not None:
            self.open_file(path, ask=False)

    def open_file(self, path: Path, ask: bool = True) -> bool:
        """Open the session in ``path``: False (with a message, nothing changed) if it cannot."""
        if ask and not self.may_discard("opening another session", lambda: self.open_file(path)):
            return False
        try:
            session = load_session(path)
        except SessionError as error:
            self._fail(f"Could not open {path.name}: {error}. The current session is unchanged.")
            return False
        w = self._window
        self._opening = (path, session)
        w.controls.set_config(session.settings)
        w.setup.adopt(session.settings)
        w.state.settings = session.settings  # already adopted: starts no run of its own
        w.state.pace = session.pace
        w.state.mode = session.mode
        w.state.inputs = session.inputs
        w.statusBar().showMessage(f"Opening {path.name}…")
        w.host.open_run_requested.emit(msg.OpenRun(session.settings, session.run))
        return True

    def _on_run_opened(self, opened: msg.RunOpened) -> None:
        if self._opening is None:
            return
        (path, session), self._opening = self._opening, None
        w = self._window
        w.follower.follow_reset(opened.reset)
        history = session.history
        w.training.load_history(
            history.baseline, history.batch_positions, history.batch_losses, history.epochs
        )
        self._set_file(path)
        w.menus.undo_history.clear()  # the opened session is where undo starts
        epochs = opened.epoch
        w.statusBar().showMessage(
            f"Opened {path.name}: {epochs} epoch{'s' if epochs != 1 else ''} trained. Press "
            "Space to carry on training.",
            MESSAGE_TIMEOUT_MS,
        )
        self.opened.emit(str(path))

    # Unsaved changes ------------------------------------------------------------------------

    def may_discard(self, doing: str, then: Callable[[], object]) -> bool:
        """True when nothing unsaved would be lost by ``doing`` (or the learner said Discard).

        Save saves first and calls ``then`` once saved (so this returns False); Cancel
        returns False.
        """
        app = QCoreApplication.instance()
        if not (self.is_dirty and self.asks_about_unsaved_work):
            return True
        if app is not None and app.property(CLOSING_ON_SIGNAL):
            return True  # a signal means quit now: no one may be there to answer
        answer = self.ask_unsaved(self._window, doing)
        if answer == DISCARD:
            return True
        if answer == SAVE:
            path = self.path or self.choose_save_path()
            if path is not None:
                self._after_save = then
                self.save_to(path)
        return False

    def _mark_dirty(self, *_: object) -> None:
        if not self.is_dirty:
            self.is_dirty = True
            self._window.setWindowModified(True)

    def _on_progress(self, progress: msg.TrainingProgress) -> None:
        if len(progress.batch_losses) or progress.epochs:
            self._mark_dirty()

    def _on_state_changed(self, *_: object) -> None:
        # Without a file only training counts as work; a file's settings are its content.
        if self.path is not None and self._opening is None:
            self._mark_dirty()

    def _set_file(self, path: Path) -> None:
        self.path = path
        self.is_dirty = False
        w = self._window
        w.setWindowTitle(f"{path.name}[*] — {self._title}")
        w.setWindowModified(False)
        self._remember(path)

    # Recent files ---------------------------------------------------------------------------

    def recent_paths(self) -> list[Path]:
        """The sessions saved or opened lately, newest first."""
        value = app_settings().value(RECENT_KEY, [])
        items = [value] if isinstance(value, str) else value if isinstance(value, list) else []
        return [Path(item) for item in items if isinstance(item, str) and item][:MAX_RECENT]

    def _remember(self, path: Path) -> None:
        paths = [path.resolve(), *(p for p in self.recent_paths() if p != path.resolve())]
        app_settings().setValue(RECENT_KEY, [str(p) for p in paths[:MAX_RECENT]])

    def _open_recent(self, path: Path, _checked: bool = False) -> None:
        self.open_file(path)

    def _fill_recent_menu(self) -> None:
        menu = self.recent_menu
        menu.clear()
        paths = self.recent_paths()
        for path in paths:
            action = menu.addAction(path.name)
            action.triggered.connect(partial(self._open_recent, path))
            action.setToolTip(str(path))
            action.setStatusTip(str(path))
            action.setEnabled(path.exists())
        if not paths:
            menu.addAction("No recent sessions").setEnabled(False)
        else:
            menu.addSeparator()
            menu.addAction("Clear the list", lambda: app_settings().remove(RECENT_KEY))

    # Plumbing -------------------------------------------------------------------------------

    def _connect(self) -> None:
        w = self._window
        worker = w.host.worker
        worker.snapshot_taken.connect(self._on_snapshot)
        worker.run_opened.connect(self._on_run_opened)
        worker.progress_ready.connect(self._on_progress)
        worker.failed.connect(self._on_model_failed)
        for event in (w.state.events.inputs, w.state.events.settings, w.state.events.pace):
            event.connect(self._on_state_changed)
        w.run_reset.connect(self._on_state_changed)

    def _on_model_failed(self, _message: str) -> None:
        if self._pending_save is not None:
            self._pending_save = self._after_save = None
            self._fail(
                "Could not save the session: the model process stopped. Restart it, then "
                "save again."
            )
        if self._opening is not None:
            self._opening = None
            self._fail("The session could not be opened: the model process stopped.")

    def _fail(self, message: str) -> None:
        w = self._window
        w.statusBar().showMessage(message, MESSAGE_TIMEOUT_MS)
        w.training.show_message(message)
        self.failed.emit(message)

    def _action(
        self, name: str, text: str, key: QKeySequence.StandardKey, slot: Callable[[], object]
    ) -> QAction:
        action = QAction(text, self._window)
        action.setObjectName(name)
        action.setShortcut(QKeySequence(key))
        action.triggered.connect(slot)
        self._window.addAction(action)
        return action

    def _choose_save_path(self) -> Path | None:
        suggested = str(self.path or Path.home() / f"activation-lab-session{SUFFIX}")
        name, _ = QFileDialog.getSaveFileName(self._window, "Save session", suggested, FILE_FILTER)
        return Path(name) if name else None

    def _choose_open_path(self) -> Path | None:
        start = str(self.path.parent if self.path else Path.home())
        name, _ = QFileDialog.getOpenFileName(self._window, "Open session", start, FILE_FILTER)
        return Path(name) if name else None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Accept a dropped session file anywhere on the window, and open it."""
        if watched is self._window and event.type() == QEvent.Type.DragEnter:
            assert isinstance(event, QDragEnterEvent)
            if _dropped_file(event) is not None:
                event.acceptProposedAction()
                return True
        if watched is self._window and event.type() == QEvent.Type.Drop:
            assert isinstance(event, QDropEvent)
            path = _dropped_file(event)
            if path is not None:
                event.acceptProposedAction()
                self.open_file(path)
                return True
        return super().eventFilter(watched, event)


def _dropped_file(event: QDropEvent | QDragEnterEvent) -> Path | None:
    urls = event.mimeData().urls() if event.mimeData().hasUrls() else []
    local = [url.toLocalFile() for url in urls if url.isLocalFile()]
    return Path(local[0]) if len(local) == 1 else None

"""The window's menus: File, Edit, Training, Mode, View and Help, and the actions only menus
offer.

Actions that belong to a view (Train, Step, Reset; Show gradients; Show curves) are made by
that view and only listed here. What needs the model (restarting it) stays with the window,
which connects ``action_restart_model``. The Edit menu's Undo and Redo come from the window's
:class:`UndoHistory`; View → Theme from :class:`ThemeChooser`.
"""

from __future__ import annotations

import platform
from importlib import metadata
from typing import TYPE_CHECKING

import PySide6
from PySide6.QtCore import QCoreApplication, QObject, Qt, qVersion
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMessageBox

from gui.application import APP_NAME
from gui.pipeline_view import MESSAGE_TIMEOUT_MS
from gui.shortcuts_dialog import ShortcutsDialog
from gui.theme_chooser import ThemeChooser
from gui.undo_history import UndoHistory
from gui.widgets.compare_dialog import CompareDialog
from model import protocol as msg

if TYPE_CHECKING:
    from gui.main_window import MainWindow


class WindowMenus(QObject):
    """The menu bar of ``window``: ``file_menu``, ``edit_menu`` (Undo, Redo from
    ``undo_history``), the Training menu with ``action_compare`` and ``action_restart_model``,
    Mode, View (with ``theme_chooser``'s Theme submenu) and Help (``action_shortcuts``,
    ``action_about``)."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        #: The PyTorch the model process runs, once it has said so.
        self.torch_version: str | None = None
        window.model_ready.connect(self._on_window_model_ready)
        bar = window.menuBar()
        self.file_menu = bar.addMenu("&File")
        # Ctrl+Alt+S: Ctrl+S saves the session, Ctrl+Shift+S (Save As) saves it elsewhere.
        self.action_screenshot = self._action(
            "action_screenshot", "Save &screenshot…", "Ctrl+Alt+S", self._save
        )
        self.file_menu.addAction(self.action_screenshot)
        # One key only: Ctrl+Q. Adding QKeySequence.Quit as well (which is Ctrl+Q on X11) made
        # the shortcut ambiguous there, and an ambiguous shortcut does nothing. Offscreen has
        # no standard Quit key at all, so it is spelled out.
        self.file_menu.addAction(self._action("action_quit", "&Quit", "Ctrl+Q", window.close))
        self.edit_menu = bar.addMenu("&Edit")
        self.undo_history = UndoHistory(window.state, window)
        for action in (self.undo_history.action_undo, self.undo_history.action_redo):
            self.edit_menu.addAction(action)
            window.addAction(action)  # its keys work in presenter mode too
        training_menu = bar.addMenu("&Training")
        controls = window.controls
        for action in (controls.action_train, controls.action_step, controls.action_reset):
            training_menu.addAction(action)
        self.action_compare = self._action(
            "action_compare", "&Compare pipelines…", "Ctrl+K", self._compare
        )
        self.action_compare.setIconText("Compare…")  # short in the toolbar: it must fit 1280
        self.action_compare.setToolTip(
            "Train up to four networks side by side from the same start (Ctrl+K)"
        )
        training_menu.addAction(self.action_compare)
        controls.addAction(self.action_compare)
        training_menu.addSeparator()
        self.action_restart_model = QAction("Restart the &model", window)
        self.action_restart_model.setObjectName("action_restart_model")
        self.action_restart_model.setToolTip(window.model_problem.restart_button.toolTip())
        self.action_restart_model.setEnabled(False)
        training_menu.addAction(self.action_restart_model)
        mode_menu = bar.addMenu("&Mode")
        for action in window.mode_bar.mode_actions:
            mode_menu.addAction(action)
        mode_menu.addSeparator()
        for action in window.presenter.actions:
            mode_menu.addAction(action)
        view_menu = bar.addMenu("&View")
        view_menu.addAction(window.gradients.action_show_gradients)
        view_menu.addAction(window.pipeline.action_show_curves)
        view_menu.addSeparator()
        self.theme_chooser = ThemeChooser(window)
        view_menu.addMenu(self.theme_chooser.menu)
        help_menu = bar.addMenu("&Help")
        self.action_shortcuts = self._action(
            "action_shortcuts", "&Keyboard shortcuts", "F1", self.show_shortcuts
        )
        help_menu.addAction(self.action_shortcuts)
        help_menu.addAction(self._action("action_about", "&About Activation Lab", "", self._about))

    def _action(self, name: str, text: str, key: str, slot: object) -> QAction:
        action = QAction(text, self._window)
        action.setObjectName(name)
        if key:
            action.setShortcut(QKeySequence(key))
        action.triggered.connect(slot)
        return action

    def _save(self) -> None:
        window = self._window
        path, _ = QFileDialog.getSaveFileName(
            window, "Save screenshot", "activation-lab.png", "PNG (*.png)"
        )
        if path and not window.grab().save(path, "PNG"):
            window.statusBar().showMessage(f"Could not save {path}", MESSAGE_TIMEOUT_MS)

    def _compare(self) -> None:
        window = self._window
        dialog = CompareDialog(window.setup.config.pipeline, window.setup.compare, window)
        if dialog.exec():
            window.controls.apply_pending()
            window.setup.set_compare(dialog.pipelines())

    def show_shortcuts(self) -> ShortcutsDialog:
        """Open the list of every key (modeless: it can stay open beside the window)."""
        dialog = ShortcutsDialog(self._window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        return dialog

    def _on_window_model_ready(self, ready: msg.EngineReady) -> None:
        self.torch_version = ready.torch_version

    def _about(self) -> None:
        version = QCoreApplication.applicationVersion() or "(version unknown)"
        rows = "".join(
            f"<tr><td>{name}&nbsp;&nbsp;</td><td>{number}</td></tr>"
            for name, number in app_versions(self.torch_version)[1:]
        )
        QMessageBox.about(
            self._window,
            f"About {APP_NAME}",
            f"<b>{APP_NAME} {version}</b><br><br>"
            f"{APP_NAME} shows, live, how activation functions shape a small PyTorch network: "
            "Input → ReLU → Sigmoid → Softmax to start with, any activation in any layer, "
            "with the gradients that train it, trained while you watch.<br><br>"
            f"<table cellspacing='0' cellpadding='0'>{rows}</table>",
        )


def app_versions(torch_version: str | None) -> list[tuple[str, str]]:
    """(name, version) of the app, Python, PyTorch, Qt and PySide6, for bug reports.

    The window never imports torch (it loads in the model process, and importing it here would
    cost seconds): ``torch_version`` is what the model's ready message said, or None before
    it has answered, when the installed package's metadata (read without importing) stands in.
    """
    app = QCoreApplication.applicationVersion() or "(version unknown)"
    torch = torch_version
    if torch is None:
        try:
            torch = f"{metadata.version('torch')} (installed; the model has not started yet)"
        except metadata.PackageNotFoundError:
            torch = "not installed"
    return [
        (APP_NAME, app),
        ("Python", platform.python_version()),
        ("PyTorch", torch),
        ("Qt", qVersion()),
        ("PySide6", PySide6.__version__),
    ]

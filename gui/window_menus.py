"""The window's menus: File, Training, View and Help, and the actions only menus offer.

Actions that belong to a view (Train, Step, Reset; Show gradients; Show curves) are made by
that view and only listed here. What needs the model (restarting it) stays with the window,
which connects ``action_restart_model``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMessageBox

from gui.application import APP_NAME
from gui.pipeline_view import MESSAGE_TIMEOUT_MS
from gui.widgets.compare_dialog import CompareDialog

if TYPE_CHECKING:
    from gui.main_window import MainWindow


class WindowMenus(QObject):
    """The menu bar of ``window``, with ``action_compare`` and ``action_restart_model``."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        bar = window.menuBar()
        file_menu = bar.addMenu("&File")
        file_menu.addAction(
            self._action("action_screenshot", "Save &screenshot…", "Ctrl+S", self._save)
        )
        # One key only: Ctrl+Q. Adding QKeySequence.Quit as well (which is Ctrl+Q on X11) made
        # the shortcut ambiguous there, and an ambiguous shortcut does nothing. Offscreen has
        # no standard Quit key at all, so it is spelled out.
        file_menu.addAction(self._action("action_quit", "&Quit", "Ctrl+Q", window.close))
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
        help_menu = bar.addMenu("&Help")
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

    def _about(self) -> None:
        version = QCoreApplication.applicationVersion() or "(version unknown)"
        QMessageBox.about(
            self._window,
            f"About {APP_NAME}",
            f"<b>{APP_NAME} {version}</b><br><br>"
            f"{APP_NAME} shows, live, how activation functions shape a small PyTorch network: "
            "Input → ReLU → Sigmoid → Softmax to start with, any activation in any layer, "
            "with the gradients that train it, trained while you watch.",
        )

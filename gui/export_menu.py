"""The Export menu: a handout, the history and the trace as CSV, any plot as PNG or SVG.

Each action asks for a file name (:attr:`ExportMenu.choose_path`, which tests replace: no
modal dialog in a test), writes the file whole or not at all, and says where it went in the
status bar. A failure (a folder that cannot be written, nothing to export yet) is said in
the status bar and in a message box that does not block the window.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QStandardPaths, Qt
from PySide6.QtGui import QAction, QGuiApplication
from PySide6.QtWidgets import QFileDialog, QMenu, QMessageBox

from gui.history_export import (
    export_batches_csv,
    export_history_csv,
    export_trace_csv,
)
from gui.pipeline_view import MESSAGE_TIMEOUT_MS
from gui.plot_export import NamedPlot, export_plot, window_plots
from model.atomic_file import ExportError

if TYPE_CHECKING:
    from gui.main_window import MainWindow

#: Asks where to save: (caption, suggested file name, filters) → a path, or "" to cancel.
PathChooser = Callable[[str, str, str], str]
CSV_FILTER = "CSV table (*.csv)"
PREFIX = "activation-lab"


class ExportMenu(QMenu):
    """``menu_export``: ``action_export_handout``, ``action_export_history_csv``,
    ``action_export_batches_csv``, ``action_export_trace_csv`` and ``action_export_plot``
    (a submenu with ``action_export_plot_<plot name>`` for every plot on screen)."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__("&Export", window)
        self.setObjectName("menu_export")
        self._window = window
        #: Replaceable (tests): asks for the file to write.
        self.choose_path: PathChooser = self._ask_path
        #: Replaceable (tests): says what went wrong.
        self.report_problem: Callable[[str], None] = self._warn
        self._folder = QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation
        )
        self.action_export_handout = self._add(
            "action_export_handout",
            "&Handout (PNG or PDF)…",
            "One printable page: the settings, the four stages, the curves and the epochs",
            self._export_handout,
        )
        self.addSeparator()
        self.action_export_history_csv = self._add(
            "action_export_history_csv",
            "Training &history (CSV)…",
            "Every epoch's losses, accuracies, flat units and observation, one row each",
            lambda: self._export_csv("history", "Export the training history", export_history_csv),
        )
        self.action_export_batches_csv = self._add(
            "action_export_batches_csv",
            "&Batch losses (CSV)…",
            "The loss of every mini-batch, with where it fell in epochs",
            lambda: self._export_csv("batches", "Export the batch losses", export_batches_csv),
        )
        self.action_export_trace_csv = self._add(
            "action_export_trace_csv",
            "&Trace of the inputs (CSV)…",
            "Every stage's z, value, slope and gradient for the four inputs, one row per unit",
            lambda: self._export_csv("trace", "Export the trace", export_trace_csv),
        )
        self.addSeparator()
        self.plot_menu = self.addMenu("&Plot")
        self.plot_menu.setObjectName("menu_export_plot")
        self.action_export_plot = self.plot_menu.menuAction()
        self.action_export_plot.setObjectName("action_export_plot")
        self.action_export_plot.setToolTip("Save one of the plots on screen as PNG or SVG")
        self.plot_menu.aboutToShow.connect(self.refresh_plots)

    def _add(self, name: str, text: str, tip: str, slot: Callable[[], None]) -> QAction:
        action = self.addAction(text)
        action.setObjectName(name)
        action.setToolTip(tip)
        action.setStatusTip(tip)
        action.triggered.connect(slot)
        return action

    def refresh_plots(self) -> list[QAction]:
        """One action per plot now on screen (the page shown decides which there are)."""
        self.plot_menu.clear()
        actions = []
        for named in window_plots(self._window):
            action = self.plot_menu.addAction(f"{named.title}…")
            action.setObjectName(f"action_export_plot_{named.name}")
            action.triggered.connect(lambda _=False, n=named: self._export_plot(n))
            actions.append(action)
        if not actions:
            self.plot_menu.addAction("No plot on screen").setEnabled(False)
        return actions

    # Exports --------------------------------------------------------------------------------

    def _export_handout(self) -> None:
        path = self._path(
            "Export a handout", "handout.pdf", "PDF page (*.pdf);;PNG picture (*.png)"
        )
        if path:
            self._run("the handout", lambda: _write_window_handout(self._window, path))

    def _export_csv(
        self, what: str, caption: str, export: Callable[[MainWindow, str], Path]
    ) -> None:
        path = self._path(caption, f"{what}.csv", CSV_FILTER)
        if path:
            self._run(f"the {what}", lambda: export(self._window, path))

    def _export_plot(self, named: NamedPlot) -> None:
        path = self._path(
            f"Export {named.title}",
            f"{named.name}.png",
            "PNG picture (*.png);;SVG drawing (*.svg)",
        )
        if path:
            self._run(named.title, lambda: export_plot(named.plot, path, named.title))

    def _path(self, caption: str, name: str, filters: str) -> str:
        path = self.choose_path(caption, str(Path(self._folder) / f"{PREFIX}-{name}"), filters)
        if path:
            self._folder = str(Path(path).parent)
        return path

    def _run(self, what: str, export: Callable[[], Path]) -> None:
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            written = export()
        except (ExportError, ValueError) as error:
            QGuiApplication.restoreOverrideCursor()
            self.report_problem(f"{_capitalised(what)} was not exported. {_sentence(error)}")
            return
        QGuiApplication.restoreOverrideCursor()
        self._window.statusBar().showMessage(f"Exported {what} to {written}", MESSAGE_TIMEOUT_MS)

    # Asking and telling ---------------------------------------------------------------------

    def _ask_path(self, caption: str, suggested: str, filters: str) -> str:
        path, chosen = QFileDialog.getSaveFileName(self._window, caption, suggested, filters)
        if path and not Path(path).suffix and "*." in chosen:
            path += chosen.split("*", 1)[1].split(")", 1)[0]  # the filter's suffix
        return path

    def _warn(self, message: str) -> None:
        self._window.statusBar().showMessage(message, 2 * MESSAGE_TIMEOUT_MS)
        box = QMessageBox(QMessageBox.Icon.Warning, "Export failed", message, parent=self._window)
        box.setObjectName("export_problem")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()  # not exec(): the window keeps running (training goes on meanwhile)


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def _sentence(error: Exception) -> str:
    """The error's message as a sentence: capital first letter, full stop at the end."""
    text = _capitalised(str(error))
    return text if text.endswith(".") else f"{text}."


def _write_window_handout(window: MainWindow, path: str) -> Path:
    # Imported when asked for: the handout's page widgets cost the window's first frame
    # 80 ms to import.
    from gui.handout import handout_data_from_window, write_handout

    return write_handout(handout_data_from_window(window), path)

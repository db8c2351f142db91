"""Presenter mode: full screen, type 1.6× larger, high contrast, and a guided lesson.

A frame around the modes, not a mode of its own: the lesson's steps each open a mode (and may
set the inputs, the pipeline, the gradient bars or the curves), and every key a presentation
clicker sends works: PageDown / PageUp step through the lesson, Space trains or pauses,
1–8 switch modes, the arrow keys step through the forward pass, Esc leaves.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QRect, Qt
from PySide6.QtGui import QAction, QKeySequence

from gui.widgets.lesson_bar import LessonBar
from model.config import Pipeline
from model.lesson import LessonCursor, LessonStep, load_lesson

if TYPE_CHECKING:
    from gui.main_window import MainWindow


class Presenter(QObject):
    """Follows ``window.state.presenting``: ``lesson_bar`` on top, the lesson's actions
    (``action_lesson_next``, ``action_lesson_previous``, ``action_leave_presenter``)."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        self.bar = LessonBar()
        self.bar.hide()
        loaded = load_lesson()
        self.problems = list(loaded.problems)
        self.cursor = LessonCursor(loaded.lesson)
        self._was_maximized = False
        self._normal_geometry: QRect | None = None
        self.action_next = self._action(
            "action_lesson_next", "&Next lesson step", ("PgDown",), self.next_step
        )
        self.action_previous = self._action(
            "action_lesson_previous", "&Previous lesson step", ("PgUp",), self.previous_step
        )
        self.action_leave = self._action(
            "action_leave_presenter", "&Leave presenter mode", ("Esc",), self._leave
        )
        window.state.events.presenting.connect(self._on_presenting)

    def _action(self, name: str, text: str, keys: tuple[str, ...], slot: object) -> QAction:
        action = QAction(text, self._window)
        action.setObjectName(name)
        action.setShortcuts([QKeySequence(key) for key in keys])
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.setEnabled(False)  # only while presenting: Esc closes popups otherwise
        assert callable(slot)
        action.triggered.connect(slot)
        self._window.addAction(action)
        return action

    @property
    def actions(self) -> tuple[QAction, ...]:
        """The presenter's actions, for the menus."""
        return (self.action_next, self.action_previous, self.action_leave)

    # Stepping -------------------------------------------------------------------------------

    def next_step(self) -> None:
        """The lesson's next step (the last one stays)."""
        if self.cursor.next():
            self._apply(self.cursor.step)

    def previous_step(self) -> None:
        """The lesson's previous step (the first one stays)."""
        if self.cursor.previous():
            self._apply(self.cursor.step)

    def _apply(self, step: LessonStep) -> None:
        """Show ``step``: its words on the bar, its mode, and whatever it sets up."""
        window = self._window
        self.bar.show_step(step, self.cursor.position_text)
        if step.inputs is not None:
            window.inputs.set_values(step.inputs)
        if step.activations is not None or step.temperature is not None:
            current = window.state.pipeline
            wanted = Pipeline(
                tuple(step.activations) if step.activations is not None else current.activations,
                step.temperature if step.temperature is not None else current.temperature,
            )
            if wanted != current:
                window.picker.pipeline_chosen.emit(wanted)
        if (
            step.learning_rate is not None
            and step.learning_rate != window.setup.config.learning_rate
        ):
            window.setup.set_settings(
                replace(window.setup.config, learning_rate=step.learning_rate)
            )
        if step.gradients is not None:
            window.gradients.action_show_gradients.setChecked(step.gradients)
        if step.curves is not None:
            window.pipeline.action_show_curves.setChecked(step.curves)
        window.state.mode = step.mode

    # Entering and leaving -------------------------------------------------------------------

    def _leave(self) -> None:
        self._window.state.presenting = False

    def _on_presenting(self, on: bool) -> None:
        window = self._window
        for action in self.actions:
            action.setEnabled(on)
        for bar in (window.controls, window.controls.settings_bar):
            bar.setVisible(not on)
        window.statusBar().setVisible(not on)
        self.bar.setVisible(on)
        if on:
            self._was_maximized = window.isMaximized()
            self._normal_geometry = window.geometry()
            window.showFullScreen()
            # Without a window manager (a bare X server, some kiosk set-ups) nobody honours
            # the full-screen request: cover the screen ourselves.
            screen = window.screen()
            if not window.isFullScreen() and screen is not None:
                window.setGeometry(screen.geometry())
            self._apply(self.cursor.step)
        else:
            window.showNormal()
            if self._was_maximized:
                window.showMaximized()
            elif self._normal_geometry is not None:
                window.setGeometry(self._normal_geometry)
        window.mode_stack.current_page.take_keyboard()

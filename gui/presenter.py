"""Presenter mode: full screen, type 1.6× larger, high contrast, and a guided lesson.

A frame around the modes, not a mode of its own: the lesson's steps each open a mode (and may
set the inputs, the pipeline, the gradient bars or the curves), and every key a presentation
clicker sends works: PageDown / PageUp step through the lesson, Space trains or pauses,
1–8 switch modes, the arrow keys step through the forward pass, Esc leaves.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QRect, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence

from gui.widgets.lesson_bar import LessonBar
from model.config import Pipeline
from model.lesson import LessonCursor, LessonStep, load_lesson

if TYPE_CHECKING:
    from gui.main_window import MainWindow


#: How long a window manager gets to make the window full screen before we cover the screen.
FULL_SCREEN_GRACE_MS = 300


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
        self._before = (window.state.mode, False, False)
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

    def _action(
        self, name: str, text: str, keys: tuple[str, ...], slot: Callable[[], None]
    ) -> QAction:
        action = QAction(text, self._window)
        action.setObjectName(name)
        action.setShortcuts([QKeySequence(key) for key in keys])
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.setEnabled(False)  # only while presenting: Esc closes popups otherwise
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
        # The mode first: the page left gives back its own view (curves, gradients) on
        # leaving, and the step's choices must come after that.
        window.state.mode = step.mode
        if step.inputs is not None:
            window.inputs.set_values(step.inputs)
        setup = window.setup.config  # what was asked for last, not what the model took yet
        if step.activations is not None or step.temperature is not None:
            wanted = Pipeline(
                tuple(step.activations) if step.activations is not None else setup.activations,
                step.temperature if step.temperature is not None else setup.temperature,
            )
            if wanted != setup.pipeline:
                window.setup.set_pipeline(wanted)
        rate = step.learning_rate
        if rate is not None and rate != window.setup.config.learning_rate:
            window.setup.set_settings(replace(window.setup.config, learning_rate=rate))
        if step.gradients is not None:
            window.gradients.action_show_gradients.setChecked(step.gradients)
        if step.curves is not None:
            window.pipeline.action_show_curves.setChecked(step.curves)

    # Entering and leaving -------------------------------------------------------------------

    def _cover_screen(self) -> None:
        window = self._window
        screen = window.screen()
        if (
            window.state.presenting
            and screen is not None
            and window.geometry() != screen.geometry()
        ):
            window.setGeometry(screen.geometry())

    def _restore_geometry(self) -> None:
        if self._window.state.presenting:
            return
        # The normal type's layouts first: until they run, the window's minimum is still
        # presenter mode's, and the old geometry would not fit it.
        QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
        if self._was_maximized:
            self._window.showMaximized()
        elif self._normal_geometry is not None:
            self._window.setGeometry(self._normal_geometry)

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
            # What the learner had: the lesson's steps change the view, leaving gives it
            # back (the inputs and the network stay as the room last saw them).
            self._before = (
                window.state.mode,
                window.gradients.action_show_gradients.isChecked(),
                window.pipeline.action_show_curves.isChecked(),
            )
            self._was_maximized = window.isMaximized()
            self._normal_geometry = window.geometry()
            window.showFullScreen()
            # Without a window manager (a bare X server, some kiosk set-ups) nobody honours
            # the full-screen request, though Qt reports it as done: cover the screen
            # ourselves if, once a window manager would have, the window does not.
            QTimer.singleShot(FULL_SCREEN_GRACE_MS, self._cover_screen)
            self._apply(self.cursor.step)
        else:
            mode, gradients, curves = self._before
            window.state.mode = mode
            window.gradients.action_show_gradients.setChecked(gradients)
            window.pipeline.action_show_curves.setChecked(curves)
            window.showNormal()
            # Once the normal type is laid out again: until then the contents still ask
            # for presenter mode's height.
            QTimer.singleShot(0, self._restore_geometry)
        window.mode_stack.current_page.take_keyboard()

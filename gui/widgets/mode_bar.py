"""The mode switcher: nine buttons in the menu bar's row, and the keys 1–9 (Alt+1–9 too).

It shows the state's mode and writes the learner's pick back to it; it knows no page. Beside
the menus it costs no height, which a 1024×700 screen cannot spare.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QHBoxLayout, QMenuBar, QToolButton, QWidget

from model.lab_state import LabState
from model.modes import MODES, PRESENTER, get_mode


class ModeBar(QWidget):
    """A checkable button per mode (``mode_button_<name>``) over ``mode_actions`` (one QAction per
    mode, ``action_mode_<name>``, keys ``1``–``9`` and ``Alt+1``–``Alt+9``)."""

    def __init__(self, state: LabState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mode_bar")
        self.setAccessibleName("Learning modes")
        self._state = state
        self._group = QActionGroup(self)
        self._group.setExclusive(True)
        self.actions_by_name: dict[str, QAction] = {}
        self.buttons: dict[str, QToolButton] = {}
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 4, 0)
        layout.setSpacing(1)
        for key, mode in enumerate(MODES, start=1):
            action = QAction(f"&{key} {mode.title}", self)
            # The button's text (Qt rebuilds a tool button's text from this on a toggle).
            action.setIconText(_label(key, mode.name))
            action.setObjectName(f"action_mode_{mode.name}")
            action.setCheckable(True)
            action.setData(mode.name)
            # A digit alone, for a clicker or a keyboard; Alt+digit while typing in a cell
            # (the cells keep plain digits for the numbers typed into them).
            action.setShortcuts([QKeySequence(str(key)), QKeySequence(f"Alt+{key}")])
            action.setToolTip(f"{mode.summary} ({key})")
            action.triggered.connect(lambda _=False, name=mode.name: self._on_picked(name))
            if mode.name != PRESENTER:  # presenter is a frame around a mode: a toggle
                self._group.addAction(action)
            self.actions_by_name[mode.name] = action
            button = QToolButton(self)
            button.setDefaultAction(action)
            button.setObjectName(f"mode_button_{mode.name}")
            button.setAutoRaise(True)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the keyboard stays with the page
            layout.addWidget(button)
            self.buttons[mode.name] = button
        self.mode_actions = list(self.actions_by_name.values())
        state.events.mode.connect(self._on_state_changed)
        state.events.presenting.connect(self._on_state_changed)
        self._on_state_changed(None)

    def _on_picked(self, name: str) -> None:
        if name == PRESENTER:
            self._state.presenting = not self._state.presenting
        else:
            self._state.mode = name
        self._on_state_changed(None)  # a click on the shown mode must stay checked

    def _on_state_changed(self, _: object) -> None:
        shown, presenting = self._state.mode, self._state.presenting
        self.actions_by_name[shown].setChecked(True)
        self.actions_by_name[PRESENTER].setChecked(presenting)
        # Presenter mode's large type: the keys alone, and the name of the mode shown.
        for key, mode in enumerate(MODES, start=1):
            short = presenting and mode.name != shown
            self.buttons[mode.name].setText(str(key) if short else _label(key, mode.name))
        # The menu bar places its corner widget only when it is set or resized: the texts
        # changed length, so set it again.
        self.adjustSize()
        bar = self.parentWidget()
        if isinstance(bar, QMenuBar) and bar.cornerWidget() is self:
            bar.setCornerWidget(self)


def _label(key: int, name: str) -> str:
    """A mode's button text: its key and its title ("Present" for presenter mode)."""
    title = "Present" if name == PRESENTER else get_mode(name).title
    return f"{key} {title}"

"""Undo and Redo of what the learner changes: the input cells, the training settings, the pace.

The history listens to the state (:class:`LabState`), not to the widgets: whatever changed a
field (a cell, the toolbar, a picker, a lesson step), one command records its old and new
value. Undo writes the old value back into the state, which leads as always: the cells, the
toolbar and the model follow, and a settings change starts the run over, as choosing that
setting did (the command's text says so). A guard keeps that write from being recorded again.

Merging: a burst of changes to the same one setting (the seed's arrows clicked ten times, the
speed list scrolled) is one step, "seed 0 → 10", which is how a learner thinks of it. Typed
numbers are never merged: each number confirmed with Enter is a step of its own, as in a
spreadsheet.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import fields
from functools import partial
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence, QUndoCommand, QUndoStack

from gui.undo_texts import input_change, pace_change, settings_change
from model.config import TrainingConfig

if TYPE_CHECKING:
    from model.lab_state import LabState

#: Changes of the same setting closer together than this merge into one step (seconds).
MERGE_SECONDS = 1.5
#: Command ids (QUndoCommand.id) of the mergeable kinds.
_PACE_ID = 1
_SETTINGS_ID = 2


class StateChange(QUndoCommand):
    """One change of a state field: ``field`` went from ``old`` to ``new``."""

    def __init__(self, history: UndoHistory, field: str, old: Any, new: Any) -> None:
        super().__init__()
        self._history, self.field, self.old, self.new = history, field, old, new
        self._done = True  # pushed after the change happened: the first redo does nothing
        self.at = time.monotonic()
        self._describe()

    def _describe(self) -> None:
        if self.field == "inputs":
            self.setText(input_change(self.old, self.new))
        elif self.field == "settings":
            self.setText(settings_change(self.old, self.new))
        else:
            self.setText(pace_change(self.old, self.new))

    def id(self) -> int:
        """Settings and pace changes may merge; input edits never do."""
        return {"pace": _PACE_ID, "settings": _SETTINGS_ID}.get(self.field, -1)

    def mergeWith(self, other: QUndoCommand) -> bool:
        """Take in ``other`` when it changes the same one setting soon after this."""
        if not isinstance(other, StateChange) or other.field != self.field:
            return False
        if other.at - self.at > MERGE_SECONDS:
            return False
        if self.field == "settings" and (
            _changed(self.old, self.new) != _changed(other.old, other.new)
            or len(_changed(self.old, self.new)) != 1
        ):
            return False
        self.new, self.at = other.new, other.at
        self._describe()
        self.setObsolete(self.old == self.new)  # back where it started: no step at all
        return True

    def undo(self) -> None:
        """Put the old value back into the state."""
        self._history.write(self.field, self.old)

    def redo(self) -> None:
        """Put the new value back (nothing the first time: it is already there)."""
        if self._done:
            self._done = False
            return
        self._history.write(self.field, self.new)


def _changed(old: TrainingConfig, new: TrainingConfig) -> tuple[str, ...]:
    """The names of the fields that differ between two settings."""
    return tuple(
        f.name for f in fields(TrainingConfig) if getattr(old, f.name) != getattr(new, f.name)
    )


class UndoHistory(QObject):
    """The window's undo stack over ``state``, with ``action_undo`` and ``action_redo``
    (Ctrl+Z, Ctrl+Shift+Z / Ctrl+Y) whose texts name the change they undo or redo."""

    def __init__(self, state: LabState, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("undo_history")
        self._state = state
        self.stack = QUndoStack(self)
        self.stack.setObjectName("undo_stack")
        self._writing = False
        self._last: dict[str, Any] = {}
        self._remember()
        self.action_undo = self._action(self.stack.createUndoAction(self, "&Undo"), "undo")
        self.action_redo = self._action(self.stack.createRedoAction(self, "&Redo"), "redo")
        self.action_undo.setShortcuts(QKeySequence.StandardKey.Undo)
        self.action_redo.setShortcuts(QKeySequence.StandardKey.Redo)
        self._listeners: dict[str, Callable[[Any], None]] = {
            field: partial(self._on_changed, field) for field in ("inputs", "settings", "pace")
        }
        for field, listener in self._listeners.items():
            getattr(state.events, field).connect(listener)

    @staticmethod
    def _action(action: QAction, name: str) -> QAction:
        action.setObjectName(f"action_{name}")
        return action

    def clear(self) -> None:
        """Forget every step (a session was opened: its state is the new starting point)."""
        self.stack.clear()
        self._remember()

    def write(self, field: str, value: Any) -> None:
        """Set ``field`` of the state to ``value`` without recording it (undo and redo)."""
        self._writing = True
        try:
            setattr(self._state, field, value)
        finally:
            self._writing = False
            self._last[field] = getattr(self._state, field)

    def _remember(self) -> None:
        state = self._state
        self._last = {"inputs": state.inputs, "settings": state.settings, "pace": state.pace}

    def _on_changed(self, field: str, value: Any) -> None:
        old = self._last.get(field)
        self._last[field] = value
        if self._writing or old == value:
            return
        self.stack.push(StateChange(self, field, old, value))

    def disconnect_state(self) -> None:
        """Stop listening to the state (the window is going)."""
        for field, listener in self._listeners.items():
            getattr(self._state.events, field).disconnect(listener)

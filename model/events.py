"""A tiny Qt-free event: callbacks connected to one change, in the order they connected.

The learner's state (:mod:`model.lab_state`) uses one per field, as napari's evented models
do, so views subscribe to what they show without the state knowing any view.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class Event(Generic[T]):
    """Call every connected callback with the new value when :meth:`emit` is called."""

    def __init__(self) -> None:
        self._callbacks: list[Callable[[T], object]] = []

    def connect(self, callback: Callable[[T], object]) -> None:
        """Call ``callback(value)`` on every emit (once, however often it is connected)."""
        if callback not in self._callbacks:
            self._callbacks.append(callback)

    def disconnect(self, callback: Callable[[T], object]) -> None:
        """Stop calling ``callback``; a callback never connected is ignored."""
        if callback in self._callbacks:
            self._callbacks.remove(callback)

    def emit(self, value: T) -> None:
        """Tell every subscriber; a subscriber connected during the emit hears the next one."""
        for callback in list(self._callbacks):
            callback(value)

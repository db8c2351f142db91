"""Step a scenario through the running app: each step waits, bounded, for a state.

Shared by the drivers that start the app proper (``main.main``) and act on its own event loop:
tests/desktop_driver.py (keys and pictures on a real X server) and tests/clean_exit_driver.py
(moments of closing). A scenario is a generator given the main window; each value it yields is
a ``(description, predicate)`` pair, and the next step runs once the predicate holds. A step that
raises, a predicate that raises, or a state that does not come in time is recorded in
``failures`` and the driver's ``give_up`` ends the app, so a failed scenario still ends and
says why.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

Wait = tuple[str, Callable[[], bool]]
Scenario = Callable[[Any], Iterator[Wait]]


class ScenarioRunner:
    """Polls every 20 ms. ``each_tick`` runs on every poll, even after the last step and
    inside a dialog's own event loop (the clean-exit driver answers questions there);
    without it, polling stops with the scenario."""

    def __init__(
        self,
        app: QApplication,
        scenario: Scenario,
        failures: list[str],
        *,
        step_timeout_s: float,
        give_up: Callable[[], None],
        each_tick: Callable[[], None] | None = None,
    ) -> None:
        self._app, self._scenario, self._failures = app, scenario, failures
        self._step_timeout_s, self._give_up, self._each_tick = step_timeout_s, give_up, each_tick
        self._steps: Iterator[Wait] | None = None
        self._wait: Wait | None = None
        self._deadline = 0.0
        self._timer = QTimer(interval=20)
        self._timer.timeout.connect(self._tick)

    def start(self) -> None:
        """Begin once the app's main window exists (call it from the event loop)."""
        from gui.live_widgets import top_level_widgets
        from gui.main_window import MainWindow

        windows = [w for w in top_level_widgets(self._app) if isinstance(w, MainWindow)]
        if not windows:
            QTimer.singleShot(20, self.start)
            return
        self._steps = self._scenario(windows[0])
        self._timer.start()
        self._advance()

    def _advance(self) -> None:
        assert self._steps is not None
        self._wait = None  # a tick inside a step's dialog must not advance the same step
        try:
            self._wait = next(self._steps)
            self._deadline = time.monotonic() + self._step_timeout_s
        except StopIteration:
            if self._each_tick is None:
                self._timer.stop()
        except Exception as error:  # a failed step: say which, and let the app close
            self._fail(f"{type(error).__name__}: {error}")

    def _tick(self) -> None:
        if self._each_tick is not None:
            self._each_tick()
        if self._wait is None:
            return
        description, predicate = self._wait
        try:
            done = predicate()
        except Exception as error:  # the state can no longer come: stop now, say why
            self._fail(f"while waiting for {description}: {error}")
            return
        if done:
            self._advance()
        elif time.monotonic() > self._deadline:
            self._fail(f"timed out waiting for {description}")

    def _fail(self, message: str) -> None:
        self._failures.append(message)
        self._wait = None
        if self._each_tick is None:
            self._timer.stop()
        self._give_up()

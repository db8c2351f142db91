"""The model thread's owner: creates it and its worker, and shuts both down on purpose.

The host belongs to no widget: a window built inside a function is deleted when the function
returns, and a host that was its child would take the running thread with it (Qt aborts with
"QThread: Destroyed while thread is still running"). Hosts are kept alive here until they have
shut down, which happens when the window closes, when the application is about to quit, or at
the latest when the interpreter exits.
"""

from __future__ import annotations

import atexit
import contextlib
from typing import ClassVar

from PySide6.QtCore import QCoreApplication, QMetaObject, QObject, Qt, QThread, Signal

from gui.model_worker import ModelWorker
from model.config import TrainingConfig


class ModelHost(QObject):
    """Creates the model thread and its worker, and shuts both down on purpose.

    The window emits the ``*_requested`` signals; they reach the worker queued, in its thread.
    Every host still running is shut down when the application is about to quit and when the
    interpreter exits, so a script that returns without closing its window does not abort Qt
    (``QThread: Destroyed while thread is still running``).
    """

    #: Every host that has not shut down yet (strong references: see the module docstring).
    _live: ClassVar[set[ModelHost]] = set()

    inputs_requested = Signal(object)
    training_requested = Signal(bool)
    step_requested = Signal()
    reset_requested = Signal()
    configure_requested = Signal(object)
    target_requested = Signal(object)
    pace_requested = Signal(object)
    restart_requested = Signal()
    progress_consumed = Signal()
    snapshot_requested = Signal()
    open_run_requested = Signal(object)

    def __init__(self, config: TrainingConfig | None = None) -> None:
        super().__init__()
        self.model_thread = QThread(self)
        self.model_thread.setObjectName("model_thread")
        self.worker = ModelWorker(config)
        self.worker.moveToThread(self.model_thread)
        self.model_thread.started.connect(self.worker.start)
        self.model_thread.finished.connect(self.worker.deleteLater)
        self.inputs_requested.connect(self.worker.set_inputs)
        self.training_requested.connect(self.worker.set_training)
        self.step_requested.connect(self.worker.step_epoch)
        self.reset_requested.connect(self.worker.reset)
        self.configure_requested.connect(self.worker.configure)
        self.target_requested.connect(self.worker.set_target)
        self.pace_requested.connect(self.worker.set_pace)
        self.restart_requested.connect(self.worker.restart)
        self.progress_consumed.connect(self.worker.progress_consumed)
        self.snapshot_requested.connect(self.worker.take_snapshot)
        self.open_run_requested.connect(self.worker.open_run)
        self._shut_down = False
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.shutdown)
        ModelHost._live.add(self)

    def start(self) -> None:
        """Start the model thread (and, from it, the model process)."""
        self.model_thread.start()

    def shutdown(self, timeout_ms: int = 8000) -> bool:
        """Stop the model process, then the thread; True when both ended within the bound."""
        if self._shut_down or not self.model_thread.isRunning():
            self._shut_down = True
            ModelHost._live.discard(self)
            return True
        self._shut_down = True
        ModelHost._live.discard(self)
        # Nothing more reaches the window from here on: it may already be half torn down.
        self.worker.blockSignals(True)
        # stop() must run in the worker's thread, where the notifier and the pipe live. It is
        # bounded (join, then terminate), and the worker never waits on this thread, so a
        # blocking call cannot deadlock.
        QMetaObject.invokeMethod(self.worker, "stop", Qt.ConnectionType.BlockingQueuedConnection)
        self.model_thread.quit()
        return bool(self.model_thread.wait(timeout_ms))

    @classmethod
    def shutdown_all(cls) -> None:
        """Shut down every host still running (at exit: nothing else will)."""
        for host in list(cls._live):
            with contextlib.suppress(RuntimeError):  # its C++ side is already gone
                host.shutdown()


atexit.register(ModelHost.shutdown_all)

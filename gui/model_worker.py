"""The window's single bridge to the model: a worker in its own thread, fronting the model process.

The network lives in a child process (:mod:`model.engine`) so that PyTorch's import and the
training loop never hold this process's GIL: the window paints before torch has loaded and stays
responsive while training runs flat out. The worker owns the pipe to that process; the window
talks to the worker only through signals, and receives plain data back.

Edits coalesce here: while one input is being computed, only the newest pending one is kept.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Sequence
from dataclasses import replace
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any

from PySide6.QtCore import (
    QObject,
    QSocketNotifier,
    QTimer,
    Signal,
    Slot,
)

from gui.model_process import MODEL_PROCESS_NAME, process_context
from model import protocol as msg
from model.config import Pipeline, TrainingConfig
from model.engine_entry import run_engine

#: How long the model process gets to finish its batch and exit before it is terminated.
SHUTDOWN_TIMEOUT_S = 3.0


class ModelWorker(QObject):
    """Owns the model process and its pipe; lives in the model thread.

    It remembers what the learner has set up (settings, pace, inputs) and the newest finished
    epoch's weights (a :class:`~model.protocol.Checkpoint`), so that :meth:`restart` can bring a
    dead model process back where the run was.

    Signals
    -------
    ready(object)
        :class:`~model.protocol.EngineReady`, once PyTorch has loaded and warmed up.
    trace_ready(object)
        A :class:`~model.protocol.trace.Trace` of the newest inputs with the current weights.
    progress_ready(object)
        :class:`~model.protocol.TrainingProgress`, about 30 times a second while training,
        never faster than the window consumes them (see :meth:`progress_consumed`).
    training_reset(object)
        :class:`~model.protocol.TrainingReset`: the run starts over.
    training_diverged(object)
        :class:`~model.protocol.TrainingDiverged`: paused, last good weights restored.
    training_resumed(object)
        :class:`~model.protocol.Resumed`: a restarted model process carries on from a checkpoint.
    snapshot_taken(object)
        :class:`~model.protocol.RunSnapshot`, after every progress message before it.
    run_opened(object)
        :class:`~model.protocol.RunOpened`: a session's run replaced the current one.
    request_refused(str)
        A setting the model refused; nothing changed.
    failed(str)
        The model process failed, stopped or could not start.
    """

    ready = Signal(object)
    trace_ready = Signal(object)
    progress_ready = Signal(object)
    training_reset = Signal(object)
    training_diverged = Signal(object)
    training_resumed = Signal(object)
    snapshot_taken = Signal(object)
    run_opened = Signal(object)
    request_refused = Signal(str)
    failed = Signal(str)

    def __init__(self, config: TrainingConfig | None = None) -> None:
        super().__init__()
        self._config = config
        #: The compared pipelines (runs 1, 2, …) of the current run, sent with every Configure.
        self._compare: tuple[Pipeline, ...] = ()
        self._target: int | None = None
        self._pace: float | None = None
        self._inputs: tuple[float, ...] | None = None
        self._checkpoint: msg.Checkpoint | None = None
        self._connection: Connection | None = None
        self._process: BaseProcess | None = None
        self._notifier: QSocketNotifier | None = None
        self._poll_timer: QTimer | None = None
        self._is_ready = False
        self._queued: list[msg.Request] = []
        self._pending_inputs: tuple[float, ...] | None = None
        self._inputs_in_flight = False
        self._progress_in_flight = False
        self._progress_pending: msg.TrainingProgress | None = None
        self._failure_reported = False
        self._opening: msg.OpenRun | None = None
        # One handler per reply type: adding a message adds a line here, not an elif.
        self._handlers: dict[type, Callable[[Any], None]] = {
            msg.TraceComputed: self._on_trace_computed,
            msg.TrainingProgress: self._on_progress,
            msg.EngineReady: self._on_engine_ready,
            msg.TrainingReset: self._on_training_reset,
            msg.TrainingDiverged: self._on_training_diverged,
            msg.Resumed: self.training_resumed.emit,
            msg.RunSnapshot: self._on_run_snapshot,
            msg.RunOpened: self._on_run_opened,
            msg.RequestRefused: self._on_request_refused,
            msg.EngineFailed: self._on_engine_failed,
        }

    # Slots the window's signals reach (queued, in the model thread) ---------------------------

    @Slot()
    def start(self) -> None:
        """Start the model process; requests made before it is ready are kept until then."""
        try:
            context = process_context()
            ours, theirs = context.Pipe(duplex=True)
            process = context.Process(
                target=run_engine,
                args=(theirs, self._config),
                name=MODEL_PROCESS_NAME,
                daemon=True,
            )
            process.start()
        except Exception as error:  # no process means no model: say so instead of hanging
            self.failed.emit(f"The model process could not start: {error}")
            return
        theirs.close()
        self._connection, self._process = ours, process
        self._failure_reported = False
        self._listen(ours)

    @Slot()
    def restart(self) -> None:
        """Start a new model process with the same settings, pace, inputs and trained weights.

        The run carries on from the newest finished epoch (its weights and data order; an
        optimizer's momentum cannot be recovered), or starts over if no epoch had finished.
        """
        self.stop()
        self._is_ready = False
        self._inputs_in_flight = False
        self._progress_in_flight = False
        self._progress_pending = None
        resume: msg.Request = (
            msg.Reset() if self._checkpoint is None else msg.Resume(self._checkpoint)
        )
        if self._compare and self._config is not None:
            # A checkpoint holds run 0's weights only: compared runs cannot carry on, so all
            # of them start over together rather than from different epochs.
            resume = msg.Configure(self._config, self._compare)
        # The learner's inputs go first: the answer to Resume (or Reset) is a trace, and a
        # new model process starts from the default inputs.
        inputs = [] if self._inputs is None else [msg.SetInputs(self._inputs)]
        target = [] if self._target is None else [msg.SetTarget(self._target)]
        self._queued = [msg.SetPace(self._pace), *target, *inputs, resume]
        self._inputs_in_flight = bool(inputs)
        self._pending_inputs = None
        self.start()

    @Slot(object)
    def set_inputs(self, values: Sequence[float]) -> None:
        """Compute the trace of ``values``; a burst of edits computes only the newest."""
        self._inputs = self._pending_inputs = tuple(float(v) for v in values)
        self._send_pending_inputs()

    @Slot(bool)
    def set_training(self, running: bool) -> None:
        """Start or pause continuous training."""
        self._request(msg.SetTraining(running))

    @Slot()
    def step_epoch(self) -> None:
        """Train one epoch, then pause."""
        self._request(msg.StepEpoch())

    @Slot()
    def reset(self) -> None:
        """Identity weights, the seed's first shuffle, empty history."""
        self._request(msg.Reset())

    @Slot(object)
    def configure(self, request: msg.Configure) -> None:
        """Use ``request``'s settings and compared pipelines from now on; the run starts over."""
        self._config = request.config
        self._compare = request.compare
        # The run starts over: a restart must not carry the old run's weights into this one.
        self._checkpoint = None
        self._request(request)

    @Slot()
    def take_snapshot(self) -> None:
        """Ask for the run's :class:`~model.protocol.RunSnapshot` (to save a session)."""
        self._request(msg.TakeSnapshot())

    @Slot(object)
    def open_run(self, request: msg.OpenRun) -> None:
        """Replace the run with a session's (see :class:`~model.protocol.OpenRun`)."""
        self._opening = request
        self._request(request)

    @Slot(object)
    def set_target(self, target: int | None) -> None:
        """Take gradients against class ``target`` (0-3), or the task's answer (None)."""
        self._target = target
        self._request(msg.SetTarget(target))

    @Slot(object)
    def set_pace(self, epochs_per_second: float | None) -> None:
        """Limit training speed (``None``: flat out)."""
        self._pace = epochs_per_second
        self._request(msg.SetPace(epochs_per_second))

    @Slot()
    def progress_consumed(self) -> None:
        """The window has drawn the last progress: send what has gathered since, merged."""
        self._progress_in_flight = False
        self._flush_pending_progress()

    @Slot()
    def stop(self) -> None:
        """Ask the model process to exit, wait a bounded time, and release the pipe."""
        self._stop_listening()
        process, connection = self._process, self._connection
        self._process = self._connection = None
        if connection is not None:
            with contextlib.suppress(OSError):  # already gone: nothing to ask
                connection.send(msg.Shutdown())
        if process is not None:
            process.join(SHUTDOWN_TIMEOUT_S)
            if process.is_alive():
                process.terminate()
                process.join(SHUTDOWN_TIMEOUT_S)
        if connection is not None:
            connection.close()

    # The pipe -------------------------------------------------------------------------------

    def _listen(self, connection: Connection) -> None:
        if sys.platform != "win32":
            self._notifier = QSocketNotifier(connection.fileno(), QSocketNotifier.Type.Read, self)
            self._notifier.activated.connect(self._on_pipe_readable)
        else:  # Windows pipes are not sockets; poll them instead
            self._poll_timer = QTimer(self, interval=2)
            self._poll_timer.timeout.connect(self._on_pipe_readable)
            self._poll_timer.start()

    def _stop_listening(self) -> None:
        if self._notifier is not None:
            self._notifier.setEnabled(False)
            self._notifier.deleteLater()
            self._notifier = None
        if self._poll_timer is not None:
            self._poll_timer.stop()
            self._poll_timer.deleteLater()
            self._poll_timer = None

    @Slot()
    def _on_pipe_readable(self) -> None:
        connection = self._connection
        if connection is None:
            return
        try:
            while self._connection is connection and connection.poll():
                self._dispatch(connection.recv())
        except (EOFError, OSError):
            self._on_process_lost()

    def _on_process_lost(self) -> None:
        self._stop_listening()
        process = self._process
        if process is not None:
            process.join(SHUTDOWN_TIMEOUT_S)  # it is gone or going: collect its exit code
        code = process.exitcode if process is not None else None
        self._is_ready = False
        self._connection = self._process = None
        self.failed.emit(
            f"The model process stopped unexpectedly (exit code {code}).".replace("-", "−")
        )

    def _dispatch(self, reply: msg.Reply) -> None:
        self._handlers[type(reply)](reply)

    def _on_trace_computed(self, reply: msg.TraceComputed) -> None:
        self._inputs_in_flight = False
        if self._progress_pending is not None:  # its trace is of older inputs now
            self._progress_pending = replace(self._progress_pending, trace=reply.trace)
        self.trace_ready.emit(reply.trace)
        self._send_pending_inputs()

    def _on_training_reset(self, reply: msg.TrainingReset) -> None:
        self._progress_pending = None  # progress of the old run is obsolete
        self._checkpoint = None
        self._config = reply.config
        self._compare = reply.compare
        self.training_reset.emit(reply)

    def _on_run_snapshot(self, reply: msg.RunSnapshot) -> None:
        self._flush_pending_progress()  # the snapshot describes the moment after it
        self.snapshot_taken.emit(reply)

    def _on_run_opened(self, reply: msg.RunOpened) -> None:
        self._progress_pending = None  # progress of the old run is obsolete
        self._config = reply.reset.config
        self._compare = ()
        opening, self._opening = self._opening, None
        state = opening.state if opening is not None else None
        # A model process that dies later carries on from the opened run's last good epoch.
        self._checkpoint = (
            msg.Checkpoint(state.good_epoch, state.good_weights)
            if state is not None and state.good_epoch > 0
            else None
        )
        self.run_opened.emit(reply)

    def _on_training_diverged(self, reply: msg.TrainingDiverged) -> None:
        self._flush_pending_progress()  # its batches came before the divergence
        self.training_diverged.emit(reply)

    def _on_request_refused(self, reply: msg.RequestRefused) -> None:
        self.request_refused.emit(reply.message)

    def _on_engine_failed(self, reply: msg.EngineFailed) -> None:
        print(reply.details, file=sys.stderr)  # the traceback, for whoever reports the bug
        self._failure_reported = True
        self.failed.emit(reply.message)

    def _on_progress(self, progress: msg.TrainingProgress) -> None:
        # Coalesce, don't queue: while the window is still drawing the last progress, merge
        # new ones, so a busy window gets fewer, larger updates instead of a growing backlog
        # that would also delay the answers to its edits.
        if self._progress_in_flight:
            pending = self._progress_pending
            self._progress_pending = progress if pending is None else pending.merged_with(progress)
        else:
            self._emit_progress(progress)

    def _emit_progress(self, progress: msg.TrainingProgress) -> None:
        # Only a checkpoint the window has been given may be resumed from: resuming from a
        # later one would leave a gap in the epoch table and the curves.
        if progress.checkpoint is not None:
            self._checkpoint = progress.checkpoint
        self._progress_in_flight = True
        self.progress_ready.emit(progress)

    def _flush_pending_progress(self) -> None:
        if self._progress_pending is not None:
            pending, self._progress_pending = self._progress_pending, None
            self._emit_progress(pending)

    def _on_engine_ready(self, reply: msg.EngineReady) -> None:
        self._is_ready = True
        self.ready.emit(reply)
        for request in self._queued:
            self._send(request)
        self._queued.clear()
        self._send_pending_inputs()

    def _request(self, request: msg.Request) -> None:
        if self._is_ready:
            self._send(request)
        else:
            self._queued.append(request)

    def _send_pending_inputs(self) -> None:
        if self._pending_inputs is None or self._inputs_in_flight or not self._is_ready:
            return
        values, self._pending_inputs = self._pending_inputs, None
        self._inputs_in_flight = self._send(msg.SetInputs(values))

    def _send(self, request: msg.Request) -> bool:
        if self._connection is None:
            return False
        try:
            self._connection.send(request)
        except OSError:
            self._on_process_lost()
            return False
        return True

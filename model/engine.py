"""The model process: owns the trainer and answers the window's requests between batches.

It runs in a child process so that PyTorch's import, its OpenMP threads and the training loop
never hold the GUI process's GIL; the window's model thread is its only contact. Training is
driven one batch at a time, so an edit, a pause or a stop is answered within one batch.
Progress carries a checkpoint of the newest good epoch, so that if this process dies the window
can start another and :class:`~model.protocol.Resume` the run where it was. Compared runs
(up to three more trainers with other pipelines) train in lockstep with the main one, a batch
each per round; requests are routed to their handlers by a table keyed on the message type.
"""

from __future__ import annotations

import contextlib
import math
import signal
import time
import traceback
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any

import numpy as np
import torch

from model import protocol as msg
from model.config import DEFAULT_INPUTS, MAX_COMPARED, Pipeline, TrainingConfig
from model.network import WIDTH
from model.tasks import TASKS
from model.trace import Trace
from model.training import Collected, Trainer

#: Progress is sent at most this often: enough for smooth curves, few enough that the window
#: spends its time drawing rather than receiving.
FLUSH_INTERVAL = 1 / 30
#: While pipelines are compared each flush measures every run's finished epochs: progress goes
#: half as often, so four runs together train about as fast as one (curves still move 15
#: times a second).
COMPARING_FLUSH_INTERVAL = 2 * FLUSH_INTERVAL
#: At full speed, how long the loop trains between looking at requests.
BURST_SECONDS = 0.001


class Engine:
    """The request loop around one :class:`Trainer`; see :mod:`model.protocol` for messages."""

    def __init__(self, connection: Connection, config: TrainingConfig | None = None) -> None:
        self._connection = connection
        self._trainer = Trainer(config)
        #: Compared runs 1, 2, …: same settings but the pipeline, trained in step with run 0.
        self._compared: list[Trainer] = []
        self._target: int | None = None
        self._handlers: dict[type, Callable[[Any], None]] = {
            msg.SetTraining: self._set_training,
            msg.StepEpoch: self._step_epoch,
            msg.SetPace: lambda request: self._set_pace(request.epochs_per_second),
            msg.Reset: lambda _request: self._restart(self._reset_all),
            msg.Configure: self._configure,
            msg.SetTarget: self._set_target,
            msg.Resume: lambda request: self._resume(request.checkpoint),
            msg.TakeSnapshot: self._take_snapshot,
            msg.OpenRun: self._open_run,
        }
        self._inputs: tuple[float, ...] = DEFAULT_INPUTS
        self._running = False
        self._stepping = False
        self._batch_interval = 0.0
        self._next_batch_at = 0.0
        self._last_flush = time.perf_counter()
        self._steps = 0
        self._epochs_per_second: float | None = None

    # The loop -------------------------------------------------------------------------------

    def run(self) -> None:
        """Serve requests until :class:`~model.protocol.Shutdown` or the window goes away.

        Ready is said as soon as a trace can be computed; the optimizer's warm-up (its first
        backward pass and step are slow) follows, while the window's first requests wait in
        the pipe for the few milliseconds it takes.
        """
        self._trainer.network.trace(self._inputs)  # the first trace's lazy imports
        self._send(
            msg.EngineReady(
                str(torch.__version__),  # a plain str: TorchVersion would import torch to unpickle
                self._trainer.config,
                self._batches_per_epoch,
                self._trainer.baseline,
            )
        )
        self._warm_up()
        while True:
            try:
                requests = self._receive(self._wait_time())
            except (EOFError, OSError):
                return  # the window is gone: nobody is left to answer
            if not self._handle_all(requests):
                return
            if self._training and time.perf_counter() >= self._next_batch_at:
                self._train_burst()
            if self._training:
                self._flush_if_due()

    @property
    def _training(self) -> bool:
        return self._running or self._stepping

    @property
    def _batches_per_epoch(self) -> int:
        return self._trainer.batches_per_epoch

    def _warm_up(self) -> None:
        # The first backward pass and optimizer step cost far more than later ones (lazy
        # imports, allocator warm-up): pay them now, before the learner presses Train.
        self._trainer.train_batch()
        self._trainer.reset()

    def _wait_time(self) -> float | None:
        if not self._training:
            return None  # idle: block until the window asks for something
        return max(0.0, self._next_batch_at - time.perf_counter())

    def _receive(self, timeout: float | None) -> list[msg.Request]:
        connection = self._connection
        if timeout is not None and not connection.poll(timeout):
            return []
        requests: list[msg.Request] = [connection.recv()]
        while connection.poll():
            requests.append(connection.recv())
        return requests

    def _handle_all(self, requests: list[msg.Request]) -> bool:
        newest_inputs: msg.SetInputs | None = None
        # The newest inputs count from the start of the batch: a Reset or Resume read with
        # them answers with a trace of what the learner typed, not of the previous inputs.
        for request in requests:
            if isinstance(request, msg.SetInputs) and len(request.values) == WIDTH:
                self._inputs = request.values
        for request in requests:
            if isinstance(request, msg.Shutdown):
                return False
            if isinstance(request, msg.SetInputs):
                # Coalesce: of a burst of edits only the newest is computed.
                newest_inputs = request
                continue
            try:
                self._handle(request)
            except Exception as error:  # keep serving: the window shows what went wrong
                self._stop_training()
                self._send(msg.EngineFailed(str(error), traceback.format_exc()))
        if newest_inputs is not None:
            self._set_inputs(newest_inputs.values)
        return True

    def _handle(self, request: msg.Request) -> None:
        self._handlers[type(request)](request)

    # Requests -------------------------------------------------------------------------------

    def _set_training(self, request: msg.SetTraining) -> None:
        if request.running and not self._training:
            self._next_batch_at = time.perf_counter()  # idle time is no backlog
        self._running = request.running
        self._stepping = False
        if not request.running:
            self._flush()

    def _step_epoch(self, _request: msg.StepEpoch) -> None:
        if not self._training:
            self._next_batch_at = time.perf_counter()
        self._stepping = not self._running

    def _set_target(self, request: msg.SetTarget) -> None:
        target = request.target
        if target is not None and not (
            isinstance(target, int) and not isinstance(target, bool) and 0 <= target < WIDTH
        ):
            self._send(
                msg.RequestRefused(f"the target class must be 0-{WIDTH - 1}, not {target!r}")
            )
            return
        self._target = target
        self._send(msg.TraceComputed(self._trace()))

    def _reset_all(self) -> None:
        self._trainer.reset()
        for trainer in self._compared:
            trainer.reset()

    def _set_inputs(self, values: tuple[float, ...]) -> None:
        if len(values) != WIDTH:
            self._send(msg.RequestRefused(f"expected {WIDTH} inputs, got {len(values)}"))
            return
        self._inputs = values
        self._send(msg.TraceComputed(self._trace()))

    def _set_pace(self, epochs_per_second: float | None) -> None:
        if epochs_per_second is not None and not (
            math.isfinite(epochs_per_second) and epochs_per_second > 0
        ):
            self._send(msg.RequestRefused(f"speed must be above 0, not {epochs_per_second}"))
            return
        self._epochs_per_second = epochs_per_second
        self._update_batch_interval()

    def _update_batch_interval(self) -> None:
        rate = self._epochs_per_second
        self._batch_interval = 0.0 if rate is None else 1.0 / (rate * self._batches_per_epoch)
        self._next_batch_at = time.perf_counter()

    def _configure(self, request: msg.Configure) -> None:
        config, compare = request.config, request.compare
        try:
            if len(compare) > MAX_COMPARED - 1:
                raise ValueError(
                    f"at most {MAX_COMPARED} pipelines train side by side, not {len(compare) + 1}"
                )
            configs = [config, *(config.with_pipeline(p.validate()) for p in compare)]
            for each in configs:
                each.validate()
        except ValueError as error:
            self._send(msg.RequestRefused(str(error)))
            return

        def replace_trainers() -> None:
            self._trainer = Trainer(config)
            self._compared = [Trainer(each) for each in configs[1:]]

        self._restart(replace_trainers)
        self._update_batch_interval()

    def _resume(self, checkpoint: msg.Checkpoint) -> None:
        trainer = self._trainer
        try:
            numbers = trainer.resume(checkpoint)  # checks before it changes anything
        except ValueError as error:
            self._send(msg.RequestRefused(f"cannot resume: {error}"))
            return
        # The batches and epochs trained since the last flush belong to the abandoned path.
        self._stop_training()
        self._last_flush = time.perf_counter()
        self._send(msg.Resumed(trainer.epoch, self._trace(), numbers))

    def _take_snapshot(self, _request: msg.TakeSnapshot) -> None:
        # Everything trained so far goes out first, so that the window's history and the
        # snapshot describe the same moment.
        self._flush()
        self._send(msg.RunSnapshot(self._trainer.config, self._trainer.snapshot()))

    def _open_run(self, request: msg.OpenRun) -> None:
        try:
            request.config.validate()
            trainer = Trainer(request.config)
            trainer.restore(request.state)  # checks before it changes anything
        except ValueError as error:
            self._send(msg.RequestRefused(f"cannot open the run: {error}"))
            return

        def replace_trainers() -> None:
            self._trainer = trainer
            self._compared = []

        self._restart(replace_trainers, opened=True)
        self._update_batch_interval()

    def _restart(self, start_over: Callable[[], None], opened: bool = False) -> None:
        self._stop_training()
        start_over()  # the trainer's pending losses and epochs go with the old run
        self._last_flush = time.perf_counter()
        trainer = self._trainer
        reset = msg.TrainingReset(
            trainer.config,
            self._trace(),
            self._batches_per_epoch,
            trainer.baseline,
            compare=tuple(other.config.pipeline for other in self._compared),
            compared_baselines=tuple(other.baseline for other in self._compared),
        )
        self._send(msg.RunOpened(reset, trainer.epoch) if opened else reset)

    # Training -------------------------------------------------------------------------------

    def _train_burst(self) -> None:
        """Train until the burst's time is up, an epoch ends while stepping, or a batch is paced.

        At full speed, requests are polled every ~BURST_SECONDS rather than after every batch:
        an edit still gets its answer within a millisecond, and the loop runs at the speed of
        a bare training loop.
        """
        trainer = self._trainer
        compared = self._compared
        paced = self._batch_interval > 0
        deadline = time.perf_counter() + BURST_SECONDS
        while True:
            # Compared runs take one batch each per batch of run 0: they share the process
            # fairly, end their epochs together, and the pace (batches per second) applies to
            # the round, so each run trains at the pace a single run would.
            epoch_ended = trainer.train_batch()
            for other in compared:
                other.train_batch()
            self._steps += 1 + len(compared)
            if epoch_ended and self._stepping:
                self._stepping = False
                self._flush()
                return
            if paced or time.perf_counter() >= deadline:
                break
        # Paced: the next batch is due one interval on, but never in the past, so a slow
        # moment is not followed by a burst of catch-up batches.
        self._next_batch_at = max(self._next_batch_at + self._batch_interval, time.perf_counter())

    def _stop_training(self) -> None:
        self._running = False
        self._stepping = False

    def _flush_if_due(self) -> None:
        interval = COMPARING_FLUSH_INTERVAL if self._compared else FLUSH_INTERVAL
        if time.perf_counter() - self._last_flush >= interval:
            self._flush()

    def _flush(self) -> None:
        trainers = [self._trainer, *self._compared]
        main, *others = results = [trainer.collect() for trainer in trainers]
        diverged = [
            (run, result.diverged, trainer.epoch)
            for run, (result, trainer) in enumerate(zip(results, trainers, strict=True))
            if result.diverged is not None
        ]
        if diverged:
            self._stop_training()
        trace = self._trace()
        self._send(
            msg.TrainingProgress(
                batch_positions=np.array(main.positions, dtype=np.float64),
                batch_losses=np.array(main.losses, dtype=np.float64),
                epochs=tuple(main.records),
                trace=trace,
                running=self._running,
                stepping=self._stepping,
                steps=self._steps,
                checkpoint=main.checkpoint,
                compared=tuple(
                    _run_progress(run, trainer.config.pipeline, result)
                    for run, (result, trainer) in enumerate(
                        zip(others, self._compared, strict=True), 1
                    )
                ),
            )
        )
        self._last_flush = time.perf_counter()
        for run, why, epoch in diverged:
            text = f"Run {run + 1} ({trainers[run].config.pipeline.label}): {why}" if run else why
            self._send(msg.TrainingDiverged(text, epoch, trace, run))

    # Helpers --------------------------------------------------------------------------------

    def _trace(self) -> Trace:
        """The main run's trace of the current inputs, with the gradients for the target."""
        target = self._target
        if target is None:
            target = TASKS[self._trainer.config.task].answer(self._inputs)
        return self._trainer.network.trace(self._inputs, target)

    def _send(self, reply: msg.Reply) -> None:
        self._connection.send(reply)


def _run_progress(run: int, pipeline: Pipeline, collected: Collected) -> msg.RunProgress:
    return msg.RunProgress(
        run,
        pipeline,
        np.array(collected.positions, dtype=np.float64),
        np.array(collected.losses, dtype=np.float64),
        tuple(collected.records),
    )


def serve(connection: Connection, config: TrainingConfig | None = None) -> None:
    """Entry point of the model process: set torch up for a shared 2-core machine and serve."""
    # Ctrl+C in a terminal reaches the whole process group; the window decides when we stop.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # One intra-op thread: the 4×4 network gains nothing from more, and a second OpenMP thread
    # spin-waits after each small op, taking the core the GUI process needs (measured: an epoch
    # took 1.1 s beside the window with two threads against 0.05 s headless).
    torch.set_num_threads(1)
    try:
        engine = Engine(connection, config)
        engine.run()
    except (EOFError, BrokenPipeError, KeyboardInterrupt):
        pass
    except Exception as error:
        with contextlib.suppress(OSError):
            connection.send(msg.EngineFailed(str(error), traceback.format_exc()))
    finally:
        connection.close()

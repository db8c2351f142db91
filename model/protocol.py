"""The messages between the window's model thread and the model process.

Every message is a small frozen dataclass of plain data. This module imports no torch, so the
window can unpickle replies without loading PyTorch into the GUI process.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from model.config import Pipeline, TrainingConfig
from model.records import EpochNumbers, EpochRecord
from model.run_state import RunState
from model.trace import FloatArray, Trace

# Shared by both directions.


@dataclass(frozen=True, eq=False)
class Checkpoint:
    """The weights at the end of the newest good finished epoch, to resume a run from.

    ``weights`` is the flat vector of :meth:`model.network.ActivationNet.flat_weights` (layer by
    layer, weight then bias) as a float64 numpy copy. The window keeps the newest one it was
    sent, so that a model process that died can be restarted where the run was. Two
    checkpoints are equal when their epochs and every weight are.
    """

    epoch: int
    weights: FloatArray = field(repr=False)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Checkpoint):
            return NotImplemented
        return self.epoch == other.epoch and bool(np.array_equal(self.weights, other.weights))

    __hash__ = None  # type: ignore[assignment]  # equal by value, but the array is mutable


# Requests: window → model.


@dataclass(frozen=True)
class SetInputs:
    """New input values; only the newest of a burst is computed."""

    values: tuple[float, ...]


@dataclass(frozen=True)
class SetTraining:
    """Start (True) or pause (False) continuous training."""

    running: bool


@dataclass(frozen=True)
class StepEpoch:
    """Train until the current epoch ends (a whole epoch when paused at its start)."""


@dataclass(frozen=True)
class Reset:
    """Back to identity weights, the seed's first shuffle and an empty history."""


@dataclass(frozen=True)
class Configure:
    """Use new settings; the run starts over, as after :class:`Reset`.

    ``compare`` lists up to three more pipelines to train beside the main one (run 0), on the
    same task, data order, optimizer and initial weights: runs 1, 2, 3 in this order.
    """

    config: TrainingConfig
    compare: tuple[Pipeline, ...] = ()


@dataclass(frozen=True)
class SetTarget:
    """The class (0-3) the gradients are taken against; None: the task's right answer."""

    target: int | None


@dataclass(frozen=True)
class SetPace:
    """Limit training to ``epochs_per_second`` (``None``: as fast as the machine goes)."""

    epochs_per_second: float | None


@dataclass(frozen=True)
class Resume:
    """Stop training and continue the current configuration's run from ``checkpoint``.

    Send :class:`Configure` with the run's settings first: a checkpoint holds weights, not
    settings. Answered with :class:`Resumed` (training paused), or with
    :class:`RequestRefused` when the checkpoint does not fit the network or holds a value that
    is not finite; then nothing changed, training included.
    """

    checkpoint: Checkpoint


@dataclass(frozen=True)
class TakeSnapshot:
    """Send everything trained so far, then :class:`RunSnapshot` (training goes on)."""


@dataclass(frozen=True)
class OpenRun:
    """Replace the run with ``state`` of a run with settings ``config`` (a session opened).

    Compared runs end; training pauses. Answered with :class:`RunOpened`, or with
    :class:`RequestRefused` when ``state`` does not fit ``config``: then nothing changed.
    """

    config: TrainingConfig
    state: RunState


@dataclass(frozen=True)
class Shutdown:
    """Finish the current batch and exit."""


Request = (
    SetInputs
    | SetTraining
    | StepEpoch
    | Reset
    | Configure
    | SetTarget
    | SetPace
    | Resume
    | TakeSnapshot
    | OpenRun
    | Shutdown
)

# Replies: model → window.


@dataclass(frozen=True)
class EngineReady:
    """The model process has loaded PyTorch and warmed up; it answers requests now."""

    torch_version: str
    config: TrainingConfig
    batches_per_epoch: int
    baseline: EpochNumbers


@dataclass(frozen=True)
class TraceComputed:
    """The answer to :class:`SetInputs`: the trace of those inputs with the current weights."""

    trace: Trace


@dataclass(frozen=True)
class RunProgress:
    """A compared run's batches and epochs since the last progress message.

    ``run`` is its id (1-3: the main run, 0, travels in :class:`TrainingProgress` itself).
    """

    run: int
    pipeline: Pipeline
    batch_positions: FloatArray
    batch_losses: FloatArray
    epochs: tuple[EpochRecord, ...]

    def merged_with(self, later: RunProgress) -> RunProgress:
        """One message carrying both this and ``later`` (the same run)."""
        assert later.run == self.run, "only one run's messages merge"
        return RunProgress(
            self.run,
            later.pipeline,
            np.concatenate((self.batch_positions, later.batch_positions)),
            np.concatenate((self.batch_losses, later.batch_losses)),
            self.epochs + later.epochs,
        )


@dataclass(frozen=True)
class TrainingProgress:
    """Everything since the last progress message, sent at most about 30 times a second.

    ``batch_positions`` are in epochs (epoch 2, batch 4 of 13 → 1 + 4/13) so that batch losses
    and epoch records share the plots' x-axis.
    """

    batch_positions: FloatArray
    batch_losses: FloatArray
    epochs: tuple[EpochRecord, ...]
    trace: Trace
    running: bool
    steps: int = 0
    #: True while a Step is training towards the end of its epoch (``running`` stays False).
    stepping: bool = False
    #: The newest good finished epoch among ``epochs`` (None when none finished well).
    checkpoint: Checkpoint | None = None
    #: The compared runs' progress over the same time, by run id.
    compared: tuple[RunProgress, ...] = ()

    def merged_with(self, later: TrainingProgress) -> TrainingProgress:
        """One message carrying both this and ``later`` (whose state and trace are newer)."""
        earlier = {run.run: run for run in self.compared}
        compared = tuple(
            earlier[run.run].merged_with(run) if run.run in earlier else run
            for run in later.compared
        )
        return TrainingProgress(
            batch_positions=np.concatenate((self.batch_positions, later.batch_positions)),
            batch_losses=np.concatenate((self.batch_losses, later.batch_losses)),
            epochs=self.epochs + later.epochs,
            trace=later.trace,
            running=later.running,
            steps=later.steps,
            stepping=later.stepping,
            checkpoint=later.checkpoint if later.checkpoint is not None else self.checkpoint,
            compared=compared,
        )


@dataclass(frozen=True)
class TrainingReset:
    """The run starts over (after :class:`Reset` or :class:`Configure`): clear every history.

    ``compare`` and ``compared_baselines`` are the compared runs (1, 2, …) and where each
    starts from.
    """

    config: TrainingConfig
    trace: Trace
    batches_per_epoch: int
    baseline: EpochNumbers
    compare: tuple[Pipeline, ...] = ()
    compared_baselines: tuple[EpochNumbers, ...] = ()


@dataclass(frozen=True)
class Resumed:
    """The answer to :class:`Resume`: the run continues after epoch ``epoch``.

    ``baseline`` is that epoch measured again with the restored weights (its train loss is
    over the whole training split, as for the untrained baseline); ``trace`` is of the current
    inputs with those weights.
    """

    epoch: int
    trace: Trace
    baseline: EpochNumbers


@dataclass(frozen=True)
class RunSnapshot:
    """The answer to :class:`TakeSnapshot`: the main run as it is after the progress sent just
    before it (so the window's history and ``state`` describe the same moment)."""

    config: TrainingConfig
    state: RunState


@dataclass(frozen=True)
class RunOpened:
    """The answer to :class:`OpenRun`: the run is ``reset.config``'s, carried on from ``epoch``
    (``reset.trace`` is of the current inputs with the opened weights)."""

    reset: TrainingReset
    epoch: int


@dataclass(frozen=True)
class TrainingDiverged:
    """Training paused itself because run ``run`` diverged; its last good weights are back."""

    message: str
    epoch: int
    trace: Trace
    run: int = 0


@dataclass(frozen=True)
class RequestRefused:
    """A request the model could not carry out (say, a bad setting); nothing changed."""

    message: str


@dataclass(frozen=True)
class EngineFailed:
    """An unexpected error in the model process; ``details`` holds the traceback."""

    message: str
    details: str = field(default="", repr=False)


Reply = (
    EngineReady
    | TraceComputed
    | TrainingProgress
    | TrainingReset
    | Resumed
    | RunSnapshot
    | RunOpened
    | TrainingDiverged
    | RequestRefused
    | EngineFailed
)

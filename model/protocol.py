"""The messages between the window's model thread and the model process.

Every message is a small frozen dataclass of plain data. This module imports no torch, so the
window can unpickle replies without loading PyTorch into the GUI process.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from model.config import TrainingConfig
from model.records import EpochNumbers, EpochRecord
from model.trace import FloatArray, Trace

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
    """Use new settings; the run starts over, as after :class:`Reset`."""

    config: TrainingConfig


@dataclass(frozen=True)
class SetPace:
    """Limit training to ``epochs_per_second`` (``None``: as fast as the machine goes)."""

    epochs_per_second: float | None


@dataclass(frozen=True)
class Shutdown:
    """Finish the current batch and exit."""


Request = SetInputs | SetTraining | StepEpoch | Reset | Configure | SetPace | Shutdown

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

    def merged_with(self, later: TrainingProgress) -> TrainingProgress:
        """One message carrying both this and ``later`` (whose state and trace are newer)."""
        return TrainingProgress(
            batch_positions=np.concatenate((self.batch_positions, later.batch_positions)),
            batch_losses=np.concatenate((self.batch_losses, later.batch_losses)),
            epochs=self.epochs + later.epochs,
            trace=later.trace,
            running=later.running,
            steps=later.steps,
            stepping=later.stepping,
        )


@dataclass(frozen=True)
class TrainingReset:
    """The run starts over (after :class:`Reset` or :class:`Configure`): clear every history."""

    config: TrainingConfig
    trace: Trace
    batches_per_epoch: int
    baseline: EpochNumbers


@dataclass(frozen=True)
class TrainingDiverged:
    """Training paused itself because it diverged; the last good weights are back."""

    message: str
    epoch: int
    trace: Trace


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
    | TrainingDiverged
    | RequestRefused
    | EngineFailed
)

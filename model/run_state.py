"""Where a training run is, completely: enough to carry on as if it had never stopped.

A :class:`RunState` is what :meth:`model.training.Trainer.snapshot` takes and
:meth:`~model.training.Trainer.restore` puts back: the weights, the optimizer's state (Adam's
moments and step count), the epoch and batch reached in the seed's data order, the losses of
the epoch under way, the last good epoch (what a divergence goes back to) and what the epoch
notes remember. Opening it and training on gives, bit for bit, the numbers of a run that never
stopped. It is torch-free plain data, so it crosses the pipe and goes into a session file.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from model.json_fields import FieldError, as_floats, as_int, as_object
from model.json_fields import field as get
from model.observations import ObservationTracker
from model.records import EpochNumbers
from model.trace import FloatArray

#: Optimizer state per kind: the per-weight buffers it keeps (same layout as the weights).
OPTIMIZER_BUFFERS = {"Adam": ("exp_avg", "exp_avg_sq"), "SGD": ()}
#: Far beyond any run (an epoch a second for three years), yet small enough for float32 steps.
MAX_EPOCH = 100_000_000
MAX_BATCHES_PER_EPOCH = 100_000


@dataclass(frozen=True, eq=False)
class OptimizerState:
    """The optimizer's memory: ``steps`` taken (0: none yet, or just cleared) and its buffers
    by name (Adam: ``exp_avg`` and ``exp_avg_sq``), each flat like the weights."""

    steps: int = 0
    buffers: Mapping[str, FloatArray] = field(default_factory=dict)


@dataclass(frozen=True, eq=False)
class RunState:
    """A run at one moment. ``batch`` batches of epoch ``epoch + 1`` are done (their losses in
    ``epoch_losses``); ``good_epoch`` / ``good_weights`` are the newest epoch that ended well."""

    epoch: int
    batch: int
    weights: FloatArray
    optimizer: OptimizerState
    epoch_losses: FloatArray
    good_epoch: int
    good_weights: FloatArray
    #: What the epoch notes remember (:meth:`model.observations.ObservationTracker.state`).
    observer: Mapping[str, Any]

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, RunState):
            return NotImplemented
        return self.to_json() == other.to_json()

    __hash__ = None  # type: ignore[assignment]  # equal by value, but the arrays are mutable

    def to_json(self) -> dict[str, Any]:
        """Plain JSON data; floats written by ``json`` read back bit for bit."""
        return {
            "epoch": self.epoch,
            "batch": self.batch,
            "weights": self.weights.tolist(),
            "optimizer": {
                "steps": self.optimizer.steps,
                **{name: values.tolist() for name, values in self.optimizer.buffers.items()},
            },
            "epoch_losses": self.epoch_losses.tolist(),
            "good_epoch": self.good_epoch,
            "good_weights": self.good_weights.tolist(),
            "observer": dict(self.observer),
        }

    @classmethod
    def from_json(cls, value: object, path: str, optimizer: str, weight_count: int) -> RunState:
        """Read a run of ``optimizer`` for a network of ``weight_count`` weights, checking each
        field; FieldError names the first problem."""
        data = as_object(value, path)
        epoch = as_int(get(data, "epoch", path), f"{path}.epoch", 0, MAX_EPOCH)
        batch = as_int(get(data, "batch", path), f"{path}.batch", 0, MAX_BATCHES_PER_EPOCH)
        weights = as_floats(get(data, "weights", path), f"{path}.weights", weight_count)
        good_epoch = as_int(get(data, "good_epoch", path), f"{path}.good_epoch", 0, epoch)
        good = as_floats(get(data, "good_weights", path), f"{path}.good_weights", weight_count)
        losses = as_floats(
            get(data, "epoch_losses", path), f"{path}.epoch_losses", max_length=batch
        )
        if len(losses) != batch:
            raise FieldError(
                f"{path}.epoch_losses holds {len(losses)} losses; the run is {batch} batches "
                "into its epoch"
            )
        state = _optimizer_state(
            get(data, "optimizer", path), f"{path}.optimizer", optimizer, weight_count
        )
        observer = as_object(get(data, "observer", path), f"{path}.observer")
        # Checked now, so that a session is refused before anything changes, not when the
        # model takes it.
        ObservationTracker(EpochNumbers(0, 0.0, 0.0, 0.0, 0.0)).restore_state(
            observer, f"{path}.observer"
        )
        return cls(epoch, batch, weights, state, losses, good_epoch, good, observer)


def _optimizer_state(value: object, path: str, optimizer: str, weight_count: int) -> OptimizerState:
    data = as_object(value, path)
    steps = as_int(get(data, "steps", path), f"{path}.steps", 0, 2**24)
    names = OPTIMIZER_BUFFERS.get(optimizer, ())
    if steps == 0:
        unexpected = sorted(set(data) - {"steps"})
        if unexpected:
            raise FieldError(f"{path} has {unexpected[0]} but no steps")
        return OptimizerState()
    if not names:
        raise FieldError(f"{path}.steps must be 0: {optimizer} as offered here keeps no state")
    buffers = {
        name: as_floats(get(data, name, path), f"{path}.{name}", weight_count) for name in names
    }
    return OptimizerState(steps, buffers)

"""Taking a trainer's whole state and putting it back: a session resumes bit for bit.

A mixin of :class:`model.training.Trainer` (which owns every attribute used here): what
``snapshot`` reads and ``restore`` writes is the trainer's run, kept apart from the training
loop so that each file has one job.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import torch
from torch import Tensor

from model.fused_step import fast_step
from model.observations import ObservationTracker
from model.protocol import Checkpoint
from model.records import EpochNumbers
from model.run_state import OPTIMIZER_BUFFERS, OptimizerState, RunState

if TYPE_CHECKING:
    from collections.abc import Callable

    from model.config import TrainingConfig
    from model.network import ActivationNet


class RunStateMixin:
    """``snapshot`` and ``restore`` for :class:`~model.training.Trainer`."""

    # Declared for the type checker: the Trainer sets them.
    config: TrainingConfig
    network: ActivationNet
    optimizer: torch.optim.Optimizer
    epoch: int
    baseline: EpochNumbers
    batches_per_epoch: int
    _finished: list[Any]
    _batch: int
    _epoch_losses: list[Tensor]
    _drained: int
    _good_epoch: int
    _good_weights: Tensor
    _observer: ObservationTracker
    _chance_loss: float
    _hidden_names: tuple[str, ...]
    _step: Callable[[], object]

    if TYPE_CHECKING:  # the Trainer's own methods

        def _continue_from(self, epoch: int) -> None: ...
        def evaluate(self, epoch: int) -> EpochNumbers: ...
        def _checked_weights(self, checkpoint: Checkpoint) -> Tensor: ...

    def snapshot(self) -> RunState:
        """Everything needed to carry this run on exactly (see :mod:`model.run_state`).

        Call it between :meth:`collect` and the next batch: epochs finished but not yet
        measured would be lost (they raise AssertionError here instead).
        """
        assert not self._finished, "collect() the finished epochs before a snapshot"
        moments: dict[str, np.ndarray] = {}
        steps = 0
        states = [self.optimizer.state.get(p) for p in self.network.parameters()]
        if all(states):
            steps = int(states[0]["step"].item())  # type: ignore[index]
            for name in OPTIMIZER_BUFFERS[self.config.optimizer]:
                moments[name] = (
                    torch.cat(
                        [s[name].detach().reshape(-1) for s in states]  # type: ignore[index]
                    )
                    .numpy()
                    .copy()
                )
        return RunState(
            epoch=self.epoch,
            batch=self._batch,
            weights=self.network.flat_weights().numpy().copy(),
            optimizer=OptimizerState(steps, moments),
            epoch_losses=np.array([loss.item() for loss in self._epoch_losses], dtype=np.float64),
            good_epoch=self._good_epoch,
            good_weights=self._good_weights.numpy().copy(),
            observer=self._observer.state(),
        )

    def restore(self, state: RunState) -> EpochNumbers:
        """Carry on exactly where ``state`` was (taken from a run of this configuration).

        Returns the numbers of the last good epoch measured with its weights. Raises
        ValueError, changing nothing, when ``state`` does not fit this network or optimizer.
        """
        weights = self._checked_flat(state.weights, "weights")
        good = self._checked_flat(state.good_weights, "good weights")
        moments = {
            name: self._checked_flat(state.optimizer.buffers.get(name), name)
            for name in (OPTIMIZER_BUFFERS[self.config.optimizer] if state.optimizer.steps else ())
        }
        if not 0 <= state.batch < self.batches_per_epoch:
            raise ValueError(
                f"the run is {state.batch} batches into its epoch; an epoch here has "
                f"{self.batches_per_epoch}"
            )
        if len(state.epoch_losses) != state.batch or not 0 <= state.good_epoch <= state.epoch:
            raise ValueError("the run's epoch losses or last good epoch do not fit its epoch")
        observer = ObservationTracker(self.baseline, self._chance_loss, self._hidden_names)
        observer.restore_state(state.observer)
        self.network.load_flat_weights(good)
        numbers = self.evaluate(state.good_epoch)
        self.network.load_flat_weights(weights)
        self._continue_from(state.epoch)
        self._good_weights, self._good_epoch = good, state.good_epoch
        self._observer = observer
        self._batch = state.batch
        self._epoch_losses = [torch.tensor(v, dtype=weights.dtype) for v in state.epoch_losses]
        self._drained = len(self._epoch_losses)
        self._load_optimizer(state.optimizer.steps, moments)
        return numbers

    def _checked_flat(self, values: np.ndarray | None, what: str) -> Tensor:
        if values is None:
            raise ValueError(f"the run has no {what}")
        return self._checked_weights(Checkpoint(0, values))

    def _load_optimizer(self, steps: int, moments: dict[str, Tensor]) -> None:
        """Put the optimizer's memory back; the fast step is rebuilt around the new tensors."""
        self.optimizer.state.clear()
        if steps:
            offset = 0
            for parameter in self.network.parameters():
                count = parameter.numel()
                entry: dict[str, Tensor] = {"step": torch.tensor(float(steps), dtype=torch.float32)}
                for name, flat in moments.items():
                    entry[name] = flat[offset : offset + count].view_as(parameter).clone()
                self.optimizer.state[parameter] = entry
                offset += count
        self._step = fast_step(self.optimizer)

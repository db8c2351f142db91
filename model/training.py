"""Training as small steps: one mini-batch per call, so whoever drives it stays responsive.

The model process calls :meth:`Trainer.train_batch` from its own loop and, between batches,
answers new inputs, pause, step, reset and stop. :meth:`Trainer.collect` then measures the
epochs finished since its last call and hands over their records and batch losses.
Divergence is caught there: the last good weights come back and the result says what to try.
:meth:`Trainer.resume` continues a run from a :class:`~model.protocol.Checkpoint`, so a model
process that died can be replaced without losing the run.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import partial
from types import MappingProxyType

import numpy as np
import torch
import torch.nn.functional as F  # noqa: N812 (the conventional name)
from torch import Tensor

from model.activations import SATURATION_SLOPE
from model.config import OPTIMIZER_NAMES, TrainingConfig
from model.datasets import make_dataset
from model.fused_step import fast_step
from model.network import ActivationNet
from model.observations import ObservationTracker
from model.protocol import Checkpoint
from model.records import EpochNumbers, EpochRecord
from model.training_state import RunStateMixin

# Fused kernels update all parameters in one call: Adam steps ~40 % faster than the default
# per-tensor loop on this 4×4 network (measured: 5,800 against 4,100 steps/s).
OPTIMIZERS: Mapping[str, Callable[..., torch.optim.Optimizer]] = MappingProxyType(
    {
        "Adam": partial(torch.optim.Adam, fused=True),
        "SGD": partial(torch.optim.SGD, fused=True),
    }
)
assert set(OPTIMIZERS) == set(OPTIMIZER_NAMES), "every offered optimizer needs a class"
#: An epoch that ends with a test loss this many times that of guessing at random (ln 4 ≈ 1.39)
#: has diverged. float64 and log-sum-exp keep the loss finite long after training has blown up
#: (learning rate 50 ends its first epoch at a test loss of 61), so waiting for NaN alone would
#: miss it. Single batches are not judged by it: a healthy run at a small batch size can have one
#: batch far above it (one was seen at 96 in a batch-8 run at 90 % accuracy, after 5,513 epochs;
#: batch-1 runs here reach 26) that the next batches take straight back, so only the test loss
#: at an epoch's end counts.
DIVERGENCE_FACTOR = 20.0


class DivergenceError(RuntimeError):
    """Training diverged (see :func:`Trainer.collect`); good weights are already restored."""


@dataclass
class Collected:
    """What :meth:`Trainer.collect` gathered: batch losses, epoch records, and divergence."""

    positions: list[float] = field(default_factory=list)
    losses: list[float] = field(default_factory=list)
    records: list[EpochRecord] = field(default_factory=list)
    #: Why training diverged (the good weights are already back), or None.
    diverged: str | None = None
    #: The newest good finished epoch among ``records`` (None when there is none).
    checkpoint: Checkpoint | None = None


@dataclass
class _FinishedEpoch:
    """An epoch trained but not yet measured: its batch losses and its final weights."""

    epoch: int
    losses: list[Tensor]
    drained: int
    weights: Tensor


class Trainer(RunStateMixin):
    """Owns one network, its data and optimizer, and advances them a batch at a time.

    The hot path does what a bare training loop does, plus keeping each loss tensor and, at an
    epoch's end, a copy of the weights. Reading numbers back and measuring epochs wait for
    :meth:`collect`, which measures every epoch finished since its last call in one batched
    pass: on a 4×4 network each tensor operation costs microseconds whatever its size, so
    measuring ten epochs at once costs about what measuring one does.
    """

    def __init__(self, config: TrainingConfig | None = None) -> None:
        self.config = config or TrainingConfig()
        self.config.validate()
        self.network = ActivationNet(self.config.activations, temperature=self.config.temperature)
        self.data = make_dataset(self.config.task, self.config.seed)
        self._train_x, self._train_y = self.data.train_x, self.data.train_y
        self._test_y = self.data.test_y
        self._all_x = torch.cat((self.data.train_x, self.data.test_x))
        self._all_y = torch.cat((self.data.train_y, self.data.test_y))
        self._cut = len(self._train_x)
        # Column 0 averages over the training samples, column 1 over the test samples.
        count = len(self._all_x)
        self._split_means = torch.zeros(count, 2, dtype=self._all_x.dtype)
        self._split_means[: self._cut, 0] = 1.0 / self._cut
        self._split_means[self._cut :, 1] = 1.0 / (count - self._cut)
        self.optimizer = OPTIMIZERS[self.config.optimizer](
            self.network.parameters(), lr=self.config.learning_rate
        )
        self._step = fast_step(self.optimizer)
        self._batch_size = self.config.batch_size
        self.batches_per_epoch = math.ceil(self._cut / self._batch_size)
        sizes = [self._batch_size] * self.batches_per_epoch
        sizes[-1] = self._cut - self._batch_size * (self.batches_per_epoch - 1)
        self._batch_weights = [size / self._cut for size in sizes]
        self._chance_loss = math.log(self.network.width)
        self._hidden_names = tuple(a.name for a in self.network.activations[:-1])
        self._divergence_loss = DIVERGENCE_FACTOR * self._chance_loss
        self._finished: list[_FinishedEpoch] = []
        self._epoch_losses: list[Tensor] = []
        self._drained = 0
        self.reset()

    @property
    def progress(self) -> float:
        """Epochs trained so far, fractional within the current epoch (the plots' x value)."""
        return self.epoch + self._batch / self.batches_per_epoch

    @property
    def mid_epoch(self) -> bool:
        """True between the first and last batch of an epoch."""
        return self._batch > 0

    def reset(self) -> None:
        """Identity weights, fresh optimizer state, epoch 0: the run starts over identically."""
        self.network.reset_to_identity()
        self._continue_from(0)
        self.baseline = self.evaluate(0)
        self._observer = ObservationTracker(self.baseline, self._chance_loss, self._hidden_names)

    def resume(self, checkpoint: Checkpoint) -> EpochNumbers:
        """Continue this configuration's run after epoch ``checkpoint.epoch``; return its numbers.

        The weights are the checkpoint's, bit for bit, and the data order of every following
        epoch is the one a run that never diverged would have used: the shuffle is replayed
        from the seed, one permutation per epoch (about 5 µs each: 0.5 s for 100,000 epochs).
        (After a divergence the live run does not replay it, so there the orders differ.)
        What cannot come back is the optimizer's state: Adam's moment estimates never leave
        the model process (a checkpoint holds weights only), so they start again from zero, as
        after a divergence, and an Adam run takes a somewhat different path from there. SGD as
        offered here has no momentum and no state, so an SGD run continues exactly as the
        uninterrupted one. The notes restart from the numbers measured now.

        Raises ValueError, changing nothing, when the checkpoint does not fit this network or
        holds a weight that is not finite.
        """
        weights = self._checked_weights(checkpoint)
        self.network.load_flat_weights(weights)
        self._continue_from(checkpoint.epoch)
        numbers = self.evaluate(checkpoint.epoch)
        self._observer = ObservationTracker(numbers, self._chance_loss, self._hidden_names)
        return numbers

    def _checked_weights(self, checkpoint: Checkpoint) -> Tensor:
        epoch = checkpoint.epoch
        if isinstance(epoch, bool) or not isinstance(epoch, int) or epoch < 0:
            raise ValueError(f"a checkpoint's epoch must be a whole number ≥ 0, not {epoch!r}")
        values = np.asarray(checkpoint.weights, dtype=np.float64)
        expected = sum(p.numel() for p in self.network.parameters())
        if values.shape != (expected,):
            raise ValueError(
                f"the checkpoint holds {values.size} weights in shape {values.shape}; "
                f"this network has {expected}"
            )
        if not np.isfinite(values).all():
            raise ValueError("the checkpoint holds weights that are not finite")
        return torch.from_numpy(values.copy())

    def _continue_from(self, epoch: int) -> None:
        """Epoch ``epoch`` has just ended with the network's weights: set up the next one."""
        # Momentum and Adam's moments belong to weights that are gone: clear them.
        self.optimizer.state.clear()
        self._shuffle = torch.Generator().manual_seed(self.config.seed)
        for _ in range(epoch):  # replay the shuffles of the epochs already trained
            torch.randperm(self._cut, generator=self._shuffle)
        self.epoch = epoch
        self._finished = []
        self._begin_epoch()
        self._good_weights = self.network.flat_weights()
        self._good_epoch = epoch

    def evaluate(self, epoch: int) -> EpochNumbers:
        """Loss and accuracy on both splits with the current weights."""
        with torch.no_grad():
            train_loss = F.cross_entropy(self.network(self._train_x), self._train_y).item()
        measured = self._measure(self.network.flat_weights().unsqueeze(0))[0]
        return self._numbers(epoch, float(train_loss), measured)

    def _numbers(self, epoch: int, train_loss: float, measured: list[float]) -> EpochNumbers:
        test_loss, train_accuracy, test_accuracy, _, *units = measured
        layers = len(units) // 2
        return EpochNumbers(
            epoch,
            train_loss,
            test_loss,
            train_accuracy,
            test_accuracy,
            dead_units=tuple(int(count) for count in units[:layers]),
            saturated_units=tuple(int(count) for count in units[layers:]),
            layer_width=self.network.width,
        )

    def train_batch(self) -> bool:
        """Train on the next mini-batch; True when it finished an epoch."""
        start = self._batch * self._batch_size
        indices = self._order[start : start + self._batch_size]
        self.optimizer.zero_grad(set_to_none=True)
        loss = F.cross_entropy(self.network(self._train_x[indices]), self._train_y[indices])
        loss.backward()  # type: ignore[no-untyped-call]
        self._step()
        self._epoch_losses.append(loss.detach())
        self._batch += 1
        if self._batch < self.batches_per_epoch:
            return False
        self._finished.append(
            _FinishedEpoch(
                self.epoch, self._epoch_losses, self._drained, self.network.flat_weights()
            )
        )
        self.epoch += 1
        self._begin_epoch()
        return True

    def train_epoch(self) -> EpochRecord:
        """Train until the current epoch ends, then measure it (raises on divergence)."""
        while not self.train_batch():
            pass
        collected = self.collect()
        if collected.diverged is not None:
            raise DivergenceError(collected.diverged)
        return collected.records[-1]

    def collect(self) -> Collected:
        """Measure the epochs finished since the last call; hand over their batch losses too.

        Divergence is either a loss or weight that stopped being a number (NaN or infinite),
        caught in whichever batch it happened, mid-epoch too; or an epoch that ends with a test
        loss above ``DIVERGENCE_FACTOR`` × chance: the loss blew up and did not come back. A
        single batch far above that, in an epoch that ends well, is only noise. On divergence,
        everything up to the last good epoch is still handed over, the weights of that epoch
        are back, and ``diverged`` says what happened and what to try.
        """
        result = Collected()
        finished, self._finished = self._finished, []
        current = self._epoch_losses[self._drained :]
        tensors = [loss for end in finished for loss in end.losses[end.drained :]] + current
        numbers = self._measure(torch.stack([end.weights for end in finished])) if finished else []
        values: list[float] = torch.stack(tensors).tolist() if tensors else []
        cursor = 0
        for end, measured in zip(finished, numbers, strict=True):
            fresh = values[cursor : cursor + len(end.losses) - end.drained]
            cursor += len(fresh)
            problem = _not_finite(fresh) or self._end_problem(end.epoch + 1, measured)
            if problem is not None:
                result.diverged = self._restore(end.epoch, problem)
                break
            all_losses = (
                [*torch.stack(end.losses[: end.drained]).tolist(), *fresh] if end.drained else fresh
            )
            result.records.append(self._record(end.epoch + 1, all_losses, measured))
            self._add_batches(result, end.epoch, end.drained, fresh)
            self._good_weights, self._good_epoch = end.weights, end.epoch + 1
        else:
            fresh = values[cursor:]
            problem = _not_finite(fresh) or self._weights_problem(self.network.flat_weights())
            if problem is not None:
                result.diverged = self._restore(self.epoch, problem)
            else:
                self._add_batches(result, self.epoch, self._drained, fresh)
                self._drained = len(self._epoch_losses)
        if result.records:
            weights = self._good_weights.numpy().copy()
            result.checkpoint = Checkpoint(self._good_epoch, weights)
        return result

    def _record(self, epoch: int, losses: list[float], measured: list[float]) -> EpochRecord:
        train_loss = sum(v * w for v, w in zip(losses, self._batch_weights, strict=True))
        numbers = self._numbers(epoch, train_loss, measured)
        note = self._observer.observe(numbers, worst_batch_loss=max(losses))
        return EpochRecord.from_numbers(numbers, note.text, note.kind)

    def _add_batches(self, result: Collected, epoch: int, first: int, losses: list[float]) -> None:
        per_epoch = self.batches_per_epoch
        result.positions += [epoch + (first + k + 1) / per_epoch for k in range(len(losses))]
        result.losses += losses

    def _measure(self, weights: Tensor) -> list[list[float]]:
        """For K weight vectors: [test loss, train accuracy, test accuracy, sum of weights,
        dead units per hidden layer…, saturated units per hidden layer…].

        Only the test split needs a loss (an epoch's train loss is the mean of its batch
        losses); accuracies come from one argmax and one product with a fixed averaging
        matrix; everything is read back at once.
        """
        count = weights.shape[0]
        hidden_z: list[Tensor] = []
        with torch.no_grad():
            logits = self.network.forward_many(self._all_x, weights, hidden_z)
            correct = (logits.argmax(dim=2) == self._all_y).to(logits.dtype)
            accuracy = correct @ self._split_means
            test = logits[:, self._cut :].reshape(-1, logits.shape[2])
            test_y = self._test_y.repeat(count)
            test_loss = F.cross_entropy(test, test_y, reduction="none").view(count, -1).mean(1)
            units = self._unit_counts([z[:, self._cut :] for z in hidden_z])
            table = torch.cat(
                (test_loss.unsqueeze(1), accuracy, weights.sum(1, keepdim=True), units), dim=1
            )
            rows: list[list[float]] = table.tolist()
        return rows

    def _unit_counts(self, test_z: list[Tensor]) -> Tensor:
        """(K, 2·layers): per snapshot, dead then saturated units of each hidden layer.

        A unit counts only when it is so on every test sample: a ReLU unit that fires for some
        inputs still learns from those. Dead (z ≤ 0, ReLU family) takes precedence over
        saturated (|f′(z)| < SATURATION_SLOPE, the slope from autograd).
        """
        dead, saturated = [], []
        for z, activation in zip(test_z, self.network.activations, strict=False):
            if activation.dies_below_zero:
                is_dead = (z <= 0).all(dim=1)
            else:
                is_dead = torch.zeros(z.shape[0], z.shape[2], dtype=torch.bool)
            flat = (activation.derivative(z).abs() < SATURATION_SLOPE).all(dim=1) & ~is_dead
            dead.append(is_dead.sum(dim=1))
            saturated.append(flat.sum(dim=1))
        return torch.stack(dead + saturated, dim=1).to(torch.float64)

    def _end_problem(self, epoch: int, measured: list[float]) -> str | None:
        """Why the weights at the end of ``epoch`` count as diverged, or None."""
        test_loss, _, _, weight_sum, *_ = measured
        # A sum of weights that is not finite means some weight is not.
        if not math.isfinite(weight_sum):
            return _WEIGHTS_NOT_FINITE
        if not math.isfinite(test_loss):
            return _loss_not_finite(test_loss)
        if test_loss > self._divergence_loss:
            return (
                f"the loss blew up: at the end of epoch {epoch} the test loss was "
                f"{test_loss:.1f}, far above the {self._chance_loss:.2f} of guessing at random, "
                "and it did not come back"
            )
        return None

    @staticmethod
    def _weights_problem(weights: Tensor) -> str | None:
        return None if bool(torch.isfinite(weights).all()) else _WEIGHTS_NOT_FINITE

    def _begin_epoch(self) -> None:
        self._order = torch.randperm(self._cut, generator=self._shuffle)
        self._batch = 0
        self._epoch_losses = []
        self._drained = 0

    def _restore(self, failed_epoch: int, what: str) -> str:
        self.network.load_flat_weights(self._good_weights)
        # Momentum and Adam's moments are as poisoned as the weights: clear them too. The
        # shuffle is not replayed (unlike resume): the same order would repeat the same steps.
        self.optimizer.state.clear()
        self.epoch = self._good_epoch
        self._finished = []
        self._begin_epoch()
        config = self.config
        restored = f"from the end of epoch {self.epoch}" if self.epoch else "untrained"
        return (
            f"Training diverged in epoch {failed_epoch + 1} with learning rate "
            f"{config.learning_rate:g} ({config.optimizer}): {what}. The weights are back as "
            f"they were ({restored}). Try a smaller learning rate, such as "
            f"{_suggest_learning_rate(config.learning_rate):g}."
        )


_WEIGHTS_NOT_FINITE = "the weights grew too large to be numbers (infinite or NaN)"


def _loss_not_finite(value: float) -> str:
    if math.isnan(value):
        return "the loss became NaN (not a number)"
    return "the loss became infinite"


def _not_finite(losses: list[float]) -> str | None:
    """What is wrong with the first batch loss that is not a number, or None."""
    bad = next((v for v in losses if not math.isfinite(v)), None)
    return None if bad is None else _loss_not_finite(bad)


def _suggest_learning_rate(current: float) -> float:
    return min(0.05, current / 10)

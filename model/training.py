"""Training as small steps: one mini-batch per call, so whoever drives it stays responsive.

The model process calls :meth:`Trainer.train_batch` from its own loop and, between batches,
answers new inputs, pause, step, reset and stop. :meth:`Trainer.collect` then measures the
epochs finished since its last call and hands over their records and batch losses.
Divergence is caught there: the last good weights come back and the result says what to try.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import partial
from types import MappingProxyType

import torch
import torch.nn.functional as F  # noqa: N812 (the conventional name)
from torch import Tensor

from model.config import OPTIMIZER_NAMES, TrainingConfig
from model.datasets import make_dataset
from model.fused_step import fast_step
from model.network import ActivationNet
from model.observations import ObservationTracker
from model.records import EpochNumbers, EpochRecord

# Fused kernels update all parameters in one call: Adam steps ~40 % faster than the default
# per-tensor loop on this 4×4 network (measured: 5,800 against 4,100 steps/s).
OPTIMIZERS: Mapping[str, Callable[..., torch.optim.Optimizer]] = MappingProxyType(
    {
        "Adam": partial(torch.optim.Adam, fused=True),
        "SGD": partial(torch.optim.SGD, fused=True),
    }
)
assert set(OPTIMIZERS) == set(OPTIMIZER_NAMES), "every offered optimizer needs a class"
#: A batch loss this many times that of guessing at random (ln 4 ≈ 1.39) counts as divergence.
#: float64 and log-sum-exp keep the loss finite long after training has blown up (learning
#: rate 50 reaches losses near 200 without a NaN), so waiting for NaN alone would miss it.
DIVERGENCE_FACTOR = 20.0


class DivergenceError(RuntimeError):
    """Loss or weights became non-finite; the trainer has already restored good weights."""


@dataclass
class Collected:
    """What :meth:`Trainer.collect` gathered: batch losses, epoch records, and divergence."""

    positions: list[float] = field(default_factory=list)
    losses: list[float] = field(default_factory=list)
    records: list[EpochRecord] = field(default_factory=list)
    #: Why training diverged (the good weights are already back), or None.
    diverged: str | None = None


@dataclass
class _FinishedEpoch:
    """An epoch trained but not yet measured: its batch losses and its final weights."""

    epoch: int
    losses: list[Tensor]
    drained: int
    weights: Tensor


class Trainer:
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
        self.network = ActivationNet()
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
        self.optimizer.state.clear()
        self._shuffle = torch.Generator().manual_seed(self.config.seed)
        self.epoch = 0
        self._finished = []
        self._begin_epoch()
        self._good_weights = self.network.flat_weights()
        self._good_epoch = 0
        self.baseline = self.evaluate(0)
        self._observer = ObservationTracker(self.baseline)

    def evaluate(self, epoch: int) -> EpochNumbers:
        """Loss and accuracy on both splits with the current weights."""
        with torch.no_grad():
            train_loss = F.cross_entropy(self.network(self._train_x), self._train_y).item()
        test_loss, train_accuracy, test_accuracy, _ = self._measure(
            self.network.flat_weights().unsqueeze(0)
        )[0]
        return EpochNumbers(epoch, float(train_loss), test_loss, train_accuracy, test_accuracy)

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

        On divergence, everything up to the last good epoch is still handed over, the weights
        of that epoch are back, and ``diverged`` says what happened and what to try.
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
            problem = self._problem(fresh) or self._weights_problem(measured[3])
            if problem is None:
                all_losses = (
                    [*torch.stack(end.losses[: end.drained]).tolist(), *fresh]
                    if end.drained
                    else fresh
                )
                result.records.append(self._record(end.epoch + 1, all_losses, measured))
                self._add_batches(result, end.epoch, end.drained, fresh)
                self._good_weights, self._good_epoch = end.weights, end.epoch + 1
                continue
            result.diverged = self._restore(end.epoch, problem)
            return result
        fresh = values[cursor:]
        problem = self._problem(fresh)
        if problem is not None:
            result.diverged = self._restore(self.epoch, problem)
            return result
        self._add_batches(result, self.epoch, self._drained, fresh)
        self._drained = len(self._epoch_losses)
        return result

    def _record(self, epoch: int, losses: list[float], measured: list[float]) -> EpochRecord:
        train_loss = sum(v * w for v, w in zip(losses, self._batch_weights, strict=True))
        test_loss, train_accuracy, test_accuracy, _ = measured
        numbers = EpochNumbers(epoch, train_loss, test_loss, train_accuracy, test_accuracy)
        note = self._observer.observe(numbers)
        return EpochRecord(epoch, train_loss, test_loss, train_accuracy, test_accuracy, note)

    def _add_batches(self, result: Collected, epoch: int, first: int, losses: list[float]) -> None:
        per_epoch = self.batches_per_epoch
        result.positions += [epoch + (first + k + 1) / per_epoch for k in range(len(losses))]
        result.losses += losses

    def _measure(self, weights: Tensor) -> list[list[float]]:
        """For K weight vectors: [test loss, train accuracy, test accuracy, sum of weights].

        Only the test split needs a loss (an epoch's train loss is the mean of its batch
        losses); accuracies come from one argmax and one product with a fixed averaging
        matrix; everything is read back at once.
        """
        count = weights.shape[0]
        with torch.no_grad():
            logits = self.network.forward_many(self._all_x, weights)
            correct = (logits.argmax(dim=2) == self._all_y).to(logits.dtype)
            accuracy = correct @ self._split_means
            test = logits[:, self._cut :].reshape(-1, logits.shape[2])
            test_y = self._test_y.repeat(count)
            test_loss = F.cross_entropy(test, test_y, reduction="none").view(count, -1).mean(1)
            table = torch.cat(
                (test_loss.unsqueeze(1), accuracy, weights.sum(1, keepdim=True)), dim=1
            )
            rows: list[list[float]] = table.tolist()
        return rows

    def _problem(self, losses: list[float]) -> str | None:
        if not all(math.isfinite(v) for v in losses):
            return "the loss became NaN"
        worst = max(losses, default=0.0)
        if worst > self._divergence_loss:
            return (
                f"the loss reached {worst:.1f}, far above the {self._chance_loss:.2f} of "
                "guessing at random"
            )
        return None

    @staticmethod
    def _weights_problem(weight_sum: float) -> str | None:
        # A sum of weights that is not finite means some weight is not.
        return None if math.isfinite(weight_sum) else "the weights became too large"

    def _begin_epoch(self) -> None:
        self._order = torch.randperm(self._cut, generator=self._shuffle)
        self._batch = 0
        self._epoch_losses = []
        self._drained = 0

    def _restore(self, failed_epoch: int, what: str) -> str:
        self.network.load_flat_weights(self._good_weights)
        # Momentum and Adam's moments are as poisoned as the weights: clear them too.
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


def _suggest_learning_rate(current: float) -> float:
    return min(0.05, current / 10)

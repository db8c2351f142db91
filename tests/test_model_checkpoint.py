"""Checkpoints and resuming: a fresh trainer continues a run from an epoch's weights.

The data order is checked against the specification (epoch k uses the k-th permutation of a
generator seeded with the run's seed) by watching the batches the network is really fed.
"""

from __future__ import annotations

import pickle

import numpy as np
import pytest
import torch
from helpers import train_whole_epochs
from test_training import np_cross_entropy, np_forward, np_layers
from torch import Tensor

from model import protocol as msg
from model.config import TrainingConfig
from model.records import EpochRecord
from model.trace import Trace
from model.training import Trainer

PARAMETERS = 60  # three 4×4 layers with 4 biases each


@pytest.fixture(autouse=True)
def _one_thread() -> None:
    """One intra-op thread, as in the model process: faster and identical on every machine."""
    torch.set_num_threads(1)


def finish_epochs(trainer: Trainer, count: int) -> list[EpochRecord]:
    """Train ``count`` whole epochs, collecting after each, and return their records."""
    return [record for result in train_whole_epochs(trainer, count) for record in result.records]


def checkpoint_after(config: TrainingConfig, epochs: int) -> msg.Checkpoint:
    """The checkpoint a run with ``config`` hands over after ``epochs`` epochs."""
    trainer = Trainer(config)
    for _ in range(epochs):
        while not trainer.train_batch():
            pass
    checkpoint = trainer.collect().checkpoint
    assert checkpoint is not None
    return checkpoint


def fed_inputs(trainer: Trainer, monkeypatch: pytest.MonkeyPatch) -> list[Tensor]:
    """Record every batch of inputs the network is trained on from now."""
    seen: list[Tensor] = []
    original = trainer.network.forward

    def forward(x: Tensor) -> Tensor:
        seen.append(x.clone())
        result: Tensor = original(x)
        return result

    monkeypatch.setattr(trainer.network, "forward", forward)
    return seen


def order_of_epoch(seed: int, epoch: int) -> Tensor:
    """The sample order of ``epoch`` (1-based): the epoch-th permutation drawn from the seed."""
    generator = torch.Generator().manual_seed(seed)
    for _ in range(epoch - 1):
        torch.randperm(409, generator=generator)
    return torch.randperm(409, generator=generator)


# Checkpoints in collected results -----------------------------------------------------------


def test_collect_hands_over_the_newest_good_epoch() -> None:
    """Three epochs collected at once: the checkpoint is epoch 3's weights, a numpy float64
    copy equal to what a trainer that stopped there holds; mid-epoch, there is none."""
    trainer = Trainer(TrainingConfig(seed=2))
    for _ in range(3):
        while not trainer.train_batch():
            pass
    collected = trainer.collect()
    checkpoint = collected.checkpoint
    assert checkpoint is not None
    assert checkpoint.epoch == 3
    assert isinstance(checkpoint.weights, np.ndarray)
    assert checkpoint.weights.dtype == np.float64
    assert checkpoint.weights.shape == (PARAMETERS,)
    np.testing.assert_array_equal(checkpoint.weights, trainer.network.flat_weights().numpy())
    assert not np.shares_memory(checkpoint.weights, trainer.network.flat_weights().numpy())
    trainer.train_batch()
    assert trainer.collect().checkpoint is None
    # The weights are those whose numbers the record reports: numpy recomputes its test loss.
    data = trainer.data
    logits = np_forward(np_layers(checkpoint.weights), data.test_x.numpy())
    test_loss = np_cross_entropy(logits, data.test_y.numpy())
    assert collected.records[-1].test_loss == pytest.approx(test_loss, rel=1e-10)


# Resuming -----------------------------------------------------------------------------------


def test_resume_restores_the_weights_bit_for_bit() -> None:
    """A fresh trainer resumed at epoch 3 holds exactly the checkpoint's weights, layer by layer."""
    checkpoint = checkpoint_after(TrainingConfig(), 3)
    trainer = Trainer()
    numbers = trainer.resume(checkpoint)
    assert trainer.epoch == 3
    assert not trainer.mid_epoch
    assert numbers.epoch == 3
    np.testing.assert_array_equal(trainer.network.flat_weights().numpy(), checkpoint.weights)
    state = trainer.network.state_dict()
    for k, (weight, bias) in enumerate(np_layers(checkpoint.weights)):
        np.testing.assert_array_equal(state[f"layers.{k}.weight"].numpy(), weight)
        np.testing.assert_array_equal(state[f"layers.{k}.bias"].numpy(), bias)
    assert len(trainer.optimizer.state) == 0


def test_resume_measures_the_epoch_again() -> None:
    """resume returns the epoch's numbers with the restored weights, recomputed with numpy."""
    checkpoint = checkpoint_after(TrainingConfig(seed=1), 3)
    trainer = Trainer(TrainingConfig(seed=1))
    numbers = trainer.resume(checkpoint)
    data = trainer.data
    layers = np_layers(checkpoint.weights)
    train_logits = np_forward(layers, data.train_x.numpy())
    test_logits = np_forward(layers, data.test_x.numpy())
    assert numbers.train_loss == pytest.approx(
        np_cross_entropy(train_logits, data.train_y.numpy()), rel=1e-10
    )
    assert numbers.test_loss == pytest.approx(
        np_cross_entropy(test_logits, data.test_y.numpy()), rel=1e-10
    )
    expected = np.mean(test_logits.argmax(axis=1) == data.test_y.numpy())
    assert numbers.test_accuracy == pytest.approx(expected, abs=1e-12)


def test_resume_continues_with_the_uninterrupted_data_order(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """After resuming at epoch 3, epoch 4 feeds the samples in the order the uninterrupted run's
    epoch 4 does: the 4th permutation of the seed."""
    config = TrainingConfig(seed=5)
    trainer = Trainer(config)
    trainer.resume(checkpoint_after(config, 3))
    seen = fed_inputs(trainer, monkeypatch)
    finish_epochs(trainer, 1)
    resumed = torch.cat(seen)
    expected = trainer.data.train_x[order_of_epoch(5, 4)]
    assert torch.equal(resumed, expected)

    uninterrupted = Trainer(config)
    finish_epochs(uninterrupted, 3)
    seen = fed_inputs(uninterrupted, monkeypatch)
    finish_epochs(uninterrupted, 1)
    assert torch.equal(torch.cat(seen), resumed)


def test_resume_with_stateless_sgd_repeats_the_run_exactly() -> None:
    """SGD without momentum keeps no state: resuming at epoch 3 and training two epochs gives
    exactly the uninterrupted run's epochs 4 and 5."""
    config = TrainingConfig(optimizer="SGD", learning_rate=1.0, seed=3)
    uninterrupted = finish_epochs(Trainer(config), 5)
    trainer = Trainer(config)
    trainer.resume(checkpoint_after(config, 3))
    resumed = finish_epochs(trainer, 2)
    assert [r.epoch for r in resumed] == [4, 5]
    for got, want in zip(resumed, uninterrupted[3:], strict=True):
        assert got.train_loss == want.train_loss
        assert got.test_loss == want.test_loss
        assert got.test_accuracy == want.test_accuracy


def test_resume_with_adam_starts_its_moments_again() -> None:
    """Adam's moments cannot come back: the resumed run learns on, but from fresh moments."""
    config = TrainingConfig()
    trainer = Trainer(config)
    baseline = trainer.resume(checkpoint_after(config, 3))
    assert len(trainer.optimizer.state) == 0
    records = finish_epochs(trainer, 3)
    assert [r.epoch for r in records] == [4, 5, 6]
    assert records[-1].train_loss < baseline.train_loss * 1.5
    assert len(trainer.optimizer.state) > 0


@pytest.mark.parametrize(
    ("weights", "epoch", "message"),
    [
        (np.zeros(59), 3, r"holds 59 weights .* this network has 60"),
        (np.zeros((6, 10)), 3, r"holds 60 weights in shape \(6, 10\)"),
        (np.full(60, np.nan), 3, r"not finite"),
        (np.concatenate([np.zeros(59), [np.inf]]), 3, r"not finite"),
        (np.zeros(60), -1, r"epoch must be a whole number"),
    ],
)
def test_a_bad_checkpoint_is_refused_and_changes_nothing(
    weights: np.ndarray, epoch: int, message: str
) -> None:
    """Wrong size, NaN, infinity or a negative epoch: ValueError, and the run goes on as if
    nothing had been asked (same weights, epoch, and next epoch as an undisturbed twin)."""
    config = TrainingConfig(seed=4)
    trainer, twin = Trainer(config), Trainer(config)
    finish_epochs(trainer, 2)
    finish_epochs(twin, 2)
    trainer.train_batch()
    twin.train_batch()
    before = trainer.network.flat_weights().numpy().copy()
    with pytest.raises(ValueError, match=message):
        trainer.resume(msg.Checkpoint(epoch, weights))
    np.testing.assert_array_equal(trainer.network.flat_weights().numpy(), before)
    assert trainer.epoch == 2
    assert trainer.progress == twin.progress
    assert finish_epochs(trainer, 1) == finish_epochs(twin, 1)


# The protocol's side -----------------------------------------------------------------------


def test_checkpoints_compare_by_value_and_survive_pickling() -> None:
    """Equal epochs and weights are equal; the pipe's pickling keeps every bit."""
    weights = np.linspace(-1.0, 1.0, PARAMETERS)
    checkpoint = msg.Checkpoint(4, weights)
    assert checkpoint == msg.Checkpoint(4, weights.copy())
    assert checkpoint != msg.Checkpoint(5, weights)
    assert checkpoint != msg.Checkpoint(4, weights + 1e-16 * (weights != 0))
    copy = pickle.loads(pickle.dumps(checkpoint))
    assert copy == checkpoint
    np.testing.assert_array_equal(copy.weights, weights)


def progress(checkpoint: msg.Checkpoint | None) -> msg.TrainingProgress:
    """An otherwise empty progress message carrying ``checkpoint``."""
    empty = np.zeros(0)
    return msg.TrainingProgress(empty, empty, (), Trace(stages=()), True, checkpoint=checkpoint)


def test_merging_progress_keeps_the_newest_checkpoint() -> None:
    """The later message's checkpoint wins; a later message without one keeps the earlier's."""
    early, late = msg.Checkpoint(2, np.zeros(PARAMETERS)), msg.Checkpoint(3, np.ones(PARAMETERS))
    assert progress(early).merged_with(progress(late)).checkpoint == late
    assert progress(early).merged_with(progress(None)).checkpoint == early
    assert progress(None).merged_with(progress(late)).checkpoint == late
    assert progress(None).merged_with(progress(None)).checkpoint is None
    assert (
        msg.TrainingProgress(np.zeros(0), np.zeros(0), (), Trace(stages=()), False).checkpoint
        is None
    )

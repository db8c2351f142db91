"""Training, data sets, settings and the per-epoch notes.

Losses and accuracies are recomputed with numpy from the data and the network's own weights;
the observation rules are fed hand-made epochs whose notes are worked out by hand.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import numpy as np
import numpy_reference as ref
import pytest
import torch
from numpy_reference import Array

from model.config import DEFAULT_INPUTS, TrainingConfig
from model.datasets import SAMPLES, make_dataset
from model.network import WIDTH
from model.observations import KINDS, Observation, ObservationTracker, format_number
from model.records import EpochNumbers, EpochRecord
from model.tasks import DEFAULT_TASK, TASKS
from model.training import DivergenceError, Trainer

TRAIN_COUNT = 409  # int(512 * 0.8)
TEST_COUNT = 103


# The default network and its loss in numpy (the shared reference, tests/numpy_reference.py) --

DEFAULT_PIPELINE = ("ReLU", "Sigmoid", "Softmax")
np_cross_entropy = ref.cross_entropy
Layers = ref.Layers


def np_layers(flat: Array) -> Layers:
    """(W, b) of each layer from a flat weight vector: layer by layer, 4×4 weight then bias."""
    layers = ref.layers_from_flat(flat)
    assert len(layers) == 3
    return layers


def np_forward(layers: Layers, x: Array) -> Array:
    """The default network's logits, Linear → ReLU → Linear → Sigmoid → Linear, in numpy."""
    return ref.scores(layers, DEFAULT_PIPELINE, x)


def np_logits(trainer: Trainer, x: Array) -> Array:
    """The scores of ``trainer``'s network (any pipeline and temperature) for a batch, in numpy,
    from the weights in its state dict."""
    config = trainer.config
    state = {name: value.detach().numpy() for name, value in trainer.network.state_dict().items()}
    layers = [
        (state[f"layers.{k}.weight"], state[f"layers.{k}.bias"])
        for k in range(len(config.activations))
    ]
    return ref.scores(layers, config.activations, x, config.temperature)


def weights_of(trainer: Trainer) -> dict[str, Array]:
    """A numpy copy of every parameter, to compare before and after."""
    return {k: v.detach().numpy().copy() for k, v in trainer.network.state_dict().items()}


def assert_identity(trainer: Trainer) -> None:
    """Every layer has W = I and b = 0."""
    for name, value in weights_of(trainer).items():
        expected = np.eye(WIDTH) if name.endswith("weight") else np.zeros(WIDTH)
        np.testing.assert_array_equal(value, expected, err_msg=name)


# Baseline and losses -----------------------------------------------------------------------


def test_baseline_cross_entropy_matches_numpy() -> None:
    """Epoch 0's losses are numpy's mean(-log softmax(logits)[label]) of the identity network."""
    trainer = Trainer()
    data = trainer.data
    train_x, train_y = data.train_x.numpy(), data.train_y.numpy()
    test_x, test_y = data.test_x.numpy(), data.test_y.numpy()
    # Identity weights: the logits are sigmoid(relu(x)).
    train_logits = 1.0 / (1.0 + np.exp(-np.maximum(train_x, 0.0)))
    test_logits = 1.0 / (1.0 + np.exp(-np.maximum(test_x, 0.0)))
    baseline = trainer.baseline
    assert baseline.epoch == 0
    assert baseline.train_loss == pytest.approx(np_cross_entropy(train_logits, train_y), rel=1e-12)
    assert baseline.test_loss == pytest.approx(np_cross_entropy(test_logits, test_y), rel=1e-12)
    expected_accuracy = np.mean(train_logits.argmax(axis=1) == train_y)
    assert baseline.train_accuracy == pytest.approx(expected_accuracy, abs=1e-12)
    expected_accuracy = np.mean(test_logits.argmax(axis=1) == test_y)
    assert baseline.test_accuracy == pytest.approx(expected_accuracy, abs=1e-12)


def test_epoch_record_matches_numpy_after_training() -> None:
    """After an epoch, test loss and accuracies are numpy's, from the network's new weights."""
    trainer = Trainer(TrainingConfig(seed=2))
    record = trainer.train_epoch()
    data = trainer.data
    test_logits = np_logits(trainer, data.test_x.numpy())
    train_logits = np_logits(trainer, data.train_x.numpy())
    assert record.epoch == 1
    assert record.test_loss == pytest.approx(
        np_cross_entropy(test_logits, data.test_y.numpy()), rel=1e-10
    )
    assert record.test_accuracy == pytest.approx(
        np.mean(test_logits.argmax(axis=1) == data.test_y.numpy()), abs=1e-12
    )
    assert record.train_accuracy == pytest.approx(
        np.mean(train_logits.argmax(axis=1) == data.train_y.numpy()), abs=1e-12
    )


def test_epoch_train_loss_is_the_sample_weighted_mean_of_batch_losses() -> None:
    """An epoch's train loss averages its batch losses weighted by batch size (last: 25)."""
    trainer = Trainer()
    batches = 0
    while not trainer.train_batch():
        batches += 1
    collected = trainer.collect()
    losses = collected.losses
    (record,) = collected.records
    sizes = [32] * 12 + [TRAIN_COUNT - 12 * 32]
    assert batches + 1 == len(losses) == len(sizes) == 13
    assert collected.positions == pytest.approx([(k + 1) / 13 for k in range(13)])
    expected = sum(loss * size for loss, size in zip(losses, sizes, strict=True)) / TRAIN_COUNT
    assert record.train_loss == pytest.approx(expected, rel=1e-12)


def test_collect_hands_over_mid_epoch_losses_once() -> None:
    """Losses collected mid-epoch are not handed over again when the epoch ends."""
    trainer = Trainer()
    for _ in range(5):
        trainer.train_batch()
    first = trainer.collect()
    assert len(first.losses) == 5
    assert first.records == []
    while not trainer.train_batch():
        pass
    second = trainer.collect()
    assert len(second.losses) == 8
    assert second.positions[0] == pytest.approx(6 / 13)
    assert [r.epoch for r in second.records] == [1]


def test_collect_measures_several_epochs_like_one_at_a_time() -> None:
    """Measuring three finished epochs in one batched pass gives each epoch's own numbers."""
    one_at_a_time = Trainer(TrainingConfig(seed=2))
    expected = [one_at_a_time.train_epoch() for _ in range(3)]
    batched = Trainer(TrainingConfig(seed=2))
    for _ in range(3):
        while not batched.train_batch():
            pass
    records = batched.collect().records
    assert [r.epoch for r in records] == [1, 2, 3]
    for got, want in zip(records, expected, strict=True):
        assert got.train_loss == pytest.approx(want.train_loss, rel=1e-12)
        assert got.test_loss == pytest.approx(want.test_loss, rel=1e-12)
        assert got.test_accuracy == want.test_accuracy
        assert got.observation == want.observation


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_five_epochs_lower_the_loss(seed: int) -> None:
    """On the default task, five epochs bring train and test loss below the untrained baseline."""
    trainer = Trainer(TrainingConfig(seed=seed))
    records = [trainer.train_epoch() for _ in range(5)]
    assert [r.epoch for r in records] == [1, 2, 3, 4, 5]
    assert records[-1].train_loss < trainer.baseline.train_loss
    assert records[-1].test_loss < trainer.baseline.test_loss
    assert records[-1].test_accuracy > trainer.baseline.test_accuracy


def test_sgd_also_learns() -> None:
    """The other offered optimizer, SGD, also lowers the loss."""
    trainer = Trainer(TrainingConfig(optimizer="SGD", learning_rate=1.0))
    for _ in range(5):
        record = trainer.train_epoch()
    assert record.train_loss < trainer.baseline.train_loss


# Determinism -------------------------------------------------------------------------------


def test_same_seed_gives_identical_records() -> None:
    """Two trainers with the same settings produce bit-identical epochs (the whole room agrees)."""
    first = Trainer(TrainingConfig(seed=4))
    second = Trainer(TrainingConfig(seed=4))
    records_a = [first.train_epoch() for _ in range(3)]
    records_b = [second.train_epoch() for _ in range(3)]
    assert records_a == records_b
    for name, value in weights_of(first).items():
        np.testing.assert_array_equal(value, weights_of(second)[name])


def test_different_seeds_differ() -> None:
    """Another seed means other data and another shuffle, so other numbers."""
    record_a = Trainer(TrainingConfig(seed=0)).train_epoch()
    record_b = Trainer(TrainingConfig(seed=1)).train_epoch()
    assert record_a.train_loss != record_b.train_loss
    assert record_a.test_loss != record_b.test_loss


# Stepping ----------------------------------------------------------------------------------


def count_batches(trainer: Trainer, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Make ``trainer.train_batch`` count its calls into the returned one-item list."""
    calls = [0]
    original = trainer.train_batch

    def counting() -> bool:
        calls[0] += 1
        return original()

    monkeypatch.setattr(trainer, "train_batch", counting)
    return calls


def test_batches_per_epoch() -> None:
    """409 training samples make ceil(409 / batch size) batches."""
    for batch_size, expected in [(32, 13), (8, 52), (128, 4), (409, 1), (1024, 1)]:
        trainer = Trainer(TrainingConfig(batch_size=batch_size))
        assert trainer.batches_per_epoch == expected


def test_train_epoch_trains_exactly_one_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    """From an epoch's start, train_epoch runs batches_per_epoch batches and epoch goes up by 1."""
    trainer = Trainer()
    calls = count_batches(trainer, monkeypatch)
    record = trainer.train_epoch()
    assert calls[0] == 13
    assert trainer.epoch == 1
    assert record.epoch == 1
    assert not trainer.mid_epoch
    assert trainer.progress == 1.0
    record = trainer.train_epoch()
    assert calls[0] == 26
    assert trainer.epoch == 2
    assert record.epoch == 2


def test_train_epoch_mid_epoch_finishes_the_current_one(monkeypatch: pytest.MonkeyPatch) -> None:
    """After 3 single batches, train_epoch runs only the 10 left in that epoch."""
    trainer = Trainer()
    for _ in range(3):
        assert trainer.train_batch() is False
    assert trainer.mid_epoch
    assert trainer.progress == pytest.approx(3 / 13)
    calls = count_batches(trainer, monkeypatch)
    trainer.train_epoch()
    assert calls[0] == 10
    assert trainer.epoch == 1


def test_reset_restores_identity_and_starts_over_identically() -> None:
    """reset() brings back W = I, the identity trace, epoch 0 and the same shuffle order."""
    trainer = Trainer(TrainingConfig(seed=3))
    first_run = [trainer.train_epoch() for _ in range(2)]
    trainer.train_batch()
    trainer.reset()
    assert trainer.epoch == 0
    assert not trainer.mid_epoch
    assert_identity(trainer)
    trace = trainer.network.trace(DEFAULT_INPUTS)
    np.testing.assert_allclose(trace.stages[-1].values, [0.2833, 0.1936, 0.2188, 0.3044], atol=5e-5)
    for stage in trace.stages[1:]:
        np.testing.assert_array_equal(stage.weight, np.eye(WIDTH))
    assert [trainer.train_epoch() for _ in range(2)] == first_run


# Divergence --------------------------------------------------------------------------------


def train_until_diverged(trainer: Trainer) -> tuple[DivergenceError, dict[str, Array], int]:
    """Train whole epochs until DivergenceError (at most 20).

    Returns the error, the weights captured just before the failing epoch, and its epoch count.
    """
    for _ in range(20):
        before = weights_of(trainer)
        epoch_before = trainer.epoch
        try:
            trainer.train_epoch()
        except DivergenceError as error:
            return error, before, epoch_before
    pytest.fail("trained 20 epochs without DivergenceError")


def test_learning_rate_50_diverges_and_restores_weights() -> None:
    """Learning rate 50 raises DivergenceError; the weights are those before the failing epoch."""
    trainer = Trainer(TrainingConfig(learning_rate=50))
    error, before, epoch_before = train_until_diverged(trainer)
    message = str(error)
    assert "learning rate 50" in message
    assert "smaller learning rate" in message
    assert trainer.epoch == epoch_before
    after = weights_of(trainer)
    for name, value in before.items():
        assert np.isfinite(after[name]).all(), name
        np.testing.assert_array_equal(after[name], value, err_msg=name)
    assert trainer.network.trace([1.0, -2.0, 3.0, 0.5]).is_finite()


def test_divergence_after_good_epochs_restores_the_last_good_epoch() -> None:
    """Raising the step size after two good epochs diverges, and epoch 2's weights come back."""
    trainer = Trainer(TrainingConfig(seed=1))
    trainer.train_epoch()
    trainer.train_epoch()
    good = weights_of(trainer)
    assert not np.array_equal(good["layers.0.weight"], np.eye(WIDTH))
    for group in trainer.optimizer.param_groups:
        group["lr"] = 50.0
    error, before, epoch_before = train_until_diverged(trainer)
    assert epoch_before == 2, "the first epoch at step size 50 should already diverge"
    assert "from the end of epoch 2" in str(error)
    assert trainer.epoch == 2
    for name, value in weights_of(trainer).items():
        np.testing.assert_array_equal(value, good[name], err_msg=name)
        np.testing.assert_array_equal(value, before[name], err_msg=name)
    # The optimizer's poisoned moments are gone too.
    assert len(trainer.optimizer.state) == 0


def test_divergence_error_is_a_runtime_error() -> None:
    """DivergenceError can be caught as RuntimeError by a generic handler."""
    assert issubclass(DivergenceError, RuntimeError)


# Settings ----------------------------------------------------------------------------------


def test_default_config() -> None:
    """The documented defaults: first task, seed 0, Adam, learning rate 0.05, batch 32, and the
    product's pipeline ReLU → Sigmoid → Softmax at T = 1."""
    config = TrainingConfig()
    assert (config.task, config.seed, config.optimizer) == ("smallest", 0, "Adam")
    assert (config.learning_rate, config.batch_size) == (0.05, 32)
    assert (config.activations, config.temperature) == (("ReLU", "Sigmoid", "Softmax"), 1.0)
    assert DEFAULT_TASK == "smallest"
    config.validate()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"task": "nope"}, r"unknown task 'nope'; choose one of smallest, largest, clusters"),
        ({"optimizer": "RMSprop"}, r"unknown optimizer 'RMSprop'; choose one of Adam, SGD"),
        ({"learning_rate": 0.0}, r"learning rate must be above 0 .*not 0$"),
        ({"learning_rate": -1.0}, r"learning rate must be above 0 .*not -1$"),
        ({"learning_rate": math.nan}, r"learning rate must be above 0 .*not nan$"),
        ({"learning_rate": math.inf}, r"learning rate must be above 0 .*not inf$"),
        ({"learning_rate": 101.0}, r"at most 100"),
        ({"batch_size": 0}, r"batch size must be between 1 and 1024, not 0"),
        ({"batch_size": 1025}, r"batch size must be between 1 and 1024, not 1025"),
        ({"seed": -1}, r"seed must be between 0 and 2147483647, not -1"),
        ({"seed": 2**31}, r"seed must be between 0 and 2147483647"),
    ],
)
def test_validate_refuses_bad_settings(changes: dict[str, Any], message: str) -> None:
    """Each bad setting is refused with a ValueError naming it; Trainer refuses it too."""
    config = replace(TrainingConfig(), **changes)
    with pytest.raises(ValueError, match=message):
        config.validate()
    with pytest.raises(ValueError, match=message):
        Trainer(config)


@pytest.mark.parametrize(
    "config",
    [
        TrainingConfig(learning_rate=100.0),
        TrainingConfig(learning_rate=1e-9),
        TrainingConfig(batch_size=1),
        TrainingConfig(batch_size=1024),
        TrainingConfig(seed=2**31 - 1),
        TrainingConfig(task="clusters", optimizer="SGD"),
    ],
)
def test_validate_accepts_edge_settings(config: TrainingConfig) -> None:
    """The bounds themselves are allowed."""
    config.validate()


# Data sets ---------------------------------------------------------------------------------


@pytest.mark.parametrize("task", list(TASKS))
def test_dataset_split_and_shapes(task: str) -> None:
    """512 samples split int(512 · 0.8) = 409 train / 103 test, four float64 inputs each."""
    data = make_dataset(task, seed=0)
    assert SAMPLES == 512
    assert data.train_x.shape == (TRAIN_COUNT, WIDTH)
    assert data.test_x.shape == (TEST_COUNT, WIDTH)
    assert data.train_y.shape == (TRAIN_COUNT,)
    assert data.test_y.shape == (TEST_COUNT,)
    assert data.train_x.dtype == torch.float64
    labels = np.concatenate([data.train_y.numpy(), data.test_y.numpy()])
    assert set(labels.tolist()) <= set(range(WIDTH))
    assert data.task.name == task
    assert data.seed == 0


@pytest.mark.parametrize(("task", "pick"), [("smallest", np.argmin), ("largest", np.argmax)])
def test_dataset_labels(task: str, pick: Callable[..., Array]) -> None:
    """'smallest' labels are each row's argmin, 'largest' labels its argmax; inputs in [-3, 3)."""
    for seed in (0, 11):
        data = make_dataset(task, seed)
        for x, y in [(data.train_x, data.train_y), (data.test_x, data.test_y)]:
            x_np = x.numpy()
            np.testing.assert_array_equal(y.numpy(), pick(x_np, axis=1))
            assert x_np.min() >= -3.0
            assert x_np.max() < 3.0


@pytest.mark.parametrize("task", list(TASKS))
def test_dataset_is_deterministic_per_seed(task: str) -> None:
    """The same seed gives the same tensors; another seed gives other ones."""
    a, b, c = make_dataset(task, 5), make_dataset(task, 5), make_dataset(task, 6)
    assert torch.equal(a.train_x, b.train_x)
    assert torch.equal(a.test_y, b.test_y)
    assert not torch.equal(a.train_x, c.train_x)


def test_unknown_task_dataset() -> None:
    """make_dataset names the tasks that exist when asked for another."""
    with pytest.raises(KeyError, match="unknown task 'nope'"):
        make_dataset("nope")


def test_untrained_accuracy_per_task() -> None:
    """The identity pipeline keeps order: 'largest' is nearly solved, 'smallest' nearly never."""
    assert Trainer(TrainingConfig(task="largest")).baseline.test_accuracy > 0.85
    assert Trainer(TrainingConfig(task="smallest")).baseline.test_accuracy < 0.1


# Records -----------------------------------------------------------------------------------


def test_record_json_row() -> None:
    """The command line's row: loss is train loss, accuracy is test accuracy, plus the rule and
    the hidden units that are dead or saturated (per layer, and as a share of all 8)."""
    numbers = EpochNumbers(3, 0.5, 0.6, 0.8, 0.75, dead_units=(1, 0), saturated_units=(0, 3))
    record = EpochRecord.from_numbers(numbers, "note", "milestone")
    assert record.to_json() == {
        "epoch": 3,
        "loss": 0.5,
        "test_loss": 0.6,
        "accuracy": 0.75,
        "train_accuracy": 0.8,
        "dead_fraction": 0.125,
        "saturated_fraction": 0.375,
        "dead_units": [1, 0],
        "saturated_units": [0, 3],
        "observation": "note",
        "observation_kind": "milestone",
    }
    assert EpochRecord(3, 0.5, 0.6, 0.8, 0.75, observation="note").observation_kind == ""
    # Numbers measured without unit counts have no units to share out.
    plain = EpochNumbers(3, 0.5, 0.6, 0.8, 0.75)
    assert (plain.dead_fraction, plain.saturated_fraction) == (0.0, 0.0)
    assert (
        EpochNumbers(1, 1, 1, 0, 0, dead_units=(4, 4), saturated_units=(0, 0)).dead_fraction == 1.0
    )
    assert (
        EpochNumbers(
            1, 1, 1, 0, 0, dead_units=(0,), saturated_units=(3,), layer_width=6
        ).saturated_fraction
        == 0.5
    )


def test_trainer_measures_units_of_its_hidden_layers() -> None:
    """Every epoch's numbers count dead and saturated units per hidden layer (two of four)."""
    trainer = Trainer()
    record = trainer.train_epoch()
    for numbers in (trainer.baseline, record):
        assert numbers.layer_width == WIDTH
        assert len(numbers.dead_units) == len(numbers.saturated_units) == 2
        assert all(0 <= count <= WIDTH for count in (*numbers.dead_units, *numbers.saturated_units))
    # The untrained identity pipeline: every unit fires on some sample and has a real slope.
    assert (trainer.baseline.dead_units, trainer.baseline.saturated_units) == ((0, 0), (0, 0))


# Observations ------------------------------------------------------------------------------

LN4 = math.log(4)  # the loss of guessing one of four classes at random


def numbers(epoch: int, train: float, test: float, accuracy: float) -> EpochNumbers:
    """An epoch with the given train loss, test loss and (train = test) accuracy."""
    return EpochNumbers(epoch, train, test, accuracy, accuracy)


def observe_all(
    baseline: EpochNumbers, epochs: list[EpochNumbers], worst: dict[int, float] | None = None
) -> list[Observation]:
    """The notes a fresh tracker gives for ``epochs`` in order (``worst``: batch spikes)."""
    tracker = ObservationTracker(baseline)
    worst = worst or {}
    return [tracker.observe(e, worst_batch_loss=worst.get(e.epoch, 0.0)) for e in epochs]


def test_kinds_are_the_documented_rules() -> None:
    """Every note names one of the documented rules."""
    assert KINDS == (
        "first",
        "milestone",
        "spike",
        "overshoot",
        "dead",
        "saturated",
        "overfitting",
        "biggest_drop",
        "converged",
        "plateau",
        "noise",
        "change",
    )


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (0.25, "0.250"),
        (1.5, "1.500"),
        (0.0123, "0.012"),
        (0.00041, "0.00041"),
        (-0.00041, "−0.00041"),
        (0.000040, "0.000040"),
        (3.2e-9, "3.2e-09"),
        (0.0, "0"),
    ],
)
def test_format_number_keeps_two_significant_digits(value: float, text: str) -> None:
    """Three decimals, or more when a small number would otherwise print as 0.000."""
    assert format_number(value) == text


def test_first_epoch_note() -> None:
    """Epoch 1 always gets 'First epoch' with both losses and accuracies."""
    (note,) = observe_all(numbers(0, 1.4, 1.4, 0.02), [numbers(1, 1.2, 1.2, 0.3)])
    assert note == Observation("first", "First epoch: loss 1.400 → 1.200, test accuracy 2% → 30%")


def test_first_epoch_beats_every_other_rule() -> None:
    """Even a first epoch that passes 90 %, drops most and spikes is the first epoch."""
    notes = observe_all(numbers(0, 1.4, 1.4, 0.02), [numbers(1, 0.1, 0.1, 0.95)], {1: 96.0})
    assert notes[0].kind == "first"


def test_biggest_drop_and_ordinary_epochs() -> None:
    """A drop larger than every earlier one is 'Biggest drop'; a smaller one gets plain numbers."""
    notes = observe_all(
        numbers(0, 1.4, 1.4, 0.02),
        [numbers(1, 1.2, 1.2, 0.3), numbers(2, 0.8, 0.8, 0.5), numbers(3, 0.7, 0.7, 0.6)],
    )
    # Epoch 2 drops 0.4 (more than epoch 1's 0.2): 0.4 / 1.2 = 33 %.
    assert notes[1] == Observation(
        "biggest_drop", "Biggest drop so far: loss −0.400 (33%), test accuracy 50%"
    )
    # Epoch 3 drops 0.1 of 0.8 = 12.5 %, accuracy +10 points.
    assert notes[2] == Observation("change", "Loss −0.100 (−12.5%), test accuracy 60% (+10 points)")


def test_small_changes_are_not_shown_as_zero() -> None:
    """A change of 0.00041 in a loss of 0.1324 reads −0.00041 (−0.31%), not −0.000 (−0.3%)."""
    notes = observe_all(
        numbers(0, 1.4, 1.4, 0.2),
        [
            numbers(1, 0.2, 0.2, 0.9),
            numbers(2, 0.1324, 0.14, 0.93),
            numbers(3, 0.13199, 0.135, 0.93),  # −0.00041 / 0.1324 = −0.31 %
            numbers(4, 0.13203, 0.135, 0.93),  # +0.00004
        ],
    )
    assert notes[2] == Observation(
        "change", "Loss −0.00041 (−0.31%), test accuracy 93% (unchanged)"
    )
    assert notes[3] == Observation(
        "noise",
        "Loss up slightly (+0.000040): mini-batch noise, the trend matters; test accuracy 93%",
    )


def test_passing_90_percent_beats_biggest_drop() -> None:
    """Crossing 90 % test accuracy is the note, even when the drop is also the biggest."""
    notes = observe_all(
        numbers(0, 1.4, 1.4, 0.1),
        [numbers(1, 1.3, 1.3, 0.5), numbers(2, 1.0, 1.0, 0.85), numbers(3, 0.5, 0.5, 0.92)],
    )
    assert notes[2] == Observation(
        "milestone", "Test accuracy passed 90 % (92%): the pattern is learnt"
    )
    # Staying above 90 % is not "passing" again, nor is coming back after a dip.
    notes = observe_all(
        numbers(0, 1.4, 1.4, 0.1),
        [
            numbers(1, 1.3, 1.3, 0.5),
            numbers(2, 1.0, 1.0, 0.91),
            numbers(3, 0.9, 0.9, 0.95),
            numbers(4, 0.85, 0.85, 0.86),
            numbers(5, 0.8, 0.8, 0.93),
        ],
    )
    assert [note.kind == "milestone" for note in notes] == [False, True, False, False, False]


def test_overfitting_after_three_rising_epochs() -> None:
    """Test loss up while train loss falls, three epochs running, is called overfitting."""
    notes = observe_all(
        numbers(0, 1.4, 1.4, 0.2),
        [
            numbers(1, 1.0, 1.0, 0.5),
            numbers(2, 0.9, 1.05, 0.5),  # first rising epoch: not yet a pattern
            numbers(3, 0.85, 1.08, 0.5),  # second: two happen by chance in noisy runs
            numbers(4, 0.8, 1.10, 0.5),  # third: overfitting
        ],
    )
    assert [note.kind for note in notes[1:3]] == ["change", "change"]
    assert notes[3] == Observation(
        "overfitting",
        "Test loss rising (1.080 → 1.100) while train loss falls, 3 epochs running: "
        "the network is memorising its training data (overfitting)",
    )


def test_rising_count_restarts_when_test_loss_falls() -> None:
    """Rising twice, falling, rising twice again is not three epochs running."""
    notes = observe_all(
        numbers(0, 1.4, 1.4, 0.2),
        [
            numbers(1, 1.0, 1.0, 0.5),
            numbers(2, 0.95, 1.05, 0.5),
            numbers(3, 0.9, 1.10, 0.5),
            numbers(4, 0.85, 1.00, 0.5),
            numbers(5, 0.8, 1.02, 0.5),
            numbers(6, 0.75, 1.04, 0.5),
        ],
    )
    assert not any(note.kind == "overfitting" for note in notes)


def plateau_epochs(test: float = 1.0, accuracy: float = 0.5) -> list[EpochNumbers]:
    """Train loss 1.0 → 0.998 over epochs 1-4: it moved 0.2 % < 0.5 % in three epochs."""
    return [
        numbers(1, 1.0, test, accuracy),
        numbers(2, 0.999, test, accuracy),
        numbers(3, 0.998, test, accuracy),
        numbers(4, 0.998, test, accuracy),
    ]


def test_plateau_at_low_accuracy_suggests_a_larger_step() -> None:
    """A stalled loss at 50 % accuracy, test loss near train loss: larger steps may help."""
    notes = observe_all(numbers(0, 1.4, 1.0, 0.2), plateau_epochs())
    assert not any(note.kind == "plateau" for note in notes[:3])
    assert notes[3] == Observation(
        "plateau",
        "Plateau: loss moved under 0.5% in 3 epochs at test accuracy 50%; "
        "a larger learning rate or another optimizer may help",
    )


@pytest.mark.parametrize("accuracy", [0.95, 1.0])
def test_plateau_at_high_accuracy_has_converged(accuracy: float) -> None:
    """At 95 % or more the same stalled loss has converged: no advice to take bigger steps."""
    notes = observe_all(numbers(0, 1.4, 1.0, 0.2), plateau_epochs(accuracy=accuracy))
    assert notes[3] == Observation(
        "converged", f"Converged: test accuracy {accuracy:.0%}, loss barely moves"
    )


def test_plateau_with_high_train_accuracy_has_converged() -> None:
    """96 % on the training data with 50 % on the test data is not a step-size problem."""
    epochs = [replace(e, train_accuracy=0.96) for e in plateau_epochs()]
    assert observe_all(numbers(0, 1.4, 1.0, 0.2), epochs)[3].kind == "converged"


def test_plateau_limited_by_the_data_has_converged() -> None:
    """Test loss 1.3 against train loss 0.998 (> 1.25×): the data limits it, not the steps."""
    notes = observe_all(numbers(0, 1.4, 1.3, 0.2), plateau_epochs(test=1.3, accuracy=0.6))
    assert notes[3] == Observation(
        "converged",
        "Converged at test accuracy 60%: the loss barely moves and the test loss (1.300) stays "
        "above the train loss (0.998), so the data, not the step size, limits it",
    )


def test_no_plateau_when_loss_still_moves_or_bounces() -> None:
    """1 % movement over three epochs is learning; a loss that bounces back is no plateau."""
    moving = [1.0, 0.997, 0.993, 0.99]
    bouncing = [1.0, 1.1, 0.95, 1.0]  # the ends agree, the epochs between do not
    for losses in (moving, bouncing):
        epochs = [numbers(k + 1, v, 1.0, 0.5) for k, v in enumerate(losses)]
        notes = observe_all(numbers(0, 1.4, 1.0, 0.2), epochs)
        assert not any(note.kind in ("plateau", "converged") for note in notes), losses


def test_small_rise_of_a_small_loss_is_noise_not_overshooting() -> None:
    """+0.025 on 0.08 (+31 %) at 97 %, as the default learning rate does, is noise."""
    notes = observe_all(
        numbers(0, 1.4, 1.4, 0.2),
        [numbers(1, 0.2, 0.2, 0.9), numbers(2, 0.08, 0.09, 0.97), numbers(3, 0.105, 0.1, 0.97)],
    )
    assert notes[2] == Observation(
        "noise", "Loss up slightly (+0.025): mini-batch noise, the trend matters; test accuracy 97%"
    )


def test_one_bad_epoch_is_not_overshooting() -> None:
    """0.125 → 0.565 in one epoch (+0.44 < half of ln 4), as batch 8 does: plain numbers."""
    notes = observe_all(
        numbers(0, 1.4, 1.4, 0.2),
        [numbers(1, 0.3, 0.3, 0.9), numbers(2, 0.125, 0.2, 0.92), numbers(3, 0.565, 0.475, 0.86)],
    )
    assert notes[2] == Observation("change", "Loss +0.440 (+352.0%), test accuracy 86% (−6 points)")


def test_overshooting_to_worse_than_guessing() -> None:
    """A rise to 1.5, above ln 4 ≈ 1.39, is worse than guessing: the steps overshoot."""
    notes = observe_all(
        numbers(0, 1.4, 1.4, 0.2),
        [numbers(1, 1.2, 1.2, 0.3), numbers(2, 1.0, 1.0, 0.4), numbers(3, 1.5, 1.45, 0.3)],
    )
    assert notes[2] == Observation(
        "overshoot",
        "Loss rose to 1.500, worse than the 1.39 of guessing at random: "
        "the steps overshoot; try a smaller learning rate",
    )


def test_overshooting_by_a_jump() -> None:
    """A jump of 0.8 (over half of ln 4, and 267 % of 0.3) in one epoch overshoots."""
    assert LN4 / 2 < 0.8
    notes = observe_all(
        numbers(0, 1.4, 1.4, 0.2),
        [numbers(1, 0.5, 0.5, 0.8), numbers(2, 0.3, 0.3, 0.85), numbers(3, 1.1, 1.0, 0.6)],
    )
    assert notes[2] == Observation(
        "overshoot", "Loss jumped by 0.800 (267%): the steps overshoot; try a smaller learning rate"
    )


@pytest.mark.parametrize("test_follows", [True, False])
def test_overshooting_by_a_sustained_rise(test_follows: bool) -> None:
    """Train and test loss rising 3 epochs running by 0.3 (> 0.2 · ln 4 ≈ 0.28) overshoot;
    the same train losses with a test loss that falls in between are not called that."""
    assert 0.2 * LN4 < 0.3
    test_at_4 = 0.75 if test_follows else 0.62  # 0.62: below epoch 3's 0.65
    epochs = [
        numbers(1, 0.7, 0.7, 0.7),
        numbers(2, 0.6, 0.6, 0.75),
        numbers(3, 0.65, 0.65, 0.72),
        numbers(4, 0.75, test_at_4, 0.7),
        numbers(5, 0.9, 0.9, 0.65),
    ]
    notes = observe_all(numbers(0, 1.4, 1.4, 0.2), epochs)
    assert [note.kind for note in notes[2:4]] == ["noise", "noise"]
    if test_follows:
        assert notes[4] == Observation(
            "overshoot",
            "Loss rose 3 epochs running (0.600 → 0.900), test loss with it: "
            "the steps overshoot; try a smaller learning rate",
        )
    else:
        assert notes[4].kind == "change"


def test_a_spike_is_named_and_left_out_of_the_trend() -> None:
    """A batch at 96.0 in an epoch averaging 0.6 and ending at a test loss of 0.31 is a spike;
    the next epoch is compared with the one before the spike."""
    notes = observe_all(
        numbers(0, 1.4, 1.4, 0.2),
        [
            numbers(1, 0.5, 0.5, 0.8),
            numbers(2, 0.3, 0.3, 0.9),
            numbers(3, 0.6, 0.31, 0.9),
            numbers(4, 0.28, 0.29, 0.91),
        ],
        worst={3: 96.0},
    )
    assert notes[2] == Observation(
        "spike",
        "One batch's loss spiked to 96.0, but the epoch ended with a test loss of 0.310: "
        "a noisy step, not divergence",
    )
    # 0.3 → 0.28 (epoch 2 → 4), not 0.6 → 0.28.
    assert notes[3] == Observation("change", "Loss −0.020 (−6.7%), test accuracy 91% (+1 point)")


@pytest.mark.parametrize(
    ("worst", "mean"),
    [
        (5.0, 0.3),  # batch size 1: a sample at 17× the mean, but under 10 × ln 4 ≈ 13.9
        (20.0, 2.5),  # above 10 × ln 4, but only 8× the epoch's mean
    ],
)
def test_ordinary_worst_batches_are_not_spikes(worst: float, mean: float) -> None:
    """A spike must be 10× both the epoch's mean loss and the loss of guessing."""
    notes = observe_all(
        numbers(0, 1.4, 1.4, 0.2),
        [numbers(1, 3.0, 3.0, 0.3), numbers(2, mean, mean, 0.5)],
        worst={2: worst},
    )
    assert notes[1].kind != "spike"


def test_trainer_attaches_notes_to_records() -> None:
    """The trainer's first record carries the 'First epoch' note with the baseline loss."""
    trainer = Trainer()
    record = trainer.train_epoch()
    assert record.observation_kind == "first"
    assert record.observation.startswith(
        f"First epoch: loss {trainer.baseline.train_loss:.3f} → {record.train_loss:.3f}"
    )


def test_divergence_among_uncollected_epochs_keeps_the_good_ones() -> None:
    """Two good epochs, then three at step size 50, collected at once: the good two are
    reported, the weights of epoch 2 are back, and the message names epoch 3."""
    trainer = Trainer(TrainingConfig(seed=1))
    for _ in range(2):
        while not trainer.train_batch():
            pass
    good = trainer.network.flat_weights().numpy().copy()
    for group in trainer.optimizer.param_groups:
        group["lr"] = 50.0
    for _ in range(3):
        while not trainer.train_batch():
            pass
    collected = trainer.collect()
    assert [r.epoch for r in collected.records] == [1, 2]
    assert collected.diverged is not None
    assert "diverged in epoch 3" in collected.diverged
    assert trainer.epoch == 2
    np.testing.assert_array_equal(trainer.network.flat_weights().numpy(), good)
    assert max(collected.positions) <= 2.0
    # The checkpoint handed over is the last good epoch's, not a diverged one.
    assert collected.checkpoint is not None
    assert collected.checkpoint.epoch == 2
    np.testing.assert_array_equal(collected.checkpoint.weights, good)

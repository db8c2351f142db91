"""How often each observation rule fires on real runs, and whether what they say holds.

Every task is trained 60 epochs at a few settings; the notes' kinds are counted into a table
(``pytest -s`` prints it). The assertions are the rules' sanity checks: no advice to lower the
default learning rate, no number printed as 0.000, no advice to take bigger steps at 95 %, and
overshooting is named where a run really overshoots.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

import pytest
import torch

from model.config import TrainingConfig
from model.observations import KINDS
from model.records import EpochRecord
from model.tasks import TASKS
from model.training import Trainer

EPOCHS = 60
#: Settings a learner tries, as changes from the defaults (Adam, learning rate 0.05, batch 32).
SETTINGS: dict[str, dict[str, Any]] = {
    "default": {},
    "lr 0.005": {"learning_rate": 0.005},
    "lr 0.5": {"learning_rate": 0.5},
    "SGD": {"optimizer": "SGD"},
    "batch 8": {"batch_size": 8},
    "GELU·Tanh": {"activations": ("GELU", "Tanh", "Softmax")},
    #: A step so large that ReLU units die (all of layer 2 in the first epoch on "smallest").
    "ReLU² lr 1": {"activations": ("ReLU", "ReLU", "Softmax"), "learning_rate": 1.0},
}
#: The settings that keep the default learning rate (0.05).
DEFAULT_RATE = ("default", "SGD", "batch 8", "GELU·Tanh")
#: A run built to overshoot: Adam at learning rate 2 (its loss climbs above ln 4 ≈ 1.39).
OVERSHOOTING = ("smallest", "Adam lr 2", {"learning_rate": 2.0}, 30)
#: A number written with decimals that are all zero: 0.000, −0.0, +0.00 (0.0004 does not match).
ZERO = re.compile(r"(?<![\d.])[−+-]?0\.0+(?![\d])")


def run(task: str, changes: dict[str, Any], epochs: int) -> list[EpochRecord]:
    """The records of ``epochs`` epochs of ``task`` with the default settings changed."""
    trainer = Trainer(TrainingConfig(task=task, **changes))
    return [trainer.train_epoch() for _ in range(epochs)]


@pytest.fixture(scope="module")
def runs() -> dict[tuple[str, str], list[EpochRecord]]:
    """Every task × setting, plus the overshooting run, trained once for the whole module."""
    torch.set_num_threads(1)  # the model process's setting: faster here, identical everywhere
    result = {
        (task, name): run(task, changes, EPOCHS)
        for task in TASKS
        for name, changes in SETTINGS.items()
    }
    task, name, changes, epochs = OVERSHOOTING
    result[task, name] = run(task, changes, epochs)
    return result


def test_print_the_table(runs: dict[tuple[str, str], list[EpochRecord]]) -> None:
    """How often each rule fired, per run (shown with ``pytest -s``); every kind is known."""
    header = f"{'task':<9} {'setting':<10}" + "".join(f"{kind[:9]:>10}" for kind in KINDS)
    lines = ["", header]
    for (task, name), records in runs.items():
        counts = Counter(r.observation_kind for r in records)
        assert set(counts) <= set(KINDS), counts
        assert sum(counts.values()) == len(records)
        lines.append(f"{task:<9} {name:<10}" + "".join(f"{counts[k]:>10}" for k in KINDS))
    print("\n".join(lines))


def test_default_learning_rate_is_never_called_overshooting(
    runs: dict[tuple[str, str], list[EpochRecord]],
) -> None:
    """At learning rate 0.05 (Adam, SGD, batch 8) no task is told to lower it."""
    for task in TASKS:
        for name in DEFAULT_RATE:
            advice = [
                f"{r.epoch}: {r.observation}"
                for r in runs[task, name]
                if r.observation_kind == "overshoot"
            ]
            assert not advice, (task, name, advice)


def test_no_number_is_printed_as_zero(runs: dict[tuple[str, str], list[EpochRecord]]) -> None:
    """A small change shows its digits (−0.00041), never 0.000 or −0.0 %."""
    assert ZERO.findall("0.000 −0.0% +0.00") == ["0.000", "−0.0", "+0.00"]
    assert ZERO.findall("−0.00041 (−0.31%) 10.0 0.050") == []
    for (task, name), records in runs.items():
        for r in records:
            assert not ZERO.search(r.observation), (task, name, r.epoch, r.observation)


def test_no_plateau_advice_at_high_accuracy(
    runs: dict[tuple[str, str], list[EpochRecord]],
) -> None:
    """'A larger learning rate may help' is never said at 95 % test accuracy or more."""
    for (task, name), records in runs.items():
        for r in records:
            if r.observation_kind == "plateau":
                assert r.test_accuracy < 0.95, (task, name, r.epoch, r.observation)
                assert "larger learning rate" in r.observation


def test_overshooting_is_named_when_it_happens(
    runs: dict[tuple[str, str], list[EpochRecord]],
) -> None:
    """Adam at learning rate 2 climbs above the loss of guessing: the notes say so."""
    task, name, _, _ = OVERSHOOTING
    records = runs[task, name]
    overshoots = [r for r in records if r.observation_kind == "overshoot"]
    assert len(overshoots) >= 3
    assert all("smaller learning rate" in r.observation for r in overshoots)
    assert all(r.train_loss > 1.386 for r in overshoots if "worse than" in r.observation)


def test_the_default_runs_learn_and_say_so(runs: dict[tuple[str, str], list[EpochRecord]]) -> None:
    """The default run on 'smallest' starts with 'first' and passes 90 % once."""
    kinds = [r.observation_kind for r in runs["smallest", "default"]]
    assert kinds[0] == "first"
    assert kinds.count("milestone") == 1


#: "3 of 4 ReLU units in layer 1": how a unit note names each layer it speaks of.
UNITS = re.compile(r"(\d) of 4 (\w+) units in layer (\d)")


def test_unit_notes_say_what_the_counts_are(
    runs: dict[tuple[str, str], list[EpochRecord]],
) -> None:
    """Every 'dead' or 'saturated' note names exactly the layers with such units, with their
    counts and activation, and is never given at 95 % test accuracy or more."""
    named: Counter[str] = Counter()
    for (task, name), records in runs.items():
        activations = SETTINGS.get(name, {}).get("activations", TrainingConfig().activations)
        for r in records:
            if r.observation_kind not in ("dead", "saturated"):
                continue
            named[r.observation_kind] += 1
            where = (task, name, r.epoch, r.observation)
            assert r.test_accuracy < 0.95, where
            counts = r.dead_units if r.observation_kind == "dead" else r.saturated_units
            expected = [
                (str(count), activations[layer], str(layer + 1))
                for layer, count in enumerate(counts)
                if count
            ]
            assert UNITS.findall(r.observation) == expected, where
            if r.observation_kind == "dead":
                assert re.search(r"(is|are) dead|(has|have) died", r.observation), where
            else:
                assert "saturated on every test sample (slope below 0.01)" in r.observation, where
    # Both kinds really fire in these runs, so the checks above were not vacuous.
    assert named["dead"] > 0
    assert named["saturated"] > 0


def test_dying_relu_units_are_named_in_a_real_run(
    runs: dict[tuple[str, str], list[EpochRecord]],
) -> None:
    """Adam at learning rate 1 kills a ReLU → ReLU network's units: the notes say so at once,
    and the runs with no ReLU layer never speak of dead units."""
    for task in TASKS:
        records = runs[task, "ReLU² lr 1"]
        assert any(r.dead_units != (0, 0) for r in records[:3]), task
        kinds = [r.observation_kind for r in records]
        assert "dead" in kinds[:3], (task, kinds[:3])
        assert "dead" in records[0].observation, task  # the first note adds the units
        no_relu = runs[task, "GELU·Tanh"]
        assert all(r.dead_units == (0, 0) for r in no_relu), task
        assert "dead" not in {r.observation_kind for r in no_relu}, task

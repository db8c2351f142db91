"""Plain-language notes on each epoch, derived from its numbers and the history before it.

Each note comes from one rule, named by a stable ``kind`` (see :data:`KINDS`), and says only
what the numbers support: a rise of a small loss is noise, not a reason to change the learning
rate; a plateau at high accuracy is convergence, not a reason to take bigger steps. The
thresholds were chosen from real runs of every task (``tests/test_model_observation_rules.py``
prints how often each rule fires). The tracker keeps only the few numbers its rules need, so its
memory stays constant however long training runs.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from model.activations import SATURATION_SLOPE
from model.records import EpochNumbers

#: Every rule, most important first: an epoch gets the note of the first rule that applies.
KINDS = (
    "first",  # the first epoch: where training started from
    "milestone",  # test accuracy reached 90 % for the first time
    "spike",  # one batch far above the rest, in an epoch that ended well
    "overshoot",  # the loss went up by too much, or for too long: steps too large
    "dead",  # hidden ReLU units died (z ≤ 0 on every test sample), or a plateau they explain
    "saturated",  # hidden units went flat (|f′(z)| < 0.01 everywhere), or a plateau they explain
    "overfitting",  # test loss rising for epochs while train loss falls
    "biggest_drop",  # the largest fall in train loss so far
    "converged",  # the loss barely moves and accuracy is as good as the task allows
    "plateau",  # the loss barely moves at a low accuracy: bigger steps may help
    "noise",  # a small rise: mini-batch noise
    "change",  # anything else: the plain numbers
)

ACCURACY_MILESTONE = 0.9
#: Test loss up while train loss falls this many epochs running is overfitting. Two happen by
#: chance in noisy runs (12 times in 300 epochs of the default run on "smallest", at 98 %);
#: three mostly where the test loss really turns upward (the overlapping clusters at small
#: learning rates, 7-24 times in 300 epochs, against 0-4 elsewhere).
OVERFITTING_EPOCHS = 3
#: Relative change in training loss over PLATEAU_EPOCHS below which learning has stalled.
PLATEAU_CHANGE = 0.005
PLATEAU_EPOCHS = 3
#: At or above this test (or train) accuracy a stalled loss has converged: larger steps would
#: not help. Real runs at the default settings stall at 94-99 % on the exact tasks.
HIGH_ACCURACY = 0.95
#: A test loss this much above the train loss means the data, not the step size, limits the
#: network (the overlapping clusters: 1.05 against 0.74), so a plateau there has converged too.
GENERALISATION_GAP = 1.25
#: A drop smaller than this is not worth celebrating as the "biggest so far".
MEANINGFUL_DROP = 0.001
#: Overshooting is a rise that is large in absolute terms, measured in losses of guessing at
#: random (ln 4 ≈ 1.39), or one that leaves the loss worse than guessing. Relative rises alone
#: say little: at the default learning rate a learnt task's loss wanders by 0.01-0.03 an epoch,
#: which is +30-50 % of its 0.05-0.1, while runs that do overshoot (Adam 0.5-2, SGD 5) sit at
#: 0.4-1.5 and rise by only 5-15 % at a time. Measured on 300-epoch runs of every task:
#:
#: * worse than guessing: the loss rose (by more than OVERSHOOT_NOISE) to above the chance
#:   loss, which only the runs at Adam 1-2 do (never a run at the default learning rate);
#: * a jump of OVERSHOOT_JUMP × chance (and OVERSHOOT_RISE of the loss) in one epoch: the
#:   largest single rise at the default learning rate was 0.44 (a batch-8 run, repaired the
#:   next epoch), below 0.69;
#: * train and test loss both rising OVERSHOOT_EPOCHS epochs running, by OVERSHOOT_TREND ×
#:   chance in all: default-rate runs at batch 1 and 8 reach 0.18-0.20 now and then, a run at
#:   Adam 0.5 climbs 0.49 (0.63 → 1.12) before falling back.
OVERSHOOT_NOISE = 0.05
OVERSHOOT_RISE = 0.25
OVERSHOOT_JUMP = 0.5
OVERSHOOT_TREND = 0.2
OVERSHOOT_EPOCHS = 3
#: A rise below this fraction of the chance loss is "slight", mini-batch noise: default-rate
#: runs rise by 0.01-0.09 (90th percentile) from one epoch to the next. A larger rise that is not
#: overshooting gets the plain numbers.
NOISE_RISE = 0.1
#: A batch loss this many times both the epoch's mean loss and the chance loss is a spike. At
#: batch size 1 the worst sample of an epoch is routinely 20× the mean (a 5.0 among 0.3s), so
#: the bar is set where about 2 % of such epochs reach it.
SPIKE_FACTOR = 10.0


@dataclass(frozen=True)
class Observation:
    """One epoch's note: the sentence and the rule (one of :data:`KINDS`) that chose it."""

    kind: str
    text: str


def format_number(value: float, decimals: int = 3) -> str:
    """``value`` with ``decimals`` decimals, or enough to show two significant digits.

    ``0.25 → 0.250`` but ``0.00041 → 0.00041``: a small loss change is never shown as 0.000.
    Below 1e-6 it switches to scientific notation (``3.2e-09``). A real minus sign is used.
    """
    magnitude = abs(value)
    if magnitude == 0:
        text = "0"
    elif magnitude < 1e-6:
        text = format(magnitude, ".1e")
    else:
        needed = 1 - math.floor(math.log10(magnitude))  # decimals for two significant digits
        text = format(magnitude, f".{max(decimals, needed)}f")
    return ("−" if value < 0 else "") + text


def _pair(before: float, after: float) -> tuple[str, str]:
    """Both numbers with enough decimals (up to 6) that a change between them shows."""
    for decimals in range(3, 7):
        texts = format_number(before, decimals), format_number(after, decimals)
        if texts[0] != texts[1]:
            break
    return texts


def _signed(value: float, decimals: int = 3) -> str:
    """``+0.012`` or ``−0.012`` with a real minus sign, as a teacher would write it."""
    return ("+" if value >= 0 else "") + format_number(value, decimals)


def _signed_percent(fraction: float) -> str:
    return _signed(fraction * 100, 1) + "%"


def _points(change: float) -> str:
    """A change of accuracy in percentage points: ``+10 points``, ``−1 point``, ``unchanged``."""
    points = change * 100
    if points == 0:
        return "unchanged"
    whole = round(points)
    text = ("+" if whole > 0 else "−") + str(abs(whole)) if whole else _signed(points, 1)
    return f"{text} {'point' if abs(whole) == 1 else 'points'}"


class ObservationTracker:
    """Turns each finished epoch into one sentence a learner can read aloud.

    Parameters
    ----------
    baseline:
        The numbers the run starts from (the untrained network, or a resumed epoch).
    chance_loss:
        The loss of guessing at random, ln(classes): the yardstick for "large" losses.
    """

    def __init__(
        self,
        baseline: EpochNumbers,
        chance_loss: float = math.log(4),
        hidden_activations: tuple[str, ...] = ("ReLU", "Sigmoid"),
    ) -> None:
        self._chance = chance_loss
        self._hidden = hidden_activations
        # The epochs the rules look back on, with the one being observed last. The baseline is
        # only the first epoch's "previous": its train loss is measured after the fact, not as
        # a mean over the epoch's batches, so trends do not start from it.
        self._recent: deque[EpochNumbers] = deque(
            [baseline], maxlen=max(PLATEAU_EPOCHS, OVERSHOOT_EPOCHS) + 1
        )
        self._observed = 0
        self._biggest_drop = 0.0
        self._test_rising = 0
        self._milestone_passed = False

    def state(self) -> dict[str, Any]:
        """What the rules remember, as JSON data (a session file keeps it, so the notes of a
        resumed run are those of a run that never stopped)."""
        from model.records_json import numbers_to_json

        return {
            "recent": [numbers_to_json(numbers) for numbers in self._recent],
            "observed": self._observed,
            "biggest_drop": self._biggest_drop,
            "test_rising": self._test_rising,
            "milestone_passed": self._milestone_passed,
        }

    def restore_state(self, state: Mapping[str, Any], path: str = "observer") -> None:
        """Take over a :meth:`state`; FieldError (a ValueError) names a bad field, and then
        nothing changed."""
        from model.json_fields import FieldError, as_float, as_int, as_list, field
        from model.records_json import read_numbers

        size = self._recent.maxlen or 1
        items = as_list(field(state, "recent", path), f"{path}.recent", size)
        if not items:
            raise FieldError(f"{path}.recent must hold at least one epoch")
        recent = [read_numbers(v, f"{path}.recent[{i}]", 10**9) for i, v in enumerate(items)]
        observed = as_int(field(state, "observed", path), f"{path}.observed", 0, 10**9)
        biggest = as_float(field(state, "biggest_drop", path), f"{path}.biggest_drop")
        rising = as_int(field(state, "test_rising", path), f"{path}.test_rising", 0, 10**9)
        passed = field(state, "milestone_passed", path)
        if not isinstance(passed, bool):
            raise FieldError(f"{path}.milestone_passed must be true or false")
        self._recent = deque(recent, maxlen=size)
        self._observed, self._biggest_drop = observed, biggest
        self._test_rising, self._milestone_passed = rising, passed

    def observe(self, current: EpochNumbers, worst_batch_loss: float = 0.0) -> Observation:
        """Return the note for ``current`` and remember it for the next epoch's rules.

        ``worst_batch_loss`` is the largest loss of a single batch in the epoch (0: unknown).
        """
        previous = self._recent[-1]
        drop = previous.train_loss - current.train_loss
        rising = current.test_loss > previous.test_loss and drop > 0
        self._test_rising = self._test_rising + 1 if rising else 0
        self._recent.append(current)
        self._observed += 1
        note = self._choose(previous, current, drop, worst_batch_loss)
        if note.kind == "spike":
            # One batch dominates this epoch's mean train loss: the next epoch is compared with
            # the one before, or its "drop" would be the spike going away.
            self._recent.pop()
            self._observed -= 1
            self._test_rising = 0
            return note
        self._biggest_drop = max(self._biggest_drop, drop)
        if note.kind == "milestone":
            self._milestone_passed = True
        return note

    def _choose(
        self, previous: EpochNumbers, current: EpochNumbers, drop: float, worst: float
    ) -> Observation:
        accuracy = current.test_accuracy
        if current.epoch == 1:
            units = self._units_sentence(current, "dead") or self._units_sentence(
                current, "saturated"
            )
            return Observation(
                "first",
                f"First epoch: loss {format_number(previous.train_loss)} → "
                f"{format_number(current.train_loss)}, "
                f"test accuracy {previous.test_accuracy:.0%} → {accuracy:.0%}"
                + (f". {units}" if units else ""),
            )
        if not self._milestone_passed and previous.test_accuracy < ACCURACY_MILESTONE <= accuracy:
            return Observation(
                "milestone", f"Test accuracy passed 90 % ({accuracy:.0%}): the pattern is learnt"
            )
        if worst > SPIKE_FACTOR * max(current.train_loss, self._chance):
            return Observation(
                "spike",
                f"One batch's loss spiked to {worst:.1f}, but the epoch ended with a test loss "
                f"of {format_number(current.test_loss)}: a noisy step, not divergence",
            )
        overshoot = self._overshoot(previous, current, drop)
        if overshoot is not None:
            return Observation("overshoot", overshoot)
        for kind in ("dead", "saturated"):
            if accuracy >= HIGH_ACCURACY:
                break
            if _total(current, kind) > _total(previous, kind):
                return Observation(kind, self._units_sentence(current, kind, newly=True))
            if _whole_layer(current, kind):
                # Every unit of a layer flat: the output no longer depends on the input, which
                # decides this run however the loss wanders.
                effect = (
                    "so every input gets the same answer"
                    if kind == "dead"
                    else "so the output barely depends on the input"
                )
                return Observation(
                    kind,
                    f"{self._units_sentence(current, kind)}, {effect}: "
                    f"test accuracy {accuracy:.0%}",
                )
        if self._test_rising >= OVERFITTING_EPOCHS:
            before, after = _pair(previous.test_loss, current.test_loss)
            return Observation(
                "overfitting",
                f"Test loss rising ({before} → {after}) while train loss falls, "
                f"{OVERFITTING_EPOCHS} epochs running: the network is memorising its training "
                "data (overfitting)",
            )
        if drop > self._biggest_drop and drop >= MEANINGFUL_DROP:
            return Observation(
                "biggest_drop",
                f"Biggest drop so far: loss −{format_number(drop)} "
                f"({drop / _positive(previous.train_loss):.0%}), test accuracy {accuracy:.0%}",
            )
        if self._is_plateau():
            return self._plateau(current)
        if 0 < -drop < NOISE_RISE * self._chance:
            return Observation(
                "noise",
                f"Loss up slightly ({_signed(-drop)}): mini-batch noise, the trend matters; "
                f"test accuracy {accuracy:.0%}",
            )
        return Observation(
            "change",
            f"Loss {_signed(-drop)} ({_signed_percent(-drop / _positive(previous.train_loss))}), "
            f"test accuracy {accuracy:.0%} "
            f"({_points(current.test_accuracy - previous.test_accuracy)})",
        )

    def _overshoot(self, previous: EpochNumbers, current: EpochNumbers, drop: float) -> str | None:
        """The overshoot sentence when the rise is more than noise, else None."""
        rise = -drop
        if rise <= OVERSHOOT_NOISE * previous.train_loss:
            return None
        advice = "the steps overshoot; try a smaller learning rate"
        if current.train_loss > self._chance:
            return (
                f"Loss rose to {format_number(current.train_loss)}, worse than the "
                f"{self._chance:.2f} of guessing at random: {advice}"
            )
        if rise >= OVERSHOOT_JUMP * self._chance and rise > OVERSHOOT_RISE * previous.train_loss:
            share = rise / _positive(previous.train_loss)
            return f"Loss jumped by {format_number(rise)} ({share:.0%}): {advice}"
        if self._observed <= OVERSHOOT_EPOCHS:
            return None
        window = list(self._recent)[-OVERSHOOT_EPOCHS - 1 :]
        train = [epoch.train_loss for epoch in window]
        test = [epoch.test_loss for epoch in window]
        climbing = all(a < b for a, b in pairwise(train)) and all(a < b for a, b in pairwise(test))
        if climbing and train[-1] - train[0] >= OVERSHOOT_TREND * self._chance:
            before, after = _pair(train[0], train[-1])
            return (
                f"Loss rose {OVERSHOOT_EPOCHS} epochs running ({before} → {after}), test loss "
                f"with it: {advice}"
            )
        return None

    def _plateau(self, current: EpochNumbers) -> Observation:
        accuracy = current.test_accuracy
        if max(accuracy, current.train_accuracy) >= HIGH_ACCURACY:
            return Observation(
                "converged", f"Converged: test accuracy {accuracy:.0%}, loss barely moves"
            )
        if current.test_loss > GENERALISATION_GAP * current.train_loss:
            return Observation(
                "converged",
                f"Converged at test accuracy {accuracy:.0%}: the loss barely moves and the test "
                f"loss ({format_number(current.test_loss)}) stays above the train loss "
                f"({format_number(current.train_loss)}), so the data, not the step size, "
                "limits it",
            )
        for kind in ("dead", "saturated"):
            if _total(current, kind):
                return Observation(
                    kind,
                    f"Plateau at test accuracy {accuracy:.0%}: "
                    f"{self._units_sentence(current, kind)}",
                )
        return Observation(
            "plateau",
            f"Plateau: loss moved under {PLATEAU_CHANGE:.1%} in {PLATEAU_EPOCHS} epochs at test "
            f"accuracy {accuracy:.0%}; a larger learning rate or another optimizer may help",
        )

    def _is_plateau(self) -> bool:
        # Every epoch of the window within the band, not just its ends: a loss that bounces
        # and happens to come back to where it was is not a plateau.
        if self._observed <= PLATEAU_EPOCHS:
            return False
        losses = [epoch.train_loss for epoch in self._recent][-PLATEAU_EPOCHS - 1 :]
        return max(losses) - min(losses) < PLATEAU_CHANGE * max(losses[0], 1e-12)

    def _units_sentence(self, numbers: EpochNumbers, kind: str, newly: bool = False) -> str:
        """ "3 of 4 ReLU units in layer 1 are dead on every test sample: …", or "" if none."""
        counts = numbers.dead_units if kind == "dead" else numbers.saturated_units
        parts = [
            f"{count} of {numbers.layer_width} {name} units in layer {layer}"
            for layer, (count, name) in enumerate(zip(counts, self._hidden, strict=False), 1)
            if count
        ]
        if not parts:
            return ""
        many = sum(counts) > 1
        where = " and ".join(parts)
        flows = "them" if many else "it"
        if kind == "dead":
            if newly:
                died = "have died" if many else "has died"
                return (
                    f"{where} {died}, {'they are' if many else 'it is'} 0 on every test sample, "
                    f"so nothing flows back through {flows}"
                )
            return (
                f"{where} {'are' if many else 'is'} dead on every test sample: nothing flows "
                f"back through {flows}"
            )
        verb = "are" if many else "is"
        return (
            f"{where} {verb} saturated on every test sample (slope below "
            f"{SATURATION_SLOPE:g}): almost no gradient flows back through "
            f"{'them' if many else 'it'}"
        )


def _whole_layer(numbers: EpochNumbers, kind: str) -> bool:
    counts = numbers.dead_units if kind == "dead" else numbers.saturated_units
    return numbers.layer_width in counts


def _total(numbers: EpochNumbers, kind: str) -> int:
    return sum(numbers.dead_units if kind == "dead" else numbers.saturated_units)


def _positive(loss: float) -> float:
    """A loss to divide by: float64 cross-entropy can reach exactly 0.0 on separable data."""
    return max(loss, 1e-12)

"""Plain-language notes on each epoch, derived from its numbers and the history before it.

The tracker keeps only the few numbers its rules need (not the whole history), so its memory
stays constant however long training runs.
"""

from __future__ import annotations

from collections import deque

from model.records import EpochNumbers

#: Relative change in training loss over PLATEAU_EPOCHS below which learning has stalled.
PLATEAU_CHANGE = 0.005
PLATEAU_EPOCHS = 3
ACCURACY_MILESTONE = 0.9
#: A drop smaller than this is not worth celebrating as the "biggest so far".
MEANINGFUL_DROP = 0.001
#: A rise in training loss beyond this fraction is more than mini-batch noise.
OVERSHOOT_RISE = 0.25


def _signed(value: float, spec: str = ".3f") -> str:
    """``+0.012`` or ``−0.012`` with a real minus sign, as a teacher would write it."""
    text = format(abs(value), spec)
    return ("−" if value < 0 else "+") + text


class ObservationTracker:
    """Turns each finished epoch into one sentence a learner can read aloud."""

    def __init__(self, baseline: EpochNumbers) -> None:
        self._recent: deque[EpochNumbers] = deque([baseline], maxlen=PLATEAU_EPOCHS + 1)
        self._biggest_drop = 0.0
        self._rising_epochs = 0

    def observe(self, current: EpochNumbers) -> str:
        """Return the note for ``current`` and remember it for the next epoch's rules."""
        previous = self._recent[-1]
        drop = previous.train_loss - current.train_loss
        rising = current.test_loss > previous.test_loss and drop > 0
        self._rising_epochs = self._rising_epochs + 1 if rising else 0
        note = self._choose(previous, current, drop)
        self._biggest_drop = max(self._biggest_drop, drop)
        self._recent.append(current)
        return note

    def _choose(self, previous: EpochNumbers, current: EpochNumbers, drop: float) -> str:
        accuracy_points = (current.test_accuracy - previous.test_accuracy) * 100
        if current.epoch == 1:
            return (
                f"First epoch: loss {previous.train_loss:.3f} → {current.train_loss:.3f}, "
                f"test accuracy {previous.test_accuracy:.0%} → {current.test_accuracy:.0%}"
            )
        if previous.test_accuracy < ACCURACY_MILESTONE <= current.test_accuracy:
            return f"Test accuracy passed 90 % ({current.test_accuracy:.0%}): the pattern is learnt"
        if self._rising_epochs >= 2:
            return (
                f"Test loss rising ({previous.test_loss:.3f} → {current.test_loss:.3f}) while "
                "train loss falls: the network is memorising its training data (overfitting)"
            )
        if drop > self._biggest_drop and drop >= MEANINGFUL_DROP:
            return (
                f"Biggest drop so far: loss −{drop:.3f} "
                f"({drop / previous.train_loss:.0%}), test accuracy {current.test_accuracy:.0%}"
            )
        if drop < 0 and -drop > OVERSHOOT_RISE * previous.train_loss:
            return (
                f"Loss rose by {-drop:.3f} ({-drop / previous.train_loss:.0%}): steps may be "
                "overshooting; try a smaller learning rate"
            )
        if self._is_plateau(current):
            if current.test_accuracy >= 0.99:
                return f"Converged: test accuracy {current.test_accuracy:.0%}, loss barely moves"
            return (
                f"Plateau: loss moved under {PLATEAU_CHANGE:.1%} in {PLATEAU_EPOCHS} epochs; "
                "a larger learning rate or another optimizer may help"
            )
        if drop < 0:
            return (
                f"Loss up slightly ({_signed(-drop)}): mini-batch noise, the trend matters; "
                f"test accuracy {current.test_accuracy:.0%}"
            )
        return (
            f"Loss {_signed(-drop)} ({_signed(-drop / previous.train_loss, '.1%')}), "
            f"test accuracy {current.test_accuracy:.0%} ({_signed(accuracy_points, '.0f')} points)"
        )

    def _is_plateau(self, current: EpochNumbers) -> bool:
        if len(self._recent) < PLATEAU_EPOCHS + 1:
            return False
        start = self._recent[-PLATEAU_EPOCHS].train_loss
        return abs(start - current.train_loss) < PLATEAU_CHANGE * max(start, 1e-12)

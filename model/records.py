"""What a finished epoch measured, as plain data that crosses process boundaries."""

from __future__ import annotations

from dataclasses import KW_ONLY, asdict, dataclass


@dataclass(frozen=True)
class EpochNumbers:
    """The measurements of one epoch (or of the untrained network, as epoch 0)."""

    epoch: int
    train_loss: float
    test_loss: float
    train_accuracy: float
    test_accuracy: float
    # Keyword-only: EpochRecord(epoch, …, "observation") must not fill these by position.
    _: KW_ONLY
    #: Per hidden layer: units that are dead (ReLU family, z ≤ 0) on every test sample.
    dead_units: tuple[int, ...] = ()
    #: Per hidden layer: other units whose |f′(z)| < 0.01 on every test sample (saturated).
    saturated_units: tuple[int, ...] = ()
    #: Units per hidden layer (the denominator of both fractions).
    layer_width: int = 4

    @property
    def dead_fraction(self) -> float:
        """The share of all hidden units that are dead over the whole test set."""
        return _share(self.dead_units, self.layer_width)

    @property
    def saturated_fraction(self) -> float:
        """The share of all hidden units that are saturated over the whole test set."""
        return _share(self.saturated_units, self.layer_width)


def _share(counts: tuple[int, ...], width: int) -> float:
    return sum(counts) / (width * len(counts)) if counts else 0.0


@dataclass(frozen=True)
class EpochRecord(EpochNumbers):
    """A finished epoch: its numbers and the sentence that explains them.

    ``observation_kind`` names the rule that chose the sentence (see
    :mod:`model.observations`), so that tests and tools can count them without parsing text.
    """

    observation: str = ""
    observation_kind: str = ""

    @classmethod
    def from_numbers(cls, numbers: EpochNumbers, observation: str, kind: str = "") -> EpochRecord:
        """Attach ``observation`` (chosen by the rule ``kind``) to an epoch's measurements."""
        return cls(**asdict(numbers), observation=observation, observation_kind=kind)

    def to_json(self) -> dict[str, float | int | str | list[int]]:
        """The command line's JSON row (``loss`` is training loss, ``accuracy`` test accuracy)."""
        return {
            "epoch": self.epoch,
            "loss": self.train_loss,
            "test_loss": self.test_loss,
            "accuracy": self.test_accuracy,
            "train_accuracy": self.train_accuracy,
            "dead_fraction": self.dead_fraction,
            "saturated_fraction": self.saturated_fraction,
            "dead_units": list(self.dead_units),
            "saturated_units": list(self.saturated_units),
            "observation": self.observation,
            "observation_kind": self.observation_kind,
        }

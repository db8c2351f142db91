"""The settings of a training run, torch-free so the window can build and check them.

The same :class:`TrainingConfig` always gives the same numbers: a whole room that types the same
settings sees identical curves.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from model.tasks import DEFAULT_TASK, TASKS

OPTIMIZER_NAMES = ("Adam", "SGD")
BATCH_SIZES = (8, 16, 32, 64, 128)
MAX_LEARNING_RATE = 100.0
MAX_SEED = 2**31 - 1
#: The seed example every handout starts from.
DEFAULT_INPUTS = (2.0, -1.0, 0.5, 3.0)


@dataclass(frozen=True)
class TrainingConfig:
    """Everything that decides a training run."""

    task: str = DEFAULT_TASK
    seed: int = 0
    optimizer: str = "Adam"
    learning_rate: float = 0.05
    batch_size: int = 32

    def validate(self) -> None:
        """Raise ValueError naming the first setting a learner must change, and why."""
        if self.task not in TASKS:
            raise ValueError(f"unknown task {self.task!r}; choose one of {', '.join(TASKS)}")
        if self.optimizer not in OPTIMIZER_NAMES:
            raise ValueError(
                f"unknown optimizer {self.optimizer!r}; choose one of {', '.join(OPTIMIZER_NAMES)}"
            )
        if not (math.isfinite(self.learning_rate) and 0 < self.learning_rate <= MAX_LEARNING_RATE):
            raise ValueError(
                f"learning rate must be above 0 and at most {MAX_LEARNING_RATE:g}, "
                f"not {_exact(self.learning_rate)}"
            )
        if not 1 <= self.batch_size <= 1024:
            raise ValueError(f"batch size must be between 1 and 1024, not {self.batch_size}")
        if not 0 <= self.seed <= MAX_SEED:
            raise ValueError(f"seed must be between 0 and {MAX_SEED}, not {self.seed}")


def _exact(value: float) -> str:
    """``value`` as short as ``:g`` writes it when that is exact, else with every digit.

    A message must not round a refused 100.0000001 into an allowed-looking 100.
    """
    short = f"{value:g}"
    return short if float(short) == value else repr(value)

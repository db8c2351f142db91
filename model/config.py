"""The settings of a training run, torch-free so the window can build and check them.

The same :class:`TrainingConfig` always gives the same numbers: a whole room that types the same
settings sees identical curves.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Any

from model.activations import (
    DEFAULT_ACTIVATIONS,
    DEFAULT_TEMPERATURE,
    check_pipeline,
    check_temperature,
)
from model.tasks import DEFAULT_TASK, TASKS

OPTIMIZER_NAMES = ("Adam", "SGD")
BATCH_SIZES = (8, 16, 32, 64, 128)
MAX_LEARNING_RATE = 100.0
MAX_SEED = 2**31 - 1
#: The seed example every handout starts from.
DEFAULT_INPUTS = (2.0, -1.0, 0.5, 3.0)
#: The training speeds offered besides full speed (None), in epochs per second.
PACES_PER_SECOND = (2.0, 5.0, 25.0)
#: Pipelines trained side by side at most (the first is the run the window traces).
MAX_COMPARED = 4


@dataclass(frozen=True)
class Pipeline:
    """The activations of a network, hidden layers first, and the output's temperature."""

    activations: tuple[str, ...] = DEFAULT_ACTIVATIONS
    temperature: float = DEFAULT_TEMPERATURE

    def validate(self) -> Pipeline:
        """This pipeline with canonical names; ValueError names what is wrong and the choices."""
        return Pipeline(check_pipeline(self.activations), check_temperature(self.temperature))

    @property
    def label(self) -> str:
        """How a legend names it: ``GELU → Tanh → Softmax`` (with ``T = 0.5`` when not 1)."""
        text = " → ".join(self.activations)
        return (
            text
            if self.temperature == DEFAULT_TEMPERATURE
            else f"{text} (T = {self.temperature:g})"
        )


@dataclass(frozen=True)
class TrainingConfig:
    """Everything that decides a training run."""

    task: str = DEFAULT_TASK
    seed: int = 0
    optimizer: str = "Adam"
    learning_rate: float = 0.05
    batch_size: int = 32
    #: The network's activations (hidden, hidden, output) and softmax's temperature.
    activations: tuple[str, ...] = DEFAULT_ACTIVATIONS
    temperature: float = DEFAULT_TEMPERATURE

    @property
    def pipeline(self) -> Pipeline:
        """The activations and temperature of this run."""
        return Pipeline(self.activations, self.temperature)

    def with_pipeline(self, pipeline: Pipeline) -> TrainingConfig:
        """The same run with another network: same task, data order, optimizer and start."""
        return replace(self, activations=pipeline.activations, temperature=pipeline.temperature)

    def to_json(self) -> dict[str, Any]:
        """The settings as the command line's JSON prints them."""
        return {
            "task": self.task,
            "seed": self.seed,
            "optimizer": self.optimizer,
            "learning_rate": self.learning_rate,
            "batch_size": self.batch_size,
            "activations": list(self.activations),
            "temperature": self.temperature,
        }

    def validate(self) -> None:
        """Raise ValueError naming the first setting a learner must change, and why."""
        canonical = self.pipeline.validate()  # raises for unknown names, order and T
        if canonical.activations != tuple(self.activations):
            # The network looks names up exactly; a parser makes them canonical first.
            raise ValueError(f"spell the activations {', '.join(canonical.activations)}")
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

"""Seeded data for each task in :mod:`model.tasks`, split 80/20 into train and test.

Every dataset comes from its own generator, so a whole room that picks the same seed sees
identical data and identical curves.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

import torch
from torch import Tensor

from model.network import DTYPE, WIDTH
from model.tasks import DEFAULT_TASK, TASKS, Task

SAMPLES = 512
TRAIN_FRACTION = 0.8


@dataclass(frozen=True)
class Dataset:
    """A seeded train/test split of one task's samples."""

    task: Task
    seed: int
    train_x: Tensor
    train_y: Tensor
    test_x: Tensor
    test_y: Tensor


def _uniform(generator: torch.Generator, count: int) -> Tensor:
    return torch.rand(count, WIDTH, generator=generator, dtype=DTYPE) * 6.0 - 3.0


def _smallest(generator: torch.Generator, count: int) -> tuple[Tensor, Tensor]:
    x = _uniform(generator, count)
    return x, x.argmin(dim=1)


def _largest(generator: torch.Generator, count: int) -> tuple[Tensor, Tensor]:
    x = _uniform(generator, count)
    return x, x.argmax(dim=1)


def _clusters(generator: torch.Generator, count: int) -> tuple[Tensor, Tensor]:
    # Centres 1.5 apart with unit noise overlap heavily: no boundary separates them, so a long
    # run fits the training noise and the test loss can turn upward.
    labels = torch.randint(0, WIDTH, (count,), generator=generator)
    centres = torch.eye(WIDTH, dtype=DTYPE) * 1.5
    noise = torch.randn(count, WIDTH, generator=generator, dtype=DTYPE)
    return centres[labels] + noise, labels


_GENERATORS: Mapping[str, Callable[[torch.Generator, int], tuple[Tensor, Tensor]]] = (
    MappingProxyType({"smallest": _smallest, "largest": _largest, "clusters": _clusters})
)
assert set(_GENERATORS) == set(TASKS), "every described task needs a generator"


def make_dataset(task_name: str = DEFAULT_TASK, seed: int = 0) -> Dataset:
    """Generate ``task_name``'s 512 samples from ``seed`` and split them 80/20."""
    if task_name not in TASKS:
        raise KeyError(f"unknown task {task_name!r}; choose one of {', '.join(TASKS)}")
    generator = torch.Generator().manual_seed(seed)
    x, y = _GENERATORS[task_name](generator, SAMPLES)
    cut = int(SAMPLES * TRAIN_FRACTION)
    return Dataset(TASKS[task_name], seed, x[:cut], y[:cut], x[cut:], y[cut:])

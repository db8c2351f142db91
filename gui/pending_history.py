"""Training history received but not drawn yet: batches and epochs waiting for the next frame.

Compared runs are kept apart by their run id, so that their curves can never mix.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from model.protocol import TrainingProgress
from model.records import EpochRecord
from model.trace import FloatArray


@dataclass
class RunHistory:
    """One run's batches and epochs, in order."""

    positions: FloatArray
    losses: FloatArray
    epochs: tuple[EpochRecord, ...]


@dataclass
class _Gathered:
    positions: list[FloatArray] = field(default_factory=list)
    losses: list[FloatArray] = field(default_factory=list)
    epochs: list[EpochRecord] = field(default_factory=list)

    def add(
        self, positions: FloatArray, losses: FloatArray, epochs: tuple[EpochRecord, ...]
    ) -> None:
        self.positions.append(positions)
        self.losses.append(losses)
        self.epochs.extend(epochs)

    def take(self) -> RunHistory:
        history = RunHistory(
            np.concatenate(self.positions) if self.positions else np.empty(0),
            np.concatenate(self.losses) if self.losses else np.empty(0),
            tuple(self.epochs),
        )
        self.positions.clear()
        self.losses.clear()
        self.epochs.clear()
        return history


class PendingHistory:
    """Collects progress messages' batches and epochs, per run, until the window draws them."""

    def __init__(self) -> None:
        self._runs: dict[int, _Gathered] = {}

    def add(self, progress: TrainingProgress) -> None:
        """Keep ``progress``'s batches and epochs (run 0 and compared runs) for :meth:`take`."""
        self._runs.setdefault(0, _Gathered()).add(
            progress.batch_positions, progress.batch_losses, progress.epochs
        )
        for run in progress.compared:
            self._runs.setdefault(run.run, _Gathered()).add(
                run.batch_positions, run.batch_losses, run.epochs
            )

    def take(self) -> tuple[FloatArray, FloatArray, tuple[EpochRecord, ...]]:
        """Run 0's history since the last call, in order; its collection starts over."""
        main = self._runs.pop(0, _Gathered()).take()
        return main.positions, main.losses, main.epochs

    def take_compared(self) -> dict[int, RunHistory]:
        """Every compared run's history since the last call, by run id."""
        runs = {run: gathered.take() for run, gathered in self._runs.items() if run != 0}
        self._runs = {run: gathered for run, gathered in self._runs.items() if run == 0}
        return runs

    def clear(self) -> None:
        """Forget everything not drawn yet (the run started over)."""
        self._runs.clear()

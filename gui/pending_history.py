"""Training history received but not drawn yet: batches and epochs waiting for the next frame."""

from __future__ import annotations

import numpy as np

from model.protocol import TrainingProgress
from model.records import EpochRecord
from model.trace import FloatArray


class PendingHistory:
    """Collects progress messages' batches and epochs until the window draws them."""

    def __init__(self) -> None:
        self._positions: list[FloatArray] = []
        self._losses: list[FloatArray] = []
        self._epochs: list[EpochRecord] = []

    def add(self, progress: TrainingProgress) -> None:
        """Keep ``progress``'s batches and epochs for the next :meth:`take`."""
        self._positions.append(progress.batch_positions)
        self._losses.append(progress.batch_losses)
        self._epochs.extend(progress.epochs)

    def take(self) -> tuple[FloatArray, FloatArray, tuple[EpochRecord, ...]]:
        """Everything collected since the last call, in order; the collection starts over."""
        positions = np.concatenate(self._positions) if self._positions else np.empty(0)
        losses = np.concatenate(self._losses) if self._losses else np.empty(0)
        epochs = tuple(self._epochs)
        self._positions.clear()
        self._losses.clear()
        self._epochs.clear()
        return positions, losses, epochs

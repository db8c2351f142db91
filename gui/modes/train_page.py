"""Train: the curves and the epoch table across the whole window, every observation in full."""

from __future__ import annotations

from gui.modes.base import ModePage
from model.trace import Trace


class TrainPage(ModePage):
    """``mode_train``: the shared training view, full width, under the key insight."""

    mode_name = "train"

    def enter(self, trace: Trace | None) -> None:
        """Take the training view (loss, accuracy, epoch table, observation)."""
        self.borrow(self.lab.training, self.body, stretch=1)
        super().enter(trace)

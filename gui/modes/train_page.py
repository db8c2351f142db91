"""Train: the curves and the epoch table across the whole window, every observation in full."""

from __future__ import annotations

from gui.modes.base import ModePage
from model.trace import Trace

#: The epoch table's share of the height here, and elsewhere (the loss plot has 3).
TABLE_SHARE = 4
DEFAULT_TABLE_SHARE = 2


class TrainPage(ModePage):
    """``mode_train``: the shared training view, full width, under the key insight."""

    mode_name = "train"

    def enter(self, trace: Trace | None) -> None:
        """Take the training view (loss, accuracy, epoch table, observation), the table
        as tall as the loss plot: the observations are what this page is for."""
        self.lab.training.set_table_share(TABLE_SHARE)
        self.lab.training.show_table(True)
        self.borrow(self.lab.training, self.body, stretch=1)
        super().enter(trace)

    def leave(self) -> None:
        """Beside the panels the plots come first again."""
        self.lab.training.set_table_share(DEFAULT_TABLE_SHARE)

"""Everything a handout shows, as plain data: no window and no model needed to print one."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from model.config import TrainingConfig
from model.records import EpochRecord
from model.trace import FloatArray, Trace

#: The files a handout can be written as: a picture or an A4 page.
HANDOUT_SUFFIXES = (".png", ".pdf")


@dataclass(frozen=True)
class HandoutData:
    """One run for a handout: its settings, the trace the panels show, the epochs measured,
    the batch losses (positions in epochs), and epoch 0 (the untrained network) if known.

    ``diverged`` says why training stopped early ("" when it did not).
    """

    config: TrainingConfig
    trace: Trace
    records: tuple[EpochRecord, ...]
    batch_positions: FloatArray = field(
        default_factory=lambda: np.empty(0), compare=False, repr=False
    )
    batch_losses: FloatArray = field(default_factory=lambda: np.empty(0), compare=False, repr=False)
    baseline: EpochRecord | None = None
    diverged: str = ""

    def __post_init__(self) -> None:
        if len(self.batch_positions) != len(self.batch_losses):
            raise ValueError(
                f"{len(self.batch_positions)} batch positions for {len(self.batch_losses)} losses"
            )
        if len(self.trace.stages) != len(self.config.activations) + 1:
            raise ValueError(
                f"the trace has {len(self.trace.stages)} stages; the pipeline "
                f"{self.config.pipeline.label} needs {len(self.config.activations) + 1}"
            )

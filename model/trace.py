"""What one input looks like at every stage of the network, as plain data.

A trace crosses thread and process boundaries, so it holds floats and numpy copies, never live
tensors, and it imports no torch.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class StageTrace:
    """One stage: its activation's name, the values after it, and what produced them.

    ``pre_activation`` is ``z = W·x + b`` for a layer and ``None`` for the input stage;
    ``weight`` and ``bias`` are copies of the layer's parameters at the time of the trace.
    """

    name: str
    values: tuple[float, ...]
    pre_activation: tuple[float, ...] | None = None
    weight: FloatArray | None = field(default=None, compare=False, repr=False)
    bias: FloatArray | None = field(default=None, compare=False, repr=False)

    @property
    def shape_text(self) -> str:
        """The learner-facing shape change, e.g. ``1 × 4 → 1 × 4``."""
        width_in = self.weight.shape[1] if self.weight is not None else len(self.values)
        return f"1 × {width_in} → 1 × {len(self.values)}"


@dataclass(frozen=True)
class Trace:
    """The whole pipeline for one input, first stage (the input itself) to last."""

    stages: tuple[StageTrace, ...]

    @property
    def prediction(self) -> int:
        """The predicted class: the index of the largest final output."""
        last = self.stages[-1].values
        return max(range(len(last)), key=last.__getitem__)

    def is_finite(self) -> bool:
        """True when every number in the trace is finite (nothing NaN is ever drawn)."""
        return all(
            math.isfinite(v)
            for stage in self.stages
            for v in (*stage.values, *(stage.pre_activation or ()))
        )

    def to_json(self) -> dict[str, Any]:
        """The command line's ``--json`` shape: stage names with values and pre-activations."""
        stages: list[dict[str, Any]] = []
        for stage in self.stages:
            entry: dict[str, Any] = {"name": stage.name, "values": list(stage.values)}
            if stage.pre_activation is not None:
                entry["pre_activation"] = list(stage.pre_activation)
            stages.append(entry)
        return {"stages": stages, "prediction": self.prediction}

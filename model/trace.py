"""What one input looks like at every stage of the network, as plain data.

A trace crosses thread and process boundaries, so it holds floats and numpy copies, never live
tensors, and it imports no torch. With a target class it also carries the loss and, per stage,
the gradient of that loss, computed by autograd in the model process.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from model.activations import SATURATION_SLOPE, get_activation

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True, eq=False)
class StageCurve:
    """An activation's curve f(z) and derivative f′(z) over a grid of z, for one stage.

    ``values`` and ``slopes`` have one row per curve: one row for an elementwise activation,
    one per unit for a normalizing one (unit i's output against its own score, the other
    scores held at this trace's values).
    """

    z: FloatArray
    values: FloatArray
    slopes: FloatArray


@dataclass(frozen=True)
class StageTrace:
    """One stage: its activation's name, the values after it, and what produced them.

    ``pre_activation`` is ``z = W·x + b`` for a layer and ``None`` for the input stage;
    ``weight`` and ``bias`` are copies of the layer's parameters at the time of the trace.
    ``derivative`` is f′(z) per unit (autograd; for Softmax ∂pᵢ/∂zᵢ); ``gradient`` is
    ∂L/∂z (∂L/∂x for the input stage) when the trace has a target, else None.
    """

    name: str
    values: tuple[float, ...]
    pre_activation: tuple[float, ...] | None = None
    weight: FloatArray | None = field(default=None, compare=False, repr=False)
    bias: FloatArray | None = field(default=None, compare=False, repr=False)
    derivative: tuple[float, ...] | None = None
    gradient: tuple[float, ...] | None = None
    curve: StageCurve | None = field(default=None, compare=False, repr=False)

    @property
    def shape_text(self) -> str:
        """The learner-facing shape change, e.g. ``1 × 4 → 1 × 4``."""
        width_in = self.weight.shape[1] if self.weight is not None else len(self.values)
        return f"1 × {width_in} → 1 × {len(self.values)}"

    def unit_states(self) -> tuple[str, ...]:
        """Per unit: "dead" (a ReLU-family unit at z ≤ 0), "saturated" (|f′(z)| < 0.01) or "".

        The input stage, a stage traced without derivatives, and the normalizing output have
        no states: a confident softmax has a small slope ∂pᵢ/∂zᵢ, yet cross-entropy's gradient
        p − y still flows back through it, so "saturated" would mislead there.
        """
        if self.pre_activation is None or self.derivative is None:
            return ()
        activation = get_activation(self.name)
        if activation.normalizes:
            return ("",) * len(self.values)
        states = []
        for z, slope in zip(self.pre_activation, self.derivative, strict=True):
            if activation.dies_below_zero and z <= 0:
                states.append("dead")
            elif abs(slope) < SATURATION_SLOPE:
                states.append("saturated")
            else:
                states.append("")
        return tuple(states)


@dataclass(frozen=True)
class Trace:
    """The whole pipeline for one input, first stage (the input itself) to last.

    ``target`` (0-based class) and ``loss`` (cross-entropy of the output against it) are set
    when the gradients were computed; ``temperature`` is the output softmax's T.
    """

    stages: tuple[StageTrace, ...]
    target: int | None = None
    loss: float | None = None
    temperature: float = 1.0

    @property
    def prediction(self) -> int:
        """The predicted class: the index of the largest final output."""
        last = self.stages[-1].values
        return max(range(len(last)), key=last.__getitem__)

    @property
    def activations(self) -> tuple[str, ...]:
        """The pipeline this trace went through (every stage after the input)."""
        return tuple(stage.name for stage in self.stages[1:])

    def is_finite(self) -> bool:
        """True when every number in the trace is finite (nothing NaN is ever drawn)."""
        numbers = [
            v
            for stage in self.stages
            for v in (*stage.values, *(stage.pre_activation or ()), *(stage.gradient or ()))
        ]
        if self.loss is not None:
            numbers.append(self.loss)
        return all(math.isfinite(v) for v in numbers)

    def to_json(self) -> dict[str, Any]:
        """The command line's ``--json`` shape: stage names with values and pre-activations.

        With a target, also ``target``, ``loss`` and every stage's ``gradient``.
        """
        stages: list[dict[str, Any]] = []
        for stage in self.stages:
            entry: dict[str, Any] = {"name": stage.name, "values": list(stage.values)}
            if stage.pre_activation is not None:
                entry["pre_activation"] = list(stage.pre_activation)
            if self.target is not None and stage.gradient is not None:
                entry["gradient"] = list(stage.gradient)
            stages.append(entry)
        result: dict[str, Any] = {"stages": stages, "prediction": self.prediction}
        if self.target is not None:
            result["target"] = self.target
            result["loss"] = self.loss
        return result

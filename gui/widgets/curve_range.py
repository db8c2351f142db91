"""Where an activation curve's plot ends: the y axis fitted to the curves, its ticks, and the
notes that say a curve goes on beyond it.

f and f′ share one y axis, fitted to the curve data once per activation (and temperature) and
clamped to [Y_FLOOR, Y_CEILING]. Every slope here lies in about [−0.2, 1.2] (Softmax's up to
1/(4T)): an axis stretched to ReLU's f(6) = 6 would flatten f′ onto the zero line. At the
widget's usual proportions, [−1.5, 3] against z in [−6, 6] also gives about as many pixels
per unit on both axes, so a slope of 1 looks like 45°. Where a curve leaves the plot a small
note ("f ↑") says that it goes on.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from model.activations import Activation
from model.trace import StageCurve

#: The y axis never reaches beyond these (see the module docstring for why).
Y_FLOOR = -1.5
Y_CEILING = 3.0
#: z ticks along the bottom: the grid the model sends spans [−6, 6].
Z_TICKS = (-6.0, -3.0, 0.0, 3.0, 6.0)
_Y_STEPS = (0.1, 0.2, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0)


@dataclass(frozen=True)
class YRange:
    """The y axis: ``low`` … ``high``; ``open_low``/``open_high`` when a curve goes beyond."""

    low: float
    high: float
    open_low: bool = False
    open_high: bool = False


def fit_y_range(curve: StageCurve | None, activation: Activation | None) -> YRange:
    """The axis for ``curve`` (or, before any curve, for ``activation``'s output range)."""
    known = [0.0, 1.0]  # the zero line, and a slope of 1 for reference
    if activation is not None:
        known += [v for v in activation.output_range if v is not None]
    if curve is None:
        unbounded = activation is None or activation.output_range[1] is None
        return YRange(min(known), Y_CEILING if unbounded else max(known), open_high=unbounded)
    data_low = min(float(curve.values.min()), float(curve.slopes.min()), *known)
    data_high = max(float(curve.values.max()), float(curve.slopes.max()), *known)
    return YRange(
        max(data_low, Y_FLOOR),
        min(data_high, Y_CEILING),
        open_low=data_low < Y_FLOOR,
        open_high=data_high > Y_CEILING,
    )


def y_ticks(low: float, high: float, pixels_per_unit: float, text_px: float) -> list[float]:
    """Round values in [low, high], at most six, at the finest step that leaves a little room
    between their texts (in a short plot, finer ticks printed over each other)."""
    for step in _Y_STEPS:
        first, last = math.ceil(low / step - 1e-9), math.floor(high / step + 1e-9)
        if step * pixels_per_unit >= 1.15 * text_px and 2 <= last - first + 1 <= 6:
            return [round(i * step, 10) for i in range(first, last + 1)]
    return [0.0]


def dense_points(curve: StageCurve) -> np.ndarray:
    """Every curve, sampled three times as finely (numbers keep off the lines between)."""
    fine = np.linspace(curve.z[0], curve.z[-1], 3 * len(curve.z))
    rows = [np.interp(fine, curve.z, row) for row in (*curve.values, *curve.slopes)]
    return np.vstack([np.tile(fine, len(rows)), np.concatenate(rows)])


def corner_notes(curve: StageCurve, y_range: YRange) -> list[tuple[str, str]]:
    """Corner notes for curves that leave the plot: "f ↑" where f goes on above it."""
    notes = []
    data = np.vstack([curve.values, curve.slopes])
    for edge, excess, arrow in (
        ("top", data - y_range.high, "↑"),
        ("bottom", y_range.low - data, "↓"),
    ):
        beyond = excess > 1e-9
        rows = len(curve.values)
        names = [n for n, part in (("f", beyond[:rows]), ("f′", beyond[rows:])) if part.any()]
        if not names:
            continue
        at_left, at_right = bool(beyond[:, 0].any()), bool(beyond[:, -1].any())
        # In a corner the curve has left empty: right of where it rises off the top (ReLU),
        # left of where it falls off the bottom (Identity).
        if at_left != at_right:
            corner = "left" if at_left else "right"
        else:
            corner = "right" if edge == "top" else "left"
        notes.append((f"{edge}-{corner}", f"{', '.join(names)} {arrow}"))
    return notes

"""Grid lines that cost nothing to repaint.

pyqtgraph's ``showGrid`` draws translucent lines through its axes: measured here at ~8 ms per
repaint of a 400×250 plot, more than the curves themselves. A few opaque, light
``InfiniteLine`` items look the same and repaint in ~0.05 ms.
"""

from __future__ import annotations

import math

import pyqtgraph as pg

GRID_COLOUR = "#e4e7eb"
_NICE_LIMITS = (1.0, 1.5, 2.0, 3.0, 4.0, 5.0, 6.0, 8.0)


def nice_limit(value: float) -> float:
    """The smallest round number (1, 1.5, 2, 3, 4, 5, 6, 8 × 10^k) ≥ ``value``, at least 1.

    Ranges that only grow jump between these, so axes stay readable and rarely move.
    """
    if value <= 1.0:
        return 1.0
    exponent = math.floor(math.log10(value))
    for step in _NICE_LIMITS:
        limit = step * 10.0**exponent
        if limit >= value:
            return limit
    return 10.0 ** (exponent + 1)


def nice_step(span: float, lines: int = 5) -> float:
    """A round step (1, 2 or 5 × 10^k) giving about ``lines`` lines across ``span``."""
    if span <= 0 or not math.isfinite(span):
        return 1.0
    raw = span / lines
    exponent = math.floor(math.log10(raw))
    for factor in (1.0, 2.0, 5.0, 10.0):
        step = factor * 10.0**exponent
        if step >= raw:
            return step
    return 10.0 ** (exponent + 1)


class LightGrid:
    """Horizontal and/or vertical grid lines for one plot, re-spaced when its range changes."""

    def __init__(
        self, plot: pg.PlotWidget, *, horizontal: bool = True, vertical: bool = True
    ) -> None:
        self._plot = plot
        self._horizontal = horizontal
        self._vertical = vertical
        self._lines: list[pg.InfiniteLine] = []

    def set_ranges(self, x: tuple[float, float] | None, y: tuple[float, float] | None) -> None:
        """Place lines at round values inside ``x`` (vertical) and ``y`` (horizontal)."""
        positions: list[tuple[float, int]] = []
        if self._vertical and x is not None:
            positions += [(v, 90) for v in _ticks(*x)]
        if self._horizontal and y is not None:
            positions += [(v, 0) for v in _ticks(*y)]
        while len(self._lines) < len(positions):
            line = pg.InfiniteLine(pen=pg.mkPen(GRID_COLOUR, width=1), movable=False)
            line.setZValue(-100)  # behind bars and curves
            self._plot.addItem(line, ignoreBounds=True)
            self._lines.append(line)
        for line, (value, angle) in zip(self._lines, positions, strict=False):
            line.setAngle(angle)
            line.setPos(value)
            line.show()
        for line in self._lines[len(positions) :]:
            line.hide()


def _ticks(low: float, high: float) -> list[float]:
    step = nice_step(high - low)
    first = math.ceil(low / step)
    last = math.floor(high / step)
    return [i * step for i in range(first, last + 1) if i != 0]

"""The gradient row under a stage's value bars: ∂L/∂z per unit (∂L/∂x for the input).

Hidden until asked for. Its bars have one colour whatever their sign (the direction shows
it); a dead or flat unit's word stands across the zero line from its bar. The range is
symmetric and only grows, from ±GRADIENT_FLOOR, at any scale (gradients are often hundredths).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, QTimer

from gui import theme
from gui.number_format import bar_value_spellings, spellings
from gui.widgets.bar_plot import (
    BAR_WIDTH,
    PEN_NONE,
    X_MARGIN,
    BarPlot,
    ghost_brush,
    label_margins,
    solid_brush,
    style_axis,
    tick_metrics,
    tick_text,
)
from gui.widgets.light_grid import nice_limit
from gui.widgets.plot_labels import Label, PlotLabels
from gui.widgets.stage_text import NO_GRADIENT, STATE_WORDS

#: The gradient range never shrinks below ±this: a reset range grows again from here.
GRADIENT_FLOOR = 1e-3
GRADIENT_MIN_HEIGHT = 48


def growing_limit(reach: float, floor: float) -> float:
    """The smallest round number (1, 1.5, 2, 3, 4, 5, 6, 8 × 10^k) ≥ ``reach``, at least
    ``floor``: :func:`nice_limit` at any scale (gradients are often hundredths)."""
    if not reach > floor:
        return floor
    scale = 10.0 ** math.floor(math.log10(reach))
    return round(nice_limit(reach / scale) * scale, 12)


def gradient_spellings(value: float, limit: float) -> tuple[str, ...]:
    """A gradient's label: three digits at the top of its range ``±limit`` (0.0289 in ±0.06,
    0.686 in ±1), then fewer, as the bars' values do; exponents from 1000 on."""
    if abs(value) >= 1000:
        return bar_value_spellings(value)
    decimals = min(6, max(1, math.floor(-math.log10(limit)) + 3))
    fewest = 0 if abs(value) >= 10 else 1
    return spellings(value, [f".{d}f" for d in range(decimals, fewest - 1, -1)])


class GradientPlot(BarPlot):
    """The gradient bars of the stage panel ``key`` (``stage_gradient_{key}``), ``count``
    of them; hidden until the panel shows it."""

    def __init__(self, key: str, count: int) -> None:
        super().__init__()
        self._count = count
        self.limit = GRADIENT_FLOOR
        #: The gradients as drawn; empty when the stage had none.
        self.heights: tuple[float, ...] = ()
        self.axis_ticks: list[tuple[float, str]] = []
        self._caption = ""
        self._tip = NO_GRADIENT
        self.setObjectName(f"stage_gradient_{key}")
        self.setMinimumHeight(GRADIENT_MIN_HEIGHT)
        self.setVisible(False)
        item = self.getPlotItem()
        item.setXRange(-X_MARGIN, count - 1 + X_MARGIN, padding=0)
        item.hideAxis("bottom")  # the bars are named once, under the value bars above
        self._bars = pg.BarGraphItem(
            x=np.arange(count, dtype=float),
            height=np.zeros(count),
            width=BAR_WIDTH,
            brush=solid_brush(theme.GRADIENT),
            pen=PEN_NONE,
        )
        self.addItem(self._bars)
        self._zero_line = pg.InfiniteLine(pos=0, angle=0)
        self.addItem(self._zero_line)
        self.gradient_labels = PlotLabels(point_size=9, bold=True)
        self.addItem(self.gradient_labels)
        self._style()
        theme.follow(self._apply_theme)

    def _apply_theme(self) -> None:
        """Restyle for the theme; once laid out anew, the panel refits (margins and the
        shared axis width are measured in pixels)."""
        self._style()
        QTimer.singleShot(0, self, self.resized.emit)

    def _style(self) -> None:
        """The axis font and colours at the theme's size."""
        style_axis(self.getPlotItem().getAxis("left"), 8, tickLength=0)
        self._zero_line.setPen(pg.mkPen(theme.MUTED, width=1))

    def reset_limit(self) -> None:
        """Shrink the range back to where it starts (±GRADIENT_FLOOR)."""
        self.limit = GRADIENT_FLOOR

    def set_words(self, caption: str, tip: str) -> None:
        """The axis caption ("∂L/∂z" or "∂L/∂x") and what it means, as the tooltip."""
        self._caption, self._tip = caption, tip
        self.setToolTip(tip)

    def set_gradient(self, gradient: Sequence[float] | None) -> bool:
        """Keep ``gradient`` to draw (none if it is missing or not finite); True if the
        range grew to hold it."""
        if gradient is not None and not all(math.isfinite(g) for g in gradient):
            gradient = None
        heights = tuple(gradient) if gradient is not None else ()
        grew = False
        if heights:
            reach = max(abs(g) for g in heights)
            if reach > self.limit:
                self.limit = growing_limit(reach, GRADIENT_FLOOR)
                grew = True
        self.heights = heights
        tip = self._tip if heights else NO_GRADIENT
        if self.toolTip() != tip:
            self.setToolTip(tip)
        return grew

    def apply_range(self) -> None:
        """Fit the y range, the label bounds and the ticks (``axis_ticks``) to the plot."""
        limit = self.limit
        below, above = label_margins(self, 2 * limit, 1, 1)
        # The caption stands on the axis at zero (the zero line marks it), as a fraction on two
        # lines: on one, "∂L/∂z" made both axes (they share a width) so wide that a label such
        # as "−0.2" no longer fitted beside its bar. The range's top end goes above it where
        # it does not touch; the bottom end mirrors it and is left out, for the same width.
        caption = self._caption.replace("/", "\n")
        pixels = self.getViewBox().height()
        spacing = pixels * limit / (2 * limit + below + above)
        ticks = [(0.0, caption)]
        if spacing >= 1.5 * tick_metrics().height() + 2:
            ticks.append((limit, tick_text(limit)))
        self.axis_ticks = ticks
        self.gradient_labels.set_bounds(
            QRectF(-X_MARGIN, -limit - below, self._count, 2 * limit + below + above)
        )
        self.getPlotItem().setYRange(-limit - below, limit + above, padding=0)

    def show_labels(self, states: Sequence[str]) -> None:
        """Print the gradients and the units' ``states`` words."""
        self.gradient_labels.set_labels(self._labels_for(states))

    def draw_gradient(self, states: Sequence[str], stale: bool) -> None:
        """Draw the gradients kept (grey when ``stale``) with their numbers and words."""
        heights = self.heights or (0.0,) * self._count
        brush = ghost_brush() if stale else solid_brush(theme.GRADIENT)
        self._bars.setOpts(height=np.asarray(heights), brush=brush)
        self.show_labels(states)
        # Only a shown plot counts versions: a hidden one never paints, and must not seem
        # to lag behind to whoever waits for every plot to have painted (the benchmark).
        self.shown_version += 1

    def show_stale(self) -> None:
        """Grey the bars: the numbers no longer follow the inputs."""
        self._bars.setOpts(brush=ghost_brush())

    def _labels_for(self, states: Sequence[str]) -> list[Label]:
        """Each gradient at its bar's end; a dead or flat unit's word across the zero line
        from it, where its own bar never reaches (no extra line of height needed)."""
        limit = self.limit
        labels = []
        for i, g in enumerate(self.heights):
            first, *rest = gradient_spellings(g, limit)
            anchor = min(max(g, -limit), limit)
            labels.append(Label(float(i), anchor, first, above=g >= 0, shorter=tuple(rest)))
        states = states or ("",) * len(self.heights)  # the input has none
        gradients = self.heights or (0.0,) * len(states)
        for i, (state, g) in enumerate(zip(states, gradients, strict=True)):
            if state:
                labels.append(Label(float(i), 0.0, STATE_WORDS[state], above=g < 0, muted=True))
        return labels

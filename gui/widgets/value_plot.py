"""A stage's values as bars, with the pre-activations z behind them as dashed ghosts.

Numbers stand at each bar's end, z along the bottom edge in grey, the bar names under the
axis. A bounded activation keeps its fixed range; an unbounded one a symmetric range that
only grows (from ±1, until reset), so bars don't jump. A unit that passes almost no gradient
back (dead or saturated) has its bars hatched.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt, QTimer
from PySide6.QtGui import QFontMetricsF, QPen

from gui import theme
from gui.number_format import bar_value_spellings, z_spellings
from gui.widgets.bar_plot import (
    BAR_WIDTH,
    PEN_NONE,
    X_MARGIN,
    BarPlot,
    axis_ticks,
    fills,
    ghost_brush,
    label_margins,
    style_axis,
)
from gui.widgets.light_grid import nice_limit
from gui.widgets.plot_labels import Label, PlotLabels

GHOST_WIDTH = 0.8
#: Plot heights: the value bars alone, and value bars over a gradient row (which together
#: should add little to the panel, so that the window still fits 1024×700).
PLOT_MIN_HEIGHT = 100
PLOT_MIN_HEIGHT_WITH_GRADIENT = 70
#: Below this width a plot's axis shows only its ends and zero.
NARROW_PLOT_PX = 180


class ValuePlot(BarPlot):
    """The value bars of the stage panel ``key`` (``stage_plot_{key}``), ``count`` of them.

    ``has_pre_activation`` is False for the input stage: no z bars, no row of z numbers.
    """

    def __init__(self, key: str, count: int, *, has_pre_activation: bool) -> None:
        super().__init__()
        self._count = count
        #: The unbounded range's half height; ``fixed_range`` wins when set (bounded).
        self.limit = 1.0
        self.fixed_range: tuple[float, float] | None = None
        self.has_pre_activation = has_pre_activation
        self.axis_ticks: list[tuple[float, str]] = []
        self._names: tuple[str, ...] = ()
        self._ghost_pens: list[QPen] = []
        self.setObjectName(f"stage_plot_{key}")
        self.setMinimumHeight(PLOT_MIN_HEIGHT)
        self.getPlotItem().setXRange(-X_MARGIN, count - 1 + X_MARGIN, padding=0)
        # No grid lines: next to a number, a line's end reads as a minus sign ("4.05" seen as
        # "−4.05"). The zero line and the axis ticks carry the scale.
        # Ghost bars (z, before the activation) and value bars are one item: one picture and
        # one bounding box to maintain; the ghosts come first so the values draw on top.
        self._bars = pg.BarGraphItem(
            x=np.tile(np.arange(count, dtype=float), 2),
            height=np.zeros(2 * count),
            width=np.repeat([GHOST_WIDTH, BAR_WIDTH], count),
        )
        self.addItem(self._bars)
        self._zero_line = pg.InfiniteLine(pos=0, angle=0)
        self.addItem(self._zero_line)
        self.value_labels = PlotLabels(point_size=9, bold=True)
        self.addItem(self.value_labels)
        self._style()
        theme.follow(self._apply_theme)

    def _apply_theme(self) -> None:
        """Restyle for the theme; once the plot is laid out anew, the panel refits (label
        margins and axis widths are measured in pixels)."""
        self._style()
        QTimer.singleShot(0, self, self.resized.emit)

    def _style(self) -> None:
        """Axis fonts and colours at the theme's size."""
        item = self.getPlotItem()
        # No tick marks: a tick beside a number near the axis read as its minus sign.
        style_axis(item.getAxis("left"), 8, tickLength=0)
        bottom = item.getAxis("bottom")
        style_axis(bottom, 9)
        bottom.setHeight(round(QFontMetricsF(theme.value_font(9)).height() + 8))
        self._zero_line.setPen(pg.mkPen(theme.MUTED, width=1))
        ghost_pen = QPen(theme.brush(theme.GHOST))
        ghost_pen.setStyle(Qt.PenStyle.DashLine)
        ghost_pen.setCosmetic(True)
        self._ghost_pens = [ghost_pen] * self._count

    def reset_limit(self) -> None:
        """Shrink an unbounded range back to where it starts (±1)."""
        self.limit = 1.0

    def set_names(self, labels: Sequence[str]) -> None:
        """Name the bars (along the bottom of the plot), one name per bar."""
        labels = tuple(labels)
        if len(labels) != self._count:
            raise ValueError(f"a panel of {self._count} bars needs {self._count} labels")
        if labels != self._names:
            self._names = labels
            bottom = self.getPlotItem().getAxis("bottom")
            bottom.setTicks([[(float(i), label) for i, label in enumerate(labels)]])

    # Ranges ---------------------------------------------------------------------------------

    def value_range(self) -> tuple[float, float]:
        """The visible value range of the bars."""
        if self.fixed_range is not None:
            return self.fixed_range
        return (-self.limit, self.limit)

    def grow(self, values: Sequence[float], pre: Sequence[float] | None) -> bool:
        """Grow an unbounded range to hold ``values`` and ``pre``; True if it grew."""
        if self.fixed_range is not None:
            return False
        reach = max(abs(v) for v in (*values, *(pre or ())))
        if reach > self.limit:
            self.limit = nice_limit(reach)
            return True
        return False

    def label_room(self) -> tuple[float, float]:
        """Room below and above the value range for lines of labels, in data units."""
        low, high = self.value_range()
        below = (1 if low < 0 else 0) + (1 if self.has_pre_activation else 0)
        return label_margins(self, high - low, below, 1)

    def apply_range(self) -> None:
        """Fit the y range, the label bounds and the ticks (``axis_ticks``) to the plot."""
        low, high = self.value_range()
        below, above = self.label_room()
        # In a narrow plot every pixel of the axis is taken from the bars' labels: there the
        # scale's ends and zero are enough ("−0.5" cost Tanh's gradient labels their room).
        most = 2 if self.width() < NARROW_PLOT_PX else 4
        # The ticks share the plot's height with the lines of labels above and below.
        range_px = self.getViewBox().height() * (high - low) / (high - low + below + above)
        self.axis_ticks = axis_ticks(low, high, range_px, most)
        self.value_labels.set_bounds(
            QRectF(-X_MARGIN, low - below, self._count, (high - low) + below + above)
        )
        self.getPlotItem().setYRange(low - below, high + above, padding=0)

    # Drawing --------------------------------------------------------------------------------

    def show_labels(self, values: Sequence[float], pre: Sequence[float] | None) -> None:
        """Print ``values`` at their bars' ends and ``pre`` (z) along the bottom edge."""
        self.value_labels.set_labels(self._labels_for(values, pre))

    def draw_bars(
        self,
        values: Sequence[float],
        pre: Sequence[float] | None,
        states: Sequence[str],
        predicted: int | None,
    ) -> None:
        """Draw ``values`` over their ``pre`` ghosts, hatched where ``states`` says the unit
        passes no gradient back, ``predicted`` in the predicted class's colour."""
        states = states or ("",) * len(values)
        ghost_brushes = [ghost_brush(hatched=bool(s)) for s in states]
        brushes, pens = [], []
        for i, (v, state) in enumerate(zip(values, states, strict=True)):
            colour = (
                theme.PREDICTED if i == predicted else theme.POSITIVE if v >= 0 else theme.NEGATIVE
            )
            solid, hatched, outline = fills(colour)
            brushes.append(hatched if state else solid)
            pens.append(outline if state else PEN_NONE)
        ghosts = list(pre) if pre is not None else [0.0] * len(values)
        self._bars.setOpts(
            height=np.asarray(ghosts + list(values)),
            brushes=ghost_brushes + brushes,
            pens=self._ghost_pens + pens,
        )

    def clear_bars(self) -> None:
        """No bars and no numbers (those shown belonged to another activation)."""
        self._bars.setOpts(
            height=np.zeros(2 * self._count),
            brushes=[ghost_brush()] * (2 * self._count),
            pens=self._ghost_pens + [PEN_NONE] * self._count,
        )
        self.value_labels.set_labels(())
        self.shown_version += 1

    def show_stale(self) -> None:
        """Grey every bar: the numbers no longer follow the inputs."""
        self._bars.setOpts(
            brushes=[ghost_brush()] * (2 * self._count),
            pens=self._ghost_pens + [PEN_NONE] * self._count,
        )

    @property
    def bar_colours(self) -> tuple[str, ...]:
        """The fill colour of each value bar, as ``#rrggbb``."""
        brushes = self._bars.opts["brushes"][self._count :]
        return tuple(brush.color().name() for brush in brushes)

    @property
    def hatched(self) -> tuple[bool, ...]:
        """Per value bar: drawn hatched (its unit is dead or saturated)."""
        brushes = self._bars.opts["brushes"][self._count :]
        return tuple(brush.style() != Qt.BrushStyle.SolidPattern for brush in brushes)

    def _labels_for(self, values: Sequence[float], pre: Sequence[float] | None) -> list[Label]:
        low, high = self.value_range()
        labels = []
        ghosts = pre if pre is not None else values
        for i, (v, z) in enumerate(zip(values, ghosts, strict=True)):
            first, *rest = bar_value_spellings(v)
            # At the bar's own end, kept off the dashed end of the z bar behind it (a dash
            # beside "0.213" read as "−0.213"), so a number stays beside its own bar.
            anchor = min(max(v, low), high)
            ghost_end = min(max(z, low), high) if z != v else None
            labels.append(
                Label(
                    float(i), anchor, first, above=v >= 0, shorter=tuple(rest), clear_of=ghost_end
                )
            )
        if pre is not None:
            # z along the bottom edge, in grey: what the activation was given.
            bottom = low - self.label_room()[0]
            for i, z in enumerate(pre):
                first, *rest = z_spellings(z)
                labels.append(Label(float(i), bottom, first, muted=True, shorter=tuple(rest)))
        return labels

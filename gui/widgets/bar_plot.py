"""The plot that bar panels draw on, and the arithmetic of their axes.

:class:`BarPlot` records when it last painted (the benchmark and the tests wait on it). The
helpers keep every pixel for the bars: ticks spaced so their texts never meet, axes just wide
enough for them, and room for lines of labels measured in pixels, not guessed in data units.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence

import pyqtgraph as pg
from PySide6.QtCore import QSize, Signal
from PySide6.QtGui import QFontMetricsF, QPaintEvent, QResizeEvent

from gui import theme
from gui.number_format import minus_signs
from gui.widgets.light_grid import nice_step
from gui.widgets.plot_labels import GAP_PX

BAR_WIDTH = 0.6
#: The bars' x range: half a slot either side of bars 0 … n−1.
X_MARGIN = 0.5
#: Height of one line of labels, as a fraction of the value range.
LABEL_LINE = 0.13

PEN_NONE = pg.mkPen(None)
GHOST_BRUSH = pg.mkBrush(theme.brush(theme.GHOST, 50))


class BarPlot(pg.PlotWidget):  # type: ignore[misc]  # pyqtgraph is untyped
    """A PlotWidget that records when it last finished painting, and which values it showed.

    The benchmark times "edit → every panel repainted" with these; tests use them to know a
    frame was really drawn, not just scheduled.

    Signals
    -------
    painted()
        A frame has been drawn (``painted_version`` and ``painted_at`` are up to date).
    resized()
        The plot's size changed (label margins are measured in pixels).
    """

    painted = Signal()
    resized = Signal()

    def __init__(self) -> None:
        super().__init__()
        # Bars are axis-aligned: antialiasing would only cost time (text keeps its own).
        self.setAntialiasing(False)
        self.setMenuEnabled(False)
        self.setMouseEnabled(x=False, y=False)
        self.hideButtons()
        self.shown_version = 0
        self.painted_version = 0
        self.painted_at = 0.0

    def sizeHint(self) -> QSize:
        """Modest: pyqtgraph asks for 640×480, which left no room to share by stretch."""
        return QSize(200, 160)

    def paintEvent(self, event: QPaintEvent) -> None:
        """Paint, then note the time and the version of the values just drawn."""
        super().paintEvent(event)
        self.painted_version = self.shown_version
        self.painted_at = time.perf_counter()
        self.painted.emit()

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Resize, then let the panel refit its label margins."""
        super().resizeEvent(event)
        self.resized.emit()


def tick_metrics() -> QFontMetricsF:
    """The metrics of tick text on a bar plot's axis."""
    # Measured when needed, not at import: fonts need a QApplication, and the theme's scale.
    return QFontMetricsF(theme.value_font(8))


def tick_text(value: float) -> str:
    """A tick's text, with a real minus sign."""
    return minus_signs(f"{value:g}")


def axis_ticks(low: float, high: float, pixels: float, most: int = 4) -> list[tuple[float, str]]:
    """Round values for the axis, about ``most`` steps, spaced at least two text lines apart
    on screen (in a short plot, five ticks printed over each other); ``pixels`` is the
    height of ``low`` … ``high`` on screen."""
    text_px = tick_metrics().height()
    fitting = max(2, int(pixels / (2 * text_px)))
    step = nice_step(high - low, lines=min(most, fitting))
    first = math.ceil(low / step - 1e-9)
    last = math.floor(high / step + 1e-9)
    values = [round(i * step, 10) for i in range(first, last + 1)]
    if len(values) < 3:
        # The limits are round numbers too: show the scale's ends, where they do not touch
        # zero's text (in the shortest plots, "3", "0" and "−3" ran into each other).
        per_unit = pixels / (high - low)
        values = [v for v in (low, high) if abs(v) * per_unit >= text_px + 2]
        values = sorted({*values, 0.0})
    return [(v, tick_text(v)) for v in values]


def ticks_width(ticks: Sequence[tuple[float, str]]) -> int:
    """The axis width that fits the widest line of ``ticks``' texts."""
    if not ticks:
        return 0
    metrics = tick_metrics()
    # The text's offset from the axis line (5 px) and a little room on its left.
    lines = [line for _, text in ticks for line in text.split("\n")]
    return round(max(metrics.horizontalAdvance(line) for line in lines) + 9)


def label_margins(
    plot: BarPlot, span: float, lines_below: int, lines_above: int
) -> tuple[float, float]:
    """Room below and above a range of ``span`` for lines of labels, in data units.

    A line of labels is as tall in pixels as its font, whatever the range: the margins are
    computed from the plot's pixel height so that labels never need clipping.
    """
    line_px = QFontMetricsF(theme.value_font(9, bold=True)).height() + 2 * GAP_PX
    pixels = plot.getViewBox().height()
    free_px = pixels - (lines_below + lines_above) * line_px
    # Not laid out yet, or tiny: a sensible share of the range.
    share = LABEL_LINE if free_px < line_px else line_px / free_px
    line = span * share
    return line * lines_below, line * lines_above

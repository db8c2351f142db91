"""One stage of the pipeline as four bars: its values, the pre-activations behind them, the words.

Plot items are created once and updated in place: a panel repaints in well under a millisecond,
so bars follow every keystroke. Ranges never autoscale: bounded activations use their fixed
range, unbounded ones a symmetric range that only grows, so bars don't jump.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QFontMetricsF, QPaintEvent, QPen, QResizeEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from gui import theme
from gui.number_format import bar_value_spellings, minus_signs, z_spellings
from gui.widgets.light_grid import nice_limit, nice_step
from gui.widgets.plot_labels import GAP_PX, Label, PlotLabels
from gui.widgets.wrapped_label import WrappedLabel
from model.trace import StageTrace

BAR_WIDTH = 0.6
#: The bars' x range: half a slot either side of bars 0 … n−1.
X_MARGIN = 0.5
GHOST_WIDTH = 0.8
#: Lines kept for an activation's meaning from the start: at the window's smallest width each
#: needs three, and a minimum that grows later is not always honoured by the layouts above.
MEANING_LINES = 3
#: Height of one line of labels, as a fraction of the value range.
LABEL_LINE = 0.13
_POSITIVE = pg.mkBrush(theme.POSITIVE)
_NEGATIVE = pg.mkBrush(theme.NEGATIVE)
_PREDICTED = pg.mkBrush(theme.PREDICTED)


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
        # Bars and grid lines are axis-aligned: antialiasing would only cost time (text keeps
        # its own antialiasing).
        self.setAntialiasing(False)
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


class StagePanel(QFrame):
    """Four bars for one stage, titled with the activation's formula and meaning."""

    def __init__(
        self,
        name: str,
        formula: str,
        meaning: str,
        *,
        fixed_range: tuple[float, float] | None = None,
        normalizes: bool = False,
        labels: Sequence[str] = ("1", "2", "3", "4"),
        has_pre_activation: bool = True,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.name = name
        self._fixed_range = fixed_range
        self._normalizes = normalizes
        self._labels = tuple(labels)
        self._has_pre_activation = has_pre_activation
        self._limit = 1.0
        self._heights: tuple[float, ...] = ()
        self._stage: StageTrace | None = None
        self._predicted: int | None = None
        self._stale = False
        count = len(self._labels)
        ghost_pen = QPen(theme.brush(theme.GHOST))
        ghost_pen.setStyle(Qt.PenStyle.DashLine)
        ghost_pen.setCosmetic(True)
        self._ghost_brushes: list[object] = [pg.mkBrush(theme.brush(theme.GHOST, 50))] * count
        self._pens: list[object] = [ghost_pen] * count + [pg.mkPen(None)] * count
        self.setObjectName(f"stage_panel_{name.lower()}")
        self.setAccessibleName(f"{name} stage")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setToolTip(f"{name}: {meaning}")
        header = self._make_header(name, formula, meaning)
        self.plot = self._make_plot()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.setSpacing(2)
        layout.addLayout(header)
        layout.addWidget(self.plot, 1)
        layout.addWidget(self._footer)

    def _make_header(self, name: str, formula: str, meaning: str) -> QVBoxLayout:
        self._title = QLabel(f"<b>{name}</b>")
        self._title.setObjectName(f"stage_title_{name.lower()}")
        self._title.setStyleSheet(f"font-size: {theme.css_points(11)}")
        self._shape = QLabel("1×4 → 1×4")
        self._shape.setObjectName(f"stage_shape_{name.lower()}")
        self._shape.setStyleSheet(f"color: {theme.MUTED}")
        self._shape.setToolTip("Shape: one sample of 4 values in (1 × 4), one of 4 values out")
        # The formula has a line of its own and may wrap: cut, "1 / (1 + e⁻ᶻ)" reads "1 /".
        self._formula = WrappedLabel(formula, lines=1)
        self._formula.setObjectName(f"stage_formula_{name.lower()}")
        self._formula.setStyleSheet(f"color: {theme.TEXT}; font-size: {theme.css_points(11)}")
        self._meaning = WrappedLabel(meaning, lines=MEANING_LINES)
        self._meaning.setObjectName(f"stage_meaning_{name.lower()}")
        self._meaning.setStyleSheet(f"color: {theme.MUTED}")
        self._footer = QLabel("Waiting for the model…")
        self._footer.setObjectName(f"stage_footer_{name.lower()}")
        self._footer.setStyleSheet(f"color: {theme.MUTED}")
        title_row = QHBoxLayout()
        title_row.addWidget(self._title, 1)
        title_row.addWidget(self._shape)
        header = QVBoxLayout()
        header.setSpacing(2)
        header.addLayout(title_row)
        header.addWidget(self._formula)
        header.addWidget(self._meaning)
        return header

    def _make_plot(self) -> BarPlot:
        plot = BarPlot()
        plot.setObjectName(f"stage_plot_{self.name.lower()}")
        plot.setAccessibleName(f"{self.name} bars")
        plot.setMenuEnabled(False)
        plot.setMouseEnabled(x=False, y=False)
        plot.hideButtons()
        plot.setMinimumHeight(100)
        item = plot.getPlotItem()
        item.setXRange(-X_MARGIN, len(self._labels) - 1 + X_MARGIN, padding=0)
        left = item.getAxis("left")
        # No tick marks: a tick beside a number near the axis read as its minus sign.
        left.setStyle(tickFont=theme.value_font(8), tickLength=0)
        bottom = item.getAxis("bottom")
        bottom.setStyle(tickFont=theme.value_font(9))
        bottom.setHeight(round(QFontMetricsF(theme.value_font(9)).height() + 8))
        bottom.setTicks([[(float(i), label) for i, label in enumerate(self._labels)]])
        # No grid lines: next to a number, a line's end reads as a minus sign ("4.05" seen as
        # "−4.05"). The zero line and the axis ticks carry the scale.
        # Ghost bars (z, before the activation) and value bars are one item: one picture and
        # one bounding box to maintain; the ghosts come first so the values draw on top.
        count = len(self._labels)
        self._bars = pg.BarGraphItem(
            x=np.tile(np.arange(count, dtype=float), 2),
            height=np.zeros(2 * count),
            width=np.repeat([GHOST_WIDTH, BAR_WIDTH], count),
        )
        plot.addItem(self._bars)
        plot.addItem(pg.InfiniteLine(pos=0, angle=0, pen=pg.mkPen(theme.MUTED, width=1)))
        self._value_labels = PlotLabels(point_size=9, bold=True)
        plot.addItem(self._value_labels)
        self.plot = plot
        plot.resized.connect(self._apply_range)
        self._apply_range()
        return plot

    # Updating -------------------------------------------------------------------------------

    def show_stage(self, stage: StageTrace, predicted: int | None = None) -> None:
        """Draw ``stage``'s values; highlight ``predicted`` (the softmax panel's class)."""
        values = stage.values
        if not all(math.isfinite(v) for v in values):
            self._footer.setText("Not a finite number: nothing drawn")
            return
        if self._stale:
            self._stale = False
            self._footer.setStyleSheet(f"color: {theme.MUTED}")
        self._stage, self._predicted = stage, predicted
        pre = stage.pre_activation
        if self._fixed_range is None:
            reach = max(abs(v) for v in (*values, *(pre or ())))
            if reach > self._limit:
                self._limit = nice_limit(reach)
                self._apply_range()
        self._heights = tuple(values)
        ghosts = list(pre) if pre is not None else [0.0] * len(values)
        self._bars.setOpts(
            height=np.asarray(ghosts + list(values)),
            brushes=self._ghost_brushes + self._brushes(values, predicted),
            pens=self._pens,
        )
        self._value_labels.set_labels(self._labels_for(values, pre))
        self.plot.shown_version += 1
        _set_text(self._shape, stage.shape_text.replace(" × ", "×"))
        _set_text(self._footer, self._footer_text(values, predicted))

    def set_stale(self, reason: str) -> None:
        """Say that the bars no longer follow the inputs (the model process has stopped)."""
        self._stale = True
        self._bars.setOpts(brushes=self._ghost_brushes * 2, pens=self._pens)
        _set_text(self._footer, f"⚠ Stale: {reason}")
        self._footer.setStyleSheet(f"color: {theme.ERROR}")

    @property
    def is_stale(self) -> bool:
        """True while the bars show numbers of inputs that have changed since."""
        return self._stale

    def reset_range(self) -> None:
        """Shrink an unbounded panel back to its starting range (Reset, divergence)."""
        self._limit = 1.0
        self._apply_range()

    @property
    def heights(self) -> tuple[float, ...]:
        """The bar heights as drawn (what a test or a screen reader would read)."""
        return self._heights

    @property
    def bar_colours(self) -> tuple[str, ...]:
        """The fill colour of each value bar, as ``#rrggbb``."""
        brushes = self._bars.opts["brushes"][len(self._labels) :]
        return tuple(brush.color().name() for brush in brushes)

    @property
    def labels(self) -> tuple[Label, ...]:
        """The numbers printed on the plot: values, then z along the bottom edge."""
        return self._value_labels.labels

    @property
    def label_item(self) -> PlotLabels:
        """The item that draws the numbers (tests read where it placed them)."""
        return self._value_labels

    @property
    def footer_text(self) -> str:
        """The summary line under the bars."""
        return self._footer.text()

    @property
    def y_range(self) -> tuple[float, float]:
        """The visible value range of the bars."""
        return self._view_range()

    def _labels_for(self, values: Sequence[float], pre: Sequence[float] | None) -> list[Label]:
        low, high = self._view_range()
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
                    float(i),
                    anchor,
                    first,
                    above=v >= 0,
                    shorter=tuple(rest),
                    clear_of=ghost_end,
                )
            )
        if pre is not None:
            # z along the bottom edge, in grey: what the activation was given.
            bottom = low - self._margins()[0]
            for i, z in enumerate(pre):
                first, *rest = z_spellings(z)
                labels.append(Label(float(i), bottom, first, muted=True, shorter=tuple(rest)))
        return labels

    def _brushes(self, values: Sequence[float], predicted: int | None) -> list[object]:
        return [
            _PREDICTED if i == predicted else _POSITIVE if v >= 0 else _NEGATIVE
            for i, v in enumerate(values)
        ]

    def _footer_text(self, values: Sequence[float], predicted: int | None) -> str:
        if self._normalizes:
            text = f"Σ = {sum(values):.3f}"
            if predicted is not None:
                text += f" · class {predicted + 1}"
            return text
        negatives = sum(1 for v in values if v < 0)
        return f"{negatives} of {len(values)} negative"

    def _view_range(self) -> tuple[float, float]:
        if self._fixed_range is not None:
            return self._fixed_range
        return (-self._limit, self._limit)

    def _margins(self) -> tuple[float, float]:
        """Room below and above the value range for lines of labels, in data units.

        A line of labels is as tall in pixels as its font, whatever the range: the margins
        are computed from the plot's pixel height so that labels never need clipping.
        """
        low, high = self._view_range()
        lines_below = (1 if low < 0 else 0) + (1 if self._has_pre_activation else 0)
        lines = lines_below + 1
        line_px = QFontMetricsF(theme.value_font(9, bold=True)).height() + 2 * GAP_PX
        pixels = self.plot.getViewBox().height() if hasattr(self, "plot") else 0.0
        free_px = pixels - lines * line_px
        # Not laid out yet, or tiny: a sensible share of the range.
        share = LABEL_LINE if free_px < line_px else line_px / free_px
        line = (high - low) * share
        return line * lines_below, line

    def _tick_values(self, low: float, high: float) -> list[float]:
        """Round values for the axis, spaced at least two text lines apart on screen (in a
        short plot, five ticks printed over each other)."""
        pixels = self.plot.getViewBox().height() if hasattr(self, "plot") else 0.0
        text_px = QFontMetricsF(theme.value_font(8)).height()
        fitting = max(2, int(pixels / (2 * text_px)))
        step = nice_step(high - low, lines=min(4, fitting))
        first = math.ceil(low / step - 1e-9)
        last = math.floor(high / step + 1e-9)
        ticks = [round(i * step, 10) for i in range(first, last + 1)]
        if len(ticks) < 3:  # the limits are round numbers too: show the scale's ends
            ticks = sorted({low, 0.0, high})
        return ticks

    def _apply_range(self) -> None:
        low, high = self._view_range()
        below, above = self._margins()
        _set_ticks(self.plot.getPlotItem().getAxis("left"), self._tick_values(low, high))
        count = len(self._labels)
        self._value_labels.set_bounds(
            QRectF(-X_MARGIN, low - below, count - 1 + 2 * X_MARGIN, (high - low) + below + above)
        )
        self.plot.getPlotItem().setYRange(low - below, high + above, padding=0)
        if self._stage is not None and not self._stale:
            self._value_labels.set_labels(
                self._labels_for(self._stage.values, self._stage.pre_activation)
            )


def _set_ticks(axis: pg.AxisItem, values: Sequence[float]) -> None:
    """Tick labels, and an axis just wide enough for them: every pixel goes to the bars."""
    texts = [minus_signs(f"{v:g}") for v in values]
    axis.setTicks([list(zip(values, texts, strict=True))])
    metrics = QFontMetricsF(theme.value_font(8))
    axis.setWidth(round(max(metrics.horizontalAdvance(t) for t in texts) + 12))


def _set_text(label: QLabel, text: str) -> None:
    """Change a label only when its text changes (a new text can re-lay out the window)."""
    if label.text() != text:
        label.setText(text)

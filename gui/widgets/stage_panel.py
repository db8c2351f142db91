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
from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QPaintEvent, QPen
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from gui import theme
from gui.widgets.light_grid import LightGrid, nice_limit, round_ticks
from gui.widgets.plot_labels import Label, PlotLabels
from model.trace import StageTrace

BAR_WIDTH = 0.6
GHOST_WIDTH = 0.8
#: Height of one line of labels, as a fraction of the value range.
LABEL_LINE = 0.13
_POSITIVE = pg.mkBrush(theme.POSITIVE)
_NEGATIVE = pg.mkBrush(theme.NEGATIVE)
_PREDICTED = pg.mkBrush(theme.PREDICTED)


def format_bar_value(value: float) -> str:
    """Three decimals (tiny values read 0.000; the table has every digit); exponents from 1000."""
    if abs(value) >= 1000:
        return f"{value:.2e}".replace("e+0", "e").replace("e-0", "e-").replace("e+", "e")
    return f"{value:.3f}"


def format_z(value: float) -> str:
    """A pre-activation, short enough to sit under a bar in a narrow panel."""
    if abs(value) >= 100:
        return f"{value:.2g}".replace("e+0", "e").replace("e+", "e")
    return f"{value:.2f}"


class BarPlot(pg.PlotWidget):  # type: ignore[misc]  # pyqtgraph is untyped
    """A PlotWidget that records when it last finished painting, and which values it showed.

    The benchmark times "edit → every panel repainted" with these; tests use them to know a
    frame was really drawn, not just scheduled.

    Signals
    -------
    painted()
        A frame has been drawn (``painted_version`` and ``painted_at`` are up to date).
    """

    painted = Signal()

    def __init__(self) -> None:
        super().__init__()
        # Bars and grid lines are axis-aligned: antialiasing would only cost time (text keeps
        # its own antialiasing).
        self.setAntialiasing(False)
        self.shown_version = 0
        self.painted_version = 0
        self.painted_at = 0.0

    def paintEvent(self, event: QPaintEvent) -> None:
        """Paint, then note the time and the version of the values just drawn."""
        super().paintEvent(event)
        self.painted_version = self.shown_version
        self.painted_at = time.perf_counter()
        self.painted.emit()


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
        self._title = QLabel(
            f"<b>{name}</b>&nbsp;&nbsp;<span style='color:{theme.MUTED}'>{formula}</span>"
        )
        self._title.setTextFormat(Qt.TextFormat.RichText)
        self._shape = QLabel("1×4 → 1×4")
        self._shape.setObjectName(f"stage_shape_{name.lower()}")
        self._shape.setStyleSheet(f"color: {theme.MUTED}; font-size: 8pt")
        self._shape.setToolTip("Shape: one sample of 4 values in (1 × 4), one of 4 values out")
        self._meaning = QLabel(meaning)
        self._meaning.setWordWrap(True)
        self._meaning.setStyleSheet(f"color: {theme.MUTED}")
        self._footer = QLabel("Waiting for the model…")
        self._footer.setObjectName(f"stage_footer_{name.lower()}")
        self._footer.setStyleSheet(f"color: {theme.MUTED}")
        self.plot = self._make_plot()
        title_row = QHBoxLayout()
        title_row.addWidget(self._title, 1)
        title_row.addWidget(self._shape)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.setSpacing(2)
        layout.addLayout(title_row)
        layout.addWidget(self._meaning)
        layout.addWidget(self.plot, 1)
        layout.addWidget(self._footer)

    def _make_plot(self) -> BarPlot:
        plot = BarPlot()
        plot.setObjectName(f"stage_plot_{self.name.lower()}")
        plot.setAccessibleName(f"{self.name} bars")
        plot.setMenuEnabled(False)
        plot.setMouseEnabled(x=False, y=False)
        plot.hideButtons()
        plot.setMinimumHeight(150)
        item = plot.getPlotItem()
        item.setXRange(-0.6, len(self._labels) - 0.4, padding=0)
        left = item.getAxis("left")
        left.setWidth(32)
        if self._fixed_range is not None:
            low, high = self._fixed_range
            steps = [low + (high - low) * f for f in (0, 0.25, 0.5, 0.75, 1)]
            left.setTicks([[(v, f"{v:g}") for v in steps]])
        bottom = item.getAxis("bottom")
        bottom.setHeight(22)
        bottom.setTicks([[(float(i), label) for i, label in enumerate(self._labels)]])
        self._grid = LightGrid(plot, vertical=False)
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
        self._apply_range()
        return plot

    # Updating -------------------------------------------------------------------------------

    def show_stage(self, stage: StageTrace, predicted: int | None = None) -> None:
        """Draw ``stage``'s values; highlight ``predicted`` (the softmax panel's class)."""
        values = stage.values
        if not all(math.isfinite(v) for v in values):
            self._footer.setText("Not a finite number: nothing drawn")
            return
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

    def reset_range(self) -> None:
        """Shrink an unbounded panel back to its starting range (used on Reset)."""
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
    def y_range(self) -> tuple[float, float]:
        """The visible value range of the bars."""
        return self._view_range()

    def _labels_for(self, values: Sequence[float], pre: Sequence[float] | None) -> list[Label]:
        low, high = self._view_range()
        labels = [
            Label(float(i), min(max(v, low), high), format_bar_value(v), above=v >= 0)
            for i, v in enumerate(values)
        ]
        if pre is not None:
            # z along the bottom edge, in grey: what the activation was given.
            bottom = low - self._margins()[0]
            labels += [Label(float(i), bottom, format_z(z), muted=True) for i, z in enumerate(pre)]
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
                text += f" · class {predicted + 1} ({values[predicted]:.1%})"
            return text
        negatives = sum(1 for v in values if v < 0)
        return f"{negatives} negative, {len(values) - negatives} non-negative"

    def _view_range(self) -> tuple[float, float]:
        if self._fixed_range is not None:
            return self._fixed_range
        return (-self._limit, self._limit)

    def _margins(self) -> tuple[float, float]:
        """Room below and above the value range for lines of labels, in data units."""
        low, high = self._view_range()
        line = (high - low) * LABEL_LINE
        below = (line if low < 0 else 0.0) + (line if self._has_pre_activation else 0.0)
        return below, line

    def _apply_range(self) -> None:
        low, high = self._view_range()
        below, above = self._margins()
        self._grid.set_ranges((-0.6, len(self._labels) - 0.4), (low, high))
        if self._fixed_range is None:
            # Labels only where grid lines are: auto ticks beyond the range get clipped.
            values = sorted([0.0, *round_ticks(low, high)])
            self.plot.getPlotItem().getAxis("left").setTicks([[(v, f"{v:g}") for v in values]])
        count = len(self._labels)
        self._value_labels.set_bounds(
            QRectF(-0.6, low - below, count + 0.2, (high - low) + below + above)
        )
        self.plot.getPlotItem().setYRange(low - below, high + above, padding=0)


def _set_text(label: QLabel, text: str) -> None:
    """Change a label only when its text changes (a new text can re-lay out the window)."""
    if label.text() != text:
        label.setText(text)

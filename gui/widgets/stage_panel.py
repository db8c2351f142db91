"""One stage of the pipeline as four bars: its values, the pre-activations behind them, the words.

Plot items are created once and updated in place (``setOpts``/``setText``): a panel repaints in
about a millisecond, so bars follow every keystroke. Ranges never autoscale: bounded activations
use their fixed range, unbounded ones a symmetric range that only grows, so bars don't jump.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QPen
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from gui import theme
from gui.widgets.light_grid import LightGrid
from gui.widgets.value_text import ValueText
from model.trace import StageTrace

_NICE_STEPS = (1.0, 1.5, 2.0, 3.0, 4.0, 5.0, 6.0, 8.0)
BAR_WIDTH = 0.6
GHOST_WIDTH = 0.8


def nice_limit(value: float) -> float:
    """The smallest round number (1, 1.5, 2, 3, 4, 5, 6, 8 × 10^k) ≥ ``value``, at least 1."""
    if value <= 1.0:
        return 1.0
    exponent = math.floor(math.log10(value))
    for step in _NICE_STEPS:
        limit = step * 10.0**exponent
        if limit >= value:
            return limit
    return 10.0 ** (exponent + 1)


def format_bar_value(value: float) -> str:
    """Three decimals (tiny values read 0.000; the table has every digit); exponents from 1000."""
    if abs(value) >= 1000:
        return f"{value:.2e}".replace("e+0", "e").replace("e-0", "e-").replace("e+", "e")
    return f"{value:.3f}"


def format_tick_value(value: float) -> str:
    """Two decimals, short enough to sit under a bar in a narrow panel."""
    if abs(value) >= 100:
        return f"{value:.2g}".replace("e+0", "e").replace("e+", "e")
    return f"{value:.2f}"


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
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.name = name
        self._fixed_range = fixed_range
        self._normalizes = normalizes
        self._labels = tuple(labels)
        self._limit = 1.0
        self._heights: tuple[float, ...] = ()
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
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.setSpacing(2)
        title_row = QHBoxLayout()
        title_row.addWidget(self._title, 1)
        title_row.addWidget(self._shape)
        layout.addLayout(title_row)
        layout.addWidget(self._meaning)
        layout.addWidget(self.plot, 1)
        layout.addWidget(self._footer)

    def _make_plot(self) -> pg.PlotWidget:
        plot = pg.PlotWidget()
        plot.setObjectName(f"stage_plot_{self.name.lower()}")
        plot.setAccessibleName(f"{self.name} bars")
        plot.setMenuEnabled(False)
        plot.setMouseEnabled(x=False, y=False)
        plot.hideButtons()
        plot.setMinimumHeight(150)
        item = plot.getPlotItem()
        self._grid = LightGrid(plot, vertical=False)
        item.setXRange(-0.6, len(self._labels) - 0.4, padding=0)
        left = item.getAxis("left")
        left.setWidth(32)
        if self._fixed_range is not None:
            low, high = self._fixed_range
            left.setTicks(
                [
                    [
                        (low + (high - low) * f, f"{low + (high - low) * f:g}")
                        for f in (0, 0.25, 0.5, 0.75, 1)
                    ]
                ]
            )
        self._axis = item.getAxis("bottom")
        self._axis.setHeight(36)
        self._axis.setStyle(tickFont=theme.value_font(8), tickTextOffset=2)
        self._set_ticks(None)
        x = np.arange(len(self._labels), dtype=float)
        zeros = np.zeros_like(x)
        ghost_pen = QPen(theme.brush(theme.GHOST))
        ghost_pen.setStyle(Qt.PenStyle.DashLine)
        ghost_pen.setCosmetic(True)
        self._ghosts = pg.BarGraphItem(
            x=x, height=zeros, width=GHOST_WIDTH, brush=theme.brush(theme.GHOST, 50), pen=ghost_pen
        )
        self._bars = pg.BarGraphItem(x=x, height=zeros, width=BAR_WIDTH, brush=theme.POSITIVE)
        plot.addItem(self._ghosts)
        plot.addItem(self._bars)
        plot.addItem(pg.InfiniteLine(pos=0, angle=0, pen=pg.mkPen(theme.MUTED, width=1)))
        self._texts = [ValueText((0.5, 1.0), 9, bold=True) for _ in self._labels]
        for text in self._texts:
            plot.addItem(text)
        self._apply_range(plot)
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
        self._bars.setOpts(height=np.asarray(values), brushes=self._brushes(values, predicted))
        self._ghosts.setOpts(height=np.asarray(pre if pre is not None else [0.0] * len(values)))
        low, high = self._view_range()
        for index, (text, value) in enumerate(zip(self._texts, values, strict=True)):
            text.show_value(format_bar_value(value), (0.5, 1.0) if value >= 0 else (0.5, 0.0))
            text.setPos(index, min(max(value, low), high))
        self._set_ticks(pre)
        self._shape.setText(stage.shape_text.replace(" × ", "×"))
        self._footer.setText(self._footer_text(values, predicted))

    def reset_range(self) -> None:
        """Shrink an unbounded panel back to its starting range (used on Reset)."""
        self._limit = 1.0
        self._apply_range()

    @property
    def heights(self) -> tuple[float, ...]:
        """The bar heights as drawn (what a test or a screen reader would read)."""
        return self._heights

    @property
    def y_range(self) -> tuple[float, float]:
        """The visible value range of the bars."""
        return self._view_range()

    def _brushes(self, values: Sequence[float], predicted: int | None) -> list[object]:
        brushes: list[object] = []
        for index, value in enumerate(values):
            if index == predicted:
                brushes.append(pg.mkBrush(theme.PREDICTED))
            else:
                brushes.append(pg.mkBrush(theme.POSITIVE if value >= 0 else theme.NEGATIVE))
        return brushes

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

    def _apply_range(self, plot: pg.PlotWidget | None = None) -> None:
        low, high = self._view_range()
        # Headroom above and below for the value labels printed beyond the bars.
        margin = (high - low) * 0.14
        self._grid.set_ranges(None, (low, high))
        (plot or self.plot).getPlotItem().setYRange(
            low - (margin if low < 0 else 0.0), high + margin, padding=0
        )

    def _set_ticks(self, pre: Sequence[float] | None) -> None:
        if pre is None:
            ticks = list(enumerate(self._labels))
        else:
            # The second line is z, the value before the activation (explained in the legend).
            ticks = [
                (i, f"{label}\n{format_tick_value(z)}")
                for i, (label, z) in enumerate(zip(self._labels, pre, strict=True))
            ]
        self._axis.setTicks([[(float(i), text) for i, text in ticks]])

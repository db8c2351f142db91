"""Grid lines that cost nothing to repaint.

pyqtgraph's ``showGrid`` draws translucent lines through its axes: measured here at ~8 ms per
repaint of a 400×250 plot, more than the curves themselves. Opaque light lines, drawn by one
item with one ``drawLines`` call, look the same and cost almost nothing.
"""

from __future__ import annotations

import math

import pyqtgraph as pg
from PySide6.QtCore import QLineF, QRectF
from PySide6.QtGui import QPainter, QPen
from PySide6.QtWidgets import QStyleOptionGraphicsItem, QWidget

from gui import theme

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


class LightGrid(pg.GraphicsObject):  # type: ignore[misc]  # pyqtgraph is untyped
    """Light grid lines at round values, all drawn by one item in one pass.

    Add it to a plot, then call :meth:`set_ranges` whenever the plot's range changes.
    """

    def __init__(
        self, plot: pg.PlotWidget, *, horizontal: bool = True, vertical: bool = True
    ) -> None:
        super().__init__()
        self._horizontal = horizontal
        self._vertical = vertical
        self._pen = self._grid_pen()
        self._lines: list[QLineF] = []
        self._bounds = QRectF()
        self.setZValue(-100)  # behind bars and curves
        plot.addItem(self, ignoreBounds=True)

    @staticmethod
    def _grid_pen() -> QPen:
        pen: QPen = pg.mkPen(theme.GRID, width=1)
        pen.setCosmetic(True)
        return pen

    def set_ranges(self, x: tuple[float, float], y: tuple[float, float]) -> None:
        """Lines at round values inside ``x`` (vertical) and ``y`` (horizontal), spanning both."""
        (x0, x1), (y0, y1) = x, y
        lines = []
        if self._vertical:
            lines += [QLineF(v, y0, v, y1) for v in round_ticks(x0, x1)]
        if self._horizontal:
            lines += [QLineF(x0, v, x1, v) for v in round_ticks(y0, y1)]
        self.prepareGeometryChange()
        self._bounds = QRectF(x0, y0, x1 - x0, y1 - y0)
        self._lines = lines
        self.update()

    def boundingRect(self) -> QRectF:
        """The ranges the lines span."""
        return self._bounds

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        """Draw every line with one cosmetic 1 px pen."""
        del option, widget
        if self._pen.color().name() != theme.GRID:  # the palette changed
            self._pen = self._grid_pen()
        painter.setPen(self._pen)
        painter.drawLines(self._lines)


def round_ticks(low: float, high: float) -> list[float]:
    """Round values (multiples of a 1-2-5 step) inside [low, high], zero excluded."""
    step = nice_step(high - low)
    first = math.ceil(low / step)
    last = math.floor(high / step)
    return [i * step for i in range(first, last + 1) if i != 0]

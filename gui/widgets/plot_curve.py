"""One curve of the training plots: its points, its style, and a redraw only when it changed."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QColor, QPen

from gui import theme
from gui.widgets.curve_buffer import CurveBuffer

#: Epoch curves are drawn 2 px wide while they are short and 1 px once long: antialiased
#: wide pens cost ~10× more per point, and a dense curve reads as well at 1 px.
THICK_PEN_POINTS = 200
#: Dash and gap of a dashed curve, in pixels whatever the pen's width.
DASH_PX = (6.0, 4.0)


def pen_for(colour: str | QColor, width: float, dashed: bool) -> QPen:
    pen: QPen = pg.mkPen(colour, width=width)
    if dashed:
        pen.setDashPattern([length / width for length in DASH_PX])
    return pen


class PlotCurve:
    """One plot item, the buffer it draws and its style; it redraws only what changed."""

    def __init__(self, plot: pg.PlotWidget, field: str, name: str, *, thin: bool = False) -> None:
        self.field = field  # the EpochRecord attribute drawn ("" for batch losses)
        self.buffer = CurveBuffer()
        self.item = plot.plot([], [], name=name)
        # After the item is added (pyqtgraph #1854): draw only what is visible, downsampled.
        self.item.setClipToView(True)
        self.item.setDownsampling(auto=True, method="peak")
        self._thin = thin
        self._colour: str | QColor = theme.TRAIN
        self._dashed = False
        self._pen_key: tuple[str, bool, float] | None = None
        self._dirty = True

    @property
    def visible(self) -> bool:
        """Whether the curve is drawn at all."""
        return bool(self.item.isVisible())

    def set_style(self, colour: str | QColor, dashed: bool, visible: bool) -> None:
        """Draw in ``colour``, dashed or solid, or not at all."""
        self._colour, self._dashed = colour, dashed
        self.item.setVisible(visible)
        self._dirty = True

    def extend(self, x: np.ndarray, y: np.ndarray) -> None:
        """Append points (drawn at the next :meth:`draw`)."""
        self.buffer.extend(x, y)
        self._dirty = True

    def clear(self) -> None:
        """Forget every point."""
        self.buffer.clear()
        self._dirty = True

    def keep_until(self, x_limit: float) -> None:
        """Drop the points right of ``x_limit``."""
        keep = int(np.searchsorted(self.buffer.x, x_limit, side="right"))
        if keep < len(self.buffer):
            x, y = self.buffer.x[:keep].copy(), self.buffer.y[:keep].copy()
            self.buffer.clear()
            self.buffer.extend(x, y)
            self._dirty = True

    def draw(self) -> None:
        """Hand new points to the item, with a thinner pen once the curve is long.

        Antialiased 2-pixel pens are ~10× slower to draw than 1-pixel ones on long curves
        (measured: 13.8 against 0.5 ms at 7,000 points): only epoch curves, with one point per
        epoch, get the thick pen, and only while short. Hidden and unchanged curves cost nothing.
        """
        if not (self._dirty and self.visible):
            return
        thick = not self._thin and len(self.buffer) <= THICK_PEN_POINTS
        width = 2.0 if thick else 1.0
        key = (QColor(self._colour).name(QColor.NameFormat.HexArgb), self._dashed, width)
        if key != self._pen_key:
            self._pen_key = key
            self.item.setPen(pen_for(self._colour, width, self._dashed))
        self.item.setData(self.buffer.x, self.buffer.y)
        self._dirty = False

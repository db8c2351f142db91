"""A layer's 4×4 weight matrix as a heatmap: orange negative, white zero, blue positive.

The colour scale is symmetric around zero and only grows, so a weight's colour means the same
thing from one frame to the next; each cell also prints its value.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from gui import theme
from gui.widgets.light_grid import nice_limit
from gui.widgets.plot_labels import Label, PlotLabels
from model.trace import FloatArray


class WeightHeatmap(QFrame):
    """Weights of one layer: rows are outputs (neurons), columns inputs."""

    def __init__(self, name: str, title: str, size: int = 4, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._size = size
        self._limit = 1.0
        self._weights: FloatArray | None = None
        self.setObjectName(f"weights_{name}")
        self.setAccessibleName(f"Weights {title}")
        self.setToolTip(
            "Each cell is one weight: row = output neuron, column = input. "
            "Blue is positive, orange negative, white zero."
        )
        self._label = QLabel(title)
        self._label.setStyleSheet(f"color: {theme.MUTED}")
        self.plot = pg.PlotWidget()
        self.plot.setMenuEnabled(False)
        self.plot.setAntialiasing(False)
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.hideButtons()
        self.plot.hideAxis("left")
        self.plot.hideAxis("bottom")
        self.plot.setMinimumHeight(90)
        self.plot.getViewBox().invertY(True)
        self.plot.getViewBox().setAspectLocked(True)
        self._image = pg.ImageItem(np.zeros((size, size)))
        self._image.setColorMap(theme.diverging_colormap())
        self._image.setRect(QRectF(0, 0, size, size))
        self.plot.addItem(self._image)
        self.plot.getPlotItem().setRange(xRange=(0, size), yRange=(0, size), padding=0.02)
        self._cell_labels = PlotLabels(point_size=7, bold=False)
        self._cell_labels.set_bounds(QRectF(0, 0, size, size))
        self.plot.addItem(self._cell_labels)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        layout.setSpacing(0)
        layout.addWidget(self._label)
        layout.addWidget(self.plot, 1)

    @property
    def weights(self) -> FloatArray | None:
        """The matrix last shown."""
        return self._weights

    def show_weights(self, weights: FloatArray) -> None:
        """Draw ``weights`` (rows = outputs); non-finite matrices are never drawn."""
        if not np.all(np.isfinite(weights)):
            return
        if self._weights is not None and np.array_equal(weights, self._weights):
            return  # an edit of the inputs: same weights, nothing to redraw
        self._weights = weights
        reach = float(np.max(np.abs(weights)))
        if reach > self._limit:
            self._limit = nice_limit(reach)
        # ImageItem indexes [x, y]: transpose so rows run down and columns across.
        self._image.setImage(weights.T, levels=(-self._limit, self._limit), autoLevels=False)
        rows, columns = weights.shape
        self._cell_labels.set_labels(
            [
                Label(column + 0.5, row + 0.5, _cell_text(weights[row, column]), centred=True)
                for row in range(rows)
                for column in range(columns)
            ]
        )

    def reset_scale(self) -> None:
        """Back to the ±1 colour scale (used on Reset)."""
        self._limit = 1.0


def _cell_text(value: float) -> str:
    shown = f"{value:.1f}" if abs(value) < 9.95 else f"{value:.0f}"
    return "0.0" if shown == "-0.0" else shown

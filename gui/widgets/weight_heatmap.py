"""A layer's 4×4 weight matrix as a heatmap: orange negative, zero the background, blue positive.

The colour scale is symmetric around zero and only grows while a run goes on, so a weight's
colour means the same thing from one frame to the next; each cell also prints its value. Reset
and divergence bring the scale back to the weights then shown. Until the model has sent
weights, the cells are empty grey: an empty matrix must not read as "all zero" or "negative".
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, QSize
from PySide6.QtGui import QCursor
from PySide6.QtWidgets import QFrame, QLabel, QToolTip, QVBoxLayout, QWidget

from gui import theme
from gui.number_format import cell_spellings, number_text
from gui.palette import contrast
from gui.widgets.light_grid import nice_limit
from gui.widgets.plot_labels import Label, PlotLabels
from model.trace import FloatArray


class _HeatmapPlot(pg.PlotWidget):  # type: ignore[misc]  # pyqtgraph is untyped
    def sizeHint(self) -> QSize:
        # pyqtgraph asks for 640×480; the layout shares the room by stretch instead.
        return QSize(120, 100)


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
            "Blue is positive, red-orange negative, zero the colour of the background."
        )
        self._label = QLabel(title)
        self.plot = _HeatmapPlot()
        self.plot.setMenuEnabled(False)
        self.plot.setAntialiasing(False)
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.hideButtons()
        self.plot.hideAxis("left")
        self.plot.hideAxis("bottom")
        self.plot.setMinimumHeight(66)
        self.plot.getViewBox().invertY(True)
        self.plot.getViewBox().setAspectLocked(True)
        self._image = pg.ImageItem(np.zeros((size, size)))
        self._image.setRect(QRectF(0, 0, size, size))
        self._image.setVisible(False)  # no weights yet: show the empty grey behind
        self.plot.setToolTip("No weights yet: the model is loading")
        self.plot.addItem(self._image)
        self.plot.getPlotItem().setRange(xRange=(0, size), yRange=(0, size), padding=0.02)
        self._cell_labels = PlotLabels(point_size=8, bold=False, backed=False)
        self._cell_labels.set_bounds(QRectF(0, 0, size, size))
        self.plot.addItem(self._cell_labels)
        # Where the cells are too small for their numbers, pointing at one still tells it.
        self.plot.scene().sigMouseMoved.connect(self._on_mouse_moved)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        layout.setSpacing(0)
        layout.addWidget(self._label)
        layout.addWidget(self.plot, 1)
        self._apply_theme()
        theme.follow(self._apply_theme)

    def _apply_theme(self) -> None:
        """The palette's colours: the empty grey, the colour scale, the numbers' colours."""
        self._label.setStyleSheet(f"color: {theme.MUTED}")
        self.plot.getViewBox().setBackgroundColor(theme.EMPTY)
        self._image.setColorMap(theme.diverging_colormap())
        if self._weights is not None:
            self._set_cell_labels(self._weights)

    def set_title(self, title: str) -> None:
        """Name the layer anew (its activation changed)."""
        self._label.setText(title)
        self.setAccessibleName(f"Weights {title}")

    @property
    def weights(self) -> FloatArray | None:
        """The matrix last shown."""
        return self._weights

    @property
    def label_item(self) -> PlotLabels:
        """The item that prints each weight (tests read where it placed them)."""
        return self._cell_labels

    @property
    def limit(self) -> float:
        """The colour scale runs from ``-limit`` (orange) through 0 (the background) to
        ``limit`` (blue)."""
        return self._limit

    def show_weights(self, weights: FloatArray) -> None:
        """Draw ``weights`` (rows = outputs); non-finite matrices are never drawn."""
        if not np.all(np.isfinite(weights)):
            return
        if self._weights is not None and np.array_equal(weights, self._weights):
            return  # an edit of the inputs: same weights, nothing to redraw
        if self._weights is None:
            self.plot.setToolTip("")
            self._image.setVisible(True)
        self._weights = weights
        reach = float(np.max(np.abs(weights)))
        if reach > self._limit:
            self._limit = nice_limit(reach)
        # ImageItem indexes [x, y]: transpose so rows run down and columns across.
        self._image.setImage(weights.T, levels=(-self._limit, self._limit), autoLevels=False)
        self._set_cell_labels(weights)

    def _set_cell_labels(self, weights: FloatArray) -> None:
        rows, columns = weights.shape
        self._cell_labels.set_labels(
            [
                _cell_label(row, column, float(weights[row, column]), self._limit)
                for row in range(rows)
                for column in range(columns)
            ]
        )

    def cell_text_at(self, scene_position: QPointF) -> str | None:
        """What pointing at ``scene_position`` tells: the weight under it, or None."""
        if self._weights is None:
            return None
        point = self.plot.getViewBox().mapSceneToView(scene_position)
        row, column = math.floor(point.y()), math.floor(point.x())
        rows, columns = self._weights.shape
        if not (0 <= row < rows and 0 <= column < columns):
            return None
        value = float(self._weights[row, column])
        return f"weight from input {column + 1} into neuron {row + 1}: {number_text(value, '.4f')}"

    def _on_mouse_moved(self, scene_position: QPointF) -> None:
        text = self.cell_text_at(scene_position)
        if text is not None:
            QToolTip.showText(QCursor.pos(), text, self.plot)

    def reset_scale(self) -> None:
        """Fit the colour scale to the weights shown next (Reset, divergence): the scale had
        only grown, and blown-up weights left every later matrix washed out to white."""
        self._limit = 1.0
        self._weights = None  # the next matrix is drawn with the new scale, even if unchanged


def cell_colour(value: float, limit: float) -> str:
    """The colour a weight's cell is drawn in (the colour scale at ``value``), ``#rrggbb``."""
    share = min(abs(value) / limit, 1.0) if limit > 0 else 0.0
    strong = theme.POSITIVE if value >= 0 else theme.NEGATIVE
    return theme.mixed(strong, theme.BACKGROUND, share)


def _cell_label(row: int, column: int, value: float, limit: float) -> Label:
    first, *rest = cell_spellings(value)
    return Label(
        column + 0.5,
        row + 0.5,
        first,
        centred=True,
        shorter=tuple(rest),
        colour=number_colour(cell_colour(value, limit)),
    )


def number_colour(cell: str) -> str:
    """Black or white, whichever reads better on ``cell``: one of them is always at least
    4.58:1 (a saturated vermillion cell has neither 4.5:1 with the body text nor with white)."""
    return "#000000" if contrast("#000000", cell) >= contrast("#ffffff", cell) else "#ffffff"

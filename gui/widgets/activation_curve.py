"""One layer's activation as curves: f(z) solid, its slope f′(z) dashed, your four z on both.

The curves come from the model process (PyTorch computed f, autograd f′), so what is drawn is
what the network uses. Items are created once and updated in place: ``show_stage`` may run 30
times a second, and while the curve is the one already drawn only the markers move.

f and f′ share one y axis, fitted to the curves and clamped so that the slope stays readable
(:mod:`gui.widgets.curve_range` says why). Where a curve leaves the plot a small note ("f ↑")
says that it goes on; a point beyond an edge is drawn at that edge as a triangle pointing out
(:mod:`gui.widgets.curve_markers`), and the tooltip gives its true numbers. Nothing vanishes
silently. The wording of title, caption and tooltip is in :mod:`gui.widgets.curve_text`.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, QSize, Qt, QTimer
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPen, QResizeEvent
from PySide6.QtWidgets import QFrame, QGraphicsItem, QLabel, QSizePolicy, QVBoxLayout, QWidget

from gui import theme
from gui.number_format import minus_signs
from gui.widgets.bar_plot import BarPlot, style_axis
from gui.widgets.curve_markers import MarkerLayer, unit_markers
from gui.widgets.curve_range import (
    Z_TICKS,
    YRange,
    corner_notes,
    dense_points,
    fit_y_range,
    y_ticks,
)
from gui.widgets.curve_text import caption_candidates, title_candidates
from gui.widgets.fitting_label import html_width
from gui.widgets.light_grid import LightGrid
from model.activations import DEFAULT_TEMPERATURE, Activation, get_activation
from model.trace import StageCurve, StageTrace

#: The room kept around the curves for a mark and its ring (design px).
EDGE_PX = 9.0
_WAITING = "Waiting for the model…"
#: Softmax's four curves per kind: thin (a 1 px pen draws several times faster than 1.3 px)
#: and paler (mixed this much with the background), so that the marks stand out on them.
ROW_PEN_PX = 1.0
LIGHT_MIX = 0.3


class CurvePlot(BarPlot):
    """A :class:`BarPlot` (it records ``shown_version``/``painted_version`` for benchmarks)
    drawn antialiased: unlike bars, curves are diagonal."""

    def __init__(self) -> None:
        super().__init__()
        self.setAntialiasing(True)

    def sizeHint(self) -> QSize:
        """Small: three of these share a row under the stage panels."""
        return QSize(200, 110)


class ActivationCurve(QFrame):
    """One layer's activation: f(z) and f′(z) over z ∈ [−6, 6], the stage's four z marked.

    ``key`` is the layer's position ("layer1", "layer2", "output"): the frame is
    ``curve_{key}``, its parts ``curve_title_{key}``, ``curve_plot_{key}`` and
    ``curve_caption_{key}``. For a normalizing activation (Softmax) there is one thin curve
    per unit: its probability as its own score sweeps z, the other scores held where they are.
    """

    def __init__(self, key: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.key = key
        self._activation: Activation | None = None
        self._temperature = DEFAULT_TEMPERATURE
        self._curve: StageCurve | None = None
        self._range = fit_y_range(None, None)
        self._fitted = False
        self._z_limits = (Z_TICKS[0], Z_TICKS[-1])
        self._points: list[tuple[float, float, float]] = []
        self._titles: list[str] = []
        self._captions: list[tuple[str, str]] = [(_WAITING, _WAITING)]
        self._caption_plain = ""
        self.setObjectName(f"curve_{key}")
        self.setAccessibleName(f"{key} activation curve")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setToolTip(
            "Solid: f(z), what the layer outputs. Dashed: f′(z), its slope, what "
            "backpropagation multiplies by. Marks: your four z (1–4)."
        )
        self._title = self._make_label(f"curve_title_{key}")
        self._caption = self._make_label(f"curve_caption_{key}")
        self._caption_metrics = QFontMetricsF(self._caption.font())
        self.plot = self._make_plot()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        layout.setSpacing(0)
        layout.addWidget(self._title)
        layout.addWidget(self.plot, 1)
        layout.addWidget(self._caption)
        self._apply_theme()
        theme.follow(self._apply_theme)

    def _make_label(self, name: str) -> QLabel:
        label = QLabel(self)
        label.setObjectName(name)
        label.setTextFormat(Qt.TextFormat.RichText)
        # Each text is chosen to fit the width the label gets (_fit_title, _fit_caption): the
        # longest must not decide the width of a row of three.
        label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        return label

    def _apply_theme(self) -> None:
        """Fonts, colours and every measure taken from them, at the theme's size."""
        for label, size, colour in ((self._title, 10, theme.TEXT), (self._caption, 9, theme.MUTED)):
            font = QFont(label.font())
            font.setPointSizeF(theme.points(size))
            label.setFont(font)
            label.setStyleSheet(f"color: {colour}")
            # One line high from the start: a plot that shrinks when the first text arrives
            # would lay its ticks out for a height it no longer has.
            label.setMinimumHeight(math.ceil(QFontMetricsF(font).height()))
        self._caption_metrics = QFontMetricsF(self._caption.font())
        item = self.plot.getPlotItem()
        for axis in ("left", "bottom"):
            # No tick marks: beside a number, a tick's end reads as a minus sign.
            style_axis(item.getAxis(axis), 8, tickLength=0)
        item.getAxis("bottom").setHeight(round(QFontMetricsF(theme.value_font(8)).height() + 4))
        self._zero_line.setPen(pg.mkPen(theme.MUTED, width=1))
        self._set_pens(1 if self._curve is None else self._curve.values.shape[0])
        for curve in (self._f_item, self._slope_item):
            curve.update()  # drop the cached pixmap: the plot's area changes with the fonts
        if self._activation is not None:  # the title's keys are drawn in the curves' colours
            self._titles = title_candidates(self._activation, self._temperature)
        self._fit_title()
        self._apply_range()
        self._fit_caption()
        # Again once laid out for the new fonts: the ticks are spaced in pixels.
        QTimer.singleShot(0, self, self._apply_range)

    def _make_plot(self) -> CurvePlot:
        plot = CurvePlot()
        plot.setObjectName(f"curve_plot_{self.key}")
        plot.setAccessibleName(f"{self.key} curves f(z) and f′(z)")
        plot.setMenuEnabled(False)
        plot.setMouseEnabled(x=False, y=False)
        plot.hideButtons()
        plot.setMinimumHeight(50)
        item = plot.getPlotItem()
        item.getAxis("bottom").setTicks([[(v, minus_signs(f"{v:g}")) for v in Z_TICKS]])
        self._grid = LightGrid(plot, horizontal=False)
        self._zero_line = pg.InfiniteLine(pos=0, angle=0)
        plot.addItem(self._zero_line)
        self._f_item = pg.PlotCurveItem(pen=_pen(theme.POSITIVE, 2))
        self._slope_item = pg.PlotCurveItem(pen=_pen(theme.SLOPE, 2, dashed=True))
        # The slope on top: where f and f′ coincide (ReLU's left half) the dashes show both.
        self._slope_item.setZValue(1)
        # An elementwise activation's curves stay the same from edit to edit while only the
        # marks move: keep each as a pixmap, so a repaint copies it instead of stroking an
        # antialiased dashed path again (measured: a curve panel's repaint fell from ~3-6 ms).
        for item in (self._f_item, self._slope_item):
            item.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        plot.addItem(self._f_item)
        plot.addItem(self._slope_item)
        self._marker_layer = MarkerLayer()
        plot.addItem(self._marker_layer, ignoreBounds=True)
        plot.resized.connect(self._apply_range)
        return plot

    def set_activation(self, activation: Activation, temperature: float = 1.0) -> None:
        """Show ``activation`` (Softmax at ``temperature``). The old curves go at once: they
        belong to another function; the next stage draws the new ones."""
        if not activation.normalizes:
            temperature = DEFAULT_TEMPERATURE  # only a normalizing activation uses T
        if activation == self._activation and temperature == self._temperature:
            return
        self._activation, self._temperature = activation, temperature
        self.setAccessibleName(f"{activation.name} activation curve, {self.key}")
        self._titles = title_candidates(activation, temperature)
        tip = activation.caution
        if activation.normalizes:
            tip = (
                f"{activation.name} at temperature T = {temperature:g}. One curve per unit: "
                "its probability as its own score z sweeps the axis, the other scores held "
                f"where they are. {tip}"
            )
        self._title.setToolTip(tip)
        self._fit_title()
        self._curve, self._fitted = None, False
        self._f_item.setData([], [])
        self._slope_item.setData([], [])
        self._marker_layer.set_curves(np.empty((2, 0)), [])
        self._range = fit_y_range(None, activation)
        self._apply_range()
        self._clear(_WAITING)

    @property
    def activation(self) -> Activation | None:
        """The activation whose curves are shown (None before the first)."""
        return self._activation

    def show_stage(self, stage: StageTrace) -> None:
        """Draw ``stage``'s curve (when it changed) and its four z on f and on f′."""
        if self._activation is None or stage.name != self._activation.name:
            self.set_activation(get_activation(stage.name), self._temperature)
        curve, z, slopes = stage.curve, stage.pre_activation, stage.derivative
        if curve is None or z is None or slopes is None:
            self._clear("No curve in this trace")
            return
        if not np.all(np.isfinite(np.asarray((*z, *stage.values, *slopes), dtype=float))):
            self._clear("Not a finite number: nothing drawn", error=True)
            return
        redrawn = not self._is_shown(curve)
        if redrawn:
            if not (np.all(np.isfinite(curve.values)) and np.all(np.isfinite(curve.slopes))):
                self._clear("The curve is not finite: nothing drawn", error=True)
                return
            self._set_curve(curve)
        if self._set_markers(stage, z, slopes) or redrawn:
            # Only a change is a new version: marks clamped at an edge that did not move
            # repaint nothing, and a frame that never comes must not be waited for.
            self.plot.shown_version += 1

    def _is_shown(self, curve: StageCurve) -> bool:
        shown = self._curve
        return shown is not None and (
            curve is shown
            or (
                np.array_equal(curve.z, shown.z)
                and np.array_equal(curve.values, shown.values)
                and np.array_equal(curve.slopes, shown.slopes)
            )
        )

    def _set_curve(self, curve: StageCurve) -> None:
        rows, columns = curve.values.shape
        fitted = fit_y_range(curve, self._activation)
        if self._fitted and self._activation is not None and self._activation.normalizes:
            # Softmax's curves change with every trace: its axis only grows, never jumps.
            old = self._range
            fitted = dataclasses.replace(
                fitted, low=min(old.low, fitted.low), high=max(old.high, fitted.high)
            )
        self._range, self._fitted = fitted, True
        shown_rows = 0 if self._curve is None else self._curve.values.shape[0]
        if rows != shown_rows:
            self._set_pens(rows)
        x = np.tile(curve.z, rows)
        connect = np.ones(rows * columns, dtype=bool)
        connect[columns - 1 :: columns] = False  # each row is a line of its own
        self._f_item.setData(x=x, y=curve.values.ravel(), connect=connect)
        self._slope_item.setData(x=x, y=curve.slopes.ravel(), connect=connect)
        self._curve = curve
        self._z_limits = (float(curve.z[0]), float(curve.z[-1]))
        self._marker_layer.set_curves(dense_points(curve), corner_notes(curve, self._range))
        self._apply_range()

    def _set_pens(self, rows: int) -> None:
        """One bold curve each, or one thin and paler per unit (they cross each other)."""
        width, pale = (2.0, False) if rows == 1 else (ROW_PEN_PX, True)
        self._f_item.setPen(_pen(theme.POSITIVE, width, pale=pale))
        self._slope_item.setPen(_pen(theme.SLOPE, width, pale=pale, dashed=True))

    def _set_markers(self, stage: StageTrace, z: Sequence[float], slopes: Sequence[float]) -> bool:
        """Place the marks; True when they moved (the plot repaints)."""
        states = stage.unit_states() or ("",) * len(z)
        markers, self._points, tips = unit_markers(
            z, stage.values, slopes, states, y_range=self._range, z_limits=self._z_limits
        )
        moved = self._marker_layer.set_markers(markers)
        self._captions = caption_candidates(slopes, states)
        self._fit_caption()
        tip = "\n".join(tips)
        if self.plot.toolTip() != tip:
            self.plot.setToolTip(tip)
            self._caption.setToolTip(tip)
        return moved

    def _clear(self, message: str, *, error: bool = False) -> None:
        """No markers (stale ones would mislead), and ``message`` under the plot."""
        self._points = []
        self._marker_layer.set_markers([])
        self._captions = [(message, theme.warning_html(message) if error else message)]
        self._fit_caption()
        self.plot.setToolTip("")
        self.plot.shown_version += 1

    # Fitting to the size --------------------------------------------------------------------

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Choose the title and caption that fit the new width."""
        super().resizeEvent(event)
        self._fit_title()
        self._fit_caption()

    def _fit_title(self) -> None:
        if not self._titles:
            return
        room = self._title.contentsRect().width() - 2
        widths = [html_width(text, self._title.font()) for text in self._titles]
        # Never narrower than the shortest title: the key says which curve is which.
        self._title.setMinimumWidth(math.ceil(widths[-1]) + 2)
        fits = [text for text, width in zip(self._titles, widths, strict=True) if width <= room]
        _set_text(self._title, fits[0] if fits else self._titles[-1])

    def _fit_caption(self) -> None:
        # Plain and rich spellings differ only in colour, so the plain one's width is the
        # rich one's; the caption is chosen up to 30 times a second.
        room = self._caption.contentsRect().width() - 4
        advance = self._caption_metrics.horizontalAdvance
        plain, html = next(((p, h) for p, h in self._captions if advance(p) <= room), ("", ""))
        self._caption_plain = plain
        _set_text(self._caption, html)

    def _apply_range(self) -> None:
        """x and y ranges with room for marks at the edges, and ticks that fit the height."""
        y_range, (z_low, z_high) = self._range, self._z_limits
        view = self.plot.getViewBox()
        edge = EDGE_PX * theme.scale()
        x_pad = edge * (z_high - z_low) / max(view.width() - 2 * edge, 4 * edge)
        # Room on every side, so a mark at the range's end is whole (a curve that goes on
        # runs through it to the edge).
        per_px = (y_range.high - y_range.low) / max(view.height() - 2 * edge, 2 * edge)
        x0, x1 = z_low - x_pad, z_high + x_pad
        y0, y1 = y_range.low - edge * per_px, y_range.high + edge * per_px
        item = self.plot.getPlotItem()
        item.setXRange(x0, x1, padding=0)
        item.setYRange(y0, y1, padding=0)
        self._marker_layer.set_bounds(QRectF(x0, y0, x1 - x0, y1 - y0))
        self._grid.set_ranges((z_low, z_high), (y0, y1))
        metrics = QFontMetricsF(theme.value_font(8))
        ticks = y_ticks(y_range.low, y_range.high, 1 / per_px, metrics.height())
        texts = [minus_signs(f"{v:g}") for v in ticks]
        left = item.getAxis("left")
        left.setTicks([list(zip(ticks, texts, strict=True))])
        left.setWidth(round(max(metrics.horizontalAdvance(t) for t in texts) + 8))

    # Read by tests and assistive technology -------------------------------------------------

    @property
    def marker_points(self) -> list[tuple[float, float, float]]:
        """Per unit, (z, f, f′) where its marks are drawn (clamped to the plot's edges)."""
        return list(self._points)

    @property
    def curve_rows(self) -> int:
        """How many f curves are drawn: 1, one per unit for Softmax, 0 before any."""
        return 0 if self._curve is None else int(self._curve.values.shape[0])

    @property
    def caption_text(self) -> str:
        """The line under the plot as plain text ("" when not even the shortest fits)."""
        return self._caption_plain

    @property
    def title_text(self) -> str:
        """The title as shown (rich text: the name and the key to the two curves)."""
        return self._title.text()

    @property
    def y_range(self) -> YRange:
        """The y axis in use (its ends within [Y_FLOOR, Y_CEILING])."""
        return self._range

    @property
    def marker_layer(self) -> MarkerLayer:
        """The item that draws the marks and their unit numbers (tests read its layout)."""
        return self._marker_layer

    @property
    def curve_data(self) -> tuple[np.ndarray, np.ndarray]:
        """The y data of the f and f′ items as drawn (rows one after another)."""
        return self._f_item.yData, self._slope_item.yData


def _pen(colour: str, width: float, *, pale: bool = False, dashed: bool = False) -> QPen:
    """A cosmetic pen; ``pale`` mixes the colour with the background. Opaque rather than
    translucent: four overlapping translucent dashed curves cost several milliseconds a
    paint."""
    shade = QColor(theme.mixed(colour, theme.BACKGROUND, 1 - LIGHT_MIX) if pale else colour)
    pen = QPen(shade, width)
    pen.setCosmetic(True)
    if dashed:
        pen.setStyle(Qt.PenStyle.DashLine)
    return pen


def _set_text(label: QLabel, text: str) -> None:
    """Change a label only when its text changes (a new text can re-lay out the window)."""
    if label.text() != text:
        label.setText(text)

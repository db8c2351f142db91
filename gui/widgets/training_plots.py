"""Live loss and accuracy curves against epochs, redrawn at most ~30 times a second.

Items are created once and fed slices of :class:`CurveBuffer` storage. Ranges never autoscale
(autoRange costs ~10 ms a panel): the x-axis doubles when the curve reaches its end, the loss
axis only grows, accuracy is fixed at 0–100 %.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from gui import theme
from gui.widgets.curve_buffer import CurveBuffer
from gui.widgets.light_grid import LightGrid, nice_limit
from model.records import EpochRecord

INITIAL_EPOCHS = 5.0
CHANCE_LOSS = math.log(4)
#: Epoch curves are drawn 2 px wide while they are short and 1 px once long: antialiased
#: wide pens cost ~10× more per point, and a dense curve reads as well at 1 px.
THICK_PEN_POINTS = 200
#: Room for the y axis (ticks and label) beside a plot's centred title.
AXIS_ALLOWANCE_PX = 64
#: The batch curve's translucent blue as it looks on white, for the title's key.
BATCH_KEY = "#b6cbe5"


def _key(colour: str, text: str) -> str:
    return f"&nbsp;&nbsp;&nbsp;<span style='color:{colour}'><b>━━</b></span>&nbsp;{text}"


def _make_plot(
    object_name: str, title: str, y_label: str, keys: Sequence[tuple[str, str]]
) -> pg.PlotWidget:
    plot = pg.PlotWidget()
    plot.setObjectName(object_name)
    plot.setAccessibleName(title)
    # The key is part of the title: a legend inside the plot sat on the curves or on the
    # dashed "guessing" line.
    key = "".join(_key(colour, text) for colour, text in keys)
    plot.setTitle(f"<b>{title}</b>{key}", color=theme.TEXT, size=theme.css_points(10))
    label_style = {"color": theme.MUTED, "font-size": theme.css_points(9)}
    plot.setLabel("bottom", "epoch", **label_style)
    plot.setLabel("left", y_label, **label_style)
    for axis in ("bottom", "left"):
        plot.getAxis(axis).setStyle(tickFont=theme.value_font(8))
    # Never narrower than the title with its key: a cut key would hide which curve is which.
    # The title is centred over the curves, right of the y axis: leave room for that too.
    title_width = plot.getPlotItem().titleLabel.item.boundingRect().width()
    plot.setMinimumWidth(round(title_width) + AXIS_ALLOWANCE_PX)
    plot.setMouseEnabled(x=False, y=False)
    plot.hideButtons()
    plot.getPlotItem().setXRange(0, INITIAL_EPOCHS, padding=0)
    plot.setMinimumHeight(110)
    return plot


def _curve(
    plot: pg.PlotWidget, colour: str | QColor, name: str, width: float = 2.0
) -> pg.PlotDataItem:
    # Antialiased 2-pixel pens are ~10× slower to draw than 1-pixel ones on long curves
    # (measured: 13.8 against 0.5 ms at 7,000 points): only epoch curves, with one point per
    # epoch, get the thick pen.
    item = plot.plot([], [], pen=pg.mkPen(colour, width=width), name=name)
    # After the item is added (pyqtgraph #1854): draw only what is visible, downsampled.
    item.setClipToView(True)
    item.setDownsampling(auto=True, method="peak")
    return item


def _chance_line(plot: pg.PlotWidget, value: float, text: str) -> None:
    line = pg.InfiniteLine(
        pos=value,
        angle=0,
        pen=pg.mkPen(theme.MUTED, width=1, style=Qt.PenStyle.DashLine),
        label=text,
        labelOpts={
            "position": 0.03,
            "color": theme.MUTED,
            "anchors": [(0, 1), (0, 1)],
            "fill": (255, 255, 255, 220),
        },
    )
    plot.addItem(line)


class TrainingPlots:
    """The loss plot (``loss_plot``) and accuracy plot (``accuracy_plot``), fed by progress."""

    def __init__(self) -> None:
        batch_colour = theme.brush(theme.TRAIN, 90).name(QColor.NameFormat.HexArgb)
        self.loss_plot = _make_plot(
            "loss_plot",
            "Loss",
            "cross-entropy",
            [(theme.TRAIN, "train"), (BATCH_KEY, "batches"), (theme.TEST, "test")],
        )
        self.accuracy_plot = _make_plot(
            "accuracy_plot", "Accuracy", "correct", [(theme.TRAIN, "train"), (theme.TEST, "test")]
        )
        _chance_line(self.loss_plot, CHANCE_LOSS, "guessing: ln 4")
        _chance_line(self.accuracy_plot, 0.25, "guessing: 25 %")
        self.accuracy_plot.getPlotItem().setYRange(0, 1.02, padding=0)
        self.accuracy_plot.getAxis("left").setTicks(
            # Three ticks: five printed over each other in a short plot (25 % has its own line).
            [[(v, f"{v:.0%}") for v in (0.0, 0.5, 1.0)]]
        )
        self._batch_curve = _curve(self.loss_plot, batch_colour, "train (batch)", 1)
        self._train_curve = _curve(self.loss_plot, theme.TRAIN, "train")
        self._test_curve = _curve(self.loss_plot, theme.TEST, "test")
        self._train_accuracy_curve = _curve(self.accuracy_plot, theme.TRAIN, "train")
        self._test_accuracy_curve = _curve(self.accuracy_plot, theme.TEST, "test")
        self.batch_losses = CurveBuffer()
        self._train_losses = CurveBuffer()
        self._test_losses = CurveBuffer()
        self._train_accuracy = CurveBuffer()
        self._test_accuracy = CurveBuffer()
        self._loss_grid = LightGrid(self.loss_plot)
        self._accuracy_grid = LightGrid(self.accuracy_plot)
        self._x_limit = INITIAL_EPOCHS
        self._loss_limit = 0.0
        self.clear()

    def clear(self, baseline: EpochRecord | None = None) -> None:
        """Empty every curve; start from ``baseline`` (epoch 0) when given."""
        for buffer in self._buffers():
            buffer.clear()
        self._x_limit = INITIAL_EPOCHS
        self._loss_limit = 0.0
        self._set_x_range(INITIAL_EPOCHS)
        self._grow_loss_range(2.0)
        if baseline is not None:
            self._append_epochs([baseline])
        self._redraw()

    def truncate_after(self, epoch: float) -> None:
        """Drop batch points past ``epoch`` (after divergence rewinds to the last good epoch)."""
        buffer = self.batch_losses
        keep = int(np.searchsorted(buffer.x, epoch, side="right"))
        x, y = buffer.x[:keep].copy(), buffer.y[:keep].copy()
        buffer.clear()
        buffer.extend(x, y)
        # The diverging batches had grown the loss axis; fit it to what is left.
        self._loss_limit = 0.0
        kept = [
            float(np.max(b.y)) for b in (buffer, self._train_losses, self._test_losses) if len(b)
        ]
        self._grow_loss_range(max([2.0, *kept]))
        self._redraw()

    def add_progress(
        self,
        positions: np.ndarray,
        losses: np.ndarray,
        epochs: Sequence[EpochRecord],
    ) -> None:
        """Append a progress message's batches and epochs, then redraw once."""
        if len(positions):
            self.batch_losses.extend(positions, losses)
            self._grow_loss_range(float(np.max(losses)))
        self._append_epochs(epochs)
        self._redraw()

    def _append_epochs(self, epochs: Sequence[EpochRecord]) -> None:
        if not epochs:
            return
        x = np.array([r.epoch for r in epochs], dtype=np.float64)
        self._train_losses.extend(x, np.array([r.train_loss for r in epochs]))
        self._test_losses.extend(x, np.array([r.test_loss for r in epochs]))
        self._train_accuracy.extend(x, np.array([r.train_accuracy for r in epochs]))
        self._test_accuracy.extend(x, np.array([r.test_accuracy for r in epochs]))
        self._grow_loss_range(max(max(r.train_loss, r.test_loss) for r in epochs))

    def _redraw(self) -> None:
        last_x = max(
            (float(b.x[-1]) for b in (self.batch_losses, self._test_losses) if len(b)),
            default=0.0,
        )
        if last_x > self._x_limit:
            while last_x > self._x_limit:
                self._x_limit *= 2
            self._set_x_range(self._x_limit)
        for item, buffer in (
            (self._batch_curve, self.batch_losses),
            (self._train_curve, self._train_losses),
            (self._test_curve, self._test_losses),
            (self._train_accuracy_curve, self._train_accuracy),
            (self._test_accuracy_curve, self._test_accuracy),
        ):
            thick = len(buffer) <= THICK_PEN_POINTS and item is not self._batch_curve
            if item.opts["pen"].widthF() != (2.0 if thick else 1.0):
                item.setPen(pg.mkPen(item.opts["pen"].color(), width=2.0 if thick else 1.0))
            item.setData(buffer.x, buffer.y)

    def _set_x_range(self, limit: float) -> None:
        self.loss_plot.getPlotItem().setXRange(0, limit, padding=0)
        self.accuracy_plot.getPlotItem().setXRange(0, limit, padding=0)
        self._loss_grid.set_ranges((0, limit), (0, self._loss_limit))
        self._accuracy_grid.set_ranges((0, limit), (0, 1))

    def _grow_loss_range(self, value: float) -> None:
        if value > self._loss_limit:
            self._loss_limit = nice_limit(value * 1.05)
            self.loss_plot.getPlotItem().setYRange(0, self._loss_limit, padding=0)
            self._loss_grid.set_ranges((0, self._x_limit), (0, self._loss_limit))

    def _buffers(self) -> tuple[CurveBuffer, ...]:
        return (
            self.batch_losses,
            self._train_losses,
            self._test_losses,
            self._train_accuracy,
            self._test_accuracy,
        )

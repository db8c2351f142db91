"""Live loss and accuracy curves against epochs, redrawn at most ~30 times a second.

Items are created once and fed slices of :class:`CurveBuffer` storage. Ranges never autoscale
(autoRange costs ~10 ms a panel): the x-axis doubles when a curve reaches its end, the loss
axis only grows, accuracy is fixed at 0–100 %.

Compare mode (:meth:`TrainingPlots.set_runs` with 2–4 pipelines) gives every run its own
colour and draws its epoch curves only: train solid and test dashed in the loss plot, test
solid and train dashed in the accuracy plot. Run 0's batch curve is hidden then (four noisy
batch curves would hide the differences), and the pipelines' names go in :attr:`legend`, a
label the caller places: a title key cannot hold them.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtGui import QPen

from gui import theme
from gui.widgets.bar_plot import style_axis
from gui.widgets.light_grid import LightGrid, nice_limit
from gui.widgets.plot_curve import PlotCurve
from gui.widgets.wrapped_label import WrappedLabel
from model.config import MAX_COMPARED
from model.records import EpochRecord

INITIAL_EPOCHS = 5.0
CHANCE_LOSS = math.log(4)
#: Room for the y axis (ticks and label) beside a plot's centred title.
AXIS_ALLOWANCE_PX = 64
#: The batch curve is the training colour at this opacity; its key, that colour on the
#: background.
BATCH_ALPHA = 90
#: One colour per compared run (run 0 first, in the training colour), in the light palette:
#: Okabe–Ito's blue, vermillion, bluish green and reddish purple, told apart with every
#: common colour-vision deficiency. Vermillion replaces Okabe–Ito's orange, whose contrast on
#: white is 2.2:1; these are 5.2, 3.9, 3.4 and 3.1:1, above the 3:1 lines and swatches need.
#: Drawing reads ``theme.RUNS``, the colours of the palette in use (the dark palette's are
#: lighter: see gui/palette.py).
RUN_COLOURS = tuple(
    theme.OKABE_ITO[name] for name in ("blue", "vermillion", "bluish green", "reddish purple")
)
_SOLID_KEY = "━━"
_DASHED_KEY = "╍╍"
#: Comparing, title keys (colour, text, line) per plot ("" is the text's colour, looked up
#: when drawn: presenter mode darkens it).
_COMPARE_KEYS = {
    "Loss": (("", "train"), ("", "test", _DASHED_KEY)),
    "Accuracy": (("", "test"), ("", "train", _DASHED_KEY)),
}
_DASHED_WHEN_COMPARED = ("test_loss", "train_accuracy")


def batch_key() -> str:
    """The batch curve's key colour: the training colour, translucent on the background."""
    return theme.on_background(theme.TRAIN, BATCH_ALPHA)


def _single_keys() -> dict[str, tuple[tuple[str, str], ...]]:
    """Title keys (colour, text) per plot with one run, in the palette's colours."""
    return {
        "Loss": ((theme.TRAIN, "train"), (batch_key(), "batches"), (theme.TEST, "test")),
        "Accuracy": ((theme.TRAIN, "train"), (theme.TEST, "test")),
    }


def run_name(run: int) -> str:
    """How the window names run ``run`` (0-based id) to a learner: "Run 1" is the main one."""
    return f"Run {run + 1}"


def _unbroken_settings(label: str) -> str:
    """``label`` as rich text whose "T = 0.5" cannot be split over two lines."""
    return html.escape(label).replace(" = ", "&nbsp;=&nbsp;")


def _key(colour: str, text: str, line: str = _SOLID_KEY) -> str:
    shade = colour or theme.TEXT
    return f"&nbsp;&nbsp;&nbsp;<span style='color:{shade}'><b>{line}</b></span>&nbsp;{text}"


def _set_title(plot: pg.PlotWidget, title: str, keys: str) -> None:
    item = plot.getPlotItem()
    plot.setTitle(f"<b>{title}</b>{keys}", color=theme.TEXT, size=theme.css_points(10))
    # pyqtgraph gives a title row 30 px, which cut a presenter-sized title: fit it instead.
    height = max(30, math.ceil(item.titleLabel.item.boundingRect().height()))
    item.titleLabel.setMaximumHeight(height)
    item.layout.setRowFixedHeight(0, height)
    # Never narrower than the title with its key: a cut key would hide which curve is which.
    # The title is centred over the curves, right of the y axis: leave room for that too.
    title_width = item.titleLabel.item.boundingRect().width()
    plot.setMinimumWidth(round(title_width) + AXIS_ALLOWANCE_PX)


def _style_plot(plot: pg.PlotWidget, y_label: str) -> None:
    """Axis labels and ticks at the theme's size and colours (again when it changes)."""
    for axis in ("bottom", "left"):
        style_axis(plot.getAxis(axis), 8)
    label_style = {"color": theme.MUTED, "font-size": theme.css_points(9)}
    plot.setLabel("bottom", "epoch", **label_style)
    plot.setLabel("left", y_label, **label_style)


class EpochAxis(pg.AxisItem):  # type: ignore[misc]  # pyqtgraph is untyped
    """Epochs are whole numbers: on a wide plot pyqtgraph ticked 0.5, 1.5, … before a run."""

    def tickSpacing(self, low: float, high: float, size: float) -> list[tuple[float, float]]:
        """pyqtgraph's spacings, but none finer than one epoch."""
        levels = super().tickSpacing(low, high, size)
        whole = [(spacing, offset) for spacing, offset in levels if spacing >= 1.0]
        return whole or [(1.0, 0.0)]


def _make_plot(object_name: str, title: str, y_label: str) -> pg.PlotWidget:
    plot = pg.PlotWidget(axisItems={"bottom": EpochAxis("bottom")})
    plot.setObjectName(object_name)
    plot.setAccessibleName(title)
    _style_plot(plot, y_label)
    plot.setMouseEnabled(x=False, y=False)
    plot.hideButtons()
    plot.getPlotItem().setXRange(0, INITIAL_EPOCHS, padding=0)
    plot.setMinimumHeight(110)
    return plot


def _chance_line(plot: pg.PlotWidget, value: float, text: str) -> pg.InfiniteLine:
    line = pg.InfiniteLine(
        pos=value,
        angle=0,
        label=text,
        labelOpts={"position": 0.03, "anchors": [(0, 1), (0, 1)]},
    )
    _style_chance_line(line)
    plot.addItem(line)
    return line


def _style_chance_line(line: pg.InfiniteLine) -> None:
    line.setPen(pg.mkPen(theme.MUTED, width=1, style=Qt.PenStyle.DashLine))
    line.label.setColor(theme.MUTED)
    line.label.setFont(theme.value_font(10))
    line.label.fill = pg.mkBrush(theme.brush(theme.BACKGROUND, 220))
    line.label.update()


class _RunCurves:
    """One run's four epoch curves: losses in the loss plot, accuracies in the other."""

    def __init__(self, loss_plot: pg.PlotWidget, accuracy_plot: pg.PlotWidget, run: int) -> None:
        name = "" if run == 0 else f"{run_name(run)} "
        self.curves = tuple(
            PlotCurve(plot, f"{data}_{measure}", f"{name}{data}")
            for plot, measure in ((loss_plot, "loss"), (accuracy_plot, "accuracy"))
            for data in ("train", "test")
        )
        self.loss_curves = self.curves[:2]

    def append(self, epochs: Sequence[EpochRecord]) -> None:
        x = np.array([r.epoch for r in epochs], dtype=np.float64)
        for curve in self.curves:
            curve.extend(x, np.array([getattr(r, curve.field) for r in epochs], dtype=np.float64))


class TrainingPlots:
    """The loss plot (``loss_plot``) and accuracy plot (``accuracy_plot``), fed by progress,
    and the legend of compared runs (``compare_legend``, hidden while one run trains)."""

    def __init__(self) -> None:
        self.loss_plot = _make_plot("loss_plot", "Loss", "cross-entropy")
        self.accuracy_plot = _make_plot("accuracy_plot", "Accuracy", "correct")
        self._chance_lines = (
            _chance_line(self.loss_plot, CHANCE_LOSS, "guessing: ln 4"),
            _chance_line(self.accuracy_plot, 0.25, "guessing: 25 %"),
        )
        self.accuracy_plot.getPlotItem().setYRange(0, 1.02, padding=0)
        self.accuracy_plot.getAxis("left").setTicks(
            # Three ticks: five printed over each other in a short plot (25 % has its own line).
            [[(v, f"{v:.0%}") for v in (0.0, 0.5, 1.0)]]
        )
        self._batch = PlotCurve(self.loss_plot, "", "train (batch)", thin=True)
        #: Run 0's batch losses (kept in compare mode too, where they are not drawn).
        self.batch_losses = self._batch.buffer
        # Every run's items exist from the start (hidden until compared): created once.
        self._runs = [
            _RunCurves(self.loss_plot, self.accuracy_plot, run) for run in range(MAX_COMPARED)
        ]
        self.legend = WrappedLabel()
        self.legend.setObjectName("compare_legend")
        self.legend.setAccessibleName("Compared pipelines")
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        self.legend.setToolTip(
            "Each run trains another pipeline on the same task, data order, initial weights "
            "and optimizer. Run 1 is the one the stage panels trace."
        )
        self.legend.hide()
        self._labels: tuple[str, ...] = ("",)
        self._loss_grid = LightGrid(self.loss_plot)
        self._accuracy_grid = LightGrid(self.accuracy_plot)
        self._x_limit = INITIAL_EPOCHS
        self._loss_limit = 0.0
        self._apply_style()
        self.clear()
        theme.follow(self._apply_theme)

    def _apply_theme(self) -> None:
        """Fonts and text colours again, at the theme's new size (presenter mode)."""
        if not shiboken6.isValid(self.loss_plot):
            return  # the plots went with their window; this object outlived them
        _style_plot(self.loss_plot, "cross-entropy")
        _style_plot(self.accuracy_plot, "correct")
        for line in self._chance_lines:
            _style_chance_line(line)
        self._apply_style()  # the titles, with their keys; the curves' colours
        self._redraw()

    # Public API ---------------------------------------------------------------------------

    @property
    def comparing(self) -> bool:
        """True while two or more runs are drawn."""
        return len(self._labels) > 1

    def set_runs(self, labels: Sequence[str], baselines: Sequence[EpochRecord] = ()) -> None:
        """Draw ``labels``' runs (run 0 first), each from its baseline (epoch 0) if given.

        One label is the usual single-run look; two to four compare. Every curve is emptied.
        """
        if not 1 <= len(labels) <= MAX_COMPARED:
            raise ValueError(f"1 to {MAX_COMPARED} runs, not {len(labels)}")
        if len(baselines) > len(labels):
            raise ValueError(f"{len(baselines)} baselines for {len(labels)} runs")
        self._labels = tuple(labels)
        self._apply_style()
        self._clear_curves()
        for run, baseline in enumerate(baselines):
            self._append_epochs(run, [baseline])
        self._redraw()

    def clear(self, baseline: EpochRecord | None = None) -> None:
        """Empty every run's curves; run 0 starts from ``baseline`` (epoch 0) when given."""
        self._clear_curves()
        if baseline is not None:
            self._append_epochs(0, [baseline])
        self._redraw()

    def truncate_after(self, epoch: float, run: int | None = None) -> None:
        """Drop points past ``epoch`` of run ``run``, or of every run when None (after a
        divergence rewinds that run to its last good epoch)."""
        runs = range(len(self._runs)) if run is None else [run]
        for index in runs:
            curves = list(self._runs[index].curves) + ([self._batch] if index == 0 else [])
            for curve in curves:
                curve.keep_until(epoch)
        # Diverging losses had grown the loss axis; fit it to what is left.
        self._loss_limit = 0.0
        kept = [float(np.max(c.buffer.y)) for c in self._drawn_loss_curves() if len(c.buffer)]
        self._grow_loss_range(max([2.0, *kept]))
        self._redraw()

    def add_progress(
        self,
        positions: np.ndarray,
        losses: np.ndarray,
        epochs: Sequence[EpochRecord],
    ) -> None:
        """Append run 0's batches and epochs (a progress message's), then redraw once."""
        if len(positions):
            self._batch.extend(positions, losses)
            if self._batch.visible:
                self._grow_loss_range(float(np.max(losses)))
        self._append_epochs(0, epochs)
        self._redraw()

    def add_compared(
        self,
        run: int,
        positions: np.ndarray,
        losses: np.ndarray,
        epochs: Sequence[EpochRecord],
    ) -> None:
        """Append compared run ``run``'s epochs (1 to 3), then redraw once.

        Its batches are not drawn (so ``positions`` and ``losses`` are ignored): four batch
        curves would hide the differences between the runs and cost the most to draw. A run
        outside the current :meth:`set_runs` (a message from before it) is ignored.
        """
        del positions, losses
        if not 1 <= run < len(self._labels):
            return
        self._append_epochs(run, epochs)
        self._redraw()

    def curve_data(self, run: int, field: str) -> tuple[np.ndarray, np.ndarray, QPen, bool]:
        """For tests and tools: run ``run``'s curve of ``field`` ("train_loss", "test_loss",
        "train_accuracy", "test_accuracy") as drawn: x, y, pen, and whether it is visible."""
        curve = next(c for c in self._runs[run].curves if c.field == field)
        x, y = (np.zeros(0) if values is None else values for values in curve.item.getData())
        return x, y, curve.item.opts["pen"], curve.visible

    # Drawing ------------------------------------------------------------------------------

    def _apply_style(self) -> None:
        compare = self.comparing
        batch = theme.brush(theme.TRAIN, BATCH_ALPHA)
        self._batch.set_style(batch, dashed=False, visible=not compare)
        for run, curves in enumerate(self._runs):
            for curve in curves.curves:
                train = curve.field.startswith("train")
                if compare:  # colour: the run; dashes: the data set that matters less there
                    colour, dashed = theme.RUNS[run], curve.field in _DASHED_WHEN_COMPARED
                else:
                    colour, dashed = (theme.TRAIN if train else theme.TEST), False
                curve.set_style(colour, dashed, visible=run < len(self._labels))
        # The key is part of the title: a legend inside the plot sat on the curves or on the
        # dashed "guessing" line. Comparing, the colours name runs (see the legend) and the
        # keys say which line is which data set.
        keys = _COMPARE_KEYS if compare else _single_keys()
        # Every run starts at chance, so up to eight curves leave through the chance line's
        # label on the left: comparing, it goes right, where trained runs have left chance.
        for line in self._chance_lines:
            line.label.anchors = [(1, 1), (1, 1)] if compare else [(0, 1), (0, 1)]
            line.label.setPosition(0.97 if compare else 0.03)
        for plot, title in ((self.loss_plot, "Loss"), (self.accuracy_plot, "Accuracy")):
            _set_title(plot, title, "".join(_key(*key) for key in keys[title]))
        self._set_legend()

    def _set_legend(self) -> None:
        if not self.comparing:
            self.legend.hide()
            self.legend.setText("")
            return
        # A table, so that a long name wraps under itself rather than under the swatch.
        rows = "".join(
            f"<tr><td style='color:{theme.RUNS[run]}'>■&nbsp;</td>"
            f"<td><b>{run_name(run)}:</b> {_unbroken_settings(label)}</td></tr>"
            for run, label in enumerate(self._labels)
        )
        self.legend.setText(f"<table cellspacing='0' cellpadding='0'>{rows}</table>")
        self.legend.setAccessibleDescription(
            "; ".join(f"{run_name(run)}: {label}" for run, label in enumerate(self._labels))
        )
        self.legend.show()

    def _clear_curves(self) -> None:
        for curve in self._all_curves():
            curve.clear()
        self._x_limit = INITIAL_EPOCHS
        self._loss_limit = 0.0
        self._set_x_range(INITIAL_EPOCHS)
        self._grow_loss_range(2.0)

    def _append_epochs(self, run: int, epochs: Sequence[EpochRecord]) -> None:
        if not epochs:
            return
        self._runs[run].append(epochs)
        if run < len(self._labels):
            self._grow_loss_range(max(max(r.train_loss, r.test_loss) for r in epochs))

    def _drawn_loss_curves(self) -> list[PlotCurve]:
        curves = [c for run in self._runs for c in run.loss_curves if c.visible]
        return [self._batch, *curves] if self._batch.visible else curves

    def _redraw(self) -> None:
        last_x = max(
            (float(c.buffer.x[-1]) for c in self._drawn_loss_curves() if len(c.buffer)),
            default=0.0,
        )
        if last_x > self._x_limit:
            while last_x > self._x_limit:
                self._x_limit *= 2
            self._set_x_range(self._x_limit)
        for curve in self._all_curves():
            curve.draw()

    def _all_curves(self) -> list[PlotCurve]:
        return [self._batch, *(curve for run in self._runs for curve in run.curves)]

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

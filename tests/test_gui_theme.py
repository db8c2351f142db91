"""One theme: presenter mode scales every font and darkens the text, and turning it off
restores the exact sizes; the colours are Okabe–Ito's and readable; and three layouts a new
user saw go wrong (the bar legend's ghost key, the formula beside the shape, cut epoch
observations) stay right.

Contrast and colour-vision checks are computed here from their definitions (WCAG 2 relative
luminance; Machado et al. 2009 simulation matrices), not taken from the theme.
"""

from __future__ import annotations

import gc
import re
import weakref
from collections.abc import Iterator

import layout_checks
import numpy as np
import pytest
import shiboken6
from helpers import window_font
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QTextDocument
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QVBoxLayout,
    QWidget,
)
from pytestqt.qtbot import QtBot

from gui import theme
from gui.pipeline_view import _bar_legend, make_input_panel
from gui.widgets.activation_curve import ActivationCurve
from gui.widgets.bar_plot import KEY_GAP
from gui.widgets.epoch_table import EpochTable, EpochTableModel
from gui.widgets.fitting_label import html_width
from gui.widgets.input_table import InputTable, InputTableModel
from gui.widgets.stage_panel import StagePanel
from gui.widgets.training_plots import RUN_COLOURS, TrainingPlots
from model.activations import get_activation
from model.config import DEFAULT_INPUTS
from model.network import trace_inputs
from model.records import EpochRecord

ZOOM = 1.6
LONG_OBSERVATION = (
    "Biggest drop so far: loss −0.357 (38%), test accuracy 86%; two ReLU units of layer 1 "
    "died and pass no gradient back any more."
)


@pytest.fixture(autouse=True)
def _window_font(qapp: QApplication) -> Iterator[None]:
    """The window's 10 pt text, and presenter mode off again whatever the test did."""
    theme.configure_pyqtgraph()
    with window_font(qapp):
        yield
        theme.set_presenting(False)


def contrast(colour: str, background: str = "#ffffff") -> float:
    """WCAG 2 contrast ratio of two colours."""

    def luminance(name: str) -> float:
        channels = np.array(QColor(name).getRgbF()[:3])
        linear = np.where(
            channels <= 0.04045, channels / 12.92, ((channels + 0.055) / 1.055) ** 2.4
        )
        return float(np.dot([0.2126, 0.7152, 0.0722], linear))

    high, low = sorted((luminance(colour), luminance(background)), reverse=True)
    return (high + 0.05) / (low + 0.05)


# Presenter mode -------------------------------------------------------------------------------


def test_presenter_mode_scales_every_size_and_restores_it_exactly(qapp: QApplication) -> None:
    designs = (7, 8, 9, 10, 11, 13)
    sizes = [theme.points(p) for p in designs]
    css, font_points = theme.css_points(11), qapp.font().pointSizeF()
    text, muted = theme.TEXT, theme.MUTED
    assert not theme.presenting()
    assert theme.zoom() == 1.0

    theme.set_presenting(True)
    assert theme.presenting()
    assert theme.zoom() == theme.PRESENTER_ZOOM >= ZOOM
    for design, before in zip(designs, sizes, strict=True):
        assert theme.points(design) >= ZOOM * before - 1e-9
    assert theme.value_font(9).pointSizeF() >= ZOOM * sizes[2] - 1e-6
    assert qapp.font().pointSizeF() >= ZOOM * font_points - 1e-6
    assert contrast(theme.TEXT) >= 19  # near black
    assert contrast(theme.MUTED) >= 14
    assert contrast(theme.TEXT) > contrast(text)
    assert contrast(theme.MUTED) > contrast(muted)

    theme.set_presenting(False)
    assert not theme.presenting()
    assert [theme.points(p) for p in designs] == sizes
    assert theme.css_points(11) == css
    assert qapp.font().pointSizeF() == font_points
    assert (text, muted) == (theme.TEXT, theme.MUTED)


class _Counter:
    def __init__(self) -> None:
        self.calls: list[bool] = []

    def on_theme(self) -> None:
        self.calls.append(theme.presenting())


class _QtFollower(QLabel):
    def on_theme(self) -> None:
        self.setText("restyled")  # raises once the C++ label is deleted


def test_followers_are_told_and_dead_ones_dropped(qtbot: QtBot) -> None:
    alive, dying = _Counter(), _Counter()
    theme.follow(alive.on_theme)
    theme.follow(dying.on_theme)
    dying_ref = weakref.ref(dying)
    del dying
    gc.collect()
    assert dying_ref() is None, "following kept the follower alive"
    deleted = _QtFollower()
    theme.follow(deleted.on_theme)
    shiboken6.delete(deleted)  # gone in C++, its Python wrapper still held here

    theme.set_presenting(True)  # would raise if the deleted label were called
    assert alive.calls == [True]
    owners = [getattr(method, "__self__", None) for method in theme.followers()]
    assert alive in owners
    assert deleted not in owners
    assert sum(isinstance(owner, _Counter) for owner in owners) == 1
    theme.set_presenting(True)  # no change, nobody told
    theme.set_presenting(False)
    assert alive.calls == [True, False]


def _sizes(panel: StagePanel, table: InputTable, curve: ActivationCurve) -> dict[str, float]:
    """Font sizes and measured sizes a learner would see grow."""
    formula = panel.findChild(QLabel, "stage_formula_layer2")
    meaning = panel.findChild(QLabel, "stage_meaning_layer2")
    for label in (formula, meaning):
        label.ensurePolished()
    item = panel.plot.getPlotItem()
    QApplication.processEvents()
    panel.plot.viewport().repaint()  # the numbers on the bars are laid out when painted
    placed = panel.label_item.placed
    return {
        "formula": formula.font().pointSizeF(),
        "meaning": meaning.font().pointSizeF(),
        "ticks": item.getAxis("left").style["tickFont"].pointSizeF(),
        "bar names": item.getAxis("bottom").style["tickFont"].pointSizeF(),
        "bar names' height": item.getAxis("bottom").height(),
        "numbers": max(label.font.pointSizeF() for label in placed),
        "inputs": table.font().pointSizeF(),
        "input row": table.height(),
        "curve title": curve.findChild(QLabel, "curve_title_layer2").font().pointSizeF(),
        "curve ticks": curve.plot.getPlotItem().getAxis("left").style["tickFont"].pointSizeF(),
    }


def test_panel_plot_inputs_and_curve_grow_and_shrink_back(qtbot: QtBot) -> None:
    trace = trace_inputs(DEFAULT_INPUTS, target=2)
    panel = StagePanel.for_activation("layer2", "layer 2", get_activation("Sigmoid"))
    table = InputTable(InputTableModel(DEFAULT_INPUTS))
    curve = ActivationCurve("layer2")
    window = QWidget()
    qtbot.addWidget(window)
    layout = QHBoxLayout(window)
    for widget in (panel, table, curve):
        layout.addWidget(widget)
    panel.show_stage(trace.stages[2])
    curve.show_stage(trace.stages[2])
    window.resize(1800, 900)  # room for every number at full size, zoomed or not
    window.show()
    qtbot.waitExposed(window)
    before = _sizes(panel, table, curve)

    theme.set_presenting(True)
    qtbot.waitUntil(lambda: _sizes(panel, table, curve)["numbers"] >= ZOOM * before["numbers"])
    zoomed = _sizes(panel, table, curve)
    for name in ("formula", "meaning", "ticks", "bar names", "inputs", "curve title"):
        assert zoomed[name] >= ZOOM * before[name] - 0.06, name  # style sheets round to 0.1 pt
    assert zoomed["curve ticks"] >= ZOOM * before["curve ticks"] - 1e-6
    assert zoomed["bar names' height"] > before["bar names' height"]
    assert zoomed["input row"] > before["input row"]

    theme.set_presenting(False)
    qtbot.waitUntil(lambda: _sizes(panel, table, curve) == before)


def test_training_plots_follow_and_keep_their_titles_whole(qtbot: QtBot) -> None:
    plots = TrainingPlots()
    window = QMainWindow()
    qtbot.addWidget(window)
    central = QWidget()
    layout = QVBoxLayout(central)
    layout.addWidget(plots.loss_plot)
    layout.addWidget(plots.accuracy_plot)
    window.setCentralWidget(central)
    window.resize(700, 700)
    window.show()
    qtbot.waitExposed(window)
    axis = plots.loss_plot.getAxis("left")
    before = axis.style["tickFont"].pointSizeF()
    theme.set_presenting(True)
    assert axis.style["tickFont"].pointSizeF() >= ZOOM * before - 1e-6
    QApplication.processEvents()
    assert layout_checks.layout_problems(window) == []  # includes "title is cut"
    theme.set_presenting(False)
    assert axis.style["tickFont"].pointSizeF() == before


# Colours --------------------------------------------------------------------------------------

#: Machado, Oliveira & Fernandes (2009), severity 1, applied to linear RGB.
CVD = {
    "normal": np.eye(3),
    "protan": np.array(
        [
            [0.152286, 1.052583, -0.204868],
            [0.114503, 0.786281, 0.099216],
            [-0.003882, -0.048116, 1.051998],
        ]
    ),
    "deutan": np.array(
        [
            [0.367322, 0.860646, -0.227968],
            [0.280085, 0.672501, 0.047413],
            [-0.011820, 0.042940, 0.968881],
        ]
    ),
    "tritan": np.array(
        [
            [1.255528, -0.076749, -0.178779],
            [-0.078411, 0.930809, 0.147602],
            [0.004733, 0.691367, 0.303900],
        ]
    ),
}


def _lab(colour: str, matrix: np.ndarray) -> np.ndarray:
    """CIELAB (D65) of ``colour`` as seen through a colour-vision simulation ``matrix``."""
    channels = np.array(QColor(colour).getRgbF()[:3])
    linear = np.where(channels <= 0.04045, channels / 12.92, ((channels + 0.055) / 1.055) ** 2.4)
    rgb = np.clip(matrix @ linear, 0, 1)
    xyz = (
        np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]])
        @ rgb
    )
    t = xyz / np.array([0.95047, 1.0, 1.08883])
    f = np.where(t > 0.008856, np.cbrt(t), 7.787 * t + 16 / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def _closest(first: str, second: str) -> float:
    """The smallest CIE76 colour difference of two colours over every simulated vision."""
    return min(float(np.linalg.norm(_lab(first, m) - _lab(second, m))) for m in CVD.values())


def test_the_palette_is_okabe_ito() -> None:
    assert theme.POSITIVE == "#0072b2"  # blue
    assert theme.NEGATIVE == "#d55e00"  # vermillion
    assert theme.PREDICTED == "#009e73"  # bluish green
    assert theme.TEST == "#cc79a7"  # reddish purple
    assert theme.TRAIN == theme.POSITIVE
    assert theme.DIVERGING == (theme.NEGATIVE, "#ffffff", theme.POSITIVE)
    assert tuple(c.lower() for c in RUN_COLOURS) == ("#0072b2", "#d55e00", "#009e73", "#cc79a7")
    assert RUN_COLOURS[0] == theme.TRAIN  # run 1 keeps the single run's colour


def test_every_meaning_has_its_own_colour_for_every_vision() -> None:
    meanings = {
        "positive": theme.POSITIVE,
        "negative": theme.NEGATIVE,
        "predicted": theme.PREDICTED,
        "test": theme.TEST,
        "ghost": theme.GHOST,
        "error": theme.ERROR,
        "gradient": theme.GRADIENT,
        "slope": theme.SLOPE,
    }
    assert len(set(meanings.values())) == len(meanings)
    for name in ("gradient", "slope"):
        for other, colour in meanings.items():
            if other != name:
                assert _closest(meanings[name], colour) >= 20, (name, other)
    # The pairs drawn side by side: f and f′ (with red rings on its marks), train and test.
    assert _closest(theme.POSITIVE, theme.SLOPE) >= 30
    assert _closest(theme.SLOPE, theme.ERROR) >= 30
    assert _closest(theme.TRAIN, theme.TEST) >= 20


def test_colours_read_on_white() -> None:
    """Bars and lines need 3:1 against white, small text 4.5:1: a pale palette colour gets a
    darker shade for text, and only a pale one does."""
    for colour in (theme.POSITIVE, theme.NEGATIVE, theme.PREDICTED, theme.TEST):
        assert contrast(colour) >= 3.0, colour
    for colour in (theme.GRADIENT, theme.SLOPE, theme.ERROR, theme.POSITIVE):
        assert contrast(colour) >= 4.5, colour
        assert theme.text_colour(colour) == colour
    for colour in (theme.NEGATIVE, theme.PREDICTED, theme.TEST):
        assert contrast(colour) < 4.5
        assert contrast(theme.text_colour(colour)) >= 4.5, colour
    assert contrast(theme.TEXT) >= 7
    assert contrast(theme.MUTED) >= 7


def test_bars_are_drawn_in_the_palette(qtbot: QtBot) -> None:
    panel = make_input_panel()
    qtbot.addWidget(panel)
    panel.show_stage(trace_inputs(DEFAULT_INPUTS).stages[0])
    assert panel.bar_colours == ("#0072b2", "#d55e00", "#0072b2", "#0072b2")


# Polish: legend, formula, epoch rows ----------------------------------------------------------


def _swatch_pixels(label: QLabel, colour: str) -> int:
    image = label.grab().toImage()
    wanted = QColor(colour).rgb()
    return sum(
        image.pixel(x, y) == wanted for x in range(image.width()) for y in range(image.height())
    )


@pytest.mark.parametrize("width", [240, 300, 330, 380, 480, 700, 1300])
def test_the_bar_legend_draws_its_keys_and_never_splits_one(qtbot: QtBot, width: int) -> None:
    """Each key is a drawn swatch (the "▭" glyph sat on the baseline and read as a line
    through "z = W·x + b") that stays on one line with its words (Qt left the swatch at the
    end of one line and its words on the next), and every line shows whole."""
    legend = _bar_legend()
    qtbot.addWidget(legend)
    legend.resize(width, 20)
    legend.show()
    qtbot.waitExposed(legend)
    QApplication.processEvents()
    text = legend.text()
    assert "▭" not in text
    assert "■" not in text
    keys = [key for line in legend.lines for key in line]
    words = [re.sub(r"<img [^>]*>", "", key).replace("&nbsp;", " ").strip() for key in keys]
    assert words == ["positive", "negative", "predicted", "z = W·x + b", "∂L/∂z", "flat"]
    assert all(key.startswith("<img ") for key in keys)
    room = legend.contentsRect().width()
    for line in legend.lines:  # each line fits: nothing in it wraps
        assert html_width(KEY_GAP.join(line), legend.font()) <= room or len(line) == 1
    if width >= 700:
        assert len(legend.lines) == 1
    document = QTextDocument()
    document.setDefaultFont(legend.font())
    document.setDocumentMargin(0)
    document.setHtml(text)
    assert legend.height() >= document.size().height()  # no line cut off
    side = int(re.search(r"width='(\d+)'", text).group(1))  # type: ignore[union-attr]
    for colour in (theme.POSITIVE, theme.NEGATIVE, theme.PREDICTED, theme.GRADIENT):
        assert _swatch_pixels(legend, colour) >= (side - 1) ** 2, colour  # a whole square
    theme.set_presenting(True)
    zoomed = int(re.search(r"width='(\d+)'", legend.text()).group(1))  # type: ignore[union-attr]
    assert zoomed >= ZOOM * side - 2


def _pipeline_row(qtbot: QtBot, width: int) -> tuple[QMainWindow, list[StagePanel]]:
    """The four panels as the window shows them, layer panels with their activation pickers."""
    panels = [make_input_panel()]
    for index, name in enumerate(("ReLU", "Sigmoid", "Softmax"), 1):
        panel = StagePanel.for_activation(f"layer{index}", f"layer {index}", get_activation(name))
        picker = QComboBox()
        picker.addItems([name, "LeakyReLU", "Identity"])
        panel.add_title_widget(picker, names_activation=True)
        panels.append(panel)
    window = QMainWindow()
    qtbot.addWidget(window)
    row = QWidget()
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(6)
    for panel in panels:
        layout.addWidget(panel, 1)
    window.setCentralWidget(row)
    trace = trace_inputs(DEFAULT_INPUTS, target=2)
    for index, (panel, stage) in enumerate(zip(panels, trace.stages, strict=True)):
        panel.show_stage(stage, trace.prediction if index == 3 else None)
    window.resize(width, 420 if width < 1500 else 600)
    window.show()
    qtbot.waitExposed(window)
    QApplication.processEvents()
    return window, panels


#: The panels' share of a 1024- and a 1920-pixel window (the training column takes the rest),
#: and the whole width of each.
ROW_WIDTHS = [700, 1024, 1300, 1920]


@pytest.mark.parametrize("presenting", [False, True], ids=["normal", "presenter"])
@pytest.mark.parametrize("width", ROW_WIDTHS)
def test_the_formula_never_touches_the_shape(qtbot: QtBot, width: int, presenting: bool) -> None:
    """ "σ(z) = 1 / (1 + e^−z)" ran into "1 × 4 → 1 × 4": the formula has a line of its own,
    under the title row, whole, at every width."""
    theme.set_presenting(presenting)
    window, panels = _pipeline_row(qtbot, width)
    QApplication.processEvents()
    shapes_shown = 0
    for panel in panels:
        formula = panel.findChild(QLabel, f"stage_formula_{panel.key}")
        shape = panel.findChild(QLabel, f"stage_shape_{panel.key}")
        title_row = [shape, panel.findChild(QLabel, f"stage_title_{panel.key}")]
        title_row += panel.findChildren(QComboBox)
        assert formula.isVisible()
        assert formula.text()
        for neighbour in title_row:
            if neighbour.isVisible() and neighbour.width() > 0:
                assert not formula.geometry().intersects(neighbour.geometry()), panel.key
                assert formula.geometry().top() >= neighbour.geometry().bottom()
        if shape.isVisible() and shape.text():
            shapes_shown += 1
            drawn = shape.fontMetrics().horizontalAdvance(shape.text())
            assert drawn <= shape.contentsRect().width()  # whole, not cut
        assert formula.height() >= formula.text_height(formula.width())  # whole, not cut
    assert layout_checks.layout_problems(window) == []
    if not (presenting and width < 1000):  # zoomed in a narrow row, the shape steps aside
        assert shapes_shown >= 1


def _record(epoch: int, observation: str) -> EpochRecord:
    return EpochRecord(
        epoch=epoch,
        train_loss=1.0,
        test_loss=1.1,
        train_accuracy=0.55,
        test_accuracy=0.5,
        dead_units=(0, 0),
        saturated_units=(0, 0),
        layer_width=4,
        observation=observation,
    )


def _fits(table: EpochTable, rows: range | list[int]) -> bool:
    """Each row at least as tall as the delegate's own measure of its wrapped cells."""
    return all(table.rowHeight(row) >= table.sizeHintForRow(row) for row in rows)


def test_epoch_rows_grow_to_show_the_whole_observation(qtbot: QtBot) -> None:
    model = EpochTableModel()
    table = EpochTable(model)
    qtbot.addWidget(table)
    table.resize(520, 400)
    table.show()
    qtbot.waitExposed(table)
    model.append([_record(1, "Fine."), _record(2, LONG_OBSERVATION)])
    one_line = table.verticalHeader().defaultSectionSize()
    assert not table.isColumnHidden(4)
    assert table.rowHeight(0) == one_line
    column = table.columnWidth(4)
    wrapped = table.fontMetrics().boundingRect(
        QRect(0, 0, column - 8, 10_000), int(Qt.TextFlag.TextWordWrap), LONG_OBSERVATION
    )
    assert wrapped.height() >= 3 * table.fontMetrics().height()  # it really wraps
    assert table.rowHeight(1) >= wrapped.height()
    assert _fits(table, [0, 1])
    assert table.wordWrap()

    # Narrower: every row is measured again, also past the first chunk of rows.
    model.append([_record(epoch, LONG_OBSERVATION) for epoch in range(3, 400)])
    tall = table.rowHeight(1)
    table.resize(400, 400)
    qtbot.waitUntil(lambda: table.rowHeight(0) == one_line and table.rowHeight(1) > tall)
    qtbot.waitUntil(lambda: _fits(table, [2, 150, 250, 398]))
    assert _fits(table, range(model.rowCount()))
    # Wider again: rows shrink back to what they need.
    table.resize(900, 400)
    qtbot.waitUntil(lambda: table.rowHeight(398) < tall)
    assert _fits(table, [1, 398])


def test_the_epoch_table_follows_presenter_mode(qtbot: QtBot) -> None:
    model = EpochTableModel()
    table = EpochTable(model)
    qtbot.addWidget(table)
    table.resize(700, 400)
    table.show()
    qtbot.waitExposed(table)
    model.append([_record(1, LONG_OBSERVATION)])
    widths, row = [table.columnWidth(c) for c in (0, 1, 2, 3)], table.rowHeight(0)
    theme.set_presenting(True)
    qtbot.waitUntil(lambda: table.rowHeight(0) > row and _fits(table, [0]))
    assert all(table.columnWidth(c) > w for c, w in zip((0, 1, 2, 3), widths, strict=True))
    theme.set_presenting(False)
    qtbot.waitUntil(lambda: table.rowHeight(0) == row)
    assert [table.columnWidth(c) for c in (0, 1, 2, 3)] == widths

"""The widgets of part 4 (compare pipelines), each alone with made-up epochs: no model process.

Plots in compare mode (a colour per run, dashed test curves, a legend naming every pipeline),
the epoch table's units column, the compare table and its leading run, the compare dialog.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QPushButton,
    QWidget,
)

from gui import theme
from gui.widgets.compare_dialog import CompareDialog
from gui.widgets.compare_table import CompareTable, CompareTableModel
from gui.widgets.epoch_table import EpochTable, EpochTableModel
from gui.widgets.training_plots import RUN_COLOURS, TrainingPlots
from model.config import Pipeline
from model.records import EpochRecord

LABELS = (
    "ReLU → Sigmoid → Softmax",
    "GELU → Tanh → Softmax",
    "LeakyReLU → Softplus → Softmax (T = 0.5)",
)
FIELDS = ("train_loss", "test_loss", "train_accuracy", "test_accuracy")


def record(
    epoch: int,
    loss: float = 1.0,
    accuracy: float = 0.5,
    *,
    test_loss: float | None = None,
    dead: tuple[int, ...] = (0, 0),
    saturated: tuple[int, ...] = (0, 0),
    observation: str = "",
) -> EpochRecord:
    """A made-up epoch: train accuracy 0.05 above test, test loss 0.1 above train."""
    return EpochRecord(
        epoch=epoch,
        train_loss=loss,
        test_loss=loss + 0.1 if test_loss is None else test_loss,
        train_accuracy=accuracy + 0.05,
        test_accuracy=accuracy,
        dead_units=dead,
        saturated_units=saturated,
        layer_width=4,
        observation=observation,
    )


def run_records(run: int, epochs: int = 20) -> list[EpochRecord]:
    """Epochs 0..epochs of a run that learns at its own pace (run 1 fastest)."""
    rate = (6.0, 3.0, 10.0, 4.0)[run]
    return [
        record(e, 1.4 * np.exp(-e / rate) + 0.1, 0.25 + 0.6 * (1 - np.exp(-e / rate)))
        for e in range(epochs + 1)
    ]


@pytest.fixture
def plots(qtbot) -> TrainingPlots:  # type: ignore[no-untyped-def]
    theme.configure_pyqtgraph()
    made = TrainingPlots()
    for widget in (made.loss_plot, made.accuracy_plot, made.legend):
        qtbot.addWidget(widget)
    return made


def visible_items(plot: pg.PlotWidget) -> list[pg.PlotDataItem]:
    return [item for item in plot.getPlotItem().listDataItems() if item.isVisible()]


def contrast_on_white(colour: str) -> float:
    """WCAG 2 contrast ratio of ``colour`` against white, computed from its sRGB values."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    return 1.05 / (luminance + 0.05)


# Plots ----------------------------------------------------------------------------------------


def test_one_run_keeps_the_single_run_look(plots) -> None:  # type: ignore[no-untyped-def]
    """Train blue, test red, the batch curve and its key; no legend, no compared curves."""
    epochs = run_records(0, 5)
    plots.clear(epochs[0])
    positions = np.linspace(0, 5, 66)
    plots.add_progress(positions, np.full(66, 0.9), epochs[1:])
    assert plots.legend.isHidden()
    assert not plots.comparing
    # Batch curve, train and test in each plot: nothing else is drawn.
    assert len(visible_items(plots.loss_plot)) == 3
    assert len(visible_items(plots.accuracy_plot)) == 2
    assert "batches" in plots.loss_plot.getPlotItem().titleLabel.text
    x, y, pen, shown = plots.curve_data(0, "train_loss")
    assert shown
    assert list(x) == list(range(6))
    assert list(y) == pytest.approx([r.train_loss for r in epochs])
    assert pen.color() == QColor(theme.TRAIN)
    assert pen.style() == Qt.PenStyle.SolidLine
    _, _, test_pen, _ = plots.curve_data(0, "test_loss")
    assert test_pen.color() == QColor(theme.TEST)
    assert test_pen.style() == Qt.PenStyle.SolidLine
    assert len(plots.batch_losses) == 66


def test_compare_mode_draws_each_run_in_its_own_colour(plots) -> None:  # type: ignore[no-untyped-def]
    """Three runs: train solid and test dashed per run, in the run's colour, with its data."""
    runs = [run_records(run) for run in range(3)]
    plots.set_runs(LABELS, [r[0] for r in runs])
    plots.add_progress(np.linspace(0, 20, 260), np.full(260, 0.8), runs[0][1:])
    for run in (1, 2):
        plots.add_compared(run, np.zeros(0), np.zeros(0), runs[run][1:])
    assert plots.comparing
    # Run 0's batches are kept, not drawn; two curves per run in each plot.
    assert len(plots.batch_losses) == 260
    assert len(visible_items(plots.loss_plot)) == 6
    assert len(visible_items(plots.accuracy_plot)) == 6
    assert "batches" not in plots.loss_plot.getPlotItem().titleLabel.text
    for run, records in enumerate(runs):
        for field in FIELDS:
            x, y, pen, shown = plots.curve_data(run, field)
            assert shown, (run, field)
            assert list(x) == list(range(21))
            assert list(y) == pytest.approx([getattr(r, field) for r in records]), (run, field)
            assert pen.color() == QColor(RUN_COLOURS[run])
            dashed = field in ("test_loss", "train_accuracy")
            assert (pen.style() != Qt.PenStyle.SolidLine) == dashed, (run, field)
    for field in FIELDS:
        assert not plots.curve_data(3, field)[3], "run 4 is not compared"
    # The runs differ, so each curve must carry its own run's numbers.
    assert plots.curve_data(1, "test_loss")[1][-1] < plots.curve_data(2, "test_loss")[1][-1]


def test_the_legend_names_every_pipeline_in_its_colour(plots) -> None:  # type: ignore[no-untyped-def]
    plots.set_runs(LABELS, [])
    legend = plots.legend
    assert legend.objectName() == "compare_legend"
    assert not legend.isHidden()
    text = legend.text()
    for run, label in enumerate(LABELS):
        assert f"Run {run + 1}:" in text
        assert RUN_COLOURS[run] in text
        # The label as a learner reads it (the legend keeps "T = 0.5" on one line).
        assert label.replace(" = ", "&nbsp;=&nbsp;") in text
    assert RUN_COLOURS[3] not in text
    assert "Run 3: LeakyReLU → Softplus → Softmax (T = 0.5)" in legend.accessibleDescription()
    plots.set_runs(LABELS[:1], [])
    assert legend.isHidden()
    assert len(visible_items(plots.loss_plot)) == 3, "back to the single-run look"
    assert plots.curve_data(0, "train_loss")[2].color() == QColor(theme.TRAIN)


def test_run_colours_read_on_white_and_differ() -> None:
    """Lines and swatches need 3:1 against white (WCAG non-text contrast)."""
    assert len(set(RUN_COLOURS)) == 4
    for colour in RUN_COLOURS:
        assert contrast_on_white(colour) >= 3.0, colour


def test_truncate_after_drops_only_the_diverged_run(plots) -> None:  # type: ignore[no-untyped-def]
    runs = [run_records(run, 10) for run in range(3)]
    plots.set_runs(LABELS, [r[0] for r in runs])
    plots.add_progress(np.linspace(0, 10, 130), np.full(130, 0.5), runs[0][1:])
    for run in (1, 2):
        plots.add_compared(run, np.zeros(0), np.zeros(0), runs[run][1:])
    plots.truncate_after(6.0, 1)
    assert list(plots.curve_data(1, "test_loss")[0]) == list(range(7))
    assert len(plots.curve_data(0, "test_loss")[0]) == 11
    assert len(plots.curve_data(2, "test_accuracy")[0]) == 11
    assert len(plots.batch_losses) == 130
    plots.truncate_after(3.0)
    for run in range(3):
        assert list(plots.curve_data(run, "train_loss")[0]) == [0, 1, 2, 3]
    assert float(np.max(plots.batch_losses.x)) <= 3.0


def test_ranges_cover_every_run(plots) -> None:  # type: ignore[no-untyped-def]
    """A compared run's high loss grows the loss axis; its epochs double the x-axis."""
    plots.set_runs(LABELS[:2], [record(0), record(0)])
    plots.add_compared(1, np.zeros(0), np.zeros(0), [record(e, 4.5) for e in range(1, 13)])
    item = plots.loss_plot.getPlotItem()
    (x_low, x_high), (_, y_high) = item.viewRange()
    assert (x_low, x_high) == pytest.approx((0, 20))  # 5 → 10 → 20 for epoch 12
    assert y_high >= 4.6
    plots.add_compared(1, np.zeros(0), np.zeros(0), [record(13, 1.0)])
    assert item.viewRange()[1][1] == pytest.approx(y_high), "the loss axis only grows"
    plots.add_compared(3, np.zeros(0), np.zeros(0), [record(1, 9.0)])  # not compared: ignored
    assert not plots.curve_data(3, "train_loss")[3]
    assert item.viewRange()[1][1] == pytest.approx(y_high)


def test_clear_keeps_the_runs_and_empties_their_curves(plots) -> None:  # type: ignore[no-untyped-def]
    plots.set_runs(LABELS, [record(0)] * 3)
    plots.add_compared(2, np.zeros(0), np.zeros(0), [record(1)])
    plots.clear(record(0, 1.3))
    assert plots.comparing
    assert list(plots.curve_data(0, "train_loss")[1]) == [1.3]
    assert len(plots.curve_data(2, "train_loss")[0]) == 0


# Epoch table ----------------------------------------------------------------------------------


def test_the_units_column_counts_dead_and_saturated_units(qtbot) -> None:  # type: ignore[no-untyped-def]
    model = EpochTableModel()
    table = EpochTable(model)
    qtbot.addWidget(table)
    model.append(
        [
            record(1, observation="fine"),
            record(2, dead=(2, 0)),
            record(3, saturated=(0, 1)),
            record(4, dead=(2, 0), saturated=(0, 1)),
            record(5, dead=(1, 0), saturated=(1, 0)),
        ]
    )

    def units(row: int) -> str:
        # Thin spaces round the dot read as ordinary ones.
        return str(model.index(row, 5).data()).replace("\u2009", " ")

    assert [units(row) for row in range(5)] == [
        "",
        "2 dead",
        "1 sat.",
        "2 dead · 1 sat.",
        "1 dead · 1 sat.",
    ]
    assert model.index(3, 5).data(Qt.ItemDataRole.UserRole) == (2, 1)
    tip = model.index(3, 5).data(Qt.ItemDataRole.ToolTipRole)
    assert "layer 1: 2 dead; layer 2: 1 saturated" in tip
    assert "z ≤ 0 on every test sample" in tip
    assert "|f′(z)| < 0.01" in tip
    assert "layer 1: 1 dead, 1 saturated" in model.index(4, 5).data(Qt.ItemDataRole.ToolTipRole)
    assert "No dead or saturated" in model.index(0, 5).data(Qt.ItemDataRole.ToolTipRole)
    header_tip = model.headerData(5, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
    assert "dead" in header_tip.lower()
    assert "saturated" in header_tip.lower()
    # The columns code reads by number are where they were.
    assert model.index(0, 4).data() == "fine"
    assert model.index(0, 1).data(Qt.ItemDataRole.UserRole) == 1.0
    assert model.index(0, 3).data(Qt.ItemDataRole.UserRole) == 0.5
    # ... and the units are shown before the observation.
    assert table.horizontalHeader().visualIndex(5) == 4


@pytest.mark.parametrize("width", [330, 600])
def test_the_epoch_table_fits_the_right_hand_column(qtbot, width: int) -> None:  # type: ignore[no-untyped-def]
    """At 330 px every number and "2 dead · 1 sat." show whole (the observation, which the
    detail under the table shows, gives way); at 600 px the observation shows too."""
    model = EpochTableModel()
    table = EpochTable(model)
    qtbot.addWidget(table)
    model.append(
        [
            record(e, 12.3456 if e == 1 else 0.5, 1.0, dead=(2, 0), saturated=(0, 1))
            for e in range(1, 40)
        ]
    )
    table.resize(width, 200)
    table.show()
    qtbot.waitExposed(table)
    header = table.horizontalHeader()
    assert not table.horizontalScrollBar().isVisible()
    assert header.isSectionHidden(4) == (width < 400)
    metrics = table.fontMetrics()
    for column in (0, 1, 2, 3, 5):
        text = model.index(0, column).data()
        assert metrics.horizontalAdvance(text) + 6 <= table.columnWidth(column), (column, text)
        title = model.headerData(column, Qt.Orientation.Horizontal)
        assert header.fontMetrics().horizontalAdvance(title) + 4 <= table.columnWidth(column)


# Compare table --------------------------------------------------------------------------------


@pytest.fixture
def compare(qtbot) -> tuple[CompareTableModel, CompareTable]:  # type: ignore[no-untyped-def]
    model = CompareTableModel()
    table = CompareTable(model)
    qtbot.addWidget(table)
    return model, table


def test_compare_rows_show_the_newest_epoch_and_the_leader(compare) -> None:  # type: ignore[no-untyped-def]
    model, table = compare
    assert table.objectName() == "compare_table"
    model.set_runs(LABELS, [record(0, 1.39, 0.25)] * 3)
    assert [row[0] for row in model.rows()] == [
        "ReLU → Sigmoid",
        "GELU → Tanh",
        "LeakyReLU → Softplus (T = 0.5)",
    ]
    assert model.best is None, "nobody leads before training"
    model.add_epochs(0, [record(1, 0.9, 0.6), record(2, 0.41234, 0.843, dead=(2, 0))])
    model.add_epochs(1, [record(2, 0.2, 0.912, observation="Smooth: no unit died.")])
    model.add_epochs(2, [record(2, 0.7, 0.701, saturated=(0, 1))])
    rows = model.rows()
    assert rows[0] == ("ReLU → Sigmoid", "2", "0.412", "0.512", "84.3%", "2", "0", "")
    assert rows[1] == (
        "★ GELU → Tanh",
        "2",
        "0.200",
        "0.300",
        "91.2%",
        "0",
        "0",
        "Smooth: no unit died.",
    )
    assert rows[2][5:7] == ("0", "1")
    assert model.best == 1
    font = model.index(1, 0).data(Qt.ItemDataRole.FontRole)
    assert isinstance(font, QFont)
    assert font.bold()
    assert model.index(0, 0).data(Qt.ItemDataRole.FontRole) is None
    assert model.index(1, 0).data(Qt.ItemDataRole.DecorationRole) == QColor(RUN_COLOURS[1])
    tip = model.index(1, 0).data(Qt.ItemDataRole.ToolTipRole)
    assert "Run 2: GELU → Tanh → Softmax" in tip
    assert "Smooth: no unit died." in tip
    assert "layer 1: 2 dead" in model.index(0, 5).data(Qt.ItemDataRole.ToolTipRole)
    # Same accuracy: the lower test loss leads.
    model.add_epochs(0, [record(3, 0.15, 0.912)])
    assert model.best == 0
    assert model.rows()[0][0].startswith("★ ")
    assert not model.rows()[1][0].startswith("★")


def test_compare_rows_rewind_and_clear(compare) -> None:  # type: ignore[no-untyped-def]
    model, _ = compare
    model.set_runs(LABELS[:2], [record(0), record(0)])
    model.add_epochs(0, [record(e, 1 / e) for e in range(1, 6)])
    model.add_epochs(1, [record(e, 2 / e) for e in range(1, 6)])
    model.truncate_after(3, 1)
    assert [row[1] for row in model.rows()] == ["5", "3"]
    model.truncate_after(2)
    assert [row[1] for row in model.rows()] == ["2", "2"]
    model.clear()
    assert model.rows() == (("ReLU → Sigmoid", *[""] * 7), ("GELU → Tanh", *[""] * 7))
    model.add_epochs(7, [record(1)])  # no such run: ignored
    assert model.rowCount() == 2


@pytest.mark.parametrize(
    ("width", "columns"),
    [
        (330, ("Run", "Test", "Acc.", "Dead", "Sat.")),
        (600, ("Run", "Ep.", "Train", "Test", "Acc.", "Dead", "Sat.", "Observation")),
    ],
)
def test_the_compare_table_reads_at_the_column_width(compare, qtbot, width, columns) -> None:  # type: ignore[no-untyped-def]
    """Numbers are never cut (the bold leading row included) and nothing scrolls sideways."""
    model, table = compare
    model.set_runs((*LABELS, "Tanh → Tanh → Softmax"), [record(0)] * 4)
    for run in range(4):
        model.add_epochs(run, [record(20, 0.2 + run, 0.9 - run / 10, dead=(2, 0))])
    table.resize(width, 150)
    table.show()
    qtbot.waitExposed(table)
    assert table.shown_columns() == columns
    assert not table.horizontalScrollBar().isVisible()
    assert table.height() >= table.minimumSizeHint().height()
    bold = QFont(table.font())
    bold.setBold(True)
    metrics = QFontMetrics(bold)
    header = table.horizontalHeader()
    for column in range(1, 7):
        if header.isSectionHidden(column):
            continue
        for row in range(4):
            text = model.index(row, column).data()
            assert metrics.horizontalAdvance(text) + 6 <= table.columnWidth(column), text
    # The names get what is left, at least "ReLU → Sigmoid" whole.
    assert table.columnWidth(0) >= metrics.horizontalAdvance("★ ReLU → Sigmoid")


# Dialog ---------------------------------------------------------------------------------------


@pytest.fixture
def dialog(qtbot) -> CompareDialog:  # type: ignore[no-untyped-def]
    made = CompareDialog(Pipeline(("ReLU", "Sigmoid", "Softmax")))
    qtbot.addWidget(made)
    made.show()
    qtbot.waitExposed(made)
    return made


def child(dialog: QWidget, kind: type, name: str):  # type: ignore[no-untyped-def]
    found = dialog.findChild(kind, name)
    assert found is not None, name
    return found


def test_add_up_to_four_in_all_and_remove(qtbot, dialog) -> None:  # type: ignore[no-untyped-def]
    assert dialog.objectName() == "compare_dialog"
    add = child(dialog, QPushButton, "compare_add")
    assert dialog.pipelines() == ()
    assert not child(dialog, QComboBox, "compare_layer1_1").isVisible()
    for _ in range(3):
        qtbot.mouseClick(add, Qt.MouseButton.LeftButton)
    assert dialog.row_count == 3
    assert not add.isEnabled(), "four pipelines in all is the most"
    assert "At most 4" in add.toolTip()
    qtbot.mouseClick(add, Qt.MouseButton.LeftButton)
    assert dialog.row_count == 3
    pipelines = dialog.pipelines()
    assert len(set(pipelines)) == 3
    assert Pipeline() not in pipelines, "a new row never repeats the main pipeline"
    assert pipelines[0] == Pipeline(("GELU", "Tanh", "Softmax"))
    for run in (1, 2, 3):
        for name in (f"compare_layer1_{run}", f"compare_layer2_{run}"):
            assert child(dialog, QComboBox, name).isVisible()
        assert child(dialog, QDoubleSpinBox, f"compare_temperature_{run}").isVisible()
    # Removing run 2 moves run 3 up into its place.
    qtbot.mouseClick(child(dialog, QPushButton, "compare_remove_2"), Qt.MouseButton.LeftButton)
    assert dialog.row_count == 2
    assert dialog.pipelines() == (pipelines[0], pipelines[2])
    assert not child(dialog, QComboBox, "compare_layer1_3").isVisible()
    assert add.isEnabled()


def test_a_duplicate_is_refused_with_a_reason(qtbot, dialog) -> None:  # type: ignore[no-untyped-def]
    qtbot.mouseClick(child(dialog, QPushButton, "compare_add"), Qt.MouseButton.LeftButton)
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert ok.isEnabled()
    layer1 = child(dialog, QComboBox, "compare_layer1_1")
    layer2 = child(dialog, QComboBox, "compare_layer2_1")
    layer1.setCurrentIndex(layer1.findData("ReLU"))
    layer2.setCurrentIndex(layer2.findData("Sigmoid"))
    message = child(dialog, QWidget, "compare_message")
    assert message.isVisible()
    assert "Run 2 is the same pipeline as Run 1" in message.text()
    assert not ok.isEnabled()
    dialog.accept()
    assert dialog.isVisible(), "a duplicate does not close the dialog"
    # Another temperature makes it another pipeline.
    child(dialog, QDoubleSpinBox, "compare_temperature_1").setValue(0.5)
    assert not message.isVisible()
    assert ok.isEnabled()
    # Two compared rows alike are refused the same way.
    qtbot.mouseClick(child(dialog, QPushButton, "compare_add"), Qt.MouseButton.LeftButton)
    child(dialog, QComboBox, "compare_layer1_2").setCurrentIndex(layer1.findData("ReLU"))
    child(dialog, QComboBox, "compare_layer2_2").setCurrentIndex(layer2.findData("Sigmoid"))
    child(dialog, QDoubleSpinBox, "compare_temperature_2").setValue(0.5)
    assert "Run 3 is the same pipeline as Run 2" in message.text()
    assert not ok.isEnabled()


def test_the_dialog_edits_the_compared_pipelines_it_is_given(qtbot) -> None:  # type: ignore[no-untyped-def]
    compared = (Pipeline(("GELU", "Tanh", "Softmax")), Pipeline(("ELU", "ELU", "Softmax"), 0.25))
    dialog = CompareDialog(Pipeline(), compared)
    qtbot.addWidget(dialog)
    assert dialog.pipelines() == compared
    assert child(dialog, QDoubleSpinBox, "compare_temperature_2").value() == 0.25
    child(dialog, QComboBox, "compare_layer2_1").setCurrentIndex(
        child(dialog, QComboBox, "compare_layer2_1").findData("SiLU")
    )
    assert dialog.pipelines()[0] == Pipeline(("GELU", "SiLU", "Softmax"))


def test_the_dialog_works_from_the_keyboard(qtbot, dialog) -> None:  # type: ignore[no-untyped-def]
    """Alt+A adds a row and puts the keyboard on it; Tab walks the row; Enter is OK."""
    dialog.activateWindow()
    qtbot.waitActive(dialog)
    qtbot.keyClick(dialog, Qt.Key.Key_A, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: dialog.row_count == 1)  # a mnemonic "animates" its click first
    focus = QApplication.focusWidget()
    assert focus is not None
    assert focus.objectName() == "compare_layer1_1"
    order = []
    for _ in range(4):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        widget = QApplication.focusWidget()
        assert widget is not None
        # A spin box's focus lands on its line edit.
        owner = widget.parent() if not widget.objectName() else widget
        assert owner is not None
        order.append(owner.objectName())
    assert order == ["compare_layer2_1", "compare_temperature_1", "compare_remove_1", "compare_add"]
    combo = child(dialog, QComboBox, "compare_layer1_1")
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_Down)  # the next activation
    assert combo.currentData() != "GELU"
    with qtbot.waitSignal(dialog.finished):
        qtbot.keyClick(combo, Qt.Key.Key_Return)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.pipelines()[0].activations[0] == combo.currentData()


def test_epoch_ticks_are_whole_numbers_on_a_wide_plot(qtbot) -> None:  # type: ignore[no-untyped-def]
    """Before a run, a wide loss plot (1920×1080) was ticked 0.5, 1.5, … epochs."""
    plots = TrainingPlots()
    for plot in (plots.loss_plot, plots.accuracy_plot):
        qtbot.addWidget(plot)
        axis = plot.getAxis("bottom")
        for low, high, width in ((0, 4, 400), (0, 4, 1800), (0, 1, 1800), (0, 1000, 1800)):
            values = [v for _spacing, level in axis.tickValues(low, high, width) for v in level]
            assert values, (low, high, width)
            assert all(float(v).is_integer() for v in values), (low, high, width, values)

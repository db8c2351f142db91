"""The live pipeline in the real window: edit a cell, read what a learner would read.

Expected numbers are computed here with numpy from the definitions of ReLU, sigmoid and
softmax, never taken from the app's own output.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import QApplication, QLabel, QTableView, QTableWidget

from gui import theme
from gui.widgets.input_table import InputTableModel

SEED_EXAMPLE = {
    "Input": [2.0, -1.0, 0.5, 3.0],
    "ReLU": [2.0, 0.0, 0.5, 3.0],
    "Sigmoid": [0.8808, 0.5, 0.6225, 0.9526],
    "Softmax": [0.2833, 0.1936, 0.2188, 0.3044],
}


def pipeline(x: list[float]) -> dict[str, np.ndarray]:
    """The untrained network by hand: identity weights, zero biases."""
    relu = np.maximum(np.asarray(x, dtype=float), 0.0)
    sigmoid = 1.0 / (1.0 + np.exp(-relu))
    softmax = np.exp(sigmoid) / np.exp(sigmoid).sum()
    return {"Input": np.asarray(x), "ReLU": relu, "Sigmoid": sigmoid, "Softmax": softmax}


def table_rows(window) -> dict[str, list[float]]:  # type: ignore[no-untyped-def]
    model = window.trace_table.model()
    rows = {}
    for row in range(model.rowCount()):
        # "Layer 1 · ReLU" → "ReLU": these tests use the default pipeline, one of each.
        name = model.headerData(row, Qt.Orientation.Vertical).split(" · ")[-1]
        rows[name] = [model.index(row, c).data(Qt.ItemDataRole.UserRole) for c in range(4)]
    return rows


def edit(qtbot, window, column: int, value: object) -> bool:  # type: ignore[no-untyped-def]
    """Set a cell through the input table's model and wait for the trace of the new values."""
    model = window.input_table.model()
    accepted = model.setData(model.index(0, column), value, Qt.ItemDataRole.EditRole)
    if accepted:
        expected = [model.index(0, c).data(Qt.ItemDataRole.UserRole) for c in range(4)]
        qtbot.waitUntil(lambda: table_rows(window)["Input"] == expected, timeout=5000)
    return bool(accepted)


def test_untrained_window_shows_the_seed_example(window) -> None:  # type: ignore[no-untyped-def]
    """Table and bars show the hand-computed pipeline of [2, -1, 0.5, 3]."""
    rows = table_rows(window)
    assert list(rows) == ["Input", "ReLU", "Sigmoid", "Softmax"]
    for name, expected in SEED_EXAMPLE.items():
        assert rows[name] == pytest.approx(expected, abs=5e-5), name
    for panel in window.panels:
        assert panel.heights == pytest.approx(SEED_EXAMPLE[panel.name], abs=5e-5), panel.name
    softmax_footer = window.findChild(QLabel, "stage_footer_output")
    assert softmax_footer.text().startswith("Σ = 1.000")
    assert "class 4" in softmax_footer.text()


def test_typing_updates_every_panel_and_the_table(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    """Editing a cell recomputes all four stages, matching numpy."""
    assert edit(qtbot, window, 1, "1.23456")
    assert edit(qtbot, window, 3, "-4")
    x = [2.0, 1.23456, 0.5, -4.0]
    expected = pipeline(x)
    rows = table_rows(window)
    for panel in window.panels:
        assert panel.heights == pytest.approx(expected[panel.name], abs=1e-12), panel.name
        assert rows[panel.name] == pytest.approx(expected[panel.name], abs=1e-12), panel.name
    model = window.input_table.model()
    assert model.index(0, 1).data() == "1.23456"  # no rounding to two decimals
    assert model.index(0, 1).data(Qt.ItemDataRole.UserRole) == 1.23456


def test_random_inputs_match_numpy(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    """Several random vectors, typed as text, trace exactly as numpy computes them."""
    rng = np.random.default_rng(7)
    model = window.input_table.model()
    for _ in range(5):
        x = [float(v) for v in np.round(rng.uniform(-5, 5, size=4), 4)]
        for column, value in enumerate(x):
            model.setData(model.index(0, column), repr(value), Qt.ItemDataRole.EditRole)
        qtbot.waitUntil(lambda x=x: table_rows(window)["Input"] == x, timeout=5000)
        rows = table_rows(window)
        for name, values in pipeline(x).items():
            assert rows[name] == pytest.approx(values, abs=1e-12)


def test_keystrokes_in_a_cell_reach_the_panels(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    """A learner clicks a cell, types, presses Enter: the bars follow."""
    table = window.input_table
    table.setFocus()
    table.setCurrentIndex(table.model().index(0, 0))
    qtbot.keyClick(table, Qt.Key.Key_F2)
    editor = QApplication.focusWidget()
    assert editor is not None
    assert editor is not table
    editor.selectAll()
    qtbot.keyClicks(editor, "-2.5")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.last_trace.stages[0].values[0] == -2.5, timeout=5000)
    assert window.panels[1].heights[0] == 0.0  # ReLU clips the negative


BAD_INPUTS = [
    ("", "empty"),
    ("abc", "not a number"),
    ("nan", "not a finite"),
    ("inf", "not a finite"),
    ("-inf", "not a finite"),
    ("1e999", "outside"),
    ("2e6", "outside"),
    ("1,000.5", "thousands"),
    ("1_000", "thousands"),
    ("١٢", "non-ASCII"),
]


@pytest.mark.parametrize(("text", "reason"), BAD_INPUTS)
def test_bad_input_is_refused_with_a_reason(qtbot, window, text: str, reason: str) -> None:  # type: ignore[no-untyped-def]
    """A refused value keeps the old number, draws nothing new and says why."""
    model = window.input_table.model()
    before = window.last_trace
    assert model.setData(model.index(0, 2), text, Qt.ItemDataRole.EditRole) is False
    assert model.index(0, 2).data(Qt.ItemDataRole.UserRole) == 0.5
    assert reason in window.input_message.text()
    assert "x₃" in window.input_message.text()
    qtbot.wait(100)
    assert window.last_trace is before


def test_non_finite_numbers_are_refused_as_values(window) -> None:  # type: ignore[no-untyped-def]
    """Scripts setting floats directly get the same protection as typed text."""
    model = window.input_table.model()
    for value in (math.nan, math.inf, 1e7, True):
        assert model.setData(model.index(0, 0), value, Qt.ItemDataRole.EditRole) is False
    assert model.index(0, 0).data(Qt.ItemDataRole.UserRole) == 2.0
    assert model.setData(model.index(0, 0), 1e-7, Qt.ItemDataRole.EditRole) is True


def test_locale_decimal_comma_is_accepted(qtbot) -> None:  # type: ignore[no-untyped-def]
    """Under a German locale "1,5" means 1.5, and "." still works."""
    QLocale.setDefault(QLocale(QLocale.Language.German, QLocale.Country.Germany))
    try:
        model = InputTableModel([0.0] * 4)
        assert model.setData(model.index(0, 0), "1,5", Qt.ItemDataRole.EditRole)
        assert model.setData(model.index(0, 1), "2.25", Qt.ItemDataRole.EditRole)
        assert not model.setData(model.index(0, 2), "1.000,5", Qt.ItemDataRole.EditRole)
        assert model.values[:3] == (1.5, 2.25, 0.0)
    finally:
        QLocale.setDefault(QLocale.c())


def test_values_and_pre_activations_are_printed_on_the_bars(window) -> None:  # type: ignore[no-untyped-def]
    """Each bar carries its value; layers also print z = W·x + b (here, the previous stage)."""
    input_panel, relu_panel, _, softmax_panel = window.panels
    assert [label.text for label in input_panel.labels] == ["2.000", "−1.000", "0.500", "3.000"]
    relu_texts = [label.text for label in relu_panel.labels]
    assert relu_texts == ["2.000", "0.000", "0.500", "3.000", "2.00", "−1.00", "0.50", "3.00"]
    assert [label.text for label in softmax_panel.labels][:4] == [
        "0.283",
        "0.194",
        "0.219",
        "0.304",
    ]


def test_ranges_are_stable(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    """Bounded stages keep 0..1; unbounded ones grow symmetrically and never shrink."""
    input_panel, relu_panel, sigmoid_panel, softmax_panel = window.panels
    assert sigmoid_panel.y_range == (0.0, 1.0)
    assert softmax_panel.y_range == (0.0, 1.0)
    low, high = input_panel.y_range
    assert low == -high
    assert high >= 3.0
    edit(qtbot, window, 0, "40")
    grown = input_panel.y_range
    assert grown[1] >= 40
    assert grown[0] == -grown[1]
    edit(qtbot, window, 0, "1")
    assert input_panel.y_range == grown
    assert relu_panel.y_range[1] >= 40


def test_negative_bars_and_prediction_have_their_own_colours(window) -> None:  # type: ignore[no-untyped-def]
    """The -1 input bar is drawn in the negative colour; the predicted class in green."""
    input_colours = window.panels[0].bar_colours
    assert input_colours == (theme.POSITIVE, theme.NEGATIVE, theme.POSITIVE, theme.POSITIVE)
    assert window.panels[3].bar_colours[3] == theme.PREDICTED


def test_a_burst_of_edits_is_coalesced(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    """200 edits in a row compute fewer traces, and the last one shown is the newest."""
    shown = []
    window.trace_shown.connect(lambda trace: shown.append(trace.stages[0].values[0]))
    model = window.input_table.model()
    for i in range(200):
        model.setData(model.index(0, 0), float(i), Qt.ItemDataRole.EditRole)
    qtbot.waitUntil(lambda: bool(shown) and shown[-1] == 199.0, timeout=10000)
    qtbot.wait(200)
    assert shown[-1] == 199.0
    assert len(shown) < 200


def test_automation_contract(window) -> None:  # type: ignore[no-untyped-def]
    """The objectNames, view types and accessible names that outside tools rely on."""
    inputs = window.findChild(QTableView, "input_table")
    assert inputs is not None
    assert not isinstance(inputs, QTableWidget)
    assert (inputs.model().rowCount(), inputs.model().columnCount()) == (1, 4)
    trace = window.findChild(QTableView, "trace_table")
    assert trace is not None
    assert trace.model().rowCount() == 4
    for name in ("input_table", "trace_table", "epoch_table", "loss_plot"):
        widget = window.findChild(type(window.findChild(object, name)), name)
        assert widget is not None, name
        assert widget.accessibleName(), f"{name} has no accessible name"
    assert window.windowTitle().startswith("Activation Lab")


def test_every_name_in_the_readme_contract_exists(window) -> None:  # type: ignore[no-untyped-def]
    """Each objectName the README's contract table promises is in the window, by that name."""
    import re
    from pathlib import Path

    from PySide6.QtCore import QObject

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Automation contract", 1)[1].split("\n## ", 1)[0]
    promised = set()
    for line in section.splitlines():
        if line.startswith("| `"):
            first_cell = line.split("|")[1]
            promised |= set(re.findall(r"`([a-z][a-z0-9_]*)`", first_cell))
    # Opened on demand (the dialog), or old names the table mentions as history.
    promised -= {"compare_dialog", "stage_panel_relu", "stage_panel_sigmoid"}
    promised -= {"stage_panel_softmax", "weights_relu", "weights_sigmoid", "weights_softmax"}
    assert len(promised) > 30
    missing = sorted(name for name in promised if window.findChild(QObject, name) is None)
    assert not missing, missing
    for key in ("input", "layer1", "layer2", "output"):
        for part in ("stage_panel", "stage_title", "stage_plot", "stage_gradient", "stage_footer"):
            assert window.findChild(QObject, f"{part}_{key}") is not None, f"{part}_{key}"


def test_quit_has_ctrl_q_and_closes_the_window(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    """Ctrl+Q is bound explicitly (offscreen has no standard Quit key) and closes cleanly."""
    from PySide6.QtGui import QAction, QKeySequence

    quit_action = window.findChild(QAction, "action_quit")
    assert QKeySequence("Ctrl+Q") in quit_action.shortcuts()
    quit_action.trigger()
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=10000)
    assert not window.host.model_thread.isRunning()


def test_window_fits_a_1280_by_800_screen(window) -> None:  # type: ignore[no-untyped-def]
    """The default size and the minimum size fit a typical projector resolution."""
    assert window.width() <= 1280
    assert window.height() <= 800
    hint = window.minimumSizeHint()
    assert hint.width() <= 1280
    assert hint.height() <= 800


def test_the_warning_goes_once_the_value_is_fixed(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    """A refused value's message disappears when the learner types a good number."""
    model = window.input_table.model()
    assert not model.setData(model.index(0, 0), "abc", Qt.ItemDataRole.EditRole)
    assert window.input_message.text()
    assert edit(qtbot, window, 0, "1")
    assert window.input_message.text() == ""

"""The window with any pipeline: picking activations, gradients, curves and compared runs.

Every number is checked against tests/numpy_reference.py, never against the app's own output.
"""

from __future__ import annotations

import numpy as np
import pytest
from helpers import set_cell
from numpy_reference import backprop, forward
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QWidget

from gui.widgets.stage_panel import StagePanel
from model.config import Pipeline, TrainingConfig
from model.training import Trainer

IDENTITY = [(np.eye(4), np.zeros(4))] * 3
TIMEOUT_MS = 30_000


def pick(combo: QComboBox, name: str) -> None:
    """Choose ``name`` in ``combo`` as a learner would (the index, then activated)."""
    index = combo.findData(name)
    assert index >= 0, name
    combo.setCurrentIndex(index)
    combo.activated.emit(index)


def choose_pipeline(qtbot, window, first: str, second: str) -> None:  # type: ignore[no-untyped-def]
    """Pick both hidden activations and wait until the window shows the new run."""
    layer1, layer2 = window.picker.combos
    with qtbot.waitSignal(window.run_reset, timeout=TIMEOUT_MS):
        pick(layer1, first)
    with qtbot.waitSignal(window.run_reset, timeout=TIMEOUT_MS):
        pick(layer2, second)


def shown_inputs(window, values) -> bool:  # type: ignore[no-untyped-def]
    """True once the trace on screen is of ``values`` (an edit has been answered)."""
    trace = window.last_trace
    return trace is not None and trace.stages[0].values == tuple(values)


def test_picking_activations_dresses_every_view_in_them(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    """GELU then Tanh: titles, formulas, bars, table rows, heatmaps and curves all follow."""
    choose_pipeline(qtbot, window, "GELU", "Tanh")
    assert window.setup.config.activations == ("GELU", "Tanh", "Softmax")
    panel1 = window.findChild(StagePanel, "stage_panel_layer1")
    panel2 = window.findChild(StagePanel, "stage_panel_layer2")
    assert (panel1.name, panel2.name) == ("GELU", "Tanh")
    assert window.findChild(QWidget, "stage_formula_layer1").text() == "z · Φ(z)"
    qtbot.waitUntil(lambda: window.last_trace.activations == ("GELU", "Tanh", "Softmax"))
    x = np.array([2.0, -1.0, 0.5, 3.0])
    _, outputs = forward(IDENTITY, ("GELU", "Tanh", "Softmax"), x)
    for panel, expected in zip(window.panels[1:], outputs, strict=True):
        assert panel.heights == pytest.approx(expected, abs=1e-12)
    qtbot.waitUntil(lambda: window.trace_rows.item(1, 0).text() != "")
    names = [
        window.trace_rows.headerData(row, Qt.Orientation.Vertical)
        for row in range(window.trace_rows.rowCount())
    ]
    assert names == ["Input", "Layer 1 · GELU", "Layer 2 · Tanh", "Output · Softmax"]
    assert window.heatmaps[0]._label.text() == "W1: into GELU"
    assert window.curves[0].activation.name == "GELU"
    assert "GELU" in window.curves[0].accessibleName()
    # The bar labels stay distinct: Sigmoid's σ₁ is not SiLU's si₁.
    with qtbot.waitSignal(window.run_reset, timeout=TIMEOUT_MS):
        pick(window.picker.combos[0], "SiLU")
    with qtbot.waitSignal(window.run_reset, timeout=TIMEOUT_MS):
        pick(window.picker.combos[1], "Sigmoid")
    ticks = [
        [label for _, label in panel.plot.getPlotItem().getAxis("bottom")._tickLevels[0]]
        for panel in window.panels[1:3]
    ]
    assert ticks[0][0].startswith("si")
    assert ticks[1][0].startswith("σ")


def test_two_layers_with_one_activation_do_not_collide(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    """ReLU in both hidden layers: every widget is still named once, by position."""
    with qtbot.waitSignal(window.run_reset, timeout=TIMEOUT_MS):
        pick(window.picker.combos[1], "ReLU")
    names = [
        w.objectName()
        for w in window.findChildren(QWidget)
        if w.objectName() and not w.objectName().startswith("qt_")  # Qt's own parts
    ]
    repeated = {name for name in names if names.count(name) > 1}
    assert not repeated, repeated
    assert window.findChild(StagePanel, "stage_panel_layer2").name == "ReLU"


def test_temperature_reaches_the_output(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    """T = 0.5 sharpens the softmax: the bars are softmax(z / 0.5), the formula says T."""
    spin = window.picker.temperature
    with qtbot.waitSignal(window.run_reset, timeout=TIMEOUT_MS):
        spin.setValue(0.5)
    assert window.setup.config.temperature == 0.5
    qtbot.waitUntil(lambda: window.last_trace.temperature == 0.5)
    x = np.array([2.0, -1.0, 0.5, 3.0])
    _, outputs = forward(IDENTITY, ("ReLU", "Sigmoid", "Softmax"), x, 0.5)
    assert window.panels[3].heights == pytest.approx(outputs[-1], abs=1e-12)
    formula = window.findChild(QWidget, "stage_formula_output").text()
    assert "T = 0.5" in formula.replace("\xa0", " ")


def test_gradients_follow_edits_and_the_target(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    """The gradient row shows ∂L/∂z of the typed input; another target changes it."""
    window.gradients.action_show_gradients.setChecked(True)
    assert all(panel.gradients_visible for panel in window.panels)
    assert set_cell(window, 1, "1.5")
    x = np.array([2.0, 1.5, 0.5, 3.0])
    qtbot.waitUntil(lambda: shown_inputs(window, x))
    activations = ("ReLU", "Sigmoid", "Softmax")
    expected = backprop(IDENTITY, activations, x, 2)  # "smallest": 0.5 is class 3
    for panel, gradient in zip(window.panels, expected, strict=True):
        assert panel.gradient_heights == pytest.approx(gradient, abs=1e-12), panel.key
    assert window.gradients.loss_label.text().endswith("(class 3)")
    combo = window.gradients.target
    combo.setCurrentIndex(combo.findData(0))
    combo.activated.emit(combo.currentIndex())
    qtbot.waitUntil(lambda: window.last_trace.target == 0)
    expected = backprop(IDENTITY, activations, x, 0)
    assert window.panels[0].gradient_heights == pytest.approx(expected[0], abs=1e-12)
    assert window.gradients.loss_label.text().endswith("(class 1)")
    # The data-flow table says the same in text (three significant digits).
    first = f"{expected[0][0]:.3g}".replace("-", "−")
    qtbot.waitUntil(lambda: window.trace_rows.item(0, 6).text().startswith(first))
    window.gradients.action_show_gradients.setChecked(False)
    assert not any(panel.gradients_visible for panel in window.panels)


def test_dead_units_are_marked_where_the_learner_looks(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    """A negative input through ReLU is a dead unit for this input: panel and table say so."""
    qtbot.waitUntil(lambda: window.panels[1].unit_states == ("", "dead", "", ""))
    qtbot.waitUntil(lambda: window.trace_rows.item(1, 7).text() == "dead: 2")
    assert "1 dead" in window.panels[1].footer_text


def test_curves_mark_the_current_z_and_move_with_edits(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    """With the curves shown, each layer's four points sit at its z and f(z), f′(z)."""
    window.pipeline.action_show_curves.setChecked(True)
    assert window.pipeline.curves_visible
    assert set_cell(window, 0, "-2.5")
    x = np.array([-2.5, -1.0, 0.5, 3.0])
    qtbot.waitUntil(lambda: shown_inputs(window, x))
    zs, _ = forward(IDENTITY, ("ReLU", "Sigmoid", "Softmax"), x)
    for curve, z in zip(window.curves, zs, strict=True):
        drawn = [point[0] for point in curve.marker_points]
        assert drawn == pytest.approx(z, abs=1e-12), curve.objectName()
    window.pipeline.action_show_curves.setChecked(False)
    assert not window.pipeline.curves_visible


def test_compared_pipelines_train_side_by_side_as_they_would_alone(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    """Two runs from one start: each epoch equals the same pipeline trained headless."""
    other = Pipeline(("GELU", "Tanh", "Softmax"))
    with qtbot.waitSignal(window.run_reset, timeout=TIMEOUT_MS):
        window.setup.set_compare((other,))
    assert window.compare_table.isVisible()
    assert window.plots.comparing
    assert "GELU → Tanh → Softmax" in window.plots.legend.text()
    window.controls.action_step.trigger()
    model = window.training.compare_rows
    qtbot.waitUntil(
        lambda: all(
            model.latest(run) is not None and model.latest(run).epoch == 1 for run in (0, 1)
        ),
        timeout=TIMEOUT_MS,
    )
    alone = Trainer(TrainingConfig().with_pipeline(other)).train_epoch()
    assert model.latest(1).train_loss == pytest.approx(alone.train_loss, rel=1e-12)
    assert model.latest(1).test_accuracy == alone.test_accuracy
    main = Trainer(TrainingConfig()).train_epoch()
    assert model.latest(0).train_loss == pytest.approx(main.train_loss, rel=1e-12)
    # Back to one pipeline: the comparison goes away.
    with qtbot.waitSignal(window.run_reset, timeout=TIMEOUT_MS):
        window.setup.set_compare(())
    assert not window.compare_table.isVisible()
    assert not window.plots.comparing

"""One stage panel on its own, fed real traces of the model (no window, no model process).

Panels are named by position, take another activation in place, show the gradient of the
loss under the bars, mark dead and saturated units, and keep every number whole and apart at
the narrowest width the window gives them. Expected numbers come from the definitions
(softmax − one-hot, σ′ = σ(1 − σ)), not from the panel.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator

import layout_checks
import numpy as np
import pytest
from helpers import window_font
from PySide6.QtWidgets import QApplication, QComboBox, QHBoxLayout, QLabel, QMainWindow, QWidget
from pytestqt.qtbot import QtBot

from gui import theme
from gui.pipeline_view import make_input_panel
from gui.widgets.gradient_plot import GRADIENT_FLOOR, gradient_spellings, growing_limit
from gui.widgets.stage_panel import StagePanel
from gui.widgets.stage_text import formula_text
from model.activations import get_activation
from model.network import ActivationNet
from model.trace import Trace

KEYS = ("input", "layer1", "layer2", "output")
TITLES = ("Input", "layer 1", "layer 2", "output")
Row = Callable[[list[StagePanel], int, int], QMainWindow]
NAMES = ("panel", "title", "shape", "formula", "meaning", "footer", "plot", "gradient", "caution")


@pytest.fixture(autouse=True)
def _window_font(qapp: QApplication) -> Iterator[None]:
    """The window's 10 pt text (offscreen starts at 9 pt): widths are measured as shown."""
    theme.configure_pyqtgraph()
    with window_font(qapp):
        yield


def make_panels(
    qtbot: QtBot, pipeline: tuple[str, ...], temperature: float = 1.0
) -> list[StagePanel]:
    """The four panels as the pipeline view builds them."""
    panels = [make_input_panel()]
    for key, title, name in zip(KEYS[1:], TITLES[1:], pipeline, strict=True):
        activation = get_activation(name)
        panels.append(StagePanel.for_activation(key, title, activation, temperature=temperature))
    for panel in panels:
        qtbot.addWidget(panel)
    return panels


def show(panels: list[StagePanel], trace: Trace) -> None:
    for index, (panel, stage) in enumerate(zip(panels, trace.stages, strict=True)):
        panel.show_stage(stage, trace.prediction if index == len(panels) - 1 else None)


@pytest.fixture
def in_a_row(qtbot: QtBot) -> Iterator[Row]:
    """Puts panels side by side in a window, each ``width`` wide as in the real window
    (the windows are kept until the test ends: the panels live in them)."""
    windows: list[QMainWindow] = []

    def build(panels: list[StagePanel], width: int, height: int) -> QMainWindow:
        window = QMainWindow()
        qtbot.addWidget(window)
        windows.append(window)
        row = QWidget()
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        for panel in panels:
            layout.addWidget(panel, 1)
        window.setCentralWidget(row)
        window.resize(4 * width + 18, height)
        window.show()
        qtbot.waitExposed(window)
        QApplication.processEvents()
        for panel in panels:
            panel.plot.repaint()
            panel.gradient_plot.repaint()
        return window

    yield build
    for window in windows:
        window.close()


def label_items(panels: list[StagePanel]) -> dict[str, object]:
    items: dict[str, object] = {panel.plot.objectName(): panel.label_item for panel in panels}
    for panel in panels:
        if panel.gradients_visible:
            items[panel.gradient_plot.objectName()] = panel.gradient_label_item
    return items


# Names ------------------------------------------------------------------------------------------


def test_widgets_are_named_by_position_not_by_activation(qtbot) -> None:  # type: ignore[no-untyped-def]
    """Two ReLU layers get names of their own; no name mentions an activation."""
    panels = make_panels(qtbot, ("ReLU", "ReLU", "Softmax"))
    names = set()
    for panel, key in zip(panels, KEYS, strict=True):
        for part in NAMES:
            name = f"stage_{part}_{key}"
            widget = panel if part == "panel" else panel.findChild(QWidget, name)
            assert widget is not None, name
            assert widget.objectName() == name
            names.add(name)
    assert len(names) == len(KEYS) * len(NAMES)
    everything = [w.objectName() for p in panels for w in (p, *p.findChildren(QWidget))]
    assert not [name for name in everything if "relu" in name.lower()]
    assert [panel.name for panel in panels] == ["Input", "ReLU", "ReLU", "Softmax"]
    assert panels[1].gradient_plot.objectName() == "stage_gradient_layer1"


# Another activation ---------------------------------------------------------------------------


def test_set_activation_reconfigures_the_panel_in_place(qtbot) -> None:  # type: ignore[no-untyped-def]
    """ReLU → Tanh → GELU: words, range and bar names follow; the widgets stay the same."""
    panel = StagePanel.for_activation("layer1", "layer 1", get_activation("ReLU"))
    qtbot.addWidget(panel)
    plot, gradient_plot = panel.plot, panel.gradient_plot
    formula = panel.findChild(QLabel, "stage_formula_layer1")
    meaning = panel.findChild(QLabel, "stage_meaning_layer1")
    title = panel.findChild(QLabel, "stage_title_layer1")
    caution = panel.findChild(QLabel, "stage_caution_layer1")

    tanh = get_activation("Tanh")
    panel.set_activation(tanh)
    assert panel.name == "Tanh"
    assert panel.activation is tanh
    assert "Tanh" in title.text()
    assert formula.text().replace("\u00a0", " ") == tanh.formula
    assert meaning.text() == tanh.meaning
    assert tanh.caution in caution.toolTip()
    assert tanh.caution in panel.toolTip()
    assert panel.y_range == (-1.0, 1.0)  # bounded: fixed
    ticks = panel.plot.getPlotItem().getAxis("bottom")._tickLevels[0]
    assert [text for _, text in ticks] == ["t₁", "t₂", "t₃", "t₄"]
    show_tanh = ActivationNet(("Tanh", "Tanh", "Softmax")).trace([9, -1, 0.5, 3])
    panel.show_stage(show_tanh.stages[1])
    assert panel.heights == pytest.approx(np.tanh([9, -1, 0.5, 3]), abs=1e-12)
    assert panel.y_range == (-1.0, 1.0)  # z = 9 does not move a fixed range

    gelu = get_activation("GELU")
    panel.set_activation(gelu)
    assert panel.heights == ()  # Tanh's bars do not stand under GELU's formula
    assert "Waiting" in panel.footer_text
    assert panel.y_range == (-1.0, 1.0)  # unbounded: grows from ±1 again
    assert formula.text() == gelu.formula
    panel.show_stage(show_tanh.stages[1])  # a late trace of the old pipeline
    assert panel.heights == ()
    trace = ActivationNet(("GELU", "Tanh", "Softmax")).trace([2.5, -1, 0.5, 3])
    panel.show_stage(trace.stages[1])
    assert panel.heights == trace.stages[1].values
    assert panel.y_range == (-3.0, 3.0)  # grew to fit z = 3, symmetric
    panel.set_activation(get_activation("SiLU"))
    assert panel.y_range == (-1.0, 1.0)  # another activation starts from ±1 again
    assert panel.plot is plot
    assert panel.gradient_plot is gradient_plot


def test_softmax_formula_says_its_temperature_only_when_not_one(qtbot) -> None:  # type: ignore[no-untyped-def]
    """T = 1 is the plain softmax; T = 0.5 is written beside the formula."""
    softmax = get_activation("Softmax")
    panel = StagePanel.for_activation("output", "output", softmax)
    qtbot.addWidget(panel)
    formula = panel.findChild(QLabel, "stage_formula_output")
    assert "T =" not in formula.text().replace("\u00a0", " ")
    panel.set_activation(softmax, 0.5)
    assert formula.text().replace("\u00a0", " ") == "eᶻⁱᐟᵀ / Σⱼ eᶻʲᐟᵀ, T = 0.5"
    assert formula_text(softmax, 2.0).endswith("T\u00a0=\u00a02")
    # Tanh wraps between its groups, never inside a parenthesis.
    tanh = formula_text(get_activation("Tanh"))
    assert tanh.split(" ") == ["(eᶻ\u00a0−\u00a0e⁻ᶻ)", "/", "(eᶻ\u00a0+\u00a0e⁻ᶻ)"]


# Gradients -------------------------------------------------------------------------------------


def test_gradient_row_shows_the_traces_gradients(qtbot, in_a_row) -> None:  # type: ignore[no-untyped-def]
    """∂L/∂z bars match the trace; the output's are softmax − one-hot, by hand."""
    panels = make_panels(qtbot, ("GELU", "Tanh", "Softmax"))
    trace = ActivationNet(("GELU", "Tanh", "Softmax")).trace([2, -1, 0.5, 3], target=3)
    for panel in panels:
        assert not panel.gradients_visible
        panel.set_gradients_visible(True)
    show(panels, trace)
    window = in_a_row(panels, 230, 420)
    for panel, stage in zip(panels, trace.stages, strict=True):
        assert panel.gradient_plot.isVisible()
        assert stage.gradient is not None
        assert panel.gradient_heights == pytest.approx(stage.gradient, abs=0)
        numbers = [label for label in panel.gradient_labels if not label.muted]
        assert [label.x for label in numbers] == [0.0, 1.0, 2.0, 3.0]
        for label, g in zip(numbers, stage.gradient, strict=True):
            decimals = len(label.text.split(".")[1])
            assert decimals >= 3
            rounding = 0.5 * 10.0**-decimals + 1e-15
            assert float(label.text.replace("−", "-")) == pytest.approx(g, abs=rounding)
        low, high = panel.gradient_range
        assert low == -high
        assert high >= max(abs(g) for g in stage.gradient)
    z = np.asarray(trace.stages[2].values)  # the output's scores: Tanh's values
    softmax = np.exp(z) / np.exp(z).sum()
    assert panels[3].gradient_heights == pytest.approx(softmax - np.eye(4)[3], abs=1e-12)
    assert panels[0].gradient_plot.getPlotItem().getAxis("left")._tickLevels[0][0][1] == "∂L\n∂x"
    assert panels[1].gradient_plot.getPlotItem().getAxis("left")._tickLevels[0][0][1] == "∂L\n∂z"
    for panel in panels:
        panel.set_gradients_visible(False)
    QApplication.processEvents()
    assert not any(panel.gradient_plot.isVisible() for panel in panels)
    assert not any(panel.gradients_visible for panel in panels)
    assert all(panel.plot.isVisible() for panel in panels)
    window.close()


def test_without_a_target_the_gradient_row_is_empty_and_says_why(qtbot) -> None:  # type: ignore[no-untyped-def]
    panels = make_panels(qtbot, ("ReLU", "Sigmoid", "Softmax"))
    for panel in panels:
        panel.set_gradients_visible(True)
    show(panels, ActivationNet().trace([2, -1, 0.5, 3]))
    for panel in panels:
        assert panel.gradient_heights == ()
        assert not [label for label in panel.gradient_labels if not label.muted]
        assert "target" in panel.gradient_plot.toolTip()
    show(panels, ActivationNet().trace([2, -1, 0.5, 3], target=0))
    assert all(len(panel.gradient_heights) == 4 for panel in panels)
    assert "target" not in panels[1].gradient_plot.toolTip()


def test_gradient_range_only_grows_until_reset(qtbot) -> None:  # type: ignore[no-untyped-def]
    (panel,) = make_panels(qtbot, ("ReLU", "Sigmoid", "Softmax"))[3:]
    assert panel.gradient_range == (-GRADIENT_FLOOR, GRADIENT_FLOOR)
    net = ActivationNet()
    panel.show_stage(net.trace([2, -1, 0.5, 3], target=0).stages[3])
    grown = panel.gradient_range
    reach = max(abs(g) for g in panel.gradient_heights)
    assert reach <= grown[1] < 2 * reach
    panel.show_stage(net.trace([2, -1, 0.5, 3], target=3).stages[3])  # smaller gradients
    assert panel.gradient_range == grown
    panel.reset_range()
    assert panel.gradient_range == (-GRADIENT_FLOOR, GRADIENT_FLOOR)


def test_gradient_numbers_are_rounded_to_the_range() -> None:
    """Three digits at the top of the range, then fewer, each a correct rounding."""
    assert growing_limit(0.029, GRADIENT_FLOOR) == 0.03
    assert growing_limit(0.0002, GRADIENT_FLOOR) == GRADIENT_FLOOR
    assert growing_limit(0.686, GRADIENT_FLOOR) == 0.8
    assert growing_limit(1.2, GRADIENT_FLOOR) == 1.5
    assert gradient_spellings(0.0289, 0.03) == ("0.0289", "0.029", "0.03", "0.0")
    assert gradient_spellings(-0.686, 0.8) == ("−0.686", "−0.69", "−0.7")
    assert gradient_spellings(-0.00023, 0.03)[0] == "−0.0002"
    assert gradient_spellings(2.5e4, 3e4)[0] == "2.50e4"


# Unit states -----------------------------------------------------------------------------------


def test_dead_relu_and_saturated_sigmoid_units_are_marked(qtbot, in_a_row) -> None:  # type: ignore[no-untyped-def]
    """x₂ = −1 leaves ReLU unit 2 dead; x₄ = 8 saturates Sigmoid unit 4 (σ′(8) ≈ 0.0003)."""
    sigmoid = 1 / (1 + math.exp(-8))
    assert sigmoid * (1 - sigmoid) < 0.01  # the definition, by hand
    panels = make_panels(qtbot, ("ReLU", "Sigmoid", "Softmax"))
    for panel in panels:
        panel.set_gradients_visible(True)
    show(panels, ActivationNet().trace([2, -1, 0.5, 8], target=3))
    _, relu, sigm, softmax = panels
    in_a_row(panels, 450, 600)
    assert relu.unit_states == ("", "dead", "", "")
    assert sigm.unit_states == ("", "", "", "saturated")
    assert softmax.unit_states == ("", "", "", "")
    assert panels[0].unit_states == ()
    assert relu.hatched == (False, True, False, False)
    assert sigm.hatched == (False, False, False, True)
    assert softmax.hatched == (False,) * 4
    assert relu.bar_colours[3] == theme.POSITIVE  # hatched or not, the colour still means +
    assert sigm.bar_colours[3] == theme.POSITIVE
    assert relu.footer_text == "0 of 4 negative · 1 dead"
    assert sigm.footer_text == "0 of 4 negative · 1 saturated"
    assert softmax.footer_text == "Σ = 1.000 · class 4"
    words = {(label.x, label.text) for label in relu.gradient_labels if label.muted}
    assert words == {(1.0, "dead")}
    words = {(label.x, label.text) for label in sigm.gradient_labels if label.muted}
    assert words == {(3.0, "flat")}
    drawn = [placed.text for placed in sigm.gradient_label_item.placed if placed.muted]
    assert drawn == ["flat"]
    assert "saturated" in sigm.findChild(QLabel, "stage_footer_layer2").toolTip()


def test_the_footer_never_widens_the_panel(qtbot, in_a_row) -> None:  # type: ignore[no-untyped-def]
    """At the narrowest width the footer drops words rather than run past the panel."""
    panels = make_panels(qtbot, ("ReLU", "Sigmoid", "Softmax"))
    show(panels, ActivationNet().trace([2, -1, 0.5, 8], target=3))
    window = in_a_row(panels, 170, 380)
    relu = panels[1]
    footer = relu.findChild(QLabel, "stage_footer_layer1")
    assert relu.width() <= 172
    assert "1 dead" in footer.text()
    assert footer.fontMetrics().horizontalAdvance(footer.text()) <= footer.contentsRect().width()
    assert "0 of 4 negative · 1 dead" in footer.toolTip()
    panels[2].set_stale("the model process stopped unexpectedly while training")
    stale = panels[2].findChild(QLabel, "stage_footer_layer2")
    assert stale.text().startswith("⚠ Stale")
    assert "unexpectedly" in stale.toolTip()
    assert layout_checks.layout_problems(window) == []


# Layout ----------------------------------------------------------------------------------------


CASES = {
    # Negative values, z and gradients of every size; a temperature in the formula.
    "leaky": (("LeakyReLU", "Sigmoid", "Softmax"), [2, -1, 0.5, -4], 0.5),
    # Two dead ReLU units and a saturated Tanh unit: words under the gradients.
    "states": (("ReLU", "Tanh", "Softmax"), [6, -1, 0.5, -4], 1.0),
}


@pytest.mark.parametrize("case", list(CASES))
@pytest.mark.parametrize("gradients", [False, True], ids=["bars", "with_gradients"])
@pytest.mark.parametrize("size", [(164, 380), (230, 420), (450, 600)])
def test_every_text_and_number_fits(
    qtbot: QtBot, in_a_row: Row, size: tuple[int, int], gradients: bool, case: str
) -> None:
    """No number is cut or covers another, on the bars or the gradients; every value is
    drawn (at the narrowest, z and the state words may step aside); words are not cut."""
    pipeline, x, temperature = CASES[case]
    panels = make_panels(qtbot, pipeline, temperature=temperature)
    for panel in panels:
        panel.set_gradients_visible(gradients)
    show(panels, ActivationNet(pipeline, temperature=temperature).trace(x, target=3))
    if case == "states":
        assert panels[1].unit_states == ("", "dead", "", "dead")
        assert panels[2].unit_states[0] == "saturated"
    window = in_a_row(panels, *size)
    assert panels[1].width() <= size[0] + 2  # really this narrow
    roomy = size[0] >= 230
    problems = layout_checks.plot_label_problems(label_items(panels), all_muted_shown=roomy)
    assert problems == []
    assert layout_checks.layout_problems(window) == []
    drawn = [label.text for label in panels[0].label_item.placed]
    assert drawn[3].startswith("−4")  # the sign is drawn, not clipped
    if gradients:
        for panel in panels:  # each gradient bar stands under its value bar
            assert panel.gradient_plot.getViewBox().sceneBoundingRect().width() == pytest.approx(
                panel.plot.getViewBox().sceneBoundingRect().width(), abs=1
            )
            left = panel.gradient_plot.getPlotItem().getAxis("left").width()
            assert left == panel.plot.getPlotItem().getAxis("left").width()


def test_the_caution_marker_costs_no_height(qtbot) -> None:  # type: ignore[no-untyped-def]
    """The "watch out" sentence is a tooltip behind a ⚠ in the title row: same minimum
    height as a panel without one."""
    with_caution = StagePanel.for_activation("layer1", "layer 1", get_activation("Sigmoid"))
    without = StagePanel("input", "Input", "x", "The four numbers you typed, before any layer")
    for panel in (with_caution, without):
        qtbot.addWidget(panel)
        panel.resize(170, 400)
        panel.show()
    QApplication.processEvents()
    caution = with_caution.findChild(QLabel, "stage_caution_layer1")
    assert caution.isVisible()
    assert caution.text() == "⚠"
    assert not without.findChild(QLabel, "stage_caution_input").isVisible()
    title_row = with_caution.findChild(QLabel, "stage_title_layer1").height()
    assert caution.height() <= title_row + 2


def test_a_picker_in_the_title_row_fits_the_narrowest_panel(qtbot) -> None:  # type: ignore[no-untyped-def]
    """With the activation's combo box beside it, the title says the position where there
    is room and steps aside where there is none."""
    panel = StagePanel.for_activation("layer1", "layer 1", get_activation("LeakyReLU"))
    qtbot.addWidget(panel)
    combo = QComboBox()
    combo.addItems(["LeakyReLU", "Softplus", "Identity"])
    panel.add_title_widget(combo, names_activation=True)
    title = panel.findChild(QLabel, "stage_title_layer1")
    panel.resize(450, 400)
    panel.show()
    QApplication.processEvents()
    assert "layer 1" in title.text()
    assert "LeakyReLU" not in title.text()  # the combo box says it
    panel.resize(panel.minimumSizeHint().width(), 400)
    QApplication.processEvents()
    assert panel.width() <= 170
    assert combo.width() >= combo.minimumSizeHint().width()
    assert title.text() == "" or title.width() >= title.minimumSizeHint().width()


# Painting --------------------------------------------------------------------------------------


def test_both_plots_report_what_they_painted(qtbot, in_a_row) -> None:  # type: ignore[no-untyped-def]
    """A shown stage bumps the versions of the plots that paint; a hidden gradient row never
    seems to lag behind (a benchmark waiting on it would wait for ever)."""
    panels = make_panels(qtbot, ("ReLU", "Sigmoid", "Softmax"))
    relu = panels[1]
    trace = ActivationNet().trace([2, -1, 0.5, 3], target=3)
    in_a_row(panels, 230, 420)
    assert relu.plots == (relu.plot,)
    hidden_before = relu.gradient_plot.shown_version
    show(panels, trace)
    assert relu.gradient_plot.shown_version == hidden_before
    assert relu.plot.shown_version > 0
    qtbot.waitUntil(lambda: relu.plot.painted_version == relu.plot.shown_version, timeout=2000)

    relu.set_gradients_visible(True)
    assert relu.plots == (relu.plot, relu.gradient_plot)
    versions = [plot.shown_version for plot in relu.plots]
    show(panels, trace)
    assert [plot.shown_version for plot in relu.plots] == [v + 1 for v in versions]
    with qtbot.waitSignals([plot.painted for plot in relu.plots], timeout=2000):
        pass
    assert all(plot.painted_version == plot.shown_version for plot in relu.plots)


def test_stale_bars_keep_their_heights_and_recover(qtbot) -> None:  # type: ignore[no-untyped-def]
    panels = make_panels(qtbot, ("ReLU", "Sigmoid", "Softmax"))
    trace = ActivationNet().trace([2, -1, 0.5, 3], target=3)
    show(panels, trace)
    relu = panels[1]
    relu.set_gradients_visible(True)
    relu.set_stale("model stopped")
    assert relu.is_stale
    assert relu.footer_text.startswith("⚠ Stale")
    assert relu.heights == trace.stages[1].values
    assert set(relu.bar_colours) == {theme.GHOST}
    relu.show_stage(trace.stages[1])
    assert not relu.is_stale
    assert "1 dead" in relu.footer_text
    assert relu.bar_colours == (theme.POSITIVE,) * 4

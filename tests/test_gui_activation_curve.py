"""The activation curve widget alone: f(z) and f′(z) from real traces, the four z marked.

Numbers are checked against the shared numpy reference, not against the widget's own
arithmetic; what is drawn is read back from the plot items and the marker layer.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy_reference as ref
import pytest
from PySide6.QtWidgets import QLabel, QWidget
from pytestqt.qtbot import QtBot

from gui import theme
from gui.widgets.activation_curve import ActivationCurve
from model.activations import get_activation
from model.network import ActivationNet
from model.trace import StageCurve, StageTrace

INPUTS = [2.0, -1.0, 0.5, 3.0]
SIZES = [(230, 140), (300, 200), (450, 260)]
MakeCurve = Callable[..., ActivationCurve]


def stage_of(
    pipeline: Sequence[str], inputs: Sequence[float], layer: int, temperature: float = 1.0
) -> StageTrace:
    """Stage ``layer`` (1-based) of the untrained network's trace of ``inputs``."""
    trace = ActivationNet(tuple(pipeline), temperature=temperature).trace(list(inputs), target=3)
    return trace.stages[layer]


@pytest.fixture
def make_curve(qtbot: QtBot) -> MakeCurve:
    theme.configure_pyqtgraph()

    def make(width: int = 300, height: int = 200, key: str = "layer1") -> ActivationCurve:
        curve = ActivationCurve(key)
        qtbot.addWidget(curve)
        curve.resize(width, height)
        curve.show()
        qtbot.waitExposed(curve)
        return curve

    return make


def drawn_rows(curve: ActivationCurve) -> tuple[np.ndarray, np.ndarray]:
    """The f and f′ data as drawn, one row per curve."""
    f, slope = curve.curve_data
    return f.reshape(curve.curve_rows, -1), slope.reshape(curve.curve_rows, -1)


def painted(curve: ActivationCurve, qtbot: QtBot) -> None:
    """Wait until the plot has painted what was last shown."""
    curve.plot.update()
    qtbot.waitUntil(lambda: curve.plot.painted_version == curve.plot.shown_version)


def part(curve: ActivationCurve, name: str) -> QLabel:
    """The curve's ``name`` label (title or caption), found by its documented objectName."""
    label = curve.findChild(QLabel, f"curve_{name}_{curve.key}")
    assert label is not None, f"no curve_{name}_{curve.key}"
    return label


def label_is_cut(label: QLabel) -> bool:
    """As the window's layout checks judge it: the text needs more width than it has."""
    return label.contentsRect().width() + 1 < label.minimumSizeHint().width()


@pytest.mark.parametrize("name", ["ReLU", "GELU", "Tanh"])
def test_markers_sit_on_the_trace_values_and_the_curves(make_curve: MakeCurve, name: str) -> None:
    curve = make_curve()
    stage = stage_of((name, "Sigmoid", "Softmax"), INPUTS, 1)
    curve.set_activation(get_activation(name))
    curve.show_stage(stage)
    z = np.array(INPUTS)  # identity weights: layer 1's z is the input
    assert stage.pre_activation == pytest.approx(z)
    expected = list(zip(z, ref.apply(name, z), ref.slope(name, z), strict=True))
    np.testing.assert_allclose(curve.marker_points, expected, atol=1e-9)
    assert curve.curve_rows == 1
    grid, values, slopes = ref.curve(name)
    f_rows, slope_rows = drawn_rows(curve)
    np.testing.assert_allclose(f_rows, values, atol=1e-9)
    np.testing.assert_allclose(slope_rows, slopes, atol=1e-9)
    for x, f, _slope in curve.marker_points:  # on the drawn f curve (kinks lie on the grid)
        assert np.interp(x, grid, f_rows[0]) == pytest.approx(f, abs=0.01)
    assert name in curve.title_text
    assert get_activation(name).caution in part(curve, "title").toolTip()


def test_softmax_draws_a_curve_per_unit_and_the_temperature_changes_them(
    make_curve: MakeCurve,
) -> None:
    curve = make_curve(450, 260, key="output")
    pipeline = ("GELU", "Tanh", "Softmax")
    stage = stage_of(pipeline, INPUTS, 3, temperature=0.5)
    curve.set_activation(get_activation("Softmax"), 0.5)
    curve.show_stage(stage)
    z = np.array(stage.pre_activation)
    assert z == pytest.approx(np.tanh(ref.gelu(np.array(INPUTS))))
    assert curve.curve_rows == 4
    expected = list(zip(z, ref.softmax(z, 0.5), ref.softmax_slope(z, 0.5), strict=True))
    np.testing.assert_allclose(curve.marker_points, expected, atol=1e-9)
    grid, values, slopes = ref.curve("Softmax", held=z, temperature=0.5)
    f_rows, slope_rows = drawn_rows(curve)
    np.testing.assert_allclose(f_rows, values, atol=1e-9)
    np.testing.assert_allclose(slope_rows, slopes, atol=1e-9)
    for unit, (x, f, slope) in enumerate(curve.marker_points):  # unit i on row i
        assert np.interp(x, grid, f_rows[unit]) == pytest.approx(f, abs=0.01)
        assert np.interp(x, grid, slope_rows[unit]) == pytest.approx(slope, abs=0.01)
    assert "T = 0.5" in curve.title_text
    # At T = 1 the same scores give other curves, and the title says so.
    curve.set_activation(get_activation("Softmax"), 1.0)
    curve.show_stage(stage_of(pipeline, INPUTS, 3, temperature=1.0))
    f_at_one, _ = drawn_rows(curve)
    assert not np.allclose(f_at_one, values, atol=1e-3)
    np.testing.assert_allclose(f_at_one, ref.curve("Softmax", held=z)[1], atol=1e-9)
    assert "T = 1" in curve.title_text


def test_switching_activation_replaces_the_curves(make_curve: MakeCurve) -> None:
    curve = make_curve()
    curve.set_activation(get_activation("ReLU"))
    curve.show_stage(stage_of(("ReLU", "Sigmoid", "Softmax"), INPUTS, 1))
    assert curve.curve_rows == 1
    curve.set_activation(get_activation("Tanh"))
    # The ReLU curve and its markers are gone at once: they belong to another function.
    assert curve.curve_rows == 0
    assert curve.marker_points == []
    assert len(curve.curve_data[0]) == 0
    assert "Tanh" in curve.title_text
    curve.show_stage(stage_of(("Tanh", "Sigmoid", "Softmax"), INPUTS, 1))
    np.testing.assert_allclose(drawn_rows(curve)[0], ref.curve("Tanh")[1], atol=1e-9)
    assert curve.y_range.low == pytest.approx(-1.0)
    assert curve.y_range.high == pytest.approx(1.0)
    # A stage of another activation switches by itself (the pipeline changed under it).
    curve.show_stage(stage_of(("Sigmoid", "Tanh", "Softmax"), INPUTS, 1))
    assert "Sigmoid" in curve.title_text
    np.testing.assert_allclose(drawn_rows(curve)[0], ref.curve("Sigmoid")[1], atol=1e-9)


def test_off_scale_z_is_clamped_to_the_edge_and_said(make_curve: MakeCurve, qtbot: QtBot) -> None:
    curve = make_curve(230, 140)
    curve.set_activation(get_activation("Identity"))
    curve.show_stage(stage_of(("Identity", "Sigmoid", "Softmax"), [9.0, -1.0, 0.5, -7.0], 1))
    low, high = curve.y_range.low, curve.y_range.high
    assert (low, high) == (-1.5, 3.0)  # clamped: Identity's f would stretch the axis to ±6
    assert curve.y_range.open_low
    assert curve.y_range.open_high
    np.testing.assert_allclose(
        curve.marker_points,
        [(6.0, high, 1.0), (-1.0, -1.0, 1.0), (0.5, 0.5, 1.0), (-6.0, low, 1.0)],
    )
    tips = curve.plot.toolTip().splitlines()
    assert "z = 9" in tips[0]
    assert "off the plot" in tips[0]
    assert "right edge" in tips[0]
    assert "left edge" in tips[3]
    assert "off the plot" not in tips[1]
    painted(curve, qtbot)
    texts = [text for _rect, text in curve.marker_layer.placed]
    assert "f ↑" in texts
    assert "f ↓" in texts
    numbers = {unit for text in texts if text[0].isdigit() for unit in text.split(",")}
    assert numbers == {"1", "2", "3", "4"}  # none vanished
    # Only f beyond the top: ReLU's z = 5 has f = 5, drawn at the top edge.
    curve.set_activation(get_activation("ReLU"))
    curve.show_stage(stage_of(("ReLU", "Sigmoid", "Softmax"), [5.0, 1.0, 1.0, 1.0], 1))
    assert curve.marker_points[0] == pytest.approx((5.0, 3.0, 1.0))
    assert "beyond the plot's scale" in curve.plot.toolTip().splitlines()[0]


def test_dead_and_saturated_units_are_flagged(make_curve: MakeCurve) -> None:
    curve = make_curve(450, 260)
    curve.set_activation(get_activation("ReLU"))
    curve.show_stage(stage_of(("ReLU", "Sigmoid", "Softmax"), INPUTS, 1))
    assert curve.caption_text == "f′ at your z: 1.00, 0.00 (dead), 1.00, 1.00"
    flagged = {m.unit for m in curve.marker_layer.markers if m.flagged}
    assert flagged == {1}
    assert "dead" in curve.plot.toolTip().splitlines()[1]
    # Tanh at z = 4 and −5: slopes below 0.01, saturated, written with digits enough to see it.
    curve.set_activation(get_activation("Tanh"))
    curve.show_stage(stage_of(("Tanh", "Sigmoid", "Softmax"), [4.0, 0.5, -5.0, 1.0], 1))
    slopes = ref.tanh_slope(np.array([4.0, 0.5, -5.0, 1.0]))
    assert curve.caption_text == (
        f"f′ at your z: {slopes[0]:.4f} (saturated), {slopes[1]:.2f}, "
        f"{slopes[2]:.4f} (saturated), {slopes[3]:.2f}"
    )
    assert {m.unit for m in curve.marker_layer.markers if m.flagged} == {0, 2}
    # Narrow: detail goes before anything is cut, down to the count.
    curve.resize(150, 200)
    assert curve.caption_text == "2 of 4 saturated"
    assert not label_is_cut(part(curve, "caption"))


def test_an_unchanged_curve_only_moves_the_markers(
    make_curve: MakeCurve, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    curve = make_curve()
    calls: list[int] = []
    original = curve._f_item.setData

    def counting(*args: Any, **kwargs: Any) -> None:
        calls.append(1)
        original(*args, **kwargs)

    monkeypatch.setattr(curve._f_item, "setData", counting)
    first = stage_of(("GELU", "Sigmoid", "Softmax"), INPUTS, 1)
    curve.set_activation(get_activation("GELU"))
    calls.clear()  # switching clears the curves
    curve.show_stage(first)
    assert len(calls) == 1
    painted(curve, qtbot)
    # A new trace sends equal curve arrays in new objects (they crossed a process boundary).
    assert first.curve is not None
    copy = StageCurve(first.curve.z.copy(), first.curve.values.copy(), first.curve.slopes.copy())
    moved = dataclasses.replace(
        stage_of(("GELU", "Sigmoid", "Softmax"), [1.0, 1.0, 1.0, -2.0], 1), curve=copy
    )
    version = curve.plot.shown_version
    curve.show_stage(moved)
    assert len(calls) == 1  # no setData for the curve
    assert curve.marker_points[3][0] == pytest.approx(-2.0)
    assert curve.plot.shown_version == version + 1
    painted(curve, qtbot)
    # Softmax's curves follow the other scores: a new trace redraws them.
    curve.show_stage(stage_of(("GELU", "Sigmoid", "Softmax"), INPUTS, 3))
    curve.show_stage(stage_of(("GELU", "Sigmoid", "Softmax"), [1.0, 0.0, 0.0, 0.0], 3))
    assert len(calls) >= 3


def test_a_non_finite_stage_draws_no_markers_and_says_so(make_curve: MakeCurve) -> None:
    curve = make_curve()
    stage = stage_of(("ReLU", "Sigmoid", "Softmax"), INPUTS, 1)
    curve.show_stage(stage)
    curve.show_stage(dataclasses.replace(stage, pre_activation=(float("nan"), -1.0, 0.5, 3.0)))
    assert curve.marker_points == []
    assert "Not a finite number" in curve.caption_text


def test_object_names_follow_the_position_key(make_curve: MakeCurve) -> None:
    curve = make_curve(key="layer2")
    assert curve.objectName() == "curve_layer2"
    for name in ("title", "plot", "caption"):
        assert curve.findChild(QWidget, f"curve_{name}_layer2") is not None


CASES = [
    ("ReLU", ("ReLU", "Tanh", "Softmax"), 1),
    ("Tanh", ("GELU", "Tanh", "Softmax"), 2),
    ("Softmax", ("GELU", "Tanh", "Softmax"), 3),
]


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
@pytest.mark.parametrize("case", CASES, ids=[name for name, _, _ in CASES])
def test_reads_well_at_every_size(
    make_curve: MakeCurve,
    qtbot: QtBot,
    tmp_path: Path,
    case: tuple[str, tuple[str, ...], int],
    size: tuple[int, int],
) -> None:
    """Title and caption whole, every unit's number drawn inside the plot, none overlapping.

    The images are saved for a look (the author looked at each before writing this)."""
    name, pipeline, layer = case
    curve = make_curve(*size)
    curve.set_activation(get_activation(name), 0.5)
    curve.show_stage(stage_of(pipeline, INPUTS, layer, temperature=0.5))
    painted(curve, qtbot)
    image = curve.grab()
    assert image.save(str(tmp_path / f"curve_{name}_{size[0]}x{size[1]}.png"))
    for label in (part(curve, "title"), part(curve, "caption")):
        assert label.text(), f"{label.objectName()} is empty"
        assert not label_is_cut(label), f"{label.objectName()} is cut: {label.text()}"
    assert "━━" in curve.title_text  # the key to the two curves is always there
    assert "╍╍" in curve.title_text
    layer_item = curve.marker_layer
    area = layer_item.painted_area
    placed = layer_item.placed
    for index, (rect, text) in enumerate(placed):
        assert area.adjusted(-0.5, -0.5, 0.5, 0.5).contains(rect), f"{text} is cut"
        for other, other_text in placed[index + 1 :]:
            assert not rect.intersects(other), f"{text} overlaps {other_text}"
    numbers = {unit for _rect, text in placed if text[0].isdigit() for unit in text.split(",")}
    assert numbers == {"1", "2", "3", "4"}


def test_crowded_marks_share_a_number_and_none_overlap(make_curve: MakeCurve, qtbot: QtBot) -> None:
    """Four saturated units bunched at the left edge (one beyond it): digits squeezed between
    the rings covered each other ("31,2,4") until crowded marks learned to share a number."""
    curve = make_curve(230, 140)
    curve.show_stage(stage_of(("Tanh", "Sigmoid", "Softmax"), [-5.3, -4.37, -7.8, -4.81], 1))
    painted(curve, qtbot)
    placed = curve.marker_layer.placed
    for index, (rect, text) in enumerate(placed):
        for other, other_text in placed[index + 1 :]:
            assert not rect.intersects(other), f"{text} overlaps {other_text}"
    for row in (False, True):  # f's marks and f′'s marks each carry all four numbers
        marks = [m for m in curve.marker_layer.markers if m.slope == row]
        assert {m.unit for m in marks} == {0, 1, 2, 3}
    numbers = [set(text.split(",")) for _rect, text in placed if text[0].isdigit()]
    assert set().union(*numbers) == {"1", "2", "3", "4"}
    assert curve.caption_text == "4 of 4 saturated"

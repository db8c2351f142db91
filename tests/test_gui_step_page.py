"""The step-through page on its own, fed real traces (no window, no model process).

Moves by clicks and by real key events through Qt's shortcut map, stays inside the pass at
both ends, follows the unit the learner picks, and redraws the same stage for a new trace.
Expected text comes from the default input's known numbers (z₂ = −1, z₃ = 0.5).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import layout_checks
import pytest
from helpers import window_font
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QMainWindow, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from gui.modes.lab import Lab
from gui.modes.step_page import StepPage
from gui.widgets.input_table import InputTableModel
from model.config import DEFAULT_INPUTS
from model.lab_state import LabState
from model.network import trace_inputs
from model.trace import Trace

Build = Callable[[Trace | None], StepPage]


@pytest.fixture(autouse=True)
def _window_font(qapp: QApplication) -> Iterator[None]:
    """The window's 10 pt text (offscreen starts at 9 pt)."""
    with window_font(qapp):
        yield


@pytest.fixture
def build(qtbot: QtBot) -> Build:
    """A shown page in a window that also holds a text field outside the page (the windows
    are kept until the test ends: qtbot holds them only weakly)."""
    windows: list[QMainWindow] = []

    def make(trace: Trace | None) -> StepPage:
        lab = Lab(
            state=LabState(),
            inputs=InputTableModel(DEFAULT_INPUTS),
            pipeline=None,  # type: ignore[arg-type]
            training=None,  # type: ignore[arg-type]
            controls=None,  # type: ignore[arg-type]
            last_trace=lambda: trace,
        )
        window = QMainWindow()
        qtbot.addWidget(window)
        windows.append(window)
        central = QWidget(window)
        layout = QVBoxLayout(central)
        outside = QLineEdit(central)
        outside.setObjectName("outside")
        layout.addWidget(outside)
        page = StepPage(lab, central)
        layout.addWidget(page, 1)
        window.setCentralWidget(central)
        window.resize(1280, 800)
        window.show()
        page.enter(lab.last_trace())
        return page

    return make


def focus_on(qtbot: QtBot, widget: QWidget) -> None:
    """Make ``widget``'s window active and give ``widget`` the keyboard focus."""
    widget.window().activateWindow()
    qtbot.waitUntil(widget.window().isActiveWindow, timeout=5000)
    widget.setFocus()
    qtbot.waitUntil(widget.hasFocus, timeout=5000)


def test_next_and_back_clicks_move_and_stop_at_both_ends(qtbot: QtBot, build: Build) -> None:
    page = build(trace_inputs(DEFAULT_INPUTS))
    assert page.step_count == 7
    assert page.step_position.text() == "Stage 1 of 7: Input"
    assert not page.step_back.isEnabled()
    qtbot.mouseClick(page.step_next, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(page.step_next, Qt.MouseButton.LeftButton)
    assert page.current_index == 2
    assert page.step_position.text() == "Stage 3 of 7: Layer 1 activation"
    assert page.step_title.text() == "Layer 1: activation (ReLU)"
    qtbot.mouseClick(page.step_back, Qt.MouseButton.LeftButton)
    assert page.current_index == 1
    assert page.step_title.text() == "Layer 1: weighted sum"
    for _ in range(10):
        page.next_step()
    assert page.current_index == 6
    assert not page.step_next.isEnabled()
    assert page.step_title.text() == "Layer 3: activation (Softmax)"
    qtbot.mouseClick(page.step_next, Qt.MouseButton.LeftButton)  # disabled: nothing moves
    assert page.current_index == 6
    for _ in range(10):
        page.previous_step()
    assert page.current_index == 0


def test_arrow_keys_move_while_a_button_or_the_picker_has_focus(qtbot: QtBot, build: Build) -> None:
    page = build(trace_inputs(DEFAULT_INPUTS))
    focus_on(qtbot, page.step_next)
    qtbot.keyClick(page.step_next, Qt.Key.Key_Right)
    qtbot.keyClick(page.step_next, Qt.Key.Key_Right)
    assert page.current_index == 2
    qtbot.keyClick(page.step_next, Qt.Key.Key_Left)
    assert page.current_index == 1
    # At the end Next is disabled: the focus stays on the page, and the keys still work.
    for _ in range(6):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Right)
    assert page.current_index == 6
    assert not page.step_next.isEnabled()
    assert QApplication.focusWidget() is page.step_back
    qtbot.keyClick(page.step_back, Qt.Key.Key_Left)
    assert page.current_index == 5
    focus_on(qtbot, page.step_unit)
    qtbot.keyClick(page.step_unit, Qt.Key.Key_Left)
    assert page.current_index == 4
    assert page.step_unit.currentIndex() == 0  # the picker kept its unit


def test_arrow_keys_outside_the_page_do_not_move_it(qtbot: QtBot, build: Build) -> None:
    page = build(trace_inputs(DEFAULT_INPUTS))
    outside = page.window().findChild(QLineEdit, "outside")
    assert outside is not None
    focus_on(qtbot, outside)
    qtbot.keyClicks(outside, "12")
    qtbot.keyClick(outside, Qt.Key.Key_Left)
    assert page.current_index == 0
    assert outside.cursorPosition() == 1  # the field had the key


def test_unit_picker_changes_the_weighted_sum(qtbot: QtBot, build: Build) -> None:
    page = build(trace_inputs(DEFAULT_INPUTS))
    page.next_step()
    assert "z₁ = w₁₁·x₁ + w₁₂·x₂ + w₁₃·x₃ + w₁₄·x₄ + b₁" in page.step_math.text()
    assert page.current_step is not None
    assert page.current_step.numbers["z"] == 2.0
    page.step_unit.setCurrentIndex(1)
    assert "z₂ = w₂₁·x₁" in page.step_math.text()
    assert "w₂₂·x₂ = 1.000 × (−1.000) = −1.000" in page.step_math.text()
    assert page.current_step.numbers["z"] == -1.0
    page.set_unit(2)
    assert page.step_unit.currentIndex() == 2
    assert page.current_step.numbers["z"] == 0.5
    assert page.current_index == 1  # same stage, another unit
    assert "Unit 3 of layer 1" in page.step_explanation.text()


def test_a_new_trace_redraws_the_same_stage(qtbot: QtBot, build: Build) -> None:
    page = build(trace_inputs(DEFAULT_INPUTS))
    page.set_unit(1)
    page.next_step()
    page.next_step()
    assert "max(0, −1.000)" in page.step_math.text()
    assert "ReLU outputs 0" in page.step_explanation.text()
    page.show_trace(trace_inputs((2.0, 4.0, 0.5, 3.0)))
    assert page.current_index == 2
    assert "max(0, −1.000)" not in page.step_math.text()
    assert "max(0, 4.000)" in page.step_math.text()
    assert "= 4.000" in page.step_math.text().split("<br>")[-1]
    assert "passes it on unchanged" in page.step_explanation.text()


def test_the_strip_highlights_the_current_stage(qtbot: QtBot, build: Build) -> None:
    page = build(trace_inputs(DEFAULT_INPUTS, ("GELU", "Tanh", "Softmax")))
    chips = [page.findChild(QLabel, f"step_chip_{i}") for i in range(7)]
    assert all(chip is not None for chip in chips)
    assert [chip.text() for chip in chips if chip is not None] == [
        "Input",
        "1: W·x + b",
        "1: GELU",
        "2: W·x + b",
        "2: Tanh",
        "3: W·x + b",
        "3: Softmax",
    ]
    page.next_step()
    bold = [i for i, chip in enumerate(chips) if chip is not None and "bold" in chip.styleSheet()]
    assert bold == [1]


def test_before_the_first_trace_the_page_waits(qtbot: QtBot, build: Build) -> None:
    page = build(None)
    assert page.step_title.text() == "Waiting for the model…"
    assert page.step_count == 7
    page.next_step()
    assert page.step_position.text().startswith("Stage 2 of 7")
    page.show_trace(trace_inputs(DEFAULT_INPUTS))
    assert page.step_title.text() == "Layer 1: weighted sum"


def test_presenting_hides_the_hint_and_enlarges_the_math(qtbot: QtBot, build: Build) -> None:
    page = build(trace_inputs(DEFAULT_INPUTS))
    normal = page.step_math.font().pointSizeF()
    assert page.step_keys_hint.isVisible()
    page.set_presenting(True)
    assert not page.step_keys_hint.isVisible()
    assert page.step_math.font().pointSizeF() > normal
    assert page.step_strip.isVisible()
    page.set_presenting(False)
    assert page.step_keys_hint.isVisible()
    assert page.step_math.font().pointSizeF() == normal


@pytest.mark.parametrize("size", [(1024, 700), (1280, 800), (1920, 1080)])
def test_nothing_is_cut_at_common_sizes(qtbot: QtBot, build: Build, size: tuple[int, int]) -> None:
    """Every stage, with T shown, fits: no text cut, nothing overlapping or off the window."""
    page = build(trace_inputs(DEFAULT_INPUTS, temperature=0.5))
    window = page.window()
    assert isinstance(window, QMainWindow)
    window.resize(*size)
    for index in range(page.step_count):
        assert page.current_index == index
        qtbot.waitUntil(lambda: layout_checks.layout_problems(window) == [], timeout=5000)
        assert page.step_math.width() <= page.width()
        page.next_step()

"""The lesson banner on its own: it shows a step's words as the room reads them, grows with
presenter mode's larger type, and never cuts a line, down to a 1024-pixel projector."""

from __future__ import annotations

from collections.abc import Iterator

import layout_checks
import pytest
from helpers import window_font
from PySide6.QtWidgets import QApplication, QMainWindow, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from gui import theme
from gui.widgets.lesson_bar import LessonBar
from gui.widgets.wrapped_label import WrappedLabel
from model.lesson import LessonCursor, LessonStep, load_lesson

LABELS = ("lesson_position", "lesson_title", "lesson_show", "lesson_question", "lesson_keys")


@pytest.fixture(autouse=True)
def _window_font(qapp: QApplication) -> Iterator[None]:
    """The window's 10 pt text (offscreen starts at 9 pt): widths are measured as shown."""
    with window_font(qapp):
        yield


@pytest.fixture
def presenting() -> Iterator[None]:
    """Presenter mode's theme (larger type, near-black ink) for one test, then back."""
    theme.set_presenting(True)
    yield
    theme.set_presenting(False)


def label(bar: LessonBar, name: str) -> WrappedLabel:
    """The bar's label called ``name``, found as assistive technology finds it."""
    found = bar.findChild(WrappedLabel, name)
    assert found is not None, name
    return found


def in_window(qtbot: QtBot, bar: LessonBar, width: int, height: int) -> QMainWindow:
    """``bar`` at the top of a window of the given size, with a page filling the rest."""
    window = QMainWindow()
    central = QWidget()
    layout = QVBoxLayout(central)
    layout.addWidget(bar)
    layout.addStretch(1)
    window.setCentralWidget(central)
    qtbot.addWidget(window)
    window.resize(width, height)
    window.show()
    qtbot.waitExposed(window)
    return window


def wait_for_layout(qtbot: QtBot, window: QMainWindow) -> None:
    """Wait until the window's layout has caught up with the text (labels re-wrap and
    relayout in posted events); fail with what is still wrong if it never does."""
    bar = window.findChild(LessonBar)
    assert bar is not None

    def settled() -> bool:
        return bar.height() == bar.sizeHint().height() and not layout_checks.layout_problems(window)

    try:
        qtbot.waitUntil(settled, timeout=5000)
    except qtbot.TimeoutError:
        assert layout_checks.layout_problems(window) == []
        assert bar.height() == bar.sizeHint().height()


def test_show_step_shows_the_steps_words(qtbot: QtBot) -> None:
    """Position with minutes, title, what to do, and the question addressed to the room."""
    bar = LessonBar()
    qtbot.addWidget(bar)
    cursor = LessonCursor(load_lesson().lesson, index=2)
    step = cursor.step
    bar.show_step(step, cursor.position_text)
    total = len(cursor.lesson.steps)
    assert label(bar, "lesson_position").text() == f"Step 3 of {total} · {step.minutes} min"
    assert label(bar, "lesson_title").text() == step.title
    assert label(bar, "lesson_show").text() == step.show
    assert label(bar, "lesson_question").text() == f"Ask the room: {step.question}"
    assert bar.objectName() == "lesson_bar"
    assert all(label(bar, name).accessibleName() for name in LABELS)

    cursor.next()
    bar.show_step(cursor.step, cursor.position_text)
    assert label(bar, "lesson_title").text() == cursor.step.title
    assert label(bar, "lesson_position").text().startswith(f"Step 4 of {total} · ")


def test_keys_hint_names_the_clicker_keys(qtbot: QtBot) -> None:
    """The teacher is reminded of every key presenter mode answers."""
    bar = LessonBar()
    qtbot.addWidget(bar)
    hint = label(bar, "lesson_keys").text().replace("\N{NO-BREAK SPACE}", " ")
    for key in (
        "PageDown next step",
        "PageUp back",
        "1–8 modes",
        "Space train",
        "Esc leave",
    ):
        assert key in hint


def test_teacher_text_is_shown_literally(qtbot: QtBot) -> None:
    """A "<" in the lesson file is text, not markup that would swallow the rest."""
    bar = LessonBar()
    qtbot.addWidget(bar)
    step = LessonStep("explore", "x < 0", "Type <b>−2</b>.", "Is −2 < 0?", 2)
    bar.show_step(step, "Step 1 of 1")
    window = in_window(qtbot, bar, 1280, 800)
    wait_for_layout(qtbot, window)
    for name in ("lesson_title", "lesson_show", "lesson_question"):
        assert label(bar, name).textFormat() == theme.PLAIN_TEXT
    assert label(bar, "lesson_show").text() == "Type <b>−2</b>."


def test_presenter_mode_enlarges_the_bar(qtbot: QtBot) -> None:
    """Turning presenter mode on makes every line 1.6× larger (the bar follows the theme),
    and the banner taller; turning it off restores the sizes exactly."""
    bar = LessonBar()
    bar.show_step(load_lesson().lesson.steps[0], "Step 1 of 17")
    window = in_window(qtbot, bar, 1920, 1080)
    wait_for_layout(qtbot, window)
    before = {name: label(bar, name).font().pointSizeF() for name in LABELS}
    height = bar.height()
    assert before["lesson_title"] > before["lesson_question"] > before["lesson_show"]
    assert before["lesson_show"] > before["lesson_keys"]

    theme.set_presenting(True)
    try:
        for name in LABELS:
            zoomed = label(bar, name).font().pointSizeF()
            assert zoomed == pytest.approx(before[name] * theme.PRESENTER_ZOOM)
        assert theme.TEXT in bar.styleSheet()
        wait_for_layout(qtbot, window)
        assert bar.height() > height
    finally:
        theme.set_presenting(False)
    assert {name: label(bar, name).font().pointSizeF() for name in LABELS} == before


@pytest.mark.parametrize(("width", "height"), [(1024, 700), (1280, 800), (1920, 1080)])
@pytest.mark.usefixtures("presenting")
def test_every_shipped_step_fits_in_presenter_type(qtbot: QtBot, width: int, height: int) -> None:
    """At presenter size no line is cut or overlapped, and the banner leaves most of the
    screen to the page, for every step of the shipped lesson."""
    bar = LessonBar()
    window = in_window(qtbot, bar, width, height)
    cursor = LessonCursor(load_lesson().lesson)
    while True:
        bar.show_step(cursor.step, cursor.position_text)
        wait_for_layout(qtbot, window)
        for name in LABELS:
            shown = label(bar, name)
            assert shown.height() >= shown.text_height(shown.width()), (name, cursor.step.title)
        assert bar.height() <= height * 0.4, cursor.step.title
        position = label(bar, "lesson_position")  # one line: "3 min" never split
        assert position.height() < 2 * position.fontMetrics().lineSpacing()
        if not cursor.next():
            break

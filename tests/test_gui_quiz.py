"""The quiz page alone, with a hand-built Lab: answers by click and by key, feedback, score,
the end summary, a set that live numbers cannot change, and a broken bank."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPushButton, QVBoxLayout, QWidget

from gui import theme
from gui.modes.lab import Lab
from gui.modes.quiz_page import QuizPage
from gui.widgets.input_table import InputTableModel
from model.config import DEFAULT_INPUTS, TrainingConfig
from model.lab_state import LabState
from model.network import trace_inputs
from model.quiz import LESSON_QUESTION, question_set
from model.quiz_bank import BankLoad, load_bank
from model.trace import Trace

LESSON_BUTTONS = [
    "A  Changes them to one",
    "B  Leaves them unchanged",
    "C  Changes them to zero",
    "D  Converts them to probabilities",
]


def default_trace() -> Trace:
    return trace_inputs(DEFAULT_INPUTS, target=1)


class Harness:
    """A page on its own, and the trace its Lab reports as the newest."""

    def __init__(self, qtbot, bank: BankLoad | None = None, trace: Trace | None = None) -> None:  # type: ignore[no-untyped-def]
        self.trace = trace
        lab = Lab(
            state=LabState(),
            inputs=InputTableModel(DEFAULT_INPUTS),
            pipeline=None,  # type: ignore[arg-type]
            training=None,  # type: ignore[arg-type]
            controls=None,  # type: ignore[arg-type]
            last_trace=lambda: self.trace,
        )
        self.window = QWidget()
        self.page = QuizPage(lab, self.window, bank=bank)
        #: Another part of the window (a button, which lets letter keys through to shortcuts):
        #: keys typed there must not answer.
        self.elsewhere = QPushButton("Elsewhere", self.window)
        layout = QVBoxLayout(self.window)
        layout.addWidget(self.elsewhere)
        layout.addWidget(self.page)
        qtbot.addWidget(self.window)
        self.window.resize(1024, 700)
        self.window.show()
        qtbot.waitExposed(self.window)
        self.window.activateWindow()
        qtbot.waitUntil(self.window.isActiveWindow)
        self.qtbot = qtbot

    def child(self, name: str):  # type: ignore[no-untyped-def]
        found = self.page.findChild(QWidget, name)
        assert found is not None, name
        return found

    def text(self, name: str) -> str:
        return str(self.child(name).text())

    def buttons(self) -> list[str]:
        return [self.text(f"quiz_option_{letter}") for letter in "abcd"]

    def press(self, key: Qt.Key) -> None:
        """A key typed where the focus is, as a learner would."""
        focus = QApplication.focusWidget()
        assert focus is not None
        self.qtbot.keyClick(focus, key)

    def click(self, name: str) -> None:
        self.qtbot.mouseClick(self.child(name), Qt.MouseButton.LeftButton)


@pytest.fixture
def harness(qtbot) -> Callable[..., Harness]:  # type: ignore[no-untyped-def]
    def make(bank: BankLoad | None = None, trace: Trace | None = None) -> Harness:
        made = Harness(qtbot, bank, trace or default_trace())
        made.page.enter(made.trace)
        return made

    return make


def test_right_answer_by_click(harness: Callable[..., Harness]) -> None:
    h = harness()
    assert h.text("quiz_question") == LESSON_QUESTION
    assert h.buttons() == LESSON_BUTTONS
    assert h.text("quiz_progress") == "Question 1 of 10"
    assert h.text("quiz_score") == "Score 0 / 0"
    assert not h.child("quiz_feedback").isVisible()
    assert not h.child("quiz_next").isEnabled()
    h.click("quiz_option_c")
    feedback = h.child("quiz_feedback")
    assert feedback.isVisible()
    assert feedback.text().startswith("✓ Right: C, Changes them to zero. ReLU is max(0, z)")
    assert theme.PREDICTED in feedback.styleSheet()
    assert h.text("quiz_score") == "Score 1 / 1"
    assert h.child("quiz_next").isEnabled()
    # Answered is answered: another option changes nothing.
    h.page.answer(1)
    assert all(not h.child(f"quiz_option_{letter}").isEnabled() for letter in "abcd")
    assert h.text("quiz_score") == "Score 1 / 1"
    assert feedback.text().startswith("✓ Right")


def test_wrong_answer_by_key_then_next_by_key(harness: Callable[..., Harness]) -> None:
    h = harness()
    h.press(Qt.Key.Key_B)
    feedback = h.child("quiz_feedback")
    assert feedback.text().startswith("✗ Not quite: the answer is C, Changes them to zero.")
    assert theme.ERROR in feedback.styleSheet()
    assert h.text("quiz_score") == "Score 0 / 1"
    h.press(Qt.Key.Key_C)  # too late
    assert h.text("quiz_score") == "Score 0 / 1"
    h.press(Qt.Key.Key_N)
    assert h.text("quiz_progress") == "Question 2 of 10"
    assert h.text("quiz_question") == h.page.questions[1].question
    assert not feedback.isVisible()
    assert h.child("quiz_option_a").isEnabled()
    h.press(Qt.Key.Key_Return)  # not answered yet: stays
    assert h.text("quiz_progress") == "Question 2 of 10"
    right = h.page.questions[1].answer
    h.press(getattr(Qt.Key, f"Key_{right}"))
    assert h.text("quiz_score") == "Score 1 / 2"
    assert h.child("quiz_feedback").text().startswith(f"✓ Right: {right}, ")
    h.press(Qt.Key.Key_Return)
    assert h.text("quiz_progress") == "Question 3 of 10"


def test_keys_typed_elsewhere_do_not_answer(harness: Callable[..., Harness]) -> None:
    h = harness()
    h.elsewhere.setFocus()
    h.qtbot.waitUntil(h.elsewhere.hasFocus)
    h.press(Qt.Key.Key_C)
    assert h.text("quiz_score") == "Score 0 / 0"
    assert h.child("quiz_option_c").isEnabled()


def test_summary_after_the_last_question_then_a_new_quiz(
    harness: Callable[..., Harness],
) -> None:
    h = harness()
    first_set = list(h.page.questions)
    for number in range(10):
        right = h.page.questions[number].answer.lower()
        wrong = "b" if right == "a" else "a"
        h.click(f"quiz_option_{wrong if number == 0 else right}")  # one wrong, nine right
        assert h.text("quiz_score") == f"Score {number} / {number + 1}"
        assert h.text("quiz_next") == ("See your score" if number == 9 else "Next question")
        h.click("quiz_next")
    assert h.text("quiz_question") == "You scored 9 of 10."
    assert h.text("quiz_progress") == "Quiz finished"
    assert not h.child("quiz_option_a").isVisible()
    assert not h.child("quiz_next").isVisible()
    h.press(Qt.Key.Key_N)  # nothing to go on to
    assert h.text("quiz_question") == "You scored 9 of 10."
    h.click("quiz_new")
    assert h.text("quiz_progress") == "Question 1 of 10"
    assert h.text("quiz_score") == "Score 0 / 0"
    assert h.child("quiz_option_a").isVisible()
    assert h.child("quiz_next").isVisible()
    assert h.page.questions != first_set  # the next seed


def test_live_numbers_do_not_change_the_open_set(harness: Callable[..., Harness]) -> None:
    h = harness()
    shown = list(h.page.questions)
    assert shown == question_set(h.trace, TrainingConfig(), 0, load_bank().questions)
    h.click("quiz_option_c")
    h.click("quiz_next")
    question = h.text("quiz_question")
    buttons = h.buttons()
    other = trace_inputs((-3.0, 1.0, 2.5, 0.25), ("Tanh", "GELU", "Softmax"), target=0)
    h.trace = other
    h.page.show_trace(other)
    assert h.page.questions == shown
    assert (h.text("quiz_question"), h.buttons()) == (question, buttons)
    h.click("quiz_new")  # a fresh set is made from the numbers now
    live = [q.question for q in h.page.questions if q.generated]
    assert any("(Tanh)" in text or "(GELU)" in text for text in live)
    assert not any("ReLU" in text for text in live)


def test_quiz_waits_for_the_first_trace(qtbot) -> None:  # type: ignore[no-untyped-def]
    h = Harness(qtbot, trace=None)
    h.page.enter(None)
    assert h.text("quiz_question").startswith("The quiz starts as soon as")
    assert not h.child("quiz_option_a").isVisible()
    h.trace = default_trace()
    h.page.show_trace(h.trace)
    assert h.text("quiz_question") == LESSON_QUESTION
    assert h.child("quiz_option_a").isVisible()


def test_broken_bank_is_named_while_the_quiz_works(
    harness: Callable[..., Harness], tmp_path: Path
) -> None:
    lesson = {
        "topic": "ReLU",
        "question": LESSON_QUESTION,
        "options": [text[3:] for text in LESSON_BUTTONS],
        "answer": "C",
        "explanation": "ReLU is max(0, z).",
    }
    broken = {**lesson, "question": "Which <b>letter</b> is right?", "answer": "E"}
    path = tmp_path / "quiz_bank.json"
    path.write_text(json.dumps({"questions": [lesson, broken]}), encoding="utf-8")
    h = harness(bank=load_bank(path))
    problem = h.child("quiz_problem")
    assert problem.isVisible()
    assert problem.text() == (
        '⚠ quiz_bank.json, entry 2 ("Which <b>letter</b> is right?"): '
        "'answer' must be one of A, B, C, D"
    )
    assert h.text("quiz_question") == LESSON_QUESTION
    assert h.text("quiz_progress") == "Question 1 of 7"  # the lesson and six live questions
    h.press(Qt.Key.Key_C)
    assert h.text("quiz_score") == "Score 1 / 1"
    h.page.set_presenting(True)
    assert not problem.isVisible()
    assert not h.child("quiz_progress").isVisible()
    assert h.child("quiz_score").isVisible()
    h.page.set_presenting(False)
    assert problem.isVisible()
    assert h.child("quiz_progress").isVisible()


def test_missing_bank_leaves_a_quiz_of_live_questions(
    harness: Callable[..., Harness], tmp_path: Path
) -> None:
    h = harness(bank=load_bank(tmp_path / "quiz_bank.json"))
    assert h.text("quiz_problem").startswith("⚠ quiz_bank.json was not found")
    assert h.text("quiz_progress") == "Question 1 of 6"
    assert all(q.generated for q in h.page.questions)
    right = h.page.questions[0].answer
    h.click(f"quiz_option_{right.lower()}")
    assert h.text("quiz_score") == "Score 1 / 1"


def test_no_problem_line_for_a_good_bank(harness: Callable[..., Harness]) -> None:
    h = harness()
    assert not h.child("quiz_problem").isVisible()
    assert h.child("quiz_problem").text() == ""

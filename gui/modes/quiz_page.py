"""The quiz mode: ten questions, from the bank and from the live numbers, answered by key or
click, with the explanation straight after each answer and a running score.

The set is made from the trace shown when the quiz starts and then stays fixed: a question
whose numbers changed under the learner while they think would be unfair. "New quiz" makes a
fresh set from the numbers shown now.

Stable object names: ``quiz_problem``, ``quiz_progress``, ``quiz_question`` (also the end
summary), ``quiz_option_a`` … ``quiz_option_d``, ``quiz_feedback``, ``quiz_score``,
``quiz_new``, ``quiz_next``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics, QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from gui import theme
from gui.modes.base import ModePage
from gui.modes.lab import Lab
from gui.widgets.wrapped_label import WrappedLabel
from model.quiz import BankLoad, Question, load_bank, question_set
from model.quiz_bank import LETTERS
from model.trace import Trace

#: Bank problems listed by name before the rest are counted ("…and 3 more").
SHOWN_PROBLEMS = 3
#: The quiz column stops growing at about this many characters of option text.
COLUMN_CHARACTERS = 90


class QuizPage(ModePage):
    """Questions with four options (keys A–D or clicks), feedback, score and a summary.

    ``bank`` is the loaded question bank (the bundled one by default); its problems are shown
    in ``quiz_problem`` while the valid questions are used.
    """

    mode_name = "quiz"

    def __init__(self, lab: Lab, parent: QWidget | None = None, *, bank: BankLoad | None = None):
        super().__init__(lab, parent)
        self.bank = load_bank() if bank is None else bank
        self.questions: list[Question] = []
        self.index = 0
        #: The option chosen for the current question (0-3), or None while it is open.
        self.chosen: int | None = None
        self.right = 0
        self.answered = 0
        self._sets_made = 0
        self._trace: Trace | None = None
        self._build()
        self._add_shortcuts()
        self._show_problems()
        self._show_waiting()

    # -- the shell's hooks ----------------------------------------------------------------

    def enter(self, trace: Trace | None) -> None:
        """Shown: start the quiz from the newest trace if it has not started yet."""
        super().enter(trace if trace is not None else self.lab.last_trace())
        self._focus_current()

    def show_trace(self, trace: Trace) -> None:
        """A new trace: remembered for "New quiz"; starts the first set, changes no question."""
        super().show_trace(trace)
        self._trace = trace
        if not self.questions:
            self.new_quiz()

    def set_presenting(self, on: bool) -> None:
        """On a projector the problem line and the progress count are left out."""
        super().set_presenting(on)
        self.problem.setVisible(bool(self.bank.problems) and not on)
        self.progress.setVisible(not on)

    # -- what the learner does ------------------------------------------------------------

    @property
    def current(self) -> Question | None:
        """The question shown, or None before the first set and after the last question."""
        return self.questions[self.index] if self.index < len(self.questions) else None

    def new_quiz(self) -> None:
        """A fresh set from the numbers shown now (a new seed each time, the run's first)."""
        trace = self.lab.last_trace() or self._trace
        if trace is None:
            return
        seed = self.lab.state.settings.seed + self._sets_made
        self._sets_made += 1
        self.questions = question_set(trace, self.lab.state.settings, seed, self.bank.questions)
        self.index = self.right = self.answered = 0
        self._show_question()

    def answer(self, option: int) -> None:
        """Choose option ``option`` (0-3) of the open question; an answered one stays answered."""
        question = self.current
        if question is None or self.chosen is not None:
            return
        self.chosen = option
        self.answered += 1
        correct = option == question.answer_index
        self.right += correct
        letter, text = question.answer, question.right_option
        verdict = "✓ Right" if correct else f"✗ Not quite: the answer is {letter}, {text}"
        if correct:
            verdict += f": {letter}, {text}"
        self.feedback.setText(f"{verdict}. {question.explanation}")
        colour = theme.PREDICTED if correct else theme.ERROR
        self.feedback.setStyleSheet(f"color: {colour}; font-size: {theme.css_points(12)}")
        self.feedback.show()
        self._update_score()
        self.next_button.setEnabled(True)
        self.next_button.setFocus()  # before the options are disabled, so focus stays here
        for index, button in enumerate(self.option_buttons):
            button.setEnabled(False)
            state = "right" if index == question.answer_index else ""
            button.setStyleSheet(_option_style(state or ("wrong" if index == option else "")))

    def next_question(self) -> None:
        """Go on once the question is answered; after the last one, show the summary."""
        if self.current is None or self.chosen is None:
            return
        self.index += 1
        if self.current is None:
            self._show_summary()
        else:
            self._show_question()

    # -- building and showing ---------------------------------------------------------------

    def _build(self) -> None:
        self.problem = _label("quiz_problem", WrappedLabel(), 10, theme.ERROR)
        self.problem.setContentsMargins(8, 0, 8, 0)
        self.progress = _label("quiz_progress", QLabel(), 11, theme.MUTED)
        self.score = _label("quiz_score", QLabel(), 12, theme.TEXT)
        self.question_label = _label("quiz_question", WrappedLabel(lines=2), 15, theme.TEXT)
        self.question_label.setStyleSheet(
            f"color: {theme.TEXT}; font-size: {theme.css_points(15)}; font-weight: bold"
        )
        self.feedback = _label("quiz_feedback", WrappedLabel(lines=2), 12, theme.TEXT)
        self.option_buttons: list[QPushButton] = []
        for index, letter in enumerate(LETTERS):
            button = QPushButton()
            button.setObjectName(f"quiz_option_{letter.lower()}")
            button.setStyleSheet(_option_style(""))
            button.clicked.connect(lambda _checked=False, i=index: self.answer(i))
            self.option_buttons.append(button)
        self.new_button = QPushButton("New quiz")
        self.new_button.setObjectName("quiz_new")
        self.new_button.setToolTip("A fresh set of questions from the numbers shown now")
        self.new_button.clicked.connect(self.new_quiz)
        self.next_button = QPushButton("Next question")
        self.next_button.setObjectName("quiz_next")
        self.next_button.setToolTip("Next question (N or Enter)")
        self.next_button.clicked.connect(self.next_question)
        for button in (self.new_button, self.next_button):
            button.setStyleSheet(f"font-size: {theme.css_points(12)}; padding: 6px 16px")

        column = QVBoxLayout()
        column.setSpacing(8)
        top = QHBoxLayout()
        top.addWidget(self.progress)
        top.addStretch(1)
        top.addWidget(self.score)
        column.addLayout(top)
        column.addWidget(self.question_label)
        for button in self.option_buttons:
            column.addWidget(button)
        column.addWidget(self.feedback)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.next_button)
        column.addLayout(buttons)
        column.addStretch(1)
        holder = QWidget()
        holder.setLayout(column)
        # Lines longer than this are hard to read; on a wide screen the column stays centred.
        metrics = QFontMetrics(theme.value_font(13))
        holder.setMaximumWidth(metrics.averageCharWidth() * COLUMN_CHARACTERS)
        self.body.addWidget(self.problem)
        row = QHBoxLayout()
        row.addStretch(0)
        row.addWidget(holder, 1)
        row.addStretch(0)
        self.body.addLayout(row, 1)

    def _add_shortcuts(self) -> None:
        """A–D answer, N and Enter go on: only while focus is on this page, so typing in an
        input cell of another page never answers a question."""
        keys: list[tuple[str, Callable[[], None]]] = [
            (letter, partial(self.answer, i)) for i, letter in enumerate(LETTERS)
        ]
        keys += [(key, self.next_question) for key in ("N", "Return", "Enter")]
        for key, slot in keys:
            shortcut = QShortcut(QKeySequence(key), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)

    def _show_problems(self) -> None:
        problems = self.bank.problems
        text = "\n".join(f"⚠ {problem}" for problem in problems[:SHOWN_PROBLEMS])
        if len(problems) > SHOWN_PROBLEMS:
            text += f"\n…and {len(problems) - SHOWN_PROBLEMS} more problems in the bank"
        self.problem.setText(text)
        self.problem.setVisible(bool(problems) and not self.presenting)

    def _show_waiting(self) -> None:
        self.question_label.setText("The quiz starts as soon as the network shows its numbers.")
        self._set_options_visible(False)
        self.feedback.hide()
        self.next_button.setEnabled(False)
        self._update_score()

    def _show_question(self) -> None:
        question = self.current
        if question is None:
            self._show_summary()
            return
        self.chosen = None
        self.progress.setText(f"Question {self.index + 1} of {len(self.questions)}")
        self.question_label.setText(question.question)
        for letter, option, button in zip(
            LETTERS, question.options, self.option_buttons, strict=True
        ):
            button.setText(f"{letter}  {option}")
            button.setStyleSheet(_option_style(""))
            button.setEnabled(True)
        self._set_options_visible(True)
        last = self.index == len(self.questions) - 1
        self.next_button.setText("See your score" if last else "Next question")
        self.next_button.setEnabled(False)
        self.next_button.show()
        self.feedback.hide()
        self._update_score()
        self._focus_current()

    def _show_summary(self) -> None:
        self.chosen = None
        total = len(self.questions)
        self.progress.setText("Quiz finished")
        self.question_label.setText(
            f"You scored {self.right} of {total}." if total else "There are no questions to ask."
        )
        self._set_options_visible(False)
        self.feedback.setText("“New quiz” makes a fresh set from the numbers shown now.")
        self.feedback.setStyleSheet(f"color: {theme.MUTED}; font-size: {theme.css_points(12)}")
        self.feedback.show()
        self.next_button.hide()
        self.new_button.setFocus()

    def _set_options_visible(self, on: bool) -> None:
        for button in self.option_buttons:
            button.setVisible(on)

    def _update_score(self) -> None:
        self.score.setText(f"Score {self.right} / {self.answered}")

    def _focus_current(self) -> None:
        """Keys answer only with focus on the page: give it to the first open option."""
        if self.isVisible() and self.current is not None and self.chosen is None:
            self.option_buttons[0].setFocus()


def _label(name: str, label: QLabel, design_points: float, colour: str) -> QLabel:
    label.setObjectName(name)
    label.setTextFormat(theme.PLAIN_TEXT)  # bank text may hold "<": never markup
    label.setStyleSheet(f"color: {colour}; font-size: {theme.css_points(design_points)}")
    return label


def _option_style(state: str) -> str:
    """An option button's look: open, "right" (green, thick border) or "wrong" (error red).
    Answered options stay dark: a greyed-out explanation of a mistake would not read on a
    projector."""
    border, background, width = theme.GHOST, theme.BACKGROUND, 1
    if state == "right":
        border, background, width = theme.PREDICTED, theme.RIGHT_BACKGROUND, 3
    elif state == "wrong":
        border, background, width = theme.ERROR, theme.WRONG_BACKGROUND, 3
    return (
        f"QPushButton {{ text-align: left; padding: 8px 14px; color: {theme.TEXT};"
        f" font-size: {theme.css_points(13)}; background: {background};"
        f" border: {width}px solid {border}; border-radius: 5px; }}"
        f" QPushButton:hover:enabled {{ background: {theme.HOVER_BACKGROUND}; }}"
        f" QPushButton:focus {{ border-color: {theme.POSITIVE}; }}"
        f" QPushButton:disabled {{ color: {theme.TEXT}; }}"
    )

"""The quiz: a seeded set of questions from the bank and from the live numbers.

The same seed, trace and bank always give the same set, so a room that starts the quiz
together sees the same questions, and ``main.py --quiz --json --seed S`` prints exactly the set
the window starts with. The bank lives in :mod:`model.quiz_bank`, the questions computed from
a trace in :mod:`model.quiz_generated`; this module chooses and orders them.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import Any

from model.config import DEFAULT_INPUTS, TrainingConfig
from model.quiz_bank import BankLoad, Question, load_bank
from model.quiz_generated import generated_questions
from model.tasks import TASKS
from model.trace import Trace

__all__ = [
    "LESSON_QUESTION",
    "BankLoad",
    "Question",
    "load_bank",
    "question_set",
    "question_set_json",
    "starting_trace",
]

#: The lesson's own question: every default set opens with it, its options in the lesson's
#: order so that the screen matches the handout.
LESSON_QUESTION = "What does the ReLU activation do to negative input values?"
SET_SIZE = 10
#: Questions made from the live numbers in a set (more when the bank is short or missing).
GENERATED_PER_SET = 4


def question_set(
    trace: Trace,
    config: TrainingConfig,
    seed: int,
    bank: BankLoad | Sequence[Question] | None = None,
) -> list[Question]:
    """About :data:`SET_SIZE` questions for ``trace``: the lesson's question first (when the
    bank has it), then live questions and bank questions mixed, all chosen with ``seed``.

    ``config`` gives the task whose right class a live question asks for. ``bank`` (a
    :class:`BankLoad` or its questions) defaults to the bundled bank's valid questions.
    Bank questions are picked one per topic before any topic repeats, and their options are
    shuffled (the lesson's keep the lesson's order); live options keep their natural order.
    """
    rng = random.Random(seed)
    if bank is None:
        bank = load_bank()
    pool = list(bank.questions if isinstance(bank, BankLoad) else bank)
    lesson = [q for q in pool if q.question == LESSON_QUESTION][:1]
    others = [q for q in pool if q.question != LESSON_QUESTION]
    live = generated_questions(trace, config, rng)
    bank_count = min(len(others), SET_SIZE - len(lesson) - min(GENERATED_PER_SET, len(live)))
    live_count = min(len(live), SET_SIZE - len(lesson) - bank_count)
    # The hidden layer's output is always asked: it is what this app is about.
    chosen_live = live[:1] + rng.sample(live[1:], max(0, live_count - 1)) if live_count else []
    chosen_bank = [q.shuffled(rng) for q in _varied(others, bank_count, rng)]
    rest = chosen_live + chosen_bank
    rng.shuffle(rest)
    return lesson + rest


def starting_trace() -> tuple[Trace, TrainingConfig]:
    """What the window starts with: the default input through the untrained default
    pipeline, gradients against the default task's right class, and the default settings."""
    from model.network import trace_inputs  # torch: only the command line needs it here

    config = TrainingConfig()
    target = TASKS[config.task].answer(DEFAULT_INPUTS)
    trace = trace_inputs(DEFAULT_INPUTS, config.activations, config.temperature, target)
    return trace, config


def question_set_json(seed: int = 0, bank: BankLoad | None = None) -> dict[str, Any]:
    """The set the window starts with (see :func:`starting_trace`), for the command line:
    ``{"questions": [{"question", "options", "answer", "explanation", "generated"}, …]}``.

    ``bank`` defaults to the bundled bank (its problems are the caller's to report).
    """
    trace, config = starting_trace()
    return {"questions": [q.to_json() for q in question_set(trace, config, seed, bank)]}


def _varied(questions: Sequence[Question], count: int, rng: random.Random) -> list[Question]:
    """``count`` of ``questions`` in ``rng``'s order, in rounds that take one per topic, so a
    set covers as many topics as it can."""
    remaining = list(questions)
    rng.shuffle(remaining)
    chosen: list[Question] = []
    while len(chosen) < count and remaining:
        topics: set[str] = set()
        for question in list(remaining):
            if len(chosen) < count and question.topic not in topics:
                topics.add(question.topic)
                chosen.append(question)
                remaining.remove(question)
    return chosen

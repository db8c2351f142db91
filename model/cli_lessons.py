"""The command line's lesson modes: print the quiz the window starts with, or the PyTorch code.

Like every headless mode, no Qt is imported; the quiz imports torch (its live questions come
from a real trace), the code printer does not (it only writes text).
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from model.config import DEFAULT_INPUTS, Pipeline
from model.quiz_bank import Question


def run_quiz(seed: int, as_json: bool) -> int:
    """Print the window's first question set for the default input; 0, or 1 if the bank had
    problems (they are printed on stderr, and the valid questions still are on stdout)."""
    import sys

    from model.quiz import load_bank, question_set, starting_trace

    bank = load_bank()
    for problem in bank.problems:
        print(f"main.py: warning: {problem}", file=sys.stderr)
    trace, config = starting_trace()
    questions = question_set(trace, config, seed, bank)
    if as_json:
        print(json.dumps({"questions": [question.to_json() for question in questions]}))
    else:
        _print_quiz(questions)
    return 1 if bank.problems else 0


def _print_quiz(questions: Sequence[Question]) -> None:
    for number, question in enumerate(questions, start=1):
        origin = "  (from the live numbers)" if question.generated else ""
        print(f"{number}. {question.question}{origin}")
        for letter, option in zip("ABCD", question.options, strict=True):
            print(f"   {letter}  {option}")
        print()
    print("Answers:")
    for number, question in enumerate(questions, start=1):
        print(f"{number}. {question.answer}: {question.explanation}")


def run_code(pipeline: Pipeline) -> int:
    """Print the plain-PyTorch script that builds ``pipeline`` and traces the default input."""
    from model.code_export import pytorch_script

    print(pytorch_script(pipeline, DEFAULT_INPUTS), end="")
    return 0

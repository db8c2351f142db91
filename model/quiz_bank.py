"""The quiz's question format and its bank: ``resources/quiz_bank.json``, loaded and checked.

Teachers edit the bank by hand, so a mistake in it must not cost the class its quiz: each entry
is checked on its own, the valid ones are used, and each problem is one plain sentence naming
the file and the entry (counted from 1, with the start of its question) so it can be found.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import resources

LETTERS = ("A", "B", "C", "D")
#: An option is one line on a projector button; longer text belongs in the explanation.
MAX_OPTION_LENGTH = 70
#: How much of a question a problem quotes to say which entry it is.
QUOTE_LENGTH = 32
BANK_FILE = "quiz_bank.json"
_TEXT_FIELDS = ("question", "explanation", "topic")


@dataclass(frozen=True)
class Question:
    """One multiple-choice question: four distinct options, the right one's letter, and the
    explanation shown after answering. ``generated`` questions are made from the live numbers;
    ``topic`` says what a bank question is about (an activation's name, "gradients", …)."""

    question: str
    options: tuple[str, ...]
    answer: str
    explanation: str
    generated: bool = False
    topic: str = ""

    def __post_init__(self) -> None:
        if len(self.options) != len(LETTERS) or len(set(self.options)) != len(LETTERS):
            raise ValueError(f"a question needs 4 distinct options, not {self.options!r}")
        if self.answer not in LETTERS:
            raise ValueError(f"the answer must be one of {', '.join(LETTERS)}, not {self.answer!r}")

    @property
    def answer_index(self) -> int:
        """The right option's position, 0-3."""
        return LETTERS.index(self.answer)

    @property
    def right_option(self) -> str:
        """The right option's text."""
        return self.options[self.answer_index]

    def shuffled(self, rng: random.Random) -> Question:
        """The same question with its options in ``rng``'s order; the letter follows the
        right option."""
        order = list(range(len(LETTERS)))
        rng.shuffle(order)
        options = tuple(self.options[i] for i in order)
        return replace(self, options=options, answer=LETTERS[order.index(self.answer_index)])

    def to_json(self) -> dict[str, Any]:
        """The command line's shape: question, options, answer letter, explanation, generated."""
        return {
            "question": self.question,
            "options": list(self.options),
            "answer": self.answer,
            "explanation": self.explanation,
            "generated": self.generated,
        }


@dataclass(frozen=True)
class BankLoad:
    """The valid questions of a bank file, and one sentence per problem found in it."""

    questions: tuple[Question, ...]
    problems: tuple[str, ...] = ()


def default_bank_path() -> Path:
    """The bundled bank, found beside the ``resources`` package wherever it is installed."""
    return Path(resources.__file__).parent / BANK_FILE


def load_bank(path: Path | str | None = None) -> BankLoad:
    """Read the bank at ``path`` (the bundled one by default), keeping every valid entry.

    A missing, unreadable or non-JSON file, or one whose top level is not an object with a
    "questions" list, gives one problem and no questions; a malformed entry gives a problem
    naming it, and the other entries are still used.
    """
    path = default_bank_path() if path is None else Path(path)
    name = path.name
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return _failed(f"{name} was not found (looked for {path})")
    except (OSError, UnicodeDecodeError) as error:
        return _failed(f"{name} could not be read: {error}")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        return _failed(
            f"{name} is not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}"
        )
    entries = data.get("questions") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        return _failed(f'{name}: the top level must be an object with a "questions" list')
    questions: list[Question] = []
    problems: list[str] = []
    seen: set[str] = set()
    for number, entry in enumerate(entries, start=1):
        where = f"{name}, entry {number}{_quote(entry)}"
        errors = entry_errors(entry)
        if errors:
            problems.append(f"{where}: {'; '.join(errors)}")
        elif entry["question"] in seen:
            problems.append(f"{where}: repeats an earlier question")
        else:
            seen.add(entry["question"])
            questions.append(_question(entry))
    if not entries:
        problems.append(f"{name} has no questions")
    return BankLoad(tuple(questions), tuple(problems))


def entry_errors(entry: object) -> list[str]:
    """What is wrong with one bank entry, as short clauses ([] when it is valid)."""
    if not isinstance(entry, dict):
        return ["must be an object with question, options, answer, explanation and topic"]
    errors = [
        f"'{key}' must be non-empty text"
        for key in _TEXT_FIELDS
        if not isinstance(entry.get(key), str) or not entry[key].strip()
    ]
    options = entry.get("options")
    if not isinstance(options, list) or len(options) != len(LETTERS):
        errors.append("'options' must be a list of 4 texts")
    elif not all(isinstance(option, str) and option.strip() for option in options):
        errors.append("every option must be non-empty text")
    elif len(set(options)) != len(options):
        errors.append("the 4 options must all be different")
    elif any(len(option) > MAX_OPTION_LENGTH for option in options):
        errors.append(f"an option is longer than {MAX_OPTION_LENGTH} characters")
    if entry.get("answer") not in LETTERS:
        errors.append(f"'answer' must be one of {', '.join(LETTERS)}")
    return errors


def _question(entry: dict[str, Any]) -> Question:
    return Question(
        question=entry["question"],
        options=tuple(entry["options"]),
        answer=entry["answer"],
        explanation=entry["explanation"],
        topic=entry["topic"],
    )


def _quote(entry: object) -> str:
    """' ("What does the ReLU…")' for an entry with a question, else nothing."""
    if not isinstance(entry, dict) or not isinstance(entry.get("question"), str):
        return ""
    text = " ".join(entry["question"].split())
    if not text:
        return ""
    if len(text) > QUOTE_LENGTH:
        text = text[:QUOTE_LENGTH].rstrip() + "…"
    return f' ("{text}")'


def _failed(problem: str) -> BankLoad:
    return BankLoad((), (f"{problem}; the quiz uses only questions made from the live numbers",))

"""The guided lesson that presenter mode steps through, kept as data in ``resources/``.

A teacher edits ``lesson.json`` without touching code, so a typo must never stop a workshop:
:func:`load_lesson` checks every field, names the file and the step of each problem, skips
only the steps that are wrong, and falls back to a one-step lesson when the file itself cannot
be used. Qt-free, so the command line and tests can check a lesson headless.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import resources
from model.activations import check_pipeline, check_temperature
from model.config import MAX_LEARNING_RATE
from model.modes import MODE_NAMES, PRESENTER
from model.parsing import NumberError, parse_number, quote_text

#: The modes a step may open: every page but the presenter frame that shows the lesson.
STEP_MODES = tuple(name for name in MODE_NAMES if name != PRESENTER)
INPUT_COUNT = 4
MAX_STEP_MINUTES = 30
DEFAULT_PATH = Path(resources.__file__).parent / "lesson.json"
DEFAULT_TITLE = "Guided lesson"


@dataclass(frozen=True)
class LessonStep:
    """One step: the mode to open, what the teacher does, the question for the room.

    The optional set-up is applied when the step opens; None leaves that setting as it is
    (so a step can keep the network the previous step trained).
    """

    mode: str
    title: str
    show: str
    question: str
    minutes: int
    inputs: tuple[float, ...] | None = None
    activations: tuple[str, ...] | None = None
    temperature: float | None = None
    gradients: bool | None = None
    curves: bool | None = None
    learning_rate: float | None = None


@dataclass(frozen=True)
class Lesson:
    """An ordered, never empty list of steps under a title."""

    title: str
    steps: tuple[LessonStep, ...]

    def __post_init__(self) -> None:
        if not self.steps:
            raise ValueError("a lesson needs at least one step")

    @property
    def total_minutes(self) -> int:
        """How long the lesson takes, by its own estimates."""
        return sum(step.minutes for step in self.steps)


@dataclass(frozen=True)
class LessonLoad:
    """What :func:`load_lesson` found: a usable lesson, and every problem, one per line."""

    lesson: Lesson
    problems: tuple[str, ...] = ()


FALLBACK = Lesson(
    DEFAULT_TITLE,
    (
        LessonStep(
            mode="explore",
            title="Explore",
            show="Type four numbers and watch them flow through every layer.",
            question="What does each activation do to a negative number?",
            minutes=10,
        ),
    ),
)


class LessonCursor:
    """Where presenter mode is in a lesson; moving past either end stays at that end."""

    def __init__(self, lesson: Lesson, index: int = 0) -> None:
        self.lesson = lesson
        self.index = 0
        self.go_to(index)

    @property
    def step(self) -> LessonStep:
        """The current step."""
        return self.lesson.steps[self.index]

    @property
    def position_text(self) -> str:
        """The position as the room counts it, from 1: "Step 3 of 16"."""
        return f"Step {self.index + 1} of {len(self.lesson.steps)}"

    def go_to(self, index: int) -> bool:
        """Move to ``index`` (clamped to the lesson); True when the step changed."""
        clamped = max(0, min(len(self.lesson.steps) - 1, index))
        moved = clamped != self.index
        self.index = clamped
        return moved

    def next(self) -> bool:
        """One step on; False (staying put) at the last step."""
        return self.go_to(self.index + 1)

    def previous(self) -> bool:
        """One step back; False (staying put) at the first step."""
        return self.go_to(self.index - 1)


def load_lesson(path: Path | str | None = None) -> LessonLoad:
    """Read the lesson at ``path`` (``resources/lesson.json`` by default); never raises.

    Problems say which file and step they are about, e.g. ``lesson.json, step 4 ("Dying
    ReLU"): 'mode' must be one of …``; such a step is left out and the others kept.
    """
    file = Path(path) if path is not None else DEFAULT_PATH
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except OSError as error:
        return _fallback(file, f"{file.name}: cannot be read ({error.strerror or error})")
    except (ValueError, RecursionError) as error:  # JSONDecodeError and UnicodeDecodeError
        return _fallback(file, f"{file.name}: is not valid JSON ({error})")
    if not isinstance(data, dict) or not isinstance(data.get("steps"), list):
        return _fallback(file, f'{file.name}: must be an object with a "steps" list')
    problems = [f"{file.name}: unknown key {quote_text(k)}" for k in data if k not in _TOP_KEYS]
    title = data.get("title")
    if not (isinstance(title, str) and title.strip()):
        problems.append(f"{file.name}: 'title' must be a non-empty text")
        title = DEFAULT_TITLE
    steps = []
    for number, raw in enumerate(data["steps"], start=1):
        step, step_problems = _read_step(raw)
        where = f"{file.name}, step {number}{_step_name(raw)}"
        problems.extend(f"{where}: {problem}" for problem in step_problems)
        if step is not None:
            steps.append(step)
    if not steps:
        return _fallback(file, *problems, f"{file.name}: has no usable step")
    return LessonLoad(Lesson(title.strip(), tuple(steps)), tuple(problems))


def _fallback(file: Path, *problems: str) -> LessonLoad:
    instead = f"{file.name}: showing a one-step lesson (explore) instead"
    return LessonLoad(FALLBACK, (*problems, instead))


def _step_name(raw: object) -> str:
    title = raw.get("title") if isinstance(raw, dict) else None
    return " (" + quote_text(title, '"', limit=40) + ")" if isinstance(title, str) else ""


def _read_step(raw: object) -> tuple[LessonStep | None, list[str]]:
    """The step ``raw`` describes, or None, and the problems found in it."""
    if not isinstance(raw, dict):
        return None, [f"must be an object, not {_shown(raw)}"]
    problems = [f"unknown key {quote_text(key)}" for key in raw if key not in _FIELDS]
    fields: dict[str, Any] = {}
    for key, (check, required) in _FIELDS.items():
        if key not in raw:
            if required:
                problems.append(f"'{key}' is missing")
            continue
        try:
            fields[key] = check(raw[key])
        except ValueError as error:
            problems.append(f"'{key}' {error}")
    return (None if problems else LessonStep(**fields)), problems


def _shown(value: object) -> str:
    """How a message names a JSON value: a short quote, a number, or its kind."""
    if isinstance(value, str):
        return quote_text(value)
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    if isinstance(value, int | float):
        return quote_text(repr(value), quote="")  # a 400-digit integer is cut short
    return "a list" if isinstance(value, list) else "an object"


def _mode(value: object) -> str:
    if value not in STEP_MODES:
        raise ValueError(f"must be one of {', '.join(STEP_MODES)}, not {_shown(value)}")
    return str(value)


def _text(value: object) -> str:
    if not (isinstance(value, str) and value.strip()):
        raise ValueError(f"must be a non-empty text, not {_shown(value)}")
    return value.strip()


def _minutes(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"must be a whole number of minutes, not {_shown(value)}")
    if not 1 <= value <= MAX_STEP_MINUTES:
        raise ValueError(f"must be from 1 to {MAX_STEP_MINUTES} minutes, not {_shown(value)}")
    return value


def _number(value: object) -> float:
    """A JSON number within the input cells' bounds, refused in the cells' own words."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise NumberError(f"{_shown(value)} is not a number")
    # Through the cells' parser, so the lesson accepts exactly what a learner may type.
    return parse_number(repr(value) if isinstance(value, float) else str(value))


def _inputs(value: object) -> tuple[float, ...]:
    if not isinstance(value, list) or len(value) != INPUT_COUNT:
        size = f"a list of {len(value)}" if isinstance(value, list) else _shown(value)
        raise ValueError(f"must be a list of {INPUT_COUNT} numbers, not {size}")
    numbers = []
    for position, item in enumerate(value, start=1):
        try:
            numbers.append(_number(item))
        except NumberError as error:
            raise ValueError(f"item {position}: {error}") from None
    return tuple(numbers)


def _activations(value: object) -> tuple[str, ...]:
    if not (isinstance(value, list) and all(isinstance(name, str) for name in value)):
        raise ValueError('must be a list of names such as ["ReLU", "Sigmoid", "Softmax"]')
    try:
        return check_pipeline(value)
    except ValueError as error:  # it names the layer at fault and the choices there
        raise ValueError(f"is not a usable pipeline: {error}") from None


def _temperature(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"must be a number, not {_shown(value)}")
    try:
        number = float(value)
    except OverflowError:  # an integer too large for a float is out of range all the same
        number = math.inf
    try:
        return check_temperature(number)
    except ValueError as error:
        raise ValueError(f"is out of range: {error}") from None


def _learning_rate(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"must be a number, not {_shown(value)}")
    rate = float(value)
    if not 0 < rate <= MAX_LEARNING_RATE:
        raise ValueError(f"must be above 0 and at most {MAX_LEARNING_RATE:g}, not {rate:g}")
    return rate


def _flag(value: object) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"must be true or false, not {_shown(value)}")
    return value


#: Each step field: its check (ValueError says what is wrong) and whether it is required.
_FIELDS: Mapping[str, tuple[Callable[[object], object], bool]] = {
    "mode": (_mode, True),
    "title": (_text, True),
    "show": (_text, True),
    "question": (_text, True),
    "minutes": (_minutes, True),
    "inputs": (_inputs, False),
    "activations": (_activations, False),
    "temperature": (_temperature, False),
    "gradients": (_flag, False),
    "curves": (_flag, False),
    "learning_rate": (_learning_rate, False),
}
_TOP_KEYS = frozenset({"title", "steps"})

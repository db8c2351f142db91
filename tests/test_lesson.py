"""The guided lesson: the shipped one is whole and true to the app, a broken file never stops
a workshop, and the cursor stays inside the lesson.

The lesson's claims about what the room will see are checked against the real network
(numbers from torch, not from the lesson), so an edit to the file or to the app that makes a
step's words false fails here.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from model.activations import SATURATION_SLOPE
from model.config import DEFAULT_INPUTS, TrainingConfig
from model.lesson import (
    DEFAULT_PATH,
    FALLBACK,
    STEP_MODES,
    Lesson,
    LessonCursor,
    LessonStep,
    load_lesson,
)
from model.modes import MODE_NAMES
from model.network import trace_inputs
from model.tasks import TASKS

SHIPPED = load_lesson()
GOOD_STEP: dict[str, Any] = {
    "mode": "explore",
    "title": "Good",
    "show": "Point at the bars.",
    "question": "What do you see?",
    "minutes": 3,
}


def write(tmp_path: Path, data: object, name: str = "lesson.json") -> Path:
    """``data`` as a lesson file (a str is written as it is)."""
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


def shipped_step(title: str) -> LessonStep:
    """The shipped step called ``title`` (a step whose claims a test checks)."""
    found = [step for step in SHIPPED.lesson.steps if step.title == title]
    assert found, f"the shipped lesson has no step {title!r}: update this test with the lesson"
    return found[0]


# --- the shipped lesson ---------------------------------------------------------------------


def test_shipped_lesson_loads_with_no_problems() -> None:
    """Every step of resources/lesson.json is valid: none was skipped."""
    assert SHIPPED.problems == ()
    raw_steps = json.loads(DEFAULT_PATH.read_text(encoding="utf-8"))["steps"]
    assert len(SHIPPED.lesson.steps) == len(raw_steps)
    assert SHIPPED.lesson.title


def test_shipped_lesson_is_a_first_workshop() -> None:
    """About 45 minutes in 14–20 steps, every mode used, no two steps with one title."""
    lesson = SHIPPED.lesson
    assert 40 <= lesson.total_minutes <= 50
    assert lesson.total_minutes == sum(step.minutes for step in lesson.steps)
    assert 14 <= len(lesson.steps) <= 20
    assert {step.mode for step in lesson.steps} == set(STEP_MODES)
    assert set(STEP_MODES) == set(MODE_NAMES) - {"presenter"}
    titles = [step.title for step in lesson.steps]
    assert len(set(titles)) == len(titles)


def test_shipped_steps_fit_the_banner() -> None:
    """1–2 sentences to do, one question: short enough to read from the back of a room."""
    for step in SHIPPED.lesson.steps:
        assert len(step.title) <= 40, step.title
        assert len(step.show) <= 180, step.title
        assert step.show.count(". ") + step.show.count(": ") <= 3, step.title
        assert step.question.endswith("?"), step.title
        assert len(step.question) <= 130, step.title


def test_shipped_lesson_starts_from_a_known_state() -> None:
    """The first step sets everything up, so the lesson opens the same after any session."""
    first = SHIPPED.lesson.steps[0]
    assert first.inputs == DEFAULT_INPUTS
    assert first.activations == ("ReLU", "Sigmoid", "Softmax")
    assert first.temperature == 1.0
    assert first.gradients is False
    assert first.curves is False


def test_every_shipped_set_up_runs_in_the_real_network() -> None:
    """Each step's set-up is one the app accepts exactly and the network traces finitely."""
    inputs: tuple[float, ...] = DEFAULT_INPUTS
    activations: tuple[str, ...] = ("ReLU", "Sigmoid", "Softmax")
    temperature = 1.0
    for step in SHIPPED.lesson.steps:
        # Set-ups carry over: an unset field keeps the previous step's value, as in the app.
        inputs = step.inputs or inputs
        activations = step.activations or activations
        temperature = step.temperature or temperature
        TrainingConfig(activations=activations, temperature=temperature).validate()
        assert activations[-1] == "Softmax"
        trace = trace_inputs(inputs, activations, temperature, target=0)
        assert trace.is_finite(), step.title


def test_the_predict_step_keeps_the_trained_network() -> None:
    """Between training and predicting no step changes the network (that would reset it)."""
    steps = SHIPPED.lesson.steps
    train = next(i for i, step in enumerate(steps) if step.mode == "train")
    predict = next(i for i, step in enumerate(steps) if step.mode == "predict")
    assert train < predict
    assert all(step.activations is None for step in steps[train + 1 : predict + 1])
    assert all(step.temperature is None for step in steps[train + 1 : predict + 1])


def test_dying_relu_step_shows_what_it_says() -> None:
    """All inputs negative through ReLU, ReLU: every hidden unit dead, no gradient reaches
    the input, and Softmax shares the probability equally."""
    step = shipped_step("Dying ReLU")
    assert step.inputs is not None
    assert step.activations is not None
    assert all(value < 0 for value in step.inputs)
    trace = trace_inputs(step.inputs, step.activations, step.temperature or 1.0, target=0)
    for stage in trace.stages[1:3]:
        assert stage.unit_states() == ("dead",) * 4
    assert trace.stages[0].gradient is not None
    assert list(trace.stages[0].gradient) == [0.0] * 4
    assert list(trace.stages[-1].values) == pytest.approx([0.25] * 4)
    leaky = trace_inputs(step.inputs, ("LeakyReLU", "LeakyReLU", "Softmax"), target=0)
    assert all(state != "dead" for stage in leaky.stages[1:3] for state in stage.unit_states())
    assert leaky.stages[0].gradient is not None
    assert all(value != 0.0 for value in leaky.stages[0].gradient)


def test_vanishing_gradients_step_shows_what_it_says() -> None:
    """x₁ and x₂ on Sigmoid's tails: those layer-1 units are flat, their gradients tiny."""
    step = shipped_step("Vanishing gradients")
    assert step.inputs is not None
    assert step.activations == ("Sigmoid", "Sigmoid", "Softmax")
    target = TASKS["smallest"].answer(step.inputs)
    trace = trace_inputs(step.inputs, step.activations, 1.0, target=target)
    layer1, layer2 = trace.stages[1], trace.stages[2]
    assert layer1.unit_states()[:2] == ("saturated", "saturated")
    assert layer1.derivative is not None
    assert all(slope < SATURATION_SLOPE for slope in layer1.derivative[:2])
    assert layer1.gradient is not None
    assert layer2.gradient is not None
    assert max(abs(g) for g in layer1.gradient[:2]) < max(abs(g) for g in layer2.gradient) / 100


def test_predict_step_asks_for_the_smallest() -> None:
    """The step says the smallest of its inputs is x₂: the task's right answer is class 2."""
    step = shipped_step("Ask the trained network")
    assert step.inputs is not None
    assert "the smallest is x₂" in step.show
    assert TASKS[TrainingConfig().task].answer(step.inputs) == 1


def test_temperature_step_changes_confidence_not_order() -> None:
    """At the step's low T the largest score takes most of the probability; at T = 5 the
    bars level out towards a quarter; the order is the same."""
    step = shipped_step("Temperature: confident or unsure")
    assert step.temperature is not None
    assert step.temperature < 1
    assert step.inputs is not None
    cold = trace_inputs(step.inputs, temperature=step.temperature).stages[-1].values
    warm = trace_inputs(step.inputs, temperature=5.0).stages[-1].values
    assert max(cold) > 0.5
    assert max(abs(p - 0.25) for p in warm) < 0.02
    assert sorted(range(4), key=cold.__getitem__) == sorted(range(4), key=warm.__getitem__)


# --- broken files ---------------------------------------------------------------------------


def test_a_missing_file_gives_the_fallback_and_a_problem(tmp_path: Path) -> None:
    """No exception: a one-step explore lesson, and a problem naming the file."""
    result = load_lesson(tmp_path / "missing_lesson.json")
    assert result.lesson == FALLBACK
    assert [step.mode for step in result.lesson.steps] == ["explore"]
    assert "missing_lesson.json: cannot be read" in result.problems[0]
    assert result.problems[-1] == (
        "missing_lesson.json: showing a one-step lesson (explore) instead"
    )


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ('{"title": "x", "steps": [', "is not valid JSON"),
        ("", "is not valid JSON"),
        ("[1, 2]", 'must be an object with a "steps" list'),
        ('{"title": "x", "steps": {}}', 'must be an object with a "steps" list'),
        ('{"title": "x", "steps": []}', "has no usable step"),
        ('{"title": "x", "steps": [1, "two"]}', "has no usable step"),
    ],
)
def test_an_unusable_file_gives_the_fallback(tmp_path: Path, content: str, expected: str) -> None:
    """Unparseable, the wrong shape or no valid step: the fallback lesson, and why."""
    result = load_lesson(write(tmp_path, content))
    assert result.lesson == FALLBACK
    assert any(p.startswith("lesson.json: ") and expected in p for p in result.problems)


def test_bytes_that_are_not_utf8_or_a_directory_never_raise(tmp_path: Path) -> None:
    """A file saved in another encoding, or a folder where the file should be."""
    binary = tmp_path / "lesson.json"
    binary.write_bytes(b'{"title": "\xff\xfe"}')
    assert "lesson.json: is not valid JSON" in load_lesson(binary).problems[0]
    folder = tmp_path / "folder.json"
    folder.mkdir()
    assert "folder.json: cannot be read" in load_lesson(folder).problems[0]


BAD_FIELDS = [
    (
        {"mode": "presenter"},
        "'mode' must be one of explore, step, compare, train, predict, "
        "gradients, quiz, code, not 'presenter'",
    ),
    ({"mode": None}, "'mode' must be one of"),
    ({"title": "  "}, "'title' must be a non-empty text"),
    ({"show": 3}, "'show' must be a non-empty text, not 3"),
    ({"question": ["why?"]}, "'question' must be a non-empty text, not a list"),
    ({"minutes": 0}, "'minutes' must be from 1 to 30 minutes, not 0"),
    ({"minutes": 2.5}, "'minutes' must be a whole number of minutes, not 2.5"),
    ({"minutes": True}, "'minutes' must be a whole number of minutes, not true"),
    ({"inputs": [1, 2, 3]}, "'inputs' must be a list of 4 numbers, not a list of 3"),
    ({"inputs": "1,2,3,4"}, "'inputs' must be a list of 4 numbers, not '1,2,3,4'"),
    ({"inputs": [1, 2, 3, 2e6]}, "'inputs' item 4: '2000000.0' is outside the allowed range"),
    ({"inputs": [1, float("nan"), 3, 4]}, "'inputs' item 2: 'nan' is not a finite number"),
    ({"inputs": [1, "2", 3, 4]}, "'inputs' item 2: '2' is not a number"),
    ({"inputs": [1, 2, False, 4]}, "'inputs' item 3: false is not a number"),
    ({"activations": ["ReLU", "Softmax", "Softmax"]}, "layer 2 is hidden"),
    ({"activations": ["ReLU", "Sigmoid"]}, "a pipeline has 3 activations"),
    ({"activations": ["ReLU", "Sigmod", "Softmax"]}, "unknown activation 'Sigmod'"),
    ({"activations": ["ReLU", "Sigmoid", "Tanh"]}, "the output layer must turn scores"),
    ({"activations": "ReLU"}, "'activations' must be a list of names"),
    ({"temperature": 0}, "'temperature' is out of range: the softmax temperature must be"),
    ({"temperature": float("inf")}, "'temperature' is out of range"),
    ({"temperature": 10**400}, "'temperature' is out of range"),
    ({"temperature": "1"}, "'temperature' must be a number, not '1'"),
    ({"learning_rate": 0}, "'learning_rate' must be above 0 and at most 100, not 0"),
    ({"learning_rate": 101}, "'learning_rate' must be above 0 and at most 100, not 101"),
    ({"learning_rate": "50"}, "'learning_rate' must be a number, not '50'"),
    ({"gradients": "yes"}, "'gradients' must be true or false, not 'yes'"),
    ({"curves": 1}, "'curves' must be true or false, not 1"),
    ({"temprature": 1}, "unknown key 'temprature'"),
]


@pytest.mark.parametrize(("change", "expected"), BAD_FIELDS)
def test_a_bad_step_is_skipped_and_named(
    tmp_path: Path, change: dict[str, Any], expected: str
) -> None:
    """The bad step (the 2nd) is left out, the good ones kept in order; the problem names
    the file, the step's number and title, and what is wrong."""
    bad = {**GOOD_STEP, "title": "Dying ReLU", **change}
    steps = [{**GOOD_STEP, "title": "First"}, bad, {**GOOD_STEP, "title": "Third"}]
    result = load_lesson(write(tmp_path, {"title": "Workshop", "steps": steps}))
    assert [step.title for step in result.lesson.steps] == ["First", "Third"]
    assert result.lesson.title == "Workshop"
    assert len(result.problems) == 1, result.problems
    assert result.problems[0].startswith(f"lesson.json, step 2 ({json.dumps(bad['title'])}): ")
    assert expected in result.problems[0]


def test_a_missing_field_and_a_non_object_step_are_named(tmp_path: Path) -> None:
    """Every problem of a step is listed; a step that is not an object says so."""
    no_mode = {key: value for key, value in GOOD_STEP.items() if key != "mode"}
    steps = [GOOD_STEP, {**no_mode, "minutes": 99}, "a step"]
    result = load_lesson(write(tmp_path, {"title": "Workshop", "steps": steps}))
    assert len(result.lesson.steps) == 1
    assert result.problems == (
        "lesson.json, step 2 (\"Good\"): 'mode' is missing",
        "lesson.json, step 2 (\"Good\"): 'minutes' must be from 1 to 30 minutes, not 99",
        "lesson.json, step 3: must be an object, not 'a step'",
    )


def test_a_bad_title_or_unknown_key_keeps_the_steps(tmp_path: Path) -> None:
    """The lesson's own title and keys are reported, but its steps still load."""
    result = load_lesson(write(tmp_path, {"title": "", "steps": [GOOD_STEP], "notes": "x"}))
    assert result.lesson.title == "Guided lesson"
    assert [step.title for step in result.lesson.steps] == ["Good"]
    assert result.problems == (
        "lesson.json: unknown key 'notes'",
        "lesson.json: 'title' must be a non-empty text",
    )


def test_a_full_step_is_read_with_canonical_names(tmp_path: Path) -> None:
    """Set-up fields become tuples of floats and registered names; absent ones stay None."""
    full = {
        **GOOD_STEP,
        "inputs": [1, -2.5, 0, 1e-7],
        "activations": ["relu", "TANH", "softmax"],
        "temperature": 2,
        "gradients": True,
        "curves": False,
    }
    result = load_lesson(write(tmp_path, {"title": "T", "steps": [full, GOOD_STEP]}))
    assert result.problems == ()
    step, plain = result.lesson.steps
    assert step.inputs == (1.0, -2.5, 0.0, 1e-7)
    assert step.activations == ("ReLU", "Tanh", "Softmax")
    assert step.temperature == 2.0
    assert (step.gradients, step.curves) == (True, False)
    assert (plain.inputs, plain.activations, plain.temperature) == (None, None, None)
    assert (plain.gradients, plain.curves) == (None, None)
    assert result.lesson.total_minutes == 6


def test_a_lesson_cannot_be_empty() -> None:
    """The cursor relies on at least one step."""
    with pytest.raises(ValueError, match="at least one step"):
        Lesson("Empty", ())


# --- the cursor -----------------------------------------------------------------------------


def three_steps() -> Lesson:
    """A lesson of steps titled A, B, C."""
    return Lesson("ABC", tuple(LessonStep("explore", t, "Show.", "Why?", 1) for t in "ABC"))


def test_cursor_moves_and_clamps_at_both_ends() -> None:
    """next/previous move one step and say so; past either end they stay and say False."""
    cursor = LessonCursor(three_steps())
    assert (cursor.index, cursor.step.title, cursor.position_text) == (0, "A", "Step 1 of 3")
    assert cursor.previous() is False
    assert cursor.index == 0
    assert cursor.next() is True
    assert (cursor.step.title, cursor.position_text) == ("B", "Step 2 of 3")
    assert cursor.next() is True
    assert cursor.next() is False
    assert (cursor.index, cursor.step.title, cursor.position_text) == (2, "C", "Step 3 of 3")
    assert cursor.previous() is True
    assert cursor.step.title == "B"


def test_cursor_go_to_clamps() -> None:
    """An index out of range (from a session file, say) lands on the nearest step."""
    cursor = LessonCursor(three_steps(), index=99)
    assert cursor.index == 2
    assert cursor.go_to(-5) is True
    assert cursor.index == 0
    assert cursor.go_to(0) is False
    assert cursor.go_to(1) is True
    assert cursor.step.title == "B"

"""The quiz's model: the bundled bank, broken banks, live questions and seeded sets.

Live answers are checked against the numpy reference (not against the code's own formatting
of the trace), for the default pipeline, for others, and for a randomly weighted network.
"""

from __future__ import annotations

import json
import math
import random
import re
from pathlib import Path

import numpy as np
import numpy_reference as ref
import pytest
import torch

from model.activations import ACTIVATIONS
from model.config import DEFAULT_INPUTS, TrainingConfig
from model.network import ActivationNet, trace_inputs
from model.quiz import LESSON_QUESTION, question_set, question_set_json
from model.quiz_bank import LETTERS, Question, default_bank_path, entry_errors, load_bank
from model.quiz_generated import (
    generated_questions,
    loss_question,
    output_question,
    prediction_question,
    probability_question,
    task_question,
    unit_state_question,
)
from model.tasks import TASKS
from model.trace import Trace

LESSON_OPTIONS = (
    "Changes them to one",
    "Leaves them unchanged",
    "Changes them to zero",
    "Converts them to probabilities",
)
GOOD = {
    "topic": "Sigmoid",
    "question": "What does Sigmoid output for z = 0?",
    "options": ["0", "0.5", "1", "0.25"],
    "answer": "B",
    "explanation": "1 / (1 + 1) = 0.5.",
}


def number(text: str) -> float:
    """An option's number, read back as a learner types it."""
    return float(text.replace("−", "-"))


def write_bank(tmp_path: Path, entries: object, name: str = "bank.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(entries, ensure_ascii=False), encoding="utf-8")
    return path


# The bundled bank ----------------------------------------------------------------------------


def test_bank_has_enough_valid_questions_on_every_topic() -> None:
    bank = load_bank()
    assert bank.problems == ()
    assert len(bank.questions) >= 24
    for name in ACTIVATIONS:
        assert any(q.topic == name or name in q.question for q in bank.questions), name
    topics = {q.topic for q in bank.questions}
    assert {"temperature", "gradients", "training"} <= topics
    temperature = [q for q in bank.questions if q.topic == "temperature"]
    assert any("Softmax" in q.question for q in temperature)


def test_bank_has_the_lessons_relu_question() -> None:
    (lesson,) = [q for q in load_bank().questions if q.question == LESSON_QUESTION]
    assert lesson.options == LESSON_OPTIONS
    assert lesson.right_option == "Changes them to zero"
    assert lesson.answer == "C"


def test_bank_file_is_found_beside_the_resources_package() -> None:
    path = default_bank_path()
    assert path.name == "quiz_bank.json"
    assert path.parent.name == "resources"
    assert path.is_file()


# Broken banks ---------------------------------------------------------------------------------


def test_missing_bank_is_one_problem_naming_the_file(tmp_path: Path) -> None:
    bank = load_bank(tmp_path / "quiz_bank.json")
    assert bank.questions == ()
    (problem,) = bank.problems
    assert problem.startswith("quiz_bank.json was not found")


def test_bank_that_is_not_json_names_the_file_and_the_place(tmp_path: Path) -> None:
    path = tmp_path / "quiz_bank.json"
    path.write_text('{"questions": [\n  {"question": oops}\n]}', encoding="utf-8")
    bank = load_bank(path)
    assert bank.questions == ()
    (problem,) = bank.problems
    assert problem.startswith("quiz_bank.json is not valid JSON")
    assert "line 2" in problem


@pytest.mark.parametrize("top", [[GOOD], {"items": [GOOD]}, {"questions": {"a": GOOD}}, 3])
def test_bank_with_the_wrong_top_level_is_one_problem(tmp_path: Path, top: object) -> None:
    bank = load_bank(write_bank(tmp_path, top))
    assert bank.questions == ()
    (problem,) = bank.problems
    assert problem.startswith('bank.json: the top level must be an object with a "questions"')


def test_malformed_entries_are_named_and_the_valid_ones_used(tmp_path: Path) -> None:
    long_question = "What does the network do when the learning rate is far too high?"
    entries = [
        GOOD,
        {**GOOD, "question": "Which letter?", "answer": "E"},
        {**GOOD, "question": long_question, "options": ["a", "a", "b", "c"]},
        "not an object",
        {**GOOD, "question": "Second good one?", "answer": "D"},
        {**GOOD, "question": "Three options?", "options": ["a", "b", "c"], "explanation": ""},
        {**GOOD, "question": "Too long?", "options": ["x" * 71, "b", "c", "d"]},
        dict(GOOD),
    ]
    bank = load_bank(write_bank(tmp_path, {"questions": entries}))
    assert [q.question for q in bank.questions] == [GOOD["question"], "Second good one?"]
    assert bank.questions[1].right_option == "0.25"
    assert bank.problems == (
        "bank.json, entry 2 (\"Which letter?\"): 'answer' must be one of A, B, C, D",
        'bank.json, entry 3 ("What does the network do when th…"): '
        "the 4 options must all be different",
        "bank.json, entry 4: must be an object with question, options, answer, explanation "
        "and topic",
        "bank.json, entry 6 (\"Three options?\"): 'explanation' must be non-empty text; "
        "'options' must be a list of 4 texts",
        'bank.json, entry 7 ("Too long?"): an option is longer than 70 characters',
        'bank.json, entry 8 ("What does Sigmoid output for z =…"): repeats an earlier question',
    )
    # The quiz goes on with what is valid.
    trace = trace_inputs(DEFAULT_INPUTS, target=1)
    questions = question_set(trace, TrainingConfig(), 0, bank.questions)
    assert GOOD["question"] in [q.question for q in questions]
    assert len(questions) >= 6


def test_entry_errors_accepts_a_good_entry_and_checks_types() -> None:
    assert entry_errors(GOOD) == []
    assert entry_errors({**GOOD, "topic": 3, "options": [1, 2, 3, 4]}) == [
        "'topic' must be non-empty text",
        "every option must be non-empty text",
    ]


def test_question_refuses_repeated_options_and_bad_letters() -> None:
    with pytest.raises(ValueError, match="4 distinct options"):
        Question("q", ("a", "a", "b", "c"), "A", "e")
    with pytest.raises(ValueError, match="one of A, B, C, D"):
        Question("q", ("a", "b", "c", "d"), "a", "e")


def test_shuffled_options_keep_the_right_answer() -> None:
    question = Question("q", LESSON_OPTIONS, "C", "e")
    seen = set()
    for seed in range(20):
        shuffled = question.shuffled(random.Random(seed))
        assert shuffled.right_option == "Changes them to zero"
        assert sorted(shuffled.options) == sorted(LESSON_OPTIONS)
        seen.add(shuffled.answer)
    assert seen == set(LETTERS)


# Live questions --------------------------------------------------------------------------------


def default_trace() -> Trace:
    return trace_inputs(DEFAULT_INPUTS, target=TASKS["smallest"].answer(DEFAULT_INPUTS))


def check_well_formed(question: Question) -> None:
    assert question.generated
    assert len(set(question.options)) == 4
    assert question.answer in LETTERS


def test_default_output_question_is_sigmoid_of_one_half() -> None:
    question = output_question(default_trace(), 2, 2, random.Random(0))
    assert question.question.startswith("Layer 2 (Sigmoid): unit σ₃ gets z = 0.5.")
    assert question.right_option == "0.62"  # 1 / (1 + e^−0.5) = 0.6225
    assert "0.6225" in question.explanation
    numbers = [number(o) for o in question.options]
    assert numbers == sorted(numbers)
    check_well_formed(question)


def test_default_live_questions_have_hand_checked_answers() -> None:
    trace = default_trace()
    config = TrainingConfig()
    rng = random.Random(0)
    assert prediction_question(trace, config, rng).right_option == "Class 4"
    assert probability_question(trace, config, rng).right_option == "0.30"  # 0.3044
    assert task_question(trace, config, rng).right_option == "Class 2"  # x₂ = −1 is smallest
    dead = unit_state_question(trace, config, rng)
    assert dead.question.startswith("Layer 1 (ReLU)")
    assert dead.right_option == "r₂"  # z = −1
    loss = loss_question(trace, config, rng)
    assert loss is not None
    assert loss.right_option == "1.64"  # −ln(0.1936)


def reference_outputs(
    layers: ref.Layers, activations: tuple[str, ...], x: tuple[float, ...]
) -> tuple[list[np.ndarray], list[np.ndarray]]:
    return ref.forward(layers, activations, np.array(x))


def check_against_reference(trace: Trace, layers: ref.Layers, acts: tuple[str, ...]) -> None:
    """Every live question's right option is the reference's number or class."""
    x = trace.stages[0].values
    zs, outputs = reference_outputs(layers, acts, x)
    probabilities = outputs[-1]
    config = TrainingConfig(activations=acts)
    for layer in (1, 2):
        for unit in range(4):
            question = output_question(trace, layer, unit, random.Random(unit))
            check_well_formed(question)
            assert f"({acts[layer - 1]})" in question.question
            assert number(question.right_option) == pytest.approx(
                outputs[layer - 1][unit], abs=0.005 + 1e-9
            )
            match = re.search(r"z = (\S+)\.", question.question)
            assert match is not None
            shown_z = number(match.group(1))
            # Working from the z shown gives the same two decimals.
            by_hand = ref.apply(acts[layer - 1], np.array([shown_z]))[0]
            assert f"{by_hand:.2f}".replace("-", "−").replace("−0.00", "0.00") == (
                question.right_option
            )
    rng = random.Random(0)
    best = int(np.argmax(probabilities))
    assert prediction_question(trace, config, rng).answer == LETTERS[best]
    top = probability_question(trace, config, rng)
    assert number(top.right_option) == pytest.approx(probabilities[best], abs=0.005)
    loss = loss_question(trace, config, rng)
    assert loss is not None
    target = trace.target
    expected_loss = ref.cross_entropy(zs[-1], target)
    assert number(loss.right_option) == pytest.approx(expected_loss, abs=0.005)
    assert task_question(trace, config, rng).answer == LETTERS[int(np.argmin(x))]


def identity_layers() -> ref.Layers:
    return [(np.eye(4), np.zeros(4)) for _ in range(3)]


@pytest.mark.parametrize(
    "acts",
    [("ReLU", "Sigmoid", "Softmax"), ("Tanh", "GELU", "Softmax"), ("GELU", "Tanh", "Softmax")],
)
def test_live_answers_match_the_reference_untrained(acts: tuple[str, ...]) -> None:
    trace = trace_inputs((2.0, -1.0, 0.5, 3.0), acts, target=1)
    check_against_reference(trace, identity_layers(), acts)
    texts = [q.question for q in generated_questions(trace, TrainingConfig(), random.Random(0))]
    assert any(acts[0] in t or acts[1] in t for t in texts)
    if "ReLU" not in acts:
        assert not any("ReLU" in t for t in texts)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_live_answers_match_the_reference_for_random_weights(seed: int) -> None:
    acts = ("GELU", "Tanh", "Softmax")
    net = ActivationNet(acts)
    generator = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for parameter in net.parameters():
            parameter.copy_(torch.randn(parameter.shape, generator=generator, dtype=torch.float64))
    inputs = (0.7, -1.3, 2.2, 0.1)
    trace = net.trace(inputs, target=seed % 4)
    layers = ref.layers_from_flat(net.flat_weights().numpy())
    check_against_reference(trace, layers, acts)


def test_z_is_shown_with_the_digits_its_rounded_answer_needs() -> None:
    # Identity's output is z: 0.12504999 rounds to 0.13, but a z shown as 0.125 would not.
    trace = trace_inputs((0.12504999, 1.0, 2.0, 3.0), ("Identity", "Identity", "Softmax"))
    question = output_question(trace, 1, 0, random.Random(0))
    assert question.right_option == "0.13"
    assert "z = 0.12505." in question.question


def test_count_question_when_no_layer_has_a_single_flat_unit() -> None:
    trace = trace_inputs((0.1, 0.2, 0.3, 0.4), ("Sigmoid", "Sigmoid", "Softmax"), target=0)
    question = unit_state_question(trace, TrainingConfig(), random.Random(0))
    assert question.question.startswith("How many of the 8 hidden units")
    assert question.right_option == "0"  # every slope is about 0.24
    check_well_formed(question)


def test_number_options_stay_distinct_when_the_slips_collide() -> None:
    # Every probability is 0.25: all the slips round to the right answer.
    trace = trace_inputs((1.0, 1.0, 1.0, 1.0), target=0)
    question = probability_question(trace, TrainingConfig(), random.Random(0))
    assert question.right_option == "0.25"
    check_well_formed(question)
    assert all(0 <= number(o) <= 1 for o in question.options)


def test_no_live_questions_for_a_trace_with_nan() -> None:
    trace = trace_inputs((math.nan, 1.0, 2.0, 3.0), target=0)
    assert generated_questions(trace, TrainingConfig(), random.Random(0)) == []
    assert len(question_set(trace, TrainingConfig(), 0)) == 10


# Sets ----------------------------------------------------------------------------------------


def test_set_is_seeded_opens_with_the_lesson_and_mixes_live_and_bank() -> None:
    trace = default_trace()
    config = TrainingConfig()
    first = question_set(trace, config, 7)
    assert first == question_set(trace, config, 7)
    assert first != question_set(trace, config, 8)
    assert first == question_set(trace, config, 7, load_bank())  # a BankLoad is taken too
    assert len(first) == 10
    assert first[0].question == LESSON_QUESTION
    assert first[0].options == LESSON_OPTIONS
    assert 3 <= sum(q.generated for q in first) <= 4
    assert len({q.question for q in first}) == 10
    assert any(q.question.startswith("Layer ") and "output there" in q.question for q in first)


def test_set_fills_up_with_live_questions_without_a_bank() -> None:
    questions = question_set(default_trace(), TrainingConfig(), 0, bank=())
    assert len(questions) == 6
    assert all(q.generated for q in questions)


def test_set_json_is_the_default_trace_set() -> None:
    data = question_set_json(3)
    assert json.loads(json.dumps(data)) == data
    expected = question_set(default_trace(), TrainingConfig(), 3)
    assert data == {"questions": [q.to_json() for q in expected]}
    first = data["questions"][0]
    assert first == {
        "question": LESSON_QUESTION,
        "options": list(LESSON_OPTIONS),
        "answer": "C",
        "explanation": first["explanation"],
        "generated": False,
    }
    for entry in data["questions"]:
        assert set(entry) == {"question", "options", "answer", "explanation", "generated"}
        assert entry["answer"] in LETTERS
        assert len(set(entry["options"])) == 4
    assert question_set_json(3) == data
    assert question_set_json() == question_set_json(0) != data

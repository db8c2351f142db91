"""Quiz questions made from the live numbers: their right answers are read from a trace.

Nothing here stores an answer. Each question takes the trace the learner is looking at (any
pipeline, trained or not) and its right option is that trace's own number or class; the wrong
options are plausible slips (forgetting the activation, reading another unit, confusing a
probability with a loss), kept distinct at the precision shown. Number options are listed in
ascending order and class options in class order, so the right letter is never a pattern.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Iterable, Sequence

from model.activations import SATURATION_SLOPE, get_activation
from model.config import TrainingConfig
from model.quiz_bank import LETTERS, Question
from model.tasks import TASKS
from model.trace import StageTrace, Trace

Kind = Callable[[Trace, TrainingConfig, random.Random], Question | None]
_SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
#: Wrong number options are looked for this far from the right one when the slips run out.
_FALLBACK_STEP = 0.1
_FALLBACK_STEPS = 60


def two_decimals(value: float) -> str:
    """``value`` to two decimals as a learner reads it: real minus sign, no "−0.00"."""
    text = f"{value:.2f}"
    if float(text) == 0:
        text = text.lstrip("-")
    return text.replace("-", "−")


def short_number(value: float, decimals: int = 4) -> str:
    """``value`` with at most ``decimals`` decimals and no trailing zeros: 0.5, −1, 2.3457."""
    text = f"{value:.{decimals}f}".rstrip("0").rstrip(".")
    return "0" if float(text) == 0 else text.replace("-", "−")


def unit_name(stage: StageTrace, unit: int) -> str:
    """How the window names a unit: x₃ for an input, r₃ for ReLU, σ₃ for Sigmoid, p₃ …"""
    symbol = "x" if stage.pre_activation is None else get_activation(stage.name).symbol
    return symbol + str(unit + 1).translate(_SUBSCRIPTS)


def vector_text(values: Sequence[float]) -> str:
    """(2, −1, 0.5, 3)."""
    return "(" + ", ".join(short_number(v) for v in values) + ")"


def input_text(values: Sequence[float]) -> str:
    """x = (2, −1, 0.5, 3), with no-break spaces: a wrapped line never starts with "= (…"."""
    return f"x\u00a0=\u00a0{vector_text(values)}"


def output_question(trace: Trace, layer: int, unit: int, rng: random.Random) -> Question:
    """Hidden layer ``layer`` (1-based) at ``unit`` (0-based): what does its activation give
    for the unit's z, to two decimals? The right answer is the trace's value there."""
    stage = trace.stages[layer]
    assert stage.pre_activation is not None, "the input stage has no activation"
    z, value = stage.pre_activation[unit], stage.values[unit]
    activation = get_activation(stage.name)
    slope = abs(stage.derivative[unit]) if stage.derivative is not None else 1.0
    z_text = short_number(z, _robust_decimals(value, slope))
    low, high = activation.output_range
    # Reading another unit, a neighbouring activation's value, or 1 − f(z), all inside the
    # activation's range; and z itself (forgetting the activation), wherever it lies.
    others = [v for i, v in enumerate(stage.values) if i != unit]
    slips = [1 - value, max(0.0, z), math.tanh(z), _sigmoid(z), *others]
    slips = [z, *(s for s in slips if _within(s, low, high))]
    options, answer = _number_options(value, slips, rng, low, high)
    return Question(
        question=f"Layer {layer} ({stage.name}): unit {unit_name(stage, unit)} gets z = {z_text}. "
        f"What does {stage.name} output there, to two decimals?",
        options=options,
        answer=answer,
        explanation=f"{stage.name} is {activation.formula}. At z = {z_text} it gives "
        f"{short_number(value)}, which is {two_decimals(value)} to two decimals.",
        generated=True,
    )


def random_output_question(trace: Trace, config: TrainingConfig, rng: random.Random) -> Question:
    """:func:`output_question` for a hidden unit ``rng`` picks."""
    del config
    layers = range(1, len(trace.stages) - 1)
    layer = rng.choice(layers)
    return output_question(trace, layer, rng.randrange(len(trace.stages[layer].values)), rng)


def prediction_question(trace: Trace, config: TrainingConfig, rng: random.Random) -> Question:
    """Which class does the network predict now? (The largest final output.)"""
    del config, rng
    last = trace.stages[-1]
    predicted = trace.prediction
    return _class_question(
        f"For the input {input_text(trace.stages[0].values)}, "
        "which class does the network predict now?",
        predicted,
        f"Class {predicted + 1} has the largest probability, "
        f"{short_number(last.values[predicted])}: the network predicts the class "
        f"{last.name} rates most likely.",
    )


def probability_question(trace: Trace, config: TrainingConfig, rng: random.Random) -> Question:
    """What is the largest probability the network gives any class, to two decimals?"""
    del config
    probabilities = trace.stages[-1].values
    predicted = trace.prediction
    top = probabilities[predicted]
    slips = [*probabilities, 1 / len(probabilities), 1.0, 1 - top]
    options, answer = _number_options(top, slips, rng, 0.0, 1.0)
    return Question(
        question=f"For the input {input_text(trace.stages[0].values)}, what is the largest "
        "probability the network gives any class, to two decimals?",
        options=options,
        answer=answer,
        explanation=f"The probabilities are {vector_text(probabilities)}: class {predicted + 1} "
        f"gets the most, {two_decimals(top)}. They always sum to 1.",
        generated=True,
    )


def task_question(trace: Trace, config: TrainingConfig, rng: random.Random) -> Question:
    """The task's right class for the current input, and whether the network gets it."""
    del rng
    task = TASKS[config.task]
    inputs = trace.stages[0].values
    right = task.answer(inputs)
    verdict = "so it is right" if trace.prediction == right else "so it is wrong here"
    return _class_question(
        f"Task “{task.title}”: {task.question} For {input_text(inputs)}, which class is right?",
        right,
        f"{unit_name(trace.stages[0], right)} = {short_number(inputs[right])} is the "
        f"{task.answer_rule} input, so class {right + 1} is right. The network predicts "
        f"class {trace.prediction + 1}, {verdict}.",
    )


def unit_state_question(trace: Trace, config: TrainingConfig, rng: random.Random) -> Question:
    """Which unit passes (almost) no gradient back, when one hidden layer has exactly one such
    unit; otherwise how many hidden units are dead or saturated."""
    del config
    hidden = list(enumerate(trace.stages[1:-1], start=1))
    flagged = [
        (layer, stage, unit, state)
        for layer, stage in hidden
        for unit, state in enumerate(stage.unit_states())
        if state
    ]
    single = [f for f in flagged if sum(g[0] == f[0] for g in flagged) == 1]
    if single:
        layer, stage, unit, state = rng.choice(single)
        names = tuple(unit_name(stage, i) for i in range(len(stage.values)))
        z = stage.pre_activation or ()
        why = (
            f"its z is {short_number(z[unit])} ≤ 0, so {stage.name} outputs 0 with slope 0: "
            "it is dead for this input"
            if state == "dead"
            else f"its slope f′(z) = {short_number((stage.derivative or ())[unit])} is "
            f"nearly 0 (|f′(z)| below {SATURATION_SLOPE:g}): it is saturated"
        )
        return Question(
            question=f"Layer {layer} ({stage.name}) gets z = {vector_text(z)}. Which unit "
            "passes (almost) no gradient back for this input?",
            options=names,
            answer=LETTERS[unit],
            explanation=f"{names[unit]}: {why}.",
            generated=True,
        )
    total = sum(len(stage.values) for _, stage in hidden)
    count = len(flagged)
    start = min(max(0, count - rng.randrange(len(LETTERS))), max(0, total + 1 - len(LETTERS)))
    listed = ", ".join(f"{unit_name(s, u)} ({state})" for _, s, u, state in flagged)
    explanation = (
        f"{count}: {listed}."
        if flagged
        else f"None: every hidden unit has a slope of at least {SATURATION_SLOPE:g}, "
        "so gradient flows back through all of them."
    )
    return Question(
        question=f"How many of the {total} hidden units are dead or saturated (slope below "
        f"{SATURATION_SLOPE:g}) for the input {input_text(trace.stages[0].values)}?",
        options=tuple(str(n) for n in range(start, start + len(LETTERS))),
        answer=LETTERS[count - start],
        explanation=explanation,
        generated=True,
    )


def loss_question(trace: Trace, config: TrainingConfig, rng: random.Random) -> Question | None:
    """Roughly what is the loss against the target, to two decimals? (None without a target.)"""
    del config
    if trace.loss is None or trace.target is None:
        return None
    probabilities = trace.stages[-1].values
    p = probabilities[trace.target]
    wrong_targets = [-math.log(q) for i, q in enumerate(probabilities) if i != trace.target and q]
    slips = [*wrong_targets, math.log(len(probabilities)), p, 1 - p, 0.0]
    options, answer = _number_options(trace.loss, slips, rng, 0.0, None)
    return Question(
        question=f"The target is class {trace.target + 1}. Roughly what is the loss "
        "(cross-entropy) now, to two decimals?",
        options=options,
        answer=answer,
        explanation=f"Cross-entropy is −ln of the probability the network gives the target: "
        f"−ln({p:.4g}) = {short_number(trace.loss)}.",
        generated=True,
    )


#: Every kind, the hidden layer's output first (the question a set always asks).
KINDS: tuple[Kind, ...] = (
    random_output_question,
    prediction_question,
    probability_question,
    task_question,
    unit_state_question,
    loss_question,
)


def generated_questions(trace: Trace, config: TrainingConfig, rng: random.Random) -> list[Question]:
    """One question of each kind the trace allows, in :data:`KINDS` order (none for a trace
    with a NaN or infinity in it: there is no right number to ask about)."""
    if not trace.is_finite():
        return []
    made = (kind(trace, config, rng) for kind in KINDS)
    return [question for question in made if question is not None]


def _class_question(text: str, right: int, explanation: str) -> Question:
    return Question(
        question=text,
        options=tuple(f"Class {n}" for n in range(1, len(LETTERS) + 1)),
        answer=LETTERS[right],
        explanation=explanation,
        generated=True,
    )


def _number_options(
    right: float,
    slips: Iterable[float],
    rng: random.Random,
    low: float | None,
    high: float | None,
) -> tuple[tuple[str, ...], str]:
    """Four options at two decimals, ascending, the right one among them, and its letter.

    Slips come first in ``rng``'s order; when they run out (or collide at two decimals),
    steps of 0.1 either side of the right answer, inside ``[low, high]``, fill up.
    """
    chosen = {two_decimals(right)}
    candidates = [s for s in slips if math.isfinite(s)]
    rng.shuffle(candidates)
    for k in range(1, _FALLBACK_STEPS + 1):
        for sign in (1, -1):
            value = right + sign * k * _FALLBACK_STEP
            if _within(value, low, high):
                candidates.append(value)
    for value in candidates:
        chosen.add(two_decimals(value))
        if len(chosen) == len(LETTERS):
            break
    options = tuple(sorted(chosen, key=lambda text: float(text.replace("−", "-"))))
    return options, LETTERS[options.index(two_decimals(right))]


def _within(value: float, low: float | None, high: float | None) -> bool:
    return (low is None or value >= low) and (high is None or value <= high)


def _robust_decimals(value: float, slope: float) -> int:
    """Decimals of z that pin f(z) to the same two decimals: a learner who works from the z
    shown must reach the right option. 4 unless f(z) sits right on a rounding boundary."""
    for decimals in (4, 6, 8, 10):
        error = slope * 0.5 * 10.0**-decimals * 1.01  # first order: |f′(z)| × rounding of z
        if two_decimals(value - error) == two_decimals(value + error):
            return decimals
    return 12


def _sigmoid(z: float) -> float:
    # Only a plausible wrong option; the right answer is always the trace's own value.
    return 0.5 * (1.0 + math.tanh(z / 2.0))

"""Key insights: a fixed lesson per mode, a live sentence from the current numbers, and what
the gradients of one trace say.

The fixed lessons are the mode's one idea in plain English (shown as rich text, so they hold
no "<" or "&"). The live sentences and the gradient findings are computed from a trace each
time (:mod:`model.insight_sentences` words them), so they follow the input, the pipeline the
learner picked and Softmax's temperature.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from model.config import TrainingConfig
from model.insight_sentences import (
    code_sentence,
    compare_sentence,
    explore_sentence,
    hidden_layers,
    layer_name,
    margin_sentence,
    number,
    percent,
    prediction_is_right,
    prediction_sentence,
    step_sentence,
    train_sentence,
    unit_label,
)
from model.trace import Trace

__all__ = [
    "Finding",
    "fixed_insight",
    "gradient_findings",
    "gradient_report",
    "live_insight",
    "prediction_is_right",
    "prediction_sentence",
]

_EXPLORE = (
    "ReLU sets negative numbers to 0 and keeps positives, Sigmoid squashes every number into "
    "(0, 1), and Softmax turns the last four scores into probabilities that sum to 1. Without "
    "such bends, stacked linear layers collapse into one linear map, so the activations are "
    "what let a network learn curved, not just straight, decision rules."
)
_FIXED = {
    "explore": _EXPLORE,
    "step": "Every layer does the same two steps: a weighted sum z = W·x + b, then its "
    "activation applied to each z. Stepping through shows which of the two changes the numbers.",
    "compare": "Activations differ most in their slope f′(z): where it is large a unit learns "
    "fast, where it is near 0 the gradient through it vanishes. The same network can learn at "
    "very different speeds with different activations.",
    "train": "Training moves every weight a small step against the gradient of the loss, one "
    "batch at a time, so the loss falls and accuracy rises. If the test loss rises while the "
    "training loss still falls, the network is memorising, not learning.",
    "predict": "A prediction is the forward pass with the trained weights: the class with the "
    "largest probability wins. A high probability means confidence, not correctness.",
    "gradients": "The gradient ∂L/∂z says how the loss changes when a unit's z moves; on its "
    "way back it is multiplied by every activation's slope f′(z). Where that slope is 0 (dead) "
    "or nearly 0 (saturated), the gradient vanishes and the weights before it stop learning.",
    "quiz": "Commit to an answer before you look: that is how you find out what you really "
    "understand. Questions made from the live numbers are checked against this very network.",
    "code": "Everything on screen is a few lines of PyTorch: linear layers, activation "
    "functions and a softmax. The script builds this exact network, so it computes the numbers "
    "you see here.",
    "presenter": _EXPLORE,
}
#: Below this share of a layer's largest |∂L/∂z| on the way back, a gradient "nearly vanishes".
_VANISHES = 0.01


def fixed_insight(mode: str) -> str:
    """One to two plain sentences: what mode ``mode`` teaches ("" for an unknown mode)."""
    return _FIXED.get(mode, "")


def live_insight(mode: str, trace: Trace, config: TrainingConfig) -> str:
    """One plain sentence computed from ``trace`` for mode ``mode`` ("" when none helps).

    The quiz gets none: a sentence from the live numbers would give its answers away.
    """
    if not trace.is_finite():
        return ""
    if mode in ("explore", "presenter"):
        return explore_sentence(trace)
    if mode == "step":
        return step_sentence(trace)
    if mode == "compare":
        return compare_sentence(trace)
    if mode == "train":
        return train_sentence(trace, config)
    if mode == "predict":  # the verdict above says right or wrong; this says how sure
        return margin_sentence(trace)
    if mode == "gradients":
        return _gradients_sentence(trace)
    if mode == "code":
        return code_sentence(trace)
    return ""


@dataclass(frozen=True)
class Finding:
    """One sentence about a trace's gradients. ``kind`` says what it is about: "largest",
    "dead", "saturated", "flowing" (nothing blocked), "size", "loss" or "no_target"."""

    kind: str
    text: str


def gradient_report(trace: Trace) -> list[Finding]:
    """What the gradients of ``trace`` say: where they are largest, which units pass (almost)
    none and why, how their size changes on the way back, and what the loss means."""
    if trace.target is None or trace.loss is None or _gradients(trace, 1) == ():
        return [
            Finding(
                "no_target",
                "Gradients need a target: the loss, and with it ∂L/∂z, is measured against "
                "a class, so choose one (or the task's right answer) to see them.",
            )
        ]
    return [_largest(trace), *_blocked(trace), _size(trace), _loss(trace)]


def gradient_findings(trace: Trace) -> list[str]:
    """The sentences of :func:`gradient_report`."""
    return [finding.text for finding in gradient_report(trace)]


def _gradients(trace: Trace, layer: int) -> tuple[float, ...]:
    return trace.stages[layer].gradient or ()


def _largest_at(trace: Trace) -> tuple[int, int]:
    """The (layer, unit) of the largest |∂L/∂z| (the input's ∂L/∂x is not a unit's)."""
    spots = [
        (layer, unit)
        for layer in range(1, len(trace.stages))
        for unit in range(len(_gradients(trace, layer)))
    ]
    return max(spots, key=lambda spot: abs(_gradients(trace, spot[0])[spot[1]]))


def _largest(trace: Trace) -> Finding:
    layer, unit = _largest_at(trace)
    value = _gradients(trace, layer)[unit]
    z = unit_label(unit, "z")
    direction = "raising" if value < 0 else "lowering"
    return Finding(
        "largest",
        f"The largest gradient is ∂L/∂{z} = {number(value)}, in {layer_name(trace, layer)}: "
        f"{direction} {z} there would lower the loss fastest.",
    )


def _blocked_units(trace: Trace) -> list[tuple[int, str, list[int]]]:
    """(layer, state, units) for every hidden layer with dead or saturated units."""
    groups = []
    for layer in hidden_layers(trace):
        states = trace.stages[layer].unit_states()
        for state in ("dead", "saturated"):
            units = [unit for unit, s in enumerate(states) if s == state]
            if units:
                groups.append((layer, state, units))
    return groups


def _blocked(trace: Trace) -> list[Finding]:
    """Per hidden layer and state, the units that pass (almost) no gradient, and why."""
    groups = _blocked_units(trace)
    if not groups:
        text = "No hidden unit is dead or saturated: every one passes some gradient back."
        return [Finding("flowing", text)]
    findings = []
    for layer, state, units in groups:
        stage = trace.stages[layer]
        many = len(units) > 1
        are, it = ("are", "them") if many else ("is", "it")
        who = f"In layer {layer}, {stage.name}'s unit{'s' * many} {_and(str(u + 1) for u in units)}"
        # Equal z (a whole row at 9, say) are said once, not four times over.
        pairs = dict.fromkeys(
            ((stage.pre_activation or ())[u], (stage.derivative or ())[u]) for u in units
        )
        if state == "dead":
            zs = _and(number(z) for z, _ in pairs)
            why = f"z = {zs} {'is' if len(pairs) == 1 else 'are'} ≤ 0, so {stage.name}'s slope is 0"
            text = f"{who} {are} dead: {why} and no gradient passes back through {it}."
        else:
            slopes = _and(f"{number(f)} at z = {number(z)}" for z, f in pairs)
            text = (
                f"{who} {are} saturated: {stage.name}'s slope is {slopes}, so almost no "
                f"gradient passes back through {it}."
            )
        findings.append(Finding(state, text))
    return findings


def _size(trace: Trace) -> Finding:
    """How the largest |∂L/∂z| per layer changes from the output back to layer 1."""
    layers = list(range(len(trace.stages) - 1, 0, -1))
    sizes = [max(abs(g) for g in _gradients(trace, layer)) for layer in layers]
    path = " → ".join(number(size) for size in sizes)
    text = f"From the output back to layer 1, the largest |∂L/∂z| per layer goes {path}"
    if sizes[0] == 0:
        return Finding("size", f"{text}: the output is already certain, so nothing flows back.")
    ratio = sizes[-1] / sizes[0]
    if ratio > 3:
        return Finding("size", f"{text}: it grows {_times(ratio)} on the way back.")
    if ratio >= 1 / 3:
        return Finding("size", f"{text}: it keeps about its size on the way back.")
    if ratio == 0:
        change = "it vanishes completely on the way back"
    elif ratio < _VANISHES:
        change = f"it nearly vanishes on the way back ({_times(1 / ratio)} smaller)"
    else:
        change = f"it shrinks {_times(1 / ratio)} on the way back"
    # Layer k's ∂L/∂z is layer k+1's sent back through W, then times layer k's slopes f′(z):
    # the layer where it shrinks most is explained by the slopes there.
    steps = [(sizes[i + 1] / sizes[i], layers[i + 1]) for i in range(len(layers) - 1) if sizes[i]]
    _, worst = min(steps)
    stage = trace.stages[worst]
    slopes = [number(f) for f in stage.derivative or ()]
    said = (
        f"slope is {slopes[0]} for every unit"
        if len(set(slopes)) == 1
        else f"slopes are {_and(slopes)}"
    )
    return Finding("size", f"{text}: {change}, most at layer {worst}, where {stage.name}'s {said}.")


def _times(ratio: float) -> str:
    """A factor as a learner says it: 3.9×, 16×, 8105×; from a million on as the insights
    write large numbers, 1.28e10× (not 12779428442×)."""
    if ratio < 10:
        return f"{ratio:.2g}×"
    return f"{ratio:.0f}×" if ratio < 1e6 else f"{number(ratio)}×"


def _loss(trace: Trace) -> Finding:
    target = trace.target if trace.target is not None else 0
    share = trace.stages[-1].values[target]
    return Finding(
        "loss",
        f"The loss is {number(trace.loss or 0.0)} = −ln {number(share)}: the network gives the "
        f"target, class {target + 1}, {percent(share)}; the loss would be 0 at 100\u00a0%.",
    )


def _gradients_sentence(trace: Trace) -> str:
    """One sentence: the largest gradient and which units pass none."""
    if trace.target is None or _gradients(trace, 1) == ():
        return "Gradients need a target class: the loss is measured against it."
    layer, unit = _largest_at(trace)
    head = (
        f"The largest gradient, ∂L/∂{unit_label(unit, 'z')} = "
        f"{number(_gradients(trace, layer)[unit])}, is in {layer_name(trace, layer)}"
    )
    parts = []
    for at, state, units in _blocked_units(trace):
        many = len(units) > 1
        which = f"unit{'s' * many} {_and(str(u + 1) for u in units)} of {layer_name(trace, at)}"
        passes = "pass" if many else "passes"
        amount = "none" if state == "dead" else "almost none"
        parts.append(f"{which} {'are' if many else 'is'} {state} and {passes} {amount}")
    if not parts:
        return head + "; every hidden unit passes some gradient back."
    return head + "; " + "; ".join(parts) + "."


def _and(words: Iterable[str]) -> str:
    """Words joined as a sentence lists them: a; a and b; a, b and c."""
    items = list(words)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]

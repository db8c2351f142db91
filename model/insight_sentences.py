"""Sentences computed from a trace: the wording helpers and each mode's live sentence.

Every number in these sentences is read from the trace (or the task's rule), never typed in,
and every activation is named from the trace's own pipeline: a learner who picks GELU and
Tanh must never read "ReLU". Numbers are written compactly with a real minus sign (0.5, −1,
0.283) and units with subscript digits (x₂, z₄), as the panels write them.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from model.activations import get_activation
from model.config import TrainingConfig
from model.tasks import TASKS
from model.trace import StageTrace, Trace

_SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
#: Keeps a number and its unit on one line ("30.4 %" never breaks before the "%").
NBSP = "\u00a0"
#: Two z values closer than this are the same point of an activation's curve.
_SAME_Z = 1e-9


def unit_label(index: int, letter: str = "x") -> str:
    """The learner's name of unit ``index`` (0-based): x₁, x₂, … or z₁, z₂, …"""
    return letter + str(index + 1).translate(_SUBSCRIPTS)


def number(value: float) -> str:
    """``value`` compactly: 0.5, −1, 0.283, 0.0514, 1.2e−5; never "1" for 0.9999."""
    if not math.isfinite(value):
        return "NaN" if math.isnan(value) else ("−∞" if value < 0 else "∞")
    size = abs(value)
    if size == 0:
        return "0"
    if size >= 1e6 or size < 1e-4:
        mantissa, exponent = f"{size:.2e}".split("e")
        text = f"{mantissa.rstrip('0').rstrip('.')}e{int(exponent)}"
    else:
        # More digits until a rounding that looks whole is really whole: "Sigmoid squashed
        # 9 to 1" would tell a learner the output reached its limit.
        for digits in range(3, 7):
            text = f"{size:.{digits}f}" if size >= 1 else f"{size:.{digits}g}"
            text = text.rstrip("0").rstrip(".") if "." in text else text
            if float(text) != round(float(text)) or float(text) == size:
                break
        else:
            text = "≈" + text  # within a millionth of a whole number, but not it
    return ("−" if value < 0 else "") + text.replace("-", "−")


def vector(values: Sequence[float]) -> str:
    """A row of values as the panels list them: [2, −1, 0.5, 3]."""
    return "[" + ", ".join(number(v) for v in values) + "]"


def percent(probability: float) -> str:
    """A probability as a percentage with one decimal (30.4 %), two near 0 % and 100 %, and
    "more than 99.99 %" rather than a 100 % that it is not."""
    for digits in (1, 2):
        text = f"{probability * 100:.{digits}f}"
        if 0 < float(text) < 100 or probability in (0.0, 1.0):
            return f"{text}{NBSP}%"
    return f"more than 99.99{NBSP}%" if probability > 0.5 else f"less than 0.01{NBSP}%"


def layer_name(trace: Trace, layer: int) -> str:
    """``layer`` (1-based) as a learner reads it: "layer 2 (Sigmoid)", "Softmax (T = 0.5)"."""
    name = trace.stages[layer].name
    if get_activation(name).normalizes and trace.temperature != 1.0:
        name = f"{name}, T{NBSP}={NBSP}{number(trace.temperature)}"
    return f"layer {layer} ({name})"


def output_name(trace: Trace) -> str:
    """The output activation, with its temperature when that is not 1."""
    name = trace.stages[-1].name
    if trace.temperature == 1.0:
        return name
    return f"{name} with T{NBSP}={NBSP}{number(trace.temperature)}"


def z_label(trace: Trace, layer: int, unit: int) -> str:
    """x₂ where layer 1's z is still the input itself (identity weights), z₂ otherwise."""
    is_input = layer == 1 and trace.stages[layer].pre_activation == trace.stages[0].values
    return unit_label(unit, "x" if is_input else "z")


def activation_name(trace: Trace, layer: int) -> str:
    """The activation of ``layer``, with the layer when two layers share it: "Tanh (layer 1)"."""
    name = trace.stages[layer].name
    return f"{name} (layer {layer})" if trace.activations.count(name) > 1 else name


def ordinal(index: int) -> str:
    """1st, 2nd, 3rd, 4th for 0-based ``index``."""
    return f"{index + 1}{('st', 'nd', 'rd')[index] if index < 3 else 'th'}"


def hidden_layers(trace: Trace) -> range:
    """The 1-based positions of the hidden layers (every layer but the output)."""
    return range(1, len(trace.stages) - 1)


def explore_sentence(trace: Trace) -> str:
    """The most telling change a hidden activation made, then the output's winner."""
    winner = trace.prediction
    share = percent(trace.stages[-1].values[winner])
    return (
        f"{_telling_change(trace)}; {output_name(trace)} gives class {winner + 1} "
        f"the largest share, {share}."
    )


def _telling_change(trace: Trace) -> str:
    """A negative zeroed beats a negative shrunk beats the largest change of all."""
    best: tuple[int, float, int, int] | None = None
    for layer in hidden_layers(trace):
        stage = trace.stages[layer]
        for unit, (z, out) in enumerate(
            zip(stage.pre_activation or (), stage.values, strict=False)
        ):
            rank = 2 if z < 0 and out == 0 else 1 if z < 0 and abs(out) < abs(z) / 2 else 0
            key = (rank, abs(z) if rank else abs(out - z), layer, unit)
            if best is None or key[:2] > best[:2]:
                best = key
    if best is None or best[1] < _SAME_Z:
        names = " and ".join(dict.fromkeys(trace.activations[:-1]))
        return f"{names} left every number unchanged"
    _, _, layer, unit = best
    stage = trace.stages[layer]
    z, out = (stage.pre_activation or ())[unit], stage.values[unit]
    if out == 0 or out * z < 0 or abs(out) >= abs(z):
        verb, joint = "turned", "into"
    elif None not in get_activation(stage.name).output_range:
        verb, joint = "squashed", "to"
    else:
        verb, joint = "shrank", "to"
    label = z_label(trace, layer, unit)
    return f"{activation_name(trace, layer)} {verb} {label} = {number(z)} {joint} {number(out)}"


def step_sentence(trace: Trace) -> str:
    """Which stage changes its numbers the most, and which number it changes most."""
    best = (-1.0, 1, 0)
    for layer in range(1, len(trace.stages)):
        before, after = trace.stages[layer - 1].values, trace.stages[layer].values
        for unit, (old, new) in enumerate(zip(before, after, strict=True)):
            if abs(new - old) > best[0]:
                best = (abs(new - old), layer, unit)
    _, layer, unit = best
    old, new = trace.stages[layer - 1].values[unit], trace.stages[layer].values[unit]
    return (
        f"The biggest change happens in {layer_name(trace, layer)}: its {ordinal(unit)} number "
        f"goes from {number(old)} to {number(new)}."
    )


def compare_sentence(trace: Trace) -> str:
    """The two hidden activations' slopes at one z where they differ the most."""
    layers = list(hidden_layers(trace))
    stages = [trace.stages[layer] for layer in layers]
    if len(stages) != 2 or any(s.derivative is None or s.pre_activation is None for s in stages):
        return ""
    first, second = stages
    if first.name == second.name:
        rows = [vector(s.derivative or ()) for s in stages]
        return (
            f"Both hidden layers use {first.name}, so they share one curve: its slopes at "
            f"this input's z are {rows[0]} in layer {layers[0]} and {rows[1]} in layer "
            f"{layers[1]}."
        )
    shared = _same_z_slopes(trace)
    if shared is not None:
        return shared
    # Trained weights put z between the curves' grid points: each slope at its own z.
    one, two = (s.derivative or () for s in stages)
    unit = max(range(len(one)), key=lambda u: abs(one[u] - two[u]))
    zs = [(s.pre_activation or ())[unit] for s in stages]
    return (
        f"For unit {unit + 1}, {first.name}'s slope is {number(one[unit])} at "
        f"z = {number(zs[0])} (layer {layers[0]}) and {second.name}'s is "
        f"{number(two[unit])} at z = {number(zs[1])} (layer {layers[1]})."
    )


def _same_z_slopes(trace: Trace) -> str | None:
    """Both hidden activations' slopes at the current z where they differ most, when that z
    lies on both autograd curves (as typed inputs through untrained layers do)."""
    first, second = (trace.stages[layer] for layer in hidden_layers(trace))
    best: tuple[float, str] | None = None
    for layer in hidden_layers(trace):
        stage = trace.stages[layer]
        other = second if stage is first else first
        for unit, z in enumerate(stage.pre_activation or ()):
            own, theirs = _slope_on_curve(stage, z), _slope_on_curve(other, z)
            if own is None or theirs is None or (best and abs(own - theirs) <= best[0]):
                continue
            best = (
                abs(own - theirs),
                f"At {unit_label(unit, 'z')} = {number(z)} (layer {layer}) {stage.name}'s "
                f"slope is {number(own)}; {other.name}'s is {number(theirs)}.",
            )
    return None if best is None else best[1]


def _slope_on_curve(stage: StageTrace, z: float) -> float | None:
    """f′(z) of ``stage``'s activation read off its autograd curve, if z is a grid point."""
    curve = stage.curve
    if curve is None or curve.slopes.shape[0] != 1:
        return None
    index = int(abs(curve.z - z).argmin())
    return float(curve.slopes[0][index]) if abs(curve.z[index] - z) < _SAME_Z else None


def right_answer(trace: Trace, config: TrainingConfig) -> int:
    """The task's right class (0-based) for the trace's input."""
    return TASKS[config.task].answer(trace.stages[0].values)


def prediction_is_right(trace: Trace, config: TrainingConfig) -> bool:
    """True when the network's pick is the task's right answer for this input."""
    return trace.prediction == right_answer(trace, config)


def prediction_sentence(trace: Trace, config: TrainingConfig) -> str:
    """The verdict in one sentence: the pick with its probability, the right answer, and
    whether they agree. Classes are 1-based here, as the learner counts them."""
    task = TASKS[config.task]
    pick, answer = trace.prediction, right_answer(trace, config)
    label = unit_label(answer)
    why = (
        f"the {task.answer_rule}, {label}"
        if task.name == task.answer_rule
        else f"the most likely cluster, as {label} is the {task.answer_rule}"
    )
    verdict = "right" if pick == answer else "wrong"
    return (
        f"The network picks class {pick + 1} with {percent(trace.stages[-1].values[pick])}; "
        f"the right answer for this input ({why}) is class {answer + 1}, so it is {verdict}."
    )


def stage_path(trace: Trace) -> str:
    """Every stage in one line: x [2, −1, 0.5, 3] → ReLU [2, 0, 0.5, 3] → …"""
    parts = [f"x {vector(trace.stages[0].values)}"]
    parts += [f"{stage.name} {vector(stage.values)}" for stage in trace.stages[1:-1]]
    parts.append(f"{output_name(trace)} {vector(trace.stages[-1].values)}")
    return " → ".join(parts)


def train_sentence(trace: Trace, config: TrainingConfig) -> str:
    """What the network says now for this input against the task's right answer."""
    pick, answer = trace.prediction, right_answer(trace, config)
    text = (
        f"Now the network picks class {pick + 1} ({percent(trace.stages[-1].values[pick])}) "
        "for this input"
    )
    text += (
        ", the right answer" if pick == answer else f", but the right answer is class {answer + 1}"
    )
    if trace.target is not None and trace.loss is not None:
        text += f" (loss {number(trace.loss)} against class {trace.target + 1})"
    return text + "."


def code_sentence(trace: Trace) -> str:
    """The output layer's PyTorch call and what it gives for this input; once the weights
    have moved, that the script gives these numbers with the current weights only."""
    output = get_activation(trace.stages[-1].name)
    scores = "z" if trace.temperature == 1.0 else f"z / {trace.temperature:g}"
    call = f"torch.{output.torch_path}({scores}, dim=-1)"
    values = vector(trace.stages[-1].values)
    if is_untrained(trace):
        return f"For this input the last line of the forward pass, {call}, gives {values}."
    return (
        f'These weights are trained: with "Use the current weights" ticked, the '
        f"script's {call} gives the Softmax panel's {values}."
    )


def is_untrained(trace: Trace) -> bool:
    """True when every layer still has identity weights and zero biases."""
    for stage in trace.stages[1:]:
        if stage.weight is None or stage.bias is None:
            return False
        size = len(stage.weight)
        identity = all(
            stage.weight[row][column] == (1.0 if row == column else 0.0)
            for row in range(size)
            for column in range(len(stage.weight[row]))
        )
        if not identity or any(b != 0.0 for b in stage.bias):
            return False
    return True


#: A lead of fewer points than this over the runner-up is called narrow.
NARROW_LEAD = 0.1


def margin_sentence(trace: Trace) -> str:
    """How far the winning class leads the runner-up: confidence, not correctness."""
    probabilities = trace.stages[-1].values
    ranked = sorted(range(len(probabilities)), key=probabilities.__getitem__, reverse=True)
    first, second = ranked[0], ranked[1]
    lead = probabilities[first] - probabilities[second]
    points = f"{lead * 100:.1f}".rstrip("0").rstrip(".")
    start = f"Class {first + 1} leads class {second + 1} by {points} percentage points"
    if lead < NARROW_LEAD:
        return f"{start}: a narrow lead, which a small change to the input could flip."
    return f"{start}: a confident answer, though confidence is not the same as being right."

"""The forward pass one stage at a time, with every stage's arithmetic written out.

Step-through mode shows, for one unit the learner picks, how each number of a trace was made:
``z = W·x + b`` term by term, then the activation with that z filled in, and Softmax as the
fraction of every ``e^(z/T)`` over their sum. The numbers shown as inputs and results are the
trace's own (so the page never disagrees with the bars); the intermediates are recomputed here
from them, and each step keeps its recomputed final value beside the trace's so a test can
check that the written-out arithmetic really arrives at what the network computed.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from model.activations import get_activation
from model.trace import StageTrace, Trace

#: ``exp`` overflows a float beyond this; the written-out forms fall back before it.
_EXP_LIMIT = 709.0
#: PyTorch's softplus returns z itself above this (β = 1): ln(1 + eᶻ) differs by < 2.1e-9.
SOFTPLUS_THRESHOLD = 20.0
_SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
_SUPERSCRIPTS = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")
#: Where a continued equation's next line starts: under the first line's "=".
_MORE = "   = "


@dataclass(frozen=True)
class Step:
    """One stage of the forward pass for one unit, as data and as lines of arithmetic.

    ``numbers`` holds every number the lines use, by name (``"z"``, ``"b"``, ``"x1"``,
    ``"w1·x1"``, ``"e1"``, ``"sum"``, …). ``result`` is the final value recomputed from the
    intermediates; ``expected`` is the trace's value, which the last line shows (both None for
    the input stage). ``emphasis`` lists the lines to draw stronger (the result, the unit's
    own Softmax term).
    """

    key: str
    label: str
    chip: str
    title: str
    explanation: str
    lines: tuple[str, ...]
    numbers: Mapping[str, float]
    result: float | None = None
    expected: float | None = None
    emphasis: tuple[int, ...] = ()

    @property
    def text(self) -> str:
        """The arithmetic as plain text, one line of the equation per line."""
        return "\n".join(self.lines)


def number(value: float) -> str:
    """``value`` to 3 decimals with a real minus sign; × 10ⁿ where 3 decimals would hide it."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "∞" if value > 0 else "−∞"
    if value != 0 and not 5e-4 <= abs(value) < 1e6:
        mantissa, exponent = f"{value:.3e}".split("e")
        text = f"{mantissa} × 10{str(int(exponent)).translate(_SUPERSCRIPTS)}"
    else:
        text = f"{value:.3f}"
        if float(text) == 0:
            text = text.lstrip("-")  # a rounded zero has no sign
    return text.replace("-", "−")


def _factor(value: float) -> str:
    """A number in a product or fraction, bracketed when negative or × 10ⁿ: 1.000 × (−1.000)."""
    text = number(value)
    return f"({text})" if text.startswith("−") or " " in text else text


def _power(value: float) -> str:
    """e raised to ``value``: e^−0.500, with brackets around a × 10ⁿ exponent."""
    text = number(value)
    return f"e^({text})" if " " in text else f"e^{text}"


def _sum_text(terms: list[float]) -> str:
    """Terms joined by + and −: 0.000 − 1.000 + 0.500."""
    text = number(terms[0])
    for term in terms[1:]:
        written = number(term)
        text += f" − {written[1:]}" if written.startswith("−") else f" + {written}"
    return text


def _exp(value: float) -> float:
    return math.exp(value) if value < _EXP_LIMIT else math.inf


def _sub(index: int) -> str:
    """A 1-based subscript: 0 → ₁."""
    return str(index + 1).translate(_SUBSCRIPTS)


# An activation written out: its lines (all but the final value, which the caller adds),
# the intermediates by name, and the output recomputed from them.
Written = tuple[list[str], dict[str, float], float]


def _relu(z: float, zs: str, out: str) -> Written:
    return [f"{out} = max(0, {zs})", f"{_MORE}max(0, {number(z)})"], {}, max(0.0, z)


def _leaky_relu(z: float, zs: str, out: str) -> Written:
    slope = float(get_activation("LeakyReLU").kwargs["negative_slope"])
    small = slope * z
    lines = [
        f"{out} = max({slope:g}·{zs}, {zs})",
        f"{_MORE}max({slope:g} × {_factor(z)}, {number(z)})",
        f"{_MORE}max({number(small)}, {number(z)})",
    ]
    return lines, {"slope·z": small}, max(small, z)


def _elu(z: float, zs: str, out: str) -> Written:
    if z > 0:
        return [f"{out} = {zs} because {zs} = {number(z)} > 0"], {}, z
    power = _exp(z)
    lines = [
        f"{out} = e^{zs} − 1 because {zs} = {number(z)} ≤ 0",
        f"{_MORE}{_power(z)} − 1",
        f"{_MORE}{number(power)} − 1",
    ]
    return lines, {"e^z": power}, power - 1.0


def _gelu(z: float, zs: str, out: str) -> Written:
    scaled = z / math.sqrt(2.0)
    erf = math.erf(scaled)
    # erfc keeps Φ's digits far below 0, where 1 + erf cancels to nothing.
    phi = 0.5 * math.erfc(-scaled)
    lines = [
        f"{out} = {zs} · Φ({zs}), where Φ(z) = ½·(1 + erf(z / √2))",
        f"Φ({zs}) = ½·(1 + erf({number(scaled)}))",
        f"{_MORE}½·(1 {'−' if erf < 0 else '+'} {number(abs(erf))})",
        f"{_MORE}{number(phi)}",
        f"{out} = {number(z)} × {_factor(phi)}",
    ]
    return lines, {"z/√2": scaled, "erf": erf, "Φ(z)": phi}, z * phi


def _sigmoid_lines(z: float, name: str) -> tuple[list[str], float, float]:
    power = _exp(-z)
    sigma = 1.0 / (1.0 + power)
    lines = [
        f"{name}1 / (1 + {_power(-z)})",
        f"{_MORE}1 / (1 + {number(power)})",
    ]
    return lines, power, sigma


def _silu(z: float, zs: str, out: str) -> Written:
    lines, power, sigma = _sigmoid_lines(z, f"σ({zs}) = ")
    lines = [f"{out} = {zs} · σ({zs}), where σ(z) = 1 / (1 + e^−z)", *lines]
    lines += [f"{_MORE}{number(sigma)}", f"{out} = {number(z)} × {_factor(sigma)}"]
    return lines, {"e^−z": power, "σ(z)": sigma}, z * sigma


def _sigmoid(z: float, zs: str, out: str) -> Written:
    lines, power, sigma = _sigmoid_lines(z, _MORE)
    return [f"{out} = 1 / (1 + e^−{zs})", *lines], {"e^−z": power}, sigma


def _softplus(z: float, zs: str, out: str) -> Written:
    if z > SOFTPLUS_THRESHOLD:
        lines = [
            f"{out} = ln(1 + e^{zs}) ≈ {zs} because {zs} = {number(z)} > 20",
            "   (they differ by less than 10⁻⁸: PyTorch returns z itself there)",
        ]
        return lines, {}, z
    power = _exp(z)
    lines = [
        f"{out} = ln(1 + e^{zs})",
        f"{_MORE}ln(1 + {_power(z)})",
        f"{_MORE}ln(1 + {number(power)})",
        f"{_MORE}ln({number(1.0 + power)})",
    ]
    return lines, {"e^z": power}, math.log1p(power)


def _tanh(z: float, zs: str, out: str) -> Written:
    first = f"{out} = (e^{zs} − e^−{zs}) / (e^{zs} + e^−{zs})"
    if abs(z) >= _EXP_LIMIT:
        sign = "" if z > 0 else "−"
        return (
            [first, f"{_MORE}{sign}1: at |z| this large, e^−|z| is nothing beside e^|z|"],
            {},
            math.tanh(z),
        )
    up, down = math.exp(z), math.exp(-z)
    lines = [
        first,
        f"{_MORE}({_power(z)} − {_power(-z)}) / ({_power(z)} + {_power(-z)})",
        f"{_MORE}({number(up)} − {number(down)}) / ({number(up)} + {number(down)})",
        f"{_MORE}{number(up - down)} / {number(up + down)}",
    ]
    return lines, {"e^z": up, "e^−z": down}, (up - down) / (up + down)


def _identity(z: float, zs: str, out: str) -> Written:
    return [f"{out} = {zs}"], {}, z


_WRITERS: dict[str, Callable[[float, str, str], Written]] = {
    "ReLU": _relu,
    "LeakyReLU": _leaky_relu,
    "ELU": _elu,
    "GELU": _gelu,
    "SiLU": _silu,
    "Softplus": _softplus,
    "Tanh": _tanh,
    "Sigmoid": _sigmoid,
    "Identity": _identity,
}


def build_steps(trace: Trace, unit: int) -> tuple[Step, ...]:
    """Every step of ``trace``'s forward pass for ``unit`` (0-based): the input, then per
    layer its weighted sum and its activation."""
    width = len(trace.stages[0].values)
    if not 0 <= unit < width:
        raise ValueError(f"the unit must be 0-{width - 1}, not {unit}")
    steps = [_input_step(trace.stages[0])]
    for layer, stage in enumerate(trace.stages[1:], start=1):
        steps.append(_sum_step(layer, trace.stages[layer - 1], stage, unit))
        steps.append(_activation_step(layer, stage, unit, trace.temperature))
    return tuple(steps)


def step_count(layers: int) -> int:
    """How many steps a network of ``layers`` layers has: the input, then two per layer."""
    return 1 + 2 * layers


def _input_step(stage: StageTrace) -> Step:
    return Step(
        key="input",
        label="Input",
        chip="Input",
        title="Input",
        explanation="The numbers in the input cells. Every unit of layer 1 reads all of them, "
        "each through its own weight.",
        lines=tuple(f"x{_sub(i)} = {number(x)}" for i, x in enumerate(stage.values)),
        numbers={f"x{i + 1}": x for i, x in enumerate(stage.values)},
    )


def _sum_step(layer: int, previous: StageTrace, stage: StageTrace, unit: int) -> Step:
    if stage.weight is None or stage.bias is None or stage.pre_activation is None:
        raise ValueError(f"layer {layer} of the trace has no weights or no z")
    j = _sub(unit)
    xs = previous.values
    weights = [float(w) for w in stage.weight[unit]]
    bias = float(stage.bias[unit])
    terms = [w * x for w, x in zip(weights, xs, strict=True)]
    names = [f"w{j}{_sub(i)}·x{_sub(i)}" for i in range(len(xs))]
    lines = [f"z{j} = {' + '.join(names)} + b{j}"]
    lines += [
        f"{name} = {number(w)} × {_factor(x)} = {number(t)}"
        for name, w, x, t in zip(names, weights, xs, terms, strict=True)
    ]
    z = stage.pre_activation[unit]
    lines += [f"b{j} = {number(bias)}", f"z{j} = {_sum_text([*terms, bias])}", _MORE + number(z)]
    numbers = {"b": bias, "z": z}
    for i, (w, x, t) in enumerate(zip(weights, xs, terms, strict=True), start=1):
        numbers |= {f"x{i}": x, f"w{i}": w, f"w{i}·x{i}": t}
    source = (
        "its inputs"
        if previous.pre_activation is None
        else f"layer {layer - 1}'s outputs (x here is what {previous.name} passed on)"
    )
    return Step(
        key=f"layer{layer}_sum",
        label=f"Layer {layer} weighted sum",
        chip=f"{layer}: W·x + b",
        title=f"Layer {layer}: weighted sum",
        explanation=f"Unit {unit + 1} of layer {layer} multiplies each of {source} by its own "
        f"weight (row {unit + 1} of W), then adds the products and its bias b{j}: that is "
        f"its score z{j}.",
        lines=tuple(lines),
        numbers=numbers,
        result=math.fsum(terms) + bias,
        expected=z,
        emphasis=(len(lines) - 1,),
    )


def _activation_step(layer: int, stage: StageTrace, unit: int, temperature: float) -> Step:
    if stage.pre_activation is None:
        raise ValueError(f"layer {layer} of the trace has no z")
    j = _sub(unit)
    z = stage.pre_activation[unit]
    value = stage.values[unit]
    if get_activation(stage.name).normalizes:
        lines, numbers, result = _softmax(stage.pre_activation, unit, temperature)
        words = _softmax_words(unit, temperature)
        # The unit's own e-term: the lines end with Σ, the fraction and its value.
        emphasis: tuple[int, ...] = (len(lines) - 2 - len(stage.values) + unit,)
        numbers |= {"p": value}
    else:
        lines, numbers, result = _WRITERS[stage.name](z, f"z{j}", f"a{j}")
        words = f"{_activation_words(stage.name, z, unit)}. Its output a{j} is one of the "
        words += f"inputs of layer {layer + 1}."
        emphasis = ()
        numbers |= {"a": value}
    lines.append(_MORE + number(value))
    return Step(
        key=f"layer{layer}_activation",
        label=f"Layer {layer} activation",
        chip=f"{layer}: {stage.name}",
        title=f"Layer {layer}: activation ({stage.name})",
        explanation=words,
        lines=tuple(lines),
        numbers={"z": z, **numbers},
        result=result,
        expected=value,
        emphasis=(*emphasis, len(lines) - 1),
    )


def _activation_words(name: str, z: float, unit: int) -> str:
    if name != "ReLU":
        return get_activation(name).meaning
    j = _sub(unit)
    if z > 0:
        return f"z{j} is positive, so ReLU passes it on unchanged"
    return (
        f"z{j} is not positive, so ReLU outputs 0: unit {unit + 1} passes nothing on for "
        "this input, and no gradient flows back through it"
    )


def _softmax_words(unit: int, temperature: float) -> str:
    words = ""
    if temperature != 1.0:
        change = "sharpens" if temperature < 1 else "evens out"
        words = f"Each score is first divided by the temperature T = {number(temperature)}: "
        words += f"a T {'below' if temperature < 1 else 'above'} 1 {change} their differences. "
    return (
        f"{words}Softmax turns the scores into probabilities: p{_sub(unit)} is unit "
        f"{unit + 1}'s own exponential over the sum of them all, so they add up to 1."
    )


def _softmax(zs: tuple[float, ...], unit: int, temperature: float) -> Written:
    j = _sub(unit)
    scores = [z / temperature for z in zs]
    # e^(z/T) overflows past 709: then every exponent is shifted by the largest score, which
    # cancels in the fraction (PyTorch always computes it so).
    shift = max(scores) if not -_EXP_LIMIT < max(scores) < _EXP_LIMIT else 0.0
    powers = [_exp(s - shift) for s in scores]
    total = math.fsum(powers)
    cooled = temperature != 1.0
    if cooled:
        lines = [f"p{j} = e^(z{j}/T) / Σⱼ e^(zⱼ/T), with T = {number(temperature)}"]
    else:
        everything = " + ".join(f"e^z{_sub(i)}" for i in range(len(zs)))
        lines = [f"p{j} = e^z{j} / ({everything})"]
    if shift:
        lines.append(f"m = largest z/T = {number(shift)}: taken from every exponent (it cancels)")
    for i, (z, s, power) in enumerate(zip(zs, scores, powers, strict=True)):
        name = (
            f"e^(z{_sub(i)}/T − m)" if shift else f"e^(z{_sub(i)}/T)" if cooled else f"e^z{_sub(i)}"
        )
        middle = f"e^({number(z)}/{number(temperature)}) = " if cooled and not shift else ""
        lines.append(f"{name} = {middle}{_power(s - shift)} = {number(power)}")
    lines.append(f"Σ = {' + '.join(number(p) for p in powers)} = {number(total)}")
    lines.append(f"p{j} = {_factor(powers[unit])} / {_factor(total)}")
    numbers = {f"z{i + 1}": z for i, z in enumerate(zs)}
    numbers |= {f"e{i + 1}": p for i, p in enumerate(powers)}
    numbers |= {"T": temperature, "m": shift, "sum": total}
    return lines, numbers, powers[unit] / total

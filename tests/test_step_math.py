"""The step-through arithmetic: every number written out is the trace's, and the written-out
intermediates really arrive at what the network computed.

Expected values come from the trace (what the bars show) and from the independent numpy
reference (``numpy_reference``), never from ``model.step_math`` itself.
"""

from __future__ import annotations

import math

import numpy as np
import numpy_reference as ref
import pytest
import torch

from model.activations import HIDDEN_ACTIVATIONS
from model.config import DEFAULT_INPUTS
from model.network import ActivationNet, trace_inputs
from model.step_math import Step, build_steps, number
from model.trace import Trace

TOLERANCE = 1e-9
TITLES = (
    "Input",
    "Layer 1: weighted sum",
    "Layer 1: activation (ReLU)",
    "Layer 2: weighted sum",
    "Layer 2: activation (Sigmoid)",
    "Layer 3: weighted sum",
    "Layer 3: activation (Softmax)",
)


def random_trace(activations: tuple[str, ...], seed: int, temperature: float = 1.0) -> Trace:
    """A trace through random weights and biases (none of them 0 or 1)."""
    net = ActivationNet(activations, temperature=temperature)
    generator = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for parameter in net.parameters():
            parameter.copy_(torch.randn(parameter.shape, generator=generator, dtype=torch.float64))
    return net.trace([0.7, -1.3, 2.1, -0.4], target=1)


def check_against_trace(trace: Trace) -> int:
    """Every step of every unit against the trace and the numpy reference; returns how
    many numbers were compared (so a caller can see the check really ran)."""
    compared = 0
    for unit in range(4):
        steps = build_steps(trace, unit)
        assert len(steps) == 1 + 2 * (len(trace.stages) - 1)
        assert steps[0].numbers == {f"x{i + 1}": x for i, x in enumerate(trace.stages[0].values)}
        for layer, stage in enumerate(trace.stages[1:], start=1):
            assert stage.weight is not None
            assert stage.bias is not None
            assert stage.pre_activation is not None
            weighted, activated = steps[2 * layer - 1], steps[2 * layer]
            inputs = np.array(trace.stages[layer - 1].values)
            z = stage.pre_activation[unit]
            # z = Σ w·x + b, by numpy from the trace's own weights and inputs.
            by_numpy = float(stage.weight[unit] @ inputs + stage.bias[unit])
            assert weighted.numbers["z"] == z
            assert weighted.result == pytest.approx(z, abs=TOLERANCE)
            assert by_numpy == pytest.approx(z, abs=TOLERANCE)
            for i in range(4):
                assert weighted.numbers[f"x{i + 1}"] == inputs[i]
                assert weighted.numbers[f"w{i + 1}"] == stage.weight[unit, i]
                assert weighted.numbers[f"w{i + 1}·x{i + 1}"] == pytest.approx(
                    stage.weight[unit, i] * inputs[i], abs=TOLERANCE
                )
            # The activation: the trace's value, what the reference computes, and the
            # written-out arithmetic all agree.
            value = stage.values[unit]
            reference = ref.apply(stage.name, np.array(stage.pre_activation), trace.temperature)
            assert activated.expected == value
            assert activated.result == pytest.approx(value, abs=TOLERANCE)
            assert float(reference[unit]) == pytest.approx(value, abs=TOLERANCE)
            for step in (weighted, activated):
                assert step.lines[-1].endswith(number(step.expected or 0.0))
                assert step.lines[-1].strip().startswith("=")
            compared += 14
    return compared


def learner_text(step: Step) -> str:
    return "\n".join((step.title, step.explanation, *step.lines))


def test_default_trace_steps_are_the_traces_numbers() -> None:
    trace = trace_inputs(DEFAULT_INPUTS, target=0)
    assert check_against_trace(trace) == 4 * 3 * 14
    assert tuple(step.title for step in build_steps(trace, 0)) == TITLES
    labels = [step.label for step in build_steps(trace, 0)]
    assert labels[2] == "Layer 1 activation"


def test_relu_step_writes_out_the_dead_unit() -> None:
    """Unit 2 of the default input has z = −1: ReLU's max(0, −1.000) = 0."""
    steps = build_steps(trace_inputs(DEFAULT_INPUTS), 1)
    weighted, relu = steps[1], steps[2]
    assert "w₂₂·x₂ = 1.000 × (−1.000) = −1.000" in weighted.lines
    assert "w₂₁·x₁ = 0.000 × 2.000 = 0.000" in weighted.lines
    assert weighted.lines[-1] == "   = −1.000"
    assert relu.lines == ("a₂ = max(0, z₂)", "   = max(0, −1.000)", "   = 0.000")
    assert relu.result == 0.0
    assert "ReLU outputs 0" in relu.explanation


def test_sigmoid_step_matches_the_handout() -> None:
    """Unit 3 of the default input: σ(0.5) = 1 / (1 + e^−0.500) = 1 / (1 + 0.607) = 0.622."""
    sigmoid = build_steps(trace_inputs(DEFAULT_INPUTS), 2)[4]
    assert sigmoid.lines[1:] == (
        "   = 1 / (1 + e^−0.500)",
        "   = 1 / (1 + 0.607)",
        "   = 0.622",
    )
    assert sigmoid.numbers["e^−z"] == pytest.approx(math.exp(-0.5), abs=1e-15)


@pytest.mark.parametrize("temperature", [1.0, 0.5, 3.0])
def test_softmax_step_lists_every_term_and_their_sum(temperature: float) -> None:
    trace = trace_inputs(DEFAULT_INPUTS, temperature=temperature)
    zs = np.array(trace.stages[-1].pre_activation)
    powers = np.exp(zs / temperature)
    for unit in range(4):
        softmax = build_steps(trace, unit)[-1]
        terms = [line for line in softmax.lines if line.startswith("e^")]
        assert len(terms) == 4
        for i, (line, power) in enumerate(zip(terms, powers, strict=True)):
            assert softmax.numbers[f"e{i + 1}"] == pytest.approx(power, rel=1e-12)
            assert line.endswith(f"= {number(power)}")
        assert softmax.numbers["sum"] == pytest.approx(powers.sum(), rel=1e-12)
        assert f"= {number(powers.sum())}" in softmax.lines[-3]
        fraction = f"{number(powers[unit])} / {number(powers.sum())}"
        assert softmax.lines[-2] == f"p{'₁₂₃₄'[unit]} = {fraction}"
        assert softmax.result == pytest.approx(trace.stages[-1].values[unit], abs=TOLERANCE)
        assert softmax.result == pytest.approx(powers[unit] / powers.sum(), abs=TOLERANCE)
        # The unit's own term is drawn stronger, with the result.
        assert softmax.lines[softmax.emphasis[0]] == terms[unit]
        assert softmax.emphasis[-1] == len(softmax.lines) - 1
        shows_t = f"T = {number(temperature)}" in softmax.lines[0]
        assert shows_t == (temperature != 1.0)


@pytest.mark.parametrize("name", HIDDEN_ACTIVATIONS)
def test_every_hidden_activation_through_random_weights(name: str) -> None:
    assert check_against_trace(random_trace((name, name, "Softmax"), seed=7)) > 0
    assert check_against_trace(
        random_trace(("Identity", name, "Softmax"), seed=11, temperature=0.3)
    )


@pytest.mark.parametrize("name", HIDDEN_ACTIVATIONS)
def test_extreme_inputs_stay_exact(name: str) -> None:
    """Far beyond where e^z overflows, and past softplus's threshold, the steps still agree."""
    trace = trace_inputs([30.0, -30.0, 800.0, -800.0], (name, "Identity", "Softmax"), 0.05)
    check_against_trace(trace)
    for step in build_steps(trace, 2):
        assert "NaN" not in learner_text(step)


def test_huge_scores_are_shifted_by_the_largest() -> None:
    """z/T = 16 000 would overflow e^(z/T): the step subtracts the largest score, m."""
    trace = trace_inputs([2.0, -1.0, 800.0, 3.0], ("Identity", "Identity", "Softmax"), 0.05)
    softmax = build_steps(trace, 0)[-1]
    assert softmax.numbers["m"] == pytest.approx(16_000.0)
    assert any(line.startswith("m = largest z/T") for line in softmax.lines)
    assert softmax.numbers["sum"] == pytest.approx(1.0)  # e^0 for the largest, the rest ≈ 0
    assert softmax.result == pytest.approx(trace.stages[-1].values[0], abs=TOLERANCE)


def test_learner_text_uses_real_minus_signs() -> None:
    trace = random_trace(("ELU", "Tanh", "Softmax"), seed=3, temperature=0.5)
    texts = [learner_text(step) for unit in range(4) for step in build_steps(trace, unit)]
    assert all("-" not in text for text in texts)
    assert any("−" in text for text in texts)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (0.6224593, "0.622"),
        (-1.0, "−1.000"),
        (-0.0001, "−1.000 × 10⁻⁴"),
        (-0.0, "0.000"),
        (2.073e29, "2.073 × 10²⁹"),
        (999_999.0, "999999.000"),
    ],
)
def test_number_spelling(value: float, text: str) -> None:
    assert number(value) == text


def test_unit_out_of_range_is_refused() -> None:
    with pytest.raises(ValueError, match="0-3"):
        build_steps(trace_inputs(DEFAULT_INPUTS), 4)

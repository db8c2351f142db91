"""Key insights, the prediction verdict and the gradient findings, from real traces.

The numbers the sentences must contain are computed here with the shared numpy reference
(or by hand), never read back from the code under test.
"""

from __future__ import annotations

import re

import numpy as np
import numpy_reference as ref
import pytest
import torch

from model.activations import ACTIVATIONS, DEFAULT_ACTIVATIONS, HIDDEN_ACTIVATIONS
from model.config import DEFAULT_INPUTS, TrainingConfig
from model.insight_sentences import number, percent, stage_path, vector
from model.insights import (
    fixed_insight,
    gradient_findings,
    gradient_report,
    live_insight,
    prediction_is_right,
    prediction_sentence,
)
from model.modes import MODE_NAMES
from model.network import ActivationNet, trace_inputs

SMALLEST = TrainingConfig(task="smallest")
LARGEST = TrainingConfig(task="largest")
#: A sentence ends at ".", "!" or "?" followed by a space or the end (not inside "0.5").
SENTENCE_END = re.compile(r"[.!?](?:\s|$)")


def sentences(text: str) -> int:
    return len(SENTENCE_END.findall(text.strip()))


def named_activations(text: str) -> set[str]:
    """Every registered activation named in ``text`` ("ReLU" inside "LeakyReLU" is not)."""
    return {name for name in ACTIVATIONS if re.search(rf"(?<![A-Za-z]){name}\b", text)}


def reference_output(inputs, activations=DEFAULT_ACTIVATIONS, temperature=1.0):  # type: ignore[no-untyped-def]
    """The untrained network's stages by the numpy reference: identity weights, zero bias."""
    layers = [(np.eye(4), np.zeros(4)) for _ in activations]
    zs, outputs = ref.forward(layers, activations, np.array(inputs), temperature)
    return zs, outputs


# Fixed insights ---------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", MODE_NAMES)
def test_every_mode_has_a_fixed_insight_of_one_to_three_sentences(mode: str) -> None:
    text = fixed_insight(mode)
    assert 1 <= sentences(text) <= 3, text
    assert text.endswith("."), text
    # It is shown as rich text after "Key insight.": markup characters would be eaten.
    assert "<" not in text
    assert "&" not in text


def test_explore_insight_says_what_each_default_activation_does_and_why() -> None:
    text = fixed_insight("explore")
    assert {"ReLU", "Sigmoid", "Softmax"} <= named_activations(text)
    assert "negative" in text
    assert "(0, 1)" in text
    assert "probabilities" in text
    assert "linear" in text  # why: without them the layers collapse into one linear map
    assert fixed_insight("presenter") == text


def test_fixed_insights_differ_per_mode() -> None:
    texts = [fixed_insight(mode) for mode in MODE_NAMES if mode != "presenter"]
    assert len(set(texts)) == len(texts)


# Live sentences ---------------------------------------------------------------------------------


def test_default_input_explore_sentence_names_the_zeroed_negative_and_the_winner() -> None:
    trace = trace_inputs(DEFAULT_INPUTS)
    _, outputs = reference_output(DEFAULT_INPUTS)
    probabilities = outputs[-1]
    winner = int(np.argmax(probabilities))
    text = live_insight("explore", trace, SMALLEST)
    assert text.startswith("ReLU turned x₂ = −1 into 0;"), text
    assert f"class {winner + 1}" in text
    assert "class 4" in text
    assert f"{probabilities[winner] * 100:.1f}\u00a0%" in text  # 30.4 %
    assert sentences(text) == 1
    assert live_insight("presenter", trace, SMALLEST) == text


def test_live_sentences_follow_the_input() -> None:
    default = trace_inputs(DEFAULT_INPUTS)
    changed = trace_inputs((2.0, -4.0, 0.5, 3.0))
    positive = trace_inputs((2.0, 1.0, 0.5, 3.0))
    assert "ReLU turned x₂ = −4 into 0" in live_insight("explore", changed, SMALLEST)
    no_negative = live_insight("explore", positive, SMALLEST)
    assert "into 0" not in no_negative
    assert "Sigmoid squashed z₄ = 3 to 0.953" in no_negative  # σ(3) = 0.9526
    # ReLU maps −1 and −4 to the same 0: a change that also moves the winner.
    moved = trace_inputs((2.0, -1.0, 5.0, 3.0))
    for mode in ("explore", "step", "compare", "train", "predict", "code"):
        assert live_insight(mode, default, SMALLEST) != live_insight(mode, moved, SMALLEST), mode


def test_step_sentence_names_the_stage_with_the_biggest_change() -> None:
    _zs, outputs = reference_output(DEFAULT_INPUTS)
    inputs = [np.array(DEFAULT_INPUTS), *outputs[:-1]]
    changes = [np.abs(out - before).max() for before, out in zip(inputs, outputs, strict=True)]
    layer = int(np.argmax(changes)) + 1
    assert layer == 2  # Sigmoid: 3 → 0.953 moves a number furthest
    text = live_insight("step", trace_inputs(DEFAULT_INPUTS), SMALLEST)
    assert f"layer {layer} (Sigmoid)" in text
    assert f"from 3 to {number(float(ref.sigmoid(np.array(3.0))))}" in text


def test_compare_sentence_gives_both_slopes_at_one_z() -> None:
    text = live_insight("compare", trace_inputs(DEFAULT_INPUTS), SMALLEST)
    # At z = 3 ReLU's slope is 1 and Sigmoid's σ(3)(1 − σ(3)) = 0.0452: the widest gap.
    sigmoid_slope = float(ref.sigmoid_slope(np.array(3.0)))
    assert text == f"At z₄ = 3 (layer 1) ReLU's slope is 1; Sigmoid's is {number(sigmoid_slope)}."
    assert number(sigmoid_slope) == "0.0452"


def test_compare_sentence_with_trained_weights_gives_each_slope_at_its_own_z() -> None:
    torch.manual_seed(3)
    net = ActivationNet(("Tanh", "GELU", "Softmax"))
    net.load_flat_weights(net.flat_weights() + 0.137 * torch.randn_like(net.flat_weights()))
    trace = net.trace(DEFAULT_INPUTS)
    text = live_insight("compare", trace, SMALLEST)
    assert text.startswith("For unit "), text
    assert named_activations(text) == {"Tanh", "GELU"}
    unit = int(text.split()[2].rstrip(",")) - 1
    for layer in (1, 2):
        stage = trace.stages[layer]
        assert stage.pre_activation is not None
        assert stage.derivative is not None
        z = stage.pre_activation[unit]
        expected = ref.slope(stage.name, np.array(z))
        assert f"{number(float(expected))} at z = {number(z)} (layer {layer})" in text


def test_train_sentence_compares_the_pick_with_the_right_answer() -> None:
    trace = trace_inputs(DEFAULT_INPUTS, target=1)
    wrong = live_insight("train", trace, SMALLEST)
    assert "picks class 4" in wrong
    assert "the right answer is class 2" in wrong
    loss = -np.log(reference_output(DEFAULT_INPUTS)[1][-1][1])
    assert f"loss {loss:.3f} against class 2" in wrong
    right = live_insight("train", trace_inputs(DEFAULT_INPUTS), LARGEST)
    assert "picks class 4" in right
    assert "the right answer" in right
    assert "but" not in right


def test_quiz_gives_nothing_away_and_code_names_the_torch_call() -> None:
    trace = trace_inputs(DEFAULT_INPUTS, temperature=0.5)
    assert live_insight("quiz", trace, SMALLEST) == ""
    code = live_insight("code", trace, SMALLEST)
    assert "torch.softmax(z / 0.5, dim=-1)" in code
    assert vector(trace.stages[-1].values) in code


@pytest.mark.parametrize("hidden", HIDDEN_ACTIVATIONS)
@pytest.mark.parametrize("temperature", [1.0, 0.5, 4.0])
def test_every_hidden_activation_and_temperature_gets_sentences_in_its_own_names(
    hidden: str, temperature: float
) -> None:
    for pipeline in ((hidden, "Sigmoid", "Softmax"), (hidden, hidden, "Softmax")):
        config = TrainingConfig(activations=pipeline, temperature=temperature)
        for target in (None, 1):
            trace = trace_inputs((2.0, -1.0, 0.5, 3.0), pipeline, temperature, target)
            for mode in MODE_NAMES:
                text = live_insight(mode, trace, config)
                assert (text == "") == (mode == "quiz"), (mode, pipeline, text)
                assert named_activations(text) <= set(pipeline), (mode, pipeline, text)
                assert "-" not in text.replace("dim=-1", ""), text  # real minus signs
            for text in (*gradient_findings(trace), prediction_sentence(trace, config)):
                assert named_activations(text) <= set(pipeline), text
        explore = live_insight("explore", trace, config)
        assert named_activations(explore) & set(pipeline[:2]), explore  # what changed it
        if temperature != 1.0:
            assert f"Softmax with T\u00a0=\u00a0{temperature:g}" in explore
    # Two layers with one activation: the sentence names it and says which layer it means.
    assert hidden in explore, explore
    assert "(layer " in explore or "unchanged" in explore, explore
    gradients = live_insight("gradients", trace, config)
    assert "∂L/∂z" in gradients, gradients


def test_non_finite_trace_gives_no_sentence() -> None:
    trace = trace_inputs((float("nan"), 1.0, 0.5, 3.0))
    assert live_insight("explore", trace, SMALLEST) == ""


# The prediction verdict -----------------------------------------------------------------------


def test_verdict_for_the_smallest_task_is_wrong_for_the_untrained_network() -> None:
    trace = trace_inputs(DEFAULT_INPUTS)
    assert not prediction_is_right(trace, SMALLEST)
    p = reference_output(DEFAULT_INPUTS)[1][-1]
    assert prediction_sentence(trace, SMALLEST) == (
        f"The network picks class 4 with {p[3] * 100:.1f}\u00a0%; the right answer for this "
        "input (the smallest, x₂) is class 2, so it is wrong."
    )


def test_verdict_for_the_largest_task_is_right() -> None:
    trace = trace_inputs(DEFAULT_INPUTS)
    assert prediction_is_right(trace, LARGEST)
    text = prediction_sentence(trace, LARGEST)
    assert "(the largest, x₄) is class 4, so it is right." in text
    flipped = trace_inputs((2.0, -1.0, 5.0, 3.0))
    assert "class 3" in prediction_sentence(flipped, LARGEST)
    assert prediction_is_right(flipped, LARGEST)
    clusters = prediction_sentence(trace, TrainingConfig(task="clusters"))
    assert "cluster" in clusters
    assert "class 4" in clusters
    assert clusters.endswith("right.")


def test_stage_path_lists_every_stage() -> None:
    _, outputs = reference_output(DEFAULT_INPUTS)
    assert stage_path(trace_inputs(DEFAULT_INPUTS)) == (
        "x [2, −1, 0.5, 3] → ReLU [2, 0, 0.5, 3] → Sigmoid [0.881, 0.5, 0.622, 0.953] → "
        "Softmax [0.283, 0.194, 0.219, 0.304]"
    )
    assert np.allclose(outputs[-1], [0.283, 0.194, 0.219, 0.304], atol=5e-4)


# Gradient findings ------------------------------------------------------------------------------


def test_findings_need_a_target() -> None:
    findings = gradient_findings(trace_inputs(DEFAULT_INPUTS))
    assert len(findings) == 1
    assert "target" in findings[0]
    assert "target" in live_insight("gradients", trace_inputs(DEFAULT_INPUTS), SMALLEST)


def test_findings_for_the_default_input_name_the_dead_relu_unit() -> None:
    trace = trace_inputs(DEFAULT_INPUTS, target=1)
    report = gradient_report(trace)
    kinds = [finding.kind for finding in report]
    assert kinds == ["largest", "dead", "size", "loss"], kinds
    p = reference_output(DEFAULT_INPUTS)[1][-1]
    # Cross-entropy's gradient at the output is p − y: the target's −0.806 is the largest.
    assert report[0].text.startswith(f"The largest gradient is ∂L/∂z₂ = {number(p[1] - 1)}")
    assert "layer 3 (Softmax)" in report[0].text
    assert "raising z₂" in report[0].text
    dead = report[1].text
    assert "layer 1" in dead
    assert "ReLU's unit 2 is dead" in dead
    assert "z = −1 is ≤ 0" in dead
    assert "slope is 0" in dead
    assert "shrinks" in report[2].text
    assert "Sigmoid's slopes" in report[2].text
    loss = -np.log(p[1])
    assert f"The loss is {loss:.3f} = −ln {p[1]:.3f}" in report[3].text
    assert percent(p[1]) in report[3].text
    summary = live_insight("gradients", trace, SMALLEST)
    assert "∂L/∂z₂ = −0.806" in summary
    assert "unit 2 of layer 1 (ReLU) is dead" in summary


def test_findings_for_a_large_input_name_the_saturated_sigmoid() -> None:
    trace = trace_inputs((9.0, 9.0, 9.0, 9.0), target=0)
    findings = gradient_findings(trace)
    saturated = [text for text in findings if "saturated" in text]
    assert len(saturated) == 1, findings
    slope = float(ref.sigmoid_slope(np.array(9.0)))
    assert slope < ref.SATURATION_SLOPE
    assert "Sigmoid's units 1, 2, 3 and 4 are saturated" in saturated[0]
    assert f"slope is {number(slope)} at z = 9" in saturated[0]
    assert number(slope) == "0.000123"
    assert any("nearly vanishes" in text for text in findings), findings
    assert not any("dead" in text for text in findings)


def test_findings_when_nothing_is_blocked_say_so() -> None:
    trace = trace_inputs((0.5, 0.2, 0.1, 0.3), ("Tanh", "Tanh", "Softmax"), target=2)
    kinds = [finding.kind for finding in gradient_report(trace)]
    assert kinds == ["largest", "flowing", "size", "loss"], kinds


# Number wording ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (0.5, "0.5"),
        (-1.0, "−1"),
        (0.28328, "0.283"),
        (3.0, "3"),
        (1.6421, "1.642"),
        (0.0514, "0.0514"),
        (0.99988, "0.9999"),
        (1.2e-5, "1.2e−5"),
        (-0.0, "0"),
        (0.0, "0"),
    ],
)
def test_numbers_are_compact_with_real_minus_signs(value: float, text: str) -> None:
    assert number(value) == text


def test_percentages_never_round_to_a_certainty_they_are_not() -> None:
    assert percent(0.30436) == "30.4\u00a0%"
    assert percent(0.9996) == "99.96\u00a0%"
    assert percent(1 - 1e-9) == "more than 99.99\u00a0%"
    assert percent(1e-9) == "less than 0.01\u00a0%"


def test_predict_says_how_sure_not_again_whether_right() -> None:
    """The predict page's live sentence is the lead over the runner-up (the verdict above it
    already says right or wrong): a wide lead for a confident answer, a narrow one flagged."""
    confident = trace_inputs((9.0, -9.0, -9.0, -9.0), target=1)
    text = live_insight("predict", confident, SMALLEST)
    probabilities = confident.stages[-1].values
    lead = (probabilities[0] - sorted(probabilities)[-2]) * 100
    assert text.startswith("Class 1 leads class ")
    assert f"{lead:.1f}".rstrip("0").rstrip(".") in text
    assert "confident" in text
    close = trace_inputs((1.0, 1.01, 0.0, 0.0), target=0)
    assert "narrow lead" in live_insight("predict", close, SMALLEST)


def test_code_says_the_script_needs_the_current_weights_once_trained() -> None:
    """Untrained, the script (identity weights) gives the panel's numbers; trained, only
    with the current weights ticked, and the sentence says so."""
    untrained = trace_inputs(DEFAULT_INPUTS)
    assert live_insight("code", untrained, SMALLEST).startswith("For this input")
    net = ActivationNet()
    with torch.no_grad():
        net.layers[0].bias += 0.25
    trained = net.trace(DEFAULT_INPUTS)
    text = live_insight("code", trained, SMALLEST)
    assert "Use the current weights" in text
    assert vector(trained.stages[-1].values) in text


@pytest.mark.parametrize(
    ("ratio", "said"),
    [
        (3.94, "3.9×"),
        (16.2, "16×"),
        (8105.4, "8105×"),
        (999_999.0, "999999×"),
        (12_779_428_442.0, "1.28e10×"),
    ],
)
def test_factors_read_as_a_learner_says_them(ratio: float, said: str) -> None:
    """The gradients page said "12779428442× smaller": large factors in the insights' e-form."""
    from model.insights import _times

    assert _times(ratio) == said

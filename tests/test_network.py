"""The network, its activations and its traces, checked against numpy and hand arithmetic.

The untrained network is the identity pipeline, so every stage can be recomputed here from the
formulas alone; a trained network is checked with z = W·x + b from the trace's own weight copies.
The formulas are the shared numpy reference (``tests/numpy_reference.py``).
"""

from __future__ import annotations

import math

import numpy as np
import numpy_reference as ref
import pytest
import torch
from numpy_reference import Array

from model.activations import ACTIVATIONS, get_activation
from model.config import TrainingConfig
from model.network import DEFAULT_ACTIVATIONS, DTYPE, WIDTH, ActivationNet, trace_inputs
from model.trace import StageTrace, Trace
from model.training import Trainer


def stage_values(trace: Trace) -> dict[str, Array]:
    """The trace's stages as numpy arrays by name."""
    return {stage.name: np.array(stage.values) for stage in trace.stages}


# The seed example ----------------------------------------------------------------------------


def test_seed_example_matches_hand_values() -> None:
    """[2, -1, 0.5, 3] → ReLU → Sigmoid → Softmax gives the handout's numbers."""
    trace = trace_inputs([2.0, -1.0, 0.5, 3.0])
    assert [stage.name for stage in trace.stages] == ["Input", "ReLU", "Sigmoid", "Softmax"]
    values = stage_values(trace)
    np.testing.assert_array_equal(values["Input"], [2.0, -1.0, 0.5, 3.0])
    np.testing.assert_array_equal(values["ReLU"], [2.0, 0.0, 0.5, 3.0])
    np.testing.assert_allclose(values["Sigmoid"], [0.8808, 0.5, 0.6225, 0.9526], atol=5e-5)
    np.testing.assert_allclose(values["Softmax"], [0.2833, 0.1936, 0.2188, 0.3044], atol=5e-5)
    assert sum(values["Softmax"]) == pytest.approx(1.0, abs=1e-12)
    assert trace.prediction == 3  # the fourth input, 3, is largest


def test_seed_example_sigmoid_is_exact() -> None:
    """The float64 pipeline keeps every digit: sigmoid(2) = 1 / (1 + e^-2) to 1e-15."""
    trace = trace_inputs([2.0, -1.0, 0.5, 3.0])
    sigmoid = trace.stages[2].values
    assert sigmoid[0] == pytest.approx(1 / (1 + math.exp(-2)), abs=1e-15)
    assert sigmoid[1] == 0.5
    assert sigmoid[3] == pytest.approx(1 / (1 + math.exp(-3)), abs=1e-15)


def test_identity_pre_activations_equal_previous_stage() -> None:
    """Untrained, W = I and b = 0, so each stage's z is exactly the previous stage's output."""
    trace = trace_inputs([2.0, -1.0, 0.5, 3.0])
    assert trace.stages[0].pre_activation is None
    for before, stage in zip(trace.stages, trace.stages[1:], strict=False):
        assert stage.pre_activation == before.values
        assert stage.weight is not None
        assert stage.bias is not None
        np.testing.assert_array_equal(stage.weight, np.eye(WIDTH))
        np.testing.assert_array_equal(stage.bias, np.zeros(WIDTH))


def test_random_inputs_match_numpy_pipeline() -> None:
    """For 200 seeded random inputs the trace equals numpy's relu → sigmoid → softmax."""
    rng = np.random.RandomState(1234)
    network = ActivationNet()
    for x in rng.uniform(-10, 10, size=(200, WIDTH)):
        values = stage_values(network.trace(x.tolist()))
        relu = ref.relu(x)
        sigmoid = ref.sigmoid(relu)
        softmax = ref.softmax(sigmoid)
        np.testing.assert_allclose(values["Input"], x, rtol=0, atol=0)
        np.testing.assert_allclose(values["ReLU"], relu, rtol=0, atol=0)
        np.testing.assert_allclose(values["Sigmoid"], sigmoid, rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(values["Softmax"], softmax, rtol=1e-12, atol=1e-15)


def test_every_activation_matches_numpy() -> None:
    """Each registered activation, run by the network with identity weights, matches numpy."""
    rng = np.random.RandomState(7)
    hidden = [name for name in ACTIVATIONS if name != "Softmax"]
    network = ActivationNet([*hidden, "Softmax"])
    for x in rng.normal(0, 3, size=(50, WIDTH)):
        trace = network.trace(x.tolist())
        expected = x
        for stage in trace.stages[1:]:
            expected = ref.apply(stage.name, expected)
            np.testing.assert_allclose(stage.values, expected, rtol=1e-10, atol=1e-12)
    assert trace.activations == ref.NAMES
    assert set(ref.NAMES) == set(ACTIVATIONS), "a new activation needs a numpy twin"


def test_softmax_is_stable_for_huge_scores() -> None:
    """Scores of ±1e6 give [1, 0, 0, 0] with no NaN, where naive exp() would overflow."""
    trace = ActivationNet(["Softmax"]).trace([1e6, 0.0, 0.0, -1e6])
    assert trace.is_finite()
    np.testing.assert_allclose(trace.stages[-1].values, [1.0, 0.0, 0.0, 0.0], atol=1e-300)


def test_extreme_inputs_stay_finite() -> None:
    """The limit a cell accepts (±1e6) flows through the default pipeline without NaN."""
    trace = trace_inputs([1e6, -1e6, 0.0, 1.0])
    assert trace.is_finite()
    expected = ref.softmax(ref.sigmoid(ref.relu(np.array([1e6, -1e6, 0.0, 1.0]))))
    np.testing.assert_allclose(trace.stages[-1].values, expected, rtol=1e-12)


def test_forward_returns_logits_and_predict_probabilities() -> None:
    """forward() stops before the output activation; predict() applies softmax to it."""
    rng = np.random.RandomState(3)
    x = rng.normal(0, 2, size=(16, WIDTH))
    network = ActivationNet()
    with torch.no_grad():
        logits = network(torch.tensor(x, dtype=DTYPE)).numpy()
        probabilities = network.predict(torch.tensor(x, dtype=DTYPE)).numpy()
    np.testing.assert_allclose(logits, ref.sigmoid(ref.relu(x)), rtol=1e-12)
    np.testing.assert_allclose(probabilities, ref.softmax(ref.sigmoid(ref.relu(x))), rtol=1e-12)
    np.testing.assert_allclose(probabilities.sum(axis=1), 1.0, rtol=1e-12)


# A trained network -----------------------------------------------------------------------------


def test_trained_trace_matches_numpy_with_its_weight_copies() -> None:
    """After training, each stage is act(W·x + b) using the weights and biases in the trace."""
    trainer = Trainer(TrainingConfig(seed=5))
    for _ in range(3):
        trainer.train_epoch()
    rng = np.random.RandomState(99)
    for x in rng.uniform(-3, 3, size=(20, WIDTH)):
        trace = trainer.network.trace(x.tolist())
        previous = np.array(trace.stages[0].values)
        np.testing.assert_array_equal(previous, x)
        for stage in trace.stages[1:]:
            assert stage.weight is not None
            assert stage.bias is not None
            assert stage.pre_activation is not None
            z = stage.weight @ previous + stage.bias
            np.testing.assert_allclose(stage.pre_activation, z, rtol=1e-12, atol=1e-12)
            expected = ref.apply(stage.name, z)
            np.testing.assert_allclose(stage.values, expected, rtol=1e-12, atol=1e-12)
            previous = expected
    # Training really moved the weights, so the check above is not the identity case again.
    first_weight = trainer.network.trace([0.0] * WIDTH).stages[1].weight
    assert first_weight is not None
    assert not np.allclose(first_weight, np.eye(WIDTH))


def test_trace_holds_copies_not_live_tensors() -> None:
    """A trace keeps plain floats and numpy copies: later weight changes do not alter it."""
    network = ActivationNet()
    trace = network.trace([1.0, 2.0, 3.0, 4.0])
    for stage in trace.stages:
        assert all(type(v) is float for v in stage.values)
    weight = trace.stages[1].weight
    assert isinstance(weight, np.ndarray)
    with torch.no_grad():
        for parameter in network.parameters():
            parameter.add_(5.0)
    np.testing.assert_array_equal(weight, np.eye(WIDTH))
    bias = trace.stages[1].bias
    assert bias is not None
    np.testing.assert_array_equal(bias, np.zeros(WIDTH))


def test_reset_to_identity_undoes_changes() -> None:
    """reset_to_identity() brings back W = I, b = 0 after the weights were changed."""
    network = ActivationNet()
    with torch.no_grad():
        for parameter in network.parameters():
            parameter.uniform_(-1, 1)
    network.reset_to_identity()
    for stage in network.trace([0.0] * WIDTH).stages[1:]:
        np.testing.assert_array_equal(stage.weight, np.eye(WIDTH))
        np.testing.assert_array_equal(stage.bias, np.zeros(WIDTH))


# Construction and errors -------------------------------------------------------------------


def test_default_pipeline() -> None:
    """The product's pipeline is ReLU → Sigmoid → Softmax on four numbers."""
    assert DEFAULT_ACTIVATIONS == ("ReLU", "Sigmoid", "Softmax")
    assert WIDTH == 4
    assert DTYPE is torch.float64


@pytest.mark.parametrize("names", [(), ("ReLU",), ("Softmax", "Sigmoid")])
def test_last_activation_must_normalize(names: tuple[str, ...]) -> None:
    """A network whose output is not a probability distribution is refused."""
    with pytest.raises(ValueError, match="probabilities"):
        ActivationNet(names)


def test_unknown_activation_lists_the_known_ones() -> None:
    """Asking for a missing activation names every one that exists."""
    with pytest.raises(KeyError, match="unknown activation 'Swish'") as caught:
        get_activation("Swish")
    for name in ACTIVATIONS:
        assert name in str(caught.value)


@pytest.mark.parametrize("inputs", [[1.0, 2.0, 3.0], [1.0, 2.0, 3.0, 4.0, 5.0], []])
def test_trace_refuses_wrong_width(inputs: list[float]) -> None:
    """A trace needs exactly four inputs."""
    with pytest.raises(ValueError, match=f"expected 4 inputs, got {len(inputs)}"):
        trace_inputs(inputs)


def test_only_softmax_normalizes() -> None:
    """Softmax is the one registered activation flagged as giving probabilities."""
    assert [a.name for a in ACTIVATIONS.values() if a.normalizes] == ["Softmax"]
    assert get_activation("Sigmoid").output_range == (0.0, 1.0)
    assert get_activation("Tanh").output_range == (-1.0, 1.0)


# Trace as plain data -------------------------------------------------------------------------


def test_trace_to_json() -> None:
    """The JSON shape has every stage's name and values, pre-activations after the input."""
    data = trace_inputs([2.0, -1.0, 0.5, 3.0]).to_json()
    assert [s["name"] for s in data["stages"]] == ["Input", "ReLU", "Sigmoid", "Softmax"]
    assert "pre_activation" not in data["stages"][0]
    assert data["stages"][1]["pre_activation"] == [2.0, -1.0, 0.5, 3.0]
    assert data["stages"][1]["values"] == [2.0, 0.0, 0.5, 3.0]
    assert data["prediction"] == 3


def test_trace_prediction_and_finiteness() -> None:
    """prediction is the index of the largest output; NaN anywhere makes is_finite() False."""
    good = Trace((StageTrace("Input", (0.1, 0.7, 0.2, 0.0)),))
    assert good.prediction == 1
    assert good.is_finite()
    bad_values = Trace((StageTrace("Input", (0.1, math.nan, 0.2, 0.0)),))
    assert not bad_values.is_finite()
    bad_z = Trace((StageTrace("ReLU", (0.0,) * 4, pre_activation=(math.inf, 0.0, 0.0, 0.0)),))
    assert not bad_z.is_finite()


def test_shape_text() -> None:
    """Every stage of the 4-wide network reads '1 × 4 → 1 × 4'."""
    for stage in trace_inputs([1.0, 2.0, 3.0, 4.0]).stages:
        assert stage.shape_text == "1 × 4 → 1 × 4"

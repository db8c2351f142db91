"""The activation library, pipelines with a temperature, traces with gradients, unit statistics.

Every number is checked against ``numpy_reference``: each activation and its derivative written
by hand in numpy, the network's forward pass, its loss, and the loss's gradients by hand-written
backpropagation and by finite differences. Tolerances are stated in units of float64's machine
epsilon and say where they come from; where PyTorch legitimately differs from the exact value
(the slope at a kink, Softplus's switch to z above 20) the test says so and checks exactly that.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

import numpy as np
import numpy_reference as ref
import pytest
import torch
from numpy_reference import Array
from torch import nn

from model.activations import (
    ACTIVATIONS,
    HIDDEN_ACTIVATIONS,
    MAX_TEMPERATURE,
    MIN_TEMPERATURE,
    OUTPUT_ACTIVATIONS,
    SATURATION_SLOPE,
    canonical_name,
    check_pipeline,
    check_temperature,
    get_activation,
)
from model.config import Pipeline, TrainingConfig
from model.datasets import make_dataset
from model.network import CURVE_POINTS, CURVE_Z, DTYPE, ActivationNet, trace_inputs
from model.observations import Observation, ObservationTracker
from model.records import EpochNumbers, EpochRecord
from model.tasks import TASKS
from model.trace import Trace
from model.training import Trainer

EPS = float(np.finfo(np.float64).eps)
#: The points where activations break: the kink, just either side of it, the bends, the
#: saturated tails and the largest value a cell accepts.
EDGES = np.array([0.0, 1e-7, -1e-7, 1.0, -1.0, 40.0, -40.0, 1e6, -1e6])
#: Piecewise-linear activations: PyTorch computes exactly what the formula says.
EXACT = ("ReLU", "LeakyReLU", "Identity")
#: PyTorch's smooth float64 kernels are within 2 ulps of the larger of 1 and |z| (measured: at
#: most 1.6). The bound is absolute because several of PyTorch's forms cancel in the tails,
#: where the value itself is tiny: σ′ as σ(1 − σ) and tanh′ as 1 − tanh² are exactly 0 at
#: z = 40 (true: 4.2e-18 and 7.2e-35), GELU as z·(1 + erf(z/√2))/2 gives −4.88e-15 at z = −8
#: (true: −4.98e-15). A relative bound would call those wrong; they are as right as float64
#: rounding of numbers near 1 allows.
SMOOTH_ULPS = 2.0
#: Softplus returns z itself (and slope 1) once z > 20 (torch's default threshold), where
#: ln(1 + eᶻ) − z = ln(1 + e⁻ᶻ) < e⁻²⁰ ≈ 2.1e-9.
SOFTPLUS_THRESHOLD = 20.0
#: (pipeline, temperature) pairs whose gradients are checked; together they use every
#: activation and temperatures below, at and above 1.
PIPELINES = (
    (("GELU", "Tanh", "Softmax"), 1.0),
    (("ReLU", "Sigmoid", "Softmax"), 1.0),
    (("Identity", "Identity", "Softmax"), 0.5),
    (("ELU", "Softplus", "Softmax"), 2.0),
    (("LeakyReLU", "SiLU", "Softmax"), 0.05),
)
KINKED = ("ReLU", "LeakyReLU")


@pytest.fixture(autouse=True)
def _one_thread() -> None:
    """One intra-op thread, as in the model process: faster and identical on every machine."""
    torch.set_num_threads(1)


def assert_within_ulps(got: Array, want: Array, z: Array, ulps: float, what: str) -> None:
    """|got − want| ≤ ulps · ε · max(1, |z|) at every point (ulps = 0: bit for bit)."""
    got, want, z = np.asarray(got), np.asarray(want), np.asarray(z)
    assert got.shape == want.shape, (what, got.shape, want.shape)
    bound = ulps * EPS * np.maximum(1.0, np.abs(z))
    bad = ~(np.abs(got - want) <= bound)  # a NaN anywhere fails too
    assert not bad.any(), f"{what}: z={z[bad][:5]} got={got[bad][:5]} want={want[bad][:5]}"


def torch_values(name: str, z: Array, temperature: float = 1.0) -> tuple[Array, Array]:
    """The registry's f(z) and its autograd f′(z), as numpy arrays."""
    activation = get_activation(name)
    tensor = torch.tensor(z, dtype=DTYPE)
    with torch.no_grad():
        values = activation(tensor, temperature).numpy()
    return values, activation.derivative(tensor, temperature).numpy()


def random_points(seed: int) -> Array:
    """Typical pre-activations (normal, σ = 3) and wide ones (uniform in ±50), seeded."""
    rng = np.random.default_rng(seed)
    return np.concatenate([rng.normal(0.0, 3.0, 500), rng.uniform(-50.0, 50.0, 500)])


# Every elementwise activation and its derivative ----------------------------------------------


@pytest.mark.parametrize("name", HIDDEN_ACTIVATIONS)
def test_activation_and_derivative_match_reference(name: str) -> None:
    """f and autograd's f′ agree with the hand-written numpy formulas at random points and at
    the edges 0, ±1e-7, ±1, ±40, ±1e6 (Softplus: see the next test above z = 20)."""
    z = np.concatenate([random_points(len(name)), EDGES])
    if name == "Softplus":
        z = z[z <= SOFTPLUS_THRESHOLD]
    f, f_slope = ref.ELEMENTWISE[name]
    values, slopes = torch_values(name, z)
    ulps = 0.0 if name in EXACT else SMOOTH_ULPS
    assert_within_ulps(values, f(z), z, ulps, f"{name}(z)")
    assert_within_ulps(slopes, f_slope(z), z, ulps, f"{name}′(z)")


def test_softplus_is_z_itself_above_its_threshold() -> None:
    """Above z = 20 PyTorch's Softplus returns z and slope 1 exactly; the true values differ by
    ln(1 + e⁻ᶻ) and σ(−z), both below e⁻²⁰. Up to 20 it is the exact formula (test above)."""
    z = np.array([20.000001, 20.5, 25.0, 30.0, 40.0, 1e6])
    values, slopes = torch_values("Softplus", z)
    np.testing.assert_array_equal(values, z)
    np.testing.assert_array_equal(slopes, np.ones_like(z))
    gap = math.exp(-SOFTPLUS_THRESHOLD)
    np.testing.assert_allclose(values, ref.softplus(z), rtol=0, atol=gap)
    np.testing.assert_allclose(slopes, ref.softplus_slope(z), rtol=0, atol=gap)
    # Just at the threshold it is still ln(1 + eᶻ), not z.
    at, _ = torch_values("Softplus", np.array([SOFTPLUS_THRESHOLD]))
    assert at[0] == pytest.approx(20.0 + math.log1p(math.exp(-20.0)), rel=EPS)
    assert at[0] != 20.0


def test_slopes_at_the_kink_follow_pytorch_convention() -> None:
    """ReLU and LeakyReLU have no derivative at 0; autograd takes the left-hand slope there
    (0 and 0.01), which is what the window shows and what backpropagation uses. ELU is smooth
    at 0 (slope 1 from both sides); GELU, SiLU and Softplus all have slope ½ there."""
    zero = np.array([0.0])
    expected = {
        "ReLU": 0.0,
        "LeakyReLU": 0.01,
        "ELU": 1.0,
        "GELU": 0.5,
        "SiLU": 0.5,
        "Softplus": 0.5,
        "Tanh": 1.0,
        "Sigmoid": 0.25,
        "Identity": 1.0,
    }
    assert set(expected) == set(HIDDEN_ACTIVATIONS)
    for name, slope in expected.items():
        assert torch_values(name, zero)[1][0] == slope, name
    # Just right of the kink both are 1: the convention is only about z = 0 itself.
    assert torch_values("ReLU", np.array([1e-300]))[1][0] == 1.0
    assert torch_values("LeakyReLU", np.array([1e-300]))[1][0] == 1.0


def test_derivative_keeps_shape_and_batches() -> None:
    """f′ of a (K, n, width) block (as the trainer measures units) is per element."""
    z = np.random.default_rng(3).normal(0.0, 2.0, size=(2, 5, 4))
    for name in HIDDEN_ACTIVATIONS:
        _, slopes = torch_values(name, z)
        assert slopes.shape == z.shape
        ulps = 0.0 if name in EXACT else SMOOTH_ULPS
        assert_within_ulps(slopes, ref.slope(name, z), z, ulps, name)


# Softmax with a temperature ---------------------------------------------------------------


@pytest.mark.parametrize("temperature", [MIN_TEMPERATURE, 1.0, MAX_TEMPERATURE])
def test_softmax_and_its_diagonal_match_reference(temperature: float) -> None:
    """softmax(z/T) and ∂pᵢ/∂zᵢ = pᵢ(1 − pᵢ)/T for random rows and rows at the edges."""
    rng = np.random.default_rng(11)
    rows = np.concatenate(
        [
            rng.normal(0.0, 3.0, size=(200, 4)),
            [
                [1e6, 0.0, 0.0, -1e6],
                [40.0, -40.0, 1.0, -1.0],
                [0.0, 0.0, 0.0, 0.0],
                [1e-7, -1e-7, 0.0, 0.0],
                [-1e6, -1e6, -1e6, -1e6 + 1.0],
            ],
        ]
    )
    values, slopes = torch_values("Softmax", rows, temperature)
    # Probabilities are within 2 ulps of 1; the slopes carry the 1/T of the chain rule.
    np.testing.assert_allclose(values, ref.softmax(rows, temperature), rtol=0, atol=2 * EPS)
    np.testing.assert_allclose(
        slopes, ref.softmax_slope(rows, temperature), rtol=0, atol=2 * EPS / temperature
    )
    np.testing.assert_allclose(values.sum(axis=1), 1.0, rtol=0, atol=2 * EPS)
    # The hand values of the simplest rows: four equal scores, and one score far ahead.
    np.testing.assert_array_equal(values[-3], [0.25] * 4)
    assert slopes[-3] == pytest.approx([0.25 * 0.75 / temperature] * 4, rel=2 * EPS)
    np.testing.assert_array_equal(values[200], [1.0, 0.0, 0.0, 0.0])
    np.testing.assert_array_equal(slopes[200], [0.0] * 4)


def test_temperature_sharpens_and_flattens() -> None:
    """The same scores [2, 1, 0, −1]: T = 0.05 is almost an argmax, T = 20 almost uniform."""
    z = np.array([2.0, 1.0, 0.0, -1.0])
    sharp, _ = torch_values("Softmax", z, MIN_TEMPERATURE)
    flat, _ = torch_values("Softmax", z, MAX_TEMPERATURE)
    assert sharp[0] == pytest.approx(1.0 / (1.0 + math.exp(-20.0)), rel=1e-12)  # e^(−1/0.05)
    assert flat.max() - flat.min() == pytest.approx(
        (math.exp(0.1) - math.exp(-0.05)) / sum(math.exp(v / 20) for v in z), rel=1e-12
    )
    assert flat.max() - flat.min() < 0.04


def test_softmax_derivative_of_a_single_row() -> None:
    """A 1-D row of scores gets a 1-D row of own slopes (the stage panel's case)."""
    z = np.array([2.0, -1.0, 0.5, 3.0])
    _, slopes = torch_values("Softmax", z, 0.5)
    assert slopes.shape == (4,)
    np.testing.assert_allclose(slopes, ref.softmax_slope(z, 0.5), rtol=0, atol=4 * EPS)


# The registry's words ---------------------------------------------------------------------


def test_registry_and_reference_list_the_same_activations() -> None:
    """Ten activations, in menu order, and the numpy reference has a twin for each."""
    assert tuple(ACTIVATIONS) == ref.NAMES
    assert len(ACTIVATIONS) == 10
    assert ref.NAMES[:-1] == HIDDEN_ACTIVATIONS
    assert "Softmax" not in HIDDEN_ACTIVATIONS
    assert OUTPUT_ACTIVATIONS == ("Softmax",)


def test_every_activation_has_its_words() -> None:
    """Formula, meaning (naming the activation), a caution, and a symbol none other uses."""
    for name, activation in ACTIVATIONS.items():
        assert activation.name == name
        assert activation.formula.strip(), name
        assert activation.meaning.startswith(name), (name, activation.meaning)
        assert len(activation.caution) > 20, name
        assert activation.caution != activation.meaning, name
        assert activation.symbol.strip(), name
    symbols = [a.symbol for a in ACTIVATIONS.values()]
    assert len(set(symbols)) == len(symbols), symbols
    assert get_activation("Sigmoid").symbol == "σ"
    assert get_activation("SiLU").symbol == "si"
    # The words say what the numbers do.
    assert "0.01" in get_activation("LeakyReLU").caution
    assert "ᵀ" in get_activation("Softmax").formula
    assert "temperature" in get_activation("Softmax").caution


def test_flags_match_the_functions() -> None:
    """Only ReLU dies below zero (0 with slope 0 for every z ≤ 0); only Softmax normalizes;
    each given output bound holds for the reference's values and is reached at ±1e6."""
    assert [n for n, a in ACTIVATIONS.items() if a.dies_below_zero] == list(ref.DYING)
    assert [n for n, a in ACTIVATIONS.items() if a.normalizes] == ["Softmax"]
    negative = -np.geomspace(1e-7, 1e6, 50)
    for name in ACTIVATIONS:
        values, slopes = torch_values(name, negative)
        dies = bool((values == 0).all() and (slopes == 0).all())
        assert dies == get_activation(name).dies_below_zero, name
    z = np.concatenate([random_points(5), EDGES])
    for name in HIDDEN_ACTIVATIONS:
        low, high = get_activation(name).output_range
        values = ref.apply(name, z)
        if low is not None:
            assert values.min() >= low, name
            assert ref.apply(name, np.array([-1e6]))[0] == pytest.approx(low, abs=1e-12), name
        if high is not None:
            assert values.max() <= high, name
            assert ref.apply(name, np.array([1e6]))[0] == pytest.approx(high, abs=1e-12), name
        else:
            assert ref.apply(name, np.array([1e6]))[0] >= 0.99e6, name
    assert get_activation("Softmax").output_range == (0.0, 1.0)


# Pipelines and the temperature: what is allowed, and what a refusal says -----------------------

ALL_HIDDEN = "ReLU, LeakyReLU, ELU, GELU, SiLU, Softplus, Tanh, Sigmoid, Identity"
ALL = f"{ALL_HIDDEN}, Softmax"


@pytest.mark.parametrize(
    ("names", "message"),
    [
        ((), "a pipeline has 3 activations (hidden, hidden, output), not 0: none"),
        (
            ("ReLU", "Softmax"),
            "a pipeline has 3 activations (hidden, hidden, output), not 2: ReLU, Softmax",
        ),
        (
            ("ReLU", "Tanh", "GELU", "Softmax"),
            "a pipeline has 3 activations (hidden, hidden, output), not 4: "
            "ReLU, Tanh, GELU, Softmax",
        ),
        (
            ("Softmax", "ReLU", "Softmax"),
            "layer 1 is hidden, so it cannot be Softmax (it normalizes its row); "
            f"choose one of {ALL_HIDDEN}",
        ),
        (
            ("relu", "SOFTMAX", "softmax"),
            "layer 2 is hidden, so it cannot be Softmax (it normalizes its row); "
            f"choose one of {ALL_HIDDEN}",
        ),
        (
            ("ReLU", "Sigmoid", "Tanh"),
            "the output layer must turn scores into probabilities, not Tanh; choose Softmax",
        ),
        (("ReLU", "Swish", "Softmax"), f"unknown activation 'Swish'; choose one of {ALL}"),
        (("ReLU", "", "Softmax"), f"unknown activation ''; choose one of {ALL}"),
    ],
)
def test_check_pipeline_refuses_with_a_reason(names: tuple[str, ...], message: str) -> None:
    """Each refusal names the bad entry and lists what is allowed in its place."""
    pattern = re.escape(message)
    with pytest.raises(ValueError, match=f"^{pattern}$"):
        check_pipeline(names)
    with pytest.raises(ValueError, match=pattern):
        Pipeline(names).validate()
    with pytest.raises(ValueError, match=pattern):
        TrainingConfig(activations=names).validate()


def test_names_are_case_insensitive() -> None:
    """' gelu', 'TANH', 'softMAX' are GELU, Tanh, Softmax; a config must spell them so."""
    assert check_pipeline([" gelu", "TANH", "softMAX"]) == ("GELU", "Tanh", "Softmax")
    assert canonical_name("leakyrelu") == "LeakyReLU"
    assert canonical_name("SILU") == "SiLU"
    assert Pipeline(("relu", "sigmoid", "softmax"), 2).validate() == Pipeline(
        ("ReLU", "Sigmoid", "Softmax"), 2
    )
    with pytest.raises(ValueError, match=r"^spell the activations ReLU, Sigmoid, Softmax$"):
        TrainingConfig(activations=("relu", "sigmoid", "softmax")).validate()
    TrainingConfig(activations=("ReLU", "Sigmoid", "Softmax")).validate()


@pytest.mark.parametrize(
    ("temperature", "shown"),
    [
        (0.0, "0.0"),
        (-1.0, "-1.0"),
        (0.0499, "0.0499"),
        (20.000001, "20.000001"),
        (math.nan, "nan"),
        (math.inf, "inf"),
    ],
)
def test_check_temperature_refuses_outside_the_range(temperature: float, shown: str) -> None:
    """Below 0.05, above 20 or not a number: refused, naming the value and the range."""
    message = f"^the softmax temperature must be between 0.05 and 20, not {re.escape(shown)}$"
    with pytest.raises(ValueError, match=message):
        check_temperature(temperature)
    with pytest.raises(ValueError, match=message):
        TrainingConfig(temperature=temperature).validate()


def test_check_temperature_accepts_the_range() -> None:
    """0.05, 1 and 20 themselves are allowed and returned unchanged."""
    for temperature in (MIN_TEMPERATURE, 1.0, 0.5, MAX_TEMPERATURE):
        assert check_temperature(temperature) == temperature
        TrainingConfig(temperature=temperature).validate()
    assert (MIN_TEMPERATURE, MAX_TEMPERATURE) == (0.05, 20.0)


def test_pipeline_label_and_config_round_trip() -> None:
    """A legend reads 'GELU → Tanh → Softmax (T = 0.5)'; with_pipeline changes only the net."""
    pipeline = Pipeline(("GELU", "Tanh", "Softmax"), 0.5)
    assert pipeline.label == "GELU → Tanh → Softmax (T = 0.5)"
    assert Pipeline().label == "ReLU → Sigmoid → Softmax"
    config = TrainingConfig(task="largest", seed=7, optimizer="SGD", learning_rate=0.3)
    changed = config.with_pipeline(pipeline)
    assert changed.pipeline == pipeline
    assert changed.to_json() == {
        "task": "largest",
        "seed": 7,
        "optimizer": "SGD",
        "learning_rate": 0.3,
        "batch_size": 32,
        "activations": ["GELU", "Tanh", "Softmax"],
        "temperature": 0.5,
    }
    assert config.to_json()["activations"] == ["ReLU", "Sigmoid", "Softmax"]


def test_task_answer_is_the_data_sets_label() -> None:
    """Task.answer, the default gradient target, is the label the data set gives the sample."""
    assert TASKS["smallest"].answer([2.0, -1.0, 0.5, 3.0]) == 1
    assert TASKS["largest"].answer([2.0, -1.0, 0.5, 3.0]) == 3
    assert TASKS["clusters"].answer([2.0, -1.0, 0.5, 3.0]) == 3
    for name in ("smallest", "largest"):
        data = make_dataset(name, seed=0)
        answers = [TASKS[name].answer(row) for row in data.test_x.tolist()]
        assert answers == data.test_y.tolist(), name


# The network with a temperature ------------------------------------------------------------


def linear(network: ActivationNet, layer: int) -> nn.Linear:
    """The network's ``layer``-th linear layer (0-based)."""
    module = network.layers[layer]
    assert isinstance(module, nn.Linear)
    return module


def random_network(
    names: Sequence[str], temperature: float, seed: int
) -> tuple[ActivationNet, ref.Layers]:
    """A network with seeded random weights (σ = 0.8) and the same weights for numpy."""
    flat = np.random.default_rng(seed).normal(0.0, 0.8, size=60)
    network = ActivationNet(names, temperature=temperature)
    network.load_flat_weights(torch.tensor(flat, dtype=DTYPE))
    return network, ref.layers_from_flat(flat)


def test_forward_returns_the_last_z_over_the_temperature() -> None:
    """forward() gives scores z/T, so cross-entropy of them is the loss of softmax(z/T)."""
    x = np.random.default_rng(4).uniform(-3.0, 3.0, size=(16, 4))
    for names, temperature in PIPELINES:
        network, layers = random_network(names, temperature, seed=4)
        with torch.no_grad():
            got = network(torch.tensor(x, dtype=DTYPE)).numpy()
            probabilities = network.predict(torch.tensor(x, dtype=DTYPE)).numpy()
        want = ref.scores(layers, names, x, temperature)
        np.testing.assert_allclose(got, want, rtol=1e-13, atol=1e-13 / temperature)
        _, outputs = ref.forward(layers, names, x, temperature)
        np.testing.assert_allclose(probabilities, outputs[-1], rtol=0, atol=1e-13)


def test_trainer_loss_uses_the_temperature() -> None:
    """The untrained baseline's losses are numpy's cross-entropy of softmax(z/T)."""
    names = ("Tanh", "GELU", "Softmax")
    trainer = Trainer(TrainingConfig(activations=names, temperature=0.5))
    layers = ref.layers_from_flat(trainer.network.flat_weights().numpy())
    data = trainer.data
    for x, y, loss in (
        (data.train_x, data.train_y, trainer.baseline.train_loss),
        (data.test_x, data.test_y, trainer.baseline.test_loss),
    ):
        want = ref.cross_entropy(ref.scores(layers, names, x.numpy(), 0.5), y.numpy())
        assert loss == pytest.approx(want, rel=1e-13)
    at_one = ref.cross_entropy(
        ref.scores(layers, names, data.test_x.numpy(), 1.0), data.test_y.numpy()
    )
    assert trainer.baseline.test_loss != pytest.approx(at_one, rel=1e-3)


# Curves ------------------------------------------------------------------------------------


def test_curves_of_elementwise_activations() -> None:
    """Every hidden stage's curve is f and f′ over the 121 points of [−6, 6] its grid has."""
    network = ActivationNet([*HIDDEN_ACTIVATIONS, "Softmax"])
    trace = network.trace([0.3, -1.2, 2.0, 0.0])
    assert (CURVE_Z, CURVE_POINTS) == (6.0, 121)
    for stage in trace.stages[1:-1]:
        curve = stage.curve
        assert curve is not None, stage.name
        # torch's linspace and numpy's round a few grid points differently (by 2 ulps of 6):
        # the grid is checked against numpy's, then f and f′ at the grid the stage really has.
        np.testing.assert_allclose(curve.z, np.linspace(-6.0, 6.0, 121), rtol=0, atol=4 * EPS * 6)
        assert curve.values.shape == curve.slopes.shape == (1, 121)
        grid, values, slopes = ref.curve(stage.name, grid=curve.z)
        ulps = 0.0 if stage.name in EXACT else SMOOTH_ULPS
        z = grid[np.newaxis]
        assert_within_ulps(curve.values, values, z, ulps, stage.name)
        assert_within_ulps(curve.slopes, slopes, z, ulps, stage.name)


def test_curve_grid_has_the_kink_itself() -> None:
    """The middle of the curve's grid is z = 0 exactly, so ReLU's kink is drawn where it is."""
    for names in ((*HIDDEN_ACTIVATIONS[:2], "Softmax"), ("Tanh", "Tanh", "Softmax")):
        for stage in ActivationNet(names).trace([1.0, 2.0, 3.0, 4.0]).stages[1:]:
            assert stage.curve is not None
            assert stage.curve.z[CURVE_POINTS // 2] == 0.0, stage.name


@pytest.mark.parametrize("temperature", [1.0, 0.5])
def test_softmax_curve_holds_the_other_scores(temperature: float) -> None:
    """Row i of the Softmax curve is pᵢ as zᵢ sweeps [−6, 6], the other scores at the trace's
    z; its slopes are pᵢ(1 − pᵢ)/T. The row passes through the trace's own point."""
    network, layers = random_network(("Tanh", "ELU", "Softmax"), temperature, seed=8)
    x = np.array([1.5, -0.5, 2.5, -2.0])
    trace = network.trace(x.tolist())
    last = trace.stages[-1]
    assert last.curve is not None
    assert last.pre_activation is not None
    held = np.array(last.pre_activation)
    zs, _ = ref.forward(layers, ("Tanh", "ELU", "Softmax"), x, temperature)
    np.testing.assert_allclose(held, zs[-1], rtol=1e-14, atol=1e-14)
    assert last.curve.values.shape == last.curve.slopes.shape == (4, 121)
    np.testing.assert_allclose(last.curve.z, np.linspace(-6.0, 6.0, 121), rtol=0, atol=4 * EPS * 6)
    _, values, slopes = ref.curve("Softmax", held, temperature, grid=last.curve.z)
    np.testing.assert_allclose(last.curve.values, values, rtol=0, atol=4 * EPS)
    np.testing.assert_allclose(last.curve.slopes, slopes, rtol=0, atol=4 * EPS / temperature)
    # Each unit's curve rises (its own score up, its probability up) and differs per unit.
    assert (np.diff(last.curve.values, axis=1) > 0).all()
    assert not np.allclose(last.curve.values[0], last.curve.values[1])
    # Where the grid meets the unit's own z (if inside it), the curve gives the trace's value.
    for unit in range(4):
        if abs(held[unit]) < CURVE_Z:
            at = np.interp(held[unit], last.curve.z, last.curve.values[unit])
            # Linear interpolation on a 0.1 grid: off by at most 0.1²/8 · max|p″| < 1e-3.
            assert at == pytest.approx(last.values[unit], abs=1e-3)


# Gradients of a trace with a target -----------------------------------------------------------


def assert_trace_matches_reference(
    trace: Trace, layers: ref.Layers, names: Sequence[str], x: Array, target: int, *, t: float
) -> None:
    """Values, z, f′, loss and every gradient of ``trace`` against the numpy reference."""
    zs, outputs = ref.forward(layers, names, x, t)
    assert trace.target == target
    assert trace.temperature == t
    assert trace.loss == pytest.approx(ref.loss(layers, names, x, target, t), rel=1e-13)
    for stage, z, out, name in zip(trace.stages[1:], zs, outputs, names, strict=True):
        assert stage.name == name
        assert stage.pre_activation is not None
        assert stage.derivative is not None
        np.testing.assert_allclose(np.array(stage.pre_activation), z, rtol=1e-13, atol=1e-13)
        np.testing.assert_allclose(np.array(stage.values), out, rtol=1e-12, atol=1e-14)
        slopes = np.array(stage.derivative)
        np.testing.assert_allclose(slopes, ref.slope(name, z, t), rtol=1e-12, atol=1e-14)
    # Hand-written backprop: the same arithmetic in another order, so a few ulps of the largest
    # gradient (which can be 1/T = 20).
    exact = ref.backprop(layers, names, x, target, t)
    # Finite differences of the loss alone, the step scaled with T (the loss's curvature in the
    # last z grows as 1/T²): truncation and rounding both below 1e-9 of the gradient's scale.
    numeric = ref.finite_differences(
        layers, names, x, target, temperature=t, step=1e-3 * min(1.0, t)
    )
    for stage, want, approx in zip(trace.stages, exact, numeric, strict=True):
        assert stage.gradient is not None, stage.name
        got = np.array(stage.gradient)
        scale = max(1.0, 1.0 / t)
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=32 * EPS * scale, err_msg=stage.name)
        np.testing.assert_allclose(got, approx, rtol=1e-8, atol=1e-9 * scale, err_msg=stage.name)


def inputs_away_from_kinks(
    layers: ref.Layers, names: Sequence[str], seed: int, count: int = 4
) -> list[Array]:
    """``count`` seeded inputs in [−3, 3) whose z in every ReLU/LeakyReLU layer is at least
    0.05 from the kink: a finite difference across it measures neither side."""
    rng = np.random.default_rng(seed)
    kept: list[Array] = []
    while len(kept) < count:
        x = rng.uniform(-3.0, 3.0, size=4)
        zs, _ = ref.forward(layers, names, x)
        if all(np.abs(z).min() > 0.05 for z, n in zip(zs, names, strict=True) if n in KINKED):
            kept.append(x)
    return kept


@pytest.mark.parametrize(("names", "temperature"), PIPELINES, ids=str)
def test_trace_gradients_match_backprop_and_finite_differences(
    names: tuple[str, ...], temperature: float
) -> None:
    """For random weights, inputs and every target: ∂L/∂x and each layer's ∂L/∂z agree with
    hand-written backprop and with finite differences of the numpy loss."""
    network, layers = random_network(names, temperature, seed=PIPELINES.index((names, temperature)))
    for x in inputs_away_from_kinks(layers, names, seed=1):
        for target in range(4):
            trace = network.trace(x.tolist(), target)
            assert_trace_matches_reference(trace, layers, names, x, target, t=temperature)
            assert trace_inputs(x.tolist(), names, temperature, target).target == target


def test_trained_network_gradients_match_reference() -> None:
    """After real training (GELU → Tanh → Softmax, T = 0.5; and the default pipeline) the
    trace's gradients still match: the weights are the trainer's, read back as numbers."""
    trained = ((("GELU", "Tanh", "Softmax"), 0.5), (("ReLU", "Sigmoid", "Softmax"), 1.0))
    for names, temperature in trained:
        trainer = Trainer(TrainingConfig(activations=names, temperature=temperature, seed=3))
        for _ in range(3):
            trainer.train_epoch()
        flat = trainer.network.flat_weights().numpy()
        assert not np.allclose(flat, ActivationNet(names).flat_weights().numpy())
        layers = ref.layers_from_flat(flat)
        for x in inputs_away_from_kinks(layers, names, seed=2, count=3):
            target = TASKS["smallest"].answer(x.tolist())
            trace = trainer.network.trace(x.tolist(), target)
            assert_trace_matches_reference(trace, layers, names, x, target, t=temperature)


def test_default_trace_with_target_by_hand() -> None:
    """[2, −1, 0.5, 3] through ReLU → Sigmoid → Softmax, target 3, worked out by hand.

    p = softmax(σ(relu(x))) ≈ [0.28328, 0.19357, 0.21879, 0.30436]; L = −ln p₃ ≈ 1.18954;
    ∂L/∂z₃ = p − e₃; ∂L/∂z₂ = σ′(z₂)·(p − e₃) with σ′ = σ(1 − σ); ∂L/∂z₁ = relu′(z₁)·∂L/∂z₂,
    which is 0 for the −1 (ReLU passes nothing back there); ∂L/∂x = ∂L/∂z₁ (W = I).
    """
    trace = trace_inputs([2.0, -1.0, 0.5, 3.0], target=3)
    s = [1 / (1 + math.exp(-v)) for v in (2.0, 0.0, 0.5, 3.0)]
    total = sum(math.exp(v) for v in s)
    p = [math.exp(v) / total for v in s]
    assert trace.loss == pytest.approx(-math.log(p[3]), rel=1e-14)
    assert trace.loss == pytest.approx(1.18954, abs=5e-6)
    out = [p[0], p[1], p[2], p[3] - 1.0]
    sigmoid = [s[k] * (1 - s[k]) * out[k] for k in range(4)]
    relu = [sigmoid[0], 0.0, sigmoid[2], sigmoid[3]]
    gradients = {stage.name: stage.gradient or () for stage in trace.stages}
    assert gradients["Softmax"] == pytest.approx(out, abs=1e-15)
    assert gradients["Softmax"] == pytest.approx([0.28328, 0.19357, 0.21879, -0.69564], abs=5e-6)
    assert gradients["Sigmoid"] == pytest.approx(sigmoid, abs=1e-15)
    assert gradients["Sigmoid"] == pytest.approx(
        [0.029743, 0.048393, 0.051416, -0.031427], abs=5e-7
    )
    assert gradients["ReLU"] == pytest.approx(relu, abs=1e-15)
    assert gradients["ReLU"][1] == 0.0
    assert gradients["Input"] == pytest.approx(relu, abs=1e-15)
    assert trace.stages[1].derivative == (1.0, 0.0, 1.0, 1.0)
    assert trace.stages[2].derivative == pytest.approx([v * (1 - v) for v in s], abs=1e-16)
    assert trace.stages[3].derivative == pytest.approx([v * (1 - v) for v in p], abs=1e-16)


def test_trace_without_target_has_no_loss_or_gradients() -> None:
    """No target: no loss, no gradients, and the JSON has none of their keys; with one it has."""
    plain = trace_inputs([2.0, -1.0, 0.5, 3.0])
    assert plain.target is None
    assert plain.loss is None
    assert all(stage.gradient is None for stage in plain.stages)
    data = plain.to_json()
    assert set(data) == {"stages", "prediction"}
    assert all("gradient" not in stage for stage in data["stages"])
    targeted = trace_inputs([2.0, -1.0, 0.5, 3.0], target=3).to_json()
    assert targeted["target"] == 3
    assert targeted["loss"] == pytest.approx(1.18954, abs=5e-6)
    assert targeted["stages"][0]["gradient"][1] == 0.0
    assert all(len(stage["gradient"]) == 4 for stage in targeted["stages"])
    # Both traces agree on everything else.
    for a, b in zip(data["stages"], targeted["stages"], strict=True):
        assert a["values"] == b["values"]


@pytest.mark.parametrize("target", [-1, 4])
def test_trace_refuses_a_target_outside_the_classes(target: int) -> None:
    """A target must be a class 0-3."""
    with pytest.raises(ValueError, match=f"^the target class must be 0-3, not {target}$"):
        trace_inputs([1.0, 2.0, 3.0, 4.0], target=target)


def test_unit_states_name_dead_and_saturated_units() -> None:
    """ReLU at z ≤ 0 (0 included) is dead; Sigmoid at z = 8 (σ′ ≈ 3.4e-4) and Tanh at z = 3
    (tanh′ ≈ 0.0099) are saturated; Tanh at 2.6 (0.022) and LeakyReLU's 0.01 are not."""
    trace = trace_inputs([-1.0, 0.0, 2.0, 8.0])
    assert trace.stages[0].unit_states() == ()
    assert trace.stages[1].unit_states() == ("dead", "dead", "", "")
    assert ref.sigmoid_slope(np.array(8.0)) < SATURATION_SLOPE < ref.sigmoid_slope(np.array(2.0))
    assert trace.stages[2].unit_states() == ("", "", "", "saturated")
    assert trace.stages[3].unit_states() == ("", "", "", "")
    network = ActivationNet(("Tanh", "LeakyReLU", "Softmax"))
    with torch.no_grad():
        linear(network, 1).bias.copy_(torch.tensor([0.0, 0.0, 0.0, -5.0], dtype=DTYPE))
    trace = network.trace([3.0, 2.6, -3.0, 0.0])
    assert ref.tanh_slope(np.array(3.0)) < SATURATION_SLOPE < ref.tanh_slope(np.array(2.6))
    assert trace.stages[1].unit_states() == ("saturated", "", "saturated", "")
    # LeakyReLU below 0 keeps slope 0.01: not dead, and not below the saturation slope.
    assert trace.stages[2].pre_activation is not None
    assert trace.stages[2].pre_activation[2] < 0
    assert trace.stages[2].pre_activation[3] < 0
    assert trace.stages[2].unit_states() == ("", "", "", "")


# Unit statistics over the test set ------------------------------------------------------------


def set_row(trainer: Trainer, layer: int, unit: int, weights: Sequence[float], bias: float) -> None:
    """Give one unit of one layer new incoming weights and bias."""
    with torch.no_grad():
        linear(trainer.network, layer).weight[unit] = torch.tensor(weights, dtype=DTYPE)
        linear(trainer.network, layer).bias[unit] = bias


def reference_counts(trainer: Trainer) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """numpy's dead and saturated counts for the trainer's weights over its test set."""
    layers = ref.layers_from_flat(trainer.network.flat_weights().numpy())
    names = trainer.config.activations
    return ref.unit_counts(layers, names, trainer.data.test_x.numpy())


def test_dead_units_are_dead_on_every_test_sample() -> None:
    """Layer 1 unit 1 (z = −1 always) and unit 2 (z = 0 always) are dead; unit 3, z = x₃ − 2.5,
    is ≤ 0 on most test samples but not on all, so it still learns and is not counted."""
    trainer = Trainer()
    assert trainer.baseline.dead_units == (0, 0)
    set_row(trainer, 0, 1, [0.0] * 4, -1.0)
    set_row(trainer, 0, 2, [0.0] * 4, 0.0)
    set_row(trainer, 0, 3, [0.0, 0.0, 0.0, 1.0], -2.5)
    x3 = trainer.data.test_x[:, 3].numpy()
    assert 0 < (x3 > 2.5).sum() < 0.2 * len(x3)
    numbers = trainer.evaluate(0)
    assert numbers.dead_units == (2, 0)
    assert numbers.saturated_units == (0, 0)  # a dead ReLU has slope 0 but counts as dead only
    assert (numbers.dead_units, numbers.saturated_units) == reference_counts(trainer)
    assert numbers.layer_width == 4
    assert numbers.dead_fraction == 2 / 8


def test_saturated_units_are_flat_on_every_test_sample() -> None:
    """Sigmoid layer 2: bias +10 on top of relu(x) ≥ 0 saturates unit 0 (σ′ ≤ 4.5e-5); a
    constant z = 4.7 (σ′ = 0.0089) is saturated, z = 4.5 (σ′ = 0.0109) is not."""
    trainer = Trainer()
    set_row(trainer, 1, 0, [1.0, 0.0, 0.0, 0.0], 10.0)
    set_row(trainer, 1, 1, [0.0] * 4, 4.7)
    set_row(trainer, 1, 2, [0.0] * 4, 4.5)
    set_row(trainer, 0, 3, [0.0] * 4, -1.0)  # and one dead ReLU unit in layer 1
    assert ref.sigmoid_slope(np.array(4.7)) < SATURATION_SLOPE < ref.sigmoid_slope(np.array(4.5))
    numbers = trainer.evaluate(0)
    assert numbers.dead_units == (1, 0)
    assert numbers.saturated_units == (0, 2)
    assert (numbers.dead_units, numbers.saturated_units) == reference_counts(trainer)
    assert numbers.saturated_fraction == 2 / 8
    record = EpochRecord.from_numbers(numbers, "note", "saturated")
    row = record.to_json()
    assert (row["dead_units"], row["saturated_units"]) == ([1, 0], [0, 2])
    assert (row["dead_fraction"], row["saturated_fraction"]) == (1 / 8, 2 / 8)


def test_unit_counts_of_real_runs_match_reference() -> None:
    """Epoch by epoch, and for several epochs measured at once, the counts are numpy's."""
    configs = (
        TrainingConfig(activations=("ReLU", "ReLU", "Softmax"), learning_rate=1.0),
        TrainingConfig(activations=("Sigmoid", "Sigmoid", "Softmax"), learning_rate=1.0),
    )
    for config in configs:
        trainer = Trainer(config)
        counts = []
        for _ in range(4):
            record = trainer.train_epoch()
            counts.append((record.dead_units, record.saturated_units))
            assert counts[-1] == reference_counts(trainer), (config.activations, record.epoch)
        batched = Trainer(config)
        for _ in range(4):
            while not batched.train_batch():
                pass
        records = batched.collect().records
        assert [(r.dead_units, r.saturated_units) for r in records] == counts
    # The runs really had such units, so the comparison was not of zeros.
    assert counts[0][1] == (0, 4)  # Sigmoid → Sigmoid: all of layer 2 saturated at epoch 1


# Observations about units --------------------------------------------------------------------


def epoch(
    number: int,
    loss: float,
    accuracy: float,
    dead: tuple[int, int] = (0, 0),
    saturated: tuple[int, int] = (0, 0),
) -> EpochNumbers:
    """An epoch with train = test loss and accuracy, and the given unit counts."""
    return EpochNumbers(
        number, loss, loss, accuracy, accuracy, dead_units=dead, saturated_units=saturated
    )


def notes(
    epochs: list[EpochNumbers], hidden: tuple[str, str] = ("ReLU", "ReLU")
) -> list[Observation]:
    """A fresh tracker's notes, from a baseline at loss 1.4 and 2 % with no such units."""
    tracker = ObservationTracker(epoch(0, 1.4, 0.02), math.log(4), hidden)
    return [tracker.observe(e) for e in epochs]


def test_units_dying_are_named_with_their_layer() -> None:
    """A rise in dead units is the note, naming how many of 4, which activation, which layer."""
    got = notes(
        [
            epoch(1, 1.2, 0.3),
            epoch(2, 1.0, 0.4, dead=(1, 0)),
            epoch(3, 0.9, 0.45, dead=(1, 0)),  # no rise: the usual notes
            epoch(4, 0.85, 0.5, dead=(3, 1)),
            epoch(5, 0.8, 0.55, dead=(2, 1)),  # one revived: not a death
        ]
    )
    assert got[1] == Observation(
        "dead",
        "1 of 4 ReLU units in layer 1 has died, it is 0 on every test sample, so nothing "
        "flows back through it",
    )
    assert got[2].kind != "dead"
    assert got[3] == Observation(
        "dead",
        "3 of 4 ReLU units in layer 1 and 1 of 4 ReLU units in layer 2 have died, they are 0 "
        "on every test sample, so nothing flows back through them",
    )
    assert got[4].kind != "dead"


def test_saturating_units_are_named_with_their_layer() -> None:
    """A rise in saturated units names the activation of that layer and the slope bound."""
    got = notes([epoch(1, 1.2, 0.3), epoch(2, 1.1, 0.35, saturated=(0, 2))], ("ReLU", "Sigmoid"))
    assert got[1] == Observation(
        "saturated",
        "2 of 4 Sigmoid units in layer 2 are saturated on every test sample (slope below 0.01): "
        "almost no gradient flows back through them",
    )


def test_a_whole_dead_layer_is_named_every_epoch() -> None:
    """Four of four dead: every input gets the same answer, said even when nothing changed."""
    got = notes([epoch(1, 1.45, 0.23, dead=(0, 4)), epoch(2, 1.43, 0.26, dead=(0, 4))])
    assert got[0] == Observation(
        "first",
        "First epoch: loss 1.400 → 1.450, test accuracy 2% → 23%. 4 of 4 ReLU units in layer 2 "
        "are dead on every test sample: nothing flows back through them",
    )
    assert got[1] == Observation(
        "dead",
        "4 of 4 ReLU units in layer 2 are dead on every test sample: nothing flows back through "
        "them, so every input gets the same answer: test accuracy 26%",
    )


def test_unit_notes_give_way_to_high_accuracy_and_milestones() -> None:
    """At 95 % a new dead unit is not the story; passing 90 % comes before it too."""
    for accuracy, kind in ((0.96, "change"), (0.94, "dead")):
        got = notes(
            [
                epoch(1, 1.2, 0.5),
                epoch(2, 0.5, 0.92, dead=(1, 0)),  # milestone first
                epoch(3, 0.1, accuracy, dead=(2, 0)),  # a rise in dead units, and a big drop
            ]
        )
        assert got[1].kind == "milestone"
        assert got[2].kind == kind, accuracy


def test_a_plateau_with_dead_units_says_so() -> None:
    """Stalled at 50 % with one dead unit: the plateau note names the unit, not the step."""
    epochs = [
        epoch(1, 1.0, 0.5, dead=(1, 0)),
        epoch(2, 0.999, 0.5, dead=(1, 0)),
        epoch(3, 0.998, 0.5, dead=(1, 0)),
        epoch(4, 0.998, 0.5, dead=(1, 0)),
    ]
    got = notes(epochs)
    assert got[3] == Observation(
        "dead",
        "Plateau at test accuracy 50%: 1 of 4 ReLU units in layer 1 is dead on every test "
        "sample: nothing flows back through it",
    )
    # The same plateau without the unit is the plain plateau note.
    plain = notes([epoch(e.epoch, e.train_loss, 0.5) for e in epochs])
    assert plain[3].kind == "plateau"


def test_a_real_run_kills_relu_units_and_says_so() -> None:
    """ReLU → ReLU at Adam learning rate 1 (seed 0): within the first epoch all of layer 2
    dies; the notes say so, and a trace shows no gradient flowing back through the network."""
    trainer = Trainer(TrainingConfig(activations=("ReLU", "ReLU", "Softmax"), learning_rate=1.0))
    assert trainer.baseline.dead_units == (0, 0)
    records = [trainer.train_epoch() for _ in range(3)]
    assert records[0].dead_units == (0, 4)
    assert records[0].observation_kind == "first"
    assert records[0].observation.endswith(
        "4 of 4 ReLU units in layer 2 are dead on every test sample: nothing flows back through "
        "them"
    )
    assert [r.observation_kind for r in records[1:]] == ["dead", "dead"]
    assert all("so every input gets the same answer" in r.observation for r in records[1:])
    assert all(r.test_accuracy < 0.35 for r in records)
    x = trainer.data.test_x[0].tolist()
    trace = trainer.network.trace(x, int(trainer.data.test_y[0]))
    assert trace.stages[2].unit_states() == ("dead",) * 4
    for stage in trace.stages[:3]:
        assert stage.gradient == (0.0,) * 4, stage.name
    # The output layer itself still has a gradient: it is the layer below that passes none.
    assert trace.stages[3].gradient is not None
    assert any(g != 0.0 for g in trace.stages[3].gradient)

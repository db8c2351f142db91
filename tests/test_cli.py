"""The headless command line, run as a learner or a script would run it: ``python main.py``.

Bad input must exit 2 with one readable line on stderr, nothing on stdout and no traceback.
"""

from __future__ import annotations

import json
import math
import re
import subprocess
import tomllib
from pathlib import Path
from typing import Any

import helpers
import numpy as np
import numpy.typing as npt
import pytest

import main
from main import MAX_BATCH_SIZE, MAX_EPOCHS
from model.activations import ACTIVATIONS, HIDDEN_ACTIVATIONS
from model.config import MAX_COMPARED, MAX_SEED, TrainingConfig

ROOT = Path(__file__).resolve().parents[1]
#: Bound per command: each run that trains imports torch (about 1-2 s on a quiet machine).
TIMEOUT = 120


def run_main(*args: str) -> subprocess.CompletedProcess[str]:
    """Run ``python main.py *args`` in the project directory with offscreen Qt."""
    return helpers.run_python("main.py", *args, timeout=TIMEOUT)


def assert_clean_usage_error(result: subprocess.CompletedProcess[str], *needles: str) -> None:
    """Exit 2, one stderr line containing every needle, empty stdout, no traceback."""
    assert result.returncode == 2, (result.returncode, result.stdout, result.stderr)
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, f"expected one line on stderr, got: {result.stderr!r}"
    for needle in needles:
        assert needle in lines[0], f"{needle!r} missing from {lines[0]!r}"


def softmax(values: list[float]) -> list[float]:
    """e^v_i / sum_j e^v_j, by hand."""
    exps = [math.exp(v) for v in values]
    return [e / sum(exps) for e in exps]


def sigmoid(value: float) -> float:
    """1 / (1 + e^-v)."""
    return 1.0 / (1.0 + math.exp(-value))


def stages_by_name(data: dict[str, Any]) -> dict[str, list[float]]:
    """The JSON trace's values keyed by stage name."""
    return {stage["name"]: stage["values"] for stage in data["stages"]}


def main_json(capsys: pytest.CaptureFixture[str], *args: str) -> Any:
    """``main.main([*args, "--json"])`` in this process (exit 0), its stdout parsed."""
    assert main.main([*args, "--json"]) == 0
    captured = capsys.readouterr()
    assert captured.err == ""
    return json.loads(captured.out)


# Independent numpy math for the GELU → Tanh → Softmax pipeline (weights are the identity and
# biases zero, so every layer's z is the previous stage's values).

FloatArray = npt.NDArray[np.float64]


def np_gelu(z: FloatArray) -> FloatArray:
    """z · Φ(z), Φ the standard normal CDF, from math.erf."""
    return np.array([v * 0.5 * (1.0 + math.erf(v / math.sqrt(2.0))) for v in z])


def np_gelu_slope(z: FloatArray) -> FloatArray:
    """GELU'(z) = Φ(z) + z · φ(z)."""
    return np.array(
        [
            0.5 * (1.0 + math.erf(v / math.sqrt(2.0)))
            + v * math.exp(-v * v / 2.0) / math.sqrt(2.0 * math.pi)
            for v in z
        ]
    )


def np_softmax(z: FloatArray, temperature: float = 1.0) -> FloatArray:
    """softmax(z / T), shifted by the maximum for stability."""
    scaled = z / temperature
    exps = np.exp(scaled - scaled.max())
    return np.asarray(exps / exps.sum())


# --trace ---------------------------------------------------------------------------------------


def test_trace_json_seed_example() -> None:
    """--trace 2,-1,0.5,3 --json prints the four stages with the handout's values."""
    result = run_main("--trace", "2,-1,0.5,3", "--json")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    data = json.loads(result.stdout)
    stages = stages_by_name(data)
    assert list(stages) == ["Input", "ReLU", "Sigmoid", "Softmax"]
    assert stages["Input"] == [2.0, -1.0, 0.5, 3.0]
    assert stages["ReLU"] == [2.0, 0.0, 0.5, 3.0]
    assert stages["Sigmoid"] == pytest.approx([0.8808, 0.5, 0.6225, 0.9526], abs=5e-5)
    assert stages["Softmax"] == pytest.approx([0.2833, 0.1936, 0.2188, 0.3044], abs=5e-5)
    assert data["prediction"] == 3


def test_trace_leading_minus() -> None:
    """A first value with a minus sign is a value, not an option."""
    result = run_main("--trace", "-1.5,2,0,3", "--json")
    assert result.returncode == 0, result.stderr
    stages = stages_by_name(json.loads(result.stdout))
    relu = [0.0, 2.0, 0.0, 3.0]
    assert stages["Input"] == [-1.5, 2.0, 0.0, 3.0]
    assert stages["ReLU"] == relu
    expected_sigmoid = [sigmoid(v) for v in relu]
    assert stages["Sigmoid"] == pytest.approx(expected_sigmoid, rel=1e-12)
    assert stages["Softmax"] == pytest.approx(softmax(expected_sigmoid), rel=1e-12)


def test_trace_table() -> None:
    """Without --json, a table with one row per stage and the predicted class."""
    result = run_main("--trace", "2,-1,0.5,3")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    names = [line.split()[0] for line in lines[1:5]]
    assert names == ["Input", "ReLU", "Sigmoid", "Softmax"]
    sigmoid_row = lines[3].split()
    assert sigmoid_row[1:5] == ["0.8808", "0.5000", "0.6225", "0.9526"]
    softmax_row = lines[4].split()
    assert softmax_row[1:5] == ["0.2833", "0.1936", "0.2188", "0.3044"]
    assert "prediction: class 4" in result.stdout
    assert "softmax sums to 1.0000" in result.stdout


def value_columns(line: str) -> list[int]:
    """Where each whitespace-separated cell of a table line ends (its right edge)."""
    return [match.end() for match in re.finditer(r"\S+", line)]


@pytest.mark.parametrize(
    "value", ["-1000000,0.5,1000000,-0.25", "1e-7,-1e-7,0.00001,-0.00004", "-1000000,1e-7,0,2"]
)
def test_trace_table_columns_line_up(value: str) -> None:
    """Wide (-1000000.0000) and tiny values: every value column ends where its header ends."""
    result = run_main("--trace", value)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    header, rows = lines[0], lines[1:5]
    assert header.split()[:5] == ["stage", "v1", "v2", "v3", "v4"]
    edges = value_columns(header)[1:5]
    for row in rows:
        assert value_columns(row)[1:5] == edges, f"{row!r} is out of line with {header!r}"
    inputs = lines[1].split()[1:5]
    assert inputs == [f"{float(v):.4f}" for v in value.split(",")]
    # the shape column lines up as well
    shape_starts = {line.index("1 × 4") for line in rows}
    assert len(shape_starts) == 1
    assert header.index("shape") in shape_starts


@pytest.mark.parametrize(
    ("value", "needles"),
    [
        ("1,2,3", ["expected exactly 4", "got 3"]),
        ("1,2,3,4,5", ["expected exactly 4", "got 5"]),
        ("", ["expected exactly 4"]),
        ("1,x,3,4", ["item 2 (x)", "not a number"]),
        ("1,,3,4", ["item 2 (empty)"]),
        ("nan,1,2,3", ["item 1 (nan)", "not a finite number"]),
        ("inf,1,2,3", ["item 1 (inf)", "not a finite number"]),
        ("1e999,0,0,0", ["item 1 (1e999)", "outside the allowed range"]),
        ("1_000,0,0,0", ["item 1 (1_000)", "thousands separator"]),
    ],
)
def test_trace_bad_input(value: str, needles: list[str]) -> None:
    """Each malformed vector exits 2 with a one-line reason naming the bad item."""
    assert_clean_usage_error(run_main("--trace", value), "--trace", *needles)


# --trace with --activations, --temperature and --target -----------------------------------


@pytest.mark.parametrize("temperature", [None, "0.5", "3"])
def test_trace_json_other_pipeline_matches_numpy(temperature: str | None) -> None:
    """--activations gelu,TANH,Softmax traces GELU → Tanh → Softmax(z / T), names canonical."""
    x = np.array([2.0, -1.0, 0.5, -3.0])
    args = ["--trace", "2,-1,0.5,-3", "--activations", "gelu,TANH,Softmax", "--json"]
    if temperature is not None:
        args += ["--temperature", temperature]
    result = run_main(*args)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    data = json.loads(result.stdout)
    # without --target the JSON has exactly today's keys: no loss, no gradient
    assert set(data) == {"stages", "prediction"}
    assert [stage["name"] for stage in data["stages"]] == ["Input", "GELU", "Tanh", "Softmax"]
    assert all("gradient" not in stage for stage in data["stages"])
    t = 1.0 if temperature is None else float(temperature)
    gelu = np_gelu(x)
    tanh = np.tanh(gelu)
    probabilities = np_softmax(tanh, t)
    expected = [(x, None), (gelu, x), (tanh, gelu), (probabilities, tanh)]
    for stage, (values, pre_activation) in zip(data["stages"], expected, strict=True):
        assert stage["values"] == pytest.approx(values.tolist(), rel=1e-12, abs=1e-15)
        if pre_activation is None:
            assert "pre_activation" not in stage
        else:
            assert stage["pre_activation"] == pytest.approx(pre_activation.tolist(), rel=1e-12)
    assert data["prediction"] == int(np.argmax(probabilities))


#: (activations, temperature): smooth and kinked pipelines, cold and hot softmax.
GRADIENT_CASES = [
    ("gelu,tanh,softmax", "0.5"),
    ("relu,sigmoid,softmax", None),
    ("elu,silu,softmax", "2"),
    ("leakyrelu,softplus,softmax", "0.05"),
    ("identity,identity,softmax", "20"),
]


@pytest.mark.parametrize(("activations", "temperature"), GRADIENT_CASES)
@pytest.mark.parametrize("target", [0, 3])
def test_trace_target_gradients(
    capsys: pytest.CaptureFixture[str], activations: str, temperature: str | None, target: int
) -> None:
    """--target K: ∂L/∂x matches central differences of the printed loss, and the output
    stage's ∂L/∂z is (softmax(z / T) − onehot(K)) / T."""
    x = [1.5, -0.7, 0.3, 2.2]  # no input at a kink (0)
    options = ["--activations", activations, "--target", str(target)]
    if temperature is not None:
        options += ["--temperature", temperature]
    t = 1.0 if temperature is None else float(temperature)

    def trace(values: list[float]) -> Any:
        return main_json(capsys, "--trace", ",".join(repr(v) for v in values), *options)

    data = trace(x)
    assert data["target"] == target
    stages = data["stages"]
    assert all(len(stage["gradient"]) == 4 for stage in stages)
    z = np.array(stages[-1]["pre_activation"])
    probabilities = np_softmax(z, t)
    assert stages[-1]["values"] == pytest.approx(probabilities.tolist(), rel=1e-12)
    assert data["loss"] == pytest.approx(-math.log(probabilities[target]), rel=1e-12)
    onehot = np.eye(4)[target]
    assert stages[-1]["gradient"] == pytest.approx(
        ((probabilities - onehot) / t).tolist(), rel=1e-10, abs=1e-12
    )
    h = 1e-6
    differences = []
    for i in range(4):
        up = [v + h if j == i else v for j, v in enumerate(x)]
        down = [v - h if j == i else v for j, v in enumerate(x)]
        differences.append((trace(up)["loss"] - trace(down)["loss"]) / (2 * h))
    assert stages[0]["gradient"] == pytest.approx(differences, rel=1e-5, abs=1e-7)


def test_trace_target_gradient_chain_matches_numpy(capsys: pytest.CaptureFixture[str]) -> None:
    """GELU → Tanh → Softmax at T = 0.5: every stage's gradient by hand-written backprop."""
    x = np.array([2.0, -1.0, 0.5, 3.0])
    t, target = 0.5, 1
    data = main_json(
        capsys,
        "--trace=2,-1,0.5,3",
        "--activations=gelu,tanh,softmax",
        "--temperature=0.5",
        "--target=1",
    )
    gelu = np_gelu(x)
    tanh = np.tanh(gelu)
    probabilities = np_softmax(tanh, t)
    output = (probabilities - np.eye(4)[target]) / t  # ∂L/∂z₃, z₃ = tanh
    through_tanh = output * (1.0 - tanh**2)  # ∂L/∂z₂, z₂ = gelu
    through_gelu = through_tanh * np_gelu_slope(x)  # ∂L/∂z₁, z₁ = x
    gradients = [stage["gradient"] for stage in data["stages"]]
    expected = [through_gelu, through_gelu, through_tanh, output]
    for gradient, wanted in zip(gradients, expected, strict=True):
        assert gradient == pytest.approx(wanted.tolist(), rel=1e-10, abs=1e-14)
    assert data["loss"] == pytest.approx(-math.log(probabilities[target]), rel=1e-12)


def test_trace_table_with_target() -> None:
    """Without --json, --target keeps the table's lines and adds the loss and gradient rows."""
    plain = run_main("--trace", "2,-1,0.5,3")
    result = run_main("--trace", "2,-1,0.5,3", "--target", "0")
    as_json = run_main("--trace", "2,-1,0.5,3", "--target", "0", "--json")
    assert plain.returncode == result.returncode == as_json.returncode == 0, result.stderr
    data = json.loads(as_json.stdout)
    lines = result.stdout.splitlines()
    # the table and the prediction line, exactly as without --target
    assert lines[:6] == plain.stdout.splitlines()
    assert "temperature" not in result.stdout  # only said when T is not 1
    assert lines[6] == (
        f"loss: {data['loss']:.4f} (cross-entropy against target class 1, --target 0)"
    )
    assert lines[7].split() == ["gradient", "v1", "v2", "v3", "v4"]
    rows = lines[8:]
    assert [row.split()[:2] for row in rows] == [
        ["∂L/∂x", "Input"],
        ["∂L/∂z", "ReLU"],
        ["∂L/∂z", "Sigmoid"],
        ["∂L/∂z", "Softmax"],
    ]
    for row, stage in zip(rows, data["stages"], strict=True):
        assert row.split()[2:] == [f"{g:.4f}" for g in stage["gradient"]]
    edges = value_columns(lines[7])[1:5]
    for row in rows:
        assert value_columns(row)[2:6] == edges, f"{row!r} is out of line with {lines[7]!r}"


def test_trace_table_names_stages_by_activation() -> None:
    """The table's rows are named by the chosen activations, and T is stated when not 1."""
    result = run_main("--trace", "2,-1,0.5,3", "--activations", "elu,identity,softmax")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert [line.split()[0] for line in lines[1:5]] == ["Input", "ELU", "Identity", "Softmax"]
    assert "temperature" not in result.stdout
    hot = run_main(
        "--trace", "2,-1,0.5,3", "--activations", "elu,identity,softmax", "--temperature", "4"
    )
    assert hot.returncode == 0, hot.stderr
    assert "temperature: T = 4 (the output is softmax(z / T))" in hot.stdout.splitlines()


# --train ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def train_json() -> tuple[subprocess.CompletedProcess[str], subprocess.CompletedProcess[str]]:
    """The same five-epoch training command, run twice."""
    args = ("--train", "--epochs", "5", "--seed", "0", "--json")
    return run_main(*args), run_main(*args)


def test_train_json_learns(
    train_json: tuple[subprocess.CompletedProcess[str], subprocess.CompletedProcess[str]],
) -> None:
    """Five epochs: epoch 5's loss is lower and its accuracy higher than epoch 1's."""
    result = train_json[0]
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    epochs = data["epochs"]
    assert [e["epoch"] for e in epochs] == [1, 2, 3, 4, 5]
    for row in epochs:
        assert {"epoch", "loss", "test_loss", "accuracy", "observation"} <= set(row)
        assert 0.0 <= row["accuracy"] <= 1.0
        assert row["observation"]
    assert epochs[-1]["loss"] < epochs[0]["loss"]
    assert epochs[-1]["accuracy"] > epochs[0]["accuracy"]
    assert epochs[0]["observation"].startswith("First epoch")
    assert data["config"]["seed"] == 0
    assert data["config"]["learning_rate"] == 0.05


def test_train_is_reproducible(
    train_json: tuple[subprocess.CompletedProcess[str], subprocess.CompletedProcess[str]],
) -> None:
    """The same command twice prints byte-identical output."""
    first, second = train_json
    assert first.returncode == second.returncode == 0
    assert first.stdout == second.stdout


def test_train_table() -> None:
    """Without --json, training prints a header and one row per epoch."""
    result = run_main("--train", "--epochs", "2", "--task", "largest")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split()[:3] == ["epoch", "train", "loss"]
    assert [line.split()[0] for line in lines[1:]] == ["1", "2"]


def test_train_divergence_exits_1_with_a_reason() -> None:
    """A learning rate that blows up exits 1 and says to try a smaller one."""
    result = run_main("--train", "--epochs", "3", "--lr", "50", "--json")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "learning rate" in result.stderr
    assert json.loads(result.stdout)["epochs"] == []


#: Two pipelines, spelled in mixed case; their canonical names; the shared settings.
COMPARED = ("relu,sigmoid,softmax", "GELU,tanh,SOFTMAX")
COMPARED_NAMES = [["ReLU", "Sigmoid", "Softmax"], ["GELU", "Tanh", "Softmax"]]
COMPARE_SETTINGS = ("--epochs", "2", "--seed", "3", "--temperature", "0.5", "--json")


@pytest.fixture(scope="module")
def compared() -> tuple[subprocess.CompletedProcess[str], list[subprocess.CompletedProcess[str]]]:
    """--train --compare of COMPARED, and --train --activations P alone for each P."""
    comparison = run_main("--train", "--compare", *COMPARED, *COMPARE_SETTINGS)
    singles = [
        run_main("--train", "--activations", pipeline, *COMPARE_SETTINGS) for pipeline in COMPARED
    ]
    return comparison, singles


def test_compare_runs_equal_single_runs(
    compared: tuple[subprocess.CompletedProcess[str], list[subprocess.CompletedProcess[str]]],
) -> None:
    """Each compared run prints exactly the epochs (and config) of that pipeline run alone."""
    comparison, singles = compared
    assert comparison.returncode == 0, comparison.stderr
    assert comparison.stderr == ""
    runs = json.loads(comparison.stdout)["runs"]
    assert [run["activations"] for run in runs] == COMPARED_NAMES
    assert [run["temperature"] for run in runs] == [0.5, 0.5]
    for run, single in zip(runs, singles, strict=True):
        assert single.returncode == 0, single.stderr
        alone = json.loads(single.stdout)
        assert run["epochs"] == alone["epochs"]
        assert run["config"] == alone["config"]
        assert run["diverged"] is None
        assert [e["epoch"] for e in run["epochs"]] == [1, 2]
    # the pipelines really differ
    assert runs[0]["epochs"][0]["loss"] != runs[1]["epochs"][0]["loss"]


def test_train_json_config_names_the_pipeline(
    compared: tuple[subprocess.CompletedProcess[str], list[subprocess.CompletedProcess[str]]],
) -> None:
    """--train --activations P --temperature T: the JSON config has both, names canonical."""
    _, singles = compared
    for single, names in zip(singles, COMPARED_NAMES, strict=True):
        config = json.loads(single.stdout)["config"]
        assert config["activations"] == names
        assert config["temperature"] == 0.5
        assert config["seed"] == 3


def test_train_json_config_default_pipeline(
    train_json: tuple[subprocess.CompletedProcess[str], subprocess.CompletedProcess[str]],
) -> None:
    """Without --activations the config states the product's pipeline at T = 1."""
    config = json.loads(train_json[0].stdout)["config"]
    assert config["activations"] == ["ReLU", "Sigmoid", "Softmax"]
    assert config["temperature"] == 1.0


@pytest.mark.parametrize(
    "spelling",
    [
        ["--compare", *COMPARED],
        ["--compare=" + COMPARED[0], COMPARED[1]],
        ["--compare", COMPARED[0], "--compare", COMPARED[1]],
        ["--comp", *COMPARED],
    ],
)
def test_compare_spellings(spelling: list[str]) -> None:
    """Spaced, glued, repeated and abbreviated --compare all give both pipelines, in order."""
    args = main._parse_args(["--train", *spelling, "--temperature=0.25"])
    assert [list(p.activations) for p in args.pipelines] == COMPARED_NAMES
    assert [p.temperature for p in args.pipelines] == [0.25, 0.25]


def test_compare_table_has_a_heading_per_run() -> None:
    """Without --json, one epoch table per pipeline under a heading that names it."""
    result = run_main("--train", "--compare", *COMPARED, "--epochs", "2", "--temperature", "2")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "pipeline 1: ReLU → Sigmoid → Softmax (T = 2)"
    assert lines[1].split()[:3] == ["epoch", "train", "loss"]
    assert [line.split()[0] for line in lines[2:4]] == ["1", "2"]
    assert lines[4] == ""
    assert lines[5] == "pipeline 2: GELU → Tanh → Softmax (T = 2)"
    assert lines[6].split()[:3] == ["epoch", "train", "loss"]
    assert [line.split()[0] for line in lines[7:]] == ["1", "2"]


def test_compare_one_diverging_run_keeps_the_others() -> None:
    """At learning rate 5 the linear pipeline diverges: the other is still printed, exit 1."""
    result = run_main(
        "--train",
        "--compare",
        "relu,sigmoid,softmax",
        "identity,identity,softmax",
        "--lr",
        "5",
        "--epochs",
        "2",
        "--json",
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "Identity → Identity → Softmax" in result.stderr
    assert "learning rate" in result.stderr
    first, second = json.loads(result.stdout)["runs"]
    assert [e["epoch"] for e in first["epochs"]] == [1, 2]
    assert first["diverged"] is None
    assert second["activations"] == ["Identity", "Identity", "Softmax"]
    assert second["epochs"] == []
    assert "learning rate" in second["diverged"]


def test_command_line_pipelines_load_no_qt() -> None:
    """--trace with --activations/--target and --train --compare import no Qt."""
    script = """
import contextlib, io, json, sys
import main
with contextlib.redirect_stdout(io.StringIO()):
    codes = [
        main.main(["--trace", "1,2,3,4", "--activations", "gelu,tanh,softmax", "--target", "1"]),
        main.main(["--train", "--compare", "relu,sigmoid,softmax", "elu,tanh,softmax",
                   "--epochs", "1", "--json"]),
    ]
qt = sorted(m for m in sys.modules if m.split(".")[0] in ("PySide6", "shiboken6", "pyqtgraph"))
print(json.dumps([codes, qt]))
"""
    result = helpers.run_python("-c", script, timeout=TIMEOUT)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.splitlines()[-1]) == [[0, 0], []]


UNKNOWN = "choose one of " + ", ".join(ACTIVATIONS)
HIDDEN = "choose one of " + ", ".join(HIDDEN_ACTIVATIONS)
TEMPERATURE_RANGE = "the softmax temperature must be between 0.05 and 20"
TRACE = ["--trace", "1,2,3,4"]


@pytest.mark.parametrize("mode", [TRACE, ["--train"]])
@pytest.mark.parametrize(
    ("value", "needles"),
    [
        ("relu,swish,softmax", ["unknown activation 'swish'", UNKNOWN]),
        ("re\nlu,sigmoid,softmax", ["unknown activation 're\\nlu'"]),
        ("softmax,relu,softmax", ["layer 1 is hidden, so it cannot be Softmax", HIDDEN]),
        ("relu,SOFTMAX,softmax", ["layer 2 is hidden, so it cannot be Softmax", HIDDEN]),
        ("relu,sigmoid,tanh", ["not Tanh; choose Softmax"]),
        ("relu,sigmoid,identity", ["not Identity; choose Softmax"]),
        ("relu,softmax", ["3 activations (hidden, hidden, output), not 2: ReLU, Softmax"]),
        ("relu,relu,relu,softmax", ["not 4: ReLU, ReLU, ReLU, Softmax"]),
        ("softmax", ["not 1: Softmax"]),
        ("a,b,c,d,e,f,g,h", ["not 8: 'a,b,c,d,e,f,g,h'"]),
        ("relu,,softmax", ["activation 2 of 'relu,,softmax' is empty"]),
        ("", ["activation 1 of '' is empty"]),
    ],
)
def test_bad_activations(mode: list[str], value: str, needles: list[str]) -> None:
    """A bad pipeline is refused naming the bad name (or count) and what is allowed there."""
    result = run_main(*mode, "--activations", value)
    assert_clean_usage_error(result, "main.py: error: --activations: ", *needles)


@pytest.mark.parametrize("mode", [TRACE, ["--train"], ["--train", "--compare", COMPARED[0]]])
@pytest.mark.parametrize(
    ("value", "needles"),
    [
        ("0.01", [TEMPERATURE_RANGE, "not 0.01"]),
        ("0", [TEMPERATURE_RANGE, "not 0.0"]),
        ("-1", [TEMPERATURE_RANGE, "not -1.0"]),  # a leading '-' is a value, not an option
        ("25", [TEMPERATURE_RANGE, "not 25.0"]),
        ("1e999", [TEMPERATURE_RANGE, "not inf"]),
        ("-inf", [TEMPERATURE_RANGE, "not -inf"]),
        ("abc", ["'abc' is not a number"]),
        ("nan", ["'nan' is not a finite number"]),
        ("0,5", ["'0,5' has a thousands separator or a stray comma"]),
        ("", ["empty"]),
    ],
)
def test_bad_temperature(mode: list[str], value: str, needles: list[str]) -> None:
    """--temperature takes a number from 0.05 to 20, with --trace, --train and --compare."""
    result = run_main(*mode, "--temperature", value)
    assert_clean_usage_error(result, "main.py: error: --temperature: ", *needles)


@pytest.mark.parametrize(
    ("value", "needles"),
    [
        ("4", ["'4' is outside the allowed range of 0 to 3"]),
        ("-1", ["'-1' is outside the allowed range of 0 to 3"]),
        ("1.5", ["'1.5' is not a whole number", "from 0 to 3"]),
        ("x", ["'x' is not a whole number", "from 0 to 3"]),
        ("+1", ["'+1' has a plus sign"]),
        ("", ["empty", "from 0 to 3"]),
    ],
)
def test_bad_target(value: str, needles: list[str]) -> None:
    """--target is a class index from 0 to 3."""
    result = run_main(*TRACE, "--target", value, "--json")
    assert_clean_usage_error(result, "main.py: error: --target: ", *needles)


@pytest.mark.parametrize(
    ("args", "needles"),
    [
        (
            ["--train", "--compare", *([COMPARED[0]] * (MAX_COMPARED + 1))],
            [f"--compare takes 1 to {MAX_COMPARED} pipelines, not {MAX_COMPARED + 1}"],
        ),
        (
            ["--train", "--compare", COMPARED[0], "--compare", *([COMPARED[1]] * MAX_COMPARED)],
            [f"not {MAX_COMPARED + 1}"],
        ),
        (
            ["--train", "--compare", COMPARED[0], "relu,swish,softmax"],
            ["--compare: pipeline 2: unknown activation 'swish'", UNKNOWN],
        ),
        (
            ["--train", "--compare", "relu,softmax,softmax", COMPARED[0]],
            ["--compare: pipeline 1: layer 2 is hidden, so it cannot be Softmax", HIDDEN],
        ),
        (
            ["--train", "--compare", COMPARED[0], "relu,tanh,sigmoid"],
            ["--compare: pipeline 2: ", "not Sigmoid; choose Softmax"],
        ),
        (["--train", "--compare", "relu,softmax"], ["--compare: pipeline 1: ", "not 2"]),
        (["--train", "--compare"], ["--compare", "expected at least one argument"]),
        (["--train", "--compare=-relu,sigmoid,softmax"], ["unknown activation '-relu'"]),
        (
            ["--train", "--compare", COMPARED[0], "--activations", COMPARED[1]],
            ["--compare and --activations cannot be combined"],
        ),
        ([*TRACE, "--compare", COMPARED[0]], ["--compare goes with --train only"]),
        (["--train", "--target", "1"], ["--target goes with --trace only"]),
        (["--screenshot", "x.png", "--target", "1"], ["--target goes with --trace only"]),
        (["--activations", COMPARED[0]], ["--activations goes with --trace, --train or --code"]),
        (["--temperature", "2"], ["--temperature goes with --trace, --train or --code"]),
        (
            ["--screenshot", "x.png", "--activations", COMPARED[0], "--temperature", "2"],
            ["--activations, --temperature go with --trace, --train or --code"],
        ),
    ],
)
def test_bad_pipeline_options(args: list[str], needles: list[str]) -> None:
    """Compared pipelines are checked like --activations; options out of place are named."""
    assert_clean_usage_error(run_main(*args), *needles)


@pytest.mark.parametrize(
    ("args", "needles"),
    [
        (["--train", "--epochs", "-1"], ["--epochs", "-1"]),
        (["--train", "--lr", "abc"], ["--lr", "abc"]),
        (["--train", "--lr", "0"], ["learning rate"]),
        (["--train", "--task", "nope"], ["unknown task 'nope'"]),
        (["--train", "--optimizer", "nope"], ["unknown optimizer 'nope'"]),
        (["--json"], ["--json"]),
        (["--train", "--epochs", "x"], ["--epochs"]),
        (["--trace", "1,2,3,4", "--epochs", "3"], ["--epochs"]),
        (["--train", "--seed", "-1"], ["seed"]),
        (["--lr", "--json", "--train"], ["--lr", "expected one argument"]),
    ],
)
def test_bad_options(args: list[str], needles: list[str]) -> None:
    """Bad options exit 2 with one readable line and no traceback."""
    assert_clean_usage_error(run_main(*args), *needles)


EPOCHS_RANGE = f"is outside the allowed range of 1 to {MAX_EPOCHS}"
SEED_RANGE = f"is outside the allowed range of 0 to {MAX_SEED}"
BATCH_RANGE = f"is outside the allowed range of 1 to {MAX_BATCH_SIZE}"


@pytest.mark.parametrize("mode", [["--train"], ["--screenshot", "never-written.png"]])
@pytest.mark.parametrize(
    ("value", "needles"),
    [
        ("\u0663", ["'\u0663' uses non-ASCII digits"]),  # int() reads Arabic-Indic ٣ as 3
        ("\uff13", ["'\uff13' uses non-ASCII digits"]),  # ... and fullwidth digits
        ("1_0", ["'1_0' has a thousands separator"]),
        ("+2", ["'+2' has a plus sign"]),
        (" 3", ["' 3' has a thousands separator or a space"]),
        ("2.5", ["'2.5' is not a whole number"]),
        ("", ["empty"]),
        ("0", [f"'0' {EPOCHS_RANGE}"]),  # trained nothing and exited 0
        ("-1", [f"'-1' {EPOCHS_RANGE}"]),
        ("10001", [f"'10001' {EPOCHS_RANGE}"]),
    ],
)
def test_bad_epochs(mode: list[str], value: str, needles: list[str]) -> None:
    """--epochs takes plain ASCII digits from 1 to 10000, with --train and --screenshot alike."""
    result = run_main(*mode, "--epochs", value)
    assert_clean_usage_error(result, "main.py: error: --epochs: ", *needles)
    assert f"from 1 to {MAX_EPOCHS}" in result.stderr or EPOCHS_RANGE in result.stderr


@pytest.mark.parametrize(
    ("option", "value", "needles"),
    [
        ("--seed", "\u0663", ["uses non-ASCII digits", f"from 0 to {MAX_SEED}"]),
        ("--seed", "1_0", ["has a thousands separator", f"from 0 to {MAX_SEED}"]),
        ("--seed", "+2", ["has a plus sign"]),
        ("--seed", " 3", ["has a thousands separator or a space"]),
        ("--seed", "-1", [f"'-1' {SEED_RANGE}"]),
        ("--seed", str(MAX_SEED + 1), [f"'{MAX_SEED + 1}' {SEED_RANGE}"]),
        ("--batch-size", "\uff13\uff12", ["uses non-ASCII digits", f"from 1 to {MAX_BATCH_SIZE}"]),
        ("--batch-size", "1_6", ["has a thousands separator"]),
        ("--batch-size", "+16", ["has a plus sign"]),
        ("--batch-size", "16 ", ["has a thousands separator or a space"]),
        ("--batch-size", "0", [f"'0' {BATCH_RANGE}"]),
        ("--batch-size", "-16", [f"'-16' {BATCH_RANGE}"]),
        ("--batch-size", "1025", [f"'1025' {BATCH_RANGE}"]),
    ],
)
def test_bad_integer_training_options(option: str, value: str, needles: list[str]) -> None:
    """--seed and --batch-size are parsed as strictly as --epochs, each with its own range."""
    result = run_main("--train", "--epochs", "1", option, value)
    assert_clean_usage_error(result, f"main.py: error: {option}: ", *needles)


def test_batch_size_range_is_the_configs() -> None:
    """The command line's batch-size range is the one TrainingConfig.validate enforces."""
    TrainingConfig(batch_size=1).validate()
    TrainingConfig(batch_size=MAX_BATCH_SIZE).validate()
    for outside in (0, MAX_BATCH_SIZE + 1):
        with pytest.raises(ValueError, match="batch size"):
            TrainingConfig(batch_size=outside).validate()


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("-1e-3", "-0.001"),  # argparse took it for an option: "expected one argument"
        ("-inf", "-inf"),
        ("-1", "-1"),
        ("1e7", "1e+07"),  # was refused with the cells' ±1,000,000 instead
        ("1e999", "inf"),
        ("100.0000001", "100.0000001"),  # was "not 100"
        ("100.00000000000001", "100.00000000000001"),
        ("0", "0"),
    ],
)
def test_bad_learning_rate_states_its_own_range(value: str, shown: str) -> None:
    """Any out-of-range rate gets the learning rate's (0, 100], with the value in full."""
    result = run_main("--train", "--lr", value)
    assert_clean_usage_error(result, f"learning rate must be above 0 and at most 100, not {shown}")
    assert result.stderr.rstrip("\n").endswith(f"not {shown}")
    assert "1,000,000" not in result.stderr


@pytest.mark.parametrize(
    ("value", "needles"),
    [
        ("nan", ["--lr: 'nan' is not a finite number"]),
        ("-abc", ["--lr: '-abc' is not a number"]),
        ("1_0", ["--lr: '1_0' has a thousands separator"]),
    ],
)
def test_learning_rate_typos_keep_their_reason(value: str, needles: list[str]) -> None:
    """A rate that is not a number at all is refused for that, even with a leading '-'."""
    assert_clean_usage_error(run_main("--train", "--lr", value), *needles)


@pytest.mark.parametrize("path", ["", "   "])
def test_screenshot_needs_a_path(path: str) -> None:
    """An empty path is refused rather than opening the interactive window."""
    result = run_main("--screenshot", path)
    assert_clean_usage_error(result, "main.py: error: --screenshot needs a file path")


@pytest.mark.parametrize(
    ("args", "echo"),
    [
        (["--train", "--seed", "1" * 100_000], "'111111111111111111111111…' (100,000 characters)"),
        (
            ["--train", "--epochs", "7" * 100_000],
            "'777777777777777777777777…' (100,000 characters)",
        ),
        (["--train", "--lr", "x" * 100_000], "'xxxxxxxxxxxxxxxxxxxxxxxx…' (100,000 characters)"),
        (["--train", "--task", "t" * 100_000], "'tttttttttttttttttttttttt…' (100,000 characters)"),
        (
            ["--train", "--optimizer", "o" * 100_000],
            "'oooooooooooooooooooooooo…' (100,000 characters)",
        ),
        (["--trace", "9" * 100_000 + ",0,0,0"], "'999999999999999999999999…' (100,000 characters)"),
        (["--trace", ",".join("1" * 50_000)], "'1,1,1,1,1,1,1,1,1,1,1,1,…' (99,999 characters)"),
        (["--train", "u" * 100_000], "arguments: 'uuuuuuuuuuuuuuuuuuuuuuuu…' (100,000 characters)"),
        (["--t=" + "u" * 100_000], "ambiguous option: --t=uuu"),  # argparse's own message
        (
            ["--train", "--activations", "x" * 100_000],
            "unknown activation 'xxxxxxxxxxxxxxxxxxxxxxxx…' (100,000 characters)",
        ),
        (
            ["--trace", "1,2,3,4", "--activations", "relu," * 20_000],
            "not 20,001: 'relu,relu,relu,relu,relu…' (100,000 characters)",
        ),
        (
            ["--train", "--compare", "relu,sigmoid,softmax", "y" * 100_000],
            "pipeline 2: unknown activation 'yyyyyyyyyyyyyyyyyyyyyyyy…' (100,000 characters)",
        ),
        (
            ["--train", "--compare", *(["relu,sigmoid,softmax"] * 10_000)],
            "not 10,000",
        ),
        (
            ["--trace", "1,2,3,4", "--temperature", "t" * 100_000],
            "'tttttttttttttttttttttttt…' (100,000 characters) is not a number",
        ),
        (
            ["--trace", "1,2,3,4", "--target", "9" * 100_000],
            "'999999999999999999999999…' (100,000 characters) is outside",
        ),
    ],
)
def test_long_input_is_echoed_briefly(args: list[str], echo: str) -> None:
    """A pasted 100,000-character value is shown by its head and length, never in full."""
    result = run_main(*args)
    assert_clean_usage_error(result, echo)
    assert len(result.stderr) < 600, result.stderr


@pytest.mark.parametrize(
    ("args", "echo"),
    [
        (["--trace", "1,2\n3,4,5"], "item 2 (2\\n3)"),
        (["--trace", "1,2\n,3"], "got 3 in '1,2\\n,3'"),
        (["--train", "--lr", "0.\n5"], "'0.\\n5'"),
        (["--train", "--lr", "0.5\u20280"], "'0.5\\u20280'"),
        (["--train", "--epochs", "1\r2"], "'1\\r2'"),
        (["--train", "--seed", "\x1b[31m7"], "'\\x1b[31m7'"),  # no terminal escapes either
        (["--train", "--task", "a\nb"], "unknown task 'a\\nb'"),
        (["--train", "--optimizer", "a\x0bb"], "unknown optimizer 'a\\x0bb'"),
        (["--train", "x\ny", "z"], "unrecognized arguments: 'x\\ny' 'z'"),
        (["--trace", "1,2,3,4", "--activations", "relu,sig\nmoid,softmax"], "'sig\\nmoid'"),
        (["--train", "--compare", "relu,sigmoid,soft\x1bmax"], "'soft\\x1bmax'"),
        (["--trace", "1,2,3,4", "--temperature", "0.\n5"], "'0.\\n5'"),
        (["--trace", "1,2,3,4", "--target", "1\r"], "'1\\r'"),
    ],
)
def test_control_characters_are_echoed_escaped(args: list[str], echo: str) -> None:
    """A newline (or any control character) in a value cannot split the error line."""
    assert_clean_usage_error(run_main(*args), echo)


@pytest.mark.parametrize(
    "args",
    [
        ["--train", "--epochs", "1", "--seed", "7", "--batch-size", "16", "--lr", "0.1"],
        ["--train", "--epochs=1", "--seed=7", "--batch-size=16", "--lr=0.1"],
        ["--train", "--ep", "1", "--see", "7", "--batch", "16", "--lr", "1e-1"],
    ],
)
def test_good_options_reach_the_run(args: list[str]) -> None:
    """Spaced, glued (--opt=V) and abbreviated spellings all give the same run."""
    result = run_main(*args, "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert [e["epoch"] for e in data["epochs"]] == [1]
    config = data["config"]
    assert (config["seed"], config["batch_size"], config["learning_rate"]) == (7, 16, 0.1)


# --help and --version ---------------------------------------------------------------------


def test_help() -> None:
    """--help exits 0 and lists the three headless modes."""
    result = run_main("--help")
    assert result.returncode == 0
    for option in ("--trace", "--train", "--screenshot"):
        assert option in result.stdout


def test_help_states_the_ranges() -> None:
    """Each option that takes a number says which numbers, the bounds we enforce."""
    result = run_main("--help")
    assert result.returncode == 0
    text = " ".join(result.stdout.split())  # argparse wraps help lines
    assert f"--epochs N epochs to train, 1-{MAX_EPOCHS}" in text
    assert f"--seed S seed of data and shuffling, 0-{MAX_SEED} (0)" in text
    assert f"--batch-size B mini-batch size, 1-{MAX_BATCH_SIZE} (32)" in text
    assert "--lr X learning rate, above 0 and at most 100 (0.05)" in text
    assert "each within ±1,000,000" in text


def test_help_names_the_pipeline_options() -> None:
    """--help lists the activations each position takes, and the new options' ranges."""
    result = run_main("--help")
    assert result.returncode == 0
    text = " ".join(result.stdout.split())
    assert f"hidden ones: {', '.join(HIDDEN_ACTIVATIONS)}; output: Softmax" in text
    assert "--temperature T softmax temperature T of softmax(z / T), 0.05-20 (1)" in text
    assert "--target K the true class, 0-3 (0 is class 1)" in text
    assert f"--compare P [P ...] train 1-{MAX_COMPARED} pipelines" in text
    assert "not with --activations" in text


def test_version() -> None:
    """--version exits 0 and prints the version pyproject.toml declares."""
    result = run_main("--version")
    assert result.returncode == 0
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["version"]
    assert result.stdout.split() == ["Activation", "Lab", declared]

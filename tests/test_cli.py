"""The headless command line, run as a learner or a script would run it: ``python main.py``.

Bad input must exit 2 with one readable line on stderr, nothing on stdout and no traceback.
"""

from __future__ import annotations

import json
import math
import subprocess
import tomllib
from pathlib import Path
from typing import Any

import helpers
import pytest

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
    ],
)
def test_bad_options(args: list[str], needles: list[str]) -> None:
    """Bad options exit 2 with one readable line and no traceback."""
    assert_clean_usage_error(run_main(*args), *needles)


# --help and --version ---------------------------------------------------------------------


def test_help() -> None:
    """--help exits 0 and lists the three headless modes."""
    result = run_main("--help")
    assert result.returncode == 0
    for option in ("--trace", "--train", "--screenshot"):
        assert option in result.stdout


def test_version() -> None:
    """--version exits 0 and prints the version pyproject.toml declares."""
    result = run_main("--version")
    assert result.returncode == 0
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["version"]
    assert result.stdout.split() == ["Activation", "Lab", declared]

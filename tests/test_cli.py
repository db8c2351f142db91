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
import pytest

from main import MAX_BATCH_SIZE, MAX_EPOCHS
from model.config import MAX_SEED, TrainingConfig

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


def test_version() -> None:
    """--version exits 0 and prints the version pyproject.toml declares."""
    result = run_main("--version")
    assert result.returncode == 0
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["version"]
    assert result.stdout.split() == ["Activation", "Lab", declared]

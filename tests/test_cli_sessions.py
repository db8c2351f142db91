"""The command line's sessions: saved after epoch 3 and carried on for 2 epochs, a run gives
exactly the epochs 4 and 5 of an unbroken 5-epoch run; a bad session file exits 2 with one
line on stderr and nothing on stdout."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers import run_python


def _main(*args: str):  # type: ignore[no-untyped-def]
    return run_python("main.py", *args)


@pytest.fixture(scope="module")
def saved(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A session saved by the command line after 3 epochs at batch size 16."""
    path = tmp_path_factory.mktemp("cli") / "three.json"
    done = _main("--train", "--epochs", "3", "--batch-size", "16", "--save-session", str(path))
    assert done.returncode == 0, done.stderr
    return path


def test_carrying_a_session_on_gives_the_unbroken_run(saved: Path) -> None:
    resumed = _main("--session", str(saved), "--train", "--epochs", "2", "--json")
    unbroken = _main("--train", "--epochs", "5", "--batch-size", "16", "--json")
    assert resumed.returncode == unbroken.returncode == 0, resumed.stderr + unbroken.stderr
    carried, whole = json.loads(resumed.stdout), json.loads(unbroken.stdout)
    assert carried["resumed_after_epoch"] == 3
    assert [epoch["epoch"] for epoch in carried["epochs"]] == [4, 5]
    assert carried["epochs"] == whole["epochs"][3:]  # equal numbers, not merely close
    assert carried["config"] == whole["config"]


def test_saving_a_carried_on_session_keeps_the_whole_history(saved: Path, tmp_path: Path) -> None:
    later = tmp_path / "five.json"
    done = _main("--session", str(saved), "--train", "--epochs", "2", "--save-session", str(later))
    assert done.returncode == 0, done.stderr
    data = json.loads(later.read_text(encoding="utf-8"))
    assert data["run"]["epoch"] == 5
    assert [record["epoch"] for record in data["history"]["epochs"]] == [1, 2, 3, 4, 5]
    positions = data["history"]["batch_positions"]
    assert len(data["history"]["batch_losses"]) == len(positions)
    assert len(positions) % 5 == 0  # every batch of the 5 epochs, the 3 stored ones included
    assert positions == sorted(positions)
    assert positions[-1] == 5.0


def test_a_session_traces_with_its_trained_weights(saved: Path) -> None:
    trained = _main("--session", str(saved), "--trace", "2,-1,0.5,3", "--json")
    untrained = _main("--trace", "2,-1,0.5,3", "--json")
    assert trained.returncode == 0, trained.stderr
    stages = json.loads(trained.stdout)["stages"]
    assert stages != json.loads(untrained.stdout)["stages"]
    assert abs(sum(stages[-1]["values"]) - 1) < 1e-12


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (None, "the file does not exist"),
        (b"", "the file is empty"),
        (b'{"format": "activation-lab-session", "vers', "not valid JSON"),
        (b"\xff\xfe{}", "not UTF-8"),
        (b'{"format": "other"}', "not an Activation Lab session"),
        (b'{"format": "activation-lab-session", "version": 99}', "newer Activation Lab"),
        (b'{"format": "activation-lab-session", "version": 1}', "inputs is missing"),
    ],
)
def test_a_bad_session_file_exits_2_with_one_line(
    tmp_path: Path, content: bytes | None, reason: str
) -> None:
    path = tmp_path / "bad.json"
    if content is not None:
        path.write_bytes(content)
    for args in (("--train",), ("--trace", "1,2,3,4"), ("--train", "--save-session", "x.json")):
        done = _main("--session", str(path), *args)
        assert done.returncode == 2
        assert done.stdout == ""
        lines = done.stderr.splitlines()
        assert len(lines) == 1, done.stderr
        assert reason in lines[0]
        assert "bad.json" in lines[0]


def test_a_session_refuses_options_that_would_change_its_run(saved: Path) -> None:
    for option in (("--lr", "0.5"), ("--seed", "3"), ("--activations", "gelu,tanh,softmax")):
        done = _main("--session", str(saved), "--train", *option)
        assert done.returncode == 2
        assert done.stdout == ""
        assert "cannot change a session's run" in done.stderr


def test_save_session_and_handout_need_train(tmp_path: Path) -> None:
    for option in ("--save-session", "--handout"):
        done = _main(option, str(tmp_path / "x.png"))
        assert done.returncode == 2
        assert f"{option} goes with --train" in done.stderr
    done = _main("--train", "--save-session", str(tmp_path / "missing" / "s.json"))
    assert done.returncode == 2
    assert "does not exist" in done.stderr

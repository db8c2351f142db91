"""Session files: a round trip is bit for bit, and every kind of damage is refused with a
SessionError naming it (never another exception, never a half-read session)."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest

from model.config import TrainingConfig
from model.session import MAX_BATCH_POINTS, Session, SessionError, read_session


@pytest.fixture(scope="module")
def session() -> Session:
    """A real session: 3 epochs and 5 batches of Adam (its moments and steps are stored)."""
    from model.cli_sessions import session_of, train_run

    config = TrainingConfig(batch_size=64)
    run = train_run(config, 3)
    assert run.state.optimizer.steps > 0
    return session_of(run, config, None, "test")


@pytest.fixture(scope="module")
def text(session: Session) -> str:
    return session.to_text()


def test_a_round_trip_is_bit_for_bit(session: Session, text: str) -> None:
    again = read_session(text.encode("utf-8"))
    assert again == session
    assert again.to_text() == text
    assert np.array_equal(again.run.weights, session.run.weights)
    for name, values in session.run.optimizer.buffers.items():
        assert again.run.optimizer.buffers[name].tobytes() == values.tobytes()
    assert again.history.batch_losses.tobytes() == session.history.batch_losses.tobytes()
    assert again.history.epochs == session.history.epochs


def test_truncated_at_every_tenth_byte_is_refused(text: str) -> None:
    data = text.encode("utf-8")
    for end in range(0, len(data) - 1, 10):
        with pytest.raises(SessionError):
            read_session(data[:end])


def _paths(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every field and list item's path, list items only for the first of each list."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield (*path, key)
            yield from _paths(item, (*path, key))
    elif isinstance(value, list) and value:
        yield (*path, 0)
        yield from _paths(value[0], (*path, 0))


def _parent(data: Any, path: tuple[Any, ...]) -> Any:
    for key in path[:-1]:
        data = data[key]
    return data


#: Fields a session may leave out (read with a default).
_OPTIONAL = {("saved_by",)}


def test_each_field_deleted_is_refused_and_named(text: str) -> None:
    data = json.loads(text)
    checked = 0
    for path in _paths(data):
        if path in _OPTIONAL or isinstance(path[-1], int):
            continue
        broken = copy.deepcopy(data)
        del _parent(broken, path)[path[-1]]
        with pytest.raises(SessionError, match=str(path[-1])):
            read_session(json.dumps(broken).encode())
        checked += 1
    assert checked > 60  # the header, settings, run, optimizer, observer, history, records


def test_wrong_types_are_refused(text: str) -> None:
    data = json.loads(text)
    for path in _paths(data):
        leaf = _parent(data, path)[path[-1]]
        for wrong in ({"a": 1}, "text", [1, 2], True):
            if type(leaf) is type(wrong):
                continue  # the right type: values are checked in the tests below
            broken = copy.deepcopy(data)
            _parent(broken, path)[path[-1]] = wrong
            with pytest.raises(SessionError):
                read_session(json.dumps(broken).encode())


@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity", "1e400", "-1e999"])
def test_numbers_that_are_not_finite_are_refused(text: str, number: str) -> None:
    data = json.loads(text)
    for field in ("weights", "good_weights", "epoch_losses"):
        if not data["run"][field]:
            continue
        values = ["@", *data["run"][field][1:]]
        raw = json.dumps({**data, "run": {**data["run"], field: values}}).replace('"@"', number)
        with pytest.raises(SessionError, match="finite"):
            read_session(raw.encode())
    raw = json.dumps({**data, "inputs": ["@", 1, 2, 3]}).replace('"@"', number)
    with pytest.raises(SessionError, match="finite"):
        read_session(raw.encode())


def test_huge_arrays_and_numbers_are_refused(text: str) -> None:
    data = json.loads(text)
    history = data["history"]
    points = [0.5] * (MAX_BATCH_POINTS + 1)
    broken = {**data, "history": {**history, "batch_positions": points, "batch_losses": points}}
    with pytest.raises(SessionError, match="at most"):
        read_session(json.dumps(broken).encode())
    broken = {**data, "run": {**data["run"], "weights": [0.0] * 10_000}}
    with pytest.raises(SessionError, match="must hold 60 numbers"):
        read_session(json.dumps(broken).encode())
    broken = {**data, "run": {**data["run"], "epoch": 10**400}}
    with pytest.raises(SessionError, match=r"run\.epoch"):
        read_session(json.dumps(broken).encode())
    with pytest.raises(SessionError, match="MB"):
        read_session(b" " * (65 * 2**20))


def test_deep_nesting_is_refused(text: str) -> None:
    with pytest.raises(SessionError, match="nested too deeply"):
        read_session(b"[" * 100_000 + b"]" * 100_000)
    data = json.loads(text)
    nested = text.replace(f'"mode": "{data["mode"]}"', '"mode": ' + "[" * 50_000 + "]" * 50_000)
    with pytest.raises(SessionError, match="nested too deeply"):
        read_session(nested.encode())


def test_values_out_of_range_are_refused(text: str) -> None:
    data = json.loads(text)
    cases = [
        ({"mode": "presenter"}, "mode"),
        ({"mode": "nowhere"}, "mode"),
        ({"pace": 3.0}, "pace"),
        ({"inputs": [1e7, 0, 0, 0]}, "inputs"),
        ({"settings": {**data["settings"], "learning_rate": 0}}, "learning rate"),
        (
            {"settings": {**data["settings"], "activations": ["ReLU", "Softmax", "Softmax"]}},
            "settings",
        ),
        ({"run": {**data["run"], "batch": 2}}, "epoch_losses"),
        ({"history": {**data["history"], "epochs": data["history"]["epochs"][:2]}}, "epochs"),
        ({"version": 2}, "newer"),
        ({"version": 0}, "version"),
        ({"format": "something-else"}, "not an Activation Lab session"),
    ]
    for change, words in cases:
        with pytest.raises(SessionError, match=words):
            read_session(json.dumps({**data, **change}).encode())


def test_not_utf8_and_not_json_are_refused() -> None:
    with pytest.raises(SessionError, match="not UTF-8"):
        read_session(b'{"format": "\xff"}')
    with pytest.raises(SessionError, match="not valid JSON"):
        read_session(b"format = session")
    with pytest.raises(SessionError, match="not an Activation Lab session"):
        read_session(b"[1, 2, 3]")

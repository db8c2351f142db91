"""A session file: everything a learner has set up and trained, to carry on exactly later.

JSON with a ``format`` and a ``version``, written so that every number reads back bit for bit
(Python writes the shortest text that parses to the same float). It holds the inputs, the
training settings and pace, the mode, the run (:class:`~model.run_state.RunState`: weights,
optimizer state, place in the data order, the epoch notes' memory) and the history the window
shows (the untrained baseline, every epoch record with its observation, the batch losses).

Reading trusts nothing: a truncated file, one that is not UTF-8 or not JSON, another format, a
newer version, a missing field, a wrong type or shape, a number that is not finite, a huge
array or deep nesting all raise :class:`SessionError` with one sentence naming the problem.
There is no pickle anywhere. Torch-free and Qt-free: the window reads and checks a file before
anything changes, and the command line does the same.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from model.config import DEFAULT_INPUTS, PACES_PER_SECOND, TrainingConfig
from model.json_fields import (
    FieldError,
    as_float,
    as_floats,
    as_int,
    as_list,
    as_object,
    as_optional,
    as_text,
)
from model.json_fields import field as get
from model.modes import MODE_NAMES, PRESENTER
from model.parsing import LIMIT
from model.records import EpochNumbers, EpochRecord
from model.records_json import numbers_to_json, read_numbers, read_record
from model.run_state import MAX_EPOCH, RunState
from model.trace import FloatArray

FORMAT = "activation-lab-session"
VERSION = 1
SUFFIX = ".json"
#: Larger than any real session (100,000 epochs with their notes and 2^18 batch losses are
#: about 40 MB); a bigger file is refused before it is read into memory.
MAX_FILE_BYTES = 64 * 1024 * 1024
#: The plots keep at most 2^18 batch losses (older ones averaged pairwise): a session too.
MAX_BATCH_POINTS = 2**18
MAX_EPOCH_RECORDS = 1_000_000


class SessionError(ValueError):
    """A session file that cannot be opened; the message says why, in one sentence."""


@dataclass(frozen=True, eq=False)
class SessionHistory:
    """What the window shows of the run: the untrained ``baseline`` (epoch 0), one record per
    finished epoch, and the batch losses at their positions in epochs."""

    baseline: EpochNumbers
    epochs: tuple[EpochRecord, ...] = ()
    batch_positions: FloatArray = field(default_factory=lambda: np.empty(0))
    batch_losses: FloatArray = field(default_factory=lambda: np.empty(0))

    def to_json(self) -> dict[str, Any]:
        """Plain JSON data."""
        return {
            "baseline": numbers_to_json(self.baseline),
            "epochs": [numbers_to_json(record) for record in self.epochs],
            "batch_positions": self.batch_positions.tolist(),
            "batch_losses": self.batch_losses.tolist(),
        }


@dataclass(frozen=True, eq=False)
class Session:
    """A learner's whole session (see the module docstring)."""

    inputs: tuple[float, ...]
    settings: TrainingConfig
    pace: float | None
    mode: str
    run: RunState
    history: SessionHistory
    #: The app version that wrote it (for whoever reads the file; not checked).
    saved_by: str = ""

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Session):
            return NotImplemented
        return self.to_json() == other.to_json()

    __hash__ = None  # type: ignore[assignment]

    def to_json(self) -> dict[str, Any]:
        """Plain JSON data, ``format`` and ``version`` first."""
        return {
            "format": FORMAT,
            "version": VERSION,
            "saved_by": self.saved_by,
            "inputs": list(self.inputs),
            "settings": self.settings.to_json(),
            "pace": self.pace,
            "mode": self.mode,
            "run": self.run.to_json(),
            "history": self.history.to_json(),
        }

    def to_text(self) -> str:
        """The file's text: one line per top-level field, compact inside (UTF-8, no NaN)."""
        lines = [
            f"  {json.dumps(key)}: {json.dumps(value, allow_nan=False, ensure_ascii=False)}"
            for key, value in self.to_json().items()
        ]
        return "{\n" + ",\n".join(lines) + "\n}\n"


def weight_count(config: TrainingConfig) -> int:
    """Weights and biases of the network ``config`` builds (square layers, one per activation)."""
    width = len(DEFAULT_INPUTS)
    return len(config.activations) * (width * width + width)


def read_session_file(path: Path) -> Session:
    """The session in the file ``path``; SessionError names the problem (a missing file too)."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise SessionError(
                f"the file is {size / 2**20:.0f} MB; a session is at most "
                f"{MAX_FILE_BYTES // 2**20} MB"
            )
        data = path.read_bytes()
    except FileNotFoundError:
        raise SessionError("the file does not exist") from None
    except IsADirectoryError:
        raise SessionError("it is a folder, not a file") from None
    except OSError as error:
        raise SessionError(f"it cannot be read ({error.strerror or error})") from None
    return read_session(data)


def bounded_batches(positions: FloatArray, losses: FloatArray) -> tuple[FloatArray, FloatArray]:
    """At most MAX_BATCH_POINTS batch losses: neighbours averaged pairwise until they fit, as
    the window's loss plot keeps them."""
    while len(positions) > MAX_BATCH_POINTS:
        half = len(positions) // 2
        positions = positions[: 2 * half].reshape(half, 2).mean(axis=1)
        losses = losses[: 2 * half].reshape(half, 2).mean(axis=1)
    return positions, losses


def read_session(data: bytes) -> Session:
    """The session in a file's bytes; SessionError names the first problem found."""
    if len(data) > MAX_FILE_BYTES:
        raise SessionError(
            f"the file is {len(data) / 2**20:.0f} MB; a session is at most "
            f"{MAX_FILE_BYTES // 2**20} MB"
        )
    if not data.strip():
        raise SessionError("the file is empty")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise SessionError(
            f"it is not UTF-8 text (byte {error.start + 1:,} cannot be read): not a session file"
        ) from None
    try:
        value = json.loads(text, parse_constant=_refuse_constant)
    except _NotFiniteError as error:
        raise SessionError(f"it holds a number that is not finite ({error})") from None
    except RecursionError:
        raise SessionError("its JSON is nested too deeply to be a session file") from None
    except json.JSONDecodeError as error:
        ending = " (the file looks cut short)" if error.pos >= len(text.rstrip()) else ""
        raise SessionError(
            f"it is not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}"
            f"{ending}"
        ) from None
    try:
        return session_from_json(value)
    except FieldError as error:
        raise SessionError(str(error)) from None
    except RecursionError:
        raise SessionError("its JSON is nested too deeply to be a session file") from None


def session_from_json(value: object) -> Session:
    """A :class:`Session` from parsed JSON; FieldError names the first bad field."""
    data = _checked_header(value)
    inputs = tuple(as_floats(get(data, "inputs", ""), "inputs", len(DEFAULT_INPUTS)).tolist())
    for index, number in enumerate(inputs):
        if abs(number) > LIMIT:
            raise FieldError(f"inputs[{index}] must be between −{LIMIT:g} and {LIMIT:g}")
    settings = _settings(get(data, "settings", ""))
    pace = as_optional(get(data, "pace", ""), lambda v: as_float(v, "pace"))
    if pace is not None and pace not in PACES_PER_SECOND:
        allowed = ", ".join(f"{p:g}" for p in PACES_PER_SECOND)
        raise FieldError(f"pace must be null (full speed) or one of {allowed}, not {pace:g}")
    mode = as_text(get(data, "mode", ""), "mode", 40)
    if mode not in MODE_NAMES or mode == PRESENTER:
        names = ", ".join(name for name in MODE_NAMES if name != PRESENTER)
        raise FieldError(f"mode must be one of {names}, not {mode[:40]!r}")
    run = RunState.from_json(
        get(data, "run", ""), "run", settings.optimizer, weight_count(settings)
    )
    history = _history(get(data, "history", ""), run)
    saved_by = as_text(data.get("saved_by", ""), "saved_by", 200)
    return Session(inputs, settings, pace, mode, run, history, saved_by)


class _NotFiniteError(ValueError):
    pass


def _refuse_constant(name: str) -> float:
    raise _NotFiniteError(name)


def _checked_header(value: object) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise FieldError("it is not an Activation Lab session (no format field)")
    kind = value.get("format")
    if kind != FORMAT:
        shown = "none" if kind is None else repr(str(kind)[:40])
        raise FieldError(f"it is not an Activation Lab session (format {shown})")
    version = as_int(get(value, "version", ""), "version", 0, 2**31)
    if version > VERSION:
        raise FieldError(
            f"it was saved by a newer Activation Lab (session version {version}; this one "
            f"reads version {VERSION}): update the app to open it"
        )
    if version < 1:
        raise FieldError(f"version must be 1 or more, not {version}")
    return value


def _settings(value: object) -> TrainingConfig:
    data = as_object(value, "settings")
    names = as_list(get(data, "activations", "settings"), "settings.activations", 8)
    config = TrainingConfig(
        task=as_text(get(data, "task", "settings"), "settings.task", 60),
        seed=as_int(get(data, "seed", "settings"), "settings.seed", 0, 2**31 - 1),
        optimizer=as_text(get(data, "optimizer", "settings"), "settings.optimizer", 20),
        learning_rate=as_float(get(data, "learning_rate", "settings"), "settings.learning_rate"),
        batch_size=as_int(get(data, "batch_size", "settings"), "settings.batch_size", 1, 1024),
        activations=tuple(
            as_text(v, f"settings.activations[{i}]", 40) for i, v in enumerate(names)
        ),
        temperature=as_float(get(data, "temperature", "settings"), "settings.temperature"),
    )
    try:
        config.validate()
    except ValueError as error:
        raise FieldError(f"settings: {error}") from None
    return config


def _history(value: object, run: RunState) -> SessionHistory:
    data = as_object(value, "history")
    baseline = read_numbers(get(data, "baseline", "history"), "history.baseline", 0)
    items = as_list(get(data, "epochs", "history"), "history.epochs", MAX_EPOCH_RECORDS)
    epochs = tuple(
        read_record(item, f"history.epochs[{i}]", MAX_EPOCH) for i, item in enumerate(items)
    )
    for index, record in enumerate(epochs):
        if record.epoch != index + 1:
            raise FieldError(
                f"history.epochs[{index}] is epoch {record.epoch}; epochs must run 1, 2, 3, …"
            )
    if len(epochs) != run.epoch:
        raise FieldError(f"history has {len(epochs)} epochs but the run has finished {run.epoch}")
    positions = as_floats(
        get(data, "batch_positions", "history"),
        "history.batch_positions",
        max_length=MAX_BATCH_POINTS,
    )
    losses = as_floats(
        get(data, "batch_losses", "history"),
        "history.batch_losses",
        max_length=MAX_BATCH_POINTS,
    )
    if len(positions) != len(losses):
        raise FieldError(
            f"history has {len(positions)} batch positions but {len(losses)} batch losses"
        )
    return SessionHistory(baseline, epochs, positions, losses)

"""Epoch numbers and records to and from a session file's JSON, every field checked."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from model.json_fields import (
    FieldError,
    as_float,
    as_int,
    as_list,
    as_object,
    as_text,
    field,
)
from model.observations import KINDS
from model.records import EpochNumbers, EpochRecord

#: Hidden layers and units a record may describe (the network has 2 hidden layers of 4).
_MAX_LAYERS = 16
_MAX_WIDTH = 1024


def numbers_to_json(numbers: EpochNumbers) -> dict[str, Any]:
    """Every field of ``numbers`` (or of a record, with its observation), as JSON data."""
    data = asdict(numbers)
    data["dead_units"] = list(numbers.dead_units)
    data["saturated_units"] = list(numbers.saturated_units)
    return data


def read_numbers(value: object, path: str, max_epoch: int) -> EpochNumbers:
    """An :class:`EpochNumbers` from ``value``; FieldError names the first bad field."""
    data = as_object(value, path)
    width = as_int(field(data, "layer_width", path), f"{path}.layer_width", 1, _MAX_WIDTH)

    def accuracy(name: str) -> float:
        number = as_float(field(data, name, path), f"{path}.{name}")
        if not 0.0 <= number <= 1.0:
            raise FieldError(f"{path}.{name} must be between 0 and 1, not {number}")
        return number

    def units(name: str) -> tuple[int, ...]:
        items = as_list(field(data, name, path), f"{path}.{name}", _MAX_LAYERS)
        return tuple(as_int(v, f"{path}.{name}[{i}]", 0, width) for i, v in enumerate(items))

    return EpochNumbers(
        as_int(field(data, "epoch", path), f"{path}.epoch", 0, max_epoch),
        as_float(field(data, "train_loss", path), f"{path}.train_loss"),
        as_float(field(data, "test_loss", path), f"{path}.test_loss"),
        accuracy("train_accuracy"),
        accuracy("test_accuracy"),
        dead_units=units("dead_units"),
        saturated_units=units("saturated_units"),
        layer_width=width,
    )


def read_record(value: object, path: str, max_epoch: int) -> EpochRecord:
    """An :class:`EpochRecord` (numbers, observation and its rule) from ``value``."""
    numbers = read_numbers(value, path, max_epoch)
    data = as_object(value, path)
    text = as_text(field(data, "observation", path), f"{path}.observation", 2000)
    kind = as_text(field(data, "observation_kind", path), f"{path}.observation_kind", 40)
    if kind and kind not in KINDS:
        raise FieldError(f"{path}.observation_kind {kind!r} is not one of {', '.join(KINDS)}")
    return EpochRecord.from_numbers(numbers, text, kind)

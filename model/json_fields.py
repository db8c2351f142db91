"""Reading untrusted JSON field by field: each problem named by where it is and what was found.

A session file may be truncated, hand-edited or written by another program. Every reader here
takes the parsed value and a dotted path (``run.weights[3]``), checks one type, and raises
:class:`FieldError` with a sentence a teacher can act on: "run.weights[3] must be a number, not
a text". Nothing is coerced silently: ``true`` is not 1, ``"0.5"`` is not 0.5.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

import numpy as np

from model.trace import FloatArray

T = TypeVar("T")


class FieldError(ValueError):
    """A field of a JSON document is missing or has the wrong type, shape or value."""


def kind_of(value: object) -> str:
    """How a learner would name the JSON type of ``value``."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def field(data: Mapping[str, Any], name: str, path: str) -> Any:
    """``data[name]``, or FieldError naming the missing field."""
    if name not in data:
        raise FieldError(f"{_join(path, name)} is missing")
    return data[name]


def as_object(value: object, path: str) -> Mapping[str, Any]:
    """``value`` as a JSON object."""
    if not isinstance(value, dict):
        raise FieldError(f"{path} must be an object, not {kind_of(value)}")
    return value


def as_list(value: object, path: str, max_length: int) -> Sequence[Any]:
    """``value`` as a JSON list of at most ``max_length`` items."""
    if not isinstance(value, list):
        raise FieldError(f"{path} must be a list, not {kind_of(value)}")
    if len(value) > max_length:
        raise FieldError(f"{path} has {len(value):,} items; at most {max_length:,} are allowed")
    return value


def as_text(value: object, path: str, max_length: int = 1000) -> str:
    """``value`` as a JSON string of at most ``max_length`` characters."""
    if not isinstance(value, str):
        raise FieldError(f"{path} must be a text, not {kind_of(value)}")
    if len(value) > max_length:
        raise FieldError(f"{path} is {len(value):,} characters long; at most {max_length:,}")
    return value


def as_int(value: object, path: str, low: int, high: int) -> int:
    """``value`` as a whole number in ``low``–``high`` (``2.0`` is refused: not written by us)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise FieldError(f"{path} must be a whole number, not {kind_of(value)}")
    if not low <= value <= high:
        raise FieldError(f"{path} must be between {low:,} and {high:,}, not {value:,}")
    return value


def as_float(value: object, path: str) -> float:
    """``value`` as a finite number (a whole number is fine: JSON writes 2.0 as 2.0, but a
    hand-edited file may say 2)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise FieldError(f"{path} must be a number, not {kind_of(value)}")
    try:
        number = float(value)
    except OverflowError:  # a whole number with hundreds of digits
        number = math.inf
    if not math.isfinite(number):
        raise FieldError(f"{path} must be a finite number, not {str(value)[:24]}")
    return number


def as_optional(value: object, read: Callable[[object], T]) -> T | None:
    """None for JSON null, else ``read(value)``."""
    return None if value is None else read(value)


def as_floats(
    value: object, path: str, length: int | None = None, max_length: int = 0
) -> FloatArray:
    """``value`` as a list of finite numbers, exactly ``length`` of them when given.

    Checked as a whole in numpy, so a long history is read in milliseconds; the first bad item
    is then named.
    """
    if length is not None and isinstance(value, list) and len(value) != length:
        raise FieldError(f"{path} must hold {length} numbers, not {len(value):,}")
    items = as_list(value, path, length if length is not None else max_length)
    try:
        array = np.array(items, dtype=np.float64)
        typed = all(type(item) in (int, float) for item in items)
    except (TypeError, ValueError, OverflowError):
        typed, array = False, np.empty(0)
    if not typed or array.shape != (len(items),) or not np.isfinite(array).all():
        for index, item in enumerate(items):
            as_float(item, f"{path}[{index}]")
        raise FieldError(f"{path} must be a list of numbers")  # pragma: no cover (shape)
    return array


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name

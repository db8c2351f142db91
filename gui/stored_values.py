"""Reading back what the settings file holds, trusting none of it.

The file is plain INI a learner (or a crash mid-write) may have changed by hand: every value is
read as text and checked by the same rules the window applies to what is typed (one number
parser, :class:`TrainingConfig`'s own validation). A value that fails is named in
``problems`` and its default is used instead; nothing here raises for anything in the file.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import Any

from PySide6.QtCore import QSettings

from model.config import DEFAULT_INPUTS, TrainingConfig
from model.parsing import NumberError, parse_number

#: How the settings file spells "no pace": train as fast as the machine goes.
FULL_SPEED = "full"


@dataclass
class StoredValues:
    """A reader of one QSettings that collects the names of unreadable values."""

    settings: QSettings
    problems: list[str] = field(default_factory=list)

    def text(self, key: str) -> str | None:
        """The value at ``key`` as text, or None when it is missing or not text."""
        value: Any = self.settings.value(key)
        if value is None:
            return None
        if isinstance(value, str):
            return value
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            # INI turns "a, b" into a list of strings: the text was what we wrote.
            return ", ".join(value)
        self.problems.append(key)
        return None

    def number(self, key: str, low: float, high: float) -> float | None:
        """A finite number between ``low`` and ``high`` at ``key``, or None."""
        text = self.text(key)
        if text is None:
            return None
        try:
            value = parse_number(text, bound=math.inf)
        except NumberError:
            value = math.nan
        if math.isfinite(value) and low <= value <= high:
            return value
        self.problems.append(key)
        return None

    def integer(self, key: str, low: int, high: int) -> int | None:
        """A whole number between ``low`` and ``high`` at ``key``, or None."""
        value = self.number(key, low, high)
        if value is None:
            return None
        if value != int(value):
            self.problems.append(key)
            return None
        return int(value)

    def flag(self, key: str) -> bool | None:
        """``true`` or ``false`` at ``key``, or None."""
        text = self.text(key)
        if text is None:
            return None
        lowered = text.strip().lower()
        if lowered in {"true", "false"}:
            return lowered == "true"
        self.problems.append(key)
        return None

    def choice(self, key: str, allowed: tuple[str, ...]) -> str | None:
        """One of ``allowed`` at ``key`` (as written), or None."""
        text = self.text(key)
        if text is None:
            return None
        if text in allowed:
            return text
        self.problems.append(key)
        return None

    def inputs(self, key: str, limit: float) -> tuple[float, ...] | None:
        """The four input numbers at ``key``, each within ``±limit``, or None."""
        text = self.text(key)
        if text is None:
            return None
        try:
            values = tuple(parse_number(part, bound=limit) for part in text.split(","))
        except NumberError:
            values = ()
        if len(values) == len(DEFAULT_INPUTS):
            return values
        self.problems.append(key)
        return None

    def training_config(self, prefix: str) -> TrainingConfig | None:
        """The training settings under ``prefix/``, each field checked on its own: a bad
        learning rate costs the learning rate, not the task and seed beside it."""
        config = TrainingConfig()
        candidates: dict[str, Any] = {}
        for name in ("task", "optimizer"):
            candidates[name] = self.text(f"{prefix}/{name}")
        candidates["seed"] = self.integer(f"{prefix}/seed", 0, 2**31 - 1)
        candidates["batch_size"] = self.integer(f"{prefix}/batch_size", 1, 1024)
        candidates["learning_rate"] = self.number(f"{prefix}/learning_rate", 0.0, math.inf)
        activations = self.text(f"{prefix}/activations")
        temperature = self.number(f"{prefix}/temperature", 0.0, math.inf)
        found = False
        for name, value in candidates.items():
            if value is None:
                continue
            found = True
            config = self._checked(config, f"{prefix}/{name}", **{name: value})
        if activations is not None or temperature is not None:
            found = True
            names = (
                tuple(a.strip() for a in activations.split(","))
                if activations is not None
                else config.activations
            )
            config = self._pipeline(config, prefix, names, temperature)
        return config if found else None

    def _pipeline(
        self, config: TrainingConfig, prefix: str, names: tuple[str, ...], temperature: float | None
    ) -> TrainingConfig:
        try:
            canonical = replace(config.pipeline, activations=names).validate().activations
        except ValueError:
            self.problems.append(f"{prefix}/activations")
            canonical = config.activations
        config = self._checked(config, f"{prefix}/activations", activations=canonical)
        if temperature is not None:
            config = self._checked(config, f"{prefix}/temperature", temperature=temperature)
        return config

    def _checked(self, config: TrainingConfig, key: str, **change: Any) -> TrainingConfig:
        """``config`` with ``change`` if the result is valid; else ``config``, and a problem."""
        candidate = replace(config, **change)
        try:
            candidate.validate()
        except (ValueError, TypeError):
            if key not in self.problems:
                self.problems.append(key)
            return config
        return candidate


def input_text(values: tuple[float, ...]) -> str:
    """The inputs as the settings file keeps them: every digit, comma-separated."""
    return ", ".join(repr(float(v)) for v in values)


def pace_text(pace: float | None) -> str:
    """A pace as the settings file keeps it."""
    return FULL_SPEED if pace is None else repr(float(pace))


def config_texts(config: TrainingConfig) -> dict[str, str]:
    """The training settings as the settings file keeps them, by field name."""
    return {
        "task": config.task,
        "seed": str(config.seed),
        "optimizer": config.optimizer,
        "learning_rate": repr(config.learning_rate),
        "batch_size": str(config.batch_size),
        "activations": ",".join(config.activations),
        "temperature": repr(config.temperature),
    }

"""What an undo step is called in the Edit menu: the change in the learner's words.

"Undo input x₂ −1 → 4", "Undo learning rate 0.05 → 0.5 (starts the run over)": the menu says
what will change back, and that a settings step restarts training, as choosing it did.
"""

from __future__ import annotations

from dataclasses import fields

from gui.number_format import minus_signs
from gui.training_controls import PACES
from gui.widgets.input_table import format_cell, input_label
from model.config import TrainingConfig
from model.tasks import TASKS

#: Settings steps restart the run (every new setting does): the menu says so.
RESTARTS = " (starts the run over)"
_NAMES = {
    "task": "task",
    "seed": "seed",
    "optimizer": "optimizer",
    "learning_rate": "learning rate",
    "batch_size": "batch size",
    "temperature": "softmax temperature",
}


def _number(value: float) -> str:
    return minus_signs(format_cell(value))


def input_change(old: tuple[float, ...], new: tuple[float, ...]) -> str:
    """One cell: "input x₂ −1 → 4"; several at once: "inputs (2, −1, 0.5, 3) → (1, 2, 3, 4)"."""
    changed = [i for i, (a, b) in enumerate(zip(old, new, strict=False)) if a != b]
    if len(changed) == 1 and len(old) == len(new):
        column = changed[0]
        return f"input {input_label(column)} {_number(old[column])} → {_number(new[column])}"
    before = ", ".join(_number(v) for v in old)
    after = ", ".join(_number(v) for v in new)
    return f"inputs ({before}) → ({after})"


def _value(name: str, value: object) -> str:
    if name == "task" and isinstance(value, str) and value in TASKS:
        return TASKS[value].title
    if isinstance(value, float):
        return _number(value)
    return str(value)


def settings_change(old: TrainingConfig, new: TrainingConfig) -> str:
    """The settings that differ, old → new, and that the run starts over."""
    parts = []
    for field in fields(TrainingConfig):
        name = field.name
        before, after = getattr(old, name), getattr(new, name)
        if before == after:
            continue
        if name == "activations":
            parts.extend(_activation_changes(before, after))
        else:
            parts.append(f"{_NAMES.get(name, name)} {_value(name, before)} → {_value(name, after)}")
    return ", ".join(parts or ["settings"]) + RESTARTS


def _activation_changes(old: tuple[str, ...], new: tuple[str, ...]) -> list[str]:
    if len(old) != len(new):
        return [f"network {' → '.join(old)} to {' → '.join(new)}"]
    return [
        f"layer {layer} {a} → {b}"
        for layer, (a, b) in enumerate(zip(old, new, strict=True), start=1)
        if a != b
    ]


def pace_text(pace: float | None) -> str:
    """A pace as the speed list names it ("5 epochs/s", "Full speed")."""
    for label, value in PACES:
        if value == pace:
            return label
    return "full speed" if pace is None else f"{pace:g} epochs/s"


def pace_change(old: float | None, new: float | None) -> str:
    """ "speed 5 epochs/s → Full speed"."""
    return f"speed {pace_text(old)} → {pace_text(new)}"

"""The learner's state: one Qt-free object, an event per field, no echo of unchanged values."""

from __future__ import annotations

import pytest

from model.config import Pipeline, TrainingConfig
from model.events import Event
from model.lab_state import LabState
from model.modes import MODE_NAMES, MODES, get_mode, mode_key


def recorder(state: LabState) -> list[tuple[str, object]]:
    """Every event the state emits, as (field, value), in order."""
    seen: list[tuple[str, object]] = []
    for name in ("inputs", "pipeline", "settings", "pace", "mode", "presenting"):
        event: Event[object] = getattr(state.events, name)
        event.connect(lambda value, name=name: seen.append((name, value)))
    return seen


def test_each_field_emits_its_own_event_once_per_change() -> None:
    state = LabState()
    seen = recorder(state)
    state.inputs = (1, 2, 3, 4)
    state.inputs = (1.0, 2.0, 3.0, 4.0)  # the same numbers: nothing
    state.pace = 2.0
    state.mode = "quiz"
    state.mode = "quiz"
    assert seen == [("inputs", (1.0, 2.0, 3.0, 4.0)), ("pace", 2.0), ("mode", "quiz")]


def test_a_new_pipeline_changes_the_settings_and_says_both() -> None:
    state = LabState()
    seen = recorder(state)
    pipeline = Pipeline(("Tanh", "GELU", "Softmax"), 0.5)
    state.pipeline = pipeline
    assert state.settings.pipeline == pipeline
    assert [name for name, _ in seen] == ["settings", "pipeline"]
    seen.clear()
    state.settings = TrainingConfig(
        learning_rate=0.5, activations=pipeline.activations, temperature=0.5
    )
    assert [name for name, _ in seen] == ["settings"]  # same pipeline: no pipeline event


def test_presenter_is_a_frame_around_the_mode_shown() -> None:
    state = LabState(mode="step")
    seen = recorder(state)
    state.mode = "presenter"
    assert state.presenting
    assert state.mode == "step"
    assert seen == [("presenting", True)]
    state.presenting = False
    assert seen[-1] == ("presenting", False)


def test_an_unknown_mode_is_refused_with_every_name() -> None:
    state = LabState()
    with pytest.raises(ValueError, match="explore, step, compare") as caught:
        state.mode = "slides"
    assert "'slides'" in str(caught.value)
    assert state.mode == "explore"


def test_nine_modes_with_keys_one_to_nine() -> None:
    assert len(MODES) == 9
    assert [mode_key(name) for name in MODE_NAMES] == list(range(1, 10))
    assert get_mode("gradients").title == "Gradients"


def test_a_callback_disconnected_is_not_called_and_connecting_twice_calls_once() -> None:
    event: Event[int] = Event()
    calls: list[int] = []
    event.connect(calls.append)
    event.connect(calls.append)
    event.emit(1)
    event.disconnect(calls.append)
    event.emit(2)
    assert calls == [1]

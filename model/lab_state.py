"""What the learner has set up, in one Qt-free object that views subscribe to.

Inputs, pipeline, training settings, pace and mode live here, each with its own change event
(napari's ``Dims`` pattern): a view takes the state in its constructor, shows the fields it
cares about, and writes back what the learner changes. Setting a field to the value it
already has emits nothing, so a view writing back what it was just told cannot loop.
A session file (part 6) serialises exactly this.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from model.config import DEFAULT_INPUTS, Pipeline, TrainingConfig
from model.events import Event
from model.modes import DEFAULT_MODE, PRESENTER, get_mode


@dataclass(frozen=True)
class LabEvents:
    """One event per field of :class:`LabState`, each emitting the field's new value."""

    inputs: Event[tuple[float, ...]] = field(default_factory=Event)
    pipeline: Event[Pipeline] = field(default_factory=Event)
    settings: Event[TrainingConfig] = field(default_factory=Event)
    pace: Event[float | None] = field(default_factory=Event)
    mode: Event[str] = field(default_factory=Event)
    presenting: Event[bool] = field(default_factory=Event)


class LabState:
    """The learner's set-up. ``mode`` is the page shown; ``presenting`` is presenter mode,
    which shows a page (``mode``) full screen, large, with a guided lesson."""

    def __init__(
        self,
        inputs: tuple[float, ...] = DEFAULT_INPUTS,
        settings: TrainingConfig | None = None,
        pace: float | None = None,
        mode: str = DEFAULT_MODE,
    ) -> None:
        self.events = LabEvents()
        self._inputs = tuple(inputs)
        self._settings = settings if settings is not None else TrainingConfig()
        self._pace = pace
        self._mode = DEFAULT_MODE
        self._presenting = False
        self.mode = mode

    @property
    def inputs(self) -> tuple[float, ...]:
        """The four numbers in the input cells."""
        return self._inputs

    @inputs.setter
    def inputs(self, values: tuple[float, ...]) -> None:
        values = tuple(float(v) for v in values)
        if values != self._inputs:
            self._inputs = values
            self.events.inputs.emit(values)

    @property
    def settings(self) -> TrainingConfig:
        """The run's settings (task, optimizer, learning rate, batch, seed, pipeline)."""
        return self._settings

    @settings.setter
    def settings(self, config: TrainingConfig) -> None:
        if config == self._settings:
            return
        pipeline_changed = config.pipeline != self._settings.pipeline
        self._settings = config
        self.events.settings.emit(config)
        if pipeline_changed:
            self.events.pipeline.emit(config.pipeline)

    @property
    def pipeline(self) -> Pipeline:
        """The activations per layer and the output temperature (part of :attr:`settings`)."""
        return self._settings.pipeline

    @pipeline.setter
    def pipeline(self, pipeline: Pipeline) -> None:
        self.settings = self._settings.with_pipeline(pipeline)

    @property
    def pace(self) -> float | None:
        """Epochs per second while training, or None for full speed."""
        return self._pace

    @pace.setter
    def pace(self, value: float | None) -> None:
        if value != self._pace:
            self._pace = value
            self.events.pace.emit(value)

    @property
    def mode(self) -> str:
        """The learning mode shown (never ``presenter``: that is :attr:`presenting`)."""
        return self._mode

    @mode.setter
    def mode(self, name: str) -> None:
        name = get_mode(name).name  # ValueError naming the modes for anything else
        if name == PRESENTER:
            self.presenting = True
            return
        if name != self._mode:
            self._mode = name
            self.events.mode.emit(name)

    @property
    def presenting(self) -> bool:
        """True in presenter mode: full screen, large type, the guided lesson."""
        return self._presenting

    @presenting.setter
    def presenting(self, on: bool) -> None:
        if on != self._presenting:
            self._presenting = on
            self.events.presenting.emit(on)

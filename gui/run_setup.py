"""What the learner has set up for the run: the settings, the network, the compared networks.

Three places change it (the settings toolbar, the pickers in the panels' titles, the compare
dialog); each change starts the run over, so all of them meet here and leave as one
:class:`~model.protocol.Configure` carrying everything the model needs.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from model import protocol as msg
from model.config import MAX_COMPARED, Pipeline, TrainingConfig


class RunSetup(QObject):
    """The current :class:`TrainingConfig` and compared pipelines.

    Signals
    -------
    configure_requested(object)
        A :class:`~model.protocol.Configure` to send: something changed, the run starts over.
    """

    configure_requested = Signal(object)

    def __init__(self, config: TrainingConfig, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._config = config
        self._compare: tuple[Pipeline, ...] = ()

    @property
    def config(self) -> TrainingConfig:
        """The main run's settings, its network included."""
        return self._config

    @property
    def compare(self) -> tuple[Pipeline, ...]:
        """The pipelines trained beside the main one (runs 1, 2, …)."""
        return self._compare

    @property
    def pipelines(self) -> tuple[Pipeline, ...]:
        """Every run's pipeline, the main run first."""
        return (self._config.pipeline, *self._compare)

    def set_settings(self, config: TrainingConfig) -> None:
        """New settings from the toolbar (which knows nothing of the network): keep ours."""
        self._update(config.with_pipeline(self._config.pipeline), self._compare)

    def set_config(self, config: TrainingConfig) -> None:
        """Settings and network at once (the state written from outside: a session, a
        script); the same as now changes nothing."""
        compare = tuple(p for p in self._compare if p != config.pipeline)
        self._update(config, compare)

    def set_pipeline(self, pipeline: Pipeline) -> None:
        """A new network for the main run; a compared run with the same one is dropped."""
        compare = tuple(p for p in self._compare if p != pipeline)
        self._update(self._config.with_pipeline(pipeline), compare)

    def set_compare(self, compare: tuple[Pipeline, ...]) -> None:
        """Train these pipelines beside the main one (at most MAX_COMPARED in all)."""
        self._update(self._config, compare[: MAX_COMPARED - 1])

    def adopt(self, config: TrainingConfig) -> None:
        """Take ``config`` as set up, alone, without starting a run (a session's run is opened
        with its own request)."""
        self._config = config
        self._compare = ()

    def accept(self, reset: msg.TrainingReset) -> None:
        """The model started the run over with these settings: they are what is set up now."""
        self._config = reset.config
        self._compare = reset.compare

    def _update(self, config: TrainingConfig, compare: tuple[Pipeline, ...]) -> None:
        if (config, compare) != (self._config, self._compare):
            self._config, self._compare = config, compare
            self.configure_requested.emit(msg.Configure(config, compare))

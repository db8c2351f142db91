"""What every mode page is given: the learner's state and the window's live, shared views."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from model.lab_state import LabState
from model.trace import Trace

if TYPE_CHECKING:
    from gui.pipeline_view import PipelineView
    from gui.training_controls import TrainingControls
    from gui.training_view import TrainingView
    from gui.widgets.input_table import InputTableModel


@dataclass(frozen=True)
class Lab:
    """The one state and the one set of live widgets that pages arrange (never copy).

    ``state`` is the Qt-free set-up (inputs, pipeline, settings, pace, mode, presenting).
    ``inputs`` is the cells' Qt model: a page may show its own view of it (two views of one
    model stay in step). ``pipeline`` and ``training`` are the big shared views; a page that
    shows them takes them into its layout on :meth:`ModePage.enter`. ``last_trace()`` is the
    newest trace drawn, or None before the model has answered.
    """

    state: LabState
    inputs: InputTableModel
    pipeline: PipelineView
    training: TrainingView
    controls: TrainingControls
    last_trace: Callable[[], Trace | None]

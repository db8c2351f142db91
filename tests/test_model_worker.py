"""The model thread's worker coalesces: a slow window gets merged updates, never a backlog."""

from __future__ import annotations

import numpy as np
import pytest

from gui.model_worker import ModelWorker
from model import protocol as msg
from model.network import ActivationNet
from model.records import EpochRecord


def progress(start: int, trace_input: float) -> msg.TrainingProgress:
    positions = np.arange(start, start + 3, dtype=float)
    record = EpochRecord(start + 2, 1.0, 1.0, 0.5, 0.5, "note")
    return msg.TrainingProgress(
        batch_positions=positions,
        batch_losses=positions * 0.1,
        epochs=(record,),
        trace=ActivationNet().trace([trace_input, 0.0, 0.0, 0.0]),
        running=True,
        steps=start + 3,
    )


@pytest.fixture
def worker(qtbot):  # type: ignore[no-untyped-def]
    """A worker with no process: replies are fed to it as the pipe would deliver them."""
    return ModelWorker()


def test_progress_waits_for_the_window_and_arrives_merged(worker) -> None:  # type: ignore[no-untyped-def]
    """While the window draws one update, later ones merge into a single message."""
    emitted: list[msg.TrainingProgress] = []
    worker.progress_ready.connect(emitted.append)
    for start in (0, 3, 6, 9):
        worker._dispatch(progress(start, float(start)))
    assert len(emitted) == 1, "only one update may wait in the window's queue"
    worker.progress_consumed()
    assert len(emitted) == 2
    merged = emitted[1]
    assert list(merged.batch_positions) == [3, 4, 5, 6, 7, 8, 9, 10, 11]
    assert [r.epoch for r in merged.epochs] == [5, 8, 11]
    assert merged.steps == 12
    assert merged.trace.stages[0].values[0] == 9.0
    worker.progress_consumed()
    assert len(emitted) == 2, "nothing new: nothing sent"


def test_a_newer_trace_replaces_the_one_in_waiting_progress(worker) -> None:  # type: ignore[no-untyped-def]
    """Progress computed before an edit must not draw the old inputs after the new trace."""
    emitted: list[msg.TrainingProgress] = []
    worker.progress_ready.connect(emitted.append)
    worker._dispatch(progress(0, 1.0))
    worker._dispatch(progress(3, 1.0))
    worker._dispatch(msg.TraceComputed(ActivationNet().trace([42.0, 0.0, 0.0, 0.0])))
    worker.progress_consumed()
    assert emitted[-1].trace.stages[0].values[0] == 42.0


def test_reset_drops_progress_of_the_old_run(worker) -> None:  # type: ignore[no-untyped-def]
    """After a reset, no batch of the previous run may reach the fresh curves."""
    emitted: list[msg.TrainingProgress] = []
    worker.progress_ready.connect(emitted.append)
    worker._dispatch(progress(0, 1.0))
    worker._dispatch(progress(3, 1.0))
    trainer_free_baseline = EpochRecord(0, 1.5, 1.5, 0.0, 0.0)
    from model.config import TrainingConfig

    worker._dispatch(
        msg.TrainingReset(TrainingConfig(), progress(0, 2.0).trace, 13, trainer_free_baseline)
    )
    worker.progress_consumed()
    assert len(emitted) == 1

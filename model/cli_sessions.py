"""The command line's sessions: carry a saved run on, trace with its weights, save a run.

``--session PATH --train --epochs N`` continues the stored run for N more epochs, exactly as
the window would (the epoch numbers carry on from the stored ones); ``--save-session PATH``
writes the run trained (a fresh one, or the continued session) for the window to open.
Torch is imported only here, when training or tracing needs it.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from model.config import DEFAULT_INPUTS, TrainingConfig
from model.modes import DEFAULT_MODE
from model.records import EpochRecord
from model.run_state import RunState
from model.session import Session, SessionHistory, bounded_batches
from model.trace import FloatArray, Trace


@dataclass
class TrainedRun:
    """A run after training: the new epochs, the whole history, where it is, and whether it
    diverged (why, or None)."""

    records: list[EpochRecord]
    history: SessionHistory
    state: RunState
    diverged: str | None


def train_run(config: TrainingConfig, epochs: int, start: Session | None = None) -> TrainedRun:
    """Train ``epochs`` epochs from scratch, or on from ``start`` (a session of ``config``)."""
    import torch

    from model.training import Trainer

    torch.set_num_threads(1)  # tiny network: one thread is fastest and identical everywhere
    trainer = Trainer(config)
    positions: list[FloatArray] = []
    losses: list[FloatArray] = []
    earlier: tuple[EpochRecord, ...] = ()
    baseline = trainer.baseline
    if start is not None:
        trainer.restore(start.run)
        baseline, earlier = start.history.baseline, start.history.epochs
        positions.append(start.history.batch_positions)
        losses.append(start.history.batch_losses)
    records: list[EpochRecord] = []
    diverged = None
    for _ in range(epochs):
        while not trainer.train_batch():
            pass
        collected = trainer.collect()
        positions.append(np.array(collected.positions, dtype=np.float64))
        losses.append(np.array(collected.losses, dtype=np.float64))
        records += collected.records
        if collected.diverged is not None:
            diverged = collected.diverged
            break
    x, y = bounded_batches(np.concatenate(positions), np.concatenate(losses))
    history = SessionHistory(baseline, (*earlier, *records), x, y)
    return TrainedRun(records, history, trainer.snapshot(), diverged)


def session_of(
    run: TrainedRun, config: TrainingConfig, start: Session | None, version: str
) -> Session:
    """The session a window would save after ``run`` (inputs, pace and mode kept from
    ``start``, else the defaults)."""
    return Session(
        inputs=start.inputs if start is not None else DEFAULT_INPUTS,
        settings=config,
        pace=start.pace if start is not None else None,
        mode=start.mode if start is not None else DEFAULT_MODE,
        run=run.state,
        history=run.history,
        saved_by=f"Activation Lab {version}",
    )


def write_session_text(session: Session, path: Path) -> str | None:
    """Write ``session`` atomically (a temporary file beside it, then a rename); the reason it
    could not be written, or None."""
    temporary = path.with_name(f".{path.name}.saving")
    try:
        temporary.write_text(session.to_text(), encoding="utf-8")
        temporary.replace(path)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        return f"cannot write {path}: {error.strerror or error}"
    return None


def session_trace(session: Session, inputs: tuple[float, ...], target: int | None) -> Trace:
    """The trace of ``inputs`` through the session's trained network."""
    import torch

    from model.network import ActivationNet

    settings = session.settings
    network = ActivationNet(settings.activations, temperature=settings.temperature)
    network.load_flat_weights(torch.from_numpy(session.run.weights.copy()))
    return network.trace(inputs, target)


def print_error(message: str) -> None:
    """One line on stderr, as every command-line refusal."""
    print(f"main.py: error: {message}", file=sys.stderr)


def epochs_json(config: TrainingConfig, records: list[EpochRecord], after: int | None) -> str:
    """The --train --json document; ``after``: the stored epochs a session carried on from."""
    data: dict[str, object] = {"config": config.to_json()}
    if after is not None:
        data["resumed_after_epoch"] = after
    data["epochs"] = [record.to_json() for record in records]
    return json.dumps(data)

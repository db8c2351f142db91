"""The command line's headless modes: print a trace, train, or compare pipelines.

No Qt is imported; torch only when a mode needs it.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from model.activations import (
    DEFAULT_TEMPERATURE,
)
from model.config import (
    DEFAULT_INPUTS,
    Pipeline,
    TrainingConfig,
)
from model.parsing import (
    NumberError,
    parse_vector,
)

if TYPE_CHECKING:
    from model.cli_sessions import TrainedRun
    from model.records import EpochRecord
    from model.session import Session
    from model.trace import StageTrace


def run_trace(
    text: str,
    as_json: bool,
    pipeline: Pipeline | None = None,
    target: int | None = None,
    session: Session | None = None,
) -> int:
    """Print the untrained trace of ``text``; exit code 2 with a reason for bad input.

    ``pipeline`` is a checked one (canonical names, temperature in range), the product's by
    default. With a ``target`` class (0-based) the loss and every stage's gradient follow.
    With a ``session``, its trained network (pipeline and weights) gives the trace.
    """
    pipeline = session.settings.pipeline if session is not None else pipeline or Pipeline()
    try:
        values = parse_vector(text, len(DEFAULT_INPUTS))
    except NumberError as error:
        print(f"main.py: error: --trace: {error}", file=sys.stderr)
        return 2
    if session is not None:
        from model.cli_sessions import session_trace

        trace = session_trace(session, tuple(values), target)
    else:
        from model.network import trace_inputs

        trace = trace_inputs(values, pipeline.activations, pipeline.temperature, target)
    if as_json:
        print(json.dumps(trace.to_json()))
        return 0
    # Columns as wide as their widest cell (9 at least, the usual "  -0.1234"), so that
    # -1000000.0000 cannot push its row out of line.
    names = ["stage", *(stage.name for stage in trace.stages)]
    cells = [[f"v{i + 1}" for i in range(len(values))]]
    cells += [[f"{v:.4f}" for v in stage.values] for stage in trace.stages]
    widths = [max(9, *(len(cell) for cell in column)) for column in zip(*cells, strict=True)]
    shapes = ["shape", *(stage.shape_text for stage in trace.stages)]
    name_width = max(len(name) for name in names)
    for name, row, shape in zip(names, cells, shapes, strict=True):
        columns = " ".join(cell.rjust(width) for cell, width in zip(row, widths, strict=True))
        print(f"{name:<{name_width}}  {columns}  {shape}")
    total = sum(trace.stages[-1].values)
    print(f"prediction: class {trace.prediction + 1} (softmax sums to {total:.4f})")
    if pipeline.temperature != DEFAULT_TEMPERATURE:
        print(f"temperature: T = {pipeline.temperature:g} (the output is softmax(z / T))")
    if trace.target is not None and trace.loss is not None:
        _print_gradients(trace.stages, trace.target, trace.loss, widths)
    return 0


def _print_gradients(
    stages: Sequence[StageTrace], target: int, loss: float, widths: list[int]
) -> None:
    """The loss line and one ∂L/∂x or ∂L/∂z row per stage, below the trace table."""
    print(f"loss: {loss:.4f} (cross-entropy against target class {target + 1}, --target {target})")
    labels = ["gradient"]
    cells = [[f"v{i + 1}" for i in range(len(widths))]]
    for stage in stages:
        assert stage.gradient is not None  # a trace with a target has every gradient
        labels.append(f"{'∂L/∂x' if stage.pre_activation is None else '∂L/∂z'} {stage.name}")
        cells.append([f"{v:.4f}" for v in stage.gradient])
    widths = [
        max(width, *(len(cell) for cell in column))
        for width, column in zip(widths, zip(*cells, strict=True), strict=True)
    ]
    label_width = max(len(label) for label in labels)
    for label, row in zip(labels, cells, strict=True):
        columns = " ".join(cell.rjust(width) for cell, width in zip(row, widths, strict=True))
        print(f"{label:<{label_width}}  {columns}")


def run_training(
    config: TrainingConfig,
    epochs: int,
    as_json: bool,
    *,
    start: Session | None = None,
    save_path: str | None = None,
    version: str = "",
    after_training: Callable[[TrainedRun, Session], str | None] | None = None,
) -> int:
    """Train headless for ``epochs`` (from scratch, or on from the session ``start``), print
    the epoch table or JSON, then write the session (``save_path``) and whatever
    ``after_training`` writes (a handout); each returns the reason it failed, or None.

    Exit code 0; 1 when training diverged or a file could not be written.
    """
    from model.cli_sessions import (
        epochs_json,
        print_error,
        session_of,
        train_run,
        write_session_text,
    )

    run = train_run(config, epochs, start)
    if run.diverged is not None:
        print(f"main.py: {run.diverged}", file=sys.stderr)
    if as_json:
        print(epochs_json(config, run.records, None if start is None else start.run.epoch))
    else:
        _print_epochs(run.records)
    problems = []
    session = session_of(run, config, start, version)
    if save_path is not None:
        problems.append(write_session_text(session, Path(save_path)))
    if after_training is not None:
        problems.append(after_training(run, session))
    for problem in problems:
        if problem is not None:
            print_error(problem)
    return 1 if run.diverged is not None or any(problems) else 0


def run_comparison(
    config: TrainingConfig, pipelines: Sequence[Pipeline], epochs: int, as_json: bool
) -> int:
    """Train each pipeline in turn with ``config``'s other settings; print them all.

    Each run is exactly the run ``--train --activations P`` makes with the same settings. A run
    that diverges is reported on stderr and the others are still trained and printed; the exit
    code is then 1.
    """
    runs = []
    for pipeline in pipelines:
        run_config = config.with_pipeline(pipeline)
        records, diverged = _train(run_config, epochs)
        if diverged is not None:
            print(f"main.py: {pipeline.label}: {diverged}", file=sys.stderr)
        runs.append((pipeline, run_config, records, diverged))
    if as_json:
        print(
            json.dumps(
                {
                    "runs": [
                        {
                            "activations": list(pipeline.activations),
                            "temperature": pipeline.temperature,
                            "config": run_config.to_json(),
                            "epochs": [r.to_json() for r in records],
                            "diverged": diverged,
                        }
                        for pipeline, run_config, records, diverged in runs
                    ]
                }
            )
        )
    else:
        for number, (pipeline, _, records, diverged) in enumerate(runs, start=1):
            if number > 1:
                print()
            ending = "" if diverged is None else " (diverged)"
            print(f"pipeline {number}: {pipeline.label}{ending}")
            _print_epochs(records)
    return 0 if all(diverged is None for *_, diverged in runs) else 1


def _train(config: TrainingConfig, epochs: int) -> tuple[list[EpochRecord], str | None]:
    """The records of up to ``epochs`` epochs, and why training diverged (None if it did not)."""
    import torch

    from model.training import DivergenceError, Trainer

    torch.set_num_threads(1)  # tiny network: one thread is fastest and identical everywhere
    trainer = Trainer(config)
    records = []
    try:
        for _ in range(epochs):
            records.append(trainer.train_epoch())
    except DivergenceError as error:
        return records, str(error)
    return records, None


def _print_epochs(records: Sequence[EpochRecord]) -> None:
    print(f"{'epoch':>5}  {'train loss':>10}  {'test loss':>9}  {'accuracy':>8}  observation")
    for r in records:
        print(
            f"{r.epoch:>5}  {r.train_loss:>10.4f}  {r.test_loss:>9.4f}  "
            f"{r.test_accuracy:>8.1%}  {r.observation}"
        )

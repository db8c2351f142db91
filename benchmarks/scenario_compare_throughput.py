"""Compared runs: training steps per second of four pipelines side by side ÷ one pipeline.

Everything runs in the real model engine at full speed (one process, as in the window), in
turns of the same length, so all see the same machine load. Steps count every run's batches.
Activations differ in cost (an ELU step is dearer than a ReLU one), so "one run" is each of the
four pipelines trained alone, combined as if run one after the other (4 / Σ 1/rᵢ): the ratio is
what interleaving them in one process costs. The ratio against the default pipeline alone is
reported too.
"""

from __future__ import annotations

import multiprocessing
import sys
import time

from common import median, report

from model import protocol as msg
from model.config import Pipeline, TrainingConfig
from model.engine import serve

MAIN = Pipeline()
COMPARED = (
    Pipeline(("GELU", "Tanh", "Softmax")),
    Pipeline(("Sigmoid", "Sigmoid", "Softmax")),
    Pipeline(("LeakyReLU", "ELU", "Softmax")),
)


def steps_per_second(main: Pipeline, compare: tuple[Pipeline, ...], seconds: float) -> float:
    """Steps per second of the engine training ``compare`` beside ``main``."""
    # A process of its own, as in the window: a thread here would share the GIL with the
    # receiving loop below, and four runs' larger messages would slow the engine for that.
    context = multiprocessing.get_context("spawn")
    ours, theirs = context.Pipe()
    process = context.Process(target=serve, args=(theirs,), daemon=True)
    process.start()
    theirs.close()
    assert isinstance(ours.recv(), msg.EngineReady)
    ours.send(msg.SetPace(None))
    ours.send(msg.Configure(TrainingConfig().with_pipeline(main), compare))
    while not isinstance(ours.recv(), msg.TrainingReset):
        pass
    ours.send(msg.SetTraining(True))
    first: tuple[float, int] | None = None
    last: tuple[float, int] | None = None
    ends = time.perf_counter() + seconds
    while time.perf_counter() < ends:
        reply = ours.recv()
        if isinstance(reply, msg.TrainingProgress):
            point = (time.perf_counter(), reply.steps)
            if first is None:
                first = point
            last = point
    ours.send(msg.SetTraining(False))
    ours.send(msg.Shutdown())
    process.join(30)
    ours.close()
    assert first is not None
    assert last is not None
    assert last[0] > first[0], "no progress arrived while training"
    return (last[1] - first[1]) / (last[0] - first[0])


def main() -> None:
    rounds, seconds = (1, 2.0) if "--quick" in sys.argv else (3, 4.0)
    alone: dict[Pipeline, list[float]] = {p: [] for p in (MAIN, *COMPARED)}
    together = []
    for _ in range(rounds):
        for pipeline, rates in alone.items():
            rates.append(steps_per_second(pipeline, (), seconds))
        together.append(steps_per_second(MAIN, COMPARED, seconds))
    singles = {p: median(rates) for p, rates in alone.items()}
    # Four pipelines trained one after the other: each step takes 1/rᵢ seconds.
    back_to_back = len(singles) / sum(1 / rate for rate in singles.values())
    report(
        {
            "single_steps_per_s": {p.label: rate for p, rate in singles.items()},
            "back_to_back_steps_per_s": back_to_back,
            "four_runs_steps_per_s": median(together),
            "ratio": median(together) / back_to_back,
            "ratio_to_default_alone": median(together) / singles[MAIN],
        }
    )


if __name__ == "__main__":
    main()

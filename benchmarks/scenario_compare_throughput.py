"""Compared runs: training steps per second of four pipelines side by side ÷ one pipeline.

Both run in the real model engine at full speed (one process, as in the window), alternately
and for the same time, so both see the same machine load. Steps count every run's batches:
four runs sharing the process fairly should together train as fast as one run alone.
"""

from __future__ import annotations

import sys
import threading
import time
from multiprocessing import Pipe

from common import median, report

from model import protocol as msg
from model.config import Pipeline, TrainingConfig
from model.engine import Engine

COMPARED = (
    Pipeline(("GELU", "Tanh", "Softmax")),
    Pipeline(("Sigmoid", "Sigmoid", "Softmax")),
    Pipeline(("LeakyReLU", "ELU", "Softmax")),
)


def steps_per_second(compare: tuple[Pipeline, ...], seconds: float) -> float:
    """Steps per second of the engine training ``compare`` beside the default pipeline."""
    ours, theirs = Pipe()
    thread = threading.Thread(target=lambda: Engine(theirs).run(), daemon=True)
    thread.start()
    assert isinstance(ours.recv(), msg.EngineReady)
    ours.send(msg.SetPace(None))
    ours.send(msg.Configure(TrainingConfig(), compare))
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
    thread.join(30)
    ours.close()
    assert first is not None
    assert last is not None
    assert last[0] > first[0], "no progress arrived while training"
    return (last[1] - first[1]) / (last[0] - first[0])


def main() -> None:
    import torch

    torch.set_num_threads(1)  # as the model process does
    pairs, seconds = (1, 2.0) if "--quick" in sys.argv else (3, 4.0)
    single, compared = [], []
    for _ in range(pairs):
        single.append(steps_per_second((), seconds))
        compared.append(steps_per_second(COMPARED, seconds))
    report(
        {
            "single_steps_per_s": median(single),
            "four_runs_steps_per_s": median(compared),
            "ratio": median(compared) / median(single),
        }
    )


if __name__ == "__main__":
    main()

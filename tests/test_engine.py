"""The model process's request loop, driven in-process over a real pipe.

The engine runs in a thread of the test process; every wait on the pipe has a bound, so a
broken engine fails a test with a message instead of hanging the suite.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Iterator
from multiprocessing import Pipe
from typing import TypeVar

import numpy as np
import pytest
import torch
from test_training import np_cross_entropy, np_forward, np_layers

from model import protocol as msg
from model.config import DEFAULT_INPUTS, Pipeline, TrainingConfig
from model.datasets import make_dataset
from model.engine import Engine
from model.trace import Trace
from model.training import Trainer

#: Bound on any single wait: generous for a busy 2-core machine, short enough to fail fast.
TIMEOUT = 30.0
#: How long "nothing more arrives" is watched for.
QUIET = 0.3

R = TypeVar("R")


def np_identity_trace(inputs: tuple[float, ...]) -> list[np.ndarray]:
    """Input → ReLU → Sigmoid → Softmax of ``inputs`` computed with numpy (W = I, b = 0)."""
    x = np.array(inputs, dtype=np.float64)
    relu = np.maximum(x, 0.0)
    sigmoid = 1.0 / (1.0 + np.exp(-relu))
    exp = np.exp(sigmoid - sigmoid.max())
    return [x, relu, sigmoid, exp / exp.sum()]


def assert_identity_trace(trace: Trace, inputs: tuple[float, ...]) -> None:
    """``trace`` is the untrained pipeline of ``inputs``, stage by stage."""
    assert [s.name for s in trace.stages] == ["Input", "ReLU", "Sigmoid", "Softmax"]
    for stage, expected in zip(trace.stages, np_identity_trace(inputs), strict=True):
        np.testing.assert_allclose(stage.values, expected, rtol=1e-12, atol=1e-15)


def assert_consistent_trace(trace: Trace) -> None:
    """Every stage of ``trace`` is act(W·x + b) from its own weight copies (any weights)."""
    activations = {
        "ReLU": lambda z: np.maximum(z, 0.0),
        "Sigmoid": lambda z: 1.0 / (1.0 + np.exp(-z)),
        "Softmax": lambda z: np.exp(z - z.max()) / np.exp(z - z.max()).sum(),
    }
    previous = np.array(trace.stages[0].values)
    for stage in trace.stages[1:]:
        assert stage.weight is not None
        assert stage.bias is not None
        assert stage.pre_activation is not None
        z = stage.weight @ previous + stage.bias
        np.testing.assert_allclose(stage.pre_activation, z, rtol=1e-10, atol=1e-12)
        previous = activations[stage.name](z)
        np.testing.assert_allclose(stage.values, previous, rtol=1e-10, atol=1e-12)


class EngineHarness:
    """An Engine serving one end of a pipe from a thread; the test holds the other end."""

    def __init__(self) -> None:
        self.conn, self._engine_conn = Pipe()
        self._thread = threading.Thread(target=self._serve, name="test-engine", daemon=True)
        self.ready: msg.EngineReady | None = None

    def _serve(self) -> None:
        Engine(self._engine_conn).run()

    def start(self) -> msg.EngineReady:
        """Start the engine and wait for its EngineReady."""
        self._thread.start()
        self.ready = self.expect(msg.EngineReady)
        return self.ready

    def send(self, request: msg.Request) -> None:
        """Send one request to the engine."""
        self.conn.send(request)

    def receive(self, timeout: float = TIMEOUT) -> msg.Reply:
        """The next reply; fails the test if none comes within ``timeout``."""
        assert self.conn.poll(timeout), f"no reply from the engine within {timeout} s"
        reply: msg.Reply = self.conn.recv()
        assert not isinstance(reply, msg.EngineFailed), f"engine failed: {reply.details}"
        return reply

    def expect(self, kind: type[R], timeout: float = TIMEOUT) -> R:
        """The next reply, which must be a ``kind``."""
        reply = self.receive(timeout)
        assert isinstance(reply, kind), f"expected {kind.__name__}, got {reply!r}"
        return reply

    def receive_until(self, kind: type[R], timeout: float = TIMEOUT) -> tuple[list[msg.Reply], R]:
        """Replies up to the first ``kind``: (those before it, the ``kind`` reply)."""
        before: list[msg.Reply] = []
        while True:
            reply = self.receive(timeout)
            if isinstance(reply, kind):
                return before, reply
            before.append(reply)

    def progress_until(
        self, done: Callable[[msg.TrainingProgress], bool], timeout: float = TIMEOUT
    ) -> list[msg.TrainingProgress]:
        """Progress messages up to and including the first that ``done`` accepts.

        Any other reply fails the test. ``timeout`` bounds the wait for each message, so a slow
        machine only makes the test slower, never wrong.
        """
        received: list[msg.TrainingProgress] = []
        while not received or not done(received[-1]):
            received.append(self.expect(msg.TrainingProgress, timeout))
        return received

    def until_idle(self) -> list[msg.TrainingProgress]:
        """Progress up to the message that says training has stopped: not running, not stepping.

        A step whose epoch outlasts a progress interval sends ``running=False, stepping=True``
        first; only ``stepping=False`` says it is over.
        """
        return self.progress_until(lambda p: not p.running and not p.stepping)

    def quiet(self, seconds: float = QUIET) -> bool:
        """True when the engine sends nothing for ``seconds``."""
        return not self.conn.poll(seconds)

    def drain(self) -> list[msg.Reply]:
        """Every reply already waiting in the pipe."""
        replies = []
        while self.conn.poll(0):
            replies.append(self.conn.recv())
        return replies

    def stop(self) -> None:
        """Ask the engine to stop and join its thread with a bound; the pipe stays readable."""
        if self._thread.is_alive():
            self.send(msg.Shutdown())
            self._thread.join(TIMEOUT)
        assert not self._thread.is_alive(), "the engine thread did not stop after Shutdown"

    def shutdown(self) -> None:
        """Stop the engine (if it runs) and close both ends of the pipe."""
        try:
            self.stop()
        finally:
            self.conn.close()
            self._engine_conn.close()


@pytest.fixture
def harness() -> Iterator[EngineHarness]:
    """A harness whose engine the test starts (so it may queue requests first)."""
    engine = EngineHarness()
    try:
        yield engine
    finally:
        engine.shutdown()


@pytest.fixture
def engine(harness: EngineHarness) -> EngineHarness:
    """A started engine that has said it is ready."""
    harness.start()
    return harness


def test_ready_reports_the_untrained_baseline(harness: EngineHarness) -> None:
    """EngineReady comes first, with the default config and 13 batches per epoch."""
    ready = harness.start()
    assert ready.config == TrainingConfig()
    assert ready.batches_per_epoch == 13  # ceil(409 / 32)
    assert ready.baseline.epoch == 0
    assert ready.torch_version


def test_set_inputs_returns_the_identity_trace(engine: EngineHarness) -> None:
    """SetInputs answers with the untrained trace of exactly those inputs."""
    engine.send(msg.SetInputs((2.0, -1.0, 0.5, 3.0)))
    trace = engine.expect(msg.TraceComputed).trace
    assert_identity_trace(trace, (2.0, -1.0, 0.5, 3.0))
    np.testing.assert_allclose(trace.stages[-1].values, [0.2833, 0.1936, 0.2188, 0.3044], atol=5e-5)
    inputs = (-1.5, 2.0, 0.0, 3.0)
    engine.send(msg.SetInputs(inputs))
    assert_identity_trace(engine.expect(msg.TraceComputed).trace, inputs)


def test_set_inputs_of_wrong_width_is_refused(engine: EngineHarness) -> None:
    """Three inputs are refused with a reason, and the engine keeps serving."""
    engine.send(msg.SetInputs((1.0, 2.0, 3.0)))
    refused = engine.expect(msg.RequestRefused)
    assert "expected 4 inputs, got 3" in refused.message
    engine.send(msg.SetInputs((1.0, 2.0, 3.0, 4.0)))
    assert_identity_trace(engine.expect(msg.TraceComputed).trace, (1.0, 2.0, 3.0, 4.0))


def test_burst_of_inputs_is_coalesced(harness: EngineHarness) -> None:
    """50 edits queued before the engine reads them give fewer replies, the last for the newest."""
    rng = np.random.RandomState(0)
    bursts = [tuple(rng.uniform(-5, 5, size=4).tolist()) for _ in range(50)]
    for values in bursts:
        harness.send(msg.SetInputs(values))
    harness.start()
    replies: list[msg.Reply] = []
    while True:
        reply = harness.expect(msg.TraceComputed)
        replies.append(reply)
        if reply.trace.stages[0].values == bursts[-1]:
            break
        assert len(replies) < len(bursts), "no reply carried the newest inputs"
    harness.stop()
    replies += harness.drain()
    assert len(replies) < len(bursts)
    last = replies[-1]
    assert isinstance(last, msg.TraceComputed)
    assert_identity_trace(last.trace, bursts[-1])


def test_step_epoch_trains_exactly_one_epoch(engine: EngineHarness) -> None:
    """StepEpoch ends with a paused progress message holding the one finished epoch."""
    engine.send(msg.StepEpoch())
    progress = engine.until_idle()
    assert all(not p.running for p in progress)
    assert all(p.stepping for p in progress[:-1])
    records = [record for p in progress for record in p.epochs]
    assert [r.epoch for r in records] == [1]
    assert len(progress[-1].epochs) == 1
    assert progress[-1].running is False
    assert progress[-1].steps == 13
    assert sum(len(p.batch_losses) for p in progress) == 13
    positions = np.concatenate([p.batch_positions for p in progress])
    assert positions[-1] == 1.0
    assert np.all(np.diff(positions) > 0)
    assert records[0].observation.startswith("First epoch")
    assert engine.quiet(), "the engine kept training after one step"
    assert_consistent_trace(progress[-1].trace)


def test_start_and_pause_training(engine: EngineHarness) -> None:
    """SetTraining(True) streams progress; SetTraining(False) ends it with running=False."""
    engine.send(msg.SetTraining(True))
    epochs: list[int] = []
    while len(epochs) < 2:
        progress = engine.expect(msg.TrainingProgress)
        assert progress.running
        epochs += [r.epoch for r in progress.epochs]
    engine.send(msg.SetTraining(False))
    # Progress already on its way still says running; the pause's own flush says paused.
    tail = engine.until_idle()
    epochs += [r.epoch for p in tail for r in p.epochs]
    paused = tail[-1]
    assert epochs == list(range(1, len(epochs) + 1))
    assert engine.quiet(), "progress kept arriving after the pause"
    assert paused.trace.is_finite()


def test_invalid_configure_is_refused(engine: EngineHarness) -> None:
    """Configure with a negative learning rate is refused; the engine keeps the old run."""
    engine.send(msg.Configure(TrainingConfig(learning_rate=-1)))
    refused = engine.expect(msg.RequestRefused)
    assert "learning rate" in refused.message
    engine.send(msg.Configure(TrainingConfig(task="nope")))
    assert "unknown task" in engine.expect(msg.RequestRefused).message
    engine.send(msg.SetInputs(DEFAULT_INPUTS))
    assert_identity_trace(engine.expect(msg.TraceComputed).trace, DEFAULT_INPUTS)


def test_configure_resets_with_the_new_settings(engine: EngineHarness) -> None:
    """A valid Configure starts over: TrainingReset carries the new config and identity trace."""
    config = TrainingConfig(task="largest", seed=3, batch_size=64)
    engine.send(msg.Configure(config))
    reset = engine.expect(msg.TrainingReset)
    assert reset.config == config
    assert reset.batches_per_epoch == 7  # ceil(409 / 64)
    assert reset.baseline.epoch == 0
    assert reset.baseline.test_accuracy > 0.85
    assert_identity_trace(reset.trace, DEFAULT_INPUTS)


def test_divergence_is_reported_with_a_finite_trace(engine: EngineHarness) -> None:
    """Learning rate 50 diverges: TrainingDiverged names the learning rate, training stops."""
    engine.send(msg.Configure(TrainingConfig(learning_rate=50)))
    engine.expect(msg.TrainingReset)
    engine.send(msg.SetTraining(True))
    before, diverged = engine.receive_until(msg.TrainingDiverged)
    assert all(isinstance(r, msg.TrainingProgress) for r in before)
    assert "learning rate" in diverged.message
    assert "Try a smaller learning rate" in diverged.message
    assert diverged.trace.is_finite()
    assert_consistent_trace(diverged.trace)
    assert engine.quiet(), "training went on after diverging"


def test_reset_restores_the_identity_trace(engine: EngineHarness) -> None:
    """After a trained epoch, Reset answers with the identity trace of the current inputs."""
    inputs = (0.3, -2.0, 1.25, 0.5)
    engine.send(msg.SetInputs(inputs))
    engine.expect(msg.TraceComputed)
    engine.send(msg.StepEpoch())
    trained = engine.until_idle()[-1]
    first = trained.trace.stages[1]
    assert first.weight is not None
    assert not np.allclose(first.weight, np.eye(4)), "the epoch did not change the weights"
    engine.send(msg.Reset())
    reset = engine.expect(msg.TrainingReset)
    assert_identity_trace(reset.trace, inputs)
    for stage in reset.trace.stages[1:]:
        np.testing.assert_array_equal(stage.weight, np.eye(4))
        np.testing.assert_array_equal(stage.bias, np.zeros(4))
    assert engine.ready is not None
    assert reset.baseline == engine.ready.baseline


def epochs_within(engine: EngineHarness, seconds: float) -> list[int]:
    """The epoch numbers finished in the next ``seconds`` of progress messages."""
    deadline = time.perf_counter() + seconds
    epochs: list[int] = []
    while (left := deadline - time.perf_counter()) > 0:
        if engine.conn.poll(left):
            reply = engine.receive()
            assert isinstance(reply, msg.TrainingProgress), reply
            epochs += [r.epoch for r in reply.epochs]
    return epochs


#: Epochs whose arrival times measure the pace (about 1.2 s at 5 epochs/s).
PACE_WINDOW_EPOCHS = 6


@pytest.fixture
def one_torch_thread() -> Iterator[None]:
    """One intra-op thread, as the model process has (``model.engine.serve``).

    With torch's default two, the second OpenMP thread spin-waits against this process's
    other threads and a paced batch now and then takes ten times its interval (measured here:
    1.7–3.6 epochs/s at a pace of 5 under load, against 5.0 ± 0.1 with one thread).
    """
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


def measured_pace(engine: EngineHarness, timeout: float = TIMEOUT) -> float:
    """Epochs per second between the arrival of the first finished epoch and a later one.

    Waits (``timeout`` in all) until ``PACE_WINDOW_EPOCHS`` more epochs have finished, so an
    engine that never trains fails here instead of passing (it still sends progress, empty,
    30 times a second). Timing from the first epoch's arrival leaves out the start-up, and a
    window of several epochs keeps the 30 Hz progress granularity to a few percent of the rate.
    """
    deadline = time.perf_counter() + timeout
    arrivals: list[tuple[int, float]] = []
    while len(arrivals) < 2 or arrivals[-1][0] - arrivals[0][0] < PACE_WINDOW_EPOCHS:
        left = deadline - time.perf_counter()
        assert left > 0, f"{timeout} s of training finished only these epochs: {arrivals}"
        if not engine.conn.poll(left):
            continue  # the deadline's assert says what came
        progress = engine.expect(msg.TrainingProgress)
        assert progress.running, "training stopped by itself"
        if progress.epochs:
            arrivals.append((progress.epochs[-1].epoch, time.perf_counter()))
    (first, start), (last, end) = arrivals[0], arrivals[-1]
    return (last - first) / (end - start)


def assert_close_to_pace(rate: float, pace: float) -> None:
    """``rate`` is within 0.5×–1.5× of ``pace``: a 2× slower machine still passes, an engine
    that ignores the pace (hundreds of epochs a second) or crawls does not."""
    assert 0.5 * pace <= rate <= 1.5 * pace, (
        f"trained {rate:.2f} epochs/s at a pace of {pace} epochs/s"
    )


@pytest.mark.usefixtures("one_torch_thread")
def test_pace_limits_epochs_per_second(engine: EngineHarness) -> None:
    """At 5 epochs/s, 0.6 s of training finishes at most 3 epochs (+1 for rounding), and
    over a longer window training goes on at about that pace."""
    engine.send(msg.SetPace(5.0))
    engine.send(msg.SetTraining(True))
    epochs = epochs_within(engine, 0.6)
    assert len(epochs) <= 4, f"{len(epochs)} epochs in 0.6 s at a pace of 5 epochs/s"
    assert_close_to_pace(measured_pace(engine), 5.0)
    engine.send(msg.SetTraining(False))
    engine.until_idle()


@pytest.mark.usefixtures("one_torch_thread")
def test_pace_holds_after_idle_time(engine: EngineHarness) -> None:
    """Pressing Train after 2 s of reading still trains at 5 epochs/s, with no burst."""
    engine.send(msg.SetPace(5.0))
    time.sleep(2.0)  # the scenario, not a wait: the learner reads the screen before Train
    engine.send(msg.SetTraining(True))
    epochs = epochs_within(engine, 0.6)
    assert len(epochs) <= 4, f"{len(epochs)} epochs in 0.6 s at a pace of 5 epochs/s"
    assert_close_to_pace(measured_pace(engine), 5.0)
    engine.send(msg.SetTraining(False))
    engine.until_idle()


def test_shutdown_while_training_stops_the_engine(harness: EngineHarness) -> None:
    """Shutdown during continuous training ends the engine's loop promptly."""
    harness.start()
    harness.send(msg.SetTraining(True))
    harness.progress_until(lambda p: p.running)
    harness.stop()  # asserts the thread has stopped


# Checkpoints and resuming -------------------------------------------------------------------


def test_progress_carries_checkpoints_of_finished_epochs(engine: EngineHarness) -> None:
    """Every message with finished epochs carries its newest one's checkpoint, epochs rising;
    the weights are those of a headless run stopped at that epoch."""
    engine.send(msg.SetTraining(True))
    progress = engine.progress_until(lambda p: any(r.epoch >= 3 for r in p.epochs))
    engine.send(msg.SetTraining(False))
    progress += engine.until_idle()
    checkpoints = []
    for p in progress:
        if p.epochs:
            assert p.checkpoint is not None
            assert p.checkpoint.epoch == p.epochs[-1].epoch
            checkpoints.append(p.checkpoint)
        else:
            assert p.checkpoint is None
    epochs = [c.epoch for c in checkpoints]
    assert epochs == sorted(set(epochs))
    assert epochs[-1] >= 3
    newest = checkpoints[-1]
    headless = Trainer()
    for _ in range(newest.epoch):
        headless.train_epoch()
    np.testing.assert_array_equal(newest.weights, headless.network.flat_weights().numpy())


def step_epochs(engine: EngineHarness, count: int) -> list[msg.TrainingProgress]:
    """Step ``count`` epochs, one at a time, waiting for each to end."""
    progress = []
    for _ in range(count):
        engine.send(msg.StepEpoch())
        progress += engine.until_idle()
    return progress


def test_resume_restores_the_checkpoint_and_answers_resumed(engine: EngineHarness) -> None:
    """Resume at epoch 3 after training on to epoch 4: Resumed carries epoch 3, the trace of the
    current inputs through the checkpoint's weights, and epoch 3's numbers (numpy agrees);
    the next step trains epoch 4 again."""
    inputs = (0.3, -2.0, 1.25, 0.5)
    engine.send(msg.SetInputs(inputs))
    engine.expect(msg.TraceComputed)
    checkpoint = step_epochs(engine, 3)[-1].checkpoint
    assert checkpoint is not None
    assert checkpoint.epoch == 3
    step_epochs(engine, 1)
    engine.send(msg.Resume(checkpoint))
    resumed = engine.expect(msg.Resumed)
    assert resumed.epoch == 3
    assert resumed.trace.stages[0].values == inputs
    for stage, (weight, bias) in zip(
        resumed.trace.stages[1:], np_layers(checkpoint.weights), strict=True
    ):
        np.testing.assert_array_equal(stage.weight, weight)
        np.testing.assert_array_equal(stage.bias, bias)
    assert_consistent_trace(resumed.trace)
    data = make_dataset()
    logits = np_forward(np_layers(checkpoint.weights), data.test_x.numpy())
    assert resumed.baseline.epoch == 3
    assert resumed.baseline.test_loss == pytest.approx(
        np_cross_entropy(logits, data.test_y.numpy()), rel=1e-10
    )
    after = step_epochs(engine, 1)
    assert [r.epoch for p in after for r in p.epochs] == [4]
    assert after[-1].checkpoint is not None
    assert after[-1].checkpoint.epoch == 4
    assert engine.quiet(), "the engine kept training after the step"


def test_a_bad_checkpoint_is_refused_and_training_goes_on(engine: EngineHarness) -> None:
    """A checkpoint of 59 weights, or of NaNs, is refused while training runs; training goes
    on, and when idle, the weights stay untouched (the identity trace)."""
    engine.send(msg.SetTraining(True))
    engine.progress_until(lambda p: p.running)
    engine.send(msg.Resume(msg.Checkpoint(2, np.zeros(59))))
    before, refused = engine.receive_until(msg.RequestRefused)
    assert all(isinstance(r, msg.TrainingProgress) for r in before)
    assert "59 weights" in refused.message
    assert "60" in refused.message
    later = engine.progress_until(lambda p: bool(p.epochs))
    assert later[-1].running, "a refused resume must not stop training"
    engine.send(msg.SetTraining(False))
    engine.until_idle()
    engine.send(msg.Reset())
    engine.expect(msg.TrainingReset)
    engine.send(msg.Resume(msg.Checkpoint(2, np.full(60, np.nan))))
    assert "not finite" in engine.expect(msg.RequestRefused).message
    engine.send(msg.SetInputs(DEFAULT_INPUTS))
    assert_identity_trace(engine.expect(msg.TraceComputed).trace, DEFAULT_INPUTS)


# Part 4: gradients for a target, compared runs --------------------------------------------------


def test_traces_carry_gradients_for_the_tasks_answer_then_the_chosen_target(
    engine: EngineHarness,
) -> None:
    """By default the target is the task's right answer; SetTarget picks another, None returns.

    The last stage's gradient is softmax − one-hot(target) (T = 1), computed here with numpy.
    """
    inputs = (2.0, -1.0, 0.5, 3.0)  # "smallest": the right answer is class 1 (index 1)
    engine.send(msg.SetInputs(inputs))
    trace = engine.expect(msg.TraceComputed).trace
    assert trace.target == 1
    probabilities = np.array(np_identity_trace(inputs)[-1])
    expected = probabilities - np.eye(4)[1]
    np.testing.assert_allclose(trace.stages[-1].gradient, expected, rtol=1e-12, atol=1e-15)
    assert trace.loss == pytest.approx(-np.log(probabilities[1]), rel=1e-12)
    engine.send(msg.SetTarget(3))
    chosen = engine.expect(msg.TraceComputed).trace
    assert chosen.target == 3
    np.testing.assert_allclose(
        chosen.stages[-1].gradient, probabilities - np.eye(4)[3], rtol=1e-12, atol=1e-15
    )
    engine.send(msg.SetTarget(None))
    assert engine.expect(msg.TraceComputed).trace.target == 1


@pytest.mark.parametrize("target", [4, -1, True, 1.5])
def test_a_bad_target_is_refused(engine: EngineHarness, target: object) -> None:
    """A target outside 0-3 (or not a whole number) is refused; the gradients stay as they were."""
    engine.send(msg.SetTarget(target))  # type: ignore[arg-type]
    assert "target class must be 0-3" in engine.expect(msg.RequestRefused).message
    engine.send(msg.SetInputs(DEFAULT_INPUTS))
    assert engine.expect(msg.TraceComputed).trace.target == 1


def test_configure_with_a_pipeline_traces_through_it(engine: EngineHarness) -> None:
    """The activations of the configuration reach the network: GELU → Tanh → Softmax at T 0.5."""
    config = TrainingConfig(activations=("GELU", "Tanh", "Softmax"), temperature=0.5)
    engine.send(msg.Configure(config))
    reset = engine.expect(msg.TrainingReset)
    assert reset.trace.activations == ("GELU", "Tanh", "Softmax")
    assert reset.trace.temperature == 0.5
    x = np.array(DEFAULT_INPUTS)
    gelu = np.array([v * 0.5 * (1 + math.erf(v / math.sqrt(2))) for v in x])
    tanh = np.tanh(gelu)
    scores = tanh / 0.5
    softmax = np.exp(scores - scores.max()) / np.exp(scores - scores.max()).sum()
    for stage, expected in zip(reset.trace.stages[1:], (gelu, tanh, softmax), strict=True):
        np.testing.assert_allclose(stage.values, expected, rtol=1e-12)


def test_compared_runs_equal_their_single_runs(engine: EngineHarness) -> None:
    """Two pipelines trained side by side give, epoch for epoch, what each gives alone."""
    main = TrainingConfig(activations=("ReLU", "Sigmoid", "Softmax"))
    other = Pipeline(("GELU", "Tanh", "Softmax"), 0.5)
    engine.send(msg.Configure(main, (other,)))
    reset = engine.expect(msg.TrainingReset)
    assert reset.compare == (other,)
    assert len(reset.compared_baselines) == 1
    progress = step_epochs(engine, 2)
    main_epochs = [r for p in progress for r in p.epochs]
    compared = [r for p in progress for run in p.compared for r in run.epochs]
    assert {run.run for p in progress for run in p.compared} == {1}
    assert [r.epoch for r in compared] == [1, 2]
    alone = Trainer(main.with_pipeline(other))
    expected = [alone.train_epoch(), alone.train_epoch()]
    assert compared == expected
    single = Trainer(main)
    assert main_epochs == [single.train_epoch(), single.train_epoch()]
    # Batches of every run are counted: 13 batches an epoch, two runs, two epochs.
    assert progress[-1].steps == 2 * 2 * 13


def test_too_many_compared_pipelines_are_refused(engine: EngineHarness) -> None:
    """Four pipelines at most train together; a fifth is refused and nothing changes."""
    others = tuple(Pipeline((name, "Tanh", "Softmax")) for name in ("GELU", "ELU", "SiLU", "ReLU"))
    engine.send(msg.Configure(TrainingConfig(), others))
    refused = engine.expect(msg.RequestRefused)
    assert "at most 4 pipelines" in refused.message
    engine.send(msg.Configure(TrainingConfig(), (Pipeline(("Softmax", "Tanh", "Softmax")),)))
    assert "cannot be Softmax" in engine.expect(msg.RequestRefused).message
    engine.send(msg.SetInputs(DEFAULT_INPUTS))
    assert_identity_trace(engine.expect(msg.TraceComputed).trace, DEFAULT_INPUTS)


def test_requests_are_routed_by_a_table() -> None:
    """Every request but SetInputs and Shutdown (handled in the loop itself) has a handler."""
    engine = Engine(Pipe()[0])
    handled = set(engine._handlers)
    requests = set(msg.Request.__args__)  # type: ignore[attr-defined]
    assert handled == requests - {msg.SetInputs, msg.Shutdown}

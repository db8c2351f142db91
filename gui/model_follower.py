"""How the window follows the model process: each of its messages drawn where it belongs.

The model's answers (ready, a trace, training progress, a reset, a divergence, a resumed run,
a failure) arrive from the worker in the model thread; each has one slot here that updates the
shared views, the toolbar and the status bar. The window (a shell) owns the widgets; this owns
the bookkeeping of following training frames, an edit in flight and a restart.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from gui.pipeline_view import MESSAGE_TIMEOUT_MS
from model import protocol as msg
from model.trace import Trace

if TYPE_CHECKING:
    from gui.main_window import MainWindow


class ModelFollower(QObject):
    """Connects the worker's signals of ``window.host`` to the window's views.

    ``is_model_ready`` is True between the model's ready message and a failure.
    """

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        self.is_model_ready = False
        self._restarting = False
        self._training_trace: Trace | None = None
        self._draw_history_next = False
        self._edit_in_flight = False
        worker = window.host.worker
        worker.ready.connect(self._on_worker_ready)
        worker.trace_ready.connect(self._on_worker_trace_ready)
        worker.progress_ready.connect(self._on_worker_progress)
        worker.training_reset.connect(self.follow_reset)
        worker.training_diverged.connect(self._on_worker_training_diverged)
        worker.training_resumed.connect(self._on_worker_training_resumed)
        worker.failed.connect(self._on_worker_failed)

    def edit_sent(self) -> None:
        """An edit went to the model: until its trace is back, training frames do not draw
        the (older) prediction trace, so the edit's answer is drawn first."""
        self._edit_in_flight = self.is_model_ready

    def restart_sent(self) -> None:
        """A restart was asked for: the next ready message resumes, it does not start over."""
        self._restarting = True

    def _on_worker_ready(self, ready: msg.EngineReady) -> None:
        w = self._window
        self.is_model_ready = True
        w.controls.set_ready(True)
        if self._restarting:
            # The worker resumes the run (or resets it, if no epoch had finished): the history
            # on screen stays until that answer says which.
            self._restarting = False
            w.model_problem.hide()
        else:
            w.training.start_over(ready.baseline)
        w.statusBar().showMessage(
            f"Model ready: PyTorch {ready.torch_version}, "
            f"{ready.batches_per_epoch} batches per epoch. Type a number or press Space to train.",
            10000,
        )
        w.model_ready.emit(ready)

    def _on_worker_progress(self, progress: msg.TrainingProgress) -> None:
        w = self._window
        w.training.add_progress(progress)
        self._training_trace = progress.trace
        busy = progress.running or progress.stepping
        w.controls.set_running(progress.running)
        w.controls.set_stepping(progress.stepping)
        # While training runs, alternate what a frame redraws: curves and tables, then the
        # prediction trace. Each frame then blocks the event loop half as long, so an edit
        # waits at most half a frame for its turn. A final (paused) message draws both.
        if not (self._edit_in_flight and busy):  # else the edit's trace has the next frame
            self._draw_history_next = not self._draw_history_next
            if self._draw_history_next or not busy:
                w.training.draw_history(settled=not busy)
            if (not self._draw_history_next or not busy) and self._training_trace is not None:
                trace, self._training_trace = self._training_trace, None
                w.show_trace(trace)
        # Ask for the next message only now that this one is drawn; the model thread merges
        # whatever arrives meanwhile.
        w.host.progress_consumed.emit()

    def _on_worker_trace_ready(self, trace: Trace) -> None:
        w = self._window
        self._edit_in_flight = False
        self._training_trace = None  # computed before this edit: its inputs are old
        w.show_trace(trace)

    def follow_reset(self, reset: msg.TrainingReset) -> None:
        """The run started over (or a session's run replaced it): show it from its start."""
        w = self._window
        self._stop_following_training()
        w.setup.accept(reset)
        w.controls.set_config(reset.config)
        w.state.settings = reset.config
        w.pipeline.set_pipeline(reset.config.pipeline)
        w.training.start_over(reset.baseline, w.setup.pipelines, reset.compared_baselines)
        w.pipeline.reset_scales()
        w.training.hide_message()
        w.pipeline.clear_refusal()
        w.show_trace(reset.trace)
        config = reset.config
        compared = f"; compared with {len(reset.compare)} more" if reset.compare else ""
        w.statusBar().showMessage(
            f"Run reset: {config.pipeline.label}, {config.task}, {config.optimizer} at learning "
            f"rate {config.learning_rate:g}, batch {config.batch_size}, seed {config.seed}"
            f"{compared}.",
            MESSAGE_TIMEOUT_MS,
        )
        w.run_reset.emit(reset)

    def _on_worker_training_diverged(self, diverged: msg.TrainingDiverged) -> None:
        w = self._window
        w.training.draw_history(settled=True)
        self._stop_following_training()
        w.plots.truncate_after(float(diverged.epoch), diverged.run)
        # The blown-up weights had grown the ranges and colour scales; fit them to the
        # restored weights, or every later bar stays flat and every weight white.
        w.pipeline.reset_scales()
        w.show_trace(diverged.trace)
        w.training.show_message(diverged.message)
        w.statusBar().showMessage("Training paused: it diverged. See the message above the plots.")

    def _on_worker_training_resumed(self, resumed: msg.Resumed) -> None:
        w = self._window
        self._stop_following_training()
        w.training.rewind_to(resumed.epoch)
        w.pipeline.reset_scales()
        w.show_trace(resumed.trace)
        w.statusBar().showMessage(
            f"Model restarted at the end of epoch {resumed.epoch}, with the weights it had "
            "then; the optimizer's momentum starts afresh.",
            MESSAGE_TIMEOUT_MS,
        )

    def _on_worker_failed(self, message: str) -> None:
        w = self._window
        # Everything received belongs to the run: draw it, so that a restart carries on
        # from the last epoch the table shows.
        w.training.draw_history(settled=True)
        self.is_model_ready = False
        self._restarting = False
        self._edit_in_flight = False
        w.controls.set_ready(False)
        w.controls.set_running(False)
        w.action_restart_model.setEnabled(True)
        w.pipeline.set_stale("model stopped")
        w.model_problem.show_problem(
            f"{message} Inputs, settings and curves are kept: restart it to carry on from the "
            "last finished epoch."
        )
        # Said in the status bar too: the problem bar is only on the pages with the curves.
        w.statusBar().showMessage(
            f"{message} Training → Restart the model carries on from the last finished epoch."
        )

    def _stop_following_training(self) -> None:
        w = self._window
        self._training_trace = None
        w.controls.set_running(False)
        w.controls.set_stepping(False)

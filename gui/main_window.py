"""The main window: input cells, the four-stage pipeline, weights, and live training.

It composes the widgets and wires them to the model thread (:class:`ModelHost`). Data flows one
way round a loop: cells → model thread → panels, tables and curves; nothing else talks to the
model.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from gui import theme
from gui.model_worker import ModelHost
from gui.pending_history import PendingHistory
from gui.training_controls import TrainingControls
from gui.widgets.epoch_table import EpochTable, EpochTableModel
from gui.widgets.input_table import InputTable, InputTableModel, input_label
from gui.widgets.stage_panel import StagePanel
from gui.widgets.trace_table import TraceTable, TraceTableModel
from gui.widgets.training_plots import TrainingPlots
from gui.widgets.weight_heatmap import WeightHeatmap
from model import protocol as msg
from model.activations import get_activation
from model.config import DEFAULT_INPUTS
from model.records import EpochNumbers, EpochRecord
from model.trace import Trace

APP_NAME = "Activation Lab"
PIPELINE = ("ReLU", "Sigmoid", "Softmax")
STAGE_NAMES = ("Input", *PIPELINE)
#: While training runs, new epoch rows are added to the table at most this often.
ROWS_INTERVAL_MS = 200


class MainWindow(QMainWindow):
    """Activation Lab's window. See the README for the objectNames tests and tools rely on.

    Signals
    -------
    trace_shown(object)
        A :class:`~model.trace.Trace` has been given to every panel (they repaint next); the
        data-flow table follows right after the panels have painted.
    model_ready(object)
        The model process answered: :class:`~model.protocol.EngineReady`.
    """

    trace_shown = Signal(object)
    model_ready = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        theme.configure_pyqtgraph()
        self.setObjectName("main_window")
        self.setWindowTitle(f"{APP_NAME} — how activation functions shape a network")
        self.resize(1280, 800)
        self.is_model_ready = False
        self.last_trace: Trace | None = None
        self._training_trace: Trace | None = None
        self._history = PendingHistory()
        self._draw_history_next = False
        self._edit_in_flight = False
        self._table_update = QTimer(self)
        self._table_update.setSingleShot(True)
        self._table_update.setInterval(0)
        self._table_update.timeout.connect(self._update_trace_table)
        self._pending_rows: list[EpochRecord] = []
        self._rows_update = QTimer(self)
        self._rows_update.setSingleShot(True)
        self._rows_update.timeout.connect(self._append_pending_rows)
        self.inputs = InputTableModel(DEFAULT_INPUTS, self)
        self.controls = TrainingControls(self)
        self.addToolBar(self.controls)
        self.plots = TrainingPlots()
        self.epochs = EpochTableModel(self)
        self.trace_rows = TraceTableModel(STAGE_NAMES, self)
        self.panels = self._make_panels()
        self.heatmaps = [
            WeightHeatmap(name.lower(), f"W{i + 1}: into {name}", parent=self)
            for i, name in enumerate(PIPELINE)
        ]
        self.input_message = QLabel("")
        self.input_message.setObjectName("input_message")
        self.input_message.setWordWrap(True)
        self.training_message = QLabel("")
        self.training_message.setObjectName("training_message")
        self.training_message.setWordWrap(True)
        self.training_message.hide()
        self.setCentralWidget(self._make_central())
        self._make_menus()
        self.statusBar().showMessage("Loading PyTorch in the model process…")
        self.host = ModelHost(self)
        self._connect()
        self.host.start()

    # Building -------------------------------------------------------------------------------

    def _make_panels(self) -> list[StagePanel]:
        panels = [
            StagePanel(
                "Input",
                "x",
                "The four numbers you typed, before any layer",
                labels=[input_label(i) for i in range(4)],
                has_pre_activation=False,
            )
        ]
        for name in PIPELINE:
            activation = get_activation(name)
            low, high = activation.output_range
            fixed = (low, high) if low is not None and high is not None else None
            panels.append(
                StagePanel(
                    name,
                    activation.formula,
                    activation.meaning,
                    fixed_range=fixed,
                    normalizes=activation.normalizes,
                    labels=[f"{_symbol(name)}{input_label(i)[1:]}" for i in range(4)],
                    parent=self,
                )
            )
        return panels

    def _make_central(self) -> QWidget:
        input_row = QHBoxLayout()
        caption = QLabel("<b>Inputs</b><br>type, then Enter")
        caption.setStyleSheet(f"color: {theme.MUTED}")
        input_row.addWidget(caption)
        self.input_table = InputTable(self.inputs, self)
        input_row.addWidget(self.input_table, 3)
        input_row.addWidget(self.input_message, 2)

        pipeline = QGridLayout()
        pipeline.setSpacing(6)
        for column, panel in enumerate(self.panels):
            pipeline.addWidget(panel, 0, column)
            pipeline.setColumnStretch(column, 1)
        legend = QLabel(
            f"<span style='color:{theme.POSITIVE}'>■</span> positive value<br>"
            f"<span style='color:{theme.NEGATIVE}'>■</span> negative value<br>"
            f"<span style='color:{theme.PREDICTED}'>■</span> predicted class<br>"
            f"<span style='color:{theme.GHOST}'>▭</span> z = W·x + b, before the activation "
            "(its value in grey along the bottom)<br><br>"
            "Weights W: blue positive, orange negative, white zero"
        )
        legend.setWordWrap(True)
        legend.setObjectName("bar_legend")
        pipeline.addWidget(legend, 1, 0)
        for column, heatmap in enumerate(self.heatmaps, start=1):
            pipeline.addWidget(heatmap, 1, column)
        pipeline.setRowStretch(0, 3)
        pipeline.setRowStretch(1, 1)

        self.trace_table = TraceTable(self.trace_rows, self)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addLayout(input_row)
        left_layout.addLayout(pipeline, 1)
        left_layout.addWidget(self.trace_table)

        self.epoch_table = EpochTable(self.epochs, self)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.training_message)
        right_layout.addWidget(self.plots.loss_plot, 3)
        right_layout.addWidget(self.plots.accuracy_plot, 2)
        right_layout.addWidget(self.epoch_table, 3)
        self.loss_plot = self.plots.loss_plot

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setChildrenCollapsible(False)
        left.setMinimumWidth(640)
        right.setMinimumWidth(380)
        splitter.setSizes([880, 400])
        return splitter

    def _make_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        save = QAction("Save &screenshot…", self)
        save.setObjectName("action_screenshot")
        save.setShortcut(QKeySequence("Ctrl+S"))
        save.triggered.connect(self._on_screenshot_requested)
        file_menu.addAction(save)
        quit_action = QAction("&Quit", self)
        quit_action.setObjectName("action_quit")
        # Explicit Ctrl+Q: some platforms (offscreen among them) have no standard Quit key.
        quit_action.setShortcuts(
            [QKeySequence("Ctrl+Q"), QKeySequence(QKeySequence.StandardKey.Quit)]
        )
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)
        training_menu = self.menuBar().addMenu("&Training")
        for action in (
            self.controls.action_train,
            self.controls.action_step,
            self.controls.action_reset,
        ):
            training_menu.addAction(action)
        help_menu = self.menuBar().addMenu("&Help")
        about = QAction("&About Activation Lab", self)
        about.triggered.connect(self._on_about_requested)
        help_menu.addAction(about)

    def _connect(self) -> None:
        host, worker, controls = self.host, self.host.worker, self.controls
        self.inputs.values_changed.connect(self._on_inputs_values_changed)
        self.inputs.value_refused.connect(self._on_inputs_value_refused)
        controls.action_train.toggled.connect(self._on_train_toggled)
        controls.action_step.triggered.connect(self._on_step_triggered)
        controls.action_reset.triggered.connect(host.reset_requested)
        controls.config_changed.connect(host.configure_requested)
        controls.pace_changed.connect(host.pace_requested)
        controls.setting_refused.connect(self._on_controls_setting_refused)
        worker.ready.connect(self._on_worker_ready)
        worker.trace_ready.connect(self._on_worker_trace_ready)
        worker.progress_ready.connect(self._on_worker_progress)
        worker.training_reset.connect(self._on_worker_training_reset)
        worker.training_diverged.connect(self._on_worker_training_diverged)
        worker.request_refused.connect(self._on_controls_setting_refused)
        worker.failed.connect(self._on_worker_failed)
        host.pace_requested.emit(controls.pace_value)
        host.inputs_requested.emit(self.inputs.values)

    # Showing results ------------------------------------------------------------------------

    def show_trace(self, trace: Trace) -> None:
        """Draw ``trace`` on every panel, the data-flow table and the weight heatmaps."""
        if not trace.is_finite():
            self._show_training_message("The model produced a non-finite number; not drawn.")
            return
        self.last_trace = trace
        predicted = trace.prediction
        last = len(self.panels) - 1
        for index, (panel, stage) in enumerate(zip(self.panels, trace.stages, strict=True)):
            panel.show_stage(stage, predicted if index == last else None)
        for heatmap, stage in zip(self.heatmaps, trace.stages[1:], strict=True):
            if stage.weight is not None:
                heatmap.show_weights(stage.weight)
        # The table is the panels' text twin: update it just after the panels have painted,
        # so the bars answer an edit first (coalesced: only the newest trace is written).
        if not self._table_update.isActive():
            self._table_update.start()
        self.trace_shown.emit(trace)

    def _update_trace_table(self) -> None:
        if self.last_trace is not None:
            self.trace_rows.set_trace(self.last_trace)

    # Slots ----------------------------------------------------------------------------------

    def _on_inputs_value_refused(self, column: int, message: str) -> None:
        del column
        self.input_message.setText(f"<span style='color:{theme.ERROR}'>⚠ {message}</span>")
        self.statusBar().showMessage(f"Refused: {message}. The previous value stays.", 8000)

    def _on_controls_setting_refused(self, message: str) -> None:
        self._show_training_message(message)
        self.statusBar().showMessage(f"Refused: {message}", 8000)

    def _on_train_toggled(self, running: bool) -> None:
        if running:
            self.controls.apply_pending()
            self.training_message.hide()
        self.host.training_requested.emit(running)

    def _on_step_triggered(self) -> None:
        self.controls.apply_pending()
        self.training_message.hide()
        self.controls.set_stepping(True)
        self.host.step_requested.emit()

    def _on_worker_ready(self, ready: msg.EngineReady) -> None:
        self.is_model_ready = True
        self.controls.set_ready(True)
        self.plots.clear(_baseline_record(ready.baseline))
        self.statusBar().showMessage(
            f"Model ready: PyTorch {ready.torch_version}, "
            f"{ready.batches_per_epoch} batches per epoch. Type a number or press Space to train.",
            10000,
        )
        self.model_ready.emit(ready)

    def _on_worker_progress(self, progress: msg.TrainingProgress) -> None:
        self._history.add(progress)
        self._training_trace = progress.trace
        busy = progress.running or progress.stepping
        self.controls.set_running(progress.running)
        self.controls.set_stepping(progress.stepping)
        # While training runs, alternate what a frame redraws: curves and tables, then the
        # prediction trace. Each frame then blocks the event loop half as long, so an edit
        # waits at most half a frame for its turn. A final (paused) message draws both.
        if not (self._edit_in_flight and busy):  # else the edit's trace has the next frame
            self._draw_history_next = not self._draw_history_next
            if self._draw_history_next or not busy:
                self._draw_history(settled=not busy)
            if not self._draw_history_next or not busy:
                self._draw_training_trace()
        # Ask for the next message only now that this one is drawn; the model thread merges
        # whatever arrives meanwhile.
        self.host.progress_consumed.emit()

    def _draw_history(self, settled: bool = False) -> None:
        positions, losses, epochs = self._history.take()
        self.plots.add_progress(positions, losses, epochs)
        # Table rows and the status line follow in their own event, at most 5 times a second
        # while training runs: appending rows relays out and repaints the table, and a
        # separate, rarer event keeps every block of the event loop short.
        self._pending_rows.extend(epochs)
        if settled:
            self._rows_update.start(0)
        elif self._pending_rows and not self._rows_update.isActive():
            self._rows_update.start(ROWS_INTERVAL_MS)

    def _append_pending_rows(self) -> None:
        rows, self._pending_rows = self._pending_rows, []
        self.epochs.append(rows)
        if rows:
            last = rows[-1]
            self.statusBar().showMessage(
                f"Epoch {last.epoch}: train loss {last.train_loss:.4f}, "
                f"test accuracy {last.test_accuracy:.1%}. {last.observation}"
            )

    def _draw_training_trace(self) -> None:
        if self._training_trace is not None:
            trace, self._training_trace = self._training_trace, None
            self.show_trace(trace)

    def _on_inputs_values_changed(self, values: tuple[float, ...]) -> None:
        self.input_message.clear()  # the value is fixed: the warning no longer applies
        self._edit_in_flight = True
        self.host.inputs_requested.emit(values)

    def _on_worker_trace_ready(self, trace: Trace) -> None:
        self._edit_in_flight = False
        self._training_trace = None  # computed before this edit: its inputs are old
        self.show_trace(trace)

    def _on_worker_training_reset(self, reset: msg.TrainingReset) -> None:
        self._history.take()  # batches of the old run
        self._pending_rows = []
        self._training_trace = None
        self.controls.set_running(False)
        self.controls.set_stepping(False)
        self.epochs.clear()
        self.plots.clear(_baseline_record(reset.baseline))
        for panel in self.panels:
            panel.reset_range()
        for heatmap in self.heatmaps:
            heatmap.reset_scale()
        self.training_message.hide()
        self.show_trace(reset.trace)
        config = reset.config
        self.statusBar().showMessage(
            f"Run reset: {config.task}, {config.optimizer} at learning rate "
            f"{config.learning_rate:g}, batch {config.batch_size}, seed {config.seed}.",
            8000,
        )

    def _on_worker_training_diverged(self, diverged: msg.TrainingDiverged) -> None:
        self._draw_history(settled=True)
        self._training_trace = None
        self.controls.set_running(False)
        self.controls.set_stepping(False)
        self.plots.truncate_after(float(diverged.epoch))
        self.show_trace(diverged.trace)
        self._show_training_message(diverged.message)
        self.statusBar().showMessage(
            "Training paused: it diverged. See the message above the plots."
        )

    def _on_worker_failed(self, message: str) -> None:
        self.controls.set_ready(False)
        self._show_training_message(message)
        QMessageBox.warning(self, APP_NAME, f"{message}\n\nRestart the app to continue.")

    def _show_training_message(self, message: str) -> None:
        self.training_message.setText(f"<span style='color:{theme.ERROR}'>⚠ {message}</span>")
        self.training_message.show()

    def _on_screenshot_requested(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "Save screenshot", "activation-lab.png", "PNG (*.png)"
        )
        if path and not self.grab().save(path, "PNG"):
            self.statusBar().showMessage(f"Could not save {path}", 8000)

    def _on_about_requested(self) -> None:
        QMessageBox.about(
            self,
            f"About {APP_NAME}",
            f"{APP_NAME} shows, live, how activation functions shape a small PyTorch network: "
            "Input → ReLU → Sigmoid → Softmax, trained while you watch.",
        )

    # Lifecycle ------------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        """Stop the model process and thread on purpose, within a bound, then close."""
        self.host.shutdown()
        event.accept()


def _symbol(activation_name: str) -> str:
    """Short bar labels: r₁ for ReLU outputs, s₁ for Sigmoid, p₁ for Softmax probabilities."""
    return "p" if get_activation(activation_name).normalizes else activation_name[0].lower()


def _baseline_record(numbers: EpochNumbers) -> EpochRecord:
    return EpochRecord.from_numbers(numbers, "untrained")

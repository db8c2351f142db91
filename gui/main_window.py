"""The main window, a shell: menus and the mode bar, toolbars, status, and a stack of pages.

It wires the views to the model thread (:class:`ModelHost`). Data flows one way round a loop:
cells → state → model thread → panels, tables, curves and the page shown; nothing else talks
to the model. What the learner has set up lives in one Qt-free :class:`LabState`; each
learning mode is a page in :mod:`gui.modes` that arranges the shared views.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QGuiApplication, QResizeEvent
from PySide6.QtWidgets import (
    QApplication,
    QMainWindow,
    QMenu,
    QVBoxLayout,
    QWidget,
)

from gui import theme
from gui.application import APP_NAME
from gui.export_menu import ExportMenu
from gui.mode_pages import PAGES
from gui.mode_stack import ModeStack
from gui.model_follower import ModelFollower
from gui.model_host import ModelHost
from gui.modes.compare_page import ComparePage
from gui.modes.lab import Lab
from gui.pipeline_view import MESSAGE_TIMEOUT_MS, PipelineView
from gui.presenter import Presenter
from gui.restored_settings import save_window_settings
from gui.run_setup import RunSetup
from gui.session_controller import SessionController
from gui.training_controls import TrainingControls
from gui.training_view import TrainingView
from gui.widgets.fit_or_scroll import FitOrScroll
from gui.widgets.input_table import InputTableModel
from gui.widgets.mode_bar import ModeBar
from gui.widgets.model_problem_bar import ModelProblemBar
from gui.window_menus import WindowMenus
from model.config import DEFAULT_INPUTS
from model.lab_state import LabState
from model.modes import DEFAULT_MODE, get_mode
from model.pure_pipeline import pure_trace
from model.records import EpochRecord
from model.trace import Trace

__all__ = ["APP_NAME", "MainWindow"]


class MainWindow(QMainWindow):
    """Activation Lab's window. See the README for the objectNames tests and tools rely on.

    Signals
    -------
    trace_shown(object)
        A :class:`~model.trace.Trace` has been given to every panel (they repaint next); the
        data-flow table follows right after the panels have painted.
    model_ready(object)
        The model process answered: :class:`~model.protocol.EngineReady`.
    run_reset(object)
        The run started over (Reset, or new settings) and the window shows it:
        :class:`~model.protocol.TrainingReset`.

    ``mode_stack.mode_shown(str)`` says when a mode's page is in place.
    """

    trace_shown = Signal(object)
    model_ready = Signal(object)
    run_reset = Signal(object)

    def __init__(self, parent: QWidget | None = None, mode: str | None = None) -> None:
        mode = get_mode(mode or DEFAULT_MODE).name  # ValueError naming the modes, before work
        super().__init__(parent)
        theme.configure_pyqtgraph()
        self.setObjectName("main_window")
        self.setWindowTitle(f"{APP_NAME} — how activation functions shape a network")
        self._fit_to_screen()
        self.last_trace: Trace | None = None
        self.inputs = InputTableModel(DEFAULT_INPUTS, self)
        self.controls = TrainingControls(self)
        self.state = LabState(self.inputs.values, self.controls.config, self.controls.pace_value)
        # The theme first: pages re-measure in presenter mode's sizes when they hear of it.
        self.state.events.presenting.connect(theme.set_presenting)
        self.setup = RunSetup(self.controls.config, self)
        self.addToolBar(self.controls)
        self.addToolBar(self.controls.settings_bar)
        self._toolbars_wrapped = False
        self.pipeline = PipelineView(self.inputs, self)
        self.model_problem = ModelProblemBar(self)
        self.training = TrainingView(self.model_problem, self)
        self._name_shared_views()
        self.lab = Lab(
            self.state, self.inputs, self.pipeline, self.training, self.controls, self._last_trace
        )
        self.mode_stack = ModeStack(self.lab, PAGES)
        self.pages = self.mode_stack.pages
        self.mode_bar = ModeBar(self.state, self)
        self.menuBar().setCornerWidget(self.mode_bar)
        # Presenter mode's large type may need more than a small projector: then it scrolls
        # (set before the presenter goes full screen, which the contents' size could refuse).
        self.page_frame = FitOrScroll(self.mode_stack)
        self.state.events.presenting.connect(self.page_frame.set_scrolling)
        self.presenter = Presenter(self)
        self.setCentralWidget(self._make_central())
        self.menus = WindowMenus(self)
        self.action_compare = self.menus.action_compare
        self.action_restart_model = self.menus.action_restart_model
        self.action_restart_model.triggered.connect(self._on_restart_requested)
        compare = self.pages["compare"]
        assert isinstance(compare, ComparePage)
        compare.set_compare_action(self.action_compare)
        self.statusBar().showMessage(
            "Loading PyTorch in the model process… The stages show the untrained network "
            "already; press Space to train as soon as it is ready."
        )
        # The untrained network is the pure activation pipeline: its trace is known before
        # PyTorch is, so the first frame shows the four stages. The model's own replaces it;
        # ``last_trace``, ``trace_shown`` and the pages' sentences (which need autograd's
        # slopes) wait for the model's.
        self.first_frame_trace = pure_trace(self.state.inputs, self.state.pipeline)
        self.pipeline.show_first_frame(self.first_frame_trace)
        self.host = ModelHost()  # not a child: see gui/model_host.py
        self.follower = ModelFollower(self)
        self.sessions = SessionController(self)
        self.export_menu = ExportMenu(self)
        self._add_file_menus()
        self._connect()
        self.state.mode = mode  # after connecting: presenter's first step reaches the model
        #: Set by the app proper (``main.run_window``), never by a script's window: closing
        #: then stores geometry, dividers, mode, inputs and settings for the next start.
        self.remembers_settings = False
        self.host.start()

    # Building -------------------------------------------------------------------------------

    def _fit_to_screen(self) -> None:
        screen = QGuiApplication.primaryScreen()
        if screen is None:
            self.resize(theme.PREFERRED_SIZE)
            return
        self.setGeometry(theme.initial_geometry(screen.availableGeometry()))

    def _name_shared_views(self) -> None:
        """Names outside code relies on (tests, benchmarks, scripts): see the README."""
        self.input_table = self.pipeline.input_table
        self.input_message = self.pipeline.input_message
        self.panels = self.pipeline.panels
        self.heatmaps = self.pipeline.heatmaps
        self.trace_rows = self.pipeline.trace_rows
        self.trace_table = self.pipeline.trace_table
        self.curves = self.pipeline.curves
        self.picker = self.pipeline.picker
        self.gradients = self.pipeline.gradients
        self.plots = self.training.plots
        self.loss_plot = self.plots.loss_plot
        self.epochs = self.training.epochs
        self.epoch_table = self.training.epoch_table
        self.observation_detail = self.training.observation_detail
        self.training_message = self.training.training_message
        self.compare_table = self.training.compare_table

    def _make_central(self) -> QWidget:
        central = QWidget()
        # Below this width the panels' words wrap into so many lines that the window grows
        # taller than a 1024×700 screen. (On the central widget: a minimum set on the window
        # itself would stop the layout from giving it the height its contents need.)
        central.setMinimumWidth(theme.MINIMUM_WIDTH)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.addWidget(self.presenter.bar)
        layout.addWidget(self.page_frame, 1)
        return central

    def _add_file_menus(self) -> None:
        """Sessions at the top of the File menu, Export above Quit."""
        file_menu = self.menuBar().actions()[0].menu()
        assert isinstance(file_menu, QMenu)
        self.sessions.add_to(file_menu)
        quit_action = next(a for a in file_menu.actions() if a.objectName() == "action_quit")
        file_menu.insertMenu(quit_action, self.export_menu)
        file_menu.insertSeparator(quit_action)

    @property
    def is_model_ready(self) -> bool:
        """True while the model process answers (between its ready message and a failure)."""
        return self.follower.is_model_ready

    def _last_trace(self) -> Trace | None:
        return self.last_trace

    def _connect(self) -> None:
        host, worker, controls = self.host, self.host.worker, self.controls
        self.inputs.values_changed.connect(self._on_inputs_values_changed)
        self.state.events.inputs.connect(host.inputs_requested.emit)
        # Written from outside (a lesson step, a script, a session), the state leads:
        self.state.events.inputs.connect(self.inputs.set_values)
        self.state.events.settings.connect(self.setup.set_config)
        self.state.events.pace.connect(controls.set_pace)
        self.inputs.value_refused.connect(self._on_inputs_value_refused)
        controls.action_train.toggled.connect(self._on_train_toggled)
        controls.action_step.triggered.connect(self._on_step_triggered)
        controls.action_reset.triggered.connect(host.reset_requested)
        controls.config_changed.connect(self.setup.set_settings)
        self.picker.pipeline_chosen.connect(self.setup.set_pipeline)
        self.setup.configure_requested.connect(host.configure_requested)
        self.gradients.target_chosen.connect(host.target_requested)
        controls.pace_changed.connect(self._on_controls_pace_changed)
        self.state.events.pace.connect(host.pace_requested.emit)
        controls.setting_refused.connect(self._on_controls_setting_refused)
        controls.setting_applied.connect(self._on_controls_setting_applied)
        self.model_problem.restart_clicked.connect(self._on_restart_requested)
        self.mode_stack.mode_shown.connect(self._on_mode_shown)
        self.training.rows_added.connect(self._on_training_rows_added)
        worker.request_refused.connect(self._on_controls_setting_refused)
        host.pace_requested.emit(self.state.pace)
        host.inputs_requested.emit(self.state.inputs)

    # Showing results ------------------------------------------------------------------------

    def show_trace(self, trace: Trace) -> None:
        """Draw ``trace`` on every panel, the data-flow table and the weight heatmaps."""
        if not trace.is_finite():
            self.training.show_message("The model produced a non-finite number; not drawn.")
            return
        self.last_trace = trace
        self.pipeline.show_trace(trace)
        self.mode_stack.show_trace(trace)
        self.trace_shown.emit(trace)

    # Slots: the learner ---------------------------------------------------------------------

    def _on_inputs_values_changed(self, values: tuple[float, ...]) -> None:
        self.pipeline.clear_refusal()  # the value is fixed: the warning no longer applies
        if tuple(values) != self.state.inputs:  # an unchanged cell sends nothing
            self.follower.edit_sent()
        self.state.inputs = values  # the state sends them to the model

    def _on_controls_pace_changed(self, pace: float | None) -> None:
        self.state.pace = pace

    def _on_inputs_value_refused(self, column: int, message: str) -> None:
        del column
        self.pipeline.show_refusal(message)
        self.statusBar().showMessage(
            f"Refused: {message}. The previous value stays.", MESSAGE_TIMEOUT_MS
        )

    def _on_controls_setting_refused(self, message: str) -> None:
        self.training.show_message(message)
        self.statusBar().showMessage(f"Refused: {message}", MESSAGE_TIMEOUT_MS)

    def _on_controls_setting_applied(self, keyboard_back: bool) -> None:
        # A valid setting is in: a refusal of an earlier attempt no longer applies, and the
        # keyboard goes back to the pipeline, where Space trains instead of typing a space.
        self.training.hide_message()
        if keyboard_back:
            self._give_keyboard_to_page()

    def _take_keyboard_back(self) -> None:
        """Training starts: a settings field keeping the focus would take the next Space."""
        focused = QApplication.focusWidget()
        bars = (self.controls, self.controls.settings_bar)
        if focused is not None and any(bar.isAncestorOf(focused) for bar in bars):
            self._give_keyboard_to_page()

    def _give_keyboard_to_page(self) -> None:
        """The page shown takes the keyboard (its input cells where it has them: never a
        page's hidden cells, which would take the next keys unseen)."""
        self.mode_stack.current_page.focus_target().setFocus(Qt.FocusReason.OtherFocusReason)

    def _on_train_toggled(self, running: bool) -> None:
        if running:
            self.controls.apply_pending()
            self.training.hide_message()
            self._take_keyboard_back()
        self.host.training_requested.emit(running)

    def _on_step_triggered(self) -> None:
        self.controls.apply_pending()
        self.training.hide_message()
        self._take_keyboard_back()
        self.controls.set_stepping(True)
        self.host.step_requested.emit()

    def _on_restart_requested(self) -> None:
        self.follower.restart_sent()
        self.action_restart_model.setEnabled(False)
        self.model_problem.show_restarting()
        self.statusBar().showMessage("Loading PyTorch in a new model process…")
        self.host.restart_requested.emit()

    # Slots: the model's messages are followed by gui/model_follower.py ----------------

    def _on_training_rows_added(self, last: EpochRecord) -> None:
        self.statusBar().showMessage(
            f"Epoch {last.epoch}: train loss {last.train_loss:.4f}, "
            f"test accuracy {last.test_accuracy:.1%}. {last.observation}"
        )

    def _on_mode_shown(self, _: str) -> None:
        # A page's words are laid out at the width it had when last shown, which may have been
        # narrower: for a moment it asks for more height, and a window that grew never
        # shrinks back. Once the new page has its real width, give back what the switch took
        # (layouts are updated later: the height now is the height before the switch).
        before = self.height()
        QTimer.singleShot(0, lambda: self._shrink_after_switch(before))

    def _shrink_after_switch(self, before: int) -> None:
        screen = self.screen()
        if screen is None or self.isFullScreen() or self.state.presenting:
            return
        frame = self.frameGeometry().height() - self.height()
        available = screen.availableGeometry().height() - frame
        if self.height() > before and self.height() > available:
            self.resize(self.width(), max(self.minimumSizeHint().height(), before, available))

    # Lifecycle ------------------------------------------------------------------------------

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Put the settings toolbar on a second row when both do not fit in one."""
        super().resizeEvent(event)
        needed = self.controls.sizeHint().width() + self.controls.settings_bar.sizeHint().width()
        wrap = needed > self.width()
        if wrap != self._toolbars_wrapped:
            self._toolbars_wrapped = wrap
            if wrap:
                self.insertToolBarBreak(self.controls.settings_bar)
            else:
                self.removeToolBarBreak(self.controls.settings_bar)

    def closeEvent(self, event: QCloseEvent) -> None:
        """Stop the model process and thread on purpose, within a bound, then close (the
        theme's presenter zoom is process-wide: it ends with the window). Unsaved training
        is never lost without asking (Save, Discard, Cancel)."""
        if not self.sessions.may_discard("closing", self.close):
            event.ignore()
            return
        self.state.presenting = False  # first: the learner's own mode is the one stored
        if self.remembers_settings:
            save_window_settings(self)
        self.host.shutdown()
        event.accept()

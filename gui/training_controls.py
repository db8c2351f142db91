"""The training toolbar: Train/Pause, Step, Reset, and the settings of the run.

Settings are validated here with the same rules the model uses (:class:`TrainingConfig`), so a
bad learning rate is refused at the field, with a reason, and the run keeps its old value.
"""

from __future__ import annotations

import math
from dataclasses import replace

from PySide6.QtCore import QLocale, Qt, Signal
from PySide6.QtGui import QAction, QIcon, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QLineEdit,
    QSpinBox,
    QStyle,
    QToolBar,
    QWidget,
)

from gui import theme
from gui.tinted_icon import ink, tinted
from model.config import BATCH_SIZES, MAX_SEED, OPTIMIZER_NAMES, TrainingConfig
from model.parsing import NumberError, parse_number, quote_text
from model.tasks import TASKS

#: Speeds a teacher can pick: epochs per second, None for as fast as the machine goes.
PACES: tuple[tuple[str, float | None], ...] = (
    ("2 epochs/s", 2.0),
    ("5 epochs/s", 5.0),
    ("25 epochs/s", 25.0),
    ("Full speed", None),
)
#: Train/Pause keys: Space, and F5 for when a text field has the focus (it takes Space).
TRAIN_KEYS = (QKeySequence(Qt.Key.Key_Space), QKeySequence(Qt.Key.Key_F5))
DEFAULT_PACE_INDEX = 1


class TrainingControls(QToolBar):
    """Actions ``action_train``, ``action_step``, ``action_reset`` and the run's settings.

    Signals
    -------
    config_changed(object)
        A valid :class:`TrainingConfig` the learner just chose (the run starts over).
    pace_changed(object)
        Epochs per second, or None for full speed.
    setting_refused(str)
        Why a typed setting was refused; the previous value stays.
    setting_applied(bool)
        A setting was accepted; True when the learner finished with the keyboard there (Enter
        in a field, a pick in a list): the window then takes the focus back, so that Space
        trains again instead of typing a space.
    """

    config_changed = Signal(object)
    pace_changed = Signal(object)
    setting_refused = Signal(str)
    setting_applied = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Training", parent)
        self.setObjectName("training_toolbar")
        self.setMovable(False)
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        # The run's settings have a toolbar of their own, which the window puts beside this
        # one or, on a narrow screen, on a second row: nothing hides behind an overflow arrow.
        self.settings_bar = QToolBar("Run settings", parent)
        self.settings_bar.setObjectName("settings_toolbar")
        self.settings_bar.setMovable(False)
        self._config = TrainingConfig()
        style = self.style()
        self.action_train = self._action(
            "action_train",
            "Train",
            TRAIN_KEYS[0],
            "Train continuously; press again to pause (Space, or F5 anywhere)",
        )
        self.action_train.setShortcuts(list(TRAIN_KEYS))
        self.action_train.setCheckable(True)
        self._standard_icons = {
            name: style.standardIcon(pixmap)
            for name, pixmap in (
                ("play", QStyle.StandardPixmap.SP_MediaPlay),
                ("pause", QStyle.StandardPixmap.SP_MediaPause),
                ("step", QStyle.StandardPixmap.SP_MediaSkipForward),
            )
        }
        self._icons: dict[str, QIcon] = {}
        self.action_train.toggled.connect(self._on_train_toggled)
        self.action_step = self._action(
            "action_step",
            "Step",
            QKeySequence("Ctrl+Right"),
            "Train to the end of the epoch (a whole epoch when paused between epochs), "
            "then pause (Ctrl+Right)",
        )
        self.action_reset = self._action(
            "action_reset",
            "Reset",
            QKeySequence("Ctrl+R"),
            "Back to identity weights, the seed's data order and empty curves (Ctrl+R)",
        )
        self.action_reset.setIcon(style.standardIcon(QStyle.StandardPixmap.SP_BrowserReload))
        self._tint_icons()
        theme.follow(self._tint_icons)
        self.addSeparator()
        self.pace = self._combo("pace_combo", "Speed", list(PACES), emit=False, bar=self)
        self.pace.setCurrentIndex(DEFAULT_PACE_INDEX)
        self.pace.setToolTip("How fast training runs: slow enough to watch, or flat out")
        self.pace.currentIndexChanged.connect(lambda _: self.pace_changed.emit(self.pace_value))
        self.pace.activated.connect(lambda _: self.setting_applied.emit(True))
        self.task = self._combo("task_combo", "Task", [(t.title, t.name) for t in TASKS.values()])
        self.task.setToolTip("\n".join(f"{t.question} {t.why}" for t in TASKS.values()))
        self.optimizer = self._combo(
            "optimizer_combo", "Optimizer", [(n, n) for n in OPTIMIZER_NAMES]
        )
        self.learning_rate = QLineEdit(_rate_text(self._config.learning_rate))
        self.learning_rate.setObjectName("learning_rate_edit")
        self.learning_rate.setAccessibleName("Learning rate")
        self.learning_rate.setToolTip(
            "Step size of each update, above 0 and at most 100; Enter applies"
        )
        self.learning_rate.setMaximumWidth(self.fontMetrics().horizontalAdvance("0.00001") + 16)
        self.learning_rate.editingFinished.connect(self._on_learning_rate_edited)
        self._labelled("Learning rate", self.learning_rate)
        self.batch_size = self._combo(
            "batch_size_combo", "Batch", [(str(b), b) for b in BATCH_SIZES]
        )
        self.batch_size.setCurrentIndex(BATCH_SIZES.index(self._config.batch_size))
        self.seed = QSpinBox()
        self.seed.setObjectName("seed_spin")
        self.seed.setAccessibleName("Seed")
        self.seed.setRange(0, MAX_SEED)
        self.seed.setMaximumWidth(self.fontMetrics().horizontalAdvance("0000000") + 40)
        self.seed.setToolTip("Same seed, same data and same curves for the whole room")
        self.seed.setKeyboardTracking(False)  # typed digits apply on Enter, arrows at once
        self.seed.valueChanged.connect(self._on_setting_changed)
        self.seed.editingFinished.connect(self._on_seed_edited)
        self._labelled("Seed", self.seed)
        self._keep_train_button_width()
        self._start_loading()

    # Public ---------------------------------------------------------------------------------

    @property
    def config(self) -> TrainingConfig:
        """The settings currently chosen."""
        return self._config

    def set_config(self, config: TrainingConfig) -> None:
        """Follow settings the model has taken (the network among them) without a signal,
        and show them: a lesson step or a session may have set them, not this toolbar."""
        self._config = config
        fields = (self.task, self.optimizer, self.batch_size, self.seed, self.learning_rate)
        for field in fields:
            field.blockSignals(True)
        try:
            for combo, value in (
                (self.task, config.task),
                (self.optimizer, config.optimizer),
                (self.batch_size, config.batch_size),
            ):
                index = combo.findData(value)
                if index < 0:  # a batch size typed on the command line, not in the list
                    combo.addItem(str(value), value)
                    index = combo.count() - 1
                combo.setCurrentIndex(index)
            self.seed.setValue(config.seed)
            self.learning_rate.setText(_rate_text(config.learning_rate))
        finally:
            for field in fields:
                field.blockSignals(False)

    def set_pace(self, pace: float | None) -> None:
        """Show ``pace`` (epochs per second, None for full speed) in the speed list; the
        list then says what it says on a pick (``pace_changed``)."""
        index = self.pace.findData(pace)
        if index >= 0:
            self.pace.setCurrentIndex(index)

    @property
    def pace_value(self) -> float | None:
        """The chosen epochs per second (None: full speed)."""
        value: float | None = self.pace.currentData()
        return value

    def apply_pending(self) -> None:
        """Apply a learning rate typed but not yet confirmed (toolbar buttons take no focus,
        so pressing Train would otherwise train with the old value on screen)."""
        if self.learning_rate.text() != _rate_text(self._config.learning_rate):
            self._on_learning_rate_edited()

    def _start_loading(self) -> None:
        actions = (self.action_train, self.action_step, self.action_reset)
        self._tips = {action: action.toolTip() for action in actions}
        self.set_ready(False, loading=True)

    def set_ready(self, ready: bool, loading: bool = False) -> None:
        """Enable the actions once the model can answer them. While PyTorch is ``loading``
        Train stays on (a Space pressed then starts training once the model is ready, rather
        than being lost) and every action says that the model is loading."""
        for action in (self.action_train, self.action_step, self.action_reset):
            action.setEnabled(ready or (loading and action is self.action_train))
            tip = self._tips[action]
            if loading and not ready:
                tip = (
                    "PyTorch is loading: training starts as soon as it is ready (Space)"
                    if action is self.action_train
                    else f"PyTorch is loading: this waits for it. {tip}"
                )
            action.setToolTip(tip)

    def set_running(self, running: bool) -> None:
        """Reflect the model's state without asking it to change (no signal loops)."""
        if self.action_train.isChecked() != running:
            self.action_train.blockSignals(True)
            self.action_train.setChecked(running)
            self.action_train.blockSignals(False)
        self._show_running(running)

    def set_stepping(self, stepping: bool) -> None:
        """Disable Step while an epoch is being stepped."""
        self.action_step.setEnabled(not stepping and not self.action_train.isChecked())

    # Building -------------------------------------------------------------------------------

    def _action(self, name: str, text: str, shortcut: QKeySequence, tip: str) -> QAction:
        action = QAction(text, self)
        action.setObjectName(name)
        action.setShortcut(shortcut)
        action.setToolTip(tip)
        action.setStatusTip(tip)
        self.addAction(action)
        return action

    def _keep_train_button_width(self) -> None:
        """Size the Train button for its longer text, so the toolbar does not shift when
        "Train" becomes "Pause"."""
        button = self.widgetForAction(self.action_train)
        if button is None:
            return
        texts = ("Train", "Pause")
        widest = max(button.fontMetrics().horizontalAdvance(text) for text in texts)
        hint = button.sizeHint()
        current = button.fontMetrics().horizontalAdvance(self.action_train.text())
        button.setMinimumWidth(hint.width() + widest - current)

    def _combo(
        self,
        name: str,
        label: str,
        items: list[tuple[str, object]],
        emit: bool = True,
        bar: QToolBar | None = None,
    ) -> QComboBox:
        combo = QComboBox()
        combo.setObjectName(name)
        combo.setAccessibleName(label)
        for text, data in items:
            combo.addItem(text, data)
        if emit:
            combo.activated.connect(self._on_setting_changed)
            combo.activated.connect(lambda _: self.setting_applied.emit(True))
        self._labelled(label, combo, bar)
        return combo

    def _labelled(self, label: str, widget: QWidget, bar: QToolBar | None = None) -> None:
        text = QLabel(f" {label} ")
        text.setBuddy(widget)
        text.setStyleSheet(f"color: {theme.MUTED}")
        target = self.settings_bar if bar is None else bar
        target.addWidget(text)
        target.addWidget(widget)

    # Slots ----------------------------------------------------------------------------------

    def _tint_icons(self) -> None:
        """The media icons in the palette's ink, again on every palette or presenter change
        (the style draws them dark grey: on the dark palette they vanished)."""
        colour = ink()
        self._icons = {name: tinted(icon, colour) for name, icon in self._standard_icons.items()}
        self.action_train.setIcon(self._icons["pause" if self.action_train.isChecked() else "play"])
        self.action_step.setIcon(self._icons["step"])

    def _on_train_toggled(self, running: bool) -> None:
        self._show_running(running)

    def _show_running(self, running: bool) -> None:
        self.action_train.setText("Pause" if running else "Train")
        self.action_train.setIcon(self._icons["pause" if running else "play"])
        self.action_step.setEnabled(self.action_reset.isEnabled() and not running)

    def _on_learning_rate_edited(self) -> None:
        text = self.learning_rate.text()
        try:
            value = self._parse_learning_rate(text)
            candidate = replace(self._config, learning_rate=value)
            candidate.validate()
        except (NumberError, ValueError) as error:
            self.learning_rate.setText(_rate_text(self._config.learning_rate))
            self.setting_refused.emit(f"Learning rate {quote_text(text.strip())} refused: {error}")
            return
        if value != self._config.learning_rate:
            self._on_setting_changed()
        self.learning_rate.setText(_rate_text(value))
        # Focus still here: Enter; otherwise the focus has moved on to where it was wanted.
        self.setting_applied.emit(self.learning_rate.hasFocus())

    def _on_seed_edited(self) -> None:
        self.setting_applied.emit(self.seed.hasFocus())

    @staticmethod
    def _parse_learning_rate(text: str) -> float:
        # The input cells' ±1,000,000 bound is not the learning rate's: the config says why.
        return parse_number(text, QLocale().decimalPoint(), bound=math.inf)

    def _on_setting_changed(self) -> None:
        try:
            learning_rate = self._parse_learning_rate(self.learning_rate.text())
        except NumberError:
            learning_rate = self._config.learning_rate
        candidate = replace(
            self._config,
            task=self.task.currentData(),
            seed=self.seed.value(),
            optimizer=self.optimizer.currentData(),
            learning_rate=learning_rate,
            batch_size=self.batch_size.currentData(),
        )
        try:
            candidate.validate()
        except ValueError as error:
            self.setting_refused.emit(str(error))
            return
        if candidate != self._config:
            self._config = candidate
            self.config_changed.emit(candidate)


def _rate_text(value: float) -> str:
    """A learning rate with every digit it has (``:g`` would show 0.000123457 for 0.0001234567)."""
    return f"{value:.15g}"

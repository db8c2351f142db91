"""The dialog that sets up a comparison: the main pipeline and up to three more beside it.

Every run trains on the same task, data order, initial weights and optimizer, so a difference
between the curves comes from the activations (and temperature) alone. Run 1 is the main
pipeline, which the panels trace; it is shown read-only here (the pickers above its panels
change it). Runs 2-4 each get a row: both hidden layers' activations, softmax's temperature
and a remove button. Two identical pipelines would train identically: a duplicate is refused
in the dialog, with the reason, and OK stays disabled until it is fixed.

Widgets per row are named by run id (1-3, as :class:`~model.protocol.RunProgress` counts
them; the learner reads "Run 2"-"Run 4"): ``compare_layer1_{i}``, ``compare_layer2_{i}``,
``compare_temperature_{i}``, ``compare_remove_{i}``; then ``compare_add`` and
``compare_message``.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from gui import theme
from gui.widgets.pipeline_picker import add_hidden_activations
from gui.widgets.training_plots import run_name
from gui.widgets.wrapped_label import WrappedLabel
from model.activations import (
    DEFAULT_TEMPERATURE,
    HIDDEN_ACTIVATIONS,
    MAX_TEMPERATURE,
    MIN_TEMPERATURE,
    get_activation,
)
from model.config import MAX_COMPARED, Pipeline

#: Hidden-layer pairs a new row starts from, the first not already taken: contrasts that
#: teach (smooth against dead units, saturating against not), then every other pair.
SUGGESTED = (("GELU", "Tanh"), ("Tanh", "Tanh"), ("LeakyReLU", "Sigmoid"), ("Sigmoid", "Sigmoid"))
MORE_RUNS = MAX_COMPARED - 1
#: Where a combo box's text starts: the main run's plain labels line up with it.
TEXT_INDENT_PX = 6


def _swatch(run: int) -> str:
    return f"<span style='color:{theme.RUNS[run]}'>■</span>&nbsp;<b>{run_name(run)}</b>"


class _Row:
    """The widgets of one compared run (run id ``run``, 1-3)."""

    def __init__(self, dialog: CompareDialog, run: int, output: str) -> None:
        self.name = QLabel(_swatch(run))
        self.layers = [self._combo(dialog, run, layer) for layer in (1, 2)]
        # Fixed: every pipeline ends in the main one's output. Muted, not disabled: disabled
        # text is too pale to read on a projector.
        self.output = QLabel(output)
        self.output.setIndent(TEXT_INDENT_PX)
        self.output.setStyleSheet(f"color: {theme.MUTED}")
        self.temperature = QDoubleSpinBox()
        self.temperature.setObjectName(f"compare_temperature_{run}")
        self.temperature.setAccessibleName(f"{run_name(run)}: softmax temperature")
        self.temperature.setRange(MIN_TEMPERATURE, MAX_TEMPERATURE)
        self.temperature.setDecimals(2)
        self.temperature.setSingleStep(0.25)
        self.temperature.setPrefix("T = ")
        self.temperature.setValue(DEFAULT_TEMPERATURE)
        self.temperature.setToolTip(
            f"Softmax temperature T, {MIN_TEMPERATURE:g} to {MAX_TEMPERATURE:g}: softmax(z / T). "
            f"{get_activation('Softmax').caution}."
        )
        self.temperature.valueChanged.connect(dialog.check)
        self.remove = QPushButton("Remove")
        self.remove.setObjectName(f"compare_remove_{run}")
        self.remove.setAccessibleName(f"Remove {run_name(run)}")
        self.remove.setToolTip(f"Stop comparing {run_name(run)}")
        self.remove.setAutoDefault(False)  # Enter is OK, not "remove the focused row"
        self.remove.clicked.connect(lambda *_: dialog.remove_row(run))
        self.widgets: list[QWidget] = [
            self.name,
            *self.layers,
            self.output,
            self.temperature,
            self.remove,
        ]

    @staticmethod
    def _combo(dialog: CompareDialog, run: int, layer: int) -> QComboBox:
        combo = QComboBox()
        combo.setObjectName(f"compare_layer{layer}_{run}")
        combo.setAccessibleName(f"{run_name(run)}: activation of hidden layer {layer}")
        add_hidden_activations(combo)
        combo.currentIndexChanged.connect(dialog.check)
        return combo

    @property
    def hidden(self) -> tuple[str, str]:
        first, second = (str(combo.currentData()) for combo in self.layers)
        return first, second

    def show(self, hidden: Sequence[str], temperature: float) -> None:
        for combo, name in zip(self.layers, hidden, strict=True):
            combo.setCurrentIndex(max(0, combo.findData(name)))
        self.temperature.setValue(temperature)
        for widget in self.widgets:
            widget.show()

    def hide(self) -> None:
        for widget in self.widgets:
            widget.hide()


class CompareDialog(QDialog):
    """``compare_dialog``: the main pipeline and up to three more to train beside it.

    Parameters
    ----------
    main
        The main pipeline (run 0, "Run 1"), shown read-only.
    compared
        The pipelines compared now (runs 1-3), to edit; at most three are used.
    """

    def __init__(
        self, main: Pipeline, compared: Sequence[Pipeline] = (), parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("compare_dialog")
        self.setWindowTitle("Compare pipelines")
        self._main = main
        self._output = main.activations[-1]
        intro = WrappedLabel(
            f"Train up to {MAX_COMPARED} pipelines side by side: same task, data order, initial "
            "weights and optimizer, so any difference comes from the activations. "
            f"{run_name(0)} is the pipeline the panels trace (change it above its panels)."
        )
        intro.setObjectName("compare_intro")
        grid = QGridLayout()
        grid.setHorizontalSpacing(10)
        for column, title in enumerate(
            ("", "Hidden layer 1", "Hidden layer 2", "Output", "Temperature")
        ):
            heading = QLabel(f"<b>{title}</b>")
            grid.addWidget(heading, 0, column)
        main_cells = [
            QLabel(_swatch(0)),
            *(QLabel(name) for name in main.activations),
            QLabel(f"T = {main.temperature:.2f}"),
            QLabel("traced"),
        ]
        main_cells[-1].setToolTip("The panels show this pipeline; change it above them")
        for column, cell in enumerate(main_cells):
            cell.setObjectName(f"compare_main_{column}")
            if column:
                cell.setIndent(TEXT_INDENT_PX)
            grid.addWidget(cell, 1, column)
        self._rows = [_Row(self, run, self._output) for run in range(1, MAX_COMPARED)]
        for row in self._rows:
            for column, widget in enumerate(row.widgets):
                grid.addWidget(widget, self._rows.index(row) + 2, column)
            row.hide()
        self._count = 0
        self.add_button = QPushButton("&Add pipeline")
        self.add_button.setObjectName("compare_add")
        self.add_button.setAutoDefault(False)
        self.add_button.clicked.connect(self.add_row)
        self.message = WrappedLabel()
        self.message.setObjectName("compare_message")
        self.message.setTextFormat(Qt.TextFormat.RichText)
        self.message.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        add_row = QHBoxLayout()
        add_row.addWidget(self.add_button)
        add_row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(grid)
        layout.addLayout(add_row)
        layout.addWidget(self.message)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self._set_tab_order()
        for pipeline in list(compared)[:MORE_RUNS]:
            self._show_row(pipeline.activations[:-1], pipeline.temperature)
        self.check()
        # As wide as the longest intro line allows at a readable measure; as tall as needed.
        intro.setMinimumWidth(grid.sizeHint().width())

    # Public API -----------------------------------------------------------------------------

    @property
    def row_count(self) -> int:
        """How many pipelines are compared with the main one (0-3)."""
        return self._count

    def pipelines(self) -> tuple[Pipeline, ...]:
        """The compared pipelines (runs 1, 2, …), canonical and validated."""
        return tuple(
            Pipeline((*row.hidden, self._output), round(row.temperature.value(), 2)).validate()
            for row in self._rows[: self._count]
        )

    def add_row(self) -> None:
        """Add a pipeline, the first suggested one that is not yet there; focus its first combo."""
        if self._count >= MORE_RUNS:
            return
        taken = {self._main, *self._unchecked()}
        pairs = itertools.chain(SUGGESTED, itertools.product(HIDDEN_ACTIVATIONS, repeat=2))
        hidden = next(
            pair
            for pair in pairs
            if Pipeline((*pair, self._output), DEFAULT_TEMPERATURE) not in taken
        )
        self._show_row(hidden, DEFAULT_TEMPERATURE)
        self.check()
        self._fit()
        self._rows[self._count - 1].layers[0].setFocus(Qt.FocusReason.TabFocusReason)

    def remove_row(self, run: int) -> None:
        """Stop comparing run ``run`` (1-3); the runs after it move up one."""
        index = run - 1
        if not 0 <= index < self._count:
            return
        rows = self._rows
        for upper, lower in itertools.pairwise(rows[index : self._count]):
            upper.show(lower.hidden, lower.temperature.value())
        self._count -= 1
        rows[self._count].hide()
        self.check()
        self._fit()
        # The keyboard stays where the removed row was (on its first choice, so that a second
        # Space does not remove the next row too), or goes to Add.
        if index < self._count:
            rows[index].layers[0].setFocus(Qt.FocusReason.TabFocusReason)
        else:
            self.add_button.setFocus(Qt.FocusReason.TabFocusReason)

    def problem(self) -> str | None:
        """Why the pipelines cannot be compared as they are (a duplicate), or None."""
        seen = {self._main: 0}
        for run, pipeline in enumerate(self._unchecked(), start=1):
            if pipeline in seen:
                return (
                    f"{run_name(run)} is the same pipeline as {run_name(seen[pipeline])} "
                    f"({pipeline.label}): it would train identically. Change an activation or "
                    "the temperature, or remove it."
                )
            seen[pipeline] = run
        return None

    def check(self) -> None:
        """Show the problem, if any, and allow OK only without one; Add up to four in all."""
        problem = self.problem()
        if problem is None:
            self.message.hide()
        else:
            self.message.setText(theme.warning_html(problem))
            self.message.show()
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(problem is None)
        full = self._count >= MORE_RUNS
        self.add_button.setEnabled(not full)
        self.add_button.setToolTip(
            f"At most {MAX_COMPARED} pipelines train side by side"
            if full
            else "Compare one more pipeline with the main one"
        )

    def accept(self) -> None:
        """Close with the pipelines, unless one is a duplicate (then say so and stay)."""
        self.check()
        if self.problem() is None:
            super().accept()

    # Helpers --------------------------------------------------------------------------------

    def _unchecked(self) -> list[Pipeline]:
        return [
            Pipeline((*row.hidden, self._output), round(row.temperature.value(), 2))
            for row in self._rows[: self._count]
        ]

    def _fit(self) -> None:
        if self.isVisible():
            self.adjustSize()  # grow for a new row, shrink after a removed one

    def _show_row(self, hidden: Sequence[str], temperature: float) -> None:
        self._rows[self._count].show(hidden, temperature)
        self._count += 1

    def _set_tab_order(self) -> None:
        chain: list[QWidget] = []
        for row in self._rows:
            chain += [*row.layers, row.temperature, row.remove]
        chain += [self.add_button, *self.buttons.buttons()]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

"""Step-through mode: the forward pass one stage at a time, with its arithmetic written out.

Object names (stable, for tests and assistive technology): ``step_back``, ``step_next``,
``step_position``, ``step_unit``, ``step_strip`` (chips ``step_chip_<i>``),
``step_keys_hint``, ``step_title``, ``step_explanation`` and ``step_math``.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QFontDatabase, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from gui import theme
from gui.modes.base import ModePage
from gui.modes.lab import Lab
from gui.widgets.input_table import InputTable
from gui.widgets.wrapped_label import WrappedLabel
from model.step_math import Step, build_steps, step_count
from model.trace import Trace

#: Units a learner can pick: the network is 4 wide.
UNITS = 4
#: The arithmetic's size at the 10 pt design scale: normally, and on a projector.
MATH_POINTS = 15.0
PRESENTING_MATH_POINTS = 19.0


def math_html(step: Step) -> str:
    """``step``'s lines as rich text: spaces kept, the result and the unit's own term bold.

    Every line is escaped: a computed line may hold "<" (as in "z ≤ 0" spelt plainly).
    """
    rows = []
    for index, line in enumerate(step.lines):
        text = html.escape(line)
        rows.append(f"<b>{text}</b>" if index in step.emphasis else text)
    return f"<div style='white-space: pre-wrap; color: {theme.TEXT}'>{'<br>'.join(rows)}</div>"


class _Explanation(WrappedLabel):
    """A WrappedLabel whose minimum size hint is its height now, not QLabel's guess.

    QLabel's word-wrapped minimumSizeHint is the text's height at a narrow width; layouts
    expand the size hint to it, so a long sentence kept that height (seven lines of blank
    space around one line of text) even at full width.
    """

    def minimumSizeHint(self) -> QSize:
        """As narrow as QLabel allows, as tall as the text needs at the current width."""
        return QSize(super().minimumSizeHint().width(), self.minimumHeight())


class StepPage(ModePage):
    """One stage at a time for one unit: Back/Next (or ←/→) move, the picker chooses the unit.

    A new trace redraws the same stage with its numbers; before the first trace the page says
    it is waiting. Presenter mode hides the key hint and draws the arithmetic larger.
    """

    mode_name = "step"

    def __init__(self, lab: Lab, parent: QWidget | None = None) -> None:
        super().__init__(lab, parent)
        self._trace: Trace | None = None
        self._steps: tuple[Step, ...] = ()
        self._index = 0
        self._unit = 0
        #: Widgets with a font of their own, and its design size: re-applied by the theme.
        self._sized: list[tuple[QWidget, float, bool]] = []
        self.step_back = self._button("step_back", "◀ Back", "The previous stage (←)")
        self.step_next = self._button("step_next", "Next ▶", "The next stage (→)")
        self.step_back.clicked.connect(self.previous_step)
        self.step_next.clicked.connect(self.next_step)
        self.step_position = self._label("step_position", 12, bold=True)
        self.step_unit = QComboBox(self)
        self.step_unit.setObjectName("step_unit")
        self.step_unit.setAccessibleName("Unit to follow")
        self.step_unit.setToolTip("Which unit's arithmetic to write out")
        self.step_unit.addItems([f"unit {i + 1}" for i in range(UNITS)])
        self.step_unit.currentIndexChanged.connect(self.set_unit)
        self.step_strip = QWidget(self)
        self.step_strip.setObjectName("step_strip")
        self._chips: list[QLabel] = []
        self._chip_row = QHBoxLayout()
        self._chip_row.setSpacing(4)
        self.step_keys_hint = self._label("step_keys_hint", 9)
        self.step_keys_hint.setText("← → keys move too")
        self.step_title = self._label("step_title", 17, bold=True)
        self.step_explanation = _Explanation(lines=2, parent=self)
        self.step_explanation.setObjectName("step_explanation")
        self.step_explanation.setTextFormat(theme.PLAIN_TEXT)
        self._sized.append((self.step_explanation, 11, False))
        self.step_math = QLabel(self)
        self.step_math.setObjectName("step_math")
        self.step_math.setAccessibleName("The stage's arithmetic")
        self.step_math.setTextFormat(Qt.TextFormat.RichText)
        self.step_math.setWordWrap(True)
        self.step_math.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.step_math.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._apply_theme()
        theme.follow(self._apply_theme)
        self._arrange()
        for key, move in (
            (Qt.Key.Key_Left, self.previous_step),
            (Qt.Key.Key_Right, self.next_step),
        ):
            shortcut = QShortcut(QKeySequence(key), self)
            # Anywhere on this page, a button or the picker focused included; never elsewhere.
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(move)
        self._render()

    @property
    def current_index(self) -> int:
        """The stage shown, 0-based."""
        return self._index

    @property
    def step_count(self) -> int:
        """How many stages the pass has (from the pipeline until the first trace)."""
        if self._steps:
            return len(self._steps)
        return step_count(len(self.lab.state.pipeline.activations))

    @property
    def current_step(self) -> Step | None:
        """The stage shown as data, or None before the first trace."""
        return self._steps[self._index] if self._steps else None

    def next_step(self) -> None:
        """Show the next stage (the last stays put)."""
        self._go(self._index + 1)

    def previous_step(self) -> None:
        """Show the previous stage (the input stays put)."""
        self._go(self._index - 1)

    def set_unit(self, unit: int) -> None:
        """Follow ``unit`` (0-based) through the pass, on the same stage."""
        unit = max(0, min(UNITS - 1, unit))
        if self.step_unit.currentIndex() != unit:
            self.step_unit.setCurrentIndex(unit)  # comes back here through the signal
            return
        self._unit = unit
        self._rebuild()

    def show_trace(self, trace: Trace) -> None:
        """Redraw the current stage with ``trace``'s numbers."""
        super().show_trace(trace)
        self._trace = trace
        self._rebuild()

    def set_presenting(self, on: bool) -> None:
        """On a projector: no key hint, and larger arithmetic."""
        super().set_presenting(on)
        self.step_keys_hint.setVisible(not on)
        self._apply_theme()

    def _apply_theme(self) -> None:
        """Every font at the theme's size now (presenter mode zooms them all)."""
        for widget, design_points, bold in self._sized:
            widget.setFont(theme.value_font(design_points, bold=bold))
        self._set_math_size(PRESENTING_MATH_POINTS if self.presenting else MATH_POINTS)

    def _go(self, index: int) -> None:
        self._index = max(0, min(self.step_count - 1, index))
        self._render()

    def _rebuild(self) -> None:
        self._steps = build_steps(self._trace, self._unit) if self._trace is not None else ()
        self._index = min(self._index, self.step_count - 1)
        self._render()

    def _render(self) -> None:
        count = self.step_count
        step = self.current_step
        label = step.label if step is not None else "waiting for the model"
        self.step_position.setText(f"Stage {self._index + 1} of {count}: {label}")
        self.step_title.setText(step.title if step is not None else "Waiting for the model…")
        self.step_explanation.setText(step.explanation if step is not None else "")
        self.step_math.setText(math_html(step) if step is not None else "")
        self._update_chips([s.chip for s in self._steps] or [""] * count)
        self._enable(self.step_back, self._index > 0, self.step_next)
        self._enable(self.step_next, self._index < count - 1, self.step_back)

    def _update_chips(self, names: list[str]) -> None:
        while len(self._chips) < len(names):
            chip = self._label(f"step_chip_{len(self._chips)}", 9)
            chip.setAlignment(Qt.AlignmentFlag.AlignCenter)
            # A margin, not style-sheet padding: padding narrows the text's room below what
            # the label reports it needs, and its text would be cut.
            chip.setMargin(3)
            self._chip_row.insertWidget(len(self._chips), chip)
            self._chips.append(chip)
        for index, chip in enumerate(self._chips):
            chip.setVisible(index < len(names))
            if index >= len(names):
                continue
            chip.setText(names[index] or str(index + 1))
            current = index == self._index
            chip.setStyleSheet(
                f"border-radius: 3px; border: 1px solid "
                f"{theme.TEXT if current else theme.GHOST}; "
                f"background: {theme.TEXT if current else theme.BACKGROUND}; "
                f"color: {theme.BACKGROUND if current else theme.MUTED}; "
                f"font-weight: {'bold' if current else 'normal'};"
            )
            chip.setMinimumWidth(0)
            chip.setMinimumWidth(chip.sizeHint().width() + 8)

    @staticmethod
    def _enable(button: QPushButton, on: bool, other: QPushButton) -> None:
        # A disabled button hands its focus to the next widget, which may lie outside this
        # page, and the page's ←/→ would stop working: give it to the other button first.
        if not on and button.hasFocus():
            other.setFocus()
        button.setEnabled(on)

    def _set_math_size(self, design_points: float) -> None:
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setPointSizeF(theme.points(design_points))
        self.step_math.setFont(font)

    def _button(self, name: str, text: str, tip: str) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(name)
        button.setToolTip(tip)
        self._sized.append((button, 12, False))
        button.setFont(theme.value_font(12))
        return button

    def _label(self, name: str, design_points: float, bold: bool = False) -> QLabel:
        label = QLabel(self)
        label.setObjectName(name)
        label.setTextFormat(theme.PLAIN_TEXT)
        self._sized.append((label, design_points, bold))
        label.setFont(theme.value_font(design_points, bold=bold))
        return label

    def _input_row(self) -> QHBoxLayout:
        """The input cells here too (a second view of the same cells): change a number and
        the arithmetic follows, without leaving the step you are on."""
        self.step_input_table = InputTable(self.lab.inputs, self)
        self.step_input_table.setObjectName("step_input_table")
        caption = self._label("step_inputs_label", 10)
        caption.setText("Inputs")
        caption.setBuddy(self.step_input_table)
        row = QHBoxLayout()
        row.addWidget(caption)
        row.addWidget(self.step_input_table)
        row.addStretch(1)
        return row

    def _arrange(self) -> None:
        controls = QHBoxLayout()
        controls.addWidget(self.step_back)
        controls.addWidget(self.step_next)
        controls.addSpacing(12)
        controls.addWidget(self.step_position, 1)
        follow = self._label("step_unit_label", 12)
        follow.setText("Follow")
        follow.setBuddy(self.step_unit)
        controls.addWidget(follow)
        controls.addWidget(self.step_unit)
        strip = QHBoxLayout(self.step_strip)
        strip.setContentsMargins(0, 0, 0, 0)
        strip.addLayout(self._chip_row)
        strip.addStretch(1)
        strip.addWidget(self.step_keys_hint)
        content = QWidget(self)
        column = QVBoxLayout(content)
        column.setContentsMargins(4, 4, 4, 4)
        column.addWidget(self.step_title)
        column.addWidget(self.step_explanation)
        column.addSpacing(8)
        column.addWidget(self.step_math)
        column.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setObjectName("step_scroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(content)
        self.body.addLayout(self._input_row())
        self.body.addLayout(controls)
        self.body.addWidget(self.step_strip)
        self.body.addWidget(scroll, 1)

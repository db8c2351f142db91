"""The four input cells: a one-row table that refuses anything but a finite number.

A QTableWidget's model returns True from ``setData`` even when an item refuses the value, and
its float editor rounds to two decimals; this model parses text itself (one parser, shared with
the command line), says why it refused, and keeps the previous value.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QLocale,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLineEdit,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from gui import theme
from gui.number_format import minus_signs
from model.parsing import LIMIT, NumberError, parse_number

AnyIndex = QModelIndex | QPersistentModelIndex


def input_label(column: int) -> str:
    """The learner-facing name of input ``column``: x₁, x₂, …"""
    return "x" + str(column + 1).translate(str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉"))


def format_cell(value: float) -> str:
    """Every digit the learner typed, no float noise: 1.23456 stays 1.23456, 0.1 stays 0.1."""
    return f"{value:.15g}"


class InputTableModel(QAbstractTableModel):
    """One row of editable numbers.

    Signals
    -------
    values_changed(tuple)
        The new values after an accepted edit.
    value_refused(int, str)
        The column and a sentence saying why the text was refused.
    """

    values_changed = Signal(tuple)
    value_refused = Signal(int, str)

    def __init__(self, values: Sequence[float], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._values = [float(v) for v in values]
        # QLocale() is the system locale unless the app (or a test) set a default.
        self._decimal_separator = QLocale().decimalPoint()

    @property
    def values(self) -> tuple[float, ...]:
        """The current inputs."""
        return tuple(self._values)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        """One row: a single input vector."""
        return 0 if parent.isValid() else 1

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        """One column per input."""
        return 0 if parent.isValid() else len(self._values)

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        """Every cell is editable."""
        return super().flags(index) | Qt.ItemFlag.ItemIsEditable

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Text for display and editing, the float for ``UserRole``."""
        if not index.isValid():
            return None
        value = self._values[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return minus_signs(format_cell(value))  # a hyphen is easily lost on a projector
        if role == Qt.ItemDataRole.EditRole:
            return format_cell(value)
        if role == Qt.ItemDataRole.UserRole:
            return value
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return Qt.AlignmentFlag.AlignCenter
        if role == Qt.ItemDataRole.ToolTipRole:
            return (
                f"Input {input_label(index.column())}: type any number from "
                f"-{LIMIT:,.0f} to {LIMIT:,.0f} (like 0.5, -2 or 1e-3) and press Enter"
            )
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{input_label(index.column())} = {format_cell(value)}"
        return None

    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        """Accept a number or its text; refuse anything else, say why, keep the old value."""
        if not index.isValid() or role != Qt.ItemDataRole.EditRole:
            return False
        column = index.column()
        try:
            number = self._to_number(value)
        except NumberError as error:
            self.value_refused.emit(column, f"{input_label(column)}: {error}")
            return False
        self._values[column] = number
        # The model thread hears first: its answer takes longest, the cell repaints meanwhile.
        self.values_changed.emit(self.values)
        self.dataChanged.emit(index, index)
        return True

    def set_values(self, values: Sequence[float]) -> None:
        """Put all four numbers in at once (a lesson step, a session): one change, one trace.

        They are checked like typed ones; ValueError names the first refused one and nothing
        changes.
        """
        numbers = []
        for column, value in enumerate(values):
            try:
                numbers.append(self._to_number(value))
            except NumberError as error:
                raise ValueError(f"{input_label(column)}: {error}") from error
        if len(numbers) != len(self._values):
            raise ValueError(f"{len(self._values)} inputs are needed, not {len(numbers)}")
        if numbers == self._values:
            return
        self._values = numbers
        self.values_changed.emit(self.values)
        self.dataChanged.emit(self.index(0, 0), self.index(0, len(numbers) - 1))

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        """x₁…x₄ across the top; the row is the input vector."""
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return input_label(section)
        return "Input"

    def _to_number(self, value: Any) -> float:
        if isinstance(value, bool):
            raise NumberError("a true/false value is not a number")
        if isinstance(value, int) and abs(value) > LIMIT:
            # float() of an int beyond 1e308 raises OverflowError: refuse it before that.
            digits = len(str(abs(value)))
            shown = str(value) if digits <= 12 else f"a {digits}-digit number"
            raise NumberError(f"{shown} is outside the allowed range of ±{LIMIT:,.0f}")
        if isinstance(value, int | float):
            number = float(value)
            if not math.isfinite(number) or abs(number) > LIMIT:
                raise NumberError(f"{value} is not a finite number within ±{LIMIT:,.0f}")
            return number
        if isinstance(value, str):
            return parse_number(value, self._decimal_separator)
        raise NumberError(f"{value!r} is not a number")


class _TextDelegate(QStyledItemDelegate):
    """A plain line editor showing every digit (Qt's float editor would round to 2 decimals)."""

    def createEditor(
        self, parent: QWidget, option: QStyleOptionViewItem, index: AnyIndex
    ) -> QWidget:
        editor = QLineEdit(parent)
        editor.setAlignment(Qt.AlignmentFlag.AlignCenter)
        editor.setAccessibleName(f"Edit input {input_label(index.column())}")
        return editor

    def setEditorData(self, editor: QWidget, index: AnyIndex) -> None:
        assert isinstance(editor, QLineEdit)
        editor.setText(str(index.data(Qt.ItemDataRole.EditRole)))
        editor.selectAll()


class InputTable(QTableView):
    """The view of the input cells: one row, four stretched columns, big projector-ready text."""

    def __init__(self, model: InputTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("input_table")
        self.setAccessibleName("Input values")
        self.setAccessibleDescription("Four editable numbers that flow through the network")
        self.setModel(model)
        self.setItemDelegate(_TextDelegate(self))
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
            | QAbstractItemView.EditTrigger.SelectedClicked
        )
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setToolTip("Type a number in any cell and press Enter: every stage follows")
        self._apply_theme()
        theme.follow(self._apply_theme)

    def _apply_theme(self) -> None:
        """Big projector-ready text at the theme's size, and the sizes measured from it."""
        font = self.font()
        font.setPointSizeF(theme.points(13))
        self.setFont(font)
        row_height = round(self.fontMetrics().height() * 1.6)
        self.setFixedHeight(self.horizontalHeader().sizeHint().height() + row_height + 2)
        # All four cells, always: squeezed by its neighbours the row showed two and a half.
        cell = self.fontMetrics().horizontalAdvance("−0.25") + 6
        self.setMinimumWidth(self.verticalHeader().sizeHint().width() + 4 * cell + 4)

    def event(self, event: QEvent) -> bool:
        """Keep the keys that type a number: a digit, a sign or a point starts editing the
        cell, so the window's mode keys (1–9) must not take it first (Alt+digit still does)."""
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and event.modifiers() in _TYPING_MODIFIERS
            and event.text()
            and event.text() in _NUMBER_KEYS
        ):
            event.accept()
            return True
        return super().event(event)


#: What starts a number typed into a cell.
_NUMBER_KEYS = frozenset("0123456789-+.,eE−")
_TYPING_MODIFIERS = (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.KeypadModifier)

"""The words above a stage's bars: its title row (name, position, shape, a "watch out" sign
and any picker put there), its formula and what the activation means.

A layout rather than a widget, so that its labels stay direct children of the panel (the
objectNames and the layout are as they were when the panel built them itself).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from gui import theme
from gui.widgets.fitting_label import FittingLabel
from gui.widgets.stage_text import title_texts
from gui.widgets.wrapped_label import WrappedLabel

#: Lines kept for an activation's meaning from the start: at the window's smallest width each
#: needs three, and a minimum that grows later is not always honoured by the layouts above.
MEANING_LINES = 3


class StageHeader(QVBoxLayout):
    """Title row, formula and meaning of the stage panel ``key`` (``stage_title_{key}``,
    ``stage_shape_{key}``, ``stage_caution_{key}``, ``stage_formula_{key}``,
    ``stage_meaning_{key}``)."""

    def __init__(self, key: str) -> None:
        super().__init__()
        self._name = self._title_text = ""
        self._has_widget = False
        self._widget_names = False
        # The name first; the position beside it where there is room (see title_texts).
        self._title = FittingLabel(policy=QSizePolicy.Policy.Preferred)
        self._title.setObjectName(f"stage_title_{key}")
        self._caution = QLabel("⚠")
        self._caution.setObjectName(f"stage_caution_{key}")
        self._caution.setAccessibleName("Watch out")
        self._caution.setVisible(False)
        # The shape steps aside at narrow widths (its tooltip stays): the name comes first.
        self._shape = FittingLabel()
        self._shape.setObjectName(f"stage_shape_{key}")
        self._shape.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self._shape.setToolTip("Shape: one sample of 4 values in (1 × 4), one of 4 values out")
        self._shape.set_texts("1×4 → 1×4", "")
        # The formula has a line of its own and may wrap: cut, "1 / (1 + e⁻ᶻ)" reads "1 /".
        self._formula = WrappedLabel(lines=1)
        self._formula.setObjectName(f"stage_formula_{key}")
        self._meaning = WrappedLabel(lines=MEANING_LINES)
        self._meaning.setObjectName(f"stage_meaning_{key}")
        self._title_row = QHBoxLayout()
        self._title_row.setSpacing(4)
        self._title_row.addWidget(self._title)
        self._title_row.addWidget(self._shape, 1)
        self._title_row.addWidget(self._caution)
        self.setSpacing(2)
        self.addLayout(self._title_row)
        self.addWidget(self._formula)
        self.addWidget(self._meaning)
        self._apply_theme()
        theme.follow(self._apply_theme)

    def _apply_theme(self) -> None:
        """Fonts and colours from the theme (presenter mode changes both)."""
        title_size = f"font-size: {theme.css_points(11)}"
        self._title.setStyleSheet(title_size)
        self._caution.setStyleSheet(f"color: {theme.TEXT}")
        self._shape.setStyleSheet(f"color: {theme.MUTED}")
        self._formula.setStyleSheet(f"color: {theme.TEXT}; {title_size}")
        self._meaning.setStyleSheet(f"color: {theme.MUTED}")
        if self._name or self._title_text:
            # The position's size and colour are part of the title's rich text.
            self._title.set_texts(*self._title_texts())

    def set_words(self, name: str, title: str, formula: str, meaning: str, caution: str) -> None:
        """Show the activation ``name`` at position ``title``, its formula and meaning, and
        the "watch out" sign when there is a ``caution``."""
        self._name, self._title_text = name, title
        self._title.set_texts(*self._title_texts())
        self._formula.setText(formula)
        self._meaning.setText(meaning)
        self._caution.setVisible(bool(caution))
        if caution:
            self._caution.setToolTip(f"Watch out: {caution}")
            self._caution.setAccessibleDescription(caution)

    def set_meaning_visible(self, visible: bool) -> None:
        """Show or hide the one-line meaning (presenter mode: the teacher says it)."""
        self._meaning.setVisible(visible)

    def add_title_widget(self, widget: QWidget, *, names_activation: bool = False) -> None:
        """Put ``widget`` in the title row, after the title (see
        :meth:`StagePanel.add_title_widget`)."""
        self._title_row.insertWidget(self._title_row.indexOf(self._title) + 1, widget)
        self._widget_names = self._widget_names or names_activation
        self._has_widget = True
        self._title.set_texts(*self._title_texts())

    def show_shape(self, shape_text: str) -> None:
        """Say the stage's shape ("1 × 4 → 1 × 4"), compactly; it steps aside when short of
        room."""
        self._shape.set_texts(shape_text.replace(" × ", "×"), "")

    def _title_texts(self) -> tuple[str, ...]:
        return title_texts(
            self._name,
            self._title_text,
            names_activation=self._widget_names,
            has_widget=self._has_widget,
        )

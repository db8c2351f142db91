"""The "key insight" box every mode shows: a fixed lesson and a sentence from the live numbers.

It folds to one line (the live sentence, cut with "…", the rest in its tooltip) where height
is scarce: beside the panels on a 1024×700 screen, three lines of lesson would push the window
past the screen's bottom. One click, or the learner's own choice, unfolds it.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from gui import theme
from gui.widgets.wrapped_label import WrappedLabel


class ElidedLabel(QLabel):
    """One line of plain text, cut with "…" to the width it is given."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._full = ""
        self.setTextFormat(theme.PLAIN_TEXT)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

    @property
    def full_text(self) -> str:
        """The text before it was cut."""
        return self._full

    def set_full_text(self, text: str) -> None:
        """Show ``text``, cut to fit."""
        self._full = text
        self._elide()

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Cut again at the new width."""
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        metrics = self.fontMetrics()
        self.setText(metrics.elidedText(self._full, Qt.TextElideMode.ElideRight, self.width()))


class KeyInsight(QFrame):
    """One to three plain sentences: ``fixed`` (what the mode teaches) and a live sentence
    computed from the current numbers (:meth:`set_live`). Named ``insight_<mode>``; its fold
    button is ``insight_toggle_<mode>``."""

    def __init__(self, mode: str, fixed: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"insight_{mode}")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet(
            f"#insight_{mode} {{ background: {theme.INSIGHT_BACKGROUND}; "
            f"border: 1px solid {theme.INSIGHT_BORDER}; border-radius: 4px; }}"
        )
        self._fixed = fixed
        self.fixed_label = WrappedLabel(f"<b>Key insight.</b> {fixed}")
        self.fixed_label.setObjectName(f"insight_fixed_{mode}")
        self.live_label = WrappedLabel()
        self.live_label.setObjectName(f"insight_live_{mode}")
        self.live_label.setTextFormat(theme.PLAIN_TEXT)
        self.folded_line = ElidedLabel()
        self.folded_line.setObjectName(f"insight_folded_{mode}")
        self.toggle = QToolButton()
        self.toggle.setObjectName(f"insight_toggle_{mode}")
        self.toggle.setCheckable(True)
        self.toggle.setAutoRaise(True)
        self.toggle.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the keyboard stays with the page
        self.toggle.toggled.connect(self._show_expanded)
        sentences = QVBoxLayout()
        sentences.setSpacing(2)
        sentences.addWidget(self.fixed_label)
        sentences.addWidget(self.live_label)
        sentences.addWidget(self.folded_line)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 3, 4, 3)
        layout.addWidget(self.toggle, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(sentences, 1)
        self._live = ""
        self.toggle.setChecked(True)
        self._show_expanded(True)

    @property
    def expanded(self) -> bool:
        """True when the whole lesson shows; False when folded to one line."""
        return self.toggle.isChecked()

    def set_expanded(self, on: bool) -> None:
        """Unfold (``on``) or fold the box to one line."""
        self.toggle.setChecked(on)

    @property
    def live_text(self) -> str:
        """The live sentence now ("" when there is none yet), folded or not."""
        return self._live

    def set_live(self, text: str) -> None:
        """Show ``text`` (plain text: computed from the numbers) as the live sentence."""
        self._live = text
        self.live_label.setText(text)
        self.live_label.setVisible(bool(text) and self.expanded)
        self.folded_line.set_full_text(text or self._fixed)
        self.setToolTip("" if self.expanded else f"{self._fixed}\n\n{text}".strip())

    def _show_expanded(self, on: bool) -> None:
        self.toggle.setText("▾" if on else "▸ Key insight")
        self.toggle.setToolTip("Fold to one line" if on else "Show the whole key insight")
        self.fixed_label.setVisible(on)
        self.live_label.setVisible(on and bool(self._live))
        self.folded_line.setVisible(not on)
        self.set_live(self._live)

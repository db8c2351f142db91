"""The "key insight" box every mode shows: a fixed lesson and a sentence from the live numbers."""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QVBoxLayout, QWidget

from gui import theme
from gui.widgets.wrapped_label import WrappedLabel


class KeyInsight(QFrame):
    """One to three plain sentences: ``fixed`` (what the mode teaches) and a live sentence
    computed from the current numbers (:meth:`set_live`). Named ``insight_<mode>``."""

    def __init__(self, mode: str, fixed: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"insight_{mode}")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet(
            f"#insight_{mode} {{ background: {theme.INSIGHT_BACKGROUND}; "
            f"border: 1px solid {theme.INSIGHT_BORDER}; border-radius: 4px; }}"
        )
        self.fixed_label = WrappedLabel(f"<b>Key insight.</b> {fixed}")
        self.fixed_label.setObjectName(f"insight_fixed_{mode}")
        self.live_label = WrappedLabel()
        self.live_label.setObjectName(f"insight_live_{mode}")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.setSpacing(2)
        layout.addWidget(self.fixed_label)
        layout.addWidget(self.live_label)
        self.live_label.hide()

    @property
    def live_text(self) -> str:
        """The live sentence shown now ("" when there is none yet)."""
        return self.live_label.text() if self.live_label.isVisibleTo(self) else ""

    def set_live(self, text: str) -> None:
        """Show ``text`` (plain text: computed from the numbers) as the live sentence."""
        self.live_label.setTextFormat(theme.PLAIN_TEXT)
        self.live_label.setText(text)
        self.live_label.setVisible(bool(text))

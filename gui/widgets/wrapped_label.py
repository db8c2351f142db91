"""A word-wrapped label that layouts cannot squeeze: its minimum height is its text's.

QLabel with word wrap reports a height-for-width, and nested layouts (grids, splitters) then
computed minimums too small for it: the stage panels were squeezed, and their words and bars
were drawn over each other. This label reports none; a plain minimum height, kept up to date
on resize, is honoured by every layout above it.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget


class WrappedLabel(QLabel):
    """A word-wrapped label that is never cut: at least ``lines`` lines high, more as needed.

    See the module docstring for why it reports no height-for-width.
    """

    def __init__(self, text: str = "", *, lines: int = 1, parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self._lines = lines
        self.setWordWrap(True)
        # Exactly as tall as its lines: spare room goes to plots and tables, not blank text.
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self._fit()

    def sizeHint(self) -> QSize:
        """As wide as QLabel asks, as tall as the text needs at the current width."""
        return QSize(super().sizeHint().width(), self.minimumHeight())

    def hasHeightForWidth(self) -> bool:
        """No: see the class docstring."""
        return False

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Keep every wrapped line: at a new width the words may need more lines."""
        super().resizeEvent(event)
        self._fit()

    def changeEvent(self, event: QEvent) -> None:
        """A style sheet may change the font, and with it the height of a line."""
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._fit()

    def setMargin(self, margin: int) -> None:
        """Margins count in the height the text needs."""
        super().setMargin(margin)
        self._fit()

    def _fit(self) -> None:
        least = self._lines * self.fontMetrics().lineSpacing()
        needed = 0
        if self.width() > 0:
            # QLabel expands the height it computes to the current minimum: without this,
            # a minimum once raised (at a narrow width) would never come down again.
            current = self.minimumHeight()
            self.setMinimumHeight(0)
            needed = super().heightForWidth(self.width())
            self.setMinimumHeight(current)
        height = max(least, needed)
        if height != self.minimumHeight():
            self.setMinimumHeight(height)
            self.updateGeometry()

    def setText(self, text: str) -> None:
        """Show ``text``; the minimum height follows its number of lines."""
        super().setText(text)
        self._fit()

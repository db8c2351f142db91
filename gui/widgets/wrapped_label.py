"""A word-wrapped label that layouts cannot squeeze: its minimum height is its text's.

QLabel with word wrap reports a height-for-width, and nested layouts (grids, splitters) then
computed minimums too small for it: the stage panels were squeezed, and their words and bars
were drawn over each other. This label reports none; a plain minimum height, kept up to date
on resize, is honoured by every layout above it.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QEvent, QRect, QSize, Qt
from PySide6.QtGui import QResizeEvent, QTextDocument
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

    def minimumSizeHint(self) -> QSize:
        """QLabel's width, the text's height: QLabel's own counts two lines for any text
        long enough to wrap, which left a blank line under long one-line sentences."""
        return QSize(super().minimumSizeHint().width(), self.minimumHeight())

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

    def text_height(self, width: int) -> int:
        """The height the text needs at ``width``, margins and frame included.

        Measured here rather than with QLabel.heightForWidth, which expands its answer to the
        current minimum (a minimum once raised would never come down) and, asked to forget
        it, posts a relayout of the whole window each time.
        """
        margins = self.contentsMargins()
        extra_width = margins.left() + margins.right() + 2 * self.margin()
        extra_height = margins.top() + margins.bottom() + 2 * self.margin()
        inner = max(1, width - extra_width)
        text = self.text()
        text_format = self.textFormat()
        rich = text_format == Qt.TextFormat.RichText or (
            text_format == Qt.TextFormat.AutoText and "<" in text  # as Qt's guess goes
        )
        if rich:
            document = QTextDocument()
            document.setDefaultFont(self.font())
            document.setDocumentMargin(0)
            document.setHtml(text)
            document.setTextWidth(inner)
            height = math.ceil(document.size().height())
        else:
            flags = Qt.TextFlag.TextWordWrap | self.alignment()
            height = (
                self.fontMetrics().boundingRect(QRect(0, 0, inner, 1 << 20), flags, text).height()
            )
        return height + extra_height

    def _fit(self) -> None:
        least = self._lines * self.fontMetrics().lineSpacing()
        needed = self.text_height(self.width()) if self.width() > 0 and self.text() else 0
        height = max(least, needed)
        if height != self.minimumHeight():
            self.setMinimumHeight(height)  # relays out the window only when it changes

    def setText(self, text: str) -> None:
        """Show ``text``; the minimum height follows its number of lines."""
        super().setText(text)
        self._fit()

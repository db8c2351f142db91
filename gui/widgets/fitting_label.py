"""A one-line label that picks, of several spellings, the longest that fits its width.

Stage panels use it for their title, shape and footer: text is never cut, and a long or
changing text cannot widen the window (nor re-lay it out every frame).
"""

from __future__ import annotations

import math

from PySide6.QtCore import QEvent, QSize
from PySide6.QtGui import QFont, QResizeEvent, QTextDocument
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget


def html_width(text: str, font: QFont) -> float:
    """The width of the rich ``text`` on one line in ``font``, in pixels."""
    document = QTextDocument()
    document.setDocumentMargin(0)
    document.setDefaultFont(font)
    document.setHtml(text)
    return float(document.idealWidth())


class FittingLabel(QLabel):
    """One line that shows the first of its texts (plain or rich) that fits its width, so it
    is never cut; it is never narrower than its last text.

    By default it asks the layout for no more width than that last text: a long sentence (a
    stale reason, unit states) cannot widen the panel, and the window with it, and a text
    that changes every frame never re-lays out the window. Its tooltip should hold the whole
    sentence. With ``policy`` Preferred it asks for its first text's width instead.
    """

    #: Texts measured and remembered; emptied past this size (numbers make new texts).
    MAX_CACHED = 200

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        policy: QSizePolicy.Policy = QSizePolicy.Policy.Ignored,
    ) -> None:
        super().__init__(parent)
        self._texts: tuple[str, ...] = ("",)
        self._widths: dict[str, int] = {}
        self.setSizePolicy(policy, QSizePolicy.Policy.Preferred)

    @property
    def texts(self) -> tuple[str, ...]:
        """Every text it may show, first choice first."""
        return self._texts

    def set_texts(self, *texts: str) -> None:
        """Show the first of ``texts`` (longest first) that fits; the last if none does."""
        if texts != self._texts:
            self._texts = texts
            self._fit()
            self.updateGeometry()

    def text_width(self, text: str) -> int:
        """The width ``text`` needs in this label, margins included."""
        width = self._widths.get(text)
        if width is None:
            if len(self._widths) >= self.MAX_CACHED:
                self._widths.clear()
            if "<" in text:  # rich text, as QLabel's AutoText guesses
                advance = html_width(text, self.font())
            else:
                advance = self.fontMetrics().horizontalAdvance(text)
            margins = self.contentsMargins()
            extra = margins.left() + margins.right() + 2 * self.margin()
            width = self._widths[text] = math.ceil(advance) + 1 + extra if text else 0
        return width

    def sizeHint(self) -> QSize:
        """As wide as the first text: what a Preferred label asks for."""
        return QSize(self.text_width(self._texts[0]), super().sizeHint().height())

    def minimumSizeHint(self) -> QSize:
        """As wide as the last text: it is never cut."""
        return QSize(self.text_width(self._texts[-1]), super().minimumSizeHint().height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        """A new width may fit a longer text, or need a shorter one."""
        super().resizeEvent(event)
        self._fit()

    def changeEvent(self, event: QEvent) -> None:
        """A style sheet may change the font, and with it every width."""
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._widths.clear()
            self._fit()

    def _fit(self) -> None:
        least = self.text_width(self._texts[-1])
        if self.minimumWidth() != least:
            self.setMinimumWidth(least)
        room = self.width()
        text = next((t for t in self._texts if self.text_width(t) <= room), self._texts[-1])
        if self.text() != text:  # a new text can re-lay out the window
            self.setText(text)

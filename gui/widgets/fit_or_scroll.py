"""A frame that is as large as its contents need, or, asked to, scrolls them.

The window's contents normally set its smallest size, so nothing is squeezed over anything
else. Presenter mode draws every font 1.6 times larger: on a small projector that can need
more than the screen, and the contents then scroll instead of running off its edge.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QSize, Qt
from PySide6.QtWidgets import QFrame, QScrollArea, QWidget


class FitOrScroll(QScrollArea):
    """Holds ``widget``: its minimum size while fitting, scroll bars while scrolling."""

    def __init__(self, widget: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("fit_or_scroll")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setWidget(widget)
        self._scrolling = False
        self._apply()

    @property
    def scrolling(self) -> bool:
        """True when the contents may be larger than this frame and scroll."""
        return self._scrolling

    def set_scrolling(self, on: bool) -> None:
        """Scroll the contents (``on``) or be as large as they need."""
        if on != self._scrolling:
            self._scrolling = on
            self._apply()
            self.updateGeometry()

    def minimumSizeHint(self) -> QSize:
        """The contents' minimum while fitting, so the window never squeezes them."""
        widget = self.widget()
        if self._scrolling or widget is None:
            return super().minimumSizeHint()
        return widget.minimumSizeHint().expandedTo(widget.minimumSize())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """A scroll area keeps its contents' new sizes to itself: while fitting, pass them
        on, or the window would keep the minimum the contents had when it was built."""
        if watched is self.widget() and event.type() == QEvent.Type.LayoutRequest:
            self.updateGeometry()
        return super().eventFilter(watched, event)

    def sizeHint(self) -> QSize:
        """The contents' own size hint."""
        widget = self.widget()
        return widget.sizeHint() if widget is not None else super().sizeHint()

    def _apply(self) -> None:
        policy = (
            Qt.ScrollBarPolicy.ScrollBarAsNeeded
            if self._scrolling
            else Qt.ScrollBarPolicy.ScrollBarAlwaysOff
        )
        self.setVerticalScrollBarPolicy(policy)
        self.setHorizontalScrollBarPolicy(policy)

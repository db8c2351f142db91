"""The pages of the nine modes in one stack, following the state's mode.

Switching is cheap by design: pages are built once; the shared views (pipeline, training)
move into the page shown (a reparent, no rebuild), and a page is given the newest trace as it
enters. Only the page shown is redrawn for each trace.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Signal
from PySide6.QtWidgets import QLayout, QStackedWidget, QWidget

from gui.modes.base import ModePage
from gui.modes.lab import Lab
from model.trace import Trace


class ModeStack(QStackedWidget):
    """``mode_stack``: one :class:`ModePage` per mode, the state's mode shown.

    Signals
    -------
    mode_shown(str)
        The page of this mode is now current (its widgets are in place; it paints next).
    """

    mode_shown = Signal(str)

    def __init__(self, lab: Lab, pages: list[type[ModePage]], parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("mode_stack")
        self._lab = lab
        self.pages: dict[str, ModePage] = {}
        for page_class in pages:
            page = page_class(lab)
            self.pages[page_class.mode_name] = page
            self.addWidget(page)
        self._current: ModePage | None = None
        lab.state.events.mode.connect(self.show_mode)
        lab.state.events.presenting.connect(self._on_presenting)
        self.show_mode(lab.state.mode)

    def sizeHint(self) -> QSize:
        """The page shown's. A stack is as large as its largest page, hidden ones too: after
        the step page had been shown, presenter mode's explore page at 1024×700 was 842 px
        tall in a 430 px view, and the room saw only the tops of the bars."""
        page = self.currentWidget()
        return page.sizeHint() if page is not None else super().sizeHint()

    def minimumSizeHint(self) -> QSize:
        """The page shown's smallest size (see :meth:`sizeHint`)."""
        page = self.currentWidget()
        if page is None:
            return super().minimumSizeHint()
        return page.minimumSizeHint().expandedTo(page.minimumSize())

    @property
    def current_page(self) -> ModePage:
        """The page shown."""
        assert self._current is not None
        return self._current

    def show_mode(self, name: str) -> None:
        """Show the page of mode ``name`` with the newest trace."""
        page = self.pages[name]
        if page is self._current:
            return
        left = self._current
        if left is not None:
            left.is_current = False
            left.leave()
        # In place before it is shown: the first paint is already the complete page.
        page.is_current = True
        page.enter(self._lab.last_trace())
        self.setCurrentWidget(page)
        self.updateGeometry()  # the size hints are the page shown's
        if left is not None:
            # A hidden page's layout keeps the minimum it had with the shared views in it:
            # the stack (as large as its largest page) would keep the window that large.
            _forget_sizes(left)
        self._current = page
        page.take_keyboard()  # a key pressed next belongs to this page, never a hidden one
        self.mode_shown.emit(name)

    def show_trace(self, trace: Trace) -> None:
        """Give a new trace to the page shown (the others take the newest when they enter)."""
        if self._current is not None:
            self._current.show_trace(trace)

    def _on_presenting(self, on: bool) -> None:
        for page in self.pages.values():
            page.set_presenting(on)
            _forget_sizes(page)  # measured in the other type size


def _forget_sizes(page: QWidget) -> None:
    """Make ``page``'s layouts measure again (hidden, they would keep their old sizes)."""
    for layout in page.findChildren(QLayout):
        layout.invalidate()
    page.updateGeometry()

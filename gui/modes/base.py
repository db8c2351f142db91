"""The base of every mode page: its key-insight box and the hooks the shell calls."""

from __future__ import annotations

from typing import ClassVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QBoxLayout, QVBoxLayout, QWidget

from gui.modes.lab import Lab
from gui.widgets.key_insight import KeyInsight
from model.insights import fixed_insight, live_insight
from model.trace import Trace


class ModePage(QWidget):
    """A learning mode: a page that arranges the live widgets of :class:`Lab`.

    The shell calls :meth:`enter` when the page becomes current (with the newest trace),
    :meth:`show_trace` for every trace while it is current (a hidden page is not redrawn),
    :meth:`leave` when another page takes over, and :meth:`set_presenting` when presenter
    mode starts or ends (pages then hide what is not essential). Subclasses set ``mode_name``
    and build their widgets under ``self.insight``, in ``self.body`` (a QVBoxLayout).
    """

    mode_name: ClassVar[str] = ""

    def __init__(self, lab: Lab, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lab = lab
        self.setObjectName(f"mode_{self.mode_name}")
        # It can hold the keyboard itself, so its own keys (A–D, ←/→) work from the start.
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.insight = KeyInsight(self.mode_name, fixed_insight(self.mode_name), self)
        self.presenting = False
        #: True from :meth:`enter` to :meth:`leave` (set by the stack): the page shown, even
        #: before the window is (``--mode presenter`` starts presenting before it shows).
        self.is_current = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.insight)
        self.body = QVBoxLayout()
        self.body.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self.body, 1)

    def enter(self, trace: Trace | None) -> None:
        """The page is shown: take the shared widgets it arranges, draw ``trace`` if any."""
        if trace is not None:
            self.show_trace(trace)

    def focus_target(self) -> QWidget:
        """What gets the keyboard when the page opens (the page itself unless overridden)."""
        return self

    def take_keyboard(self) -> None:
        """Give the keyboard to :meth:`focus_target` unless it is already on this page."""
        focused = QApplication.focusWidget()
        if focused is None or not self.isAncestorOf(focused):
            self.focus_target().setFocus(Qt.FocusReason.OtherFocusReason)

    def leave(self) -> None:
        """Another page is shown; shared widgets are taken by the next page's :meth:`enter`."""

    def show_trace(self, trace: Trace) -> None:
        """A new trace (the current page only): update the live sentence, then the page."""
        self.insight.set_live(live_insight(self.mode_name, trace, self.lab.state.settings))

    def set_presenting(self, on: bool) -> None:
        """Presenter mode started (``on``) or ended: show only what is essential, or all."""
        self.presenting = on

    @staticmethod
    def borrow(widget: QWidget, layout: QBoxLayout, stretch: int = 0, index: int = -1) -> None:
        """Take a shared ``widget`` into ``layout`` (Qt moves it from the page that had it)."""
        if layout.indexOf(widget) < 0:
            layout.insertWidget(index, widget, stretch)
        widget.show()

"""Explore: the live pipeline beside the training curves, as in parts 1 to 4."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QSplitter, QVBoxLayout, QWidget

from gui.modes.base import ModePage
from gui.modes.lab import Lab
from model.trace import Trace

#: Screens at least this high show the whole key insight beside the panels.
ROOMY_HEIGHT = 1000


class SplitPage(ModePage):
    """A page of the shared pipeline (left, two thirds) beside a column (right) that holds
    the key insight and, for explore, the shared training view."""

    #: Whether the data-flow table shows under the panels (the page may need its height).
    shows_table = True
    #: Whether the weights or curves under the bars stay in presenter mode.
    presents_below = False

    def __init__(self, lab: Lab, parent: QWidget | None = None) -> None:
        super().__init__(lab, parent)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        self.column = QWidget()
        self.column_layout = QVBoxLayout(self.column)
        self.column_layout.setContentsMargins(0, 0, 0, 0)
        # The insight reads beside the curves: above everything it would take the rows the
        # panels need at 1024×700.
        self.column_layout.addWidget(self.insight)
        self.splitter.addWidget(self.column)
        self.body.addWidget(self.splitter, 1)
        self._sized = False
        # Beside the panels the lesson wraps into many lines: folded to one on screens too
        # short for it (the learner can unfold it; it then stays so).
        screen = QGuiApplication.primaryScreen()
        height = screen.availableGeometry().height() if screen is not None else 0
        self.insight.set_expanded(height >= ROOMY_HEIGHT)
        self._expanded_before = self.insight.expanded

    def focus_target(self) -> QWidget:
        """The input cells, where a number typed next goes; in presenter mode the page
        itself, so the keys drive the lesson (a click in a cell still types)."""
        return self if self.presenting else self.lab.pipeline.input_table

    def _show_sections(self) -> None:
        """What shows under the panels: on a projector only the essentials."""
        self.lab.pipeline.show_sections(
            below=self.presents_below or not self.presenting,
            table=self.shows_table and not self.presenting,
            words=not self.presenting,
        )

    def set_presenting(self, on: bool) -> None:
        """On a projector the panels are the lesson: the tables go (the weights too), and
        the key insight spans the page above them."""
        super().set_presenting(on)
        page_layout = self.layout()
        assert isinstance(page_layout, QVBoxLayout)
        if on:
            # One line: the room hears the lesson from the teacher and the lesson bar.
            self._expanded_before = self.insight.expanded
            self.insight.set_expanded(False)
            page_layout.insertWidget(0, self.insight)
        else:
            self.insight.set_expanded(self._expanded_before)
            self.column_layout.insertWidget(0, self.insight)
        if self.is_current:
            self._show_sections()

    def enter(self, trace: Trace | None) -> None:
        """Take the pipeline into the left of the splitter (and size it 2 : 1 the first time)."""
        pipeline = self.lab.pipeline
        # Hidden while it changes and moves: shown taller for a moment in the page it left,
        # it would grow the window past a small screen for good.
        pipeline.hide()
        self._show_sections()
        if self.splitter.indexOf(pipeline) < 0:
            self.splitter.insertWidget(0, pipeline)
        pipeline.show()
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 1)
        if not self._sized:
            self._sized = True
            width = max(self.width(), self.window().width())
            self.splitter.setSizes([width * 2 // 3, width // 3])
        super().enter(trace)


class ExplorePage(SplitPage):
    """``mode_explore``: type numbers, watch every layer; train and watch the curves."""

    mode_name = "explore"
    #: The pipeline's share of the splitter's width, given back after presenter mode.
    _share = 2 / 3
    #: Presenter mode has ended and the share is not back yet (the page may not be shown).
    _share_pending = False

    def __init__(self, lab: Lab, parent: QWidget | None = None) -> None:
        super().__init__(lab, parent)
        self.splitter.splitterMoved.connect(lambda _pos, _index: self._note_share())

    def set_presenting(self, on: bool) -> None:
        """On a projector the panels have the whole width: the lesson's explore steps are
        about them (training has its own mode). Leaving gives the column its width back."""
        if on:
            self._note_share()
        super().set_presenting(on)
        self.column.setVisible(not on)
        if not on:
            # Shown back, the column came at its narrowest, and the key insight, wrapped into
            # many more lines, pushed the window past a 1080-pixel screen (seen on Xvfb).
            self._share_pending = True
            QTimer.singleShot(0, self._restore_share)

    def leave(self) -> None:
        """Note the divider's place before another page takes the pipeline."""
        self._note_share()
        super().leave()

    def _note_share(self) -> None:
        """The pipeline's share of the width, while the splitter shows both panes as the
        learner left them."""
        sizes = self.splitter.sizes()
        if self.presenting or self._share_pending or not self.column.isVisible():
            return
        if len(sizes) == 2 and min(sizes) > 0:
            self._share = sizes[0] / sum(sizes)

    def _restore_share(self) -> None:
        sizes = self.splitter.sizes()
        if self.presenting or not self.is_current or len(sizes) != 2 or sum(sizes) <= 0:
            return  # the page's next enter tries again
        self._share_pending = False
        left = round(sum(sizes) * self._share)
        self.splitter.setSizes([left, sum(sizes) - left])

    def enter(self, trace: Trace | None) -> None:
        """The pipeline on the left, the training view under the insight on the right."""
        self.lab.training.show_table(True)
        self.borrow(self.lab.training, self.column_layout, stretch=1)
        super().enter(trace)
        if self._share_pending:
            QTimer.singleShot(0, self._restore_share)

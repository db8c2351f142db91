"""The prediction's verdict: one large sentence with a right/wrong badge, and the path below.

The sentence (the pick, its probability, the task's right answer, right or wrong) and the
stage-by-stage path are computed in :mod:`model.insights`; this widget only shows them. The
badge says ✓ right or ✗ wrong in words as well as in colour, so nobody needs to tell green
from red.

Object names: ``prediction_verdict`` (the widget), ``prediction_badge``,
``prediction_sentence`` and ``prediction_path``.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from gui import theme
from gui.widgets.wrapped_label import WrappedLabel
from model.config import TrainingConfig
from model.insight_sentences import stage_path
from model.insights import prediction_is_right, prediction_sentence
from model.trace import Trace

#: The sentence's size at the 10 pt design scale: the one thing to read from the back row.
SENTENCE_POINTS = 14
PATH_POINTS = 10
WAITING = "Waiting for the model…"


class PredictionVerdict(QWidget):
    """The verdict on the network's pick for the current input (:meth:`show_trace`)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("prediction_verdict")
        self._right: bool | None = None
        self.badge = QLabel()
        self.badge.setObjectName("prediction_badge")
        self.badge.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.badge.hide()  # until there is a verdict to badge
        self.sentence = WrappedLabel(WAITING)
        self.sentence.setObjectName("prediction_sentence")
        self.sentence.setTextFormat(theme.PLAIN_TEXT)
        self.sentence.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.path = WrappedLabel()
        self.path.setObjectName("prediction_path")
        self.path.setTextFormat(theme.PLAIN_TEXT)
        self.path.setAccessibleName("The input through every stage of the network")
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.setSpacing(10)
        top.addWidget(self.badge, 0, Qt.AlignmentFlag.AlignTop)
        top.addWidget(self.sentence, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addLayout(top)
        layout.addWidget(self.path)
        self._apply_theme()
        theme.follow(self._apply_theme)

    @property
    def is_right(self) -> bool | None:
        """Whether the network's pick is the right answer (None before the first trace)."""
        return self._right

    def show_trace(self, trace: Trace, config: TrainingConfig) -> None:
        """Show the verdict on ``trace`` for ``config``'s task, and its path stage by stage."""
        self._right = prediction_is_right(trace, config)
        _set_text(self.sentence, prediction_sentence(trace, config))
        _set_text(self.path, stage_path(trace))
        _set_text(self.badge, "✓ right" if self._right else "✗ wrong")
        self.badge.setAccessibleName("Right" if self._right else "Wrong")
        self.badge.show()
        self._style_badge()

    def _apply_theme(self) -> None:
        """Fonts and colours from the theme (again whenever presenter mode scales it)."""
        big = self.font()
        big.setPointSizeF(theme.points(SENTENCE_POINTS))
        self.sentence.setFont(big)
        bold = self.font()
        bold.setPointSizeF(theme.points(SENTENCE_POINTS))
        bold.setBold(True)
        self.badge.setFont(bold)
        small = self.font()
        small.setPointSizeF(theme.points(PATH_POINTS))
        self.path.setFont(small)
        self.sentence.setStyleSheet(f"color: {theme.TEXT}")
        self.path.setStyleSheet(f"color: {theme.MUTED}")
        self._style_badge()

    def _style_badge(self) -> None:
        # The text shade of each colour: the strong colour's text (white bold on the light
        # palette's darker shades, near black on the dark one's) stays above 4.5:1 on it.
        colour = theme.text_colour(theme.PREDICTED if self._right else theme.ERROR)
        self.badge.setStyleSheet(
            f"#prediction_badge {{ background: {colour}; color: {theme.ON_STRONG}; "
            "border-radius: 4px; }"
        )
        self.badge.setMargin(6)  # a margin, not style-sheet padding: counted in its size hint


def _set_text(label: QLabel, text: str) -> None:
    """Set ``text`` only when it changed: a new text relays out the page."""
    if label.text() != text:
        label.setText(text)

"""The guided lesson's banner at the top of the presenter screen: where the lesson is, what
the teacher does now, and the question for the room.

It is read from the back of a room, on a washed-out projector: light text on the theme's
ink colour (about 15:1), the question dark on the key-insight yellow so it is the first thing
the eye finds. Every size comes from :func:`gui.theme.points`, which presenter mode scales
up; :meth:`LessonBar.apply_theme` reads sizes and colours again, and follows the theme.

objectNames (stable, for tests and assistive technology): ``lesson_bar``,
``lesson_position``, ``lesson_title``, ``lesson_show``, ``lesson_question``, ``lesson_keys``.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QFrame, QHBoxLayout, QSizePolicy, QVBoxLayout, QWidget

from gui import theme
from gui.widgets.wrapped_label import WrappedLabel
from model.lesson import LessonStep

#: The keys presenter mode answers, as a clicker-holding teacher needs reminding of them.
KEYS = ("PageDown next step", "PageUp back", "1–8 modes", "Space train", "Esc leave")
#: One line of them; where it must wrap, it wraps between keys (never "1–8 / modes").
KEYS_HINT = " · ".join(key.replace(" ", "\N{NO-BREAK SPACE}") for key in KEYS)
QUESTION_PREFIX = "Ask the room: "
#: Light text on the banner: white for what is read aloud, the palette's pale grey (at least
#: 7:1) for the rest.
_BRIGHT = "#ffffff"
#: Each line's design size (10 pt is body text), weight and accessible name.
_LINES = {
    "lesson_position": (9.5, True, "Lesson step"),
    "lesson_keys": (8.5, False, "Presenter keys"),
    "lesson_title": (15.0, True, "Step title"),
    "lesson_show": (11.0, False, "What to show"),
    "lesson_question": (12.0, True, "Question for the room"),
}
#: Room around the question inside its yellow box, at the design scale.
_QUESTION_MARGIN = 5


class _BannerLabel(WrappedLabel):
    """A wrapped label whose layout height is exactly its text's.

    QLabel's minimum size hint for long wrapped text assumes a narrower wrap than the label
    has (a two-line sentence asked for three), and layouts, which take the larger of the hint
    and the minimum, left blank bands in the banner.
    """

    def minimumSizeHint(self) -> QSize:
        """QLabel's width (the longest word), the height the text needs now."""
        return QSize(super().minimumSizeHint().width(), self.minimumHeight())


class LessonBar(QFrame):
    """A banner showing one lesson step: :meth:`show_step` fills it in.

    ``position_label`` ("Step 3 of 16 · 4 min"), ``title_label``, ``show_label`` (what the
    teacher does), ``question_label`` ("Ask the room: …") and ``keys_label`` (the keys).
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("lesson_bar")
        self.setAccessibleName("Guided lesson")
        labels = {
            name: self._make_label(name, accessible) for name, (*_, accessible) in _LINES.items()
        }
        self.position_label = labels["lesson_position"]
        self.keys_label = labels["lesson_keys"]
        self.title_label = labels["lesson_title"]
        self.show_label = labels["lesson_show"]
        self.question_label = labels["lesson_question"]
        # Short, and read at a glance: one line, never wrapped into "3 / min".
        self.position_label.setWordWrap(False)
        self.keys_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        self.keys_label.setText(KEYS_HINT)
        self._labels = labels

        top = QHBoxLayout()
        top.setSpacing(24)
        top.addWidget(self.position_label, 0, Qt.AlignmentFlag.AlignTop)
        top.addWidget(self.keys_label, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 8, 14, 10)
        layout.setSpacing(4)
        layout.addLayout(top)
        layout.addWidget(self.title_label)
        layout.addWidget(self.show_label)
        layout.addWidget(self.question_label)
        # As tall as its text: the page below gets every other pixel.
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.apply_theme()
        theme.follow(self.apply_theme)

    @staticmethod
    def _make_label(name: str, accessible: str) -> WrappedLabel:
        label = _BannerLabel()
        label.setObjectName(name)
        label.setAccessibleName(accessible)
        # The lesson file is the teacher's text: a "<" in it must not become markup.
        label.setTextFormat(theme.PLAIN_TEXT)
        return label

    def apply_theme(self) -> None:
        """Read every size and colour from the theme again (presenter mode changes them)."""
        self.setStyleSheet(
            f"#lesson_bar {{ background: {theme.BANNER}; border-radius: 6px; }}"
            f"#lesson_bar QLabel {{ color: {_BRIGHT}; background: transparent; }}"
            f"#lesson_bar #lesson_position, #lesson_bar #lesson_keys "
            f"{{ color: {theme.BANNER_SOFT}; }}"
            f"#lesson_bar #lesson_question {{ color: {theme.TEXT}; "
            f"background: {theme.INSIGHT_BACKGROUND}; border-radius: 4px; }}"
        )
        for name, (design_points, bold, _) in _LINES.items():
            font = QFont(self.font())
            font.setPointSizeF(theme.points(design_points))
            font.setBold(bold)
            self._labels[name].setFont(font)
        self.question_label.setMargin(round(_QUESTION_MARGIN * theme.scale()))

    def show_step(self, step: LessonStep, position_text: str) -> None:
        """Show ``step``; ``position_text`` is where it is in the lesson ("Step 3 of 16")."""
        self.position_label.setText(f"{position_text} · {step.minutes} min")
        self.title_label.setText(step.title)
        self.show_label.setText(step.show)
        self.question_label.setText(f"{QUESTION_PREFIX}{step.question}")
        self.setAccessibleDescription(f"{position_text}: {step.title}")

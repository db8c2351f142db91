"""What the gradients say, as a bulleted list of plain sentences.

The sentences come from :func:`model.insights.gradient_report`: where ∂L/∂z is largest, which
units pass (almost) none and why, how its size changes on the way back, and what the loss
means. The largest gradient's sentence is drawn in the gradient bars' colour and in bold, so
it is found at a glance and still stands out without colour.

Object names: ``gradient_report`` (the widget) and ``gradient_finding_<i>`` for each sentence;
the highlighted one's accessible description is "the largest gradient".
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QLabel, QWidget

from gui import theme
from gui.widgets.wrapped_label import WrappedLabel
from model.insights import Finding, gradient_report
from model.trace import Trace

#: The finding drawn in the gradient colour: where |∂L/∂z| is largest.
HIGHLIGHTED = "largest"
BULLET = "•"
#: The findings' size at the 10 pt design scale: body text.
BODY_POINTS = 10


class GradientReport(QWidget):
    """The findings of one trace's gradients, one bullet each (:meth:`show_trace`)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("gradient_report")
        self._findings: list[Finding] = []
        self._bullets: list[QLabel] = []
        self._labels: list[WrappedLabel] = []
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setHorizontalSpacing(6)
        self._grid.setVerticalSpacing(4)
        self._grid.setColumnStretch(1, 1)
        theme.follow(self._apply_theme)

    @property
    def findings(self) -> list[str]:
        """The sentences shown now, in order (empty before the first trace)."""
        return [finding.text for finding in self._findings]

    @property
    def highlighted(self) -> str:
        """The sentence drawn in the gradient colour ("" when there is none)."""
        return next((f.text for f in self._findings if f.kind == HIGHLIGHTED), "")

    def show_trace(self, trace: Trace) -> None:
        """Show what the gradients of ``trace`` say (or that they need a target)."""
        findings = gradient_report(trace)
        if findings == self._findings:
            return
        self._findings = findings
        while len(self._labels) < len(findings):
            self._add_row()
        for row, (bullet, label) in enumerate(zip(self._bullets, self._labels, strict=True)):
            shown = row < len(findings)
            bullet.setVisible(shown)
            label.setVisible(shown)
            if shown and label.text() != findings[row].text:
                label.setText(findings[row].text)
        self._apply_theme()

    def _add_row(self) -> None:
        row = len(self._labels)
        bullet = QLabel(BULLET)
        bullet.setAlignment(Qt.AlignmentFlag.AlignTop)
        label = WrappedLabel()
        label.setObjectName(f"gradient_finding_{row}")
        label.setTextFormat(theme.PLAIN_TEXT)
        label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self._grid.addWidget(bullet, row, 0, Qt.AlignmentFlag.AlignTop)
        self._grid.addWidget(label, row, 1)
        self._bullets.append(bullet)
        self._labels.append(label)

    def _apply_theme(self) -> None:
        """Fonts and colours from the theme (again whenever presenter mode scales it).

        Fonts are set, not styled: a style sheet's font freezes the size it was polished at,
        and would stay small when presenter mode enlarges everything else.
        """
        for row, (bullet, label) in enumerate(zip(self._bullets, self._labels, strict=True)):
            key = row < len(self._findings) and self._findings[row].kind == HIGHLIGHTED
            font = label.font()
            font.setPointSizeF(theme.points(BODY_POINTS))
            font.setBold(key)
            style = f"color: {theme.GRADIENT if key else theme.TEXT}"
            for widget in (bullet, label):
                if widget.font() != font:
                    widget.setFont(font)
                if widget.styleSheet() != style:
                    widget.setStyleSheet(style)
            label.setAccessibleDescription("the largest gradient" if key else "")

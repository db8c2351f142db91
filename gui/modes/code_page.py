"""The Code mode: the PyTorch script of the learner's very network, highlighted, to copy.

The script comes from :func:`model.code_export.pytorch_script`; this page only shows it.
Pygments colours it (a maintained highlighter, not one of ours) as inline-styled HTML, which
QTextBrowser renders without a style sheet.

objectNames: ``code_view`` (the script), ``code_copy`` (Copy), ``code_copy_status`` (the
"copied" note), ``code_include_weights`` (the weights check box), ``code_caption``.
"""

from __future__ import annotations

from typing import ClassVar

import shiboken6
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import PythonLexer
from PySide6.QtCore import QTimer
from PySide6.QtGui import QColor, QFont, QFontDatabase, QGuiApplication, QPalette, QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTextBrowser,
    QTextEdit,
    QWidget,
)

from gui import theme
from gui.modes.base import ModePage
from gui.modes.lab import Lab
from gui.widgets.wrapped_label import WrappedLabel
from model.code_export import pytorch_script, trace_command
from model.config import Pipeline
from model.trace import FloatArray, Trace

#: Pygments' "xcode" colours all reach 4.5:1 against its white background (WCAG AA; a test
#: keeps it so): readable on a washed-out projector, unlike most light styles' grey comments.
PYGMENTS_STYLE = "xcode"
#: The same for the dark palette: "lightbulb" reaches 4.5:1 against its dark background.
DARK_PYGMENTS_STYLE = "lightbulb"
#: The code font at the 10 pt design scale (the theme scales it with the screen).
CODE_POINTS = 10.0
#: How long the "copied" note stays.
COPIED_NOTE_MS = 2500


def highlighted_html(script: str) -> str:
    """``script`` as HTML with inline colours (no classes: QTextBrowser has no style sheet)."""
    formatter = HtmlFormatter(noclasses=True, style=_pygments_style())
    return str(highlight(script, PythonLexer(), formatter))


def code_background() -> str:
    """The highlighting style's background, which its colours' contrast was measured on."""
    return str(HtmlFormatter(style=_pygments_style()).style.background_color)


def _pygments_style() -> str:
    return DARK_PYGMENTS_STYLE if theme.dark() else PYGMENTS_STYLE


class CodePage(ModePage):
    """The script that rebuilds and runs the current pipeline, with a Copy button.

    It follows the pipeline in ``lab.state`` and, for the input values (and, with
    ``code_include_weights`` ticked, the weights), the newest trace. The view is rewritten
    only when the script's text changes, and keeps its scroll position.
    """

    mode_name: ClassVar[str] = "code"

    def __init__(self, lab: Lab, parent: QWidget | None = None) -> None:
        super().__init__(lab, parent)
        self._trace: Trace | None = lab.last_trace()
        self.script = ""
        self._html_stale = False
        self.caption = WrappedLabel()
        self.caption.setObjectName("code_caption")
        self.caption.setTextFormat(theme.PLAIN_TEXT)
        self.include_weights = QCheckBox("Use the current weights")
        self.include_weights.setObjectName("code_include_weights")
        self.include_weights.setToolTip(
            "Write the network's current weights into the script instead of the untrained "
            "identity weights"
        )
        self.copy_status = QLabel()
        self.copy_status.setObjectName("code_copy_status")
        self.copy_button = QPushButton("Copy")
        self.copy_button.setObjectName("code_copy")
        self.copy_button.setToolTip("Copy the script to the clipboard")
        row = QHBoxLayout()
        row.addWidget(self.include_weights)
        row.addStretch(1)
        row.addWidget(self.copy_status)
        row.addWidget(self.copy_button)
        self.code_view = QTextBrowser()
        self.code_view.setObjectName("code_view")
        self.code_view.setOpenLinks(False)
        self.code_view.setLineWrapMode(QTextEdit.LineWrapMode.NoWrap)
        self.code_view.setAccessibleName("PyTorch script")
        self.body.addWidget(self.caption)
        self.body.addLayout(row)
        self.body.addWidget(self.code_view, 1)
        self._copied_timer = QTimer(self)
        self._copied_timer.setSingleShot(True)
        self._copied_timer.setInterval(COPIED_NOTE_MS)
        self._copied_timer.timeout.connect(self.copy_status.clear)
        self.copy_button.clicked.connect(self._on_copy_clicked)
        self.include_weights.toggled.connect(self._on_include_weights_toggled)
        lab.state.events.pipeline.connect(self._on_state_pipeline)
        self._apply_font()
        self._refresh()
        theme.follow(self._on_theme_changed)

    def _on_theme_changed(self) -> None:
        """Another palette or size: the colours of the highlighting change with it."""
        if not shiboken6.isValid(self):
            return
        self._apply_font()
        self._html_stale = True
        self._refresh()

    def showEvent(self, event: QShowEvent) -> None:
        """Highlight the script now if it changed while the page was hidden."""
        super().showEvent(event)
        if self._html_stale:
            self._refresh()

    def show_trace(self, trace: Trace) -> None:
        """A new trace: its inputs (and weights, when ticked) may change the script."""
        super().show_trace(trace)
        self._trace = trace
        self._refresh()

    def set_presenting(self, on: bool) -> None:
        """On a projector only the code and Copy matter: the caption goes."""
        super().set_presenting(on)
        self.caption.setVisible(not on)
        self._apply_font()

    def _on_state_pipeline(self, pipeline: Pipeline) -> None:
        del pipeline  # read from the state with everything else in _refresh
        self._refresh()

    def _on_include_weights_toggled(self, checked: bool) -> None:
        del checked
        self._refresh()

    def _on_copy_clicked(self) -> None:
        clipboard = QGuiApplication.clipboard()
        clipboard.setText(self.script)
        self.copy_status.setText(f"Copied {self.script.count(chr(10))} lines to the clipboard")
        self._copied_timer.start()

    def _apply_font(self) -> None:
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setStyleHint(QFont.StyleHint.TypeWriter)
        font.setPointSizeF(theme.points(CODE_POINTS))
        self.code_view.document().setDefaultFont(font)

    def _refresh(self) -> None:
        """Rewrite the script for the current state; redraw only if its text changed."""
        pipeline = self.lab.state.pipeline
        trace = self._trace
        inputs = trace.stages[0].values if trace is not None else self.lab.inputs.values
        weights = self._current_weights(pipeline)
        script = pytorch_script(pipeline, inputs, weights)
        self.caption.setText(self._caption(pipeline, inputs, weights is not None))
        if script == self.script and not self._html_stale:
            return
        self.script = script
        if not self.isVisible():
            # Highlighting costs a tenth of a second (Pygments compiles its lexer): done when
            # the page is shown, not while the window starts or the page is hidden.
            self._html_stale = True
            return
        self._html_stale = False
        vertical = self.code_view.verticalScrollBar()
        horizontal = self.code_view.horizontalScrollBar()
        position = (vertical.value(), horizontal.value())
        self.code_view.setHtml(highlighted_html(script))
        # The whole view in the style's background: Qt paints the HTML's background line by
        # line, and the view's own showed between the lines as stripes on the dark palette.
        palette = self.code_view.palette()
        palette.setColor(QPalette.ColorRole.Base, QColor(code_background()))
        self.code_view.setPalette(palette)
        # setHtml scrolls back to the top; the learner's place in the script is kept.
        vertical.setValue(position[0])
        horizontal.setValue(position[1])

    def _current_weights(self, pipeline: Pipeline) -> list[tuple[FloatArray, FloatArray]] | None:
        """The newest trace's (weight, bias) per layer when ticked and of this pipeline."""
        trace = self._trace
        if not self.include_weights.isChecked() or trace is None:
            return None
        if trace.activations != pipeline.activations or trace.temperature != pipeline.temperature:
            return None  # traced before the pipeline changed: its weights are not this network's
        layers = []
        for stage in trace.stages[1:]:
            if stage.weight is None or stage.bias is None:
                return None
            layers.append((stage.weight, stage.bias))
        return layers

    def _caption(self, pipeline: Pipeline, inputs: tuple[float, ...], weighted: bool) -> str:
        """One line: which network the script builds and which numbers it prints."""
        if weighted:
            return (
                f"Plain PyTorch: {pipeline.label} with the current weights; it prints the stages "
                f"the lab shows for this input."
            )
        waiting = (
            " (the current weights follow with the next trace)"
            if self.include_weights.isChecked()
            else ""
        )
        return (
            f"Plain PyTorch: {pipeline.label}, untrained{waiting}. It prints the same table as "
            f"{trace_command(pipeline, inputs)}"
        )

"""The bar that says the model process has stopped, and offers to start it again.

Until the learner restarts it, the window keeps every input, setting and curve, and the stage
panels say that their bars are stale (an edited cell would otherwise show 7 while the bars
still show 2).
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QPushButton, QWidget

from gui import theme
from gui.widgets.wrapped_label import WrappedLabel


class ModelProblemBar(QFrame):
    """A message and a "Restart the model" button (``restart_model_button``).

    Signals
    -------
    restart_clicked()
        The learner asked for a new model process.
    """

    restart_clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("model_problem_bar")
        self.setAccessibleName("Model problem")
        self._message = WrappedLabel(lines=2)
        self._message.setObjectName("model_problem_message")
        self._apply_theme()
        theme.follow(self._apply_theme)
        self.restart_button = QPushButton("Restart the model")
        self.restart_button.setObjectName("restart_model_button")
        self.restart_button.setToolTip(
            "Start a new model process with the same inputs and settings; training carries on "
            "from the last finished epoch"
        )
        self.restart_button.clicked.connect(self.restart_clicked)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addWidget(self._message, 1)
        layout.addWidget(self.restart_button)
        self.hide()

    def _apply_theme(self) -> None:
        """The palette's pale red bar with the error colour's text."""
        self.setStyleSheet(
            f"#model_problem_bar {{ background: {theme.PROBLEM_BACKGROUND}; "
            f"border: 1px solid {theme.PROBLEM_BORDER}; }}"
        )
        self._message.setStyleSheet(f"color: {theme.ERROR}")

    @property
    def message(self) -> str:
        """What the bar says."""
        return self._message.text()

    def show_problem(self, message: str, *, can_restart: bool = True) -> None:
        """Show ``message``; the button is offered when a restart can help."""
        self._message.setText(f"⚠ {message}")
        self.restart_button.setVisible(can_restart)
        self.restart_button.setEnabled(can_restart)
        self.show()

    def show_restarting(self) -> None:
        """Say that a new model process is loading; the button waits for it."""
        self._message.setText("Restarting the model process: loading PyTorch…")
        self.restart_button.setEnabled(False)
        self.show()

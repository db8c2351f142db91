"""Gradients on or off, the class they are taken against, and the loss that results.

The gradients answer "what would make the network more right about this input?": the loss is
cross-entropy against a target class (by default the task's right answer for the input), and
every stage's bars show how the loss changes with that stage's z.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QComboBox, QLabel, QWidget

from gui import theme
from gui.number_format import number_text
from model.trace import Trace

CLASSES = 4


class GradientControls(QObject):
    """``action_show_gradients`` (with its check box), ``target_combo`` and ``loss_label``.

    Signals
    -------
    target_chosen(object)
        The class (0-3) to take gradients against, or None for the task's answer.
    """

    target_chosen = Signal(object)

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.action_show_gradients = QAction("Show &gradients", parent)
        self.action_show_gradients.setObjectName("action_show_gradients")
        self.action_show_gradients.setCheckable(True)
        self.action_show_gradients.setShortcut(QKeySequence("Ctrl+G"))
        self.action_show_gradients.setToolTip(
            "Show under each panel the gradient of the loss with respect to its z (Ctrl+G)"
        )
        self.target = QComboBox(parent)
        self.target.setObjectName("target_combo")
        # "the right answer (class 3)" grows after the first trace: the box grows with it.
        self.target.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.target.setAccessibleName("Target class of the loss")
        self.target.setToolTip(
            "The class the loss is measured against: by default the task's right answer for "
            "these inputs"
        )
        self.target.addItem("right answer", None)
        for index in range(CLASSES):
            self.target.addItem(f"class {index + 1}", index)
        self.target.activated.connect(lambda _: self.target_chosen.emit(self.target.currentData()))
        self.loss_label = QLabel("loss —")
        self.loss_label.setObjectName("loss_label")
        self.loss_label.setStyleSheet(f"color: {theme.TEXT}")
        self.loss_label.setToolTip("Cross-entropy of the output against the target class")

    def show_trace(self, trace: Trace) -> None:
        """Say the loss of ``trace`` and, for the default target, which class that is."""
        if trace.target is None or trace.loss is None:
            text = "loss —"
        else:
            text = f"loss {number_text(trace.loss, '.3f')} (class {trace.target + 1})"
        if self.loss_label.text() != text:
            self.loss_label.setText(text)
        if self.target.currentData() is None and trace.target is not None:
            label = f"right answer: {trace.target + 1}"
            if self.target.itemText(0) != label:
                self.target.setItemText(0, label)

"""The learner's choice of network: an activation per hidden layer and softmax's temperature.

Each picker sits in the title row of the panel it changes, so "what does GELU do here?" is
asked where its bars are. A pick is a whole new network, so it starts the run over, like any
other training setting; the window sends it to the model and the panels follow the answer.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QComboBox, QDoubleSpinBox, QWidget

from model.activations import (
    HIDDEN_ACTIVATIONS,
    MAX_TEMPERATURE,
    MIN_TEMPERATURE,
    get_activation,
)
from model.config import Pipeline

#: Positions of the hidden layers, as every widget repeated per layer is named.
HIDDEN_KEYS = ("layer1", "layer2")


def add_hidden_activations(combo: QComboBox) -> None:
    """Every activation a hidden layer may use, each with its meaning and caution as tooltip."""
    for index, name in enumerate(HIDDEN_ACTIVATIONS):
        activation = get_activation(name)
        combo.addItem(name, name)
        combo.setItemData(
            index,
            f"{activation.meaning}.\nWatch out: {activation.caution}.",
            Qt.ItemDataRole.ToolTipRole,
        )


class PipelinePicker(QObject):
    """``activation_combo_layer1``, ``activation_combo_layer2`` and ``temperature_spin``.

    Signals
    -------
    pipeline_chosen(object)
        The learner picked a new :class:`Pipeline` (it differs from the one shown).
    """

    pipeline_chosen = Signal(object)

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self._pipeline = Pipeline()
        self.combos = [self._make_combo(key, layer) for layer, key in enumerate(HIDDEN_KEYS, 1)]
        self.temperature = QDoubleSpinBox(parent)
        self.temperature.setObjectName("temperature_spin")
        self.temperature.setAccessibleName("Softmax temperature")
        self.temperature.setRange(MIN_TEMPERATURE, MAX_TEMPERATURE)
        self.temperature.setDecimals(2)
        self.temperature.setSingleStep(0.25)
        self.temperature.setPrefix("T = ")
        self.temperature.setValue(self._pipeline.temperature)
        self.temperature.setKeyboardTracking(False)  # typed digits apply on Enter
        self.temperature.setToolTip(
            f"Softmax temperature T, {MIN_TEMPERATURE:g} to {MAX_TEMPERATURE:g}: softmax(z / T). "
            f"{get_activation('Softmax').caution}. Changing it starts the run over."
        )
        self.temperature.valueChanged.connect(self._on_changed)
        self.set_pipeline(self._pipeline)

    def _make_combo(self, key: str, layer: int) -> QComboBox:
        combo = QComboBox(self.parent())  # type: ignore[arg-type]
        combo.setObjectName(f"activation_combo_{key}")
        combo.setAccessibleName(f"Activation of hidden layer {layer}")
        combo.setToolTip(f"The activation of hidden layer {layer}; changing it starts the run over")
        add_hidden_activations(combo)
        combo.activated.connect(self._on_changed)
        return combo

    @property
    def pipeline(self) -> Pipeline:
        """The pipeline the pickers show."""
        return self._pipeline

    def set_pipeline(self, pipeline: Pipeline) -> None:
        """Show ``pipeline`` without announcing it (it came from the model)."""
        self._pipeline = pipeline
        for combo, name in zip(self.combos, pipeline.activations[:-1], strict=True):
            combo.blockSignals(True)
            combo.setCurrentIndex(combo.findData(name))
            combo.blockSignals(False)
        self.temperature.blockSignals(True)
        self.temperature.setValue(pipeline.temperature)
        self.temperature.blockSignals(False)

    def _chosen(self) -> Pipeline:
        hidden = tuple(str(combo.currentData()) for combo in self.combos)
        output = self._pipeline.activations[-1]
        return Pipeline((*hidden, output), round(self.temperature.value(), 2))

    def _on_changed(self) -> None:
        chosen = self._chosen()
        if chosen != self._pipeline:
            self._pipeline = chosen
            self.pipeline_chosen.emit(chosen)

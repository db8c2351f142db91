"""The lesson on screen at once: the untrained network's stages are known before PyTorch is,
so the first frame shows them; the model's own trace agrees; a Space pressed while PyTorch
loads starts training once it is ready."""

from __future__ import annotations

import numpy as np
import pytest

from model.activations import HIDDEN_ACTIVATIONS
from model.config import DEFAULT_INPUTS, Pipeline
from model.pure_pipeline import pure_trace
from tests.conftest import MODEL_READY_TIMEOUT_MS

_INPUTS = [
    DEFAULT_INPUTS,
    (-30.0, 25.0, 0.0, 1e-7),
    (1e6, -1e6, 3.0, -3.0),
    (-0.5, -2.0, -40.0, 0.25),
]


@pytest.mark.parametrize("first", HIDDEN_ACTIVATIONS)
def test_the_pure_pipeline_agrees_with_pytorch(first: str) -> None:
    """Every pair of hidden activations, three temperatures, ordinary and extreme inputs."""
    from model.network import trace_inputs

    for second in HIDDEN_ACTIVATIONS:
        for temperature in (0.05, 1.0, 20.0):
            pipeline = Pipeline((first, second, "Softmax"), temperature)
            for inputs in _INPUTS:
                ours = pure_trace(inputs, pipeline)
                theirs = trace_inputs(inputs, pipeline.activations, temperature)
                assert ours.activations == theirs.activations
                for mine, torch_stage in zip(ours.stages, theirs.stages, strict=True):
                    np.testing.assert_allclose(
                        mine.values, torch_stage.values, rtol=1e-12, atol=1e-15
                    )
                    if torch_stage.pre_activation is not None:
                        np.testing.assert_allclose(  # a BLAS product may round the last bit
                            mine.pre_activation, torch_stage.pre_activation, rtol=1e-12, atol=1e-15
                        )
                        assert np.array_equal(mine.weight, torch_stage.weight)
                        assert np.array_equal(mine.bias, torch_stage.bias)


def test_the_handout_numbers_are_the_pure_pipeline() -> None:
    trace = pure_trace(DEFAULT_INPUTS, Pipeline())
    rounded = [tuple(round(v, 3) for v in stage.values) for stage in trace.stages]
    assert rounded[1] == (2.0, 0.0, 0.5, 3.0)
    assert rounded[2] == (0.881, 0.5, 0.622, 0.953)
    assert rounded[3] == (0.283, 0.194, 0.219, 0.304)


def test_the_first_frame_shows_the_stages_before_pytorch(qtbot) -> None:  # type: ignore[no-untyped-def]
    import main

    window = main.build_window()
    qtbot.addWidget(window)
    # Built, not yet shown, and PyTorch not loaded: the stages are there already.
    assert not window.is_model_ready
    assert window.last_trace is None  # the model's trace, when it comes
    first = window.first_frame_trace
    assert first.stages[0].values == DEFAULT_INPUTS
    assert window.panels[-1].heights == pytest.approx(first.stages[-1].values)
    assert "loading" in window.controls.action_step.toolTip().lower()
    window.show()
    qtbot.waitUntil(
        lambda: window.is_model_ready and window.last_trace is not None,
        timeout=MODEL_READY_TIMEOUT_MS,
    )
    model_trace = window.last_trace
    for mine, theirs in zip(first.stages, model_trace.stages, strict=True):
        np.testing.assert_allclose(mine.values, theirs.values, rtol=1e-12)
    assert model_trace.stages[1].derivative is not None  # autograd's rows arrive with it
    window.close()


def test_space_while_loading_trains_once_ready(qtbot) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    import main

    window = main.build_window()
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)
    window.input_table.setFocus()
    # Importing PyTorch takes the model process well over a second: still loading here.
    assert not window.is_model_ready
    assert window.controls.action_train.isEnabled()  # it waits for the model, not refuses
    assert not window.controls.action_step.isEnabled()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Space)
    assert window.controls.action_train.isChecked(), "Space while loading was lost"
    qtbot.waitUntil(lambda: window.epochs.rowCount() >= 1, timeout=MODEL_READY_TIMEOUT_MS)
    assert window.controls.action_train.isChecked()
    window.controls.action_train.setChecked(False)
    window.close()

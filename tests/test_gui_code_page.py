"""The Code page alone, with a plain LabState and hand-made traces (no window, no model process).

What is checked is what a learner sees or pastes: the view's colours and text, the clipboard,
the caption; the script itself is proven runnable in ``test_code_export.py``.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest
import torch
from PySide6.QtGui import QColor, QFontMetricsF, QGuiApplication, QTextDocument

from gui import theme
from gui.modes.code_page import CODE_POINTS, CodePage
from gui.modes.lab import Lab
from gui.widgets.input_table import InputTableModel
from model.code_export import pytorch_script
from model.config import DEFAULT_INPUTS, Pipeline
from model.lab_state import LabState
from model.network import ActivationNet, trace_inputs
from model.trace import Trace

TANH_GELU = Pipeline(("Tanh", "GELU", "Softmax"), 0.5)
INPUTS = (1.5, -0.25, 0.0, 4.0)


def trained_trace(pipeline: Pipeline, seed: int = 0) -> Trace:
    """A trace of ``INPUTS`` through ``pipeline`` with random (non-identity) weights."""
    network = ActivationNet(pipeline.activations, temperature=pipeline.temperature)
    generator = torch.Generator().manual_seed(seed)
    count = network.flat_weights().numel()
    network.load_flat_weights(torch.randn(count, generator=generator, dtype=torch.float64))
    return network.trace(INPUTS)


@pytest.fixture
def make_page(qtbot):  # type: ignore[no-untyped-def]
    """Build a CodePage over a fresh LabState set to ``pipeline``, showing ``trace``."""

    def make(pipeline: Pipeline, trace: Trace | None) -> tuple[CodePage, LabState]:
        state = LabState()
        state.pipeline = pipeline
        lab = Lab(
            state=state,
            inputs=InputTableModel(DEFAULT_INPUTS),
            pipeline=None,  # type: ignore[arg-type]
            training=None,  # type: ignore[arg-type]
            controls=None,  # type: ignore[arg-type]
            last_trace=lambda: trace,
        )
        page = CodePage(lab)
        qtbot.addWidget(page)
        page.show()  # the page highlights its script only while shown
        if trace is not None:
            page.enter(trace)
        return page, state

    return make


def colours(document: QTextDocument) -> list[str]:
    """The foreground colour of every non-blank run of text in ``document``."""
    found = []
    block = document.begin()
    while block.isValid():
        iterator = block.begin()
        while not iterator.atEnd():
            fragment = iterator.fragment()
            if fragment.text().strip():
                found.append(fragment.charFormat().foreground().color().name())
            iterator += 1
        block = block.next()
    return found


def contrast(colour: str, background: str = "#ffffff") -> float:
    """WCAG contrast ratio of two colours."""

    def luminance(name: str) -> float:
        channels = QColor(name).getRgbF()[:3]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    high, low = sorted((luminance(colour), luminance(background)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_view_shows_the_script_highlighted(make_page: Callable[..., tuple[CodePage, LabState]]):
    """The view holds the script's text in several high-contrast colours (keywords apart)."""
    trace = trace_inputs(DEFAULT_INPUTS, TANH_GELU.activations, TANH_GELU.temperature)
    page, _ = make_page(TANH_GELU, trace)
    expected = pytorch_script(TANH_GELU, DEFAULT_INPUTS)
    assert page.script == expected
    document = page.code_view.document()
    assert document.toPlainText().rstrip() == expected.rstrip()
    found = colours(document)
    assert len(set(found)) >= 4, set(found)
    assert all(contrast(colour) >= 4.5 for colour in found), sorted(set(found))
    assert page.code_view.isReadOnly()
    font = document.defaultFont()
    metrics = QFontMetricsF(font)
    assert metrics.horizontalAdvance("i") == metrics.horizontalAdvance("W"), "not monospace"
    assert font.pointSizeF() == pytest.approx(theme.points(CODE_POINTS))
    caption = page.caption.text()
    assert "python main.py --trace 2,-1,0.5,3 --activations Tanh,GELU,Softmax" in caption
    assert "--temperature 0.5" in caption


def test_copy_puts_the_plain_script_on_the_clipboard(
    make_page: Callable[..., tuple[CodePage, LabState]], qtbot
) -> None:
    """Copy gives exactly the script (no HTML), says so, and the note goes away again."""
    page, _ = make_page(Pipeline(), trace_inputs(INPUTS))
    QGuiApplication.clipboard().setText("something else")
    page.copy_button.click()
    assert QGuiApplication.clipboard().text() == pytorch_script(Pipeline(), INPUTS)
    assert "Copied" in page.copy_status.text()
    qtbot.waitUntil(lambda: page.copy_status.text() == "", timeout=10_000)


def test_weights_checkbox_writes_the_trace_weights(
    make_page: Callable[..., tuple[CodePage, LabState]],
) -> None:
    """Ticked, the script holds the newest trace's weights as literals; unticked, identity."""
    trace = trained_trace(TANH_GELU)
    page, _ = make_page(TANH_GELU, trace)
    assert "nn.init.eye_" in page.script
    page.include_weights.setChecked(True)
    weights = [(stage.weight, stage.bias) for stage in trace.stages[1:]]
    assert page.script == pytorch_script(TANH_GELU, INPUTS, weights)
    assert "WEIGHT_1 = torch.tensor(" in page.code_view.toPlainText()
    assert repr(float(trace.stages[2].weight[1, 3])) in page.code_view.toPlainText()
    assert "current weights" in page.caption.text()
    page.copy_button.click()
    assert QGuiApplication.clipboard().text() == page.script
    newer = trained_trace(TANH_GELU, seed=1)
    page.show_trace(newer)  # every trace, while ticked
    assert repr(float(newer.stages[1].bias[0])) in page.script
    page.include_weights.setChecked(False)
    assert page.script == pytorch_script(TANH_GELU, INPUTS)


def test_pipeline_change_regenerates(make_page: Callable[..., tuple[CodePage, LabState]]) -> None:
    """A pipeline set in the state rewrites the script; old weights are not mixed in."""
    page, state = make_page(Pipeline(), trained_trace(Pipeline()))
    page.include_weights.setChecked(True)
    assert "WEIGHT_1" in page.script
    state.pipeline = Pipeline(("GELU", "ELU", "Softmax"), 2.0)
    text = page.code_view.toPlainText()
    assert "nn.GELU()" in text
    assert "nn.ELU(alpha=1.0)" in text
    assert "TEMPERATURE = 2.0" in text
    # The newest trace is still of ReLU → Sigmoid: its weights are not this network's.
    assert "WEIGHT_1" not in page.script
    assert "next trace" in page.caption.text()
    page.show_trace(trained_trace(state.pipeline))
    assert "WEIGHT_1" in page.script
    assert "nn.GELU()" in page.script


def test_unchanged_text_is_not_redrawn_and_scroll_is_kept(
    make_page: Callable[..., tuple[CodePage, LabState]], qtbot
) -> None:
    """Same script: the document is left alone. New script: the learner's place is kept."""
    trace = trace_inputs(INPUTS, TANH_GELU.activations, TANH_GELU.temperature)
    page, state = make_page(TANH_GELU, trace)
    page.resize(900, 500)
    page.show()
    qtbot.waitExposed(page)
    bar = page.code_view.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 200)
    bar.setValue(bar.maximum() // 2)
    place = bar.value()
    changes: list[int] = []
    page.code_view.document().contentsChanged.connect(lambda: changes.append(1))
    page.show_trace(trace_inputs(INPUTS, TANH_GELU.activations, TANH_GELU.temperature))
    assert changes == []
    state.pipeline = Pipeline(TANH_GELU.activations, 0.25)
    assert changes, "the new temperature was not written"
    assert "TEMPERATURE = 0.25" in page.code_view.toPlainText()
    assert bar.value() == place


def test_presenting_hides_the_caption(make_page: Callable[..., tuple[CodePage, LabState]]) -> None:
    """Presenter mode keeps the code and Copy, drops the caption; leaving brings it back."""
    page, _ = make_page(Pipeline(), None)
    assert page.script == pytorch_script(Pipeline(), DEFAULT_INPUTS)  # no trace yet: the cells
    page.set_presenting(True)
    assert not page.caption.isVisibleTo(page)
    assert page.code_view.isVisibleTo(page)
    assert page.copy_button.isVisibleTo(page)
    page.set_presenting(False)
    assert page.caption.isVisibleTo(page)


def test_weights_round_trip_through_the_view(
    make_page: Callable[..., tuple[CodePage, LabState]],
) -> None:
    """Every weight shown parses back to the exact float the trace holds."""
    trace = trained_trace(Pipeline(), seed=4)
    page, _ = make_page(Pipeline(), trace)
    page.include_weights.setChecked(True)
    text = page.code_view.toPlainText()
    namespace: dict[str, object] = {}
    start = text.index("# Layer 1")
    end = text.index("LAYERS = ")
    exec(text[start:end], {"torch": torch, "DTYPE": torch.float64}, namespace)
    for number, stage in enumerate(trace.stages[1:], start=1):
        weight = namespace[f"WEIGHT_{number}"]
        assert isinstance(weight, torch.Tensor)
        np.testing.assert_array_equal(weight.numpy(), stage.weight)


def test_a_hidden_page_highlights_only_when_shown(make_page) -> None:  # type: ignore[no-untyped-def]
    """Hidden (the window starting, another mode shown), the page keeps the script but puts
    off the highlighting; shown, it displays the newest script."""
    page, state = make_page(Pipeline(), None)
    page.hide()
    state.pipeline = Pipeline(("Tanh", "GELU", "Softmax"), 0.5)
    assert "nn.Tanh()" in page.script
    assert "nn.Tanh()" not in page.code_view.toPlainText()
    page.show()
    assert page.code_view.toPlainText().rstrip() == page.script.rstrip()

"""The prediction verdict, the gradient report and the key-insight box, each alone with real
traces of the untrained network (no window, no model process)."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QWidget

from gui import theme
from gui.modes.base import ModePage
from gui.modes.lab import Lab
from gui.widgets.gradient_report import GradientReport
from gui.widgets.input_table import InputTableModel
from gui.widgets.prediction_verdict import PredictionVerdict
from gui.widgets.wrapped_label import WrappedLabel
from model.config import DEFAULT_INPUTS, TrainingConfig
from model.insights import gradient_findings, prediction_sentence
from model.lab_state import LabState
from model.network import trace_inputs
from model.trace import Trace

SMALLEST = TrainingConfig(task="smallest")
LARGEST = TrainingConfig(task="largest")


@pytest.fixture
def verdict(qtbot) -> PredictionVerdict:  # type: ignore[no-untyped-def]
    widget = PredictionVerdict()
    qtbot.addWidget(widget)
    widget.resize(700, 200)
    widget.show()
    return widget


@pytest.fixture
def report(qtbot) -> GradientReport:  # type: ignore[no-untyped-def]
    widget = GradientReport()
    qtbot.addWidget(widget)
    widget.resize(700, 400)
    widget.show()
    return widget


def shown_findings(report: GradientReport) -> list[WrappedLabel]:
    labels = report.findChildren(WrappedLabel)
    return sorted(
        (label for label in labels if label.isVisibleTo(report)),
        key=lambda label: label.objectName(),
    )


def test_verdict_says_wrong_for_the_smallest_task(verdict: PredictionVerdict, qtbot) -> None:  # type: ignore[no-untyped-def]
    assert verdict.is_right is None
    badge = verdict.findChild(QWidget, "prediction_badge")
    assert not badge.isVisibleTo(verdict)
    trace = trace_inputs(DEFAULT_INPUTS)
    verdict.show_trace(trace, SMALLEST)
    assert verdict.is_right is False
    assert badge.isVisibleTo(verdict)
    assert badge.text() == "✗ wrong"  # a sign and a word, not colour alone
    assert theme.text_colour(theme.ERROR) in badge.styleSheet()
    sentence = verdict.findChild(WrappedLabel, "prediction_sentence")
    assert sentence.text() == prediction_sentence(trace, SMALLEST)
    assert "class 2, so it is wrong." in sentence.text()
    path = verdict.findChild(WrappedLabel, "prediction_path")
    assert path.text().startswith("x [2, −1, 0.5, 3] → ReLU [2, 0, 0.5, 3] → Sigmoid [0.881,")
    assert path.text().endswith("Softmax [0.283, 0.194, 0.219, 0.304]")


def test_verdict_says_right_for_the_largest_task_and_follows_the_input(
    verdict: PredictionVerdict,
) -> None:
    verdict.show_trace(trace_inputs(DEFAULT_INPUTS), LARGEST)
    assert verdict.is_right is True
    badge = verdict.findChild(QWidget, "prediction_badge")
    assert badge.text() == "✓ right"
    assert theme.text_colour(theme.PREDICTED) in badge.styleSheet()
    verdict.show_trace(trace_inputs((2.0, -1.0, 5.0, 3.0)), SMALLEST)
    sentence = verdict.findChild(WrappedLabel, "prediction_sentence").text()
    assert sentence.startswith("The network picks class 3")
    assert verdict.is_right is False


def test_verdict_sentence_is_large_and_never_cut(verdict: PredictionVerdict, qtbot) -> None:  # type: ignore[no-untyped-def]
    verdict.show_trace(trace_inputs(DEFAULT_INPUTS, temperature=0.5), SMALLEST)
    sentence = verdict.findChild(WrappedLabel, "prediction_sentence")
    path = verdict.findChild(WrappedLabel, "prediction_path")
    assert sentence.font().pointSizeF() == pytest.approx(theme.points(14))
    assert sentence.font().pointSizeF() > path.font().pointSizeF()
    assert "Softmax with T" in path.text()
    verdict.resize(360, 400)  # narrow: the sentence wraps onto more lines, all of them shown
    qtbot.waitUntil(lambda: sentence.height() >= sentence.text_height(sentence.width()))
    assert sentence.height() > 2 * sentence.fontMetrics().lineSpacing()


def test_verdict_fonts_follow_presenter_mode(verdict: PredictionVerdict) -> None:
    sentence = verdict.findChild(WrappedLabel, "prediction_sentence")
    normal = sentence.font().pointSizeF()
    theme.set_presenting(True)
    try:
        assert sentence.font().pointSizeF() >= 1.6 * normal - 0.01
    finally:
        theme.set_presenting(False)
    assert sentence.font().pointSizeF() == pytest.approx(normal)


def test_report_lists_the_findings_and_highlights_the_largest(report: GradientReport) -> None:
    assert report.findings == []
    trace = trace_inputs(DEFAULT_INPUTS, target=1)
    report.show_trace(trace)
    assert report.findings == gradient_findings(trace)
    labels = shown_findings(report)
    assert [label.text() for label in labels] == report.findings
    assert any("ReLU's unit 2 is dead" in label.text() for label in labels)
    largest = [label for label in labels if theme.GRADIENT in label.styleSheet()]
    assert len(largest) == 1
    assert largest[0].text() == report.highlighted
    assert report.highlighted.startswith("The largest gradient is ∂L/∂z₂ = −0.806")
    assert largest[0].font().bold()  # not colour alone
    assert not any(label.font().bold() for label in labels if label is not largest[0])


def test_report_follows_the_trace_and_hides_old_rows(report: GradientReport) -> None:
    report.show_trace(trace_inputs(DEFAULT_INPUTS, target=1))
    saturated = trace_inputs((9.0, 9.0, 9.0, 9.0), target=0)
    report.show_trace(saturated)
    texts = [label.text() for label in shown_findings(report)]
    assert texts == gradient_findings(saturated)
    assert any("Sigmoid's units 1, 2, 3 and 4 are saturated" in text for text in texts)
    assert not any("dead" in text for text in texts)
    report.show_trace(trace_inputs(DEFAULT_INPUTS))  # no target: one sentence says why
    texts = [label.text() for label in shown_findings(report)]
    assert len(texts) == 1
    assert "target" in texts[0]
    assert report.highlighted == ""


def test_report_grows_with_presenter_mode_and_keeps_its_highlight(
    report: GradientReport,
) -> None:
    report.show_trace(trace_inputs(DEFAULT_INPUTS, target=1))
    normal = [label.font().pointSizeF() for label in shown_findings(report)]
    theme.set_presenting(True)
    try:
        labels = shown_findings(report)
        # Every finding grows, the highlighted (bold) one too.
        for label, size in zip(labels, normal, strict=True):
            assert label.font().pointSizeF() >= 1.6 * size - 0.01, label.text()
        styles = [label.styleSheet() for label in labels]
        assert sum(theme.GRADIENT in style for style in styles) == 1
        assert all(theme.TEXT in style for style in styles if theme.GRADIENT not in style)
    finally:
        theme.set_presenting(False)
    assert [label.font().pointSizeF() for label in shown_findings(report)] == normal


class _ExplorePage(ModePage):
    mode_name = "explore"


class _GradientsPage(ModePage):
    mode_name = "gradients"


def _lab(trace: Trace) -> Lab:
    return Lab(
        state=LabState(),
        inputs=InputTableModel(DEFAULT_INPUTS),
        pipeline=None,  # type: ignore[arg-type]
        training=None,  # type: ignore[arg-type]
        controls=None,  # type: ignore[arg-type]
        last_trace=lambda: trace,
    )


def test_key_insight_box_shows_the_fixed_and_the_live_sentence(qtbot) -> None:  # type: ignore[no-untyped-def]
    trace = trace_inputs(DEFAULT_INPUTS, target=1)
    for page_class, live in (
        (_ExplorePage, "ReLU turned x₂ = −1 into 0"),
        (_GradientsPage, "unit 2 of layer 1 (ReLU) is dead"),
    ):
        page = page_class(_lab(trace))
        qtbot.addWidget(page)
        assert "Key insight." in page.insight.fixed_label.text()
        assert page.insight.live_text == ""
        page.enter(trace)
        assert live in page.insight.live_text

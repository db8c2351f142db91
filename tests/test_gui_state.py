"""What the window says and shows around the numbers: messages that go when they no longer
apply, scales that recover, empty weights before the model, whole observations, the version,
and a layout in which every text and number fits."""

from __future__ import annotations

import layout_checks
import numpy as np
import pytest
from conftest import MODEL_READY_TIMEOUT_MS
from helpers import epoch_rows, set_cell
from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import QApplication, QMessageBox

import main


def apply_learning_rate(qtbot, window, text: str) -> None:  # type: ignore[no-untyped-def]
    """Type a learning rate and confirm it; wait for the run it starts."""
    field = window.controls.learning_rate
    with qtbot.waitSignal(window.run_reset, timeout=MODEL_READY_TIMEOUT_MS):
        field.setText(text)
        field.editingFinished.emit()


def test_a_refusal_goes_after_a_few_seconds(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    """ "x₂: 'abc' is not a number" does not stay on screen for the rest of the lesson."""
    window.pipeline._message_timer.setInterval(300)  # the real one waits 8 s
    assert not set_cell(window, 1, "abc")
    assert "abc" in window.input_message.text()
    qtbot.waitUntil(lambda: window.input_message.text() == "", timeout=5000)


def test_a_refusal_goes_on_reset(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    """Reset starts over: an old refusal no longer applies."""
    assert not set_cell(window, 1, "abc")
    assert window.input_message.text()
    with qtbot.waitSignal(window.run_reset, timeout=MODEL_READY_TIMEOUT_MS):
        window.controls.action_reset.trigger()
    assert window.input_message.text() == ""


def test_a_huge_integer_is_refused_not_raised(window) -> None:  # type: ignore[no-untyped-def]
    """10**400 is refused with a message (float() of it raises OverflowError)."""
    assert not set_cell(window, 0, 10**400)
    assert "401-digit number is outside" in window.input_message.text()
    assert not set_cell(window, 0, -(10**7))
    assert set_cell(window, 0, 10**5)


def test_the_learning_rate_takes_a_decimal_comma_where_the_locale_uses_one(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    """Under a German locale "0,01" is 0.01 in the learning-rate field, as in the cells."""
    QLocale.setDefault(QLocale(QLocale.Language.German, QLocale.Country.Germany))
    try:
        apply_learning_rate(qtbot, window, "0,01")
    finally:
        QLocale.setDefault(QLocale.c())
    assert window.controls.config.learning_rate == 0.01


def test_a_learning_rate_refusal_goes_once_a_good_rate_is_applied(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    """The message about "abc" disappears when 0.1 is applied."""
    field = window.controls.learning_rate
    field.setText("abc")
    field.editingFinished.emit()
    assert window.training_message.isVisibleTo(window)
    field.setFocus()  # Enter in the field, as a learner would confirm it
    field.setText("0.1")
    with qtbot.waitSignal(window.run_reset, timeout=MODEL_READY_TIMEOUT_MS):
        qtbot.keyClick(field, Qt.Key.Key_Return)
    assert not window.training_message.isVisibleTo(window)


def test_a_learning_rate_keeps_every_digit(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    """0.0001234567 is shown and used as typed, not as 0.000123457."""
    apply_learning_rate(qtbot, window, "0.0001234567")
    assert window.controls.config.learning_rate == 0.0001234567
    assert window.controls.learning_rate.text() == "0.0001234567"


def test_the_first_frame_shows_the_untrained_weights(qtbot) -> None:  # type: ignore[no-untyped-def]
    """Before the model has answered, the heatmaps already show the untrained network's
    weights (the identity: known without PyTorch), and the model's trace keeps them."""
    window = main.build_window()
    qtbot.addWidget(window)
    window.show()
    try:
        assert not window.is_model_ready
        for heatmap in window.heatmaps:
            np.testing.assert_array_equal(heatmap.weights, np.eye(4))
            assert heatmap._image.isVisible()
        qtbot.waitUntil(
            lambda: window.is_model_ready and window.last_trace is not None,
            timeout=MODEL_READY_TIMEOUT_MS,
        )
        for heatmap in window.heatmaps:
            assert heatmap._image.isVisible()
            assert heatmap.plot.toolTip() == ""
            np.testing.assert_array_equal(heatmap.weights, np.eye(4))
    finally:
        window.close()


def test_divergence_brings_ranges_and_colour_scales_back(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    """After a blow-up the panels and heatmaps fit the restored weights again, instead of
    staying stretched (bars flat, weights washed out to white)."""
    input_panel, relu_panel = window.panels[:2]
    assert set_cell(window, 0, 500)
    qtbot.waitUntil(lambda: window.last_trace.stages[0].values[0] == 500.0, timeout=10000)
    assert set_cell(window, 0, 2)
    qtbot.waitUntil(lambda: window.last_trace.stages[0].values[0] == 2.0, timeout=10000)
    assert relu_panel.y_range[1] >= 500  # ranges only grow while a run goes on
    window.heatmaps[0].show_weights(np.eye(4) * 600)  # as blown-up weights would
    assert window.heatmaps[0].limit >= 600
    window.controls.pace.setCurrentIndex(window.controls.pace.findData(None))
    apply_learning_rate(qtbot, window, "50")
    window.controls.action_train.trigger()
    qtbot.waitUntil(window.training_message.isVisible, timeout=60000)
    assert "diverged" in window.training_message.text()
    qtbot.waitUntil(lambda: relu_panel.y_range[1] < 500, timeout=5000)
    restored = window.last_trace
    reach = max(abs(v) for v in restored.stages[0].values)
    assert input_panel.y_range[1] < 2 * max(reach, 1.0)
    for heatmap, stage in zip(window.heatmaps, restored.stages[1:], strict=True):
        assert heatmap.limit < 2 * max(float(np.max(np.abs(stage.weight))), 1.0)


def test_observations_are_shown_whole(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    """Under the table, the newest epoch's sentence in full; a selected row's when chosen."""
    detail = window.observation_detail
    assert "train to see" in detail.text()
    for done in range(2):
        window.controls.action_step.trigger()
        qtbot.waitUntil(lambda done=done: epoch_rows(window) == done + 1, timeout=30000)
        qtbot.waitUntil(window.controls.action_step.isEnabled, timeout=10000)
    records = window.epochs.records
    assert detail.text() == f"Epoch 2: {records[1].observation}"
    window.epoch_table.selectRow(0)
    assert detail.text() == f"Epoch 1: {records[0].observation}"
    assert detail.wordWrap()
    assert detail.height() >= detail.heightForWidth(detail.width())


def test_about_names_the_version(monkeypatch, window) -> None:  # type: ignore[no-untyped-def]
    """Help → About says which version this is."""
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "about", lambda parent, title, text: shown.append(text))
    window.findChild(type(window.action_restart_model), "action_about").trigger()
    assert shown
    assert main.__version__ in shown[0]


@pytest.mark.parametrize("everything", [False, True], ids=["bars", "gradients+curves"])
@pytest.mark.parametrize("size", [None, (1024, 700), (1280, 800), (1600, 1000)])
def test_every_text_and_number_fits(
    qtbot, window, size: tuple[int, int] | None, everything: bool
) -> None:  # type: ignore[no-untyped-def]
    """At the smallest size the window allows (None) and larger, no label is cut, nothing
    overlaps, no toolbar item hides, and every number on a plot is drawn whole inside it;
    also with the gradient rows and the activation curves shown."""
    if everything:
        window.gradients.action_show_gradients.setChecked(True)
        window.pipeline.action_show_curves.setChecked(True)
    if size is None:
        # As small as its contents allow, once the rows just switched on are laid out (that
        # can take more than one pass of the event loop).
        previous = None
        while window.size().toTuple() != previous:
            previous = window.size().toTuple()
            window.resize(1, 1)
            QApplication.processEvents()
            QApplication.processEvents()
        size = window.size().toTuple()
    window.resize(*size)
    assert set_cell(window, 3, "-4")
    qtbot.waitUntil(lambda: window.last_trace.stages[0].values[3] == -4.0, timeout=10000)
    for panel in window.panels:
        panel.plot.repaint()
        if everything:
            panel.gradient_plot.repaint()
    for heatmap in window.heatmaps:
        heatmap.plot.repaint()
    for curve in window.curves:
        curve.plot.repaint()
    assert window.size().toTuple() == size
    assert layout_checks.layout_problems(window) == []
    items = {panel.objectName(): panel.label_item for panel in window.panels}
    if everything:
        items |= {p.gradient_plot.objectName(): p.gradient_label_item for p in window.panels}
    else:
        items |= {heatmap.objectName(): heatmap.label_item for heatmap in window.heatmaps}
    assert layout_checks.plot_label_problems(items) == []
    drawn = [label.text for label in window.panels[0].label_item.placed]
    assert drawn[3].startswith("−4")  # the sign is drawn, not clipped


def test_the_window_opens_within_its_screen(window) -> None:  # type: ignore[no-untyped-def]
    """The opening size never exceeds the screen (without a window manager nothing would
    bring a too-large window back), and the smallest size fits a 1024×700 laptop."""
    available = window.screen().availableGeometry()
    window.resize(1, 1)
    QApplication.processEvents()
    minimum = window.size()
    assert minimum.width() <= 1024
    assert minimum.height() <= 700
    # Gradient rows under every panel must not push it off a 1024×700 screen either.
    window.gradients.action_show_gradients.setChecked(True)
    window.resize(1, 1)
    QApplication.processEvents()
    assert window.height() <= 700
    assert window.width() <= max(available.width(), minimum.width())
    assert window.height() <= max(available.height(), minimum.height())

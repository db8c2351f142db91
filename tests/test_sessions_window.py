"""Sessions in the window: save after epoch 3, open, train on: exactly an unbroken run's
epochs 4 and 5; bad files change nothing; unsaved training is never lost without asking."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import MODEL_READY_TIMEOUT_MS
from tests.helpers import epoch_rows, set_cell

EPOCH_TIMEOUT_MS = 60_000


def _step_until(qtbot, window, rows: int) -> None:  # type: ignore[no-untyped-def]
    while epoch_rows(window) < rows:
        before = epoch_rows(window)
        window.controls.action_step.trigger()
        qtbot.waitUntil(lambda: epoch_rows(window) > before, timeout=EPOCH_TIMEOUT_MS)  # noqa: B023


def _save(qtbot, window, path: Path) -> None:  # type: ignore[no-untyped-def]
    saved: list[str] = []
    window.sessions.saved.connect(saved.append)
    window.sessions.save_to(path)
    qtbot.waitUntil(lambda: bool(saved), timeout=EPOCH_TIMEOUT_MS)


def _open(qtbot, window, path: Path) -> None:  # type: ignore[no-untyped-def]
    opened: list[str] = []
    window.sessions.opened.connect(opened.append)
    assert window.sessions.open_file(path)
    qtbot.waitUntil(lambda: bool(opened), timeout=EPOCH_TIMEOUT_MS)


def _new_window(qtbot):  # type: ignore[no-untyped-def]
    import main

    window = main.build_window()
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(
        lambda: window.is_model_ready and window.last_trace is not None,
        timeout=MODEL_READY_TIMEOUT_MS,
    )
    return window


def _unbroken_run(epochs: int, **settings: object) -> list[dict[str, object]]:
    import torch

    from model.config import TrainingConfig
    from model.records_json import numbers_to_json
    from model.training import Trainer

    torch.set_num_threads(1)
    trainer = Trainer(TrainingConfig(**settings))  # type: ignore[arg-type]
    return [numbers_to_json(trainer.train_epoch()) for _ in range(epochs)]


def test_a_saved_session_resumes_exactly_in_the_window(qtbot, window, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from model.records_json import numbers_to_json

    assert set_cell(window, 0, "1.5")
    _step_until(qtbot, window, 3)
    path = tmp_path / "lesson.json"
    _save(qtbot, window, path)
    assert not window.sessions.is_dirty
    assert window.windowTitle().startswith("lesson.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["format"] == "activation-lab-session"
    assert data["run"]["epoch"] == 3
    assert data["run"]["optimizer"]["steps"] > 0  # Adam's moments and step count are in it
    assert len(data["history"]["epochs"]) == 3

    other = _new_window(qtbot)
    _open(qtbot, other, path)
    assert epoch_rows(other) == 3
    assert other.state.inputs == (1.5, -1.0, 0.5, 3.0)
    assert other.epochs.records == window.epochs.records
    assert len(other.plots.batch_losses) == len(window.plots.batch_losses)
    _step_until(qtbot, other, 5)
    resumed = [numbers_to_json(record) for record in other.epochs.records]
    assert resumed == _unbroken_run(5)  # the same numbers, not merely close
    other.close()


def test_a_bad_file_changes_nothing(qtbot, window, tmp_path) -> None:  # type: ignore[no-untyped-def]
    _step_until(qtbot, window, 1)
    records, inputs, settings = window.epochs.records, window.state.inputs, window.state.settings
    failures: list[str] = []
    window.sessions.failed.connect(failures.append)
    bad = tmp_path / "broken.json"
    bad.write_text('{"format": "activation-lab-session", "version": 1, "inputs": [1, 2', "utf-8")
    assert not window.sessions.open_file(bad)
    assert failures
    assert "broken.json" in failures[-1]
    assert "not valid JSON" in failures[-1]
    assert "unchanged" in failures[-1]
    assert window.training_message.isVisible()
    assert (window.epochs.records, window.state.inputs, window.state.settings) == (
        records,
        inputs,
        settings,
    )
    assert not window.sessions.open_file(tmp_path / "missing.json")
    assert "does not exist" in failures[-1]


def test_unsaved_training_asks_before_closing(qtbot, window, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from gui.session_controller import CANCEL, SAVE, SessionController

    window.sessions.asks_about_unsaved_work = True  # as main.run_window sets it
    assert not window.sessions.is_dirty  # a fresh window has nothing to lose
    _step_until(qtbot, window, 1)
    assert window.sessions.is_dirty
    assert window.isWindowModified()
    asked: list[str] = []

    def answer(choice: str):  # type: ignore[no-untyped-def]
        return lambda _parent, doing: asked.append(doing) or choice

    monkeypatch.setattr(SessionController, "ask_unsaved", staticmethod(answer(CANCEL)))
    assert not window.close()
    assert window.isVisible()
    assert asked == ["closing"]
    monkeypatch.setattr(SessionController, "ask_unsaved", staticmethod(answer(SAVE)))
    path = tmp_path / "kept.json"
    window.sessions.choose_save_path = lambda: path
    assert not window.close()  # saves first, then closes
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=EPOCH_TIMEOUT_MS)
    assert path.exists()
    assert len(asked) == 2


def test_a_scripts_window_closes_without_asking(qtbot, window, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A window from main.build_window belongs to its script: close() closes, unasked."""
    from gui.session_controller import CANCEL, SessionController

    asked: list[str] = []
    monkeypatch.setattr(
        SessionController,
        "ask_unsaved",
        staticmethod(lambda _p, doing: asked.append(doing) or CANCEL),
    )
    _step_until(qtbot, window, 1)
    assert window.sessions.is_dirty
    assert window.close()
    assert asked == []


def test_recent_sessions_and_a_dropped_file(qtbot, window, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
    from PySide6.QtGui import QDropEvent

    _step_until(qtbot, window, 2)
    path = tmp_path / "recent.json"
    _save(qtbot, window, path)
    assert window.sessions.recent_paths()[0] == path.resolve()
    window.controls.action_reset.trigger()
    qtbot.waitUntil(lambda: epoch_rows(window) == 0, timeout=EPOCH_TIMEOUT_MS)
    assert window.sessions.is_dirty  # the file's run is gone from the window
    window.sessions.is_dirty = False
    opened: list[str] = []
    window.sessions.opened.connect(opened.append)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    drop = QDropEvent(
        QPoint(50, 50).toPointF(),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
    )
    # Offscreen Qt delivers no drop without a real drag in progress: the window's filter,
    # which a real drop reaches (children that do not take drops pass it up), gets it here.
    assert window.sessions.eventFilter(window, drop)
    qtbot.waitUntil(lambda: bool(opened), timeout=EPOCH_TIMEOUT_MS)
    assert epoch_rows(window) == 2
    window.sessions.recent_menu.aboutToShow.emit()
    first = window.sessions.recent_menu.actions()[0]
    assert first.text() == "recent.json"
    assert first.isEnabled()
    window.controls.action_reset.trigger()
    qtbot.waitUntil(lambda: epoch_rows(window) == 0, timeout=EPOCH_TIMEOUT_MS)
    first.trigger()  # Open Recent (asks first: the reset is unsaved; tests discard)
    qtbot.waitUntil(lambda: len(opened) == 2, timeout=EPOCH_TIMEOUT_MS)
    assert epoch_rows(window) == 2


@pytest.mark.parametrize("optimizer", ["SGD"])
def test_a_session_keeps_its_settings(qtbot, window, tmp_path, optimizer: str) -> None:  # type: ignore[no-untyped-def]
    from model.config import TrainingConfig

    config = TrainingConfig(optimizer=optimizer, learning_rate=0.5, seed=7, batch_size=16)
    window.state.settings = config
    qtbot.waitUntil(lambda: window.setup.config == config, timeout=EPOCH_TIMEOUT_MS)
    window.state.mode = "train"
    _step_until(qtbot, window, 1)
    path = tmp_path / "sgd.json"
    _save(qtbot, window, path)
    other = _new_window(qtbot)
    _open(qtbot, other, path)
    assert other.state.settings == config
    assert other.controls.config == config
    assert other.state.mode == "train"
    assert other.mode_stack.current_page is other.pages["train"]
    _step_until(qtbot, other, 2)
    from model.records_json import numbers_to_json

    assert [numbers_to_json(r) for r in other.epochs.records] == _unbroken_run(
        2, optimizer=optimizer, learning_rate=0.5, seed=7, batch_size=16
    )
    other.close()

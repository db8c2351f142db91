"""Help menu: the keyboard shortcuts dialog lists every key the window answers (made from the
actions and the pages' own keys, so it cannot go stale), F1 opens it; About names the
versions of the app, Python, PyTorch (from the model process) and Qt."""

from __future__ import annotations

import platform
from typing import Any

import pytest
from PySide6.QtCore import Qt, qVersion
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

import main
from gui.shortcuts_dialog import ShortcutsDialog, key_text, plain_text
from gui.window_menus import app_versions


def open_dialog(window: Any) -> ShortcutsDialog:
    dialog = window.menus.show_shortcuts()
    assert isinstance(dialog, ShortcutsDialog)
    return dialog


def test_every_action_with_a_key_is_listed(window: Any) -> None:
    dialog = open_dialog(window)
    rows = dialog.texts()
    keyed = [a for a in window.findChildren(QAction) if key_text(a.shortcuts())]
    assert len(keyed) >= 20  # the positive: mode keys, training, menus
    for action in keyed:
        row = (key_text(action.shortcuts()), plain_text(action.text()))
        assert row in rows, f"{action.objectName()} missing: {row}"
    names = [words for _, words in rows]
    for words in ("Keyboard shortcuts", "Quit", "Save screenshot…", "Undo", "Train"):
        assert words in names
    dialog.close()


def test_the_pages_own_keys_are_listed_with_words(window: Any) -> None:
    rows = open_dialog(window).texts()
    for shortcut in window.findChildren(QShortcut):
        keys = key_text([shortcut.key()])
        assert any(k == keys for k, _ in rows), keys
    left = key_text([QKeySequence(Qt.Key.Key_Left)])
    assert left == "←"  # as on the keyboard
    assert (left, "Step through: Previous stage of the forward pass") in rows
    assert ("A", "Quiz: Answer A") in rows
    assert any("cell" in words for _, words in rows)  # typing into the cells is explained


def test_f1_opens_the_list(qtbot: QtBot, window: Any) -> None:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)
    assert not window.findChildren(ShortcutsDialog)
    qtbot.keyClick(window.input_table, Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: any(d.isVisible() for d in window.findChildren(ShortcutsDialog)))
    dialog = window.findChild(ShortcutsDialog, "shortcuts_dialog")
    assert dialog.table.rowCount() > 30
    dialog.close()


def test_the_screenshot_leaves_ctrl_s_to_save(window: Any) -> None:
    screenshot = window.findChild(QAction, "action_screenshot")
    assert [k.toString() for k in screenshot.shortcuts()] == ["Ctrl+Alt+S"]


def test_about_names_every_version(monkeypatch: pytest.MonkeyPatch, window: Any) -> None:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "about", lambda parent, title, text: shown.append(text))
    window.findChild(QAction, "action_about").trigger()
    text = shown[0]
    torch = window.menus.torch_version
    assert torch  # from the model's ready message: the window itself never imports torch
    for name, version in (
        ("Activation Lab", main.__version__),
        ("Python", platform.python_version()),
        ("PyTorch", torch),
        ("Qt", qVersion()),
    ):
        assert name in text
        assert version in text


def test_before_the_model_answers_the_installed_torch_is_named(qapp: QApplication) -> None:
    from importlib import metadata

    versions = dict(app_versions(None))
    assert versions["PyTorch"].startswith(metadata.version("torch"))
    assert "installed" in versions["PyTorch"]
    assert dict(app_versions("2.0.0"))["PyTorch"] == "2.0.0"

"""The log file a launcher-started app writes: in $ACTIVATION_LAB_LOG_DIR (or the user's data
folder), catching what would have gone to a console that is not there."""

from __future__ import annotations

import textwrap
from pathlib import Path

import helpers

from gui.app_log import LOG_DIR_VARIABLE, log_dir

# A windowed executable: no stdout, no stderr. print, an uncaught error and a Qt warning must
# all land in the log instead of failing or vanishing.
WINDOWED = textwrap.dedent(
    """
    import sys
    sys.stdout = sys.stderr = None
    from gui.app_log import start_logging, route_qt_messages
    start_logging()
    print("printed without a console")
    from PySide6.QtCore import qWarning
    from PySide6.QtWidgets import QApplication
    app = QApplication([])
    route_qt_messages()
    qWarning("a Qt warning")
    raise ValueError("an uncaught error")
    """
)


def test_without_a_console_everything_lands_in_the_log(tmp_path: Path) -> None:
    """print, Qt's warnings and an uncaught traceback reach the file; nothing crashes on None."""
    result = helpers.run_python("-c", WINDOWED, env={LOG_DIR_VARIABLE: str(tmp_path)})
    assert result.returncode == 1  # the uncaught error, reported, not a crash on sys.stderr
    text = (tmp_path / "activation-lab.log").read_text()
    assert "Activation Lab starting" in text
    assert "printed without a console" in text
    assert "WARNING activation_lab.qt: a Qt warning" in text
    assert "ValueError: an uncaught error" in text


def test_the_folder_is_the_override_or_the_users_data_folder(tmp_path: Path) -> None:
    """$ACTIVATION_LAB_LOG_DIR wins; otherwise a folder named after the app in user data."""
    assert log_dir({LOG_DIR_VARIABLE: str(tmp_path)}) == tmp_path
    default = log_dir({"XDG_DATA_HOME": str(tmp_path / "data")})
    assert default.name == "activation-lab"
    assert default != tmp_path

"""Where the app keeps what it remembers between starts (window, last inputs, recent sessions).

One INI file under the user's configuration folder (``~/.config/Activation Lab`` on Linux), or
under ``$ACTIVATION_LAB_CONFIG_DIR`` when that is set: tests and the desktop review point it at
a temporary folder, so they never read or change a learner's own settings.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QSettings, QStandardPaths

#: Set to a folder to keep the settings file there instead of the user's configuration folder.
CONFIG_DIR_VARIABLE = "ACTIVATION_LAB_CONFIG_DIR"
SETTINGS_FILE = "activation-lab.ini"


def settings_path() -> Path:
    """The settings file this process reads and writes."""
    folder = os.environ.get(CONFIG_DIR_VARIABLE)
    if folder:
        return Path(folder) / SETTINGS_FILE
    location = QStandardPaths.StandardLocation.AppConfigLocation
    base = QStandardPaths.writableLocation(location) or str(Path.home() / ".config")
    return Path(base) / SETTINGS_FILE


def app_settings() -> QSettings:
    """A QSettings on :func:`settings_path` (cheap: make one where it is needed)."""
    return QSettings(str(settings_path()), QSettings.Format.IniFormat)

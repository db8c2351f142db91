"""Light or dark: follow the system's colour scheme, or the learner's choice (View → Theme).

Qt reports the system's scheme where the platform tells it (``styleHints().colorScheme()``:
Light, Dark or Unknown; offscreen and bare X servers say Unknown, which means light) and says
when it changes; following the system, the window re-styles then. The choice is remembered
in the settings file. The palette is set before the window is built
(:func:`apply_stored_theme`, from :func:`gui.application.create_application`), so a window
that opens dark is built dark; :class:`ThemeChooser` offers the menu and follows changes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QActionGroup, QGuiApplication
from PySide6.QtWidgets import QMenu

from gui import theme
from gui.app_settings import app_settings
from gui.palette import DARK, LIGHT, Palette

if TYPE_CHECKING:
    from gui.main_window import MainWindow

#: The settings key, and its values with the menu's words for them.
THEME_KEY = "view/theme"
CHOICES = {"system": "Follow the &system", "light": "&Light", "dark": "&Dark"}
DEFAULT_CHOICE = "system"


def stored_choice() -> str:
    """The remembered choice; anything unreadable means following the system."""
    value = app_settings().value(THEME_KEY)
    return value if isinstance(value, str) and value in CHOICES else DEFAULT_CHOICE


def palette_for(choice: str) -> Palette:
    """The palette ``choice`` asks for now (the system's, for "system")."""
    if choice == "dark":
        return DARK
    if choice == "light":
        return LIGHT
    return DARK if system_scheme() == Qt.ColorScheme.Dark else LIGHT


def system_scheme() -> Qt.ColorScheme:
    """The system's colour scheme as Qt reports it (Unknown where the platform does not say:
    offscreen, a bare X server)."""
    return QGuiApplication.styleHints().colorScheme()


def apply_stored_theme() -> None:
    """Set the remembered (or the system's) palette: before the window is built."""
    theme.set_palette(palette_for(stored_choice()))


class ThemeChooser(QObject):
    """The View → Theme submenu (``menu``) with ``action_theme_system``,
    ``action_theme_light`` and ``action_theme_dark``; follows the system's scheme."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.setObjectName("theme_chooser")
        self._window = window
        self.menu = QMenu("&Theme", window)
        self.menu.setObjectName("theme_menu")
        group = QActionGroup(self)
        group.setExclusive(True)
        self.actions: dict[str, QAction] = {}
        self._choice = stored_choice()
        for choice, text in CHOICES.items():
            action = QAction(text, self)
            action.setObjectName(f"action_theme_{choice}")
            action.setCheckable(True)
            action.setChecked(choice == self._choice)
            action.triggered.connect(lambda _=False, choice=choice: self.choose(choice))
            group.addAction(action)
            self.menu.addAction(action)
            self.actions[choice] = action
        QGuiApplication.styleHints().colorSchemeChanged.connect(self._on_scheme_changed)
        self._apply()

    @property
    def choice(self) -> str:
        """ "system", "light" or "dark"."""
        return self._choice

    def choose(self, choice: str) -> None:
        """Use ``choice`` from now on, and remember it."""
        if choice not in CHOICES:
            raise ValueError(f"unknown theme {choice!r}; choose one of {', '.join(CHOICES)}")
        self._choice = choice
        self.actions[choice].setChecked(True)
        settings = app_settings()
        settings.setValue(THEME_KEY, choice)
        settings.sync()
        self._apply()

    def _on_scheme_changed(self, _scheme: Qt.ColorScheme) -> None:
        if self._choice == "system":
            self._apply()

    def _apply(self) -> None:
        wanted = palette_for(self._choice)
        if wanted == theme.palette():
            return
        theme.set_palette(wanted)
        window = self._window
        # Bars and curves take their colours when drawn: draw the newest trace again.
        if window.last_trace is not None:
            window.show_trace(window.last_trace)

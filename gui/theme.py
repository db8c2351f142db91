"""Colours and fonts, chosen for projectors: dark text on white, colour-blind-safe pairs.

Blue and orange tell positive from negative for every common colour-vision deficiency;
green marks the predicted class. Every colour is used for one meaning everywhere.

Every font size in the app comes from here, relative to one base size that grows with the
screen (:func:`apply_application_font`): the default view is readable from the back of a room
at 1920×1080, and a later presenter mode can scale everything at once.
"""

from __future__ import annotations

import html

import pyqtgraph as pg
from PySide6.QtCore import QRect, QSize
from PySide6.QtGui import QColor, QFont, QGuiApplication

POSITIVE = "#2f6db5"
NEGATIVE = "#e07b21"
PREDICTED = "#1a9850"
GHOST = "#8a96a3"
TEXT = "#1f2933"
#: Secondary text: still 9:1 against white, so it reads on a washed-out projector.
MUTED = "#3e4c59"
ERROR = "#b3261e"
TRAIN = "#2f6db5"
TEST = "#d1495b"
#: Cells that have no value yet (weights before the model has answered).
EMPTY = "#eef0f2"
#: Weight heatmaps: negative orange, zero white, positive blue (same meanings as the bars).
DIVERGING = (NEGATIVE, "#ffffff", POSITIVE)
#: Gradient bars have one colour whatever their sign (the direction shows it), distinct from
#: the values' blue and orange.
GRADIENT = "#7b3f9e"
#: An activation's slope f′(z), drawn beside f(z) in POSITIVE's blue: Okabe–Ito's reddish
#: purple, darkened to read on a projector, told apart from blue with every common
#: colour-vision deficiency, and used for nothing else (orange means negative, red the test set).
SLOPE = "#a6427c"

#: Base point size at screen heights up to 800 px, and the largest it grows to.
BASE_POINTS = 10.0
MAX_BASE_POINTS = 14.0
#: The window's preferred size on a laptop-sized screen. Its smallest size is what its
#: contents need (so nothing is ever squeezed over anything else), which fits 1024×700 (a small
#: laptop, an old projector): a test keeps it so.
PREFERRED_SIZE = QSize(1280, 800)
MINIMUM_WIDTH = 1000

_base_points = BASE_POINTS


def base_points_for(screen_height: int) -> float:
    """The base font size for a screen ``screen_height`` pixels high (10 pt up to 800 px)."""
    return max(BASE_POINTS, min(MAX_BASE_POINTS, round(screen_height / 80 * 2) / 2))


def apply_application_font(app: QGuiApplication) -> None:
    """Size the application's font for its primary screen; every widget inherits it."""
    global _base_points  # noqa: PLW0603 (one theme per process, set once at start)
    screen = app.primaryScreen()
    height = screen.availableGeometry().height() if screen is not None else 0
    _base_points = base_points_for(height)
    font = app.font()
    font.setPointSizeF(_base_points)
    app.setFont(font)


def scale() -> float:
    """How much larger than the 10 pt design size text is drawn on this screen."""
    return _base_points / BASE_POINTS


def points(design_points: float) -> float:
    """A font size given at the 10 pt design scale, scaled for this screen."""
    return design_points * scale()


def css_points(design_points: float) -> str:
    """:func:`points` as a style-sheet or pyqtgraph size string such as ``"12.5pt"``."""
    return f"{points(design_points):.1f}pt"


def initial_geometry(available: QRect) -> QRect:
    """Where the window opens: the preferred size, or 90 % of a big screen, centred, and never
    larger than the screen (without a window manager nothing else would keep it on screen)."""
    width = min(available.width(), max(PREFERRED_SIZE.width(), round(available.width() * 0.9)))
    height = min(available.height(), max(PREFERRED_SIZE.height(), round(available.height() * 0.9)))
    rect = QRect(0, 0, width, height)
    rect.moveCenter(available.center())
    return rect


def configure_pyqtgraph() -> None:
    """Global pyqtgraph look: white background, dark axes, antialiased lines."""
    pg.setConfigOptions(antialias=True, background="w", foreground=TEXT)


def value_font(design_points: float = 9, bold: bool = False) -> QFont:
    """The font for numbers printed on plots (``design_points`` at the 10 pt design scale)."""
    font = QFont()
    font.setPointSizeF(points(design_points))
    font.setBold(bold)
    return font


def warning_html(message: str) -> str:
    """``message`` as rich text in the error colour, behind a warning sign; the message is
    escaped (a refused value may hold "<" or "&")."""
    return f"<span style='color:{ERROR}'>⚠ {html.escape(message)}</span>"


def brush(colour: str, alpha: int = 255) -> QColor:
    """A QColor from a theme colour with optional transparency."""
    result = QColor(colour)
    result.setAlpha(alpha)
    return result


def diverging_colormap() -> pg.ColorMap:
    """A colour map centred on zero for weight matrices."""
    return pg.ColorMap(pos=[0.0, 0.5, 1.0], color=[QColor(c) for c in DIVERGING])

"""Colours and fonts, chosen for projectors: dark text on white, a colour-blind-safe palette.

Values, prediction and the data sets are drawn in Okabe–Ito's colours, the gradient and the
slope in two more chosen to stay apart from them under simulated protan, deutan and tritan
vision; each colour has one meaning everywhere. Where one is too pale for small text on
white (below 4.5:1), :func:`text_colour` gives a darker shade for text; bars and lines keep it.

Every font size in the app comes from here, relative to one base size that grows with the
screen (:func:`apply_application_font`), times a zoom that presenter mode sets
(:func:`set_presenting`). Widgets that set a font or a style sheet of their own do it in a
method registered with :func:`follow`, so that one call rescales the whole window. As a
safety net, style sheets nobody re-applies are rescaled and recoloured in place; fonts set
with ``setFont`` are not, so their owners must follow.
"""

from __future__ import annotations

import html
import re
import weakref
from collections.abc import Callable

import pyqtgraph as pg
import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QGuiApplication
from PySide6.QtWidgets import QApplication

#: Okabe & Ito (2008), "Color Universal Design": the named colours used below.
OKABE_ITO = {
    "orange": "#e69f00",
    "sky blue": "#56b4e9",
    "bluish green": "#009e73",
    "yellow": "#f0e442",
    "blue": "#0072b2",
    "vermillion": "#d55e00",
    "reddish purple": "#cc79a7",
    "black": "#000000",
}
POSITIVE = OKABE_ITO["blue"]
#: Vermillion, not Okabe–Ito's orange: orange is 2.2:1 on white, too pale for a thin bar.
NEGATIVE = OKABE_ITO["vermillion"]
PREDICTED = OKABE_ITO["bluish green"]
GHOST = "#8a96a3"
TEXT = "#1f2933"
#: Secondary text: still 9:1 against white, so it reads on a washed-out projector.
MUTED = "#3e4c59"
ERROR = "#b3261e"
#: The training set is run 0's colour; the test set Okabe–Ito's reddish purple (3.1:1: a
#: line or a swatch, never small text).
TRAIN = POSITIVE
TEST = OKABE_ITO["reddish purple"]
#: Cells that have no value yet (weights before the model has answered).
EMPTY = "#eef0f2"
#: Weight heatmaps: negative vermillion, zero white, positive blue (as the bars).
DIVERGING = (NEGATIVE, "#ffffff", POSITIVE)
#: Gradient bars have one colour whatever their sign (the direction shows it): Paul Tol's
#: wine (the former purple read as POSITIVE's blue under simulated deutan vision).
GRADIENT = "#882255"
#: An activation's slope f′(z), dashed beside f(z) in POSITIVE's blue: a violet, far from
#: blue, red (ERROR's rings) and the test set's purple for every common deficiency.
SLOPE = "#8800ee"
#: The key-insight box: a pale yellow note, dark text on it.
INSIGHT_BACKGROUND = "#fff8e1"
INSIGHT_BORDER = "#e0c86a"
#: Darker shades for text of palette colours below 4.5:1 on white (5.2, 5.3 and 5.0:1).
_TEXT_SHADES = {NEGATIVE: "#b35000", PREDICTED: "#007a5a", TEST: "#a8527e"}

#: Presenter mode: how much larger everything is drawn, and its text colours (near black).
PRESENTER_ZOOM = 1.6
_TEXT_COLOURS = {False: (TEXT, MUTED), True: ("#000000", "#262626")}

#: Base point size at screen heights up to 800 px, and the largest it grows to.
BASE_POINTS = 10.0
MAX_BASE_POINTS = 14.0
#: The window's preferred size on a laptop-sized screen. Its smallest size is what its
#: contents need (so nothing is ever squeezed over anything else), which fits 1024×700 (a small
#: laptop, an old projector): a test keeps it so.
PREFERRED_SIZE = QSize(1280, 800)
MINIMUM_WIDTH = 1000

# One theme per process: the screen's base size, presenter mode, and who follows them.
_base_points = BASE_POINTS
_presenting = False
_normal_font: QFont | None = None
_followers: list[weakref.WeakMethod[Callable[[], object]]] = []
#: A point size in a style sheet, as :func:`css_points` writes it.
_POINTS = re.compile(r"font-size:\s*([0-9.]+)pt")
#: Text computed from numbers is shown as plain text (a "<" in it must not become markup).
PLAIN_TEXT = Qt.TextFormat.PlainText


def base_points_for(screen_height: int) -> float:
    """The base font size for a screen ``screen_height`` pixels high (10 pt up to 800 px)."""
    return max(BASE_POINTS, min(MAX_BASE_POINTS, round(screen_height / 80 * 2) / 2))


def apply_application_font(app: QGuiApplication) -> None:
    """Size the application's font for its primary screen; every widget inherits it."""
    global _base_points, _normal_font  # noqa: PLW0603 (one theme per process, set at start)
    screen = app.primaryScreen()
    height = screen.availableGeometry().height() if screen is not None else 0
    _base_points = base_points_for(height)
    font = app.font()
    font.setPointSizeF(_base_points)
    _normal_font = QFont(font)  # what presenter mode comes back to
    font.setPointSizeF(_base_points * zoom())
    app.setFont(font)


def presenting() -> bool:
    """True while presenter mode draws everything larger, in high contrast."""
    return _presenting


def zoom() -> float:
    """Presenter mode's zoom on top of the screen's base size (1 when not presenting)."""
    return PRESENTER_ZOOM if _presenting else 1.0


def scale() -> float:
    """How much larger than the 10 pt design size text is drawn now (screen and zoom)."""
    return _base_points * zoom() / BASE_POINTS


def points(design_points: float) -> float:
    """A font size given at the 10 pt design scale, scaled for this screen and the zoom."""
    return design_points * scale()


def css_points(design_points: float) -> str:
    """:func:`points` as a style-sheet or pyqtgraph size string such as ``"12.5pt"``."""
    return f"{points(design_points):.1f}pt"


def follow(callback: Callable[[], object]) -> None:
    """Call the bound method ``callback`` after every change of presenter mode (to re-apply
    fonts and style sheets). Held weakly: following never keeps a widget alive."""
    _followers.append(weakref.WeakMethod(callback))


def followers() -> list[Callable[[], object]]:
    """The live followers, in the order they were registered (dead ones are dropped)."""
    alive = []
    for ref in list(_followers):
        method = ref()
        owner = getattr(method, "__self__", None)
        # A Qt object can be deleted in C++ while Python still holds its wrapper.
        if method is None or (isinstance(owner, shiboken6.Object) and not shiboken6.isValid(owner)):
            _followers.remove(ref)
        else:
            alive.append(method)
    return alive


def set_presenting(on: bool) -> None:
    """Presenter mode on or off: every font ``PRESENTER_ZOOM`` times larger (the application
    font and every follower's), text near black. Off restores the exact sizes and colours."""
    global _presenting, _normal_font, TEXT, MUTED  # noqa: PLW0603 (one theme per process)
    if on == _presenting:
        return
    _presenting = on
    colours = dict(zip((TEXT, MUTED), _TEXT_COLOURS[on], strict=True))
    TEXT, MUTED = _TEXT_COLOURS[on]
    configure_pyqtgraph()
    app = QGuiApplication.instance()
    if isinstance(app, QGuiApplication):
        if on:
            _normal_font = QGuiApplication.font()
            font = QFont(_normal_font)
            size = _normal_font.pointSizeF()
            font.setPointSizeF((size if size > 0 else _base_points) * PRESENTER_ZOOM)
            QGuiApplication.setFont(font)
        elif _normal_font is not None:
            QGuiApplication.setFont(_normal_font)
        # Widgets hear of it from posted events: deliver them before anyone measures.
        QCoreApplication.sendPostedEvents(None, QEvent.Type.ApplicationFontChange)
    if isinstance(app, QApplication):
        _restyle_sheets(app, colours, PRESENTER_ZOOM if on else 1 / PRESENTER_ZOOM)
    for callback in followers():
        callback()


def _restyle_sheets(app: QApplication, colours: dict[str, str], ratio: float) -> None:
    """Every widget's style sheet again, its text colours swapped and its point sizes times
    ``ratio``: a widget with a style sheet keeps the font it had when the sheet was applied,
    so without this a footer coloured by a sheet stayed small while all around it grew."""
    for widget in app.allWidgets():
        sheet = widget.styleSheet()
        if sheet:
            for old, new in colours.items():
                sheet = sheet.replace(old, new)
            scaled = _POINTS.sub(lambda m: f"font-size: {float(m[1]) * ratio:.1f}pt", sheet)
            widget.setStyleSheet(scaled)


def text_colour(colour: str) -> str:
    """``colour`` for text on white: a darker shade where the palette's is below 4.5:1."""
    return _TEXT_SHADES.get(colour, colour)


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


def on_white(colour: str, alpha: int) -> str:
    """``colour`` at opacity ``alpha`` (0–255) as it looks on white, as ``#rrggbb`` (for a
    key that must match a translucent curve)."""
    shade, share = QColor(colour), alpha / 255
    mixed = [
        round(c * share + 255 * (1 - share)) for c in (shade.red(), shade.green(), shade.blue())
    ]
    return QColor(*mixed).name()


def diverging_colormap() -> pg.ColorMap:
    """A colour map centred on zero for weight matrices."""
    return pg.ColorMap(pos=[0.0, 0.5, 1.0], color=[QColor(c) for c in DIVERGING])

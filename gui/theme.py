"""Colours and fonts, chosen for projectors: dark text on white (or, in the dark palette,
light text on near black), a colour-blind-safe palette.

Values, prediction and the data sets are drawn in Okabe–Ito's colours, the gradient and the
slope in two more chosen to stay apart from them under simulated protan, deutan and tritan
vision; each colour has one meaning everywhere. Where one is too pale for small text on
white (below 4.5:1), :func:`text_colour` gives a darker shade for text; bars and lines keep it.
The colours live in two palettes (:mod:`gui.palette`); :func:`set_palette` switches between
them, and the names here (``theme.TEXT``, ``theme.POSITIVE``…) always hold the palette's.

Every font size in the app comes from here, relative to one base size that grows with the
screen (:func:`apply_application_font`), times a zoom that presenter mode sets
(:func:`set_presenting`). Widgets that set a font, a colour or a style sheet of their own do
it in a method registered with :func:`follow`, so that one call rescales or recolours the
whole window. As a safety net, style sheets nobody re-applies are rescaled and recoloured in
place (:mod:`gui.restyle`); fonts set with ``setFont`` and colours given to painters are not,
so their owners must follow.
"""

from __future__ import annotations

import html
import weakref
from collections.abc import Callable

import pyqtgraph as pg
import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

from gui.live_widgets import alive, all_widgets
from gui.palette import LIGHT, Palette, qt_palette, translation
from gui.restyle import recolour_labels, restyle_sheets

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

# The colours in use, by meaning: the light palette's until set_palette() (and presenter mode,
# for the text) changes them. Read them as ``theme.TEXT`` when drawing, never copy them at
# import: a palette change replaces these names. The light values are described here; the
# dark ones in gui/palette.py.
POSITIVE = LIGHT.positive
#: Vermillion, not Okabe–Ito's orange: orange is 2.2:1 on white, too pale for a thin bar.
NEGATIVE = LIGHT.negative
PREDICTED = LIGHT.predicted
GHOST = LIGHT.ghost
TEXT = LIGHT.text
#: Secondary text: still 9:1 against white, so it reads on a washed-out projector.
MUTED = LIGHT.muted
ERROR = LIGHT.error
#: The training set is run 0's colour; the test set Okabe–Ito's reddish purple (3.1:1: a
#: line or a swatch, never small text).
TRAIN = POSITIVE
TEST = LIGHT.test
#: Cells that have no value yet (weights before the model has answered).
EMPTY = LIGHT.empty
#: Weight heatmaps: negative vermillion, zero the background (white), positive blue.
DIVERGING = (NEGATIVE, LIGHT.background, POSITIVE)
#: Gradient bars have one colour whatever their sign (the direction shows it): Paul Tol's
#: wine (the former purple read as POSITIVE's blue under simulated deutan vision).
GRADIENT = LIGHT.gradient
#: An activation's slope f′(z), dashed beside f(z) in POSITIVE's blue: a violet, far from
#: blue, red (ERROR's rings) and the test set's purple for every common deficiency.
SLOPE = LIGHT.slope
#: The key-insight box: a pale yellow note, dark text on it.
INSIGHT_BACKGROUND = LIGHT.insight_background
INSIGHT_BORDER = LIGHT.insight_border
#: Plots and cells; the window; a panel set apart (the observation); grid lines.
BACKGROUND = LIGHT.background
WINDOW = LIGHT.window
SURFACE = LIGHT.surface
GRID = LIGHT.grid
#: The model problem bar; a right and a wrong quiz answer, and an option under the pointer.
PROBLEM_BACKGROUND = LIGHT.problem_background
PROBLEM_BORDER = LIGHT.problem_border
RIGHT_BACKGROUND = LIGHT.right_background
WRONG_BACKGROUND = LIGHT.wrong_background
HOVER_BACKGROUND = LIGHT.hover_background
#: Text on a strong colour: the prediction badge, a saturated heatmap cell.
ON_STRONG = LIGHT.on_strong
#: The presenter's lesson banner, and its secondary text.
BANNER = LIGHT.banner
BANNER_SOFT = LIGHT.banner_soft
#: One colour per compared run, run 1 in the training colour.
RUNS = LIGHT.runs
#: Darker shades for text of palette colours below 4.5:1 on white (5.2, 5.3 and 5.0:1).
_TEXT_SHADES = {
    NEGATIVE: LIGHT.negative_text,
    PREDICTED: LIGHT.predicted_text,
    TEST: LIGHT.test_text,
}
#: The palette in use.
_palette: Palette = LIGHT
#: The application's palette before this module first changed it (the system's look).
_original_qt_palette: QPalette | None = None

#: Presenter mode: how much larger everything is drawn (its text: the palette's near black).
PRESENTER_ZOOM = 1.6

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
    """Call the bound method ``callback`` after every change of presenter mode or palette (to
    re-apply fonts, colours and style sheets). Held weakly: following never keeps a widget
    alive."""
    _followers.append(weakref.WeakMethod(callback))


def followers() -> list[Callable[[], object]]:
    """The live followers, in the order they were registered (dead ones are dropped)."""
    live = []
    for ref in list(_followers):
        method = ref()
        owner = getattr(method, "__self__", None)
        # A Qt object can be deleted in C++ while Python still holds its wrapper.
        if method is None or (isinstance(owner, shiboken6.Object) and not shiboken6.isValid(owner)):
            _followers.remove(ref)
        else:
            live.append(method)
    return live


def set_presenting(on: bool) -> None:
    """Presenter mode on or off: every font ``PRESENTER_ZOOM`` times larger (the application
    font and every follower's), text near black (near white on dark). Off restores the exact
    sizes and colours."""
    global _presenting, _normal_font  # noqa: PLW0603 (one theme per process)
    if on == _presenting:
        return
    colours = translation(_palette, _palette, (_presenting, on))
    _presenting = on
    _assign_colours(_palette)
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
        restyle_sheets(all_widgets(app), colours, PRESENTER_ZOOM if on else 1 / PRESENTER_ZOOM)
    for callback in followers():
        callback()


def palette() -> Palette:
    """The palette in use (:data:`gui.palette.LIGHT` or :data:`gui.palette.DARK`)."""
    return _palette


def dark() -> bool:
    """True while the dark palette is in use."""
    return _palette.is_dark


def set_palette(new: Palette) -> None:
    """Draw everything in ``new``: the theme's colours, the application's palette (menus,
    tables, fields), pyqtgraph's backgrounds, every style sheet and coloured label text; then
    every follower restyles. Setting the palette in use does nothing."""
    global _palette, _original_qt_palette  # noqa: PLW0603 (one theme per process)
    if new == _palette:
        return
    colours = translation(_palette, new, (_presenting, _presenting))
    _palette = new
    _assign_colours(new)
    configure_pyqtgraph()
    app = QGuiApplication.instance()
    if isinstance(app, QApplication):
        if _original_qt_palette is None:
            _original_qt_palette = QPalette(app.palette())
        app.setPalette(_qt_palette_for(app, new, _original_qt_palette))
        # A class name as str: PySide6 6.11's stub says bytes, which it refuses at run time.
        app.setPalette(_check_box_palette(app.palette(), new), "QCheckBox")  # type: ignore[arg-type]
        widgets = all_widgets(app)
        restyle_sheets(widgets, colours, repolish=True)
        recolour_labels(widgets, colours)
        for widget in widgets:
            if alive(widget) and isinstance(widget, pg.GraphicsView):
                widget.setBackground(BACKGROUND)
    for callback in followers():
        callback()


def _check_box_palette(base: QPalette, new: Palette) -> QPalette:
    """Fusion outlines a check box in its window colour, darker: on the dark palette an
    unticked box was dark on dark, its border invisible. A check box's window colour is only
    used for that outline, so on the dark palette it takes the muted text's, whose darker
    shade reads against the window."""
    result = QPalette(base)
    if new.is_dark:
        result.setColor(QPalette.ColorRole.Window, QColor(new.muted))
    return result


def _qt_palette_for(app: QApplication, new: Palette, original: QPalette) -> QPalette:
    """The system's own palette where it already has the look asked for, else ours."""
    system_dark = original.color(QPalette.ColorRole.Window).lightness() < 128
    if system_dark == new.is_dark:
        return QPalette(original)
    return qt_palette(new, app.style().standardPalette())


#: The module's colour names and the palette slot each takes its colour from.
_SLOTS = {
    "POSITIVE": "positive",
    "NEGATIVE": "negative",
    "PREDICTED": "predicted",
    "GHOST": "ghost",
    "ERROR": "error",
    "TRAIN": "positive",
    "TEST": "test",
    "EMPTY": "empty",
    "GRADIENT": "gradient",
    "SLOPE": "slope",
    "INSIGHT_BACKGROUND": "insight_background",
    "INSIGHT_BORDER": "insight_border",
    "BACKGROUND": "background",
    "WINDOW": "window",
    "SURFACE": "surface",
    "GRID": "grid",
    "PROBLEM_BACKGROUND": "problem_background",
    "PROBLEM_BORDER": "problem_border",
    "RIGHT_BACKGROUND": "right_background",
    "WRONG_BACKGROUND": "wrong_background",
    "HOVER_BACKGROUND": "hover_background",
    "ON_STRONG": "on_strong",
    "BANNER": "banner",
    "BANNER_SOFT": "banner_soft",
}


def _assign_colours(new: Palette) -> None:
    """Point every colour name of this module at ``new``'s colours (and presenter text)."""
    values: dict[str, object] = {name: getattr(new, slot) for name, slot in _SLOTS.items()}
    prefix = "presenter_" if _presenting else ""
    values["TEXT"], values["MUTED"] = getattr(new, f"{prefix}text"), getattr(new, f"{prefix}muted")
    values["DIVERGING"] = (new.negative, new.background, new.positive)
    values["RUNS"] = new.runs
    values["_TEXT_SHADES"] = {
        new.negative: new.negative_text,
        new.predicted: new.predicted_text,
        new.test: new.test_text,
    }
    globals().update(values)


def text_colour(colour: str) -> str:
    """``colour`` for text on the background: a darker (lighter) shade where the palette's is
    below 4.5:1."""
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
    """Global pyqtgraph look: the palette's background, text-coloured axes, antialiased."""
    pg.setConfigOptions(antialias=True, background=BACKGROUND, foreground=TEXT)


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
    """``colour`` at opacity ``alpha`` (0–255) as it looks on white, as ``#rrggbb``."""
    return mixed(colour, "#ffffff", alpha / 255)


def on_background(colour: str, alpha: int) -> str:
    """``colour`` at opacity ``alpha`` (0–255) as it looks on the palette's background, as
    ``#rrggbb`` (for a key that must match a translucent curve)."""
    return mixed(colour, BACKGROUND, alpha / 255)


def mixed(colour: str, under: str, share: float) -> str:
    """``share`` of ``colour`` over ``1 − share`` of ``under``, as ``#rrggbb``."""
    top, bottom = QColor(colour), QColor(under)
    pairs = ((top.red(), bottom.red()), (top.green(), bottom.green()), (top.blue(), bottom.blue()))
    return QColor(*[round(a * share + b * (1 - share)) for a, b in pairs]).name()


def diverging_colormap() -> pg.ColorMap:
    """A colour map centred on zero for weight matrices."""
    return pg.ColorMap(pos=[0.0, 0.5, 1.0], color=[QColor(c) for c in DIVERGING])

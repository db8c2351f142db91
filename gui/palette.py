"""The two palettes, light and dark: every colour the app draws with, by meaning.

Light is the projector palette: dark text on white, Okabe–Ito's colours. Dark keeps each
meaning's hue where it reads on a dark background (Okabe–Ito's sky blue for positive values,
vermillion lightened for negative, bluish green for the prediction) and moves the two that
only a light background carries (the gradient's wine, the slope's violet) to colours that stay
apart from every other meaning under simulated protan, deutan and tritan vision: the
gradient mint, the slope Okabe–Ito's yellow. Every text colour has at least 4.5:1 against the
backgrounds it is drawn on; a test checks each pair.

Slot by slot, the palettes are a one-to-one mapping (no two slots of one palette share a
colour unless they share it in the other too), so that a style sheet written in one palette
can be translated into the other by replacing colours (:func:`translation`).
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from PySide6.QtGui import QColor, QPalette


@dataclass(frozen=True)
class Palette:
    """Every colour of one look, by meaning (``#rrggbb``)."""

    name: str
    #: Body text and secondary text, and their near-black (near-white) presenter variants.
    text: str
    muted: str
    presenter_text: str
    presenter_muted: str
    #: Plots, input cells and tables; the window around them; a panel set apart.
    background: str
    window: str
    surface: str
    #: Values, prediction, the data sets and the gradient's and slope's own colours.
    positive: str
    negative: str
    predicted: str
    ghost: str
    error: str
    test: str
    gradient: str
    slope: str
    #: Shades for small text of the colours above that are too pale (too dark) for it.
    negative_text: str
    predicted_text: str
    test_text: str
    #: Weights not yet known; the plots' grid lines.
    empty: str
    grid: str
    #: The key-insight note, the model problem bar, a right and a wrong quiz answer.
    insight_background: str
    insight_border: str
    problem_background: str
    problem_border: str
    right_background: str
    wrong_background: str
    hover_background: str
    #: Text on a strong colour (the prediction badge, a saturated heatmap cell).
    on_strong: str
    #: The presenter's lesson banner and its secondary text.
    banner: str
    banner_soft: str
    #: One colour per compared run (run 1 in the training colour).
    run_2: str
    run_3: str
    run_4: str
    #: Selected rows and text.
    highlight: str

    @property
    def runs(self) -> tuple[str, str, str, str]:
        """The compared runs' colours, run 1 (the training colour) first."""
        return (self.positive, self.run_2, self.run_3, self.run_4)

    @property
    def is_dark(self) -> bool:
        """True for light text on a dark background."""
        return QColor(self.background).lightness() < 128


LIGHT = Palette(
    name="light",
    text="#1f2933",
    muted="#3e4c59",
    presenter_text="#000000",
    presenter_muted="#262626",
    background="#ffffff",
    window="#efefef",
    surface="#f5f7fa",
    positive="#0072b2",
    negative="#d55e00",
    predicted="#009e73",
    ghost="#8a96a3",
    error="#b3261e",
    test="#cc79a7",
    gradient="#882255",
    slope="#8800ee",
    negative_text="#b35000",
    predicted_text="#007a5a",
    test_text="#a8527e",
    empty="#eef0f2",
    grid="#e4e7eb",
    insight_background="#fff8e1",
    insight_border="#e0c86a",
    problem_background="#fdecea",
    problem_border="#f1b0aa",
    right_background="#e6f4ea",
    wrong_background="#fdecea",
    hover_background="#eef3f9",
    on_strong="#ffffff",
    banner="#222e3a",
    banner_soft="#cbd2d9",
    run_2="#d55e00",
    run_3="#009e73",
    run_4="#cc79a7",
    highlight="#308cc6",
)

DARK = Palette(
    name="dark",
    text="#e3e8ee",
    muted="#aab4bf",
    presenter_text="#fafafa",
    presenter_muted="#dde2e7",
    background="#1b1f24",
    window="#262b31",
    surface="#22272d",
    positive="#56b4e9",
    negative="#e8743b",
    predicted="#009e73",
    ghost="#8a96a3",
    error="#ff6b61",
    test="#cc79a7",
    gradient="#44ffbb",
    slope="#f0e442",
    negative_text="#ec8150",
    predicted_text="#1fb58a",
    test_text="#d68ab4",
    empty="#30353c",
    grid="#343a41",
    insight_background="#38321d",
    insight_border="#8a7a3a",
    problem_background="#3d2220",
    problem_border="#8c3b35",
    right_background="#1c3a2e",
    wrong_background="#3d2220",
    hover_background="#2c3440",
    on_strong="#1b1f24",
    banner="#38414d",
    banner_soft="#c4ccd5",
    run_2="#e8743b",
    run_3="#009e73",
    run_4="#cc79a7",
    highlight="#2f6fa8",
)

PALETTES = {palette.name: palette for palette in (LIGHT, DARK)}


def translation(old: Palette, new: Palette, presenting: tuple[bool, bool]) -> dict[str, str]:
    """Each colour of ``old`` mapped to the same slot's colour in ``new`` (lower case), with
    the text colours of presenter mode where ``presenting`` (before, after) says so."""
    mapping: dict[str, str] = {}
    # Presenter text is text: reached through "text" and "muted" when presenting.
    names = [f.name for f in fields(Palette) if f.name != "name" and "presenter" not in f.name]
    for name in names:
        source = f"presenter_{name}" if name in ("text", "muted") and presenting[0] else name
        target = f"presenter_{name}" if name in ("text", "muted") and presenting[1] else name
        mapping.setdefault(getattr(old, source).lower(), getattr(new, target).lower())
    return mapping


def contrast(first: str, second: str) -> float:
    """The WCAG 2 contrast ratio of two colours (1 to 21)."""

    def luminance(name: str) -> float:
        colour = QColor(name)
        channels = (colour.redF(), colour.greenF(), colour.blueF())
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return float(0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2])

    high, low = sorted((luminance(first), luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def qt_palette(palette: Palette, base: QPalette) -> QPalette:
    """``base`` (the style's own palette) with the window, text and selection colours of
    ``palette``: every plain widget (menus, tables, fields, dialogs) then follows it."""
    result = QPalette(base)
    role, group = QPalette.ColorRole, QPalette.ColorGroup
    colours = {
        role.Window: palette.window,
        role.WindowText: palette.text,
        role.Base: palette.background,
        role.AlternateBase: palette.surface,
        role.Text: palette.text,
        role.Button: palette.window,
        role.ButtonText: palette.text,
        role.ToolTipBase: palette.surface,
        role.ToolTipText: palette.text,
        role.PlaceholderText: palette.muted,
        role.Highlight: palette.highlight,
        role.HighlightedText: "#ffffff",
        role.Link: palette.positive,
        role.BrightText: palette.error,
    }
    for colour_role, name in colours.items():
        result.setColor(colour_role, QColor(name))
    shade = QColor(palette.window)
    light, dark = (shade.lighter(130), shade.darker(150))
    for colour_role, colour in (
        (role.Light, light),
        (role.Midlight, shade.lighter(115)),
        (role.Mid, shade.darker(120) if not palette.is_dark else shade.lighter(140)),
        (role.Dark, dark),
        (role.Shadow, QColor("#000000")),
    ):
        result.setColor(colour_role, colour)
    disabled = QColor(palette.ghost)
    for colour_role in (role.WindowText, role.Text, role.ButtonText):
        result.setColor(group.Disabled, colour_role, disabled)
    return result

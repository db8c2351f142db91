"""Style sheets and coloured rich text rewritten in place, for widgets nobody re-styles.

Widgets that set a font or colours of their own re-apply them when the theme changes (they
follow it: :func:`gui.theme.follow`). This is the safety net for the rest: every style sheet's
colours are translated into the new palette (and its point sizes scaled for presenter mode),
and every rich-text label's colours likewise. A translation is one pass over each text, so a
colour that is both replaced and a replacement never chains.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from gui.live_widgets import alive

#: A point size in a style sheet, as :func:`gui.theme.css_points` writes it.
POINTS = re.compile(r"font-size:\s*([0-9.]+)pt")
#: A colour in a style sheet: ``#rrggbb``, or the name ``white``.
_COLOUR = re.compile(r"#[0-9a-fA-F]{6}\b|\bwhite\b")
#: A colour inside rich text (names are left alone: "white" there may be a word).
_HEX = re.compile(r"#[0-9a-fA-F]{6}\b")


def translate(text: str, colours: dict[str, str], pattern: re.Pattern[str] = _COLOUR) -> str:
    """``text`` with each colour found in ``colours`` (lower-case ``#rrggbb`` keys; the name
    ``white`` counts as ``#ffffff``) replaced, in one pass."""

    def swap(match: re.Match[str]) -> str:
        found = match[0].lower()
        return colours.get("#ffffff" if found == "white" else found, match[0])

    return pattern.sub(swap, text)


def restyle_sheets(
    widgets: Iterable[QWidget],
    colours: dict[str, str],
    ratio: float = 1.0,
    *,
    repolish: bool = False,
) -> None:
    """Every widget's style sheet again, its colours translated and its point sizes times
    ``ratio``: a widget with a style sheet keeps the font it had when the sheet was applied,
    so without this a footer coloured by a sheet stayed small while all around it grew; and a
    sheet nobody re-applies would keep the old palette's colours. ``repolish`` applies even an
    unchanged sheet again: a widget with a style sheet takes the application's palette only
    when its sheet is applied (a padded button stayed light in the dark palette). ``widgets``
    comes from :func:`gui.live_widgets.all_widgets`."""
    for widget in widgets:
        if not alive(widget):
            continue
        sheet = widget.styleSheet()
        if sheet:
            restyled = translate(sheet, colours)
            if ratio != 1.0:
                restyled = POINTS.sub(lambda m: f"font-size: {float(m[1]) * ratio:.1f}pt", restyled)
            if restyled != sheet or repolish:
                widget.setStyleSheet(restyled)


def recolour_labels(widgets: Iterable[QWidget], colours: dict[str, str]) -> None:
    """Coloured words in rich-text labels (a legend's "blue"), translated like the sheets."""
    for widget in widgets:
        if not alive(widget):
            continue
        if isinstance(widget, QLabel) and widget.textFormat() != Qt.TextFormat.PlainText:
            text = widget.text()
            if "#" in text:
                recoloured = translate(text, colours, _HEX)
                if recoloured != text:
                    widget.setText(recoloured)

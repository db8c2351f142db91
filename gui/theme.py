"""Colours and fonts, chosen for projectors: dark text on white, colour-blind-safe pairs.

Blue and orange tell positive from negative for every common colour-vision deficiency;
green marks the predicted class. Every colour is used for one meaning everywhere.
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtGui import QColor, QFont

POSITIVE = "#2f6db5"
NEGATIVE = "#e07b21"
PREDICTED = "#1a9850"
GHOST = "#9aa5b1"
TEXT = "#1f2933"
MUTED = "#52606d"
ERROR = "#b3261e"
TRAIN = "#2f6db5"
TEST = "#d1495b"
#: Weight heatmaps: negative orange, zero white, positive blue (same meanings as the bars).
DIVERGING = (NEGATIVE, "#ffffff", POSITIVE)


def configure_pyqtgraph() -> None:
    """Global pyqtgraph look: white background, dark axes, antialiased lines."""
    pg.setConfigOptions(antialias=True, background="w", foreground=TEXT)


def value_font(point_size: int = 9, bold: bool = False) -> QFont:
    """The font for numbers printed on plots."""
    font = QFont()
    font.setPointSize(point_size)
    font.setBold(bold)
    return font


def brush(colour: str, alpha: int = 255) -> QColor:
    """A QColor from a theme colour with optional transparency."""
    result = QColor(colour)
    result.setAlpha(alpha)
    return result


def diverging_colormap() -> pg.ColorMap:
    """A colour map centred on zero for weight matrices."""
    return pg.ColorMap(pos=[0.0, 0.5, 1.0], color=[QColor(c) for c in DIVERGING])

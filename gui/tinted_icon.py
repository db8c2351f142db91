"""Qt's standard icons in the palette's own ink.

The style's media icons (play, pause, skip) are drawn in dark grey whatever the palette: on the
dark palette the Train and Step buttons showed almost nothing beside their words. Tinted with the
button text's colour they read on either palette, and in presenter mode's darker ink.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QGuiApplication, QIcon, QPainter, QPalette

#: The sizes drawn (toolbar icons are 16–24 px; presenter mode and high-DPI screens ask more).
SIZES = (16, 20, 24, 32, 48)


def ink() -> QColor:
    """The application's button text colour (the palette in use)."""
    return QGuiApplication.palette().color(QPalette.ColorRole.ButtonText)


def tinted(icon: QIcon, colour: QColor) -> QIcon:
    """``icon``'s shapes filled with ``colour``, its transparency kept. Disabled and active
    looks are derived from it by the style, as for any icon."""
    result = QIcon()
    for size in SIZES:
        pixmap = icon.pixmap(size, size)
        if pixmap.isNull():
            continue
        painter = QPainter(pixmap)
        painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_SourceIn)
        painter.fillRect(pixmap.rect(), colour)
        painter.end()
        result.addPixmap(pixmap)
    return result

"""The plot that bar panels draw on, the arithmetic of their axes, and the bars' legend.

:class:`BarPlot` records when it last painted (the benchmark and the tests wait on it). The
helpers keep every pixel for the bars: ticks spaced so their texts never meet, axes just wide
enough for them, and room for lines of labels measured in pixels, not guessed in data units.
:class:`BarLegend` says what the bars' colours mean, with keys painted by the bars' brushes.
"""

from __future__ import annotations

import html
import math
import time
from collections.abc import Sequence
from functools import cache

import pyqtgraph as pg
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFontMetricsF,
    QPainter,
    QPaintEvent,
    QPen,
    QPixmap,
    QResizeEvent,
    QTextDocument,
)
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

from gui import theme
from gui.number_format import minus_signs
from gui.widgets.fitting_label import html_width
from gui.widgets.light_grid import nice_step
from gui.widgets.plot_labels import GAP_PX

BAR_WIDTH = 0.6
#: The bars' x range: half a slot either side of bars 0 … n−1.
X_MARGIN = 0.5
#: Height of one line of labels, as a fraction of the value range.
LABEL_LINE = 0.13

PEN_NONE = pg.mkPen(None)
#: The ghost bars' (z) fill: the ghost colour this translucent.
GHOST_ALPHA = 50
#: Room between two keys of the legend on one line.
KEY_GAP = "&nbsp;" * 3


@cache
def fills(colour: str) -> tuple[QBrush, QBrush, QPen]:
    """A bar colour solid, hatched (a unit that passes almost no gradient back), and the
    outline that keeps a hatched bar's edges clear (made once per colour: the palette's
    colours are few)."""
    pen = QPen(QColor(colour))
    pen.setCosmetic(True)
    return pg.mkBrush(colour), QBrush(QColor(colour), Qt.BrushStyle.BDiagPattern), pen


@cache
def _ghost_brushes(colour: str) -> tuple[QBrush, QBrush]:
    return (
        pg.mkBrush(theme.brush(colour, GHOST_ALPHA)),
        QBrush(theme.brush(colour), Qt.BrushStyle.BDiagPattern),
    )


def ghost_brush(hatched: bool = False) -> QBrush:
    """The fill of a ghost (z) bar or a stale bar in the palette's ghost colour; hatched for
    a unit that passes almost no gradient back."""
    return _ghost_brushes(theme.GHOST)[1 if hatched else 0]


@cache
def solid_brush(colour: str) -> QBrush:
    """A plain brush of ``colour`` (made once per colour)."""
    return QBrush(QColor(colour))


class BarPlot(pg.PlotWidget):  # type: ignore[misc]  # pyqtgraph is untyped
    """A PlotWidget that records when it last finished painting, and which values it showed.

    The benchmark times "edit → every panel repainted" with these; tests use them to know a
    frame was really drawn, not just scheduled.

    Signals
    -------
    painted()
        A frame has been drawn (``painted_version`` and ``painted_at`` are up to date).
    resized()
        The plot's size changed (label margins are measured in pixels).
    """

    painted = Signal()
    resized = Signal()

    def __init__(self) -> None:
        super().__init__()
        # Bars are axis-aligned: antialiasing would only cost time (text keeps its own).
        self.setAntialiasing(False)
        self.setMenuEnabled(False)
        self.setMouseEnabled(x=False, y=False)
        self.hideButtons()
        self.shown_version = 0
        self.painted_version = 0
        self.painted_at = 0.0

    def sizeHint(self) -> QSize:
        """Modest: pyqtgraph asks for 640×480, which left no room to share by stretch."""
        return QSize(200, 160)

    def paintEvent(self, event: QPaintEvent) -> None:
        """Paint, then note the time and the version of the values just drawn."""
        super().paintEvent(event)
        self.painted_version = self.shown_version
        self.painted_at = time.perf_counter()
        self.painted.emit()

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Resize, then let the panel refit its label margins."""
        super().resizeEvent(event)
        self.resized.emit()


def tick_metrics() -> QFontMetricsF:
    """The metrics of tick text on a bar plot's axis."""
    # Measured when needed, not at import: fonts need a QApplication, and the theme's scale.
    return QFontMetricsF(theme.value_font(8))


def style_axis(axis: pg.AxisItem, design_points: float, **style: object) -> None:
    """Give ``axis`` the theme's tick font (``design_points`` at the design scale) and text
    colour; ``style`` goes to ``AxisItem.setStyle`` too. Called again when the theme changes:
    the axis measures its own height and width from the font."""
    axis.setStyle(tickFont=theme.value_font(design_points), **style)
    axis.setPen(theme.TEXT)
    axis.setTextPen(theme.TEXT)


def tick_text(value: float) -> str:
    """A tick's text, with a real minus sign."""
    return minus_signs(f"{value:g}")


def axis_ticks(low: float, high: float, pixels: float, most: int = 4) -> list[tuple[float, str]]:
    """Round values for the axis, about ``most`` steps, spaced at least two text lines apart
    on screen (in a short plot, five ticks printed over each other); ``pixels`` is the
    height of ``low`` … ``high`` on screen."""
    text_px = tick_metrics().height()
    fitting = max(2, int(pixels / (2 * text_px)))
    step = nice_step(high - low, lines=min(most, fitting))
    first = math.ceil(low / step - 1e-9)
    last = math.floor(high / step + 1e-9)
    values = [round(i * step, 10) for i in range(first, last + 1)]
    if len(values) < 3:
        # The limits are round numbers too: show the scale's ends, where they do not touch
        # zero's text (in the shortest plots, "3", "0" and "−3" ran into each other).
        per_unit = pixels / (high - low)
        values = [v for v in (low, high) if abs(v) * per_unit >= text_px + 2]
        values = sorted({*values, 0.0})
    return [(v, tick_text(v)) for v in values]


def ticks_width(ticks: Sequence[tuple[float, str]]) -> int:
    """The axis width that fits the widest line of ``ticks``' texts."""
    if not ticks:
        return 0
    metrics = tick_metrics()
    # The text's offset from the axis line (5 px) and a little room on its left.
    lines = [line for _, text in ticks for line in text.split("\n")]
    return round(max(metrics.horizontalAdvance(line) for line in lines) + 9)


def label_margins(
    plot: BarPlot, span: float, lines_below: int, lines_above: int
) -> tuple[float, float]:
    """Room below and above a range of ``span`` for lines of labels, in data units.

    A line of labels is as tall in pixels as its font, whatever the range: the margins are
    computed from the plot's pixel height so that labels never need clipping.
    """
    line_px = QFontMetricsF(theme.value_font(9, bold=True)).height() + 2 * GAP_PX
    pixels = plot.getViewBox().height()
    free_px = pixels - (lines_below + lines_above) * line_px
    # Not laid out yet, or tiny: a sensible share of the range.
    share = LABEL_LINE if free_px < line_px else line_px / free_px
    line = span * share
    return line * lines_below, line * lines_above


class BarLegend(QLabel):
    """What the bars' colours and outlines mean; each key is a small bar painted with the
    bars' own brushes and pens (a "▭" glyph sat on the baseline and read as a line through
    "z = W·x + b"). The swatches follow the theme's size.

    It lines its keys up itself, whole keys per line: Qt breaks a line after any inline
    image, even before a no-break space, so a word-wrapped label left a key's swatch at the
    end of one line and its words on the next. Its minimum height is that of its lines.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setWordWrap(False)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self._keys: list[str] = []
        self._widths: list[float] = []
        self._gap = 0.0
        self._apply_theme()
        theme.follow(self._apply_theme)

    @property
    def lines(self) -> list[list[str]]:
        """The keys shown on each line (rich text), for tests and tools."""
        return [line.split(KEY_GAP) for line in self.text().split("<br>")]

    def _apply_theme(self) -> None:
        self.setStyleSheet(f"color: {theme.TEXT}")
        side = max(8, round(QFontMetricsF(self.font()).ascent() * 0.8))
        ratio = self.devicePixelRatioF()
        ghost = QPen(theme.brush(theme.GHOST), 1.0)
        ghost.setDashPattern([2.0, 2.0])  # a short key shows a few dashes, as a bar shows many
        hatched = QBrush(QColor(theme.MUTED), Qt.BrushStyle.BDiagPattern)
        keys = (
            (fills(theme.POSITIVE)[0], None, "positive"),
            (fills(theme.NEGATIVE)[0], None, "negative"),
            (fills(theme.PREDICTED)[0], None, "predicted"),
            (ghost_brush(), ghost, "z = W·x + b"),
            (solid_brush(theme.GRADIENT), None, "∂L/∂z"),
            (hatched, QPen(QColor(theme.MUTED)), "flat"),
        )
        self._keys = [
            f"<img src='{_swatch(side, ratio, fill, outline)}' width='{side}' height='{side}'>"
            f"&nbsp;{html.escape(text).replace(' ', '&nbsp;')}"
            for fill, outline, text in keys
        ]
        font = self.font()
        self._widths = [html_width(key, font) for key in self._keys]
        self._gap = html_width(KEY_GAP, font)
        self._fit()

    def sizeHint(self) -> QSize:
        """Every key on one line."""
        width = sum(self._widths) + self._gap * (len(self._widths) - 1)
        return QSize(math.ceil(width) + self._margins(), self.minimumHeight())

    def minimumSizeHint(self) -> QSize:
        """As narrow as the widest key."""
        return QSize(math.ceil(max(self._widths)) + self._margins(), self.minimumHeight())

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Line the keys up again for the new width."""
        super().resizeEvent(event)
        self._fit()

    def _margins(self) -> int:
        margins = self.contentsMargins()
        return margins.left() + margins.right() + 1

    def _fit(self) -> None:
        room = self.width() - self._margins()
        lines: list[list[str]] = [[]]
        used = 0.0
        for key, width in zip(self._keys, self._widths, strict=True):
            if lines[-1] and used + self._gap + width > room:
                lines.append([])
                used = 0.0
            used += width + (self._gap if lines[-1] else 0.0)
            lines[-1].append(key)
        text = "<br>".join(KEY_GAP.join(line) for line in lines)
        if text != self.text():
            self.setText(text)
        document = QTextDocument()
        document.setDocumentMargin(0)
        document.setDefaultFont(self.font())
        document.setHtml(text)
        margins = self.contentsMargins()
        height = math.ceil(document.size().height()) + margins.top() + margins.bottom()
        if height != self.minimumHeight():
            self.setMinimumHeight(height)  # relays out the window only when it changes


def _swatch(side: int, ratio: float, fill: QBrush, outline: QPen | None) -> str:
    """A ``side``-pixel bar key as a PNG data URI (crisp at device pixel ``ratio``)."""
    pixmap = QPixmap(round(side * ratio), round(side * ratio))
    pixmap.setDevicePixelRatio(ratio)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.fillRect(QRectF(0, 0, side, side), fill)
    if outline is not None:
        outline.setCosmetic(True)
        painter.setPen(outline)
        painter.drawRect(QRectF(0.5, 0.5, side - 1, side - 1))
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    pixmap.save(buffer, "PNG")
    return f"data:image/png;base64,{data.toBase64().toStdString()}"

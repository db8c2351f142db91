"""Numbers printed on a plot, all painted by one item in a single pass, never wrongly.

pyqtgraph's TextItem lays each label out as a rich-text document and its axes regenerate tick
text in Python: measured here, changing four bar labels and four tick labels cost ~1.5 ms per
panel repaint. This item maps each anchor point to the screen and draws plain text there, so
labels keep their pixel size whatever the plot's scale, at a fraction of the cost.

A number that is drawn must be read right. When space is short, a row of labels first gets a
smaller font, then fewer digits (each label carries its own shorter spellings, all correct
roundings), and if even that does not fit, the row is not drawn at all (the data-flow table has
every digit). A label is never clipped: it is moved inside the plot instead, on an opaque
backing so that grid lines and dashed outlines cannot cross it ("0.213" must not read
"−0.213").
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter
from PySide6.QtWidgets import QStyleOptionGraphicsItem, QWidget

from gui import theme

GAP_PX = 2.0
#: Horizontal room kept free between neighbouring labels.
SPACING_PX = 3.0
#: The opaque backing reaches this far beyond the text on each side.
BACKING_PX = 2.0
#: Fonts tried before dropping digits: the design size, then smaller steps down to this.
SMALLEST_DESIGN_POINTS = 7.0
#: The backing's opacity over what it hides (the background colour, nearly opaque).
BACKING_ALPHA = 235
#: Centred, and never clipped to the measured box: a screen whose text renders a little wider
#: than measured must not cut the minus sign off.
_ALIGN = int(Qt.AlignmentFlag.AlignCenter) | int(Qt.TextFlag.TextDontClip)


@dataclass(frozen=True)
class Label:
    """One label: text centred on ``x``, above (``above=True``) or below ``y`` (data units).

    ``shorter`` holds the same number with fewer digits, most precise first; ``colour`` is
    a text colour of its own (a heatmap cell's number, black or white for its cell), else the
    theme's text or muted colour; ``clear_of`` is a line to keep off.
    """

    x: float
    y: float
    text: str
    above: bool = True
    muted: bool = False
    centred: bool = False
    shorter: tuple[str, ...] = ()
    colour: str = ""
    #: A horizontal line (data units) the text must not sit across, such as the dashed end of
    #: the bar behind: beside a number, a line's end reads as a minus sign.
    clear_of: float | None = None

    @property
    def spellings(self) -> tuple[str, ...]:
        """Every way this label may be written, most precise first."""
        return (self.text, *self.shorter)


@dataclass(frozen=True)
class PlacedLabel:
    """Where and how a label is drawn, in device pixels."""

    rect: QRectF
    text: str
    font: QFont
    muted: bool
    colour: str


class MeasuredFont:
    """A font and the widths of the texts drawn in it, each measured once: a paint lays out
    up to 16 labels in several fonts and spellings, and measuring (with QFont.key() for a
    shared cache) each time cost ~0.3 ms a plot, every frame."""

    #: Numbers repeat, so this stays small; it is emptied past this size all the same.
    MAX_CACHED = 5_000

    def __init__(self, font: QFont) -> None:
        self.font = font
        self._metrics = QFontMetricsF(font)
        self.height = self._metrics.height()
        self._widths: dict[str, float] = {}

    def width(self, text: str) -> float:
        """The advance of ``text`` in this font, in pixels."""
        width = self._widths.get(text)
        if width is None:
            if len(self._widths) >= self.MAX_CACHED:
                self._widths.clear()
            width = self._widths[text] = self._metrics.horizontalAdvance(text)
        return width


def fitting_fonts(design_points: float, bold: bool) -> list[MeasuredFont]:
    """The font at ``design_points``, then one point smaller at a time, down to the smallest."""
    sizes = [design_points]
    while sizes[-1] - 1 >= SMALLEST_DESIGN_POINTS:
        sizes.append(sizes[-1] - 1)
    return [MeasuredFont(theme.value_font(size, bold=bold)) for size in sizes]


def layout_labels(
    labels: Sequence[Label],
    to_screen: Callable[[QPointF], QPointF],
    view: QRectF,
    slot_width: float,
    *,
    fonts: Sequence[MeasuredFont],
    muted_fonts: Sequence[MeasuredFont],
) -> list[PlacedLabel]:
    """Place ``labels`` inside ``view`` (device pixels), each row in one font and precision.

    A row is the labels that share ``muted`` (values, or the pre-activations under them).
    Each row gets the most precise spelling, in the largest font, whose every label fits in
    ``slot_width``; a row that fits in no way is left out. Labels are moved inside ``view``
    rather than clipped, and a value label that would cover a muted one moves above it.
    """
    placed: list[PlacedLabel] = []
    for muted, row_fonts in ((True, muted_fonts), (False, fonts)):
        row = [label for label in labels if label.muted == muted]
        choice = _row_choice(row, slot_width, row_fonts)
        if choice is None:
            continue
        level, font = choice
        height = font.height
        if height > view.height():
            continue
        for label in row:
            text = label.spellings[min(level, len(label.spellings) - 1)]
            width = font.width(text) + 2.0
            point = to_screen(QPointF(label.x, label.y))
            if label.centred:
                top = point.y() - height / 2
            elif label.above:
                top = point.y() - height - GAP_PX
            else:
                top = point.y() + GAP_PX
            rect = QRectF(point.x() - width / 2, top, width, height)
            if label.clear_of is not None:
                rect = _clear_of(rect, to_screen(QPointF(label.x, label.clear_of)).y(), label)
            if not muted:
                rect = _above_muted(rect, placed)
            placed.append(PlacedLabel(_inside(rect, view), text, font.font, muted, label.colour))
    return placed


def _row_choice(
    row: Sequence[Label], slot_width: float, fonts: Sequence[MeasuredFont]
) -> tuple[int, MeasuredFont] | None:
    if not row:
        return None
    spellings = [label.spellings for label in row]
    levels = max(len(texts) for texts in spellings)
    room = slot_width - 2.0 - SPACING_PX
    for level in range(levels):
        texts = [options[min(level, len(options) - 1)] for options in spellings]
        for font in fonts:
            if max(font.width(text) for text in texts) <= room:
                return level, font
    return None


def _clear_of(rect: QRectF, line_y: float, label: Label) -> QRectF:
    """``rect`` moved off the horizontal line at ``line_y`` if the text would sit across it:
    beyond it, in the direction the label already points."""
    if not rect.top() - GAP_PX <= line_y <= rect.bottom() + GAP_PX:
        return rect
    moved = QRectF(rect)
    if label.above:
        moved.moveBottom(line_y - GAP_PX)
    else:
        moved.moveTop(line_y + GAP_PX)
    return moved


def _inside(rect: QRectF, view: QRectF) -> QRectF:
    """``rect`` moved (not cut) so that it lies inside ``view``."""
    moved = QRectF(rect)
    if moved.right() > view.right():
        moved.moveRight(view.right())
    if moved.left() < view.left():
        moved.moveLeft(view.left())
    if moved.bottom() > view.bottom():
        moved.moveBottom(view.bottom())
    if moved.top() < view.top():
        moved.moveTop(view.top())
    return moved


def _above_muted(rect: QRectF, placed: Sequence[PlacedLabel]) -> QRectF:
    for other in placed:
        if other.muted and rect.intersects(other.rect):
            moved = QRectF(rect)
            moved.moveBottom(other.rect.top() - 1)
            return moved
    return rect


class PlotLabels(pg.GraphicsObject):  # type: ignore[misc]  # pyqtgraph is untyped
    """Draws a list of :class:`Label` in screen space; repaints only when they change.

    ``slot`` is the distance in data units between neighbouring labels' anchors (1 for bars
    at 0, 1, 2, 3); ``backed`` draws each label on an opaque backing of the background colour.
    """

    def __init__(
        self,
        point_size: float = 9,
        bold: bool = True,
        *,
        slot: float = 1.0,
        backed: bool = True,
    ) -> None:
        super().__init__()
        self._point_size, self._bold = point_size, bold
        self._fonts: list[MeasuredFont] = []
        self._muted_fonts: list[MeasuredFont] = []
        self._apply_theme()
        theme.follow(self._apply_theme)
        self._slot = slot
        self._backed = backed
        self._labels: tuple[Label, ...] = ()
        self._bounds = QRectF()
        self._placed: list[PlacedLabel] = []
        self._painted_area = QRectF()
        self.setZValue(100)  # above bars, outlines and grid lines

    def _apply_theme(self) -> None:
        """Measure the fonts again at the theme's size (presenter mode), and redraw."""
        size = self._point_size
        self._fonts = fitting_fonts(size, self._bold)
        self._muted_fonts = fitting_fonts(max(size - 1, SMALLEST_DESIGN_POINTS), False)
        self.update()

    @property
    def labels(self) -> tuple[Label, ...]:
        """What is meant to be drawn now."""
        return self._labels

    @property
    def placed(self) -> tuple[PlacedLabel, ...]:
        """What the last paint drew, in device pixels (for tests: fitting, never clipped)."""
        return tuple(self._placed)

    @property
    def painted_area(self) -> QRectF:
        """The visible range in device pixels at the last paint: where labels may go."""
        return QRectF(self._painted_area)

    def set_labels(self, labels: Sequence[Label]) -> None:
        """Draw ``labels`` from the next paint on (nothing happens if they are unchanged)."""
        labels = tuple(labels)
        if labels != self._labels:
            self._labels = labels
            self.update()

    def set_bounds(self, bounds: QRectF) -> None:
        """The data rectangle the labels may occupy (the plot's visible range)."""
        if bounds != self._bounds:
            self.prepareGeometryChange()
            self._bounds = QRectF(bounds)

    def boundingRect(self) -> QRectF:
        """The visible range given to :meth:`set_bounds`."""
        return self._bounds

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        """Lay the labels out for the current size, then draw them at a fixed pixel size."""
        del option, widget
        transform = painter.transform()
        view = transform.mapRect(self._bounds).normalized()
        self._painted_area = view
        slot_width = abs(transform.map(QPointF(self._slot, 0)).x() - transform.map(QPointF()).x())
        self._placed = layout_labels(
            self._labels,
            transform.map,
            view,
            slot_width,
            fonts=self._fonts,
            muted_fonts=self._muted_fonts,
        )
        painter.save()
        painter.resetTransform()
        backing = theme.brush(theme.BACKGROUND, BACKING_ALPHA)
        for placed in self._placed:
            if self._backed:
                painter.fillRect(placed.rect.adjusted(-BACKING_PX, 0, BACKING_PX, 0), backing)
            painter.setFont(placed.font)
            colour = QColor(placed.colour or (theme.MUTED if placed.muted else theme.TEXT))
            painter.setPen(colour)
            painter.drawText(placed.rect, _ALIGN, placed.text)
        painter.restore()

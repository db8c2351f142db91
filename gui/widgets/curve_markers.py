"""The marks of the four units on an activation curve, and their numbers, drawn in pixels.

A dot on f, a diamond on f′; a point beyond an edge is drawn at that edge as a triangle
pointing out (the tooltip gives its true numbers), and a dead or saturated unit gets a red
ring. Nothing vanishes silently. Where the numbers go is worked out in
:mod:`gui.widgets.marker_placement`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QStyleOptionGraphicsItem, QWidget

from gui import theme
from gui.widgets.curve_range import YRange
from gui.widgets.curve_text import unit_tip
from gui.widgets.marker_placement import group_marks, merge_nearest, place
from gui.widgets.plot_labels import BACKING_ALPHA, MeasuredFont

#: A mark's radius (design px).
MARKER_PX = 3.5


def _backing() -> QColor:
    """What numbers and notes stand on: the plot's background, nearly opaque."""
    return theme.brush(theme.BACKGROUND, BACKING_ALPHA)


@dataclass(frozen=True)
class Marker:
    """One unit's point on f (``slope`` False) or f′, in data units, clamped to the plot;
    ``off`` is the edge it lies beyond ("left", "right", "up", "down" or "")."""

    x: float
    y: float
    unit: int
    slope: bool
    off: str = ""
    flagged: bool = False


class MarkerLayer(pg.GraphicsObject):  # type: ignore[misc]  # pyqtgraph is untyped
    """Draws the units' marks and their numbers at a fixed pixel size, whatever the scale.

    Marks sit exactly on their points; a number goes beside its mark where it covers no other
    mark, number or note (and, if it can, no curve). Marks closer than a mark's width share one
    number ("1,4"), so digits are never drawn over each other.
    """

    def __init__(self) -> None:
        super().__init__()
        self._markers: tuple[Marker, ...] = ()
        self._notes: tuple[tuple[str, str], ...] = ()
        self._bounds = QRectF()
        self._curve_points = np.empty((2, 0))
        self._font = self._note_font = MeasuredFont(theme.value_font(8))
        self._placed: list[tuple[QRectF, str]] = []
        self._painted_area = QRectF()
        self.setZValue(50)  # above the curves
        self._apply_theme()
        theme.follow(self._apply_theme)

    def _apply_theme(self) -> None:
        """Measure the fonts again at the theme's size (presenter mode), and redraw."""
        self._font = MeasuredFont(theme.value_font(8, bold=True))
        self._note_font = MeasuredFont(theme.value_font(8))
        self.update()

    def set_markers(self, markers: Sequence[Marker]) -> bool:
        """Draw ``markers`` from the next paint on; False when they are the ones shown."""
        markers = tuple(markers)
        if markers == self._markers:
            return False
        self._markers = markers
        self.update()
        return True

    def set_curves(self, points: np.ndarray, notes: Sequence[tuple[str, str]]) -> None:
        """Curve points (2×n, data units) numbers should keep off, and corner notes such as
        ("top-right", "f ↑")."""
        self._curve_points = points
        self._notes = tuple(notes)
        self.update()

    def set_bounds(self, bounds: QRectF) -> None:
        """The plot's visible range: everything is drawn inside it."""
        if bounds != self._bounds:
            self.prepareGeometryChange()
            self._bounds = QRectF(bounds)

    def boundingRect(self) -> QRectF:
        """The visible range given to :meth:`set_bounds`."""
        return self._bounds

    @property
    def markers(self) -> tuple[Marker, ...]:
        """The marks meant to be drawn now."""
        return self._markers

    @property
    def placed(self) -> list[tuple[QRectF, str]]:
        """Numbers and notes as the last paint drew them, in device pixels."""
        return list(self._placed)

    @property
    def painted_area(self) -> QRectF:
        """The visible range in device pixels at the last paint."""
        return QRectF(self._painted_area)

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        """Lay the marks and numbers out for the current size, then draw them in pixels."""
        del option, widget
        transform = painter.transform()
        view = transform.mapRect(self._bounds).normalized()
        self._painted_area = view
        radius = MARKER_PX * theme.scale()
        curve_x = self._curve_points[0] * transform.m11() + transform.dx()
        curve_y = self._curve_points[1] * transform.m22() + transform.dy()
        painter.save()
        painter.resetTransform()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        shapes = [
            marker_path(m, transform.map(QPointF(m.x, m.y)), radius, view) for m in self._markers
        ]
        boxes = [
            draw_marker(painter, marker, path, radius)
            for marker, path in zip(self._markers, shapes, strict=True)
        ]
        placed = [
            self._draw_note(painter, view, corner, text, boxes) for corner, text in self._notes
        ]
        groups = group_marks(shapes, radius)
        notes = [rect for rect, _ in placed]
        while True:
            labels, crowded = self._lay_out_numbers(groups, boxes, notes, view, (curve_x, curve_y))
            if crowded is None or len(groups) == 1:
                break
            # No free place for this number: it joins its nearest neighbour's ("1,3,4").
            groups = merge_nearest(groups, crowded, boxes)
        painter.setFont(self._font.font)
        painter.setPen(QColor(theme.TEXT))
        for rect, text in labels:
            painter.fillRect(rect.adjusted(-1, 0, 1, 0), _backing())
            painter.drawText(rect, int(Qt.AlignmentFlag.AlignCenter), text)
        painter.restore()
        self._placed = placed + labels

    def _lay_out_numbers(
        self,
        groups: Sequence[Sequence[int]],
        boxes: Sequence[QRectF],
        notes: Sequence[QRectF],
        view: QRectF,
        curve: tuple[np.ndarray, np.ndarray],
    ) -> tuple[list[tuple[QRectF, str]], int | None]:
        """A number per group of marks, and the first group whose number covers something."""
        labels: list[tuple[QRectF, str]] = []
        crowded = None
        for index, members in enumerate(groups):
            text = ",".join(str(u + 1) for u in sorted({self._markers[i].unit for i in members}))
            box = QRectF(boxes[members[0]])
            for i in members[1:]:
                box = box.united(boxes[i])
            size = (self._font.width(text) + 2, self._font.height)
            taken = [*notes, *(rect for rect, _ in labels), *boxes]
            rect, covered = place(box, size, view, taken, curve)
            if covered and crowded is None:
                crowded = index
            labels.append((rect, text))
        return labels, crowded

    def _draw_note(
        self, painter: QPainter, view: QRectF, corner: str, text: str, marks: Sequence[QRectF]
    ) -> tuple[QRectF, str]:
        """A note in its corner, or moved along the edge until it covers no mark."""
        width, height = self._note_font.width(text) + 2, self._note_font.height
        top = view.top() + 1 if corner.startswith("top") else view.bottom() - 1 - height
        step = -width / 2 if corner.endswith("right") else width / 2
        start = view.right() - 2 - width if corner.endswith("right") else view.left() + 2
        spots = [QRectF(start + i * step, top, width, height) for i in range(8)]
        free = (r for r in spots if view.contains(r) and not any(r.intersects(m) for m in marks))
        rect = next(free, spots[0])
        painter.fillRect(rect, _backing())
        painter.setFont(self._note_font.font)
        painter.setPen(QColor(theme.MUTED))
        painter.drawText(rect, int(Qt.AlignmentFlag.AlignCenter), text)
        return rect, text


def marker_path(marker: Marker, centre: QPointF, radius: float, view: QRectF) -> QPainterPath:
    """A dot on f, a diamond on f′, a triangle pointing out for a point beyond the plot."""
    x, y, r = centre.x(), centre.y(), radius
    path = QPainterPath()
    if marker.off:
        s = 1.5 * r
        tip, back = {"right": (1, 0), "left": (-1, 0), "up": (0, -1), "down": (0, 1)}[marker.off]
        side = (-back, tip)  # perpendicular
        points = [
            QPointF(x + tip * s, y + back * s),
            QPointF(x - tip * s * 0.6 + side[0] * s, y - back * s * 0.6 + side[1] * s),
            QPointF(x - tip * s * 0.6 - side[0] * s, y - back * s * 0.6 - side[1] * s),
        ]
        path.moveTo(points[0])
        for point in points[1:]:
            path.lineTo(point)
        path.closeSubpath()
        # Whole, inside the plot: the tip touches the edge it points past.
        box = path.boundingRect()
        dx = min(0.0, view.right() - box.right()) + max(0.0, view.left() - box.left())
        dy = min(0.0, view.bottom() - box.bottom()) + max(0.0, view.top() - box.top())
        path.translate(dx, dy)
    elif marker.slope:
        d = 1.3 * r
        path.moveTo(x, y - d)
        path.lineTo(x + d, y)
        path.lineTo(x, y + d)
        path.lineTo(x - d, y)
        path.closeSubpath()
    else:
        path.addEllipse(centre, r, r)
    return path


def draw_marker(painter: QPainter, marker: Marker, path: QPainterPath, radius: float) -> QRectF:
    """Draw one mark (an edge in the background colour lifts it off the curves); a dead or
    saturated unit gets a red ring. Returns the box it covers."""
    outline = QPen(QColor(theme.BACKGROUND), 1.2)
    painter.setPen(outline)
    painter.setBrush(QColor(theme.SLOPE if marker.slope else theme.POSITIVE))
    painter.drawPath(path)
    box = path.boundingRect().adjusted(-1, -1, 1, 1)
    if marker.flagged:
        ring = radius + 3.0
        pen = QPen(QColor(theme.ERROR), 1.8)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawEllipse(box.center(), ring, ring)
        box = QRectF(
            box.center().x() - ring - 1, box.center().y() - ring - 1, 2 * ring + 2, 2 * ring + 2
        )
    return box


def unit_markers(
    z: Sequence[float],
    values: Sequence[float],
    slopes: Sequence[float],
    states: Sequence[str],
    *,
    y_range: YRange,
    z_limits: tuple[float, float],
) -> tuple[list[Marker], list[tuple[float, float, float]], list[str]]:
    """Each unit's marks on f and on f′, clamped to the plot; per unit (z, f, f′) where they
    are drawn; and per unit a tooltip line with its true numbers."""
    low, high = y_range.low, y_range.high
    z_low, z_high = z_limits
    markers: list[Marker] = []
    points: list[tuple[float, float, float]] = []
    tips: list[str] = []
    for unit, (zi, fi, si, state) in enumerate(zip(z, values, slopes, states, strict=True)):
        x = min(max(zi, z_low), z_high)
        side = "right" if zi > z_high else "left" if zi < z_low else ""
        f_y, s_y = min(max(fi, low), high), min(max(si, low), high)
        for value, y, slope in ((fi, f_y, False), (si, s_y, True)):
            off = side or ("up" if value > high else "down" if value < low else "")
            markers.append(Marker(x, y, unit, slope, off, bool(state)))
        points.append((x, f_y, s_y))
        tips.append(unit_tip(unit, (zi, fi, si), state, side, (f_y, s_y) != (fi, si)))
    return markers, points, tips

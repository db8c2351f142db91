"""Where the unit numbers beside an activation curve's marks go, in device pixels.

Marks that touch share one number ("1,2,4"); each number takes the first free spot beside its
marks, off the curves if it can; a number with no free spot joins its nearest neighbour's.
Pure geometry on rectangles and points: nothing here paints.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from PySide6.QtCore import QRectF
from PySide6.QtGui import QPainterPath

#: Places tried for a mark's number: eight right beside it, then eight one number further out.
NEAR_SPOTS = 8


def group_marks(shapes: Sequence[QPainterPath], radius: float) -> list[list[int]]:
    """Marks that touch, directly or through others, share one number ("1,2,4"): digits
    squeezed between crowded marks would cover each other."""
    centres = [path.boundingRect().center() for path in shapes]
    parent = list(range(len(centres)))

    def root(index: int) -> int:
        while parent[index] != index:
            index = parent[index]
        return index

    for i, centre in enumerate(centres):
        for j in range(i):
            if (centre - centres[j]).manhattanLength() < 3 * radius:
                parent[root(i)] = root(j)
    groups: dict[int, list[int]] = {}
    for index in range(len(centres)):
        groups.setdefault(root(index), []).append(index)
    return list(groups.values())


def merge_nearest(
    groups: Sequence[Sequence[int]], index: int, boxes: Sequence[QRectF]
) -> list[list[int]]:
    """``groups`` with group ``index`` joined to the group whose marks are nearest to its own."""
    centres = [box.center() for box in boxes]

    def gap(other: Sequence[int]) -> float:
        return min(
            (centres[i] - centres[j]).manhattanLength() for i in groups[index] for j in other
        )

    nearest = min((g for g in range(len(groups)) if g != index), key=lambda g: gap(groups[g]))
    merged = [list(g) for g in groups]
    merged[nearest] += merged[index]
    del merged[index]
    return merged


def place(
    box: QRectF,
    size: tuple[float, float],
    view: QRectF,
    taken: Sequence[QRectF],
    curve: tuple[np.ndarray, np.ndarray],
) -> tuple[QRectF, float]:
    """Where a number goes beside the marks in ``box``, moved inside ``view`` (never cut): a
    spot that covers nothing in ``taken`` (marks, numbers, notes), right beside the marks if
    one is free, and off the curves if it can be; else the one that covers least of ``taken``.
    Returns the place and how many square pixels of ``taken`` it covers."""
    width, height = size
    cx, cy = box.center().x(), box.center().y()
    spots = []
    for far in (0.0, 1.0):  # beside the marks; else one number's size further out
        up, down = box.top() - height * (1 + far), box.bottom() + height * far
        left, right = box.left() - width * (1 + far), box.right() + width * far
        spots += [
            (cx - width / 2, up),
            (right, cy - height / 2),
            (cx - width / 2, down),
            (left, cy - height / 2),
            (right, up),
            (left, up),
            (right, down),
            (left, down),
        ]
    near = (np.abs(curve[0] - cx) < 3 * width + 20) & (np.abs(curve[1] - cy) < 3 * height)
    xs, ys = curve[0][near], curve[1][near]
    best: tuple[float, bool, bool, int] | None = None
    chosen = QRectF()
    for order, (left, top) in enumerate(spots):
        rect = QRectF(left, top, width, height)
        # Slid inside the plot: at its edge, a number beside a mark would be cut.
        rect.moveLeft(min(max(rect.left(), view.left()), view.right() - width))
        rect.moveTop(min(max(rect.top(), view.top()), view.bottom() - height))
        covered = 0.0
        for other in taken:
            overlap = rect.intersected(other)
            covered += max(overlap.width(), 0.0) * max(overlap.height(), 0.0)
        inside = (xs > rect.left()) & (xs < rect.right()) & (ys > rect.top()) & (ys < rect.bottom())
        # Next to the marks beats clear of the curves: a number far off names nothing.
        key = (covered, order >= NEAR_SPOTS, bool(np.any(inside)), order)
        if key[:3] == (0.0, False, False):
            return rect, 0.0  # nothing can beat the first free spot beside the marks
        if best is None or key < best:
            best, chosen = key, rect
    return chosen, best[0] if best is not None else 0.0

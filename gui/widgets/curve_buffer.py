"""A bounded, append-only curve: preallocated numpy storage that halves its resolution when full.

pyqtgraph has no cheap append, and a Python list converted on every redraw costs more than the
drawing. Appends copy into spare capacity (doubling as needed); past ``max_points`` neighbouring
points are averaged pairwise, so memory stays bounded however long training runs and the curve
keeps its shape.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
DEFAULT_MAX_POINTS = 2**18


class CurveBuffer:
    """x/y samples of one curve, at most ``max_points`` of them (an even number)."""

    def __init__(self, max_points: int = DEFAULT_MAX_POINTS, initial_capacity: int = 1024) -> None:
        if max_points < 2 or max_points % 2:
            raise ValueError("max_points must be an even number of at least 2")
        self.max_points = max_points
        capacity = min(initial_capacity, max_points)
        self._x = np.empty(capacity, dtype=np.float64)
        self._y = np.empty(capacity, dtype=np.float64)
        self._size = 0
        self.appended = 0

    def __len__(self) -> int:
        return self._size

    @property
    def x(self) -> FloatArray:
        """The stored x values (a view: copy before keeping it)."""
        return self._x[: self._size]

    @property
    def y(self) -> FloatArray:
        """The stored y values (a view: copy before keeping it)."""
        return self._y[: self._size]

    def clear(self) -> None:
        """Forget every point (the storage is kept for reuse)."""
        self._size = 0
        self.appended = 0

    def extend(self, x: FloatArray, y: FloatArray) -> None:
        """Append samples; non-finite ones are dropped (pyqtgraph would silently skip them)."""
        finite = np.isfinite(x) & np.isfinite(y)
        if not finite.all():
            x, y = x[finite], y[finite]
        self.appended += len(x)
        while len(x):
            if self._size == self.max_points:
                self._halve()
            room = self.max_points - self._size
            self._reserve(self._size + min(room, len(x)))
            take = min(room, len(x))
            self._x[self._size : self._size + take] = x[:take]
            self._y[self._size : self._size + take] = y[:take]
            self._size += take
            x, y = x[take:], y[take:]

    def _reserve(self, needed: int) -> None:
        if needed <= len(self._x):
            return
        capacity = min(self.max_points, max(needed, 2 * len(self._x)))
        self._x = np.resize(self._x, capacity)
        self._y = np.resize(self._y, capacity)

    def _halve(self) -> None:
        half = self._size // 2
        self._x[:half] = self._x[: 2 * half].reshape(half, 2).mean(axis=1)
        self._y[:half] = self._y[: 2 * half].reshape(half, 2).mean(axis=1)
        self._size = half

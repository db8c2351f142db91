"""The curve buffer stays bounded however long training runs, and keeps the curve's shape.

Expected values are written out by hand or come from a plain-list reference, never from the
buffer's own numpy code.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from gui.widgets.curve_buffer import CurveBuffer

MAX = 8


def reference(points: list[tuple[float, float]], max_points: int) -> list[tuple[float, float]]:
    """What the buffer should hold after appending ``points`` one by one: when full, each
    neighbouring pair becomes its mean before the next point goes in."""
    kept: list[tuple[float, float]] = []
    for point in points:
        if len(kept) == max_points:
            kept = [
                ((a[0] + b[0]) / 2, (a[1] + b[1]) / 2)
                for a, b in zip(kept[::2], kept[1::2], strict=True)
            ]
        kept.append(point)
    return kept


def capacity(buffer: CurveBuffer) -> int:
    """Points the storage can hold without growing (the memory it takes)."""
    return max(len(buffer._x), len(buffer._y))


def test_the_point_after_a_full_buffer_halves_it_into_pairwise_means() -> None:
    """Eight points fill a buffer of eight; the ninth averages (0,1), (2,3), ... first."""
    buffer = CurveBuffer(max_points=MAX, initial_capacity=2)
    buffer.extend(np.arange(8.0), 10 * np.arange(8.0))
    assert len(buffer) == 8
    np.testing.assert_array_equal(buffer.x, [0, 1, 2, 3, 4, 5, 6, 7])
    buffer.extend(np.array([8.0]), np.array([80.0]))
    np.testing.assert_array_equal(buffer.x, [0.5, 2.5, 4.5, 6.5, 8])
    np.testing.assert_array_equal(buffer.y, [5, 25, 45, 65, 80])
    assert buffer.appended == 9


def test_many_appends_stay_bounded_in_length_and_memory() -> None:
    """10,000 points one at a time: never more than ``max_points`` stored or allocated."""
    buffer = CurveBuffer(max_points=MAX, initial_capacity=2)
    for i in range(10_000):
        buffer.extend(np.array([float(i)]), np.array([2.0 * i + 1]))
        assert len(buffer) <= MAX
        assert capacity(buffer) <= MAX
    assert buffer.appended == 10_000
    assert len(buffer) >= MAX // 2  # halved, not emptied


@pytest.mark.parametrize("chunk", [1, 3, 8, 13, 1000])
def test_the_halved_curve_is_the_pairwise_mean_in_order(chunk: int) -> None:
    """Whatever the chunk size, the stored points are exactly the reference's means, x
    still rising, and a straight line stays on the line."""
    count = 3001
    xs = [float(i) for i in range(count)]
    ys = [3.0 * x - 7.0 for x in xs]
    buffer = CurveBuffer(max_points=MAX, initial_capacity=4)
    for start in range(0, count, chunk):
        buffer.extend(np.array(xs[start : start + chunk]), np.array(ys[start : start + chunk]))
        assert len(buffer) <= MAX
        assert capacity(buffer) <= MAX
    expected = reference(list(zip(xs, ys, strict=True)), MAX)
    assert list(zip(buffer.x.tolist(), buffer.y.tolist(), strict=True)) == expected
    assert np.all(np.diff(buffer.x) > 0), "halving changed the order of the points"
    np.testing.assert_array_equal(buffer.y, 3.0 * buffer.x - 7.0)
    assert buffer.x[-1] == count - 1  # the newest point is kept as it came
    assert buffer.appended == count


def test_a_large_buffer_grows_its_storage_by_doubling_up_to_the_bound() -> None:
    """Storage starts small and doubles, but never past ``max_points``."""
    buffer = CurveBuffer(max_points=1000, initial_capacity=16)
    assert capacity(buffer) == 16
    buffer.extend(np.arange(17.0), np.zeros(17))
    assert capacity(buffer) == 32
    buffer.extend(np.arange(5000.0), np.zeros(5000))
    assert capacity(buffer) == 1000
    assert 500 <= len(buffer) <= 1000


def test_non_finite_samples_are_dropped_and_not_counted() -> None:
    """NaN or infinity in x or y drops that sample only; the rest keep their order."""
    buffer = CurveBuffer(max_points=MAX)
    x = np.array([0.0, 1.0, math.nan, 3.0, 4.0, 5.0])
    y = np.array([0.0, math.inf, 2.0, 3.0, -math.inf, 5.0])
    buffer.extend(x, y)
    np.testing.assert_array_equal(buffer.x, [0, 3, 5])
    np.testing.assert_array_equal(buffer.y, [0, 3, 5])
    assert buffer.appended == 3


def test_clear_forgets_every_point() -> None:
    """After clear the buffer is empty and counts from zero again."""
    buffer = CurveBuffer(max_points=MAX)
    buffer.extend(np.arange(20.0), np.arange(20.0))
    buffer.clear()
    assert len(buffer) == 0
    assert buffer.appended == 0
    buffer.extend(np.array([1.0]), np.array([2.0]))
    assert buffer.x.tolist() == [1.0]


@pytest.mark.parametrize("max_points", [0, 1, 7])
def test_an_odd_or_tiny_bound_is_refused(max_points: int) -> None:
    """Pairwise halving needs an even bound of at least 2."""
    with pytest.raises(ValueError, match="even number"):
        CurveBuffer(max_points=max_points)

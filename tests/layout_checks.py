"""What a learner would see wrong in a laid-out window, as a list of sentences.

Used by the offscreen layout tests and by the desktop driver on a real X server: every text
fits its widget, nothing runs past the window's edge, no toolbar item hides behind an overflow
arrow, and every number printed on a plot lies inside its plot, whole, apart from its
neighbours.
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import QRect, QRectF, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QLabel,
    QLineEdit,
    QMainWindow,
    QToolBar,
    QToolButton,
    QWidget,
)


def layout_problems(window: QMainWindow) -> list[str]:
    """Every clipped text, widget past the window's edge, or hidden toolbar item."""
    problems: list[str] = []
    bounds = window.rect()
    for widget in window.findChildren(QWidget):
        if not widget.isVisibleTo(window) or widget.width() == 0:
            continue
        name = _name(widget)
        top_left = widget.mapTo(window, widget.rect().topLeft())
        placed = QRect(top_left, widget.size())
        if not bounds.contains(placed) and widget.parentWidget() is not None:
            if _scrolled_or_popup(widget, window):
                continue
            problems.append(f"{name} runs past the window: {placed.getRect()} in {bounds.size()}")
        if isinstance(widget, QLabel):
            problems += _label_problems(widget, name)
        elif isinstance(widget, QAbstractButton | QComboBox | QLineEdit):
            hint = widget.minimumSizeHint()
            if widget.width() + 1 < hint.width():
                problems.append(f"{name} is narrower ({widget.width()}) than its text needs")
    problems += _overlaps(window)
    for plot in window.findChildren(pg.PlotWidget):
        title = plot.getPlotItem().titleLabel
        if plot.isVisibleTo(window) and title.isVisible():
            drawn = plot.mapFromScene(title.item.sceneBoundingRect()).boundingRect()
            if not plot.rect().adjusted(-1, -1, 1, 1).contains(drawn):
                problems.append(f"{_name(plot)}'s title is cut: {drawn.getRect()} in {plot.size()}")
    for toolbar in window.findChildren(QToolBar):
        overflow = toolbar.findChild(QToolButton, "qt_toolbar_ext_button")
        if overflow is not None and overflow.isVisible():
            problems.append(f"{_name(toolbar)} hides items behind its overflow arrow")
    return problems


def plot_label_problems(
    items: dict[str, object], *, all_shown: bool = True, all_muted_shown: bool = True
) -> list[str]:
    """Numbers drawn by :class:`~gui.widgets.plot_labels.PlotLabels` items, by name: each lies
    inside the plot's visible area, no two overlap, and (``all_shown``) none was left out;
    ``all_muted_shown`` False lets the muted row (z under the bars) hide when space is short."""
    problems: list[str] = []
    for name, item in items.items():
        placed = item.placed  # type: ignore[attr-defined]
        labels = item.labels  # type: ignore[attr-defined]
        view = QRectF(item.getViewWidget().rect())  # type: ignore[attr-defined]
        area = item.painted_area.intersected(view)  # type: ignore[attr-defined]
        for muted in (False, True):
            wanted = [label for label in labels if label.muted == muted]
            drawn = [label for label in placed if label.muted == muted]
            required = all_shown and (all_muted_shown or not muted)
            if required and len(drawn) != len(wanted):
                problems.append(f"{name}: {len(drawn)} of {len(wanted)} numbers drawn")
        for index, label in enumerate(placed):
            if not area.adjusted(-0.5, -0.5, 0.5, 0.5).contains(label.rect):
                problems.append(f"{name}: '{label.text}' is cut by the plot's edge")
            problems += [
                f"{name}: '{label.text}' overlaps '{other.text}'"
                for other in placed[index + 1 :]
                if label.rect.intersects(other.rect)
            ]
    return problems


def _overlaps(window: QMainWindow) -> list[str]:
    """Widgets laid out side by side that cover each other (an over-full layout does this)."""
    problems = []
    for parent in [window, *window.findChildren(QWidget)]:
        if parent.layout() is None or not parent.isVisibleTo(window):
            continue
        direct = Qt.FindChildOption.FindDirectChildrenOnly
        children = [
            child
            for child in parent.findChildren(QWidget, options=direct)
            if child.isVisibleTo(window) and not child.isWindow()
        ]
        for index, child in enumerate(children):
            problems += [
                f"{_name(child)} overlaps {_name(other)}"
                for other in children[index + 1 :]
                if child.geometry().intersects(other.geometry())
            ]
    return problems


def _label_problems(label: QLabel, name: str) -> list[str]:
    text = label.text()
    if not text or (label.pixmap() is not None and not label.pixmap().isNull()):
        return []
    contents = label.contentsRect()
    if label.wordWrap():
        needed = label.heightForWidth(label.width())
        if needed > label.height() + 1:
            return [f"{name} needs {needed} px of height for its text, has {label.height()}"]
        return []
    hint = label.minimumSizeHint()
    if contents.width() + 1 < hint.width() - 2 * label.margin():
        return [f"{name} '{_plain(text)}' is cut: needs {hint.width()} px, has {label.width()}"]
    return []


def _scrolled_or_popup(widget: QWidget, window: QWidget) -> bool:
    """Widgets inside scroll areas or popups may lie outside the window's rect by design."""
    parent = widget.parentWidget()
    while parent is not None and parent is not window:
        if parent.isWindow() or parent.metaObject().className() in {"QScrollArea", "QViewport"}:
            return True
        if parent.objectName() == "qt_scrollarea_viewport":
            return True
        parent = parent.parentWidget()
    return False


def _name(widget: QWidget) -> str:
    return widget.objectName() or f"{type(widget).__name__} '{_plain(_text_of(widget))}'"


def _text_of(widget: QWidget) -> str:
    text = getattr(widget, "text", None)
    return str(text()) if callable(text) else ""


def _plain(text: str) -> str:
    return text if len(text) < 40 else text[:37] + "…"

"""A number printed on a plot that only re-lays itself out when its text changes.

Setting a pyqtgraph TextItem's text re-lays the text document (~20 µs); the panels and heatmaps
print 60 numbers, most of which do not change between two frames of training.
"""

from __future__ import annotations

import pyqtgraph as pg

from gui import theme


class ValueText(pg.TextItem):  # type: ignore[misc]  # pyqtgraph is untyped
    """A TextItem whose ``show_value`` skips work when nothing visible changed."""

    def __init__(self, anchor: tuple[float, float], point_size: int, bold: bool = False) -> None:
        super().__init__("", color=theme.TEXT, anchor=anchor)
        self.setFont(theme.value_font(point_size, bold=bold))
        self._shown = ""
        self._anchor = anchor

    def show_value(self, text: str, anchor: tuple[float, float] | None = None) -> None:
        """Show ``text`` (and move the anchor point) only if either differs from now."""
        if anchor is not None and anchor != self._anchor:
            self._anchor = anchor
            self.setAnchor(anchor)
        if text != self._shown:
            self._shown = text
            self.setText(text)

    @property
    def shown(self) -> str:
        """The text as displayed."""
        return self._shown

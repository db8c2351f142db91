"""Export any plot of the window as a PNG picture or an SVG drawing, never as a broken file.

SVG goes through pyqtgraph's own exporter, which rebuilds the drawing item by item with
correct clipping. pyqtgraph 0.14.0's exporter raises ``ValueError: not enough values to
unpack`` on every plot here: Qt 6's SVG generator ends closed paths (the view box's
background, every bar) with ``Z``, and the exporter's coordinate rewrite reads each token
as an ``x,y`` pair (pyqtgraph issue #3495, fixed upstream after 0.14.0). While exporting,
:func:`_closed_paths_tolerated` hides the ``Z`` from that rewrite and puts it back.

Rendering the widget into ``QSvgGenerator`` instead was tried and is worse: Qt's tiny SVG
has no clipping (bars spill out of the plot); its SVG 1.1 mode nests clip groups wrongly
(librsvg draws dark blocks), and pictures played into it are scaled by 72/96 dpi.
"""

from __future__ import annotations

import contextlib
import html
import re
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyqtgraph as pg
import pyqtgraph.exporters  # loads the SVG exporter's module
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QWidget

from gui.application import APP_NAME
from model.atomic_file import ExportError, check_suffix, write_atomically

PLOT_SUFFIXES = (".png", ".svg")
#: PNGs are drawn at twice the size on screen: sharp on paper and on a projector.
PNG_SCALE = 2.0
#: SVG elements that draw something (a file of only groups would show nothing).
DRAWING_TAGS = frozenset({"path", "polyline", "polygon", "line", "rect", "text", "image"})
_POSITIONS = {"input": "Input", "layer1": "Layer 1", "layer2": "Layer 2", "output": "Output"}
_EMPTY_PATH = re.compile(r"<path\b[^>]*\sd=\"\s*\"[^>]*/>\s*")
_SVG_MODULE = "pyqtgraph.exporters.SVGExporter"


@dataclass(frozen=True)
class NamedPlot:
    """One plot of the window: a stable ``name`` (for files and tests), a learner-facing
    ``title`` (for menus), and the widget."""

    name: str
    title: str
    plot: pg.PlotWidget


def window_plots(window: QWidget, *, shown_only: bool = True) -> list[NamedPlot]:
    """Every pyqtgraph plot in ``window`` (only those on screen unless ``shown_only`` is
    False), named by position: ``stage_plot_layer1``, ``weights_layer1_plot`` …"""
    plots = []
    for index, plot in enumerate(window.findChildren(pg.PlotWidget)):
        if shown_only and not plot.isVisible():
            continue
        parent = plot.parentWidget()
        frame = parent.objectName() if parent is not None else ""
        name = plot.objectName() or (f"{frame}_plot" if frame else f"plot_{index + 1}")
        plots.append(NamedPlot(name, _title(name, plot), plot))
    return plots


def _title(name: str, plot: pg.PlotWidget) -> str:
    """``Layer 1 bars (ReLU)``, ``Layer 2 weights`` …: the position first, as menus read."""
    key = name.removesuffix("_plot").rsplit("_", 1)[-1]
    position = _POSITIONS.get(key)
    if name in ("loss_plot", "accuracy_plot"):
        return "Loss curves" if name == "loss_plot" else "Accuracy curves"
    if position is None:
        return plot.accessibleName() or name
    if name.startswith("stage_plot_"):
        what = plot.accessibleName().removesuffix(" bars")
        return f"{position} bars ({what})" if what and what != position else f"{position} bars"
    kinds = {"stage_gradient_": "gradients", "curve_plot_": "activation curve"}
    kind = next((v for k, v in kinds.items() if name.startswith(k)), None)
    if kind is None:
        kind = "weights" if name.startswith("weights_") else "plot"
    return f"{position} {kind}"


def export_plot(plot: pg.PlotWidget, path: str | Path, title: str = "") -> Path:
    """Write ``plot`` as shown to ``path``: PNG at twice its size, or SVG (by the suffix).

    Raises ValueError for another suffix and :class:`ExportError` (nothing written, the old
    file kept) when the plot is not on screen or the file cannot be written or comes out
    broken.
    """
    suffix = check_suffix(path, PLOT_SUFFIXES)
    if not plot.isVisible():
        raise ExportError(f"Could not export {title or 'the plot'}: it is not on screen")
    if suffix == ".png":
        width, height = round(plot.width() * PNG_SCALE), round(plot.height() * PNG_SCALE)
        return write_atomically(
            path, lambda file: _write_png(plot, file), lambda file: check_png(file, width, height)
        )
    return write_atomically(path, lambda file: _write_svg(plot, file, title), check_svg)


def _write_png(plot: pg.PlotWidget, file: Path) -> None:
    width, height = plot.width(), plot.height()
    image = QImage(round(width * PNG_SCALE), round(height * PNG_SCALE), QImage.Format.Format_ARGB32)
    # A high-DPI image, not a scaled painter: the numbers on the plots are placed in device
    # pixels (their items reset the painter's transform), and a scaled painter drew them
    # half as large as the bars around them.
    image.setDevicePixelRatio(PNG_SCALE)
    image.fill(QColor(Qt.GlobalColor.white))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    # The scene, not the widget: QWidget.render into a scaled painter drew a quarter of it.
    plot.scene().render(painter, QRectF(0, 0, width, height), plot.sceneRect())
    painter.end()
    image.setDevicePixelRatio(1.0)  # saved as its pixels, without a DPI hint of 2×
    if not image.save(str(file)):  # PNG by the suffix
        raise ExportError(f"Could not write {file.name}: Qt could not save the picture")


def check_png(file: Path, width: int, height: int) -> None:
    """Raise unless ``file`` loads as a ``width`` × ``height`` picture."""
    image = QImage(str(file))
    if image.isNull():
        raise ValueError("the picture does not load")
    if (image.width(), image.height()) != (width, height):
        raise ValueError(f"the picture is {image.width()}×{image.height()}, not {width}×{height}")


def _write_svg(plot: pg.PlotWidget, file: Path, title: str) -> None:
    exporter_module = sys.modules[_SVG_MODULE]
    try:
        with _closed_paths_tolerated(exporter_module):
            data = exporter_module.SVGExporter(plot.getPlotItem()).export(toBytes=True)
    except (ValueError, TypeError, AttributeError) as error:  # pyqtgraph's own failures
        raise ExportError(f"pyqtgraph could not draw this plot as SVG ({error})") from error
    text = _EMPTY_PATH.sub("", bytes(data).decode("utf-8"))  # empty curves: warnings elsewhere
    if title:
        text = text.replace(
            "<title>pyqtgraph SVG export</title>",
            f"<title>{html.escape(f'{APP_NAME}: {title}')}</title>",
            1,
        )
    file.write_text(text, encoding="utf-8")


def check_svg(file: Path) -> None:
    """Raise unless ``file`` parses as XML with an ``<svg>`` root that draws something."""
    root = ET.parse(file).getroot()
    if not root.tag.endswith("svg"):
        raise ValueError(f"the root element is {root.tag}, not svg")
    if not any(element.tag.rsplit("}", 1)[-1] in DRAWING_TAGS for element in root.iter()):
        raise ValueError("the drawing is empty")


@contextlib.contextmanager
def _closed_paths_tolerated(module: Any) -> Iterator[None]:
    """While exporting, hide the closing ``Z`` of Qt 6's paths from pyqtgraph 0.14.0's
    coordinate rewrite (which splits every token as ``x,y``), then put it back."""
    original: Callable[..., Any] | None = getattr(module, "correctCoordinates", None)
    if original is None:  # a pyqtgraph without that function: nothing to work around
        yield
        return

    def tolerant(node: Any, defs: Any, item: Any, options: Any) -> Any:
        closed = []
        for element in node.getElementsByTagName("path"):
            data = element.getAttribute("d").strip()
            if data.endswith(("Z", "z")):
                element.setAttribute("d", data[:-1].strip())
                closed.append(element)
        try:
            return original(node, defs, item, options)
        finally:
            for element in closed:
                element.setAttribute("d", f"{element.getAttribute('d').strip()} Z")

    module.correctCoordinates = tolerant
    try:
        yield
    finally:
        module.correctCoordinates = original

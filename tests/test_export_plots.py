"""Every plot of the window exports as PNG and as SVG, and a failed export writes nothing."""

from __future__ import annotations

import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pyqtgraph as pg
import pytest
from PySide6.QtGui import QImage

from gui.plot_export import PNG_SCALE, export_plot, window_plots
from model.atomic_file import ExportError

SVG = "{http://www.w3.org/2000/svg}"


def _tags(file: Path) -> dict[str, int]:
    counts: dict[str, int] = {}
    for element in ET.parse(file).getroot().iter():
        tag = element.tag.removeprefix(SVG)
        counts[tag] = counts.get(tag, 0) + 1
    return counts


def _texts(file: Path) -> list[str]:
    root = ET.parse(file).getroot()
    return ["".join(e.itertext()).strip() for e in root.iter(f"{SVG}text")]


def _export_all(qtbot, window, folder: Path) -> dict[str, Path]:  # type: ignore[no-untyped-def]
    """Export every plot on screen in both formats and check each file."""
    written = {}
    for named in window_plots(window):
        plot = named.plot
        png = export_plot(plot, folder / f"{named.name}.png", named.title)
        image = QImage(str(png))
        assert not image.isNull(), named.name
        size = (image.width(), image.height())
        expected = (round(plot.width() * PNG_SCALE), round(plot.height() * PNG_SCALE))
        assert size == expected, named.name
        # Not a blank picture: the plot's ink is there.
        assert (
            len({image.pixel(x, y) for x in range(0, size[0], 7) for y in range(0, size[1], 7)}) > 3
        )
        svg = export_plot(plot, folder / f"{named.name}.svg", named.title)
        tags = _tags(svg)
        assert tags.get("path", 0) + tags.get("polyline", 0) > 0, (named.name, tags)
        assert tags.get("text", 0) > 0, (named.name, tags)
        assert f"Activation Lab: {named.title}" in svg.read_text(encoding="utf-8")
        written[named.name] = svg
    return written


def test_every_plot_exports_as_png_and_svg(qtbot, window, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Weights and curves take turns under the bars, and the gradient rows show on demand:
    exported in two passes, every PlotWidget of the window is covered."""
    window.gradients.action_show_gradients.setChecked(True)
    qtbot.waitUntil(window.panels[0].gradient_plot.isVisible, timeout=5000)
    first = _export_all(qtbot, window, tmp_path)
    window.pipeline.action_show_curves.setChecked(True)
    qtbot.waitUntil(window.curves[0].plot.isVisible, timeout=5000)
    second = _export_all(qtbot, window, tmp_path)
    every = {named.name for named in window_plots(window, shown_only=False)}
    assert len(window.findChildren(pg.PlotWidget)) == len(every)
    assert set(first) | set(second) == every
    for name in ("loss_plot", "accuracy_plot", "weights_layer1_plot", "curve_plot_output"):
        assert name in every
    for key in ("input", "layer1", "layer2", "output"):
        assert f"stage_plot_{key}" in every
        assert f"stage_gradient_{key}" in every
    # The SVG draws the numbers the panels show (the untrained softmax of 2, −1, 0.5, 3).
    output = _texts(second["stage_plot_output"])
    assert any(text.startswith("0.28") for text in output), output
    assert any(text.startswith("0.30") for text in output), output


def test_a_failed_export_writes_nothing_and_keeps_the_old_file(
    qtbot, window, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    """A bad suffix, a hidden plot and a missing folder are refused with a clear message;
    the file already there is untouched and no temporary file is left behind."""
    loss = window.loss_plot
    target = tmp_path / "loss.png"
    target.write_bytes(b"last week's picture")
    with pytest.raises(ValueError, match=r"\.png or \.svg, not \.jpg"):
        export_plot(loss, tmp_path / "loss.jpg")
    hidden = window.panels[1].gradient_plot
    assert not hidden.isVisible()
    with pytest.raises(ExportError, match="not on screen"):
        export_plot(hidden, target, "Layer 1 gradients")
    with pytest.raises(ExportError, match="does not exist"):
        export_plot(loss, tmp_path / "missing" / "loss.svg")
    assert target.read_bytes() == b"last week's picture"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["loss.png"]
    # The positive: the same call on a plot on screen replaces it.
    export_plot(loss, target)
    assert not QImage(str(target)).isNull()


def test_the_svg_workaround_is_needed_and_undone(qtbot, window, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """pyqtgraph 0.14.0's own SVG export fails on these plots (closed paths end in "Z");
    ours works, and leaves pyqtgraph's function as it found it."""
    module = sys.modules["pyqtgraph.exporters.SVGExporter"]
    original = module.correctCoordinates
    if pg.__version__ == "0.14.0":
        with pytest.raises(ValueError, match="not enough values to unpack"):
            module.SVGExporter(window.loss_plot.getPlotItem()).export(toBytes=True)
    export_plot(window.loss_plot, tmp_path / "loss.svg")
    assert module.correctCoordinates is original
    assert " Z" in (tmp_path / "loss.svg").read_text(encoding="utf-8")

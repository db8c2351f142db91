"""Export a one-page handout of a run, as a PNG picture or an A4 PDF.

:func:`write_handout` needs only plain :class:`HandoutData` (the command line builds it
headless; :func:`handout_data_from_window` reads it from the window). The page is built from
fresh widgets (:mod:`gui.handout_page`), laid out offscreen at a fixed size, and drawn into a
picture: PNG at 1800 pixels wide, PDF as that picture at 300 dpi on an A4 page. (Drawn as
vectors, the numbers on the bars would be placed by the page's pixels but sized by the PDF's
points, and come out larger than the bars around them.)
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEventLoop, QMarginsF, QPoint, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QImage, QPageLayout, QPageSize, QPainter, QPdfWriter
from PySide6.QtWidgets import QApplication

from gui.application import APP_NAME
from gui.handout_page import HandoutPage
from gui.history_export import window_history
from gui.plot_export import check_png
from model.atomic_file import ExportError, check_suffix, write_atomically
from model.handout_data import HANDOUT_SUFFIXES, HandoutData

if TYPE_CHECKING:
    from gui.main_window import MainWindow

__all__ = ["HANDOUT_SUFFIXES", "HandoutData", "handout_data_from_window", "write_handout"]

PNG_WIDTH = 1800
PDF_DPI = 300


def write_handout(data: HandoutData, path: str | Path) -> Path:
    """Write the handout of ``data`` to ``path``: PNG or PDF by its suffix.

    ValueError names the allowed suffixes for any other; :class:`ExportError` says why the
    file could not be written (an old file there is kept).
    """
    suffix = check_suffix(path, HANDOUT_SUFFIXES)
    image = render_handout(data, PNG_WIDTH if suffix == ".png" else _pdf_width())
    if suffix == ".png":
        size = image.size()
        return write_atomically(
            path,
            lambda file: _save_png(image, file),
            lambda file: check_png(file, size.width(), size.height()),
        )
    return write_atomically(path, lambda file: _save_pdf(image, file), check_pdf)


def build_page(data: HandoutData) -> HandoutPage:
    """The handout page, shown offscreen, laid out, its epoch rows fitted (close it after)."""
    if QApplication.instance() is None:
        raise RuntimeError("a QApplication must exist to draw a handout")
    page = HandoutPage(data)
    page.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen, True)
    page.show()  # offscreen: layouts and plots get their real sizes
    for _ in range(2):  # the rows chosen may change a label's height, and so the room
        _settle()
        page.fit()
    return page


def render_handout(data: HandoutData, width: int) -> QImage:
    """The handout page as a picture ``width`` pixels wide (white, A4's proportions)."""
    page = build_page(data)
    try:
        ratio = width / page.width()
        image = QImage(
            QSize(width, round(page.height() * ratio)), QImage.Format.Format_ARGB32_Premultiplied
        )
        # A high-DPI picture, not a scaled painter: the plots' numbers are placed in device
        # pixels, and a scaled painter drew them smaller than their bars.
        image.setDevicePixelRatio(ratio)
        image.fill(QColor(Qt.GlobalColor.white))
        painter = QPainter(image)
        page.render(painter, QPoint())
        painter.end()
        image.setDevicePixelRatio(1.0)
        return image
    finally:
        page.close()
        page.deleteLater()


def _settle() -> None:
    """Let the offscreen page's layouts and plots take their sizes (posted events only:
    keys and clicks meanwhile wait, so the learner cannot start a second export)."""
    for _ in range(3):
        QApplication.processEvents(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)


def _pdf_width() -> int:
    return round(QPageSize(QPageSize.PageSizeId.A4).size(QPageSize.Unit.Inch).width() * PDF_DPI)


def _save_png(image: QImage, file: Path) -> None:
    if not image.save(str(file)):  # PNG by the suffix
        raise ExportError(f"Could not write {file.name}: Qt could not save the picture")


def _save_pdf(image: QImage, file: Path) -> None:
    writer = QPdfWriter(str(file))
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setPageOrientation(QPageLayout.Orientation.Portrait)
    writer.setPageMargins(QMarginsF(0, 0, 0, 0))
    writer.setResolution(PDF_DPI)
    writer.setTitle(f"{APP_NAME} handout")
    writer.setCreator(APP_NAME)
    painter = QPainter()
    if not painter.begin(writer):
        raise ExportError(f"Could not write {file.name}: Qt could not start the PDF")
    page = QRectF(0, 0, writer.width(), writer.height())
    scale = min(page.width() / image.width(), page.height() / image.height())
    target = QRectF(0, 0, image.width() * scale, image.height() * scale)
    target.moveCenter(page.center())
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    painter.drawImage(target, image)
    painter.end()


def check_pdf(file: Path) -> None:
    """Raise unless ``file`` looks like a whole PDF (its header and its end marker)."""
    data = file.read_bytes()
    if not data.startswith(b"%PDF-"):
        raise ValueError("the file does not start as a PDF")
    if b"%%EOF" not in data[-64:]:
        raise ValueError("the PDF has no end: it was cut short")


def handout_data_from_window(window: MainWindow) -> HandoutData:
    """The run the window shows, as :class:`HandoutData` (ExportError before a trace)."""
    trace = window.last_trace
    if trace is None:
        raise ExportError("Nothing to put on a handout yet: the model has not traced the inputs")
    config = window.setup.config
    if trace.activations != tuple(config.activations):
        raise ExportError(
            "The panels are still being redrawn for the new pipeline: try again in a moment"
        )
    history = window_history(window)
    return HandoutData(
        config=config,
        trace=trace,
        records=history.records,
        batch_positions=history.positions,
        batch_losses=history.losses,
        baseline=history.baseline,
    )

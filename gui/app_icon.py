"""The app's icon: one SVG, and PNGs rendered from it for every size a desktop asks for.

Desktops and window managers pick a bitmap of the size they draw (16 px in a title bar, 48 in
a launcher, 256 in a software centre), so the PNGs sit beside the SVG in
``resources/icons/activation-lab-<size>.png``. They are rendered from the SVG, never drawn by
hand: ``python -m gui.app_icon`` renders them again after the SVG changes, and a test checks
that they still match it.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QIcon, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

RESOURCES = Path(__file__).resolve().parents[1] / "resources"
ICON_SVG = RESOURCES / "activation-lab.svg"
ICON_FOLDER = RESOURCES / "icons"
ICON_SIZES = (16, 32, 48, 64, 128, 256)


def icon_png(size: int) -> Path:
    """Where the ``size``-pixel PNG of the icon lives."""
    return ICON_FOLDER / f"activation-lab-{size}.png"


def render_icon(size: int) -> QImage:
    """The SVG drawn at ``size`` × ``size`` pixels on a transparent background."""
    renderer = QSvgRenderer(str(ICON_SVG))
    if not renderer.isValid():
        raise ValueError(f"{ICON_SVG} is not a valid SVG file")
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    return image


def write_icon_pngs() -> list[Path]:
    """Render every size of :data:`ICON_SIZES` into :data:`ICON_FOLDER`; the paths written."""
    ICON_FOLDER.mkdir(parents=True, exist_ok=True)
    written = []
    for size in ICON_SIZES:
        path = icon_png(size)
        if not render_icon(size).save(str(path)):
            raise OSError(f"could not write {path}")
        written.append(path)
    return written


def app_icon() -> QIcon:
    """The window icon: the PNG of every size (crisp where a desktop draws it small), and the
    SVG for any other size. Missing files are skipped: an icon never stops the app."""
    icon = QIcon()
    for size in ICON_SIZES:
        path = icon_png(size)
        if path.is_file():
            icon.addFile(str(path), QSize(size, size))
    if ICON_SVG.is_file():
        icon.addFile(str(ICON_SVG))
    return icon


if __name__ == "__main__":  # pragma: no cover (a maintainer's tool)
    from PySide6.QtGui import QGuiApplication

    _app = QGuiApplication(sys.argv)
    for written_path in write_icon_pngs():
        print(written_path)

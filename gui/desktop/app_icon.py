"""The app's icon: the SVG master (resources/icons/autograd-lens.svg) and PNGs of it.

The PNGs are rendered from the SVG by Qt's own SVG renderer and committed, so nothing
has to render them at start-up and the desktop installer can copy them into the icon
theme. `python -m gui.desktop.app_icon` (or `make icons`) renders them again after the SVG changes.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QIcon, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ICONS = Path(__file__).resolve().parents[2] / "resources" / "icons"
NAME = "autograd-lens"
SVG = ICONS / f"{NAME}.svg"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def png_path(size: int) -> Path:
    return ICONS / f"{NAME}-{size}.png"


def render(size: int, svg: Path = SVG) -> QImage:
    """The SVG drawn into a transparent `size`×`size` image."""
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise ValueError(f"{svg} is not an SVG Qt can draw")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter, QRectF(0, 0, size, size))
    painter.end()
    return image


def write_pngs(svg: Path = SVG) -> list[Path]:
    """Render every size in SIZES next to the SVG; the files written."""
    written = []
    for size in SIZES:
        path = png_path(size)
        if not render(size, svg).save(str(path), "PNG"):
            raise OSError(f"can't write {path}")
        written.append(path)
    return written


def app_icon() -> QIcon:
    """The window icon: every committed PNG size (the SVG if none are there)."""
    icon = QIcon()
    for size in SIZES:
        if png_path(size).is_file():
            icon.addFile(str(png_path(size)))
    return icon if not icon.isNull() else QIcon(str(SVG))


def main() -> int:
    from PySide6.QtGui import QGuiApplication

    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # QPainter needs one
    for path in write_pngs():
        print(path.relative_to(ICONS.parent.parent))
    return 0


if __name__ == "__main__":
    sys.exit(main())

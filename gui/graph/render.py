"""Pictures of the graph: PNG, SVG and PDF, made the same way by the window and the CLI.

Every picture is a fresh `GraphScene` (no item caches, so vector formats stay vectors)
rendered through a QPainter. Without a display and before any QApplication exists (the
command line), `ensure_app` starts an offscreen one: no window system is needed.
"""

from __future__ import annotations

import math
import os
import sys
from collections.abc import Iterable
from pathlib import Path

from PySide6.QtCore import QMarginsF, QRectF, QSize, QSizeF
from PySide6.QtGui import QColor, QImage, QPageLayout, QPageSize, QPainter, QPdfWriter
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QApplication

from core.record.graph import GraphRecord
from gui.graph.scene import MARGIN, GraphScene
from gui.look.i18n import translate
from gui.model.theme import LIGHT, Theme

PICTURE_SUFFIXES = (".png", ".svg", ".pdf")
POINTS_PER_INCH = 72.0
_app: QApplication | None = None  # the app ensure_app made, kept alive for the process


def ensure_app() -> QApplication:
    """The running QApplication, or a new offscreen one (headless export needs no display)."""
    global _app
    app = QApplication.instance()
    if app is None:
        argv = [sys.argv[0] if sys.argv and sys.argv[0] else "autograd-lens"]
        if not os.environ.get("QT_QPA_PLATFORM"):  # unless the user picked a platform
            argv += ["-platform", "offscreen"]  # pictures never need a window system
        app = _app = QApplication(argv)
    if not isinstance(app, QApplication):
        raise RuntimeError("rendering the graph needs a QApplication, not a QGuiApplication")
    return app


def build_scene(
    record: GraphRecord,
    step: int | None = None,
    theme: Theme | None = None,
    show_values: bool = True,
    highlight: Iterable[str] = (),
) -> GraphScene:
    """A scene showing the record at `step` (None: no backward states), for pictures."""
    ensure_app()
    scene = GraphScene(theme=theme or LIGHT, show_values=show_values, cache=False)
    scene.set_record(record)
    scene.set_step(step)
    scene.highlight(highlight)
    return scene


def _paint(scene: GraphScene, painter: QPainter, target: QRectF) -> None:
    painter.setRenderHints(
        QPainter.RenderHint.Antialiasing
        | QPainter.RenderHint.TextAntialiasing
        | QPainter.RenderHint.SmoothPixmapTransform
    )
    scene.render(painter, target, scene.sceneRect())


# A PNG bigger than this is no use on a slide and costs seconds per 100 megapixels to paint
# and encode (a 967-node RNN at 1x is 17,000 x 46,000 px: 32 s); past it the picture is
# scaled down to fit, and SVG or PDF keep every detail.
MAX_PIXELS = 64_000_000
# Qt's PNG quality is zlib's effort: 80 writes a 1,000-node graph (15,500 x 4,100 px) in
# 1.1 s instead of 1.7 s at the default, for a file 25% bigger (3.5 MB).
PNG_QUALITY = 80
MAX_SIDE = 32_000


SLIDE_PIXELS = 1080  # a slide's height: a PNG's longer side reaches it by default
SLIDE_SCALES = (1.0, 4.0)  # the default scale's range: a big graph stays at 1x (no slower)


def slide_scale(record: GraphRecord) -> float:
    """The default scale of a PNG: its longer side SLIDE_PIXELS (a slide's height), from
    1x (a graph bigger than that stays as it is) to 4x (a tiny one); the lesson's
    113 x 525-point graph is 2.0x: 259 x 1080 px (at 1x, 129 x 541)."""
    longer = max(record.width, record.height) + 2 * MARGIN
    low, high = SLIDE_SCALES
    return min(max(SLIDE_PIXELS / longer, low), high) if longer > 0 else low


def fitted_scale(width: float, height: float, scale: float) -> float:
    """`scale`, or less if a width x height picture at `scale` would pass the pixel limits."""
    if width <= 0 or height <= 0:
        return scale
    limit = min(MAX_SIDE / width, MAX_SIDE / height, math.sqrt(MAX_PIXELS / (width * height)))
    return min(scale, limit)


def render_image(
    record: GraphRecord,
    step: int | None = None,
    scale: float = 1.0,
    theme: Theme | None = None,
    show_values: bool = True,
    highlight: Iterable[str] = (),
) -> QImage:
    """The graph as an image: one pixel per point at scale 1 (72 dpi), `scale` times more
    (less if the picture would pass MAX_PIXELS or MAX_SIDE: see `fitted_scale`)."""
    if not scale > 0:
        raise ValueError(f"scale must be positive, not {scale}")
    scene = build_scene(record, step, theme, show_values, highlight)
    rect = scene.sceneRect()
    scale = fitted_scale(rect.width(), rect.height(), scale)
    size = QSize(math.ceil(rect.width() * scale), math.ceil(rect.height() * scale))
    image = QImage(size, QImage.Format.Format_RGB32)  # opaque: PNGs 5x smaller, 2x faster
    image.fill(QColor(scene.theme.background))
    dots_per_meter = round(POINTS_PER_INCH * scale / 0.0254)  # prints at the graph's size
    image.setDotsPerMeterX(dots_per_meter)
    image.setDotsPerMeterY(dots_per_meter)
    painter = QPainter(image)
    _paint(scene, painter, QRectF(0, 0, rect.width() * scale, rect.height() * scale))
    painter.end()
    return image


def export_picture(
    record: GraphRecord,
    path: str | os.PathLike[str],
    scale: float = 1.0,
    step: int | None = None,
    theme: Theme | None = None,
    show_values: bool = True,
    highlight: Iterable[str] = (),
) -> float:
    """Write the graph to a .png (`scale` 1, 2, 4 … times 72 dpi), .svg or .pdf file.

    Returns the scale used: `scale`, or less for a PNG that would pass the pixel limits.
    Raises ValueError for another suffix and OSError when the file can't be written.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in PICTURE_SUFFIXES:
        raise ValueError(f"can't export a picture as '{suffix}': use {', '.join(PICTURE_SUFFIXES)}")
    if not path.parent.is_dir():  # say so plainly, before Qt complains on stderr
        raise FileNotFoundError(
            translate("Render", "can't write {path}: no folder {folder}").format(
                path=path, folder=path.parent
            )
        )
    if suffix == ".png":
        image = render_image(record, step, scale, theme, show_values, highlight)
        if not image.save(str(path), "PNG", PNG_QUALITY):
            raise OSError(translate("Render", "can't write {path}").format(path=path))
        return image.dotsPerMeterX() * 0.0254 / POINTS_PER_INCH
    scene = build_scene(record, step, theme, show_values, highlight)
    if suffix == ".svg":
        _write_svg(scene, path)
    else:
        _write_pdf(scene, path)
    return scale


def _write_svg(scene: GraphScene, path: Path) -> None:
    rect = scene.sceneRect()
    generator = QSvgGenerator()
    generator.setFileName(str(path))
    generator.setSize(QSize(math.ceil(rect.width()), math.ceil(rect.height())))
    generator.setViewBox(QRectF(0, 0, rect.width(), rect.height()))
    generator.setResolution(round(POINTS_PER_INCH))  # one unit is one point
    generator.setTitle(translate("Render", "Autograd graph"))
    generator.setDescription(translate("Render", "Drawn by Autograd Lens"))
    painter = QPainter()
    if not painter.begin(generator):
        raise OSError(translate("Render", "can't write {path}").format(path=path))
    _paint(scene, painter, QRectF(0, 0, rect.width(), rect.height()))
    painter.end()


def _write_pdf(scene: GraphScene, path: Path) -> None:
    """One page exactly the graph's size, drawn in points (vector text and lines)."""
    rect = scene.sceneRect()
    writer = QPdfWriter(str(path))
    writer.setCreator("Autograd Lens")
    writer.setTitle(translate("Render", "Autograd graph"))
    writer.setResolution(round(POINTS_PER_INCH))
    page = QPageSize(QSizeF(rect.width(), rect.height()), QPageSize.Unit.Point, "graph")
    writer.setPageLayout(QPageLayout(page, QPageLayout.Orientation.Portrait, QMarginsF()))
    painter = QPainter()
    if not painter.begin(writer):
        raise OSError(translate("Render", "can't write {path}").format(path=path))
    _paint(scene, painter, QRectF(0, 0, rect.width(), rect.height()))
    painter.end()

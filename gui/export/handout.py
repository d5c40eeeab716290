"""Handouts: the whole backward pass as a multi-page PDF or an animated GIF.

One page (or frame) per state: before backward, then after each step, each showing the
graph in that state, the plain-language caption and the chain-rule lines the record has
for the step. One scene is built and stepped (as the player does), so a page costs a
repaint, not a rebuild. Text is drawn as text, so a PDF's captions can be searched and
copied. A graph too big to read when fitted to the page shows the part around the node
that runs, at a readable scale; a GIF's frames (which can't scroll) show the whole graph,
in a bigger frame if need be. Qt writes the PDF; Pillow writes the GIF from Qt's images
(Qt has no GIF writer).
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from PIL import GifImagePlugin, Image, ImageChops
from PySide6.QtCore import QMarginsF, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QImage,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
)

from core.record.graph import GraphRecord
from core.record.labels import FONT_FAMILY
from gui.graph.render import POINTS_PER_INCH, build_scene
from gui.graph.scene import GraphScene
from gui.look.i18n import translate
from gui.model.playback import playback_of
from gui.model.theme import DARK, LIGHT, Theme

HANDOUT_SUFFIXES = (".pdf", ".gif")
Progress = Callable[[int, int], None]  # (written, of how many)
DEFAULT_FRAME_MS = 1200
FRAME_MS_CHOICES = (600, 1200, 2000, 3000)
TEXT_FAMILY = "DejaVu Sans"
MARGIN = 36.0  # points around a PDF page's content
GAP = 10.0  # between the graph and the text under it
MAX_SCALE = 2.0  # a small graph is enlarged no more than this
MIN_SCALE = 0.7  # below this a fitted graph is unreadable: show the part around the step
GIF_SCALE = 1.5  # pixels per point in a GIF frame
GIF_MIN_WIDTH = 520  # pixels: room for the caption beside a narrow graph
GIF_MAX_GRAPH = (1024.0, 720.0)  # pixels of graph in a GIF frame, if that is readable
GIF_LARGEST_GRAPH = (1920.0, 1440.0)  # pixels of graph at most, for a bigger graph


@dataclass(frozen=True)
class Block:
    """A paragraph under the graph."""

    text: str
    font: QFont
    colour: str


def states(record: GraphRecord) -> list[int | None]:
    """The states shown, in order: 0 (before backward) to the last step; [None] (the plain
    picture) when the program ran no backward."""
    return list(range(len(record.backward) + 1)) if record.backward else [None]


def font(family: str, pixels: float, bold: bool = False) -> QFont:
    f = QFont(family)
    f.setPixelSize(max(1, round(pixels)))
    f.setBold(bold)
    f.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
    return f


def blocks_for(record: GraphRecord, step: int | None, theme: Theme, size: float) -> list[Block]:
    """The text under the graph: the caption, then the step's formula and chain-rule lines
    (what the record has for the step)."""
    frame = playback_of(record).frame(step or 0)  # the window's frame, on paper
    blocks = [Block(frame.caption_plain, font(TEXT_FAMILY, size), theme.text)]
    if step:
        s = record.backward[step - 1]
        mono = font(FONT_FAMILY, size * 0.85)
        if s.formula:
            blocks.append(
                Block(
                    translate("Handout", "Local derivative: {formula}").format(formula=s.formula),
                    mono,
                    theme.text,
                )
            )
        if s.chain and not record.chain_rule_pending:
            blocks.append(Block("\n".join(frame.chain), mono, theme.text))
    return blocks


def program_block(record: GraphRecord, theme: Theme, size: float) -> Block | None:
    """The program, for the first page (None if there is none)."""
    if not record.source.strip():
        return None
    text = translate("Handout", "Program:") + "\n" + record.source.rstrip()
    return Block(text, font(FONT_FAMILY, size * 0.65), theme.faded_text)


def fit_lines(block: Block, width: float, height: float) -> Block:
    """The block cut to its first lines so that it fits `height` ("… n more lines")."""
    lines = block.text.split("\n")
    metrics = QFontMetricsF(block.font)
    keep = len(lines)
    while keep > 1 and block_heights([Block("\n".join(lines[:keep]), block.font, block.colour)],
                                     width)[0] > height:  # fmt: skip
        keep = max(1, min(keep - 1, int(height / metrics.lineSpacing()) - 1))
    if keep < len(lines):
        lines = lines[:keep] + [
            translate("Handout", "… ({count} more lines)").format(count=len(lines) - keep)
        ]
    return Block("\n".join(lines), block.font, block.colour)


_WRAP = int(Qt.AlignmentFlag.AlignLeft | Qt.TextFlag.TextWordWrap)


def block_heights(blocks: list[Block], width: float) -> list[float]:
    return [
        QFontMetricsF(b.font).boundingRect(QRectF(0, 0, width, 1e6), _WRAP, b.text).height()
        for b in blocks
    ]


def text_height(blocks: list[Block], width: float) -> float:
    heights = block_heights(blocks, width)
    return sum(heights) + GAP / 2 * max(0, len(heights) - 1)


def focus_node(record: GraphRecord, step: int | None) -> str | None:
    """What a cropped page centres on: the node that runs, else the output."""
    if step:
        return record.backward[step - 1].node
    return record.output


def paint_state(
    painter: QPainter, area: QRectF, scene: GraphScene, blocks: list[Block],
    side: Block | None = None, min_scale: float = MIN_SCALE, scale: float | None = None,
) -> None:  # fmt: skip
    """The scene's current state in `area`, fitted (or cropped around the step), and the
    blocks of text under it; `side` (the program) goes beside a narrow graph, else under
    the rest, cut to a third of the page. With `scale`, the whole graph at that scale
    (a GIF's frames: the same graph, the same size, in every one)."""
    painter.setRenderHints(
        QPainter.RenderHint.Antialiasing
        | QPainter.RenderHint.TextAntialiasing
        | QPainter.RenderHint.SmoothPixmapTransform
    )
    graph = QRectF(area.left(), area.top(), area.width(), 1.0)
    graph_width = area.width()
    if side is not None:
        graph.setHeight(max(1.0, area.height() - text_height(blocks, area.width()) - GAP))
        source, scale = _source_rect(scene, graph, min_scale)
        if source.width() * scale <= graph.width() / 2 - GAP:  # room beside the graph
            column = QRectF(graph.center().x() + GAP, graph.top(), graph.width() / 2 - GAP,
                            graph.height())  # fmt: skip
            _draw_blocks(painter, column, [fit_lines(side, column.width(), column.height())])
            graph_width = area.width() / 2
        else:
            blocks = [*blocks, fit_lines(side, area.width(), area.height() / 3)]
    text = text_height(blocks, area.width())
    graph = QRectF(area.left(), area.top(), graph_width, max(1.0, area.height() - text - GAP))
    if scale is None:
        source, scale = _source_rect(scene, graph, min_scale)
    else:
        source = scene.sceneRect()
    target = QRectF(0, 0, source.width() * scale, source.height() * scale)
    target.moveCenter(QPointF(graph.center().x(), graph.top() + target.height() / 2))
    scene.render(painter, target, source, Qt.AspectRatioMode.KeepAspectRatio)
    _draw_blocks(painter, QRectF(area.left(), graph.bottom() + GAP, area.width(), text), blocks)


def _draw_blocks(painter: QPainter, rect: QRectF, blocks: list[Block]) -> None:
    y = rect.top()
    for block, height in zip(blocks, block_heights(blocks, rect.width()), strict=True):
        painter.setFont(block.font)
        painter.setPen(QColor(block.colour))
        painter.drawText(QRectF(rect.left(), y, rect.width(), height), _WRAP, block.text)
        y += height + GAP / 2


def _source_rect(scene: GraphScene, room: QRectF, min_scale: float) -> tuple[QRectF, float]:
    """The part of the scene to draw into `room`, and at what scale."""
    whole = scene.sceneRect()
    scale = min(room.width() / whole.width(), room.height() / whole.height(), MAX_SCALE)
    if scale >= min_scale or scene.record is None:
        return whole, scale
    scale = min_scale
    source = QRectF(0, 0, min(whole.width(), room.width() / scale),
                    min(whole.height(), room.height() / scale))  # fmt: skip
    node = focus_node(scene.record, scene.step)
    centre = scene.node_item(node).sceneBoundingRect().center() if node else whole.center()
    source.moveCenter(centre)
    source.moveLeft(min(max(source.left(), whole.left()), whole.right() - source.width()))
    source.moveTop(min(max(source.top(), whole.top()), whole.bottom() - source.height()))
    return source, scale


def _paper_theme(theme: Theme | None) -> Theme:
    """Handouts are printed: the dark theme's pictures go on white paper."""
    return LIGHT if theme is None or theme is DARK else theme


def write_pdf(
    record: GraphRecord,
    path: str | os.PathLike[str],
    theme: Theme | None = None,
    show_values: bool = True,
) -> int:
    """Write the handout PDF (A4, one page per state); returns the number of pages."""
    return _run(handout_job(record, _checked(path, ".pdf"), theme=theme,
                            show_values=show_values))  # fmt: skip


def _pdf_pages(
    record: GraphRecord, path: Path, theme: Theme | None, show_values: bool
) -> Iterator[int]:
    """Write the PDF a page per next(); yields the pages written so far."""
    theme = _paper_theme(theme)
    shown = states(record)
    scene = build_scene(record, shown[0], theme, show_values)
    whole = scene.sceneRect()
    landscape = whole.width() > whole.height()
    writer = QPdfWriter(str(path))
    writer.setCreator("Autograd Lens")
    writer.setTitle(translate("Handout", "Autograd Lens handout: backward() step by step"))
    writer.setResolution(round(POINTS_PER_INCH))  # one painter unit is one point
    orientation = (
        QPageLayout.Orientation.Landscape if landscape else QPageLayout.Orientation.Portrait
    )
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), orientation, QMarginsF()))
    page = writer.pageLayout().fullRectPoints()
    area = QRectF(MARGIN, MARGIN, page.width() - 2 * MARGIN, page.height() - 2 * MARGIN - 14)
    painter = QPainter()
    if not painter.begin(writer):
        raise OSError(translate("Handout", "can't write {path}").format(path=path))
    try:
        for i, step in enumerate(shown):
            if i:
                writer.newPage()
            scene.set_step(step)
            side = program_block(record, theme, 13) if i == 0 else None
            paint_state(painter, area, scene, blocks_for(record, step, theme, 13), side)
            painter.setFont(font(TEXT_FAMILY, 8))
            painter.setPen(QColor(theme.faded_text))
            footer = QRectF(MARGIN, page.height() - MARGIN - 10, area.width(), 12)
            painter.drawText(
                footer,
                int(Qt.AlignmentFlag.AlignRight),
                translate("Handout", "Autograd Lens · page {page} of {count}").format(
                    page=i + 1, count=len(shown)
                ),
            )
            yield i + 1
    finally:
        painter.end()


class FrameMaker:
    """Draws the GIF's frames: each state's whole graph over its caption, all one size,
    the graph at one scale (`gif_scale`)."""

    def __init__(
        self, record: GraphRecord, theme: Theme | None = None, show_values: bool = True,
        scale: float = GIF_SCALE,
    ) -> None:  # fmt: skip
        self.record, self.theme = record, theme or LIGHT
        self.scene = build_scene(record, states(record)[0], self.theme, show_values)
        whole = self.scene.sceneRect()
        self.graph_scale = gif_scale(whole, scale)
        graph_w = whole.width() * self.graph_scale
        graph_h = whole.height() * self.graph_scale
        pad = 8 * scale
        width = max(graph_w, GIF_MIN_WIDTH)
        self.text_size = 11 * scale
        text = max(
            text_height(blocks_for(record, s, self.theme, self.text_size), width)
            for s in states(record)
        )
        self.size = QSize(math.ceil(width + 2 * pad), math.ceil(graph_h + GAP + text + 2 * pad))
        self.area = QRectF(pad, pad, width, self.size.height() - 2 * pad)

    def frame(self, step: int | None) -> QImage:
        self.scene.set_step(step)
        image = QImage(self.size, QImage.Format.Format_RGB32)
        image.fill(QColor(self.theme.background))
        painter = QPainter(image)
        blocks = blocks_for(self.record, step, self.theme, self.text_size)
        paint_state(painter, self.area, self.scene, blocks, scale=self.graph_scale)
        painter.end()
        return image


def gif_scale(whole: QRectF, scale: float = GIF_SCALE) -> float:
    """Pixels per point for a GIF's graph, drawn whole in every frame (a frame can't
    scroll): `scale`, less if the graph is bigger than GIF_MAX_GRAPH; a graph that would
    be unreadable there (below MIN_SCALE) gets a bigger frame, up to GIF_LARGEST_GRAPH."""

    def fit(box: tuple[float, float]) -> float:
        return min(box[0] / max(whole.width(), 1.0), box[1] / max(whole.height(), 1.0))

    fitted = min(scale, fit(GIF_MAX_GRAPH))
    if fitted < MIN_SCALE * scale:
        fitted = min(MIN_SCALE * scale, fit(GIF_LARGEST_GRAPH))
    return fitted


def frames(
    record: GraphRecord, theme: Theme | None = None, show_values: bool = True,
    scale: float = GIF_SCALE,
) -> Iterator[QImage]:  # fmt: skip
    """One image per state, all the same size: the graph over its caption and lines."""
    maker = FrameMaker(record, theme, show_values, scale)
    for step in states(record):
        yield maker.frame(step)


def to_pillow(image: QImage) -> Image.Image:
    """A Qt image (RGB32) as a Pillow RGB image."""
    data = bytes(image.convertToFormat(QImage.Format.Format_RGB32).constBits())
    size = (image.width(), image.height())
    return Image.frombuffer("RGB", size, data, "raw", "BGRX", image.bytesPerLine(), 1)


def shared_palette(images: list[Image.Image]) -> Image.Image:
    """One 256-colour palette for every frame, made from the states that differ most
    (before backward and the end): flat colours stay flat and frames differ only where
    the graph changed, so the GIF stays small."""
    width = max(i.width for i in images)
    sheet = Image.new("RGB", (width, sum(i.height for i in images)), "white")
    top = 0
    for image in images:
        sheet.paste(image, (0, top))
        top += image.height
    return sheet.quantize(colors=256, method=Image.Quantize.FASTOCTREE)


def write_gif(
    record: GraphRecord,
    path: str | os.PathLike[str],
    frame_ms: int = DEFAULT_FRAME_MS,
    theme: Theme | None = None,
    show_values: bool = True,
) -> int:
    """Write the animated GIF (one frame per state, `frame_ms` each, looping); returns the
    number of frames."""
    return _run(handout_job(record, _checked(path, ".gif"), frame_ms, theme, show_values))


def _gif_frames(
    record: GraphRecord, path: Path, frame_ms: int, theme: Theme | None, show_values: bool
) -> Iterator[int]:
    """Write the GIF a frame per next(), streamed: only the last frame is held, and each
    frame after the first is written as the rectangle that changed (Pillow's own GIF
    writer holds every frame until the end). Yields the frames written so far."""
    maker = FrameMaker(record, theme, show_values)
    shown = states(record)
    palette = shared_palette([to_pillow(maker.frame(shown[0])), to_pillow(maker.frame(shown[-1]))])

    def quantized(step: int | None) -> Image.Image:
        return to_pillow(maker.frame(step)).quantize(palette=palette, dither=Image.Dither.NONE)

    with path.open("wb") as out:
        previous = quantized(shown[0])
        header, _ = GifImagePlugin.getheader(previous, info={"loop": 0, "optimize": False})
        out.write(b"".join(header))
        out.write(b"".join(GifImagePlugin.getdata(previous, duration=int(frame_ms))))
        yield 1
        for i, step in enumerate(shown[1:], start=2):
            image = quantized(step)
            box = _changed(previous, image) or (0, 0, 1, 1)
            part = image.crop(box)
            part.putpalette(image.getpalette() or [])
            out.write(b"".join(GifImagePlugin.getdata(part, offset=box[:2],
                                                      duration=int(frame_ms))))  # fmt: skip
            previous = image
            yield i
        out.write(b";")  # the GIF's trailer


def _changed(before: Image.Image, after: Image.Image) -> tuple[int, int, int, int] | None:
    """The box where two frames of one palette differ (None: nowhere)."""
    as_grey = [Image.frombytes("L", i.size, i.tobytes()) for i in (before, after)]
    return ImageChops.difference(*as_grey).getbbox()


def handout_job(
    record: GraphRecord,
    path: str | os.PathLike[str],
    frame_ms: int = DEFAULT_FRAME_MS,
    theme: Theme | None = None,
    show_values: bool = True,
) -> tuple[int, Iterator[int]]:
    """A handout written a page (or frame) per next(), for progress and Cancel: (how many
    there will be, the generator; it yields how many are written). The file appears whole
    when the last is written, replacing any old one; closing the generator before that
    (Cancel) or an error leaves no file, partial or otherwise."""
    path = Path(path)
    gif = path.suffix.lower() == ".gif"
    path = _checked(path, ".gif" if gif else ".pdf")
    if gif and not frame_ms > 0:
        raise ValueError(f"a frame lasts a positive number of milliseconds, not {frame_ms}")
    partial = path.with_name(f".{path.name}.partial")

    def steps() -> Iterator[int]:
        finished = False
        try:
            if gif:
                yield from _gif_frames(record, partial, frame_ms, theme, show_values)
            else:
                yield from _pdf_pages(record, partial, theme, show_values)
            os.replace(partial, path)
            finished = True
        except ValueError as e:  # Pillow's word for a file it can't make
            raise OSError(
                translate("Handout", "can't write {path}: {reason}").format(path=path, reason=e)
            ) from e
        finally:
            if not finished:
                partial.unlink(missing_ok=True)

    return len(states(record)), steps()


def _run(job: tuple[int, Iterator[int]], progress: Progress | None = None) -> int:
    total, steps = job
    for done in steps:
        if progress is not None:
            progress(done, total)
    return total


def write_handout(
    record: GraphRecord,
    path: str | os.PathLike[str],
    frame_ms: int = DEFAULT_FRAME_MS,
    theme: Theme | None = None,
    show_values: bool = True,
    progress: Progress | None = None,
) -> int:
    """Write a .pdf or .gif handout (the suffix picks); returns its pages or frames.
    `progress(done, total)` is called after each."""
    return _run(handout_job(record, path, frame_ms, theme, show_values), progress)


def _checked(path: str | os.PathLike[str], suffix: str) -> Path:
    path = Path(path)
    if path.suffix.lower() != suffix:
        raise ValueError(f"a handout is a {', '.join(HANDOUT_SUFFIXES)} file, not '{path.name}'")
    if not path.parent.is_dir():
        raise FileNotFoundError(
            translate("Handout", "can't write {path}: no folder {folder}").format(
                path=path, folder=path.parent
            )
        )
    return path

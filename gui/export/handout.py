"""Handouts: the whole backward pass as a multi-page PDF or an animated GIF.

One page (or frame) per state: before backward, then after each step, each showing the
graph in that state, the plain-language caption and the chain-rule lines the record has
for the step. One scene is built and stepped (as the player does), so a page costs a
repaint, not a rebuild. Text is drawn as text, so a PDF's captions can be searched and
copied. A PDF page is laid out first (`layout_page`, plain data): the text's height as
laid out is measured, and the whole graph is scaled down into the rest of the page,
inside its margins, never under the text; the page's orientation is the one where the
graph is drawn bigger. A graph printed small says so on the page; one too big to print
whole with its text shows the part around the node that runs, framed, and says so. A
GIF's frames (which can't scroll) show the whole graph, in a bigger frame if need be.
Qt writes the PDF; Pillow writes the GIF from Qt's images (Qt has no GIF writer).
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from PIL import GifImagePlugin, Image, ImageChops
from PySide6.QtCore import QMarginsF, QPointF, QRectF, QSize, QSizeF, Qt
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
from core.record.labels import FONT_FAMILY, FONT_SIZE
from gui.graph.items import MIN_TEXT_PIXELS
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
FOOTER = 14.0  # points under a PDF page's content, for its footer
GAP = 10.0  # between the graph and the text under it
MAX_SCALE = 2.0  # a small graph is enlarged no more than this
MAX_TEXT = 0.4  # of a page's height at most for the text under the graph (the rest is cut)
SIDE_COLUMN = 0.4  # of a page's width at least for the program beside the graph
PROGRAM_LINES = 6  # of the program at least on the first page (the graph made smaller)
# A PDF page shows the whole graph, scaled down to fit; a graph whose text then prints
# smaller than MIN_TEXT_PT says so on the page (a PDF can be zoomed). Below CROP_TEXT_PT
# (where the window stops drawing the boxes' text: MIN_TEXT_PIXELS) the whole graph would
# be a pattern of empty boxes: each page shows the part around its step instead, its text
# MIN_TEXT_PT tall, and says so.
MIN_TEXT_PT = 5.0
CROP_TEXT_PT = MIN_TEXT_PIXELS
MIN_SCALE = 0.7  # a GIF's graph below this is unreadable: the frame is made bigger
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
    """The block cut to its first lines so that it fits `height` laid out `width` wide,
    "… (n more lines)" included (one line is always kept)."""
    lines = block.text.split("\n")

    def cut(keep: int) -> Block:
        more = len(lines) - keep
        tail = [translate("Handout", "… ({count} more lines)").format(count=more)] if more else []
        return Block("\n".join(lines[:keep] + tail), block.font, block.colour)

    if block_heights([block], width)[0] <= height:
        return block
    spacing = QFontMetricsF(block.font).lineSpacing()
    keep = max(1, min(len(lines) - 1, int(height / spacing) - 1))
    while keep > 1 and block_heights([cut(keep)], width)[0] > height:
        keep -= 1
    return cut(keep)


_WRAP = int(Qt.AlignmentFlag.AlignLeft | Qt.TextFlag.TextWordWrap)


def block_heights(blocks: list[Block], width: float) -> list[float]:
    return [
        QFontMetricsF(b.font).boundingRect(QRectF(0, 0, width, 1e6), _WRAP, b.text).height()
        for b in blocks
    ]


def text_height(blocks: list[Block], width: float) -> float:
    heights = block_heights(blocks, width)
    return sum(heights) + GAP / 2 * max(0, len(heights) - 1)


def cut_to(blocks: list[Block], width: float, height: float) -> list[Block]:
    """The blocks that fit `height` laid out `width` wide, the last ones cut to their first
    lines (or left out) if they don't all fit; the first block is always kept."""
    kept: list[Block] = []
    for block in blocks:
        room = height - text_height(kept, width) - (GAP / 2 if kept else 0.0)
        if block_heights([block], width)[0] <= room:
            kept.append(block)
            continue
        if kept and room < 2 * QFontMetricsF(block.font).lineSpacing():
            break  # no room for a line and its "… n more lines"
        kept.append(fit_lines(block, width, room))
        break
    return kept


@dataclass(frozen=True)
class PageLayout:
    """Where one page's (or frame's) parts go, in painter units (a PDF's points): the whole
    graph in `graph` (drawn at `scale`, its aspect kept), the caption and chain-rule lines in
    `text`, the program (the first page) in `side` (beside the graph or under the text).
    Every area lies inside `content` (the page within its margins) and no two overlap:
    each text's height is measured as laid out, and the graph gets the rest."""

    content: QRectF
    graph: QRectF
    scale: float
    text: QRectF
    blocks: tuple[Block, ...]
    side: QRectF | None = None
    side_block: Block | None = None
    source: QRectF | None = None  # the part of the scene drawn in `graph` (None: all of it)
    cropped: bool = False  # `source` is only the part around the step

    def text_areas(self) -> list[QRectF]:
        return [self.text] + ([self.side] if self.side is not None else [])


def fit_scale(whole: QRectF, width: float, height: float) -> float:
    """The scale that fits the whole graph in width × height (no more than MAX_SCALE)."""
    return max(
        1e-6, min(width / max(whole.width(), 1.0), height / max(whole.height(), 1.0), MAX_SCALE)
    )


def small_text_note(scale: float, colour: str, cropped: bool = False) -> Block:
    """What a page says when the graph is printed small (or in part) to fit the page."""
    if cropped:
        text = translate(
            "Handout",
            "The graph is too big to print whole with its text: this page shows the part "
            "around the step, drawn at {percent}% (its text {points} pt). Export the graph "
            "as SVG or PNG for the whole of it.",
        )
    else:
        text = translate(
            "Handout",
            "The whole graph is drawn at {percent}% to fit the page: its text is {points} pt. "
            "Zoom in on the PDF, or export the graph as SVG or PNG to read it.",
        )
    return Block(
        text.format(percent=f"{scale * 100:.0f}", points=f"{FONT_SIZE * scale:.1f}"),
        font(TEXT_FAMILY, 9),
        colour,
    )


def part_around(whole: QRectF, size: QSizeF, focus: QPointF | None) -> QRectF:
    """The part of the scene (`whole`) `size` big centred on `focus` (else the middle),
    moved to lie inside the scene."""
    part = QRectF(0, 0, min(size.width(), whole.width()), min(size.height(), whole.height()))
    part.moveCenter(focus if focus is not None else whole.center())
    part.moveLeft(min(max(part.left(), whole.left()), whole.right() - part.width()))
    part.moveTop(min(max(part.top(), whole.top()), whole.bottom() - part.height()))
    return part


def layout_page(
    whole: QRectF, content: QRectF, blocks: list[Block], *, scale: float | None = None,
    program: Block | None = None, max_text: float = MAX_TEXT, min_text_pt: float | None = None,
    note_colour: str = LIGHT.faded_text, focus: QPointF | None = None, crop: bool = False,
) -> PageLayout:  # fmt: skip
    """Lay out a page: the text under the graph (cut to `max_text` of the content's height)
    measured first, the whole graph (`whole`: the scene's rect) fitted into what is left,
    at `scale` if given (less if that doesn't fit). If the graph's text would be smaller
    than `min_text_pt` points, a note under the graph says so. With `crop`, the graph is
    drawn at `scale` and only its part around `focus` (a scene point) that fits is shown.
    The program goes beside the graph if the graph leaves a wide enough column, else
    under the text: in what the page has left, or in a quarter of the page (the graph made
    smaller for it)."""
    width = content.width()
    blocks = cut_to(blocks, width, content.height() * max_text)
    if crop and scale is None:
        raise ValueError("a cropped page needs the scale of its graph")

    def fitted(under: float) -> tuple[float, list[Block], float, QSizeF]:
        """(scale, blocks, text height, graph size) with `under` points kept free under
        the text."""
        shown, text = blocks, text_height(blocks, width)
        if crop and scale is not None:
            shown = [small_text_note(scale, note_colour, cropped=True), *blocks]
            text = text_height(shown, width)
            room = max(1.0, content.height() - text - GAP - under)
            size = QSizeF(min(width, whole.width() * scale), min(room, whole.height() * scale))
            return scale, shown, text, size
        room = content.height() - text - GAP - under
        fit = fit_scale(whole, width, room)
        s = fit if scale is None else min(scale, fit)
        if min_text_pt is not None and FONT_SIZE * s < min_text_pt:
            shown = [small_text_note(s, note_colour), *blocks]
            text = text_height(shown, width)
            room = content.height() - text - GAP - under
            s = min(s, fit_scale(whole, width, room))
            shown[0] = small_text_note(s, note_colour)
        return s, shown, text, QSizeF(whole.width() * s, whole.height() * s)

    s, shown, text, size = fitted(0.0)
    graph = QRectF(QPointF(0, 0), size)
    side: QRectF | None = None
    side_block: Block | None = None
    beside = False
    if program is not None:
        column = width - graph.width() - GAP
        lines = QFontMetricsF(program.font).lineSpacing()
        left = content.height() - graph.height() - GAP - text - GAP
        beside = column >= width * SIDE_COLUMN
        if beside:  # beside the graph, above the text
            side = QRectF(content.left() + graph.width() + GAP, content.top(), column,
                          content.height() - text - GAP)  # fmt: skip
            graph.moveTopLeft(content.topLeft())
        else:
            if left < PROGRAM_LINES * lines:  # make room: a quarter of the page
                s, shown, text, size = fitted(
                    max(content.height() / 4, PROGRAM_LINES * lines) + GAP
                )
                graph = QRectF(QPointF(0, 0), size)
                left = content.height() - graph.height() - GAP - text - GAP
            side = QRectF(content.left(), content.bottom() - left, width, left)
        side_block = fit_lines(program, side.width(), side.height())
        side.setHeight(min(side.height(), block_heights([side_block], side.width())[0]))
    if side is None or not beside:  # the graph centred across the page
        graph.moveCenter(QPointF(content.center().x(), content.top() + graph.height() / 2))
    top = max(graph.bottom(), side.bottom()) if side is not None and beside else graph.bottom()
    text_rect = QRectF(content.left(), top + GAP, width, text)
    if side is not None and not beside:
        side.moveTop(text_rect.bottom() + GAP)
    source = part_around(whole, graph.size() / s, focus) if crop else QRectF(whole)
    return PageLayout(content, graph, s, text_rect, tuple(shown), side, side_block, source, crop)


def focus_node(record: GraphRecord, step: int | None) -> str | None:
    """What a page showing part of the graph centres on: the node that runs, else the
    output."""
    if step:
        return record.backward[step - 1].node
    return record.output


def focus_point(scene: GraphScene, step: int | None) -> QPointF | None:
    """Where a page showing part of the graph centres: the node that runs at `step`, else
    the output (None: the middle)."""
    if scene.record is None:
        return None
    node = focus_node(scene.record, step)
    return scene.node_item(node).sceneBoundingRect().center() if node else None


def paint_page(painter: QPainter, layout: PageLayout, scene: GraphScene) -> None:
    """The scene's current state, whole, and the page's text, where `layout` puts them."""
    painter.setRenderHints(
        QPainter.RenderHint.Antialiasing
        | QPainter.RenderHint.TextAntialiasing
        | QPainter.RenderHint.SmoothPixmapTransform
    )
    source = layout.source if layout.source is not None else scene.sceneRect()
    scene.render(painter, layout.graph, source, Qt.AspectRatioMode.KeepAspectRatio)
    if layout.cropped:  # a window on the graph: its edge cuts boxes, framed to show it
        painter.setPen(QColor(scene.theme.faded_text))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(layout.graph)
    _draw_blocks(painter, layout.text, list(layout.blocks))
    if layout.side is not None and layout.side_block is not None:
        _draw_blocks(painter, layout.side, [layout.side_block])


def _draw_blocks(painter: QPainter, rect: QRectF, blocks: list[Block]) -> None:
    y = rect.top()
    for block, height in zip(blocks, block_heights(blocks, rect.width()), strict=True):
        painter.setFont(block.font)
        painter.setPen(QColor(block.colour))
        painter.drawText(QRectF(rect.left(), y, rect.width(), height), _WRAP, block.text)
        y += height + GAP / 2


def page_content(page: QSizeF) -> QRectF:
    """A PDF page's content: inside the margins, above the footer."""
    return QRectF(MARGIN, MARGIN, page.width() - 2 * MARGIN,
                  page.height() - 2 * MARGIN - FOOTER)  # fmt: skip


A4_PORTRAIT = QSizeF(QPageSize(QPageSize.PageSizeId.A4).sizePoints())


def pdf_layouts(
    whole: QRectF, texts: list[list[Block]], program: Block | None,
    page: QSizeF = A4_PORTRAIT, note_colour: str = LIGHT.faded_text,
    focus: list[QPointF | None] | None = None,
) -> tuple[bool, list[PageLayout]]:  # fmt: skip
    """The PDF's pages laid out (`texts`: each page's blocks; `focus`: each page's step, a
    scene point): (landscape?, a layout per page). The graph is drawn whole at one scale
    on the pages (the largest that most pages' text leaves room for: a page with more text
    draws it smaller), so it keeps its size and place as the pages turn; the orientation
    is the one where that scale is larger (for a tie, landscape for a wide graph). A graph
    that would be drawn too small for its text (CROP_TEXT_PT) is shown in part instead,
    around each page's `focus`. The program goes on the first page."""
    portrait = QSizeF(min(page.width(), page.height()), max(page.width(), page.height()))
    choices = []
    for landscape in (False, True):
        size = portrait.transposed() if landscape else portrait
        content = page_content(size)
        fits = sorted(
            layout_page(whole, content, blocks, min_text_pt=MIN_TEXT_PT).scale for blocks in texts
        )
        choices.append((fits[len(fits) // 2], landscape, content))
    (p_scale, _, _), (l_scale, _, _) = choices
    wide = whole.width() > whole.height()
    tie = abs(l_scale - p_scale) <= p_scale * 0.01
    common, landscape, content = choices[1 if l_scale > p_scale * 1.01 or (tie and wide) else 0]
    crop = FONT_SIZE * common < CROP_TEXT_PT
    if crop:
        common = MIN_TEXT_PT / FONT_SIZE
    return landscape, [
        layout_page(
            whole,
            content,
            blocks,
            scale=common,
            program=program if i == 0 else None,
            min_text_pt=MIN_TEXT_PT,
            note_colour=note_colour,
            crop=crop,
            focus=focus[i] if focus is not None else None,
        )  # fmt: skip
        for i, blocks in enumerate(texts)
    ]


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
    landscape, layouts = pdf_layouts(
        scene.sceneRect(), [blocks_for(record, step, theme, 13) for step in shown],
        program_block(record, theme, 13), note_colour=theme.faded_text,
        focus=[focus_point(scene, step) for step in shown],
    )  # fmt: skip
    writer = QPdfWriter(str(path))
    writer.setCreator("Autograd Lens")
    writer.setTitle(translate("Handout", "Autograd Lens handout: backward() step by step"))
    writer.setResolution(round(POINTS_PER_INCH))  # one painter unit is one point
    orientation = (
        QPageLayout.Orientation.Landscape if landscape else QPageLayout.Orientation.Portrait
    )
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), orientation, QMarginsF()))
    page = writer.pageLayout().fullRectPoints()
    painter = QPainter()
    if not painter.begin(writer):
        raise OSError(translate("Handout", "can't write {path}").format(path=path))
    try:
        for i, (step, layout) in enumerate(zip(shown, layouts, strict=True)):
            if i:
                writer.newPage()
            scene.set_step(step)
            paint_page(painter, layout, scene)
            painter.setFont(font(TEXT_FAMILY, 8))
            painter.setPen(QColor(theme.faded_text))
            footer = QRectF(MARGIN, page.height() - MARGIN - 10, layout.content.width(), 12)
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
        layout = layout_page(self.scene.sceneRect(), self.area, blocks, scale=self.graph_scale,
                             max_text=1.0)  # fmt: skip
        paint_page(painter, layout, self.scene)
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

"""The graph's boxes, drawn as torchviz draws them (edges are in `gui.graph.edges`).

One scene unit is one point, as in the layout. Items paint themselves from a shared
`Palette` (the theme as ready QColors and fonts) and hold only what changes per step: a
node's state, highlight and text lines.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem

from core.record.graph import Node
from core.record.labels import FONT_FAMILY, FONT_SIZE
from gui.model.flow import NOT_REACHED, RUNNING
from gui.model.theme import Theme

LINE_HEIGHT = FONT_SIZE * 1.2  # Graphviz's line spacing
HALO = 4.0  # room around a box for the running / highlight / selection outlines
MIN_TEXT_PIXELS = 4.0  # below this, text is unreadable: draw boxes only
SKETCH_LOD = 0.2  # below this zoom, boxes are a few pixels: plain fills and straight lines


def graph_font(pixels: float = FONT_SIZE) -> QFont:
    """The layout's font, sized in scene units (points), with unhinted (scalable) metrics."""
    font = QFont(FONT_FAMILY)
    font.setStyleHint(QFont.StyleHint.Monospace)
    font.setPixelSize(round(pixels))
    font.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
    return font


def mix(color: str, toward: str, amount: float) -> QColor:
    """`color` moved `amount` of the way to `toward` (0: unchanged, 1: `toward`)."""
    a, b = QColor(color), QColor(toward)
    return QColor.fromRgbF(
        *(x + (y - x) * amount for x, y in zip(a.getRgbF()[:3], b.getRgbF()[:3], strict=True))
    )


def shows_text(lod: float) -> bool:
    """Whether boxes seen at this level of detail (scale) have their text drawn."""
    return lod * FONT_SIZE >= MIN_TEXT_PIXELS


class Palette:
    """A theme turned into the QColors and fonts the items paint with (built once)."""

    def __init__(self, theme: Theme) -> None:
        self.theme = theme
        self.font = graph_font()
        self.label_font = graph_font(FONT_SIZE - 1)
        self.metrics = QFontMetricsF(self.font)
        self.label_metrics = QFontMetricsF(self.label_font)
        self.text = QColor(theme.text)
        self.faded_text = QColor(theme.faded_text)
        self.constant_text = QColor(theme.constant_text)
        self.border = QColor(theme.border)
        self.faded_border = mix(theme.border, theme.not_reached, theme.fade)
        self.edge = QColor(theme.edge)
        self.faded_edge = mix(theme.edge, theme.background, theme.fade)
        self.outline = {name: QColor(getattr(theme, name)) for name in _OUTLINES}
        self.gradient = QColor(theme.gradient)
        self.label_text = QColor(theme.label_colour())
        self.label_back = QColor(theme.label_back)
        self._fills: dict[tuple[str, bool], QColor] = {}
        self._sketch_pens: dict[int, QPen] = {}  # color's rgba -> its cosmetic pen

    def sketch_pen(self, color: QColor) -> QPen:
        """A one-pixel pen (whatever the zoom) in color: a zoomed-out graph's 1,000 edges
        share three."""
        pen = self._sketch_pens.get(color.rgba())
        if pen is None:
            pen = self._sketch_pens[color.rgba()] = QPen(color, 0)
        return pen

    def fill(self, node: Node, faded: bool) -> QColor:
        hex_color = self.theme.fill_for(node)
        key = (hex_color, faded)
        if key not in self._fills:
            self._fills[key] = (
                mix(hex_color, self.theme.not_reached, self.theme.fade)
                if faded
                else QColor(hex_color)
            )
        return self._fills[key]


_OUTLINES = ("running", "done", "highlight", "selected")


class NodeItem(QGraphicsItem):
    """One node's box: torchviz's fill, its text lines, and an outline for its state."""

    def __init__(self, node: Node, palette: Palette, lines: list[str]) -> None:
        super().__init__()
        self.node = node
        self.palette = palette
        self.state = "plain"
        self.highlighted = False
        self._set_rect(node)
        self._lines: list[str] = []
        self._make_lines: Callable[[], list[str]] | None = None
        self._placed: list[tuple[QPointF, str]] = []
        self.setPos(node.x, node.y)
        self.setZValue(1)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable)
        self.setAcceptHoverEvents(True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.set_lines(lines)

    def fill_color(self) -> QColor:
        constant = self.node.role == "constant"  # (never faded: its text is for its own fill)
        return self.palette.fill(self.node, self.state == NOT_REACHED and not constant)

    @property
    def lines(self) -> list[str]:
        self._settle()
        return self._lines

    def set_lines_later(self, make: Callable[[], list[str]], update: bool = True) -> None:
        """New text, made by `make` only when the box is next painted or read: a step can
        change the grads of 10,000 boxes, of which only the ones in view need their text.
        `update=False`: the caller repaints the whole scene instead."""
        self._make_lines = make
        if update:
            self.update()

    def _settle(self) -> None:
        if self._make_lines is not None:
            make, self._make_lines = self._make_lines, None
            self.set_lines(make())

    def set_lines(self, lines: list[str]) -> None:
        """New text (e.g. a grad that arrived), centred line by line as Graphviz does."""
        self._make_lines = None
        if lines == self._lines:
            return
        self._lines = list(lines)
        fm = self.palette.metrics
        room = max(self.rect.width() - 4.0, 0.0)
        top = (self.rect.height() - LINE_HEIGHT * len(lines)) / 2
        baseline = top + (LINE_HEIGHT - fm.ascent() - fm.descent()) / 2 + fm.ascent()
        self._placed = []
        for i, line in enumerate(lines):
            text = fm.elidedText(line, Qt.TextElideMode.ElideRight, room)
            x = (self.rect.width() - fm.horizontalAdvance(text)) / 2
            self._placed.append((QPointF(x, baseline + i * LINE_HEIGHT), text))
        self.update()

    def set_node(self, node: Node) -> None:
        """The same node from a new run: new values, maybe a box widened about its centre
        (`core.record.layout.LayoutMemo`); the text is placed again when next painted."""
        old, self.node = self.node, node
        if node.x != old.x or node.width != old.width:
            self.prepareGeometryChange()
            self._set_rect(node)
            self.setPos(node.x, node.y)
            self._lines = []  # placed for the old width

    def set_state(self, state: str) -> None:
        if state != self.state:
            self.state = state
            self.update()

    def set_highlighted(self, on: bool) -> None:
        if on != self.highlighted:
            self.highlighted = on
            self.update()

    def set_palette(self, palette: Palette) -> None:
        self.palette = palette
        if self._make_lines is None:  # the same text, placed again with the new metrics
            lines, self._lines = self._lines, []
            self._make_lines = lambda: lines
        self.update()

    def _set_rect(self, node: Node) -> None:
        self.rect = QRectF(0, 0, node.width, node.height)
        self._bounds = self.rect.adjusted(-HALO, -HALO, HALO, HALO)

    def boundingRect(self) -> QRectF:  # noqa: N802 (Qt's name)
        # Qt asks about five times per box per repaint: made once per size, not each time
        # (Qt copies what it gets, so the one rect is never changed behind it)
        return self._bounds

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        path.addRect(self.rect)
        return path

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget=None) -> None:
        p = self.palette
        constant = self.node.role == "constant"  # beside the graph: dimmed, dashed
        faded = self.state == NOT_REACHED or constant
        lod = option.levelOfDetailFromTransform(painter.worldTransform())
        if lod < SKETCH_LOD:  # a whole big graph in view: keep it cheap
            painter.fillRect(self.rect, self.fill_color())
        else:
            pen = QPen(p.faded_border if faded else p.border, p.theme.border_width)
            if constant:
                pen.setStyle(Qt.PenStyle.DashLine)
            painter.setPen(pen)
            painter.setBrush(self.fill_color())
            painter.drawRect(self.rect)
        self._paint_outlines(painter)
        if shows_text(lod):
            self._settle()
            painter.setFont(p.font)
            painter.setPen(p.constant_text if constant else p.faded_text if faded else p.text)
            for point, text in self._placed:
                painter.drawText(point, text)

    def _paint_outlines(self, painter: QPainter) -> None:
        outline = self.palette.outline
        painter.setBrush(Qt.BrushStyle.NoBrush)
        if self.highlighted:
            painter.setPen(QPen(outline["highlight"], 3.0))
            painter.drawRect(self.rect.adjusted(-2.5, -2.5, 2.5, 2.5))
        if self.state == RUNNING:
            glow = QColor(outline["running"])
            glow.setAlphaF(0.35)
            painter.setPen(QPen(glow, 5.0))
            painter.drawRect(self.rect.adjusted(-1.5, -1.5, 1.5, 1.5))
            painter.setPen(QPen(outline["running"], 2.5))
            painter.drawRect(self.rect)
        elif self.state == "done":
            painter.setPen(QPen(outline["done"], 1.8))
            painter.drawRect(self.rect.adjusted(0.4, 0.4, -0.4, -0.4))
        if self.isSelected():
            painter.setPen(QPen(outline["selected"], 1.5, Qt.PenStyle.DashLine))
            painter.drawRect(self.rect.adjusted(-3.0, -3.0, 3.0, 3.0))

    def hoverEnterEvent(self, event) -> None:  # noqa: N802
        scene = self.scene()
        if hasattr(scene, "hover_changed"):
            scene.hover_changed(self.node.id)
        super().hoverEnterEvent(event)

    def hoverLeaveEvent(self, event) -> None:  # noqa: N802
        scene = self.scene()
        if hasattr(scene, "hover_changed"):
            scene.hover_changed("")
        super().hoverLeaveEvent(event)

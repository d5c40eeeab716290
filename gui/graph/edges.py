"""The graph's edges: Graphviz's splines with torchviz's arrowheads, and while backward
runs along one, its gradient beside it.

Edges point forward, as torchviz draws them (input → the op that used it). An edge that
carries a gradient at the step shown points the other way: its head sits at the input's
end, because the gradient goes from the op that sends it back to that input.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QPainter, QPainterPath, QPainterPathStroker, QPen, QPolygonF
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem

from core.record.graph import Edge
from core.record.labels import value_text
from gui.graph.items import SKETCH_LOD, Palette
from gui.model.flow import NOT_REACHED

ARROW_LENGTH, ARROW_HALF_WIDTH = 10.0, 3.5  # Graphviz's "normal" arrowhead at arrowsize 1
LABEL_CHARS = 24


class EdgeItem(QGraphicsItem):
    """One edge: Graphviz's cubic Béziers, an arrowhead ('saved' edges have none), dotted
    for views, and while a gradient runs along it, thick with the gradient's value."""

    def __init__(self, edge: Edge, palette: Palette) -> None:
        super().__init__()
        self.edge = edge
        self.palette = palette
        self.state = "plain"
        self.label: str | None = None
        self.carrying = False
        self.path, self.arrow = edge_geometry(edge)
        self.back_arrow = backward_head(edge, self.path, self.arrow)
        self._samples: list[tuple[float, float]] | None = None
        self._stroke: QPainterPath | None = None
        self._ends = (self.path.pointAtPercent(0), self.path.currentPosition())  # sketched
        self._label_rect = QRectF()
        self._bounds = self._compute_bounds()
        self.setZValue(0)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)

    def set_state(self, state: str) -> None:
        if state != self.state:
            self.state = state
            self.update()

    def set_gradient(self, carrying: bool, value: object = None) -> None:
        """Emphasise the edge (or stop); label it with the gradient when one is known.
        The scene then places the label with `set_label_rect`."""
        label = value_text(value, LABEL_CHARS) if carrying and value is not None else None
        if carrying == self.carrying and label == self.label:
            return
        self.carrying, self.label = carrying, label
        self.set_label_rect(QRectF())

    def crosses(self, rect: QRectF) -> bool:
        """Whether the line (not the area it curves around) passes through `rect`."""
        if not self.path.boundingRect().intersects(rect):
            return False
        if self._stroke is None:
            stroker = QPainterPathStroker()
            stroker.setWidth(1.0)
            self._stroke = stroker.createStroke(self.path)
        return self._stroke.intersects(rect)

    def samples(self) -> list[tuple[float, float]]:
        """Points along the spline, about every 2 points (at most 100), made once: where
        the scene measures how near a label is to each edge."""
        if self._samples is None:
            count = max(10, min(int(self.path.length() / 2), 100))
            at = self.path.pointAtPercent
            self._samples = [(p.x(), p.y()) for p in (at(i / count) for i in range(count + 1))]
        return self._samples

    def label_size(self) -> tuple[float, float]:
        fm = self.palette.label_metrics
        return fm.horizontalAdvance(self.label or "") + 6, fm.height() + 2

    def label_rect(self) -> QRectF:
        return QRectF(self._label_rect)

    def set_label_rect(self, rect: QRectF) -> None:
        self.prepareGeometryChange()
        self._label_rect = QRectF(rect) if self.label else QRectF()
        self._bounds = self._compute_bounds()
        self.update()

    def set_palette(self, palette: Palette) -> None:
        self.palette = palette
        self.set_label_rect(QRectF())  # its size changed: the scene places it again

    def _compute_bounds(self) -> QRectF:
        pad = 3.0
        rect = self.path.boundingRect().united(self.arrow.boundingRect())
        rect = rect.united(self.back_arrow.boundingRect())
        return rect.adjusted(-pad, -pad, pad, pad).united(self._label_rect)

    def boundingRect(self) -> QRectF:  # noqa: N802 (Qt's name)
        return self._bounds

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget=None) -> None:
        p = self.palette
        dimmed = self.state == NOT_REACHED or self.edge.kind in ("constant", "detached")
        color = p.gradient if self.carrying else p.faded_edge if dimmed else p.edge
        if option.levelOfDetailFromTransform(painter.worldTransform()) < SKETCH_LOD:
            painter.setPen(p.sketch_pen(color))  # cosmetic: one pixel whatever the zoom
            painter.drawLine(*self._ends)
            return
        pen = QPen(color, p.theme.edge_width * (2.4 if self.carrying else 1.0))
        if self.edge.kind == "view":
            pen.setStyle(Qt.PenStyle.DotLine)
        elif self.edge.kind in ("constant", "detached"):
            pen.setStyle(Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(self.path)
        head = self.head()
        if head is self.back_arrow:  # the forward head's gap: a bare line to the op's box
            tip = self.arrow.elementAt(0)
            painter.drawLine(self.path.currentPosition(), QPointF(tip.x, tip.y))
        if not head.isEmpty():
            pen.setStyle(Qt.PenStyle.SolidLine)
            pen.setJoinStyle(Qt.PenJoinStyle.MiterJoin)
            painter.setPen(pen)
            painter.setBrush(color)
            painter.drawPath(head)
        if self.label:
            self._paint_label(painter)

    def head(self) -> QPainterPath:
        """The arrowhead drawn now: forward, or, while a gradient runs along the edge,
        backward (at the input's end: the gradient comes from the op that sends it)."""
        return self.back_arrow if self.carrying and not self.back_arrow.isEmpty() else self.arrow

    def _paint_label(self, painter: QPainter) -> None:
        p = self.palette
        painter.setPen(QPen(p.gradient, 0.8))
        painter.setBrush(QBrush(p.label_back))
        painter.drawRoundedRect(self._label_rect, 3, 3)
        painter.setFont(p.label_font)
        painter.setPen(p.label_text)
        painter.drawText(self._label_rect, Qt.AlignmentFlag.AlignCenter, self.label)


def edge_geometry(edge: Edge) -> tuple[QPainterPath, QPainterPath]:
    """The spline (p0, then Bézier triples) and, unless a 'saved' edge, its arrowhead.

    Graphviz's points for an edge with an arrow end at the arrow's tip: one point more
    than the splines need; the head fills the gap from the spline's end to the tip.
    """
    pts = [QPointF(x, y) for x, y in edge.points]
    path, arrow = QPainterPath(), QPainterPath()
    if len(pts) < 2:
        return path, arrow
    tip = pts.pop() if (len(pts) - 1) % 3 == 1 else None
    path.moveTo(pts[0])
    for i in range(1, len(pts) - 2, 3):
        path.cubicTo(pts[i], pts[i + 1], pts[i + 2])
    if edge.kind == "saved":
        return path, arrow
    end = pts[-1]
    if tip is None:  # no tip given: the head ends where the spline does
        tip, end = end, end - _unit(end - pts[-2]) * ARROW_LENGTH
    if edge.kind == "detached":  # Graphviz's "tee": a bar across the end — the graph stops
        along = (tip - end) * 0.3
        u = _unit(tip - end)
        n = QPointF(-u.y(), u.x()) * ARROW_LENGTH * 0.6
        arrow.addPolygon(QPolygonF([end + n, end - n, end - n + along, end + n + along]))
        arrow.closeSubpath()
        path.lineTo(tip)
        return path, arrow
    arrow.addPolygon(_arrowhead(end, tip))
    arrow.closeSubpath()
    return path, arrow


def backward_head(edge: Edge, path: QPainterPath, arrow: QPainterPath) -> QPainterPath:
    """The arrowhead of the gradient's way along an edge: its tip where the spline leaves
    the input's box, along the spline's first tangent; none where the edge has no head
    forward (saved tensors) or is cut (detached). The forward head's place is then a bare
    line: the spline is drawn on to the forward tip, so it still touches the op's box."""
    head = QPainterPath()
    if arrow.isEmpty() or edge.kind == "detached" or path.elementCount() < 2:
        return head
    length = path.length()
    if length == 0:
        return head
    tip = path.pointAtPercent(0.0)
    along = _unit(path.pointAtPercent(path.percentAtLength(min(ARROW_LENGTH, length))) - tip)
    head.addPolygon(_arrowhead(tip + along * ARROW_LENGTH, tip))
    head.closeSubpath()
    return head


def _unit(v: QPointF) -> QPointF:
    length = (v.x() ** 2 + v.y() ** 2) ** 0.5
    return v / length if length else QPointF(0, 1)


def _arrowhead(base: QPointF, tip: QPointF) -> QPolygonF:
    u = _unit(tip - base)
    n = QPointF(-u.y(), u.x()) * ARROW_HALF_WIDTH
    return QPolygonF([tip, base + n, base - n])

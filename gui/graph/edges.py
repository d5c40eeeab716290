"""The graph's edges: Graphviz's splines with torchviz's arrowheads, and while backward
runs along one, its gradient beside it."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QPainter, QPainterPath, QPen, QPolygonF
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
        if not self.arrow.isEmpty():
            pen.setStyle(Qt.PenStyle.SolidLine)
            pen.setJoinStyle(Qt.PenJoinStyle.MiterJoin)
            painter.setPen(pen)
            painter.setBrush(color)
            painter.drawPath(self.arrow)
        if self.label:
            self._paint_label(painter)

    def _paint_label(self, painter: QPainter) -> None:
        p = self.palette
        painter.setPen(QPen(p.gradient, 0.8))
        painter.setBrush(QBrush(p.label_back))
        painter.drawRoundedRect(self._label_rect, 3, 3)
        painter.setFont(p.label_font)
        painter.setPen(p.gradient)
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


def _unit(v: QPointF) -> QPointF:
    length = (v.x() ** 2 + v.y() ** 2) ** 0.5
    return v / length if length else QPointF(0, 1)


def _arrowhead(base: QPointF, tip: QPointF) -> QPolygonF:
    u = _unit(tip - base)
    n = QPointF(-u.y(), u.x()) * ARROW_HALF_WIDTH
    return QPolygonF([tip, base + n, base - n])

"""The graph as a QGraphicsScene: one NodeItem per node, one EdgeItem per edge.

Built from a laid-out `GraphRecord` (node x, y = top-left of the box in points, y down;
edge points = Graphviz's splines). The backward player drives it with `set_step(n)`:
node states, gradient-carrying edges and the grads in the labels follow the record, and
only the items whose look changed are touched, so a step costs little even on big graphs.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from dataclasses import replace
from functools import partial

from PySide6.QtCore import QEvent, QObject, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QPixmapCache
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsScene,
    QGraphicsView,
    QStyleOptionGraphicsItem,
)

from core.record.graph import GraphRecord, Node, Value
from core.record.labels import node_lines
from gui.graph.edges import EdgeItem
from gui.graph.items import NodeItem, Palette, shows_text
from gui.model.playback import Playback, playback_of
from gui.model.theme import LIGHT, Theme

MARGIN = 8.0  # points of background around the graph's bounding box
NEXT_TO = 6.0  # points: a gradient label this near its edge is read as that edge's
BY_BOUNDS = Qt.ItemSelectionMode.IntersectsItemBoundingRect  # boxes with their outlines


class GraphScene(QGraphicsScene):
    """A laid-out record drawn with real items; `set_step` plays backward over it."""

    nodeHovered = Signal(str)  # node id under the mouse, "" when it leaves  # noqa: N815
    nodeSelected = Signal(str)  # the selected node's id, "" when none  # noqa: N815

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        theme: Theme = LIGHT,
        show_values: bool = True,
        cache: bool = False,
    ) -> None:
        super().__init__(parent)
        self.theme = theme
        self.show_values = show_values
        self.record: GraphRecord | None = None
        self.step: int | None = None
        self._cache = cache
        self._palette = Palette(theme)
        self._flow: Playback | None = None  # the record's frames (gui.model.playback)
        self._nodes: dict[str, NodeItem] = {}
        self._edges: list[EdgeItem] = []
        self._grads: dict[str, Value] = {}
        self._carrying: dict[int, Value] = {}
        self._highlighted: set[str] = set()
        self._hovered = ""
        self._selected = ""
        self._shown: tuple[GraphRecord, int | None] | None = None  # the record and step drawn
        self.setBackgroundBrush(QColor(theme.background))
        self.selectionChanged.connect(self._on_selection_changed)

    def event(self, event: QEvent) -> bool:
        """Window (de)activation is not passed on: Qt would sort every item and send each
        one an event (30 ms at 10,000 nodes, whenever the window or the graph page comes
        and goes), and no item here has a use for it (no panels, no focus items)."""
        if event.type() in (QEvent.Type.WindowActivate, QEvent.Type.WindowDeactivate):
            return True
        return super().event(event)

    # --- building -------------------------------------------------------------------
    def set_record(self, record: GraphRecord, step: int | None = None) -> None:
        """Draw a new record at `step` (None: the plain torchviz picture, no backward
        states); clears the highlight and the selection."""
        for _ in self.build(record, step):
            pass

    def build(self, record: GraphRecord, step: int | None = None, batch: int = 25) -> Iterator[int]:
        """`set_record` in pieces, for big graphs: yields the number of items made so far
        (of len(nodes) + len(edges)) every `batch` items; each item is made in its final
        state, so nothing is redrawn when the last one is in. The scene's index grows with
        the items (all at once, it would take 0.25 s for 20,000 of them)."""
        yield from self._teardown(batch)
        yield from self._begin(record, step)
        frame = self._flow.frame(self.step)
        states = frame.states
        yield 0
        mode = QGraphicsItem.CacheMode.DeviceCoordinateCache if self._cache else None
        made = 0
        for node in record.nodes:
            item = NodeItem(node, self._palette, self._lines(node))
            item.set_state(states[node.id])
            if mode is not None:
                item.setCacheMode(mode)
            self.addItem(item)
            self._nodes[node.id] = item
            made += 1
            if made % batch == 0:
                self._index_now()
                yield made
        for edge, state in zip(record.edges, frame.edge_states, strict=True):
            item = EdgeItem(edge, self._palette)
            item.set_state(state)
            self.addItem(item)
            self._edges.append(item)
            made += 1
            if made % batch == 0:
                self._index_now()
                yield made
        self._show_gradients(frame.edge_grads)
        self._on_selection_changed()
        yield made

    def refresh(self, record: GraphRecord, step: int | None = None) -> bool:
        """Show `record` in the items already here, if it is drawn as the current one (same
        ranks and splines: the worker reused the layout after an edit that changed only
        values, maybe widening a box or two). Texts, states, gradients and widened boxes
        change; highlight and selection stay. Returns False, changing nothing, when the
        geometry differs more."""
        old = self.record
        if old is None or self._flow is None or not same_geometry(old, record):
            return False
        self._flow = playback_of(record)
        self.record, self.step = record, self._flow.clamp(step)
        frame = self._flow.frame(self.step)
        self._grads = dict(frame.grads)
        states = frame.states
        lines = self._lines
        # every box's text is new (a moved box or a new state updates itself): one update
        # of the whole scene costs Qt less than one per box, and none is needed where no
        # view is close enough to show text (self._nodes is in the record's order)
        for item, node in zip(self._nodes.values(), record.nodes, strict=True):
            item.set_node(node)
            state = states[node.id]
            if state != item.state:
                item.set_state(state)
            item.set_lines_later(partial(lines, node), update=False)
        if any(shows_text(_scale(view)) for view in self.views()):
            if self._cache:  # each box's cached picture holds its old text; Qt keeps them
                QPixmapCache.clear()  # in QPixmapCache, so emptying it (the whole app's:
            self.update()  # a few style pixmaps are made again) has every box drawn anew
        same_edges = record.edges is old.edges
        for item, edge, state in zip(self._edges, record.edges, frame.edge_states, strict=True):
            if not same_edges:
                item.edge = edge
            if state != item.state:
                item.set_state(state)
        for i in self._carrying:  # the values on the edges are the old run's
            self._edges[i].set_gradient(False)
        self._carrying = {}
        self._show_gradients(frame.edge_grads)
        self._shown = (record, self.step)
        return True

    def _teardown(self, batch: int) -> Iterator[int]:
        """Remove the old items a batch at a time (20,000 at once hold the window 0.3 s)."""
        items: list[QGraphicsItem] = [*self._edges, *self._nodes.values()]
        self._nodes, self._edges = {}, []
        while items:
            for item in items[-batch:]:
                self.removeItem(item)
            del items[-batch:]  # the items go with their last reference, here
            yield 0

    def _begin(self, record: GraphRecord, step: int | None) -> Iterator[int]:
        """The new record's backward flow and gradients, in two pieces (10,000 nodes: 10 ms
        each)."""
        self.clear()
        self._nodes, self._edges, self._carrying = {}, [], {}
        self._highlighted, self._hovered = set(), ""
        self._flow = playback_of(record)
        self.record, self.step = record, self._flow.clamp(step)
        self._shown = None
        yield 0
        self._grads = self._grads_at(self.step)
        self.setSceneRect(
            QRectF(0, 0, record.width, record.height).adjusted(-MARGIN, -MARGIN, MARGIN, MARGIN)
        )
        # Qt picks the index's depth from the item count and rebuilds the index whenever
        # that changes (every doubling); fixing it for the final count avoids the rebuilds.
        count = len(record.nodes) + len(record.edges)
        self.setBspTreeDepth(max(5, math.ceil(math.log2(count))) if count > 1 else 5)

    def _index_now(self) -> None:
        """Any query makes Qt index the items added since the last one: do it per batch."""
        self.items(QRectF(0, 0, 1, 1))

    def node_item(self, node_id: str) -> NodeItem:
        return self._nodes[node_id]

    def lit_nodes(self) -> tuple[str, ...]:
        """The boxes the step shown lights, the running op first (`BackwardFlow.lit`)."""
        return self._flow.flow.lit(self.step) if self._flow is not None else ()

    def item_count(self) -> int:
        return len(self._nodes) + len(self._edges)

    def node_items(self) -> list[NodeItem]:
        return list(self._nodes.values())

    def edge_items(self) -> list[EdgeItem]:
        """In record order (edge i of the record is item i)."""
        return list(self._edges)

    # --- the backward player ----------------------------------------------------------
    def set_step(self, n: int | None) -> None:
        """Show the state after n backward steps (0: before backward; None: no states)."""
        if self._flow is None:
            return
        n = self._flow.clamp(n)
        shown = self._shown
        if shown is not None and shown[0] is self.record and shown[1] == n:
            return  # (refresh showed just this)
        self.step = n
        frame = self._flow.frame(n)  # the one playback model: the scene only draws it
        for node_id, state in frame.states.items():
            self._nodes[node_id].set_state(state)
        for item, state in zip(self._edges, frame.edge_states, strict=True):
            item.set_state(state)
        self._show_gradients(frame.edge_grads)
        self._update_grads()
        self._shown = (self.record, n)

    def _show_gradients(self, carrying: dict[int, Value]) -> None:
        for i in self._carrying.keys() - carrying.keys():
            self._edges[i].set_gradient(False)
        for i, value in carrying.items():
            self._edges[i].set_gradient(True, value)
        self._carrying = carrying
        self._place_labels()

    def _place_labels(self) -> None:
        """Put each gradient label where Graphviz placed the edge's label (`Edge.label_at`,
        an xlabel of its size) if that spot is clear and by its own edge (Graphviz
        sometimes ends up beside another: two paths crossing); else at the first spot along
        its edge, either side, that covers no box, no edge and no other label and is
        nearer its own edge than any other (parallel edges: x * x)."""
        placed: list[QRectF] = []
        for i in self._carrying:
            item = self._edges[i]
            if item.label:
                rect = self._free_spot(item, placed)
                item.set_label_rect(rect)
                placed.append(rect)

    def _free_spot(self, item: EdgeItem, placed: list[QRectF]) -> QRectF:
        width, height = item.label_size()
        bounds = self.sceneRect()
        if item.edge.label_at is not None:
            x, y = item.edge.label_at
            at = _inside(QRectF(x - width / 2, y - height / 2, width, height), bounds)
            for dy in (0.0, 3.0, -3.0, 6.0, -6.0):  # (Qt's text is a little taller than dot's)
                rect = _inside(at.translated(0, dy), bounds)
                if self._fits(item, rect, placed, edges=False):  # (xlabels may cross edges)
                    return rect
        mid = item.path.pointAtPercent(0.5)
        fallback = None
        candidates = [
            QRectF(x, at.y() - height / 2 + dy, width, height)
            for along in (0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8)
            for at in (item.path.pointAtPercent(along),)
            for dy in (0.0, height + 1, -height - 1)
            for x in (at.x() + 5, at.x() - 5 - width)
        ]
        candidates += [  # on its own edge (the label's back hides the line under it)
            QRectF(at.x() - width / 2, at.y() - height / 2, width, height)
            for along in (0.5, 0.35, 0.65)
            for at in (item.path.pointAtPercent(along),)
        ]
        inside = [r for r in candidates if bounds.contains(r)]
        inside += [_inside(r, bounds) for r in candidates if not bounds.contains(r)]
        for edges in (True, False):  # clear of edges too, else crossing one
            for rect in inside:
                if self._fits(item, rect, placed, edges=edges):
                    return rect
        for rect in inside:  # crowded: at least on no box and no other label
            if not any(rect.intersects(other) for other in placed) and not any(
                isinstance(i, NodeItem) for i in self.items(rect, BY_BOUNDS)
            ):
                return rect
        for rect in inside:  # more crowded still: on no other label
            if not any(rect.intersects(other) for other in placed):
                return rect
            fallback = fallback or rect
        if fallback is None:  # wider than the picture allows: as near as it can be
            x = min(max(mid.x() + 5, bounds.left() + 1), bounds.right() - 1 - width)
            fallback = QRectF(max(x, bounds.left()), mid.y() - height / 2, width, height)
        return fallback

    def _fits(self, item: EdgeItem, rect: QRectF, placed: list[QRectF], edges: bool = True) -> bool:
        """Whether a label at `rect` is clear (of boxes, other labels and, with `edges`,
        edges) and either touches its own edge (within NEXT_TO) or is nearer it than any
        other edge (else it reads as theirs)."""
        if any(rect.intersects(other) for other in placed):
            return False
        own = _distance(rect, item)
        reach = own if own > NEXT_TO else 0.0  # (nearer edges matter only away from its own)
        near = self.items(rect.adjusted(-reach, -reach, reach, reach), BY_BOUNDS)
        for other in near:
            if isinstance(other, NodeItem) and other.sceneBoundingRect().intersects(rect):
                return False
            if isinstance(other, EdgeItem) and other is not item:
                if edges and other.crosses(rect):
                    return False
                if other.edge.kind != "data" or own <= NEXT_TO:
                    continue  # (a label touching its own edge reads as its own)
                if _distance(rect, other) < own - 1:
                    return False
        return True

    def _covers(self, rect: QRectF, placed: list[QRectF]) -> bool:
        if any(rect.intersects(other) for other in placed):
            return True
        for item in self.items(rect):
            if isinstance(item, NodeItem):
                return True
            if isinstance(item, EdgeItem) and item.path.intersects(rect):
                return True
        return False

    def _grads_at(self, step: int | None) -> dict[str, Value]:
        assert self.record is not None and self._flow is not None
        return dict(self._flow.frame(step).grads)

    def _update_grads(self) -> None:
        assert self.record is not None
        grads = self._grads_at(self.step)
        for node in self.record.nodes:
            grad = grads[node.id]
            if grad != self._grads[node.id]:
                self._grads[node.id] = grad
                self._nodes[node.id].set_lines_later(partial(self._lines, node))

    def _lines(self, node: Node) -> list[str]:
        grad = self._grads[node.id]
        return node_lines(node if grad is node.grad else replace(node, grad=grad), self.show_values)

    # --- display options --------------------------------------------------------------
    def set_show_values(self, on: bool) -> None:
        """Values and grads in the boxes, or not (the layout should be made to match)."""
        if on == self.show_values:
            return
        self.show_values = on
        for item in self._nodes.values():
            item.set_lines_later(partial(self._lines, item.node))

    def set_theme(self, theme: Theme) -> None:
        self.theme = theme
        self._palette = Palette(theme)
        self.setBackgroundBrush(QColor(theme.background))
        for item in [*self._nodes.values(), *self._edges]:
            item.set_palette(self._palette)
        self._place_labels()
        self.update()

    def highlight(self, node_ids: Iterable[str]) -> None:
        """Mark these nodes (e.g. the ones the editor's cursor line made); [] clears."""
        wanted = {i for i in node_ids if i in self._nodes}
        for node_id in wanted ^ self._highlighted:
            self._nodes[node_id].set_highlighted(node_id in wanted)
        self._highlighted = wanted

    def highlighted(self) -> set[str]:
        return set(self._highlighted)

    def select(self, node_id: str) -> None:
        """Select one node (as a click would), or none with ""."""
        self.clearSelection()
        if node_id in self._nodes:
            self._nodes[node_id].setSelected(True)

    # --- signals --------------------------------------------------------------------
    def hover_changed(self, node_id: str) -> None:
        """Called by the node items as the mouse enters and leaves them."""
        if node_id != self._hovered:
            self._hovered = node_id
            self.nodeHovered.emit(node_id)

    def _on_selection_changed(self) -> None:
        chosen = [i for i in self.selectedItems() if isinstance(i, NodeItem)]
        node_id = chosen[0].node.id if chosen else ""
        if node_id != self._selected:
            self._selected = node_id
            self.nodeSelected.emit(node_id)


def _inside(rect: QRectF, bounds: QRectF) -> QRectF:
    """`rect` moved (not resized) to lie within `bounds` where it can."""
    dx = max(bounds.left() - rect.left(), 0.0) or min(bounds.right() - rect.right(), 0.0)
    dy = max(bounds.top() - rect.top(), 0.0) or min(bounds.bottom() - rect.bottom(), 0.0)
    return rect.translated(dx, dy)


def _distance(rect: QRectF, item: EdgeItem) -> float:
    """From a label's box to an edge's spline (`EdgeItem.samples`; 0 where it crosses)."""
    left, top, right, bottom = rect.left(), rect.top(), rect.right(), rect.bottom()
    best = math.inf
    for x, y in item.samples():
        dx = max(left - x, 0.0, x - right)
        dy = max(top - y, 0.0, y - bottom)
        d = dx * dx + dy * dy
        if d < best:
            if d == 0.0:
                return 0.0
            best = d
    return math.sqrt(best)


def _scale(view: QGraphicsView) -> float:
    """The level of detail the view draws the scene at (what items' paint() gets)."""
    return QStyleOptionGraphicsItem.levelOfDetailFromTransform(view.transform())


def same_geometry(a: GraphRecord, b: GraphRecord) -> bool:
    """Whether two laid-out records have the same nodes on the same ranks and the same
    edges in the same places (boxes may differ in width: see `GraphScene.refresh`)."""
    return (
        (a.width, a.height) == (b.width, b.height)
        and len(a.nodes) == len(b.nodes)
        and len(a.edges) == len(b.edges)
        and all(
            (m.id, m.kind, m.role, m.x + m.width / 2, m.y, m.height)
            == (n.id, n.kind, n.role, n.x + n.width / 2, n.y, n.height)
            for m, n in zip(a.nodes, b.nodes, strict=True)
        )
        and (
            a.edges is b.edges  # the worker sent "the same edges as before"
            or all(
                (e.source, e.target, e.kind, e.points) == (f.source, f.target, f.kind, f.points)
                for e, f in zip(a.edges, b.edges, strict=True)
            )
        )
    )

"""The graph as a QGraphicsScene: one NodeItem per node, one EdgeItem per edge.

Built from a laid-out `GraphRecord` (node x, y = top-left of the box in points, y down;
edge points = Graphviz's splines). The backward player drives it with `set_step(n)`:
node states, gradient-carrying edges and the grads in the labels follow the record, and
only the items whose look changed are touched, so a step costs little even on big graphs.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from PySide6.QtCore import QObject, QRectF, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QGraphicsItem, QGraphicsScene

from core.labels import node_lines
from core.record import GraphRecord, Value
from core.steps import grads_at
from gui.edges import EdgeItem
from gui.flow import BackwardFlow
from gui.items import NodeItem, Palette
from gui.theme import LIGHT, Theme

MARGIN = 8.0  # points of background around the graph's bounding box


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
        self._flow: BackwardFlow | None = None
        self._nodes: dict[str, NodeItem] = {}
        self._edges: list[EdgeItem] = []
        self._grads: dict[str, Value] = {}
        self._carrying: dict[int, Value] = {}
        self._highlighted: set[str] = set()
        self._hovered = ""
        self._selected = ""
        self.setBackgroundBrush(QColor(theme.background))
        self.selectionChanged.connect(self._on_selection_changed)

    # --- building -------------------------------------------------------------------
    def set_record(self, record: GraphRecord) -> None:
        """Draw a new record, before any step (the plain torchviz picture); clears the
        highlight and the selection."""
        self.clear()
        self._nodes, self._edges, self._carrying = {}, [], {}
        self._highlighted, self._hovered = set(), ""
        self.record, self.step = record, None
        self._flow = BackwardFlow(record)
        self._grads = {n.id: n.grad for n in record.nodes}
        self.setSceneRect(
            QRectF(0, 0, record.width, record.height).adjusted(-MARGIN, -MARGIN, MARGIN, MARGIN)
        )
        mode = QGraphicsItem.CacheMode.DeviceCoordinateCache if self._cache else None
        for node in record.nodes:
            item = NodeItem(node, self._palette, node_lines(node, self.show_values))
            if mode is not None:
                item.setCacheMode(mode)
            self.addItem(item)
            self._nodes[node.id] = item
        for edge in record.edges:
            item = EdgeItem(edge, self._palette)
            self.addItem(item)
            self._edges.append(item)
        self._on_selection_changed()

    def node_item(self, node_id: str) -> NodeItem:
        return self._nodes[node_id]

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
        self.step = n = self._flow.clamp(n)
        states = self._flow.node_states(n)
        for node_id, state in states.items():
            self._nodes[node_id].set_state(state)
        for item, state in zip(self._edges, self._flow.edge_states(states), strict=True):
            item.set_state(state)
        carrying = self._flow.gradient_edges(n)
        for i in self._carrying.keys() - carrying.keys():
            self._edges[i].set_gradient(False)
        for i, value in carrying.items():
            self._edges[i].set_gradient(True, value)
        self._carrying = carrying
        self._place_labels()
        self._update_grads()

    def _place_labels(self) -> None:
        """Put each gradient label beside its edge where it covers no box, no edge and
        no other label (parallel edges: x * x)."""
        placed: list[QRectF] = []
        for i in self._carrying:
            item = self._edges[i]
            if item.label:
                rect = self._free_spot(item, placed)
                item.set_label_rect(rect)
                placed.append(rect)

    def _free_spot(self, item: EdgeItem, placed: list[QRectF]) -> QRectF:
        width, height = item.label_size()
        mid = item.path.pointAtPercent(0.5)
        bounds = self.sceneRect()
        fallback = None
        for dy in (0.0, height + 1, -height - 1, 2 * height + 2, -2 * height - 2):
            for x in (mid.x() + 5, mid.x() - 5 - width):
                rect = QRectF(x, mid.y() - height / 2 + dy, width, height)
                if not bounds.contains(rect):
                    continue
                if not self._covers(rect, placed):
                    return rect
                fallback = fallback or rect
        if fallback is None:  # wider than the picture allows: as near as it can be
            x = min(max(mid.x() + 5, bounds.left() + 1), bounds.right() - 1 - width)
            fallback = QRectF(max(x, bounds.left()), mid.y() - height / 2, width, height)
        return fallback

    def _covers(self, rect: QRectF, placed: list[QRectF]) -> bool:
        if any(rect.intersects(other) for other in placed):
            return True
        for item in self.items(rect):
            if isinstance(item, NodeItem):
                return True
            if isinstance(item, EdgeItem) and item.path.intersects(rect):
                return True
        return False

    def _update_grads(self) -> None:
        assert self.record is not None
        if self.step is None:
            grads = {node.id: node.grad for node in self.record.nodes}
        else:
            grads = grads_at(self.record, self.step)
        for node in self.record.nodes:
            grad = grads[node.id]
            if grad != self._grads[node.id]:
                self._grads[node.id] = grad
                self._nodes[node.id].set_lines(self._lines(node.id))

    def _lines(self, node_id: str) -> list[str]:
        node = self._nodes[node_id].node
        return node_lines(replace(node, grad=self._grads[node_id]), self.show_values)

    # --- display options --------------------------------------------------------------
    def set_show_values(self, on: bool) -> None:
        """Values and grads in the boxes, or not (the layout should be made to match)."""
        if on == self.show_values:
            return
        self.show_values = on
        for node_id, item in self._nodes.items():
            item.set_lines(self._lines(node_id))

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

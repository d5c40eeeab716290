"""The graph pane: the scene in its view, an out-of-date banner, and the links between the
graph and the editor (hover a node: its span lights up; move the cursor: its nodes do)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from core.record import GraphRecord
from gui.editor import CodeEditor
from gui.graph_view import GraphView
from gui.scene import GraphScene
from gui.theme import Theme


class GraphPane(QWidget):
    def __init__(self, controller, editor: CodeEditor, theme: Theme) -> None:  # noqa: ANN001
        super().__init__()
        self.controller, self.editor = controller, editor
        self.scene = GraphScene(self, theme=theme, show_values=controller.show_values, cache=True)
        self.view = GraphView(self.scene)
        self.banner = QLabel()
        self.banner.setObjectName("banner")
        self.banner.setWordWrap(True)
        self.banner.hide()
        self.placeholder = QLabel("Loading PyTorch…", self.view)
        self.placeholder.setObjectName("placeholder")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.banner)
        layout.addWidget(self.view, 1)
        self._hovered = ""
        self._syncing = False
        self.scene.nodeHovered.connect(self._on_hover)
        self.scene.nodeSelected.connect(self._on_scene_selection)
        editor.cursorMoved.connect(self._on_cursor)
        controller.recordChanged.connect(self._on_record)
        controller.stepChanged.connect(self._on_step)
        controller.selectionChanged.connect(self._on_selection)

    def resizeEvent(self, event) -> None:  # noqa: ANN001, N802
        super().resizeEvent(event)
        self.placeholder.setGeometry(self.view.rect())

    def show_out_of_date(self, text: str | None) -> None:
        """A banner over the graph saying why it is not the editor's text (None: hide it)."""
        self.banner.setVisible(text is not None)
        self.banner.setText(text or "")

    # --- following the controller -----------------------------------------------------------
    def _on_record(self, record: GraphRecord) -> None:
        self._syncing = True  # set_record clears the scene's selection: keep the controller's
        self.scene.set_record(record)
        self.scene.set_step(self.controller.step if record.backward else None)
        self.scene.select(self.controller.selected)
        self._syncing = False
        if self.placeholder.isVisible():
            self.placeholder.hide()
            self.view.fit_to_window()
        cursor = self.editor.textCursor()
        self._on_cursor(cursor.blockNumber() + 1, cursor.positionInBlock() + 1)

    def _on_step(self, step: int) -> None:
        record = self.controller.record
        if record is not None and record.backward:
            self.scene.set_step(step)
            if step:  # keep the node that is running in view (scrolls; never zooms)
                self.view.show_node(record.backward[step - 1].node)

    def _on_selection(self, node_id: str) -> None:
        if not self._syncing:
            self._syncing = True
            self.scene.select(node_id)
            self._syncing = False
        self._show_span(self._hovered or node_id)

    def _on_scene_selection(self, node_id: str) -> None:
        if not self._syncing:
            self.controller.select(node_id)

    # --- editor ↔ graph -----------------------------------------------------------------------
    def _on_cursor(self, line: int, col: int) -> None:
        self.scene.highlight(nodes_at(self.controller.record, line, col) if self._current() else [])

    def _on_hover(self, node_id: str) -> None:
        self._hovered = node_id
        self._show_span(node_id or self.controller.selected)

    def _show_span(self, node_id: str) -> None:
        record = self.controller.record
        node = next((n for n in record.nodes if n.id == node_id), None) if record else None
        self.editor.highlight_span(node.span if node is not None and self._current() else None)

    def _current(self) -> bool:
        """Whether the record was made from the text in the editor (else spans are off)."""
        c = self.controller
        return not c.out_of_date and c.record_source == c.source


def nodes_at(record: GraphRecord | None, line: int, col: int) -> list[str]:
    """The nodes made by the innermost expression around (line, col), or else every node
    whose span starts on that line."""
    if record is None:
        return []
    here = (line, col)
    covering = [n for n in record.nodes if n.span and n.span[:2] <= here <= n.span[2:]]
    if covering:
        size = min(_extent(n.span) for n in covering)
        return [n.id for n in covering if _extent(n.span) == size]
    return [n.id for n in record.nodes if n.span and n.span[0] == line]


def _extent(span: tuple[int, int, int, int]) -> tuple[int, int]:
    return (span[2] - span[0], span[3] - span[1])

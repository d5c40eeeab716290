"""The graph pane: the scene in its view, an out-of-date banner, the bar that offers to run
a refused program as plain Python (`gui.panels.trust_bar`), and the links between the graph and
the editor (hover a node: its span lights up; move the cursor: its nodes do).

Instead of the graph it can show a summary (a graph too big to draw at once: see
`gui.graph.summary_view`; drawing it whole is done in slices by
`gui.graph.scene_build`) or a message
(no Graphviz: how to install it). Only a scene that is completely built is ever shown.
"""

from __future__ import annotations

import html
from functools import partial

from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtWidgets import QLabel, QMenu, QScrollArea, QStackedWidget, QVBoxLayout, QWidget

from core.record.graph import GraphRecord
from core.record.language import ProgramError
from core.record.layout import INSTALL_HELP
from gui.graph.items import NodeItem
from gui.graph.scene import GraphScene
from gui.graph.scene_build import SceneBuild
from gui.graph.summary_view import GraphSummary
from gui.graph.view import GraphView
from gui.look.i18n import QT_TRANSLATE_NOOP, translate
from gui.model.big_graph import BIG_GRAPH_NODES, is_big, is_laid_out
from gui.model.failures import why_out_of_date
from gui.model.playback import playback_of
from gui.model.theme import Theme
from gui.panels.editor import CodeEditor
from gui.panels.trust_bar import TrustBar

NO_GRAPHVIZ = QT_TRANSLATE_NOOP(
    "GraphPane",
    "<h3>Graphviz is missing: the graph can't be drawn</h3>"
    "<p>The program ran: its transcript is on the left, and the backward player and the "
    "inspector work. Drawing the graph needs Graphviz. Install it, then edit the program "
    "(or restart Autograd Lens).</p>",
)


def install_help(text: str) -> str:
    """The layout's install instructions as rich text: its sentences, then a table of
    "  Platform:  command" lines."""
    words, rows = [], []
    for line in text.splitlines():
        name, colon, command = line.strip().partition(":")
        if line.startswith("  ") and colon:
            command = html.escape(command.strip())
            rows.append(
                f"<tr><td><b>{html.escape(name)}</b></td><td><code>{command}</code></td></tr>"
            )
        else:
            words.append(html.escape(line.strip()))
    table = f"<table cellspacing='0' cellpadding='4'>{''.join(rows)}</table>" if rows else ""
    return f"{translate('GraphPane', NO_GRAPHVIZ)}<p>{' '.join(words)}</p>{table}"


class GraphPane(QWidget):
    def __init__(self, controller, editor: CodeEditor, theme: Theme) -> None:
        super().__init__()
        self.controller, self.editor = controller, editor
        self.scene = GraphScene(self, theme=theme, show_values=controller.show_values, cache=True)
        self.view = GraphView(self.scene)
        self.view.auto_fit = True  # the window's view fits itself (see GraphView)
        self.banner = QLabel()
        self.banner.setObjectName("banner")
        self.banner.setWordWrap(True)
        self.banner.hide()
        self.trust_bar = TrustBar()
        self.placeholder = QLabel(translate("GraphPane", "Loading PyTorch…"), self.view)
        self.placeholder.setObjectName("placeholder")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.view.installEventFilter(self)
        self.summary = GraphSummary(theme)
        self.summary.drawRequested.connect(self.draw_whole_graph)
        self.summary.cancelRequested.connect(self.cancel_drawing)
        self.pages = QStackedWidget()
        for page in (self.view, self.summary, self._message_page()):
            self.pages.addWidget(page)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.trust_bar)
        layout.addWidget(self.banner)
        layout.addWidget(self.pages, 1)
        self._hovered = ""
        self._syncing = False
        self._build: SceneBuild | None = None
        self._drawn: GraphRecord | None = None  # the record the scene shows, complete
        self.draw_big = False  # the user asked for big graphs whole (until a new document)
        self.pending_zoom: float | None = None  # a session's zoom, for its first graph
        self._wire(editor, controller)

    def _message_page(self) -> QWidget:
        self.message = QLabel()
        self.message.setObjectName("graphMessage")
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.RichText)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        scroll = QScrollArea()
        scroll.setWidget(self.message)
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        return scroll

    def _wire(self, editor: CodeEditor, controller) -> None:
        self.scene.nodeHovered.connect(self._on_hover)
        self.scene.nodeSelected.connect(self._on_scene_selection)
        editor.cursorMoved.connect(self._on_cursor)
        controller.recordChanged.connect(self._on_record)
        controller.stepChanged.connect(self._on_step)
        controller.selectionChanged.connect(self._on_selection)
        controller.busyChanged.connect(self._on_busy)
        controller.chainChanged.connect(self._on_chain)
        controller.trustNeeded.connect(self.trust_bar.offer)
        self.trust_bar.runRequested.connect(controller.run_trusted)
        self.trust_bar.closed.connect(controller.dismiss_trust)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._on_context_menu)

    # --- a node's context menu ------------------------------------------------------------
    def _on_context_menu(self, pos: QPoint) -> None:
        item = next((i for i in self.view.items(pos) if isinstance(i, NodeItem)), None)
        menu = self.node_menu(item.node.id) if item is not None else None
        if menu is not None:
            self.show_menu(menu, self.view.viewport().mapToGlobal(pos))

    def show_menu(self, menu: QMenu, at: QPoint) -> None:
        """Pop the menu up and wait for a choice (tests replace this)."""
        menu.exec(at)

    def node_menu(self, node_id: str) -> QMenu | None:
        """The node's menu: retain_grad() on an intermediate tensor (or stop); None when
        the node is not one (leaves have .grad anyway; ops without a tensor have none)."""
        record = self.controller.record
        node = next((n for n in record.nodes if n.id == node_id), None) if record else None
        if node is None or node.span is None or not node.requires_grad or node.is_leaf is not False:
            return None
        name = node.name or node.op or translate("GraphPane", "this tensor")
        menu = QMenu(self)
        if tuple(node.span) in self.controller.lesson.retained:
            action = menu.addAction(
                translate("GraphPane", "Stop Retaining Grad of {name}").format(name=name)
            )
        else:
            action = menu.addAction(
                translate("GraphPane", "Retain Grad of {name} (retain_grad())").format(name=name)
            )
            if node.retains_grad:  # the program calls retain_grad() itself
                action.setText(
                    translate(
                        "GraphPane", "{name} Retains Grad (the program calls retain_grad())"
                    ).format(name=name)
                )
                action.setEnabled(False)
        action.triggered.connect(partial(self.controller.toggle_retain_grad, node_id))
        return menu

    def eventFilter(self, watched, event) -> bool:  # noqa: N802
        """The placeholder covers the view whenever the view resizes (a bar or the banner
        over it takes room without resizing the pane); a note sits at its bottom."""
        if watched is self.view and event.type() == QEvent.Type.Resize:
            self.placeholder.setGeometry(self.view.rect())
            self.place_note()
        return False

    def host_note(self, box: QWidget) -> None:
        """Show the player's note box (`gui.panels.player.NoteBox`) over the bottom of
        the graph: a note or an error explained never moves the graph."""
        self._note_box = box
        box.setParent(self.view)
        self.place_note()

    def place_note(self) -> None:
        box = getattr(self, "_note_box", None)
        if box is None:
            return
        width = self.view.width() - 16
        height = box.height_for(width)
        box.setGeometry(8, self.view.height() - height - 8, width, height)
        box.raise_()
        self.view.reserve_bottom(0 if box.isHidden() else height + 16)  # never over the graph

    def show_out_of_date(self, text: str | None) -> None:
        """A banner over the graph saying why it is not the editor's text (None: hide it)."""
        self.banner.setVisible(text is not None)
        self.banner.setText(text or "")

    def show_problem(self, error: Exception | None, no_graph: bool) -> None:
        """Say why the graph is not the text's: a banner over the last graph, or, with no
        graph yet, the placeholder."""
        if no_graph:
            self.show_out_of_date(None)
            if isinstance(error, ProgramError) and error.trust:
                self.placeholder.setText(
                    translate(
                        "GraphPane",
                        "The safe mode doesn't run this program.\nThe bar above says why.",
                    )
                )
            elif error is not None:
                self.placeholder.setText(
                    translate("GraphPane", "The program has an error.\nFix it to see its graph.")
                    if isinstance(error, ProgramError)
                    else translate(
                        "GraphPane", "The program did not finish.\nEdit it to run it again."
                    )
                )
            return
        self.show_out_of_date(
            translate(
                "GraphPane", "Out of date: {why}. The graph is from the last version that ran."
            ).format(why=why_out_of_date(error))
            if error is not None
            else None
        )

    def set_theme(self, theme: Theme) -> None:
        self.scene.set_theme(theme)
        self.summary.set_theme(theme)

    def showing(self) -> str:
        """Which page is up: "graph", "summary" or "message"."""
        return ("graph", "summary", "message")[self.pages.currentIndex()]

    # --- drawing records ------------------------------------------------------------------
    def _on_record(self, record: GraphRecord) -> None:
        self.cancel_drawing()
        if self.placeholder.isVisible():
            self.placeholder.hide()
        if record.layout_error and INSTALL_HELP in record.layout_error:  # no Graphviz here
            self.message.setText(install_help(record.layout_error))
            self.pages.setCurrentIndex(2)
            return
        if not is_big(record):
            self.draw_big = False
        if (is_big(record) and not self.draw_big) or not is_laid_out(record):
            self.summary.show_record(record, self.controller.show_values)
            self.pages.setCurrentIndex(1)
        elif self.scene.item_count() + len(record.nodes) > 2 * BIG_GRAPH_NODES:
            if is_big(record):  # drawn whole on request: the summary shows the progress
                self.summary.show_record(record, self.controller.show_values)
                self.pages.setCurrentIndex(1)
            else:  # a small graph after a big one: the big one's items go a slice at a time
                self.message.setText(f"<p>{translate('GraphPane', 'Drawing the graph…')}</p>")
                self.pages.setCurrentIndex(2)
            self._start_build(record)
        elif self._drawn is not None and self.scene.refresh(record, self._step_for(record)):
            self._drawn = record  # the same picture with new values: nothing rebuilt
            self.pages.setCurrentIndex(0)
        else:
            self._syncing = True  # set_record clears the scene's selection: keep the controller's
            self.scene.set_record(record, self._step_for(record))
            self._syncing = False
            self._show_drawn(record)

    def draw_whole_graph(self) -> None:
        """Draw the summarised big graph whole (and the next big ones of this document);
        one without a layout is laid out first, in the worker."""
        record = self.controller.record
        self.draw_big = True
        if record is None or self._build is not None or self._drawn is record:
            return
        if is_laid_out(record):
            self._start_build(record)
        elif not self.controller.busy:
            self.summary.set_laying_out()
            self.controller.lay_out_whole_graph()

    def cancel_drawing(self) -> None:
        """Stop laying out or drawing a big graph whole; the summary stays."""
        if self.controller.laying_out:
            self.controller.stop()
            self.summary.set_building(False)
        if self._build is not None:
            self._build.cancel()
            self._build.deleteLater()
            self._build, self._drawn, self._syncing = None, None, False
            self.summary.set_building(False)

    def _start_build(self, record: GraphRecord) -> None:
        self._drawn = None
        self._syncing = True  # the build empties the scene's selection: keep the controller's
        self._build = SceneBuild(self.scene, record, self._step_for(record), self)
        self._build.progress.connect(self.summary.set_progress)
        self._build.finished.connect(lambda: self._on_built(record))
        self.summary.set_building(True)
        self._build.start()

    def _on_built(self, record: GraphRecord) -> None:
        self._syncing = False
        if self._build is not None:
            self._build.deleteLater()
            self._build = None
        self.summary.set_building(False)
        step = self._step_for(record)
        if step != self.scene.step:  # the player moved while it was being drawn
            self.scene.set_step(step)
        self._show_drawn(record)

    def new_document(self) -> None:
        """A new program is opened: its graph starts fitted (no zoom carries over) and big
        ones start summarised."""
        self.draw_big = False
        self.view.auto_fit = True

    def _focus_for(self, record: GraphRecord) -> tuple[str, ...]:
        """The nodes a view too small for the whole graph shows: those the step lights
        (the running op first, `BackwardFlow.lit`), else the output (where backward
        starts)."""
        step = self.controller.step if record is self.controller.record else 0
        if record.backward and 0 < step <= len(record.backward):
            return playback_of(record).flow.lit(step)
        return (record.output,) if record.output else ()

    def _step_for(self, record: GraphRecord) -> int | None:
        return self.controller.step if record.backward else None

    def _on_chain(self) -> None:
        """The record's chain-rule lines arrived: the same picture, now from the record
        that has them."""
        if self._drawn is not None:
            self._drawn = self._adopt(self._drawn)

    def _adopt(self, record: GraphRecord) -> GraphRecord:
        """The controller's record if it is `record` completed with its chain-rule lines
        (`GraphRecord.with_chain` keeps the nodes), and the scene's from now on; else record."""
        current = self.controller.record
        if current is None or current.nodes is not record.nodes:
            return record
        self.scene.record = current
        return current

    def _show_drawn(self, record: GraphRecord) -> None:
        self._drawn = record = self._adopt(record)  # (its lines may have come while drawn)
        self._syncing = True
        self.scene.select(self.controller.selected)
        self._syncing = False
        self.pages.setCurrentIndex(0)
        self.view.focus = self._focus_for(record)
        if self.view.auto_fit:  # (a whole big graph is too small to read: around the focus)
            self.view.fit()
        if self.pending_zoom is not None:
            self.view.set_zoom(self.pending_zoom)
            self.pending_zoom = None
            self.view.show_node(self.controller.selected or record.output or "")
        cursor = self.editor.textCursor()
        self._on_cursor(cursor.blockNumber() + 1, cursor.positionInBlock() + 1)

    # --- following the controller -----------------------------------------------------------
    def _on_busy(self, busy: bool) -> None:
        if not busy and self._build is None:  # a layout asked for ended without a record
            self.summary.set_building(False)

    def _on_step(self, step: int) -> None:
        record = self.controller.record
        if record is not None and record.backward and self._drawn is record:
            self.scene.set_step(step)
            self.view.focus = self._focus_for(record)
            if step:  # keep what the step lights in view (scrolls; never zooms)
                self.view.show_nodes(self.view.focus)

    def _on_selection(self, node_id: str) -> None:
        if not self._syncing and self._drawn is self.controller.record:
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
        return not c.out_of_date and c.record_text == c.text


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

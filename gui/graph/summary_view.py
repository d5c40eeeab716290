"""The first view of a big graph: how many of each op, the graph around the output, and a
button to draw the whole graph (built in slices, with progress and Cancel)."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from core.record.graph import GraphRecord
from core.record.layout import refusal
from gui.graph.scene import GraphScene
from gui.graph.view import GraphView
from gui.look.i18n import QT_TRANSLATE_NOOP, translate
from gui.model.big_graph import (
    AROUND_HOPS,
    around_output,
    counts_by_kind,
    cut_out,
    is_big,
    is_laid_out,
    sketch,
)
from gui.model.core_text import layout_reason
from gui.model.theme import Theme


class GraphSummary(QWidget):
    """Counts by op and the output's neighbourhood; `drawRequested` asks for everything."""

    drawRequested = Signal()  # noqa: N815
    cancelRequested = Signal()  # noqa: N815

    def __init__(self, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("summary")
        self.title = QLabel()
        self.title.setObjectName("summaryTitle")
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setObjectName("hint")
        self.table = QTableWidget(0, 2)
        self.table.setHorizontalHeaderLabels(
            [translate("GraphSummary", "Node"), translate("GraphSummary", "Count")]
        )
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setMaximumWidth(320)
        self.around = GraphScene(self, theme=theme, cache=False)
        self.around_view = GraphView(self.around)
        self.around_caption = QLabel(
            translate("GraphSummary", "Around the output ({hops} edges either way)").format(
                hops=AROUND_HOPS
            )
        )
        self.around_caption.setObjectName("hint")
        self._pending: tuple[GraphRecord, bool] | None = None  # to fill in next time round
        self._can_draw = (
            True  # False: Graphviz won't take this graph (see core.record.layout.refusal)
        )
        self._fill_timer = QTimer(self)
        self._fill_timer.setSingleShot(True)
        self._fill_timer.setInterval(0)
        self._fill_timer.timeout.connect(self._fill)
        self._build_buttons()
        self._lay_out()
        self.set_building(False)  # only now: shown before it has a parent, it'd be a window

    def _build_buttons(self) -> None:
        self.draw_button = QPushButton(translate("GraphSummary", "Draw the whole graph"))
        self.draw_button.setObjectName("drawButton")
        self.draw_button.clicked.connect(self.drawRequested)
        self.progress = QProgressBar()
        self.progress.setFormat(translate("GraphSummary", "Drawing %v of %m items…"))
        self.cancel_button = QPushButton(translate("GraphSummary", "Cancel"))
        self.cancel_button.clicked.connect(self.cancelRequested)

    def _lay_out(self) -> None:
        buttons = QHBoxLayout()
        buttons.addWidget(self.draw_button)
        buttons.addWidget(self.progress, 1)
        buttons.addWidget(self.cancel_button)
        buttons.addStretch(0)
        around = QVBoxLayout()
        around.addWidget(self.around_caption)
        around.addWidget(self.around_view, 1)
        row = QHBoxLayout()
        row.addWidget(self.table)
        row.addLayout(around, 1)
        column = QVBoxLayout(self)
        column.setContentsMargins(12, 10, 12, 10)
        column.addWidget(self.title)
        column.addWidget(self.note)
        column.addLayout(buttons)
        column.addLayout(row, 1)

    def show_record(self, record: GraphRecord, show_values: bool) -> None:
        """Summarise `record`: the title at once; the counts and the output's neighbourhood
        (cut from the layout, or sketched) in the next pass of the event loop, so that a big
        record's arrival is two short holds of the window rather than one long one. A record
        without a layout says why; past Graphviz's caps it offers no layout."""
        ops = sum(1 for n in record.nodes if n.kind == "op")
        if is_big(record):
            title = translate(
                "GraphSummary", "A big graph: {nodes} nodes ({ops} ops), {steps} backward steps"
            )
        else:
            title = translate(
                "GraphSummary", "The graph: {nodes} nodes ({ops} ops), {steps} backward steps"
            )
        self.title.setText(
            title.format(
                nodes=f"{len(record.nodes):,}", ops=f"{ops:,}", steps=f"{len(record.backward):,}"
            )
        )
        laid_out = is_laid_out(record)
        self._can_draw = laid_out or refusal(record) is None
        self.note.setText(
            translate("GraphSummary", LAID_OUT_NOTE)
            if laid_out
            else unlaid_note(record, self._can_draw)
        )
        self.draw_button.setText(
            translate("GraphSummary", "Draw the whole graph")
            if laid_out
            else translate("GraphSummary", "Lay out and draw the whole graph")
        )
        self.set_building(False)
        self._pending = (record, show_values)
        self._fill_timer.start()

    def _fill(self) -> None:
        if self._pending is None:
            return
        (record, show_values), self._pending = self._pending, None
        self._fill_table(counts_by_kind(record))
        self.around.show_values = show_values
        around = around_output(record)
        self.around.set_record(
            cut_out(record, around) if is_laid_out(record) else sketch(record, around, show_values)
        )
        self.around_view.fit_to_window()

    def filled(self) -> bool:
        """Whether the counts and the picture are the last record's (tests wait for it)."""
        return self._pending is None

    def _fill_table(self, rows: list[tuple[str, int]]) -> None:
        self.table.setRowCount(len(rows))
        for i, (name, count) in enumerate(rows):
            self.table.setItem(i, 0, QTableWidgetItem(name))
            number = QTableWidgetItem(f"{count:,}")
            number.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.table.setItem(i, 1, number)

    def set_building(self, building: bool) -> None:
        """Progress and Cancel while the whole graph is being drawn; the button otherwise."""
        self.draw_button.setVisible(not building and self._can_draw)
        self.progress.setVisible(building)
        self.cancel_button.setVisible(building)

    def set_progress(self, done: int, total: int) -> None:
        self.progress.setFormat(translate("GraphSummary", "Drawing %v of %m items…"))
        self.progress.setRange(0, total)
        self.progress.setValue(done)

    def set_laying_out(self) -> None:
        """Graphviz is at work in the worker: a busy bar (it can't tell how far it is)."""
        self.set_building(True)
        self.progress.setRange(0, 0)
        self.progress.setFormat(translate("GraphSummary", "Laying out with Graphviz…"))

    def set_theme(self, theme: Theme) -> None:
        self.around.set_theme(theme)

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        self.around_view.fit_to_window()


LAID_OUT_NOTE = QT_TRANSLATE_NOOP(
    "GraphSummary",
    "Drawing every box takes a few seconds and shows little at once, so here are the counts "
    "and the part of the graph next to the output. The backward player, the inspector and "
    "the transcript work on the whole graph already.",
)


def unlaid_note(record: GraphRecord, can_lay_out: bool) -> str:
    """Why the graph has no layout, and what the summary offers instead."""
    if not record.layout_error:
        return translate("GraphSummary", UNLAID_NOTE)
    if can_lay_out:
        text = translate(
            "GraphSummary",
            "{why} Here are its counts and a sketch of the part "
            "next to the output. Graphviz can try again in the background (Cancel "
            "stops it). {works}",
        )
    else:
        text = translate(
            "GraphSummary",
            "{why} Here are its counts and a sketch of the part next to the output. {works}",
        )
    works = translate("GraphSummary", WHOLE_GRAPH_WORKS)
    return text.format(why=layout_reason(record), works=works)


WHOLE_GRAPH_WORKS = QT_TRANSLATE_NOOP(
    "GraphSummary",
    "The backward player, the inspector and the transcript work on the whole graph already.",
)
UNLAID_NOTE = QT_TRANSLATE_NOOP(
    "GraphSummary",
    "Graphviz could not lay this graph out within the time limit, so here are its counts and "
    "a sketch of the part next to the output. Graphviz can lay it all out in the background "
    "(a minute or more for 10,000 nodes; Cancel stops it). The backward player, the "
    "inspector and the transcript work on the whole graph already.",
)

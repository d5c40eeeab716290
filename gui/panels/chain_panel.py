"""The chain-rule panel: for the current backward step, the op's local derivative and, per
input, incoming gradient × local derivative = outgoing gradient, with the numbers.

It shows what the record holds (`BackwardStep.formula` and `.chain`, computed in the worker
just after the graph is sent: "Working out…" until they arrive) and follows the
controller's step. "Check by hand…" opens `gui.panels.hand_check.HandCheckDialog`.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QDockWidget,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from core.record.graph import GraphRecord
from gui.look.i18n import translate
from gui.model.playback import NOT_LISTED, WORKING, playback_of  # noqa: F401 (NOT_LISTED: for tests)
from gui.panels.hand_check import HandCheckDialog

BULLET = "• "  # before each input's line, when there are several (long lines wrap)


HOLD_MS = 150  # an edit's lines usually come sooner: keep the last ones that long, not flicker


def chain_text(record: GraphRecord | None, step: int, note: str = "") -> tuple[str, str, list[str]]:
    """(title, formula, lines) the panel shows at `step` (1-based; 0 is before backward);
    `note`: why a record's pending chain-rule lines won't come. The frame's
    (`gui.model.playback`): the lines in the program's names, and the sum of the parts
    that reached the node by several paths."""
    if record is None:
        return translate("ChainPanel", "Chain rule"), "", []
    title, formula, lines = playback_of(record).chain_text(step, note)
    return title, formula, list(lines)


class ChainPanel(QScrollArea):
    """Shows `chain_text` for the controller's record and step; `text()` is what it shows."""

    def __init__(self, controller, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.setWidgetResizable(True)
        body = QWidget()
        body.setObjectName("inspectorBody")
        column = QVBoxLayout(body)
        column.setContentsMargins(8, 4, 8, 4)  # compact: the lines with the numbers are what
        column.setSpacing(3)  # a laptop's short dock must still show (1366x768: ~100 px)
        head = QHBoxLayout()
        self.title = QLabel()
        self.title.setObjectName("inspectorTitle")
        self.check_button = QPushButton(translate("ChainPanel", "Check by hand…"))
        self.check_button.setToolTip(
            translate(
                "ChainPanel",
                "Finite differences for each leaf beside autograd's .grad (re-runs the program)",
            )
        )
        self.check_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.check_button.clicked.connect(self.open_check)
        head.addWidget(self.title, 1)
        head.addWidget(self.check_button)
        self.formula = QLabel()
        self.formula.setObjectName("chainFormula")
        self.lines = QLabel()
        self.lines.setObjectName("chainLines")
        for label in (self.formula, self.lines):
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        column.addLayout(head)
        column.addWidget(self.formula)
        column.addWidget(self.lines)
        column.addStretch(1)
        self.setWidget(body)
        self.dialog: HandCheckDialog | None = None
        self.shown_lines: list[str] = []
        self._hold = QTimer(self)  # while it runs, the last lines stay as a new record's come
        self._hold.setSingleShot(True)
        self._hold.setInterval(HOLD_MS)
        self._hold.timeout.connect(self.refresh)
        controller.recordChanged.connect(self.refresh)
        controller.stepChanged.connect(self.refresh)
        controller.chainChanged.connect(self.refresh)
        self.refresh()

    def refresh(self, *_: object) -> None:
        c = self.controller
        title, formula, lines = chain_text(c.record, c.step, c.chain_note)
        if (
            lines == [translate("Playback", WORKING)] and self.formula.isVisible()
        ):  # lines on show: hold them
            if not self._hold.isActive() and self.sender() is not self._hold:
                self._hold.start()
                return
            if self._hold.isActive():
                return
        self._hold.stop()
        self.title.setText(title)
        self.formula.setText(formula)
        self.formula.setVisible(bool(formula))
        self.shown_lines = lines
        self.lines.setText("\n".join(BULLET + line for line in lines) if len(lines) > 1 else
                           "\n".join(lines))  # fmt: skip
        self.check_button.setEnabled(self.controller.record is not None)

    def text(self) -> str:
        """What the panel shows, one item a line (without the bullets)."""
        parts = [self.title.text(), self.formula.text() if self.formula.isVisible() else ""]
        return "\n".join(p for p in [*parts, *self.shown_lines] if p)

    def open_check(self) -> HandCheckDialog:
        if self.dialog is None:
            self.dialog = HandCheckDialog(self.controller, self.window())
        self.dialog.start()
        return self.dialog


def add_dock(window: QMainWindow, controller) -> tuple[QDockWidget, ChainPanel]:
    """The panel as a dock under the graph (closable from View)."""
    panel = ChainPanel(controller)
    dock = QDockWidget(translate("ChainPanel", "Chain rule"), window)
    dock.setObjectName("chainDock")
    dock.setWidget(panel)
    dock.setFeatures(
        QDockWidget.DockWidgetFeature.DockWidgetClosable
        | QDockWidget.DockWidgetFeature.DockWidgetMovable
    )
    window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
    window.resizeDocks([dock], [170], Qt.Orientation.Vertical)
    return dock, panel

"""The status bar: what the evaluation is doing or did, a Stop button while it runs, passing
notes ("Saved …", "Restored unsaved text from 14:02"), "Running as plain Python (trusted)"
while the program is one the user trusted, and which Graphviz laid the graph out.

Stop (and Esc anywhere in the window, while an evaluation runs) ends the evaluation at
once: the worker process is killed and replaced; the text and the last graph stay.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence, QResizeEvent
from PySide6.QtWidgets import QLabel, QMainWindow, QToolButton

from gui.look.i18n import translate
from gui.model.big_graph import is_laid_out
from gui.model.failed_backward import status_line
from gui.panels.trust_bar import trusted_text
from gui.window.controller import Controller, State, single_shot

TICK_MS = 500  # how often a long evaluation's running time is refreshed
SHOW_ELAPSED_AFTER = 1.0  # seconds: a longer evaluation shows its running time


def status_text(c: Controller) -> str:
    """One line for the status bar: what the evaluation is doing or did."""
    if c.state == State.STARTING:
        return translate("Status", "Starting PyTorch in the background…")
    if c.state == State.EVALUATING:
        elapsed = time.monotonic() - c.asked_at
        if c.busy and (elapsed >= SHOW_ELAPSED_AFTER or c.laying_out):
            if c.laying_out:
                text = translate(
                    "Status",
                    "Laying out the whole graph with Graphviz… {seconds} s · Esc or Stop ends it",
                )
            else:
                text = translate("Status", "Running… {seconds} s · Esc or Stop ends it")
            return text.format(seconds=f"{elapsed:.0f}")
        return translate("Status", "Evaluating…")
    if c.error is not None:
        if c.record is not None and c.cut_at:
            return status_line(c.error_text, c.cut_at)
        first = c.error_text.split(chr(10), 1)[0]  # one line: the rest is above
        if c.record:
            return translate("Status", "Showing the last graph that ran · {error}").format(
                error=first
            )
        return translate("Status", "Error · {error}").format(error=first)
    if c.record is None:
        return ""
    nodes, steps = c.record.nodes, len(c.record.backward)
    ops = sum(1 for n in nodes if n.kind == "op")
    ms = 1000 * c.eval_seconds
    numbers = {
        "nodes": f"{len(nodes):,}",
        "ops": f"{ops:,}",
        "steps": f"{steps:,}",
        "ms": f"{ms:.0f}",
    }
    if is_laid_out(c.record):
        text = translate(
            "Status", "Up to date · {nodes} nodes ({ops} ops) · {steps} steps · ran in {ms} ms"
        )
    else:
        text = translate(
            "Status",
            "Up to date · {nodes} nodes ({ops} ops) · {steps} steps · ran "
            "in {ms} ms · not laid out (the graph pane says why)",
        )
    return text.format(**numbers)


class ElidedLabel(QLabel):
    """A one-line label that ends a text too long for it with "…" (the whole text is its
    tooltip) rather than cutting it off mid-word."""

    def __init__(self) -> None:
        super().__init__()
        self._full = ""
        self.setMinimumWidth(1)  # the bar may make it narrower than its text

    def setText(self, text: str) -> None:  # noqa: N802 (Qt's name)
        self._full = text
        self.setToolTip(text)
        self._elide()

    def text(self) -> str:
        """The whole text (what shows may end in "…")."""
        return self._full

    def shown_text(self) -> str:
        return super().text()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        shown = self.fontMetrics().elidedText(self._full, Qt.TextElideMode.ElideRight, self.width())
        super().setText(shown)


class StatusArea(QObject):
    """Owns the status bar's widgets; the window calls `refresh` when its state changes."""

    def __init__(self, window: QMainWindow, controller) -> None:
        super().__init__(window)
        self.controller = controller
        self.label = ElidedLabel()
        self.label.setObjectName("statusText")
        self.engine = QLabel()
        self.trusted = QLabel(trusted_text())
        self.trusted.setObjectName("trustedNote")
        self.trusted.setToolTip(
            translate(
                "Status",
                "You trusted this exact text: it runs with no safe mode (still in the "
                "worker, with the time and memory limits). A changed text runs in the safe mode "
                "again.",
            )
        )
        self.trusted.hide()
        self.stop_action = QAction(translate("Status", "Stop"), window)
        self.stop_action.setShortcut(QKeySequence(Qt.Key.Key_Escape))
        self.stop_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.stop_action.setToolTip(translate("Status", "Stop the program that is running (Esc)"))
        self.stop_action.setEnabled(False)
        self.stop_action.triggered.connect(controller.stop)
        window.addAction(self.stop_action)  # Esc works wherever focus is in the window
        self.stop_button = QToolButton()
        self.stop_button.setObjectName("stopButton")
        self.stop_button.setDefaultAction(self.stop_action)
        self.stop_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        bar = window.statusBar()
        bar.addWidget(self.label, 1)
        bar.addPermanentWidget(self.trusted)
        bar.addPermanentWidget(self.stop_button)
        bar.addPermanentWidget(self.engine)
        self._flash = single_shot(self, self.refresh)
        self._tick = QTimer(self)
        self._tick.timeout.connect(self.refresh)
        controller.busyChanged.connect(self._on_busy)
        controller.trustedChanged.connect(self.trusted.setVisible)

    def flash(self, text: str, ms: int = 4000) -> None:
        """A passing note; the evaluation's state comes back after `ms`."""
        self.label.setText(text)
        self.label.setToolTip(text)
        self._flash.start(ms)

    def refresh(self, *_: object) -> None:
        if not self._flash.isActive():
            text = status_text(self.controller)
            self.label.setText(text)
            self.label.setToolTip(text)

    def _on_busy(self, busy: bool) -> None:
        self.stop_action.setEnabled(busy)
        if busy:
            self._tick.start(TICK_MS)
        else:
            self._tick.stop()
        self.refresh()

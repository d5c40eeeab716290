"""The bar over the graph that offers to run a program as plain Python.

The safe mode refuses what plain Python would run but a lesson has no need of (`import
numpy`, reading a file); such a refusal names what it is (`ProgramError.trust`). The bar
says where and what ("Line 3: import numpy — the safe mode doesn't run this.") and asks:
*Run as Python — only for code you trust*. Only that click runs the program as plain
Python (the controller remembers the text's hash, so the same text runs so next time);
the × closes the bar and changes nothing. Its colours are the style sheet's (`info_*`).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QToolButton,
    QVBoxLayout,
)

from core.record.language import ProgramError
from gui.look.i18n import QT_TRANSLATE_NOOP, translate
from gui.model.core_text import error_message

RUN_TEXT = QT_TRANSLATE_NOOP("TrustBar", "Run as Python — only for code you trust")
TRUSTED_TEXT = QT_TRANSLATE_NOOP("TrustBar", "Running as plain Python (trusted)")


def trusted_text() -> str:
    """The status bar's note while a trusted program runs, in the window's language."""
    return translate("TrustBar", TRUSTED_TEXT)


def trust_text(error: ProgramError) -> str:
    """ "Line 3: import numpy — the safe mode doesn't run this." """
    return translate("TrustBar", "Line {line}: {what} — the safe mode doesn't run this.").format(
        line=error.line, what=error.trust
    )


class TrustBar(QFrame):
    """Hidden until `offer(error)`; `runRequested` on the button, `closed` on the ×."""

    runRequested = Signal()
    closed = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("trustBar")
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.label = QLabel()
        self.label.setObjectName("trustText")
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.button = QPushButton(translate("TrustBar", RUN_TEXT))
        self.button.setObjectName("trustButton")
        self.button.setToolTip(
            translate(
                "TrustBar",
                "Runs this exact text as plain Python, with no safe mode: it can read and write "
                "your files and use the network. It still runs in the worker, with the time and "
                "memory limits and Stop. This exact text will run as plain Python from now on; "
                "a changed text asks again.",
            )
        )
        self.button.setAutoDefault(False)
        self.button.clicked.connect(self.runRequested)
        self.close_button = QToolButton()
        self.close_button.setObjectName("trustClose")
        self.close_button.setText("×")
        self.close_button.setToolTip(translate("TrustBar", "Close (the program stays refused)"))
        self.close_button.setAutoRaise(True)
        self.close_button.clicked.connect(self._close)
        # the sentence (and ×) above the button: both stay whole in a narrow graph pane
        top = QHBoxLayout()
        top.setSpacing(6)
        top.addWidget(self.label, 1)
        top.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignTop)
        bottom = QHBoxLayout()
        bottom.addWidget(self.button)
        bottom.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 4, 8)
        layout.setSpacing(6)
        layout.addLayout(top)
        layout.addLayout(bottom)
        self.hide()

    def offer(self, error: ProgramError | None) -> None:
        """Show the bar for a refusal that plain Python would run; None hides it."""
        if error is None or not error.trust:
            self.hide()
            return
        self.label.setText(trust_text(error))
        self.label.setToolTip(error_message(error))
        self.show()

    def _close(self) -> None:
        self.hide()
        self.closed.emit()

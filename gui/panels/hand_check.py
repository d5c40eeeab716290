"""The "Check by hand" dialog: ∂output/∂leaf by finite differences beside autograd's .grad.

The numbers come from the worker (`core.engine.check_by_hand`, asked for with the evaluation option
`check`); while the dialog is open every evaluation includes them, so it follows edits.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from core.record.graph import GraphRecord, HandCheck, LeafCheck
from gui.look.i18n import QT_TRANSLATE_NOOP, translate
from gui.model.core_text import hand_check_note

COLUMNS = (  # the table's headers (shown with translate)
    QT_TRANSLATE_NOOP("HandCheck", "leaf"),
    QT_TRANSLATE_NOOP("HandCheck", "element"),
    QT_TRANSLATE_NOOP("HandCheck", "finite difference"),
    QT_TRANSLATE_NOOP("HandCheck", "autograd .grad"),
    QT_TRANSLATE_NOOP("HandCheck", "|difference|"),
)


def number(x: Any, digits: int = 10) -> str:
    return x if isinstance(x, str) else f"{float(x):.{digits}g}"


def difference(x: Any) -> str:
    return x if isinstance(x, str) else f"{float(x):.2e}"


def index_text(flat: int, shape: tuple[int, ...] | None) -> str:
    """A flat index as the tensor's own index: 5 in (2, 3) -> "[1, 2]"."""
    if not shape:
        return "[]" if shape == () else f"[{flat}]"
    out = []
    for size in reversed(shape):
        flat, i = divmod(flat, size)
        out.append(str(i))
    return "[" + ", ".join(reversed(out)) + "]"


def rows(record: GraphRecord, check: HandCheck) -> list[tuple[str, ...]]:
    """One row per checked element, as the table shows it."""
    out = []
    for leaf in check.leaves:
        shape = _shape(record, leaf)
        for j, (est, grad) in enumerate(zip(leaf.estimate, leaf.autograd, strict=True)):
            diff = "nan" if isinstance(est, str) or isinstance(grad, str) else abs(est - grad)
            out.append((leaf.name or leaf.node, index_text(j, shape), number(est), number(grad),
                        difference(diff)))  # fmt: skip
    return out


def _shape(record: GraphRecord, leaf: LeafCheck) -> tuple[int, ...] | None:
    try:
        return record.node(leaf.node).shape
    except KeyError:
        return None


def summary(check: HandCheck) -> str:
    """What was checked, how, and the largest difference."""
    if not check.leaves:
        return hand_check_note(check) or translate("HandCheck", "Nothing to check.")
    who = check.name or translate("HandCheck", "the output")
    parts = [
        translate("HandCheck", "Largest difference: {difference}").format(
            difference=difference(check.max_difference)
        ),
        translate(
            "HandCheck",
            "∂{who}/∂leaf by central differences (f(x + h) − f(x − h)) / 2h "
            "in float64, h = {h}·max(1, |x|); the first {cap} elements of each "
            "leaf",
        ).format(who=who, h=f"{check.step:g}", cap=check.cap),
        translate("HandCheck", "{count} re-runs of the program in {seconds} s").format(
            count=check.reruns, seconds=f"{check.seconds:.2f}"
        ),
    ]
    cut = [
        translate("HandCheck", "{name}: {count} of {total}").format(
            name=leaf.name, count=len(leaf.estimate), total=leaf.numel
        )
        for leaf in check.leaves
        if len(leaf.estimate) < leaf.numel
    ]
    if cut:
        parts.append(translate("HandCheck", "checked {leaves}").format(leaves=", ".join(cut)))
    if check.note:
        parts.append(hand_check_note(check))
    return "\n".join(parts)


class HandCheckDialog(QDialog):
    """A non-modal window with the check for the controller's record."""

    def __init__(self, controller, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(translate("HandCheck", "Check by hand"))
        self.controller = controller
        self.setModal(False)
        self.resize(720, 440)
        column = QVBoxLayout(self)
        self.heading = QLabel()
        self.heading.setObjectName("inspectorTitle")
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels([translate("HandCheck", c) for c in COLUMNS])
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        column.addWidget(self.heading)
        column.addWidget(self.table, 1)
        column.addWidget(self.summary)
        column.addWidget(buttons)
        controller.recordChanged.connect(self.refresh)
        self.finished.connect(self._stop_asking)

    def start(self) -> None:
        """Show the dialog; ask the worker for the check if the record has none."""
        self.controller.extra_options["check"] = True
        record = self.controller.record
        if record is not None and record.check is None:
            self.controller.evaluate_now()
        self.refresh()
        self.show()
        self.raise_()

    def refresh(self, *_: object) -> None:
        record = self.controller.record
        check = record.check if record is not None else None
        if record is None or check is None:
            self.heading.setText(translate("HandCheck", "Checking by hand…"))
            self.table.setRowCount(0)
            self.summary.setText(
                translate("HandCheck", "Re-running the program with each leaf element nudged.")
            )
            return
        who = check.name or translate("HandCheck", "the output")
        self.heading.setText(
            translate("HandCheck", "∂{who}/∂leaf: finite differences beside autograd").format(
                who=who
            )
        )
        table = rows(record, check)
        self.table.setRowCount(len(table))
        for r, row in enumerate(table):
            for c, text in enumerate(row):
                item = QTableWidgetItem(text)
                if c >= 2:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.table.setItem(r, c, item)
        self.summary.setText(summary(check))

    def _stop_asking(self, *_: object) -> None:
        self.controller.extra_options.pop("check", None)

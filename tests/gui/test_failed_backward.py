"""Issue 19 item 10: a backward() PyTorch refuses still shows the program's new graph, and
the status bar says so in one line (the whole error is above the transcript)."""

from core.record.additions import graph_before
from tests.oracle import plain_value, run_plain

NON_SCALAR = (
    "import torch\nx = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)\ny = x * x\ny.backward()\n"
)


def test_a_failed_backward_shows_the_new_graph(make_window, qtbot):
    w = make_window()  # the lesson's graph first
    c = w.controller
    with qtbot.waitSignal(c.errorChanged, timeout=30_000, check_params_cb=lambda e: e is not None):
        w.editor.setPlainText(NON_SCALAR)
    assert "grad can be implicitly created only for scalar outputs" in c.error_text
    plain = run_plain(NON_SCALAR.replace("y.backward()\n", ""))
    y = next(n for n in c.record.nodes if n.name == "y")
    assert y.value == plain_value(plain["y"]) == [1.0, 4.0, 9.0]  # the new graph, not the lesson's
    assert not any(n.name == "o" for n in c.record.nodes)
    assert not c.out_of_date and not w.graph.banner.isVisible()
    status = w.status_area.label.text()
    assert status.startswith("The graph up to line 4, where backward() failed")
    assert "\n" not in status and "RuntimeError" in status
    assert "Why:" in w.error_line.text()  # the lesson behind it stays, in full, above
    assert w.editor.toPlainText() == NON_SCALAR  # the text is the user's


def test_the_text_before_a_failed_backward():
    from core.record.language import ProgramError

    error = ProgramError("RuntimeError: grad can be implicitly created", 4, 1, 4, 13)
    assert graph_before(NON_SCALAR, error) == NON_SCALAR.replace("y.backward()\n", "")
    loop = "for i in range(2):\n    y = x * i\n    y.backward()\n    print(i)\n"
    assert graph_before(loop, ProgramError("e", 3, 5)) == (
        "for i in range(2):\n    y = x * i\n    pass\n"
    )
    assert graph_before("y = x +\n", ProgramError("syntax", 1, 5)) is None


VECTOR = "import torch\nx = torch.tensor([1.0, 2.0], requires_grad=True)\ny = x * 3\ny.backward()\n"


def test_backward_with_a_gradient_plays_on_the_graph_before_a_failed_backward(make_window, qtbot):
    """The program's own y.backward() fails (y is not a scalar): the player says so and
    what works; Backward asks for a gradient and plays y.backward(gradient) on the graph
    shown, with PyTorch's gradients at every step; the text and the error stay."""
    import torch

    from gui.model.playback import playback_of

    w = make_window()
    c = w.controller
    with qtbot.waitSignal(c.errorChanged, timeout=30_000, check_params_cb=lambda e: e is not None):
        w.editor.setPlainText(VECTOR)
    caption = w.player.caption.full_text
    assert caption == (
        "The program's backward() on line 4 failed: grad can be implicitly created only for "
        "scalar outputs · Press Backward to run y.backward(gradient=…) on this graph, with a "
        "gradient you give."
    )
    assert w.player.backward_action.isEnabled() and c.step_count() == 0
    asked = []

    def answer(name, shape):
        asked.append((name, shape))
        return "[0.5, 2]"

    w.ask_gradient = answer
    with qtbot.waitSignal(c.playRequested, timeout=30_000):
        w.player.backward_action.trigger()
    w.player.pause()
    assert asked == [("y", (2,))]
    assert c.cut_at == 4 and c.step == 0 and w.editor.toPlainText() == VECTOR
    assert "grad can be implicitly created only for scalar outputs" in c.error_text
    assert w.status_area.label.text().startswith("The graph up to line 4, where backward() failed")
    call = "y.backward(torch.tensor([0.5, 2], dtype=y.dtype))"
    assert f"Added {call} in place of line 4's failed backward()" in w.player.note.text()
    # the oracle: plain PyTorch, y.backward(gradient=...) on the program before line 4
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = x * 3
    y.retain_grad()
    y.backward(gradient=torch.tensor([0.5, 2.0]))
    record = c.record
    leaf = next(n for n in record.nodes if n.name == "x" and n.role == "leaf")
    out = record.node(record.output)
    play = playback_of(record)
    seen = set()
    for n in range(1, c.step_count() + 1):
        c.set_step(n)
        step = record.backward[n - 1]
        grads = play.frame(n).grads
        if record.node(step.node).op == "MulBackward0":
            assert step.grad_outputs[0] == plain_value(y.grad) == [0.5, 2.0]
            assert "backward()'s gradient argument [0.5, 2]" in w.player.caption.full_text
            seen.add("mul")
        if step.leaf_grad is not None:
            assert grads[leaf.id] == step.leaf_grad == plain_value(x.grad) == [1.5, 6.0]
            assert "x.grad becomes [1.5, 6]" in w.player.caption.full_text
            seen.add("leaf")
    assert seen == {"mul", "leaf"}
    assert play.frame(c.step_count()).grads[out.id] == plain_value(y.grad)

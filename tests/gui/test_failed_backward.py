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

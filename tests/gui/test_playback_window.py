"""The window draws the one playback model's frames (gui.model.playback): issue 19 item 7
(a gradient reaching a tensor by two paths is shown being added) and the editor following
the player. Numbers are plain PyTorch's."""

import torch

from gui.model.playback import playback_of
from tests.oracle import plain_value

SQUARE = (
    "import torch\nx = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)\ny = x * x\n"
    "y.backward(torch.ones_like(y))\n"
)


def pytorch_parts():
    """y = x * x with each factor its own leaf: the part each path sends, and their sum."""
    first, second = (torch.tensor([1.0, 2.0, 3.0], requires_grad=True) for _ in range(2))
    (first * second).backward(torch.ones(3))
    x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    (x * x).backward(torch.ones(3))
    return plain_value(first.grad), plain_value(second.grad), plain_value(x.grad)


def test_a_tensor_used_twice_is_shown_being_added(make_window, qtbot):
    w = make_window(SQUARE)
    c = w.controller
    one, other, total = pytorch_parts()
    acc = next(i for i, s in enumerate(c.record.backward, 1) if s.leaf_grad is not None)
    c.set_step(acc)
    sum_text = "[1, 2, 3] + [1, 2, 3] = [2, 4, 6]"
    assert (one, other, total) == ([1.0, 2.0, 3.0], [1.0, 2.0, 3.0], [2.0, 4.0, 6.0])
    assert sum_text in w.player.caption.full_text
    assert "AccumulateGrad (x)" in w.player.caption.full_text
    assert w.chain_panel.shown_lines[0] == (
        "∂y/∂x = [1, 2, 3] (from MulBackward0 (y)) + [1, 2, 3] (from MulBackward0 (y)) = [2, 4, 6]"
    )
    frame = playback_of(c.record).frame(acc)
    x = next(n for n in c.record.nodes if n.name == "x")
    assert [p.value for p in frame.arrival.parts] == [one, other]
    assert frame.grads[x.id] == total == x.grad
    c.select(x.id)
    assert w.inspector.fields["grad"] == "[2., 4., 6.]"


def test_the_editor_follows_the_player(make_window, qtbot):
    """Stepping lights the source line of the node that runs (the frame's span): the
    lesson's PowBackward0 is line `y = 5 * (x + 1) ** 2`, AccumulateGrad is x's line."""
    w = make_window()
    c = w.controller
    lines = c.record.source.split("\n")
    c.set_step(0)
    assert w.editor.running_lines() is None
    for n, step in enumerate(c.record.backward, 1):
        c.set_step(n)
        node = c.record.node(step.node)
        first, last = w.editor.running_lines()
        text = "\n".join(lines[first - 1 : last])
        if node.op == "PowBackward0":
            assert text.strip() == "y = 5 * (x + 1) ** 2"
        if node.op == "AccumulateGrad":
            assert text.strip() == "x = torch.ones(2, requires_grad=True)"
        if node.name == "o":
            assert text.strip().startswith("o = ")
    with qtbot.waitSignal(c.stateChanged, timeout=10_000):
        w.editor.insertPlainText("# an edit\n")
    assert w.editor.running_lines() is None  # the spans belong to the old text


def test_the_forward_pass_builds_the_graph_statement_by_statement(make_window, qtbot):
    """Backward → Forward Pass: each statement's new nodes appear (highlighted), its line is
    lit, and the caption names what it made; then the whole graph, before backward."""
    w = make_window()
    c = w.controller
    record = c.record
    w.forward_action.trigger()
    assert w.forward_pass.active and c.step == 0
    total = w.forward_pass.frame.total
    assert total == 3  # x, y and o: the lesson's first lines make nothing o uses
    seen: set[str] = set()
    for k in range(total + 1):
        frame = w.forward_pass.show(k)
        shown = {i.node.id for i in w.scene.node_items() if i.isVisible()}
        assert shown == frame.visible and seen <= shown and frame.new == shown - seen
        assert w.scene.highlighted() == set(frame.new)
        if k:
            line = record.source.split("\n")[frame.line - 1]
            assert w.editor.running_lines() == (frame.line, frame.line)
            assert f"line {frame.line}: {line.strip()}" in w.player.caption.full_text
        seen = shown
    assert seen == {n.id for n in record.nodes}
    assert "makes AddBackward0, PowBackward0 and MulBackward0 (y)" in (
        w.forward_pass.show(2).caption
    )
    qtbot.waitUntil(lambda: not w.forward_pass.active, timeout=10_000)  # it plays on, then ends
    assert all(i.isVisible() for i in w.scene.node_items() + w.scene.edge_items())
    assert c.step == 0 and w.player.caption.full_text.startswith("Before backward")


def test_the_forward_pass_in_presenter_mode_captions_in_large(make_window, qtbot):
    w = make_window()
    w.presenter.enter()
    assert w.presenter.active
    w.forward_action.trigger()
    frame = w.forward_pass.show(1)
    assert w.presenter.caption.text() == frame.caption
    w.forward_pass.finish()
    assert w.presenter.caption.text().startswith("Before backward")
    w.presenter.leave()

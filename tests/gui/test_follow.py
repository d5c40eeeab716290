"""The view follows backward (issue: "the lit node goes off-screen"): whatever a step
lights (the running op, the leaf whose .grad an AccumulateGrad changes, the output a run
starts from) and what a forward-pass statement makes is scrolled into view, the least it
takes and without zooming; nothing moves when it is in view, or while the user drags."""

from PySide6.QtCore import QPoint, Qt

from gui.graph.view import FOLLOW_MARGIN
from tests.gui.test_fit import drawn

# micrograd's test_sanity_check, the PyTorch side: the output y sits below its op, and
# x's box above its AccumulateGrad
SANITY = (
    "x = torch.tensor([-4.0]).double()\n"
    "x.requires_grad = True\n"
    "z = 2 * x + 2 + x\n"
    "q = z.relu() + z * x\n"
    "h = (z * z).relu()\n"
    "y = h + q + q * x\n"
    "y.backward(retain_graph=True)\n"
)


def in_view(w, node_id: str) -> bool:
    box = w.scene.node_item(node_id).sceneBoundingRect()
    return w.view.mapToScene(w.view.viewport().rect()).boundingRect().contains(box)


def named(w, name: str) -> str:
    return next(n.id for n in w.controller.record.nodes if n.name == name)


def zoomed_to_corner(w) -> None:
    """Zoomed in (the graph much bigger than the view) and scrolled to its top left."""
    w.view.set_zoom(2.0)
    w.view.horizontalScrollBar().setValue(w.view.horizontalScrollBar().minimum())
    w.view.verticalScrollBar().setValue(w.view.verticalScrollBar().minimum())


def lit_in_view(w, qtbot, steps) -> list:
    """Step through `steps`; the (step, node) pairs lit but not in view."""
    missed = []
    for n in steps:
        w.controller.set_step(n)
        qtbot.wait(1)
        missed += [(n, node) for node in w.scene.lit_nodes() if not in_view(w, node)]
    return missed


def test_what_each_step_lights_is_scrolled_into_view(make_window, qtbot):
    w = make_window(SANITY)
    drawn(qtbot, w)
    record = w.controller.record
    steps = range(len(record.backward) + 1)
    assert lit_in_view(w, qtbot, steps) == []  # fitted (text at 8 px: it scrolls)
    w.controller.set_step(0)
    zoomed_to_corner(w)
    assert not in_view(w, record.output)
    w.controller.set_step(1)  # the output y, below the op that runs first
    assert record.output in w.scene.lit_nodes() and in_view(w, record.output)
    assert lit_in_view(w, qtbot, steps) == []
    x_step = next(i + 1 for i, s in enumerate(record.backward) if named(w, "x") in
                  record_lit(w, i + 1))  # fmt: skip
    w.controller.set_step(0)
    zoomed_to_corner(w)
    w.view.verticalScrollBar().setValue(w.view.verticalScrollBar().maximum())
    assert not in_view(w, named(w, "x"))
    w.controller.set_step(x_step)  # AccumulateGrad runs: x's box shows its new .grad
    assert in_view(w, named(w, "x"))
    assert w.view.zoom() == 2.0  # scrolled, never zoomed


def test_backward_again_is_followed_in_a_zoomed_view(make_window, qtbot):
    w = make_window(SANITY)
    drawn(qtbot, w)
    zoomed_to_corner(w)
    w.view.verticalScrollBar().setValue(w.view.verticalScrollBar().maximum() // 2)
    with qtbot.waitSignal(w.controller.recordChanged, timeout=60_000):
        w.controller.backward_again()
    drawn(qtbot, w)
    w.player.pause()
    record = w.controller.record
    first = w.controller.step + 1  # the second run's first step, to be played
    assert record.backward[first - 1].run == 1
    assert lit_in_view(w, qtbot, range(first, len(record.backward) + 1)) == []
    assert named(w, "x") in w.scene.lit_nodes()  # its AccumulateGrad, last


def test_following_scrolls_the_least_and_not_when_in_view(make_window, qtbot):
    w = make_window(SANITY)
    drawn(qtbot, w)
    record = w.controller.record
    w.controller.set_step(0)
    zoomed_to_corner(w)
    bars = (w.view.horizontalScrollBar(), w.view.verticalScrollBar())
    w.controller.set_step(1)
    seen = w.view.visible_rect()
    lit = w.scene.lit_nodes()
    bottom = max(w.scene.node_item(n).sceneBoundingRect().bottom() for n in lit)
    gap = (seen.bottom() - bottom) * w.view.zoom()
    assert 0 <= gap <= FOLLOW_MARGIN + 2  # came from below: just above the bottom edge
    at = [b.value() for b in bars]
    for n in range(2, len(record.backward) + 1):
        shown = all(in_view(w, node) for node in record_lit(w, n))
        w.controller.set_step(n)
        if shown:
            assert [b.value() for b in bars] == at, n  # in view already: nothing moves
        at = [b.value() for b in bars]


def record_lit(w, n: int) -> tuple[str, ...]:
    return w.scene._flow.flow.lit(n)


def test_the_view_does_not_fight_a_drag(make_window, qtbot):
    w = make_window(SANITY)
    drawn(qtbot, w)
    w.controller.set_step(0)
    zoomed_to_corner(w)
    bars = (w.view.horizontalScrollBar(), w.view.verticalScrollBar())
    at = [b.value() for b in bars]
    viewport = w.view.viewport()
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=QPoint(3, 3))
    w.controller.set_step(1)  # a clicker pressed mid-drag
    assert [b.value() for b in bars] == at
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=QPoint(3, 3))
    w.controller.set_step(2)
    assert all(in_view(w, node) for node in w.scene.lit_nodes())


def test_the_forward_pass_shows_what_each_statement_makes(make_window, qtbot):
    w = make_window(SANITY)
    drawn(qtbot, w)
    w.controller.set_step(0)
    zoomed_to_corner(w)
    w.view.verticalScrollBar().setValue(w.view.verticalScrollBar().maximum())
    forward = w.forward_pass
    k, missed = 0, []
    while True:
        frame = forward.show(k)
        missed += [(k, n) for n in frame.new if not in_view(w, n)]
        if k >= frame.total:
            break
        k += 1
    forward.finish()
    assert k > 3 and missed == []

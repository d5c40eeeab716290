"""The window at any size and text size (issue 19, item 14): the step's caption is never
cut, Ctrl+= enlarges the player's icons, the panels' titles and the graph's labels too,
at 900×600 the graph gets a fair share, and a long note (an error) doesn't move the graph."""

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QLabel

from gui.model.captions import caption_for
from tests.gui.test_fit import drawn

LONG_NOTE = (
    "o.backward() failed — PyTorch: RuntimeError: Trying to backward through the graph a "
    "second time (or directly access saved tensors after they have already been freed). "
) * 4


def caption_whole(w) -> bool:
    caption = w.player.caption
    shown = caption.text() == caption.full_text  # nothing cut with "…"
    return shown and caption.height() >= caption.heightForWidth(caption.width())  # every line


def test_the_caption_is_never_cut(make_window, qtbot):
    w = make_window()
    drawn(qtbot, w)
    w.controller.set_step(1)  # a long sentence
    assert len(w.player.caption.full_text) > 60
    qtbot.waitUntil(lambda: caption_whole(w))
    w.resize(900, 600)
    qtbot.waitUntil(lambda: caption_whole(w))
    w.scale_text(1)
    w.scale_text(1)
    qtbot.waitUntil(lambda: caption_whole(w))


def test_larger_text_enlarges_icons_titles_and_graph_labels(make_window, qtbot):
    w = make_window()
    drawn(qtbot, w)

    def sizes():
        titles = [t.font().pixelSize() for t in w.findChildren(QLabel, "paneTitle")]
        return {
            "icons": w.player.buttons[0].iconSize().height(),
            "pane titles": min(titles),
            "dock titles": min(
                w.inspector_dock.font().pixelSize(), w.chain_dock.font().pixelSize()
            ),
            "graph labels": round(w.view.zoom(), 9),
        }

    before = sizes()
    w.scale_text(1)
    after = sizes()
    assert all(after[k] > before[k] for k in before), (before, after)
    w.scale_text(0)
    assert sizes() == before


def test_at_900_by_600_the_graph_gets_a_fair_share(make_window, qtbot):
    w = make_window()
    drawn(qtbot, w)
    w.resize(900, 600)
    qtbot.wait(100)
    view = w.view.size()
    assert view.width() * view.height() >= 0.22 * 900 * 600, view  # a sixth before
    assert view.height() >= 0.45 * 600, view
    assert w.chain_dock.height() <= 110  # it kept 170, mostly empty


def test_a_long_note_does_not_move_the_graph(make_window, qtbot):
    w = make_window()
    drawn(qtbot, w)
    place = (w.view.mapTo(w, w.view.rect().topLeft()), w.view.size())
    w.controller.backwardNoteChanged.emit(LONG_NOTE)
    qtbot.wait(50)
    assert w.player.note.text() == LONG_NOTE and w.player.note.isVisible()
    assert (w.view.mapTo(w, w.view.rect().topLeft()), w.view.size()) == place
    box = w.player.note.parentWidget()
    while box is not None and box.parentWidget() is not w.view:
        box = box.parentWidget()
    assert box is not None  # over the graph, at its bottom
    assert box.geometry().bottom() < w.view.height() and box.height() < w.view.height() / 3
    w.controller.backwardNoteChanged.emit("")
    assert not w.player.note.isVisible()


def test_at_900_by_600_the_inspector_leaves_the_graph_the_width(make_window, qtbot):
    w = make_window()
    drawn(qtbot, w)
    w.resize(900, 600)
    qtbot.wait(100)
    assert w.inspector.minimumWidth() <= 200  # it kept 260 px even when empty


def test_the_note_under_a_non_leafs_grad_is_never_cut(make_window, qtbot):
    """The lesson's y (not a leaf): why its .grad is None, whole, at the Inspector's
    smallest width and wider (it was a wrapping label in the .grad field: as tall as its
    first lines, and wider than a 180 px Inspector)."""
    from core.record.lessons import NON_LEAF_GRAD

    w = make_window()
    drawn(qtbot, w)
    y = next(n.id for n in w.controller.record.nodes if n.name == "y")
    w.controller.select(y)
    inspector, label = w.inspector, w.inspector.grad_note
    assert inspector.grad.text.text() == "None"
    assert label.isVisible() and label.text().lower() in NON_LEAF_GRAD.lower()
    assert "retain_grad()" in label.text()
    for width in (inspector.minimumWidth(), 300, 480):
        w.resizeDocks([w.inspector_dock], [width], Qt.Orientation.Horizontal)
        qtbot.wait(50)
        assert abs(inspector.width() - width) <= 2, inspector.width()
        shown = label.width()
        assert label.height() >= label.heightForWidth(shown), (width, shown, label.height())
        assert label.heightForWidth(shown) > 3 * label.fontMetrics().height()  # the real text
        viewport = inspector.viewport()
        top_left = label.mapTo(viewport, label.rect().topLeft())
        box = label.rect().translated(top_left)
        seen = viewport.rect().contains(box.topLeft()) and box.right() <= viewport.width()
        assert seen and box.left() >= 0, (width, box, viewport.rect())
        assert not inspector.horizontalScrollBar().isVisible()


UNEVEN = (  # captions of one, two and three lines at 900 px: a scalar's, vectors', a sum's
    "w = torch.tensor([0.25, -1.5, 2.0, 0.125, 3.5, -0.75], requires_grad=True)\n"
    "b = torch.tensor(0.5, requires_grad=True)\n"
    "h = torch.tanh(w * 1.5 + b)\n"
    "loss = h.sum() * b\n"
    "loss.backward()\n"
)


def _lines(caption, text: str) -> int:
    metrics = caption.fontMetrics()
    box = QRect(0, 0, caption.width(), 10_000)
    height = metrics.boundingRect(box, Qt.TextFlag.TextWordWrap, text).height()
    return 1 + round((height - metrics.height()) / metrics.lineSpacing())


def _steps_keep_the_graph_still(w, qtbot, caption) -> set:
    """Step through the whole backward and back; the graph view's size at each step whose
    caption takes at most three lines (a longer one grows the caption: it is never cut)."""
    c = w.controller
    sizes = set()
    for step in [*range(c.step_count() + 1), 0]:
        c.set_step(step)
        qtbot.wait(30)  # (the layout settles)
        assert caption.height() >= caption.heightForWidth(caption.width())  # never cut
        if _lines(caption, caption.text()) <= 3:
            sizes.add((w.view.viewport().width(), w.view.viewport().height()))
    return sizes


@pytest.mark.parametrize("width", [1280, 900])
def test_stepping_never_moves_the_graph(make_window, qtbot, width):
    """The caption keeps the height of the playback's tallest (up to three lines): stepping
    through captions of one, two and three lines doesn't resize the graph above it."""
    w = make_window(UNEVEN)
    drawn(qtbot, w)
    w.resize(width, 700)
    qtbot.wait(100)
    caption = w.player.caption
    record = w.controller.record
    lines = {_lines(caption, caption_for(record, n)) for n in range(len(record.backward) + 1)}
    assert len(lines & {1, 2, 3}) > 1, lines  # (captions of different heights: it jumped)
    assert len(_steps_keep_the_graph_still(w, qtbot, caption)) == 1


def test_stepping_in_presenter_mode_never_moves_the_graph(make_window, qtbot):
    w = make_window(UNEVEN)
    drawn(qtbot, w)
    w.presenter.toggle_action.trigger()
    qtbot.waitUntil(lambda: w.presenter.active)
    qtbot.wait(200)
    assert len(_steps_keep_the_graph_still(w, qtbot, w.presenter.caption)) == 1
    w.presenter.toggle_action.trigger()


def test_a_long_playbacks_caption_room_is_measured_on_a_bounded_sample():
    """A 10,000-step playback's caption room came from all its captions: the window stalled
    a quarter of a second on each new record (make bench's ui_max_stall_ms_10k 25 -> 371)."""
    from core.record.graph import BackwardStep, GraphRecord, Node
    from gui.model import captions

    nodes = (Node(id="n0", kind="tensor", name="o"), Node(id="n1", kind="op", op="MulBackward0"))
    steps = tuple(BackwardStep(run=0, node="n1", grad_outputs=(1.0,)) for _ in range(2_000))
    record = GraphRecord(source="", output="n0", nodes=nodes, backward=steps)
    asked = []
    real = captions.caption_for
    captions.caption_for = lambda r, n, hints=True: asked.append(n) or real(r, n, hints)
    try:
        texts = captions.captions_to_fit(record)
    finally:
        captions.caption_for = real
    assert len(texts) == len(asked) == captions.ROOM_SAMPLE
    assert asked[0] == 0 and asked[-1] == 2_000  # before backward and the last step
    longer = GraphRecord(source="", output="n0", nodes=nodes, backward=steps * 5)
    assert captions.captions_to_fit(longer) == []  # a 10,000-step playback keeps no room
    short = GraphRecord(source="", output="n0", nodes=nodes, backward=steps[:5])
    assert captions.captions_to_fit(short) == [captions.caption_for(short, n) for n in range(6)]


def test_an_edited_number_keeps_the_captions_room_a_new_program_measures_it(make_window, qtbot):
    """Typing a digit makes a record with the same steps: its room is the one kept (make
    bench's 1,000-node edit spent ~10 ms measuring it again); another program measures."""
    w = make_window(UNEVEN)
    drawn(qtbot, w)
    measured = []
    real = w.player.caption.reserve
    w.player.caption.reserve = lambda texts: measured.append(1) or real(texts)
    edited = UNEVEN.replace("w * 1.5", "w * 2.5")
    with qtbot.waitSignal(w.controller.recordChanged, timeout=60_000):
        w.controller.edit(edited)
    drawn(qtbot, w)
    assert measured == [] and "2.5" in w.controller.record.source
    with qtbot.waitSignal(w.controller.recordChanged, timeout=60_000):
        w.controller.edit(UNEVEN.replace("h.sum() * b", "h.sum()"))
    drawn(qtbot, w)
    assert measured == [1]

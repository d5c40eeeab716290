"""Readable by default (issue 19, item 1): every new program's graph is fitted, the view
fits again on resize until the user zooms or pans, no zoom carries over between programs,
presenter mode fits the whole graph above its caption, text never gets smaller than
readable at fit, and the command line's PNG is big enough for a slide."""

from PySide6.QtGui import QImage

from gui.graph.view import READABLE_ZOOM
from gui.window.menus import EXAMPLES
from gui.window.presenter import MIN_ZOOM as PRESENTER_MIN_ZOOM

LOOP = (
    "x = torch.ones(3, requires_grad=True)\ny = x\n"
    "for i in range(20):\n    y = y * 1.01\n"
    "z = y.sum()\nz.backward()\n"
)


def drawn(qtbot, w):
    """Wait until the graph of the controller's record is drawn."""
    qtbot.waitUntil(
        lambda: w.graph._drawn is not None and w.graph._drawn.nodes is w.controller.record.nodes,
        timeout=60_000,
    )


def open_example(qtbot, w, name):
    with qtbot.waitSignal(w.controller.recordChanged, timeout=60_000):
        w.open_example(EXAMPLES / f"{name}.py", name)
    drawn(qtbot, w)


def focus_in_view(w) -> bool:
    record, step = w.controller.record, w.controller.step
    focus = record.backward[step - 1].node if step else record.output
    return w.view.visible_rect().contains(w.scene.node_item(focus).sceneBoundingRect())


def fitted(w) -> bool:
    """The whole graph in view, or, if that would make it unreadable, the node that runs
    (or the output) at the smallest readable zoom."""
    if every_node_in_view(w):
        return w.view.zoom() >= READABLE_ZOOM
    return abs(w.view.zoom() - READABLE_ZOOM) < 1e-9 and focus_in_view(w)


def every_node_in_view(w) -> bool:
    seen = w.view.visible_rect().adjusted(-1, -1, 1, 1)
    return all(seen.contains(i.sceneBoundingRect()) for i in w.scene.node_items())


def test_each_new_program_is_fitted_whatever_the_last_zoom(make_window, qtbot):
    w = make_window(LOOP)
    drawn(qtbot, w)
    w.view.fit_to_window()  # the 23-node loop fitted: small
    for _ in range(6):
        w.view.zoom_in()  # and then zoomed in a lot
    zoomed = w.view.zoom()
    for name in ("neuron", "mlp_loss", "used_twice"):
        open_example(qtbot, w, name)
        assert w.view.zoom() != zoomed
        assert w.view.auto_fit
        assert fitted(w), name  # the whole graph, readable; or scrolls (mlp_loss)


def test_the_view_fits_again_on_resize_until_the_user_zooms(make_window, qtbot):
    w = make_window()
    drawn(qtbot, w)
    assert every_node_in_view(w)
    small = w.view.zoom()
    w.resize(1600, 1100)
    qtbot.waitUntil(lambda: w.view.zoom() > small * 1.2)  # grows with the window
    assert every_node_in_view(w)
    w.view.zoom_in()  # the user's zoom stays through a resize
    zoom = w.view.zoom()
    w.resize(1300, 900)
    qtbot.wait(50)
    assert w.view.zoom() == zoom and not w.view.auto_fit
    w.view.fit_to_window()  # until asked to fit again
    w.resize(1280, 800)
    qtbot.waitUntil(lambda: every_node_in_view(w) and abs(w.view.zoom() - small) < 1e-6)


def test_a_tall_graph_is_shown_readable_around_the_node_that_matters(make_window, qtbot):
    tall = LOOP.replace("range(20)", "range(60)")
    w = make_window(tall)
    drawn(qtbot, w)
    assert w.view.zoom() == READABLE_ZOOM  # not a grey smear: it scrolls
    assert not every_node_in_view(w) and focus_in_view(w)


def test_presenter_mode_fits_the_whole_lesson_above_the_caption(make_window, qtbot):
    w = make_window()
    drawn(qtbot, w)
    before = w.view.zoom()
    w.presenter.enter()
    qtbot.waitUntil(lambda: w.isFullScreen() and w.presenter.caption.isVisible())
    for step in (0, 3, len(w.controller.record.backward)):
        w.controller.set_step(step)
        qtbot.waitUntil(lambda: every_node_in_view(w))  # x before backward, o after it
        assert w.view.zoom() >= PRESENTER_MIN_ZOOM
        caption_top = w.presenter.caption.mapTo(w, w.presenter.caption.rect().topLeft()).y()
        view_bottom = w.view.mapTo(w, w.view.rect().bottomLeft()).y()
        assert view_bottom < caption_top  # the caption covers none of it
    w.presenter.leave()
    qtbot.waitUntil(lambda: abs(w.view.zoom() - before) < 1e-6)


def test_the_command_lines_png_is_big_enough_for_a_slide(tmp_path):
    from main import main

    out = tmp_path / "lesson.png"
    assert main(["--export", str(out)]) == 0
    image = QImage(str(out))
    assert max(image.width(), image.height()) >= 1000, image.size()  # was 129×541
    assert main(["--export", str(tmp_path / "one.png"), "--scale", "1"]) == 0
    assert QImage(str(tmp_path / "one.png")).height() < 600  # an explicit scale is kept


def test_a_note_over_the_graph_never_covers_it(make_window, qtbot):
    """The lesson's note ("a, plain and b are not in the graph …") sits at the bottom of
    the graph's pane; the graph's viewport ends above it, so a fitted graph's output is
    never under the note (seen on a screenshot: `o` was hidden behind it)."""
    w = make_window()
    drawn(qtbot, w)
    box = w.player.note_box
    qtbot.waitUntil(lambda: not box.isHidden(), timeout=10_000)
    viewport = w.view.viewport().geometry()
    assert viewport.bottom() < box.geometry().top(), (viewport, box.geometry())
    assert fitted(w)
    w.player._on_note("")  # no note: the whole pane is the graph's again
    assert w.view.viewport().geometry().bottom() > box.geometry().top()

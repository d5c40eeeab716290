"""The graph scene: items per record, torchviz colours, and backward played step by step."""

import sys
import time

import pytest
from PySide6.QtCore import QEvent, QPointF, QRectF
from PySide6.QtWidgets import QApplication, QGraphicsRectItem, QGraphicsScene

from core.record.labels import node_lines
from gui.graph.items import NodeItem
from gui.graph.scene import GraphScene
from gui.graph.view import GraphView
from gui.model.flow import DONE, NOT_REACHED, PLAIN, RUNNING
from gui.model.theme import DARK, LIGHT


@pytest.fixture
def scene(qtbot, lesson):
    s = GraphScene()
    s.set_record(lesson)
    return s


def named(record, name, kind="tensor"):
    return next(n for n in record.nodes if n.name == name and n.kind == kind)


def test_items_match_record_one_to_one(scene, lesson):
    """One NodeItem per node at its layout box, one EdgeItem per edge, in record order."""
    assert [i.node.id for i in scene.node_items()] == [n.id for n in lesson.nodes]
    assert [i.edge for i in scene.edge_items()] == list(lesson.edges)
    for node in lesson.nodes:
        item = scene.node_item(node.id)
        assert (item.pos().x(), item.pos().y()) == (node.x, node.y)
        assert (item.rect.width(), item.rect.height()) == (node.width, node.height)
    assert len(scene.items()) == len(lesson.nodes) + len(lesson.edges)


def test_node_text_is_the_layouts_lines(scene, lesson):
    """Each box shows exactly core.record.labels.node_lines (the text the layout sized it for)."""
    for node in lesson.nodes:
        assert scene.node_item(node.id).lines == node_lines(node, True)


def test_edges_run_from_source_box_to_target_box(qtbot, twice):
    """Each edge's spline starts at its source's box and its arrow ends at its target's."""
    s = GraphScene()
    s.set_record(twice)
    for item in s.edge_items():
        source = s.node_item(item.edge.source).sceneBoundingRect().adjusted(-2, -2, 2, 2)
        target = s.node_item(item.edge.target).sceneBoundingRect().adjusted(-2, -2, 2, 2)
        end = item.arrow.boundingRect() if not item.arrow.isEmpty() else item.path
        end_point = end.center() if isinstance(end, QRectF) else end.currentPosition()
        assert source.contains(item.path.pointAtPercent(0)), item.edge
        assert target.contains(end_point), item.edge
        assert item.arrow.isEmpty() == (item.edge.kind == "saved")


def test_node_fills_are_torchviz_colours(qtbot, view):
    """Leaf light blue, output darkolivegreen1, view base darkolivegreen3, saved orange,
    ops light grey."""
    s = GraphScene()
    s.set_record(view)
    fills = {}
    for node in view.nodes:
        key = node.kind if node.kind != "tensor" else node.role
        fills.setdefault(key, set()).add(s.node_item(node.id).fill_color().name())
    assert fills == {
        "leaf": {"#add8e6"},
        "output": {"#caff70"},
        "base": {"#a2cd5a"},
        "saved": {"#ffa500"},
        "op": {"#d3d3d3"},
    }


def test_set_step_follows_the_recorded_order(scene, lesson):
    """At step n the nth recorded node runs, earlier ones are done, later not reached."""
    ops = [n.id for n in lesson.nodes if n.kind == "op"]
    assert {scene.node_item(i).state for i in ops} == {PLAIN}
    order = [s.node for s in lesson.backward]
    for n in range(len(order) + 1):
        scene.set_step(n)
        for k, node_id in enumerate(order, start=1):
            expected = RUNNING if k == n else DONE if k < n else NOT_REACHED
            assert scene.node_item(node_id).state == expected, (n, node_id)


def test_x_grad_appears_at_the_accumulate_grad_step(scene, lesson):
    """x's box says grad None until AccumulateGrad runs, then [10., 10.]."""
    x = named(lesson, "x")
    acc = next(
        k for k, s in enumerate(lesson.backward, 1) if lesson.node(s.node).op == "AccumulateGrad"
    )
    item = scene.node_item(x.id)
    scene.set_step(acc - 1)
    assert item.lines[-1] == "grad  None"
    scene.set_step(acc)
    assert item.lines[-1] == "grad  [10., 10.]"
    assert scene.node_item(lesson.backward[acc - 1].node).state == RUNNING


def test_gradient_edges_are_emphasised_and_labelled(scene, lesson):
    """When PowBackward0 runs, the edge it sends [10., 10.] along is labelled with it."""
    pow_step = next(
        k for k, s in enumerate(lesson.backward, 1) if lesson.node(s.node).op == "PowBackward0"
    )
    scene.set_step(pow_step)
    carrying = [e for e in scene.edge_items() if e.carrying]
    assert [(lesson.node(e.edge.target).op, e.label) for e in carrying] == [
        ("PowBackward0", "[10., 10.]")
    ]
    scene.set_step(None)
    assert not any(e.carrying or e.label for e in scene.edge_items())


def test_parallel_edges_get_separate_labels(qtbot, twice):
    """c * c sends a gradient along two edges: both labelled, the labels not overlapping."""
    s = GraphScene()
    s.set_record(twice)
    mul = next(
        k for k, st in enumerate(twice.backward, 1) if twice.node(st.node).op == "MulBackward0"
    )
    s.set_step(mul)
    labelled = [e for e in s.edge_items() if e.label]
    assert [e.label for e in labelled] == ["[2., 2.]", "[2., 2.]"]
    first, second = (e.label_rect() for e in labelled)
    assert not first.intersects(second)
    assert all(s.sceneRect().contains(e.label_rect()) for e in labelled)


def test_a_step_touches_only_changed_items(qtbot, chain, monkeypatch):
    """Stepping once on a 1,000-node chain updates a handful of items, not all of them."""
    s = GraphScene()
    s.set_record(chain)
    s.set_step(500)
    touched = []
    monkeypatch.setattr(NodeItem, "update", lambda self, *a: touched.append(self.node.id))
    s.set_step(501)
    assert 1 <= len(touched) <= 4
    assert chain.backward[500].node in touched


def test_window_activation_does_not_visit_every_item(qtbot, chain):
    """The window (de)activated (alt-tab, the graph page shown or hidden) reaches no item:
    Qt's own handling sorts and visits every one of them, each time."""
    s = GraphScene()
    s.set_record(chain)
    seen = []

    class Spy(QGraphicsRectItem):
        def sceneEventFilter(self, watched, event):  # noqa: N802
            seen.append(event.type())
            return False

    spy = Spy()
    s.addItem(spy)
    for item in s.node_items()[:3]:
        item.installSceneEventFilter(spy)
    for kind in (QEvent.Type.WindowActivate, QEvent.Type.WindowDeactivate):
        QApplication.sendEvent(s, QEvent(kind))
    assert seen == []
    QGraphicsScene.event(s, QEvent(QEvent.Type.WindowActivate))  # what Qt alone would do
    assert seen == [QEvent.Type.WindowActivate] * 3


def test_step_repaint_on_1000_nodes_is_measured(qtbot, chain):
    """Reports the median time of one step plus the repaint it causes, on ~1,000 nodes."""
    s = GraphScene(cache=True)
    s.set_record(chain)
    view = GraphView(s)
    qtbot.addWidget(view)
    view.resize(1200, 800)
    view.show()
    view.actual_size()
    times = []
    for n in range(400, 440):
        view.show_node(chain.backward[n].node)
        view.viewport().repaint()
        start = time.perf_counter()
        s.set_step(n + 1)
        view.viewport().repaint()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    print(f"\nstep + repaint, {len(chain.nodes)} nodes: median {times[len(times) // 2]:.2f} ms")
    assert s.node_item(chain.backward[439].node).state == RUNNING
    assert len(chain.nodes) >= 1000


def test_show_values_toggles_value_lines(scene, lesson):
    """Without values, x's box is just its name and shape."""
    x = named(lesson, "x")
    scene.set_show_values(False)
    assert scene.node_item(x.id).lines == ["x", "(2)"]
    scene.set_show_values(True)
    assert scene.node_item(x.id).lines[-1] == "grad  [10., 10.]"


def test_set_theme_changes_background_and_colours(scene, lesson):
    """The dark theme repaints the background; the box fills stay torchviz's."""
    scene.set_theme(DARK)
    assert scene.backgroundBrush().color().name() == DARK.background
    assert scene.node_item(named(lesson, "x").id).fill_color().name() == "#add8e6"
    scene.set_theme(LIGHT)
    assert scene.backgroundBrush().color().name() == "#ffffff"


def test_highlight_marks_exactly_the_given_nodes(scene, lesson):
    """highlight(ids) marks those nodes and unmarks the rest; [] clears."""
    ids = [n.id for n in lesson.nodes if n.name == "y"]
    scene.highlight(ids + ["no-such-node"])
    assert {i.node.id for i in scene.node_items() if i.highlighted} == set(ids)
    scene.highlight([])
    assert not any(i.highlighted for i in scene.node_items())


def test_selecting_a_node_emits_its_id(qtbot, scene, lesson):
    """Selecting a box emits nodeSelected with its id; clearing emits ""."""
    x = named(lesson, "x")
    with qtbot.waitSignal(scene.nodeSelected) as sig:
        scene.select(x.id)
    assert sig.args == [x.id]
    with qtbot.waitSignal(scene.nodeSelected) as sig:
        scene.select("")
    assert sig.args == [""]


def test_hovering_a_node_emits_its_id(qtbot, scene, lesson):
    """Moving the mouse onto a box emits nodeHovered with its id, and "" off it."""
    view = GraphView(scene)
    qtbot.addWidget(view)
    view.resize(400, 700)
    view.show()
    view.actual_size()
    qtbot.waitExposed(view)
    x = named(lesson, "x")
    inside = view.mapFromScene(QPointF(x.x + x.width / 2, x.y + x.height / 2))
    with qtbot.waitSignal(scene.nodeHovered) as sig:
        qtbot.mouseMove(view.viewport(), inside)
    assert sig.args == [x.id]
    outside = view.mapFromScene(QPointF(x.x - 6, x.y + x.height + 20))
    with qtbot.waitSignal(scene.nodeHovered) as sig:
        qtbot.mouseMove(view.viewport(), outside)
    assert sig.args == [""]


def test_many_void_calls_keep_none_alive(qtbot, lesson):
    """100k item.setPos calls leave None's refcount alone (PySide6 6.12 broke this)."""
    s = GraphScene()
    s.set_record(lesson)
    item = s.node_items()[0]
    before = sys.getrefcount(None)
    for i in range(100_000):
        item.setPos(i % 7, 0)
    assert sys.getrefcount(None) >= before - 100


def test_a_same_shape_records_flow_shares_the_edge_maps_and_says_the_same(worker):
    """A record with the very same edges as the last (the worker reused its layout)
    takes the last flow's edge maps; states and carried gradients at every step are
    those of a flow made from scratch. Nodes of other kinds get maps of their own."""
    from dataclasses import replace

    from gui.model.flow import BackwardFlow

    program = "x = torch.ones(3, requires_grad=True)\ny = x\nfor i in range(6):\n" \
        "    y = torch.sin(y) * {k} + x\nloss = y.sum()\nloss.backward()\n"  # fmt: skip
    first = worker.evaluate(program.format(k=2))
    second = worker.evaluate(program.format(k=3))
    assert second.edges is first.edges
    last = BackwardFlow(first)
    shared, fresh = BackwardFlow(second, like=last), BackwardFlow(second)
    assert shared._into is last._into and shared._follows is last._follows
    for n in [None, *range(len(second.backward) + 1)]:
        assert shared.node_states(n) == fresh.node_states(n)
        assert shared.gradient_edges(n) == fresh.gradient_edges(n)
    assert any(shared.gradient_edges(n) != last.gradient_edges(n) for n in range(1, 9))
    output = next(i for i, node in enumerate(second.nodes) if node.role == "output")
    nodes = list(second.nodes)
    nodes[output] = replace(nodes[output], role="base")  # backward no longer starts there
    other = BackwardFlow(replace(second, nodes=tuple(nodes)), like=last)
    assert last._seed_edges and other._seed_edges == {}


@pytest.mark.parametrize("zoom", [1.0, 0.05])
def test_a_same_shape_edit_shows_the_new_values_at_any_zoom(qtbot, worker, zoom):
    """After an edit that keeps the graph's shape, the window's scene (boxes cached as
    pictures) shows exactly what a scene built anew for the new record shows: close up,
    with the new values; zoomed out (no text to show: nothing drawn again), and then
    zoomed in, with the new values too."""
    from gui.graph.view import GraphView as View

    program = "x = torch.tensor([{v}], requires_grad=True)\ny = x * 3\nz = y.sum()\nz.backward()\n"
    old = worker.evaluate(program.format(v="1.5, 2.5"), show_values=True)
    new = worker.evaluate(program.format(v="7.5, 8.5"), show_values=True)
    assert new.edges is old.edges  # the worker reused the layout

    def shown(record, refreshed_from=None):
        scene = GraphScene(cache=True, show_values=True)
        scene.set_record(refreshed_from or record, len(record.backward))
        view = View(scene)
        view.resize(500, 500)
        view.resetTransform()
        view.scale(zoom, zoom)
        view.centerOn(record.width / 2, record.height / 2)
        view.show()
        qtbot.waitExposed(view)
        QApplication.processEvents()
        before = view.viewport().grab().toImage()
        if refreshed_from is not None:
            assert scene.refresh(record, len(record.backward))
            QApplication.processEvents()
        return view, before, view.viewport().grab().toImage()

    fresh_view, _, fresh = shown(new)
    view, before, after = shown(new, refreshed_from=old)
    if zoom == 1.0:
        assert after == fresh and after != before
    else:  # the boxes look the same: nothing was drawn again (cached pictures may differ
        # (a gradient label's box, by Graphviz's spot, follows its text's width: the edge
        # under it is drawn again, a few pixels of antialiasing apart)
        assert _pixels_differing(after, before) <= 40  # from ones drawn anew by antialiasing)
        assert _pixels_differing(after, fresh) <= 40
    for v in (fresh_view, view):
        v.resetTransform()
        v.centerOn(new.width / 2, new.height / 2)
    QApplication.processEvents()
    assert view.viewport().grab().toImage() == fresh_view.viewport().grab().toImage()


def _pixels_differing(a, b) -> int:
    data_a, data_b = bytes(a.constBits()), bytes(b.constBits())
    assert len(data_a) == len(data_b)
    return sum(data_a[i : i + 4] != data_b[i : i + 4] for i in range(0, len(data_a), 4))

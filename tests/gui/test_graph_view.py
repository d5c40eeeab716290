"""The graph view: fit, 1:1, keyboard and wheel zoom, drag to pan."""

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QPainter, QWheelEvent
from PySide6.QtWidgets import QApplication, QGraphicsView

from gui.graph.scene import GraphScene
from gui.graph.view import GraphView


@pytest.fixture
def view(qtbot, lesson):
    scene = GraphScene()
    scene.set_record(lesson)
    v = GraphView(scene)
    qtbot.addWidget(v)
    v.resize(500, 400)
    v.show()
    qtbot.waitExposed(v)
    return v


def visible(view):
    return view.mapToScene(view.viewport().rect()).boundingRect()


def test_fit_to_window_shows_the_whole_graph(view):
    """After fit_to_window the whole scene is inside the viewport (when its text stays
    readable: see tests/gui/test_fit.py for when it doesn't)."""
    view.min_fit_zoom = 0.5
    view.actual_size()
    assert not visible(view).contains(view.scene().sceneRect())
    view.fit_to_window()
    assert visible(view).adjusted(-1, -1, 1, 1).contains(view.scene().sceneRect())
    assert view.zoom() < 1


def test_actual_size_is_one_point_per_pixel(view):
    """actual_size() resets the zoom to 1 and emits zoomChanged(1.0)."""
    view.fit_to_window()
    view.actual_size()
    assert view.zoom() == 1.0


def test_ctrl_keys_zoom(qtbot, view):
    """Ctrl+= zooms in, Ctrl+- zooms out, Ctrl+0 is 1:1 again."""
    view.actual_size()
    view.setFocus()
    with qtbot.waitSignal(view.zoomChanged):
        qtbot.keyClick(view, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    assert view.zoom() == pytest.approx(1.25)
    qtbot.keyClick(view, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(view, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert view.zoom() == pytest.approx(0.8)
    qtbot.keyClick(view, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert view.zoom() == 1.0


def test_wheel_zooms_about_the_mouse(view):
    """A wheel notch zooms in, and the scene point under the mouse stays under it."""
    view.resize(300, 300)
    view.set_zoom(3.0)  # the graph overflows both ways, so the view can scroll to follow
    view.centerOn(view.scene().sceneRect().center())
    at = QPoint(110, 130)
    before = view.mapToScene(at)
    event = QWheelEvent(
        QPointF(at),
        QPointF(view.viewport().mapToGlobal(at)),
        QPoint(0, 0),
        QPoint(0, 120),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(view.viewport(), event)
    assert view.zoom() > 1.1
    after = view.mapToScene(at)
    assert abs(after.x() - before.x()) < 2 and abs(after.y() - before.y()) < 2


def test_view_is_antialiased_and_pans_by_dragging(view):
    """Antialiasing and smooth pixmaps are on; dragging the background pans."""
    hints = view.renderHints()
    assert hints & QPainter.RenderHint.Antialiasing
    assert hints & QPainter.RenderHint.SmoothPixmapTransform
    assert view.dragMode() == QGraphicsView.DragMode.ScrollHandDrag

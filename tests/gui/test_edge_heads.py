"""A gradient's edge points the way the gradient goes: from the op that sends it back to
its input (issue 19, item 8)."""

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QColor, QImage, QPainter

from gui.graph.scene import GraphScene
from gui.model.theme import LIGHT

ZOOM = 4.0


def widest_run(image: QImage, colour: QColor, rows: range) -> int:
    """The widest run of pixels near `colour` in these rows."""
    widest = 0
    for y in rows:
        run = 0
        for x in range(image.width()):
            c = image.pixelColor(x, y)
            near = all(
                abs(a - b) < 60 for a, b in zip(c.getRgb()[:3], colour.getRgb()[:3], strict=True)
            )
            run = run + 1 if near else 0
            widest = max(widest, run)
    return widest


def ends(scene: GraphScene, item) -> tuple[int, int]:
    """The widest stroke of gradient colour just below the source's box and just above
    the target's (the lesson's edges run straight down)."""
    start = item.path.pointAtPercent(0)
    end = QPointF(item.arrow.elementAt(0).x, item.arrow.elementAt(0).y)
    box = QRectF(start.x() - 5, start.y(), 10, end.y() - start.y())
    image = QImage(int(box.width() * ZOOM), int(box.height() * ZOOM), QImage.Format.Format_RGB32)
    image.fill(QColor(LIGHT.background))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    scene.render(painter, QRectF(image.rect()), box)
    painter.end()
    colour = QColor(LIGHT.gradient)
    # within the arrowhead's length of each end (clear of a running box's glow)
    rows_at_source = range(int(3 * ZOOM), int(7 * ZOOM))
    rows_at_target = range(image.height() - int(7 * ZOOM), image.height() - int(3 * ZOOM))
    return widest_run(image, colour, rows_at_source), widest_run(image, colour, rows_at_target)


def test_a_lit_edge_points_back_to_the_input(qtbot, lesson):
    scene = GraphScene(theme=LIGHT)
    scene.set_record(lesson, len(lesson.backward))
    lit = [i for i in scene.edge_items() if i.carrying]
    assert lit
    for item in lit:
        at_source, at_target = ends(scene, item)
        head = 2 * 3.5 * ZOOM * 0.6  # most of the head's width, 7 points across
        assert at_source >= head > at_target, (item.edge, at_source, at_target)
        assert item.head().boundingRect().contains(item.path.pointAtPercent(0))
    plain = next(i for i in scene.edge_items() if not i.carrying and i.edge.kind == "data")
    assert plain.head() is plain.arrow  # the others point forward, as torchviz draws them

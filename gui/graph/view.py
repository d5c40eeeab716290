"""The view onto the graph: zoom (wheel, pinch, Ctrl+= / Ctrl+-), pan by dragging, fit, 1:1.

At zoom 1 one point of the layout is one device-independent pixel; Qt scales to the
screen's device pixel ratio itself and the items are vector-drawn, so text stays crisp
at any zoom and on high-DPI screens.
"""

from __future__ import annotations

import contextlib

from PySide6.QtCore import (
    QEasingCurve,
    QEvent,
    QPoint,
    QPointF,
    QRectF,
    Qt,
    QVariantAnimation,
    Signal,
)
from PySide6.QtGui import QKeyEvent, QKeySequence, QNativeGestureEvent, QPainter, QWheelEvent
from PySide6.QtWidgets import QGestureEvent, QGraphicsScene, QGraphicsView, QPinchGesture, QWidget

MIN_ZOOM, MAX_ZOOM = 0.002, 16.0  # 0.002 still fits a 10,000-node chain
MAX_FIT_ZOOM = 3.0  # fitting a tiny graph into a big window shouldn't blow it up further
KEY_STEP = 1.25
WHEEL_BASE = 1.0015  # zoom factor per eighth of a degree of wheel turn (120 = one notch: ×1.2)
GLIDE_MS = 200  # how long following a node takes when `smooth_follow` is on


class GraphView(QGraphicsView):
    """A QGraphicsView for the graph scene, with the zoom and pan people expect."""

    zoomChanged = Signal(float)  # the new zoom (1.0 = actual size)  # noqa: N815

    def __init__(self, scene: QGraphicsScene | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        if scene is not None:
            self.setScene(scene)
        self.setRenderHints(
            QPainter.RenderHint.Antialiasing
            | QPainter.RenderHint.TextAntialiasing
            | QPainter.RenderHint.SmoothPixmapTransform
        )
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.SmartViewportUpdate)
        self.setCacheMode(QGraphicsView.CacheModeFlag.CacheBackground)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.viewport().grabGesture(Qt.GestureType.PinchGesture)
        self.smooth_follow = False  # show_node glides there (presenter mode) instead of jumping
        self.glide = QVariantAnimation(self)
        self.glide.setDuration(GLIDE_MS)
        self.glide.setEasingCurve(QEasingCurve.Type.OutCubic)
        self.glide.valueChanged.connect(self._glide_step)

    def zoom(self) -> float:
        """The current scale: 1.0 is actual size."""
        return self.transform().m11()

    def set_zoom(self, value: float, anchor: QPoint | None = None) -> None:
        """Zoom to `value` (clamped), keeping the scene point under `anchor` (a viewport
        position) in place, or the view's centre without one."""
        self.zoom_by(value / self.zoom(), anchor)

    def zoom_by(self, factor: float, anchor: QPoint | None = None) -> None:
        current = self.zoom()
        target = min(max(current * factor, MIN_ZOOM), MAX_ZOOM)
        if abs(target - current) < 1e-9:
            return
        if anchor is None:
            self.scale(target / current, target / current)
        else:
            before = self.mapToScene(anchor)
            self.scale(target / current, target / current)
            moved = self.mapFromScene(before) - anchor
            self.horizontalScrollBar().setValue(self.horizontalScrollBar().value() + moved.x())
            self.verticalScrollBar().setValue(self.verticalScrollBar().value() + moved.y())
        self.zoomChanged.emit(self.zoom())

    def zoom_in(self) -> None:
        self.zoom_by(KEY_STEP)

    def zoom_out(self) -> None:
        self.zoom_by(1 / KEY_STEP)

    def fit_to_window(self) -> None:
        """The whole graph in view (not enlarged past MAX_FIT_ZOOM)."""
        if self.scene() is None or self.scene().sceneRect().isEmpty():
            return
        self.fitInView(self.scene().sceneRect(), Qt.AspectRatioMode.KeepAspectRatio)
        if self.zoom() > MAX_FIT_ZOOM:
            self.set_zoom(MAX_FIT_ZOOM)
        self.zoomChanged.emit(self.zoom())

    def actual_size(self) -> None:
        """1:1 — one point of the layout per device-independent pixel."""
        self.resetTransform()
        self.zoomChanged.emit(self.zoom())

    def show_node(self, node_id: str) -> None:
        """Scroll (without zooming) so that this node's box is in view; with
        `smooth_follow`, glide to centre it unless it is in view already."""
        scene = self.scene()
        if scene is not None and hasattr(scene, "node_item"):
            with contextlib.suppress(KeyError):
                item = scene.node_item(node_id)
                if self.smooth_follow:
                    self.glide_to(item.sceneBoundingRect())
                else:
                    self.ensureVisible(item, 24, 24)

    def visible_rect(self) -> QRectF:
        """The part of the scene in view."""
        return self.mapToScene(self.viewport().rect()).boundingRect()

    def glide_to(self, rect: QRectF) -> None:
        """Centre on `rect` in GLIDE_MS, easing out; nothing moves if it is in view."""
        self.glide.stop()
        if self.visible_rect().contains(rect):
            return
        self.glide.setStartValue(self.visible_rect().center())
        self.glide.setEndValue(rect.center())
        self.glide.start()

    def _glide_step(self, point: QPointF) -> None:
        self.centerOn(point)

    # --- input ----------------------------------------------------------------------
    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802
        """A mouse wheel zooms; a touchpad's two-finger scroll pans unless Ctrl is held
        (touchpads send pinches as Ctrl+wheel on some systems)."""
        ctrl = bool(event.modifiers() & Qt.KeyboardModifier.ControlModifier)
        if not event.pixelDelta().isNull() and not ctrl:
            super().wheelEvent(event)
            return
        steps = event.angleDelta().y() or event.angleDelta().x()
        if steps:
            self.zoom_by(WHEEL_BASE**steps, event.position().toPoint())
        event.accept()

    def viewportEvent(self, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Gesture and isinstance(event, QGestureEvent):
            pinch = event.gesture(Qt.GestureType.PinchGesture)
            if isinstance(pinch, QPinchGesture):
                centre = self.viewport().mapFromGlobal(pinch.centerPoint().toPoint())
                self.zoom_by(pinch.scaleFactor(), centre)
                event.accept()
                return True
        if event.type() == QEvent.Type.NativeGesture and isinstance(event, QNativeGestureEvent):
            if event.gestureType() == Qt.NativeGestureType.ZoomNativeGesture:
                self.zoom_by(1.0 + event.value(), event.position().toPoint())
                return True
        return super().viewportEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if _is_zoom_in(event):
            self.zoom_in()
        elif event.matches(QKeySequence.StandardKey.ZoomOut) or _ctrl_key(event, Qt.Key.Key_Minus):
            self.zoom_out()
        elif _ctrl_key(event, Qt.Key.Key_0):
            self.actual_size()
        else:
            super().keyPressEvent(event)
            return
        event.accept()


def _ctrl_key(event: QKeyEvent, key: Qt.Key) -> bool:
    return event.key() == key and bool(event.modifiers() & Qt.KeyboardModifier.ControlModifier)


def _is_zoom_in(event: QKeyEvent) -> bool:
    """Ctrl+= as well as Ctrl++ (on most keyboards + needs Shift, so people press =)."""
    return (
        event.matches(QKeySequence.StandardKey.ZoomIn)
        or _ctrl_key(event, Qt.Key.Key_Equal)
        or _ctrl_key(event, Qt.Key.Key_Plus)
    )

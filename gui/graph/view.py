"""The view onto the graph: zoom (wheel, pinch, Ctrl+= / Ctrl+-), pan by dragging, fit, 1:1.

Fitting is a mode, not a one-off: a new document's graph starts fitted, and the view
fits again whenever it is resized or shows a new graph, until the user zooms or pans
(`auto_fit`); Fit to Window turns it back on. A fit never makes the graph's text smaller
than `min_fit_zoom` allows (8 px by default): a graph too big for that is shown at that
zoom, around the node that matters (`focus`), and scrolls.

At zoom 1 one point of the layout is one device-independent pixel; Qt scales to the
screen's device pixel ratio itself and the items are vector-drawn, so text stays crisp
at any zoom and on high-DPI screens.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Iterable

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
from PySide6.QtGui import (
    QKeyEvent,
    QKeySequence,
    QMouseEvent,
    QNativeGestureEvent,
    QPainter,
    QResizeEvent,
    QTransform,
    QWheelEvent,
)
from PySide6.QtWidgets import QGestureEvent, QGraphicsScene, QGraphicsView, QPinchGesture, QWidget

MIN_ZOOM, MAX_ZOOM = 0.002, 16.0  # 0.002 still fits a 10,000-node chain
MAX_FIT_ZOOM = 3.0  # fitting a tiny graph into a big window shouldn't blow it up further
READABLE_ZOOM = 0.8  # the graph's 10-point text no smaller than 8 pixels at fit
KEY_STEP = 1.25
WHEEL_BASE = 1.0015  # zoom factor per eighth of a degree of wheel turn (120 = one notch: ×1.2)
FOLLOW_MARGIN = 24  # px left between a node the view follows and its edge
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
        self.auto_fit = False  # fit on every resize and new graph, until the user zooms or pans
        self.reserved = 0  # px at the bottom kept for a note over the graph (`reserve_bottom`)
        self.min_fit_zoom = READABLE_ZOOM
        self.max_fit_zoom = MAX_FIT_ZOOM
        self.focus: tuple[str, ...] = ()  # what to show when the whole graph can't be
        # shown readable: the boxes the step lights, the running op first (or the output)
        self._dragging = False  # the left button is down on the view: the user may be panning
        for bar in (self.horizontalScrollBar(), self.verticalScrollBar()):
            bar.actionTriggered.connect(self._on_scroll_bar)  # the user's own scrolling only

    def zoom(self) -> float:
        """The current scale: 1.0 is actual size."""
        return self.transform().m11()

    def set_zoom(self, value: float, anchor: QPoint | None = None) -> None:
        """Zoom to `value` (clamped), keeping the scene point under `anchor` (a viewport
        position) in place, or the view's centre without one. Ends `auto_fit`."""
        self.zoom_by(value / self.zoom(), anchor)

    def zoom_by(self, factor: float, anchor: QPoint | None = None) -> None:
        """Zoom by `factor`, as the user does (the view stops fitting itself)."""
        self.auto_fit = False
        self._zoom_by(factor, anchor)

    def _zoom_by(self, factor: float, anchor: QPoint | None = None) -> None:
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
        """Fit the graph, and keep fitting it (see `auto_fit`)."""
        self.auto_fit = True
        self.fit()

    def fit(self) -> None:
        """The whole graph in view (not enlarged past `max_fit_zoom`); if that would make
        its text smaller than `min_fit_zoom` allows, that zoom around `focus` instead."""
        if self.scene() is None or self.scene().sceneRect().isEmpty():
            return
        rect = self.scene().sceneRect()
        self.fitInView(rect, Qt.AspectRatioMode.KeepAspectRatio)
        zoom = min(self.zoom(), self.max_fit_zoom)
        if zoom < self.min_fit_zoom:
            self.setTransform(QTransform.fromScale(self.min_fit_zoom, self.min_fit_zoom))
            self.centerOn(self._focus_point(rect))
            self._follow(self.focus, glide=False)  # the rest of what the step lights
        elif zoom != self.zoom():
            self.setTransform(QTransform.fromScale(zoom, zoom))
            self.centerOn(rect.center())
        self.zoomChanged.emit(self.zoom())

    def reserve_bottom(self, pixels: int) -> None:
        """Keep `pixels` at the bottom out of the graph's viewport (a note sits there), so
        a fitted graph is never under the note; refit if fitting."""
        if pixels == self.reserved:
            return
        self.reserved = pixels
        self.setViewportMargins(0, 0, 0, pixels)
        if self.auto_fit:
            self.fit()

    def fits_whole(self) -> bool:
        """Whether the whole graph is in view."""
        scene = self.scene()
        return scene is not None and self.visible_rect().adjusted(-1, -1, 1, 1).contains(
            scene.sceneRect()
        )

    def _focus_point(self, rect: QRectF) -> QPointF:
        scene = self.scene()
        if self.focus and hasattr(scene, "node_item"):
            with contextlib.suppress(KeyError):
                return scene.node_item(self.focus[0]).sceneBoundingRect().center()
        return rect.center()

    def actual_size(self) -> None:
        """1:1 — one point of the layout per device-independent pixel."""
        self.auto_fit = False
        self.resetTransform()
        self.zoomChanged.emit(self.zoom())

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        if self.auto_fit:
            self.fit()

    def _on_scroll_bar(self, _action: int) -> None:
        self.auto_fit = False

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        self._dragging = bool(event.buttons() & Qt.MouseButton.LeftButton)
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        self._dragging = bool(event.buttons() & Qt.MouseButton.LeftButton)
        super().mouseReleaseEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        """Dragging the background pans: the view stops fitting itself."""
        before = (self.horizontalScrollBar().value(), self.verticalScrollBar().value())
        super().mouseMoveEvent(event)
        after = (self.horizontalScrollBar().value(), self.verticalScrollBar().value())
        if after != before and event.buttons() & Qt.MouseButton.LeftButton:
            self.auto_fit = False

    def show_node(self, node_id: str) -> None:
        self.show_nodes((node_id,))

    def show_nodes(self, node_ids: Iterable[str]) -> None:
        """Scroll (never zoom) the least that brings these boxes wholly into view, with
        FOLLOW_MARGIN pixels to spare; if they can't all be shown, the first one. Nothing
        moves if they are all in view already, or while the user drags the graph. With
        `smooth_follow` (presenter mode) it glides there, centring them."""
        self._follow(node_ids, glide=self.smooth_follow)

    def _follow(self, node_ids: Iterable[str], glide: bool) -> None:
        rects = self._rects_of(node_ids)
        if not rects or self._dragging:
            return
        whole = rects[0]
        for rect in rects[1:]:
            whole = whole.united(rect)
        seen = self.visible_rect()
        if seen.contains(whole):
            if glide:
                self.glide.stop()  # (a glide to an earlier step's box)
            return
        if glide:
            fits = whole.width() <= seen.width() and whole.height() <= seen.height()
            self.glide_to(whole if fits else rects[0])
            return
        margin = FOLLOW_MARGIN / self.zoom()
        dx = _shift(whole.left(), whole.right(), rects[0].left(), rects[0].right(),
                    seen.left(), seen.right(), margin)  # fmt: skip
        dy = _shift(whole.top(), whole.bottom(), rects[0].top(), rects[0].bottom(),
                    seen.top(), seen.bottom(), margin)  # fmt: skip
        for bar, delta in ((self.horizontalScrollBar(), dx), (self.verticalScrollBar(), dy)):
            if delta:
                bar.setValue(bar.value() + math.ceil(abs(delta) * self.zoom()) * _sign(delta))

    def _rects_of(self, node_ids: Iterable[str]) -> list[QRectF]:
        scene = self.scene()
        if scene is None or not hasattr(scene, "node_item"):
            return []
        rects = []
        for node_id in node_ids:
            with contextlib.suppress(KeyError):
                item = scene.node_item(node_id)
                if item.isVisible():
                    rects.append(item.sceneBoundingRect())
        return rects

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
            self.auto_fit = False  # the user pans
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


def _shift(lo: float, hi: float, first_lo: float, first_hi: float,
           view_lo: float, view_hi: float, margin: float) -> float:  # fmt: skip
    """How far to scroll along one axis (scene units) so that lo..hi is in view_lo..view_hi
    with `margin` to spare (less if there is no room): 0 if it is in view already; the
    first box's first_lo..first_hi instead if lo..hi is longer than the view; a box longer
    than the view is centred."""
    if lo >= view_lo and hi <= view_hi:
        return 0.0
    room = view_hi - view_lo
    if hi - lo > room:
        lo, hi = first_lo, first_hi
        if lo >= view_lo and hi <= view_hi:
            return 0.0
    if hi - lo > room:
        return (lo + hi - view_lo - view_hi) / 2
    margin = min(margin, (room - (hi - lo)) / 2)
    if lo - margin < view_lo:
        return lo - margin - view_lo
    return max(0.0, hi + margin - view_hi)


def _sign(x: float) -> int:
    return 1 if x > 0 else -1


def _ctrl_key(event: QKeyEvent, key: Qt.Key) -> bool:
    return event.key() == key and bool(event.modifiers() & Qt.KeyboardModifier.ControlModifier)


def _is_zoom_in(event: QKeyEvent) -> bool:
    """Ctrl+= as well as Ctrl++ (on most keyboards + needs Shift, so people press =)."""
    return (
        event.matches(QKeySequence.StandardKey.ZoomIn)
        or _ctrl_key(event, Qt.Key.Key_Equal)
        or _ctrl_key(event, Qt.Key.Key_Plus)
    )

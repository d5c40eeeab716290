"""Backward → Forward Pass: the graph built statement by statement, before backward.

Each statement that made part of the graph shows its new nodes (highlighted) with every
node made before, lights its source line in the editor, and captions what it made
("Forward 2/3 · line 9: y = 5 * (x + 1) ** 2 · makes AddBackward0, PowBackward0 and
MulBackward0 (y)"); then the whole graph is back, before backward, ready to play it. The
frames are the playback model's (`Playback.forward_frame`); this only draws them. Any step
of the player, or a new record, ends it at once.
"""

from __future__ import annotations

from typing import cast

from PySide6.QtCore import QObject, QTimer

from gui.model.playback import ForwardFrame, playback_of
from gui.panels.player import SPEEDS
from gui.window.interface import Window

STATEMENT_MS = 900  # each statement stays this long at 1× speed


class ForwardPass(QObject):
    """Plays the forward pass over the window's graph (`start`; `show(k)` for one frame)."""

    def __init__(self, window: Window) -> None:
        super().__init__(cast(QObject, window))
        self.w = window
        self.k: int | None = None  # the statement shown; None: not playing the forward pass
        self.frame: ForwardFrame | None = None
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._next)
        window.controller.recordChanged.connect(self.finish)
        window.controller.stepChanged.connect(self._on_step)

    @property
    def active(self) -> bool:
        return self.k is not None

    def start(self) -> None:
        c = self.w.controller
        if c.record is None or c.busy:
            return
        self.w.player.pause()
        c.set_step(0)  # before backward: no gradients while the graph is built
        self.show(0)
        speed = SPEEDS[self.w.player.speed.currentIndex()]
        self._timer.start(int(STATEMENT_MS / speed))

    def show(self, k: int) -> ForwardFrame:
        """Draw the graph as the program had built it after its kth statement."""
        c = self.w.controller
        frame = playback_of(c.record).forward_frame(k)
        self.k, self.frame = frame.step, frame
        scene = self.w.scene
        for item in scene.node_items():
            item.setVisible(item.node.id in frame.visible)
        for i, item in enumerate(scene.edge_items()):
            item.setVisible(i in frame.edges)
        scene.highlight(frame.new)
        self.w.view.show_nodes(n.id for n in c.record.nodes if n.id in frame.new)  # scrolls
        if frame.line is not None:
            self.w.editor.show_running((frame.line, 1, frame.line, 1))
        else:
            self.w.editor.show_running(None)
        self.w.player.caption.set_full_text(frame.caption)
        if self.w.presenter.active:  # in front of a class: the big caption
            self.w.presenter.caption.setText(frame.caption)
        return frame

    def _next(self) -> None:
        if self.frame is None or self.k is None or self.k >= self.frame.total:
            self.finish()
            return
        self.show(self.k + 1)

    def _on_step(self, step: int) -> None:
        if self.active and step != 0:
            self.finish()

    def finish(self, *_: object) -> None:
        """The whole graph again, before backward (or as the player left it)."""
        self._timer.stop()
        if self.k is None:
            return
        self.k, self.frame = None, None
        scene = self.w.scene
        for item in scene.node_items():
            item.setVisible(True)
        for item in scene.edge_items():
            item.setVisible(True)
        scene.highlight([])
        self.w.editor.show_running(None)
        c = self.w.controller
        if c.record is not None:
            caption = playback_of(c.record).frame(c.step).caption
            self.w.player.caption.set_full_text(caption)
            if self.w.presenter.active:
                self.w.presenter.caption.setText(caption)

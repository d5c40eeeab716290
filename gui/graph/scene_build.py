"""Building a big scene without freezing the window: a few milliseconds of items at a time.

The layout is already done (in the worker); what is left is making ~20,000 Qt items, which
takes about a second for 10,000 nodes. `SceneBuild` runs `GraphScene.build` in slices of
`BUDGET_MS` from a zero-timeout timer, so input and painting go on in between; it reports
progress and can be cancelled at any point.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QObject, QTimer, Signal

from core.record.graph import GraphRecord
from gui.graph.scene import GraphScene
from gui.model import collector

BUDGET_MS = 15  # the longest the event loop waits for one slice of the build


class SceneBuild(QObject):
    """Draws `record` into `scene` in slices; call `start()`, then `cancel()` if needed."""

    progress = Signal(int, int)  # items made, items in all
    finished = Signal()

    def __init__(
        self, scene: GraphScene, record: GraphRecord, step: int | None, parent: QObject | None
    ) -> None:
        super().__init__(parent)
        self.scene = scene
        self.total = len(record.nodes) + len(record.edges)
        self.done = 0
        self._pieces = scene.build(record, step)
        self._timer = QTimer(self)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._slice)

    def start(self) -> None:
        collector.pause()  # ~300,000 new objects: no full collections while they are made
        self.progress.emit(0, self.total)
        self._timer.start()

    @property
    def running(self) -> bool:
        return self._timer.isActive()

    def cancel(self) -> None:
        """Stop building. The scene is left half-made: don't show it (the next build, small
        or big, takes the leftover items away a slice at a time)."""
        if self._timer.isActive():
            self._timer.stop()
            self._pieces.close()
            collector.resume()

    def _slice(self) -> None:
        deadline = time.perf_counter() + BUDGET_MS / 1000
        for done in self._pieces:
            self.done = done
            if time.perf_counter() >= deadline:
                self.progress.emit(self.done, self.total)
                return
        self._timer.stop()
        collector.resume(freeze=True)
        self.progress.emit(self.total, self.total)
        self.finished.emit()

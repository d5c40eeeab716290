"""Runs programs in the warm worker process, off the GUI thread; results come back by signal.

The worker call blocks (it waits on a pipe), so it runs in a one-thread QThreadPool. Each
request carries the controller's number; a request that is no longer the newest when its
turn comes is skipped without running, and the controller drops any stale answer that
still arrives. Nothing here touches a widget.
"""

from __future__ import annotations

import time
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from core.language import ProgramError
from core.worker import Worker, WorkerError

DEFAULT_TIMEOUT = 10.0  # seconds a program may run before the worker is stopped and replaced


class _JobSignals(QObject):
    finished = Signal(int, object, float)  # number, GraphRecord, seconds
    failed = Signal(int, object)  # number, ProgramError | WorkerError


class _Job(QRunnable):
    """One evaluation; runs on a pool thread and reports only through its signals."""

    def __init__(self, evaluator: Evaluator, number: int, source: str, options: dict) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self.signals = _JobSignals()
        self._evaluator = evaluator
        self._number, self._source, self._options = number, source, options

    def run(self) -> None:
        if self._number != self._evaluator.newest:
            return  # a newer request is queued behind this one: don't spend time on it
        start = time.perf_counter()
        try:
            record = self._evaluator.worker.evaluate(self._source, **self._options)
        except (ProgramError, WorkerError) as e:
            self.signals.failed.emit(self._number, e)
        except Exception as e:  # noqa: BLE001 — any failure must reach the window, not a log
            self.signals.failed.emit(self._number, WorkerError(f"Evaluation failed: {e}"))
        else:
            self.signals.finished.emit(self._number, record, time.perf_counter() - start)


class Evaluator(QObject):
    """Evaluates program text in a worker process; emits `finished` or `failed` per request."""

    finished = Signal(int, object, float)  # number, GraphRecord, seconds the worker took
    failed = Signal(int, object)  # number, ProgramError | WorkerError

    def __init__(self, worker: Worker | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._owns_worker = worker is None
        self.worker = worker if worker is not None else Worker(timeout=DEFAULT_TIMEOUT)
        self.newest = 0
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)  # one worker process: requests take turns
        self._pending: set[_JobSignals] = set()

    def start(self) -> None:
        """Start the worker process now, so torch loads while the window opens."""
        self.worker.start()

    def request(self, number: int, source: str, **options: Any) -> None:
        """Evaluate `source`; the answer comes back tagged with `number`."""
        self.newest = number
        job = _Job(self, number, source, options)
        signals = job.signals
        self._pending.add(signals)  # keep the signal object alive until it has spoken
        signals.finished.connect(self.finished)
        signals.failed.connect(self.failed)
        signals.finished.connect(lambda *_: self._pending.discard(signals))
        signals.failed.connect(lambda *_: self._pending.discard(signals))
        self._pool.start(job)

    def close(self) -> None:
        """Drop queued work, stop the worker process and wait for the pool thread."""
        self.newest = -1
        self._pool.clear()
        if self._owns_worker:
            _kill_now(self.worker)  # a running program would otherwise hold close() up
            self.worker.close()
        self._pool.waitForDone(5000)


def _kill_now(worker: Worker) -> None:
    # Worker.close() waits for the lock an evaluation in progress holds (up to its time
    # limit); killing the process first makes that evaluation fail at once instead.
    proc = getattr(worker, "_proc", None)
    if proc is not None and proc.poll() is None and worker._lock.locked():
        proc.kill()

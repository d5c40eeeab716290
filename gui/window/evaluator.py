"""Runs programs in the warm worker process, off the GUI thread; results come back by signal.

The worker call blocks (it waits on a pipe), so it runs in a one-thread QThreadPool. Each
request carries the controller's number; a request that is no longer the newest when its
turn comes is skipped without running, and the controller drops any stale answer that
still arrives. `stop` ends a running evaluation from the GUI thread at once (the worker
process is killed and a fresh one starts; the blocked call raises EvaluationStopped).
Nothing here touches a widget.

Records come without their chain-rule lines (the worker's option `chain_rule=False`), so
the graph is on screen sooner; the worker sends them unasked, as the later part of the
same answer. `explain(number)` reads that part, as a job behind any queued evaluation,
and `explained` brings the steps back (None when a newer request made them moot, or the
error); a part never read is skipped by the next evaluation.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from core.process.client import AdditionFailed, Worker, WorkerError
from core.record.language import ProgramError
from core.record.session_file import DEFAULT_TIME_LIMIT
from gui.look.i18n import translate
from gui.model import collector
from gui.model.big_graph import is_big

DEFAULT_TIMEOUT = DEFAULT_TIME_LIMIT  # seconds a program may run (the CLI's default too)


class _JobSignals(QObject):
    finished = Signal(int, object, float)  # number, GraphRecord, seconds
    failed = Signal(int, object)  # number, ProgramError | WorkerError | AdditionFailed
    explained = Signal(int, object)  # number, backward steps | None | WorkerError


class _Job(QRunnable):
    """One evaluation; runs on a pool thread and reports only through its signals."""

    def __init__(
        self,
        evaluator: Evaluator,
        number: int,
        text: str,
        time_limit: float | None,
        options: dict,
    ) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self.signals = _JobSignals()
        self._evaluator = evaluator
        self._number, self._text, self._options = number, text, options
        self._time_limit = time_limit

    def run(self) -> None:
        if self._number != self._evaluator.newest:
            return  # a newer request is queued behind this one: don't spend time on it
        start = time.perf_counter()
        worker = self._evaluator.worker
        if self._time_limit is not None:
            worker.timeout = self._time_limit  # only this pool thread ever evaluates
        collector.pause()  # unpickling a big record would set off 0.3 s collections
        record = None
        try:
            record = worker.evaluate(self._text, **self._options)
        except (ProgramError, WorkerError, AdditionFailed) as e:
            self.signals.failed.emit(self._number, e)
        except Exception as e:  # noqa: BLE001 — any failure must reach the window, not a log
            self.signals.failed.emit(
                self._number,
                WorkerError(translate("Evaluator", "Evaluation failed: {reason}").format(reason=e)),
            )
        else:
            self.signals.finished.emit(self._number, record, time.perf_counter() - start)
        finally:
            collector.resume(freeze=record is not None and is_big(record))


class _ExplainJob(QRunnable):
    """Reads the chain-rule lines of the worker's last evaluation (`number`'s), the later
    part of its answer."""

    def __init__(self, evaluator: Evaluator, number: int) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self.signals = _JobSignals()
        self._evaluator, self._number = evaluator, number

    def run(self) -> None:
        if self._number != self._evaluator.newest:
            self.signals.explained.emit(self._number, None)  # the worker has moved on
            return
        collector.pause()
        try:
            steps = self._evaluator.worker.explain()
        except (ProgramError, WorkerError) as e:
            self.signals.explained.emit(self._number, e)
        except Exception as e:  # noqa: BLE001 — any failure must reach the window
            self.signals.explained.emit(self._number, WorkerError(str(e)))
        else:
            self.signals.explained.emit(self._number, steps)
        finally:
            collector.resume()


class Evaluator(QObject):
    """Evaluates program text in a worker process; emits `finished` or `failed` per request.

    Programs run in the folder `cwd` (the window sets it: the program file's folder), as
    `python prog.py` would from there: a file a trusted program opens is looked for there.
    `script_folder` is the program file's folder, None when it has none (untitled, an
    example): a trusted program imports the modules beside it from there."""

    finished = Signal(int, object, float)  # number, GraphRecord, seconds the worker took
    failed = Signal(int, object)  # number, ProgramError | WorkerError | AdditionFailed
    explained = Signal(int, object)  # number, backward steps | None (moot) | WorkerError

    def __init__(self, worker: Worker | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._owns_worker = worker is None
        self.worker = worker if worker is not None else Worker(timeout=DEFAULT_TIMEOUT)
        self.newest = 0
        self.cwd: Path | None = None  # the folder programs run in (None: the app's own cwd)
        self.script_folder: Path | None = None  # the program file's (its modules beside it)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)  # one worker process: requests take turns
        self._pending: set[_JobSignals] = set()

    def start(self) -> None:
        """Start the worker process now, so torch loads while the window opens."""
        self.worker.start()

    def request(
        self, number: int, text: str, time_limit: float | None = None, **options: Any
    ) -> None:
        """Evaluate the program `text` (for at most `time_limit` s, with what `options` ask
        the worker to add to it) in the folder `cwd` as it is now; the answer comes tagged
        `number`; a trusted one imports the modules beside it from `script_folder`."""
        self.newest = number
        options = {"cwd": self.cwd, "script_folder": self.script_folder, **options}
        self._start(_Job(self, number, text, time_limit, options))

    def explain(self, number: int) -> None:
        """Bring the chain-rule lines of request `number`'s record (it came without)."""
        self._start(_ExplainJob(self, number))

    def _start(self, job: _Job | _ExplainJob) -> None:
        signals = job.signals
        self._pending.add(signals)  # keep the signal object alive until it has spoken
        signals.finished.connect(self.finished)
        signals.failed.connect(self.failed)
        signals.explained.connect(self.explained)
        for signal in (signals.finished, signals.failed, signals.explained):
            signal.connect(lambda *_: self._pending.discard(signals))
        self._pool.start(job)

    def stop(self) -> None:
        """End the evaluation in progress now, and skip any that are queued."""
        self.newest = 0
        self._pool.clear()
        self.worker.kill()

    def close(self) -> None:
        """Drop queued work, stop the worker process and wait for the pool thread."""
        self.newest = -1
        self._pool.clear()
        if self._owns_worker:
            self.worker.kill()  # a running program would otherwise hold close() up
            self.worker.close()
        self._pool.waitForDone(5000)

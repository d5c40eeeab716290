"""The window's model: program text, the record it made, the backward step, the selection.

No widgets here. Widgets call the public methods and redraw on the signals; results from
the worker arrive through the evaluator's signals, tagged with the request number, and
an answer to anything but the newest request is dropped.
"""

from __future__ import annotations

import time
from enum import StrEnum

from PySide6.QtCore import QObject, QTimer, Signal

from core.language import ProgramError
from core.record import GraphRecord
from core.worker import EvaluationTimeout
from gui.added_backward import backward_call, backward_note, backward_refusal, has_backward_call

MIN_PAUSE_MS = 40  # edit pause before re-evaluating a program that evaluates fast ...
MAX_PAUSE_MS = 300  # ... and before one that is slow to evaluate
ERROR_GRACE_MS = 600  # a half-typed line is not an error until typing pauses this long


class State(StrEnum):
    STARTING = "starting"  # the worker is loading PyTorch; nothing evaluated yet
    EVALUATING = "evaluating"
    READY = "ready"  # the graph shows the text as it is
    ERROR = "error"  # the text has an error; the graph is the last good one (out of date)


class Controller(QObject):
    recordChanged = Signal(object)  # GraphRecord
    stepChanged = Signal(int)
    selectionChanged = Signal(str)  # node id, "" for none
    errorChanged = Signal(object)  # ProgramError | WorkerError | None
    stateChanged = Signal(str)  # State
    backwardNoteChanged = Signal(str)  # why/what backward() was added, "" when not
    playRequested = Signal()

    def __init__(self, evaluator, show_values: bool = True, parent: QObject | None = None):  # noqa: ANN001
        super().__init__(parent)
        self.evaluator = evaluator
        self.source = ""
        self.record: GraphRecord | None = None
        self.step = 0
        self.selected = ""
        self.error: Exception | None = None
        self.state = State.STARTING
        self.show_values = show_values
        self.added_backward: str | None = None  # the call appended for display, if any
        self.record_source = ""  # the user's text that made `record`
        self._requested = ""
        self.eval_seconds = 0.0
        self._auto_backward = False
        self._number = 0
        self._fresh_document = True
        self._play_when_ready = False
        self._last_edit = 0.0
        self._pending_error: Exception | None = None
        self._without_backward: GraphRecord | None = None  # shown if the added call fails
        self._timer = _single_shot(self, self.evaluate_now)
        self._error_timer = _single_shot(self, self._show_pending_error)
        evaluator.finished.connect(self._on_finished)
        evaluator.failed.connect(self._on_failed)

    # --- commands -------------------------------------------------------------------------
    def load(self, source: str) -> None:
        """A new document: evaluate at once, show it as the program ended, forget added calls."""
        self.source = source
        self._auto_backward = False
        self._fresh_document = True
        self._last_edit = 0.0
        self.evaluate_now()

    def set_source(self, source: str) -> None:
        """The user edited the text: re-evaluate once typing pauses."""
        if source == self.source:
            return
        self.source = source
        self._last_edit = time.monotonic()
        self._cancel_pending_error()
        self._timer.start(self.pause_ms())

    def pause_ms(self) -> int:
        """How long to wait after a keystroke: about twice what an evaluation takes."""
        return int(min(MAX_PAUSE_MS, max(MIN_PAUSE_MS, 2000 * self.eval_seconds)))

    def evaluate_now(self) -> None:
        self._timer.stop()
        self._cancel_pending_error()
        self._without_backward = None
        self._requested = self.source
        self._number += 1
        self._set_state(State.EVALUATING if self.record else State.STARTING)
        self.evaluator.request(self._number, self.source, show_values=self.show_values)

    def run_backward(self) -> None:
        """Play backward from the start; add a backward() call for display if there is none."""
        if self.record is None:
            return
        if self.record.backward:
            self.set_step(0)
            self.playRequested.emit()
        elif backward_call(self.record) is not None:
            self._auto_backward = True
            self._play_when_ready = True
            self.evaluate_now()
        else:
            self.backwardNoteChanged.emit(backward_refusal(self.record))

    def set_step(self, step: int) -> None:
        step = max(0, min(step, self.step_count()))
        if step != self.step:
            self.step = step
            self.stepChanged.emit(step)

    def step_count(self) -> int:
        return len(self.record.backward) if self.record else 0

    def select(self, node_id: str) -> None:
        if node_id != self.selected:
            self.selected = node_id
            self.selectionChanged.emit(node_id)

    def set_show_values(self, show: bool) -> None:
        if show != self.show_values:
            self.show_values = show
            self.evaluate_now()  # box sizes change with the value lines: lay out again

    # --- answers from the evaluator ---------------------------------------------------------
    def _on_finished(self, number: int, record: GraphRecord, seconds: float) -> None:
        if number != self._number:
            return  # stale: the text changed since this was asked for
        self.eval_seconds = seconds
        call = backward_call(record) if self._needs_added_backward(record) else None
        if call is not None:
            self._number += 1
            self.added_backward = call
            self._without_backward = record
            source = self._requested.rstrip("\n") + "\n" + call + "\n"
            self.evaluator.request(self._number, source, show_values=self.show_values)
            return
        if record.source == self._requested:
            self.added_backward = None
        self._accept(record)

    def _needs_added_backward(self, record: GraphRecord) -> bool:
        return (
            self._auto_backward
            and record.source == self._requested
            and not record.backward
            and not has_backward_call(record.source)
        )

    def _accept(self, record: GraphRecord) -> None:
        self._without_backward = None
        old_record, old_step, old_selected = self.record, self.step, self.selected
        self.record, self.error = record, None
        self.record_source = self._requested
        self.step = self._step_for(record, old_record, old_step)
        if self._fresh_document:
            self.selected = first_parameter(record)
        else:
            self.selected = same_node(old_record, record, old_selected)
        self._fresh_document = False
        self.errorChanged.emit(None)
        self.backwardNoteChanged.emit(backward_note(self.added_backward))
        self.recordChanged.emit(record)
        self.stepChanged.emit(self.step)
        if self.selected != old_selected:
            self.selectionChanged.emit(self.selected)
        self._set_state(State.READY)
        if self._play_when_ready:
            self._play_when_ready = False
            self.playRequested.emit()

    def _step_for(self, record: GraphRecord, old: GraphRecord | None, old_step: int) -> int:
        count = len(record.backward)
        if self._play_when_ready:
            return 0
        if self._fresh_document:
            return count  # as the program left it: .grad agrees with the transcript
        if old is not None and old.backward and old_step == len(old.backward):
            return count  # watching the end: stay at the end
        return min(old_step, count)

    def _on_failed(self, number: int, error: Exception) -> None:
        if number != self._number or self._timer.isActive():
            return  # stale, or the text has changed and will be evaluated again shortly
        self._play_when_ready = False
        if self._without_backward is not None:  # the added backward() failed, not the text
            self.added_backward, self._auto_backward = None, False
            self._accept(self._without_backward)
            self.backwardNoteChanged.emit(f"Backward could not be added: {error}")
            return
        if isinstance(error, EvaluationTimeout):
            self.eval_seconds = MAX_PAUSE_MS / 1000
        wait = ERROR_GRACE_MS - 1000 * (time.monotonic() - self._last_edit)
        self._pending_error = error
        if isinstance(error, ProgramError) and wait > 0:
            self._error_timer.start(int(wait))
        else:
            self._show_pending_error()

    def _show_pending_error(self) -> None:
        error, self._pending_error = self._pending_error, None
        if error is None:
            return
        self.error = error
        self.errorChanged.emit(error)
        self._set_state(State.ERROR)

    def _cancel_pending_error(self) -> None:
        self._error_timer.stop()
        self._pending_error = None

    def _set_state(self, state: State) -> None:
        if state != self.state:
            self.state = state
            self.stateChanged.emit(str(state))

    def status_text(self) -> str:
        """One line for the status bar: what the evaluation is doing or did."""
        if self.state == State.STARTING:
            return "Starting PyTorch in the background…"
        if self.state == State.EVALUATING:
            return "Evaluating…"
        if self.error is not None:
            where = "Showing the last graph that ran" if self.record else "Error"
            return f"{where} · {self.error}"
        if self.record is None:
            return ""
        nodes, steps = self.record.nodes, len(self.record.backward)
        ops = sum(1 for n in nodes if n.kind == "op")
        ms = 1000 * self.eval_seconds
        return f"Up to date · {len(nodes)} nodes ({ops} ops) · {steps} steps · ran in {ms:.0f} ms"

    @property
    def out_of_date(self) -> bool:
        """The graph on screen is from an earlier text (the current one has an error)."""
        return self.record is not None and self.error is not None


def first_parameter(record: GraphRecord) -> str:
    """The node a new document starts inspected: its first leaf that requires grad."""
    for node in record.nodes:
        if node.kind == "tensor" and node.is_leaf and node.requires_grad:
            return node.id
    return ""


def same_node(old: GraphRecord | None, new: GraphRecord, node_id: str) -> str:
    """The node of `new` that is `node_id` of `old` (same kind, name and op), or ""."""
    if old is None or not node_id:
        return ""
    was = next((n for n in old.nodes if n.id == node_id), None)
    if was is None:
        return ""
    key = (was.kind, was.name, was.op, was.role)
    matches = [n.id for n in new.nodes if (n.kind, n.name, n.op, n.role) == key]
    return node_id if node_id in matches else (matches[0] if matches else "")


def _single_shot(parent: QObject, slot) -> QTimer:  # noqa: ANN001
    timer = QTimer(parent)
    timer.setSingleShot(True)
    timer.timeout.connect(slot)
    return timer

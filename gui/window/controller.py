"""The window's model: program text, the record it made, the backward step, the selection.

No widgets here. Widgets call the public methods and redraw on the signals; results from
the worker arrive through the evaluator's signals, tagged with the request number, and
an answer to anything but the newest request is dropped.

Programs run under the safe mode, unless the user trusted their exact text (`run_trusted`,
after a refusal that plain Python would run: `trustNeeded`); the hashes of trusted texts
are kept in the settings, so the same text, typed or opened, runs as plain Python later
too, and any other text does not.
"""

from __future__ import annotations

import time
from enum import StrEnum

from PySide6.QtCore import QEventLoop, QObject, QTimer, Signal

from core.process.client import EvaluationStopped, EvaluationTimeout
from core.record.graph import GraphRecord
from core.record.language import ProgramError
from core.record.layout import ran_out_of_time
from core.record.session_file import Lesson, View
from gui.model.added_backward import (
    again_call,
    backward_call,
    backward_note,
    backward_refusal,
    failure_note,
    has_backward_call,
    needs_gradient,
    zero_grad_lines,
)
from gui.model.big_graph import is_big, is_laid_out
from gui.model.failed_backward import graph_before
from gui.model.failures import failure_text, ran_out_in_layout
from gui.model.lesson_state import LessonState
from gui.model.matching import first_parameter, same_node
from gui.model.outside import outside_note
from gui.model.runs import for_player, has_runs, shown_run
from gui.window import settings
from gui.window.evaluator import DEFAULT_TIMEOUT

MIN_PAUSE_MS = 40  # edit pause before re-evaluating a program that evaluates fast ...
MAX_PAUSE_MS = 300  # ... and before one that is slow to evaluate
ERROR_GRACE_MS = 600  # a half-typed line is not an error until typing pauses this long
LAYOUT_TIME_LIMIT = 600.0  # seconds Graphviz may take over a whole big graph, on request
CHAIN_OUT_OF_DATE = "The program changed before the chain rule of this graph was worked out."


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
    busyChanged = Signal(bool)  # an evaluation is in flight (Stop and Esc can end it)
    backwardNoteChanged = Signal(str)  # why/what backward() was added, "" when not
    playRequested = Signal()
    gradientNeeded = Signal()  # Backward on a non-scalar output: the window asks for one
    chainChanged = Signal()  # the record's chain-rule lines arrived (or `chain_note` says why not)
    trustNeeded = Signal(object)  # ProgramError: the safe mode refused what Python runs; None
    trustedChanged = Signal(bool)  # whether the latest request runs as plain Python
    runChanged = Signal()  # the backward() run asked for changed (`run`): its graph comes next

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
        self.show_saved = self.show_attrs = False  # torchviz's make_dot options
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
        self._fallback_run: int | None = None  # the run `_without_backward` was made with
        self.time_limit = self._limit = DEFAULT_TIMEOUT  # s an evaluation may run (a setting)
        self.busy = False
        self.asked_at = 0.0
        self.skip_layout = False  # laying out ran out of time: records come unlaid (summary)
        self.laying_out = False  # a whole big graph is being laid out, on request
        self._asked = ""  # the source of the request in flight (the added backward included)
        self._view: View | None = None  # a session's view, applied to its first record
        self.extra_options: dict[str, object] = {}  # more for the worker, e.g. {"check": True}
        self.lesson = LessonState()  # lines the lesson buttons add; retain_grad; constants
        self._gradient: str | None = None  # the `gradient` the user gave Backward, if asked
        self.chain_note = ""  # why the record's chain-rule lines won't come, if they won't
        self._shown_number = 0  # the request that made `record`
        self.trusted = False  # the latest request runs as plain Python (its text is trusted)
        self.trust_needed: ProgramError | None = None  # a refusal the user may overrule
        self._trust_text = ""  # the text `trust_needed` refused
        self.run: int | None = None  # the backward() call whose graph to show; None: the last
        self.cut_at: int | None = None  # the graph shown is the text's up to this line, whose
        self._cut_error: Exception | None = None  # backward() failed with this error
        self._record_run: int | None = None  # `run` when the shown record was asked for
        self._timer = single_shot(self, self.evaluate_now)
        self._error_timer = single_shot(self, self._show_pending_error)
        evaluator.finished.connect(self._on_finished)
        evaluator.failed.connect(self._on_failed)
        evaluator.explained.connect(self._on_explained)

    # --- commands -------------------------------------------------------------------------
    def load(self, source: str, view: View | None = None, lesson: Lesson | None = None) -> None:
        """A new document: evaluate at once, show it as the program ended (or at the step
        and selection a session's `view` names), forget added calls (or make a session's
        `lesson` again: marks, constants, the added backward() and lines)."""
        self.source = source
        self._view = view
        self.skip_layout = False
        self._auto_backward = lesson is not None and lesson.backward
        self._gradient = lesson.gradient if lesson is not None else None
        self.lesson.forget()
        if lesson is not None:
            self.lesson.restore(lesson)
        self._set_run(None)
        self._fresh_document = True
        self._last_edit = 0.0
        self._set_trust_needed(None)
        self.evaluate_now()

    def set_source(self, source: str) -> None:
        """The user edited the text: re-evaluate once typing pauses."""
        if source == self.source:
            return
        self.source = source
        self.lesson.forget()  # spans and added lines were the old text's
        if source != self._trust_text:
            self._set_trust_needed(None)  # the bar asked about a text that is gone
        self._last_edit = time.monotonic()
        self._cancel_pending_error()
        self._timer.start(self.pause_ms())

    def pause_ms(self) -> int:
        """How long to wait after a keystroke: about twice what an evaluation takes."""
        return int(min(MAX_PAUSE_MS, max(MIN_PAUSE_MS, 2000 * self.eval_seconds)))

    def evaluate_now(self) -> None:
        self._timer.stop()
        self._cut_error = None
        self._cancel_pending_error()
        self._without_backward = None
        self._requested = self.source
        self._number += 1
        self._set_state(State.EVALUATING if self.record else State.STARTING)
        self._ask(self.source)

    def _ask(self, source: str, layout: bool | None = None) -> None:
        self.asked_at, self._asked = time.monotonic(), source
        layout = not self.skip_layout if layout is None else layout
        options = {"show_values": self.show_values, "show_saved": self.show_saved,
                   "show_attrs": self.show_attrs, "chain_rule": False}  # fmt: skip
        options |= {} if layout else {"layout": False}
        options |= self.extra_options
        options |= self.lesson.options()
        if self.run is not None:
            options["run"] = self.run
        # plain Python only for a text the user trusted (the lines the app adds are its own)
        trusted = settings.is_trusted(self._requested)
        options["trusted"] = trusted
        if trusted != self.trusted:
            self.trusted = trusted
            self.trustedChanged.emit(trusted)
        self._limit = LAYOUT_TIME_LIMIT if self.laying_out else self.time_limit
        self.evaluator.request(self._number, source, time_limit=self._limit, **options)
        self._set_busy(True)  # (its listeners run once the worker has the program)

    def lay_out_whole_graph(self) -> None:
        """Lay out the shown (unlaid) graph in the background, for as long as Graphviz
        takes; `stop` ends it and leaves the graph as it is."""
        if self.record is None or self.busy:
            return
        self._number += 1
        self._requested, self.laying_out = self.record_source, True
        self._set_state(State.EVALUATING)
        self._ask(self.record.source, layout=True)

    def stop(self) -> None:
        """End the running evaluation at once (Stop, Esc): the text and the last graph stay."""
        if not self.busy:
            return
        self._timer.stop()
        self._cancel_pending_error()
        self._number += 1  # whatever the stopped request still answers is stale now
        self._play_when_ready, self._without_backward = False, None
        self._set_run(self._record_run)  # a run asked for and stopped: the shown one stays
        self.evaluator.stop()
        self._set_busy(False)
        if self.laying_out:  # only the layout was asked for: the graph shown is still right
            self.laying_out = False
            self._set_state(State.READY)
            return
        self._pending_error = EvaluationStopped("Stopped.")
        self._show_pending_error()

    def run_trusted(self) -> None:
        """The user said yes ("Run as Python — only for code you trust") to the program
        the safe mode refused: remember its exact text as trusted, and run it as plain
        Python (in the worker, with the same limits)."""
        text = self._trust_text
        if self.trust_needed is None:
            return
        settings.trust(text)
        self._set_trust_needed(None)
        if text == self.source:
            self.evaluate_now()

    def dismiss_trust(self) -> None:
        """The user closed the bar: the program stays refused."""
        self._set_trust_needed(None)

    def _set_trust_needed(self, error: ProgramError | None, text: str = "") -> None:
        if error is None and self.trust_needed is None:
            return
        self.trust_needed, self._trust_text = error, text if error is not None else ""
        self.trustNeeded.emit(error)

    def show_run(self, run: int | None) -> None:
        """Show the graph and steps of backward() call `run` (0 = the first; None or the
        last run: the last, as the program ends): the same program is evaluated again, with
        the worker's option run=k. The text is not touched."""
        record = self.record
        if record is None or not has_runs(record):
            return
        last = record.runs[-1].run
        run = None if run is None or run >= last else max(0, run)
        if run == self.run and (self.busy or run == self._record_run):
            return  # shown already, or on its way
        self._set_run(run)
        if self.source != self.record_source:  # edited since: evaluate the text as it is
            self.evaluate_now()
            return
        self._timer.stop()
        self._cancel_pending_error()
        self._number += 1
        self._requested = self.record_source
        self._without_backward = None
        self._set_state(State.EVALUATING)
        self._ask(self._with_additions(self.record_source, self.added_backward))

    def lesson_state(self) -> Lesson:
        """The lesson as a session keeps it."""
        return self.lesson.snapshot(self._auto_backward, self._gradient)

    def shown_run(self) -> int | None:
        """The run whose graph is shown (None: no record, or no backward() in it)."""
        return None if self.record is None else shown_run(self.record, self._record_run)

    def pending_run(self) -> int | None:
        """The run asked for whose graph is on its way (None: none is)."""
        if self.record is None or self.run == self._record_run or not self.busy:
            return None
        return shown_run(self.record, self.run)

    def _set_run(self, run: int | None) -> None:
        if run != self.run:
            self.run = run
            self.runChanged.emit()

    def set_time_limit(self, seconds: float) -> None:
        """How long an evaluation may run before the worker is stopped (from the next one)."""
        self.time_limit = float(seconds)

    def run_backward(self) -> None:
        """Play backward from the start; add a backward() call for display if there is none
        (for a non-scalar output, the window is asked for its `gradient` first)."""
        self.backward_with_gradient(None)

    def backward_with_gradient(self, gradient: str | None) -> None:
        """`run_backward`, with the gradient for a non-scalar output (a nested list, or ""
        for none: PyTorch's error then says why one is needed); None asks for it."""
        if self.record is None:
            return
        if self.record.backward:
            self.set_step(0)
            self.playRequested.emit()
        elif gradient is None and needs_gradient(self.record):
            self.gradientNeeded.emit()
        elif backward_call(self.record) is not None:
            self._auto_backward = True
            self._gradient = gradient
            self._play_when_ready = True
            self.evaluate_now()
        else:
            self.backwardNoteChanged.emit(backward_refusal(self.record))

    def backward_again(self) -> None:
        """Run backward from the output once more: .grad accumulates if the graph was
        retained; otherwise PyTorch's error, explained, and the graph stays as it was."""
        if self.record is None or self.busy:
            return
        if not self.record.backward and not self.record.runs:
            self.run_backward()
            return
        call = again_call(self.record, self._gradient)
        if call is None:
            self.backwardNoteChanged.emit(backward_refusal(self.record))
            return
        self._add_lines([call], play=True)

    def zero_grad(self) -> None:
        """Set every named leaf's .grad to None (optimizer.zero_grad()'s default)."""
        if self.record is None or self.busy:
            return
        lines = zero_grad_lines(self.record)
        if not lines:
            self.backwardNoteChanged.emit("No named leaf that requires grad: nothing to zero.")
            return
        self._add_lines(lines, play=False)

    def toggle_retain_grad(self, node_id: str) -> None:
        """retain_grad() on the tensor a node shows (or stop), and evaluate again."""
        nodes = self.record.nodes if self.record else ()
        node = next((n for n in nodes if n.id == node_id), None)
        if node is not None and node.span is not None:
            self.lesson.toggle_retain(node.span)
            self._evaluate_again()

    def set_show_constants(self, show: bool) -> None:
        if show != self.lesson.show_constants:
            self.lesson.show_constants = show
            self._evaluate_again()

    def _add_lines(self, lines: list[str], play: bool) -> None:
        self.lesson.add(lines)
        self._set_run(None)  # a lesson line acts after the program: show its end
        self._play_when_ready = play
        self._evaluate_again()

    def _evaluate_again(self) -> None:
        """The shown program again, with the lesson's additions; on failure the graph
        stays and the note says why."""
        if self.record is None:
            return
        self._timer.stop()
        self._number += 1
        self._requested = self.record_source
        self._without_backward, self._fallback_run = self.record, self._record_run
        self._set_state(State.EVALUATING)
        self._ask(self._with_additions(self.record_source, self.added_backward))

    def _with_additions(self, source: str, call: str | None) -> str:
        """The text with the added backward() call and the lesson's lines after it."""
        lines = ([call] if call else []) + self.lesson.lines
        if not lines:
            return source
        return source.rstrip("\n") + "\n" + "".join(f"{line}\n" for line in lines)

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

    def set_graph_options(self, show_saved: bool, show_attrs: bool) -> None:
        """torchviz's show_saved and show_attrs; the graph is made again when they change."""
        if (show_saved, show_attrs) != (self.show_saved, self.show_attrs):
            self.show_saved, self.show_attrs = show_saved, show_attrs
            self.evaluate_now()

    # --- answers from the evaluator ---------------------------------------------------------
    def _on_finished(self, number: int, record: GraphRecord, seconds: float) -> None:
        if number != self._number:
            return  # stale: the text changed since this was asked for
        if self._cut_error is not None:  # the graph up to the backward() that failed
            self._show_cut(record)
            return
        self.eval_seconds = seconds
        call = backward_call(record, self._gradient) if self._needs_added_backward(record) else None
        if call is not None or (self.lesson.lines and record.source == self._requested):
            self._number += 1
            self.added_backward = call
            self._without_backward, self._fallback_run = record, self.run
            self._ask(self._with_additions(self._requested, call))
            return
        self._set_busy(False)
        background, self.laying_out = self.laying_out, False
        if not is_laid_out(record) and not is_big(record):
            self.skip_layout = False  # small again: the next edit is laid out as usual
        elif ran_out_of_time(record.layout_error) and not background:
            self.skip_layout = True  # as when the time limit struck in layout: see _on_failed
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

    def _show_cut(self, record: GraphRecord) -> None:
        error, self._cut_error = self._cut_error, None
        self._set_busy(False)
        self.added_backward = None
        self._accept(record)
        self.cut_at = getattr(error, "line", None)
        self._pending_error = error
        self._show_pending_error()

    def _accept(self, record: GraphRecord) -> None:
        self._without_backward = None
        self.cut_at = None
        if self.run is not None and (not has_runs(record) or self.run >= record.runs[-1].run):
            self._set_run(None)  # the program no longer makes that run: its last is shown
        record = for_player(record, self.run)  # the player plays the shown run's steps
        self._record_run = self.run
        old_record, old_step, old_selected = self.record, self.step, self.selected
        self.record, self.error = record, None
        self.record_source = self._requested
        self.step = self._step_for(record, old_record, old_step)
        if self._fresh_document:
            self.selected = first_parameter(record)
            if self._view is not None and self._view.selected in {n.id for n in record.nodes}:
                self.selected = self._view.selected
        else:
            self.selected = same_node(old_record, record, old_selected)
        self._fresh_document, self._view = False, None
        self.lesson.settle()
        self._set_trust_needed(None)
        self.errorChanged.emit(None)
        notes = (backward_note(self.added_backward), self.lesson.note(record), outside_note(record))
        self.backwardNoteChanged.emit(" ".join(n for n in notes if n))
        self.chain_note, self._shown_number = "", self._number
        if record.chain_rule_pending:
            self.evaluator.explain(self._number)  # the graph first, the chain rule next
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
        if self._play_when_ready:  # from the start of the last backward() run
            last = record.backward[-1].run if record.backward else 0
            return next((i for i, s in enumerate(record.backward) if s.run == last), 0)
        if self._fresh_document:
            if self._view is not None and self._view.step is not None:
                return min(self._view.step, count)
            return count  # as the program left it: .grad agrees with the transcript
        if old is None or not old.backward or old_step == len(old.backward):
            return count  # new steps, or watching the end: the end, as a new document
        return min(old_step, count)

    def _on_explained(self, number: int, result: object) -> None:
        record = self.record
        if number != self._shown_number or record is None or not record.chain_rule_pending:
            return  # not the record shown
        if isinstance(result, tuple):
            self.record = for_player(record.with_chain(result), self._record_run)
        elif result is None:
            self.chain_note = CHAIN_OUT_OF_DATE
        else:
            self.chain_note = f"The chain rule could not be worked out: {result}"
        self.chainChanged.emit()

    def explained_record(self) -> GraphRecord | None:
        """The record with its chain-rule lines (for exports), waiting for them while the
        worker is still working them out."""
        if self.record is not None and self.record.chain_rule_pending and not self.chain_note:
            loop = QEventLoop()
            self.chainChanged.connect(loop.quit)
            QTimer.singleShot(int(1000 * self.time_limit) + 2000, loop.quit)
            loop.exec()
            self.chainChanged.disconnect(loop.quit)
        return self.record

    def _on_failed(self, number: int, error: Exception) -> None:
        if number != self._number:
            return  # stale: the text changed since this was asked for
        if self.record is not None and self.record.chain_rule_pending and not self.chain_note:
            self.chain_note = CHAIN_OUT_OF_DATE  # its explanation was skipped for this request
            self.chainChanged.emit()
        self._set_busy(False)
        if ran_out_in_layout(error) and not self.laying_out:
            self.skip_layout = True  # the program ran: its record comes without a layout
            if not self._timer.isActive():
                self._number += 1
                self._ask(self._asked, layout=False)
            return
        self.laying_out = False
        if self._timer.isActive():
            return  # the text has changed and will be evaluated again shortly
        self._play_when_ready = False
        if self._without_backward is not None:  # an added call failed, not the text
            failed = self.lesson.undo_last()
            if failed is None:  # the added backward() itself
                failed = self.added_backward or "Backward"
                self.added_backward, self._auto_backward = None, False
            self._set_run(self._fallback_run)
            self._accept(self._without_backward)
            self.backwardNoteChanged.emit(failure_note(failed, error))
            return
        self._set_run(self._record_run)  # a run asked for that failed: the shown one stays
        if self._cut_error is not None:  # the text before it failed too: say the first error
            error, self._cut_error = self._cut_error, None
        elif (cut := graph_before(self._requested, error)) is not None:
            self._cut_error, self._number = error, self._number + 1  # backward() failed: show
            self._ask(cut)  # the graph it was called on anyway
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
        if isinstance(error, ProgramError) and error.trust and not self.trusted:
            self._set_trust_needed(error, self._requested)  # (a newer request cancels us)
        else:
            self._set_trust_needed(None)
        self.errorChanged.emit(error)
        self._set_state(State.ERROR)

    def _cancel_pending_error(self) -> None:
        self._error_timer.stop()
        self._pending_error = None

    def _set_state(self, state: State) -> None:
        if state != self.state:
            self.state = state
            self.stateChanged.emit(str(state))

    def _set_busy(self, busy: bool) -> None:
        if busy != self.busy:
            self.busy = busy
            self.busyChanged.emit(busy)

    @property
    def error_text(self) -> str:
        """The error in the words the window shows ("" when there is none)."""
        return "" if self.error is None else failure_text(self.error, self._limit)

    @property
    def out_of_date(self) -> bool:
        """The graph on screen is from an earlier text (the current one has an error)."""
        return self.record is not None and self.error is not None and self.cut_at is None


def single_shot(parent: QObject, slot) -> QTimer:  # noqa: ANN001
    timer = QTimer(parent)
    timer.setSingleShot(True)
    timer.timeout.connect(slot)
    return timer

"""The app's state and what it decides, without Qt: which program text is shown and which
is asked for, which record, which backward step and node, what is stale, what the worker
is asked to add (the Backward and lesson commands), and what the window is told.

One name for the program: `text` is what the editor holds; `asked` is the request in
flight (its `text` and what it asks the worker to add); `record_text` is the text that
made the record shown (the record's own `source` has the added lines after it).

The state never waits and never draws. What it needs done it asks of its `Host` (the Qt
adapter, `gui.window.controller.Controller`, or a test's fake): send a request, start or
stop the edit pause and the error grace, tell the window that something changed. Answers
come in through `on_finished`, `on_failed` and `on_explained`, tagged with the request
number; an answer to anything but the newest request is dropped.

A backward() in the text that PyTorch refuses still shows a graph: the worker answers
with the error and the graph of the text up to that line (`BackwardFailed.before`), which
shows with the error beside it (`cut_at`; not out of date). A session's lesson
(`load(..., lesson=)`, `lesson_state()`) is asked for again with its first request.

A new program starts fresh however it comes: opened (`load`), or typed or pasted over the
one shown when the text keeps less than half of its lines (`another_program`): its
graph opens at the end of backward and at its last run (`program` counts new programs,
for the runs strip's scale). An edit of the same program (a number changed, a line added)
keeps the step and the run shown.
"""

from __future__ import annotations

import difflib
import time
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Protocol

from core.process.client import AdditionFailed, EvaluationStopped, EvaluationTimeout
from core.record.additions import BackwardFailed, added, needs_gradient, zero_grad_names
from core.record.graph import GraphRecord
from core.record.language import ProgramError
from core.record.layout import ran_out_of_time
from core.record.session_file import DEFAULT_TIME_LIMIT, Lesson, View
from gui.model.added_backward import (
    backward_note,
    backward_refusal,
    can_add_backward,
    can_run_again,
    failure_note,
)
from gui.model.big_graph import is_big, is_laid_out
from gui.model.failures import failure_text, ran_out_in_layout
from gui.model.i18n import QT_TRANSLATE_NOOP, translate
from gui.model.lesson_state import LessonState
from gui.model.matching import first_parameter, same_node
from gui.model.outside import outside_note
from gui.model.runs import for_player, has_runs, requested_run, shown_record, shown_run

MIN_PAUSE_MS = 40  # edit pause before re-evaluating a program that evaluates fast ...
MAX_PAUSE_MS = 300  # ... and before one that is slow to evaluate
ERROR_GRACE_MS = 600  # a half-typed line is not an error until typing pauses this long
LAYOUT_TIME_LIMIT = 600.0  # seconds Graphviz may take over a whole big graph, on request
CHAIN_OUT_OF_DATE = QT_TRANSLATE_NOOP(
    "AppState", "The program changed before the chain rule of this graph was worked out."
)
COMMANDS = {  # lesson intents' names (shown with translate)
    "again": QT_TRANSLATE_NOOP("AppState", "Backward again"),
    "zero_grad": QT_TRANSLATE_NOOP("AppState", "Zero grad"),
}


class State(StrEnum):
    STARTING = "starting"  # the worker is loading PyTorch; nothing evaluated yet
    EVALUATING = "evaluating"
    READY = "ready"  # the graph shows the text as it is
    ERROR = "error"  # the text has an error; the graph is the last good one (out of date)


@dataclass(frozen=True)
class Request:
    """One request to the worker: its number, the user's text, and the options, which say
    what to add to the text (`core.record.additions`) besides how to draw it."""

    number: int
    text: str
    options: dict[str, Any] = field(default_factory=dict)
    time_limit: float = DEFAULT_TIME_LIMIT


class Host(Protocol):
    """What the state asks of the world around it."""

    def request(self, request: Request) -> None: ...  # send it to the worker
    def explain(self, number: int) -> None: ...  # bring the later part of answer `number`
    def stop_worker(self) -> None: ...  # end the evaluation running now
    def start_pause(self, ms: int) -> None: ...  # `evaluate_now` once typing pauses
    def stop_pause(self) -> None: ...
    def pause_active(self) -> bool: ...
    def start_grace(self, ms: int) -> None: ...  # `show_pending_error` after `ms`
    def stop_grace(self) -> None: ...
    def is_trusted(self, text: str) -> bool: ...  # the user said this text may run as Python
    def trust(self, text: str) -> None: ...
    def notify(self, event: str, *args: Any) -> None: ...  # one of EVENTS changed


EVENTS = ("record", "step", "selection", "error", "state", "busy", "backward_note", "play",
          "gradient_needed", "chain", "trust_needed", "trusted", "run",
          "another_program")  # fmt: skip


class AppState:
    """What the controller decides; see the module's docstring."""

    def __init__(self, host: Host, show_values: bool = True) -> None:
        self.host = host
        self.text = ""  # the program text, as the editor has it
        self.record: GraphRecord | None = None
        self.record_text = ""  # the text that made `record` (without the added lines)
        self.step = 0
        self.selected = ""
        self.error: Exception | None = None
        self.state = State.STARTING
        self.show_values = show_values
        self.show_saved = self.show_attrs = False  # torchviz's make_dot options
        self.added_backward: str | None = None  # the call the worker added, if any
        self.eval_seconds = 0.0
        self.number = 0  # the newest request's number
        self.asked: Request | None = None  # the newest request
        self.asked_at = 0.0
        self.busy = False
        self.time_limit = self.limit = DEFAULT_TIME_LIMIT  # s an evaluation may run
        self.skip_layout = False  # laying out ran out of time: records come unlaid (summary)
        self.laying_out = False  # a whole big graph is being laid out, on request
        self.extra_options: dict[str, object] = {}  # more for the worker, e.g. {"check": True}
        self.lesson = LessonState()  # lines the lesson buttons added; retain_grad; constants
        self.chain_note = ""  # why the record's chain-rule lines won't come, if they won't
        self.shown_number = 0  # the request that made `record`
        self.trusted = False  # the latest request runs as plain Python (its text is trusted)
        self.trust_needed: ProgramError | None = None  # a refusal the user may overrule
        self.trust_text = ""  # the text `trust_needed` refused
        self.run: int | None = None  # the backward() call whose graph to show; None: the last
        self.record_run: int | None = None  # `run` when the shown record was asked for
        self.cut_at: int | None = None  # the graph shown is the text's up to this line, whose
        self._auto_backward = False  # Backward was pressed: the worker adds a call if needed
        self._gradient: str | None = None  # the `gradient` the user gave Backward, if asked
        self._intent: str | None = None  # the lesson command in flight ("again", ...)
        self._fresh_document = True
        self.program = 0  # new programs shown so far (a load, or another text pasted in)
        self._play_when_ready = False
        self._last_edit = 0.0
        self._pending_error: Exception | None = None
        self._fallback: GraphRecord | None = None  # shown again if what was added fails
        self._fallback_run: int | None = None  # the run `_fallback` was made with
        self._view: View | None = None  # a session's view, applied to its first record

    # --- commands -------------------------------------------------------------------------
    def load(self, text: str, view: View | None = None, lesson: Lesson | None = None) -> None:
        """A new document: evaluate at once, show it as the program ended (or at the step
        and selection a session's `view` names), forget added calls (or make a session's
        `lesson` again: marks, constants, the added backward() and lines, which the worker
        adds once more)."""
        self.text = text
        self._view = view
        self.skip_layout = False
        self._auto_backward = lesson is not None and lesson.backward
        self._gradient = lesson.gradient if lesson is not None else None
        self.lesson.forget()
        if lesson is not None:
            self.lesson.restore(lesson)
        self.set_run(None)
        self._fresh_document = True
        self._last_edit = 0.0
        self._set_trust_needed(None)
        self.evaluate_now()

    def edit(self, text: str) -> None:
        """The user edited the text: re-evaluate once typing pauses."""
        if text == self.text:
            return
        if another_program(self.record_text, text) and self.record is not None:
            self._new_program()
        self.text = text
        self.lesson.forget()  # spans and added lines were the old text's
        if text != self.trust_text:
            self._set_trust_needed(None)  # the bar asked about a text that is gone
        self._last_edit = time.monotonic()
        self._cancel_pending_error()
        self.host.start_pause(self.pause_ms())

    def _new_program(self) -> None:
        """Another program replaced the text: it starts as a loaded one does (its last
        run, at the end of backward; nothing the old one was asked to add)."""
        self._fresh_document = True
        self._view = None
        self.skip_layout = False
        self._auto_backward, self._gradient = False, None
        self.set_run(None)
        self.host.notify("another_program")  # (an example pasted over is no longer it)

    def pause_ms(self) -> int:
        """How long to wait after a keystroke: about twice what an evaluation takes."""
        return int(min(MAX_PAUSE_MS, max(MIN_PAUSE_MS, 2000 * self.eval_seconds)))

    def evaluate_now(self) -> None:
        self.host.stop_pause()
        self._cancel_pending_error()
        self._fallback = None
        self._set_state(State.EVALUATING if self.record else State.STARTING)
        self._ask(self.text)

    def _ask(
        self, text: str, add: str | None = None, layout: bool | None = None, reuse: bool = False,
    ) -> None:  # fmt: skip
        """A new request for `text`, with what to add to it (the Backward command's call,
        the lesson's lines, and the lesson command `add`); `reuse`: the worker may lay out
        the record it made last of the same program instead of running it again."""
        self.number += 1
        self._intent = add
        layout = not self.skip_layout if layout is None else layout
        options: dict[str, Any] = {"show_values": self.show_values, "show_saved": self.show_saved,
                                   "show_attrs": self.show_attrs, "chain_rule": False}  # fmt: skip
        options |= {} if layout else {"layout": False}
        options |= self.extra_options
        options |= self.lesson.options()
        options |= self._additions(add)
        options |= {"reuse": True} if reuse else {}
        if self.run is not None:
            options["run"] = self.run
        # plain Python only for a text the user trusted (the lines the worker adds are ours)
        trusted = self.host.is_trusted(text)
        options["trusted"] = trusted
        if trusted != self.trusted:
            self.trusted = trusted
            self.host.notify("trusted", trusted)
        self.limit = LAYOUT_TIME_LIMIT if self.laying_out else self.time_limit
        self._send(Request(self.number, text, options, self.limit))

    def _send(self, request: Request) -> None:
        self.asked, self.asked_at = request, time.monotonic()
        self.host.request(request)
        self._set_busy(True)  # (its listeners run once the worker has the program)

    def _additions(self, add: str | None) -> dict[str, Any]:
        """What the request asks the worker to add (see `core.record.additions`)."""
        options: dict[str, Any] = {}
        if self._auto_backward:
            options["backward"] = {"gradient": self._gradient}
        if self.lesson.lines:
            options["added"] = list(self.lesson.lines)
        if add is not None:
            options["add"] = add
        return options

    def lay_out_whole_graph(self) -> None:
        """Lay out the shown (unlaid) graph in the background, for as long as Graphviz
        takes; `stop` ends it and leaves the graph as it is."""
        if self.record is None or self.busy:
            return
        self.laying_out = True
        self._set_state(State.EVALUATING)
        self._ask(self.record_text, layout=True, reuse=True)

    def stop(self) -> None:
        """End the running evaluation at once (Stop, Esc): the text and the last graph stay."""
        if not self.busy:
            return
        self.host.stop_pause()
        self._cancel_pending_error()
        self.number += 1  # whatever the stopped request still answers is stale now
        self._play_when_ready, self._fallback = False, None
        self.set_run(self.record_run)  # a run asked for and stopped: the shown one stays
        self.host.stop_worker()
        self._set_busy(False)
        if self.laying_out:  # only the layout was asked for: the graph shown is still right
            self.laying_out = False
            self._set_state(State.READY)
            return
        self._pending_error = EvaluationStopped("Stopped.")
        self.show_pending_error()

    def run_trusted(self) -> None:
        """The user said yes ("Run as Python — only for code you trust") to the program
        the safe mode refused: remember its exact text as trusted, and run it as plain
        Python (in the worker, with the same limits)."""
        text = self.trust_text
        if self.trust_needed is None:
            return
        self.host.trust(text)
        self._set_trust_needed(None)
        if text == self.text:
            self.evaluate_now()

    def dismiss_trust(self) -> None:
        """The user closed the bar: the program stays refused."""
        self._set_trust_needed(None)

    def _set_trust_needed(self, error: ProgramError | None, text: str = "") -> None:
        if error is None and self.trust_needed is None:
            return
        self.trust_needed, self.trust_text = error, text if error is not None else ""
        self.host.notify("trust_needed", error)

    def show_run(self, run: int | None) -> None:
        """Show the graph and steps of backward() call `run` (0 = the first; None or the
        last run: the last, as the program ends): the same program is evaluated again, with
        the worker's option run=k. The text is not touched."""
        record = self.record
        if record is None or not has_runs(record):
            return
        last = record.runs[-1].run
        run = None if run is None or run >= last else max(0, run)
        if run == self.run and (self.busy or run == self.record_run):
            return  # shown already, or on its way
        self.set_run(run)
        if self.text != self.record_text:  # edited since: evaluate the text as it is
            self.evaluate_now()
            return
        self.host.stop_pause()
        self._cancel_pending_error()
        self._fallback = None
        self._set_state(State.EVALUATING)
        self._ask(self.record_text)

    def shown_run(self) -> int | None:
        """The run whose graph is shown (None: no record, or no backward() in it)."""
        return None if self.record is None else shown_run(self.record, self.record_run)

    def pending_run(self) -> int | None:
        """The run asked for whose graph is on its way (None: none is)."""
        if self.record is None or self.run == self.record_run or not self.busy:
            return None
        return shown_run(self.record, self.run)

    def set_run(self, run: int | None) -> None:
        if run != self.run:
            self.run = run
            self.host.notify("run")

    def set_time_limit(self, seconds: float) -> None:
        """How long an evaluation may run before the worker is stopped (from the next one)."""
        self.time_limit = float(seconds)

    def backward_with_gradient(self, gradient: str | None) -> None:
        """Play backward from the start; have the worker add a backward() call if there is
        none, with the gradient for a non-scalar output (a nested list, or "" for none:
        PyTorch's error then says why one is needed); None asks the window for it."""
        if self.record is None:
            return
        if self.record.backward:
            self.set_step(0)
            self.host.notify("play")
        elif gradient is None and needs_gradient(self.record):
            self.host.notify("gradient_needed")
        elif can_add_backward(self.record):
            self._auto_backward = True
            self._gradient = gradient
            self._play_when_ready = True
            self.evaluate_now()
        else:
            self.host.notify("backward_note", backward_refusal(self.record))

    def backward_again(self) -> None:
        """Run backward from the output once more: .grad accumulates if the graph was
        retained; otherwise PyTorch's error, explained, and the graph stays as it was."""
        if self.record is None or self.busy:
            return
        if not self.record.backward and not self.record.runs:
            self.backward_with_gradient(None)
        elif not can_run_again(self.record):
            self.host.notify("backward_note", backward_refusal(self.record))
        else:
            self._add("again", play=True)

    def zero_grad(self) -> None:
        """Set every named leaf's .grad to None (optimizer.zero_grad()'s default)."""
        if self.record is None or self.busy:
            return
        if not zero_grad_names(self.record):
            note = translate("AppState", "No named leaf that requires grad: nothing to zero.")
            self.host.notify("backward_note", note)
            return
        self._add("zero_grad", play=False)

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

    def _add(self, intent: str, play: bool) -> None:
        self.set_run(None)  # a lesson line acts after the program: show its end
        self._play_when_ready = play
        self._evaluate_again(intent)

    def _evaluate_again(self, add: str | None = None) -> None:
        """The shown program again, with what was added to it (and the lesson command
        `add`); on failure the graph stays and the note says why."""
        if self.record is None:
            return
        self.host.stop_pause()
        # (a graph up to a failed backward() is no fallback: the text's error comes again)
        self._fallback = self.record if self.cut_at is None else None
        self._fallback_run = self.record_run
        self._set_state(State.EVALUATING)
        self._ask(self.record_text, add)

    def lesson_state(self) -> Lesson:
        """The lesson as a session keeps it."""
        return self.lesson.snapshot(self._auto_backward, self._gradient)

    def set_step(self, step: int) -> None:
        step = max(0, min(step, self.step_count()))
        if step != self.step:
            self.step = step
            self.host.notify("step", step)

    def step_count(self) -> int:
        return len(self.record.backward) if self.record else 0

    def select(self, node_id: str) -> None:
        if node_id != self.selected:
            self.selected = node_id
            self.host.notify("selection", node_id)

    def set_show_values(self, show: bool) -> None:
        if show != self.show_values:
            self.show_values = show
            self.evaluate_now()  # box sizes change with the value lines: lay out again

    def set_graph_options(self, show_saved: bool, show_attrs: bool) -> None:
        """torchviz's show_saved and show_attrs; the graph is made again when they change."""
        if (show_saved, show_attrs) != (self.show_saved, self.show_attrs):
            self.show_saved, self.show_attrs = show_saved, show_attrs
            self.evaluate_now()

    # --- answers ----------------------------------------------------------------------------
    def on_finished(self, number: int, record: GraphRecord, seconds: float) -> None:
        if number != self.number:
            return  # stale: the text changed since this was asked for
        self.eval_seconds = seconds
        self._set_busy(False)
        background, self.laying_out = self.laying_out, False
        if not is_laid_out(record) and not is_big(record):
            self.skip_layout = False  # small again: the next edit is laid out as usual
        elif ran_out_of_time(record.layout_error) and not background:
            self.skip_layout = True  # as when the time limit struck in layout: see on_failed
        self.added_backward, self.lesson.lines = added(record)
        self._accept(record)

    def _show_cut(self, error: BackwardFailed, record: GraphRecord, text: str) -> None:
        """The graph of `text` up to its failed backward(), with PyTorch's error beside it,
        and with what the worker added after it (the Backward command's call, with the
        user's gradient: it runs on this graph; the lesson's lines); the note says what
        of that failed, if anything did."""
        self.added_backward, self.lesson.lines = added(record)
        addition = error.addition
        if addition is not None and addition.backward:
            self._auto_backward = False
        self._accept(record, cut_at=error.line)
        self.record_text = text  # the editor's text, whose lines the graph's are
        if addition is not None:
            self.host.notify("backward_note", failure_note(addition.what, addition.error))
        self._pending_error = error
        self.show_pending_error()

    def _accept(self, record: GraphRecord, cut_at: int | None = None) -> None:
        self._fallback = None
        self.cut_at = cut_at
        if requested_run(record, self.run) is None:
            self.set_run(None)  # the program no longer makes that run: its last is shown
        record = shown_record(record, self.run)  # the player plays the shown run's steps
        self.record_run = self.run
        old_record, old_step, old_selected = self.record, self.step, self.selected
        self.record, self.error = record, None
        self.record_text = self.asked.text if self.asked is not None else self.text
        self.step = self._step_for(record, old_record, old_step)
        if self._fresh_document:
            self.program += 1
            self.selected = first_parameter(record)
            if self._view is not None and self._view.selected in {n.id for n in record.nodes}:
                self.selected = self._view.selected
        else:
            self.selected = same_node(old_record, record, old_selected)
        self._fresh_document, self._view = False, None
        self._set_trust_needed(None)
        self.host.notify("error", None)
        notes = (backward_note(self.added_backward, cut_at), self.lesson.note(record),
                 outside_note(record))  # fmt: skip
        self.host.notify("backward_note", " ".join(n for n in notes if n))
        self.chain_note, self.shown_number = "", self.number
        if record.chain_rule_pending:
            self.host.explain(self.number)  # the graph first, the chain rule next
        self.host.notify("record", record)
        self.host.notify("step", self.step)
        if self.selected != old_selected:
            self.host.notify("selection", self.selected)
        self._set_state(State.READY)
        if self._play_when_ready:
            self._play_when_ready = False
            self.host.notify("play")

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

    def on_explained(self, number: int, result: object) -> None:
        record = self.record
        if number != self.shown_number or record is None or not record.chain_rule_pending:
            return  # not the record shown
        if isinstance(result, tuple):
            self.record = for_player(record.with_chain(result), self.record_run)
        elif result is None:
            self.chain_note = translate("AppState", CHAIN_OUT_OF_DATE)
        else:
            self.chain_note = translate(
                "AppState", "The chain rule could not be worked out: {reason}"
            ).format(reason=result)
        self.host.notify("chain")

    def waits_for_chain(self) -> bool:
        """Whether the shown record's chain-rule lines are still on their way."""
        return self.record is not None and self.record.chain_rule_pending and not self.chain_note

    def on_failed(self, number: int, error: Exception) -> None:
        if number != self.number:
            return  # stale: the text changed since this was asked for
        if self.waits_for_chain():
            self.chain_note = translate(
                "AppState", CHAIN_OUT_OF_DATE
            )  # its explanation was skipped for this request
            self.host.notify("chain")
        self._set_busy(False)
        if ran_out_in_layout(error) and not self.laying_out:
            self.skip_layout = True  # the program ran: its record comes without a layout
            if not self.host.pause_active() and self.asked is not None:
                self.number += 1  # the same request again, without the layout
                options = self.asked.options | {"layout": False}
                self._send(Request(self.number, self.asked.text, options, self.limit))
            return
        self.laying_out = False
        if self.host.pause_active():
            return  # the text has changed and will be evaluated again shortly
        play, self._play_when_ready = self._play_when_ready, False
        if self._fallback is not None or isinstance(error, AdditionFailed):
            self._addition_failed(error)
            return
        self.set_run(self.record_run)  # a run asked for that failed: the shown one stays
        if isinstance(error, BackwardFailed) and error.before is not None and self.asked:
            # the graph it was called on, where what Backward added plays
            self._play_when_ready = play and error.addition is None
            self._show_cut(error, error.before, self.asked.text)
            return
        self.cut_at = None  # the graph shown is no longer the text's up to its backward()
        if isinstance(error, EvaluationTimeout):
            self.eval_seconds = MAX_PAUSE_MS / 1000
        wait = ERROR_GRACE_MS - 1000 * (time.monotonic() - self._last_edit)
        self._pending_error = error
        if isinstance(error, ProgramError) and wait > 0:
            self.host.start_grace(int(wait))
        else:
            self.show_pending_error()

    def _addition_failed(self, error: Exception) -> None:
        """What the worker was asked to add failed, not the text: the record without it
        shows, and the note says why."""
        fallback = self._fallback
        if isinstance(error, AdditionFailed):
            what, cause = error.what, error.error
            if fallback is None and error.record is not None:  # the worker's, without it
                fallback = error.record
                self.added_backward, self.lesson.lines = added(error.record)
            if error.backward:
                self._auto_backward = False
        else:  # (it ran out of time, say): the command asked for is named
            command = COMMANDS.get(self._intent or "")
            what = (
                translate("AppState", command)
                if command
                else self.added_backward or translate("AppState", "Backward")
            )
            cause = error
            if self._intent is None:
                self.added_backward, self._auto_backward = None, False
        if fallback is None:  # nothing to show instead: as any error
            self._fallback = None
            self.on_failed(self.number, cause)
            return
        self.set_run(self._fallback_run if self._fallback is not None else self.run)
        self._accept(fallback)
        self.host.notify("backward_note", failure_note(what, cause))

    def show_pending_error(self) -> None:
        error, self._pending_error = self._pending_error, None
        if error is None:
            return
        self.error = error
        if isinstance(error, ProgramError) and error.trust and not self.trusted:
            self._set_trust_needed(error, self.asked.text if self.asked else self.text)
        else:
            self._set_trust_needed(None)
        self.host.notify("error", error)
        self._set_state(State.ERROR)

    def _cancel_pending_error(self) -> None:
        self.host.stop_grace()
        self._pending_error = None

    def _set_state(self, state: State) -> None:
        if state != self.state:
            self.state = state
            self.host.notify("state", str(state))

    def _set_busy(self, busy: bool) -> None:
        if busy != self.busy:
            self.busy = busy
            self.host.notify("busy", busy)

    @property
    def error_text(self) -> str:
        """The error in the words the window shows ("" when there is none)."""
        return "" if self.error is None else failure_text(self.error, self.limit)

    @property
    def out_of_date(self) -> bool:
        """The graph on screen is from an earlier text (the current one has an error); not
        when it is the graph up to a failed backward() (`cut_at`)."""
        return self.record is not None and self.error is not None and self.cut_at is None


def another_program(old: str, new: str) -> bool:
    """Whether `new` is another program than `old` rather than an edit of it: it keeps
    less than half of old's lines (blank ones aside), as a paste over the whole text does;
    typing, however much, changes a line or a few at a time."""
    before = [line.strip() for line in old.splitlines() if line.strip()]
    after = [line.strip() for line in new.splitlines() if line.strip()]
    if not before or not after:
        return bool(before) != bool(after)
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    kept = sum(block.size for block in matcher.get_matching_blocks())
    return kept * 2 < len(before)

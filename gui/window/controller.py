"""The Qt side of the app's state (`gui.model.app_state.AppState`): its timers, its
signals, and the evaluator it sends requests to. What to ask, what to show and what is
stale is decided there, without Qt; this only wires it up.

Widgets call the public methods and redraw on the signals; results from the worker arrive
through the evaluator's signals, tagged with the request number, and go to the state.

Programs run under the safe mode, unless the user trusted their exact text (`run_trusted`,
after a refusal that plain Python would run: `trustNeeded`); the hashes of trusted texts
are kept in the settings, so the same text, typed or opened, runs as plain Python later
too, and any other text does not.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEventLoop, QObject, QTimer, Signal, SignalInstance

from core.record.graph import GraphRecord
from core.record.session_file import Lesson, View
from gui.model.app_state import (
    CHAIN_OUT_OF_DATE,
    LAYOUT_TIME_LIMIT,
    MAX_PAUSE_MS,
    MIN_PAUSE_MS,
    AppState,
    Request,
    State,
)
from gui.window import settings
from gui.window.evaluator import Evaluator

__all__ = ["CHAIN_OUT_OF_DATE", "LAYOUT_TIME_LIMIT", "MAX_PAUSE_MS", "MIN_PAUSE_MS",
           "Controller", "State"]  # fmt: skip


def _state(name: str, writable: bool = False) -> property:
    """A property of the controller that is the state's attribute `name`."""

    def get(self: Controller) -> Any:
        return getattr(self.app, name)

    def set_(self: Controller, value: Any) -> None:
        setattr(self.app, name, value)

    return property(get, set_ if writable else None, doc=f"AppState.{name}")


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
    anotherProgram = Signal()  # the text became another program (pasted over the shown one)

    def __init__(
        self, evaluator: Evaluator, show_values: bool = True, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.evaluator = evaluator
        self._timer = single_shot(self, self.evaluate_now)
        self._error_timer = single_shot(self, self._show_pending_error)
        self._signals: dict[str, SignalInstance] = {
            "record": self.recordChanged, "step": self.stepChanged,
            "selection": self.selectionChanged, "error": self.errorChanged,
            "state": self.stateChanged, "busy": self.busyChanged,
            "backward_note": self.backwardNoteChanged, "play": self.playRequested,
            "gradient_needed": self.gradientNeeded, "chain": self.chainChanged,
            "trust_needed": self.trustNeeded, "trusted": self.trustedChanged,
            "run": self.runChanged, "another_program": self.anotherProgram,
        }  # fmt: skip
        self.app = AppState(self, show_values)
        # (through our own methods: Qt lets go of them when the controller goes)
        evaluator.finished.connect(self._on_finished)
        evaluator.failed.connect(self._on_failed)
        evaluator.explained.connect(self._on_explained)

    # --- what the state reads and the window may set ----------------------------------------
    text = _state("text")
    record = _state("record")
    record_text = _state("record_text")
    step = _state("step")
    selected = _state("selected")
    error = _state("error")
    state = _state("state")
    busy = _state("busy")
    asked_at = _state("asked_at")
    eval_seconds = _state("eval_seconds")
    added_backward = _state("added_backward")
    lesson = _state("lesson")
    extra_options = _state("extra_options")
    chain_note = _state("chain_note")
    trusted = _state("trusted")
    trust_needed = _state("trust_needed")
    run = _state("run")
    cut_at = _state("cut_at")
    skip_layout = _state("skip_layout")
    laying_out = _state("laying_out")
    time_limit = _state("time_limit")
    show_values = _state("show_values", writable=True)
    show_saved = _state("show_saved", writable=True)
    show_attrs = _state("show_attrs", writable=True)
    _number = _state("number")
    _shown_number = _state("shown_number")

    # --- the state's host -----------------------------------------------------------------
    def request(self, request: Request) -> None:
        self.evaluator.request(request.number, request.text, time_limit=request.time_limit,
                               **request.options)  # fmt: skip

    def explain(self, number: int) -> None:
        self.evaluator.explain(number)

    def stop_worker(self) -> None:
        self.evaluator.stop()

    def start_pause(self, ms: int) -> None:
        self._timer.start(ms)

    def stop_pause(self) -> None:
        self._timer.stop()

    def pause_active(self) -> bool:
        return self._timer.isActive()

    def start_grace(self, ms: int) -> None:
        self._error_timer.start(ms)

    def stop_grace(self) -> None:
        self._error_timer.stop()

    def is_trusted(self, text: str) -> bool:
        return settings.is_trusted(text)

    def trust(self, text: str) -> None:
        settings.trust(text)

    def notify(self, event: str, *args: Any) -> None:
        self._signals[event].emit(*args)

    # --- commands (see AppState) ------------------------------------------------------------
    def load(self, text: str, view: View | None = None, lesson: Lesson | None = None) -> None:
        self.app.load(text, view, lesson)

    def lesson_state(self) -> Lesson:
        """The lesson as a session keeps it."""
        return self.app.lesson_state()

    def edit(self, text: str) -> None:
        """The user edited the text: re-evaluate once typing pauses."""
        self.app.edit(text)

    def evaluate_now(self) -> None:
        self.app.evaluate_now()

    def _show_pending_error(self) -> None:
        self.app.show_pending_error()

    def _on_finished(self, number: int, record: GraphRecord, seconds: float) -> None:
        self.app.on_finished(number, record, seconds)

    def _on_failed(self, number: int, error: Exception) -> None:
        self.app.on_failed(number, error)

    def _on_explained(self, number: int, result: object) -> None:
        self.app.on_explained(number, result)

    def pause_ms(self) -> int:
        return self.app.pause_ms()

    def lay_out_whole_graph(self) -> None:
        self.app.lay_out_whole_graph()

    def stop(self) -> None:
        self.app.stop()

    def run_trusted(self) -> None:
        self.app.run_trusted()

    def dismiss_trust(self) -> None:
        self.app.dismiss_trust()

    def show_run(self, run: int | None) -> None:
        self.app.show_run(run)

    def shown_run(self) -> int | None:
        return self.app.shown_run()

    def pending_run(self) -> int | None:
        return self.app.pending_run()

    @property
    def program(self) -> int:
        """How many new programs have been shown (a load, or another text pasted in)."""
        return self.app.program

    def set_time_limit(self, seconds: float) -> None:
        self.app.set_time_limit(seconds)

    def run_backward(self) -> None:
        """Play backward from the start; have a backward() call added for display if there
        is none (for a non-scalar output, the window is asked for its `gradient` first)."""
        self.app.backward_with_gradient(None)

    def backward_with_gradient(self, gradient: str | None) -> None:
        self.app.backward_with_gradient(gradient)

    def backward_again(self) -> None:
        self.app.backward_again()

    def zero_grad(self) -> None:
        self.app.zero_grad()

    def toggle_retain_grad(self, node_id: str) -> None:
        self.app.toggle_retain_grad(node_id)

    def set_show_constants(self, show: bool) -> None:
        self.app.set_show_constants(show)

    def set_step(self, step: int) -> None:
        self.app.set_step(step)

    def step_count(self) -> int:
        return self.app.step_count()

    def select(self, node_id: str) -> None:
        self.app.select(node_id)

    def set_show_values(self, show: bool) -> None:
        self.app.set_show_values(show)

    def set_graph_options(self, show_saved: bool, show_attrs: bool) -> None:
        self.app.set_graph_options(show_saved, show_attrs)

    def explained_record(self) -> GraphRecord | None:
        """The record with its chain-rule lines (for exports), waiting for them while the
        worker is still working them out."""
        if self.app.waits_for_chain():
            loop = QEventLoop()
            self.chainChanged.connect(loop.quit)
            QTimer.singleShot(int(1000 * self.time_limit) + 2000, loop.quit)
            loop.exec()
            self.chainChanged.disconnect(loop.quit)
        return self.record

    @property
    def error_text(self) -> str:
        """The error in the words the window shows ("" when there is none)."""
        return self.app.error_text

    @property
    def out_of_date(self) -> bool:
        """The graph on screen is from an earlier text (the current one has an error)."""
        return self.app.out_of_date


def single_shot(parent: QObject, slot: Callable[[], None]) -> QTimer:
    timer = QTimer(parent)
    timer.setSingleShot(True)
    timer.timeout.connect(slot)
    return timer

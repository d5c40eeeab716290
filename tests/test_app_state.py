"""The app's state without Qt: a fake host records what it is asked to do, and the test
answers the requests with records the way the worker would (no worker runs here)."""

from dataclasses import replace
from typing import Any

from core.process.client import AdditionFailed, EvaluationTimeout
from core.record.additions import ADDED, BackwardFailed, marked_failed
from core.record.graph import BackwardStep, GraphRecord, Node, RunSummary
from core.record.language import ProgramError
from gui.model.app_state import (
    CHAIN_OUT_OF_DATE,
    ERROR_GRACE_MS,
    AppState,
    Request,
    State,
    another_program,
)

TEXT = "x = torch.ones(2, requires_grad=True)\no = (x * 2).sum()\n"
CALL = {"backward": "o.backward()", "lines": []}  # what the worker says it added


class Host:
    """Records requests, events and timers; trusts nothing unless told."""

    def __init__(self) -> None:
        self.requests: list[Request] = []
        self.explains: list[int] = []
        self.events: list[tuple[str, tuple[Any, ...]]] = []
        self.pause: int | None = None
        self.grace: int | None = None
        self.stopped = 0
        self.trusted: set[str] = set()

    def request(self, request: Request) -> None:
        self.requests.append(request)

    def explain(self, number: int) -> None:
        self.explains.append(number)

    def stop_worker(self) -> None:
        self.stopped += 1

    def start_pause(self, ms: int) -> None:
        self.pause = ms

    def stop_pause(self) -> None:
        self.pause = None

    def pause_active(self) -> bool:
        return self.pause is not None

    def start_grace(self, ms: int) -> None:
        self.grace = ms

    def stop_grace(self) -> None:
        self.grace = None

    def is_trusted(self, text: str) -> bool:
        return text in self.trusted

    def trust(self, text: str) -> None:
        self.trusted.add(text)

    def notify(self, event: str, *args: Any) -> None:
        self.events.append((event, args))

    def said(self, event: str) -> list[tuple[Any, ...]]:
        return [args for name, args in self.events if name == event]


def record(text: str = TEXT, steps: int = 0, pending: bool = False, **options: Any) -> GraphRecord:
    """A small record of `text`: x -> o, with `steps` backward steps."""
    nodes = (
        Node("n0", "tensor", name="x", shape=(2,), requires_grad=True, is_leaf=True, role="leaf"),
        Node("n1", "tensor", name="o", shape=(), requires_grad=True, is_leaf=False, role="output"),
    )
    backward = tuple(BackwardStep(0, "n1", chain=("line",)) for _ in range(steps))
    flags = {"chain_rule_pending": True} if pending else {}
    return GraphRecord(text, "n1", nodes, (), backward, options=flags | options)


def started(text: str = TEXT, answer: GraphRecord | None = None) -> tuple[AppState, Host]:
    host = Host()
    app = AppState(host)
    app.load(text)
    app.on_finished(host.requests[-1].number, answer or record(text), 0.01)
    return app, host


def test_a_load_asks_once_and_shows_the_answer():
    host = Host()
    app = AppState(host)
    app.load(TEXT)
    assert len(host.requests) == 1 and host.requests[0].text == TEXT
    assert app.state == State.STARTING and app.busy
    made = record(steps=3)
    app.on_finished(host.requests[0].number, made, 0.01)
    assert app.record is made and app.record_text == TEXT and app.state == State.READY
    assert app.step == 3  # a fresh document shows the end, as the program left it
    assert not app.busy and host.said("record") == [(made,)]


def test_stale_answers_are_dropped():
    app, host = started()
    app.edit(TEXT + "y = x\n")
    app.evaluate_now()  # (the pause ran out)
    first = host.requests[-1].number
    app.edit(TEXT + "y = x * 3\n")
    app.evaluate_now()
    shown = app.record
    app.on_finished(first, record(TEXT + "y = x\n"), 0.01)  # an older request's answer
    app.on_failed(first, ProgramError("late", 1, 1))
    assert app.record is shown and app.error is None and app.busy
    newest = record(TEXT + "y = x * 3\n")
    app.on_finished(host.requests[-1].number, newest, 0.01)
    assert app.record is newest and app.record_text == TEXT + "y = x * 3\n"


def test_an_edit_evaluates_again_once_typing_pauses():
    app, host = started()
    asked = len(host.requests)
    app.edit(TEXT + "# more\n")
    assert len(host.requests) == asked and host.pause is not None  # nothing asked yet ...
    app.edit(TEXT + "# more\n")  # (the same text: nothing new)
    app.evaluate_now()  # ... until the pause runs out
    assert len(host.requests) == asked + 1 and host.requests[-1].text == TEXT + "# more\n"
    assert host.pause is None and app.state == State.EVALUATING


def test_one_request_per_edit():
    """Each edit is one request, whatever it adds: the worker adds the backward() call."""
    app, host = started(answer=record(steps=0))
    app.backward_with_gradient(None)  # Backward on a program without backward()
    assert len(host.requests) == 2
    asked = host.requests[-1]
    assert asked.text == TEXT and asked.options["backward"] == {"gradient": None}
    added = record(TEXT + "o.backward()\n", steps=2, added=CALL)
    app.on_finished(asked.number, added, 0.01)
    assert len(host.requests) == 2  # no follow-up request from the answer
    assert app.added_backward == "o.backward()" and app.record_text == TEXT
    for k in range(3):
        app.edit(TEXT + "#" * (k + 1) + "\n")
        app.evaluate_now()
        assert len(host.requests) == 3 + k
        assert host.requests[-1].options["backward"] == {"gradient": None}  # still wanted
        app.on_finished(host.requests[-1].number, added, 0.01)


def test_the_step_follows_the_record():
    app, host = started(answer=record(steps=4))
    app.set_step(2)
    assert app.step == 2 and host.said("step")[-1] == (2,)
    app.set_step(99)
    assert app.step == 4  # clamped to the record's steps
    app.evaluate_now()
    app.on_finished(host.requests[-1].number, record(steps=3), 0.01)
    assert app.step == 3  # watching the end: stays at the end
    app.set_step(1)
    app.evaluate_now()
    app.on_finished(host.requests[-1].number, record(steps=5), 0.01)
    assert app.step == 1  # the same step of the new record


def test_the_added_backward_plays_from_the_start_of_its_run():
    app, host = started(answer=record(steps=0))
    app.backward_with_gradient(None)
    added = record(TEXT + "o.backward()\n", steps=3, added=CALL)
    app.on_finished(host.requests[-1].number, added, 0.01)
    assert app.step == 0 and host.said("play") == [()]
    assert "Added o.backward() for display" in host.said("backward_note")[-1][0]


def test_a_failing_added_backward_keeps_the_program_s_own_record():
    app, host = started(answer=record(steps=0))
    app.backward_with_gradient(None)
    plain = record(added={"backward": None, "lines": []})
    error = AdditionFailed(ProgramError("element 0 of tensors does not require grad", 3, 1),
                           "o.backward()", True, plain)  # fmt: skip
    app.on_failed(host.requests[-1].number, error)
    assert app.record is plain and app.error is None and app.added_backward is None
    assert host.said("backward_note")[-1][0].startswith("o.backward() failed — PyTorch:")
    app.evaluate_now()
    assert "backward" not in host.requests[-1].options  # not asked for again


def test_a_lesson_command_asks_by_name_and_keeps_the_shown_graph_when_it_fails():
    app, host = started(answer=record(steps=2))
    shown = app.record
    app.backward_again()
    asked = host.requests[-1]
    assert asked.options["add"] == "again" and asked.text == TEXT and "added" not in asked.options
    refused = ProgramError("Trying to backward through the graph a second time", 3, 1)
    error = AdditionFailed(refused, "o.backward(retain_graph=True)", False, None)
    app.on_failed(asked.number, error)
    assert app.record is shown and app.lesson.lines == []
    assert "o.backward(retain_graph=True) failed" in host.said("backward_note")[-1][0]
    app.zero_grad()
    lines = {"backward": None, "lines": ["x.grad = None"]}
    app.on_finished(host.requests[-1].number, record(steps=2, **{ADDED: lines}), 0.01)
    assert app.lesson.lines == ["x.grad = None"]
    app.backward_again()
    assert host.requests[-1].options["added"] == ["x.grad = None"]  # the worker's own lines
    app.on_failed(host.requests[-1].number, EvaluationTimeout("too slow"))
    assert app.record.source == TEXT and app.lesson.lines == ["x.grad = None"]
    assert host.said("backward_note")[-1][0].startswith("Backward again failed")


def test_an_error_waits_for_typing_to_pause_then_shows_and_the_graph_stays():
    app, host = started()
    shown = app.record
    app.edit("x = (\n")
    app.evaluate_now()
    app.on_failed(host.requests[-1].number, ProgramError("'(' was never closed", 1, 5))
    assert app.error is None and 0 < (host.grace or 0) <= ERROR_GRACE_MS  # not yet
    app.show_pending_error()  # (the grace ran out)
    assert app.state == State.ERROR and app.out_of_date and app.record is shown
    assert "never closed" in app.error_text


def test_the_chain_rule_comes_later_and_a_newer_request_makes_it_moot():
    app, host = started(answer=record(steps=2, pending=True))
    assert host.explains == [app.shown_number] and app.waits_for_chain()
    app.evaluate_now()
    app.on_failed(host.requests[-1].number, ProgramError("bad", 1, 1))
    assert app.chain_note == CHAIN_OUT_OF_DATE and not app.waits_for_chain()


def test_the_explanation_completes_the_shown_record():
    app, host = started(answer=record(steps=2, pending=True))
    steps = (BackwardStep(0, "n1", chain=("a",)), BackwardStep(0, "n1", chain=("b",)))
    app.on_explained(host.explains[0] + 1, steps)  # not the shown record's: ignored
    assert app.record.chain_rule_pending
    app.on_explained(host.explains[0], steps)
    assert not app.record.chain_rule_pending and app.record.backward == steps


def test_layout_out_of_time_asks_the_same_request_without_layout():
    app, host = started()
    app.evaluate_now()
    first = host.requests[-1]
    app.on_failed(first.number, EvaluationTimeout("Stopped while laying out the graph.", -1))
    again = host.requests[-1]
    assert again.number == first.number + 1 and again.text == first.text
    assert again.options == first.options | {"layout": False} and app.skip_layout


def test_stop_keeps_the_text_and_the_graph():
    app, host = started()
    shown = app.record
    app.edit(TEXT + "while True: pass\n")
    app.evaluate_now()
    app.stop()
    assert host.stopped == 1 and not app.busy and app.record is shown
    assert app.state == State.ERROR and app.error_text.startswith("Stopped")


def test_trust_is_asked_for_the_refused_text_and_only_that_one():
    app, host = started()
    app.edit("import numpy\n")
    app.evaluate_now()
    refusal = ProgramError("Only torch, math and random can be imported.", 1, 1, 1, 13,
                           "import numpy")  # fmt: skip
    app.on_failed(host.requests[-1].number, refusal)
    app.show_pending_error()
    assert app.trust_needed is refusal and app.trust_text == "import numpy\n"
    app.run_trusted()
    assert host.trusted == {"import numpy\n"} and host.requests[-1].options["trusted"] is True


FAILS = TEXT + "y = x * x\ny.backward()\n"  # PyTorch refuses a non-scalar's backward()


def test_a_failed_backward_shows_the_graph_the_worker_made_of_the_text_before_it():
    """Issue 19 item 10 in one request (issue 18 item 2): the worker answers PyTorch's
    refusal of a backward() line with the graph of the text up to that line, which shows
    with the error beside it, not out of date; no second request is made."""
    app, host = started(answer=record(steps=2))
    app.edit(FAILS)
    app.evaluate_now()
    asked = len(host.requests)
    message = "grad can be implicitly created only for scalar outputs"
    before = record(TEXT + "y = x * x\n")
    refused = BackwardFailed(message, 4, 1, before=before)
    app.on_failed(host.requests[-1].number, refused)
    assert len(host.requests) == asked  # one request, one answer
    assert app.record is before and app.error is refused and app.cut_at == 4
    assert not app.out_of_date and app.record_text == FAILS and app.state == State.ERROR
    assert not app.busy
    app.evaluate_now()  # any new request: the cut is forgotten
    app.on_finished(host.requests[-1].number, record(FAILS), 0.01)
    assert app.cut_at is None and app.error is None


def test_an_error_after_a_failed_backward_forgets_the_cut():
    """A new error (a refusal that offers trust, say) after the graph up to a failed
    backward(): the graph shown is out of date, and the status no longer names the cut."""
    app, host = started(answer=record(steps=2))
    app.edit(FAILS)
    app.evaluate_now()
    before = record(TEXT + "y = x * x\n")
    failed = BackwardFailed(
        "grad can be implicitly created only for scalar outputs", 4, 1, before=before
    )
    app.on_failed(host.requests[-1].number, failed)
    assert app.cut_at == 4
    app.edit("import numpy\nx = torch.ones(2)\n")
    app.evaluate_now()
    app.on_failed(host.requests[-1].number, ProgramError("import numpy", 1, 1))
    app.show_pending_error()
    assert app.cut_at is None and app.out_of_date


def test_a_failed_backward_whose_text_before_fails_too_says_the_error():
    """Without a graph before it (the worker could not make one), the error shows as any
    program error does, and the graph shown is out of date."""
    app, host = started()
    app.edit(FAILS)
    app.evaluate_now()
    asked = len(host.requests)
    refused = BackwardFailed("grad can be implicitly created only for scalar outputs", 4, 1)
    app.on_failed(host.requests[-1].number, refused)
    app.show_pending_error()
    assert len(host.requests) == asked
    assert app.error is refused and app.out_of_date and app.cut_at is None


VECTOR = "x = torch.tensor([1.0, 2.0], requires_grad=True)\ny = x * 3\n"
VECTOR_FAILS = VECTOR + "y.backward()\n"  # line 3: y is not a scalar
SCALAR_RULE = "RuntimeError: grad can be implicitly created only for scalar outputs"
WITH_GRADIENT = "y.backward(torch.tensor([1, 1], dtype=y.dtype))"


def cut(steps: int = 0, call: str | None = None) -> GraphRecord:
    """The worker's graph of VECTOR_FAILS before its failed line 3 (x -> y, y of shape
    (2,)), with `call` added after it (and `steps` steps from it)."""
    nodes = (
        Node("n0", "tensor", name="x", shape=(2,), requires_grad=True, is_leaf=True, role="leaf"),
        Node(
            "n1", "tensor", name="y", shape=(2,), requires_grad=True, is_leaf=False, role="output"
        ),
    )
    backward = tuple(BackwardStep(0, "n1", chain=("line",)) for _ in range(steps))
    source = VECTOR + (f"{call}\n" if call else "")
    made = GraphRecord(source, "n1", nodes, (), backward,
                       options={ADDED: {"backward": call, "lines": []}})  # fmt: skip
    return marked_failed(made, 3, SCALAR_RULE)


def test_backward_after_a_failed_backward_runs_on_the_graph_before_it_and_plays():
    """The program's own y.backward() failed (y is not a scalar): Backward asks for a
    gradient, asks the worker for the text with that gradient's call (which the worker
    adds after the text before the failed line), and plays what comes back, the error
    still beside it."""
    app, host = started(answer=record(steps=2))
    app.edit(VECTOR_FAILS)
    app.evaluate_now()
    before = cut()
    app.on_failed(host.requests[-1].number, BackwardFailed(SCALAR_RULE, 3, 1, before=before))
    assert app.record is before and app.cut_at == 3 and app.step_count() == 0
    asked = len(host.requests)
    app.backward_with_gradient(None)  # the Backward button
    assert host.said("gradient_needed") and len(host.requests) == asked  # the dialog first
    app.backward_with_gradient("[1, 1]")  # its answer
    request = host.requests[-1]
    assert request.text == VECTOR_FAILS and request.options["backward"] == {"gradient": "[1, 1]"}
    played = cut(steps=2, call=WITH_GRADIENT)
    plays = len(host.said("play"))
    app.on_failed(request.number, BackwardFailed(SCALAR_RULE, 3, 1, before=played))
    assert app.record is played and app.cut_at == 3 and app.error is not None
    assert app.added_backward == WITH_GRADIENT and app.record_text == VECTOR_FAILS
    assert app.step == 0 and len(host.said("play")) == plays + 1  # it plays from the start
    assert host.said("backward_note")[-1][0] == (
        f"Added {WITH_GRADIENT} in place of line 3's failed backward(), for display; "
        "your text is unchanged."
    )
    app.edit(VECTOR_FAILS + "# more\n")
    app.evaluate_now()
    assert host.requests[-1].options["backward"] == {"gradient": "[1, 1]"}  # still wanted


def test_a_gradient_that_fails_after_a_failed_backward_says_why():
    """A gradient of the wrong shape: the worker answers with the graph before the failed
    line without the call, and the note gives PyTorch's reason; nothing plays, and the
    call is not asked for again."""
    app, host = started(answer=record(steps=2))
    app.edit(VECTOR_FAILS)
    app.evaluate_now()
    app.on_failed(host.requests[-1].number, BackwardFailed(SCALAR_RULE, 3, 1, before=cut()))
    app.backward_with_gradient("[1, 1, 1]")
    call = "y.backward(torch.tensor([1, 1, 1], dtype=y.dtype))"
    mismatch = ProgramError("RuntimeError: Mismatch in shape: grad_output[0] has a shape "
                            "of torch.Size([3]) and output[0] has a shape of torch.Size([2]).",
                            4, 1)  # fmt: skip
    plain = cut()
    refused = AdditionFailed(mismatch, call, True, plain)
    plays = len(host.said("play"))
    app.on_failed(host.requests[-1].number,
                  BackwardFailed(SCALAR_RULE, 3, 1, before=plain, addition=refused))  # fmt: skip
    assert app.record is plain and app.cut_at == 3 and app.added_backward is None
    assert len(host.said("play")) == plays
    assert host.said("backward_note")[-1][0].startswith(f"{call} failed — PyTorch: ")
    assert "Mismatch in shape" in host.said("backward_note")[-1][0]
    app.evaluate_now()
    assert "backward" not in host.requests[-1].options


def test_a_session_s_lesson_is_asked_for_again_and_kept():
    """Issue 19 item 3, in the state: a session's lesson (the added backward() with its
    gradient, the worker's lines, the marks and constants) goes with the first request,
    and the state gives it back as a session keeps it."""
    from core.record.session_file import Lesson

    host = Host()
    app = AppState(host)
    lesson = Lesson(retain_grad=((2, 1, 2, 9),), show_constants=True, backward=True,
                    gradient="[1., 2.]", lines=("x.grad = None",))  # fmt: skip
    app.load(TEXT, lesson=lesson)
    options = host.requests[-1].options
    assert options["backward"] == {"gradient": "[1., 2.]"}
    assert options["added"] == ["x.grad = None"] and options["show_constants"]
    assert options["retain_grad"] == [(2, 1, 2, 9)]
    answer = {"backward": "o.backward()", "lines": ["x.grad = None"]}
    app.on_finished(host.requests[-1].number, record(steps=2, **{ADDED: answer}), 0.01)
    assert app.lesson_state() == lesson


def test_the_note_says_which_named_tensors_are_not_in_the_graph():
    text = TEXT + "a = torch.ones(3)\n"
    app, host = started(text, record(text, steps=1))
    assert "a is not in the graph" in host.said("backward_note")[-1][0]


LOOP = (
    "w = torch.ones(2, requires_grad=True)\n"
    "for t in range(4):\n"
    "    loss = (w * 3).sum()\n"
    "    loss.backward()\n"
    "    with torch.no_grad():\n"
    "        w -= 0.1 * w.grad\n"
)
OTHER = (
    "import torch\n"
    "a = torch.ones(3, requires_grad=True)\n"
    "b = torch.ones(3, requires_grad=True)\n"
    "c = (a * b).sum()\n"
    "c.backward()\n"
)


def loop_record(text: str, run: int | None, steps: int = 8) -> GraphRecord:
    """A training loop's record as the worker sends it: 4 runs, the graph and `steps`
    steps of `run` (None: the last)."""
    shown = 3 if run is None else run
    runs = tuple(RunSummary(r, 10.0 - r, detailed=r == shown) for r in range(4))
    return replace(record(text, steps=steps), backward=tuple(
        BackwardStep(shown, "n1", chain=("line",)) for _ in range(steps)), runs=runs)  # fmt: skip


def at_run_1_step_2(text: str = LOOP) -> tuple[AppState, Host]:
    """A loop opened, run 1 chosen, the player at step 2."""
    app, host = started(text, loop_record(text, None))
    assert app.step == 8 and app.run is None and app.program == 1
    app.show_run(1)
    assert host.requests[-1].options["run"] == 1
    app.on_finished(host.requests[-1].number, loop_record(text, 1), 0.01)
    app.set_step(2)
    assert (app.shown_run(), app.step) == (1, 2)
    return app, host


def test_another_program_pasted_in_starts_fresh_at_its_last_run_and_end():
    app, host = at_run_1_step_2()
    app.edit(OTHER)  # select all, paste
    assert app.run is None and ("run", ()) in host.events
    app.evaluate_now()
    assert "run" not in host.requests[-1].options
    app.on_finished(host.requests[-1].number, record(OTHER, steps=5), 0.01)
    assert app.step == 5 and app.shown_run() is None and app.program == 2


def test_another_training_loop_pasted_in_opens_at_its_last_run():
    app, host = at_run_1_step_2()
    other = LOOP.replace("w", "v").replace("range(4)", "range(4)  # v")
    app.edit(other)
    app.evaluate_now()
    assert "run" not in host.requests[-1].options
    app.on_finished(host.requests[-1].number, loop_record(other, None, steps=6), 0.01)
    assert (app.shown_run(), app.step, app.program) == (3, 6, 2)


def test_an_edit_of_the_same_program_keeps_the_run_and_the_step():
    app, host = at_run_1_step_2()
    edited = LOOP.replace("0.1 *", "0.2 *")  # a number changed
    app.edit(edited)
    app.evaluate_now()
    assert host.requests[-1].options["run"] == 1
    app.on_finished(host.requests[-1].number, loop_record(edited, 1), 0.01)
    assert (app.shown_run(), app.step, app.program) == (1, 2, 1)
    edited += "print(w)\n"  # a line added: still the same program
    app.edit(edited)
    app.evaluate_now()
    app.on_finished(host.requests[-1].number, loop_record(edited, 1), 0.01)
    assert (app.shown_run(), app.step, app.program) == (1, 2, 1)


def test_another_program_is_one_that_keeps_less_than_half_the_lines():
    assert another_program(LOOP, OTHER) and another_program(LOOP, "")
    assert not another_program(LOOP, LOOP.replace("0.1", "0.2"))
    assert not another_program(LOOP, LOOP + "print(w)\n" * 3)
    assert not another_program("", "")
    half = "\n".join(LOOP.splitlines()[:3])  # 3 of 6 lines kept: an edit
    assert not another_program(LOOP, half) and another_program(LOOP, half.split("\n")[0])

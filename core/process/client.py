"""The client side of the worker process that owns torch.

The GUI and the command line never run a user's program themselves: they send its text
to a warm worker process (a pool of one) and get a GraphRecord back as plain data. This
module imports neither torch nor Qt, so a window can start before torch has loaded.

A worker that runs past the time limit, is stopped (`kill()`, from any thread), or dies
(segfault, out-of-memory kill, `os._exit`) is killed with its whole process group (so a
Graphviz child goes too) and a fresh one is started at once, so it is warm again by the
time the user asks for the next evaluation.
"""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import tempfile
import threading
from concurrent.futures import Future
from dataclasses import replace
from pathlib import Path
from typing import IO, Any

from core.process.protocol import (
    EDGES_OF,
    IDLE,
    LineBoard,
    how_it_ended,
    receive,
    send,
    where,
)
from core.record import ended
from core.record.additions import AdditionFailed, BackwardFailed
from core.record.graph import BackwardStep, Edge, GraphRecord
from core.record.language import ProgramError
from core.record.wording import Wording, from_plain, said, text_of

__all__ = ["AdditionFailed", "BackwardFailed", "EvaluationStopped", "EvaluationTimeout", "Worker",
           "WorkerCrashed", "WorkerError", "default_memory_limit", "receive", "send"]  # fmt: skip

PROJECT = Path(__file__).resolve().parents[2]
POSIX = os.name == "posix"
WORKER_FLAG = "--worker"  # main.py: the rest of the arguments are core.process.server's


class Inbox:
    """The worker's replies, read by a thread of their own: waiting for one with a time
    limit works the same on every OS (select() takes no pipes on Windows)."""

    def __init__(self, stream: IO[bytes]) -> None:
        self.stream = stream
        self._replies: queue.Queue[tuple[bool, Any]] = queue.Queue()
        self._started = threading.Event()  # the next reply's first byte has arrived
        threading.Thread(target=self._read, name="worker-replies", daemon=True).start()

    def _read(self) -> None:
        while True:
            try:
                if not self.stream.peek(1):  # type: ignore[attr-defined]
                    raise EOFError("the worker closed its end")
                self._started.set()
                self._replies.put((True, receive(self.stream)))
            except (EOFError, OSError, ValueError) as e:  # ValueError: closed by us
                self._replies.put((False, e if not isinstance(e, ValueError) else EOFError()))
                return
            except Exception as e:  # a reply read whole but not understood: the caller's
                self._replies.put((False, e))  # error; the next reply is read as usual
            finally:
                self._started.clear()

    def next(self, timeout: float) -> Any:
        """The next reply. queue.Empty if none began within `timeout` s; EOFError or
        OSError if the worker's end closed first."""
        try:
            ok, reply = self._replies.get(timeout=timeout)
        except queue.Empty:
            if not self._started.is_set():
                raise
            ok, reply = self._replies.get()  # begun in time: read to its end
        if not ok:
            raise reply
        return reply


class WorkerError(Exception):
    """The worker died, hung or answered nonsense; the program may or may not be at fault.

    `line` is the program line that was running when it happened, when known."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line


class EvaluationTimeout(WorkerError):
    """The program ran past the time limit; the worker was stopped and will be replaced."""


class EvaluationStopped(WorkerError):
    """`Worker.kill()` ended the evaluation (the Stop button); a fresh worker is starting."""


class WorkerCrashed(WorkerError):
    """The worker process died by itself (a signal or an exit); a fresh one is starting.

    `returncode` is how the process ended, as `subprocess` tells it (-11: SIGSEGV; 3: exit
    status 3; None: unknown); `cause` names it for a sentence."""

    def __init__(self, message: str, line: int | None = None, returncode: int | None = None):
        super().__init__(message, line)
        self.returncode = returncode

    @property
    def signal_name(self) -> str | None:
        """'SIGSEGV' when a signal ended the process, else None."""
        return _signal_name(self.returncode)

    @property
    def cause(self) -> str:
        """'SIGSEGV', 'signal 99', 'exit status 3' or 'cause unknown'."""
        return text_of(self.cause_wording)

    @property
    def cause_wording(self) -> str | Wording:
        """`cause` as data for the window (`core.record.ended`): a signal's name as it is."""
        code = self.returncode
        if code is None:
            return said(ended.CAUSE_UNKNOWN)
        if code >= 0:
            return said(ended.EXIT_STATUS, code=str(code))
        return self.signal_name or said(ended.SIGNAL_NUMBER, number=str(-code))


NO_LONGER = "The worker no longer has that program's graph."


def worker_command() -> list[str]:
    """How to start a worker: this Python with `-m core.process.server`; in a frozen bundle
    (PyInstaller) there is no Python to run, so the app's own executable in worker mode."""
    if getattr(sys, "frozen", False):
        return [sys.executable, WORKER_FLAG]
    return [sys.executable, "-m", "core.process.server"]


def program_folder(folder: str | Path | None) -> str:
    """The folder a program runs in, absolute: `folder`, or this process's current
    directory (the home folder if that is gone). The worker itself starts in the app's own
    folder (PROJECT), so no file of the user's can shadow a module it imports."""
    if folder is not None:
        return os.path.abspath(folder)
    try:
        return os.getcwd()
    except OSError:  # the current directory was deleted
        return str(Path.home())


def default_memory_limit() -> int:
    """Half the physical memory, in bytes (0 where it can't be known: no limit)."""
    try:
        return os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE") // 2
    except (AttributeError, ValueError, OSError):
        return 0


class Worker:
    """A warm worker process; `evaluate` sends a program and waits for its record.

    `memory_limit` is the address space, in bytes, a program may use on top of the warm
    worker (POSIX; None: half the physical memory; 0: no limit); setting it later takes
    effect at the next evaluation (the warm worker is replaced). `cwd` is the folder programs
    run in unless `evaluate` names another (None: this process's current directory); the
    process itself starts in the app's folder. `evaluate` holds `_lock`
    while it waits; `kill()` takes only the short `_state` lock, so it works at once from
    any thread."""

    def __init__(
        self, timeout: float = 10.0, startup_timeout: float = 120.0,
        memory_limit: int | None = None, cwd: str | Path | None = None,
    ) -> None:  # fmt: skip
        self.timeout = timeout  # for one evaluation
        self.startup_timeout = startup_timeout  # for torch's import and the warm-up
        self.memory_limit = default_memory_limit() if memory_limit is None else memory_limit
        self.cwd = Path(cwd) if cwd is not None else None  # where programs run (None: ours)
        self.info: dict[str, Any] = {}  # what the worker said when it was ready
        self._proc: subprocess.Popen[bytes] | None = None
        self._inbox: Inbox | None = None  # the current worker's replies
        self._lock = threading.Lock()  # one evaluation at a time
        self._state = threading.Lock()  # guards _busy, _stop_requested, _stopped_at; never waits
        self._busy: subprocess.Popen[bytes] | None = None
        self._spawned_limit = self.memory_limit  # the limit the running process has
        self._stop_requested = False
        self._stopped_at: int | None = None  # the board's line when kill() stopped it
        self._closing = False
        self._counter = 0
        self._ready = False
        self._board_file: IO[bytes] | None = None
        self._board: LineBoard | None = None
        self._edges: tuple[int, tuple[Edge, ...] | None] = (0, None)  # see evaluate()
        self._later = 0  # the request whose answer's later part (chain rule) is unread

    @property
    def pid(self) -> int | None:
        """The worker process's id, while there is one."""
        proc = self._proc
        return proc.pid if proc is not None else None

    def start(self) -> None:
        """Start the process now (it imports torch while the caller does other work)."""
        with self._lock:
            self._ensure_started()

    def _ensure_started(self) -> subprocess.Popen[bytes]:
        if self._proc is not None and self._proc.poll() is not None:
            self._discard()  # died while idle: replace it quietly
        elif self._proc is not None and self._spawned_limit != self.memory_limit:
            self._discard()  # the memory limit was changed: a process started with it
        if self._proc is None:
            try:
                self._spawn()
            except OSError as e:
                raise WorkerError(f"The worker process could not be started: {e}.") from None
        assert self._proc is not None
        return self._proc

    def _spawn(self) -> None:
        env = dict(os.environ, PYTHONPATH=str(PROJECT), PYTHONUNBUFFERED="1")
        self._spawned_limit = self.memory_limit
        args = [*worker_command(), "--memory-limit", str(self.memory_limit)]
        args += ["--parent", str(os.getpid())]  # it dies with us (core.process.server)
        fds: tuple[int, ...] = ()
        board = self._line_board()
        if board is not None and self._board_file is not None:
            board.write(IDLE)
            fds = (self._board_file.fileno(),)
            args += ["--line-fd", str(fds[0])]
        self._edges = (0, None)  # a new worker refers to none of the last one's
        self._later = 0  # nor will it send the rest of the last one's answers
        self._proc = start_process(
            args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, cwd=PROJECT, env=env,
            pass_fds=fds, start_new_session=POSIX,  # its own group: killed with its children
        )  # fmt: skip
        assert self._proc.stdout is not None
        self._inbox = Inbox(self._proc.stdout)
        self._ready = False

    def _line_board(self) -> LineBoard | None:
        if POSIX and self._board is None:
            try:
                self._board_file = tempfile.TemporaryFile()  # noqa: SIM115 — closed in close()
                self._board = LineBoard(self._board_file.fileno())  # (unlinked already)
            except (OSError, ValueError):
                self._board = None  # no line numbers in messages; nothing else changes
        return self._board

    def evaluate(self, source: str, *, trusted: bool = False, cwd: str | Path | None = None,
                 script_folder: str | Path | None = None,
                 **options: Any) -> GraphRecord:  # fmt: skip
        """Run a program in the worker: under the safe mode, or as plain Python with
        `trusted=True` (only after the user's explicit yes; the time and memory limits and
        kill() apply all the same), in the folder `cwd` (its current directory, where a
        file name it opens is looked for; default: `self.cwd`, else this process's current
        directory); `script_folder` is the folder of the program's file (None: it has none,
        typed and never saved): a trusted program imports the modules beside it
        (`from utils import train_step`) from there, as `python prog.py` does, and reads
        them afresh each run (`core.engine.sibling_modules`); with what `options` ask the
        worker to add to it
        (`core.record.additions`). Raises ProgramError for the program's own mistakes (a
        refusal of what plain Python would run names it in `trust`), AdditionFailed when
        it runs but not with the additions (with its record without), BackwardFailed (a
        ProgramError) when PyTorch refuses a backward() in the text (with the record of
        the text before it), EvaluationTimeout
        past the time limit, EvaluationStopped after kill(), WorkerCrashed if the worker
        died, WorkerError if it failed otherwise."""
        with self._lock:
            proc = self._ensure_started()
            self._counter += 1
            with self._state:
                self._busy, self._stop_requested, self._stopped_at = proc, False, None
            held = self._edges  # (request number, edges) of the last record read whole
            options = {"time_limit": self.timeout, **options, "trusted": bool(trusted),
                       "cwd": program_folder(cwd if cwd is not None else self.cwd),
                       "script_folder": os.path.abspath(script_folder)
                       if script_folder is not None else None,
                       EDGES_OF: held[0]}  # fmt: skip
            message = ("evaluate", self._counter, source, options)
            try:
                self._skip_later(proc)
                reply = self._exchange(proc, message)
            finally:
                self._release()
        try:
            record = _unpack(reply, self._counter, held[1])
        except (AdditionFailed, BackwardFailed) as e:  # a record came with the error
            shown = e.record if isinstance(e, AdditionFailed) else e.before
            self._edges = (self._counter, shown.edges if shown is not None else None)
            self._later = self._counter if shown and shown.chain_rule_pending else 0
            raise
        self._edges = (self._counter, record.edges)
        self._later = self._counter if record.chain_rule_pending else 0
        return record

    def explain(self) -> tuple[BackwardStep, ...]:
        """The backward steps, with their chain-rule lines, of the last evaluation, which
        was asked for with `chain_rule=False`: the later part of its answer, which the
        worker sends unasked. Raises WorkerError if it won't come (the worker was replaced,
        another program ran since, or it had no lines to work out), and as `evaluate` does."""
        with self._lock:
            number, self._later = self._later, 0
            if not number or number != self._counter or self._proc is None:
                raise WorkerError(NO_LONGER)
            proc = self._proc
            with self._state:
                self._busy, self._stop_requested, self._stopped_at = proc, False, None
            try:
                reply = self._read(proc)
            finally:
                self._release()
        kind, answered, *payload = reply
        if kind == "moot":
            raise WorkerError(NO_LONGER)
        if kind != "explained" or answered != number:
            raise WorkerError(payload[0] if kind == "failed" else "The worker answered "
                              "a different request.")  # fmt: skip
        return payload[0]

    def _skip_later(self, proc: subprocess.Popen[bytes]) -> None:
        """Read past the later part of the last answer, if it was never asked for."""
        if self._later and self._ready:
            self._later = 0
            self._read(proc)

    def _read(self, proc: subprocess.Popen[bytes]) -> Any:
        try:
            return self._wait(proc, self.timeout)
        except (EOFError, OSError):
            raise self._ended(False) from None

    def _release(self) -> tuple[bool, int | None]:
        """No evaluation is running any more: whether kill() asked it to stop, and the
        line on the board when it did."""
        with self._state:
            self._busy = None
            return self._stop_requested, self._stopped_at

    def _exchange(self, proc: subprocess.Popen[bytes], message: tuple) -> Any:
        starting = not self._ready
        try:
            if starting:
                self.info = self._wait(proc, self.startup_timeout, starting=True)[2] or {}
                self._ready, starting = True, False
            send(proc.stdin, message)  # type: ignore[arg-type]
            return self._wait(proc, self.timeout)
        except (EOFError, OSError):
            raise self._ended(starting) from None

    def _wait(self, proc: subprocess.Popen[bytes], timeout: float, starting: bool = False) -> Any:
        """The next message; after `timeout` s the worker is stopped and replaced."""
        inbox = self._inbox
        assert inbox is not None and inbox.stream is proc.stdout
        try:  # the first byte within `timeout`: a reply that has started is read to its end
            return inbox.next(timeout)
        except queue.Empty:
            pass
        stopped, stopped_at = self._release()
        line = stopped_at if stopped else self._line()
        self._discard()
        if starting:
            raise EvaluationTimeout(f"Starting the worker took longer than {timeout:g} s.")
        self._replace()
        if stopped:
            raise EvaluationStopped(_stopped(line), line)
        raise EvaluationTimeout(f"The program was stopped after {timeout:g} s (the time "
                                f"limit){where(line)}.", line)  # fmt: skip

    def _ended(self, starting: bool) -> WorkerError:
        """The pipe closed: the worker was stopped by kill(), or it died."""
        stopped, stopped_at = self._release()
        line = stopped_at if stopped else self._line()
        code = self._discard()
        if stopped:
            self._replace()
            return EvaluationStopped(_stopped(line), line)
        if starting:  # no replacement: it would most likely die the same way
            return WorkerCrashed(f"The worker process {how_it_ended(code)} while starting.",
                                 None, code)  # fmt: skip
        self._replace()
        return WorkerCrashed(f"The worker process {how_it_ended(code)}{where(line)}. A fresh "
                             "worker has been started; your text is unchanged.",
                             line, code)  # fmt: skip

    def _line(self) -> int | None:
        board = self._board
        return board.read() if board is not None else None

    def kill(self) -> bool:
        """End the running evaluation at once (from any thread): the waiting evaluate()
        raises EvaluationStopped. Returns False if nothing was running."""
        with self._state:
            proc = self._busy
            if proc is None:
                return False
            self._stop_requested = True
            self._stopped_at = self._line()  # what it was running when the user stopped it
            _kill_group(proc)
        return True

    stop = kill

    def _replace(self) -> None:
        """Start the next worker now, so it is warm before it is needed."""
        if not self._closing:
            try:
                self._spawn()
            except OSError:
                self._proc = None  # the next evaluate tries again, and says why if it fails

    def _discard(self) -> int | None:
        """Kill the worker and its children, reap it, close its pipes; its exit status."""
        proc, self._proc, self._ready = self._proc, None, False
        if proc is None:
            return None
        if proc.returncode is None:  # not reaped yet: its pid (and group) can't be reused
            _kill_group(proc)
        code = proc.wait()
        for stream in (proc.stdin, proc.stdout):
            try:
                if stream is not None:
                    stream.close()
            except OSError:
                pass
        return code

    def close(self) -> None:
        """End the worker process, even in the middle of an evaluation (which then raises
        EvaluationStopped); no process is left behind."""
        self._closing = True
        try:
            self.kill()
            with self._lock:
                self._quit()
                if self._board is not None and self._board_file is not None:
                    self._board.close()
                    self._board_file.close()
                    self._board = self._board_file = None
        finally:
            self._closing = False

    def finish(self) -> None:
        """End the worker at once, for one-shot use (the CLI) once its answer is in: a
        graceful exit waits ~0.35 s for torch to tear down, and the worker has nothing to
        save. Nothing is left behind (its process group is killed and reaped)."""
        with self._lock:
            self._discard()

    def _quit(self) -> None:
        proc = self._proc
        if proc is not None and proc.poll() is None and self._ready:
            try:
                send(proc.stdin, ("quit",))  # type: ignore[arg-type]
                proc.wait(timeout=2)
            except (OSError, subprocess.TimeoutExpired):
                pass
        self._discard()

    def __enter__(self) -> Worker:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _request_crash(self, how: str) -> GraphRecord:
        """Tests only: ask the worker to die ("segfault", "abort", "exit") mid-request;
        it obeys only when started with AUTOGRAD_LENS_TEST_HOOKS=1 in the environment."""
        return self.evaluate("", _crash=how)


class _Spawner:
    """Starts processes from one thread that lives as long as the app. On Linux a worker
    is killed by the kernel when the *thread* that started it ends (PR_SET_PDEATHSIG, see
    `core.process.server.die_with_parent`), and workers are replaced from evaluation threads,
    which come and go (a QThreadPool lets an idle thread end after 30 s)."""

    _jobs: queue.SimpleQueue = queue.SimpleQueue()
    _lock = threading.Lock()
    _thread: threading.Thread | None = None

    @classmethod
    def popen(cls, args: list[str], **kwargs: Any) -> subprocess.Popen[bytes]:
        future: Future[subprocess.Popen[bytes]] = Future()
        cls._jobs.put((future, args, kwargs))
        with cls._lock:
            if cls._thread is None or not cls._thread.is_alive():
                cls._thread = threading.Thread(target=cls._serve, name="spawner", daemon=True)
                cls._thread.start()
        return future.result()

    @classmethod
    def _serve(cls) -> None:
        while True:
            future, args, kwargs = cls._jobs.get()
            try:
                future.set_result(subprocess.Popen(args, **kwargs))
            except BaseException as e:  # noqa: BLE001 — raised again in the caller
                future.set_exception(e)


def start_process(args: list[str], **kwargs: Any) -> subprocess.Popen[bytes]:
    """subprocess.Popen(args, **kwargs), made on the app's long-lived spawner thread."""
    return _Spawner.popen(args, **kwargs)


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    try:
        if POSIX:
            os.killpg(proc.pid, signal.SIGKILL)
        else:
            proc.kill()
    except (ProcessLookupError, PermissionError):
        pass  # already gone


def _stopped(line: int | None) -> str:
    return f"The program was stopped{where(line)}."


def _signal_name(code: int | None) -> str | None:
    if code is None or code >= 0:
        return None
    try:
        return signal.Signals(-code).name
    except ValueError:
        return None


def program_error(fields: Any) -> ProgramError:
    """The ProgramError the worker sent as `core.process.server.program_error`'s fields
    (message, line, col, end_line, end_col, trust, wording as plain tuples, calls, folder),
    or fewer."""
    error = ProgramError(*fields[:6])
    wording = from_plain(fields[6]) if len(fields) > 6 else None
    calls = tuple((str(f), int(n)) for f, n in fields[7]) if len(fields) > 7 else ()
    folder = fields[8] if len(fields) > 8 and isinstance(fields[8], str) else None
    if wording is None and not calls and folder is None:
        return error
    return replace(error, wording=wording, calls=calls, folder=folder)


def _unpack(reply: Any, expected: int, edges: tuple[Edge, ...] | None) -> GraphRecord:
    """The record in reply (`edges`: the last record's, for "record-same-edges")."""
    kind, number, payload = reply
    if number != expected:
        raise WorkerError("The worker answered a different request.")
    if kind == "record":
        return payload
    if kind == "record-same-edges":
        if edges is None:
            raise WorkerError("The worker referred to a graph it never sent.")
        return replace(payload, edges=edges)
    if kind == "program-error":  # (message, line, col, end_line, end_col, trust, wording,
        # folder)
        raise program_error(payload)
    if kind == "backward-failed":  # (the program error's fields, the record before it,
        fields, before, *rest = payload  # and what failed of the additions, or None)
        e = program_error(fields)
        failed = rest[0] if rest else None
        addition = None
        if failed is not None:
            added_fields, what, backward = failed
            addition = AdditionFailed(program_error(added_fields), what, backward, before)
        raise BackwardFailed(e.message, e.line, e.col, e.end_line, e.end_col, e.trust,
                             e.wording, e.calls, e.folder, before=before,
                             addition=addition)  # fmt: skip
    if kind == "addition-failed":  # (the program error's fields, what, backward, record)
        fields, what, backward, record = payload
        raise AdditionFailed(program_error(fields), what, backward, record)
    raise WorkerError(payload)

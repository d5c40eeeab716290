"""The client side of the worker process that owns torch.

The GUI and the command line never run a user's program themselves: they send its text
to a warm worker process (a pool of one) and get a GraphRecord back as plain data. This
module imports neither torch nor Qt, so a window can start before torch has loaded.
"""

from __future__ import annotations

import os
import pickle
import select
import struct
import subprocess
import sys
import threading
from pathlib import Path
from typing import IO, Any

from core.language import ProgramError
from core.record import GraphRecord

PROJECT = Path(__file__).resolve().parent.parent
_HEADER = struct.Struct("!Q")


class WorkerError(Exception):
    """The worker died, hung or answered nonsense; the program may or may not be at fault."""


class EvaluationTimeout(WorkerError):
    """The program ran past the time limit; the worker was stopped and will be replaced."""


def send(stream: IO[bytes], message: Any) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_HEADER.pack(len(data)) + data)
    stream.flush()


def receive(stream: IO[bytes]) -> Any:
    header = _read_exactly(stream, _HEADER.size)
    return pickle.loads(_read_exactly(stream, _HEADER.unpack(header)[0]))


def _read_exactly(stream: IO[bytes], size: int) -> bytes:
    chunks, remaining = [], size
    while remaining:
        chunk = stream.read(remaining)
        if not chunk:
            raise EOFError("the worker closed its pipe")
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


class Worker:
    """A warm worker process; `evaluate` sends a program and waits for its record."""

    def __init__(self, timeout: float = 10.0, startup_timeout: float = 120.0) -> None:
        self.timeout = timeout  # for one evaluation
        self.startup_timeout = startup_timeout  # for torch's import and the warm-up
        self._proc: subprocess.Popen[bytes] | None = None
        self._lock = threading.Lock()
        self._counter = 0
        self._ready = False

    def start(self) -> None:
        """Start the process now (it imports torch while the caller does other work)."""
        with self._lock:
            self._ensure_started()

    def _ensure_started(self) -> subprocess.Popen[bytes]:
        if self._proc is None or self._proc.poll() is not None:
            env = dict(os.environ, PYTHONPATH=str(PROJECT), PYTHONUNBUFFERED="1")
            self._proc = subprocess.Popen(
                [sys.executable, "-m", "core.workerproc"],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, cwd=PROJECT, env=env,
            )  # fmt: skip
            self._ready = False
        return self._proc

    def evaluate(self, source: str, **options: Any) -> GraphRecord:
        """Run a program in the worker. Raises ProgramError for the program's own mistakes,
        EvaluationTimeout past the time limit, WorkerError if the worker fails."""
        with self._lock:
            proc = self._ensure_started()
            self._counter += 1
            try:
                if not self._ready:
                    self._wait(proc, self.startup_timeout, "starting the worker took longer than")
                    self._ready = True
                send(proc.stdin, ("evaluate", self._counter, source, options))  # type: ignore[arg-type]
                reply = self._wait(proc, self.timeout, "the program was stopped after")
            except (BrokenPipeError, EOFError, OSError) as e:
                self._stop()
                raise WorkerError(f"The worker process stopped unexpectedly ({e}).") from None
        return _unpack(reply, self._counter)

    def _wait(self, proc: subprocess.Popen[bytes], timeout: float, what: str) -> Any:
        """The next message, or EvaluationTimeout (and the worker stopped) after timeout s."""
        assert proc.stdout is not None
        # Waits for the first byte only: a reply that has started is read to its end.
        ready, _, _ = select.select([proc.stdout], [], [], timeout)
        if ready:
            return receive(proc.stdout)
        self._stop()
        raise EvaluationTimeout(f"{what.capitalize()} {timeout:g} s.")

    def _stop(self) -> None:
        if self._proc is not None:
            self._proc.kill()
            self._proc.wait()
            self._proc = None

    def close(self) -> None:
        """End the worker process (no process is left behind)."""
        with self._lock:
            if self._proc is not None and self._proc.poll() is None:
                try:
                    send(self._proc.stdin, ("quit",))  # type: ignore[arg-type]
                    self._proc.wait(timeout=2)
                except (OSError, subprocess.TimeoutExpired):
                    pass
            self._stop()

    def __enter__(self) -> Worker:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _unpack(reply: Any, expected: int) -> GraphRecord:
    kind, number, payload = reply
    if number != expected:
        raise WorkerError("The worker answered a different request.")
    if kind == "record":
        return payload
    if kind == "program-error":
        raise ProgramError(*payload)
    raise WorkerError(payload)

"""What the GUI process and the worker process share: the pipe protocol, the line board,
and plain words for how a process ended.

Messages are pickles, one after another; only our own two processes ever read them (session
files are JSON and never reach this channel). The line board is a few bytes of shared
memory that the worker writes the running line into, so that a program killed in the middle
of a long statement (or stuck inside one PyTorch call) can still be placed: the GUI reads the
board after the kill, when the worker can't answer any more.
"""

from __future__ import annotations

import mmap
import os
import pickle
import signal
import struct
from typing import IO, Any

_BOARD = struct.Struct("=i")  # one aligned 32-bit word: written and read whole

EDGES_OF = "edges_of"  # evaluate option: the request whose record's edges the client holds
IDLE = 0  # not running a program
LAYOUT = -1  # laying the graph out with Graphviz


def send(stream: IO[bytes], message: Any) -> None:
    """Pickle message into stream. Pickles of protocol 4 and later come in frames of about
    64 KB, and the pickler writes each one as it fills: the reader unpickles the first
    while the rest are still being made."""
    pickle.dump(message, stream, protocol=pickle.HIGHEST_PROTOCOL)
    stream.flush()


def receive(stream: IO[bytes]) -> Any:
    """The next message. EOFError if the stream ends before it does (the sender died)."""
    try:
        return pickle.load(stream)
    except pickle.UnpicklingError as e:  # cut off in the middle: "pickle data was truncated"
        raise EOFError(f"the message was cut off ({e})") from None


class LineBoard:
    """The line the worker is running (> 0), or IDLE, or LAYOUT, in a shared file mapping."""

    def __init__(self, fd: int) -> None:
        os.ftruncate(fd, mmap.PAGESIZE)
        self._map = mmap.mmap(fd, mmap.PAGESIZE)

    def write(self, value: int) -> None:
        _BOARD.pack_into(self._map, 0, value)

    def read(self) -> int:
        return int(_BOARD.unpack_from(self._map, 0)[0])

    def close(self) -> None:
        self._map.close()


def where(position: int | None) -> str:
    """' while running line 3', ' while laying out the graph', or ''."""
    if position is None or position == IDLE:
        return ""
    if position == LAYOUT:
        return " while laying out the graph"
    return f" while running line {position}"


_SIGNAL_WORDS = {
    "SIGSEGV": "a segmentation fault",
    "SIGBUS": "a bus error",
    "SIGABRT": "an abort",
    "SIGFPE": "an arithmetic fault",
    "SIGILL": "an illegal instruction",
    "SIGKILL": "being killed (often the system's out-of-memory killer)",
    "SIGTERM": "being asked to terminate",
}


def how_it_ended(returncode: int | None) -> str:
    """'crashed with a segmentation fault (SIGSEGV)', 'exited with status 3', ..."""
    if returncode is None:
        return "stopped answering"
    if returncode >= 0:
        return f"exited unexpectedly with status {returncode}"
    try:
        name = signal.Signals(-returncode).name
    except ValueError:
        return f"was ended by signal {-returncode}"
    words = _SIGNAL_WORDS.get(name)
    return f"crashed with {words} ({name})" if words else f"was ended by {name}"

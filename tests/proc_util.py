"""Looking at processes through /proc (Linux), without psutil."""

from __future__ import annotations

import os
import time
from pathlib import Path


def _stat(pid: int) -> list[str] | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # "pid (comm) state ppid pgrp ..."; comm may hold spaces and parentheses
    return text[text.rindex(")") + 2 :].split()


def alive(pid: int) -> bool:
    """True while the process exists and is not a zombie."""
    fields = _stat(pid)
    return fields is not None and fields[0] not in ("Z", "X")


def _all_pids() -> list[int]:
    return [int(name) for name in os.listdir("/proc") if name.isdigit()]


def children(pid: int) -> set[int]:
    """Live processes whose parent is pid."""
    return _live_where(1, pid)


def group(pgid: int) -> set[int]:
    """Live processes in process group pgid."""
    return _live_where(2, pgid)


def _live_where(field: int, value: int) -> set[int]:
    """Live (not zombie, not dead) processes whose /proc stat `field` is `value`."""
    found = set()
    for p in _all_pids():
        fields = _stat(p)
        if fields is not None and int(fields[field]) == value and fields[0] not in ("Z", "X"):
            found.add(p)
    return found


def wait_gone(pids: set[int] | list[int], timeout: float = 5.0) -> set[int]:
    """Wait until none of pids is alive; the ones still alive after timeout."""
    deadline = time.monotonic() + timeout
    left = {p for p in pids if alive(p)}
    while left and time.monotonic() < deadline:
        time.sleep(0.05)
        left = {p for p in left if alive(p)}
    return left


def status_kb(field: str, pid: int | str = "self") -> int:
    """A /proc/<pid>/status field in kB (VmRSS, VmSize, ...)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise KeyError(field)


def open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))

"""Reading a file someone asked the app to open: a program (.py) or a session (.alens).

Only a regular file is read, and only up to a size fixed before reading: a named pipe
would block the reader until something writes into it (forever, if nothing does), a
device such as /dev/zero never ends, and a folder has no text. The file is opened without
waiting (O_NONBLOCK: opening a pipe returns at once) and what it is is asked of the open
file itself, so it can't be swapped between the look and the read. Every refusal is a
`FileRefused` whose message is one sentence naming the file: "Can't read NAME: why."

A window passes `wait`: the read runs on a thread of its own, and the caller waits at most
that long (a file on a network drive that stopped answering holds only that thread).
"""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

MAX_PROGRAM_BYTES = 1 << 20  # 1 MiB: ten times the longest program (MAX_SOURCE_CHARS)
READ_WAIT = 3.0  # seconds a window waits for a file before saying it did not answer

_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a device"),
    (stat.S_ISSOCK, "a socket"),
)


class FileRefused(ValueError):
    """The file can't be opened as a program or session; the message says why, naming it."""


def read_bytes(path: str | os.PathLike[str], cap: int, wait: float | None = None) -> bytes:
    """The bytes of the regular file at `path`, if it holds at most `cap` of them; else
    FileRefused. With `wait`, read on another thread for at most `wait` seconds."""
    path = Path(path)
    if wait is None:
        return _read(path, cap)
    result: list[bytes | BaseException] = []
    reader = threading.Thread(target=_read_into, args=(path, cap, result), daemon=True)
    reader.start()
    reader.join(wait)
    if not result:
        raise FileRefused(_refusal(path, f"it did not answer within {wait:g} s (a network "
                                         "drive that stopped answering?)"))  # fmt: skip
    if isinstance(result[0], BaseException):
        raise result[0]
    return result[0]


def read_text(path: str | os.PathLike[str], cap: int = MAX_PROGRAM_BYTES,
              wait: float | None = None) -> str:  # fmt: skip
    """A program file's text (UTF-8), as `read_bytes` reads it."""
    data = read_bytes(path, cap, wait)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FileRefused(_refusal(Path(path), "it is not UTF-8 text")) from None


def _read_into(path: Path, cap: int, result: list[bytes | BaseException]) -> None:
    try:
        result.append(_read(path, cap))
    except BaseException as e:  # noqa: BLE001 — raised again on the caller's thread
        result.append(e)


def _read(path: Path, cap: int) -> bytes:
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags | getattr(os, "O_NOCTTY", 0))
    except OSError as e:
        raise FileRefused(_unopenable(path, e)) from None
    try:
        info = os.fstat(fd)
        _check(path, info, cap)
        data = _read_at_most(fd, cap + 1)
    except OSError as e:
        raise FileRefused(_refusal(path, (e.strerror or str(e)).lower())) from None
    finally:
        os.close(fd)
    if len(data) > cap:  # it grew since it was looked at
        raise FileRefused(_too_big(path, len(data), cap))
    return data


def _unopenable(path: Path, error: OSError) -> str:
    if isinstance(error, FileNotFoundError):
        return _refusal(path, "there is no such file")
    if isinstance(error, IsADirectoryError) or path.is_dir():
        return _refusal(path, "it is a folder, not a file")
    return _refusal(path, (error.strerror or str(error)).lower())


def _check(path: Path, info: os.stat_result, cap: int) -> None:
    """Refuse anything but a regular file of at most `cap` bytes."""
    if stat.S_ISREG(info.st_mode):
        if info.st_size > cap:
            raise FileRefused(_too_big(path, info.st_size, cap))
        return
    kind = next((name for test, name in _KINDS if test(info.st_mode)), None)
    if kind == "a folder":
        raise FileRefused(_refusal(path, "it is a folder, not a file"))
    raise FileRefused(_refusal(path, f"it is {kind or 'something'} and not a regular file"))


def _refusal(path: Path, why: str) -> str:
    """ "Can't read NAME: why." (one sentence, naming the file)."""
    return f"Can't read {path.name}: {why}."


def _too_big(path: Path, size: int, cap: int) -> str:
    return _refusal(path, f"it is too big ({_size(size)}; at most {_size(cap)})")


def _size(n: int) -> str:
    return f"{n / (1 << 20):.1f} MiB" if n >= 1 << 20 else f"{n:,} bytes"


def _read_at_most(fd: int, n: int) -> bytes:
    """Up to n bytes: a regular file's reads stop early only at its end."""
    parts: list[bytes] = []
    left = n
    while left > 0:
        part = os.read(fd, min(left, 1 << 20))
        if not part:
            break
        parts.append(part)
        left -= len(part)
    return b"".join(parts)

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

from core.record.wording import QT_TRANSLATE_NOOP, Wording, said, text_of

MAX_PROGRAM_BYTES = 1 << 20  # 1 MiB: ten times the longest program (MAX_SOURCE_CHARS)
READ_WAIT = 3.0  # seconds a window waits for a file before saying it did not answer

CANT_READ = QT_TRANSLATE_NOOP("core", "Can't read {name}: {why}.")
"""{why}: one of the reasons below, or the system's own words (lower case)."""
NO_ANSWER = QT_TRANSLATE_NOOP(
    "core", "it did not answer within {seconds} s (a network drive that stopped answering?)"
)
NOT_UTF8 = QT_TRANSLATE_NOOP("core", "it is not UTF-8 text")
NO_SUCH_FILE = QT_TRANSLATE_NOOP("core", "there is no such file")
A_FOLDER = QT_TRANSLATE_NOOP("core", "it is a folder, not a file")
TOO_BIG = QT_TRANSLATE_NOOP("core", "it is too big ({size}; at most {cap})")
_PIPE = QT_TRANSLATE_NOOP("core", "it is a named pipe and not a regular file")
_DEVICE = QT_TRANSLATE_NOOP("core", "it is a device and not a regular file")
_SOCKET = QT_TRANSLATE_NOOP("core", "it is a socket and not a regular file")
_SOMETHING = QT_TRANSLATE_NOOP("core", "it is something and not a regular file")

_KINDS = (
    (stat.S_ISDIR, A_FOLDER),
    (stat.S_ISFIFO, _PIPE),
    (stat.S_ISCHR, _DEVICE),
    (stat.S_ISBLK, _DEVICE),
    (stat.S_ISSOCK, _SOCKET),
)


class FileRefused(ValueError):
    """The file can't be opened as a program or session; the message says why, naming it;
    `wording`, the same sentence as data (`core.record.wording`)."""

    def __init__(self, why: str | Wording) -> None:
        super().__init__(text_of(why))
        self.wording = why if isinstance(why, Wording) else None


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
        raise FileRefused(_refusal(path, said(NO_ANSWER, seconds=f"{wait:g}")))
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
        raise FileRefused(_refusal(Path(path), said(NOT_UTF8))) from None


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


def _unopenable(path: Path, error: OSError) -> Wording:
    if isinstance(error, FileNotFoundError):
        return _refusal(path, said(NO_SUCH_FILE))
    if isinstance(error, IsADirectoryError) or path.is_dir():
        return _refusal(path, said(A_FOLDER))
    return _refusal(path, (error.strerror or str(error)).lower())


def _check(path: Path, info: os.stat_result, cap: int) -> None:
    """Refuse anything but a regular file of at most `cap` bytes."""
    if stat.S_ISREG(info.st_mode):
        if info.st_size > cap:
            raise FileRefused(_too_big(path, info.st_size, cap))
        return
    kind = next((why for test, why in _KINDS if test(info.st_mode)), _SOMETHING)
    raise FileRefused(_refusal(path, said(kind)))


def _refusal(path: Path, why: str | Wording) -> Wording:
    """ "Can't read NAME: why." (one sentence, naming the file)."""
    return said(CANT_READ, name=path.name, why=why)


def _too_big(path: Path, size: int, cap: int) -> Wording:
    return _refusal(path, said(TOO_BIG, size=_size(size), cap=_size(cap)))


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

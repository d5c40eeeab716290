"""Nothing lost: the window's text and session are written to a recovery file in the user's
data folder every few seconds and after every evaluation (SETTLE_MS after it starts or
ends: the write, which waits for the disk, never holds up a graph); a clean quit deletes
it. After a crash or a `kill -9`, the next start finds it and brings the text back.

Each running window claims a numbered slot (`recovery-N.alens`, held by a `QLockFile`
that the system frees when the process dies), so two windows never write one file, and a
slot whose lock is free but whose file is there belonged to a window that did not quit.
The folder is `AUTOGRAD_LENS_DATA_DIR` when set (tests), else `autograd-lens` in Qt's
GenericDataLocation (~/.local/share on Linux): the same name as the settings' folder.
Writes are atomic (`core.record.session_file.write_atomically`).
"""

from __future__ import annotations

import dataclasses
import os
import time
from pathlib import Path
from typing import cast

from PySide6.QtCore import QLockFile, QObject, QStandardPaths, QTimer

from core.record import session_file
from core.record.session_file import Session, SessionError
from gui.look.i18n import translate
from gui.window import settings
from gui.window.interface import Window
from gui.window.sessions import current_session

DATA_DIR_VARIABLE = "AUTOGRAD_LENS_DATA_DIR"
INTERVAL_MS = 3_000
SETTLE_MS = 250  # after an evaluation starts or ends, the write waits this long
SLOTS = 8  # windows open at once that each keep a recovery file


def data_dir() -> Path:
    """Where recovery files go: $AUTOGRAD_LENS_DATA_DIR, or the platform's app data folder."""
    chosen = os.environ.get(DATA_DIR_VARIABLE)
    if chosen:
        return Path(chosen)
    location = QStandardPaths.StandardLocation.GenericDataLocation
    return Path(QStandardPaths.writableLocation(location)) / settings.NAME  # as the settings


def when(saved_at: float | None) -> str:
    """'14:02' today, else '3 May 14:02'."""
    if saved_at is None:
        return translate("Autosave", "an earlier session")
    stamp = time.localtime(saved_at)
    same_day = time.strftime("%Y%m%d", stamp) == time.strftime("%Y%m%d")
    return time.strftime("%H:%M" if same_day else "%d %b %H:%M", stamp).lstrip("0")


class Autosave(QObject):
    """Keeps `window`'s recovery file; `claim()` first, `finish()` on a clean quit."""

    def __init__(self, window: Window, directory: Path | None = None) -> None:
        super().__init__(cast(QObject, window))
        self.window = window
        self.directory = directory if directory is not None else data_dir()
        self.path: Path | None = None
        self.error = ""  # why autosave is off, if it is
        self._lock: QLockFile | None = None
        self._written = ""
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.save_now)
        self._soon = QTimer(self)
        self._soon.setSingleShot(True)
        self._soon.setInterval(SETTLE_MS)
        self._soon.timeout.connect(self.save_now)

    def claim(self) -> Session | None:
        """Take a free slot and start saving; the text a crashed window left there, if any."""
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            self.error = translate(
                "Autosave", "Autosave is off: can't create {folder} ({reason})."
            ).format(folder=self.directory, reason=e.strerror)
            return None
        for slot in range(SLOTS):
            lock = QLockFile(str(self.directory / f"recovery-{slot}.lock"))
            lock.setStaleLockTime(0)  # stale only when its process is gone, never by age
            if lock.tryLock(0):
                self._lock, self.path = lock, self.directory / f"recovery-{slot}.alens"
                break
        else:
            self.error = translate(
                "Autosave", "Autosave is off: {count} windows are open already."
            ).format(count=SLOTS)
            return None
        left = self._leftover()
        self.window.controller.busyChanged.connect(self._settled_soon)  # every evaluation
        self._timer.start(INTERVAL_MS)
        return left

    def _leftover(self) -> Session | None:
        assert self.path is not None
        if not self.path.exists():
            return None
        try:
            session = session_file.load(self.path)
        except SessionError:
            return None  # unreadable (a disk error?): it is overwritten, not trusted
        return session if session.modified else None

    def keep_aside(self, session: Session) -> Path | None:
        """Save a leftover that is not restored now (another file was asked for) where
        File → Open Session finds it."""
        stamp = time.strftime("%Y%m%d-%H%M%S", time.localtime(session.saved_at or time.time()))
        path = self.directory / f"unsaved-{stamp}{session_file.SUFFIX}"
        try:
            session_file.save(session, path)
        except OSError:
            return None
        return path

    def _settled_soon(self, *_: object) -> None:
        self._soon.start()  # (again, if it is waiting already)

    def save_now(self, *_: object) -> None:
        """Write the recovery file if anything changed since the last write."""
        if self.path is None:
            return
        session = current_session(self.window)
        text = session_file.dumps(session)
        if text == self._written:
            return
        stamped = dataclasses.replace(session, saved_at=time.time())
        try:
            session_file.write_atomically(self.path, session_file.dumps(stamped).encode())
        except OSError as e:
            self.error = translate("Autosave", "Autosave failed: {reason}").format(reason=e)
            return
        self._written = text

    def finish(self) -> None:
        """A clean quit: the recovery file goes, the slot is free."""
        self._timer.stop()
        self._soon.stop()
        if self.path is not None:
            self.path.unlink(missing_ok=True)
        if self._lock is not None:
            self._lock.unlock()
        self.path = self._lock = None

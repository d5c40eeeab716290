"""When the window itself fails: a crash log in the user's data folder, and Help → Report a
Problem… to hand it on.

`install(folder)` makes every uncaught exception of the GUI process (its main thread and
its other threads) append a dated entry — the app's and its packages' versions and the
traceback — to `crash.log` there, kept under CAP bytes (the oldest entries go first), and
says so in the window's status bar when it can. Hard crashes (a segfault in Qt) write
Python's own traceback to `fault.log` (faulthandler). The user's program never runs in
this process: its errors are program errors, shown in the window, and never logged here.

`report_text()` is what Help → Report a Problem… shows and copies: the versions and the
log's latest entries.
"""

from __future__ import annotations

import contextlib
import faulthandler
import platform
import sys
import threading
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import IO

from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from gui.look.i18n import translate
from gui.model.versions import app_version, package_version

CRASH_LOG = "crash.log"
FAULT_LOG = "fault.log"
CAP = 256 * 1024  # bytes of crash.log kept
SHOWN = 16 * 1024  # bytes of it a report carries
_state: dict[str, object] = {}


def environment() -> str:
    """The lines a report starts with (no Qt or torch import: read from metadata)."""
    return "\n".join([
        f"Autograd Lens {app_version()}",
        f"PyTorch {package_version('torch')}, PySide6 {package_version('PySide6-Essentials')}",
        f"Python {platform.python_version()} on {platform.platform()}",
    ])  # fmt: skip


def install(folder: Path, said: Callable[[str], None] | None = None) -> Path:
    """Log uncaught exceptions to folder/crash.log; `said` is told one line for the user."""
    folder.mkdir(parents=True, exist_ok=True)
    log = folder / CRASH_LOG
    _state.update(log=log, said=said)
    sys.excepthook = _on_exception
    threading.excepthook = lambda a: _on_exception(a.exc_type, a.exc_value, a.exc_traceback)
    try:
        fault: IO[str] = (folder / FAULT_LOG).open("a", encoding="utf-8")  # noqa: SIM115
        _state["fault"] = fault  # open for the process's life: faulthandler writes to it
        faulthandler.enable(file=fault, all_threads=True)
    except OSError:
        pass
    return log


def _on_exception(
    kind: type[BaseException], error: BaseException | None, tb: TracebackType | None
) -> None:
    if kind is not None and issubclass(kind, KeyboardInterrupt):
        sys.__excepthook__(kind, error or kind(), tb)
        return
    text = "".join(traceback.format_exception(kind, error, tb))
    sys.stderr.write(text)
    log = _state.get("log")
    if isinstance(log, Path):
        with contextlib.suppress(OSError):
            write_entry(log, text)
    said = _state.get("said")
    if callable(said):
        with contextlib.suppress(Exception):  # never fail while reporting a failure
            said(
                translate(
                    "Crash",
                    "Autograd Lens hit a bug and logged it: Help → Report a "
                    "Problem… has the details",
                )
            )


def write_entry(log: Path, text: str) -> None:
    """Append one dated entry; keep the file under CAP bytes, dropping the oldest entries."""
    stamp = time.strftime("%Y-%m-%d %H:%M:%S")
    entry = f"=== {stamp}\n{environment()}\n{text.rstrip()}\n"
    old = log.read_text(encoding="utf-8", errors="replace") if log.exists() else ""
    kept = (old + entry)[-CAP:]
    cut = kept.find("=== ")
    log.write_text(kept[cut:] if cut > 0 else kept, encoding="utf-8")


def report_text(folder: Path, versions: str) -> str:
    """What a report says: the versions, then the latest crash entries (or that none)."""
    log = folder / CRASH_LOG
    try:
        text = log.read_text(encoding="utf-8", errors="replace")[-SHOWN:]
    except OSError:
        text = ""
    cut = text.find("=== ")
    latest = text[cut:] if cut >= 0 else text
    body = latest.strip() or "No crash has been logged."
    return f"{versions}\nSystem: {platform.platform()}\n\nCrash log ({log}):\n{body}\n"


def show_report(parent: QWidget | None, folder: Path, versions: str) -> QDialog:
    """Help → Report a Problem…: the report, selectable, with Copy (to paste into an email
    or an issue); nothing is sent anywhere by the app."""
    dialog = QDialog(parent)
    dialog.setWindowTitle(translate("Crash", "Report a Problem"))
    dialog.setObjectName("report")
    intro = QLabel(
        translate(
            "Crash",
            "To report a problem, copy this and send it with what you did just before it "
            "happened (and the program you ran, if it is part of it). The app sends nothing.",
        )
    )
    intro.setWordWrap(True)
    text = QPlainTextEdit(report_text(folder, versions))
    text.setReadOnly(True)
    text.setObjectName("report-text")
    text.setMinimumSize(560, 320)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
    copy = buttons.addButton(
        translate("Crash", "&Copy Report"), QDialogButtonBox.ButtonRole.ActionRole
    )
    copy.clicked.connect(lambda: QApplication.clipboard().setText(text.toPlainText()))
    buttons.rejected.connect(dialog.reject)
    layout = QVBoxLayout(dialog)
    layout.addWidget(intro)
    layout.addWidget(text, 1)
    layout.addWidget(buttons)
    dialog.open()
    return dialog

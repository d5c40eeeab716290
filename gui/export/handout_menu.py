"""File → Export Handout: the backward pass as a PDF (a page per step) or an animated GIF,
and the GIF's frame duration (a setting kept on the window for the session)."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import Protocol, cast

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QMenu, QProgressDialog, QWidget

from core.record.graph import GraphRecord
from gui.export.handout import FRAME_MS_CHOICES, handout_job
from gui.look.i18n import QT_TRANSLATE_NOOP, translate
from gui.model.big_graph import is_laid_out
from gui.model.core_text import layout_reason
from gui.model.theme import Theme

FILTERS = {  # (shown with translate)
    ".pdf": QT_TRANSLATE_NOOP("HandoutMenu", "PDF document (*.pdf)"),
    ".gif": QT_TRANSLATE_NOOP("HandoutMenu", "Animated GIF (*.gif)"),
}


class Exporting(Protocol):
    """What of the controller a handout needs."""

    @property
    def show_values(self) -> bool: ...
    def explained_record(self) -> GraphRecord | None: ...


class HandoutWindow(Protocol):
    """What of the main window a handout needs (`gui.window.interface.Window` has it)."""

    handout_frame_ms: int
    path: Path | None
    theme: Theme

    @property
    def controller(self) -> Exporting: ...
    def ask_save_path(self, caption: str, filter_: str, name: str) -> str: ...
    def show_message(self, title: str, text: str) -> None: ...
    def flash(self, text: str, ms: int = 4000) -> None: ...


def add_handout_menu(w: HandoutWindow, file_menu: QMenu) -> dict[str, QAction]:
    """The Export Handout submenu; its export actions, by suffix."""
    menu = file_menu.addMenu(translate("HandoutMenu", "Export &Handout"))
    actions = {}
    for suffix, text in (
        (".pdf", translate("HandoutMenu", "&PDF, a Page per Step…")),
        (".gif", translate("HandoutMenu", "Animated &GIF…")),
    ):
        action = menu.addAction(text)
        action.triggered.connect(partial(export_handout, w, suffix))
        actions[suffix] = action
    menu.addSeparator()
    durations = menu.addMenu(translate("HandoutMenu", "GIF Frame &Duration"))
    group = QActionGroup(durations)
    for ms in FRAME_MS_CHOICES:
        action = durations.addAction(f"{ms / 1000:g} s")
        action.setCheckable(True)
        action.setChecked(ms == w.handout_frame_ms)
        action.triggered.connect(partial(set_frame_ms, w, ms))
        group.addAction(action)
    return actions


def set_frame_ms(w: HandoutWindow, ms: int) -> None:
    w.handout_frame_ms = ms


def export_handout(w: HandoutWindow, suffix: str) -> HandoutExport | None:
    """Ask where, then write the handout of the window's record a page at a time, with a
    progress dialog and Cancel; the running export, or None if none was started."""
    record = w.controller.explained_record()  # its pages show the chain rule
    if record is None:
        w.show_message(
            translate("HandoutMenu", "Nothing to export"),
            translate("HandoutMenu", "There is no graph yet."),
        )
        return None
    if not is_laid_out(record):
        w.show_message(
            translate("HandoutMenu", "Nothing to draw"),
            layout_reason(record) or translate("HandoutMenu", "The graph has no layout."),
        )
        return None
    stem = w.document_stem()
    answer = w.ask_save_path(
        translate("HandoutMenu", "Export handout"),
        translate("HandoutMenu", FILTERS[suffix]),
        f"{stem}-handout{suffix}",
    )
    if not answer:
        return None
    path = Path(answer)
    if path.suffix.lower() != suffix:
        path = path.with_name(path.name + suffix)
    try:
        job = handout_job(record, path, w.handout_frame_ms, w.theme, w.controller.show_values)
    except (OSError, ValueError) as e:
        w.show_message(translate("HandoutMenu", "Export failed"), str(e))
        return None
    return HandoutExport(w, path, job)


class HandoutExport(QObject):
    """Writes a handout a page (or frame) per turn of the event loop, so the window keeps
    answering; a progress dialog counts the pages and its Cancel stops at once, leaving no
    file. `finished` carries the path written, or None (cancelled or failed)."""

    finished = Signal(object)

    def __init__(self, w: HandoutWindow, path: Path, job: tuple[int, Iterator[int]]) -> None:
        super().__init__(cast(QObject, w))
        self.window, self.path = w, path
        self.total, self._steps = job
        self.done = False
        self.written: Path | None = None
        self.gif = path.suffix.lower() == ".gif"
        if self.gif:
            writing = translate("HandoutMenu", "Writing {name} ({count} frames)…")
        else:
            writing = translate("HandoutMenu", "Writing {name} ({count} pages)…")
        self.dialog = QProgressDialog(
            writing.format(name=path.name, count=self.total),
            translate("HandoutMenu", "Cancel"),
            0,
            self.total,
            cast(QWidget, w),
        )
        self.dialog.setWindowTitle(translate("HandoutMenu", "Export Handout"))
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog.setMinimumDuration(400)  # short exports finish without a dialog
        self.dialog.setAutoReset(False)
        self.dialog.canceled.connect(self.cancel)
        self._timer = QTimer(self)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._next)
        self._timer.start()

    def _next(self) -> None:
        if self.dialog.wasCanceled():  # (Esc, or the dialog's cancel() from code)
            self.cancel()
            return
        try:
            written = next(self._steps)
        except StopIteration:
            if self.gif:
                done = translate("HandoutMenu", "Exported {path} ({count} frames)")
            else:
                done = translate("HandoutMenu", "Exported {path} ({count} pages)")
            self.window.flash(done.format(path=self.path, count=self.total))
            self._finish(self.path)
        except (OSError, ValueError) as e:
            self._finish(None)
            self.window.show_message(translate("HandoutMenu", "Export failed"), str(e))
        else:
            self.dialog.setValue(written)

    def cancel(self) -> None:
        """Stop now: the file is not written (an old one with that name stays as it was)."""
        if self.done:
            return
        self._steps.close()
        self.window.flash(
            translate("HandoutMenu", "Export cancelled: {name} was not written").format(
                name=self.path.name
            )
        )
        self._finish(None)

    def _finish(self, written: Path | None) -> None:
        self._timer.stop()
        self.done, self.written = True, written
        self.dialog.canceled.disconnect(self.cancel)
        self.dialog.close()
        self.finished.emit(written)
        self.deleteLater()

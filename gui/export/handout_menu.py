"""File → Export Handout: the backward pass as a PDF (a page per step) or an animated GIF,
and the GIF's frame duration (a setting kept on the window for the session)."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QApplication, QMenu

from core.record.graph import GraphRecord
from gui.export.handout import FRAME_MS_CHOICES, write_handout
from gui.model.big_graph import is_laid_out
from gui.model.theme import Theme

FILTERS = {".pdf": "PDF document (*.pdf)", ".gif": "Animated GIF (*.gif)"}


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
    menu = file_menu.addMenu("Export &Handout")
    actions = {}
    for suffix, text in ((".pdf", "&PDF, a Page per Step…"), (".gif", "Animated &GIF…")):
        action = menu.addAction(text)
        action.triggered.connect(partial(export_handout, w, suffix))
        actions[suffix] = action
    menu.addSeparator()
    durations = menu.addMenu("GIF Frame &Duration")
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


def export_handout(w: HandoutWindow, suffix: str) -> Path | None:
    """Ask where, then write the handout of the window's record; None if nothing written."""
    record = w.controller.explained_record()  # its pages show the chain rule
    if record is None:
        w.show_message("Nothing to export", "There is no graph yet.")
        return None
    if not is_laid_out(record):
        w.show_message("Nothing to draw", record.layout_error or "The graph has no layout.")
        return None
    stem = Path(w.path).stem if w.path else "graph"
    answer = w.ask_save_path("Export handout", FILTERS[suffix], f"{stem}-handout{suffix}")
    if not answer:
        return None
    path = Path(answer)
    if path.suffix.lower() != suffix:
        path = path.with_name(path.name + suffix)
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        count = write_handout(record, path, w.handout_frame_ms, w.theme, w.controller.show_values)
    except (OSError, ValueError) as e:
        w.show_message("Export failed", str(e))
        return None
    finally:
        QApplication.restoreOverrideCursor()
    w.flash(f"Exported {path} ({count} {'pages' if suffix == '.pdf' else 'frames'})")
    return path

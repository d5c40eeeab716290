"""File → Export Handout: the backward pass as a PDF (a page per step) or an animated GIF,
and the GIF's frame duration (a setting kept on the window for the session)."""

from __future__ import annotations

from functools import partial
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QActionGroup
from PySide6.QtWidgets import QApplication, QMenu

from gui.export.handout import DEFAULT_FRAME_MS, FRAME_MS_CHOICES, write_handout
from gui.model.big_graph import is_laid_out

FILTERS = {".pdf": "PDF document (*.pdf)", ".gif": "Animated GIF (*.gif)"}


def add_handout_menu(w, file_menu: QMenu) -> QMenu:  # noqa: ANN001 — the MainWindow
    menu = file_menu.addMenu("Export &Handout")
    w.handout_frame_ms = DEFAULT_FRAME_MS
    w.handout_actions = {}
    for suffix, text in ((".pdf", "&PDF, a Page per Step…"), (".gif", "Animated &GIF…")):
        action = menu.addAction(text)
        action.triggered.connect(partial(export_handout, w, suffix))
        w.handout_actions[suffix] = action
    menu.addSeparator()
    durations = menu.addMenu("GIF Frame &Duration")
    group = QActionGroup(durations)
    for ms in FRAME_MS_CHOICES:
        action = durations.addAction(f"{ms / 1000:g} s")
        action.setCheckable(True)
        action.setChecked(ms == DEFAULT_FRAME_MS)
        action.triggered.connect(partial(set_frame_ms, w, ms))
        group.addAction(action)
    return menu


def set_frame_ms(w, ms: int) -> None:  # noqa: ANN001
    w.handout_frame_ms = ms


def export_handout(w, suffix: str) -> Path | None:  # noqa: ANN001
    """Ask where, then write the handout of the window's record; None if nothing written."""
    record = w.controller.explained_record()  # its pages show the chain rule
    if record is None:
        w.show_message("Nothing to export", "There is no graph yet.")
        return None
    if not is_laid_out(record):
        w.show_message("Nothing to draw", record.layout_error or "The graph has no layout.")
        return None
    stem = w.document_stem()
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

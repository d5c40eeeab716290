"""Drag a program (.py) or a session (.alens) from a file manager onto the window to open it.

One event filter on the window and on every child that takes drops (the editor's text
area takes them to insert text, which is not what a dropped file should do): a file
drag is accepted only when its first file is one the app opens; other drags (text)
go on to the widget as before. The drop asks to save changes first, like File → Open.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol, cast

from PySide6.QtCore import QCoreApplication, QEvent, QMimeData, QObject
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QWidget

SUFFIXES = (".py", ".alens")


def dropped_file(mime: QMimeData) -> Path | None:
    """The first local file in a drag, if the drag carries files at all."""
    for url in mime.urls():
        if url.isLocalFile():
            return Path(url.toLocalFile())
    return None


def opens(path: Path) -> bool:
    return path.suffix.lower() in SUFFIXES


class DropTarget(Protocol):
    """What of the main window a dropped file needs: it is a widget, and it opens files."""

    def setAcceptDrops(self, on: bool) -> None: ...
    def findChildren(self, kind: type[QWidget]) -> list[QWidget]: ...
    def ask_save_changes(self) -> str: ...
    def open_path(self, path: str | Path) -> bool: ...
    def flash(self, text: str, ms: int = 4000) -> None: ...


class FileDrop(QObject):
    def __init__(self, window: DropTarget) -> None:
        super().__init__(cast(QObject, window))
        self.window = window
        window.setAcceptDrops(True)
        for widget in [window, *window.findChildren(QWidget)]:
            if widget is window or widget.acceptDrops():
                widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        kind = event.type()
        if kind not in (QEvent.Type.DragEnter, QEvent.Type.DragMove, QEvent.Type.Drop):
            return False
        assert isinstance(event, QDragEnterEvent | QDragMoveEvent | QDropEvent)
        path = dropped_file(event.mimeData())
        if path is None:
            return False  # not a file: the widget handles it (text into the editor)
        if not opens(path):
            event.ignore()  # the "can't drop here" cursor
            return True
        event.acceptProposedAction()
        if kind == QEvent.Type.Drop:
            self.open(path, len(event.mimeData().urls()))
        return True

    def open(self, path: Path, count: int = 1) -> bool:
        w = self.window
        if w.ask_save_changes() == "cancel":
            return False
        opened = w.open_path(path)
        if opened and count > 1:
            w.flash(
                QCoreApplication.translate(
                    "FileDrop", "Opened {name}; one file at a time (the other {count} not opened)"
                ).format(name=path.name, count=count - 1)
            )
        return opened


def install(window: DropTarget) -> FileDrop:
    return FileDrop(window)

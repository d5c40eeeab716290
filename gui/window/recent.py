"""File → Open Recent: the programs and sessions last opened or saved (kept in
`gui.window.settings`), newest first. A file that has gone since is said so and dropped."""

from __future__ import annotations

from functools import partial
from pathlib import Path

from PySide6.QtWidgets import QMenu

from gui.look.i18n import translate
from gui.window import settings
from gui.window.interface import Window


def add_menu(w: Window, file_menu: QMenu) -> QMenu:
    """The Open Recent submenu, filled afresh each time it opens."""
    menu = file_menu.addMenu(translate("Recent", "Open &Recent"))
    menu.setObjectName("recentMenu")
    menu.aboutToShow.connect(partial(fill, w, menu))
    fill(w, menu)
    return menu


def fill(w: Window, menu: QMenu) -> None:
    menu.clear()
    paths = settings.recent_files()
    for i, path in enumerate(paths, start=1):
        p = Path(path)
        shown = f"{p.name}  —  {p.parent}".replace("&", "&&")  # a literal & is written &&
        action = menu.addAction(f"&{i % 10} {shown}")
        action.setToolTip(path)
        action.setData(path)
        action.triggered.connect(partial(open_recent, w, path))
    if not paths:
        menu.addAction(translate("Recent", "No recent files")).setEnabled(False)
    menu.addSeparator()
    clear = menu.addAction(translate("Recent", "&Clear Menu"))
    clear.setEnabled(bool(paths))
    clear.triggered.connect(settings.clear_recent)


def open_recent(w: Window, path: str) -> bool:
    """Open a recent file (after asking to save changes); a missing one is dropped."""
    if not Path(path).is_file():
        settings.remove_recent(path)
        w.show_message(
            translate("Recent", "Can't open the file"),
            translate("Recent", "{path} is not there any more.").format(path=path),
        )
        return False
    if w.ask_save_changes() == "cancel":
        return False
    return w.open_path(path)

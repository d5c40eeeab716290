"""The Help menu: the keyboard shortcuts (read from the window's own actions, so the list
is always the truth), the lesson, and About."""

from __future__ import annotations

import html
from functools import partial

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMenu,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from gui.look.i18n import QT_TRANSLATE_NOOP, translate
from gui.panels.player import KEY_NAMES, KEYS

NATIVE = QKeySequence.SequenceFormat.NativeText
WHILE_TYPING = {  # of each stepping action, the keys that don't type in the editor
    name: [k for k in keys if "+" in k and not k.startswith("Shift") or k.startswith(("F", "Pg"))]
    for name, keys in KEYS.items()
}
STEPPING = QT_TRANSLATE_NOOP(
    "HelpMenu",
    "<p>Stepping keys work wherever the focus is — the editor too — except →/←, Space, "
    "Shift+Space, Home and End, which type and move the cursor in the editor. Space steps (as "
    "in slides) rather than plays: a class hears each step explained before the next; F8 plays "
    "and pauses. Presentation clickers send PageDown/PageUp.</p>",
)


def shortcut_rows(w: QWidget) -> list[tuple[str, str, str]]:
    """(menu, action, keys) for every action of the menu bar that has keys, in menu order."""
    rows: list[tuple[str, str, str]] = []

    def walk(menu: QMenu, path: str) -> None:
        for action in menu.actions():
            if action.menu() is not None:
                walk(action.menu(), f"{path} → {_plain(action.text())}")
            elif action.shortcuts():
                keys = ", ".join(k.toString(NATIVE) for k in action.shortcuts())
                rows.append((path, _plain(action.text()), keys))

    for top in w.menuBar().actions():
        if top.menu() is not None:
            walk(top.menu(), _plain(top.text()))
    return rows


def _native(keys: str) -> str:
    """Keys as this system names them, in the window's language ("Av Pág")."""
    return QKeySequence(keys).toString(NATIVE)


def _plain(text: str) -> str:
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&")


def shortcuts_html(w: QWidget) -> str:
    rows = "".join(
        f"<tr><td>{html.escape(menu)}</td><td><b>{html.escape(name)}</b></td>"
        f"<td><code>{html.escape(keys)}</code></td></tr>"
        for menu, name, keys in shortcut_rows(w)
    )
    typing = "".join(
        f"<li>{html.escape(translate('Player', KEY_NAMES[name]))}: "
        f"<code>{html.escape(', '.join(_native(k) for k in keys))}</code></li>"
        for name, keys in WHILE_TYPING.items()
        if keys
    )
    title = translate("HelpMenu", "Keyboard shortcuts")
    typing_title = translate("HelpMenu", "While typing in the editor:")
    return (
        f"<h3>{title}</h3>{translate('HelpMenu', STEPPING)}"
        f"<p>{typing_title}</p><ul>{typing}</ul>"
        f"<table cellspacing='0' cellpadding='3'>{rows}</table>"
    )


class ShortcutsDialog(QDialog):
    def __init__(self, w: QWidget) -> None:
        super().__init__(w)
        self.setWindowTitle(translate("HelpMenu", "Keyboard Shortcuts"))
        self.setObjectName("shortcuts")
        self.text = QLabel(shortcuts_html(w))
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        scroll = QScrollArea()
        scroll.setWidget(self.text)
        scroll.setWidgetResizable(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        column = QVBoxLayout(self)
        column.addWidget(scroll)
        column.addWidget(buttons)
        self.resize(640, 560)


def show_shortcuts(w: QWidget) -> ShortcutsDialog:
    dialog = ShortcutsDialog(w)
    dialog.finished.connect(dialog.deleteLater)
    dialog.open()
    return dialog


def build(w, menu: QMenu, about, report=None) -> list[QAction]:  # w: the MainWindow
    """Fill the Help menu: Keyboard Shortcuts (F1), the lesson, Report a Problem…, About."""
    from gui.window.menus import LESSON  # (menus builds this menu)

    keys = menu.addAction(translate("HelpMenu", "&Keyboard Shortcuts"))
    keys.setShortcut(QKeySequence("F1"))
    keys.triggered.connect(partial(show_shortcuts, w))
    lesson = menu.addAction(translate("HelpMenu", "The &Lesson: Tensors with Gradients"))
    lesson.setStatusTip(
        translate("HelpMenu", "Open the lesson the app starts with (also in Examples)")
    )
    lesson.triggered.connect(partial(w.open_example, LESSON, translate("HelpMenu", "the lesson")))
    menu.addSeparator()
    shown = [keys, lesson]
    if report is not None:
        problem = menu.addAction(translate("HelpMenu", "Report a &Problem…"))
        problem.setStatusTip(
            translate("HelpMenu", "The versions and the crash log, to copy into a report")
        )
        problem.triggered.connect(report)
        shown.append(problem)
    about_action = menu.addAction(translate("HelpMenu", "&About Autograd Lens"))
    about_action.triggered.connect(about)
    return [*shown, about_action]

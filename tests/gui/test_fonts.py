"""The window's fonts: the same after presenter mode (F5, Esc) as before it, and the
application's 13 px from the start (issue 19, item 5)."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from gui.look.appearance import BASE_PIXELS


def fonts(w) -> dict:
    """Every widget of the window's chrome, and its font as Qt resolves it."""
    widgets = {
        "menu bar": w.menuBar(),
        "status bar": w.statusBar(),
        "status text": w.status,
        "inspector": w.inspector,
        "player": w.player,
        "caption": w.player.caption,
        "chain": w.chain_panel,
        **{f"title {t.text()}": t for t in w.findChildren(QLabel, "paneTitle")},
    }
    return {name: x.font().toString() for name, x in widgets.items()}


def test_presenter_mode_leaves_the_fonts_as_they_were(make_window, qtbot):
    w = make_window()
    before = fonts(w)
    assert w.menuBar().font().pixelSize() == BASE_PIXELS  # the app's size from the start
    assert w.statusBar().font().pixelSize() == BASE_PIXELS
    qtbot.keyClick(w.view, Qt.Key.Key_F5)
    assert w.presenter.active
    qtbot.keyClick(w.view, Qt.Key.Key_PageDown)
    qtbot.keyClick(w.view, Qt.Key.Key_Escape)
    assert not w.presenter.active
    assert fonts(w) == before
    w.scale_text(1)  # Ctrl+=, then back: the same again
    assert w.menuBar().font().pixelSize() > BASE_PIXELS
    w.scale_text(0)
    assert fonts(w) == before

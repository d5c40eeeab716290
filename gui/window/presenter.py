"""Presenter mode: full screen, the graph and a large caption only, for a projector.

F5 (or View → Presenter Mode) enters and leaves, Esc leaves. It switches to the
high-contrast (Okabe–Ito, colour-blind-safe) theme, hides the editor (Ctrl+Shift+E shows
it again, in large type), the inspector, the player's controls, the menu and status bars;
the clicker keys keep stepping (PageUp/PageDown, ←/→, Space: the player's actions are put
on the window itself, so they work with the menu bar hidden) and the view glides to the
node that runs. A training loop's runs strip (`gui.panels.runs_strip`) stays, in larger type:
its curve is worth showing, and a click on it shows another run. Leaving puts back
everything as it was: window state, panes, theme, zoom.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from PySide6.QtCore import QEvent, QObject, QPointF, QRect, Qt, QTimer
from PySide6.QtGui import QAction, QFont, QKeySequence, QTransform
from PySide6.QtWidgets import QLabel, QSplitter, QWidget

from gui.look.i18n import translate
from gui.model.captions import caption_for, captions_to_fit
from gui.panels.player import WrappedCaption
from gui.window.interface import Window

PRESENTER_THEME = "high contrast"
MIN_ZOOM = 1.0  # the graph's 10-point text at least 10 pixels high (a projector's are big):
# below it the view scrolls and follows the step; above it the whole graph is in view
MAX_ZOOM = 4.0  # a small graph fills the screen
TEXT_SCALE = 2.0  # the editor's text, when it is shown
EDITOR_SHARE = 0.42  # of the window's width, the editor's column at least, when it is shown
CAPTION_SHARE = 1 / 34  # the caption's pixel size, as a share of the screen's height
CAPTION_STYLE = "QLabel { background: #ffffff; color: #000000; padding: 10px 24px 14px 24px; border-top: 2px solid #000000; }"  # noqa: E501


@dataclass
class Saved:
    """What presenter mode changes, to put back when it ends."""

    state: Qt.WindowState
    geometry: QRect
    docks: Any  # QByteArray
    visible: dict[QWidget, bool]
    theme: str
    splitter: list[int]
    transform: QTransform
    centre: QPointF
    stop_keys: list[QKeySequence]
    scroll_bars: tuple[Qt.ScrollBarPolicy, Qt.ScrollBarPolicy]
    fitting: tuple[bool, float, float]  # the view's auto_fit, min_fit_zoom, max_fit_zoom


class Presenter(QObject):
    """Presenter mode for a MainWindow (created by it; menus add `actions`)."""

    def __init__(self, window: Window) -> None:
        super().__init__(cast(QObject, window))
        self.w = window
        self.active = False
        self.show_editor = False
        self._saved: Saved | None = None
        self.caption = WrappedCaption()  # (room for the playback's longest: see reserve)
        self._reserved_for: object = None  # the record whose captions it has room for
        self.caption.setObjectName("presenterCaption")
        self.caption.setStyleSheet(CAPTION_STYLE)
        self.caption.hide()
        column = window.centralWidget().layout()
        column.insertWidget(column.indexOf(window.player), self.caption)  # under the runs strip
        self.toggle_action = self._action(
            translate("Presenter", "&Presenter Mode"), ["F5"], self.toggle, True
        )
        self.leave_action = self._action(
            translate("Presenter", "Leave Presenter Mode"), ["Esc"], self.escape
        )
        self.leave_action.setEnabled(False)
        self.editor_action = self._action(
            translate("Presenter", "Show &Editor in Presenter Mode"),
            ["Ctrl+Shift+E"],
            self.set_show_editor,
            True,
        )
        self.actions = [self.toggle_action, self.editor_action]
        c = window.controller
        c.stepChanged.connect(self._update_caption)
        c.recordChanged.connect(self._update_caption)
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        """Closing the window leaves presenter mode first, so the layout and theme stored
        at quit are the user's own."""
        if watched is self.w and event.type() == QEvent.Type.Close and self.active:
            self.leave()
        return super().eventFilter(watched, event)

    def _action(self, text: str, keys: list[str], slot, checkable: bool = False) -> QAction:
        action = QAction(text, self.w)
        action.setShortcuts([QKeySequence(k) for k in keys])
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.setCheckable(checkable)
        action.triggered.connect(slot)
        self.w.addAction(action)  # works with the menu bar hidden
        return action

    # --- commands -----------------------------------------------------------------------
    def toggle(self) -> None:
        if self.active:
            self.leave()
        else:
            self.enter()

    def escape(self) -> None:
        """Esc: stop a running evaluation (as outside presenter mode), else leave."""
        if self.w.controller.busy:
            self.w.controller.stop()
        else:
            self.leave()

    def set_show_editor(self, on: bool) -> None:
        self.show_editor = bool(on)
        self.editor_action.setChecked(self.show_editor)
        if self.active:
            self._left_pane().setVisible(self.show_editor)
            self._share_editor()

    def _share_editor(self) -> None:
        """The editor's column, shown in presenter mode, takes EDITOR_SHARE of the width at
        least: its text is twice as big (a laptop's column held ~15 characters a line).
        Leaving puts the splitter back as it was."""
        if not self.show_editor:
            return
        left, graph = self.w.splitter.sizes()
        least = round((left + graph) * EDITOR_SHARE)
        if left < least:
            self.w.splitter.setSizes([least, left + graph - least])

    def enter(self) -> None:
        if self.active:
            return
        w, view = self.w, self.w.view
        self._saved = Saved(
            state=w.windowState(),
            geometry=w.geometry(),
            docks=w.saveState(),
            visible={widget: widget.isVisible() for widget in self._hidden_widgets()},
            theme=w.theme_choice,  # ("system" stays the OS's after leaving)
            splitter=w.splitter.sizes(),
            transform=view.transform(),
            centre=view.visible_rect().center(),
            stop_keys=w.stop_action.shortcuts(),
            scroll_bars=(view.horizontalScrollBarPolicy(), view.verticalScrollBarPolicy()),
            fitting=(view.auto_fit, view.min_fit_zoom, view.max_fit_zoom),
        )
        self.active = True
        w.stop_action.setShortcuts([])  # Esc is the leave action's now (it stops too)
        for action in w.player.actions_in_menu:
            w.addAction(action)  # the clicker keys, with the menu bar and player hidden
        for widget in self._hidden_widgets():
            widget.hide()
        self._left_pane().setVisible(self.show_editor)
        QTimer.singleShot(0, self._share_editor)  # (once the full-screen width is known)
        self._select_theme(PRESENTER_THEME)
        w.editor.set_text_scale(TEXT_SCALE)
        w.runs.set_presenting(True)  # a training loop's curve stays, in larger type
        self.caption.show()
        w.showFullScreen()
        view.smooth_follow = True
        view.auto_fit, view.min_fit_zoom, view.max_fit_zoom = True, MIN_ZOOM, MAX_ZOOM
        view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.leave_action.setEnabled(True)
        self.toggle_action.setChecked(True)
        self._update_caption()
        QTimer.singleShot(0, self.frame_graph)  # once the full-screen layout is in place

    def leave(self) -> None:
        if not self.active or self._saved is None:
            return
        w, saved = self.w, self._saved
        self.active = False
        w.view.smooth_follow = False
        w.view.glide.stop()
        w.view.setHorizontalScrollBarPolicy(saved.scroll_bars[0])
        w.view.setVerticalScrollBarPolicy(saved.scroll_bars[1])
        w.view.auto_fit, w.view.min_fit_zoom, w.view.max_fit_zoom = saved.fitting
        self.caption.hide()
        self.leave_action.setEnabled(False)
        self.toggle_action.setChecked(False)
        w.stop_action.setShortcuts(saved.stop_keys)
        self._left_pane().show()
        for widget, visible in saved.visible.items():
            widget.setVisible(visible)
        self._select_theme(saved.theme)
        w.editor.set_text_scale(w.text_scale)
        w.runs.set_presenting(False)
        w.setWindowState(saved.state)
        if not saved.state & (Qt.WindowState.WindowMaximized | Qt.WindowState.WindowFullScreen):
            w.setGeometry(saved.geometry)
        w.restoreState(saved.docks)
        w.splitter.setSizes(saved.splitter)
        self._restore_view(saved)
        QTimer.singleShot(0, lambda: self._restore_view(saved))  # after the layout settles

    # --- helpers -------------------------------------------------------------------------
    def frame_graph(self) -> None:
        """Fit the whole graph above the caption (it fits again as the screen settles or
        the caption grows), or, if its text would be smaller than MIN_ZOOM allows, show
        the node that runs at that zoom."""
        if self.active and self.w.view.auto_fit:
            self.w.view.fit()

    def _restore_view(self, saved: Saved) -> None:
        if saved.fitting[0]:  # it was fitting itself: it fits the window as it is now
            self.w.view.fit()
            return
        self.w.view.setTransform(saved.transform)
        self.w.view.centerOn(saved.centre)

    def _left_pane(self) -> QWidget:
        """The editor (and transcript) column."""
        return self.w.splitter.widget(0)

    def _hidden_widgets(self) -> list[QWidget]:
        """What presenter mode hides (besides the editor): bars, panes' titles, docks."""
        w = self.w
        titles = w.splitter.widget(1).findChildren(QLabel, "paneTitle")
        left = self._left_pane()
        transcript = [left.widget(1)] if isinstance(left, QSplitter) and left.count() > 1 else []
        docks = [w.inspector_dock, w.chain_dock]
        return [w.menuBar(), w.statusBar(), *docks, w.player, *titles, *transcript]

    def _select_theme(self, name: str) -> None:
        self.w.set_theme(name)
        self.w.menu_actions.themes[name].setChecked(True)

    def _update_caption(self, *_: object) -> None:
        if not self.active:
            return
        c = self.w.controller
        font = QFont(self.caption.font())
        font.setPixelSize(max(20, round(self.w.screen().geometry().height() * CAPTION_SHARE)))
        self.caption.setFont(font)
        if self._reserved_for is not c.record:  # a new playback: room for its captions
            self._reserved_for = c.record
            self.caption.reserve(captions_to_fit(c.record))
        self.caption.set_full_text(caption_for(c.record, c.step))

"""What the window's helpers (menus, preferences, sessions, recent files, presenter mode,
the status bar, the app) may use of the main window: one Protocol, so that the window
passed around is typed and nothing reaches for attributes it isn't sure exist.

`gui.window.main_window.MainWindow` is the one class that has all of it; its menu
actions come from `gui.window.menus.build_menus` as one `Actions` object.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from PySide6.QtCore import QByteArray, QRect
    from PySide6.QtGui import QAction, QScreen
    from PySide6.QtWidgets import QDockWidget, QLabel, QMenuBar, QSplitter, QStatusBar, QWidget

    from gui.export.exports import Shown
    from gui.graph.pane import GraphPane
    from gui.graph.scene import GraphScene
    from gui.graph.view import GraphView
    from gui.model.theme import Theme
    from gui.panels.chain_panel import ChainPanel
    from gui.panels.editor import CodeEditor
    from gui.panels.player import Player
    from gui.panels.runs_strip import RunsStrip
    from gui.window.controller import Controller
    from gui.window.forward import ForwardPass
    from gui.window.menus import Actions
    from gui.window.presenter import Presenter


class Window(Protocol):
    """The main window, as its helpers see it."""

    controller: Controller
    path: Path | None
    document_name: str
    theme: Theme
    text_scale: float
    handout_frame_ms: int  # the GIF handout's frame duration (this session's choice)
    restored_note: str  # "Restored unsaved text from …", when the app did that at start
    menu_actions: Actions
    editor: CodeEditor
    graph: GraphPane
    scene: GraphScene
    view: GraphView
    splitter: QSplitter
    runs: RunsStrip
    player: Player
    inspector_dock: QDockWidget
    chain_dock: QDockWidget
    chain_panel: ChainPanel
    presenter: Presenter
    forward_pass: ForwardPass  # Backward → Forward Pass
    status: QLabel
    stop_action: QAction

    # the window's commands
    def load_text(self, text: str, name: str, path: Path | None = None) -> None: ...
    def open_path(self, path: str | Path) -> bool: ...
    def open_file(self) -> None: ...
    def open_example(self, path: Path, title: str) -> None: ...
    def save(self) -> bool: ...
    def save_as(self) -> bool: ...
    def set_theme(self, name: str) -> None: ...
    def scale_text(self, direction: int) -> None: ...
    def set_show_values(self, on: bool) -> None: ...
    def shown(self) -> Shown | None: ...
    def flash(self, text: str, ms: int = 4000) -> None: ...
    def fit_on_screen(self) -> None: ...

    # its dialogs (tests replace them)
    def ask_open_path(self, caption: str = ..., filter_: str = ...) -> str: ...
    def ask_save_path(self, caption: str, filter_: str, name: str) -> str: ...
    def ask_save_changes(self) -> str: ...
    def show_message(self, title: str, text: str) -> None: ...

    # what it is as a Qt main window
    def close(self) -> bool: ...
    def menuBar(self) -> QMenuBar: ...
    def statusBar(self) -> QStatusBar: ...
    def centralWidget(self) -> QWidget: ...
    def addAction(self, action: QAction) -> None: ...
    def saveGeometry(self) -> QByteArray: ...
    def restoreGeometry(self, geometry: QByteArray) -> bool: ...
    def saveState(self) -> QByteArray: ...
    def restoreState(self, state: QByteArray) -> bool: ...
    def geometry(self) -> QRect: ...
    def screen(self) -> QScreen: ...

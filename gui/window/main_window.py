"""The main window: editor and transcript on the left, the graph in the centre, the
inspector on the right, the backward player at the bottom (above it, for a program that
calls backward() more than once, the runs strip: `gui.panels.runs_strip`).

All state lives in the controller; this module wires widgets to its signals and keeps the
file and the title (the status bar is `gui.window.status`, sessions are
`gui.window.sessions`). Dialogs
sit behind small methods (`ask_open_path`, `ask_save_path`, `ask_save_changes`,
`show_message`) that tests replace.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStandardPaths, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QGuiApplication, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QFileDialog,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from core.record import files
from core.record.language import ProgramError
from core.record.session_file import SUFFIX, Lesson, View
from gui.desktop import file_drop
from gui.desktop.app_icon import app_icon
from gui.export import exports
from gui.export.handout import DEFAULT_FRAME_MS
from gui.graph.pane import GraphPane
from gui.graph.view import READABLE_ZOOM
from gui.look import appearance
from gui.look.i18n import native_dialogs, translate
from gui.model import screen_fit
from gui.model.core_text import error_message
from gui.model.playback import playback_of
from gui.model.theme import SYSTEM, THEMES, Theme
from gui.panels import chain_panel
from gui.panels.editor import CodeEditor, ErrorLine
from gui.panels.gradient_dialog import GradientDialog
from gui.panels.inspector import Inspector
from gui.panels.player import Player
from gui.panels.runs_strip import RunsStrip
from gui.panels.transcript import Transcript
from gui.window import sessions, settings
from gui.window.controller import Controller
from gui.window.forward import ForwardPass
from gui.window.menus import Actions, build_menus
from gui.window.presenter import Presenter
from gui.window.status import StatusArea

APP_NAME = "Autograd Lens"


UNTITLED = "untitled.py"  # the document name of a program saved nowhere


def example_name(file_name: str) -> str:
    """The document name of an example ("neuron.py (example)"): its file name comes first."""
    return translate("MainWindow", "{file} (example)").format(file=file_name)


def open_filter() -> str:
    """File → Open's file types, in the window's language."""
    return translate(
        "MainWindow",
        "Programs and sessions (*.py *.alens);;Python program (*.py);;{sessions};;All files (*)",
    ).format(sessions=sessions.session_filter())


TEXT_SCALES = appearance.TEXT_SCALES
NEW_PROGRAM = """import torch

x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
y = (x * x).sum()
y.backward()
"""  # File → New: something to see at once, to change
CHAIN_SHARE, CHAIN_PIXELS = 0.14, (84, 170)  # the chain-rule dock's height: share, range
INSPECTOR_SHARE, INSPECTOR_PIXELS = 0.22, (210, 300)  # the inspector's width: share, range
EDITOR_SHARE = 0.46  # of the editor and graph columns, the editor's at most (as it shrinks)


def documents_folder() -> Path:
    """The user's Documents folder, or home if there is none: where file dialogs start and
    an untitled program runs (never the folder the app runs from)."""
    places = QStandardPaths.StandardLocation
    documents = QStandardPaths.writableLocation(places.DocumentsLocation)
    return Path(documents) if documents and Path(documents).is_dir() else Path.home()


def _dialog_options() -> QFileDialog.Option:
    """The desktop's file dialog when it speaks the window's language, else Qt's own."""
    options = QFileDialog.Option(0)
    return options if native_dialogs() else options | QFileDialog.Option.DontUseNativeDialog


def pane(title: str, *widgets: QWidget) -> QWidget:
    """A titled column: a small heading over the widgets."""
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(0)
    heading = QLabel(title)
    heading.setObjectName("paneTitle")
    layout.addWidget(heading)
    for w in widgets:
        layout.addWidget(w, 0 if isinstance(w, QLabel) else 1)
    return box


class MainWindow(QMainWindow):
    def __init__(self, controller: Controller, theme: str = "light") -> None:
        super().__init__()
        self.controller = controller
        controller.setParent(self)  # it goes when the window goes: no signals to dead widgets
        self.path: Path | None = None
        self.folder: Path | None = None  # the program's file's folder (see program_folder)
        self.document_name = UNTITLED
        self._loading = False
        self.theme_choice = theme  # a theme's name, or "system" (the OS's light or dark)
        self.theme: Theme = THEMES[appearance.resolve(theme)]
        self.text_scale = 1.0
        self.handout_frame_ms = DEFAULT_FRAME_MS  # the GIF handout's, chosen in its menu
        self.restored_note = ""  # set by the app when it restored unsaved text at start
        self._build_widgets()
        self._wire()
        self.presenter = Presenter(self)
        self.menu_actions: Actions = build_menus(self)
        file_drop.install(self)
        self.setWindowIcon(app_icon())
        self.resize(*self._first_size())  # 1280×800, or what the screen holds
        self._fitted_once = False
        self.set_theme(theme)
        self._update_title()
        QGuiApplication.styleHints().colorSchemeChanged.connect(self._on_colour_scheme)

    def _on_colour_scheme(self, *_: object) -> None:
        """The OS went light or dark: the "system" theme follows."""
        if self.theme_choice == SYSTEM and not self.presenter.active:
            self.set_theme(SYSTEM)

    # --- the menus' actions, by the names tests and helpers know them -----------------------
    @property
    def export_actions(self) -> dict[str, QAction]:
        return self.menu_actions.export

    @property
    def handout_actions(self) -> dict[str, QAction]:
        return self.menu_actions.handout

    @property
    def recent_menu(self) -> QMenu:
        return self.menu_actions.recent_menu

    @property
    def values_action(self) -> QAction:
        return self.menu_actions.values

    @property
    def graph_option_actions(self) -> dict[str, QAction]:
        return self.menu_actions.graph_options

    @property
    def constants_action(self) -> QAction:
        return self.menu_actions.constants

    @property
    def theme_actions(self) -> dict[str, QAction]:
        return self.menu_actions.themes

    @property
    def forward_action(self) -> QAction:
        return self.menu_actions.forward

    # --- layout -------------------------------------------------------------------------
    def _build_widgets(self) -> None:
        c = self.controller
        self.editor = CodeEditor()
        self.error_line = ErrorLine()
        self.error_line.clicked.connect(self.editor.go_to_error)
        self.error_line.hide()
        self.transcript = Transcript()
        self.transcript.setObjectName("transcript")
        left = QSplitter(Qt.Orientation.Vertical)
        left.addWidget(pane(translate("MainWindow", "Program"), self.editor, self.error_line))
        left.addWidget(pane(translate("MainWindow", "Transcript"), self.transcript))
        left.setSizes([480, 280])
        self.graph = GraphPane(c, self.editor, self.theme)
        self.scene, self.view = self.graph.scene, self.graph.view
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(left)
        self.splitter.addWidget(pane(translate("MainWindow", "Autograd graph"), self.graph))
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([460, 560])
        self.runs = RunsStrip(c)  # a training loop's runs (hidden for one backward())
        self.player = Player(c)
        self.graph.host_note(self.player.note_box)
        self.player.noteChanged.connect(self.graph.place_note)
        central = QWidget()
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.splitter, 1)
        column.addWidget(self.runs)
        column.addWidget(self.player)
        self.setCentralWidget(central)
        self._build_dock_and_status()

    def _build_dock_and_status(self) -> None:
        self.inspector = Inspector(self.controller)
        self.inspector_dock = QDockWidget(translate("MainWindow", "Inspector"), self)
        self.inspector_dock.setObjectName("inspectorDock")
        self.inspector_dock.setWidget(self.inspector)
        self.inspector_dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetClosable
            | QDockWidget.DockWidgetFeature.DockWidgetMovable
        )
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.inspector_dock)
        self.resizeDocks([self.inspector_dock], [300], Qt.Orientation.Horizontal)
        self.chain_dock, self.chain_panel = chain_panel.add_dock(self, self.controller)
        self.forward_pass = ForwardPass(self)  # Backward → Forward Pass
        self.status_area = StatusArea(self, self.controller)
        self.status, self.engine = self.status_area.label, self.status_area.engine
        self.stop_action = self.status_area.stop_action

    def _wire(self) -> None:
        c = self.controller
        self.editor.textChanged.connect(lambda: c.edit(self.editor.toPlainText()))
        self.editor.document().modificationChanged.connect(self.setWindowModified)
        self.editor.escapePressed.connect(self.view.setFocus)
        c.recordChanged.connect(self._on_record)
        c.anotherProgram.connect(self._another_program)
        c.errorChanged.connect(self._on_error)
        c.stateChanged.connect(self._update_status)
        c.gradientNeeded.connect(self._backward_with_gradient)
        c.stepChanged.connect(self._follow_player)
        c.stateChanged.connect(self._follow_player)  # an edit: the old spans are off

    def _follow_player(self, *_: object) -> None:
        """The editor lights the source line of the node the player runs (the frame's)."""
        c = self.controller
        current = c.record is not None and not c.out_of_date and c.record_text == c.text
        frame = playback_of(c.record).frame(c.step) if current and c.record else None
        self.editor.show_running(frame.span if frame is not None and frame.step else None)

    # --- documents ------------------------------------------------------------------------
    def load_text(
        self, text: str, name: str, path: Path | None = None, view: View | None = None,
        lesson: Lesson | None = None, folder: Path | None = None,
    ) -> None:  # fmt: skip
        """Show a new program (a file, or an example when `path` is None) and evaluate it;
        `view` is a session's step and selection, to show it at; `lesson` its lesson;
        `folder` the session file's folder, where the program runs (`program_folder`)."""
        self.path, self.document_name = path, name
        self.folder = path.parent if path is not None else folder
        self.controller.evaluator.cwd = self.program_folder()
        self.controller.evaluator.script_folder = self.folder  # (None: no modules beside it)
        self.graph.new_document()  # fitted, and a big graph starts summarised
        self._loading = True  # (the editor's new text is no program pasted over this one)
        try:
            self.editor.setPlainText(text)  # resets undo and the modified flag
        finally:
            self._loading = False
        self.controller.load(text, view, lesson)
        self._update_title()
        self.view.setFocus()  # so the arrow keys and a clicker step the player at once

    def open_path(self, path: str | Path) -> bool:
        """Open a program (.py) or a session (.alens); False (and a message) if it can't."""
        path = Path(path)
        if path.suffix.lower() == SUFFIX:
            return sessions.open_session_path(self, path)
        try:  # a regular file of at most 1 MiB, read on another thread (core.record.files)
            text = files.read_text(path, wait=files.READ_WAIT)
        except files.FileRefused as e:  # one sentence, naming the file
            self.show_message(translate("MainWindow", "Can't open the file"), error_message(e))
            return False
        self.load_text(text, path.name, path)
        settings.add_recent(path)
        return True

    def new_file(self) -> None:
        """File → New: a short program to start from, untitled (Save asks where)."""
        if self.ask_save_changes() == "cancel":
            return
        self.load_text(NEW_PROGRAM, UNTITLED)
        self.editor.setFocus()
        self.editor.moveCursor(self.editor.textCursor().MoveOperation.End)

    def document_stem(self) -> str:
        """The name files made from this document start with: the program's file name,
        the example's ("lesson", "neuron"), or "untitled"."""
        if self.path is not None:
            return self.path.stem
        return Path(self.document_name.split(" ")[0]).stem or "untitled"

    def open_file(self) -> None:
        if self.ask_save_changes() == "cancel":
            return
        path = self.ask_open_path()
        if path:
            self.open_path(path)

    def open_example(self, path: Path, title: str) -> None:
        if self.ask_save_changes() == "cancel":
            return
        self.load_text(path.read_text(encoding="utf-8"), example_name(path.name))
        self.flash(translate("MainWindow", "Example: {title}").format(title=title))

    def save(self) -> bool:
        if self.path is None:
            return self.save_as()
        try:
            self.path.write_text(self.editor.toPlainText(), encoding="utf-8")
        except OSError as e:
            self.show_message(translate("MainWindow", "Can't save"), f"{self.path}: {e}")
            return False
        self.editor.document().setModified(False)
        settings.add_recent(self.path)
        self.flash(translate("MainWindow", "Saved {path}").format(path=self.path))
        return True

    def save_as(self) -> bool:
        name = self.document_name.split(" ")[0] if self.document_name else "program.py"
        path = self.ask_save_path(
            translate("MainWindow", "Save program"),
            translate("MainWindow", "Python program (*.py)"),
            name,
        )
        if not path:
            return False
        self.path = Path(path) if Path(path).suffix else Path(path + ".py")
        self.document_name = self.path.name
        self._update_title()
        saved = self.save()
        if saved:
            self._move_to(self.path.parent)
        return saved

    def _another_program(self) -> None:
        """Another program was pasted over an example: it is untitled now (its exports and
        Save no longer take the example's name). A file or a session keeps its name."""
        if self._loading or self.path is not None or self.folder is not None:
            return
        if self.document_name != UNTITLED:
            self.document_name = UNTITLED
            self._update_title()

    def saved_session(self, path: Path) -> None:
        """A session was saved to `path`. A program saved nowhere else (an example, an
        untitled one) is that session's from now on: titled by it, not modified (Quit
        doesn't ask to save it again), running in its folder. A program file stays the
        document (the file itself is not saved by it)."""
        if self.path is not None:
            return
        self.document_name = translate("Sessions", "{name} (session)").format(name=path.stem)
        self.editor.document().setModified(False)
        self._update_title()
        self._move_to(path.parent)

    def program_folder(self) -> Path:
        """The folder the program runs in (its current directory, where a file it opens by
        a name without a folder is looked for), as `python prog.py` would from the
        program's folder: the folder of the file it was opened from or saved to (a
        program or a session), else the user's Documents folder (or home)."""
        return self.folder if self.folder is not None else documents_folder()

    def _move_to(self, folder: Path) -> None:
        """The program was saved to `folder`: it runs there from now on; a program that ran
        as plain Python runs again there (the files it opens and the modules it imports
        may be there)."""
        if folder == self.folder:
            return
        self.folder = folder
        self.controller.evaluator.cwd = folder
        self.controller.evaluator.script_folder = folder
        if self.controller.trusted:
            self.controller.evaluate_now()

    def _update_title(self) -> None:
        self.setWindowTitle(f"{self.document_name}[*] — {APP_NAME}")

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        if self.ask_save_changes() == "cancel":
            event.ignore()
            return
        self.player.pause()
        event.accept()

    # --- dialogs (replaced in tests) ------------------------------------------------------
    def ask_open_path(self, caption: str = "", filter_: str = "") -> str:
        caption = caption or translate("MainWindow", "Open")
        filter_ = filter_ or open_filter()
        path = QFileDialog.getOpenFileName(
            self, caption, str(self.start_folder()), filter_, "", _dialog_options()
        )[0]
        if path:
            settings.note_folder(path)
        return path

    def ask_save_path(self, caption: str, filter_: str, name: str) -> str:
        """`name` alone starts in `start_folder`; with a folder, there."""
        start = Path(name) if Path(name).parent != Path() else self.start_folder() / name
        options = _dialog_options()
        path = QFileDialog.getSaveFileName(self, caption, str(start), filter_, "", options)[0]
        if path:
            settings.note_folder(path)
        return path

    def start_folder(self) -> Path:
        """Where a file dialog opens: the folder the last one chose, else the open file's,
        else the user's documents (never the folder the app runs from)."""
        folder = settings.last_folder() or (self.path.parent if self.path else None)
        return folder if folder is not None else documents_folder()

    def ask_save_changes(self) -> str:
        """ "save", "discard" or "cancel" when there are unsaved changes; "discard" if none."""
        if not self.editor.document().isModified():
            return "discard"
        buttons = QMessageBox.StandardButton
        answer = QMessageBox.question(
            self,
            APP_NAME,
            translate("MainWindow", "Save the changes to {name}?").format(name=self.document_name),
            buttons.Save | buttons.Discard | buttons.Cancel,
            buttons.Save,
        )
        if answer == buttons.Save:
            return "save" if self.save() else "cancel"
        return "discard" if answer == buttons.Discard else "cancel"

    def ask_gradient(self, name: str, shape: tuple[int, ...]) -> str | None:
        """The `gradient` for name.backward() ("" for none), or None if cancelled."""
        dialog = GradientDialog(name, shape, self)
        return dialog.gradient if dialog.exec() == GradientDialog.DialogCode.Accepted else None

    def _backward_with_gradient(self) -> None:
        record = self.controller.record
        out = record.node(record.output) if record is not None and record.output else None
        if out is not None and out.name:
            gradient = self.ask_gradient(out.name, out.shape or ())
            if gradient is not None:
                self.controller.backward_with_gradient(gradient)

    def flash(self, text: str, ms: int = 4000) -> None:
        """A passing note in the status bar; the evaluation state comes back after `ms`."""
        self.status_area.flash(text, ms)

    def show_message(self, title: str, text: str) -> None:
        QMessageBox.warning(self, title, text)

    # --- following the controller -----------------------------------------------------------
    def _on_record(self, record) -> None:
        c = self.controller
        user_lines = len(c.record_text.splitlines())
        added = c.added_backward or c.lesson.lines
        self.transcript.show_record(record, user_lines if added else None)
        if record.engine:
            engine = translate("MainWindow", "Graphviz: {engine}").format(engine=record.engine)
        elif record.layout_error:
            engine = translate("MainWindow", "Graphviz: missing")
        else:
            engine = translate("MainWindow", "Graphviz: not run")
        self.engine.setText(engine)
        self._update_status()

    def _on_error(self, error) -> None:
        if error is None:
            self.editor.clear_error()
            self.error_line.hide()
        else:
            if isinstance(error, ProgramError):
                self.editor.show_error(error.span, error_message(error))
            self.error_line.setText(f"⚠ {self.controller.error_text}")
            self.error_line.show()
        self._update_status()

    def _update_status(self, *_: object) -> None:
        c = self.controller
        record, error = c.record, c.error
        stale = c.out_of_date
        self.transcript.set_out_of_date(stale)
        # with no graph yet, the placeholder says why (it said "Loading PyTorch…" before)
        self.graph.show_problem(error if stale or record is None else None, record is None)
        self.status_area.refresh()

    def _first_size(self) -> screen_fit.Size:
        """1280×800 where the screen it opens on has room, else as much as it has (a
        1366×768 laptop: its panel and the title bar leave ~1366×690)."""
        room = self.screen().availableGeometry()
        return screen_fit.fitted_size(
            screen_fit.DEFAULT_SIZE, (room.width(), room.height()), screen_fit.FRAME_GUESS
        )

    def fit_on_screen(self) -> None:
        """The whole window on its screen's available area, title bar and status bar
        included: smaller if it is larger (a geometry saved on a bigger monitor), moved in
        if it crosses an edge. Maximized, full screen (presenter mode): the OS's business."""
        if self.isMaximized() or self.isFullScreen() or self.isMinimized():
            return
        room = self.screen().availableGeometry()
        frame, inner = self.frameGeometry(), self.geometry()
        extra = (frame.width() - inner.width(), frame.height() - inner.height())
        if not self.isVisible():  # (no frame yet: the title bar it will have)
            extra = (
                max(extra[0], screen_fit.FRAME_GUESS[0]),
                max(extra[1], screen_fit.FRAME_GUESS[1]),
            )
        available = (room.x(), room.y(), room.width(), room.height())
        now = (frame.x(), frame.y(), frame.width(), frame.height())
        if screen_fit.fits(now, available):
            return
        width, height = screen_fit.fitted_size(
            (inner.width(), inner.height()), (room.width(), room.height()), extra
        )
        if (width, height) != (inner.width(), inner.height()):
            self.resize(width, height)
        size = (width + extra[0], height + extra[1])
        self.move(*screen_fit.fitted_place((frame.x(), frame.y(), *size), available))

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        if not self._fitted_once:  # once the window manager has added its frame
            self._fitted_once = True
            QTimer.singleShot(0, self.fit_on_screen)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        """A small window gives the graph its share: the docks around it shrink with the
        window (the chain-rule panel to a fifth of its height, the inspector to a quarter
        of its width) down to what they need, and grow back to their usual size."""
        super().resizeEvent(event)
        presenter = getattr(self, "presenter", None)  # (made after the widgets)
        if presenter is None or presenter.active or event.oldSize() == event.size():
            return
        old = event.oldSize()
        if old.isValid() and event.size().width() < old.width():
            left, graph = self.splitter.sizes()[:2]
            most = round((left + graph) * EDITOR_SHARE)  # the editor column: no more than this
            if left > most and graph > 0:
                self.splitter.setSizes([most, left + graph - most])
        QTimer.singleShot(0, self._share_docks)  # once the window's layout has settled

    def _share_docks(self) -> None:
        if self.presenter.active:
            return
        height, width = self.height(), self.width()
        if self.chain_dock.isVisible() and not self.chain_dock.isFloating():
            share = round(min(max(height * CHAIN_SHARE, CHAIN_PIXELS[0]), CHAIN_PIXELS[1]))
            self.resizeDocks([self.chain_dock], [share], Qt.Orientation.Vertical)
        if self.inspector_dock.isVisible() and not self.inspector_dock.isFloating():
            share = round(
                min(max(width * INSPECTOR_SHARE, INSPECTOR_PIXELS[0]), INSPECTOR_PIXELS[1])
            )
            self.resizeDocks([self.inspector_dock], [share], Qt.Orientation.Horizontal)

    # --- view commands ----------------------------------------------------------------------
    def set_theme(self, name: str) -> None:
        """A theme by name, or "system": light or dark as the OS is, following it."""
        self.theme_choice = name
        self.theme = THEMES[appearance.resolve(name)]
        appearance.apply(QApplication.instance(), self.theme.name, self.text_scale)
        dark = appearance.is_dark(self.theme.name)
        self.editor.set_dark(dark)
        self.transcript.set_dark(dark)
        self.graph.set_theme(self.theme)

    def scale_text(self, direction: int) -> None:
        """Larger (+1), smaller (-1) or normal (0) text everywhere, the graph included."""
        i = TEXT_SCALES.index(self.text_scale)
        new = (
            TEXT_SCALES[2]
            if direction == 0
            else TEXT_SCALES[max(0, min(i + direction, len(TEXT_SCALES) - 1))]
        )
        if new == self.text_scale:
            return
        self.view.zoom_by(new / self.text_scale)  # the graph's labels grow with the text
        self.view.min_fit_zoom = READABLE_ZOOM * new  # and a fit keeps them that readable
        self.text_scale = new
        appearance.apply(QApplication.instance(), self.theme.name, new)
        self.editor.set_text_scale(new)
        self.transcript.set_text_scale(new)
        self.player.set_text_scale(new)

    def set_show_values(self, on: bool) -> None:
        self.scene.set_show_values(on)
        self.controller.set_show_values(on)

    def shown(self) -> exports.Shown | None:
        record = self.controller.record
        if record is None:
            return None
        step = self.controller.step if record.backward else None
        return exports.Shown(record, step, self.theme, self.controller.show_values)

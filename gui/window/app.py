"""Start the window: the worker process first (it loads PyTorch meanwhile), then the
window, then the event loop; on the way out, the worker is stopped.

The GUI process never imports torch. With AUTOGRAD_LENS_STATE_FILE set, the app writes a
small JSON file whenever its state changes (shown, evaluation state, step, the editor
text's hash), so an end-to-end test can watch the real window without reading pixels for
everything; with AUTOGRAD_LENS_SCREENSHOT set, it saves a PNG of itself once the graph is
drawn (or the program's error shown), and quits. Text a crashed or killed window left
unsaved is restored (gui.window.autosave).
The user's settings, window geometry and docks come back at start and the window's look
and layout are stored at quit (gui.window.preferences).
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import sys
import time
from pathlib import Path

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QApplication

from gui.desktop.app_icon import app_icon
from gui.export.exports import save_window
from gui.look import i18n
from gui.look.i18n import translate
from gui.model import collector
from gui.window import crash, preferences, sessions, settings
from gui.window.autosave import Autosave, data_dir, when
from gui.window.controller import Controller
from gui.window.evaluator import Evaluator
from gui.window.main_window import MainWindow, example_name
from gui.window.menus import LESSON

STATE_FILE_VARIABLE = "AUTOGRAD_LENS_STATE_FILE"
SCREENSHOT_VARIABLE = "AUTOGRAD_LENS_SCREENSHOT"  # save the window there once drawn, and quit


def run_app(path: str | None = None) -> int:
    """Open the window on `path` (or the lesson) and run until it closes; the exit code."""
    started = time.perf_counter()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Autograd Lens")
    app.setDesktopFileName("autograd-lens")
    app.setWindowIcon(app_icon())
    i18n.install(app, settings.language())  # the system's language, or the user's choice
    evaluator = Evaluator()
    evaluator.worker.memory_limit = preferences.memory_bytes(settings.load_preferences())
    evaluator.start()  # torch loads in the worker while the window is built and shown
    controller = Controller(evaluator)
    window = MainWindow(controller)
    preferences.restore(window)  # the user's settings, geometry and docks (a session's win)
    autosave = Autosave(window)
    crash.install(data_dir(), said=window.flash)  # the window's own bugs: a log, a report
    _open_first(window, path, autosave)
    state_file = os.environ.get(STATE_FILE_VARIABLE)
    if state_file:
        StateReporter(Path(state_file), window, started)
    if os.environ.get(SCREENSHOT_VARIABLE):
        _screenshot_when_drawn(window, Path(os.environ[SCREENSHOT_VARIABLE]))
    _quit_on_signals(app)
    window.show()
    collector.settle_after_start()
    try:
        code = app.exec()
        preferences.remember(window)
        autosave.finish()  # a clean quit: nothing to recover next time
        return code
    finally:
        window.player.pause()
        evaluator.close()


def _open_first(window: MainWindow, path: str | None, autosave: Autosave) -> None:
    """The file asked for, else the text a killed window left unsaved, else the lesson."""
    leftover = autosave.claim()
    if path and window.open_path(path):
        if leftover is not None:
            kept = autosave.keep_aside(leftover)
            saved_at = when(leftover.saved_at)
            if kept:
                note = translate(
                    "App", "Unsaved text from {time} was kept in {path} (File → Open Session)"
                ).format(time=saved_at, path=kept)
            else:
                note = translate("App", "Unsaved text from {time} could not be kept").format(
                    time=saved_at
                )
            window.flash(note, 30_000)
    elif leftover is not None:
        sessions.restore(window, leftover)
        window.restored_note = translate("App", "Restored unsaved text from {time}").format(
            time=when(leftover.saved_at)
        )
        window.flash(window.restored_note, 30_000)
    else:
        window.load_text(LESSON.read_text(encoding="utf-8"), example_name(LESSON.name))
    if autosave.error:
        window.flash(autosave.error, 10_000)


def _screenshot_when_drawn(window: MainWindow, path: Path) -> None:
    """For the README's picture (`make screenshot`): the window as drawn, made by the app,
    once its first answer came: a record, or an error (a refused program brings none)."""
    c = window.controller

    def save() -> None:
        save_window(window, path)
        window.close()

    def on_answer(answer: object) -> None:
        if answer is None:  # (an error cleared)
            return
        c.recordChanged.disconnect(on_answer)
        c.errorChanged.disconnect(on_answer)
        QTimer.singleShot(500, save)  # let the first paint happen

    c.recordChanged.connect(on_answer)
    c.errorChanged.connect(on_answer)


def _quit_on_signals(app: QApplication) -> None:
    """Ctrl+C in the terminal and SIGTERM close the window as Quit does."""
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: app.closeAllWindows())
    timer = QTimer(app)
    timer.timeout.connect(lambda: None)  # lets Python run its signal handlers
    timer.start(200)


class StateReporter(QObject):
    """Writes {shown, state, step, steps, nodes, ...} as JSON whenever one of them changes."""

    def __init__(self, path: Path, window: MainWindow, started: float) -> None:
        super().__init__(window)
        self.path, self.window, self.started = path, window, started
        self.shown_ms: float | None = None
        c = window.controller
        for signal_ in (c.stateChanged, c.stepChanged, c.recordChanged, c.errorChanged,
                        c.trustNeeded):  # fmt: skip
            signal_.connect(self.write)
        window.view.zoomChanged.connect(self.write)  # (a new graph is fitted after it comes)
        window.presenter.toggle_action.toggled.connect(lambda _: QTimer.singleShot(300, self.write))
        QTimer.singleShot(0, self._on_shown)  # the first pass of the event loop: shown

    def _on_shown(self) -> None:
        self.shown_ms = 1000 * (time.perf_counter() - self.started)
        self.write()

    def _view_state(self) -> dict[str, object]:
        """Where the graph is on the screen and at what zoom, the document, presenter
        mode, and the fonts of the window's bars (an end-to-end test checks them)."""
        w = self.window
        view = w.view.viewport()
        corner = view.mapToGlobal(view.rect().topLeft())
        fonts = {
            "menu bar": w.menuBar().font().toString(),
            "status bar": w.statusBar().font().toString(),
            "inspector": w.inspector.font().toString(),
            "player": w.player.font().toString(),
        }
        return {
            "view": [corner.x(), corner.y(), view.width(), view.height()],
            "zoom": w.view.zoom(),
            "fits_whole": w.view.fits_whole(),
            "document": w.document_name,
            "presenting": w.presenter.active,
            "fonts": fonts,
        }

    def write(self, *_: object) -> None:
        c = self.window.controller
        state = {
            "pid": os.getpid(),
            "shown": self.window.isVisible(),
            "shown_ms": self.shown_ms,
            "state": str(c.state),
            "step": c.step,
            "steps": c.step_count(),
            "nodes": len(c.record.nodes) if c.record else 0,
            "engine": c.record.engine if c.record else None,
            "worker_pid": c.evaluator.worker.pid,
            "editor_sha256": hashlib.sha256(self.window.editor.toPlainText().encode()).hexdigest(),
            "restored": self.window.restored_note,
            "status": self.window.status.text(),
            "graph": self.window.graph.showing(),
            "trusted": c.trusted,  # runs as plain Python (the user trusted this text)
            "trust_bar": self.window.graph.trust_bar.isVisible(),
            **self._view_state(),
        }
        tmp = self.path.with_suffix(".tmp")  # (written whole, then moved: never half read)
        tmp.write_text(json.dumps(state), encoding="utf-8")
        tmp.replace(self.path)

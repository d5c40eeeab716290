"""File → Save Session / Open Session: the window's program, settings and view as a
`.alens` file (`core.record.session_file`), and putting one back into the window.

A session opened from a file carries only its program, settings, view and lesson (retain_grad
marks, Show Constants, the added backward() and its gradient, Backward Again / Zero Grad
lines): the recovery
fields (`path`, `document`) are used only for the app's own autosave (`gui.window.autosave`).
"""

from __future__ import annotations

from pathlib import Path

from core.record import files, session_file
from core.record.session_file import Session, SessionError, Settings, View
from gui.look.i18n import translate
from gui.model.core_text import error_message
from gui.window import settings as user_settings
from gui.window.interface import Window


def session_filter() -> str:
    """The file dialogs' type for sessions, in the window's language."""
    return translate("Sessions", "Autograd Lens session (*.alens)")


def current_session(w: Window) -> Session:
    """What the window shows now, as a Session."""
    c = w.controller
    return Session(
        program=w.editor.toPlainText(),
        settings=Settings(time_limit=c.time_limit),
        view=View(
            step=c.step if c.record is not None and c.record.backward else None,
            zoom=_clamp(w.view.zoom(), *session_file.ZOOM_RANGE),
            selected=c.selected,
            theme=w.theme.name,
            show_values=c.show_values,
        ),
        lesson=c.lesson_state(),
        document=w.document_name,
        path=str(w.path) if w.path else None,
        modified=w.editor.document().isModified(),
    )


def _clamp(x: float, low: float, high: float) -> float:
    return min(max(x, low), high)


def save_session(w: Window) -> bool:
    """Ask where, then write the session there (atomically)."""
    stem = w.document_stem()
    path = w.ask_save_path(
        translate("Sessions", "Save session"), session_filter(), stem + session_file.SUFFIX
    )
    if not path:
        return False
    path = Path(path) if Path(path).suffix else Path(path + session_file.SUFFIX)
    session = current_session(w)
    shared = Session(session.program, session.settings, session.view, session.lesson)  # no paths
    try:
        session_file.save(shared, path)
    except OSError as e:
        w.show_message(translate("Sessions", "Can't save the session"), f"{path}: {e}")
        return False
    user_settings.add_recent(path)
    w.saved_session(path)
    w.flash(translate("Sessions", "Saved session {path}").format(path=path))
    return True


def open_session(w: Window) -> None:
    if w.ask_save_changes() == "cancel":
        return
    path = w.ask_open_path(translate("Sessions", "Open session"), session_filter())
    if path:
        open_session_path(w, path)


def open_session_path(w: Window, path: str | Path) -> bool:
    """Open a session file; a bad one is reported and changes nothing."""
    path = Path(path)
    try:  # a regular file, read on another thread (core.record.files)
        session = session_file.load(path, wait=files.READ_WAIT)
    except SessionError as e:
        said = (
            error_message(e)
            if path.name in str(e)
            else translate("Sessions", "Can't open {name}: {reason}").format(
                name=path.name, reason=error_message(e)
            )
        )
        w.show_message(translate("Sessions", "Can't open the session"), said)
        w.flash(said, 10_000)
        return False
    limit = apply_session(
        w, session, translate("Sessions", "{name} (session)").format(name=path.stem),
        folder=path.parent,
    )  # fmt: skip
    user_settings.add_recent(path)
    asked = session.settings.time_limit
    if asked > limit:
        w.flash(
            translate(
                "Sessions",
                "Opened session {name}; it asks for {asked} s, your time limit is {limit} s",
            ).format(name=path.name, asked=f"{asked:g}", limit=f"{limit:g}")
        )
    else:
        w.flash(translate("Sessions", "Opened session {name}").format(name=path.name))
    return True


def apply_session(w: Window, session: Session, name: str, path: Path | None = None,
                  folder: Path | None = None) -> float:  # fmt: skip
    """Put a checked session into the window: settings and look first, then the program
    (evaluated as if typed), shown at the session's step and selection and zoom; it runs
    in `folder` (the session file's) or `path`'s. The session's time limit applies only up
    to the user's own (Preferences); the seconds its program may run."""
    c = w.controller
    own = user_settings.load_preferences().time_limit
    c.set_time_limit(session_file.time_limit(session, own))
    if session.view.theme != w.theme.name:
        w.set_theme(session.view.theme)
    w.menu_actions.themes[session.view.theme].setChecked(True)
    c.show_values = session.view.show_values  # load() below evaluates with it
    w.scene.set_show_values(session.view.show_values)
    w.menu_actions.values.setChecked(session.view.show_values)
    w.graph.pending_zoom = session.view.zoom
    w.load_text(session.program, name, path, view=session.view, lesson=session.lesson,
                folder=folder)  # fmt: skip
    w.constants_action.setChecked(session.lesson.show_constants)
    return c.time_limit


def restore(w: Window, session: Session) -> None:
    """Bring back the autosaved text of a window that did not quit cleanly."""
    path = Path(session.path) if session.path else None
    if path is not None and not (path.suffix == ".py" and path.is_file()):
        path = None  # only ever a program file that is still there
    name = session.document or (path.name if path else "untitled.py")
    apply_session(w, session, name, path)
    w.editor.mark_unsaved()  # it is not saved anywhere yet

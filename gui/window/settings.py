"""The user's settings, kept between runs by QSettings, per user: on Linux
~/.config/autograd-lens/autograd-lens.conf, on macOS a plist, on Windows the registry.
With AUTOGRAD_LENS_SETTINGS_DIR set (the tests set it), an INI file in that folder instead.

`Preferences` are what the Preferences dialog edits; the recent files, the last export
folder and format, the window's geometry and dock layout, and the programs the user
trusted to run as plain Python (SHA-256 hashes of their exact text, as Jupyter remembers
trusted notebooks) are kept beside them. Every value read back is checked: a wrong or
foreign one reads as its default.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

from core.record.session_file import TIME_LIMIT_RANGE
from gui.look.i18n import LANGUAGES
from gui.model.theme import THEME_CHOICES
from gui.window.evaluator import DEFAULT_TIMEOUT

SETTINGS_DIR_VARIABLE = "AUTOGRAD_LENS_SETTINGS_DIR"
NAME = "autograd-lens"
MAX_RECENT = 10
MAX_TRUSTED = 200  # program texts remembered as trusted (the newest kept)
TEXT_SCALE_RANGE = (0.5, 4.0)


@dataclass(frozen=True)
class Preferences:
    theme: str = "light"
    text_scale: float = 1.0
    time_limit: float = DEFAULT_TIMEOUT  # seconds a program may run
    memory_limit: int | None = None  # bytes a program may use; None: half the memory; 0: any
    show_values: bool = True  # values and grads in the boxes
    show_saved: bool = False  # torchviz's show_saved: saved tensors as boxes
    show_attrs: bool = False  # torchviz's show_attrs: grad_fn attributes in op boxes


def store() -> QSettings:
    """The settings store ($AUTOGRAD_LENS_SETTINGS_DIR/autograd-lens.ini when set)."""
    folder = os.environ.get(SETTINGS_DIR_VARIABLE)
    if folder:
        return QSettings(str(Path(folder) / f"{NAME}.ini"), QSettings.Format.IniFormat)
    return QSettings(QSettings.Scope.UserScope, NAME, NAME)


def _read(s: QSettings, key: str, default, kind: type):
    """`key` as `kind`, or `default` when it is missing or not one."""
    raw = s.value(key)
    if raw is None:
        return default
    try:
        if kind is bool:
            text = str(raw).lower()
            if text not in ("true", "false", "1", "0"):
                return default
            return text in ("true", "1")
        value = kind(raw)
    except (TypeError, ValueError):
        return default
    if kind is float and value != value:  # NaN
        return default
    return value


def load_preferences() -> Preferences:
    s, d = store(), Preferences()
    theme = _read(s, "view/theme", d.theme, str)
    scale = _read(s, "view/text_scale", d.text_scale, float)
    limit = _read(s, "limits/time_limit", d.time_limit, float)
    memory = _read(s, "limits/memory_limit", -1, int)
    return Preferences(
        theme=theme if theme in THEME_CHOICES else d.theme,
        text_scale=scale if TEXT_SCALE_RANGE[0] <= scale <= TEXT_SCALE_RANGE[1] else 1.0,
        time_limit=limit if TIME_LIMIT_RANGE[0] <= limit <= TIME_LIMIT_RANGE[1] else d.time_limit,
        memory_limit=memory if memory >= 0 else None,
        show_values=_read(s, "view/show_values", d.show_values, bool),
        show_saved=_read(s, "view/show_saved", d.show_saved, bool),
        show_attrs=_read(s, "view/show_attrs", d.show_attrs, bool),
    )


def save_preferences(p: Preferences) -> None:
    s = store()
    s.setValue("view/theme", p.theme)
    s.setValue("view/text_scale", p.text_scale)
    s.setValue("limits/time_limit", p.time_limit)
    if p.memory_limit is None:
        s.remove("limits/memory_limit")
    else:
        s.setValue("limits/memory_limit", p.memory_limit)
    for key in ("show_values", "show_saved", "show_attrs"):
        s.setValue(f"view/{key}", getattr(p, key))
    s.sync()


def update_preferences(**changes: object) -> Preferences:
    """Save some preferences, keeping the others as stored; the result."""
    p = dataclasses.replace(load_preferences(), **changes)  # type: ignore[arg-type]
    save_preferences(p)
    return p


# --- the window's language (applied when the app starts) ------------------------------------
def language() -> str:
    """ "system" (follow the locale), "en" or "es"."""
    value = _read(store(), "view/language", "system", str)
    return value if value in LANGUAGES else "system"


def set_language(value: str) -> None:
    s = store()
    s.setValue("view/language", value if value in LANGUAGES else "system")
    s.sync()


# --- recent files -----------------------------------------------------------------------------
def recent_files() -> list[str]:
    value = store().value("files/recent")
    if isinstance(value, str):
        value = [value]  # an INI list of one reads back as a string
    if not isinstance(value, list):
        return []
    return [v for v in value if isinstance(v, str) and Path(v).is_absolute()][:MAX_RECENT]


def _set_recent(paths: list[str]) -> None:
    s = store()
    s.setValue("files/recent", paths[:MAX_RECENT])
    s.sync()


def add_recent(path: str | Path) -> None:
    """`path` goes to the top of the recent files (absolute, once)."""
    path = str(Path(path).absolute())
    _set_recent([path] + [p for p in recent_files() if p != path])


def remove_recent(path: str | Path) -> None:
    _set_recent([p for p in recent_files() if p != str(path)])


def clear_recent() -> None:
    _set_recent([])


# --- programs trusted to run as plain Python ------------------------------------------------
_SHA256 = re.compile(r"[0-9a-f]{64}")


def program_hash(text: str) -> str:
    """The SHA-256 of a program's exact text (UTF-8), in hex: what trust is remembered by."""
    return hashlib.sha256(text.encode("utf-8", errors="surrogatepass")).hexdigest()


def trusted_hashes() -> list[str]:
    """The hashes of the programs trusted to run as plain Python, the newest first."""
    value = store().value("trust/programs")
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        return []
    return [v for v in value if isinstance(v, str) and _SHA256.fullmatch(v)][:MAX_TRUSTED]


def is_trusted(text: str) -> bool:
    """Whether the user said this exact text may run as plain Python."""
    return program_hash(text) in trusted_hashes()


def trust(text: str) -> None:
    """Remember that this exact text may run as plain Python (the user said yes); the
    oldest of more than MAX_TRUSTED are forgotten."""
    digest = program_hash(text)
    s = store()
    kept = [digest] + [h for h in trusted_hashes() if h != digest]
    s.setValue("trust/programs", kept[:MAX_TRUSTED])
    s.sync()


def forget_trusted() -> None:
    s = store()
    s.remove("trust/programs")
    s.sync()


# --- exports ---------------------------------------------------------------------------------
def export_folder() -> Path | None:
    """The folder the last export went to, if it is still there."""
    folder = _read(store(), "export/folder", "", str)
    return Path(folder) if folder and Path(folder).is_dir() else None


def export_format() -> str:
    """The menu label of the last export's format ("" if none yet)."""
    return _read(store(), "export/format", "", str)


def note_export(path: str | Path, format_label: str) -> None:
    s = store()
    s.setValue("export/folder", str(Path(path).absolute().parent))
    s.setValue("export/format", format_label)
    s.sync()


# --- the window ------------------------------------------------------------------------------
def window_layout() -> tuple[QByteArray | None, QByteArray | None]:
    """(geometry, dock state) as last saved, or None each."""
    s = store()
    found = []
    for key in ("window/geometry", "window/state"):
        value = s.value(key)
        found.append(value if isinstance(value, QByteArray) and not value.isEmpty() else None)
    return found[0], found[1]


def save_window_layout(geometry: QByteArray, state: QByteArray) -> None:
    s = store()
    s.setValue("window/geometry", geometry)
    s.setValue("window/state", state)
    s.sync()


def reset_all() -> None:
    """Forget everything: the next start is a first start."""
    s = store()
    s.clear()
    s.sync()


# --- file dialogs ----------------------------------------------------------------------------
def last_folder() -> Path | None:
    """The folder the last file dialog chose (open, save, export), if it is still there."""
    folder = _read(store(), "files/folder", "", str)
    return Path(folder) if folder and Path(folder).is_dir() else None


def note_folder(path: str | Path) -> None:
    """Remember the folder of a file the user chose in a dialog, for the next dialog."""
    s = store()
    s.setValue("files/folder", str(Path(path).absolute().parent))
    s.sync()
